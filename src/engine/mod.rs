//! The engine: one replication of a model, single-threaded and deterministic.
//!
//! See [`run_replication`] for the rules the engine applies.

mod budget;
mod deadlock;
mod delayed_discharge;
mod event_queue;
mod fallback;
mod money;
mod outcome_money;
mod outcomes;
mod patient;
mod rules;
mod service_state;
mod visits;

use crate::event_log::{EventRecorder, NoRecorder, On, PatientEvent, PatientEventKind, Recording};
use crate::model::{
    CapacityUnit, ClassId, Destination, DischargeModel, Model, ServiceId, StreamId,
};
use crate::results::{
    DailyRecord, Deadlock, DelayReason, Draw, EntryResult, InvalidDraw, PackageNeverStarted,
    ReplicationResult, ServiceResult, StepUpResult, SystemResult,
};
use crate::rng::{self, Purpose, SimRng};
use crate::sampling;
use budget::{CareBudgets, FundingRequest};
use delayed_discharge::DelayLedger;
use event_queue::{Buckets, EventKind, EventQueue};
use fallback::FallbackState;
use hdrhistogram::Histogram;
use money::Books;
use outcomes::Outcomes;
pub(crate) use patient::PatientId;
use patient::{Interim, Patient, Patients, Phase};
use rand_core::RngCore;
use rules::{AllRules, CoreRules, RuleSet};
use service_state::ServiceState;
use visits::{Package, Visits};

/// Runs replication `replication` of `model`, seeded from the model's base seed and
/// `replication` only.
///
/// # How patients move
///
/// - An arrival from outside takes a free place at its entry service, or joins its queue
///   (waiting list) if the service's `when_full` is `waiting_list` and the queue has room, or
///   is diverted (turned away, lost to the system, counted).
/// - When a stay ends the patient draws their next destination. They move at once if it has a
///   free place; else, if its `transfers_wait` is `waiting_list` and its queue has room, they
///   leave their bed and join the queue; else they stay in their bed, *blocked* (a delayed
///   discharge), counted as delayed bed-days of the service holding them and attributed to the
///   service they await.
/// - When a place frees (a departure or a capacity rise) the service admits the next patient.
///   Under `transfers_wait` `waiting_list`: the next queued patient (highest priority level,
///   then first come); then, when its queue has room, the patient blocked longest elsewhere
///   moves into it (or straight into the place when the queue is empty). Under `in_bed`: the
///   queue and the patients blocked elsewhere are one line, and whichever of the queue's head
///   and the patient blocked longest comes first (priority level, then the earlier start of
///   their wait; the blocked patient on a tie) takes the place. Each move frees a bed upstream,
///   so releases cascade.
/// - A medically fit patient assessed in their bed (assess in hospital) is delayed too, for
///   the assessment (`delayed_bed_days_awaiting_assessment`): `delayed_bed_days` counts every
///   fit patient in a bed, whatever they wait for.
/// - A patient routed back to the service they are in starts a new stay in the same place.
/// - Capacity falls evict nobody: places close as patients leave.
/// - At a service counted in visits, a free place is a package whose visits fit the slots
///   of each of its days, booked `first_fit` or `whole_sequence` (booked ahead on joining the
///   line, starting on its day): see the scenario reference's `visit_rates.csv`.
/// - Where a local authority's care budget pays for a service (care it provides at a cost, or
///   buys under a spot contract), a patient wanting a place there first needs funding: the
///   package's daily cost to the end of the financial year must fit in what the budget has
///   left uncommitted, and nobody must be waiting for funding before them. Otherwise they wait
///   — in their bed (a delayed discharge, counted as `delayed_bed_days_awaiting_funding` of
///   the service holding them and in its `delayed_bed_days`) or,
///   arriving from outside, at home — until packages ending or a new financial year free the
///   money, then seek a place as above. Patients in place at the start, elective bookings
///   and new stays in the same place are funded without the check.
///
/// # Money
///
/// When the scenario has costs, funding or contracts, the result's
/// [`finance`](ReplicationResult::finance) ledger is booked from the same events: see
/// [`crate::ledger`] for what is booked when.
///
/// # Ordering guarantee
///
/// Events at equal times are processed in the order they were scheduled (see the event queue);
/// with a fixed seed every run of a model processes the same events in the same order.
///
/// # Randomness
///
/// Each arrival stream draws its inter-arrival times from its own generator, and each patient
/// draws their lengths of stay and routes, in the order of their own visits, from a generator
/// keyed by (replication, stream, arrival number): common random numbers across variants.
///
/// # Example
///
/// ```
/// use careflow::{Model, run_replication};
///
/// let model = Model::load("scenarios/erlang_b_ward")?;
/// let result = run_replication(&model, 0);
/// assert!(result.system.is_conserved());
/// # Ok::<(), careflow::Error>(())
/// ```
pub fn run_replication(model: &Model, replication: u64) -> ReplicationResult {
    Workspace::new().run(model, replication)
}

/// Memory one replication leaves for the next run on the same thread: the event calendar's
/// buckets, about a thousand small buffers that each replication would otherwise allocate
/// afresh (reusing them makes 365-day replications of a one-ward model about 6% faster).
///
/// Results do not depend on it: a replication run in a workspace that ran others before is
/// the replication [`run_replication`] gives. [`run_replications`](crate::run_replications)
/// and [`Experiment`](crate::Experiment) keep one per worker thread; keep one yourself when
/// you run replications one after another.
///
/// # Example
///
/// ```
/// use careflow::{Model, Workspace, run_replication};
///
/// let model = Model::load("scenarios/erlang_c_ward")?;
/// let mut workspace = Workspace::new();
/// let results: Vec<_> = (0..3).map(|r| workspace.run(&model, r)).collect();
/// assert_eq!(results[2].system.arrived, run_replication(&model, 2).system.arrived);
/// # Ok::<(), careflow::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Workspace {
    buckets: Buckets,
}

impl Workspace {
    /// An empty workspace: the first replication run in it allocates what the next reuse.
    pub fn new() -> Self {
        Workspace::default()
    }

    /// Runs replication `replication` of `model` as [`run_replication`] does, with this
    /// workspace's memory.
    pub fn run(&mut self, model: &Model, replication: u64) -> ReplicationResult {
        self.run_with(model, replication, NoRecorder)
    }

    fn run_with<R: Recording>(
        &mut self,
        model: &Model,
        replication: u64,
        recorder: R,
    ) -> ReplicationResult {
        let buckets = std::mem::take(&mut self.buckets);
        if rules::uses_optional_rules(model) {
            Replication::<_, AllRules>::new(model, replication, recorder, buckets)
                .run(&mut self.buckets)
        } else {
            Replication::<_, CoreRules>::new(model, replication, recorder, buckets)
                .run(&mut self.buckets)
        }
    }
}

/// Runs replication `replication` of `model` as [`run_replication`] does, handing each
/// patient's events to `recorder` as they happen (see [`crate::event_log`]). The result is
/// the same as [`run_replication`]'s: recording draws nothing and decides nothing.
pub fn run_replication_recorded<R: EventRecorder>(
    model: &Model,
    replication: u64,
    recorder: &mut R,
) -> ReplicationResult {
    Workspace::new().run_with(model, replication, On(recorder))
}

/// The per-stream state of arrivals.
#[derive(Debug)]
struct ArrivalState {
    rng: SimRng,
    /// Thinning envelope: the stream's highest rate, per day.
    max_rate: f64,
    /// Last candidate time drawn.
    clock: f64,
    /// Arrivals so far: keys the patient streams.
    count: u64,
    /// Key prefix of this stream's patients' generators.
    patient_key: rng::KeyPrefix,
    /// Arrivals in the window who entered the stream's step-up service instead of its entry.
    avoided: u64,
}

/// Arrival-to-leaving statistics of an entry service.
#[derive(Debug)]
struct EntryStats {
    patients: u64,
    over_threshold: u64,
    time_sum: f64,
    times: Histogram<u64>,
    /// Patients who left for another service (for an emergency department: admissions).
    onward: u64,
    onward_over_threshold: u64,
    onward_time_sum: f64,
    /// Counts by 15-minute bin of arrival-to-leaving time; the last bin is 24 hours or more.
    bins: [u64; ENTRY_BINS],
}

/// More events than this at one instant means a loop that takes no time: the run stops.
const MAX_EVENTS_AT_ONE_INSTANT: u64 = 10_000_000;

/// Bins of [`EntryResult::time_histogram`]: 96 quarter-hours, then one for a day or more.
const ENTRY_BINS: usize = 97;

impl EntryStats {
    /// Entry statistics of a run of `horizon` days.
    fn new(horizon: f64) -> Self {
        EntryStats {
            patients: 0,
            over_threshold: 0,
            time_sum: 0.0,
            times: service_state::wait_histogram(horizon),
            onward: 0,
            onward_over_threshold: 0,
            onward_time_sum: 0.0,
            bins: [0; ENTRY_BINS],
        }
    }
}

/// One replication in progress; `R` receives patients' events (or, [`NoRecorder`], not);
/// `S` says whether the optional rules are compiled in (see [`rules`]).
struct Replication<'m, R: Recording, S: RuleSet> {
    model: &'m Model,
    rules: std::marker::PhantomData<S>,
    replication: u64,
    horizon: f64,
    threshold_days: f64,
    now: f64,
    observing: bool,
    events: EventQueue,
    patients: Patients,
    services: Vec<ServiceState>,
    arrivals: Vec<ArrivalState>,
    /// Queue level of each class: rank of its priority among all classes.
    class_level: Vec<usize>,
    /// Entry statistics by service index; `None` for services nobody enters from outside.
    entries: Vec<Option<EntryStats>>,
    delays: DelayLedger,
    system: SystemResult,
    /// Services that may have room for someone waiting.
    to_fill: Vec<ServiceId>,
    daily: Option<Vec<DailyRecord>>,
    deadlocks: Vec<Deadlock>,
    /// When the run stopped because events no longer advanced time, if it did.
    stalled: Option<f64>,
    /// The first draw that was not a finite number of at least 0, if any: the run stops.
    invalid_draw: Option<InvalidDraw>,
    /// The first package at each service counted in hours that can never start.
    packages_never_started: Vec<PackageNeverStarted>,
    /// The most hours a week each service counted in hours can ever have (`None` for
    /// services counted in places).
    most_hours: Vec<Option<u64>>,
    /// Readmissions scheduled but not yet arrived: (class, service, generator seed, days
    /// after discharge, journey).
    pending_readmissions: Vec<(ClassId, ServiceId, u64, f64, u32)>,
    /// Free slots of `pending_readmissions`.
    free_readmissions: Vec<u32>,
    /// Patiences running: (patient, patience number, service waited for).
    pending_reneges: Vec<(PatientId, u64, ServiceId)>,
    /// Free slots of `pending_reneges`.
    free_reneges: Vec<u32>,
    /// Patiences started so far: numbers them.
    patiences: u64,
    /// Whether any class may give up waiting (`patience.csv`): if not, nothing is looked up.
    reneging: bool,
    /// Whether any patient may be readmitted (`readmissions.csv`): if not, nothing is looked
    /// up at departures.
    readmitting_any: bool,
    /// Bookings so far of each elective list: keys their patients' generators.
    elective_bookings: Vec<u64>,
    /// Seed of this replication.
    replication_seed: u64,
    /// Whether each service's escalation places have been called for and not yet opened.
    escalation_called: Vec<bool>,
    day: u32,
    processed: u64,
    /// Money booked, when the scenario books any.
    books: Option<Books<'m>>,
    /// Local authority care budgets, when any pays for care.
    budgets: Option<CareBudgets>,
    /// Fallback placements: the (preferred, fallback) pairs and who holds their places.
    fallbacks: FallbackState,
    /// Outcome measures of patient journeys, when the scenario has care settings.
    outcomes: Option<Outcomes>,
    /// The journey of the readmission arriving now (set while it arrives).
    readmitting: Option<u32>,
    /// Receives patients' events.
    recorder: R,
    /// While recording, by patient slot: the patient's number and the service whose place
    /// they last left (an admission's `from`).
    logged: Vec<(u64, Option<ServiceId>)>,
    /// While recording, patients numbered so far.
    numbered: u64,
    /// Booking calendars of the services counted in visits, and patients' packages (`None`
    /// when no service counts visits: nothing of it touches the other services).
    visits: Option<Visits>,
}

