//! Stays as published models give them: a continuous family rounded to whole units and kept
//! within a range.
//!
//! The stay is `round(X)` (or `X` unrounded) for X from the family, kept only when it lies in
//! `[min, max]`: the family conditioned on landing in the range. Rounding first makes the
//! range one of whole numbers, `A = ⌈min⌉ … B = ⌊max⌋`, and the draws X that give them a
//! range too: `[A − ½, B + ½)` to the nearest unit, `(A − 1, B]` up. So every draw is one
//! inversion, `X = F⁻¹(F(lo) + U (F(hi) − F(lo)))` (from the upper tail, `S⁻¹`, when the range
//! is there), then rounded: one uniform word per stay, never a loop. When the range holds the
//! family's whole support (rounding alone), the family's own sampler is used and its draw
//! rounded.

use super::continuous::{Continuous, Tail, Window};
use super::{DistributionError, LengthOfStay, Shape};
use crate::sampling;
use rand_core::RngCore;

/// How a drawn stay is rounded to whole units (days; hours a week for home-care packages)
/// before it is kept within its range ([`LengthOfStay::limited`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rounding {
    /// Not rounded.
    #[default]
    None,
    /// To the nearest whole unit, halves up: 2.5 days is 3.
    Nearest,
    /// Up to the next whole unit: 2.1 days is 3, 2 days stays 2.
    Up,
}

impl Rounding {
    /// The stay a draw `x` gives.
    pub(super) fn apply(self, x: f64) -> f64 {
        match self {
            Rounding::None => x,
            Rounding::Nearest => x.round(),
            Rounding::Up => x.ceil(),
        }
    }

    /// The stays kept within `[min, max]`: the whole numbers in it when rounding.
    pub(super) fn bounds(self, min: f64, max: f64) -> (f64, f64) {
        match self {
            Rounding::None => (min, max),
            Rounding::Nearest | Rounding::Up => (min.ceil(), max.floor()),
        }
    }

    /// The draws whose stays lie in `[a, b]` (whole when rounding), ends included or not.
    fn draws_giving(self, a: f64, b: f64) -> (f64, f64) {
        match self {
            Rounding::None => (a, b),
            Rounding::Nearest => (a - 0.5, b + 0.5),
            Rounding::Up => (a - 1.0, b),
        }
    }

    /// The draw above which the stay exceeds `s`: a rounded stay exceeds `s` when it is at
    /// least `⌊s⌋ + 1`.
    pub(super) fn draws_above(self, s: f64) -> f64 {
        match self {
            Rounding::None => s,
            Rounding::Nearest => s.floor() + 0.5,
            Rounding::Up => s.floor(),
        }
    }

    /// The shortest stay above `s`.
    fn shortest_above(self, s: f64) -> f64 {
        match self {
            Rounding::None => s,
            Rounding::Nearest | Rounding::Up => s.floor() + 1.0,
        }
    }

    /// `E[round(X) − X]` for X spread evenly over a unit, and `E[(round(X) − X)²]`: the
    /// rounding's effect on the moments where a stay is many units long.
    fn spread(self) -> (f64, f64) {
        match self {
            Rounding::None => (0.0, 0.0),
            Rounding::Nearest => (0.0, 1.0 / 12.0),
            Rounding::Up => (0.5, 1.0 / 3.0),
        }
    }
}

/// The most whole units whose probabilities [`Limited::moments`] sums one by one; beyond, the
/// rounding's effect is taken as its average over a unit.
const MAX_CELLS: u32 = 100_000;
/// The most proposals the equilibrium residual of a rounded stay tries (each accepted with
/// probability at least ½): all are refused with probability below 2⁻⁶⁴.
const MAX_RESIDUAL_TRIES: u32 = 64;

/// A continuous family rounded and kept within a range.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Limited {
    /// The family: its name, and its sampler when the range is its whole support.
    pub(super) base: Shape,
    dist: Continuous,
    rounding: Rounding,
    /// The stays kept, ends included (whole numbers when rounding).
    bounds: (f64, f64),
    /// The draws that give them.
    window: Window,
    /// Whether the window holds the family's whole support.
    whole: bool,
    /// What the equilibrium residual draws from.
    residual: LengthBiased,
}

