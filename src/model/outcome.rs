//! Where each service's care happens, for the outcome measures of patient journeys
//! ([`OutcomeResult`](crate::OutcomeResult)).

/// Where a service's care happens (`care_settings.csv`): whether a patient holding one of its
/// places is at home, and what leaving it means for the outcome measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CareSetting {
    /// An emergency department or assessment unit: away from home, but leaving it is not a
    /// discharge from hospital (an attendance is not an admission).
    Emergency,
    /// A hospital bed (acute or community hospital): leaving it for home, or for a service
    /// that is neither a hospital nor an emergency department, is a discharge from hospital.
    Hospital,
    /// A bed outside hospital that is not a care home (an interim or rehabilitation bed).
    Bed,
    /// A care home placement.
    CareHome,
    /// Care at home (home care, reablement at home, a virtual ward): the patient is at home.
    Home,
}

impl CareSetting {
    /// Every setting, in the order the scenario format lists them.
    pub const ALL: [CareSetting; 5] = [
        CareSetting::Emergency,
        CareSetting::Hospital,
        CareSetting::Bed,
        CareSetting::CareHome,
        CareSetting::Home,
    ];

    /// The name used in `care_settings.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            CareSetting::Emergency => "emergency",
            CareSetting::Hospital => "hospital",
            CareSetting::Bed => "bed",
            CareSetting::CareHome => "care_home",
            CareSetting::Home => "home",
        }
    }

    /// Whether a patient holding a place here is away from home (every setting but
    /// [`Home`](CareSetting::Home)).
    pub fn is_away(self) -> bool {
        self != CareSetting::Home
    }
}

/// A service's row of `care_settings.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServiceSetting {
    pub(crate) setting: CareSetting,
    pub(crate) reablement: bool,
}

impl ServiceSetting {
    /// Where the care happens.
    pub fn setting(&self) -> CareSetting {
        self.setting
    }

    /// Whether the service is reablement: leaving it for home starts the 91-day measure.
    pub fn reablement(&self) -> bool {
        self.reablement
    }
}
