//! Length-of-stay distributions, in days, in the parameters analysts think in.

mod continuous;
mod empirical;
mod limits;
mod remaining;

use crate::sampling::{self, Exponential, Gamma, LogNormal, Triangular, Uniform, Weibull};
use continuous::Continuous;
use empirical::Empirical;
pub use limits::Rounding;
use limits::{Conditional, Limited};
use rand_core::RngCore;
use remaining::Draw;
pub use remaining::RemainingStay;

/// Why a length-of-stay distribution could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DistributionError {
    /// A parameter that must be a finite number above zero was not.
    #[error("{name} must be a finite number greater than 0, found {value}")]
    NotPositive {
        /// Parameter name, as in `los.csv`.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// A parameter that must be a finite number of at least zero was not.
    #[error("{name} must be a finite number of at least 0, found {value}")]
    Negative {
        /// Parameter name, as in `los.csv`.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// Bounds out of order: triangular needs `min <= mode <= max` and `min < max`; uniform
    /// needs `min < max`.
    #[error("expected min <= mode <= max with min < max, found min {min}, mode {mode}, max {max}")]
    BoundsOutOfOrder {
        /// Lower bound.
        min: f64,
        /// Mode (equal to min for uniform).
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// An empirical distribution with no observations.
    #[error("an empirical distribution needs at least one observation")]
    Empty,
    /// The parameters are finite but imply a quantity the sampler needs outside
    /// `10^-limit ..= 10^limit`, where floating-point arithmetic on it would overflow or
    /// underflow (a gamma shape `(mean/sd)²` of 10⁻³⁹⁹, say).
    #[error(
        "{name} {value:e} gives a {quantity} of about 10^{exponent:.0}, outside 10^-{limit} to 10^{limit}"
    )]
    OutOfRange {
        /// The parameter to change, as in `los.csv`.
        name: &'static str,
        /// Its value.
        value: f64,
        /// What it implies, e.g. "gamma shape (mean/sd)²".
        quantity: &'static str,
        /// The base-10 logarithm of that quantity, computed without overflow.
        exponent: f64,
        /// The largest base-10 exponent accepted: 307 (inside a 64-bit float's normal range,
        /// 10^±308) for most quantities, 300 for the Weibull variance factor (whose
        /// computation overflows above about 10^304).
        limit: i32,
    },
    /// A lognormal given by its median and mean with the median not below the mean (its
    /// mean is `median · exp(σ²/2)`, above the median for every σ > 0).
    #[error("a lognormal's median must be below its mean, found median {median} and mean {mean}")]
    MedianNotBelowMean {
        /// The median given.
        median: f64,
        /// The mean given.
        mean: f64,
    },
    /// A truncation range with its lower end above its upper end.
    #[error("truncate_min {min} is above truncate_max {max}")]
    RangeOutOfOrder {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
    },
    /// A truncation range (after rounding) in which a stay has a probability below
    /// [`LengthOfStay::MIN_PROBABILITY`]: the distribution and the range contradict each
    /// other.
    #[error(
        "a stay falls in the range {min} to {max} (after rounding) with probability {probability:e}, below the 10^-6 careflow accepts"
    )]
    NegligibleRange {
        /// Lower end.
        min: f64,
        /// Upper end (infinite if none).
        max: f64,
        /// The probability of the range.
        probability: f64,
    },
    /// A census patient already in for longer than the distribution allows: a stay exceeds
    /// the elapsed time with a probability below [`LengthOfStay::MIN_PROBABILITY`].
    #[error(
        "a stay exceeds {elapsed} days with probability {probability:e}, below the 10^-6 careflow accepts"
    )]
    ElapsedTooLong {
        /// The time already spent.
        elapsed: f64,
        /// The probability of a stay above it.
        probability: f64,
    },
    /// The distribution's mean or standard deviation is above
    /// [`LengthOfStay::MAX_MOMENT`].
    #[error(
        "{name} {value:e} gives a {moment} of {amount:e}, above the most careflow accepts (10^9)"
    )]
    TooLarge {
        /// The parameter to change, as in `los.csv` (`observation` for an empirical one).
        name: &'static str,
        /// Its value (for an empirical distribution, the largest observation).
        value: f64,
        /// `mean` or `standard deviation`.
        moment: &'static str,
        /// The mean or standard deviation (infinite if it overflows).
        amount: f64,
    },
}

/// The distribution of time spent in a service (days), for one class at one service.
///
/// # Example
///
/// ```
/// use careflow::LengthOfStay;
///
/// let los = LengthOfStay::lognormal(5.0, 4.0)?;
/// assert_eq!(los.mean(), 5.0);
/// assert!(LengthOfStay::lognormal(5.0, 0.0).is_err());
/// # Ok::<(), careflow::DistributionError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LengthOfStay {
    shape: Shape,
}

#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Exponential(Exponential, f64),
    LogNormal {
        sampler: LogNormal,
        mean: f64,
        sd: f64,
        /// μ and σ² of the underlying normal.
        mu: f64,
        sigma2: f64,
    },
    Gamma(Gamma, f64, f64),
    Weibull(Weibull, f64, f64),
    Triangular(Triangular, [f64; 3]),
    Uniform(Uniform, f64, f64),
    Fixed(f64),
    Empirical(Empirical),
    /// A continuous family rounded and kept within a range.
    Limited(Box<Limited>),
}

