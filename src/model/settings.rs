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
    /// The financial years the observation window (warm-up end to horizon) covers only in
    /// part, each cut to the part observed. Money in such a year is pro rata or partial (a
    /// 1-day year after a 730-day warm-up from 1 April 2026, as 2028 is a leap year), so
    /// annual figures do not read as annual; `observe_financial_years` in `settings.csv` sets
    /// the window to whole years.
    ///
    /// ```
    /// use careflow::Settings;
    /// use chrono::NaiveDate;
    ///
    /// let mut settings = Settings {
    ///     start_date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
    ///     horizon_days: 1095.0,
    ///     warmup_days: 730.0,
    ///     seed: 1,
    ///     replications: 10,
    ///     wait_threshold_hours: 4.0,
    ///     daily_series: false,
    /// };
    /// let cut = settings.partial_financial_years();
    /// assert_eq!(cut.len(), 2);
    /// assert_eq!((cut[0].label.as_str(), cut[0].end - cut[0].start), ("2027-28", 1.0));
    /// assert_eq!((cut[1].label.as_str(), cut[1].end - cut[1].start), ("2028-29", 364.0));
    /// settings.warmup_days = 731.0;
    /// settings.horizon_days = 1096.0;
    /// assert!(settings.partial_financial_years().is_empty());
    /// ```
    pub fn partial_financial_years(&self) -> Vec<super::FinancialYear> {
        super::FinancialYear::between(self.start_date, self.warmup_days, self.horizon_days)
            .into_iter()
            .filter(|y| y.end - y.start < y.year_days)
            .collect()
    }

    /// Days since the start date of `date` (negative before it).
    pub fn day_of(&self, date: NaiveDate) -> f64 {
        (date - self.start_date).num_days() as f64
    }
}
