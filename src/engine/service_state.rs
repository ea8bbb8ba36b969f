//! The live state of one service during a run, and its online statistics.

use super::PatientId;
use crate::model::{QueueCapacity, Service};
use hdrhistogram::Histogram;
use std::collections::VecDeque;

/// Waits are held in whole seconds in a histogram with 3 significant digits: quantiles in
/// memory that does not grow with the number of patients.
const SECONDS_PER_DAY: f64 = 86_400.0;

/// A histogram of times in seconds, sized at once for times up to `days` (at most a year; a
/// run's horizon: longer times are rare) rather than grown value by value: each growth
/// reallocated and copied a block large enough to go back to the system, so that every
/// short replication paid its page faults again. It still grows for longer times. The range
/// allocated does not change the buckets (those follow from the 3 significant digits), so
/// neither counts nor quantiles change.
pub(crate) fn wait_histogram(days: f64) -> Histogram<u64> {
    // NaN and anything under an hour give an hour.
    let seconds = (days.min(366.0) * SECONDS_PER_DAY).max(3_600.0) as u64;
    let mut h = Histogram::new_with_max(seconds, 3)
        .expect("an hour to a year in seconds at 3 significant digits is a valid range");
    h.auto(true);
    h
}

pub(crate) fn record_days(h: &mut Histogram<u64>, days: f64) {
    // `record` grows the histogram as needed (`saturating_record` would clamp to its
    // initial, tiny range).
    // Waits are non-negative, so adding a half and truncating rounds (and inlines, unlike
    // `f64::round`).
    h.record((days * SECONDS_PER_DAY + 0.5) as u64)
        .expect("an auto-resizing histogram records any u64");
}

pub(crate) fn quantile_days(h: &Histogram<u64>, q: f64) -> f64 {
    if h.is_empty() {
        0.0
    } else {
        // The middle of the bucket holding the quantile: within 0.1% of the exact value.
        h.median_equivalent(h.value_at_quantile(q)) as f64 / SECONDS_PER_DAY
    }
}

/// Occupancy, queue and blocked list of one service, plus its statistics since the window
/// opened.
#[derive(Debug)]
pub(crate) struct ServiceState {
    /// Planned capacity: the base capacity, or the capacity calendar's.
    pub(crate) capacity: u32,
    /// Escalation places open now, on top of the planned capacity.
    pub(crate) escalated: u32,
    /// Whether capacity counts hours of care a week rather than places.
    hours: bool,
    /// Whether capacity counts visit slots a day: the visits booked today are `used`, set by
    /// the booking calendar ([`set_used`](Self::set_used)).
    pub(crate) visits: bool,
    /// Whether `used`, not occupancy, fills the capacity (hours or visits).
    by_use: bool,
    /// Hours a week in use (hour-counted services), or visits booked today (visit-counted).
    used: f64,
    pub(crate) occupancy: u32,
    pub(crate) queue_capacity: QueueCapacity,
    /// Whether patients moving on from another service may leave their bed for the queue.
    transfers_queue: bool,
    /// Whether arrivals from outside may join the queue.
    arrivals_queue: bool,
    /// Queued patients by priority level (one level for FIFO services).
    queue: Vec<VecDeque<PatientId>>,
    queue_len: u32,
    /// Patients holding a bed elsewhere who wait for this service, in order of blocking.
    pub(crate) blocked: VecDeque<PatientId>,
    /// Patients in this service's beds blocked waiting for a place elsewhere.
    pub(crate) delayed_here: u32,
    /// Medically fit patients being assessed in this service's beds.
    assessing: u32,
    /// Patients in this service's beds waiting for a local authority to fund their next care.
    pub(crate) awaiting_funding: u32,
    /// Waits longer than this (days) count as long waits.
    threshold: f64,
    /// Whether the current day's integrals are kept (for the daily series).
    daily: bool,
    /// The run's horizon, days: the longest wait expected, for sizing the histogram.
    horizon: f64,
    pub(crate) stats: ServiceStats,
}

