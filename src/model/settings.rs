//! Run settings: horizon, warm-up, seed, replications.

use chrono::NaiveDate;

/// How a scenario is run: the simulated period, the warm-up, the seed and the number of
/// replications.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Calendar date of day 0 (its weekday anchors weekday profiles; calendar entries and
    /// profile periods are dates).
    pub start_date: NaiveDate,
    /// Simulated time, days (finite, above 0).
    pub horizon_days: f64,
    /// Warm-up, days (at least 0, below the horizon): statistics start at its end; the state
    /// carries on.
    pub warmup_days: f64,
    /// Base seed: replication `r` is seeded from `(seed, r)` only.
    pub seed: u64,
    /// Replications an experiment runs by default.
    pub replications: u32,
    /// Threshold for "long waits" at entry services, hours (e.g. the 4-hour ED standard).
    pub wait_threshold_hours: f64,
    /// Whether to record the daily time series (memory grows with the horizon when on).
    pub daily_series: bool,
}

impl Settings {
    /// Days since the start date of `date` (negative before it).
    pub fn day_of(&self, date: NaiveDate) -> f64 {
        (date - self.start_date).num_days() as f64
    }
}
