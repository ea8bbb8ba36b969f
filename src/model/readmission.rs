//! Readmissions: patients returning as a new spell within days of leaving.

use super::ServiceId;

/// The chance that a patient leaving a service returns, as a new spell flagged as a
/// readmission, within `within` days, to service `to`.
///
/// The return time is uniform on `(0, within]` days after leaving. The returning spell is a
/// new arrival at `to` (it takes a free place, queues, or is diverted like any arrival); the
/// patient's original path carries on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Readmission {
    pub(crate) probability: f64,
    pub(crate) within: f64,
    pub(crate) to: ServiceId,
}

impl Readmission {
    /// Probability of returning.
    pub fn probability(&self) -> f64 {
        self.probability
    }

    /// The window, days.
    pub fn within(&self) -> f64 {
        self.within
    }

    /// The service returned to.
    pub fn to(&self) -> ServiceId {
        self.to
    }
}