/// Online statistics of one service: counters and time integrals since the window opened.
#[derive(Debug)]
pub(crate) struct ServiceStats {
    window_start: f64,
    last_change: f64,
    pub(crate) arrivals: u64,
    pub(crate) admissions: u64,
    pub(crate) departures: u64,
    pub(crate) diverted: u64,
    pub(crate) cancelled: u64,
    pub(crate) reneged: u64,
    pub(crate) readmissions: u64,
    /// Patients who began a delay here in the window, for any reason, once per stay.
    pub(crate) delayed_patients: u64,
    pub(crate) place_patients: u64,
    pub(crate) funding_patients: u64,
    assessment_patients: u64,
    long_waits: u64,
    occupancy_area: f64,
    capacity_area: f64,
    queue_area: f64,
    delayed_area: f64,
    assessment_area: f64,
    funding_area: f64,
    escalation_open_time: f64,
    escalation_bed_days: f64,
    used_area: f64,
    fit_to_leave_sum: f64,
    fit_patients: u64,
    full_time: f64,
    max_occupancy: u32,
    max_queue: u32,
    wait_sum: f64,
    pub(crate) waits: Histogram<u64>,
    /// Admissions that waited no time, kept out of `waits` until results are read.
    zero_waits: u64,
    stay_sum: f64,
    // The current day's integrals, for the daily series.
    day_occupancy: f64,
    day_queue: f64,
    day_delayed: f64,
    day_funding: f64,
    day_assessment: f64,
}

/// One day's integrals of a service's state: divided by the day's length, its means.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DayIntegrals {
    pub(crate) occupancy: f64,
    pub(crate) queue: f64,
    /// Patients blocked in the beds waiting for a place.
    pub(crate) awaiting_place: f64,
    pub(crate) awaiting_funding: f64,
    pub(crate) awaiting_assessment: f64,
}

impl DayIntegrals {
    /// The day's record: means over a day of `length` days.
    pub(crate) fn record(
        self,
        day: u32,
        service: crate::model::ServiceId,
        length: f64,
    ) -> crate::DailyRecord {
        let (place, funding, assessment) = (
            self.awaiting_place / length,
            self.awaiting_funding / length,
            self.awaiting_assessment / length,
        );
        crate::DailyRecord {
            day,
            service,
            occupancy: self.occupancy / length,
            queue: self.queue / length,
            delayed: place + funding + assessment,
            delayed_awaiting_place: place,
            delayed_awaiting_funding: funding,
            delayed_awaiting_assessment: assessment,
        }
    }
}

impl ServiceStats {
    /// Statistics from `start`, with waits of up to `days` expected.
    fn new(start: f64, occupancy: u32, queue: u32, days: f64) -> Self {
        ServiceStats {
            window_start: start,
            last_change: start,
            arrivals: 0,
            admissions: 0,
            departures: 0,
            diverted: 0,
            cancelled: 0,
            reneged: 0,
            readmissions: 0,
            delayed_patients: 0,
            place_patients: 0,
            funding_patients: 0,
            assessment_patients: 0,
            long_waits: 0,
            occupancy_area: 0.0,
            capacity_area: 0.0,
            queue_area: 0.0,
            delayed_area: 0.0,
            assessment_area: 0.0,
            funding_area: 0.0,
            escalation_open_time: 0.0,
            escalation_bed_days: 0.0,
            used_area: 0.0,
            fit_to_leave_sum: 0.0,
            fit_patients: 0,
            full_time: 0.0,
            max_occupancy: occupancy,
            max_queue: queue,
            wait_sum: 0.0,
            waits: wait_histogram(days),
            zero_waits: 0,
            stay_sum: 0.0,
            day_occupancy: 0.0,
            day_queue: 0.0,
            day_delayed: 0.0,
            day_funding: 0.0,
            day_assessment: 0.0,
        }
    }
}

impl ServiceState {
    pub(crate) fn new(
        service: &Service,
        levels: usize,
        threshold: f64,
        daily: bool,
        horizon: f64,
    ) -> Self {
        ServiceState {
            capacity: service.capacity,
            escalated: 0,
            hours: service.unit == crate::CapacityUnit::Hours,
            visits: service.unit == crate::CapacityUnit::Visits,
            by_use: service.unit != crate::CapacityUnit::Places,
            used: 0.0,
            occupancy: 0,
            queue_capacity: service.queue_capacity,
            transfers_queue: service.transfers_wait == crate::TransfersWait::WaitingList,
            arrivals_queue: service.when_full == crate::WhenFull::WaitingList,
            queue: vec![VecDeque::new(); levels],
            queue_len: 0,
            blocked: VecDeque::new(),
            delayed_here: 0,
            assessing: 0,
            awaiting_funding: 0,
            threshold,
            daily,
            stats: ServiceStats::new(0.0, 0, 0, horizon),
            horizon,
        }
    }

