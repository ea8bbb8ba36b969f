//! The census: who is in each service, and waiting for it, when the run starts.

use super::{ClassId, ServiceId};

/// Patients of one class in (and queueing for) one service at time 0.
///
/// A run that starts from today's census needs no warm-up to be in a realistic state. Each
/// patient in a place is given a remaining stay drawn from the equilibrium residual
/// distribution of their length of stay ([`LengthOfStay::sample_residual`]), which is what a
/// patient found in a bed at a random moment has left: longer stays are more likely to be in
/// progress, so this is not a uniform fraction of a fresh stay.
///
/// [`LengthOfStay::sample_residual`]: crate::LengthOfStay::sample_residual
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CensusEntry {
    pub(crate) service: ServiceId,
    pub(crate) class: ClassId,
    pub(crate) occupied: u32,
    pub(crate) queued: u32,
}

impl CensusEntry {
    /// The service.
    pub fn service(&self) -> ServiceId {
        self.service
    }

    /// The class.
    pub fn class(&self) -> ClassId {
        self.class
    }

    /// Places occupied by patients of the class.
    pub fn occupied(&self) -> u32 {
        self.occupied
    }

    /// Patients of the class in the queue.
    pub fn queued(&self) -> u32 {
        self.queued
    }
}
