//! Observed stays, with what draws other than a plain resample need precomputed: the
//! observations sorted (a census patient's remaining stay given the days already spent, and
//! survival probabilities, by binary search) and their running sums (the equilibrium
//! residual's length-biased pick, by binary search), so each such draw costs O(log n) rather
//! than a pass over every observation.

use crate::sampling;
use rand_core::RngCore;

/// Observed stays, each equally likely.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Empirical {
    /// As given: a plain draw picks one by index, so its value depends on this order only.
    observations: Vec<f64>,
    /// Ascending.
    sorted: Vec<f64>,
    /// `cumulative[i]`: the sum of the first `i + 1` observations in the given order.
    cumulative: Vec<f64>,
    mean: f64,
}

impl Empirical {
    /// `observations` must be non-empty, finite and at least 0 (the constructor of
    /// [`LengthOfStay`](super::LengthOfStay) checks).
    pub(super) fn new(observations: Vec<f64>) -> Self {
        let mut sorted = observations.clone();
        sorted.sort_by(f64::total_cmp);
        let cumulative: Vec<f64> = observations
            .iter()
            .scan(0.0, |sum, &x| {
                *sum += x;
                Some(*sum)
            })
            .collect();
        let mean = observations.iter().sum::<f64>() / observations.len() as f64;
        Empirical {
            observations,
            sorted,
            cumulative,
            mean,
        }
    }

    /// The observations as given.
    pub(super) fn observations(&self) -> &[f64] {
        &self.observations
    }

    pub(super) fn mean(&self) -> f64 {
        self.mean
    }

    pub(super) fn largest(&self) -> f64 {
        *self.sorted.last().expect("at least one observation")
    }

    pub(super) fn smallest(&self) -> f64 {
        self.sorted[0]
    }

    /// Whether every observation is a whole number.
    pub(super) fn all_whole(&self) -> bool {
        self.sorted.iter().all(|x| x.fract() == 0.0)
    }

    /// One observation, each equally likely.
    #[inline]
    pub(super) fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        self.observations[sampling::index(rng, self.observations.len())]
    }

    /// The observations above `x`, ascending.
    pub(super) fn above(&self, x: f64) -> &[f64] {
        &self.sorted[self.sorted.partition_point(|&o| o <= x)..]
    }

    /// The share of observations above `x`.
    pub(super) fn probability_above(&self, x: f64) -> f64 {
        self.above(x).len() as f64 / self.sorted.len() as f64
    }

    /// An observation picked with probability proportional to its value (0 if all are 0):
    /// the first whose running sum exceeds `U ·` the total.
    pub(super) fn length_biased<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        let total = *self.cumulative.last().expect("at least one observation");
        if total <= 0.0 {
            return 0.0;
        }
        let u = sampling::uniform01(rng) * total;
        let i = self.cumulative.partition_point(|&c| c <= u);
        // Rounding can leave u at the total: the last observation, as a scan would give.
        self.observations[i.min(self.observations.len() - 1)]
    }
}
