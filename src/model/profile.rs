//! Time profiles: how an arrival rate varies by hour of day, day of week and dated period.

/// Dense index of a [`Profile`] in a [`Model`](crate::Model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProfileId(pub(crate) u32);

/// A dated period, such as winter, during which the rate is multiplied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    /// Start, in days since the scenario start (inclusive).
    pub start: f64,
    /// End, in days since the scenario start (exclusive).
    pub end: f64,
    /// Rate multiplier inside the period.
    pub multiplier: f64,
}

/// Multipliers applied to an arrival stream's base rate.
///
/// The rate at time `t` is `rate_per_day × hour[h] × weekday[d] × period(t)`, where `h` is the
/// hour of day, `d` the day of the week and `period(t)` the multiplier of the dated period that
/// contains `t` (1 outside every period). Multipliers are used as written, not normalised: an
/// hour-of-day profile whose multipliers average 1 keeps the daily mean at `rate_per_day`.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub(crate) name: String,
    pub(crate) hour: [f64; 24],
    pub(crate) weekday: [f64; 7],
    /// Sorted by start, non-overlapping.
    pub(crate) periods: Vec<Period>,
    /// Day of week of day 0 (0 = Monday).
    pub(crate) start_weekday: u32,
}

impl Profile {
    /// A profile with every multiplier 1.
    pub(crate) fn flat(name: String, start_weekday: u32) -> Self {
        Profile {
            name,
            hour: [1.0; 24],
            weekday: [1.0; 7],
            periods: Vec::new(),
            start_weekday,
        }
    }

    /// The profile's id as written in the scenario.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Multiplier for each hour of the day, 0–23.
    pub fn hour_multipliers(&self) -> &[f64; 24] {
        &self.hour
    }

    /// Multiplier for each day of the week, Monday first.
    pub fn weekday_multipliers(&self) -> &[f64; 7] {
        &self.weekday
    }

    /// Dated periods, sorted by start.
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// The multiplier at time `t` (days since the scenario start).
    pub fn multiplier(&self, t: f64) -> f64 {
        let day = t.floor();
        let hour = (((t - day) * 24.0) as usize).min(23);
        let weekday = ((day as i64 + i64::from(self.start_weekday)).rem_euclid(7)) as usize;
        self.hour[hour] * self.weekday[weekday] * self.period_multiplier(t)
    }

    fn period_multiplier(&self, t: f64) -> f64 {
        // Periods are few and sorted: find the last one starting at or before t.
        let i = self.periods.partition_point(|p| p.start <= t);
        match i.checked_sub(1).map(|i| &self.periods[i]) {
            Some(p) if t < p.end => p.multiplier,
            _ => 1.0,
        }
    }

    /// The mean of [`multiplier`](Self::multiplier) over `[from, to)` (days since the
    /// scenario start, `0 <= from`): the arrival rate's mean over that window is
    /// `rate_per_day` times it. Exact: hour-of-day and weekday multipliers are integrated
    /// piece by piece, and dated periods by their overlap with the window. For `to <= from`,
    /// the multiplier at `from`.
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::Model;
    ///
    /// let model = Model::load("scenarios/baseline")?;
    /// let elective = model.profile(model.arrivals()[4].profile().unwrap());
    /// // 1.4 on five weekdays, none at weekends, mornings only: a mean of 1 over whole weeks.
    /// assert!((elective.mean_multiplier(7.0, 707.0) - 1.0).abs() < 1e-9);
    /// # Ok::<(), careflow::Error>(())
    /// ```
    pub fn mean_multiplier(&self, from: f64, to: f64) -> f64 {
        if to.partial_cmp(&from) != Some(std::cmp::Ordering::Greater) {
            return self.multiplier(from);
        }
        let mut cuts = vec![from, to];
        for p in &self.periods {
            cuts.extend([p.start, p.end].into_iter().filter(|&t| t > from && t < to));
        }
        cuts.sort_by(f64::total_cmp);
        let total: f64 = cuts
            .windows(2)
            .filter(|w| w[1] > w[0])
            .map(|w| {
                let middle = w[0] + (w[1] - w[0]) / 2.0;
                self.period_multiplier(middle)
                    * (self.cyclic_integral(w[1]) - self.cyclic_integral(w[0]))
            })
            .sum();
        total / (to - from)
    }

