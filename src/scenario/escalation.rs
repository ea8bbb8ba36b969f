//! `escalation.csv`: escalation beds that open under pressure.

use super::ScenarioErrors;
use super::arrivals::A_SERVICE;
use super::ids::Ids;
use super::source::Source;
use super::table::{Column, Presence, Table};
use crate::Escalation;

pub(crate) const FILE: &str = "escalation.csv";
const COLUMNS: [Column; 5] = [
    Column::required("service"),
    Column::required("extra"),
    Column::required("open_at"),
    Column::required("close_below"),
    Column::optional("delay_hours"),
];

/// Reads `escalation.csv` (optional): the rule of each service, indexed by service. `None` if
/// the file as a whole cannot be used or the services are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    services: Option<(&Ids, &[Option<crate::Service>])>,
    errors: &mut ScenarioErrors,
) -> Option<Vec<Option<Escalation>>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let (ids, items) = services?;
    let mut rules: Vec<Option<Escalation>> = vec![None; ids.len()];
    let mut given: Vec<Option<u64>> = vec![None; ids.len()];
    for row in table.rows() {
        let service_field = row.field("service");
        let service = ids.resolve(service_field, A_SERVICE, errors);
        let extra = row.field("extra");
        let extra = errors.keep(extra.count().and_then(|n| {
            if n >= 1 {
                Ok(n)
            } else {
                Err(extra.invalid("an integer of at least 1"))
            }
        }));
        let open_field = row.field("open_at");
        let open_at = errors.keep(
            open_field.number("a share of capacity above 0 and at most 1", |x| {
                x > 0.0 && x <= 1.0
            }),
        );
        let close_field = row.field("close_below");
        let close_below = errors.keep(
            close_field.number("a share of capacity above 0 and at most 1", |x| {
                x > 0.0 && x <= 1.0
            }),
        );
        let delay_field = row.field("delay_hours");
        let delay = if delay_field.is_empty() {
            Some(0.0)
        } else {
            errors.keep(delay_field.non_negative())
        };
        let (Some(service), Some(extra), Some(open_at), Some(close_below), Some(delay)) =
            (service, extra, open_at, close_below, delay)
        else {
            continue;
        };
        if close_below >= open_at {
            errors.push(close_field.invalid(format!(
                "a share below open_at ({}), so that the beds do not open and close at once",
                super::error::number(open_at)
            )));
            continue;
        }
        let i = service as usize;
        if items
            .get(i)
            .and_then(Option::as_ref)
            .is_some_and(|s| s.unit == crate::CapacityUnit::Visits)
        {
            // Escalation opens places on occupancy; visit slots are booked day by day.
            errors.push(service_field.inconsistent(format!(
                "service '{}' counts visits: escalation is for services counted in places or \
                 hours; raise its slots in calendar.csv instead",
                service_field.text()
            )));
            continue;
        }
        if let Some(first_line) = given[i] {
            errors.push(
                service_field
                    .duplicate_entry(format!("service '{}'", service_field.text()), first_line),
            );
            continue;
        }
        given[i] = Some(row.line());
        rules[i] = Some(
            Escalation::new(extra, open_at, close_below, delay / 24.0)
                .expect("the row's values were checked as the constructor requires"),
        );
    }
    Some(rules)
}