impl<R: Recording, S: RuleSet> std::fmt::Debug for Replication<'_, R, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replication")
            .field("replication", &self.replication)
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

impl<'m, R: Recording, S: RuleSet> Replication<'m, R, S> {
    /// A replication about to start, its event calendar made of `buckets` (see
    /// [`Workspace`]).
    fn new(model: &'m Model, replication: u64, recorder: R, buckets: Buckets) -> Self {
        let settings = model.settings();
        let seed = rng::replication_seed(settings.seed, replication);
        let mut priorities: Vec<u32> = model.classes().iter().map(|c| c.priority()).collect();
        priorities.sort_unstable();
        priorities.dedup();
        let class_level = model
            .classes()
            .iter()
            .map(|c| {
                priorities
                    .binary_search(&c.priority())
                    .expect("every class priority is in the list")
            })
            .collect();
        let services = model
            .services()
            .iter()
            .map(|s| {
                let levels = match s.discipline() {
                    crate::QueueDiscipline::Fifo => 1,
                    crate::QueueDiscipline::Priority => priorities.len().max(1),
                };
                ServiceState::new(
                    s,
                    levels,
                    settings.wait_threshold_hours / 24.0,
                    settings.daily_series,
                    settings.horizon_days,
                )
            })
            .collect();
        let arrivals = model
            .arrivals()
            .iter()
            .enumerate()
            .map(|(i, a)| ArrivalState {
                rng: rng::stream_rng(seed, Purpose::Arrivals, &[i as u64]),
                max_rate: a.rate_per_day()
                    * a.profile()
                        .map_or(1.0, |p| model.profile(p).max_multiplier()),
                clock: 0.0,
                count: 0,
                avoided: 0,
                patient_key: rng::KeyPrefix::new(rng::stream_key(
                    seed,
                    Purpose::Patient,
                    &[i as u64],
                )),
            })
            .collect();
        let mut entries: Vec<Option<EntryStats>> =
            (0..model.services().len()).map(|_| None).collect();
        for id in model.entry_services() {
            entries[id.index()] = Some(EntryStats::new(settings.horizon_days));
        }
        let engine = Replication {
            model,
            rules: std::marker::PhantomData,
            replication,
            horizon: settings.horizon_days,
            threshold_days: settings.wait_threshold_hours / 24.0,
            now: 0.0,
            observing: settings.warmup_days <= 0.0,
            events: EventQueue::new(1024, model.arrivals().len(), buckets),
            patients: Patients::default(),
            services,
            arrivals,
            class_level,
            entries,
            delays: DelayLedger::new(model.services().len()),
            system: SystemResult::default(),
            to_fill: Vec::new(),
            daily: settings.daily_series.then(Vec::new),
            deadlocks: Vec::new(),
            stalled: None,
            invalid_draw: None,
            packages_never_started: Vec::new(),
            most_hours: (0..model.services().len())
                .map(|i| {
                    let id = ServiceId(i as u32);
                    (model.services()[i].unit() != CapacityUnit::Places)
                        .then(|| model.most_capacity(id))
                })
                .collect(),
            elective_bookings: vec![0; model.electives().len()],
            pending_readmissions: Vec::new(),
            free_readmissions: Vec::new(),
            pending_reneges: Vec::new(),
            free_reneges: Vec::new(),
            patiences: 0,
            reneging: model.has_patience(),
            readmitting_any: model.readmissions.iter().flatten().any(Option::is_some),
            replication_seed: seed,
            escalation_called: vec![false; model.services().len()],
            day: 0,
            processed: 0,
            books: Books::new(model),
            budgets: CareBudgets::new(model),
            fallbacks: FallbackState::new(model),
            outcomes: Outcomes::new(model),
            readmitting: None,
            recorder,
            logged: Vec::new(),
            numbered: 0,
            visits: Visits::new(model),
        };
        // The core engine skips the optional rules' checks: it must only run where they
        // would all have come to nothing.
        assert!(
            S::ALL
                || (!rules::uses_optional_rules(model)
                    && engine.books.is_none()
                    && engine.budgets.is_none()
                    && engine.outcomes.is_none()
                    && engine.visits.is_none()
                    && !engine.fallbacks.any()
                    && !engine.reneging
                    && !engine.readmitting_any
                    && engine.most_hours.iter().all(Option::is_none)),
            "the core engine runs only models without optional rules"
        );
        engine
    }

    /// Numbers the next patient (while recording).
    #[inline(always)]
    fn number_patient(&mut self) -> u64 {
        if !R::ON {
            return 0;
        }
        self.numbered += 1;
        self.numbered - 1
    }

    /// Gives the patient in slot `patient` the number `number` (while recording).
    #[inline(always)]
    fn bind_number(&mut self, patient: PatientId, number: u64) {
        if !R::ON {
            return;
        }
        let slot = patient.index();
        if self.logged.len() <= slot {
            self.logged.resize(slot + 1, (0, None));
        }
        self.logged[slot] = (number, None);
    }

    /// Records an event of the patient numbered `number` (while recording).
    #[inline(always)]
    fn log_number(
        &mut self,
        number: u64,
        class: ClassId,
        kind: PatientEventKind,
        service: ServiceId,
        to: Option<Destination>,
    ) {
        if !R::ON {
            return;
        }
        self.recorder.record(&PatientEvent {
            patient: number,
            class,
            time: self.now,
            kind,
            service,
            from: None,
            to,
            since: None,
        });
    }

    /// Records an event of the patient in slot `patient` (while recording). A departure is
    /// remembered as the `from` of their next admission.
    #[inline(always)]
    fn log(
        &mut self,
        patient: PatientId,
        kind: PatientEventKind,
        service: ServiceId,
        to: Option<Destination>,
    ) {
        if !R::ON {
            return;
        }
        let (number, left) = &mut self.logged[patient.index()];
        let from = match kind {
            PatientEventKind::Admission => left.take(),
            PatientEventKind::Departure => {
                *left = Some(service);
                None
            }
            _ => None,
        };
        self.recorder.record(&PatientEvent {
            patient: *number,
            class: self.patients[patient].class,
            time: self.now,
            kind,
            service,
            from,
            to,
            since: None,
        });
    }

    /// Runs the replication; its calendar's buckets go back into `buckets` for the next.
    fn run(mut self, buckets: &mut Buckets) -> ReplicationResult {
        let settings = self.model.settings();
        if settings.warmup_days > 0.0 {
            self.events
                .schedule(settings.warmup_days, EventKind::WarmupEnd);
        }
        if self.daily.is_some() && self.horizon > 1.0 {
            self.events.schedule(1.0, EventKind::DayEnd);
        }
        for (i, change) in self.model.calendar().iter().enumerate() {
            if change.time <= 0.0 {
                // In force at the start: the census is placed, and its queue admitted, under
                // this capacity, not the base one.
                self.services[change.service.index()].set_capacity(0.0, change.capacity);
            } else if change.time < self.horizon {
                self.events
                    .schedule(change.time, EventKind::CapacityChange(i as u32));
            }
        }
        if self.books.is_some() || self.budgets.is_some() {
            let settings = self.model.settings();
            for year in crate::FinancialYear::between(settings.start_date, 0.0, self.horizon) {
                if year.start > 0.0 {
                    self.events.schedule(year.start, EventKind::FinancialYear);
                }
            }
        }
        if self.observing
            && let Some(books) = &mut self.books
        {
            books.open(&mut self.services, 0.0);
        }
        self.place_census();
        if self.visits.is_some() && self.horizon > 0.0 {
            // After the census: packages booked for day 0 start then.
            self.events.schedule(0.0, EventKind::VisitDay);
        }
        for i in 0..self.arrivals.len() {
            self.schedule_arrival(StreamId(i as u32));
        }
        let start_weekday =
            i64::from(chrono::Datelike::weekday(&settings.start_date).num_days_from_monday());
        for (i, list) in self.model.electives().iter().enumerate() {
            let first_day = (i64::from(list.weekday()) - start_weekday).rem_euclid(7) as f64;
            let time = first_day + list.hour() / 24.0;
            if time < self.horizon {
                self.events.schedule(time, EventKind::Electives(i as u32));
            }
        }
        if self.invalid_draw.is_some() {
            // A census patient's draw: nothing runs.
            self.horizon = 0.0;
        }
        let (mut instant, mut at_instant) = (f64::NEG_INFINITY, 0u64);
        while let Some(event) = self.events.pop_before(self.horizon) {
            // Backstop for loops that take no time (stays that round to nothing): stop, and
            // say so, rather than spin at one instant for ever.
            if event.time == instant {
                at_instant += 1;
                if at_instant > MAX_EVENTS_AT_ONE_INSTANT {
                    self.stalled = Some(event.time);
                    self.horizon = event.time;
                    break;
                }
            } else {
                (instant, at_instant) = (event.time, 0);
            }
            self.now = event.time;
            self.processed += 1;
            // Ends of stays and arrivals, nearly every event, tested first: two branches the
            // processor predicts better than one jump through the table of every kind.
            if let EventKind::EndOfStay(patient) = event.kind {
                self.end_of_stay(patient);
            } else if let EventKind::Arrival(stream) = event.kind {
                self.arrival(stream);
            } else {
                self.rare_event(event.kind);
            }
            if self.invalid_draw.is_some() {
                self.horizon = self.now;
                break;
            }
        }
        self.now = self.horizon;
        *buckets = self.events.take_buckets();
        self.finish()
    }

    /// Handles an event of a kind other than an end of stay or an arrival.
    fn rare_event(&mut self, kind: EventKind) {
        match kind {
            EventKind::Arrival(stream) => self.arrival(stream),
            EventKind::EndOfStay(patient) => self.end_of_stay(patient),
            EventKind::CapacityChange(i) => self.capacity_change(i),
            EventKind::DayEnd => self.day_end(),
            EventKind::WarmupEnd => self.warmup_end(),
            EventKind::EscalationOpen(service) => self.open_escalation(service),
            EventKind::Electives(list) => self.electives(list),
            EventKind::Rebook(patient) => self.try_elective(patient),
            EventKind::Readmission(slot) => self.readmission(slot),
            EventKind::Renege(slot) => self.renege(slot),
            EventKind::FinancialYear => self.financial_year(),
            EventKind::VisitDay => self.visit_day(),
            EventKind::VisitStarts(service) => {
                self.start_booked(service);
                self.fill();
            }
        }
    }

