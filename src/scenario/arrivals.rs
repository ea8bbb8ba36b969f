//! `arrivals.csv`: Poisson arrival streams of one class at one entry service.

use super::ScenarioErrors;
use super::ids::{Defined, Ids};
use super::source::Source;
use super::table::{Column, Presence, Table};
use crate::{ArrivalStream, ClassId, ProfileId, ServiceId};

pub(crate) const FILE: &str = "arrivals.csv";
const COLUMNS: [Column; 5] = [
    Column::required("id"),
    Column::required("class"),
    Column::required("service"),
    Column::required("rate_per_day"),
    Column::optional("profile"),
];

/// What the class column should name.
pub(crate) const A_CLASS: &str = "a class in classes.csv";
/// What a service column should name.
pub(crate) const A_SERVICE: &str = "a service in services.csv";

/// Reads `arrivals.csv`, resolving names against the classes, services and profiles defined
/// (each `None` when its file could not be read: those references are then not checked);
/// `None` if the file as a whole cannot be used.
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<&Ids>,
    profiles: Option<&Ids>,
    errors: &mut ScenarioErrors,
) -> Option<Defined<ArrivalStream>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Required, errors)?;
    let mut arrivals = Defined::new(table.is_complete());
    for row in table.rows() {
        let id = errors.keep(arrivals.define(row.field("id")));
        let class = classes.and_then(|ids| ids.resolve(row.field("class"), A_CLASS, errors));
        let service = services.and_then(|ids| ids.resolve(row.field("service"), A_SERVICE, errors));
        let rate_per_day = errors.keep(row.field("rate_per_day").non_negative());
        let profile_field = row.field("profile");
        let profile = if profile_field.is_empty() {
            Some(None)
        } else {
            profiles.and_then(|ids| {
                ids.resolve(
                    profile_field,
                    "a profile in profile_hours.csv, profile_weekdays.csv or profile_periods.csv",
                    errors,
                )
                .map(|i| Some(ProfileId(i)))
            })
        };
        if let (Some(id), Some(class), Some(service), Some(rate_per_day), Some(profile)) =
            (id, class, service, rate_per_day, profile)
        {
            let name = arrivals.ids.name(id).to_owned();
            arrivals.set(
                id,
                ArrivalStream {
                    name,
                    class: ClassId(class),
                    service: ServiceId(service),
                    rate_per_day,
                    profile,
                },
            );
        }
    }
    Some(arrivals)
}
