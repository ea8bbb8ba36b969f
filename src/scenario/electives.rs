//! `electives.csv`: weekly elective booking lists.

use super::ScenarioErrors;
use super::arrivals::{A_CLASS, A_SERVICE};
use super::ids::{Defined, Ids};
use super::source::Source;
use super::table::{Column, Presence, Table};
use crate::{ClassId, ElectiveList, ServiceId};

pub(crate) const FILE: &str = "electives.csv";
const COLUMNS: [Column; 7] = [
    Column::required("id"),
    Column::required("class"),
    Column::required("service"),
    Column::required("weekday"),
    Column::required("count"),
    Column::optional("hour"),
    Column::optional("rebook_days"),
];

const WEEKDAYS: [(&str, u32); 7] = [
    ("mon", 0),
    ("tue", 1),
    ("wed", 2),
    ("thu", 3),
    ("fri", 4),
    ("sat", 5),
    ("sun", 6),
];

/// Reads `electives.csv` (optional), resolving classes and services (each `None` when its
/// file could not be read: those references are then not checked); `None` if the file as a
/// whole cannot be used.
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<&Ids>,
    errors: &mut ScenarioErrors,
) -> Option<Defined<ElectiveList>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let mut lists = Defined::new(table.is_complete());
    for row in table.rows() {
        let id = errors.keep(lists.define(row.field("id")));
        let class = classes.and_then(|ids| ids.resolve(row.field("class"), A_CLASS, errors));
        let service = services.and_then(|ids| ids.resolve(row.field("service"), A_SERVICE, errors));
        let weekday = errors.keep(
            row.field("weekday")
                .one_of(&WEEKDAYS, "one of mon, tue, wed, thu, fri, sat or sun"),
        );
        let count = errors.keep(row.field("count").count());
        let hour_field = row.field("hour");
        let hour = if hour_field.is_empty() {
            Some(8.0)
        } else {
            errors.keep(
                hour_field.number("an hour of the day from 0 to below 24", |h| {
                    (0.0..24.0).contains(&h)
                }),
            )
        };
        let rebook_field = row.field("rebook_days");
        let rebook_after = if rebook_field.is_empty() {
            Some(None)
        } else {
            errors
                .keep(rebook_field.number(
                    "a number of days greater than 0, or empty (cancelled patients are lost)",
                    |d| d > 0.0,
                ))
                .map(Some)
        };
        if let (
            Some(id),
            Some(class),
            Some(service),
            Some(weekday),
            Some(count),
            Some(hour),
            Some(rebook_after),
        ) = (id, class, service, weekday, count, hour, rebook_after)
        {
            let name = lists.ids.name(id).to_owned();
            lists.set(
                id,
                ElectiveList {
                    name,
                    class: ClassId(class),
                    service: ServiceId(service),
                    weekday,
                    count,
                    hour,
                    rebook_after,
                },
            );
        }
    }
    Some(lists)
}