    /// Draws the stream's next arrival by thinning and schedules it if before the horizon.
    #[inline(always)]
    fn schedule_arrival(&mut self, stream: StreamId) {
        let spec = &self.model.arrivals()[stream.index()];
        let profile = spec.profile().map(|p| self.model.profile(p));
        let state = &mut self.arrivals[stream.index()];
        if state.max_rate <= 0.0 {
            return;
        }
        loop {
            let gap = sampling::standard_exponential(&mut state.rng);
            state.clock += gap / state.max_rate;
            if state.clock >= self.horizon {
                return;
            }
            let accept = match profile {
                None => true,
                Some(p) => {
                    let rate = spec.rate_per_day() * p.multiplier(state.clock);
                    sampling::uniform01(&mut state.rng) * state.max_rate < rate
                }
            };
            if accept {
                self.events.schedule_arrival(state.clock, stream);
                return;
            }
        }
    }

    #[inline(always)]
    fn arrival(&mut self, stream: StreamId) {
        let spec = &self.model.arrivals()[stream.index()];
        let (class, service) = (spec.class(), spec.service());
        let state = &mut self.arrivals[stream.index()];
        let number = state.count;
        let state_key = state.patient_key;
        state.count += 1;
        self.schedule_arrival(stream);
        // Admission avoidance: the step-up service when it has a free place (a place needs
        // nothing drawn), else the stream's own entry.
        let service = match self.model.step_up(stream) {
            Some(step_up) if self.services[step_up.index()].has_room(1.0) => {
                if self.observing {
                    self.arrivals[stream.index()].avoided += 1;
                }
                step_up
            }
            _ => service,
        };

        self.arrive(
            rng::seeded(state_key.extend(number)),
            class,
            service,
            f64::NAN,
        );
    }

    /// A patient arrives from outside at `service`: takes a free place, joins the queue, or
    /// is diverted — after waiting at home for funding if a care budget pays for it.
    /// `readmitted_after` is, for a readmission, the days since the previous discharge (else
    /// NaN).
    #[inline(always)]
    fn arrive(
        &mut self,
        mut rng: SimRng,
        class: ClassId,
        service: ServiceId,
        readmitted_after: f64,
    ) {
        let readmission = !readmitted_after.is_nan();
        let number = self.number_patient();
        if R::ON {
            self.log_number(number, class, PatientEventKind::Arrival, service, None);
        }
        // At a service counted in visits the package is drawn now and kept aside until the
        // patient has a slot (nothing is carried on the path of the other services).
        let visits = S::ALL && self.visits.is_some() && self.services[service.index()].visits;
        // The draws before the patient has a slot use a copy of the generator, written back:
        // the generator itself is never borrowed, so it can stay in registers until it is
        // stored in the slot (borrowed, it would sit on the stack and be copied from there in
        // pieces of other sizes than it was written in, which stalls the processor).
        let need = if visits {
            let mut draws = rng.clone();
            let need = self.draw_arriving_package(&mut draws, class, service);
            rng = draws;
            need
        } else {
            let need = arrival_need(self.model, &mut rng, class, service);
            checked(
                &mut self.invalid_draw,
                self.now,
                need,
                service,
                Draw::PackageHours,
            )
        };
        if self.observing {
            self.system.arrived += 1;
            let stats = &mut self.services[service.index()].stats;
            stats.arrivals += 1;
            if readmission {
                self.system.readmissions += 1;
                stats.readmissions += 1;
            }
        }
        let mut approved = 0.0;
        if S::ALL
            && let Some(budgets) = &mut self.budgets
            && let Some((budget, rate)) = budgets.cost(service, need)
        {
            if !budgets.approve(budget, rate, self.now) {
                let patient =
                    self.insert_arrival(rng, class, service, need, readmitted_after, number);
                if visits {
                    self.keep_arriving_package(patient);
                }
                self.budgets.as_mut().expect("checked above").wait(
                    budget,
                    FundingRequest {
                        patient,
                        service,
                        held_at: None,
                        rate,
                    },
                );
                return;
            }
            approved = rate;
        }
        let s = &self.services[service.index()];
        let has_place = if visits {
            self.arriving_package_fits(service)
        } else {
            s.has_room(need)
        };
        if S::ALL
            && !has_place
            && let Some(pair) = self.fallbacks.with_room(service, &self.services, need)
        {
            let patient = self.insert_arrival(rng, class, service, need, readmitted_after, number);
            self.patients[patient].approved = approved;
            self.admit_fallback(patient, pair);
            return;
        }
        let queue_room = s.queue_has_room_for_arrival();
        if !has_place && !queue_room {
            if approved > 0.0 {
                self.release_funding(service, approved);
            }
            if self.observing {
                self.system.diverted += 1;
                self.services[service.index()].stats.diverted += 1;
            }
            if R::ON {
                self.log_number(number, class, PatientEventKind::Diverted, service, None);
            }
            return;
        }
        let patient = self.insert_arrival(rng, class, service, need, readmitted_after, number);
        if visits {
            self.keep_arriving_package(patient);
        }
        self.patients[patient].approved = approved;
        if has_place {
            self.admit(patient, service);
        } else {
            self.enqueue(patient, service);
        }
    }

    /// A new patient from outside, arriving now at `service`.
    #[inline(always)]
    fn insert_arrival(
        &mut self,
        rng: SimRng,
        class: ClassId,
        service: ServiceId,
        need: f64,
        readmitted_after: f64,
        number: u64,
    ) -> PatientId {
        let journey = self.begin_journey();
        let patient = self.patients.insert(Patient {
            need,
            readmitted_after,
            ..Patient::new(rng, class, journey, Some(service), self.now)
        });
        if R::ON {
            self.bind_number(patient, number);
        }
        patient
    }

    /// The journey of a patient about to arrive: the readmission's, or a new one (0 when no
    /// outcome measures are taken).
    fn begin_journey(&mut self) -> u32 {
        match (&mut self.outcomes, self.readmitting) {
            (Some(_), Some(journey)) => journey,
            (Some(outcomes), None) => outcomes.start_journey(),
            (None, _) => 0,
        }
    }

    /// `patient` leaves the system (home, giving up, or turned away after arriving).
    #[inline(always)]
    fn remove_patient(&mut self, patient: PatientId) {
        if S::ALL
            && let Some(outcomes) = &mut self.outcomes
        {
            let p = &self.patients[patient];
            if self.observing {
                outcomes.patient_left(p.delayed_days, self.now);
            }
            outcomes.end_live(p.journey);
        }
        self.patients.remove(patient);
    }

    /// Frees a care budget's commitment of `rate` a day for a package at `service`.
    fn release_funding(&mut self, service: ServiceId, rate: f64) {
        let budgets = self
            .budgets
            .as_mut()
            .expect("only care budgets commit funding");
        let budget = budgets
            .budget_of(service)
            .expect("funding is committed only at services a budget pays for");
        budgets.release(budget, rate, self.now);
    }

    /// Sets and returns what `patient` needs at `service`.
    #[inline]
    fn need_at(&mut self, patient: PatientId, service: ServiceId) -> f64 {
        if S::ALL && self.services[service.index()].visits {
            return self.draw_visits_at(patient, service);
        }

        let model = self.model;
        let p = &mut self.patients[patient];
        let drawn = need(model, &mut p.rng, p.class, service);
        p.need = checked(
            &mut self.invalid_draw,
            self.now,
            drawn,
            service,
            Draw::PackageHours,
        );
        p.need
    }

    /// A readmission arrives as a new spell.
    fn readmission(&mut self, slot: u32) {
        let (class, to, seed, after, journey) = self.pending_readmissions[slot as usize];
        self.free_readmissions.push(slot);
        if S::ALL
            && let Some(outcomes) = &mut self.outcomes
        {
            outcomes.readmitted(journey, self.now);
            self.readmitting = Some(journey);
        }
        let before = self.patients.len();
        self.arrive(rng::seeded(seed), class, to, after);
        if let (Some(outcomes), Some(journey)) = (&mut self.outcomes, self.readmitting.take())
            && self.patients.len() == before
        {
            // Turned away: the journey's scheduled return came to nothing.
            outcomes.end_live(journey);
        }
    }

    /// Whether a patient leaving `service` will be readmitted, and if so schedules it.
    fn maybe_readmit(&mut self, patient: PatientId, service: ServiceId, pathway: Option<u8>) {
        if !S::ALL || !self.readmitting_any {
            return;
        }
        let p = &mut self.patients[patient];
        let pathway = pathway.map(usize::from);
        let rule = self
            .model
            .readmission(p.class, service, pathway)
            .or_else(|| pathway.and_then(|_| self.model.readmission(p.class, service, None)));
        let Some(rule) = rule else {
            return;
        };
        if sampling::uniform01(&mut p.rng) >= rule.probability() {
            return;
        }
        // Uniform on (0, within]: 1 − U is in (0, 1].
        let delay = rule.within() * (1.0 - sampling::uniform01(&mut p.rng));
        let seed = p.rng.next_u64();
        let entry = (p.class, rule.to(), seed, delay, p.journey);
        if S::ALL
            && let Some(outcomes) = &mut self.outcomes
        {
            outcomes.readmission_scheduled(p.journey);
        }
        let slot = match self.free_readmissions.pop() {
            Some(slot) => {
                self.pending_readmissions[slot as usize] = entry;
                slot
            }
            None => {
                self.pending_readmissions.push(entry);
                (self.pending_readmissions.len() - 1) as u32
            }
        };
        self.events
            .schedule(self.now + delay, EventKind::Readmission(slot));
    }

    #[inline(always)]
    fn end_of_stay(&mut self, patient: PatientId) {
        let now = self.now;
        let p = &mut self.patients[patient];
        let here = p.location.expect("a patient whose stay ends holds a place");
        // In a fallback's place, the patient is cared for, and leaves, as at the service
        // they wanted.
        let care = self.fallbacks.care_service::<S>(p.fallback, here);
        let destination = match p.phase {
            Phase::Stay => match S::ALL
                .then(|| self.model.discharge_rule(p.class, care))
                .flatten()
            {
                None => self.model.routing(p.class, care).sample(&mut p.rng),
                Some(rule) => {
                    // Medically fit: no criteria to reside from now on.
                    p.fit_at = now;
                    if R::ON {
                        self.log(patient, PatientEventKind::Fit, here, None);
                    }
                    let p = &mut self.patients[patient];
                    let predicted = rule.draw_predicted(&mut p.rng);
                    p.pathway = Some(predicted as u8);
                    let pathway = rule.pathway(predicted);
                    match (rule.model(), pathway.interim) {
                        (DischargeModel::AssessInHospital, _) => {
                            p.phase = Phase::Assessment(predicted as u8);
                            let assessment = checked(
                                &mut self.invalid_draw,
                                now,
                                rule.assessment().sample(&mut p.rng),
                                here,
                                Draw::Assessment,
                            );
                            self.services[here.index()].start_assessment(now, self.observing);
                            self.start_delay(patient, here);
                            self.events
                                .schedule(now + assessment, EventKind::EndOfStay(patient));
                            return;
                        }
                        (DischargeModel::DischargeToAssess, Some(interim)) => {
                            p.d2a = Some(Interim {
                                rule_at: care,
                                interim,
                                predicted: predicted as u8,
                            });
                            Destination::Service(interim)
                        }
                        (DischargeModel::DischargeToAssess, None) => pathway.destination,
                    }
                }
            },
            Phase::Assessment(predicted) => {
                self.services[here.index()].end_assessment(now);
                self.model
                    .discharge_rule(p.class, care)
                    .expect("a patient assessed in hospital is at a service with a rule")
                    .pathway(usize::from(predicted))
                    .destination
            }
            Phase::InterimAssessment => {
                let d2a = p
                    .d2a
                    .take()
                    .expect("a patient assessed in interim care came by discharge to assess");
                let rule = self
                    .model
                    .discharge_rule(p.class, d2a.rule_at)
                    .expect("discharge to assess starts at a service with a rule");
                let actual = rule.draw_actual(usize::from(d2a.predicted), &mut p.rng);
                rule.pathway(actual).destination
            }
        };
        self.transfer(patient, here, destination);
        self.fill();
    }

