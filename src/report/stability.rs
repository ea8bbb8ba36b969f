//! Whether a run is unstable: a queue that grows throughout the observation window, which a
//! mean wait or occupancy reports as an ordinary number although it depends only on how long
//! the run lasted.
//!
//! # The trend test
//!
//! With the daily series (the scenario's `daily_series` setting, on by default), for each
//! variant and each service:
//!
//! 1. The window's whole days (day `d` with `warmup_days ≤ d` and `d + 1 ≤ horizon_days`) are
//!    split into a first and a second half ([`MIN_DAYS`] days at least, else no test).
//! 2. In each replication and each half, the slope of the service's daily mean queue against
//!    the day number is fitted by least squares (patients a day).
//! 3. Replications are independent, so each half's slopes are tested with a one-sided
//!    Student-t test across replications (n − 1 degrees of freedom, n ≥
//!    [`MIN_REPLICATIONS`]): the queue grows in that half if the mean slope exceeds
//!    `t(1 − α, n − 1) · sd / √n` with α = [`SIGNIFICANCE`] (slopes all equal and positive
//!    count as growth). It must grow in **both** halves: a queue that rises once (a winter, or
//!    a warm-up slightly too short) and then settles does not qualify.
//! 4. A practical threshold, so that a tiny drift in a big queue does not cry wolf: the growth
//!    over the window (each half's mean slope times its length, added) must be at least
//!    [`MIN_GROWTH`] patients and at least [`MIN_RELATIVE_GROWTH`] of the mean queue over the
//!    window's first tenth of days.
//!
//! Without the daily series, the whole system's count is tested instead: each replication's
//! `inside_at_end − inside_at_start`, one-sided t-test at α across replications, the growth at
//! least [`MIN_GROWTH`] patients and [`MIN_RELATIVE_GROWTH`] of the mean `inside_at_start`;
//! "throughout" cannot be judged from two counts, so this warns only when some service's
//! offered load is also at or above 1.
//!
//! Each warning also names the likely causes: the services with an offered load at or above 1,
//! and those full at least [`FULL_SHARE`] of the time while patients wait for them in other
//! services' beds (whose demand the run understates, as patients blocked upstream never
//! arrive).
//!
//! # Offered load
//!
//! Each warning gives offered loads (arrivals a day × mean stay ÷ capacity), estimated from the
//! run's own statistics, not from the scenario's traffic equations: arrivals a day are the
//! patients who sought a place at the service over the window; the mean stay is Little's law
//! on the places in use (mean occupancy ÷ admissions a day, which, unlike the mean stay of
//! those who left, is not cut short by the window's end); the capacity is the mean capacity.
//! Together, the mean utilisation × arrivals ÷ admissions (means across replications). A load
//! at or above 1 means demand the service cannot carry however long the run.

use crate::summary::{mean_and_sd, t_upper};
use crate::{Experiment, ExperimentResult, Model, ReplicationResult};

/// The one-sided significance level of each trend test.
pub const SIGNIFICANCE: f64 = 0.01;
/// The fewest replications the trend test needs (fewer: no test, no warning).
pub const MIN_REPLICATIONS: usize = 3;
/// The fewest whole days in the observation window for the daily test.
pub const MIN_DAYS: usize = 20;
/// The smallest growth over the window, patients, that a warning reports.
pub const MIN_GROWTH: f64 = 1.0;
/// The smallest growth over the window, as a share of the queue (or system count) at its
/// start, that a warning reports.
pub const MIN_RELATIVE_GROWTH: f64 = 0.25;
/// The share of time full from which a service that patients wait for in other services'
/// beds is named as a likely cause.
pub const FULL_SHARE: f64 = 0.95;

/// One warning line for each variant and service whose queue grows throughout the window
/// (or, without the daily series, each variant whose system count grows), naming the service
/// and its offered load; see the [module docs](self).
pub(crate) fn warnings(experiment: &Experiment, result: &ExperimentResult) -> Vec<String> {
    let mut lines = Vec::new();
    for ((name, reps), variant) in result
        .names
        .iter()
        .zip(&result.results)
        .zip(experiment.variants())
    {
        if reps.len() < MIN_REPLICATIONS {
            continue;
        }
        let model = &variant.model;
        let loads = offered_loads(model, reps);
        let causes = causes(model, reps, &loads);
        if model.settings().daily_series && reps.iter().all(|r| !r.daily.is_empty()) {
            for (s, service) in model.services().iter().enumerate() {
                if let Some((start, growth)) = queue_growth(model, reps, s) {
                    lines.push(format!(
                        "{name}: the queue for '{}' grows throughout the observation window, by {:.1} patients (from {:.1} in its first tenth; mean of {} replications), so its waits depend on the run's length; offered load {} (arrivals a day × mean stay ÷ capacity, estimated from this run){}",
                        service.name(),
                        growth,
                        start,
                        reps.len(),
                        load_text(loads[s]),
                        causes.text(Some(s)),
                    ));
                }
            }
        } else if let Some((start, growth)) = system_growth(reps)
            && loads.iter().any(|l| l.is_none_or(|l| l >= 1.0))
        {
            lines.push(format!(
                "{name}: the number of patients in the system grows over the observation window, by {growth:.1} (from {start:.1}; mean of {} replications; without the daily series no queue is tested), so its waits depend on the run's length{} (offered load: arrivals a day × mean stay ÷ capacity, estimated from this run)",
                reps.len(),
                causes.text(None),
            ));
        }
    }
    lines
}