    /// Brings the time integrals up to `now`; call before every change of state.
    ///
    /// A level at zero adds exactly zero to its integral, so the levels that are mostly zero
    /// (queue and delays; assessments, funding waits and escalation) are skipped together
    /// while they are, as are the current day's integrals when no daily series is kept.
    #[inline]
    pub(crate) fn advance(&mut self, now: f64) {
        let s = &mut self.stats;
        let dt = now - s.last_change;
        if dt > 0.0 {
            let occ = f64::from(self.occupancy);
            let capacity = self.capacity + self.escalated;
            s.occupancy_area += occ * dt;
            s.capacity_area += f64::from(capacity) * dt;
            let full = if self.by_use {
                s.used_area += self.used * dt;
                self.used >= f64::from(capacity) - 1e-9
            } else {
                self.occupancy >= capacity
            };
            if full {
                s.full_time += dt;
            }
            let (queue, delayed) = (f64::from(self.queue_len), f64::from(self.delayed_here));
            if self.queue_len | self.delayed_here != 0 {
                s.queue_area += queue * dt;
                s.delayed_area += delayed * dt;
            }
            let (assessing, funding) =
                (f64::from(self.assessing), f64::from(self.awaiting_funding));
            if self.assessing | self.awaiting_funding | self.escalated != 0 {
                if self.escalated > 0 {
                    s.escalation_open_time += dt;
                    let above = self
                        .occupancy
                        .saturating_sub(self.capacity)
                        .min(self.escalated);
                    s.escalation_bed_days += f64::from(above) * dt;
                }
                s.assessment_area += assessing * dt;
                s.funding_area += funding * dt;
            }
            if self.daily {
                s.day_occupancy += occ * dt;
                s.day_queue += queue * dt;
                s.day_delayed += delayed * dt;
                s.day_funding += funding * dt;
                s.day_assessment += assessing * dt;
            }
            s.last_change = now;
        }
    }

    /// Restarts the statistics at `now`, keeping the state (end of warm-up).
    pub(crate) fn reset_stats(&mut self, now: f64) {
        let day = self.take_day(now);
        self.stats = ServiceStats::new(now, self.occupancy, self.queue_len, self.horizon);
        // The daily series spans the warm-up, so the current day's integrals carry on.
        let s = &mut self.stats;
        s.day_occupancy = day.occupancy;
        s.day_queue = day.queue;
        s.day_delayed = day.awaiting_place;
        s.day_funding = day.awaiting_funding;
        s.day_assessment = day.awaiting_assessment;
    }

    /// Returns the current day's integrals and starts a new day.
    pub(crate) fn take_day(&mut self, now: f64) -> DayIntegrals {
        self.advance(now);
        let s = &mut self.stats;
        let day = DayIntegrals {
            occupancy: s.day_occupancy,
            queue: s.day_queue,
            awaiting_place: s.day_delayed,
            awaiting_funding: s.day_funding,
            awaiting_assessment: s.day_assessment,
        };
        s.day_occupancy = 0.0;
        s.day_queue = 0.0;
        s.day_delayed = 0.0;
        s.day_funding = 0.0;
        s.day_assessment = 0.0;
        day
    }

    /// Whether a patient needing `need` (1 place, or hours a week) can be admitted now; at a
    /// service counted in visits, the booking calendar decides instead.
    #[inline]
    pub(crate) fn has_room(&self, need: f64) -> bool {
        if self.hours {
            self.used + need <= f64::from(self.capacity + self.escalated) + 1e-9
        } else {
            self.occupancy < self.capacity + self.escalated
        }
    }

    /// Sets the visits booked today (services counted in visits).
    pub(crate) fn set_used(&mut self, now: f64, visits: u64) {
        self.advance(now);
        self.used = visits as f64;
    }

    /// What occupies capacity: places, hours a week, or visits today.
    #[inline]
    pub(crate) fn load(&self) -> f64 {
        if self.by_use {
            self.used
        } else {
            f64::from(self.occupancy)
        }
    }

    /// The patient first in the queue, if any, without removing them.
    #[inline]
    pub(crate) fn peek_queue(&self) -> Option<PatientId> {
        if self.queue_len == 0 {
            return None;
        }
        self.queue.iter().find_map(|level| level.front().copied())
    }

    /// Planned capacity plus escalation places open.
    #[inline]
    pub(crate) fn effective_capacity(&self) -> u32 {
        self.capacity + self.escalated
    }

    /// Opens (`open`) or closes the escalation places.
    pub(crate) fn set_escalated(&mut self, now: f64, escalated: u32) {
        self.advance(now);
        self.escalated = escalated;
    }