    /// Moves a patient whose stay at `here` is over towards `destination`: out of the system,
    /// into a free place, into the queue, or, failing both, blocked in their bed.
    // Always inlined: the end of a stay is the hot path, and the (rare) give-up calls it too.
    #[inline(always)]
    fn transfer(&mut self, patient: PatientId, here: ServiceId, destination: Destination) {
        match destination {
            Destination::Exit => {
                if R::ON {
                    let to = Some(destination);
                    self.log(patient, PatientEventKind::Departure, here, to);
                    self.log(patient, PatientEventKind::Exit, here, None);
                }
                self.leave_place(patient, here, false, None);
                self.remove_patient(patient);
                if self.observing {
                    self.system.left += 1;
                }
            }
            // At a service counted in visits, another package is a new referral (below).
            Destination::Service(next)
                if next == here && !(S::ALL && self.services[here.index()].visits) =>
            {
                // A new stay in the same place: counted as a departure and an admission.
                if self.observing {
                    self.services[here.index()].stats.arrivals += 1;
                }
                if R::ON {
                    self.log(
                        patient,
                        PatientEventKind::Departure,
                        here,
                        Some(destination),
                    );
                }
                self.leave_place(patient, here, false, Some(here));
                self.patients[patient].wait_start = self.now;
                self.admit(patient, here);
            }
            Destination::Service(next) => {
                self.patients[patient].wait_start = self.now;
                let need = self.need_at(patient, next);
                if self.observing {
                    self.services[next.index()].stats.arrivals += 1;
                }
                if S::ALL
                    && let Some(budgets) = &mut self.budgets
                    && let Some((budget, rate)) = budgets.cost(next, need)
                {
                    if !budgets.approve(budget, rate, self.now) {
                        // Awaiting funding, in their bed.
                        budgets.wait(
                            budget,
                            FundingRequest {
                                patient,
                                service: next,
                                held_at: Some(here),
                                rate,
                            },
                        );
                        let held = &mut self.services[here.index()];
                        held.set_awaiting_funding(self.now, held.awaiting_funding + 1);
                        if self.observing {
                            held.stats.funding_patients += 1;
                        }
                        self.delays.block(
                            here,
                            next,
                            DelayReason::Funding,
                            self.now,
                            self.observing,
                        );
                        self.start_delay(patient, here);
                        return;
                    }
                    self.patients[patient].approved = rate;
                }
                self.seek_place(patient, here, next);
            }
        }
    }

    /// A patient in a place at `here` who may move on to `next` takes a free place there, or
    /// leaves their bed for its queue, or, failing both, stays blocked in their bed.
    fn seek_place(&mut self, patient: PatientId, here: ServiceId, next: ServiceId) {
        let need = self.patients[patient].need;
        let into_place = if S::ALL && self.services[next.index()].visits {
            self.newcomer_fits(patient, next)
        } else {
            self.services[next.index()].has_room(need)
        };
        if S::ALL
            && !into_place
            && let Some(pair) = self.fallbacks.with_room(next, &self.services, need)
        {
            if let Some(books) = &mut self.books {
                books.delay(here, next, self.patients[patient].wait_start, self.now);
            }
            let fallback = self.fallbacks.pair(pair).1;
            let to = Some(Destination::Service(next));
            if R::ON {
                self.log(patient, PatientEventKind::Departure, here, to);
            }
            self.leave_place(patient, here, true, Some(fallback));
            self.admit_fallback(patient, pair);
            return;
        }
        let s = &mut self.services[next.index()];
        if into_place || s.queue_has_room_for_transfer() {
            if S::ALL
                && let Some(books) = &mut self.books
            {
                books.delay(here, next, self.patients[patient].wait_start, self.now);
            }
            let to = Some(Destination::Service(next));
            if R::ON {
                self.log(patient, PatientEventKind::Departure, here, to);
            }
            self.leave_place(patient, here, true, Some(next));
            if into_place {
                self.admit(patient, next);
            } else {
                self.enqueue(patient, next);
            }
        } else {
            self.check_package_fits(patient, next);
            self.book_ahead(patient, next);
            let s = &mut self.services[next.index()];
            s.blocked.push_back(patient);
            self.start_patience(patient, next);
            let held = &mut self.services[here.index()];
            held.set_delayed_here(self.now, held.delayed_here + 1);
            if self.observing {
                held.stats.place_patients += 1;
            }
            self.start_delay(patient, here);
            self.delays
                .block(here, next, DelayReason::Place, self.now, self.observing);
            let (services, patients) = (&self.services, &self.patients);
            let full = |i: usize| {
                let s = &services[i];
                if self.most_hours[i].is_none() {
                    return s.occupancy >= s.effective_capacity();
                }
                // Hours or visits: the head of the queue does not fit, nor, with nobody
                // queued, the first patient waiting in a bed elsewhere (who cannot pass a
                // queue).
                let first = s.peek_queue().or_else(|| s.blocked.front().copied());
                first.is_none_or(|p| {
                    if s.visits {
                        !self.package_fits_today(p, ServiceId(i as u32))
                    } else {
                        !s.has_room(patients[p].need)
                    }
                })
            };
            if let Some(services) = deadlock::find(here, &self.services, &self.delays, full)
                && !self.deadlocks.iter().any(|d| d.services == services)
            {
                self.deadlocks.push(Deadlock {
                    time: self.now,
                    services,
                });
            }
        }
    }

    /// `patient`, fit to move on from their place at `here`, starts a delay: counted once per
    /// stay among the service's delayed patients.
    fn start_delay(&mut self, patient: PatientId, here: ServiceId) {
        let p = &mut self.patients[patient];
        if p.delayed_since.is_nan() {
            p.delayed_since = self.now;
        }
        if self.observing && !p.delay_counted {
            p.delay_counted = true;
            self.services[here.index()].stats.delayed_patients += 1;
        }
    }

    /// Patients whose care a budget can now fund move on: from their bed, or from home.
    fn fund_waiting(&mut self) {
        while let Some(request) = self.budgets.as_mut().and_then(|b| b.next_funded(self.now)) {
            let patient = request.patient;
            self.patients[patient].approved = request.rate;
            if let Some(here) = request.held_at {
                let held = &mut self.services[here.index()];
                held.set_awaiting_funding(self.now, held.awaiting_funding - 1);
                self.delays
                    .release(here, request.service, DelayReason::Funding, self.now);
                self.seek_place(patient, here, request.service);
                continue;
            }
            self.seek_place_from_home(patient, request.service);
        }
    }

    /// A funded patient holding no place seeks one at `service` as an arrival from outside
    /// does: a free place, else its queue, else diverted (their funding released).
    fn seek_place_from_home(&mut self, patient: PatientId, service: ServiceId) {
        let s = &self.services[service.index()];
        if self.newcomer_room(patient, service) {
            self.admit(patient, service);
        } else if s.queue_has_room_for_arrival() {
            self.enqueue(patient, service);
        } else {
            if self.observing {
                self.system.diverted += 1;
                self.services[service.index()].stats.diverted += 1;
            }
            let approved = std::mem::take(&mut self.patients[patient].approved);
            if approved > 0.0 {
                self.release_funding(service, approved);
            }
            if R::ON {
                self.log(patient, PatientEventKind::Diverted, service, None);
            }
            self.remove_patient(patient);
        }
    }

    /// Puts the census's patients in their places and queues at time 0, each in a place with
    /// a remaining stay drawn by its entry's [`ResidualRule`](crate::ResidualRule), then
    /// admits queued patients to the places free, and moves patients listed as awaiting a
    /// service towards it.
    fn place_census(&mut self) {
        for (i, entry) in self.model.census().iter().enumerate() {
            let (service, class) = (entry.service(), entry.class());
            let key = rng::stream_key(self.replication_seed, Purpose::Census, &[i as u64]);
            let total = u64::from(entry.occupied()) + u64::from(entry.queued());
            let los = self
                .model
                .length_of_stay(class, service)
                .expect("the loader checks a census class has a stay at its service");
            let after = entry.elapsed_days().map(|elapsed| {
                los.remaining_after(elapsed)
                    .expect("the loader checks a stay can exceed a census row's elapsed days")
            });
            for k in 0..total {
                let mut rng = rng::seeded(rng::extend_key(key, k));
                let stay = (k < u64::from(entry.occupied())).then(|| {
                    let (stay, whole) = match (entry.residual_rule(), &after) {
                        (crate::ResidualRule::IpacsUniform, _) => {
                            let (whole, stay) = los.sample_stay_and_remaining_uniform(&mut rng);
                            (stay, whole)
                        }
                        (crate::ResidualRule::Conditional, Some(after)) => {
                            (after.sample(&mut rng), f64::NAN)
                        }
                        (crate::ResidualRule::Conditional, None) => {
                            (los.sample_residual(&mut rng), f64::NAN)
                        }
                    };
                    let stay = checked(
                        &mut self.invalid_draw,
                        0.0,
                        stay,
                        service,
                        Draw::RemainingStay,
                    );
                    (stay, visits::census_days(stay, whole, entry.elapsed_days()))
                });
                let since = stay.and(entry.elapsed_days());
                let patient = self.place_census_patient(rng, class, service, stay, since);
                if let Some((stay, _)) = stay {
                    self.events.schedule(stay, EventKind::EndOfStay(patient));
                }
            }
            self.check_escalation(service);
            self.to_fill.push(service);
        }
        // Today's patients one by one: a key per list, a part per patient.
        let key = rng::stream_key(self.replication_seed, Purpose::CensusList, &[]);
        let mut awaiting = Vec::new();
        for (i, listed) in self.model.census_patients().iter().enumerate() {
            let (service, class) = (listed.service(), listed.class());
            let mut rng = rng::seeded(rng::extend_key(key, 2 * i as u64));
            let (stay, days) = if listed.fit() {
                // The stay is over: what follows it starts now.
                (0.0, (0, 0))
            } else {
                let los = self
                    .model
                    .length_of_stay(class, service)
                    .expect("the loader checks a census class has a stay at its service");
                let (stay, whole) = match (listed.residual_rule(), listed.elapsed_days()) {
                    (crate::ResidualRule::IpacsUniform, _) => {
                        let (whole, stay) = los.sample_stay_and_remaining_uniform(&mut rng);
                        (stay, whole)
                    }
                    (crate::ResidualRule::Conditional, Some(elapsed)) => (
                        los.remaining_after(elapsed)
                            .expect("the loader checks a stay can exceed a patient's elapsed days")
                            .sample(&mut rng),
                        f64::NAN,
                    ),
                    (crate::ResidualRule::Conditional, None) => {
                        (los.sample_residual(&mut rng), f64::NAN)
                    }
                };
                let stay = checked(
                    &mut self.invalid_draw,
                    0.0,
                    stay,
                    service,
                    Draw::RemainingStay,
                );
                (
                    stay,
                    visits::census_days(stay, whole, listed.elapsed_days()),
                )
            };
            let since = listed.elapsed_days();
            let patient = self.place_census_patient(rng, class, service, Some((stay, days)), since);
            match listed.awaiting() {
                Some(next) => awaiting.push((patient, service, next, listed.waited_days())),
                None => self.events.schedule(stay, EventKind::EndOfStay(patient)),
            }
            self.check_escalation(service);
            self.to_fill.push(service);
        }
        let mut waiting = Vec::new();
        for (i, listed) in self.model.census_queue().iter().enumerate() {
            let rng = rng::seeded(rng::extend_key(key, 2 * i as u64 + 1));
            let patient =
                self.place_census_patient(rng, listed.class(), listed.service(), None, None);
            waiting.push((patient, listed.service(), listed.waited_days()));
            self.check_escalation(listed.service());
            self.to_fill.push(listed.service());
        }
        if self.observing {
            self.system.inside_at_start = self.patients.len() as u64;
        }
        // Real censuses queue patients while places are free (discharges not yet done): the
        // queue is admitted at time 0, in queue order, as far as places allow. An over-full
        // service admits no one (and evicts no one) until it is below capacity.
        self.fill();
        // Then patients fit to move on, longest waited first, as a stay ending now would.
        awaiting.sort_by(|a, b| b.3.total_cmp(&a.3));
        for &(patient, here, next, _) in &awaiting {
            self.transfer(patient, here, Destination::Service(next));
        }
        self.fill();
        // Whoever still waits (in the queue, or in their bed) has waited since before the
        // start: in the line and in their wait. Those placed at time 0 count no wait.
        let awaited = awaiting
            .iter()
            .map(|&(patient, _, next, waited)| (patient, next, waited));
        for (patient, service, waited) in waiting.into_iter().chain(awaited) {
            let p = &mut self.patients[patient];
            if p.location != Some(service) {
                p.wait_start = -waited;
            }
        }
    }