impl Shape {
    #[inline]
    fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Shape::Exponential(d, _) => d.sample(rng),
            Shape::LogNormal { sampler, .. } => sampler.sample(rng),
            Shape::Gamma(d, ..) => d.sample(rng),
            Shape::Weibull(d, ..) => d.sample(rng),
            Shape::Triangular(d, _) => d.sample(rng),
            Shape::Uniform(d, ..) => d.sample(rng),
            // Fixed still consumes one draw, so a variant that swaps a fixed stay for a random
            // one does not shift the patient's later draws.
            Shape::Fixed(v) => {
                rng.next_u64();
                *v
            }
            Shape::Empirical(e) => e.sample(rng),
            Shape::Limited(l) => l.sample(rng),
        }
    }

    /// The continuous families as functions (`None` for fixed, empirical and limited ones).
    fn continuous(&self) -> Option<Continuous> {
        Some(match self {
            Shape::Exponential(_, m) => Continuous::GenGamma {
                shape: 1.0,
                scale: *m,
                power: 1.0,
            },
            Shape::LogNormal { mu, sigma2, .. } => Continuous::LogNormal {
                mu: *mu,
                sigma: sigma2.sqrt(),
            },
            Shape::Gamma(_, m, sd) => Continuous::GenGamma {
                shape: (m / sd).powi(2),
                scale: sd * sd / m,
                power: 1.0,
            },
            Shape::Weibull(_, k, l) => Continuous::GenGamma {
                shape: 1.0,
                scale: *l,
                power: *k,
            },
            Shape::Triangular(_, [a, c, b]) => Continuous::triangular(*a, *c, *b),
            Shape::Uniform(_, a, b) => Continuous::uniform(*a, *b),
            Shape::Fixed(_) | Shape::Empirical(_) | Shape::Limited(_) => return None,
        })
    }
}

fn positive(name: &'static str, value: f64) -> Result<f64, DistributionError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(DistributionError::NotPositive { name, value })
    }
}

fn non_negative(name: &'static str, value: f64) -> Result<f64, DistributionError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(DistributionError::Negative { name, value })
    }
}

impl LengthOfStay {
    /// Exponential with the given mean.
    ///
    /// # Errors
    ///
    /// If `mean` is not finite and above zero.
    pub fn exponential(mean: f64) -> Result<Self, DistributionError> {
        let mean = positive("mean", mean)?;
        range::exponential(mean)?;
        let exp = Exponential::new(mean).expect("a positive finite mean is valid");
        Ok(Self::from(Shape::Exponential(exp, mean)))
    }

    /// Lognormal with the given mean and standard deviation (of the stay, not of its log).
    ///
    /// # Errors
    ///
    /// If `mean` or `sd` is not finite and above zero.
    pub fn lognormal(mean: f64, sd: f64) -> Result<Self, DistributionError> {
        let mean = positive("mean", mean)?;
        let sd = positive("sd", sd)?;
        range::lognormal(mean, sd)?;
        let sampler =
            LogNormal::from_mean_cv(mean, sd / mean).ok_or(DistributionError::NotPositive {
                name: "sd",
                value: sd,
            })?;
        // As the equilibrium residual has always computed them (ln(1 + cv²) rather than the
        // sampler's ln_1p: its draws keep their values).
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        Ok(Self::from(Shape::LogNormal {
            sampler,
            mean,
            sd,
            mu: mean.ln() - sigma2 / 2.0,
            sigma2,
        }))
    }

    /// Lognormal given by its median and mean, as published models often give it (the BNSSG
    /// IPACS model, for one): `μ = ln(median)`, `σ² = 2 ln(mean / median)`, so the standard
    /// deviation is `mean · √(exp(σ²) − 1)`.
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::LengthOfStay;
    ///
    /// let los = LengthOfStay::lognormal_median(4.0, 6.0)?;
    /// assert!((los.probability_above(4.0) - 0.5).abs() < 1e-12);
    /// assert!((los.mean() - 6.0).abs() < 1e-12);
    /// assert!(LengthOfStay::lognormal_median(6.0, 4.0).is_err());
    /// # Ok::<(), careflow::DistributionError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// If either is not finite and above zero, if the median is not below the mean, or if the
    /// mean or the standard deviation is above [`MAX_MOMENT`](Self::MAX_MOMENT).
    pub fn lognormal_median(median: f64, mean: f64) -> Result<Self, DistributionError> {
        let median = positive("median", median)?;
        let mean = positive("mean", mean)?;
        if median >= mean {
            return Err(DistributionError::MedianNotBelowMean { median, mean });
        }
        // Through the logarithms: mean / median may overflow.
        let sigma2 = 2.0 * (mean.ln() - median.ln());
        let sd = mean * sigma2.exp_m1().sqrt();
        range::lognormal_median(median, mean, sd)?;
        let sampler =
            LogNormal::new(median.ln(), sigma2.sqrt()).ok_or(DistributionError::NotPositive {
                name: "median",
                value: median,
            })?;
        Ok(Self::from(Shape::LogNormal {
            sampler,
            mean,
            sd,
            mu: median.ln(),
            sigma2,
        }))
    }

    /// Gamma with the given mean and standard deviation: shape `(mean/sd)²`, scale `sd²/mean`.
    ///
    /// # Errors
    ///
    /// If `mean` or `sd` is not finite and above zero.
    pub fn gamma(mean: f64, sd: f64) -> Result<Self, DistributionError> {
        let mean = positive("mean", mean)?;
        let sd = positive("sd", sd)?;
        range::gamma(mean, sd)?;
        let shape = (mean / sd).powi(2);
        let scale = sd * sd / mean;
        let dist = Gamma::new(shape, scale).ok_or(DistributionError::NotPositive {
            name: "sd",
            value: sd,
        })?;
        Ok(Self::from(Shape::Gamma(dist, mean, sd)))
    }

    /// Weibull with the given shape `k` and scale `λ`: mean `λ Γ(1 + 1/k)`.
    ///
    /// # Errors
    ///
    /// If `shape` or `scale` is not finite and above zero.
    pub fn weibull(shape: f64, scale: f64) -> Result<Self, DistributionError> {
        let shape = positive("shape", shape)?;
        let scale = positive("scale", scale)?;
        range::weibull(shape, scale)?;
        let dist = Weibull::new(shape, scale).ok_or(DistributionError::NotPositive {
            name: "shape",
            value: shape,
        })?;
        Ok(Self::from(Shape::Weibull(dist, shape, scale)))
    }

