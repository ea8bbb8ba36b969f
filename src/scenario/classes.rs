//! `classes.csv`: the patient classes.

use super::ScenarioErrors;
use super::ids::Defined;
use super::source::Source;
use super::table::{Column, Presence, Table};
use crate::PatientClass;

pub(crate) const FILE: &str = "classes.csv";
const COLUMNS: [Column; 2] = [Column::required("id"), Column::optional("priority")];

/// Reads `classes.csv`; `None` if the file as a whole cannot be used.
pub(crate) fn read(
    source: &Source<'_>,
    errors: &mut ScenarioErrors,
) -> Option<Defined<PatientClass>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Required, errors)?;
    // With nothing defined, every reference elsewhere would be reported unknown: one message
    // says why instead, and those checks are skipped.
    if let Some(e) = table.no_rows("class") {
        errors.push(e);
        return None;
    }
    let mut classes = Defined::new(table.is_complete());
    for row in table.rows() {
        let id = errors.keep(classes.define(row.field("id")));
        let priority = row.field("priority");
        let priority = if priority.is_empty() {
            Some(0)
        } else {
            errors.keep(priority.count())
        };
        if let (Some(id), Some(priority)) = (id, priority) {
            let name = classes.ids.name(id).to_owned();
            classes.set(id, PatientClass { name, priority });
        }
    }
    Some(classes)
}
