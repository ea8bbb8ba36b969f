//! Typed results of one replication.
//!
//! All statistics cover the observation window: from the end of the warm-up to the horizon.
//! Times are in days unless a name says otherwise.

use crate::model::{ServiceId, StreamId};
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
    /// Set when the run stopped early because a length of stay, assessment or package size
    /// drawn was not a finite number of at least 0 (the scenario loader's limits rule this
    /// out, so it means a bug in a sampler): the first such draw. Statistics then cover the
    /// run up to its time; the draw itself is not used.
    #[serde(default)]
    pub invalid_draw: Option<InvalidDraw>,
    /// Home-care packages that can never start: each needed more hours a week than their
    /// service can ever have ([`Model::most_capacity`](crate::Model::most_capacity)), so
    /// they, and everyone queued behind them, wait for ever. The first at each service.
    #[serde(default)]
    pub packages_never_started: Vec<PackageNeverStarted>,
    /// Placements in fallbacks: one per (preferred, fallback) pair of `fallbacks.csv`, in the
    /// order of the preferred services then of each list (empty without fallbacks).
    #[serde(default)]
    pub fallbacks: Vec<FallbackResult>,
    /// Admission avoidance: one per arrival stream with a step-up service (`step_up.csv`),
    /// in stream order (empty without).
    #[serde(default)]
    pub step_ups: Vec<StepUpResult>,
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

/// A draw that was not a finite number of at least 0 (see
/// [`ReplicationResult::invalid_draw`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvalidDraw {
    /// When, days since the start.
    pub time: f64,
    /// The service it was drawn for.
    pub service: ServiceId,
    /// What was drawn.
    pub draw: Draw,
    /// The value drawn.
    pub value: f64,
}

/// What a patient's generator draws from a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Draw {
    /// A length of stay (`los.csv`), days.
    Stay,
    /// The remaining stay of a census patient, days.
    RemainingStay,
    /// A needs assessment (`discharge.csv`), days.
    Assessment,
    /// A home-care package's hours a week (`package_hours.csv`).
    PackageHours,
    /// A home-care package's visits a day, initial or final (`visit_rates.csv`).
    VisitRate,
    /// How long a patient waits before giving up (`patience.csv`), days.
    Patience,
}

impl Draw {
    /// What it is called in messages: "length of stay", …
    pub fn as_str(self) -> &'static str {
        match self {
            Draw::Stay => "length of stay",
            Draw::RemainingStay => "remaining stay",
            Draw::Assessment => "needs assessment",
            Draw::PackageHours => "package size in hours",
            Draw::VisitRate => "visit rate",
            Draw::Patience => "patience",
        }
    }
}