    /// Triangular on `[min, max]` with the given mode.
    ///
    /// # Errors
    ///
    /// If a bound is negative or not finite, or unless `min <= mode <= max` and `min < max`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, DistributionError> {
        let min = non_negative("min", min)?;
        let mode = non_negative("mode", mode)?;
        let max = non_negative("max", max)?;
        if !(min <= mode && mode <= max && min < max) {
            return Err(DistributionError::BoundsOutOfOrder { min, mode, max });
        }
        range::triangular(min, mode, max)?;
        let dist = Triangular::new(min, mode, max).expect("bounds were checked");
        Ok(Self::from(Shape::Triangular(dist, [min, mode, max])))
    }

    /// Uniform on `[min, max)`.
    ///
    /// # Errors
    ///
    /// If a bound is negative or not finite, or unless `min < max`.
    pub fn uniform(min: f64, max: f64) -> Result<Self, DistributionError> {
        let min = non_negative("min", min)?;
        let max = non_negative("max", max)?;
        if min >= max {
            return Err(DistributionError::BoundsOutOfOrder {
                min,
                mode: min,
                max,
            });
        }
        range::uniform(min, max)?;
        let dist = Uniform::new(min, max).expect("bounds were checked");
        Ok(Self::from(Shape::Uniform(dist, min, max)))
    }

    /// Always exactly `value` days (zero allowed).
    ///
    /// # Errors
    ///
    /// If `value` is negative or not finite.
    pub fn fixed(value: f64) -> Result<Self, DistributionError> {
        let value = non_negative("value", value)?;
        range::fixed(value)?;
        Ok(Self::from(Shape::Fixed(value)))
    }

    /// Resamples observed stays: each draw is one of `observations`, equally likely.
    ///
    /// # Errors
    ///
    /// If there are no observations, or one is negative or not finite.
    pub fn empirical(observations: Vec<f64>) -> Result<Self, DistributionError> {
        if observations.is_empty() {
            return Err(DistributionError::Empty);
        }
        for &x in &observations {
            non_negative("observation", x)?;
        }
        range::empirical(&observations)?;
        Ok(Self::from(Shape::Empirical(Empirical::new(observations))))
    }

    /// The smallest probability careflow accepts for a truncation range
    /// ([`limited`](Self::limited)) or for a stay above a census patient's elapsed time
    /// ([`remaining_after`](Self::remaining_after)): below it, the distribution and the range
    /// (or the census) contradict each other, and a draw from so far out in a tail would
    /// mean little.
    pub const MIN_PROBABILITY: f64 = 1e-6;

    /// This distribution rounded and kept within `[min, max]`, as published models give
    /// stays: a stay is `rounding` applied to a draw, kept only if it lies within the range
    /// (ends included) — the distribution conditioned on landing there, never a draw moved to
    /// the nearer end. `min` 0 and `max` infinite keep every stay. Any limits the
    /// distribution already has are replaced.
    ///
    /// Continuous families are drawn by inversion (one uniform word per stay, no loop; see
    /// [`Rounding`]); when the range holds the whole distribution, by its own sampler and
    /// then rounded. A fixed stay is rounded and must lie in the range; an empirical one keeps
    /// its observations that, rounded, lie in the range.
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::{LengthOfStay, Rounding, SimRng};
    /// use careflow::rand_core::SeedableRng;
    ///
    /// // A lognormal stay in whole days, zero-day stays redrawn, at most 30 days.
    /// let los = LengthOfStay::lognormal_median(4.0, 6.0)?.limited(Rounding::Nearest, 1.0, 30.0)?;
    /// let mut rng = SimRng::seed_from_u64(1);
    /// let stay = los.sample(&mut rng);
    /// assert!(stay.fract() == 0.0 && (1.0..=30.0).contains(&stay));
    /// assert_eq!(los.max(), Some(30.0));
    /// # Ok::<(), careflow::DistributionError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// If `min` is negative or not finite, `max` negative or NaN, `min` above `max`, or if a
    /// stay lies in the range with a probability below
    /// [`MIN_PROBABILITY`](Self::MIN_PROBABILITY) (0 when rounding leaves no whole number in
    /// it).
    pub fn limited(
        self,
        rounding: Rounding,
        min: f64,
        max: f64,
    ) -> Result<Self, DistributionError> {
        let min = non_negative("truncate_min", min)?;
        if max.is_nan() || max < 0.0 {
            return Err(DistributionError::Negative {
                name: "truncate_max",
                value: max,
            });
        }
        if min > max {
            return Err(DistributionError::RangeOutOfOrder { min, max });
        }
        let base = match self.shape {
            Shape::Limited(l) => l.base,
            shape => shape,
        };
        let (a, b) = rounding.bounds(min, max);
        let negligible = |probability: f64| DistributionError::NegligibleRange {
            min,
            max,
            probability,
        };
        match base {
            Shape::Fixed(v) => {
                let v = rounding.apply(v);
                if (a..=b).contains(&v) {
                    Ok(Self::from(Shape::Fixed(v)))
                } else {
                    Err(negligible(0.0))
                }
            }
            Shape::Empirical(e) => {
                let all = e.observations();
                let kept: Vec<f64> = all
                    .iter()
                    .map(|&x| rounding.apply(x))
                    .filter(|x| (a..=b).contains(x))
                    .collect();
                let probability = kept.len() as f64 / all.len() as f64;
                if kept.is_empty() || probability < Self::MIN_PROBABILITY {
                    return Err(negligible(probability));
                }
                Ok(Self::from(Shape::Empirical(Empirical::new(kept))))
            }
            base => {
                let dist = base
                    .continuous()
                    .expect("every family but fixed and empirical is continuous");
                let limited = Limited::new(base, dist, rounding, min, max)?;
                if rounding == Rounding::None && limited.is_whole() {
                    // Nothing is cut off: the plain distribution, drawn as before.
                    Ok(Self::from(limited.base))
                } else {
                    Ok(Self::from(Shape::Limited(Box::new(limited))))
                }
            }
        }
    }

    /// The remaining stay of a patient already `elapsed` days into their stay: a draw from
    /// `(stay − elapsed | stay > elapsed)` ([`RemainingStay`]).
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::{LengthOfStay, SimRng};
    /// use careflow::rand_core::SeedableRng;
    ///
    /// // Uniform on [0, 10] days, 6 already spent: uniform on [0, 4] left, mean 2.
    /// let los = LengthOfStay::uniform(0.0, 10.0)?;
    /// let remaining = los.remaining_after(6.0)?;
    /// let mut rng = SimRng::seed_from_u64(1);
    /// let mean = (0..10_000).map(|_| remaining.sample(&mut rng)).sum::<f64>() / 10_000.0;
    /// assert!((mean - 2.0).abs() < 0.05);
    /// assert!(los.remaining_after(10.0).is_err());
    /// # Ok::<(), careflow::DistributionError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// If `elapsed` is negative or not finite, or a stay exceeds it with a probability below
    /// [`MIN_PROBABILITY`](Self::MIN_PROBABILITY).
    pub fn remaining_after(&self, elapsed: f64) -> Result<RemainingStay<'_>, DistributionError> {
        let elapsed = non_negative("elapsed_days", elapsed)?;
        let (probability, draw) = match &self.shape {
            Shape::Fixed(v) => (if *v > elapsed { 1.0 } else { 0.0 }, Draw::Fixed(*v)),
            Shape::Empirical(e) => {
                let above = e.above(elapsed);
                (
                    above.len() as f64 / e.observations().len() as f64,
                    Draw::Observed(above),
                )
            }
            Shape::Limited(l) => {
                let c = l.above(elapsed);
                (c.probability, Draw::Continuous(c))
            }
            shape => {
                let dist = shape
                    .continuous()
                    .expect("every family but fixed, empirical and limited is continuous");
                let c = Conditional::unlimited(dist, elapsed);
                (c.probability, Draw::Continuous(c))
            }
        };
        let draw = limits::conditional(elapsed, probability, draw)?;
        Ok(RemainingStay::new(elapsed, probability, draw))
    }

    /// Draws the remaining stay of a patient by the rule of the BNSSG IPACS model: `1 + (L −
    /// 1) U`, with `L` a fresh stay and `U` uniform on [0, 1) — uniform between 1 day and `L`
    /// (between `L` and 1 when `L` is below 1 day, as Python's and NumPy's `uniform(1, L)`
    /// give). It ignores the time already spent; it is for reproducing that model, not the
    /// exact draw ([`sample_residual`](Self::sample_residual) when the time spent is unknown,
    /// [`remaining_after`](Self::remaining_after) when it is known).
    pub fn sample_remaining_uniform<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sample_stay_and_remaining_uniform(rng).1
    }

    /// As [`sample_remaining_uniform`](Self::sample_remaining_uniform), with the stay `L`
    /// drawn: `(L, remaining)`.
    pub(crate) fn sample_stay_and_remaining_uniform<R: RngCore + ?Sized>(
        &self,
        rng: &mut R,
    ) -> (f64, f64) {
        let stay = self.sample(rng);
        (stay, 1.0 + (stay - 1.0) * sampling::uniform01(rng))
    }

    /// Whether every draw is a whole number: a whole `fixed` value, `empirical` observations
    /// all whole, or a family rounded (`round` `nearest` or `up`).
    pub fn whole_units(&self) -> bool {
        match &self.shape {
            Shape::Fixed(v) => v.fract() == 0.0,
            Shape::Empirical(e) => e.all_whole(),
            Shape::Limited(l) => l.rounds(),
            _ => false,
        }
    }

    fn from(shape: Shape) -> Self {
        LengthOfStay { shape }
    }

    /// The name used in `los.csv`.
    pub fn kind(&self) -> &'static str {
        Self::kind_of(&self.shape)
    }

    fn kind_of(shape: &Shape) -> &'static str {
        match shape {
            Shape::Limited(l) => Self::kind_of(&l.base),
            Shape::Exponential(..) => "exponential",
            Shape::LogNormal { .. } => "lognormal",
            Shape::Gamma(..) => "gamma",
            Shape::Weibull(..) => "weibull",
            Shape::Triangular(..) => "triangular",
            Shape::Uniform(..) => "uniform",
            Shape::Fixed(..) => "fixed",
            Shape::Empirical(..) => "empirical",
        }
    }

    /// Whether a stay of exactly 0 days has a positive probability (a fixed 0, an empirical
    /// distribution with a 0 among its observations, or one rounded to the nearest day whose
    /// range starts at 0).
    pub fn can_be_zero(&self) -> bool {
        match &self.shape {
            Shape::Fixed(v) => *v == 0.0,
            Shape::Empirical(e) => e.smallest() == 0.0,
            Shape::Limited(l) => l.can_be_zero(),
            _ => false,
        }
    }

    /// The mean stay in days. For a rounded distribution ([`limited`](Self::limited)), see
    /// [`sd`](Self::sd) for how it is computed.
    pub fn mean(&self) -> f64 {
        match &self.shape {
            Shape::Exponential(_, m) | Shape::LogNormal { mean: m, .. } | Shape::Gamma(_, m, _) => {
                *m
            }
            Shape::Weibull(_, k, l) => l * statrs::function::gamma::gamma(1.0 + 1.0 / k),
            Shape::Triangular(_, [a, c, b]) => (a + b + c) / 3.0,
            Shape::Uniform(_, a, b) => (a + b) / 2.0,
            Shape::Fixed(v) => *v,
            Shape::Empirical(e) => e.mean(),
            Shape::Limited(l) => l.moments().0,
        }
    }

    /// Draws one stay, in days.
    ///
    /// The algorithms are careflow's own and fixed by its tests (a change is announced in
    /// the CHANGELOG): exponential by the ziggurat, lognormal as `exp(μ + σ Z)` with Z normal
    /// by the ziggurat, gamma by Marsaglia and Tsang's method, Weibull as `λ E^(1/k)` with E
    /// exponential, triangular by inversion, uniform as `min + (max − min) U`, empirical by
    /// an unbiased uniform index (Lemire's method). Any `rand_core` 0.9 generator will do;
    /// careflow uses [`SimRng`](crate::SimRng).
    #[inline]
    pub fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        self.shape.sample(rng)
    }

    /// Draws the *remaining* stay of a patient found in a bed at a random moment in the
    /// steady state: the equilibrium residual distribution, with density `(1 − F(x)) / mean`
    /// and mean `E[S²] / (2 E[S])`.
    ///
    /// It is `U · S̃`, where `U` is uniform on (0, 1) and `S̃` is the length-biased stay
    /// (density `x f(x) / mean`: longer stays are more likely to be in progress), drawn
    /// exactly for each family: exponential — the residual is the same exponential; gamma
    /// (k, θ) — `S̃` is gamma (k + 1, θ); lognormal (μ, σ) — lognormal (μ + σ², σ); Weibull
    /// (k, λ) — `λ G^(1/k)` with `G` gamma (1 + 1/k, 1); uniform (a, b) — `√(a² + V(b² − a²))`;
    /// triangular — by rejection with acceptance `x / max`; fixed `v` — `v`; empirical — an
    /// observation picked with probability proportional to its value (by binary search in
    /// running sums computed once). A truncated or rounded distribution
    /// ([`limited`](Self::limited)): unrounded, the size-biased family (density `x f(x)`)
    /// within the range, by inversion; rounded, by proposing from `(x + c) f(x)` and
    /// accepting with probability `stay / (x + c)` (`c` = ½ to the nearest unit, 1 up), which
    /// accepts at least half the proposals, for at most 64 tries (all refused with probability
    /// below 2⁻⁶⁴; the last proposal is then taken).
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::{LengthOfStay, SimRng};
    /// use careflow::rand_core::SeedableRng;
    ///
    /// // A fixed 4-day stay found at a random moment has on average 2 days left.
    /// let los = LengthOfStay::fixed(4.0)?;
    /// let mut rng = SimRng::seed_from_u64(1);
    /// let mean = (0..10_000).map(|_| los.sample_residual(&mut rng)).sum::<f64>() / 10_000.0;
    /// assert!((mean - 2.0).abs() < 0.05);
    /// # Ok::<(), careflow::DistributionError>(())
    /// ```
    pub fn sample_residual<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        let length_biased = match &self.shape {
            // Memoryless: the residual is the stay itself.
            Shape::Exponential(d, _) => return d.sample(rng),
            Shape::LogNormal { mu, sigma2, .. } => LogNormal::new(mu + sigma2, sigma2.sqrt())
                .expect("a valid lognormal's parameters give a valid lognormal")
                .sample(rng),
            Shape::Gamma(_, mean, sd) => {
                let shape = (mean / sd).powi(2);
                Gamma::new(shape + 1.0, sd * sd / mean)
                    .expect("a valid gamma's parameters give a valid gamma")
                    .sample(rng)
            }
            Shape::Weibull(_, k, lambda) => {
                let g: f64 = Gamma::new(1.0 + 1.0 / k, 1.0)
                    .expect("a positive shape gives a valid gamma")
                    .sample(rng);
                lambda * g.powf(1.0 / k)
            }
            Shape::Uniform(_, a, b) => {
                let v = sampling::uniform01(rng);
                (a * a + v * (b * b - a * a)).sqrt()
            }
            Shape::Triangular(d, [_, _, max]) => loop {
                let x = d.sample(rng);
                if sampling::uniform01(rng) * max < x {
                    break x;
                }
            },
            Shape::Fixed(v) => *v,
            Shape::Empirical(e) => e.length_biased(rng),
            Shape::Limited(l) => return l.sample_residual(rng),
        };
        sampling::uniform01(rng) * length_biased
    }

    /// Mean of [`sample_residual`](Self::sample_residual): `E[S²] / (2 E[S])`.
    pub fn residual_mean(&self) -> f64 {
        let mean = self.mean();
        if mean <= 0.0 {
            return 0.0;
        }
        let second_moment = match &self.shape {
            Shape::Exponential(_, m) => 2.0 * m * m,
            Shape::LogNormal { mean: m, sd, .. } | Shape::Gamma(_, m, sd) => sd * sd + m * m,
            Shape::Weibull(_, k, l) => l * l * statrs::function::gamma::gamma(1.0 + 2.0 / k),
            Shape::Triangular(_, [a, c, b]) => {
                (a * a + b * b + c * c + a * b + a * c + b * c) / 6.0
            }
            Shape::Uniform(_, a, b) => (a * a + a * b + b * b) / 3.0,
            Shape::Fixed(v) => v * v,
            Shape::Empirical(e) => {
                let xs = e.observations();
                xs.iter().map(|x| x * x).sum::<f64>() / xs.len() as f64
            }
            Shape::Limited(l) => l.moments().1,
        };
        second_moment / (2.0 * mean)
    }
}

