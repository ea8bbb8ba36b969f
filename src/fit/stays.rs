//! Lengths of stay by maximum likelihood with right-censoring: each of careflow's continuous
//! families fitted, the family chosen by AIC, checked by a Kolmogorov–Smirnov distance
//! against the Kaplan–Meier estimate.

use super::optimise::{at_edge, maximise};
use crate::LengthOfStay;
use statrs::function::erf::erfc;
use statrs::function::gamma::{checked_gamma_lr, checked_gamma_ur, ln_gamma};

/// The resolution of episode times: a stay recorded as 0 lasted less than a minute. It
/// enters the likelihood as `P(stay < 1 minute)` (left-censored), since every family fitted
/// gives a stay of exactly 0 probability 0.
pub const RESOLUTION_DAYS: f64 = 1.0 / 1440.0;

/// Grid points of a search over a parameter's whole range (several bumps possible).
const WIDE_GRID: usize = 32;
/// Grid points of the search for the scale near its uncensored estimate, where the
/// log-likelihood has one peak.
const NEAR_GRID: usize = 10;

/// The z value of a 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The stays of one (class, service).
#[derive(Debug, Clone, Default)]
pub(crate) struct StaySample {
    /// Stays that ended, longer than 0 days.
    pub(crate) exact: Vec<f64>,
    /// Stays recorded as 0 days (under [`RESOLUTION_DAYS`]).
    pub(crate) zero: usize,
    /// Stays still going at the end of the extract: their days so far.
    pub(crate) censored: Vec<f64>,
    /// For stays that started before the extract did (in progress at its start, so seen
    /// only because they lasted that long): the days each had run by then. Each is
    /// left-truncated there: the likelihood is conditional on the stay exceeding it.
    pub(crate) entered: Vec<f64>,
}

impl StaySample {
    /// Stays that ended (zero-length ones included).
    pub(crate) fn ended(&self) -> usize {
        self.exact.len() + self.zero
    }

    fn total(&self) -> usize {
        self.ended() + self.censored.len()
    }
}

/// A length-of-stay family careflow can simulate and fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Exponential: one parameter, the mean.
    Exponential,
    /// Gamma, by shape and scale.
    Gamma,
    /// Lognormal, by the mean and standard deviation of the log of the stay.
    Lognormal,
    /// Weibull, by shape and scale.
    Weibull,
}

impl Family {
    /// The families fitted, in the order they are tried.
    pub const ALL: [Family; 4] = [
        Family::Exponential,
        Family::Gamma,
        Family::Lognormal,
        Family::Weibull,
    ];

    /// Its name in `los.csv`'s `distribution` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Exponential => "exponential",
            Family::Gamma => "gamma",
            Family::Lognormal => "lognormal",
            Family::Weibull => "weibull",
        }
    }

    fn parameters(self) -> usize {
        match self {
            Family::Exponential => 1,
            _ => 2,
        }
    }

    /// The search range of the log of the shape parameter (σ for the lognormal).
    fn shape_range(self) -> (f64, f64) {
        match self {
            Family::Exponential => (0.0, 0.0),
            Family::Gamma => (0.02f64.ln(), 500f64.ln()),
            Family::Lognormal => (0.005f64.ln(), 10f64.ln()),
            Family::Weibull => (0.05f64.ln(), 50f64.ln()),
        }
    }
}

/// An estimate with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The maximum-likelihood estimate.
    pub value: f64,
    /// The interval's lower end.
    pub low: f64,
    /// Its upper end.
    pub high: f64,
}

impl Estimate {
    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: f64) -> bool {
        (self.low..=self.high).contains(&x)
    }
}

