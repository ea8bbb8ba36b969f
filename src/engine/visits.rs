//! Services counted in visits: each package's visits on each of its days, booked into a
//! calendar of slots per day.
//!
//! Day `d` is the time interval `[d, d + 1)`. A package started at time `t` has its first day
//! on day `⌊t⌋` and its visits on the days after it; its stay ends `L` days after `t`. The
//! calendar holds, for each day from today on, the visits booked on it; days at or after the
//! horizon are never booked (nothing happens there), so a package of 10⁹ days costs no more
//! memory than the run's days.

use super::PatientId;
use crate::model::{Booking, ClassId, Model, ServiceId, visits_on_day};
use crate::rng::SimRng;
use std::collections::VecDeque;

/// One package: its rates, its length, and where it stands.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Package {
    /// Visits a day on its first day.
    pub(crate) initial: f64,
    /// Visits a day on its last day.
    pub(crate) last: f64,
    /// Its length, whole days.
    pub(crate) length: u64,
    /// The day of the package that its first booked day is (census patients part-way
    /// through theirs; 0 otherwise).
    pub(crate) offset: u64,
    /// The calendar day it is booked to start on, once booked.
    pub(crate) start: Option<u64>,
}

impl Package {
    /// Days of visits left to book.
    #[inline]
    fn days(&self) -> u64 {
        self.length.saturating_sub(self.offset)
    }

    /// Visits on the `j`-th day booked.
    #[inline]
    fn visits(&self, j: u64) -> u64 {
        u64::from(visits_on_day(
            self.initial,
            self.last,
            self.length,
            self.offset + j,
        ))
    }

    /// The most visits any of its days left needs: the rate is linear, so an end's.
    pub(crate) fn most_in_a_day(&self) -> u64 {
        match self.days() {
            0 => 0,
            n => self.visits(0).max(self.visits(n - 1)),
        }
    }

    /// Its mean rate, visits a day: what a care budget commits for it a day.
    pub(crate) fn mean_rate(&self) -> f64 {
        (self.initial + self.last) / 2.0
    }
}

/// Draws a package of `class` at `service` from the patient's generator: the initial rate,
/// the final rate, then the length (the stay distribution). Each draw is returned as drawn;
/// the caller checks them.
pub(crate) fn draw(
    model: &Model,
    rng: &mut SimRng,
    class: ClassId,
    service: ServiceId,
) -> (f64, f64, f64) {
    let rates = model
        .visit_rates(class, service)
        .expect("the loader checks every stay at a service counted in visits has its rates");
    let initial = rates.initial().sample(rng);
    let last = rates.last().sample(rng);
    let length = model
        .length_of_stay(class, service)
        .expect("the loader checks every reachable (class, service) has a stay")
        .sample(rng);
    (initial, last, length)
}

/// The booking calendars of the services counted in visits, and the package of each patient
/// seeking or holding a place at one.
#[derive(Debug)]
pub(crate) struct Visits {
    /// By service: `None` for services not counted in visits.
    pub(crate) books: Vec<Option<VisitBook>>,
    /// By patient slot: the package of the visit service the patient seeks or holds.
    packages: Vec<Package>,
    /// The package of a patient arriving from outside, drawn before they are inserted.
    pub(crate) arriving: Package,
}

impl Visits {
    /// The calendars of `model`'s services counted in visits; `None` when it has none.
    pub(crate) fn new(model: &Model) -> Option<Self> {
        let books: Vec<Option<VisitBook>> = (0..model.services().len())
            .map(|i| {
                let id = ServiceId(i as u32);
                (model.services()[i].unit() == crate::CapacityUnit::Visits)
                    .then(|| VisitBook::new(model, id))
            })
            .collect();
        books.iter().any(Option::is_some).then_some(Visits {
            books,
            packages: Vec::new(),
            arriving: Package::default(),
        })
    }

    /// The calendar of `service`, which counts visits.
    pub(crate) fn book(&self, service: ServiceId) -> &VisitBook {
        self.books[service.index()]
            .as_ref()
            .expect("only services counted in visits have a calendar")
    }

    /// The package of `patient`.
    pub(crate) fn package(&self, patient: PatientId) -> &Package {
        &self.packages[patient.index()]
    }

    /// Sets the package of `patient`.
    pub(crate) fn set_package(&mut self, patient: PatientId, package: Package) {
        if self.packages.len() <= patient.index() {
            self.packages
                .resize(patient.index() + 1, Package::default());
        }
        self.packages[patient.index()] = package;
    }

    /// Whether `patient`'s package, not booked ahead, can start at `service` on day `today`.
    pub(crate) fn fits_today(&self, patient: PatientId, service: ServiceId, today: u64) -> bool {
        let package = self.package(patient);
        package.start.is_none() && self.book(service).fits(package, today)
    }

