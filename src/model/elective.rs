//! Elective (planned) admissions: booked on given weekdays, cancelled when no place is free.

use super::{ClassId, ServiceId};

/// A weekly booking list: on every `weekday`, `count` patients of `class` are booked for
/// admission to `service` at `hour`.
///
/// Electives never queue — emergencies come first: a booked patient who finds no free place
/// at the booked time is cancelled, and is either rebooked `rebook_after` days later (and
/// cancelled again if there is still no place) or lost to the system.
#[derive(Debug, Clone, PartialEq)]
pub struct ElectiveList {
    pub(crate) name: String,
    pub(crate) class: ClassId,
    pub(crate) service: ServiceId,
    /// Day of the week, 0 = Monday.
    pub(crate) weekday: u32,
    pub(crate) count: u32,
    /// Hour of the day, in `[0, 24)`.
    pub(crate) hour: f64,
    /// Days until a cancelled patient is tried again; `None`: cancelled patients are lost.
    pub(crate) rebook_after: Option<f64>,
}

impl ElectiveList {
    /// The list's id as written in the scenario.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The class of patient booked.
    pub fn class(&self) -> ClassId {
        self.class
    }

    /// The service they are booked into.
    pub fn service(&self) -> ServiceId {
        self.service
    }

    /// Day of the week, 0 = Monday.
    pub fn weekday(&self) -> u32 {
        self.weekday
    }

    /// Patients booked each week on that day.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Hour of the day of the booking.
    pub fn hour(&self) -> f64 {
        self.hour
    }

    /// Days until a cancelled patient is tried again; `None` if cancelled patients are lost.
    pub fn rebook_after(&self) -> Option<f64> {
        self.rebook_after
    }
}
