//! Length-of-stay distributions, in days, in the parameters analysts think in.

use rand::Rng;
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Triangular, Uniform, Weibull};

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
    Exponential(Exp<f64>, f64),
    LogNormal(LogNormal<f64>, f64, f64),
    Gamma(Gamma<f64>, f64, f64),
    Weibull(Weibull<f64>, f64, f64),
    Triangular(Triangular<f64>, [f64; 3]),
    Uniform(Uniform<f64>, f64, f64),
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
        let exp = Exp::new(1.0 / mean).expect("a positive finite rate is valid");
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
        let dist = LogNormal::from_mean_cv(mean, sd / mean).map_err(|_| {
            DistributionError::NotPositive {
                name: "sd",
                value: sd,
            }
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
        let dist = Gamma::new(shape, scale).map_err(|_| DistributionError::NotPositive {
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
        let dist = Weibull::new(scale, shape).map_err(|_| DistributionError::NotPositive {
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
        let dist = Triangular::new(min, max, mode).expect("bounds were checked");
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
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
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
                let _: u64 = rng.random();
                *v
            }
            Shape::Empirical(xs) => xs[rng.random_range(0..xs.len())],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimRng;
    use rand::SeedableRng;

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