/// The length-biased stay (density ∝ stay × its probability), drawn by proposing X from
/// `(x + c) f(x)` over the draws giving stays above 0 — a mixture of the family itself (weight
/// `c · P`) and its size-biased form (weight `E[X] · P̃`) — and accepting with probability
/// `stay / (X + c)`, with `c` the largest `stay − X` (½ to the nearest unit, 1 up, 0 unrounded,
/// when every proposal is accepted). Each proposal's stay is at least 1 and `X + c` below
/// `stay + 1`, so at least half are accepted.
#[derive(Debug, Clone, PartialEq)]
struct LengthBiased {
    c: f64,
    plain: Window,
    biased_dist: Continuous,
    biased: Window,
    /// The probability of proposing from the family itself.
    share_plain: f64,
}

impl Limited {
    /// Whether draws are rounded to whole units.
    pub(super) fn rounds(&self) -> bool {
        self.rounding != Rounding::None
    }

    /// `base` (a continuous family, as `dist`), rounded, kept within `[min, max]`.
    pub(super) fn new(
        base: Shape,
        dist: Continuous,
        rounding: Rounding,
        min: f64,
        max: f64,
    ) -> Result<Self, DistributionError> {
        let bounds = rounding.bounds(min, max);
        let (lo, hi) = rounding.draws_giving(bounds.0, bounds.1);
        let window = dist.window(lo, hi);
        let probability = if bounds.0 <= bounds.1 {
            window.probability()
        } else {
            0.0
        };
        // NaN is refused too.
        if probability.is_nan() || probability < LengthOfStay::MIN_PROBABILITY {
            return Err(DistributionError::NegligibleRange {
                min,
                max,
                probability,
            });
        }
        let support = dist.support();
        let whole = lo <= support.0 && hi >= support.1;
        let c = match rounding {
            Rounding::None => 0.0,
            Rounding::Nearest => 0.5,
            Rounding::Up => 1.0,
        };
        let positive_lo = lo.max(rounding.draws_above(0.0));
        let plain = dist.window(positive_lo, hi);
        let biased_dist = dist.biased(1);
        let biased = biased_dist.window(positive_lo, hi);
        let (w_plain, w_biased) = (
            c * plain.probability(),
            dist.raw_moment(1) * biased.probability(),
        );
        let share_plain = if w_plain + w_biased > 0.0 {
            w_plain / (w_plain + w_biased)
        } else {
            0.0
        };
        Ok(Limited {
            base,
            dist,
            rounding,
            bounds,
            window,
            whole,
            residual: LengthBiased {
                c,
                plain,
                biased_dist,
                biased,
                share_plain,
            },
        })
    }

    /// The stay a draw `x` from the window gives (an end of the window, where inversion
    /// can land, rounds into the range).
    fn stay(&self, x: f64) -> f64 {
        self.rounding.apply(x).clamp(self.bounds.0, self.bounds.1)
    }