// ---------------------------------------------------------------------------------------------
// What the parameters imply: checks at construction and the quantities the loader's limits use.
// Kept apart from the sampling code above, which they do not touch.

impl LengthOfStay {
    /// The largest mean or standard deviation a distribution may have: 10⁹, in its unit
    /// (days for stays and assessments, hours a week for home-care packages).
    ///
    /// 10⁹ days is over 2700 times the longest horizon careflow accepts (1000 years), so a
    /// larger mean stay could not be told from "never leaves" in any run and is a mistake
    /// (usually of units). The bound also keeps every draw, and every quantity the samplers
    /// compute from the parameters (`mean²`, `sd²/mean`, `Γ(1 + 2/shape)`), well inside the
    /// range of a 64-bit float.
    pub const MAX_MOMENT: f64 = 1e9;

    /// The standard deviation of a stay, in days.
    ///
    /// For a truncated distribution ([`limited`](Self::limited)), exact: `E[X^n]` within the
    /// range is `E[X^n]` times the range's probability under the size-biased family of order
    /// n. For a rounded one, `k^n P(stay = k)` is summed over the whole units that carry
    /// probability (up to 10⁵ of them); beyond those, stays are taken as unrounded plus the
    /// rounding's average over a unit, which is off by less than one unit times the
    /// probability of a stay that long.
    pub fn sd(&self) -> f64 {
        match &self.shape {
            Shape::Exponential(_, m) => *m,
            Shape::LogNormal { sd, .. } | Shape::Gamma(_, _, sd) => *sd,
            Shape::Weibull(_, k, l) => range::weibull_sd(*k, *l),
            Shape::Triangular(_, [a, c, b]) => range::triangular_sd(*a, *c, *b),
            Shape::Uniform(_, a, b) => (b - a) / 12f64.sqrt(),
            Shape::Fixed(_) => 0.0,
            Shape::Empirical(e) => range::empirical_sd(e.observations()),
            Shape::Limited(l) => {
                let (m1, m2) = l.moments();
                (m2 - m1 * m1).max(0.0).sqrt()
            }
        }
    }