    /// Inserts a census patient of `class` at `service` at time 0: in a place with `stay`
    /// left (the caller schedules what follows), or in the queue when `stay` is `None`. At a
    /// service counted in visits, `stay` comes with the package's length and the day of it
    /// the patient is on ([`visits::census_days`]), and its visits from today are booked.
    fn place_census_patient(
        &mut self,
        rng: SimRng,
        class: ClassId,
        service: ServiceId,
        stay: Option<(f64, (u64, u64))>,
        since: Option<f64>,
    ) -> PatientId {
        let journey = self.begin_journey();
        let patient = self
            .patients
            .insert(Patient::new(rng, class, journey, None, 0.0));
        let number = self.number_patient();
        if R::ON {
            self.bind_number(patient, number);
            self.recorder.record(&PatientEvent {
                patient: number,
                class,
                time: 0.0,
                kind: match stay {
                    Some(_) => PatientEventKind::Census,
                    None => PatientEventKind::CensusQueued,
                },
                service,
                from: None,
                to: None,
                since,
            });
        }
        let need = self.need_at(patient, service);
        // Already in care or approved: funded without the check.
        let mut funded = 0.0;
        if S::ALL
            && let Some(budgets) = &mut self.budgets
            && let Some((budget, rate)) = budgets.cost(service, need)
        {
            budgets.commit(budget, rate, 0.0);
            funded = rate;
        }
        if let Some((_, (length, offset))) = stay {
            let p = &mut self.patients[patient];
            p.funding = funded;
            p.location = Some(service);
            p.held = need;
            // Already there: no admission is counted.
            self.services[service.index()].admit(0.0, 0.0, false, need);
            if S::ALL
                && let Some(outcomes) = &mut self.outcomes
            {
                outcomes.enter(journey, service, 0.0);
            }
            if let Some(visits) = &mut self.visits
                && self.services[service.index()].visits
            {
                let mut package = *visits.package(patient);
                (package.length, package.offset) = (length, offset);
                visits.set_package(patient, package);
                self.start_package(patient, service);
            }
        } else {
            self.patients[patient].approved = funded;
            self.enqueue(patient, service);
        }
        patient
    }

    /// This week's bookings of elective list `index` arrive; next week's are scheduled.
    fn electives(&mut self, index: u32) {
        let list = &self.model.electives()[index as usize];
        let (class, service, count) = (list.class(), list.service(), list.count());
        let key = rng::stream_key(
            self.replication_seed,
            Purpose::Elective,
            &[u64::from(index)],
        );
        for _ in 0..count {
            let number = self.elective_bookings[index as usize];
            self.elective_bookings[index as usize] += 1;
            let journey = self.begin_journey();
            if self.observing {
                self.system.arrived += 1;
                self.services[service.index()].stats.arrivals += 1;
            }
            let patient = self.patients.insert(Patient {
                elective: Some(index),
                ..Patient::new(
                    rng::seeded(rng::extend_key(key, number)),
                    class,
                    journey,
                    Some(service),
                    self.now,
                )
            });
            let number = self.number_patient();
            if R::ON {
                self.bind_number(patient, number);
                self.log(patient, PatientEventKind::Arrival, service, None);
            }
            self.need_at(patient, service);
            self.try_elective(patient);
        }
        if self.now + 7.0 < self.horizon {
            self.events
                .schedule(self.now + 7.0, EventKind::Electives(index));
        }
    }

    /// A booked elective patient is admitted if a place is free; otherwise cancelled, and
    /// rebooked or lost as their list says. Electives never queue: emergencies come first.
    fn try_elective(&mut self, patient: PatientId) {
        let p = &self.patients[patient];
        let service = p
            .entry
            .expect("an elective patient is booked into a service");
        let list = p
            .elective
            .expect("a booked patient came from an elective list");
        if self.newcomer_room(patient, service) {
            self.patients[patient].elective = None;
            self.admit(patient, service);
            return;
        }
        let s = &mut self.services[service.index()];
        if self.observing {
            s.stats.cancelled += 1;
        }
        match self.model.electives()[list as usize].rebook_after() {
            Some(days) => self
                .events
                .schedule(self.now + days, EventKind::Rebook(patient)),
            None => {
                if self.observing {
                    s.stats.diverted += 1;
                    self.system.diverted += 1;
                }
                if R::ON {
                    self.log(patient, PatientEventKind::Diverted, service, None);
                }
                self.remove_patient(patient);
            }
        }
    }

    fn capacity_change(&mut self, index: u32) {
        let change = self.model.calendar()[index as usize];
        self.services[change.service.index()].set_capacity(self.now, change.capacity);
        self.check_escalation(change.service);
        self.to_fill.push(change.service);
        self.fill();
    }

    /// Calls for or closes a service's escalation places as its occupancy requires.
    // Always inlined: called at every admission and departure, and most services have no
    // escalation rule.
    #[inline(always)]
    fn check_escalation(&mut self, service: ServiceId) {
        if S::ALL
            && let Some(rule) = self.model.escalation(service)
        {
            self.escalate(service, rule);
        }
    }

    /// Opens or closes `service`'s escalation places as its occupancy crosses `rule`'s
    /// thresholds.
    fn escalate(&mut self, service: ServiceId, rule: &'m crate::model::Escalation) {
        let s = &mut self.services[service.index()];
        let occupancy = s.load();
        let planned = f64::from(s.capacity);
        if s.escalated > 0 {
            if occupancy < rule.close_below() * planned {
                s.set_escalated(self.now, 0);
            }
        } else if !self.escalation_called[service.index()] && occupancy >= rule.open_at() * planned
        {
            self.escalation_called[service.index()] = true;
            self.events
                .schedule(self.now + rule.delay(), EventKind::EscalationOpen(service));
        }
    }

    /// The escalation places called for at `service` open, unless the pressure has passed.
    fn open_escalation(&mut self, service: ServiceId) {
        self.escalation_called[service.index()] = false;
        let rule = *self
            .model
            .escalation(service)
            .expect("only services with a rule call for escalation");
        let s = &mut self.services[service.index()];
        if s.load() >= rule.close_below() * f64::from(s.capacity) {
            s.set_escalated(self.now, rule.extra());
            self.to_fill.push(service);
            self.fill();
        }
    }

    /// Admits waiting patients wherever places or queue room have appeared, until nothing moves.
    #[inline(always)]
    fn fill(&mut self) {
        loop {
            if S::ALL && self.budgets.is_some() {
                self.fund_waiting();
            }
            let Some(service) = self.to_fill.pop() else {
                break;
            };
            loop {
                let s = &self.services[service.index()];
                // Patients waiting in their beds (transfers_wait in_bed) and the queue are one
                // line: whoever has waited longest, within priority, goes first.
                let blocked_first = s.transfers_wait_in_bed()
                    && match (s.peek_queue(), s.blocked.front()) {
                        (Some(head), Some(&front)) => {
                            let (b, q) = (
                                self.line_order(front, service),
                                self.line_order(head, service),
                            );
                            b.0.cmp(&q.0).then(b.1.total_cmp(&q.1)).is_le()
                        }
                        (None, Some(_)) => true,
                        _ => false,
                    };
                if !blocked_first
                    && let Some(head) = self.services[service.index()].peek_queue()
                    && self.room_for(head, service)
                {
                    let patient = self.services[service.index()]
                        .pop_queue(self.now)
                        .expect("the queue has a head");
                    self.admit(patient, service);
                    continue;
                }
                let s = &self.services[service.index()];
                let Some(&front) = s.blocked.front() else {
                    break;
                };
                // A queued patient who does not fit (hours) keeps those behind waiting: FIFO.
                let into_place =
                    (blocked_first || s.peek_queue().is_none()) && self.room_for(front, service);
                if !(into_place || s.queue_has_room_for_transfer()) {
                    break;
                }
                let patient = self.unblock(service);
                if into_place {
                    self.admit(patient, service);
                } else {
                    // Still waiting for the same service: their patience runs on.
                    self.join_queue(patient, service);
                }
            }
            self.take_overflow(service);
        }
    }

    /// The first patient blocked in their bed waiting for `service` leaves the list and their
    /// bed: their delay ends now.
    fn unblock(&mut self, service: ServiceId) -> PatientId {
        let patient = self.services[service.index()]
            .blocked
            .pop_front()
            .expect("the blocked list was checked to be non-empty");
        let held_at = self.patients[patient]
            .location
            .expect("a blocked patient holds a place");
        let held = &mut self.services[held_at.index()];
        held.set_delayed_here(self.now, held.delayed_here - 1);
        self.delays
            .release(held_at, service, DelayReason::Place, self.now);
        if S::ALL
            && let Some(books) = &mut self.books
        {
            books.delay(
                held_at,
                service,
                self.patients[patient].wait_start,
                self.now,
            );
        }
        let to = Some(Destination::Service(service));
        if R::ON {
            self.log(patient, PatientEventKind::Departure, held_at, to);
        }
        self.leave_place(patient, held_at, true, Some(service));
        patient
    }

    /// Places left free at `fallback` once its own line is served go to patients waiting
    /// for a preferred service that lists it with `wait_for` `first_free`: of the patient
    /// next in line at each such service, the one who started waiting first (the first such
    /// service listed, on a tie).
    // Always inlined: called each time a service may fill, and few services are fallbacks.
    #[inline(always)]
    fn take_overflow(&mut self, fallback: ServiceId) {
        if S::ALL && !self.fallbacks.overflow_from(fallback).is_empty() {
            self.overflow_into(fallback);
        }
    }

