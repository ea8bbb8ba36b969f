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
        let dist = Uniform::new(min, max).expect("bounds were checked");
        Ok(Self::from(Shape::Uniform(dist, min, max)))
    }

    /// Always exactly `value` days (zero allowed).
    ///
    /// # Errors
    ///
    /// If `value` is negative or not finite.
    pub fn fixed(value: f64) -> Result<Self, DistributionError> {
        Ok(Self::from(Shape::Fixed(non_negative("value", value)?)))
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
}