/// The services a warning names as the likely cause of a growing queue: those with an
/// offered load at or above 1, and those full at least [`FULL_SHARE`] of the time while
/// patients wait for them in other services' beds (their load as estimated from the run
/// understates their demand: patients blocked upstream never arrive).
struct Causes {
    /// (service, offered load, share of time full, delayed bed-days a day awaiting a place
    /// there).
    services: Vec<(String, usize, Option<f64>, f64, f64)>,
}

/// See [`Causes`].
fn causes(model: &Model, reps: &[ReplicationResult], loads: &[Option<f64>]) -> Causes {
    let n = reps.len() as f64;
    let services = model
        .services()
        .iter()
        .enumerate()
        .filter_map(|(s, service)| {
            let full = reps
                .iter()
                .map(|r| r.services[s].share_time_full)
                .sum::<f64>()
                / n;
            let blocked = reps
                .iter()
                .map(|r| {
                    let days = r.observed_days.max(f64::MIN_POSITIVE);
                    r.delays
                        .iter()
                        .filter(|d| {
                            d.awaiting.index() == s && d.reason == crate::DelayReason::Place
                        })
                        .map(|d| d.bed_days / days)
                        .sum::<f64>()
                })
                .sum::<f64>()
                / n;
            let over = loads[s].is_none_or(|l| l >= 1.0);
            (over || (full >= FULL_SHARE && blocked > 0.0))
                .then(|| (service.name().to_string(), s, loads[s], full, blocked))
        })
        .collect();
    Causes { services }
}

impl Causes {
    /// `; ` and the causes other than `except`, or nothing.
    fn text(&self, except: Option<usize>) -> String {
        let named: Vec<String> = self
            .services
            .iter()
            .filter(|c| Some(c.1) != except)
            .map(|(name, _, load, full, blocked)| {
                let mut t = format!("'{name}' offered load {}", load_text(*load));
                if *blocked > 0.0 {
                    t.push_str(&format!(
                        ", full {:.0}% of the time with {blocked:.1} patients on average waiting for it in other services' beds",
                        full * 100.0
                    ));
                }
                t
            })
            .collect();
        if named.is_empty() {
            String::new()
        } else {
            format!("; likely cause: {}", named.join("; "))
        }
    }
}

/// An offered load for a message: two decimals, or why there is none.
fn load_text(load: Option<f64>) -> String {
    match load {
        Some(l) => format!("{l:.2}"),
        None => "unknown (nobody admitted in the window)".to_string(),
    }
}

/// Each service's offered load estimated from the replications `reps` (see the
/// [module docs](self)): `None` where nobody was admitted but someone sought a place, or the
/// service never had a place.
pub(crate) fn offered_loads(model: &Model, reps: &[ReplicationResult]) -> Vec<Option<f64>> {
    (0..model.services().len())
        .map(|s| {
            let n = reps.len() as f64;
            let mean = |f: &dyn Fn(&crate::ServiceResult) -> f64| {
                reps.iter().map(|r| f(&r.services[s])).sum::<f64>() / n
            };
            let arrivals = mean(&|x| x.arrivals as f64);
            let admissions = mean(&|x| x.admissions as f64);
            let utilisation = mean(&|x| x.utilisation);
            let capacity = mean(&|x| x.mean_capacity);
            if admissions > 0.0 {
                Some(utilisation * arrivals / admissions)
            } else if arrivals == 0.0 && capacity > 0.0 {
                // Places nobody sought.
                Some(0.0)
            } else {
                None
            }
        })
        .collect()
}

/// The whole days of the observation window: `[first, end)`.
fn window_days(model: &Model) -> (u32, u32) {
    let s = model.settings();
    (s.warmup_days.ceil() as u32, s.horizon_days.floor() as u32)
}

