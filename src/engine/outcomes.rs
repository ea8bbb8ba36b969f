//! Outcome measures of patient journeys: who is still at home 91 days after reablement, who
//! is readmitted within 30 days of leaving hospital, how many of the 90 days after it they
//! spend at home, and how long each patient spends delayed. See
//! [`OutcomeResult`](crate::OutcomeResult) for the definitions.

use super::service_state::{quantile_days, record_days, wait_histogram};
use crate::model::{CareSetting, Model, ServiceId, ServiceSetting};
use crate::results::OutcomeResult;
use hdrhistogram::Histogram;

/// Days a patient leaving reablement for home is followed.
pub(crate) const AT_HOME_DAYS: f64 = 91.0;
/// Days a discharge from hospital is followed for a readmission.
pub(crate) const READMISSION_DAYS: f64 = 30.0;
/// Days after a discharge from hospital in which days at home are counted.
pub(crate) const DAYS_AT_HOME_WINDOW: f64 = 90.0;
/// Bins of [`OutcomeResult::delayed_days_histogram`]: whole days 0–27, then 28 or more.
const DELAY_BINS: usize = 29;

/// What a follow-up follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Measure {
    /// Leaving a reablement service for home: still at home 91 days later?
    Reablement,
    /// Leaving a hospital bed: readmitted within 30 days, days at home in 90.
    Hospital,
}

/// One discharge followed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FollowUp {
    pub(crate) measure: Measure,
    /// The service left.
    pub(crate) service: ServiceId,
    /// When, days since the start.
    pub(crate) start: f64,
    /// The first readmission of the journey after `start` (NaN if none).
    pub(crate) readmitted: f64,
    /// The first care home admission of the journey after `start` (NaN if none).
    pub(crate) care_home: f64,
    /// Days away from home (in a place that is not at home) in `(start, start + 90]`.
    pub(crate) away_days: f64,
}

impl FollowUp {
    /// Whether the patient stayed at home (no readmission, no care home) for 91 days.
    pub(crate) fn still_at_home(&self) -> bool {
        let end = self.start + AT_HOME_DAYS;
        !(self.readmitted <= end || self.care_home <= end)
    }

    /// Whether the patient was readmitted within 30 days.
    pub(crate) fn readmitted_within_30(&self) -> bool {
        self.readmitted <= self.start + READMISSION_DAYS
    }

    /// Days at home in the 90 days after the discharge.
    pub(crate) fn days_at_home(&self) -> f64 {
        (DAYS_AT_HOME_WINDOW - self.away_days).max(0.0)
    }

    /// Whether the measure's whole follow-up ends by `horizon` (otherwise the discharge is
    /// censored, left out of numerator and denominator alike).
    pub(crate) fn followed(&self, days: f64, horizon: f64) -> bool {
        self.start + days <= horizon
    }
}

/// A patient journey: a patient from their arrival, with their readmissions.
#[derive(Debug, Default)]
struct Journey {
    /// Patients of the journey in the system, and readmissions scheduled.
    live: u32,
    /// Places the journey's patients hold away from home.
    away: u32,
    /// Since when `away` has been above 0.
    away_since: f64,
    follow_ups: Vec<FollowUp>,
}

/// The outcome measures being taken in one replication.
#[derive(Debug)]
pub(crate) struct Outcomes {
    settings: Vec<ServiceSetting>,
    journeys: Vec<Journey>,
    free: Vec<u32>,
    /// Follow-ups of journeys that have ended, and (at the end) of every journey.
    done: Vec<FollowUp>,
    /// Days delayed per patient who left in the window.
    delayed: Histogram<u64>,
    delayed_bins: [u64; DELAY_BINS],
    patients_left: u64,
    patients_delayed: u64,
    delayed_sum: f64,
    delayed_max: f64,
    /// With outcome contracts: when each patient left and their days delayed, for the
    /// delays per year.
    lefts: Option<Vec<(f64, f64)>>,
}

