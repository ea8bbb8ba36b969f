//! `patience.csv`: how long patients of a class wait for a service before giving up.

use super::ScenarioErrors;
use super::arrivals::{A_CLASS, A_SERVICE};
use super::ids::Ids;
use super::services::EXIT;
use super::source::Source;
use super::stays::{self, Observations, Stays};
use super::table::{Column, Presence, Table};
use crate::{Destination, Patience, ServiceId};

pub(crate) const FILE: &str = "patience.csv";
const KEY_COLUMNS: [Column; 3] = [
    Column::required("class"),
    Column::required("service"),
    Column::required("then"),
];

/// The patience rules read, indexed `class * services + service` as in
/// [`Model`](crate::Model), with the line of each.
#[derive(Debug)]
pub(crate) struct Patiences {
    pub(crate) cells: Vec<Option<(Patience, u64)>>,
}

impl Patiences {
    /// The rules without their lines.
    pub(crate) fn rules(&self) -> Vec<Option<Patience>> {
        self.cells
            .iter()
            .map(|cell| cell.as_ref().map(|(p, _)| p.clone()))
            .collect()
    }
}

/// Reads `patience.csv` (optional). A rule needs the class to have a stay at the service (in
/// `los.csv`: otherwise it never waits there) and must send those who give up elsewhere than
/// back to the service they gave up on. `None` if the file as a whole cannot be used or the
/// classes or services are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<&Ids>,
    stays: Option<&Stays>,
    observations: &mut Observations,
    errors: &mut ScenarioErrors,
) -> Option<Patiences> {
    let columns = stays::with_distribution_columns(&KEY_COLUMNS);
    let table = Table::read_in(source, FILE, &columns, Presence::Optional, errors)?;
    let (classes, services) = (classes?, services?);
    let n_services = services.len();
    let mut cells: Vec<Option<(Patience, u64)>> = vec![None; classes.len() * n_services];
    let mut given: Vec<Option<u64>> = vec![None; cells.len()];
    for row in table.rows() {
        let class_field = row.field("class");
        let service_field = row.field("service");
        let then_field = row.field("then");
        let class = classes.resolve(class_field, A_CLASS, errors);
        let service = services.resolve(service_field, A_SERVICE, errors);
        let then = if then_field.text() == EXIT {
            Some(Destination::Exit)
        } else {
            services
                .resolve(then_field, "a service in services.csv or 'exit'", errors)
                .map(|i| Destination::Service(ServiceId(i)))
        };
        let time = stays::distribution(source, row, observations, errors);
        let (Some(class), Some(service)) = (class, service) else {
            continue;
        };
        let cell = class as usize * n_services + service as usize;
        if let Some(first_line) = given[cell] {
            errors.push(service_field.duplicate_entry(
                format!(
                    "class '{}' waiting for service '{}'",
                    class_field.text(),
                    service_field.text()
                ),
                first_line,
            ));
            continue;
        }
        given[cell] = Some(row.line());
        if let Some(stays) = stays.filter(|s| s.complete)
            && stays.given[cell].is_none()
        {
            errors.push(service_field.inconsistent(format!(
                "class '{}' has no stay at service '{}' in {}, so never waits for it",
                class_field.text(),
                service_field.text(),
                stays::FILE
            )));
            continue;
        }
        if then == Some(Destination::Service(ServiceId(service))) {
            errors.push(then_field.inconsistent(format!(
                "patients giving up on service '{}' cannot go back to wait for it: give \
                 another service or 'exit'",
                service_field.text()
            )));
            continue;
        }
        if let (Some(time), Some(then)) = (time, then) {
            cells[cell] = Some((Patience { time, then }, row.line()));
        }
    }
    Some(Patiences { cells })
}