    /// [`take_overflow`](Self::take_overflow) at a fallback that takes overflow.
    fn overflow_into(&mut self, fallback: ServiceId) {
        loop {
            let f = &self.services[fallback.index()];
            if f.peek_queue().is_some() || !f.blocked.is_empty() || !f.has_room(1.0) {
                return;
            }
            let mut best: Option<(f64, u32, ServiceId, bool)> = None;
            for &(preferred, pair) in self.fallbacks.overflow_from(fallback) {
                let Some((patient, queued)) = self.next_in_line(preferred) else {
                    continue;
                };
                let start = self.patients[patient].wait_start;
                if best.is_none_or(|b| start < b.0) {
                    best = Some((start, pair, preferred, queued));
                }
            }
            let Some((_, pair, preferred, queued)) = best else {
                return;
            };
            let patient = if queued {
                self.services[preferred.index()]
                    .pop_queue(self.now)
                    .expect("the queue has a head")
            } else {
                self.unblock(preferred)
            };
            self.admit_fallback(patient, pair);
        }
    }

    /// The patient `service` would admit next, and whether they are queued (rather than
    /// waiting in their bed elsewhere): as [`fill`](Self::fill) orders its line.
    fn next_in_line(&self, service: ServiceId) -> Option<(PatientId, bool)> {
        let s = &self.services[service.index()];
        match (s.peek_queue(), s.blocked.front()) {
            (Some(head), Some(&front)) if s.transfers_wait_in_bed() => {
                let (b, q) = (
                    self.line_order(front, service),
                    self.line_order(head, service),
                );
                Some(if b.0.cmp(&q.0).then(b.1.total_cmp(&q.1)).is_le() {
                    (front, false)
                } else {
                    (head, true)
                })
            }
            (Some(head), _) => Some((head, true)),
            (None, Some(&front)) => Some((front, false)),
            (None, None) => None,
        }
    }

    /// `patient`, who wanted the preferred service of fallback pair `pair`, takes a place at
    /// its fallback, cared for as at the preferred service. An arrival leaves the line of
    /// their entry service (the preferred service) now, as gone on to another service.
    fn admit_fallback(&mut self, patient: PatientId, pair: u32) {
        let (preferred, fallback) = self.fallbacks.pair(pair);
        if self.patients[patient].entry == Some(preferred) {
            self.leave_entry(patient, preferred, true);
        }
        self.patients[patient].fallback = Some(pair);
        self.fallbacks.enter(pair, self.now, self.observing);
        self.admit(patient, fallback);
    }

    fn admit(&mut self, patient: PatientId, service: ServiceId) {
        if R::ON {
            self.log(patient, PatientEventKind::Admission, service, None);
        }
        let now = self.now;
        // Never a fallback's place: those count places.
        let visits = S::ALL && self.services[service.index()].visits;
        let p = &mut self.patients[patient];
        let wait = now - p.wait_start;
        p.location = Some(service);
        p.admitted_at = now;
        p.delay_counted = false;
        p.patience = 0;
        let care = self.fallbacks.care_service::<S>(p.fallback, service);
        let d2a = if S::ALL { p.d2a } else { None };
        let (stay, draw) = match d2a {
            // Discharge to assess: the stay in interim care is the needs assessment.
            Some(d2a) if d2a.interim == care => {
                p.phase = Phase::InterimAssessment;
                let assessment = self
                    .model
                    .discharge_rule(p.class, d2a.rule_at)
                    .expect("discharge to assess starts at a service with a rule")
                    .assessment()
                    .sample(&mut p.rng);
                (assessment, Draw::Assessment)
            }
            // A package counted in visits lasts the length drawn with it.
            _ if visits => {
                p.phase = Phase::Stay;
                (self.package_days(patient), Draw::Stay)
            }
            _ => {
                p.phase = Phase::Stay;
                let stay = self
                    .model
                    .length_of_stay(p.class, care)
                    .expect(
                        "the scenario loader checks every reachable (class, service) has a stay",
                    )
                    .sample(&mut p.rng);
                (stay, Draw::Stay)
            }
        };
        let stay = checked(&mut self.invalid_draw, now, stay, service, draw);
        let need = self.patients[patient].need;
        self.patients[patient].held = need;
        if S::ALL
            && let Some(budgets) = &mut self.budgets
            && let Some((budget, rate)) = budgets.cost(service, need)
        {
            let p = &mut self.patients[patient];
            if p.approved > 0.0 {
                p.funding = std::mem::take(&mut p.approved);
            } else {
                // Elective bookings and new stays in the same place are funded unchecked.
                budgets.commit(budget, rate, now);
                p.funding = rate;
            }
        }
        self.services[service.index()].admit(now, wait, self.observing, need);
        if S::ALL
            && let Some(outcomes) = &mut self.outcomes
        {
            outcomes.enter(self.patients[patient].journey, service, now);
        }
        if visits {
            self.start_package(patient, service);
        }
        self.check_escalation(service);
        self.events
            .schedule(now + stay, EventKind::EndOfStay(patient));
    }

    /// The days left of `patient`'s package: their stay at a service counted in visits.
    #[cold]
    fn package_days(&self, patient: PatientId) -> f64 {
        let package = self
            .visits
            .as_ref()
            .expect("services counted in visits have calendars")
            .package(patient);
        package.length.saturating_sub(package.offset) as f64
    }

    /// Today's calendar day.
    #[inline]
    fn today(&self) -> u64 {
        self.now.floor() as u64
    }

    /// Draws a package for `class` at `service` (counted in visits) from `rng`, each draw
    /// checked: a rate or length that is not a finite number of at least 0 stops the run.
    fn draw_package(&mut self, rng: &mut SimRng, class: ClassId, service: ServiceId) -> Package {
        let (initial, last, length) = visits::draw(self.model, rng, class, service);
        let slot = &mut self.invalid_draw;
        let initial = checked(slot, self.now, initial, service, Draw::VisitRate);
        let last = checked(slot, self.now, last, service, Draw::VisitRate);
        let length = checked(slot, self.now, length, service, Draw::Stay);
        Package {
            initial,
            last,
            // Whole days (the loader checks it); `as` saturates far past any horizon.
            length: length as u64,
            offset: 0,
            start: None,
        }
    }

    /// Draws `patient`'s package at `service` (counted in visits) and returns its mean rate,
    /// their need there.
    #[cold]
    fn draw_visits_at(&mut self, patient: PatientId, service: ServiceId) -> f64 {
        let mut rng = self.patients[patient].rng.clone();
        let class = self.patients[patient].class;
        let package = self.draw_package(&mut rng, class, service);
        self.patients[patient].rng = rng;
        self.visits_mut().set_package(patient, package);
        let need = package.mean_rate();
        self.patients[patient].need = need;
        need
    }

    /// The calendars and packages, in a model with services counted in visits.
    fn visits_mut(&mut self) -> &mut Visits {
        self.visits
            .as_mut()
            .expect("services counted in visits have calendars")
    }

    /// Draws the package of a patient arriving from outside at `service` (counted in visits),
    /// kept aside until they are inserted; returns its mean rate, their need there.
    #[cold]
    fn draw_arriving_package(
        &mut self,
        rng: &mut SimRng,
        class: ClassId,
        service: ServiceId,
    ) -> f64 {
        let package = self.draw_package(rng, class, service);
        self.visits_mut().arriving = package;
        package.mean_rate()
    }

    /// Whether the arriving patient's package can start at `service` now (see
    /// [`newcomer_fits`](Self::newcomer_fits)).
    fn arriving_package_fits(&self, service: ServiceId) -> bool {
        let visits = self
            .visits
            .as_ref()
            .expect("services counted in visits have calendars");
        self.line_open(service) && visits.book(service).fits(&visits.arriving, self.today())
    }

    /// Whether a patient new to the line for `service`, counted in visits, may pass it:
    /// under `whole_sequence` always (their whole sequence is checked against the bookings
    /// made), under `first_fit` only when nobody waits (the line is served in order).
    fn line_open(&self, service: ServiceId) -> bool {
        let s = &self.services[service.index()];
        let visits = self
            .visits
            .as_ref()
            .expect("services counted in visits have calendars");
        visits.book(service).booking == crate::Booking::WholeSequence
            || (s.peek_queue().is_none() && s.blocked.is_empty())
    }

    /// Whether `patient`, new to the line for `service` (counted in visits), can start now:
    /// their package fits from today, and the line lets them pass
    /// ([`line_open`](Self::line_open)).
    #[cold]
    #[inline(never)]
    fn newcomer_fits(&self, patient: PatientId, service: ServiceId) -> bool {
        self.line_open(service) && self.package_fits_today(patient, service)
    }

    /// Whether `patient`, new to the line for `service`, can take a place now: as
    /// [`room_for`](Self::room_for), but at a service counted in visits under `first_fit` only
    /// when nobody waits there.
    fn newcomer_room(&self, patient: PatientId, service: ServiceId) -> bool {
        if self.services[service.index()].visits {
            self.newcomer_fits(patient, service)
        } else {
            self.services[service.index()].has_room(self.patients[patient].need)
        }
    }

    /// The arriving patient, now inserted as `patient`, takes their package.
    fn keep_arriving_package(&mut self, patient: PatientId) {
        let visits = self.visits_mut();
        let package = visits.arriving;
        visits.set_package(patient, package);
    }

    /// Whether `patient` can take a place at `service` now: a free place, the hours of their
    /// package free, or, at a service counted in visits, their package (not booked ahead)
    /// fitting the slots of each of its days from today.
    #[inline]
    fn room_for(&self, patient: PatientId, service: ServiceId) -> bool {
        let s = &self.services[service.index()];
        if S::ALL && s.visits {
            self.package_fits_today(patient, service)
        } else {
            s.has_room(self.patients[patient].need)
        }
    }

    /// [`room_for`](Self::room_for) at a service counted in visits.
    #[cold]
    #[inline(never)]
    fn package_fits_today(&self, patient: PatientId, service: ServiceId) -> bool {
        self.visits
            .as_ref()
            .expect("services counted in visits have calendars")
            .fits_today(patient, service, self.today())
    }

    /// `patient` joins the line (queue or bed) for `service`: under `whole_sequence`, their
    /// package is booked on the earliest day on which it fits, if one comes before the
    /// horizon (from today only when nothing has been checked yet: at the census).
    #[inline]
    fn book_ahead(&mut self, patient: PatientId, service: ServiceId) {
        if S::ALL && self.visits.is_some() && self.services[service.index()].visits {
            self.book_package_ahead(patient, service);
        }
    }

    /// [`book_ahead`](Self::book_ahead) at a service counted in visits.
    #[cold]
    fn book_package_ahead(&mut self, patient: PatientId, service: ServiceId) {
        let today = self.today();
        let Some(visits) = &mut self.visits else {
            return;
        };
        let Some(book) = &visits.books[service.index()] else {
            return;
        };
        let package = visits.package(patient);
        if book.booking != crate::Booking::WholeSequence || package.start.is_some() {
            return;
        }
        let Some(start) = book.earliest_from(package, today) else {
            return;
        };
        let due = start == today && book.today() == today && book.started_today();
        visits.book_package(patient, service, start, true);
        if due {
            // Today's bookings have started already: this one starts now.
            self.events
                .schedule(self.now, EventKind::VisitStarts(service));
        }
    }

