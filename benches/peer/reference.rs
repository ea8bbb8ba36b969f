//! Hand-written event loops for the three peer-benchmark models (`scenarios/peer_*`): the
//! speed limit for these models on the machine at hand, against which careflow's engine is
//! measured (`scripts/peer_benchmark.sh`, `cargo bench --bench peer`).
//!
//! Each loop is what a careful programmer writes for these models and nothing else: the next
//! arrival in a variable, a binary heap of ends of stays, FIFO queues, one xoshiro256++
//! generator, `rand_distr`'s samplers. It computes the statistics careflow reports for the
//! same models, in the same way: time-weighted occupied beds, queue and delayed beds; per
//! service admissions, waits (sum, count over the threshold, a histogram of the non-zero
//! ones), lengths of stay, the most beds occupied and the longest queue, patients delayed, and
//! the bed-days of patients waiting in an acute bed for each service; and for the entry
//! service each patient's arrival-to-leaving time (sum, count over the threshold, a histogram,
//! quarter-hour bins; apart, those who went on to another service).
//!
//! What it leaves out is what makes careflow general and comparable across policies: one
//! generator per patient keyed by their arrival (common random numbers), event kinds other
//! than arrivals and ends of stays, and the rules these models do not use.

use hdrhistogram::Histogram;
use rand_core::SeedableRng;
use rand_distr::{Distribution, Exp1, StandardNormal, StandardUniform};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Waits and arrival-to-leaving times over this many days count as long (careflow's default
/// threshold, 4 hours).
const THRESHOLD_DAYS: f64 = 4.0 / 24.0;
/// Histograms count seconds, as careflow's do.
const SECONDS_PER_DAY: f64 = 86_400.0;
/// Quarter-hour bins of arrival-to-leaving time; the last is a day or more.
const BINS: usize = 97;

/// A length-of-stay distribution, days.
#[derive(Debug, Clone, Copy)]
pub enum Stay {
    /// Exponential with this mean.
    Exponential { mean: f64 },
    /// `exp(mu + sigma Z)`, Z standard normal.
    LogNormal { mu: f64, sigma: f64 },
}

impl Stay {
    /// The lognormal with this mean and standard deviation.
    pub fn lognormal(mean: f64, sd: f64) -> Stay {
        let s2 = (1.0 + (sd / mean).powi(2)).ln();
        Stay::LogNormal {
            mu: mean.ln() - s2 / 2.0,
            sigma: s2.sqrt(),
        }
    }

    #[inline]
    fn sample(self, rng: &mut Xoshiro256PlusPlus) -> f64 {
        match self {
            Stay::Exponential { mean } => mean * Distribution::<f64>::sample(&Exp1, rng),
            Stay::LogNormal { mu, sigma } => {
                (mu + sigma * Distribution::<f64>::sample(&StandardNormal, rng)).exp()
            }
        }
    }
}

/// A service after the acute ward, waited for in the acute bed.
#[derive(Debug, Clone)]
pub struct Downstream {
    /// Service name, as in the scenario folder.
    pub name: &'static str,
    /// Probability that a patient leaving the acute ward goes here.
    pub probability: f64,
    /// Beds (places).
    pub beds: u32,
    /// Length of stay.
    pub stay: Stay,
}

/// One of the peer models: Poisson arrivals into an acute ward with an unlimited FIFO queue,
/// then home or one of the downstream services.
#[derive(Debug, Clone)]
pub struct PeerModel {
    /// Arrivals per day.
    pub rate_per_day: f64,
    /// Name of the entry ward.
    pub acute_name: &'static str,
    /// Acute beds.
    pub acute_beds: u32,
    /// Acute length of stay.
    pub acute_stay: Stay,
    /// Services after the acute ward (none: everyone goes home).
    pub downstream: Vec<Downstream>,
}

impl PeerModel {
    /// The model called `name` (`mmc`, `blocking`, `pathways`), as in `scenarios/peer_NAME`.
    pub fn by_name(name: &str) -> Option<PeerModel> {
        let exponential = |mean| Stay::Exponential { mean };
        Some(match name {
            "mmc" => PeerModel {
                rate_per_day: 45.0,
                acute_name: "ward",
                acute_beds: 240,
                acute_stay: exponential(5.0),
                downstream: Vec::new(),
            },
            "blocking" => PeerModel {
                rate_per_day: 40.0,
                acute_name: "acute",
                acute_beds: 180,
                acute_stay: exponential(4.0),
                downstream: vec![Downstream {
                    name: "community",
                    probability: 0.3,
                    beds: 52,
                    stay: exponential(4.0),
                }],
            },
            "pathways" => PeerModel {
                rate_per_day: 50.0,
                acute_name: "acute",
                acute_beds: 290,
                acute_stay: Stay::lognormal(5.0, 4.0),
                downstream: vec![
                    Downstream {
                        name: "home_care",
                        probability: 0.25,
                        beds: 135,
                        stay: exponential(10.0),
                    },
                    Downstream {
                        name: "rehab",
                        probability: 0.15,
                        beds: 115,
                        stay: exponential(14.0),
                    },
                    Downstream {
                        name: "care_home",
                        probability: 0.05,
                        beds: 160,
                        stay: exponential(60.0),
                    },
                ],
            },
            _ => return None,
        })
    }
}

/// A ward's results over the run.
#[derive(Debug, Clone)]
pub struct WardResult {
    /// Service name.
    pub name: &'static str,
    /// Time-weighted mean of occupied beds.
    pub mean_occupancy: f64,
    /// Bed-days occupied by patients fit to leave and waiting for the next service.
    pub delayed_bed_days: f64,
    /// Mean length of stay of the patients who left.
    pub mean_time_in_bed: f64,
    /// Admissions.
    pub admissions: u64,
    /// Mean wait for a bed, days.
    pub mean_wait: f64,
    /// 95th percentile of the wait, days.
    pub wait_p95: f64,
    /// The most beds occupied at once.
    pub max_occupancy: u32,
    /// The longest queue.
    pub max_queue: usize,
    /// Patients who began a delay in this ward's beds.
    pub delayed_patients: u64,
    /// Bed-days of patients waiting in an acute bed for this ward.
    pub awaited_bed_days: f64,
}

/// One run's results.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Patients who arrived.
    pub patients: u64,
    /// Events handled: arrivals and ends of stays.
    pub events: u64,
    /// The acute ward, then the downstream services.
    pub wards: Vec<WardResult>,
    /// Mean arrival-to-leaving time of the entry ward, days.
    pub mean_time_to_leave: f64,
    /// Patients who left the entry ward with an arrival-to-leaving time over the threshold.
    pub over_threshold: u64,
    /// Patients who left the entry ward for another service.
    pub onward: u64,
    /// Mean arrival-to-leaving time of those who left for another service, days.
    pub mean_time_to_onward: f64,
}

