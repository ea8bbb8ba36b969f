//! `services.csv`: the places where patients occupy capacity.

use super::ids::Defined;
use super::source::Source;
use super::table::{Column, Field, Presence, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors};
use crate::{
    Booking, CapacityUnit, Organisation, OrganisationId, OrganisationKind, QueueCapacity,
    QueueDiscipline, Service, ServiceKind, TransfersWait, WhenFull,
};

pub(crate) const FILE: &str = "services.csv";
const COLUMNS: [Column; 11] = [
    Column::required("id"),
    Column::required("kind"),
    Column::required("provider"),
    Column::required("capacity"),
    // Either the three columns that each say one thing...
    Column::optional("waiting_list"),
    Column::optional("transfers_wait"),
    Column::optional("when_full"),
    // ...or the old column that said them all at once.
    Column::optional("queue_capacity"),
    Column::optional("queue_discipline"),
    Column::optional("unit"),
    Column::optional("booking"),
];

/// The columns that replace `queue_capacity`.
const WAITING: [&str; 3] = ["waiting_list", "transfers_wait", "when_full"];

/// What the old column `queue_capacity` is, in messages.
const OLD_FORM: &str = "queue_capacity is the old form of waiting_list, transfers_wait and \
    when_full (queue_capacity N means waiting_list N, transfers_wait waiting_list, when_full \
    waiting_list)";

/// The destination name that means leaving the system, which no service may take.
pub(crate) const EXIT: &str = "exit";

