//! `organisations.csv`: the bodies that provide (or pay for) services.

use super::ScenarioErrors;
use super::ids::Defined;
use super::source::Source;
use super::table::{Column, Presence, Table, one_of_names};
use crate::{Organisation, OrganisationKind};

pub(crate) const FILE: &str = "organisations.csv";
const COLUMNS: [Column; 2] = [Column::required("id"), Column::required("kind")];

/// Reads `organisations.csv`; `None` if the file as a whole cannot be used.
pub(crate) fn read(
    source: &Source<'_>,
    errors: &mut ScenarioErrors,
) -> Option<Defined<Organisation>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Required, errors)?;
    // With nothing defined, every reference elsewhere would be reported unknown: one message
    // says why instead, and those checks are skipped.
    if let Some(e) = table.no_rows("organisation") {
        errors.push(e);
        return None;
    }
    let kinds: Vec<(&str, OrganisationKind)> = OrganisationKind::ALL
        .iter()
        .map(|&k| (k.as_str(), k))
        .collect();
    let expected_kind = one_of_names(kinds.iter().map(|k| k.0));

    let mut organisations = Defined::new(table.is_complete());
    for row in table.rows() {
        let id = errors.keep(organisations.define(row.field("id")));
        let kind = errors.keep(row.field("kind").one_of(&kinds, &expected_kind));
        if let (Some(id), Some(kind)) = (id, kind) {
            let name = organisations.ids.name(id).to_owned();
            organisations.set(id, Organisation { name, kind });
        }
    }
    Some(organisations)
}
