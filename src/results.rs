//! Typed results of one replication.
//!
//! All statistics cover the observation window: from the end of the warm-up to the horizon.
//! Times are in days unless a name says otherwise.

use crate::model::ServiceId;
use crate::{Kpi, Ledger};
use serde::{Deserialize, Serialize};

/// Everything measured in one replication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplicationResult {
    /// Replication index (its seed is derived from the base seed and this index only).
    pub replication: u64,
    /// Events processed over the whole run, warm-up included.
    pub events: u64,
    /// Length of the observation window, days.
    pub observed_days: f64,
    /// Whole-system flow and conservation.
    pub system: SystemResult,
    /// One entry per service, in [`ServiceId`] order.
    pub services: Vec<ServiceResult>,
    /// One entry per entry service (a service some arrival stream enters), in id order.
    pub entries: Vec<EntryResult>,
    /// Delayed bed-days by (service holding the bed, service awaited); only non-zero pairs.
    pub delays: Vec<DelayResult>,
    /// Daily series (every day from day 0, warm-up included, so warm-up can be judged);
    /// empty unless the scenario's `daily_series` setting is on.
    pub daily: Vec<DailyRecord>,
    /// Deadlocks found (circular blocking no departure can release), each distinct set of
    /// services once, at its first occurrence (warm-up included).
    pub deadlocks: Vec<Deadlock>,
    /// Set when the run stopped early, at this time (days), because more than ten million
    /// events happened at one instant: a loop of stays that take no time. Statistics then
    /// cover the run up to that time.
    pub stalled: Option<f64>,
    /// Money: each organisation's ledger per financial year observed (empty when the
    /// scenario books no money).
    pub finance: Ledger,
}

/// Services found deadlocked: every place in each is held by a patient blocked waiting for
/// another service of the set, and no queue has room, so nobody can move until capacity
/// changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deadlock {
    /// When it was found, days since the start.
    pub time: f64,
    /// The services deadlocked, in id order.
    pub services: Vec<ServiceId>,
}

/// Whole-system counts over the observation window.
///
/// Conservation: `inside_at_start + arrived == diverted + left + inside_at_end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SystemResult {
    /// Patients inside when observation started (end of warm-up).
    pub inside_at_start: u64,
    /// Patients arriving from outside: arrival streams, elective bookings (first attempt) and
    /// readmissions.
    pub arrived: u64,
    /// Of those, readmissions.
    pub readmissions: u64,
    /// Arrivals turned away because their entry service and its queue were full.
    pub diverted: u64,
    /// Patients who left the system after their last stay.
    pub left: u64,
    /// Patients inside at the horizon (in a bed or waiting).
    pub inside_at_end: u64,
}

impl SystemResult {
    /// Whether every patient is accounted for.
    pub fn is_conserved(&self) -> bool {
        self.inside_at_start + self.arrived == self.diverted + self.left + self.inside_at_end
    }
}

/// What happened at one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceResult {
    /// Which service.
    pub service: ServiceId,
    /// Patients who sought a place: arrivals from outside and transfers from other services
    /// (and patients from outside still waiting for funding when the window opened).
    pub arrivals: u64,
    /// Patients admitted (took a bed, slot or package).
    pub admissions: u64,
    /// Patients who left the service.
    pub departures: u64,
    /// Arrivals from outside turned away (no free place, and no room on the waiting list or
    /// `when_full` `turn_away`), and elective patients cancelled and not rebooked.
    pub diverted: u64,
    /// Elective bookings cancelled for want of a free place (each attempt counted).
    pub cancelled: u64,
    /// Arrivals that were readmissions (new spells of patients who left within days).
    pub readmissions: u64,
    /// Time-weighted mean number of occupied places (packages, at services counted in hours).
    pub mean_occupancy: f64,
    /// Most places occupied at once.
    pub max_occupancy: u32,
    /// Time-weighted mean capacity, escalation places included while open (differs from the
    /// base capacity under a calendar or escalation).
    pub mean_capacity: f64,
    /// Share of time with every place occupied (occupancy at or above capacity).
    pub share_time_full: f64,
    /// Time-weighted mean number waiting in the queue (not holding a bed elsewhere).
    pub mean_queue: f64,
    /// Most waiting in the queue at once.
    pub max_queue: u32,
    /// Mean wait for admission, from wanting a place (arrival, or end of the previous stay)
    /// to admission; includes time queued and time blocked in a bed elsewhere.
    pub mean_wait: f64,
    /// Admissions whose wait was longer than the scenario's wait threshold.
    pub long_waits: u64,
    /// Median wait for admission (3 significant digits).
    pub p50_wait: f64,
    /// 95th percentile of the wait for admission (3 significant digits).
    pub p95_wait: f64,
    /// Mean time in a place, from admission to departure, delay included.
    pub mean_length_of_stay: f64,
    /// Bed-days in this service used by patients fit to leave but blocked (delayed discharges).
    pub delayed_bed_days: f64,
    /// Patients whose onward move was blocked while in this service.
    pub delayed_patients: u64,
    /// Bed-days of medically fit patients being assessed in this service's beds (assess in
    /// hospital). With `delayed_bed_days` this makes the "no criteria to reside" bed-days.
    pub assessment_bed_days: f64,
    /// Days with escalation places open.
    pub escalation_days_open: f64,
    /// Bed-days used in escalation places (occupancy above the planned capacity while they
    /// are open).
    pub escalation_bed_days: f64,
    /// Patients who left after becoming medically fit here (services with a discharge rule).
    pub fit_patients: u64,
    /// Their mean time from medically fit to leaving, days (assessment and waits included).
    pub mean_fit_to_leave: f64,
    /// Time-weighted mean hours of care a week in use, at services whose capacity counts
    /// hours (0 elsewhere).
    pub mean_hours_used: f64,
    /// Mean occupancy divided by mean capacity — for services counted in hours, mean hours in
    /// use divided by mean weekly hours (0 when capacity is always 0).
    pub utilisation: f64,
    /// Bed-days in this service's beds used by patients waiting for a local authority to fund
    /// their next package or placement (the authority's care budget was committed). With
    /// `delayed_bed_days` and `assessment_bed_days`: the "no criteria to reside" bed-days.
    pub awaiting_funding_bed_days: f64,
    /// Patients who began waiting for funding while in this service.
    pub awaiting_funding_patients: u64,
}

