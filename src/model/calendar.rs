//! The capacity calendar: dated changes to a service's capacity.

use super::ServiceId;

/// A change of a service's capacity at a moment in time.
///
/// When capacity falls below occupancy nobody is evicted: the beds close as their patients
/// leave, and nobody is admitted until occupancy is below the new capacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapacityChange {
    /// When, in days since the scenario start.
    pub time: f64,
    /// Which service.
    pub service: ServiceId,
    /// The capacity from then on.
    pub capacity: u32,
}
