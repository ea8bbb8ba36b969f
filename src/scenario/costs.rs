//! `costs.csv`: what each service's care costs its provider.

use super::arrivals::A_SERVICE;
use super::ids::Ids;
use super::source::Source;
use super::table::{Column, Field, Presence, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors};
use crate::{CapacityUnit, Cost, CostBasis, Service};

pub(crate) const FILE: &str = "costs.csv";
const COLUMNS: [Column; 5] = [
    Column::required("service"),
    Column::required("basis"),
    Column::required("rate"),
    Column::optional("escalation_premium"),
    Column::optional("fixed_per_place_day"),
];

/// The basis in `field`, checked against the unit of the service it prices (`None`: the
/// service's own row was invalid, so only the name is checked). Used by `contracts.csv` too.
pub(crate) fn basis(
    field: Field<'_>,
    service: Option<(&str, CapacityUnit)>,
) -> Result<CostBasis, ScenarioError> {
    let choices: Vec<(&str, CostBasis)> = CostBasis::ALL.iter().map(|&b| (b.as_str(), b)).collect();
    let basis = field.one_of(&choices, &one_of_names(choices.iter().map(|c| c.0)))?;
    match (basis, service) {
        (CostBasis::CareHour, Some((name, unit))) if unit != CapacityUnit::Hours => Err(field
            .inconsistent(format!(
                "'care_hour' is for services counted in hours, but service '{name}' counts {}: \
                 use {}",
                unit_name(unit),
                basis_for(unit)
            ))),
        (CostBasis::Visit, Some((name, unit))) if unit != CapacityUnit::Visits => Err(field
            .inconsistent(format!(
                "'visit' is for services counted in visits, but service '{name}' counts {}: \
                 use {}",
                unit_name(unit),
                basis_for(unit)
            ))),
        (CostBasis::BedDay | CostBasis::PlacementWeek, Some((name, unit)))
            if unit != CapacityUnit::Places =>
        {
            Err(field.inconsistent(format!(
                "'{}' is for services counted in places, but service '{name}' counts {}: use {}",
                basis.as_str(),
                unit_name(unit),
                basis_for(unit)
            )))
        }
        _ => Ok(basis),
    }
}

/// What a service counted in `unit` counts, in messages.
fn unit_name(unit: CapacityUnit) -> &'static str {
    match unit {
        CapacityUnit::Places => "places",
        CapacityUnit::Hours => "hours of care a week",
        CapacityUnit::Visits => "visit slots a day",
    }
}

/// The bases that fit a service counted in `unit`, in messages.
fn basis_for(unit: CapacityUnit) -> &'static str {
    match unit {
        CapacityUnit::Places => "bed_day or placement_week",
        CapacityUnit::Hours => "care_hour",
        CapacityUnit::Visits => "visit",
    }
}

/// Reads `costs.csv` (optional): the cost of each service, indexed by service. When the file
/// has rows, every service must have one. `None` if the file as a whole cannot be used or the
/// services are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    services: Option<(&Ids, &[Option<Service>])>,
    errors: &mut ScenarioErrors,
) -> Option<Vec<Option<Cost>>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let (ids, items) = services?;
    let mut costs: Vec<Option<Cost>> = vec![None; ids.len()];
    let mut given: Vec<Option<u64>> = vec![None; ids.len()];
    let mut rows = 0;
    for row in table.rows() {
        rows += 1;
        let service_field = row.field("service");
        let service = ids.resolve(service_field, A_SERVICE, errors);
        let unit = service
            .and_then(|s| items.get(s as usize)?.as_ref())
            .map(|s| (s.name.as_str(), s.unit));
        let basis = errors.keep(basis(row.field("basis"), unit));
        let rate = errors.keep(row.field("rate").money());
        let premium = row.field("escalation_premium");
        let premium = if premium.is_empty() {
            Some(0.0)
        } else {
            errors.keep(premium.money())
        };
        let fixed = row.field("fixed_per_place_day");
        let fixed = if fixed.is_empty() {
            Some(0.0)
        } else {
            errors.keep(fixed.money())
        };
        let Some(service) = service else {
            continue;
        };
        let i = service as usize;
        if let Some(first_line) = given[i] {
            errors.push(
                service_field
                    .duplicate_entry(format!("service '{}'", service_field.text()), first_line),
            );
            continue;
        }
        given[i] = Some(row.line());
        if let (Some(basis), Some(rate), Some(escalation_premium), Some(fixed_per_place_day)) =
            (basis, rate, premium, fixed)
        {
            costs[i] = Some(Cost {
                basis,
                rate,
                escalation_premium,
                fixed_per_place_day,
            });
        }
    }
    // No silent zero cost: once costs are given, every service needs one. A malformed row may
    // be the missing one, so the check waits for a readable file.
    if rows > 0 && table.is_complete() {
        for (i, line) in given.iter().enumerate() {
            if line.is_none() {
                errors.push(ScenarioError::Inconsistent {
                    path: table.path().to_path_buf(),
                    line: 1,
                    column: "service".into(),
                    message: format!(
                        "service '{}' has no cost; when {FILE} is given every service needs a \
                         row (rate 0 for none)",
                        ids.name(i as u32)
                    ),
                });
            }
        }
    }
    Some(costs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> (Ids, Vec<Option<Service>>) {
        let mut ids = Ids::new(true);
        let mut items = Vec::new();
        for (name, unit) in [
            ("acute", CapacityUnit::Places),
            ("home", CapacityUnit::Hours),
        ] {
            ids.intern(name, 2);
            items.push(Some(Service {
                name: name.to_owned(),
                kind: crate::ServiceKind::Other,
                provider: crate::OrganisationId(0),
                capacity: 1,
                queue_capacity: crate::QueueCapacity::Unlimited,
                transfers_wait: crate::TransfersWait::WaitingList,
                when_full: crate::WhenFull::WaitingList,
                discipline: crate::QueueDiscipline::Fifo,
                unit,
                booking: crate::Booking::FirstFit,
            }));
        }
        (ids, items)
    }

    fn read_costs(contents: Option<&str>) -> (Option<Vec<Option<Cost>>>, ScenarioErrors) {
        let dir = tempfile::tempdir().unwrap();
        if let Some(contents) = contents {
            std::fs::write(dir.path().join(FILE), contents).unwrap();
        }
        let (ids, items) = services();
        let mut errors = ScenarioErrors(Vec::new());
        let costs = read(
            &Source::folder(dir.path()),
            Some((&ids, &items)),
            &mut errors,
        );
        (costs, errors)
    }

    #[test]
    fn costs_are_read_by_service_with_an_optional_premium() {
        let (costs, errors) = read_costs(Some(
            "service,basis,rate,escalation_premium\nhome,care_hour,28,\nacute,bed_day,450,150\n",
        ));
        assert!(errors.is_empty(), "{errors}");
        let costs = costs.unwrap();
        let acute = costs[0].unwrap();
        assert_eq!(
            (acute.basis(), acute.rate(), acute.escalation_premium()),
            (CostBasis::BedDay, 450.0, 150.0)
        );
        let home = costs[1].unwrap();
        assert_eq!(
            (home.basis(), home.rate(), home.escalation_premium()),
            (CostBasis::CareHour, 28.0, 0.0)
        );
    }

    #[test]
    fn no_file_or_no_rows_costs_nothing() {
        for contents in [None, Some("service,basis,rate\n")] {
            let (costs, errors) = read_costs(contents);
            assert!(errors.is_empty(), "{errors}");
            assert_eq!(costs.unwrap(), [None, None]);
        }
    }
}