    /// Books `patient`'s package at `service` from day `start`, as a start on that day when
    /// `starter`.
    pub(crate) fn book_package(
        &mut self,
        patient: PatientId,
        service: ServiceId,
        start: u64,
        starter: bool,
    ) {
        let book = self.books[service.index()]
            .as_mut()
            .expect("only services counted in visits have a calendar");
        let package = &mut self.packages[patient.index()];
        book.book(package, start, starter.then_some(patient));
    }

    /// Takes back `patient`'s booking ahead at `service`, if any.
    pub(crate) fn unbook(&mut self, patient: PatientId, service: ServiceId) {
        if let Some(book) = self.books[service.index()].as_mut()
            && let Some(package) = self.packages.get_mut(patient.index())
        {
            book.unbook(package, patient);
        }
    }
}

/// A census patient's package at a service counted in visits: its length `L` in days and the
/// day of it the patient is on today, from their remaining stay `R` drawn by the census's
/// rule. Under `ipacs_uniform`, `whole` is the stay `L` that rule drew (`R` uniform from 1 to
/// `L`): the patient is on day `⌊L − R⌋` (0 if negative). Given the days already spent `e`,
/// `L = e + R` (rounded: the stay is whole days) and the patient is on day `⌊e⌋`. Otherwise
/// (the census loader refuses this at services counted in visits) the package is taken to
/// start today, `⌈R⌉` days long.
pub(crate) fn census_days(remaining: f64, whole: f64, elapsed: Option<f64>) -> (u64, u64) {
    if !whole.is_nan() {
        return (whole as u64, (whole - remaining).max(0.0).floor() as u64);
    }
    match elapsed {
        Some(e) => ((e + remaining).round() as u64, e.floor() as u64),
        None => (remaining.ceil() as u64, 0),
    }
}

/// Visit slots a day of one service over the run.
#[derive(Debug)]
enum Slots {
    /// The same every day.
    Constant(u64),
    /// Day by day (from the capacity calendar), to the horizon.
    ByDay(Vec<u64>),
}

/// The booking calendar of one service counted in visits.
#[derive(Debug)]
pub(crate) struct VisitBook {
    pub(crate) booking: Booking,
    /// The calendar day of the first element of `used` and `starts`: today.
    first_day: u64,
    /// Visits booked on each day from `first_day` on (grown as bookings need).
    used: VecDeque<u64>,
    /// Under `whole_sequence`, the packages booked to start on each day, in booking order.
    starts: VecDeque<Vec<PatientId>>,
    slots: Slots,
    /// The first day at or after the horizon: never booked.
    end_day: u64,
    /// The most slots any day has.
    most: u64,
    /// Whether today's bookings have been started.
    started: bool,
}

impl VisitBook {
    /// The calendar of `service`: its slots on each day are the capacity in force at the
    /// day's start (capacity-calendar changes fall on whole days).
    pub(crate) fn new(model: &Model, service: ServiceId) -> Self {
        let spec = &model.services()[service.index()];
        let horizon = model.settings().horizon_days;
        let end_day = if horizon > 0.0 {
            horizon.ceil() as u64
        } else {
            0
        };
        let changes: Vec<_> = model
            .calendar()
            .iter()
            .filter(|c| c.service == service)
            .collect();
        let slots = if changes.is_empty() {
            Slots::Constant(u64::from(spec.capacity()))
        } else {
            let mut by_day = Vec::with_capacity(end_day as usize);
            let mut capacity = spec.capacity();
            let mut next = 0;
            for day in 0..end_day {
                while next < changes.len() && changes[next].time <= day as f64 {
                    capacity = changes[next].capacity;
                    next += 1;
                }
                by_day.push(u64::from(capacity));
            }
            Slots::ByDay(by_day)
        };
        let most = match &slots {
            Slots::Constant(c) => *c,
            Slots::ByDay(days) => days.iter().copied().max().unwrap_or(0),
        };
        VisitBook {
            booking: spec.booking(),
            first_day: 0,
            used: VecDeque::new(),
            starts: VecDeque::new(),
            slots,
            end_day,
            most,
            started: false,
        }
    }

    #[inline]
    fn slots(&self, day: u64) -> u64 {
        match &self.slots {
            Slots::Constant(c) => *c,
            Slots::ByDay(days) => days.get(day as usize).copied().unwrap_or(0),
        }
    }