/// One family fitted to one (class, service)'s stays.
#[derive(Debug, Clone)]
pub struct FamilyFit {
    /// The family.
    pub family: Family,
    /// The maximised log-likelihood.
    pub log_likelihood: f64,
    /// Akaike's information criterion, `2k − 2 ln L`.
    pub aic: f64,
    /// The parameters as `los.csv` takes them (`mean`; `mean`, `sd`; `shape`, `scale`), each
    /// with a 95% interval from the observed information (delta method, on the log scale).
    pub parameters: Vec<(&'static str, Estimate)>,
    /// The mean stay, with its 95% interval.
    pub mean: Estimate,
    /// Kolmogorov–Smirnov distance between the fitted distribution function and the
    /// Kaplan–Meier estimate, over the stays that ended.
    pub ks: f64,
    /// The distribution, ready to simulate.
    pub stay: LengthOfStay,
}

/// Log-density, log-survival and log-distribution function of a family at `(s, u)`: the log
/// of its shape (σ for the lognormal; unused for the exponential) and the log of its scale
/// (μ for the lognormal).
#[derive(Debug, Clone, Copy)]
struct Point {
    family: Family,
    s: f64,
    u: f64,
}

impl Point {
    fn ln_density(&self, t: f64, ln_t: f64) -> f64 {
        let (s, u) = (self.s, self.u);
        match self.family {
            Family::Exponential => -u - t * (-u).exp(),
            Family::Weibull => {
                let k = s.exp();
                s - u + (k - 1.0) * (ln_t - u) - (k * (ln_t - u)).exp()
            }
            Family::Gamma => {
                let k = s.exp();
                -ln_gamma(k) - k * u + (k - 1.0) * ln_t - t * (-u).exp()
            }
            Family::Lognormal => {
                let z = (ln_t - u) / s.exp();
                -ln_t - s - 0.5 * (2.0 * std::f64::consts::PI).ln() - 0.5 * z * z
            }
        }
    }

    fn ln_survival(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let (s, u) = (self.s, self.u);
        match self.family {
            Family::Exponential => -t * (-u).exp(),
            Family::Weibull => -(s.exp() * (t.ln() - u)).exp(),
            Family::Gamma => {
                let (k, x) = (s.exp(), t * (-u).exp());
                match checked_gamma_ur(k, x) {
                    Ok(q) if q > 1e-300 => q.ln(),
                    // Deep in the upper tail: the leading term of the asymptotic series.
                    _ => (k - 1.0) * x.ln() - x - ln_gamma(k),
                }
            }
            Family::Lognormal => ln_half_erfc((t.ln() - u) / s.exp() / std::f64::consts::SQRT_2),
        }
    }

    fn ln_cdf(&self, t: f64) -> f64 {
        let (s, u) = (self.s, self.u);
        match self.family {
            Family::Exponential => (-(-t * (-u).exp()).exp_m1()).ln(),
            Family::Weibull => (-(-(s.exp() * (t.ln() - u)).exp()).exp_m1()).ln(),
            Family::Gamma => {
                checked_gamma_lr(s.exp(), t * (-u).exp()).map_or(f64::NEG_INFINITY, f64::ln)
            }
            Family::Lognormal => ln_half_erfc(-(t.ln() - u) / s.exp() / std::f64::consts::SQRT_2),
        }
    }

    fn cdf(&self, t: f64) -> f64 {
        -self.ln_survival(t).exp_m1()
    }

    fn mean(&self) -> f64 {
        let (s, u) = (self.s, self.u);
        match self.family {
            Family::Exponential => u.exp(),
            Family::Weibull => u.exp() * statrs::function::gamma::gamma(1.0 + (-s).exp()),
            Family::Gamma => (s + u).exp(),
            Family::Lognormal => (u + 0.5 * (2.0 * s).exp()).exp(),
        }
    }

    fn sd(&self) -> f64 {
        let (s, u) = (self.s, self.u);
        match self.family {
            Family::Exponential => u.exp(),
            Family::Weibull => {
                let g = statrs::function::gamma::gamma;
                let k = s.exp();
                u.exp()
                    * (g(1.0 + 2.0 / k) - g(1.0 + 1.0 / k).powi(2))
                        .max(0.0)
                        .sqrt()
            }
            Family::Gamma => (0.5 * s + u).exp(),
            Family::Lognormal => self.mean() * (2.0 * s).exp().exp_m1().sqrt(),
        }
    }