impl Outcomes {
    /// The measures of `model`, or `None` without `care_settings.csv`.
    pub(crate) fn new(model: &Model) -> Option<Self> {
        if model.care_settings.is_empty() {
            return None;
        }
        Some(Outcomes {
            settings: model.care_settings.clone(),
            journeys: Vec::new(),
            free: Vec::new(),
            done: Vec::new(),
            delayed: wait_histogram(model.settings().horizon_days),
            delayed_bins: [0; DELAY_BINS],
            patients_left: 0,
            patients_delayed: 0,
            delayed_sum: 0.0,
            delayed_max: 0.0,
            lefts: (!model.outcome_contracts().is_empty()).then(Vec::new),
        })
    }

    /// A new journey with one patient.
    pub(crate) fn start_journey(&mut self) -> u32 {
        let journey = Journey {
            live: 1,
            ..Journey::default()
        };
        match self.free.pop() {
            Some(j) => {
                self.journeys[j as usize] = journey;
                j
            }
            None => {
                self.journeys.push(journey);
                (self.journeys.len() - 1) as u32
            }
        }
    }

    /// A readmission of `journey` is scheduled: the journey goes on until it arrives.
    pub(crate) fn readmission_scheduled(&mut self, journey: u32) {
        self.journeys[journey as usize].live += 1;
    }

    /// A readmission of `journey` arrives at `now`.
    pub(crate) fn readmitted(&mut self, journey: u32, now: f64) {
        for f in &mut self.journeys[journey as usize].follow_ups {
            if now > f.start && f.readmitted.is_nan() {
                f.readmitted = now;
            }
        }
    }

    /// A patient of `journey` leaves the system (or a readmission of it is turned away): the
    /// journey ends with its last patient.
    pub(crate) fn end_live(&mut self, journey: u32) {
        let j = &mut self.journeys[journey as usize];
        j.live -= 1;
        if j.live == 0 {
            debug_assert_eq!(j.away, 0, "a journey with no patient holds no place");
            self.done.append(&mut j.follow_ups);
            self.free.push(journey);
        }
    }

    /// A patient of `journey` takes a place at `service` at `now`.
    pub(crate) fn enter(&mut self, journey: u32, service: ServiceId, now: f64) {
        let setting = self.settings[service.index()].setting;
        let j = &mut self.journeys[journey as usize];
        if setting.is_away() {
            if j.away == 0 {
                j.away_since = now;
            }
            j.away += 1;
        }
        if setting == CareSetting::CareHome {
            for f in &mut j.follow_ups {
                if now > f.start && f.care_home.is_nan() {
                    f.care_home = now;
                }
            }
        }
    }

    /// A patient of `journey` leaves their place at `service` at `now` for `next` (`None`:
    /// home, out of the system); in the window (`observing`), a discharge starts a follow-up.
    pub(crate) fn leave(
        &mut self,
        journey: u32,
        service: ServiceId,
        next: Option<ServiceId>,
        now: f64,
        observing: bool,
    ) {
        let here = self.settings[service.index()];
        let there = next.map(|s| self.settings[s.index()].setting);
        let j = &mut self.journeys[journey as usize];
        if here.setting.is_away() {
            j.away -= 1;
            if j.away == 0 {
                let since = j.away_since;
                for f in &mut j.follow_ups {
                    f.away_days += overlap(since, now, f.start);
                }
            }
        }
        if !observing || next == Some(service) {
            return;
        }
        let mut follow = |measure| {
            j.follow_ups.push(FollowUp {
                measure,
                service,
                start: now,
                readmitted: f64::NAN,
                care_home: f64::NAN,
                away_days: 0.0,
            });
        };
        if here.reablement && there.is_none_or(|s| s == CareSetting::Home) {
            follow(Measure::Reablement);
        }
        if here.setting == CareSetting::Hospital
            && !matches!(there, Some(CareSetting::Hospital | CareSetting::Emergency))
        {
            follow(Measure::Hospital);
        }
    }

