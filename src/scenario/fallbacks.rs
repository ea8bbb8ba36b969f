//! `fallbacks.csv`: the services a patient is placed in when the one they want is full.

use super::ScenarioErrors;
use super::arrivals::A_SERVICE;
use super::ids::Ids;
use super::source::Source;
use super::table::{Column, Presence, Table};
use crate::{CapacityUnit, Fallbacks, Service, ServiceId, WaitFor};

pub(crate) const FILE: &str = "fallbacks.csv";
const COLUMNS: [Column; 3] = [
    Column::required("service"),
    Column::required("fallbacks"),
    Column::optional("wait_for"),
];

/// What separates the services of the `fallbacks` list.
const SEPARATOR: char = ';';
const A_LIST: &str = "service ids separated by ';', e.g. ward_b;ward_c";
const WAIT_FOR: [(&str, WaitFor); 2] = [
    ("preferred", WaitFor::Preferred),
    ("first_free", WaitFor::FirstFree),
];

/// The line of `fallbacks.csv` giving each service's fallbacks, indexed by service.
pub(crate) type Lines = Vec<Option<u64>>;

/// Reads `fallbacks.csv` (optional): the fallbacks of each service and the line giving them,
/// indexed by service. `None` if the file as a whole cannot be used or the services are
/// unknown.
pub(crate) fn read(
    source: &Source<'_>,
    services: Option<(&Ids, &[Option<Service>])>,
    errors: &mut ScenarioErrors,
) -> Option<(Vec<Option<Fallbacks>>, Lines)> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let (ids, items) = services?;
    // `None` where the service's own row was invalid: then nothing is said about it here.
    let unit_of = |service: u32| {
        items
            .get(service as usize)
            .and_then(Option::as_ref)
            .map(|s| s.unit)
    };
    let in_hours = |service: u32| unit_of(service).is_some_and(|u| u != CapacityUnit::Places);
    let hours_message = |name: &str, service: u32| {
        let counts = if unit_of(service) == Some(CapacityUnit::Visits) {
            "visits"
        } else {
            "hours a week"
        };
        format!(
            "service '{name}' counts {counts}: fallbacks are for services counted in places \
             only"
        )
    };
    let mut rules: Vec<Option<Fallbacks>> = vec![None; ids.len()];
    let mut given: Vec<Option<u64>> = vec![None; ids.len()];
    for row in table.rows() {
        let service_field = row.field("service");
        let service = ids.resolve(service_field, A_SERVICE, errors);
        let list_field = row.field("fallbacks");
        let mut list = Some(Vec::new());
        if list_field.is_empty() {
            errors.push(list_field.invalid(A_LIST));
            list = None;
        }
        for name in list_field.text().split(SEPARATOR).map(str::trim) {
            if list_field.is_empty() {
                break;
            }
            if name.is_empty() {
                errors.push(list_field.invalid(A_LIST));
                list = None;
                break;
            }
            let Some(fallback) = ids.resolve_name(list_field, name, A_SERVICE, errors) else {
                list = None;
                continue;
            };
            let problem = if Some(fallback) == service {
                Some(format!(
                    "'{name}' is the service itself: a fallback must be another service"
                ))
            } else if list
                .as_ref()
                .is_some_and(|l| l.contains(&ServiceId(fallback)))
            {
                Some(format!("'{name}' is listed twice: list each fallback once"))
            } else if in_hours(fallback) {
                Some(hours_message(name, fallback))
            } else {
                None
            };
            match problem {
                Some(message) => {
                    errors.push(list_field.inconsistent(message));
                    list = None;
                }
                None => {
                    if let Some(l) = &mut list {
                        l.push(ServiceId(fallback));
                    }
                }
            }
        }
        let wait_field = row.field("wait_for");
        let wait_for = if wait_field.is_empty() {
            Some(WaitFor::Preferred)
        } else {
            errors.keep(wait_field.one_of(&WAIT_FOR, "preferred or first_free"))
        };
        let (Some(service), Some(list), Some(wait_for)) = (service, list, wait_for) else {
            continue;
        };
        if in_hours(service) {
            errors.push(service_field.inconsistent(hours_message(service_field.text(), service)));
            continue;
        }
        let i = service as usize;
        if let Some(first_line) = given[i] {
            errors.push(
                service_field
                    .duplicate_entry(format!("service '{}'", service_field.text()), first_line),
            );
            continue;
        }
        given[i] = Some(row.line());
        rules[i] = Some(
            Fallbacks::new(list, wait_for)
                .expect("the list was checked non-empty and without repeats"),
        );
    }
    Some((rules, given))
}

/// Refuses fallbacks at services a local authority's care budget pays for: the funding
/// approved for the preferred service would not match the place taken. `lines` gives the row
/// of `fallbacks.csv` of each service that has one.
pub(crate) fn check_care_budgets(
    source: &Source<'_>,
    model: &crate::Model,
    lines: &[Option<u64>],
    errors: &mut ScenarioErrors,
) {
    let funded = crate::engine::funded_by_care_budget(model);
    for (i, &line) in lines.iter().enumerate() {
        let (Some(line), Some(rule)) = (line, model.fallbacks(ServiceId(i as u32))) else {
            continue;
        };
        let preferred = ServiceId(i as u32);
        for &s in std::iter::once(&preferred).chain(rule.services()) {
            if funded[s.index()] {
                errors.push(super::ScenarioError::Inconsistent {
                    path: source.dir().join(FILE),
                    line,
                    column: if s == preferred {
                        "service"
                    } else {
                        "fallbacks"
                    }
                    .into(),
                    message: format!(
                        "service '{}' is paid for from a care budget: fallbacks are for \
                         services no care budget pays for",
                        model.services()[s.index()].name()
                    ),
                });
            }
        }
    }
}