    /// The parameters `los.csv` takes.
    fn columns(&self) -> Vec<(&'static str, f64)> {
        match self.family {
            Family::Exponential => vec![("mean", self.mean())],
            Family::Gamma | Family::Lognormal => {
                vec![("mean", self.mean()), ("sd", self.sd())]
            }
            Family::Weibull => vec![("shape", self.s.exp()), ("scale", self.u.exp())],
        }
    }

    fn stay(&self) -> Option<LengthOfStay> {
        let c = self.columns();
        match self.family {
            Family::Exponential => LengthOfStay::exponential(c[0].1),
            Family::Gamma => LengthOfStay::gamma(c[0].1, c[1].1),
            Family::Lognormal => LengthOfStay::lognormal(c[0].1, c[1].1),
            Family::Weibull => LengthOfStay::weibull(c[0].1, c[1].1),
        }
        .ok()
    }
}

/// `ln(erfc(x) / 2)`, without underflow far in the tail.
fn ln_half_erfc(x: f64) -> f64 {
    if x < 25.0 {
        (0.5 * erfc(x)).ln()
    } else {
        // erfc(x) ~ exp(-x²) / (x √π) (1 − 1/(2x²)).
        -x * x - (x * std::f64::consts::PI.sqrt()).ln() + (-0.5 / (x * x)).ln_1p()
            - std::f64::consts::LN_2
    }
}

/// The sample with the logs of its exact stays, for the likelihood.
struct Prepared<'a> {
    sample: &'a StaySample,
    ln_exact: Vec<f64>,
}

impl Prepared<'_> {
    fn log_likelihood(&self, p: Point) -> f64 {
        let mut sum = 0.0;
        for (&t, &ln_t) in self.sample.exact.iter().zip(&self.ln_exact) {
            sum += p.ln_density(t, ln_t);
        }
        for &c in &self.sample.censored {
            sum += p.ln_survival(c);
        }
        if self.sample.zero > 0 {
            sum += self.sample.zero as f64 * p.ln_cdf(RESOLUTION_DAYS);
        }
        for &a in &self.sample.entered {
            sum -= p.ln_survival(a);
        }
        if sum.is_nan() { f64::NEG_INFINITY } else { sum }
    }

    /// The best log scale for log shape `s`, and the log-likelihood there.
    fn best_scale(&self, family: Family, s: f64, (low, high): (f64, f64)) -> Option<(f64, f64)> {
        let f = |u: f64| self.log_likelihood(Point { family, s, u });
        // Closed forms where there are no zero-length stays.
        if self.sample.zero == 0 {
            let d = self.sample.exact.len() as f64;
            let all = self.sample.exact.iter().chain(&self.sample.censored);
            let entered = self.sample.entered.iter();
            let closed = match family {
                Family::Exponential => Some((all.sum::<f64>() - entered.sum::<f64>()) / d),
                Family::Weibull => {
                    let k = s.exp();
                    let sum = all.map(|t| t.powf(k)).sum::<f64>()
                        - entered.map(|a| a.powf(k)).sum::<f64>();
                    Some((sum / d).powf(1.0 / k))
                }
                _ => None,
            };
            if let Some(scale) = closed {
                let u = scale.ln();
                return u.is_finite().then(|| (u, f(u)));
            }
        }
        // A start near the uncensored estimate; the full range when the best lies at its edge.
        let guess = match family {
            Family::Lognormal => mean(&self.ln_exact),
            Family::Gamma => mean(&self.sample.exact).ln() - s,
            _ => mean(&self.sample.exact).ln(),
        };
        if guess.is_finite() {
            let near = (guess - 3.0, guess + 6.0);
            if let Some((u, v)) = maximise(near.0, near.1, NEAR_GRID, f)
                && !at_edge(u, near.0, near.1, NEAR_GRID)
            {
                return Some((u, v));
            }
        }
        let (u, v) = maximise(low, high, WIDE_GRID, f)?;
        (!at_edge(u, low, high, WIDE_GRID)).then_some((u, v))
    }
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Why a family could not be fitted.
#[derive(Debug, Clone, PartialEq)]
pub enum Unfitted {
    /// Too few stays ended for its parameters.
    TooFew,
    /// The likelihood has no maximum inside the range searched (the data do not pin the
    /// parameters down, or rule the family out).
    NoMaximum,
    /// The maximum lies outside what careflow can simulate.
    OutOfRange,
}