    pub(super) fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        if self.whole {
            self.stay(self.base.sample(rng))
        } else {
            self.stay(self.window.draw(&self.dist, sampling::open01(rng)))
        }
    }

    pub(super) fn probability_above(&self, x: f64) -> f64 {
        if x < 0.0 {
            return 1.0;
        }
        let lo = self.window.lo.max(self.rounding.draws_above(x));
        let above = self.dist.window(lo, self.window.hi).probability();
        (above / self.window.probability()).min(1.0)
    }

    pub(super) fn max(&self) -> Option<f64> {
        let top = self
            .rounding
            .apply(self.dist.support().1)
            .min(self.bounds.1);
        top.is_finite().then_some(top)
    }

    pub(super) fn can_be_zero(&self) -> bool {
        self.rounding == Rounding::Nearest && self.bounds.0 <= 0.0 && self.dist.split(0.5).0 > 0.0
    }

    /// `(E[S], E[S²])` of the stay S. Unrounded, exactly: `E[X^n; range] = E[X^n] ·` the
    /// range's probability under the size-biased form of order n. Rounded, by summing
    /// `k^n P(S = k)` over the whole units that carry probability (from the 10⁻³⁰ quantile),
    /// up to [`MAX_CELLS`] of them; beyond those (or once less than 10⁻¹⁸ of the probability
    /// is left), the stays are taken as unrounded plus the rounding's average effect over a
    /// unit, which is off by less than a unit times the probability left.
    pub(super) fn moments(&self) -> (f64, f64) {
        let total = self.window.probability();
        let partial = |n: u32, lo: f64, hi: f64| {
            self.dist.raw_moment(n) * self.dist.biased(n).window(lo, hi).probability()
        };
        if self.rounding == Rounding::None {
            return (
                partial(1, self.window.lo, self.window.hi) / total,
                partial(2, self.window.lo, self.window.hi) / total,
            );
        }
        let (hi, start) = (self.window.hi, self.dist.inverse(Tail::Below(1e-30)));
        let mut k = self.bounds.0.max(self.rounding.apply(start));
        let (mut m1, mut m2) = (0.0, 0.0);
        for _ in 0..MAX_CELLS {
            let (from, to) = self.rounding.draws_giving(k, k);
            let cell = self.dist.window(from.max(self.window.lo), to.min(hi));
            let p = cell.probability();
            m1 += k * p;
            m2 += k * k * p;
            k += 1.0;
            if k > self.bounds.1 {
                return (m1 / total, m2 / total);
            }
            if self.dist.window(to, hi).probability() < 1e-18 * total {
                break;
            }
        }
        // What is left, from the lower edge of unit k, as unrounded plus the rounding's
        // average effect.
        let from = self.rounding.draws_giving(k, k).0;
        let (shift, square) = self.rounding.spread();
        let p = self.dist.window(from, hi).probability();
        let (x1, x2) = (partial(1, from, hi), partial(2, from, hi));
        m1 += x1 + shift * p;
        m2 += x2 + 2.0 * shift * x1 + square * p;
        (m1 / total, m2 / total)
    }

    /// A draw of the equilibrium residual: `U ·` the length-biased stay.
    pub(super) fn sample_residual<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        let r = &self.residual;
        if r.plain.probability() == 0.0 && r.biased.probability() == 0.0 {
            // Every stay is 0.
            return 0.0;
        }
        let mut stay = 0.0;
        for _ in 0..MAX_RESIDUAL_TRIES {
            let x = if r.share_plain > 0.0 && sampling::uniform01(rng) < r.share_plain {
                r.plain.draw(&self.dist, sampling::open01(rng))
            } else {
                r.biased.draw(&r.biased_dist, sampling::open01(rng))
            };
            // A proposal gives a stay of at least 1 (when rounding).
            stay = self
                .stay(x)
                .max(self.rounding.shortest_above(0.0).min(self.bounds.1));
            if r.c == 0.0 || sampling::uniform01(rng) * (x + r.c) < stay {
                break;
            }
        }
        sampling::uniform01(rng) * stay
    }

    /// Whether the range holds the family's whole support.
    pub(super) fn is_whole(&self) -> bool {
        self.whole
    }

    /// The stays above `elapsed`.
    pub(super) fn above(&self, elapsed: f64) -> Conditional {
        let lo = self.window.lo.max(self.rounding.draws_above(elapsed));
        let window = self.dist.window(lo, self.window.hi);
        Conditional {
            probability: (window.probability() / self.window.probability()).min(1.0),
            dist: self.dist.clone(),
            window,
            rounding: self.rounding,
            bounds: (
                self.bounds.0.max(self.rounding.shortest_above(elapsed)),
                self.bounds.1,
            ),
        }
    }
}

/// `conditional` if a stay above `elapsed` has probability at least
/// [`LengthOfStay::MIN_PROBABILITY`]; else the error.
pub(super) fn conditional<T>(
    elapsed: f64,
    probability: f64,
    conditional: T,
) -> Result<T, DistributionError> {
    if probability >= LengthOfStay::MIN_PROBABILITY {
        Ok(conditional)
    } else {
        Err(DistributionError::ElapsedTooLong {
            elapsed,
            probability,
        })
    }
}

/// A continuous family (maybe rounded and limited) conditioned on a stay above some time:
/// the draws that give such stays, and what they are rounded to.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Conditional {
    /// The probability of a stay above the time.
    pub(super) probability: f64,
    pub(super) dist: Continuous,
    pub(super) window: Window,
    pub(super) rounding: Rounding,
    /// The stays possible, ends included.
    pub(super) bounds: (f64, f64),
}

impl Conditional {
    /// The family alone, unrounded and unlimited, above `elapsed`.
    pub(super) fn unlimited(dist: Continuous, elapsed: f64) -> Self {
        let window = dist.window(elapsed.max(0.0), f64::INFINITY);
        Conditional {
            probability: window.probability(),
            dist,
            window,
            rounding: Rounding::None,
            bounds: (elapsed.max(0.0), f64::INFINITY),
        }
    }

    /// One stay, by inversion within the window.
    pub(super) fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = self.window.draw(&self.dist, sampling::open01(rng));
        self.rounding.apply(x).clamp(self.bounds.0, self.bounds.1)
    }
}