    /// The largest value a draw can take, or `None` for the families with no upper bound
    /// (exponential, lognormal, gamma, Weibull) unless truncated.
    pub fn max(&self) -> Option<f64> {
        match &self.shape {
            Shape::Exponential(..)
            | Shape::LogNormal { .. }
            | Shape::Gamma(..)
            | Shape::Weibull(..) => None,
            Shape::Triangular(_, [_, _, b]) | Shape::Uniform(_, _, b) | Shape::Fixed(b) => Some(*b),
            Shape::Empirical(e) => Some(e.largest()),
            Shape::Limited(l) => l.max(),
        }
    }

    /// The probability that a draw is greater than `x`: the survival function `1 − F(x)`.
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::LengthOfStay;
    ///
    /// let los = LengthOfStay::exponential(2.0)?;
    /// assert!((los.probability_above(2.0) - (-1.0f64).exp()).abs() < 1e-15);
    /// assert_eq!(LengthOfStay::uniform(0.0, 4.0)?.probability_above(1.0), 0.75);
    /// # Ok::<(), careflow::DistributionError>(())
    /// ```
    pub fn probability_above(&self, x: f64) -> f64 {
        if x < 0.0 {
            return 1.0;
        }
        match &self.shape {
            Shape::Fixed(v) => {
                if *v > x {
                    1.0
                } else {
                    0.0
                }
            }
            Shape::Empirical(e) => e.probability_above(x),
            Shape::Limited(l) => l.probability_above(x),
            shape => {
                shape
                    .continuous()
                    .expect("every family but fixed, empirical and limited is continuous")
                    .split(x)
                    .1
            }
        }
    }
}