/// Reads `services.csv`, resolving providers against `organisations` (skipped when that file
/// could not be read); `None` if the file as a whole cannot be used.
///
/// `ambiguous` receives the line and id of each service written the old way with
/// `queue_capacity` 0, which both keeps transfers in their beds and turns arrivals away.
pub(crate) fn read(
    source: &Source<'_>,
    organisations: Option<&Defined<Organisation>>,
    ambiguous: &mut Vec<(u64, Option<u32>)>,
    errors: &mut ScenarioErrors,
) -> Option<Defined<Service>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Required, errors)?;
    let old_form = table.has_column("queue_capacity");
    let new_columns: Vec<&str> = WAITING
        .into_iter()
        .filter(|c| table.has_column(c))
        .collect();
    if old_form && !new_columns.is_empty() {
        errors.push(ScenarioError::Csv {
            path: table.path().to_path_buf(),
            line: Some(1),
            message: format!(
                "{OLD_FORM}; give one form or the other, not both (found {})",
                new_columns.join(", ")
            ),
        });
        return None;
    }
    if !old_form && new_columns.len() < WAITING.len() {
        for column in WAITING.into_iter().filter(|c| !new_columns.contains(c)) {
            errors.push(ScenarioError::MissingColumn {
                path: table.path().to_path_buf(),
                column: column.to_owned(),
            });
        }
        return None;
    }
    // With nothing defined, every reference elsewhere would be reported unknown: one message
    // says why instead, and those checks are skipped.
    if let Some(e) = table.no_rows("service") {
        errors.push(e);
        return None;
    }
    let kinds: Vec<(&str, ServiceKind)> =
        ServiceKind::ALL.iter().map(|&k| (k.as_str(), k)).collect();
    let expected_kind = one_of_names(kinds.iter().map(|k| k.0));

    let mut services = Defined::new(table.is_complete());
    for row in table.rows() {
        let id_field = row.field("id");
        let id =
            if id_field.text() == EXIT {
                errors.push(id_field.invalid(
                    "an id other than 'exit', which routes.csv uses for leaving the system",
                ));
                None
            } else {
                errors.keep(services.define(id_field))
            };
        let kind = errors.keep(row.field("kind").one_of(&kinds, &expected_kind));
        let provider = organisations.and_then(|organisations| {
            let field = row.field("provider");
            let i =
                organisations
                    .ids
                    .resolve(field, "an organisation in organisations.csv", errors)?;
            match organisations.get(i) {
                Some(o) if o.kind == OrganisationKind::Commissioner => {
                    errors.push(field.inconsistent(format!(
                        "'{}' is a commissioner: commissioners pay for care but provide none",
                        field.text()
                    )));
                    None
                }
                _ => Some(OrganisationId(i)),
            }
        });
        let capacity = errors.keep(row.field("capacity").count());
        let (queue_capacity, transfers_wait, when_full) = if old_form {
            // A variant may not set the new columns of a file written the old way.
            for column in WAITING {
                let field = row.field(column);
                if !field.is_empty() {
                    errors.push(field.inconsistent(
                        "this services.csv is written with the old column queue_capacity; set \
                         queue_capacity, or rewrite the file with waiting_list, transfers_wait \
                         and when_full",
                    ));
                }
            }
            let list = waiting_list(row.field("queue_capacity"), errors);
            if list == Some(QueueCapacity::Limited(0)) {
                ambiguous.push((row.line(), id));
            }
            (
                list,
                Some(TransfersWait::WaitingList),
                Some(WhenFull::WaitingList),
            )
        } else {
            let old = row.field("queue_capacity");
            if !old.is_empty() {
                errors.push(old.inconsistent(format!(
                    "this services.csv has waiting_list, transfers_wait and when_full; {OLD_FORM}"
                )));
            }
            (
                waiting_list(row.field("waiting_list"), errors),
                errors.keep(row.field("transfers_wait").one_of(
                    &[
                        ("in_bed", TransfersWait::InBed),
                        ("waiting_list", TransfersWait::WaitingList),
                    ],
                    "in_bed or waiting_list",
                )),
                errors.keep(row.field("when_full").one_of(
                    &[
                        ("waiting_list", WhenFull::WaitingList),
                        ("turn_away", WhenFull::TurnAway),
                    ],
                    "waiting_list or turn_away",
                )),
            )
        };
        let discipline = row.field("queue_discipline");
        let discipline = if discipline.is_empty() {
            Some(QueueDiscipline::Fifo)
        } else {
            errors.keep(discipline.one_of(
                &[
                    ("fifo", QueueDiscipline::Fifo),
                    ("priority", QueueDiscipline::Priority),
                ],
                "fifo or priority",
            ))
        };
        let unit = row.field("unit");
        let unit = if unit.is_empty() {
            Some(CapacityUnit::Places)
        } else {
            errors.keep(unit.one_of(
                &[
                    ("places", CapacityUnit::Places),
                    ("hours", CapacityUnit::Hours),
                    ("visits", CapacityUnit::Visits),
                ],
                "places, hours or visits",
            ))
        };
        // The booking rule means something only where capacity counts visits.
        let booking_field = row.field("booking");
        let booking = if booking_field.is_empty() {
            Some(Booking::FirstFit)
        } else if unit.is_some_and(|u| u != CapacityUnit::Visits) {
            errors.push(booking_field.inconsistent(
                "a booking rule is for services whose unit is visits: leave it empty here",
            ));
            None
        } else {
            errors.keep(booking_field.one_of(
                &[
                    ("first_fit", Booking::FirstFit),
                    ("whole_sequence", Booking::WholeSequence),
                ],
                "first_fit or whole_sequence",
            ))
        };
        if let (
            Some(id),
            Some(kind),
            Some(provider),
            Some(capacity),
            Some(queue_capacity),
            Some(transfers_wait),
            Some(when_full),
            Some(discipline),
            Some(unit),
            Some(booking),
        ) = (
            id,
            kind,
            provider,
            capacity,
            queue_capacity,
            transfers_wait,
            when_full,
            discipline,
            unit,
            booking,
        ) {
            let name = services.ids.name(id).to_owned();
            services.set(
                id,
                Service {
                    name,
                    kind,
                    provider,
                    capacity,
                    queue_capacity,
                    transfers_wait,
                    when_full,
                    discipline,
                    unit,
                    booking,
                },
            );
        }
    }
    Some(services)
}

/// A waiting-list size: `unlimited` or a non-negative integer.
fn waiting_list(field: Field<'_>, errors: &mut ScenarioErrors) -> Option<QueueCapacity> {
    if field.text() == "unlimited" {
        return Some(QueueCapacity::Unlimited);
    }
    errors.keep(
        field
            .text()
            .parse()
            .map(QueueCapacity::Limited)
            .map_err(|_| field.invalid("'unlimited' or a non-negative integer")),
    )
}
