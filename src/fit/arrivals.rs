//! Arrival streams from the episodes that start spells: a Poisson rate per (class, entry
//! service) with its exact interval, and hour-of-day, weekday and month-of-year profiles
//! where a chi-square test says the data show them.

use super::stays::Estimate;
use chrono::{Datelike, NaiveDateTime, Timelike};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The significance level at which a profile is taken to be in the data.
pub const PROFILE_LEVEL: f64 = 0.01;

/// Expected arrivals per cell a chi-square test needs (the usual rule of thumb).
const MIN_EXPECTED: f64 = 5.0;

/// A month of the year needs this many days in the extract to get its own multiplier.
const MIN_MONTH_DAYS: f64 = 7.0;

/// One arrival stream fitted.
#[derive(Debug, Clone)]
pub struct StreamFit {
    /// Its id in `arrivals.csv` (and its profile's).
    pub id: String,
    /// The class.
    pub class: String,
    /// The entry service.
    pub service: String,
    /// Arrivals in the extract.
    pub arrivals: u64,
    /// Mean arrivals per day (`rate_per_day`, the mean over weekdays when there is a weekday
    /// profile), with its exact 95% Poisson interval.
    pub rate: Estimate,
    /// Hour-of-day multipliers (averaging 1), when the data show them.
    pub hours: Option<[f64; 24]>,
    /// The chi-square test's p-value for a flat day, `None` when too few arrivals to test.
    pub hours_p: Option<f64>,
    /// Weekday multipliers, Monday first (averaging 1), when the data show them.
    pub weekdays: Option<[f64; 7]>,
    /// The p-value for equal weekdays.
    pub weekdays_p: Option<f64>,
    /// Month-of-year multipliers (month 1–12, multiplier), when the data show them.
    pub months: Option<Vec<(u32, f64)>>,
    /// The p-value for equal months.
    pub months_p: Option<f64>,
}

/// Days of the window `[start, end)` on each weekday (Monday first) and in each month of the
/// year (January first).
fn exposure(start: NaiveDateTime, end: NaiveDateTime) -> ([f64; 7], [f64; 12]) {
    let (mut weekdays, mut months) = ([0.0; 7], [0.0; 12]);
    let mut day = start.date();
    while day <= end.date() {
        let from = day
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .max(start);
        let to = (day + chrono::Days::new(1))
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .min(end);
        let days = crate::episodes::days_between(from, to).max(0.0);
        weekdays[day.weekday().num_days_from_monday() as usize] += days;
        months[day.month0() as usize] += days;
        day = day + chrono::Days::new(1);
    }
    (weekdays, months)
}

/// The p-value of Pearson's chi-square test of `counts` against `expected`; `None` when a
/// cell expects too few.
fn chi_square_p(counts: &[f64], expected: &[f64]) -> Option<f64> {
    if counts.len() < 2 || expected.iter().any(|&e| e < MIN_EXPECTED) {
        return None;
    }
    let x: f64 = counts
        .iter()
        .zip(expected)
        .map(|(c, e)| (c - e) * (c - e) / e)
        .sum();
    let chi = ChiSquared::new((counts.len() - 1) as f64).ok()?;
    Some(chi.sf(x))
}

/// The exact 95% interval of a Poisson count `n`, divided by `days`.
fn poisson_rate(n: u64, days: f64) -> Estimate {
    let q = |df: f64, p: f64| {
        ChiSquared::new(df)
            .map(|c| c.inverse_cdf(p) / 2.0)
            .unwrap_or(f64::NAN)
    };
    let low = if n == 0 {
        0.0
    } else {
        q(2.0 * n as f64, 0.025)
    };
    let high = q(2.0 * n as f64 + 2.0, 0.975);
    Estimate {
        value: n as f64 / days,
        low: low / days,
        high: high / days,
    }
}