    #[inline]
    fn queue_has_room(&self) -> bool {
        self.queue_capacity.has_room(self.queue_len as usize)
    }

    /// Whether a patient moving on from another service may leave their bed for the queue now.
    #[inline]
    pub(crate) fn queue_has_room_for_transfer(&self) -> bool {
        self.transfers_queue && self.queue_has_room()
    }

    /// Whether an arrival from outside finding no free place may join the queue now.
    #[inline]
    pub(crate) fn queue_has_room_for_arrival(&self) -> bool {
        self.arrivals_queue && self.queue_has_room()
    }

    /// Whether patients moving on from another service wait in their beds, served with the
    /// queue as one line.
    #[inline]
    pub(crate) fn transfers_wait_in_bed(&self) -> bool {
        !self.transfers_queue
    }

    #[inline]
    pub(crate) fn push_queue(&mut self, now: f64, patient: PatientId, level: usize) {
        self.advance(now);
        self.queue[level].push_back(patient);
        self.queue_len += 1;
        self.stats.max_queue = self.stats.max_queue.max(self.queue_len);
    }

    /// The next patient to admit from the queue: highest priority level, then first come.
    #[inline]
    pub(crate) fn pop_queue(&mut self, now: f64) -> Option<PatientId> {
        if self.queue_len == 0 {
            return None;
        }
        self.advance(now);
        let patient = self.queue.iter_mut().find_map(|level| level.pop_front());
        debug_assert!(patient.is_some(), "queue_len counts the patients queued");
        self.queue_len -= 1;
        patient
    }

    /// Takes `patient` out of queue level `level`, if they are in it: they gave up waiting.
    pub(crate) fn leave_queue(&mut self, now: f64, patient: PatientId, level: usize) -> bool {
        let Some(position) = self.queue[level].iter().position(|&p| p == patient) else {
            return false;
        };
        self.advance(now);
        self.queue[level].remove(position);
        self.queue_len -= 1;
        true
    }

    #[inline]
    pub(crate) fn admit(&mut self, now: f64, wait: f64, observing: bool, need: f64) {
        self.advance(now);
        self.occupancy += 1;
        if self.hours {
            self.used += need;
        }
        self.stats.max_occupancy = self.stats.max_occupancy.max(self.occupancy);
        if observing {
            self.stats.admissions += 1;
            if wait > self.threshold {
                self.stats.long_waits += 1;
            }
            self.stats.wait_sum += wait;
            // Most admissions wait no time at all: count those apart, cheaply.
            if wait == 0.0 {
                self.stats.zero_waits += 1;
            } else {
                record_days(&mut self.stats.waits, wait);
            }
        }
    }

    #[inline]
    pub(crate) fn discharge(&mut self, now: f64, stay: f64, observing: bool, held: f64) {
        self.advance(now);
        self.occupancy -= 1;
        if self.hours {
            // Exactly zero when the last package leaves, whatever the rounding on the way.
            self.used = if self.occupancy == 0 {
                0.0
            } else {
                self.used - held
            };
        }
        if observing {
            self.stats.departures += 1;
            self.stats.stay_sum += stay;
        }
    }

    #[inline]
    pub(crate) fn set_capacity(&mut self, now: f64, capacity: u32) {
        self.advance(now);
        self.capacity = capacity;
    }

    /// A medically fit patient starts their assessment in one of this service's beds.
    pub(crate) fn start_assessment(&mut self, now: f64, observing: bool) {
        self.advance(now);
        self.assessing += 1;
        if observing {
            self.stats.assessment_patients += 1;
        }
    }

    /// An in-bed assessment ends.
    pub(crate) fn end_assessment(&mut self, now: f64) {
        self.advance(now);
        self.assessing -= 1;
    }

    /// A patient who became medically fit here leaves, `days` after becoming fit.
    pub(crate) fn record_fit_to_leave(&mut self, days: f64) {
        self.stats.fit_patients += 1;
        self.stats.fit_to_leave_sum += days;
    }

    #[inline]
    pub(crate) fn set_delayed_here(&mut self, now: f64, delayed: u32) {
        self.advance(now);
        self.delayed_here = delayed;
    }

    /// Sets the number of patients in this service's beds waiting for funding.
    pub(crate) fn set_awaiting_funding(&mut self, now: f64, waiting: u32) {
        self.advance(now);
        self.awaiting_funding = waiting;
    }