    /// A patient leaves the system in the window after `days` delayed in beds since their
    /// arrival.
    pub(crate) fn patient_left(&mut self, days: f64, now: f64) {
        if let Some(lefts) = &mut self.lefts {
            lefts.push((now, days));
        }
        self.patients_left += 1;
        if days > 0.0 {
            self.patients_delayed += 1;
        }
        self.delayed_sum += days;
        self.delayed_max = self.delayed_max.max(days);
        record_days(&mut self.delayed, days);
        self.delayed_bins[(days as usize).min(DELAY_BINS - 1)] += 1;
    }

    /// The measures at the horizon `now`; every follow-up, and when each patient left with
    /// their days delayed (with outcome contracts), for the money settled on them.
    pub(crate) fn finish(mut self, now: f64) -> (OutcomeResult, Journeys) {
        for j in &mut self.journeys {
            for f in &mut j.follow_ups {
                if j.away > 0 {
                    f.away_days += overlap(j.away_since, now, f.start);
                }
            }
            self.done.append(&mut j.follow_ups);
        }
        let mut r = OutcomeResult {
            patients_left: self.patients_left,
            patients_delayed: self.patients_delayed,
            mean_delayed_days: ratio(self.delayed_sum, self.patients_left),
            p50_delayed_days: quantile_days(&self.delayed, 0.5),
            p90_delayed_days: quantile_days(&self.delayed, 0.9),
            p95_delayed_days: quantile_days(&self.delayed, 0.95),
            max_delayed_days: self.delayed_max,
            delayed_days_histogram: self.delayed_bins.to_vec(),
            ..OutcomeResult::default()
        };
        tally_follow_ups(&mut r, &self.done, now);
        let journeys = Journeys {
            follow_ups: self.done,
            lefts: self.lefts.unwrap_or_default(),
        };
        (r, journeys)
    }
}

/// What the money settled on outcomes needs of a replication's journeys.
#[derive(Debug, Default)]
pub(crate) struct Journeys {
    /// Every discharge followed.
    pub(crate) follow_ups: Vec<FollowUp>,
    /// When each patient left in the window, with their days delayed.
    pub(crate) lefts: Vec<(f64, f64)>,
}

/// Adds the measures of `follow_ups`, judged at the horizon `now`, to `r`.
pub(crate) fn tally_follow_ups<'f>(
    r: &mut OutcomeResult,
    follow_ups: impl IntoIterator<Item = &'f FollowUp>,
    now: f64,
) {
    let mut days_at_home = 0.0;
    for f in follow_ups {
        match f.measure {
            Measure::Reablement if f.followed(AT_HOME_DAYS, now) => {
                r.reablement_discharges += 1;
                r.still_at_home_91 += u64::from(f.still_at_home());
            }
            Measure::Reablement => r.reablement_censored += 1,
            Measure::Hospital => {
                if f.followed(READMISSION_DAYS, now) {
                    r.hospital_discharges_30 += 1;
                    r.readmitted_30 += u64::from(f.readmitted_within_30());
                }
                if f.followed(DAYS_AT_HOME_WINDOW, now) {
                    r.hospital_discharges_90 += 1;
                    days_at_home += f.days_at_home();
                }
            }
        }
    }
    r.still_at_home_91_share = ratio(r.still_at_home_91 as f64, r.reablement_discharges);
    r.readmitted_30_share = ratio(r.readmitted_30 as f64, r.hospital_discharges_30);
    r.mean_days_at_home_90 = ratio(days_at_home, r.hospital_discharges_90);
}

/// Days of `[from, to]` inside the 90 days after `start`, `(start, start + 90]`.
fn overlap(from: f64, to: f64, start: f64) -> f64 {
    (to.min(start + DAYS_AT_HOME_WINDOW) - from.max(start)).max(0.0)
}

pub(crate) fn ratio(x: f64, n: u64) -> f64 {
    if n > 0 { x / n as f64 } else { 0.0 }
}
