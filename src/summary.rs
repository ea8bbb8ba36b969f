//! Summaries across replications: mean, standard deviation and Student-t confidence interval.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Mean, standard deviation and confidence interval of one statistic across replications.
///
/// The interval is the Student-t interval `mean ± t(1 − α/2, n − 1) · sd / √n`, which assumes
/// the replications are independent and their means roughly normal (true for the long-run
/// averages careflow reports, by the central limit theorem).
///
/// # Example
///
/// ```
/// use careflow::Summary;
///
/// let s = Summary::new(&[9.0, 10.0, 11.0], 0.95);
/// assert_eq!(s.mean, 10.0);
/// assert_eq!(s.sd, 1.0);
/// // t(0.975, 2) = 4.303, so the half-width is 4.303 / √3.
/// assert!((s.half_width.unwrap() - 2.484).abs() < 1e-3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of replications.
    pub n: usize,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator; 0 when n = 1).
    pub sd: f64,
    /// Half-width of the confidence interval; `None` when n < 2.
    pub half_width: Option<f64>,
    /// Confidence level of the interval, e.g. 0.95.
    pub level: f64,
}

impl Summary {
    /// Summarises `values` (one per replication) at confidence `level` (between 0 and 1).
    ///
    /// Values are added in the order given (Welford's update), so the result does not depend
    /// on how replications were scheduled across threads.
    ///
    /// # Panics
    ///
    /// If `values` is empty or `level` is not strictly between 0 and 1.
    pub fn new(values: &[f64], level: f64) -> Summary {
        assert!(!values.is_empty(), "a summary needs at least one value");
        assert!(
            level > 0.0 && level < 1.0,
            "confidence level should be in (0, 1)"
        );
        let (mean, sd) = mean_and_sd(values);
        let n = values.len();
        let half_width = (n > 1).then(|| t_quantile(level, n - 1) * sd / (n as f64).sqrt());
        Summary {
            n,
            mean,
            sd,
            half_width,
            level,
        }
    }

    /// Lower end of the interval (the mean when there is no interval).
    pub fn low(&self) -> f64 {
        self.mean - self.half_width.unwrap_or(0.0)
    }

    /// Upper end of the interval (the mean when there is no interval).
    pub fn high(&self) -> f64 {
        self.mean + self.half_width.unwrap_or(0.0)
    }
}

/// The mean and sample standard deviation (n − 1 denominator; 0 for one value) of `values`,
/// added in the order given (Welford's update); `(0, 0)` for no values.
pub(crate) fn mean_and_sd(values: &[f64]) -> (f64, f64) {
    let (mut mean, mut m2) = (0.0, 0.0);
    for (i, &x) in values.iter().enumerate() {
        let delta = x - mean;
        mean += delta / (i + 1) as f64;
        m2 += delta * (x - mean);
    }
    let n = values.len();
    let sd = if n > 1 {
        (m2 / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    (mean, sd)
}

/// The two-sided Student-t critical value `t(1 − (1 − level)/2, df)`.
pub(crate) fn t_quantile(level: f64, df: usize) -> f64 {
    t_upper(0.5 * (1.0 - level), df)
}

/// The one-sided Student-t critical value `t(1 − tail, df)`: a t variable with `df` degrees
/// of freedom exceeds it with probability `tail` (in (0, ½]).
pub(crate) fn t_upper(tail: f64, df: usize) -> f64 {
    let t = StudentsT::new(0.0, 1.0, df as f64)
        .expect("location 0, scale 1 and at least one degree of freedom are valid");
    t.inverse_cdf(1.0 - tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        // Standard table values.
        assert!((t_quantile(0.95, 1) - 12.706).abs() < 1e-3);
        assert!((t_quantile(0.95, 9) - 2.262).abs() < 1e-3);
        assert!((t_quantile(0.99, 19) - 2.861).abs() < 1e-3);
        // One-sided: t(0.95, 2), t(0.995, 9), t(0.9875, 9), t(0.9995, 9).
        assert!((t_upper(0.05, 2) - 2.920).abs() < 1e-3);
        assert!((t_upper(0.005, 9) - 3.250).abs() < 1e-3);
        assert!((t_upper(0.0125, 9) - 2.685).abs() < 1e-3);
        assert!((t_upper(0.0005, 9) - 4.781).abs() < 1e-3);
    }

    #[test]
    fn one_value_has_no_interval() {
        let s = Summary::new(&[3.0], 0.95);
        assert_eq!((s.mean, s.sd, s.half_width), (3.0, 0.0, None));
    }
}
