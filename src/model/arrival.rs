//! Arrival streams: Poisson arrivals of one class at one entry service.

use super::{ClassId, ProfileId, ServiceId};

/// Dense index of an [`ArrivalStream`] in a [`Model`](crate::Model).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct StreamId(pub(crate) u32);

impl StreamId {
    /// The position of this stream in [`Model::arrivals`](crate::Model::arrivals).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A (possibly time-varying) Poisson stream of patients of one class arriving at one service.
///
/// With a profile the process is non-homogeneous, sampled exactly by thinning
/// (Lewis & Shedler, 1979): candidates at the profile's maximum rate, each kept with
/// probability `rate(t) / max rate`.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrivalStream {
    pub(crate) name: String,
    pub(crate) class: ClassId,
    pub(crate) service: ServiceId,
    pub(crate) rate_per_day: f64,
    pub(crate) profile: Option<ProfileId>,
}

impl ArrivalStream {
    /// The stream's id as written in the scenario.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The class of patient arriving.
    pub fn class(&self) -> ClassId {
        self.class
    }

    /// The entry service.
    pub fn service(&self) -> ServiceId {
        self.service
    }

    /// The base rate, patients per day, before profile multipliers.
    pub fn rate_per_day(&self) -> f64 {
        self.rate_per_day
    }

    /// The time profile, if the rate varies.
    pub fn profile(&self) -> Option<ProfileId> {
        self.profile
    }
}
