//! `readmissions.csv`: patients returning as a new spell within days of leaving.

use super::ScenarioErrors;
use super::arrivals::{A_CLASS, A_SERVICE};
use super::ids::Ids;
use super::source::Source;
use super::table::{Column, Presence, Table};
use crate::{Readmission, ServiceId};

pub(crate) const FILE: &str = "readmissions.csv";
const COLUMNS: [Column; 6] = [
    Column::required("class"),
    Column::required("service"),
    Column::optional("pathway"),
    Column::required("probability"),
    Column::required("within_days"),
    Column::required("to"),
];

/// The readmission rules read, with the line of each, indexed like `Model::readmissions`.
#[derive(Debug)]
pub(crate) struct Readmissions {
    pub(crate) cells: Vec<[Option<(Readmission, u64)>; 5]>,
}

impl Readmissions {
    /// The rules without their lines.
    pub(crate) fn rules(&self) -> Vec<[Option<Readmission>; 5]> {
        self.cells
            .iter()
            .map(|cell| cell.map(|r| r.map(|(r, _)| r)))
            .collect()
    }
}

/// Reads `readmissions.csv` (optional). `None` if the file as a whole cannot be used or the
/// classes or services are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<&Ids>,
    errors: &mut ScenarioErrors,
) -> Option<Readmissions> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let (classes, services) = (classes?, services?);
    let n_services = services.len();
    let mut cells = vec![[None; 5]; classes.len() * n_services];
    for row in table.rows() {
        let class = classes.resolve(row.field("class"), A_CLASS, errors);
        let service_field = row.field("service");
        let service = services.resolve(service_field, A_SERVICE, errors);
        let pathway_field = row.field("pathway");
        let pathway = if pathway_field.is_empty() {
            Some(4)
        } else {
            errors.keep(
                pathway_field
                    .count()
                    .ok()
                    .filter(|&p| p <= 3)
                    .map(|p| p as usize)
                    .ok_or_else(|| {
                        pathway_field.invalid("a discharge pathway from 0 to 3, or empty for any")
                    }),
            )
        };
        let probability = errors.keep(
            row.field("probability")
                .number("a probability from 0 to 1", |p| (0.0..=1.0).contains(&p)),
        );
        let within = errors.keep(row.field("within_days").positive());
        let to = services.resolve(row.field("to"), A_SERVICE, errors);
        let (Some(class), Some(service), Some(pathway), Some(probability), Some(within), Some(to)) =
            (class, service, pathway, probability, within, to)
        else {
            continue;
        };
        let cell = &mut cells[class as usize * n_services + service as usize][pathway];
        if let Some((_, first_line)) = cell {
            let which = if pathway == 4 {
                "any pathway".to_owned()
            } else {
                format!("pathway {pathway}")
            };
            errors.push(service_field.duplicate_entry(
                format!(
                    "class '{}' leaving service '{}' on {which}",
                    row.field("class").text(),
                    service_field.text()
                ),
                *first_line,
            ));
            continue;
        }
        *cell = Some((
            Readmission {
                probability,
                within,
                to: ServiceId(to),
            },
            row.line(),
        ));
    }
    Some(Readmissions { cells })
}