    #[inline]
    fn used_on(&self, day: u64) -> u64 {
        self.used
            .get((day - self.first_day) as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Visits booked today.
    pub(crate) fn used_today(&self) -> u64 {
        self.used_on(self.first_day)
    }

    /// Visits booked on `day` (today or later).
    pub(crate) fn used_on_day(&self, day: u64) -> u64 {
        self.used_on(day)
    }

    /// Whether today's bookings have been started ([`new_day`](Self::new_day) ran today).
    pub(crate) fn started_today(&self) -> bool {
        self.started
    }

    /// Today's calendar day.
    pub(crate) fn today(&self) -> u64 {
        self.first_day
    }

    /// Whether `package`, started on day `start` (today or later), fits: its visits on each
    /// of its days before the horizon within the slots that day leaves.
    pub(crate) fn fits(&self, package: &Package, start: u64) -> bool {
        let n = package.days().min(self.end_day.saturating_sub(start));
        (0..n).all(|j| {
            let day = start + j;
            self.used_on(day) + package.visits(j) <= self.slots(day)
        })
    }

    /// The earliest day from `today` on which `package` fits, if one comes before the
    /// horizon.
    pub(crate) fn earliest_from(&self, package: &Package, today: u64) -> Option<u64> {
        if package.most_in_a_day() > self.most {
            return None;
        }
        (today.max(self.first_day)..self.end_day).find(|&day| self.fits(package, day))
    }

    /// Books `package` from day `start` (today or later); `starter`, when given, is recorded
    /// to start on that day.
    pub(crate) fn book(&mut self, package: &mut Package, start: u64, starter: Option<PatientId>) {
        package.start = Some(start);
        let n = package.days().min(self.end_day.saturating_sub(start));
        let last = (start + n).max(start + 1) - self.first_day;
        if self.used.len() < last as usize {
            self.used.resize(last as usize, 0);
        }
        for j in 0..n {
            self.used[(start + j - self.first_day) as usize] += package.visits(j);
        }
        if let Some(patient) = starter
            && start < self.end_day
        {
            let at = (start - self.first_day) as usize;
            if self.starts.len() <= at {
                self.starts.resize_with(at + 1, Vec::new);
            }
            self.starts[at].push(patient);
        }
    }

    /// Takes back the booking of `package`, not yet started, made for `patient`.
    pub(crate) fn unbook(&mut self, package: &mut Package, patient: PatientId) {
        let Some(start) = package.start.take() else {
            return;
        };
        let n = package.days().min(self.end_day.saturating_sub(start));
        for j in 0..n {
            let day = start + j;
            if day >= self.first_day {
                self.used[(day - self.first_day) as usize] -= package.visits(j);
            }
        }
        if let Some(list) = self.starts.get_mut((start - self.first_day) as usize) {
            list.retain(|&p| p != patient);
        }
    }

    /// Day `day` begins: earlier days are forgotten. Returns the packages booked to start
    /// today, in booking order.
    pub(crate) fn new_day(&mut self, day: u64) -> Vec<PatientId> {
        while self.first_day < day {
            self.used.pop_front();
            self.starts.pop_front();
            self.first_day += 1;
        }
        self.started = true;
        self.starts
            .front_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(slots: u64, end_day: u64) -> VisitBook {
        VisitBook {
            booking: Booking::WholeSequence,
            first_day: 0,
            used: VecDeque::new(),
            starts: VecDeque::new(),
            slots: Slots::Constant(slots),
            end_day,
            most: slots,
            started: false,
        }
    }

    fn package(initial: f64, last: f64, length: u64) -> Package {
        Package {
            initial,
            last,
            length,
            ..Package::default()
        }
    }

    #[test]
    fn packages_book_their_visits_day_by_day_and_later_smaller_ones_fill_gaps() {
        let mut b = book(4, 100);
        // 4, 2, 0 visits over days 0–2.
        let mut a = package(4.0, 0.0, 3);
        assert_eq!(b.earliest_from(&a, 0), Some(0));
        b.book(&mut a, 0, None);
        assert_eq!(
            (0..4).map(|d| b.used_on(d)).collect::<Vec<_>>(),
            [4, 2, 0, 0]
        );
        // 3 visits a day for 2 days: fits from day 2 only.
        let mut c = package(3.0, 3.0, 2);
        assert_eq!(b.earliest_from(&c, 0), Some(2));
        b.book(&mut c, 2, Some(PatientId::for_test(7)));
        // 2 visits for 1 day fits on day 1, before c.
        let d = package(2.0, 2.0, 1);
        assert_eq!(b.earliest_from(&d, 0), Some(1));
        assert_eq!(b.new_day(1), Vec::<PatientId>::new());
        assert_eq!(b.new_day(2), vec![PatientId::for_test(7)]);
        assert_eq!(b.used_today(), 3);
    }

    #[test]
    fn an_unbooked_package_frees_its_days_and_long_packages_stop_at_the_horizon() {
        let mut b = book(5, 10);
        let mut long = package(1.0, 1.0, 1_000_000_000);
        b.book(&mut long, 3, Some(PatientId::for_test(1)));
        assert_eq!(b.used.len(), 10);
        assert_eq!(b.used_on(9), 1);
        b.unbook(&mut long, PatientId::for_test(1));
        assert!(b.used.iter().all(|&u| u == 0));
        assert!(b.starts.iter().all(Vec::is_empty));
        // More visits in a day than any day has: never.
        assert_eq!(b.earliest_from(&package(6.0, 1.0, 3), 0), None);
        // Past the horizon nothing is booked: a start there is not within the run.
        let mut full = package(5.0, 5.0, 10);
        b.book(&mut full, 0, None);
        assert_eq!(b.earliest_from(&package(1.0, 1.0, 1), 0), None);
    }
}
