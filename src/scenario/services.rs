//! `services.csv`: the places where patients occupy capacity.

use super::ScenarioErrors;
use super::ids::Defined;
use super::source::Source;
use super::table::{Column, Presence, Table, one_of_names};
use crate::{
    CapacityUnit, Organisation, OrganisationId, OrganisationKind, QueueCapacity, QueueDiscipline,
    Service, ServiceKind,
};

pub(crate) const FILE: &str = "services.csv";
const COLUMNS: [Column; 7] = [
    Column::required("id"),
    Column::required("kind"),
    Column::required("provider"),
    Column::required("capacity"),
    Column::required("queue_capacity"),
    Column::optional("queue_discipline"),
    Column::optional("unit"),
];

/// The destination name that means leaving the system, which no service may take.
pub(crate) const EXIT: &str = "exit";

/// Reads `services.csv`, resolving providers against `organisations` (skipped when that file
/// could not be read); `None` if the file as a whole cannot be used.
pub(crate) fn read(
    source: &Source<'_>,
    organisations: Option<&Defined<Organisation>>,
    errors: &mut ScenarioErrors,
) -> Option<Defined<Service>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Required, errors)?;
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
        let queue_capacity = row.field("queue_capacity");
        let queue_capacity = if queue_capacity.text() == "unlimited" {
            Some(QueueCapacity::Unlimited)
        } else {
            errors.keep(
                queue_capacity
                    .text()
                    .parse()
                    .map(QueueCapacity::Limited)
                    .map_err(|_| queue_capacity.invalid("'unlimited' or a non-negative integer")),
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
                ],
                "places or hours",
            ))
        };
        if let (
            Some(id),
            Some(kind),
            Some(provider),
            Some(capacity),
            Some(queue_capacity),
            Some(discipline),
            Some(unit),
        ) = (
            id,
            kind,
            provider,
            capacity,
            queue_capacity,
            discipline,
            unit,
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
                    discipline,
                    unit,
                },
            );
        }
    }
    Some(services)
}