/// A home-care package that can never start (see
/// [`ReplicationResult::packages_never_started`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackageNeverStarted {
    /// When it joined the queue (or began to wait in a bed elsewhere), days since the start.
    pub time: f64,
    /// The service counted in hours (or visits).
    pub service: ServiceId,
    /// Hours a week the package needs (at a service counted in visits: the visits on its
    /// busiest day).
    pub hours: f64,
    /// The most hours a week the service can ever have (visit slots a day, at a service
    /// counted in visits).
    pub most_hours: u64,
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
    /// Patients who left the system after their last stay, or on giving up a wait
    /// (`patience.csv` with `then` `exit`).
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
    /// Patients who gave up waiting for this service, in its queue or blocked in a bed
    /// elsewhere, when their patience (`patience.csv`) ran out.
    pub reneged: u64,
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
    /// Delayed bed-days: bed-days in this service's beds held by patients who no longer need
    /// them (fit to leave, "no criteria to reside"), whatever they wait for. The sum of
    /// [`delayed_bed_days_awaiting_place`](Self::delayed_bed_days_awaiting_place),
    /// [`delayed_bed_days_awaiting_funding`](Self::delayed_bed_days_awaiting_funding) and
    /// [`delayed_bed_days_awaiting_assessment`](Self::delayed_bed_days_awaiting_assessment).
    pub delayed_bed_days: f64,
    /// Patients who began a delay in this service's beds in the window, for any reason, each
    /// once per stay (a patient assessed, then waiting for funding, then for a place counts
    /// once here and once under each reason) — and again after giving up on one service to
    /// wait for another (`patience.csv`).
    pub delayed_patients: u64,
    /// Of the delayed bed-days, those of patients waiting for a place at their next service
    /// (full, with no queue room: blocked). By service awaited: [`ReplicationResult::delays`].
    pub delayed_bed_days_awaiting_place: f64,
    /// Of the delayed bed-days, those of patients waiting for a local authority to fund their
    /// next package or placement (its care budget was committed).
    pub delayed_bed_days_awaiting_funding: f64,
    /// Of the delayed bed-days, those of medically fit patients having their needs assessed in
    /// this service's bed (the assess-in-hospital discharge rule).
    pub delayed_bed_days_awaiting_assessment: f64,
    /// Patients who began waiting for a place while in this service, in the window.
    pub delayed_patients_awaiting_place: u64,
    /// Patients who began waiting for funding while in this service, in the window.
    pub delayed_patients_awaiting_funding: u64,
    /// Patients who began an in-bed assessment here, in the window.
    pub delayed_patients_awaiting_assessment: u64,
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
    /// Time-weighted mean visits a day booked, at services whose capacity counts visit slots
    /// a day (0 elsewhere): the visits of each day, weighted by the time observed.
    #[serde(default)]
    pub mean_visits_used: f64,
    /// Mean occupancy divided by mean capacity — for services counted in hours, mean hours in
    /// use divided by mean weekly hours (0 when capacity is always 0).
    pub utilisation: f64,
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
            Kpi::Reneged => self.reneged as f64,
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
            Kpi::DelayedBedDaysAwaitingPlace => self.delayed_bed_days_awaiting_place,
            Kpi::DelayedBedDaysAwaitingFunding => self.delayed_bed_days_awaiting_funding,
            Kpi::DelayedBedDaysAwaitingAssessment => self.delayed_bed_days_awaiting_assessment,
            Kpi::DelayedPatientsAwaitingPlace => self.delayed_patients_awaiting_place as f64,
            Kpi::DelayedPatientsAwaitingFunding => self.delayed_patients_awaiting_funding as f64,
            Kpi::DelayedPatientsAwaitingAssessment => {
                self.delayed_patients_awaiting_assessment as f64
            }
            Kpi::EscalationDaysOpen => self.escalation_days_open,
            Kpi::EscalationBedDays => self.escalation_bed_days,
            Kpi::FitPatients => self.fit_patients as f64,
            Kpi::MeanFitToLeaveDays => self.mean_fit_to_leave,
            Kpi::MeanHoursUsed => self.mean_hours_used,
            Kpi::MeanVisitsUsed => self.mean_visits_used,
            Kpi::Utilisation => self.utilisation,
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
    /// Patients still at this entry service (in a place or queued for one) at the end of the
    /// run: they arrived but had not left, so `patients` and the histogram leave them out.
    pub still_inside: u64,
    /// Of those, how many had already spent longer than the wait threshold since arriving.
    pub still_inside_over_threshold: u64,
}

/// Why a patient fit to move on waits in a bed for another service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DelayReason {
    /// The service awaited had no free place and no queue room.
    Place,
    /// The local authority paying for the service awaited had no care budget left for it.
    Funding,
}

impl DelayReason {
    /// Both reasons, in order.
    pub const ALL: [DelayReason; 2] = [DelayReason::Place, DelayReason::Funding];

    /// The suffix of the statistics' names: `awaiting_place` or `awaiting_funding`.
    pub fn as_str(self) -> &'static str {
        match self {
            DelayReason::Place => "awaiting_place",
            DelayReason::Funding => "awaiting_funding",
        }
    }
}

/// Delayed bed-days in one service's beds while waiting, for one reason, for another service.
/// Over both reasons and every service awaited they add up to the holding service's
/// `delayed_bed_days` less its `delayed_bed_days_awaiting_assessment`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelayResult {
    /// The service whose bed was held.
    pub held_at: ServiceId,
    /// The service the patient was waiting for (the one that was full, or that the budget
    /// could not fund).
    pub awaiting: ServiceId,
    /// What the patient was waiting for: a place, or funding.
    pub reason: DelayReason,
    /// Bed-days held in the window.
    pub bed_days: f64,
    /// Patients who became blocked in the window.
    pub patients: u64,
}

/// Patients placed in one fallback because the service they wanted was full.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FallbackResult {
    /// The service the patients wanted.
    pub preferred: ServiceId,
    /// The service whose places they took.
    pub fallback: ServiceId,
    /// Patients placed in the window.
    pub patients: u64,
    /// Place-days they held in the window (divided by the window's length: the mean number
    /// in the fallback's places).
    pub bed_days: f64,
}

/// Arrivals of one stream that entered its step-up service instead of its entry service.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StepUpResult {
    /// The arrival stream.
    pub stream: StreamId,
    /// Its step-up service.
    pub service: ServiceId,
    /// Arrivals in the window who found a free place at the step-up service, and so did not
    /// enter the stream's entry service.
    pub admissions_avoided: u64,
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
    /// Mean number of delayed patients in the service's beds during the day: fit to move on,
    /// for any reason (waiting for a place, for funding, or being assessed in the bed).
    pub delayed: f64,
    /// Of those, mean number waiting for a place.
    pub delayed_awaiting_place: f64,
    /// Of those, mean number waiting for funding.
    pub delayed_awaiting_funding: f64,
    /// Of those, mean number being assessed in the bed (assess in hospital).
    pub delayed_awaiting_assessment: f64,
}