/// Fits `family` to `sample` by maximum likelihood.
pub(crate) fn fit_family(sample: &StaySample, family: Family) -> Result<FamilyFit, Unfitted> {
    let distinct = {
        let mut v = sample.exact.clone();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v.len()
    };
    let needed = if family.parameters() == 1 { 1 } else { 3 };
    if distinct < needed {
        return Err(Unfitted::TooFew);
    }
    let prepared = Prepared {
        sample,
        ln_exact: sample.exact.iter().map(|t| t.ln()).collect(),
    };
    let smallest = sample
        .exact
        .iter()
        .chain(sample.censored.iter().filter(|&&c| c > 0.0))
        .fold(RESOLUTION_DAYS, |a, &b| a.min(b));
    let largest = sample
        .exact
        .iter()
        .chain(&sample.censored)
        .fold(RESOLUTION_DAYS, |a, &b| a.max(b));
    let scale_range = (smallest.ln() - 15.0, largest.ln() + 15.0);
    let (s, u, ll) = if family.parameters() == 1 {
        let (u, ll) = prepared
            .best_scale(family, 0.0, scale_range)
            .ok_or(Unfitted::NoMaximum)?;
        (0.0, u, ll)
    } else {
        let (low, high) = family.shape_range();
        let profile = |s: f64| {
            prepared
                .best_scale(family, s, scale_range)
                .map_or(f64::NEG_INFINITY, |(_, v)| v)
        };
        let (s, _) = maximise(low, high, WIDE_GRID, profile).ok_or(Unfitted::NoMaximum)?;
        if at_edge(s, low, high, WIDE_GRID) {
            return Err(Unfitted::NoMaximum);
        }
        let (u, ll) = prepared
            .best_scale(family, s, scale_range)
            .ok_or(Unfitted::NoMaximum)?;
        (s, u, ll)
    };
    let point = Point { family, s, u };
    if !ll.is_finite() {
        return Err(Unfitted::NoMaximum);
    }
    let stay = point.stay().ok_or(Unfitted::OutOfRange)?;
    let covariance = covariance(&prepared, point);
    let interval = |g: &dyn Fn(Point) -> f64| -> Estimate {
        let value = g(point);
        let Some(cov) = covariance else {
            return Estimate {
                value,
                low: f64::NAN,
                high: f64::NAN,
            };
        };
        // Delta method on the log of the quantity: its intervals stay above 0.
        let h = 1e-5;
        let ln_g = |s: f64, u: f64| g(Point { family, s, u }).ln();
        let ds = (ln_g(s + h, u) - ln_g(s - h, u)) / (2.0 * h);
        let du = (ln_g(s, u + h) - ln_g(s, u - h)) / (2.0 * h);
        let var = ds * ds * cov[0] + 2.0 * ds * du * cov[1] + du * du * cov[2];
        let half = Z95 * var.max(0.0).sqrt();
        Estimate {
            value,
            low: value * (-half).exp(),
            high: value * half.exp(),
        }
    };
    let parameters = point
        .columns()
        .into_iter()
        .enumerate()
        .map(|(i, (name, _))| (name, interval(&move |p: Point| p.columns()[i].1)))
        .collect();
    let mean = interval(&|p: Point| p.mean());
    Ok(FamilyFit {
        family,
        log_likelihood: ll,
        aic: 2.0 * family.parameters() as f64 - 2.0 * ll,
        parameters,
        mean,
        ks: ks_distance(sample, |t| point.cdf(t)),
        stay,
    })
}