    /// `patient`'s package starts at `service` now: booked from today unless booked ahead.
    #[cold]
    fn start_package(&mut self, patient: PatientId, service: ServiceId) {
        let today = self.today();
        let visits = self
            .visits
            .as_mut()
            .expect("services counted in visits have calendars");
        if visits.package(patient).start.is_none() {
            visits.book_package(patient, service, today, false);
        }
        let used = visits.book(service).used_on_day(today);
        self.services[service.index()].set_used(self.now, used);
    }

    /// A day begins: each service counted in visits starts the packages booked for today,
    /// and those under `first_fit` look again at whoever waits.
    fn visit_day(&mut self) {
        let services = self
            .visits
            .as_ref()
            .expect("only models with services counted in visits schedule visit days")
            .books
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.as_ref().map(|_| ServiceId(i as u32)))
            .collect::<Vec<_>>();
        for service in services {
            self.start_booked(service);
            self.to_fill.push(service);
        }
        self.fill();
        let next = (self.today() + 1) as f64;
        if next < self.horizon {
            self.events.schedule(next, EventKind::VisitDay);
        }
    }

    /// The packages booked to start at `service` today start, in booking order: each
    /// patient leaves the line (the queue, or the bed they wait in elsewhere) for care.
    fn start_booked(&mut self, service: ServiceId) {
        let today = self.today();
        let visits = self
            .visits
            .as_mut()
            .expect("services counted in visits have calendars");
        let book = visits.books[service.index()]
            .as_mut()
            .expect("only services counted in visits start packages");
        let starters = book.new_day(today);
        let used = book.used_today();
        self.services[service.index()].set_used(self.now, used);
        for patient in starters {
            if let Some(here) = self.leave_line(patient, service) {
                if R::ON {
                    let to = Some(Destination::Service(service));
                    self.log(patient, PatientEventKind::Departure, here, to);
                }
                self.leave_place(patient, here, true, Some(service));
            }
            self.admit(patient, service);
        }
    }

    /// Takes `patient` out of the line for `service`: its queue, or the list of patients
    /// waiting for it in their beds, whose delay then ends. Returns where they wait in a bed.
    fn leave_line(&mut self, patient: PatientId, service: ServiceId) -> Option<ServiceId> {
        let level = self.level(self.patients[patient].class, service);
        let held_at = self.patients[patient].location;
        let s = &mut self.services[service.index()];
        if s.leave_queue(self.now, patient, level) {
            return None;
        }
        let position = s
            .blocked
            .iter()
            .position(|&p| p == patient)
            .expect("a patient leaving a line is queued or blocked for its service");
        s.blocked.remove(position);
        let here = held_at.expect("a blocked patient holds a place");
        let held = &mut self.services[here.index()];
        held.set_delayed_here(self.now, held.delayed_here - 1);
        self.delays
            .release(here, service, DelayReason::Place, self.now);
        if S::ALL
            && let Some(books) = &mut self.books
        {
            books.delay(here, service, self.patients[patient].wait_start, self.now);
        }
        Some(here)
    }

    /// A waiting patient's place in the line for `service`: priority level, then how long they
    /// have waited.
    fn line_order(&self, patient: PatientId, service: ServiceId) -> (usize, f64) {
        let p = &self.patients[patient];
        (self.level(p.class, service), p.wait_start)
    }

    /// `patient` starts waiting in the queue of `service`, and their patience for it starts.
    fn enqueue(&mut self, patient: PatientId, service: ServiceId) {
        self.join_queue(patient, service);
        self.start_patience(patient, service);
    }

    #[inline]
    fn join_queue(&mut self, patient: PatientId, service: ServiceId) {
        self.check_package_fits(patient, service);
        self.book_ahead(patient, service);
        let level = self.level(self.patients[patient].class, service);
        self.services[service.index()].push_queue(self.now, patient, level);
    }

    /// `patient` starts waiting for `service`: if their class may give up on it, draws their
    /// patience and schedules the moment it runs out.
    // Always inlined: called for every patient who starts waiting, and most scenarios have
    // no patience rules.
    #[inline(always)]
    fn start_patience(&mut self, patient: PatientId, service: ServiceId) {
        if S::ALL && self.reneging {
            self.draw_patience(patient, service);
        }
    }

    /// [`start_patience`](Self::start_patience) in a scenario with patience rules.
    #[inline(never)]
    fn draw_patience(&mut self, patient: PatientId, service: ServiceId) {
        let p = &mut self.patients[patient];
        let Some(rule) = self.model.patience(p.class, service) else {
            return;
        };
        let time = checked(
            &mut self.invalid_draw,
            self.now,
            rule.time().sample(&mut p.rng),
            service,
            Draw::Patience,
        );
        self.patiences += 1;
        p.patience = self.patiences;
        let entry = (patient, self.patiences, service);
        let slot = match self.free_reneges.pop() {
            Some(slot) => {
                self.pending_reneges[slot as usize] = entry;
                slot
            }
            None => {
                self.pending_reneges.push(entry);
                (self.pending_reneges.len() - 1) as u32
            }
        };
        self.events
            .schedule(self.now + time, EventKind::Renege(slot));
    }

    /// A patience runs out: the patient, if still waiting for the same place, gives up — from
    /// the queue, or from the bed they are blocked in — and goes where their rule says.
    #[cold]
    fn renege(&mut self, slot: u32) {
        let (patient, number, service) = self.pending_reneges[slot as usize];
        self.free_reneges.push(slot);
        // Admitted since (or gone, and the slot reused): numbers are unique in the run.
        if self.patients[patient].patience != number {
            return;
        }
        self.patients[patient].patience = 0;
        let class = self.patients[patient].class;
        let held_at = self.patients[patient].location;
        self.leave_line(patient, service);
        if let Some(visits) = &mut self.visits {
            // A package booked ahead frees its days.
            visits.unbook(patient, service);
        }
        if self.observing {
            self.services[service.index()].stats.reneged += 1;
        }
        // Room in the queue, perhaps, for a patient blocked elsewhere.
        self.to_fill.push(service);
        let then = self
            .model
            .patience(class, service)
            .expect("a patience ran, so its rule exists")
            .then();
        // Funding approved for the place given up is no longer needed, wherever they wait.
        let approved = std::mem::take(&mut self.patients[patient].approved);
        if approved > 0.0 {
            self.release_funding(service, approved);
        }
        if R::ON {
            self.log(patient, PatientEventKind::Renege, service, Some(then));
        }
        match held_at {
            // From a bed: as if their stay there had ended towards `then`; a wait for another
            // service there is a new delay, counted again.
            Some(here) => {
                self.patients[patient].delay_counted = false;
                self.transfer(patient, here, then);
            }
            None => {
                if self.patients[patient].entry == Some(service) {
                    self.leave_entry(patient, service, then != Destination::Exit);
                }
                match then {
                    Destination::Exit => {
                        if R::ON {
                            self.log(patient, PatientEventKind::Exit, service, None);
                        }
                        self.remove_patient(patient);
                        if self.observing {
                            self.system.left += 1;
                        }
                    }
                    Destination::Service(next) => self.seek_from_home(patient, next),
                }
            }
        }
        self.fill();
    }

    /// A patient holding no place, and no longer waiting for one, turns to `service`: seeks
    /// funding where a care budget pays for it, then a place, as an arrival from outside
    /// does.
    fn seek_from_home(&mut self, patient: PatientId, service: ServiceId) {
        self.patients[patient].wait_start = self.now;
        let need = self.need_at(patient, service);
        if self.observing {
            self.services[service.index()].stats.arrivals += 1;
        }
        if S::ALL
            && let Some(budgets) = &mut self.budgets
            && let Some((budget, rate)) = budgets.cost(service, need)
        {
            if !budgets.approve(budget, rate, self.now) {
                budgets.wait(
                    budget,
                    FundingRequest {
                        patient,
                        service,
                        held_at: None,
                        rate,
                    },
                );
                return;
            }
            self.patients[patient].approved = rate;
        }
        self.seek_place_from_home(patient, service);
    }

    /// Records a package that needs more hours than `service` can ever have: it will never
    /// start, and in a FIFO queue nobody behind it will either (the first at each service).
    // Always inlined: called for every patient who starts waiting, and most services count
    // places, not hours.
    #[inline(always)]
    fn check_package_fits(&mut self, patient: PatientId, service: ServiceId) {
        if S::ALL
            && let Some(most) = self.most_hours[service.index()]
        {
            self.check_hours_fit(patient, service, most);
        }
    }

    /// [`check_package_fits`](Self::check_package_fits) at a service counted in hours, whose
    /// place offers at most `most` hours.
    #[inline(never)]
    fn check_hours_fit(&mut self, patient: PatientId, service: ServiceId, most: u64) {
        let hours = match &self.visits {
            Some(visits) if self.services[service.index()].visits => {
                visits.package(patient).most_in_a_day() as f64
            }
            _ => self.patients[patient].need,
        };
        // The same tolerance as `ServiceState::has_room`.
        if hours > most as f64 + 1e-9
            && !self
                .packages_never_started
                .iter()
                .any(|p| p.service == service)
        {
            self.packages_never_started.push(PackageNeverStarted {
                time: self.now,
                service,
                hours,
                most_hours: most,
            });
        }
    }

    fn level(&self, class: ClassId, service: ServiceId) -> usize {
        match self.model.services()[service.index()].discipline() {
            crate::QueueDiscipline::Fifo => 0,
            crate::QueueDiscipline::Priority => self.class_level[class.index()],
        }
    }

    /// The patient gives up their place at `service`; the service may now admit someone.
    ///
    /// `onward` says whether the patient is moving into another service (for an entry
    /// service, an admission) rather than leaving the system; `next` is the service they go
    /// to (`None`: out of the system), for the outcome measures.
    fn leave_place(
        &mut self,
        patient: PatientId,
        service: ServiceId,
        onward: bool,
        next: Option<ServiceId>,
    ) {
        let now = self.now;
        let p = &mut self.patients[patient];
        let stay = now - p.admitted_at;
        p.location = None;
        let care = self.fallbacks.care_service::<S>(p.fallback, service);
        if S::ALL
            && let Some(pair) = p.fallback.take()
        {
            self.fallbacks.leave(pair, now);
        }
        let p = &mut self.patients[patient];
        // Leaving the service where the patient became fit is their discharge on a pathway.
        let pathway = if p.fit_at.is_nan() { None } else { p.pathway };
        if !p.fit_at.is_nan() {
            // Leaving the service where the patient became medically fit.
            let fit_to_leave = now - p.fit_at;
            p.fit_at = f64::NAN;
            if self.observing {
                self.services[service.index()].record_fit_to_leave(fit_to_leave);
            }
        }
        if p.entry == Some(service) {
            self.leave_entry(patient, service, onward);
        }
        let p = &mut self.patients[patient];
        if !p.delayed_since.is_nan() {
            p.delayed_days += now - p.delayed_since;
            p.delayed_since = f64::NAN;
        }
        if S::ALL
            && let Some(outcomes) = &mut self.outcomes
        {
            outcomes.leave(p.journey, service, next, now, self.observing);
        }
        let (held, class, readmitted_after) = (p.held, p.class, p.readmitted_after);
        let funding = std::mem::take(&mut p.funding);
        if funding > 0.0 {
            self.release_funding(service, funding);
        }
        if S::ALL
            && let Some(books) = &mut self.books
        {
            books.spell(class, service, stay, readmitted_after);
        }
        self.services[service.index()].discharge(now, stay, self.observing, held);
        self.check_escalation(service);
        self.to_fill.push(service);
        self.maybe_readmit(patient, care, pathway);
    }

    /// The patient leaves their entry service `service` (its place, or its queue on giving
    /// up): their arrival-to-leaving time is recorded; `onward` as for
    /// [`leave_place`](Self::leave_place).
    #[inline(always)]
    fn leave_entry(&mut self, patient: PatientId, service: ServiceId, onward: bool) {
        let p = &mut self.patients[patient];
        p.entry = None;
        let time = self.now - p.arrived_at;
        if !self.observing {
            return;
        }
        let e = self.entries[service.index()]
            .as_mut()
            .expect("entry services have entry statistics");
        e.patients += 1;
        e.time_sum += time;
        let over = time > self.threshold_days;
        if over {
            e.over_threshold += 1;
        }
        if onward {
            e.onward += 1;
            e.onward_time_sum += time;
            if over {
                e.onward_over_threshold += 1;
            }
        }
        service_state::record_days(&mut e.times, time);
        let bin = ((time * 96.0) as usize).min(ENTRY_BINS - 1);
        e.bins[bin] += 1;
    }

    /// A financial year starts: the books close the year just ended, care budgets renew,
    /// and patients awaiting funding may now be funded.
    fn financial_year(&mut self) {
        if S::ALL
            && let Some(books) = &mut self.books
        {
            books.roll(&mut self.services, self.now);
        }
        if S::ALL
            && let Some(budgets) = &mut self.budgets
        {
            budgets.new_year();
        }
        self.fill();
    }

    fn day_end(&mut self) {
        let day = self.day;
        if let Some(daily) = &mut self.daily {
            for (i, s) in self.services.iter_mut().enumerate() {
                daily.push(s.take_day(self.now).record(day, ServiceId(i as u32), 1.0));
            }
        }
        self.day += 1;
        let next = f64::from(self.day + 1);
        if next < self.horizon {
            self.events.schedule(next, EventKind::DayEnd);
        }
    }

    fn warmup_end(&mut self) {
        self.observing = true;
        for s in &mut self.services {
            s.reset_stats(self.now);
        }
        for e in self.entries.iter_mut().flatten() {
            *e = EntryStats::new(self.horizon);
        }
        for a in &mut self.arrivals {
            a.avoided = 0;
        }
        self.delays.open_window(self.now);
        self.fallbacks.open_window(self.now);
        // Patients waiting at home for funding are still seeking a place: arrivals at their
        // service in the window (so that a later diversion has its arrival).
        for request in self.budgets.iter().flat_map(|b| b.waiting()) {
            if request.held_at.is_none() {
                self.services[request.service.index()].stats.arrivals += 1;
            }
        }
        if S::ALL
            && let Some(books) = &mut self.books
        {
            books.open(&mut self.services, self.now);
        }
        self.system = SystemResult {
            inside_at_start: self.patients.len() as u64,
            ..SystemResult::default()
        };
    }

    fn finish(mut self) -> ReplicationResult {
        let now = self.horizon;
        // Close the last (possibly partial) day.
        if let Some(daily) = &mut self.daily {
            let length = now - f64::from(self.day);
            if length > 0.0 {
                for (i, s) in self.services.iter_mut().enumerate() {
                    daily.push(
                        s.take_day(now)
                            .record(self.day, ServiceId(i as u32), length),
                    );
                }
            }
        }
        let waiting_in_bed = self.services_blocked().len()
            + self
                .budgets
                .iter()
                .flat_map(|b| b.waiting())
                .filter(|r| r.held_at.is_some())
                .count();
        let mut year_snapshots = Vec::new();
        let mut finance = match self.books.take() {
            Some(mut books) => {
                // Delays still running at the horizon are charged to it.
                for (i, s) in self.services.iter().enumerate() {
                    for &p in &s.blocked {
                        let held_at = self.patients[p]
                            .location
                            .expect("a blocked patient holds a place");
                        books.delay(
                            held_at,
                            ServiceId(i as u32),
                            self.patients[p].wait_start,
                            now,
                        );
                    }
                }
                for request in self.budgets.iter().flat_map(|b| b.waiting()) {
                    if let Some(held_at) = request.held_at {
                        let from = self.patients[request.patient].wait_start;
                        books.delay(held_at, request.service, from, now);
                    }
                }
                let (mut ledger, snapshots) = books.finish(&mut self.services, now);
                year_snapshots = snapshots;
                if let Some(budgets) = self.budgets.take() {
                    for (label, positions) in budgets.finish() {
                        let Some(year) = ledger.years.iter_mut().find(|y| y.label == label) else {
                            continue; // a year of the warm-up
                        };
                        for (organisation, position) in positions {
                            year.organisations[organisation.index()].care_budget = Some(position);
                        }
                    }
                }
                ledger
            }
            None => crate::Ledger::default(),
        };
        let services: Vec<ServiceResult> = self
            .services
            .iter_mut()
            .enumerate()
            .map(|(i, s)| {
                s.advance(now);
                s.final_result(ServiceId(i as u32))
            })
            .collect();
        // Patients still at (or queued for) their entry service: arrived, not yet left.
        let mut still_inside = vec![(0_u64, 0_u64); self.entries.len()];
        for p in self.patients.inside() {
            if let Some(entry) = p.entry {
                let count = &mut still_inside[entry.index()];
                count.0 += 1;
                if now - p.arrived_at > self.threshold_days {
                    count.1 += 1;
                }
            }
        }
        let entries = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                e.as_ref().map(|e| EntryResult {
                    still_inside: still_inside[i].0,
                    still_inside_over_threshold: still_inside[i].1,
                    service: ServiceId(i as u32),
                    patients: e.patients,
                    over_threshold: e.over_threshold,
                    share_over_threshold: ratio(e.over_threshold as f64, e.patients),
                    mean_time: ratio(e.time_sum, e.patients),
                    p95_time: service_state::quantile_days(&e.times, 0.95),
                    time_histogram: e.bins.to_vec(),
                    admitted: e.onward,
                    admitted_over_threshold: e.onward_over_threshold,
                    mean_time_to_admission: ratio(e.onward_time_sum, e.onward),
                })
            })
            .collect();
        let delays = self.delays.finish(waiting_in_bed, now);
        let (outcomes, journeys) = match self.outcomes.take() {
            Some(o) => {
                let (result, journeys) = o.finish(now);
                (Some(result), journeys)
            }
            None => (None, outcomes::Journeys::default()),
        };
        outcome_money::settle(self.model, &mut finance, &year_snapshots, &journeys, now);
        self.system.inside_at_end = self.patients.len() as u64;
        self.recorder.end(now);
        let settings = self.model.settings();
        ReplicationResult {
            replication: self.replication,
            events: self.processed,
            observed_days: (self.horizon - settings.warmup_days).max(0.0),
            system: self.system,
            services,
            entries,
            delays,
            daily: self.daily.unwrap_or_default(),
            deadlocks: self.deadlocks,
            stalled: self.stalled,
            invalid_draw: self.invalid_draw,
            packages_never_started: self.packages_never_started,
            fallbacks: self.fallbacks.finish(now),
            step_ups: (0..self.arrivals.len())
                .filter_map(|i| {
                    let stream = StreamId(i as u32);
                    self.model.step_up(stream).map(|service| StepUpResult {
                        stream,
                        service,
                        admissions_avoided: self.arrivals[i].avoided,
                    })
                })
                .collect(),
            finance,
            outcomes,
        }
    }

    /// For each service, the services holding the patients blocked waiting for it.
    fn services_blocked(&self) -> Vec<(ServiceId, ServiceId)> {
        let mut pairs = Vec::new();
        for (i, s) in self.services.iter().enumerate() {
            for &p in &s.blocked {
                let held_at = self.patients[p]
                    .location
                    .expect("a blocked patient holds a place");
                pairs.push((held_at, ServiceId(i as u32)));
            }
        }
        pairs
    }
}

