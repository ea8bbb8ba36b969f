//! `pathway_changes.csv`: under discharge to assess, how likely the assessment out of hospital
//! finds each actual pathway, for each predicted one.

use super::arrivals::{A_CLASS, A_SERVICE};
use super::discharge::{self, PATHWAYS};
use super::ids::Ids;
use super::pathways::{self, Pathways, pathway, probability};
use super::probability_groups::ProbabilityGroups;
use super::source::Source;
use super::table::{Column, Presence, Table};
use super::{ScenarioError, ScenarioErrors};

pub(crate) const FILE: &str = "pathway_changes.csv";
const COLUMNS: [Column; 5] = [
    Column::required("class"),
    Column::required("service"),
    Column::required("predicted"),
    Column::required("actual"),
    Column::required("probability"),
];

/// The valid row for one actual pathway: its probability and line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Change {
    pub(crate) probability: f64,
    pub(crate) line: u64,
}

/// The pathway changes, indexed `class * services + service` as in
/// [`Model`](crate::Model), then by predicted and actual pathway.
#[derive(Debug)]
pub(crate) struct PathwayChanges {
    /// The valid row for each (predicted, actual) pair of each cell. A predicted pathway with
    /// no rows keeps its pathway.
    pub(crate) cells: Vec<[[Option<Change>; PATHWAYS]; PATHWAYS]>,
    /// Whether each cell's rows are all valid and, for each predicted pathway, their
    /// probabilities sum to 1 (true for a cell without rows).
    pub(crate) valid: Vec<bool>,
}

/// Reads `pathway_changes.csv` (optional). `rules` holds the line of each cell's row in
/// `discharge.csv`, when that file was read completely: rows for a cell without one are then
/// reported. With `pathways`, an actual pathway that a row makes possible must have a row in
/// `pathways.csv`. `None` if the file as a whole cannot be used, or if the classes or services
/// are unknown (their files could not be read).
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<&Ids>,
    rules: Option<&[Option<u64>]>,
    pathways: Option<&Pathways>,
    errors: &mut ScenarioErrors,
) -> Option<PathwayChanges> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let before = errors.count();
    let n_services = services.map_or(0, Ids::len);
    let n_cells = classes.map_or(0, Ids::len) * n_services;
    let mut changes = PathwayChanges {
        cells: vec![[[None; PATHWAYS]; PATHWAYS]; n_cells],
        valid: vec![true; n_cells],
    };
    // The line of the row for each (predicted, actual) pair of each cell, valid or not.
    let mut given = vec![[[None::<u64>; PATHWAYS]; PATHWAYS]; n_cells];
    // Cells with a row whose predicted pathway is not valid: it may belong to any of their
    // groups, so their sums are not checked.
    let mut unsorted = vec![false; n_cells];
    // Whether `actual` has no row for `cell` in pathways.csv, known because that file was read
    // in full and the cell's rows there are valid.
    let no_pathway = |cell: usize, actual: usize| {
        pathways.is_some_and(|p| p.complete && p.valid[cell] && p.given[cell][actual].is_none())
    };

    // Rows grouped by (class, service, predicted pathway).
    let mut groups = ProbabilityGroups::new();

    for row in table.rows() {
        let class_field = row.field("class");
        let service_field = row.field("service");
        let actual_field = row.field("actual");
        let class = classes.and_then(|ids| ids.resolve(class_field, A_CLASS, errors));
        let service = services.and_then(|ids| ids.resolve(service_field, A_SERVICE, errors));
        let predicted = errors.keep(pathway(row.field("predicted")));
        let actual = errors.keep(pathway(actual_field));
        let probability = errors.keep(probability(row.field("probability")));
        let (Some(class), Some(service)) = (class, service) else {
            continue;
        };
        let (class_name, service_name) = (class_field.text(), service_field.text());
        let cell = class as usize * n_services + service as usize;
        if rules.is_some_and(|rules| rules[cell].is_none()) {
            errors.push(discharge::no_rule(service_field, class_name, service_name));
            continue;
        }
        let Some(predicted) = predicted else {
            changes.valid[cell] = false;
            unsorted[cell] = true;
            continue;
        };
        if let Some(actual) = actual
            && let Some(first_line) = given[cell][predicted][actual]
        {
            errors.push(actual_field.duplicate_entry(
                format!(
                    "class '{class_name}' at service '{service_name}' from predicted pathway \
                     {predicted} to actual pathway {actual}"
                ),
                first_line,
            ));
            continue;
        }
        groups.add((cell, predicted), row.line(), probability);
        let (Some(actual), Some(probability)) = (actual, probability) else {
            changes.valid[cell] = false;
            continue;
        };
        given[cell][predicted][actual] = Some(row.line());
        if probability > 0.0 && no_pathway(cell, actual) {
            errors.push(actual_field.inconsistent(format!(
                "pathway {actual} has no row in {} for class '{class_name}' at service \
                 '{service_name}'",
                pathways::FILE
            )));
            changes.valid[cell] = false;
            continue;
        }
        changes.cells[cell][predicted][actual] = Some(Change {
            probability,
            line: row.line(),
        });
    }

    // A malformed row may belong to any group, so sums are checked only without one.
    if let (Some(classes), Some(services), true) = (classes, services, table.is_complete()) {
        for group in groups.iter().filter(|g| !unsorted[g.key.0]) {
            let (cell, predicted) = group.key;
            if !group.summable {
                changes.valid[cell] = false;
            } else if group.wrong_sum() {
                changes.valid[cell] = false;
                errors.push(ScenarioError::PathwayProbabilitiesDoNotSumToOne {
                    path: table.path().to_path_buf(),
                    line: group.first_line,
                    class: classes.name((cell / n_services) as u32).to_owned(),
                    service: services.name((cell % n_services) as u32).to_owned(),
                    predicted: Some(predicted),
                    sum: group.sum,
                });
            }
        }
    }
    errors.sort_by_line_from(before);
    (classes.is_some() && services.is_some()).then_some(changes)
}