    /// `∫₀ᵗ hour × weekday` multipliers, days (dated periods left out).
    fn cyclic_integral(&self, t: f64) -> f64 {
        let hour_mean = self.hour.iter().sum::<f64>() / 24.0;
        let weekday =
            |day: i64| self.weekday[(day + i64::from(self.start_weekday)).rem_euclid(7) as usize];
        let day = t.floor();
        let weeks = (day / 7.0).floor();
        let mut total = weeks * self.weekday.iter().sum::<f64>() * hour_mean;
        let first = (weeks * 7.0) as i64;
        for d in first..day as i64 {
            total += weekday(d) * hour_mean;
        }
        // The part of the last day: whole hours, then the part of an hour.
        let hours = (t - day) * 24.0;
        let whole = (hours.floor() as usize).min(23);
        let in_day =
            self.hour[..whole].iter().sum::<f64>() + self.hour[whole] * (hours - whole as f64);
        total + weekday(day as i64) * in_day / 24.0
    }

    /// An upper bound on [`multiplier`](Self::multiplier) over all time, for thinning.
    pub fn max_multiplier(&self) -> f64 {
        let max = |xs: &[f64]| xs.iter().copied().fold(0.0_f64, f64::max);
        let period = self
            .periods
            .iter()
            .map(|p| p.multiplier)
            .fold(1.0_f64, f64::max);
        max(&self.hour) * max(&self.weekday) * period
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiplier_combines_hour_weekday_and_period() {
        let mut p = Profile::flat("p".into(), 2); // day 0 is a Wednesday
        p.hour[9] = 2.0;
        p.weekday[2] = 1.5;
        p.periods.push(Period {
            start: 0.0,
            end: 1.0,
            multiplier: 3.0,
        });
        assert_eq!(p.multiplier(9.5 / 24.0), 2.0 * 1.5 * 3.0);
        assert_eq!(p.multiplier(1.0 + 9.5 / 24.0), 2.0); // Thursday, after the period
        assert_eq!(p.multiplier(7.0 + 0.1), 1.5);
        assert_eq!(p.max_multiplier(), 9.0);
    }

    #[test]
    fn mean_multiplier_is_the_integral_of_the_multiplier_over_the_window() {
        let mut p = Profile::flat("p".into(), 4);
        for (h, m) in p.hour.iter_mut().enumerate() {
            *m = 0.5 + (h % 5) as f64 * 0.3;
        }
        p.weekday = [1.3, 1.1, 1.0, 0.9, 1.2, 0.2, 0.0];
        p.periods.push(Period {
            start: 10.25,
            end: 40.6,
            multiplier: 1.5,
        });
        p.periods.push(Period {
            start: 50.0,
            end: 51.0,
            multiplier: 0.0,
        });
        for (from, to) in [(0.0, 7.0), (3.3, 61.7), (10.3, 10.4), (45.0, 1000.0)] {
            // A midpoint sum on a grid finer than the hour, aligned with every change.
            let steps = ((to - from) * 24.0 * 60.0_f64).round() as usize;
            let width = (to - from) / steps as f64;
            let sum: f64 = (0..steps)
                .map(|i| p.multiplier(from + (i as f64 + 0.5) * width))
                .sum();
            let numeric = sum / steps as f64;
            let exact = p.mean_multiplier(from, to);
            assert!(
                (exact - numeric).abs() < 1e-3,
                "{from}..{to}: {exact} vs {numeric}"
            );
        }
        // A flat profile averages 1; an empty window gives the multiplier there.
        assert!((Profile::flat("f".into(), 0).mean_multiplier(0.5, 99.9) - 1.0).abs() < 1e-12);
        assert_eq!(p.mean_multiplier(12.0, 12.0), p.multiplier(12.0));
    }
}