/// The checks each constructor makes once its parameters are finite and in order: every
/// quantity the sampler computes from them fits a 64-bit float, and the mean and standard
/// deviation are at most [`LengthOfStay::MAX_MOMENT`]. Quantities that could overflow are
/// reported by their base-10 logarithm, computed without overflow.
mod range {
    use super::{DistributionError, LengthOfStay};
    use statrs::function::gamma::{gamma as gamma_fn, ln_gamma};

    /// The base-10 exponent within which a derived quantity is a normal float, with a
    /// margin for the rounding of its computation.
    const FLOAT: i32 = 307;

    /// `Ok` if `10^exponent`, the `quantity` that `name` = `value` implies, is within
    /// `10^-limit ..= 10^limit`; else the error, blaming `name`.
    fn fits(
        name: &'static str,
        value: f64,
        quantity: &'static str,
        exponent: f64,
        limit: i32,
    ) -> Result<(), DistributionError> {
        if exponent.abs() <= f64::from(limit) {
            Ok(())
        } else {
            Err(DistributionError::OutOfRange {
                name,
                value,
                quantity,
                exponent,
                limit,
            })
        }
    }

    /// `Ok` if `mean` and `sd` are at most [`LengthOfStay::MAX_MOMENT`] (NaN is not).
    fn moments(
        name: &'static str,
        value: f64,
        mean: f64,
        sd: f64,
    ) -> Result<(), DistributionError> {
        for (moment, amount) in [("mean", mean), ("standard deviation", sd)] {
            if amount.is_nan() || amount > LengthOfStay::MAX_MOMENT {
                return Err(DistributionError::TooLarge {
                    name,
                    value,
                    moment,
                    amount,
                });
            }
        }
        Ok(())
    }

    pub(super) fn exponential(mean: f64) -> Result<(), DistributionError> {
        moments("mean", mean, mean, mean)?;
        fits("mean", mean, "rate 1/mean", -mean.log10(), FLOAT)
    }

    pub(super) fn lognormal(mean: f64, sd: f64) -> Result<(), DistributionError> {
        // (sd/mean)² may underflow (σ = 0: every stay is the mean, as it nearly is), but not
        // overflow: σ² = ln(1 + (sd/mean)²) would be infinite.
        let exponent = 2.0 * (sd.log10() - mean.log10());
        if exponent > f64::from(FLOAT) {
            fits(
                "sd",
                sd,
                "squared coefficient of variation (sd/mean)²",
                exponent,
                FLOAT,
            )?;
        }
        moments("mean", mean, mean, sd).map_err(|e| blame_sd_for_sd(e, sd))?;
        // μ = ln(mean² / (1 + (sd/mean)²)) / 2 is computed through mean².
        fits("mean", mean, "squared mean", 2.0 * mean.log10(), FLOAT)
    }

    pub(super) fn lognormal_median(
        median: f64,
        mean: f64,
        sd: f64,
    ) -> Result<(), DistributionError> {
        // σ² = 2 ln(mean/median) sets the spread: a standard deviation too large is the
        // median's doing (the mean is checked on its own).
        moments("mean", mean, mean, 0.0)?;
        moments("median", median, mean, sd)
    }

    pub(super) fn gamma(mean: f64, sd: f64) -> Result<(), DistributionError> {
        fits(
            "sd",
            sd,
            "gamma shape (mean/sd)²",
            2.0 * (mean.log10() - sd.log10()),
            FLOAT,
        )?;
        moments("mean", mean, mean, sd).map_err(|e| blame_sd_for_sd(e, sd))?;
        fits("sd", sd, "variance sd²", 2.0 * sd.log10(), FLOAT)?;
        fits(
            "sd",
            sd,
            "gamma scale sd²/mean",
            2.0 * sd.log10() - mean.log10(),
            FLOAT,
        )
    }

