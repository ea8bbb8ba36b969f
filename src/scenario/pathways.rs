//! `pathways.csv`: the discharge pathways 0–3 of each (class, service) with a discharge rule:
//! how likely each is predicted, and the services it uses.

use super::arrivals::{A_CLASS, A_SERVICE};
use super::discharge::{self, PATHWAYS};
use super::ids::Ids;
use super::probability_groups::ProbabilityGroups;
use super::services::EXIT;
use super::source::Source;
use super::table::{Column, Field, Presence, Table};
use super::{ScenarioError, ScenarioErrors};
use crate::{Destination, PathwayServices, ServiceId};

pub(crate) const FILE: &str = "pathways.csv";
const COLUMNS: [Column; 6] = [
    Column::required("class"),
    Column::required("service"),
    Column::required("pathway"),
    Column::required("probability"),
    Column::required("destination"),
    Column::optional("interim"),
];

/// What a probability column must hold.
pub(crate) const A_PROBABILITY: &str = "a probability from 0 to 1";

/// A discharge pathway, 0 to 3: the index of its row in a (class, service)'s pathways.
pub(crate) fn pathway(field: Field<'_>) -> Result<usize, ScenarioError> {
    field
        .count()
        .ok()
        .map(|p| p as usize)
        .filter(|&p| p < PATHWAYS)
        .ok_or_else(|| field.invalid("a discharge pathway from 0 to 3"))
}

/// A probability from 0 to 1.
pub(crate) fn probability(field: Field<'_>) -> Result<f64, ScenarioError> {
    field.number(A_PROBABILITY, |p| (0.0..=1.0).contains(&p))
}

/// One valid row: a pathway's probability and services.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pathway {
    pub(crate) probability: f64,
    pub(crate) services: PathwayServices,
    /// The row's line.
    pub(crate) line: u64,
}

/// The pathways, indexed `class * services + service` as in [`Model`](crate::Model), then by
/// pathway.
#[derive(Debug)]
pub(crate) struct Pathways {
    /// The line of each cell's first row, valid or not.
    pub(crate) first_lines: Vec<Option<u64>>,
    /// The line of the row giving each pathway of each cell, valid or not (a row whose
    /// pathway is not valid makes its cell not valid).
    pub(crate) given: Vec<[Option<u64>; PATHWAYS]>,
    /// Each pathway of each cell whose row is valid.
    pub(crate) cells: Vec<[Option<Pathway>; PATHWAYS]>,
    /// Whether each cell's rows are all valid and their probabilities sum to 1 (true for a
    /// cell without rows).
    pub(crate) valid: Vec<bool>,
    /// Whether every row could be read and named a known class and service: if not, a cell
    /// without rows may have one that could not be read.
    pub(crate) complete: bool,
}

/// Reads `pathways.csv` (`presence` says whether it is required). `rules` holds the line of
/// each cell's row in `discharge.csv`, when that file was read completely; rows for a cell
/// without one are then reported. `None` if the file as a whole cannot be used, or if the
/// classes or services are unknown (their files could not be read).
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<&Ids>,
    rules: Option<&[Option<u64>]>,
    presence: Presence,
    errors: &mut ScenarioErrors,
) -> Option<Pathways> {
    let table = Table::read_in(source, FILE, &COLUMNS, presence, errors)?;
    let before = errors.count();
    let n_services = services.map_or(0, Ids::len);
    let n_cells = classes.map_or(0, Ids::len) * n_services;
    let mut pathways = Pathways {
        first_lines: vec![None; n_cells],
        given: vec![[None; PATHWAYS]; n_cells],
        cells: vec![[None; PATHWAYS]; n_cells],
        valid: vec![true; n_cells],
        complete: table.is_complete(),
    };

    // Rows grouped by (class, service).
    let mut groups = ProbabilityGroups::new();

    for row in table.rows() {
        let class_field = row.field("class");
        let service_field = row.field("service");
        let pathway_field = row.field("pathway");
        let destination_field = row.field("destination");
        let interim_field = row.field("interim");
        let class = classes.and_then(|ids| ids.resolve(class_field, A_CLASS, errors));
        let service = services.and_then(|ids| ids.resolve(service_field, A_SERVICE, errors));
        let number = errors.keep(pathway(pathway_field));
        let probability = errors.keep(probability(row.field("probability")));
        let destination = if destination_field.text() == EXIT {
            Some(Destination::Exit)
        } else {
            services.and_then(|ids| {
                ids.resolve(
                    destination_field,
                    "a service in services.csv or 'exit'",
                    errors,
                )
                .map(|i| Destination::Service(ServiceId(i)))
            })
        };
        let interim = if interim_field.is_empty() {
            Some(None)
        } else {
            services.and_then(|ids| {
                ids.resolve(interim_field, "a service in services.csv, or empty", errors)
                    .map(|i| Some(ServiceId(i)))
            })
        };
        let (Some(class), Some(service)) = (class, service) else {
            pathways.complete = false;
            continue;
        };
        let cell = class as usize * n_services + service as usize;
        if rules.is_some_and(|rules| rules[cell].is_none()) {
            errors.push(discharge::no_rule(
                service_field,
                class_field.text(),
                service_field.text(),
            ));
            continue;
        }
        if let Some(number) = number
            && let Some(first_line) = pathways.given[cell][number]
        {
            errors.push(pathway_field.duplicate_entry(
                format!(
                    "class '{}' at service '{}' pathway {number}",
                    class_field.text(),
                    service_field.text(),
                ),
                first_line,
            ));
            continue;
        }
        if groups.add(cell, row.line(), probability) {
            pathways.first_lines[cell] = Some(row.line());
        }
        match (number, probability, destination, interim) {
            (Some(number), Some(probability), Some(destination), Some(interim)) => {
                pathways.given[cell][number] = Some(row.line());
                pathways.cells[cell][number] = Some(Pathway {
                    probability,
                    services: PathwayServices {
                        destination,
                        interim,
                    },
                    line: row.line(),
                });
            }
            (Some(number), ..) => {
                pathways.given[cell][number] = Some(row.line());
                pathways.valid[cell] = false;
            }
            (None, ..) => pathways.valid[cell] = false,
        }
    }

    // A malformed row may belong to any group, so sums are checked only without one.
    if let (Some(classes), Some(services), true) = (classes, services, table.is_complete()) {
        for group in groups.iter() {
            if !group.summable {
                pathways.valid[group.key] = false;
            } else if group.wrong_sum() {
                pathways.valid[group.key] = false;
                errors.push(ScenarioError::PathwayProbabilitiesDoNotSumToOne {
                    path: table.path().to_path_buf(),
                    line: group.first_line,
                    class: classes.name((group.key / n_services) as u32).to_owned(),
                    service: services.name((group.key % n_services) as u32).to_owned(),
                    predicted: None,
                    sum: group.sum,
                });
            }
        }
    }
    errors.sort_by_line_from(before);
    (classes.is_some() && services.is_some()).then_some(pathways)
}
