//! Home care counted in visits: a package's visits a day fall linearly from an initial to a
//! final rate over its length.

use super::LengthOfStay;

/// The visits a day of the packages of one class at one service counted in visits
/// (`visit_rates.csv`): the rate on a package's first day and on its last, each drawn per
/// package.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRates {
    pub(crate) initial: LengthOfStay,
    pub(crate) last: LengthOfStay,
}

impl VisitRates {
    /// The rates from their distributions: `initial` on a package's first day, `last` on its
    /// last (`rate` `initial` and `final` in `visit_rates.csv`).
    pub fn new(initial: LengthOfStay, last: LengthOfStay) -> Self {
        VisitRates { initial, last }
    }

    /// The distribution of the visits a day on a package's first day.
    pub fn initial(&self) -> &LengthOfStay {
        &self.initial
    }

    /// The distribution of the visits a day on a package's last day.
    pub fn last(&self) -> &LengthOfStay {
        &self.last
    }

    /// The most visits any day of a package can need: visits on each day lie between the
    /// rounded initial and final rates, so the larger of their largest values, rounded
    /// (`None` when either is unbounded).
    pub fn most_in_a_day(&self) -> Option<f64> {
        Some(self.initial.max()?.max(self.last.max()?).round())
    }
}

/// The visits on day `day` (0 for the first) of a package of `length` days whose rate falls
/// (or rises) linearly from `initial` on its first day to `last` on its last:
/// `initial + (last − initial) · day / (length − 1)`, rounded to the nearest whole visit,
/// halves away from zero; a package of one day has its initial rate. Days outside the package
/// (`day ≥ length`) have no visits.
///
/// # Example
///
/// ```
/// use careflow::visits_on_day;
///
/// // 4 visits a day falling to 1 over 5 days: 4, 3.25, 2.5, 1.75, 1 → 4, 3, 3, 2, 1.
/// let days: Vec<u32> = (0..5).map(|k| visits_on_day(4.0, 1.0, 5, k)).collect();
/// assert_eq!(days, [4, 3, 3, 2, 1]);
/// assert_eq!(visits_on_day(4.0, 1.0, 1, 0), 4);
/// assert_eq!(visits_on_day(4.0, 1.0, 5, 5), 0);
/// ```
#[inline]
pub fn visits_on_day(initial: f64, last: f64, length: u64, day: u64) -> u32 {
    if day >= length {
        return 0;
    }
    let rate = if length == 1 {
        initial
    } else {
        initial + (last - initial) * (day as f64 / (length - 1) as f64)
    };
    // Rates are finite and non-negative (the engine checks each draw), so this is exact for
    // every count a u32 holds and saturates beyond.
    rate.round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visits_fall_linearly_and_round_halves_away_from_zero() {
        // 3 → 0 over 3 days: 3, 1.5, 0 → 3, 2, 0.
        let v: Vec<u32> = (0..3).map(|k| visits_on_day(3.0, 0.0, 3, k)).collect();
        assert_eq!(v, [3, 2, 0]);
        // Rising: 1 → 2 over 3 days: 1, 1.5, 2 → 1, 2, 2.
        let v: Vec<u32> = (0..3).map(|k| visits_on_day(1.0, 2.0, 3, k)).collect();
        assert_eq!(v, [1, 2, 2]);
        // Unrounded rates: 2.4 → 2.4 gives 2 every day.
        assert!((0..10).all(|k| visits_on_day(2.4, 2.4, 10, k) == 2));
        // Zero-length packages have no days.
        assert_eq!(visits_on_day(4.0, 1.0, 0, 0), 0);
        // A package of 10^9 days: its middle day is halfway.
        assert_eq!(visits_on_day(4.0, 2.0, 1_000_000_001, 500_000_000), 3);
    }
}