    /// A standard deviation too large is the `sd` column's fault, not the mean's.
    fn blame_sd_for_sd(e: DistributionError, sd: f64) -> DistributionError {
        match e {
            DistributionError::TooLarge {
                moment: "standard deviation",
                amount,
                ..
            } => DistributionError::TooLarge {
                name: "sd",
                value: sd,
                moment: "standard deviation",
                amount,
            },
            e => e,
        }
    }

    pub(super) fn weibull(shape: f64, scale: f64) -> Result<(), DistributionError> {
        // The variance needs Γ(1 + 2/shape), at most 10^300 for shapes from about 0.0119 up
        // (statrs computes it finite up to about 10^304); then no intermediate of a draw
        // `scale · (−ln U)^(1/shape)` overflows either.
        fits(
            "shape",
            shape,
            "variance factor Γ(1 + 2/shape)",
            ln_gamma(1.0 + 2.0 / shape) / std::f64::consts::LN_10,
            300,
        )?;
        let mean = scale * gamma_fn(1.0 + 1.0 / shape);
        moments("scale", scale, mean, weibull_sd(shape, scale))
    }

    pub(super) fn weibull_sd(shape: f64, scale: f64) -> f64 {
        let g1 = gamma_fn(1.0 + 1.0 / shape);
        scale * (gamma_fn(1.0 + 2.0 / shape) - g1 * g1).max(0.0).sqrt()
    }

    pub(super) fn triangular(min: f64, mode: f64, max: f64) -> Result<(), DistributionError> {
        moments(
            "max",
            max,
            (min + mode + max) / 3.0,
            triangular_sd(min, mode, max),
        )
    }

