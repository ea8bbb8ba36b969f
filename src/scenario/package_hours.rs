//! `package_hours.csv`: hours of care a week a package needs, at services counted in hours.

use super::ScenarioErrors;
use super::arrivals::{A_CLASS, A_SERVICE};
use super::ids::Ids;
use super::source::Source;
use super::stays::{self, Observations, Stays};
use super::table::{Column, Presence, Table};
use crate::{CapacityUnit, LengthOfStay, Service};

pub(crate) const FILE: &str = "package_hours.csv";
const KEY_COLUMNS: [Column; 2] = [Column::required("class"), Column::required("service")];

/// The package sizes, indexed `class * services + service` as in [`Model`](crate::Model).
#[derive(Debug)]
pub(crate) struct Packages {
    /// The distribution of each cell whose row is valid.
    pub(crate) cells: Vec<Option<LengthOfStay>>,
    /// The line of the row for each cell that `package_hours.csv` gives.
    pub(crate) given: Vec<Option<u64>>,
}

/// Reads `package_hours.csv` (optional), indexed like `los.csv`, and checks that every
/// (class, service) with a length of stay at a service counted in hours has a row here, and
/// that rows name only such services. `None` if the file as a whole cannot be used or the
/// classes or services are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<(&Ids, &[Option<Service>])>,
    stays: Option<&Stays>,
    observations: &mut Observations,
    errors: &mut ScenarioErrors,
) -> Option<Packages> {
    let columns = stays::with_distribution_columns(&KEY_COLUMNS);
    let table = Table::read_in(source, FILE, &columns, Presence::Optional, errors)?;
    let (classes, (service_ids, items)) = (classes?, services?);
    let n_services = service_ids.len();
    // `None` where the service's own row was invalid: then nothing is said about it here.
    let unit = |service: usize| items.get(service).and_then(Option::as_ref).map(|s| s.unit);
    let in_hours = |service: usize| unit(service) == Some(CapacityUnit::Hours);
    let mut cells: Vec<Option<LengthOfStay>> = vec![None; classes.len() * n_services];
    let mut given: Vec<Option<u64>> = vec![None; cells.len()];
    for row in table.rows() {
        let class_field = row.field("class");
        let service_field = row.field("service");
        let class = classes.resolve(class_field, A_CLASS, errors);
        let service = service_ids.resolve(service_field, A_SERVICE, errors);
        let hours = stays::distribution(source, row, observations, errors);
        let (Some(class), Some(service)) = (class, service) else {
            continue;
        };
        if unit(service as usize) == Some(CapacityUnit::Places) {
            errors.push(service_field.inconsistent(format!(
                "service '{}' counts places, not hours: give it unit 'hours' in services.csv",
                service_field.text()
            )));
            continue;
        }
        let cell = class as usize * n_services + service as usize;
        if let Some(first_line) = given[cell] {
            errors.push(service_field.duplicate_entry(
                format!(
                    "class '{}' at service '{}'",
                    class_field.text(),
                    service_field.text()
                ),
                first_line,
            ));
            continue;
        }
        given[cell] = Some(row.line());
        cells[cell] = hours;
    }
    // Every stay at a service counted in hours needs its package size.
    if let Some(stays) = stays {
        for (cell, line) in stays.given.iter().enumerate() {
            let (class, service) = (cell / n_services, cell % n_services);
            if let Some(line) = line
                && in_hours(service)
                && given[cell].is_none()
            {
                errors.push(super::ScenarioError::Inconsistent {
                    path: source.dir().join(stays::FILE),
                    line: *line,
                    column: "service".into(),
                    message: format!(
                        "service '{}' counts hours: class '{}' needs a row in {FILE}",
                        service_ids.name(service as u32),
                        classes.name(class as u32)
                    ),
                });
            }
        }
    }
    Some(Packages { cells, given })
}
