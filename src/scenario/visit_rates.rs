//! `visit_rates.csv`: the visits a day of packages at services counted in visits.

use super::arrivals::{A_CLASS, A_SERVICE};
use super::ids::Ids;
use super::source::Source;
use super::stays::{self, Observations, Stays};
use super::table::{Column, Presence, Table};
use super::{ScenarioError, ScenarioErrors};
use crate::{CapacityUnit, LengthOfStay, Service, VisitRates};

pub(crate) const FILE: &str = "visit_rates.csv";
const KEY_COLUMNS: [Column; 3] = [
    Column::required("class"),
    Column::required("service"),
    Column::required("rate"),
];

/// The visit rates, indexed `class * services + service` as in [`Model`](crate::Model).
#[derive(Debug)]
pub(crate) struct Rates {
    /// The rates of each cell whose two rows are valid.
    pub(crate) cells: Vec<Option<VisitRates>>,
    /// The lines of the rows (initial, final) for each cell that `visit_rates.csv` gives.
    pub(crate) given: Vec<[Option<u64>; 2]>,
}

/// Reads `visit_rates.csv` (optional), indexed like `los.csv`, and checks that every
/// (class, service) with a length of stay at a service counted in visits has both its rates
/// here and a length in whole days, and that rows name only such services. `None` if the
/// file as a whole cannot be used or the classes or services are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<(&Ids, &[Option<Service>])>,
    stays: Option<&Stays>,
    observations: &mut Observations,
    errors: &mut ScenarioErrors,
) -> Option<Rates> {
    let columns = stays::with_distribution_columns(&KEY_COLUMNS);
    let table = Table::read_in(source, FILE, &columns, Presence::Optional, errors)?;
    let (classes, (service_ids, items)) = (classes?, services?);
    let n_services = service_ids.len();
    // `None` where the service's own row was invalid: then nothing is said about it here.
    let unit = |service: usize| items.get(service).and_then(Option::as_ref).map(|s| s.unit);
    let n_cells = classes.len() * n_services;
    // Initial and final rate of each cell, and the line of each row.
    let mut rates: Vec<[Option<LengthOfStay>; 2]> = vec![[None, None]; n_cells];
    let mut lines: Vec<[Option<u64>; 2]> = vec![[None, None]; n_cells];
    for row in table.rows() {
        let class_field = row.field("class");
        let service_field = row.field("service");
        let rate_field = row.field("rate");
        let class = classes.resolve(class_field, A_CLASS, errors);
        let service = service_ids.resolve(service_field, A_SERVICE, errors);
        let which =
            errors.keep(rate_field.one_of(&[("initial", 0), ("final", 1)], "initial or final"));
        let rate = stays::distribution(source, row, observations, errors);
        let (Some(class), Some(service), Some(which)) = (class, service, which) else {
            continue;
        };
        if let Some(other) = unit(service as usize).filter(|u| *u != CapacityUnit::Visits) {
            let counts = if other == CapacityUnit::Hours {
                "hours"
            } else {
                "places"
            };
            errors.push(service_field.inconsistent(format!(
                "service '{}' counts {counts}, not visits: give it unit 'visits' in services.csv",
                service_field.text()
            )));
            continue;
        }
        let cell = class as usize * n_services + service as usize;
        if let Some(first_line) = lines[cell][which] {
            errors.push(rate_field.duplicate_entry(
                format!(
                    "class '{}' at service '{}', rate {}",
                    class_field.text(),
                    service_field.text(),
                    rate_field.text()
                ),
                first_line,
            ));
            continue;
        }
        lines[cell][which] = Some(row.line());
        rates[cell][which] = rate;
    }
    // Every stay at a service counted in visits needs both rates, and whole days.
    if let Some(stays) = stays {
        for (cell, line) in stays.given.iter().enumerate() {
            let (class, service) = (cell / n_services, cell % n_services);
            let Some(line) = *line else {
                continue;
            };
            if unit(service) != Some(CapacityUnit::Visits) {
                continue;
            }
            let (service_name, class_name) =
                (service_ids.name(service as u32), classes.name(class as u32));
            for (which, name) in ["initial", "final"].into_iter().enumerate() {
                if lines[cell][which].is_none() {
                    errors.push(ScenarioError::Inconsistent {
                        path: source.dir().join(stays::FILE),
                        line,
                        column: "service".into(),
                        message: format!(
                            "service '{service_name}' counts visits: class '{class_name}' \
                             needs a row with rate '{name}' in {FILE}"
                        ),
                    });
                }
            }
            if let Some(los) = &stays.cells[cell]
                && !los.whole_units()
            {
                errors.push(ScenarioError::Inconsistent {
                    path: source.dir().join(stays::FILE),
                    line,
                    column: "round".into(),
                    message: format!(
                        "service '{service_name}' counts visits, so a package lasts whole \
                         days: give round 'nearest' or 'up' (with truncate_min 1 to redraw \
                         packages of 0 days), or a fixed or empirical length in whole days"
                    ),
                });
            }
        }
    }
    let cells = rates
        .into_iter()
        .map(|[initial, last]| Some(VisitRates::new(initial?, last?)))
        .collect();
    Some(Rates {
        cells,
        given: lines,
    })
}

/// Records a problem for each discharge rule (`discharge_lines[cell]`: its line in
/// `discharge.csv`) whose pathway uses a service counted in visits as interim care: an
/// interim stay is a needs assessment, not a package with a length and visit rates.
pub(crate) fn check_interim(
    source: &Source<'_>,
    model: &crate::Model,
    discharge_lines: &[Option<u64>],
    errors: &mut ScenarioErrors,
) {
    let n = model.services().len();
    for (cell, line) in discharge_lines.iter().enumerate() {
        let (class, service) = (
            crate::ClassId((cell / n) as u32),
            crate::ServiceId((cell % n) as u32),
        );
        let (Some(line), Some(rule)) = (line, model.discharge_rule(class, service)) else {
            continue;
        };
        for pathway in 0..4 {
            let Some(interim) = rule.pathway(pathway).interim else {
                continue;
            };
            let spec = &model.services()[interim.index()];
            if spec.unit() == CapacityUnit::Visits {
                errors.push(ScenarioError::Inconsistent {
                    path: source.dir().join(super::discharge::FILE),
                    line: *line,
                    column: "service".into(),
                    message: format!(
                        "pathway {pathway}'s interim service '{}' counts visits: interim care \
                         is a needs assessment, so it must count places or hours (a package \
                         counted in visits may be the pathway's destination)",
                        spec.name()
                    ),
                });
            }
        }
    }
}