#[derive(Debug, Clone, Copy)]
struct Patient {
    arrived: f64,
    admitted: f64,
    wait_start: f64,
    /// 0: acute; `1 + i`: downstream service `i`.
    ward: u8,
}

struct Ward {
    beds: u32,
    occupied: u32,
    /// Patients in this ward's beds fit to leave and waiting for another service.
    delayed: u32,
    /// Patients waiting in the queue (acute only).
    queue: VecDeque<u32>,
    /// Patients waiting in an acute bed for this ward.
    blocked: VecDeque<u32>,
    last: f64,
    occupied_area: f64,
    delayed_area: f64,
    queue_area: f64,
    awaited_area: f64,
    full_time: f64,
    max_occupancy: u32,
    max_queue: usize,
    delayed_patients: u64,
    admissions: u64,
    departures: u64,
    stay_sum: f64,
    wait_sum: f64,
    long_waits: u64,
    zero_waits: u64,
    waits: Histogram<u64>,
}

impl Ward {
    fn new(beds: u32) -> Ward {
        Ward {
            beds,
            occupied: 0,
            delayed: 0,
            queue: VecDeque::new(),
            blocked: VecDeque::new(),
            last: 0.0,
            occupied_area: 0.0,
            delayed_area: 0.0,
            queue_area: 0.0,
            awaited_area: 0.0,
            full_time: 0.0,
            max_occupancy: 0,
            max_queue: 0,
            delayed_patients: 0,
            admissions: 0,
            departures: 0,
            stay_sum: 0.0,
            wait_sum: 0.0,
            long_waits: 0,
            zero_waits: 0,
            waits: histogram(),
        }
    }

    #[inline]
    fn advance(&mut self, now: f64) {
        let dt = now - self.last;
        if dt > 0.0 {
            self.occupied_area += f64::from(self.occupied) * dt;
            self.delayed_area += f64::from(self.delayed) * dt;
            self.queue_area += self.queue.len() as f64 * dt;
            self.awaited_area += self.blocked.len() as f64 * dt;
            if self.occupied >= self.beds {
                self.full_time += dt;
            }
            self.last = now;
        }
    }