/// The covariance of `(s, u)` at the maximum, the inverse of the observed information (the
/// negative Hessian of the log-likelihood, by central differences), as
/// `[var s, cov, var u]`; `None` where the information is not positive definite.
fn covariance(prepared: &Prepared<'_>, p: Point) -> Option<[f64; 3]> {
    let h = 1e-3;
    let ll = |ds: f64, du: f64| {
        prepared.log_likelihood(Point {
            s: p.s + ds,
            u: p.u + du,
            ..p
        })
    };
    let centre = ll(0.0, 0.0);
    let uu = -(ll(0.0, h) - 2.0 * centre + ll(0.0, -h)) / (h * h);
    if p.family.parameters() == 1 {
        return (uu > 0.0).then(|| [0.0, 0.0, 1.0 / uu]);
    }
    let ss = -(ll(h, 0.0) - 2.0 * centre + ll(-h, 0.0)) / (h * h);
    let su = -(ll(h, h) - ll(h, -h) - ll(-h, h) + ll(-h, -h)) / (4.0 * h * h);
    let det = ss * uu - su * su;
    (ss > 0.0 && det > 0.0 && det.is_finite()).then(|| [uu / det, -su / det, ss / det])
}

/// The largest gap between `cdf` and one minus the Kaplan–Meier survival estimate, just
/// before and at each stay that ended; zero-length stays count as ended at 0.
pub(crate) fn ks_distance(sample: &StaySample, cdf: impl Fn(f64) -> f64) -> f64 {
    let km = kaplan_meier(sample);
    let mut before = 0.0;
    let mut d: f64 = 0.0;
    for (t, s) in km {
        let f = cdf(t);
        d = d.max((f - before).abs()).max((f - (1.0 - s)).abs());
        before = 1.0 - s;
    }
    d
}