impl ServiceResult {
    /// Names of the statistics [`kpis`](Self::kpis) returns, in its order: [`Kpi::NAMES`].
    pub const KPI_NAMES: [&'static str; Kpi::ALL.len()] = Kpi::NAMES;

    /// The statistic `kpi` of this service.
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::{Kpi, Model, run_replication};
    ///
    /// let model = Model::load("scenarios/erlang_b_ward")?;
    /// let ward = &run_replication(&model, 0).services[0];
    /// assert_eq!(ward.value(Kpi::DelayedBedDays), ward.delayed_bed_days);
    /// # Ok::<(), careflow::Error>(())
    /// ```
    pub fn value(&self, kpi: Kpi) -> f64 {
        match kpi {
            Kpi::Arrivals => self.arrivals as f64,
            Kpi::Admissions => self.admissions as f64,
            Kpi::Departures => self.departures as f64,
            Kpi::Diverted => self.diverted as f64,
            Kpi::Cancelled => self.cancelled as f64,
            Kpi::Readmissions => self.readmissions as f64,
            Kpi::MeanOccupancy => self.mean_occupancy,
            Kpi::MaxOccupancy => f64::from(self.max_occupancy),
            Kpi::MeanCapacity => self.mean_capacity,
            Kpi::ShareTimeFull => self.share_time_full,
            Kpi::MeanQueue => self.mean_queue,
            Kpi::MaxQueue => f64::from(self.max_queue),
            Kpi::MeanWaitDays => self.mean_wait,
            Kpi::LongWaits => self.long_waits as f64,
            Kpi::P50WaitDays => self.p50_wait,
            Kpi::P95WaitDays => self.p95_wait,
            Kpi::MeanLengthOfStayDays => self.mean_length_of_stay,
            Kpi::DelayedBedDays => self.delayed_bed_days,
            Kpi::DelayedPatients => self.delayed_patients as f64,
            Kpi::AssessmentBedDays => self.assessment_bed_days,
            Kpi::EscalationDaysOpen => self.escalation_days_open,
            Kpi::EscalationBedDays => self.escalation_bed_days,
            Kpi::FitPatients => self.fit_patients as f64,
            Kpi::MeanFitToLeaveDays => self.mean_fit_to_leave,
            Kpi::MeanHoursUsed => self.mean_hours_used,
            Kpi::Utilisation => self.utilisation,
            Kpi::AwaitingFundingBedDays => self.awaiting_funding_bed_days,
            Kpi::AwaitingFundingPatients => self.awaiting_funding_patients as f64,
        }
    }

    /// Every statistic as (name, value) pairs, in the order of [`Kpi::ALL`].
    pub fn kpis(&self) -> [(Kpi, f64); Kpi::ALL.len()] {
        Kpi::ALL.map(|k| (k, self.value(k)))
    }
}

/// Time from arrival to leaving an entry service: for an emergency department, the 4-hour
/// measure (admitted, transferred or discharged within 4 hours of arrival).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryResult {
    /// Which service.
    pub service: ServiceId,
    /// Patients who left this entry service in the window (diverted arrivals excluded).
    pub patients: u64,
    /// Of those, how many spent longer than the scenario's wait threshold from arrival to
    /// leaving (queue, stay and any wait for the next service, blocked in place).
    pub over_threshold: u64,
    /// `over_threshold / patients` (0 when no patients).
    pub share_over_threshold: f64,
    /// Mean time from arrival to leaving, days.
    pub mean_time: f64,
    /// 95th percentile of the time from arrival to leaving, days (3 significant digits).
    pub p95_time: f64,
    /// Of those, patients who left for another service — for an emergency department, the
    /// admissions (the rest went home).
    pub admitted: u64,
    /// Admitted patients whose arrival-to-admission time exceeded the wait threshold.
    pub admitted_over_threshold: u64,
    /// Mean time from arrival to admission (leaving for another service), days.
    pub mean_time_to_admission: f64,
    /// Patients by time from arrival to leaving, in 15-minute bins: element `i` counts times
    /// in `[i/4, (i+1)/4)` hours for `i < 96`; the last element counts 24 hours or more.
    pub time_histogram: Vec<u64>,
}

/// Delayed bed-days in one service's beds while waiting for another service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelayResult {
    /// The service whose bed was held.
    pub held_at: ServiceId,
    /// The service the patient was waiting for (the one that blocked).
    pub awaiting: ServiceId,
    /// Bed-days held in the window.
    pub bed_days: f64,
    /// Patients who became blocked in the window.
    pub patients: u64,
}

/// One day at one service, as means over the day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DailyRecord {
    /// Day number from the start (day 0 starts at the start date).
    pub day: u32,
    /// Which service.
    pub service: ServiceId,
    /// Mean places occupied during the day.
    pub occupancy: f64,
    /// Mean number queueing during the day.
    pub queue: f64,
    /// Mean number of delayed (blocked) patients in the service's beds during the day.
    pub delayed: f64,
}
