//! `funding.csv`: each organisation's income from outside the simulated system.

use super::ScenarioErrors;
use super::ids::Defined;
use super::source::Source;
use super::table::{Column, Presence, Table};
use crate::{Funding, Organisation, OrganisationKind};

pub(crate) const FILE: &str = "funding.csv";
const COLUMNS: [Column; 3] = [
    Column::required("organisation"),
    Column::required("annual"),
    Column::optional("care_budget"),
];

/// The line of each organisation's row, indexed by organisation.
pub(crate) type Lines = Vec<Option<u64>>;

/// What names an organisation in messages.
pub(crate) const AN_ORGANISATION: &str = "an organisation in organisations.csv";

/// Reads `funding.csv` (optional): the funding of each organisation, indexed by organisation,
/// and the line of each organisation's row. `None` if the file as a whole cannot be used or
/// the organisations are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    organisations: Option<&Defined<Organisation>>,
    errors: &mut ScenarioErrors,
) -> Option<(Vec<Option<Funding>>, Lines)> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let organisations = organisations?;
    let n = organisations.ids.len();
    let mut funding: Vec<Option<Funding>> = vec![None; n];
    let mut given: Vec<Option<u64>> = vec![None; n];
    for row in table.rows() {
        let field = row.field("organisation");
        let organisation = organisations.ids.resolve(field, AN_ORGANISATION, errors);
        let annual = errors.keep(row.field("annual").money());
        let budget_field = row.field("care_budget");
        let care_budget = if budget_field.is_empty() {
            Some(None)
        } else {
            let kind = organisation
                .and_then(|o| organisations.get(o))
                .map(|o| o.kind);
            match kind {
                Some(kind) if kind != OrganisationKind::LocalAuthority => {
                    errors.push(budget_field.inconsistent(format!(
                        "'{}' is {}: only a local_authority has a care budget",
                        field.text(),
                        with_article(kind.as_str())
                    )));
                    None
                }
                _ => errors.keep(budget_field.money()).map(Some),
            }
        };
        let Some(organisation) = organisation else {
            continue;
        };
        let i = organisation as usize;
        if let Some(first_line) = given[i] {
            errors.push(
                field.duplicate_entry(format!("organisation '{}'", field.text()), first_line),
            );
            continue;
        }
        given[i] = Some(row.line());
        if let (Some(annual), Some(care_budget)) = (annual, care_budget) {
            funding[i] = Some(Funding {
                annual,
                care_budget,
            });
        }
    }
    Some((funding, given))
}

/// A council's care budget must pay for something: care it provides at a cost (`costs.csv`) or
/// buys under an active spot contract; otherwise it would silently ration nothing.
pub(crate) fn check_care_budgets(
    source: &Source<'_>,
    model: &crate::Model,
    lines: &[Option<u64>],
    errors: &mut ScenarioErrors,
) {
    for (o, organisation) in model.organisations().iter().enumerate() {
        let id = crate::OrganisationId(o as u32);
        if model.funding(id).and_then(|f| f.care_budget()).is_none() {
            continue;
        }
        let provides = model.services().iter().enumerate().any(|(s, service)| {
            service.provider() == id && model.cost(crate::ServiceId(s as u32)).is_some()
        });
        let buys = model
            .contracts()
            .iter()
            .any(|c| c.kind() == crate::ContractKind::Spot && c.payer() == Some(id));
        if !(provides || buys) {
            errors.push(super::ScenarioError::Inconsistent {
                path: source.dir().join(FILE),
                line: lines.get(o).copied().flatten().unwrap_or(1),
                column: "care_budget".into(),
                message: format!(
                    "'{}' has a care budget but pays for no care from it: it provides no \
                     service costed in costs.csv and pays no active spot contract",
                    organisation.name()
                ),
            });
        }
    }
}

/// `name` with "a" or "an" before it.
pub(crate) fn with_article(name: &str) -> String {
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funding_is_read_by_organisation_with_budgets_for_councils_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "organisation,annual,care_budget\ncouncil,2e8,9e7\nicb,1.5e9,\n",
        )
        .unwrap();
        let mut organisations = Defined::new(true);
        for (name, kind) in [
            ("trust", OrganisationKind::AcuteTrust),
            ("council", OrganisationKind::LocalAuthority),
            ("icb", OrganisationKind::Commissioner),
        ] {
            let i = organisations.ids.intern(name, 2);
            organisations.items.push(None);
            organisations.set(
                i,
                Organisation {
                    name: name.to_owned(),
                    kind,
                },
            );
        }
        let mut errors = ScenarioErrors(Vec::new());
        let (funding, _) = read(
            &Source::folder(dir.path()),
            Some(&organisations),
            &mut errors,
        )
        .unwrap();
        assert!(errors.is_empty(), "{errors}");
        assert_eq!(funding[0], None);
        assert_eq!(funding[1].unwrap().care_budget(), Some(9e7));
        assert_eq!(funding[2].unwrap().annual(), 1.5e9);
        assert_eq!(funding[2].unwrap().care_budget(), None);
    }

    #[test]
    fn articles_read_naturally() {
        assert_eq!(with_article("acute_trust"), "an acute_trust");
        assert_eq!(with_article("commissioner"), "a commissioner");
    }
}