/// Fits a stream from its arrival times in the window `[start, end)`.
pub(crate) fn fit_stream(
    id: String,
    class: String,
    service: String,
    times: &[NaiveDateTime],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> StreamFit {
    let days = crate::episodes::days_between(start, end);
    let n = times.len() as u64;
    let total = n as f64;
    let (weekday_days, month_days) = exposure(start, end);

    let mut hour_counts = [0.0; 24];
    let mut weekday_counts = [0.0; 7];
    let mut month_counts = [0.0; 12];
    for t in times {
        hour_counts[t.hour() as usize] += 1.0;
        weekday_counts[t.weekday().num_days_from_monday() as usize] += 1.0;
        month_counts[t.month0() as usize] += 1.0;
    }
    let hours_p = chi_square_p(&hour_counts, &[total / 24.0; 24]);
    let hours = hours_p.filter(|&p| p < PROFILE_LEVEL).map(|_| {
        let mut m = [0.0; 24];
        for (m, c) in m.iter_mut().zip(hour_counts) {
            *m = 24.0 * c / total;
        }
        m
    });

    // Weekdays: only if every weekday is in the window.
    let weekdays_p = if weekday_days.iter().all(|&d| d > 0.0) {
        let expected: Vec<f64> = weekday_days.iter().map(|d| total * d / days).collect();
        chi_square_p(&weekday_counts, &expected)
    } else {
        None
    };
    let weekday_rates: Vec<f64> = weekday_counts
        .iter()
        .zip(weekday_days)
        .map(|(c, d)| c / d)
        .collect();
    let weekday_mean = weekday_rates.iter().sum::<f64>() / 7.0;
    let weekdays = weekdays_p.filter(|&p| p < PROFILE_LEVEL).map(|_| {
        let mut m = [0.0; 7];
        for (m, r) in m.iter_mut().zip(&weekday_rates) {
            *m = r / weekday_mean;
        }
        m
    });

    let months_seen: Vec<usize> = (0..12)
        .filter(|&i| month_days[i] >= MIN_MONTH_DAYS)
        .collect();
    let seen_days: f64 = months_seen.iter().map(|&i| month_days[i]).sum();
    let seen_count: f64 = months_seen.iter().map(|&i| month_counts[i]).sum();
    let months_p = (months_seen.len() >= 2)
        .then(|| {
            let counts: Vec<f64> = months_seen.iter().map(|&i| month_counts[i]).collect();
            let expected: Vec<f64> = months_seen
                .iter()
                .map(|&i| seen_count * month_days[i] / seen_days)
                .collect();
            chi_square_p(&counts, &expected)
        })
        .flatten();
    let months = months_p.filter(|&p| p < PROFILE_LEVEL).map(|_| {
        let overall = seen_count / seen_days;
        months_seen
            .iter()
            .map(|&i| (i as u32 + 1, month_counts[i] / month_days[i] / overall))
            .collect()
    });

    let mut rate = poisson_rate(n, days);
    if weekdays.is_some() {
        // rate_per_day is the mean over the weekdays, which the multipliers average to.
        let scale = weekday_mean / rate.value;
        rate = Estimate {
            value: weekday_mean,
            low: rate.low * scale,
            high: rate.high * scale,
        };
    }
    StreamFit {
        id,
        class,
        service,
        arrivals: n,
        rate,
        hours,
        hours_p,
        weekdays,
        weekdays_p,
        months,
        months_p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn exposure_counts_partial_days() {
        let (w, m) = exposure(at("2026-01-05 12:00"), at("2026-01-07 06:00"));
        // Monday 5 January: half a day; Tuesday whole; Wednesday a quarter.
        assert_eq!(&w[..3], &[0.5, 1.0, 0.25]);
        assert_eq!(m[0], 1.75);
    }

    #[test]
    fn a_poisson_interval_covers_the_rate() {
        let r = poisson_rate(100, 10.0);
        assert_eq!(r.value, 10.0);
        assert!(
            (r.low - 8.136).abs() < 0.01 && (r.high - 12.163).abs() < 0.01,
            "{r:?}"
        );
        assert_eq!(poisson_rate(0, 10.0).low, 0.0);
    }

    #[test]
    fn a_daytime_stream_gets_an_hour_profile_and_a_flat_one_does_not() {
        let start = at("2026-01-05 00:00");
        let end = at("2026-03-02 00:00");
        let mut day = Vec::new();
        let mut flat = Vec::new();
        for d in 0..56 {
            for h in 0..24 {
                let t = start + chrono::TimeDelta::hours(24 * d + h);
                flat.push(t);
                if (8..20).contains(&h) {
                    day.push(t);
                    day.push(t);
                }
            }
        }
        let s = fit_stream("s".into(), "c".into(), "e".into(), &day, start, end);
        let hours = s.hours.unwrap();
        assert_eq!(hours[3], 0.0);
        assert_eq!(hours[10], 2.0);
        assert!((hours.iter().sum::<f64>() - 24.0).abs() < 1e-9);
        assert!(s.weekdays.is_none() && s.months.is_none(), "{s:?}");
        let f = fit_stream("f".into(), "c".into(), "e".into(), &flat, start, end);
        assert!(f.hours.is_none() && f.weekdays.is_none());
        assert!((f.rate.value - 24.0).abs() < 1e-9);
    }
}
