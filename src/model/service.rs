//! Services: the places where a patient occupies capacity.

use super::OrganisationId;

/// Dense index of a [`Service`] in a [`Model`](crate::Model).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ServiceId(pub(crate) u32);

impl ServiceId {
    /// The position of this service in [`Model::services`](crate::Model::services).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a service is, in care-system terms. The engine treats every kind alike; the kind labels
/// outputs and is used by the discharge and contract rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServiceKind {
    /// Emergency department or acute assessment unit; capacity is cubicles or trolleys.
    EmergencyDepartment,
    /// General and acute hospital beds.
    AcuteBed,
    /// Community (intermediate care, step-down) beds: discharge pathway 2.
    CommunityBed,
    /// Home-based reablement or rehabilitation slots: discharge pathway 1.
    Reablement,
    /// Long-term home care packages.
    HomeCare,
    /// Care home placements: discharge pathway 3.
    CareHome,
    /// Interim discharge-to-assess beds.
    DischargeToAssessBed,
    /// Anything else that holds patients.
    Other,
}

impl ServiceKind {
    /// Every kind, in the order the scenario format lists them.
    pub const ALL: [ServiceKind; 8] = [
        ServiceKind::EmergencyDepartment,
        ServiceKind::AcuteBed,
        ServiceKind::CommunityBed,
        ServiceKind::Reablement,
        ServiceKind::HomeCare,
        ServiceKind::CareHome,
        ServiceKind::DischargeToAssessBed,
        ServiceKind::Other,
    ];

    /// The name used in `services.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::EmergencyDepartment => "ed",
            ServiceKind::AcuteBed => "acute_bed",
            ServiceKind::CommunityBed => "community_bed",
            ServiceKind::Reablement => "reablement",
            ServiceKind::HomeCare => "home_care",
            ServiceKind::CareHome => "care_home",
            ServiceKind::DischargeToAssessBed => "d2a_bed",
            ServiceKind::Other => "other",
        }
    }

    /// Parses the name used in `services.csv`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// How many patients may be on a service's waiting list: waiting for a place without holding
/// a bed in the system (`waiting_list` in `services.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueCapacity {
    /// Any number may wait.
    Unlimited,
    /// At most this many may wait; `Limited(0)` means nobody is on the list: arrivals from
    /// outside are turned away when no place is free, and patients moving on from another
    /// service wait in their bed.
    Limited(u32),
}

/// Where a patient whose stay elsewhere is over waits when this service has no free place
/// (`transfers_wait` in `services.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransfersWait {
    /// In their bed: a delayed discharge, counted in `delayed_bed_days` of the service holding
    /// them. The waiting list and the patients waiting in beds elsewhere are then served as
    /// one line: whoever has waited longest (within priority, under `priority`) goes first.
    InBed,
    /// They leave their bed for the waiting list when it has room; while it is full, in their
    /// bed (counted as delays). The behaviour of the old `queue_capacity` column.
    WaitingList,
}

/// What happens to a patient arriving from outside (an arrival stream or a readmission) who
/// finds no free place (`when_full` in `services.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenFull {
    /// They go on the waiting list; turned away (counted in `diverted`) only while it is full.
    /// The behaviour of the old `queue_capacity` column.
    WaitingList,
    /// They are turned away (counted in `diverted`), whatever room the list has.
    TurnAway,
}

impl QueueCapacity {
    /// Whether a queue holding `len` patients has room for one more.
    #[inline]
    pub fn has_room(self, len: usize) -> bool {
        match self {
            QueueCapacity::Unlimited => true,
            QueueCapacity::Limited(n) => len < n as usize,
        }
    }
}

/// The order in which waiting patients are admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueDiscipline {
    /// First come, first served.
    Fifo,
    /// By patient class priority (lower number first), first come first served within a class.
    Priority,
}

/// What a service's capacity counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CapacityUnit {
    /// Places: beds, slots, packages or placements; each patient takes one.
    #[default]
    Places,
    /// Hours of care a week (home care): each patient's package needs a number of hours a
    /// week, drawn from `package_hours.csv`, and starts only when that many are free.
    Hours,
    /// Visit slots a day (home care counted in visits): each patient's package needs a number
    /// of visits on each day of its length, falling linearly from an initial to a final rate
    /// (`visit_rates.csv`), and is booked by the service's [`Booking`] rule.
    Visits,
}

/// How a service counted in visits books packages into its days (`booking` in
/// `services.csv`): see the scenario reference's `visit_rates.csv` section for the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Booking {
    /// First come, first served: the package at the head of the line starts on the first day
    /// on which its visits on each of its days fit in the slots the packages in care leave;
    /// nobody starts before the one ahead of them.
    #[default]
    FirstFit,
    /// The BNSSG IPACS model's rule: when a package joins the line it is booked on the
    /// earliest day on which its whole sequence of visits fits in the slots left by the
    /// bookings already made, so a later, smaller package may start first.
    WholeSequence,
}

/// A place where a patient occupies capacity: beds, slots, packages or placements.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub(crate) name: String,
    pub(crate) kind: ServiceKind,
    pub(crate) provider: OrganisationId,
    pub(crate) capacity: u32,
    pub(crate) queue_capacity: QueueCapacity,
    pub(crate) transfers_wait: TransfersWait,
    pub(crate) when_full: WhenFull,
    pub(crate) discipline: QueueDiscipline,
    pub(crate) unit: CapacityUnit,
    /// How packages are booked, at services counted in visits.
    pub(crate) booking: Booking,
}

impl Service {
    /// The service's id as written in the scenario.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the service is.
    pub fn kind(&self) -> ServiceKind {
        self.kind
    }

    /// The organisation that provides it.
    pub fn provider(&self) -> OrganisationId {
        self.provider
    }

    /// Capacity when no capacity-calendar entry applies.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// How many may be on its waiting list (`waiting_list`).
    pub fn queue_capacity(&self) -> QueueCapacity {
        self.queue_capacity
    }

    /// Where patients moving on from another service wait for it (`transfers_wait`).
    pub fn transfers_wait(&self) -> TransfersWait {
        self.transfers_wait
    }

    /// What happens to arrivals from outside when it is full (`when_full`).
    pub fn when_full(&self) -> WhenFull {
        self.when_full
    }

    /// The order in which waiting patients are admitted.
    pub fn discipline(&self) -> QueueDiscipline {
        self.discipline
    }

    /// What the capacity counts: places, hours of care a week or visit slots a day.
    pub fn unit(&self) -> CapacityUnit {
        self.unit
    }

    /// How packages are booked, at a service counted in visits ([`CapacityUnit::Visits`]);
    /// [`Booking::FirstFit`] elsewhere, where it means nothing.
    pub fn booking(&self) -> Booking {
        self.booking
    }
}
