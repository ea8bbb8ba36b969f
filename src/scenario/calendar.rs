//! `calendar.csv`: dated changes to service capacity.

use super::arrivals::A_SERVICE;
use super::ids::Ids;
use super::source::Source;
use super::table::{A_DATE, Column, Presence, Table};
use super::{ScenarioError, ScenarioErrors};
use crate::{CapacityChange, Service, ServiceId, Settings};
use chrono::NaiveDate;

pub(crate) const FILE: &str = "calendar.csv";
const COLUMNS: [Column; 4] = [
    Column::required("service"),
    Column::required("from"),
    Column::required("to"),
    Column::required("capacity"),
];

/// One valid row: a service's capacity over a span of dates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    service: ServiceId,
    from: NaiveDate,
    /// Last day, inclusive; `None`: until the end of the run.
    to: Option<NaiveDate>,
    capacity: u32,
    line: u64,
}

/// Reads `calendar.csv` (optional): its valid entries in file order. `None` if the file as a
/// whole cannot be used or the services are unknown (their file could not be read).
///
/// Without `settings` (whose file could not be read), entries are not checked against the
/// start date.
pub(crate) fn read(
    source: &Source<'_>,
    services: Option<&Ids>,
    settings: Option<&Settings>,
    errors: &mut ScenarioErrors,
) -> Option<Vec<Entry>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let before = errors.count();
    let mut entries: Vec<Entry> = Vec::new();
    for row in table.rows() {
        let service_field = row.field("service");
        let service = services.and_then(|ids| ids.resolve(service_field, A_SERVICE, errors));
        let from = errors.keep(row.field("from").date());
        let to_field = row.field("to");
        let to = if to_field.is_empty() {
            Some(None)
        } else {
            errors
                .keep(
                    to_field
                        .date()
                        .map_err(|_| to_field.invalid(format!("{A_DATE}, or empty"))),
                )
                .map(Some)
        };
        let capacity = errors.keep(row.field("capacity").count());
        let (Some(service), Some(from), Some(to), Some(capacity)) = (service, from, to, capacity)
        else {
            continue;
        };
        if let Some(to) = to {
            if to < from {
                errors
                    .push(to_field.invalid(format!("a date on or after from ({from}), or empty")));
                continue;
            }
            if let Some(start) = settings.map(|s| s.start_date).filter(|&start| to < start) {
                errors.push(to_field.inconsistent(format!(
                    "the entry ends on {to}, before start_date {start} in settings.csv"
                )));
                continue;
            }
        }
        let ends_after = |to: Option<NaiveDate>, date: NaiveDate| to.is_none_or(|to| date <= to);
        if let Some(other) = entries.iter().find(|e| {
            e.service == ServiceId(service) && ends_after(e.to, from) && ends_after(to, e.from)
        }) {
            errors.push(ScenarioError::Overlap {
                path: table.path().to_path_buf(),
                line: row.line(),
                subject: format!("service '{}'", service_field.text()),
                other_line: other.line,
            });
            continue;
        }
        entries.push(Entry {
            service: ServiceId(service),
            from,
            to,
            capacity,
            line: row.line(),
        });
    }
    errors.sort_by_line_from(before);
    services.is_some().then_some(entries)
}

/// The capacity changes that `entries` make, in the order they apply.
///
/// Each entry sets its capacity at the start of its first day (or at time 0 if it began before
/// the start date) and, unless it is open-ended, puts the service's base capacity back at the
/// end of its last day, except where another entry for the service starts then. At equal
/// times, reverts come before sets; otherwise file order is kept.
pub(crate) fn changes(
    entries: &[Entry],
    settings: &Settings,
    services: &[Service],
) -> Vec<CapacityChange> {
    let starts = |e: &Entry| settings.day_of(e.from).max(0.0);
    // (change, whether it is a revert): reverts sort first at equal times.
    let mut changes: Vec<(CapacityChange, bool)> = Vec::new();
    for entry in entries {
        changes.push((
            CapacityChange {
                time: starts(entry),
                service: entry.service,
                capacity: entry.capacity,
            },
            false,
        ));
        if let Some(to) = entry.to {
            let end = settings.day_of(to) + 1.0;
            let followed = entries
                .iter()
                .any(|other| other.service == entry.service && starts(other) == end);
            if !followed {
                changes.push((
                    CapacityChange {
                        time: end,
                        service: entry.service,
                        capacity: services[entry.service.index()].capacity,
                    },
                    true,
                ));
            }
        }
    }
    changes.sort_by(|(a, a_revert), (b, b_revert)| {
        a.time
            .total_cmp(&b.time)
            .then_with(|| b_revert.cmp(a_revert))
    });
    changes.into_iter().map(|(change, _)| change).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{OrganisationId, QueueCapacity, QueueDiscipline, ServiceKind};

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn reverts_come_before_sets_at_equal_times_and_back_to_back_entries_do_not_revert() {
        let settings = Settings {
            start_date: date("2026-01-01"),
            horizon_days: 100.0,
            warmup_days: 0.0,
            seed: 1,
            replications: 1,
            wait_threshold_hours: 4.0,
            daily_series: false,
        };
        let service = |capacity| Service {
            name: String::new(),
            kind: ServiceKind::Other,
            provider: OrganisationId(0),
            capacity,
            queue_capacity: QueueCapacity::Unlimited,
            transfers_wait: crate::TransfersWait::WaitingList,
            when_full: crate::WhenFull::WaitingList,
            discipline: QueueDiscipline::Fifo,
            unit: crate::CapacityUnit::Places,
            booking: crate::Booking::FirstFit,
        };
        let services = [service(10), service(20)];
        let entry = |service, from: &str, to: Option<&str>, capacity| Entry {
            service: ServiceId(service),
            from: date(from),
            to: to.map(date),
            capacity,
            line: 0,
        };
        let entries = [
            entry(1, "2026-01-03", None, 25),
            entry(0, "2026-01-01", Some("2026-01-02"), 12),
            entry(0, "2026-01-04", Some("2026-01-04"), 14),
            // Began before the start date; service 1's next entry starts the day after it ends.
            entry(1, "2025-12-01", Some("2026-01-02"), 22),
        ];
        let change = |time, service, capacity| CapacityChange {
            time,
            service: ServiceId(service),
            capacity,
        };
        assert_eq!(
            changes(&entries, &settings, &services),
            [
                change(0.0, 0, 12),
                change(0.0, 1, 22),
                change(2.0, 0, 10),
                change(2.0, 1, 25),
                change(3.0, 0, 14),
                change(4.0, 0, 10),
            ]
        );
    }
}