/// Whether a local authority's care budget pays for each service, indexed by [`ServiceId`].
pub(crate) fn funded_by_care_budget(model: &Model) -> Vec<bool> {
    let budgets = CareBudgets::new(model);
    (0..model.services().len())
        .map(|s| {
            budgets
                .as_ref()
                .is_some_and(|b| b.budget_of(ServiceId(s as u32)).is_some())
        })
        .collect()
}

/// [`need`] for a patient not yet in a slot, drawing from a copy of `rng` written back (see
/// [`Replication::arrive`]).
#[inline(always)]
fn arrival_need(model: &Model, rng: &mut SimRng, class: ClassId, service: ServiceId) -> f64 {
    if model.services()[service.index()].unit() == CapacityUnit::Hours {
        let mut draws = rng.clone();
        let need = need(model, &mut draws, class, service);
        *rng = draws;
        need
    } else {
        1.0
    }
}

/// The capacity a patient of `class` needs at `service`: one place, or a package's hours a week
/// (drawn from `rng`) where capacity counts hours. Places draw nothing.
#[inline]
fn need(model: &Model, rng: &mut SimRng, class: ClassId, service: ServiceId) -> f64 {
    if model.services()[service.index()].unit() == CapacityUnit::Hours {
        model
            .package_hours(class, service)
            .expect("the loader checks every stay at a service counted in hours has package hours")
            .sample(rng)
    } else {
        1.0
    }
}

/// `value` if it is a finite number of at least 0, as every stay, assessment and package
/// size must be; otherwise records it in `slot` (the first only), so that the run stops at
/// this instant, and returns 0 in its place, never used.
#[inline(always)]
fn checked(
    slot: &mut Option<InvalidDraw>,
    time: f64,
    value: f64,
    service: ServiceId,
    draw: Draw,
) -> f64 {
    // NaN is in no range.
    if (0.0..f64::INFINITY).contains(&value) {
        value
    } else {
        invalid(
            slot,
            InvalidDraw {
                time,
                service,
                draw,
                value,
            },
        )
    }
}

/// Records `draw` in `slot` unless an earlier one is there (see [`checked`]); returns 0.
#[cold]
#[inline(never)]
fn invalid(slot: &mut Option<InvalidDraw>, draw: InvalidDraw) -> f64 {
    slot.get_or_insert(draw);
    0.0
}

fn ratio(x: f64, n: u64) -> f64 {
    if n > 0 { x / n as f64 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_that_is_not_finite_and_non_negative_is_recorded_once_and_not_used() {
        let mut slot = None;
        assert_eq!(checked(&mut slot, 1.0, 2.5, ServiceId(0), Draw::Stay), 2.5);
        assert_eq!(checked(&mut slot, 1.0, 0.0, ServiceId(0), Draw::Stay), 0.0);
        assert_eq!(slot, None);
        for bad in [f64::INFINITY, f64::NEG_INFINITY, -1e-300, f64::NAN] {
            assert_eq!(
                checked(&mut slot, 2.0, bad, ServiceId(1), Draw::Assessment),
                0.0
            );
        }
        // The first is kept.
        assert_eq!(
            slot,
            Some(InvalidDraw {
                time: 2.0,
                service: ServiceId(1),
                draw: Draw::Assessment,
                value: f64::INFINITY,
            })
        );
    }
}
