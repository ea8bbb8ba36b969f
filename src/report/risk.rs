//! The spread of a money statistic across replications: how likely it is to fall below zero
//! (a deficit, a breach of a control total) and its 5th and 95th percentiles.
//!
//! The distribution is over the model's run-to-run variation for the parameters given: the
//! randomness of arrivals, lengths of stay and routes, replication by replication. It says
//! nothing of how uncertain the parameters themselves are (a tariff, a demand forecast).

use super::quantile;
use statrs::distribution::{ContinuousCDF, Normal};

/// How far below £0 an amount must be to count as below it: half a penny. Amounts are money,
/// summed in floating point from many bookings, so two variants with the same flows can differ
/// by a few millionths of a pound in the order of their sums; that is rounding, not a loss.
pub const HALF_PENNY: f64 = 0.005;

/// Below this many replications the 5th and 95th percentiles rest on one or two values at
/// each end, so the report warns that they are rough.
pub const ROUGH_TAILS_BELOW: usize = 20;

/// How one statistic is spread across replications.
///
/// # Example
///
/// ```
/// use careflow::report::Risk;
///
/// // Surpluses of ten replications, three of them deficits.
/// let surplus = [-3.0, -2.0, -1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
/// let risk = Risk::new(&surplus, 0.95);
/// assert_eq!((risk.below_zero, risk.p_below_zero), (3, 0.3));
/// // Wilson score interval for 3 of 10 at 95%: 0.108 to 0.603.
/// assert!((risk.p_low - 0.1078).abs() < 1e-4 && (risk.p_high - 0.6032).abs() < 1e-4);
/// // Type 7 quantiles: 0.05 · 9 = 0.45 of the way from the 1st to the 2nd smallest.
/// assert!((risk.p05 - -2.55).abs() < 1e-12 && (risk.p95 - 6.55).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Risk {
    /// Number of replications.
    pub n: usize,
    /// How many were below zero: below −[`HALF_PENNY`].
    pub below_zero: usize,
    /// The share below zero, `below_zero / n`: for a surplus, the probability of a deficit;
    /// for a control total's headroom, of a breach; for a paired difference in surplus, of
    /// being worse off than in the baseline.
    pub p_below_zero: f64,
    /// Lower end of the Wilson score interval of that probability at `level`.
    pub p_low: f64,
    /// Upper end of the Wilson score interval.
    pub p_high: f64,
    /// The 5th percentile across replications (Hyndman and Fan type 7: linear interpolation
    /// between order statistics, the default of R and numpy).
    pub p05: f64,
    /// The 95th percentile, likewise.
    pub p95: f64,
    /// Confidence level of the interval, e.g. 0.95.
    pub level: f64,
}

impl Risk {
    /// The spread of `values` (one per replication) with a Wilson interval at `level`.
    ///
    /// # Panics
    ///
    /// If `values` is empty, holds a NaN, or `level` is not strictly between 0 and 1 (the
    /// report checks that money is finite first).
    pub fn new(values: &[f64], level: f64) -> Risk {
        assert!(!values.is_empty(), "a spread needs at least one value");
        assert!(values.iter().all(|x| !x.is_nan()), "values are numbers");
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = values.len();
        let below_zero = values.iter().filter(|&&x| x < -HALF_PENNY).count();
        let (p_low, p_high) = wilson(below_zero, n, level);
        Risk {
            n,
            below_zero,
            p_below_zero: below_zero as f64 / n as f64,
            p_low,
            p_high,
            p05: quantile(&sorted, 0.05),
            p95: quantile(&sorted, 0.95),
            level,
        }
    }

    /// Whether the percentiles rest on too few replications to be more than rough (fewer than
    /// [`ROUGH_TAILS_BELOW`]).
    pub fn tails_are_rough(&self) -> bool {
        self.n < ROUGH_TAILS_BELOW
    }
}

/// The Wilson score interval of a proportion, `k` of `n`, at confidence `level`:
/// `(p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)`, with `z` the standard normal
/// quantile at `1 − (1 − level)/2`. Unlike the normal approximation it stays inside [0, 1]
/// and is not empty at 0 or n of n.
///
/// # Panics
///
/// If `n` is 0, `k > n`, or `level` is not strictly between 0 and 1.
pub fn wilson(k: usize, n: usize, level: f64) -> (f64, f64) {
    assert!(n > 0 && k <= n, "a proportion of at least one trial");
    assert!(
        level > 0.0 && level < 1.0,
        "confidence level should be in (0, 1)"
    );
    let normal = Normal::new(0.0, 1.0).expect("the standard normal is valid");
    let z = normal.inverse_cdf(1.0 - 0.5 * (1.0 - level));
    let (n, p) = (n as f64, k as f64 / n as f64);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 or n of n the interval touches 0 or 1 exactly; rounding must not leave it short.
    let low = if k == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if k as f64 == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals_match_hand_figures() {
        // z = 1.959964. 0 of 10: centre = half = (z²/20) / (1 + z²/10) = 0.138772.
        let (low, high) = wilson(0, 10, 0.95);
        assert_eq!(low, 0.0);
        assert!((high - 0.277_53).abs() < 1e-5, "{high}");
        // 5 of 5: centre (1 + z²/10)/(1 + z²/5) = 0.782 757, half 0.217 243.
        let (low, high) = wilson(5, 5, 0.95);
        assert!((low - 0.565_51).abs() < 1e-5, "{low}");
        assert_eq!(high, 1.0);
        // 1 of 2: symmetric about ½.
        let (low, high) = wilson(1, 2, 0.95);
        assert!((low + high - 1.0).abs() < 1e-12);
        // 90%: z = 1.644854; 3 of 10 gives 0.1269 to 0.5583.
        let (low, high) = wilson(3, 10, 0.9);
        assert!((low - 0.126_9).abs() < 1e-4 && (high - 0.558_3).abs() < 1e-4);
    }

    #[test]
    fn a_constant_statistic_has_no_spread() {
        let risk = Risk::new(&[-5.0; 4], 0.95);
        assert_eq!((risk.below_zero, risk.p_below_zero), (4, 1.0));
        assert_eq!((risk.p05, risk.p95), (-5.0, -5.0));
        assert!(risk.tails_are_rough());
        // Zero is not below zero: breaking even is not a deficit; nor is rounding in the sums.
        let risk = Risk::new(&[0.0, -3e-8, -0.004, -0.006], 0.95);
        assert_eq!(risk.below_zero, 1);
    }

    #[test]
    fn one_value_is_its_own_percentiles() {
        let risk = Risk::new(&[7.0], 0.95);
        assert_eq!((risk.p05, risk.p95, risk.n), (7.0, 7.0, 1));
        assert!(!Risk::new(&[1.0; ROUGH_TAILS_BELOW], 0.95).tails_are_rough());
    }
}