/// `(queue at the start, growth over the window)` when service `s`'s daily queue grows in
/// both halves of the window by the test of the [module docs](self); `None` otherwise.
fn queue_growth(model: &Model, reps: &[ReplicationResult], s: usize) -> Option<(f64, f64)> {
    let (first, end) = window_days(model);
    let days = end.saturating_sub(first) as usize;
    if days < MIN_DAYS {
        return None;
    }
    let half = days / 2;
    let tenth = (days / 10).max(1);
    let series: Vec<Vec<f64>> = reps
        .iter()
        .map(|r| {
            let mut q = vec![0.0; days];
            for d in &r.daily {
                if d.service.index() == s && d.day >= first && d.day < end {
                    q[(d.day - first) as usize] = d.queue;
                }
            }
            q
        })
        .collect();
    let slopes = |range: std::ops::Range<usize>| -> Vec<f64> {
        series.iter().map(|q| slope(&q[range.clone()])).collect()
    };
    let (early, late) = (slopes(0..half), slopes(half..days));
    if !grows(&early) || !grows(&late) {
        return None;
    }
    let growth = mean_and_sd(&early).0 * half as f64 + mean_and_sd(&late).0 * (days - half) as f64;
    let start = series
        .iter()
        .map(|q| q[..tenth].iter().sum::<f64>())
        .sum::<f64>()
        / (tenth * reps.len()) as f64;
    practical(start, growth).then_some((start, growth))
}

/// `(inside at start, growth)` when the system's count grows over the window (the test
/// without the daily series, see the [module docs](self)); `None` otherwise.
fn system_growth(reps: &[ReplicationResult]) -> Option<(f64, f64)> {
    let growth: Vec<f64> = reps
        .iter()
        .map(|r| r.system.inside_at_end as f64 - r.system.inside_at_start as f64)
        .collect();
    let start = reps
        .iter()
        .map(|r| r.system.inside_at_start as f64)
        .sum::<f64>()
        / reps.len() as f64;
    let mean = mean_and_sd(&growth).0;
    (grows(&growth) && practical(start, mean)).then_some((start, mean))
}

/// Whether the practical threshold is met: growth of at least [`MIN_GROWTH`] patients and
/// [`MIN_RELATIVE_GROWTH`] of `start`.
fn practical(start: f64, growth: f64) -> bool {
    growth >= MIN_GROWTH && growth >= MIN_RELATIVE_GROWTH * start
}

/// The one-sided t-test across replications: whether the mean of `values` is significantly
/// above 0 at [`SIGNIFICANCE`] (values all equal and positive: yes).
fn grows(values: &[f64]) -> bool {
    let n = values.len();
    if n < MIN_REPLICATIONS || values.iter().any(|v| !v.is_finite()) {
        return false;
    }
    let (mean, sd) = mean_and_sd(values);
    if mean <= 0.0 {
        return false;
    }
    if sd == 0.0 {
        return true;
    }
    mean / (sd / (n as f64).sqrt()) > t_upper(SIGNIFICANCE, n - 1)
}

/// The least-squares slope of `y` against its index (0 for fewer than two points).
fn slope(y: &[f64]) -> f64 {
    let n = y.len();
    if n < 2 {
        return 0.0;
    }
    let mean_x = (n - 1) as f64 / 2.0;
    let mean_y = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, v) in y.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (v - mean_y);
        sxx += dx * dx;
    }
    sxy / sxx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_is_least_squares() {
        assert_eq!(slope(&[1.0, 3.0, 5.0, 7.0]), 2.0);
        assert_eq!(slope(&[4.0, 4.0, 4.0]), 0.0);
        assert_eq!(slope(&[2.0]), 0.0);
        assert!((slope(&[0.0, 1.0, 0.0, 1.0]) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn growth_needs_a_significant_positive_mean() {
        assert!(grows(&[1.0, 1.1, 0.9, 1.05]));
        assert!(grows(&[2.0, 2.0, 2.0]));
        assert!(!grows(&[1.0, -1.0, 0.5, -0.4]));
        assert!(!grows(&[0.0, 0.0, 0.0]));
        assert!(!grows(&[1.0, 1.0])); // too few replications
        assert!(!grows(&[1.0, f64::NAN, 1.0]));
        // Mean 1, sd 0.82, n 4: t = 2.45 < t(0.99, 3) = 4.54.
        assert!(!grows(&[0.0, 1.0, 2.0, 1.0]));
    }

    #[test]
    fn a_small_drift_in_a_big_queue_is_not_reported() {
        assert!(!practical(100.0, 10.0));
        assert!(practical(100.0, 30.0));
        assert!(!practical(0.0, 0.5));
        assert!(practical(0.0, 1.0));
    }
}
