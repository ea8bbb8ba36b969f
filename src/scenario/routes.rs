//! `routes.csv`: where each class goes after each service.

use super::arrivals::{A_CLASS, A_SERVICE};
use super::ids::Ids;
use super::probability_groups::ProbabilityGroups;
use super::services::EXIT;
use super::source::Source;
use super::table::{Column, Presence, Table};
use super::{ScenarioError, ScenarioErrors};
use crate::{Destination, Routing, ServiceId};

pub(crate) const FILE: &str = "routes.csv";
const COLUMNS: [Column; 4] = [
    Column::required("class"),
    Column::required("service"),
    Column::required("next"),
    Column::required("probability"),
];

/// One row: a destination and its probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Branch {
    pub(crate) destination: Destination,
    pub(crate) probability: f64,
    /// The row's line.
    pub(crate) line: u64,
}

/// The routes, indexed `class * services + service` as in [`Model`](crate::Model): the valid
/// rows of each (class, service), in file order. No rows means everyone exits.
#[derive(Debug)]
pub(crate) struct Routes {
    pub(crate) cells: Vec<Vec<Branch>>,
    /// The line of the first row of each cell, valid or not (`None`: the cell has no rows,
    /// unless one is on a malformed row).
    pub(crate) first_lines: Vec<Option<u64>>,
}

impl Routes {
    /// The model's routing of each cell.
    pub(crate) fn routings(&self) -> Vec<Routing> {
        self.cells
            .iter()
            .map(|branches| {
                if branches.is_empty() {
                    Routing::exit()
                } else {
                    let pairs: Vec<(Destination, f64)> = branches
                        .iter()
                        .map(|b| (b.destination, b.probability))
                        .collect();
                    Routing::from_probabilities(&pairs)
                }
            })
            .collect()
    }
}

/// Reads `routes.csv`. `None` if the file as a whole cannot be used, or if the classes or
/// services are unknown (their files could not be read).
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<&Ids>,
    errors: &mut ScenarioErrors,
) -> Option<Routes> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Required, errors)?;
    let before = errors.count();
    let n_services = services.map_or(0, Ids::len);
    let n_cells = classes.map_or(0, Ids::len) * n_services;
    let mut routes = Routes {
        cells: vec![Vec::new(); n_cells],
        first_lines: vec![None; n_cells],
    };

    // Rows grouped by (class, service).
    let mut groups = ProbabilityGroups::new();

    for row in table.rows() {
        let class_field = row.field("class");
        let service_field = row.field("service");
        let next_field = row.field("next");
        let class = classes.and_then(|ids| ids.resolve(class_field, A_CLASS, errors));
        let service = services.and_then(|ids| ids.resolve(service_field, A_SERVICE, errors));
        let next = if next_field.text() == EXIT {
            Some(Destination::Exit)
        } else {
            services.and_then(|ids| {
                ids.resolve(next_field, "a service in services.csv or 'exit'", errors)
                    .map(|i| Destination::Service(ServiceId(i)))
            })
        };
        let probability = errors.keep(
            row.field("probability")
                .number("a probability from 0 to 1", |p| (0.0..=1.0).contains(&p)),
        );
        let (Some(class), Some(service)) = (class, service) else {
            continue;
        };
        let cell = class as usize * n_services + service as usize;
        let branches = &mut routes.cells[cell];
        if let Some(destination) = next
            && let Some(first) = branches.iter().find(|b| b.destination == destination)
        {
            errors.push(next_field.duplicate_entry(
                format!(
                    "class '{}' from service '{}' to '{}'",
                    class_field.text(),
                    service_field.text(),
                    next_field.text()
                ),
                first.line,
            ));
            continue;
        }
        if groups.add(cell, row.line(), probability) {
            routes.first_lines[cell] = Some(row.line());
        }
        if let (Some(destination), Some(probability)) = (next, probability) {
            branches.push(Branch {
                destination,
                probability,
                line: row.line(),
            });
        }
    }

    // A malformed row may belong to any group, so sums are checked only without one.
    if let (Some(classes), Some(services), true) = (classes, services, table.is_complete()) {
        for group in groups.iter() {
            if group.wrong_sum() {
                errors.push(ScenarioError::ProbabilitiesDoNotSumToOne {
                    path: table.path().to_path_buf(),
                    line: group.first_line,
                    class: classes.name((group.key / n_services) as u32).to_owned(),
                    service: services.name((group.key % n_services) as u32).to_owned(),
                    sum: group.sum,
                });
            }
        }
    }
    errors.sort_by_line_from(before);
    (classes.is_some() && services.is_some()).then_some(routes)
}
