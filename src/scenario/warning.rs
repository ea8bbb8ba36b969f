//! Scenario warnings: things careflow runs as written but that probably do not mean what the
//! analyst intended, shown with the results rather than refused.

use std::fmt;
use std::path::PathBuf;

/// How far a profile's mean multiplier may be from 1 before it is warned about: hand-written
/// multipliers rounded to two decimals stay well within it.
pub(crate) const PROFILE_MEAN_TOLERANCE: f64 = 1e-3;

/// Something in a scenario that careflow runs as written but that probably does not mean what
/// it says. Shown in the printed summary (`warning: …`) and in `run.csv` (key `warning`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ScenarioWarning {
    /// An arrival stream's profile multipliers do not average 1 over the day (or over the
    /// week), so its daily mean is not its `rate_per_day`: multipliers are used as written,
    /// never normalised.
    ProfileRate {
        /// `arrivals.csv`.
        path: PathBuf,
        /// The stream's line.
        line: u64,
        /// The stream.
        stream: String,
        /// Its profile.
        profile: String,
        /// `rate_per_day` as written.
        rate_per_day: f64,
        /// Mean of the profile's 24 hour-of-day multipliers.
        hour_mean: f64,
        /// Mean of its 7 day-of-week multipliers.
        weekday_mean: f64,
    },
    /// A service written with the old column `queue_capacity` 0, which says two things at
    /// once: patients moving on from another service wait in their beds, *and* arrivals from
    /// outside are turned away when it is full. Warned about when arrival streams come to it.
    QueueCapacityZero {
        /// `services.csv`.
        path: PathBuf,
        /// The service's line.
        line: u64,
        /// The service.
        service: String,
        /// The arrival streams that come to it, whose patients are turned away when it is
        /// full.
        streams: Vec<String>,
    },
}

impl ScenarioWarning {
    /// For [`ProfileRate`](Self::ProfileRate): the mean arrivals per day outside dated periods,
    /// `rate_per_day × hour_mean × weekday_mean`.
    pub fn effective_rate_per_day(&self) -> Option<f64> {
        match self {
            ScenarioWarning::ProfileRate {
                rate_per_day,
                hour_mean,
                weekday_mean,
                ..
            } => Some(rate_per_day * hour_mean * weekday_mean),
            ScenarioWarning::QueueCapacityZero { .. } => None,
        }
    }
}

impl fmt::Display for ScenarioWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioWarning::ProfileRate {
                path,
                line,
                stream,
                profile,
                rate_per_day,
                hour_mean,
                weekday_mean,
            } => write!(
                f,
                "{}:{line}: arrival stream '{stream}': rate_per_day {rate_per_day} but profile \
                 '{profile}' multipliers average {hour_mean:.4} over the day and \
                 {weekday_mean:.4} over the week, so it brings {:.4} arrivals a day on average \
                 (outside dated periods); scale the multipliers to average 1, or set rate_per_day \
                 to the daily mean you mean",
                path.display(),
                rate_per_day * hour_mean * weekday_mean,
            ),
            ScenarioWarning::QueueCapacityZero {
                path,
                line,
                service,
                streams,
            } => write!(
                f,
                "{}:{line}: service '{service}': queue_capacity 0 keeps patients moving on from \
                 other services in their beds and also turns away arrivals from outside when it \
                 is full (arrival streams {}); to say which you mean, replace queue_capacity \
                 with waiting_list, transfers_wait and when_full (waiting_list unlimited, \
                 transfers_wait in_bed, when_full waiting_list lets those arrivals wait)",
                path.display(),
                streams.join(", ")
            ),
        }
    }
}