    #[inline]
    fn admit(&mut self, now: f64, wait: f64) {
        self.advance(now);
        self.occupied += 1;
        self.max_occupancy = self.max_occupancy.max(self.occupied);
        self.admissions += 1;
        self.wait_sum += wait;
        if wait > THRESHOLD_DAYS {
            self.long_waits += 1;
        }
        if wait == 0.0 {
            self.zero_waits += 1;
        } else {
            record(&mut self.waits, wait);
        }
    }

    #[inline]
    fn discharge(&mut self, now: f64, stay: f64) {
        self.advance(now);
        self.occupied -= 1;
        self.departures += 1;
        self.stay_sum += stay;
    }

    fn result(&self, name: &'static str, horizon: f64) -> WardResult {
        let p95 = if self.admissions == 0 {
            0.0
        } else {
            // The zero waits are the bottom of the distribution.
            let q = 0.95 * self.admissions as f64;
            if q <= self.zero_waits as f64 || self.waits.is_empty() {
                0.0
            } else {
                let q = (q - self.zero_waits as f64) / self.waits.len() as f64;
                self.waits.value_at_quantile(q.min(1.0)) as f64 / SECONDS_PER_DAY
            }
        };
        WardResult {
            name,
            mean_occupancy: self.occupied_area / horizon,
            delayed_bed_days: self.delayed_area,
            mean_time_in_bed: self.stay_sum / self.departures.max(1) as f64,
            admissions: self.admissions,
            mean_wait: self.wait_sum / self.admissions.max(1) as f64,
            wait_p95: p95,
            max_occupancy: self.max_occupancy,
            max_queue: self.max_queue,
            delayed_patients: self.delayed_patients,
            awaited_bed_days: self.awaited_area,
        }
    }
}

fn histogram() -> Histogram<u64> {
    Histogram::new(3).expect("3 significant digits is a valid precision")
}

#[inline]
fn record(h: &mut Histogram<u64>, days: f64) {
    h.record((days * SECONDS_PER_DAY + 0.5) as u64)
        .expect("an auto-resizing histogram records any u64");
}

/// Arrival-to-leaving statistics of the entry ward.
struct Entry {
    patients: u64,
    time_sum: f64,
    over_threshold: u64,
    onward: u64,
    onward_time_sum: f64,
    onward_over_threshold: u64,
    times: Histogram<u64>,
    bins: [u64; BINS],
}

/// The run's state: wards (0 is acute), patients in a slab, ends of stays in a heap.
struct Run<'m> {
    model: &'m PeerModel,
    rng: Xoshiro256PlusPlus,
    now: f64,
    wards: Vec<Ward>,
    patients: Vec<Patient>,
    free: Vec<u32>,
    /// Ends of stays: (time bits, patient). Times are non-negative, so their bits order as
    /// the numbers do.
    ends: BinaryHeap<Reverse<(u64, u32)>>,
    entry: Entry,
}

impl Run<'_> {
    #[inline]
    fn admit(&mut self, ward: u8, p: u32) {
        let now = self.now;
        let patient = &mut self.patients[p as usize];
        let wait = now - patient.wait_start;
        patient.admitted = now;
        patient.ward = ward;
        let stay = if ward == 0 {
            self.model.acute_stay
        } else {
            self.model.downstream[usize::from(ward) - 1].stay
        };
        let end = now + stay.sample(&mut self.rng);
        self.wards[usize::from(ward)].admit(now, wait);
        self.ends.push(Reverse((end.to_bits(), p)));
    }

    /// `p` leaves their acute bed, home or (`onward`) for another service; the bed goes to
    /// the head of the acute queue.
    #[inline]
    fn leave_acute(&mut self, p: u32, onward: bool) {
        let now = self.now;
        let patient = self.patients[p as usize];
        self.wards[0].discharge(now, now - patient.admitted);
        let time = now - patient.arrived;
        let e = &mut self.entry;
        e.patients += 1;
        e.time_sum += time;
        let over = time > THRESHOLD_DAYS;
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
        record(&mut e.times, time);
        e.bins[((time * 96.0) as usize).min(BINS - 1)] += 1;
        if let Some(q) = self.wards[0].queue.pop_front() {
            self.admit(0, q);
        }
    }

    #[inline]
    fn free(&mut self, p: u32) {
        self.free.push(p);
    }
}