/// The Kaplan–Meier estimate of survival just after each distinct time a stay ended.
pub(crate) fn kaplan_meier(sample: &StaySample) -> Vec<(f64, f64)> {
    // (time, ended?) with, at equal times, stays that ended before censored ones.
    let mut all: Vec<(f64, bool)> = std::iter::repeat_n((0.0, true), sample.zero)
        .chain(sample.exact.iter().map(|&t| (t, true)))
        .chain(sample.censored.iter().map(|&t| (t, false)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut at_risk = sample.total() as f64;
    let mut survival = 1.0;
    let mut out = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let t = all[i].0;
        let (mut ended, mut gone) = (0.0, 0.0);
        while i < all.len() && all[i].0 == t {
            if all[i].1 {
                ended += 1.0;
            }
            gone += 1.0;
            i += 1;
        }
        if ended > 0.0 {
            survival *= 1.0 - ended / at_risk;
            out.push((t, survival));
        }
        at_risk -= gone;
    }
    out
}

/// The 5% critical value of the Kolmogorov–Smirnov distance for `n` observations and a
/// fully specified distribution. With parameters estimated from the same data the true
/// critical value is smaller, so judging a fit by this one is lenient: a fit it rejects is
/// poor.
pub(crate) fn ks_critical(n: usize) -> f64 {
    1.358 / (n as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimRng;
    use rand_core::SeedableRng;

    fn draw(stay: &LengthOfStay, n: usize, seed: u64) -> Vec<f64> {
        let mut rng = SimRng::seed_from_u64(seed);
        (0..n).map(|_| stay.sample(&mut rng)).collect()
    }

    #[test]
    fn recovers_each_family_within_its_interval_under_censoring() {
        let cases = [
            (
                Family::Exponential,
                LengthOfStay::exponential(4.0).unwrap(),
                4.0,
            ),
            (Family::Gamma, LengthOfStay::gamma(6.0, 3.0).unwrap(), 6.0),
            (
                Family::Lognormal,
                LengthOfStay::lognormal(9.0, 8.0).unwrap(),
                9.0,
            ),
            (
                Family::Weibull,
                LengthOfStay::weibull(1.8, 10.0).unwrap(),
                10.0 * 0.889_363_9,
            ),
        ];
        for (i, (family, stay, true_mean)) in cases.into_iter().enumerate() {
            let stays = draw(&stay, 1500, 1 + i as u64);
            // Censor at a fixed cut: stays longer than 15 days are seen only as 15.
            let cut = 15.0;
            let sample = StaySample {
                exact: stays.iter().copied().filter(|&t| t <= cut).collect(),
                zero: 0,
                censored: stays
                    .iter()
                    .copied()
                    .filter(|&t| t > cut)
                    .map(|_| cut)
                    .collect(),
                entered: vec![],
            };
            assert!(!sample.censored.is_empty());
            let fit = fit_family(&sample, family).unwrap();
            assert!(fit.mean.contains(true_mean), "{family:?}: {:?}", fit.mean);
            assert!(
                fit.ks < ks_critical(sample.ended()),
                "{family:?}: {}",
                fit.ks
            );
            let best = Family::ALL
                .iter()
                .filter_map(|&f| fit_family(&sample, f).ok())
                .min_by(|a, b| a.aic.total_cmp(&b.aic))
                .unwrap();
            // The true family wins or comes within 2 AIC points of the winner.
            assert!(
                fit.aic - best.aic < 2.0,
                "{family:?} lost to {:?}",
                best.family
            );
        }
    }

    #[test]
    fn stays_in_progress_at_the_start_are_left_truncated() {
        // Only stays still going when the extract starts are seen, at a uniform point of
        // the ten days before: long stays are over-represented.
        let stay = LengthOfStay::gamma(6.0, 3.0).unwrap();
        let mut rng = SimRng::seed_from_u64(5);
        let (mut exact, mut entered) = (Vec::new(), Vec::new());
        while exact.len() < 1500 {
            let t = stay.sample(&mut rng);
            let a = 10.0 * crate::sampling::uniform01(&mut rng);
            if t > a {
                exact.push(t);
                entered.push(a);
            }
        }
        let naive = StaySample {
            exact: exact.clone(),
            ..StaySample::default()
        };
        let truncated = StaySample {
            exact,
            entered,
            ..StaySample::default()
        };
        for family in [Family::Gamma, Family::Exponential, Family::Weibull] {
            let fit = fit_family(&truncated, family).unwrap();
            let biased = fit_family(&naive, family).unwrap();
            assert!(biased.mean.low > 6.5, "{family:?}: {:?}", biased.mean);
            if family == Family::Gamma {
                assert!(fit.mean.contains(6.0), "{:?}", fit.mean);
            }
        }
    }

    #[test]
    fn kaplan_meier_without_censoring_is_the_empirical_survival() {
        let sample = StaySample {
            exact: vec![1.0, 2.0, 2.0, 4.0],
            zero: 0,
            censored: vec![],
            entered: vec![],
        };
        assert_eq!(
            kaplan_meier(&sample),
            vec![(1.0, 0.75), (2.0, 0.25), (4.0, 0.0)]
        );
        let censored = StaySample {
            exact: vec![1.0, 3.0],
            zero: 0,
            censored: vec![2.0],
            entered: vec![],
        };
        assert_eq!(
            kaplan_meier(&censored),
            vec![(1.0, 1.0 - 1.0 / 3.0), (3.0, 0.0)]
        );
    }

    #[test]
    fn degenerate_samples_are_not_fitted() {
        let one = StaySample {
            exact: vec![2.0],
            zero: 0,
            censored: vec![],
            entered: vec![],
        };
        assert_eq!(
            fit_family(&one, Family::Gamma).unwrap_err(),
            Unfitted::TooFew
        );
        let fit = fit_family(&one, Family::Exponential).unwrap();
        assert!((fit.mean.value - 2.0).abs() < 1e-9);
        let zeros = StaySample {
            exact: vec![],
            zero: 5,
            censored: vec![],
            entered: vec![],
        };
        assert!(fit_family(&zeros, Family::Exponential).is_err());
    }
}
