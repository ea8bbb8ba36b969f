//! Length-of-stay distributions, in days, in the parameters analysts think in.

use crate::sampling::{self, Exponential, Gamma, LogNormal, Triangular, Uniform, Weibull};
use rand_core::RngCore;

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
    LogNormal(LogNormal, f64, f64),
    Gamma(Gamma, f64, f64),
    Weibull(Weibull, f64, f64),
    Triangular(Triangular, [f64; 3]),
    Uniform(Uniform, f64, f64),
    Fixed(f64),
    Empirical(Vec<f64>),
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
        let dist =
            LogNormal::from_mean_cv(mean, sd / mean).ok_or(DistributionError::NotPositive {
                name: "sd",
                value: sd,
            })?;
        Ok(Self::from(Shape::LogNormal(dist, mean, sd)))
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
        Ok(Self::from(Shape::Empirical(observations)))
    }

    fn from(shape: Shape) -> Self {
        LengthOfStay { shape }
    }

    /// The name used in `los.csv`.
    pub fn kind(&self) -> &'static str {
        match self.shape {
            Shape::Exponential(..) => "exponential",
            Shape::LogNormal(..) => "lognormal",
            Shape::Gamma(..) => "gamma",
            Shape::Weibull(..) => "weibull",
            Shape::Triangular(..) => "triangular",
            Shape::Uniform(..) => "uniform",
            Shape::Fixed(..) => "fixed",
            Shape::Empirical(..) => "empirical",
        }
    }

    /// Whether a stay of exactly 0 days has a positive probability (a fixed 0, or an
    /// empirical distribution with a 0 among its observations).
    pub fn can_be_zero(&self) -> bool {
        match &self.shape {
            Shape::Fixed(v) => *v == 0.0,
            Shape::Empirical(xs) => xs.contains(&0.0),
            _ => false,
        }
    }

    /// The mean stay in days.
    pub fn mean(&self) -> f64 {
        match &self.shape {
            Shape::Exponential(_, m) | Shape::LogNormal(_, m, _) | Shape::Gamma(_, m, _) => *m,
            Shape::Weibull(_, k, l) => l * statrs::function::gamma::gamma(1.0 + 1.0 / k),
            Shape::Triangular(_, [a, c, b]) => (a + b + c) / 3.0,
            Shape::Uniform(_, a, b) => (a + b) / 2.0,
            Shape::Fixed(v) => *v,
            Shape::Empirical(xs) => xs.iter().sum::<f64>() / xs.len() as f64,
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
        match &self.shape {
            Shape::Exponential(d, _) => d.sample(rng),
            Shape::LogNormal(d, ..) => d.sample(rng),
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
            Shape::Empirical(xs) => xs[sampling::index(rng, xs.len())],
        }
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
    /// observation picked with probability proportional to its value.
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
            Shape::LogNormal(_, mean, sd) => {
                let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
                let mu = mean.ln() - sigma2 / 2.0;
                LogNormal::new(mu + sigma2, sigma2.sqrt())
                    .expect("a valid lognormal's parameters give a valid lognormal")
                    .sample(rng)
            }
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
            Shape::Empirical(xs) => {
                let total: f64 = xs.iter().sum();
                if total <= 0.0 {
                    0.0
                } else {
                    let mut u = sampling::uniform01(rng) * total;
                    let mut pick = xs[xs.len() - 1];
                    for &x in xs {
                        if u < x {
                            pick = x;
                            break;
                        }
                        u -= x;
                    }
                    pick
                }
            }
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
            Shape::LogNormal(_, m, sd) | Shape::Gamma(_, m, sd) => sd * sd + m * m,
            Shape::Weibull(_, k, l) => l * l * statrs::function::gamma::gamma(1.0 + 2.0 / k),
            Shape::Triangular(_, [a, c, b]) => {
                (a * a + b * b + c * c + a * b + a * c + b * c) / 6.0
            }
            Shape::Uniform(_, a, b) => (a * a + a * b + b * b) / 3.0,
            Shape::Fixed(v) => v * v,
            Shape::Empirical(xs) => xs.iter().map(|x| x * x).sum::<f64>() / xs.len() as f64,
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
    pub fn sd(&self) -> f64 {
        match &self.shape {
            Shape::Exponential(_, m) => *m,
            Shape::LogNormal(_, _, sd) | Shape::Gamma(_, _, sd) => *sd,
            Shape::Weibull(_, k, l) => range::weibull_sd(*k, *l),
            Shape::Triangular(_, [a, c, b]) => range::triangular_sd(*a, *c, *b),
            Shape::Uniform(_, a, b) => (b - a) / 12f64.sqrt(),
            Shape::Fixed(_) => 0.0,
            Shape::Empirical(xs) => range::empirical_sd(xs),
        }
    }

    /// The largest value a draw can take, or `None` for the families with no upper bound
    /// (exponential, lognormal, gamma, Weibull).
    pub fn max(&self) -> Option<f64> {
        match &self.shape {
            Shape::Exponential(..)
            | Shape::LogNormal(..)
            | Shape::Gamma(..)
            | Shape::Weibull(..) => None,
            Shape::Triangular(_, [_, _, b]) | Shape::Uniform(_, _, b) | Shape::Fixed(b) => Some(*b),
            Shape::Empirical(xs) => Some(xs.iter().copied().fold(0.0, f64::max)),
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
            Shape::Exponential(_, m) => (-x / m).exp(),
            Shape::LogNormal(_, m, sd) => {
                if x == 0.0 {
                    return 1.0;
                }
                let sigma2 = (sd / m).powi(2).ln_1p();
                if sigma2 == 0.0 {
                    return if *m > x { 1.0 } else { 0.0 };
                }
                let mu = m.ln() - sigma2 / 2.0;
                0.5 * statrs::function::erf::erfc((x.ln() - mu) / (2.0 * sigma2).sqrt())
            }
            Shape::Gamma(_, m, sd) => {
                if x == 0.0 {
                    return 1.0;
                }
                let shape = (m / sd).powi(2);
                let y = x / (sd * sd / m);
                if shape > 1e6 {
                    // statrs's series and continued fraction need about √shape steps near the
                    // mean (and never end once `shape + 1 == shape`): Wilson–Hilferty's cube
                    // root is normal to within 10⁻⁶ here.
                    let v = 1.0 / (9.0 * shape);
                    let z = ((x / m).cbrt() - (1.0 - v)) / v.sqrt();
                    0.5 * statrs::function::erf::erfc(z / std::f64::consts::SQRT_2)
                } else if y.is_finite() {
                    statrs::function::gamma::gamma_ur(shape, y)
                } else {
                    // x is over 10³⁰⁰ scales, and at most 10⁶ scales make the mean.
                    0.0
                }
            }
            Shape::Weibull(_, k, l) => (-(x / l).powf(*k)).exp(),
            Shape::Triangular(_, [a, c, b]) => {
                if x <= *a {
                    1.0
                } else if x >= *b {
                    0.0
                } else if x <= *c {
                    1.0 - (x - a).powi(2) / ((b - a) * (c - a))
                } else {
                    (b - x).powi(2) / ((b - a) * (b - c))
                }
            }
            Shape::Uniform(_, a, b) => ((b - x) / (b - a)).clamp(0.0, 1.0),
            Shape::Fixed(v) => {
                if *v > x {
                    1.0
                } else {
                    0.0
                }
            }
            Shape::Empirical(xs) => xs.iter().filter(|&&o| o > x).count() as f64 / xs.len() as f64,
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
