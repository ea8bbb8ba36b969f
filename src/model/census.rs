//! The census: who is in each service, and waiting for it, when the run starts.

use super::{ClassId, ServiceId};

/// Patients of one class in (and queueing for) one service at time 0.
///
/// A run that starts from today's census needs no warm-up to be in a realistic state. Each
/// patient in a place is given a remaining stay by the entry's [`ResidualRule`]: by default
/// drawn exactly from their length of stay given what is known of the time they have already
/// spent — the days given ([`elapsed_days`](Self::elapsed_days)), or, when none are given, the
/// time since admission of a patient found in a bed at a random moment (the equilibrium
/// residual, [`LengthOfStay::sample_residual`]: longer stays are more likely to be in progress,
/// so this is not a uniform fraction of a fresh stay).
///
/// [`LengthOfStay::sample_residual`]: crate::LengthOfStay::sample_residual
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CensusEntry {
    pub(crate) service: ServiceId,
    pub(crate) class: ClassId,
    pub(crate) occupied: u32,
    pub(crate) queued: u32,
    pub(crate) elapsed_days: Option<f64>,
    pub(crate) residual_rule: ResidualRule,
}

/// How a census patient's remaining stay is drawn (`residual_rule` in `census.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResidualRule {
    /// Exactly, from the length of stay given the time already spent: `(stay − elapsed |
    /// stay > elapsed)` ([`LengthOfStay::remaining_after`]) when the census gives it, else the
    /// equilibrium residual ([`LengthOfStay::sample_residual`]).
    ///
    /// [`LengthOfStay::remaining_after`]: crate::LengthOfStay::remaining_after
    /// [`LengthOfStay::sample_residual`]: crate::LengthOfStay::sample_residual
    #[default]
    Conditional,
    /// The BNSSG IPACS model's rule, for reproducing it: uniform between 1 day and a fresh
    /// stay ([`LengthOfStay::sample_remaining_uniform`]), whatever the time spent.
    ///
    /// [`LengthOfStay::sample_remaining_uniform`]: crate::LengthOfStay::sample_remaining_uniform
    IpacsUniform,
}

impl ResidualRule {
    /// The name used in `census.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            ResidualRule::Conditional => "conditional",
            ResidualRule::IpacsUniform => "ipacs_uniform",
        }
    }
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

    /// The days the occupying patients have already spent in the service, if the census
    /// says.
    pub fn elapsed_days(&self) -> Option<f64> {
        self.elapsed_days
    }

    /// How their remaining stays are drawn.
    pub fn residual_rule(&self) -> ResidualRule {
        self.residual_rule
    }
}

/// One of today's patients in a place, from `census_patients.csv`.
///
/// Like a [`CensusEntry`]'s patient, but one at a time: their own days already spent, and
/// whether they are already medically fit, and awaiting which service.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CensusPatient {
    pub(crate) service: ServiceId,
    pub(crate) class: ClassId,
    pub(crate) elapsed_days: Option<f64>,
    pub(crate) residual_rule: ResidualRule,
    pub(crate) fit: bool,
    pub(crate) awaiting: Option<ServiceId>,
    pub(crate) waited_days: f64,
}

impl CensusPatient {
    /// The service whose place the patient holds.
    pub fn service(&self) -> ServiceId {
        self.service
    }

    /// The class.
    pub fn class(&self) -> ClassId {
        self.class
    }

    /// The days already spent in the service, if known.
    pub fn elapsed_days(&self) -> Option<f64> {
        self.elapsed_days
    }

    /// How the remaining stay is drawn (for a patient not yet fit).
    pub fn residual_rule(&self) -> ResidualRule {
        self.residual_rule
    }

    /// Whether the patient is already medically fit: their stay ends at time 0.
    pub fn fit(&self) -> bool {
        self.fit
    }

    /// The service a fit patient waits for in their place, if the census says.
    pub fn awaiting(&self) -> Option<ServiceId> {
        self.awaiting
    }

    /// The days a patient awaiting a service has already waited for it (0 if not awaiting).
    pub fn waited_days(&self) -> f64 {
        self.waited_days
    }
}

/// One of today's patients waiting for a service from outside (at home), from
/// `census_queue.csv`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CensusWaiting {
    pub(crate) service: ServiceId,
    pub(crate) class: ClassId,
    pub(crate) waited_days: f64,
}

impl CensusWaiting {
    /// The service waited for.
    pub fn service(&self) -> ServiceId {
        self.service
    }

    /// The class.
    pub fn class(&self) -> ClassId {
        self.class
    }

    /// The days already waited.
    pub fn waited_days(&self) -> f64 {
        self.waited_days
    }
}
