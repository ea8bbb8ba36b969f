//! The remaining stay of a patient already in their service for a known time: drawn exactly
//! from `(stay − elapsed | stay > elapsed)`.

use super::limits::Conditional;
use crate::sampling;
use rand_core::RngCore;

/// The remaining stay of a patient who has already spent `elapsed` days in their service,
/// drawn from the stay's distribution conditioned on exceeding `elapsed`:
/// `(stay − elapsed | stay > elapsed)`. Built by
/// [`LengthOfStay::remaining_after`](super::LengthOfStay::remaining_after).
///
/// Each family is drawn exactly, with one uniform word per draw: the continuous ones (and
/// their truncated or rounded forms) by inversion within the draws that give a stay above
/// `elapsed` — `F⁻¹(F(e) + U (1 − F(e)))`, computed from the upper tail as
/// `S⁻¹(U · S(e))`, so a long elapsed time keeps its precision; a fixed stay is its value;
/// an empirical one is one of the observations above `elapsed`, equally likely, found by
/// binary search among the sorted observations.
#[derive(Debug, Clone, PartialEq)]
pub struct RemainingStay<'a> {
    elapsed: f64,
    probability: f64,
    draw: Draw<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Draw<'a> {
    Continuous(Conditional),
    Fixed(f64),
    /// The observations above the elapsed time.
    Observed(&'a [f64]),
}

impl<'a> RemainingStay<'a> {
    pub(super) fn new(elapsed: f64, probability: f64, draw: Draw<'a>) -> Self {
        RemainingStay {
            elapsed,
            probability,
            draw,
        }
    }

    /// The time already spent, days.
    pub fn elapsed(&self) -> f64 {
        self.elapsed
    }

    /// The probability that a stay exceeds the elapsed time, at least
    /// [`LengthOfStay::MIN_PROBABILITY`](super::LengthOfStay::MIN_PROBABILITY).
    pub fn probability(&self) -> f64 {
        self.probability
    }

    /// Draws one remaining stay, in days (more than 0 but for rounding at the ends of
    /// floating-point precision).
    pub fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        let stay = match &self.draw {
            Draw::Continuous(c) => c.sample(rng),
            // One word, as a fixed stay's plain draw spends.
            Draw::Fixed(v) => {
                rng.next_u64();
                *v
            }
            Draw::Observed(xs) => xs[sampling::index(rng, xs.len())],
        };
        (stay - self.elapsed).max(0.0)
    }
}