    /// The integrals money is booked from, since the window opened, brought up to `now`:
    /// occupied place-days, hours-a-week × days of care in use, escalation bed-days, and
    /// capacity-days open (places, or hours a week, escalation included).
    pub(crate) fn money_areas(&mut self, now: f64) -> [f64; 4] {
        self.advance(now);
        let s = &self.stats;
        [
            s.occupancy_area,
            s.used_area,
            s.escalation_bed_days,
            s.capacity_area,
        ]
    }

    /// The statistics of the window so far, which must have been advanced to now, as a
    /// result; the run goes on.
    pub(crate) fn result(&self, service: crate::model::ServiceId) -> crate::ServiceResult {
        let mut waits = self.stats.waits.clone();
        waits
            .record_n(0, self.stats.zero_waits)
            .expect("an auto-resizing histogram records any u64");
        self.result_with(service, &waits)
    }

    /// [`result`](Self::result) at the end of the run: the zero waits join the histogram
    /// itself rather than a copy of it (a copy per service per replication showed in short
    /// replications' profiles).
    pub(crate) fn final_result(
        &mut self,
        service: crate::model::ServiceId,
    ) -> crate::ServiceResult {
        let zeros = std::mem::take(&mut self.stats.zero_waits);
        self.stats
            .waits
            .record_n(0, zeros)
            .expect("an auto-resizing histogram records any u64");
        self.result_with(service, &self.stats.waits)
    }

    /// The result of the window, with `waits` the histogram of every wait, zero ones too.
    fn result_with(
        &self,
        service: crate::model::ServiceId,
        waits: &Histogram<u64>,
    ) -> crate::ServiceResult {
        let s = &self.stats;
        let window = s.last_change - s.window_start;
        let per_time = |area: f64| if window > 0.0 { area / window } else { 0.0 };
        let mean_capacity = per_time(s.capacity_area);
        let mean_occupancy = per_time(s.occupancy_area);
        crate::ServiceResult {
            service,
            arrivals: s.arrivals,
            admissions: s.admissions,
            departures: s.departures,
            diverted: s.diverted,
            cancelled: s.cancelled,
            reneged: s.reneged,
            readmissions: s.readmissions,
            mean_occupancy,
            max_occupancy: s.max_occupancy,
            mean_capacity,
            share_time_full: per_time(s.full_time),
            mean_queue: per_time(s.queue_area),
            max_queue: s.max_queue,
            mean_wait: if s.admissions > 0 {
                s.wait_sum / s.admissions as f64
            } else {
                0.0
            },
            long_waits: s.long_waits,
            p50_wait: quantile_days(waits, 0.5),
            p95_wait: quantile_days(waits, 0.95),
            mean_length_of_stay: if s.departures > 0 {
                s.stay_sum / s.departures as f64
            } else {
                0.0
            },
            delayed_bed_days: s.delayed_area + s.funding_area + s.assessment_area,
            delayed_patients: s.delayed_patients,
            delayed_bed_days_awaiting_place: s.delayed_area,
            delayed_bed_days_awaiting_funding: s.funding_area,
            delayed_bed_days_awaiting_assessment: s.assessment_area,
            delayed_patients_awaiting_place: s.place_patients,
            delayed_patients_awaiting_funding: s.funding_patients,
            delayed_patients_awaiting_assessment: s.assessment_patients,
            escalation_days_open: s.escalation_open_time,
            escalation_bed_days: s.escalation_bed_days,
            fit_patients: s.fit_patients,
            mean_fit_to_leave: if s.fit_patients > 0 {
                s.fit_to_leave_sum / s.fit_patients as f64
            } else {
                0.0
            },
            mean_hours_used: if self.hours {
                per_time(s.used_area)
            } else {
                0.0
            },
            mean_visits_used: if self.visits {
                per_time(s.used_area)
            } else {
                0.0
            },
            utilisation: if mean_capacity > 0.0 {
                if self.by_use {
                    per_time(s.used_area) / mean_capacity
                } else {
                    mean_occupancy / mean_capacity
                }
            } else {
                0.0
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_cover_the_whole_range_to_three_significant_digits() {
        let mut h = wait_histogram(1.0);
        for i in 0..100 {
            record_days(&mut h, f64::from(i));
        }
        let p50 = quantile_days(&h, 0.5);
        assert!((p50 - 49.0).abs() <= 49.0 * 1e-3, "{p50}");
        let p95 = quantile_days(&h, 0.95);
        assert!((p95 - 94.0).abs() <= 94.0 * 1e-3, "{p95}");
        assert_eq!(quantile_days(&wait_histogram(365.0), 0.95), 0.0);
    }
}