/// Runs `model` for `horizon` days from `seed`.
pub fn run(model: &PeerModel, horizon: f64, seed: u64) -> RunResult {
    let mut wards = vec![Ward::new(model.acute_beds)];
    wards.extend(model.downstream.iter().map(|d| Ward::new(d.beds)));
    // Cumulative probabilities of the downstream services; the rest go home.
    let mut cumulative = Vec::with_capacity(model.downstream.len());
    let mut total = 0.0;
    for d in &model.downstream {
        total += d.probability;
        cumulative.push(total);
    }
    let mut run = Run {
        model,
        rng: Xoshiro256PlusPlus::seed_from_u64(seed),
        now: 0.0,
        wards,
        patients: Vec::new(),
        free: Vec::new(),
        ends: BinaryHeap::new(),
        entry: Entry {
            patients: 0,
            time_sum: 0.0,
            over_threshold: 0,
            onward: 0,
            onward_time_sum: 0.0,
            onward_over_threshold: 0,
            times: histogram(),
            bins: [0; BINS],
        },
    };
    let gap = 1.0 / model.rate_per_day;
    let mut next_arrival = gap * Distribution::<f64>::sample(&Exp1, &mut run.rng);
    let (mut arrived, mut events) = (0u64, 0u64);
    loop {
        let next_end = run
            .ends
            .peek()
            .map_or(f64::INFINITY, |Reverse((bits, _))| f64::from_bits(*bits));
        if next_arrival <= next_end {
            if next_arrival >= horizon {
                break;
            }
            run.now = next_arrival;
            next_arrival += gap * Distribution::<f64>::sample(&Exp1, &mut run.rng);
            arrived += 1;
            events += 1;
            let now = run.now;
            let patient = Patient {
                arrived: now,
                admitted: now,
                wait_start: now,
                ward: 0,
            };
            let p = match run.free.pop() {
                Some(p) => {
                    run.patients[p as usize] = patient;
                    p
                }
                None => {
                    run.patients.push(patient);
                    (run.patients.len() - 1) as u32
                }
            };
            let acute = &mut run.wards[0];
            if acute.occupied < acute.beds {
                run.admit(0, p);
            } else {
                acute.advance(now);
                acute.queue.push_back(p);
                acute.max_queue = acute.max_queue.max(acute.queue.len());
            }
            continue;
        }
        if next_end >= horizon {
            break;
        }
        let Reverse((_, p)) = run.ends.pop().expect("peeked");
        run.now = next_end;
        events += 1;
        let now = run.now;
        let ward = run.patients[p as usize].ward;
        if ward == 0 {
            let next = if cumulative.is_empty() {
                None
            } else {
                let u: f64 = StandardUniform.sample(&mut run.rng);
                cumulative.iter().position(|&c| u < c)
            };
            match next {
                None => {
                    run.leave_acute(p, false);
                    run.free(p);
                }
                Some(d) => {
                    let to = d as u8 + 1;
                    run.patients[p as usize].wait_start = now;
                    let w = &run.wards[usize::from(to)];
                    if w.occupied < w.beds {
                        run.leave_acute(p, true);
                        run.admit(to, p);
                    } else {
                        let acute = &mut run.wards[0];
                        acute.advance(now);
                        acute.delayed += 1;
                        acute.delayed_patients += 1;
                        let awaited = &mut run.wards[usize::from(to)];
                        awaited.advance(now);
                        awaited.blocked.push_back(p);
                    }
                }
            }
        } else {
            let stay = now - run.patients[p as usize].admitted;
            run.wards[usize::from(ward)].discharge(now, stay);
            run.free(p);
            if let Some(q) = run.wards[usize::from(ward)].blocked.pop_front() {
                let acute = &mut run.wards[0];
                acute.advance(now);
                acute.delayed -= 1;
                run.leave_acute(q, true);
                run.admit(ward, q);
            }
        }
    }
    for w in &mut run.wards {
        w.advance(horizon);
    }
    let mut wards = vec![run.wards[0].result(model.acute_name, horizon)];
    wards.extend(
        model
            .downstream
            .iter()
            .zip(&run.wards[1..])
            .map(|(d, w)| w.result(d.name, horizon)),
    );
    RunResult {
        patients: arrived,
        events,
        wards,
        mean_time_to_leave: run.entry.time_sum / run.entry.patients.max(1) as f64,
        over_threshold: run.entry.over_threshold,
        onward: run.entry.onward,
        mean_time_to_onward: run.entry.onward_time_sum / run.entry.onward.max(1) as f64,
    }
}