    pub(super) fn triangular_sd(a: f64, c: f64, b: f64) -> f64 {
        ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0)
            .max(0.0)
            .sqrt()
    }

    pub(super) fn uniform(min: f64, max: f64) -> Result<(), DistributionError> {
        moments("max", max, (min + max) / 2.0, (max - min) / 12f64.sqrt())
    }

    pub(super) fn fixed(value: f64) -> Result<(), DistributionError> {
        moments("value", value, value, 0.0)
    }

    pub(super) fn empirical(observations: &[f64]) -> Result<(), DistributionError> {
        let n = observations.len() as f64;
        let largest = observations.iter().copied().fold(0.0, f64::max);
        let mean = observations.iter().sum::<f64>() / n;
        moments("observation", largest, mean, empirical_sd(observations))
    }

    /// The population standard deviation, in two passes (no cancellation).
    pub(super) fn empirical_sd(xs: &[f64]) -> f64 {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        (xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimRng;
    use rand_core::SeedableRng;

    fn sample_mean(los: &LengthOfStay, n: usize) -> f64 {
        let mut rng = SimRng::seed_from_u64(11);
        (0..n).map(|_| los.sample(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_stated_means() {
        // 200k draws: the standard error of the mean is below 0.5% of the mean for every
        // distribution here (cv <= 1), so 2% is more than 4 standard errors.
        let cases = [
            LengthOfStay::exponential(4.0).unwrap(),
            LengthOfStay::lognormal(5.0, 4.0).unwrap(),
            LengthOfStay::gamma(3.0, 1.5).unwrap(),
            LengthOfStay::weibull(1.5, 10.0).unwrap(),
            LengthOfStay::triangular(1.0, 2.0, 6.0).unwrap(),
            LengthOfStay::uniform(2.0, 4.0).unwrap(),
            LengthOfStay::fixed(3.5).unwrap(),
            LengthOfStay::empirical(vec![1.0, 2.0, 9.0]).unwrap(),
        ];
        for los in &cases {
            let m = sample_mean(los, 200_000);
            assert!(
                (m / los.mean() - 1.0).abs() < 0.02,
                "{}: sample mean {m}, stated {}",
                los.kind(),
                los.mean()
            );
        }
    }

    #[test]
    fn residual_means_match_the_renewal_formula() {
        // 400k draws: the standard error of each mean is well under 0.5% of it (residual cv
        // is at most about 1.5 here), so 2% is more than 4 standard errors.
        let cases = [
            LengthOfStay::exponential(4.0).unwrap(),
            LengthOfStay::lognormal(5.0, 4.0).unwrap(),
            LengthOfStay::gamma(3.0, 1.5).unwrap(),
            LengthOfStay::weibull(1.5, 10.0).unwrap(),
            LengthOfStay::triangular(1.0, 2.0, 6.0).unwrap(),
            LengthOfStay::uniform(0.0, 2.0).unwrap(),
            LengthOfStay::fixed(3.5).unwrap(),
            LengthOfStay::empirical(vec![1.0, 2.0, 9.0]).unwrap(),
        ];
        // Hand-checked values: exponential 4 (memoryless); uniform(0, 2): (4/3) / 2 = 2/3;
        // fixed 3.5: 1.75; empirical: (1 + 4 + 81)/3 / (2 · 4) = 43/12.
        assert_eq!(cases[0].residual_mean(), 4.0);
        assert!((cases[5].residual_mean() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(cases[6].residual_mean(), 1.75);
        assert!((cases[7].residual_mean() - 43.0 / 12.0).abs() < 1e-12);
        for los in &cases {
            let mut rng = SimRng::seed_from_u64(12);
            let n = 400_000;
            let m = (0..n).map(|_| los.sample_residual(&mut rng)).sum::<f64>() / f64::from(n);
            assert!(
                (m / los.residual_mean() - 1.0).abs() < 0.02,
                "{}: residual sample mean {m}, formula {}",
                los.kind(),
                los.residual_mean()
            );
        }
    }

    #[test]
    fn invalid_parameters_are_refused() {
        assert_eq!(
            LengthOfStay::lognormal(5.0, -1.0),
            Err(DistributionError::NotPositive {
                name: "sd",
                value: -1.0
            })
        );
        assert!(LengthOfStay::exponential(f64::NAN).is_err());
        assert!(LengthOfStay::triangular(3.0, 2.0, 6.0).is_err());
        assert!(LengthOfStay::uniform(2.0, 2.0).is_err());
        assert_eq!(
            LengthOfStay::empirical(vec![]),
            Err(DistributionError::Empty)
        );
        assert!(LengthOfStay::fixed(0.0).is_ok());
    }

    #[test]
    fn parameters_whose_implications_overflow_are_refused() {
        assert_eq!(
            LengthOfStay::gamma(5.0, 1e200),
            Err(DistributionError::OutOfRange {
                name: "sd",
                value: 1e200,
                quantity: "gamma shape (mean/sd)²",
                exponent: 2.0 * (5f64.log10() - 200.0),
                limit: 307,
            })
        );
        assert_eq!(
            LengthOfStay::gamma(5.0, 1e200).unwrap_err().to_string(),
            "sd 1e200 gives a gamma shape (mean/sd)² of about 10^-399, outside 10^-307 to 10^307"
        );
        assert!(matches!(
            LengthOfStay::weibull(0.001, 1.0),
            Err(DistributionError::OutOfRange { name: "shape", .. })
        ));
        // Γ(1 + 2/k) is at most 10^300 from k ≈ 0.01199 up.
        assert!(LengthOfStay::weibull(0.0121, 1e-145).is_ok());
        assert!(LengthOfStay::weibull(0.0119, 1e-300).is_err());
        assert_eq!(
            LengthOfStay::exponential(1e308),
            Err(DistributionError::TooLarge {
                name: "mean",
                value: 1e308,
                moment: "mean",
                amount: 1e308
            })
        );
        assert_eq!(
            LengthOfStay::exponential(2e9).unwrap_err().to_string(),
            "mean 2e9 gives a mean of 2e9, above the most careflow accepts (10^9)"
        );
        assert!(matches!(
            LengthOfStay::lognormal(5.0, 2e9),
            Err(DistributionError::TooLarge { name: "sd", .. })
        ));
        assert!(LengthOfStay::lognormal(1e9, 1e9).is_ok());
        assert!(LengthOfStay::uniform(0.0, 1e9).is_ok());
        assert!(LengthOfStay::uniform(0.0, 3e9).is_err());
        assert!(LengthOfStay::empirical(vec![0.0, 1e300]).is_err());
        assert!(LengthOfStay::fixed(1e9).is_ok());
        assert!(LengthOfStay::fixed(1.5e9).is_err());
    }

    #[test]
    fn standard_deviations_match_the_formulas() {
        let close = |a: f64, b: f64| (a / b - 1.0).abs() < 1e-12;
        assert!(close(
            LengthOfStay::uniform(2.0, 8.0).unwrap().sd(),
            6.0 / 12f64.sqrt()
        ));
        // Weibull with shape 1 is exponential: sd = scale.
        assert!(close(LengthOfStay::weibull(1.0, 3.0).unwrap().sd(), 3.0));
        // Triangular (0, 0, 1): variance 1/18.
        assert!(close(
            LengthOfStay::triangular(0.0, 0.0, 1.0).unwrap().sd(),
            (1.0f64 / 18.0).sqrt()
        ));
        assert!(close(
            LengthOfStay::empirical(vec![1.0, 3.0]).unwrap().sd(),
            1.0
        ));
        assert_eq!(LengthOfStay::fixed(4.0).unwrap().sd(), 0.0);
    }

    #[test]
    fn survival_probabilities_of_extreme_gammas_are_computed_quickly() {
        // Shape 10²⁸⁶: statrs's incomplete gamma would never finish; the cube-root normal
        // approximation puts half the mass above the mean and none a millionth beyond it.
        let los = LengthOfStay::gamma(1e3, 1e-140).unwrap();
        assert!((los.probability_above(1e3) - 0.5).abs() < 1e-6);
        assert_eq!(los.probability_above(1e3 * (1.0 + 1e-6)), 0.0);
        assert_eq!(los.probability_above(1e3 * (1.0 - 1e-6)), 1.0);
        // Shape 10⁸ (skewness 2·10⁻⁴): one sd above the mean is the normal tail 0.1587.
        let los = LengthOfStay::gamma(1e7, 1e3).unwrap();
        let p = los.probability_above(los.mean() + los.sd());
        assert!((p - 0.158_655).abs() < 1e-3, "{p}");
        // The scale sd²/mean would fit, but sd² underflows on the way.
        assert!(matches!(
            LengthOfStay::gamma(1e-150, 1e-228),
            Err(DistributionError::OutOfRange {
                quantity: "variance sd²",
                ..
            })
        ));
    }

    #[test]
    fn survival_probabilities_match_sampled_frequencies() {
        // 200k draws: the standard error of a frequency near p is sqrt(p(1 − p)/n), at most
        // 0.0011, so 0.006 is over 5 standard errors.
        let cases = [
            LengthOfStay::exponential(4.0).unwrap(),
            LengthOfStay::lognormal(5.0, 4.0).unwrap(),
            LengthOfStay::gamma(3.0, 1.5).unwrap(),
            LengthOfStay::gamma(3.0, 6.0).unwrap(),
            LengthOfStay::weibull(1.5, 10.0).unwrap(),
            LengthOfStay::triangular(1.0, 2.0, 6.0).unwrap(),
            LengthOfStay::uniform(2.0, 4.0).unwrap(),
            LengthOfStay::fixed(3.5).unwrap(),
            LengthOfStay::empirical(vec![1.0, 2.0, 9.0]).unwrap(),
        ];
        for los in &cases {
            let mut rng = SimRng::seed_from_u64(13);
            let draws: Vec<f64> = (0..200_000).map(|_| los.sample(&mut rng)).collect();
            for q in [0.5, 1.0, 3.0, 5.0, 8.0] {
                let x = q * los.mean() / 2.0;
                let frequency =
                    draws.iter().filter(|&&d| d > x).count() as f64 / draws.len() as f64;
                let p = los.probability_above(x);
                assert!(
                    (frequency - p).abs() < 0.006,
                    "{}: P(X > {x}) = {p}, sampled {frequency}",
                    los.kind()
                );
            }
            assert_eq!(los.probability_above(-1.0), 1.0);
            if let Some(max) = los.max() {
                assert_eq!(los.probability_above(max), 0.0, "{}", los.kind());
                assert!(draws.iter().all(|&d| d <= max));
            }
        }
    }
}
