//! Starting from today's census: remaining stays from the equilibrium residual distribution
//! put the system in its steady state at once, with no warm-up; given the days already spent,
//! remaining stays are drawn exactly from the conditional distribution of every family; and
//! the IPACS model's rule is there for reproductions.

use crate::common::write_scenario;
use careflow::{LengthOfStay, Model, Rounding, SimRng, Summary, run_replications};
use rand_core::SeedableRng;
use statrs::distribution::{self as sd, ContinuousCDF};

/// An M/G/∞ ward: 20 arrivals a day, lognormal stays (mean 5, sd 4 days), beds enough for
/// everyone, no warm-up, a 10-day run; optionally starting with `census` patients in beds.
fn ward(census: Option<u32>) -> tempfile::TempDir {
    let mut files = vec![
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,10\nseed,17\nreplications,200\ndaily_series,false\n".to_owned(),
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n".to_owned()),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\nward,acute_bed,trust,1000,unlimited,fifo\n".to_owned(),
        ),
        ("classes.csv", "id,priority\np,0\n".to_owned()),
        ("arrivals.csv", "id,class,service,rate_per_day,profile\nin,p,ward,20,\n".to_owned()),
        ("los.csv", "class,service,distribution,mean,sd\np,ward,lognormal,5,4\n".to_owned()),
        ("routes.csv", "class,service,next,probability\n".to_owned()),
    ];
    if let Some(n) = census {
        files.push((
            "census.csv",
            format!("service,class,occupied,queued\nward,p,{n},0\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(n, c)| (*n, c.as_str())).collect();
    write_scenario(&files)
}

fn mean_occupancy(census: Option<u32>) -> Summary {
    let dir = ward(census);
    let model = Model::load(dir.path()).unwrap();
    let results = run_replications(&model, 200);
    for r in &results {
        assert!(r.system.is_conserved());
    }
    let values: Vec<f64> = results
        .iter()
        .map(|r| r.services[0].mean_occupancy)
        .collect();
    Summary::new(&values, 0.999)
}

/// In the M/G/∞ queue started with N = λ·E[S] patients whose remaining stays follow the
/// equilibrium residual distribution, E[occupancy(t)] = N·P(Se > t) + λ·E[S]·P(Se ≤ t) = λ·E[S]
/// at every t: the census start is already in steady state. So the 10-day mean occupancy must
/// be 100 within its 99.9% interval (t(0.9995, 199) ≈ 3.34). Giving the census patients fresh
/// stays instead (mean 5 left, not E[S²]/2E[S] = 4.1) would raise it by about 10 beds, and a
/// uniform share of a fresh stay (mean 2.5 left) lower it by about as much; the interval is
/// asserted to be under 3 beds wide each side, so either mistake fails the test.
#[test]
fn a_census_start_is_in_steady_state_without_warm_up() {
    let s = mean_occupancy(Some(100));
    let half = s.half_width.unwrap();
    println!("census start: {:.2} ± {:.2}", s.mean, half);
    assert!(half < 3.0, "{s:?}");
    assert!((s.mean - 100.0).abs() <= half, "{s:?}");
}

#[test]
fn an_empty_start_is_far_from_steady_state() {
    // For contrast: from empty, the ward fills over the first stays, and the 10-day mean is
    // 100·(1 − E[min(Se, 10)]/10), about two thirds of the steady state.
    let s = mean_occupancy(None);
    assert!(s.high() < 80.0, "{s:?}");
}

#[test]
fn census_errors_are_positioned() {
    let cases = [
        (
            "service,class,occupied,queued\nward,p,10,0\nward,p,5,0\n",
            "census.csv:3: duplicate entry for class 'p' at service 'ward' (first given on line 2)",
        ),
        (
            "service,class,occupied,queued\nward,q,10,0\n",
            "census.csv:2: column 'class': expected a class in classes.csv, found \"q\"",
        ),
    ];
    for (contents, expected) in cases {
        let dir = ward(None);
        std::fs::write(dir.path().join("census.csv"), contents).unwrap();
        let err = Model::load(dir.path()).unwrap_err().to_string();
        assert_eq!(err, format!("{}/{expected}", dir.path().display()));
    }
}

// ---------------------------------------------------------------------------------------------
// Remaining stays given the days already spent: exact for every family, and the IPACS rule.

/// `∫ f` over `[a, b]` by Simpson's rule on 200 000 intervals.
fn integral(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    let n = 200_000;
    let h = (b - a) / f64::from(n);
    let inner: f64 = (1..n)
        .map(|i| f(a + f64::from(i) * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (f(a) + inner + f(b)) * h / 3.0
}

/// `E[X − e | e < X ≤ b]` for X with survival function `s`, by integrating `s`.
fn continuous_mean(s: impl Fn(f64) -> f64, e: f64, b: f64) -> f64 {
    let s_b = if b.is_finite() { s(b) } else { 0.0 };
    let top = if b.is_finite() { b } else { e + 4000.0 };
    integral(|t| s(t) - s_b, e, top) / (s(e) - s_b)
}

/// `E[S − e | S > e]` for a rounded stay S, from the probabilities of its whole days
/// `(day, P(day))` computed from the family's distribution function.
fn rounded_mean(days: impl Iterator<Item = (f64, f64)>, e: f64) -> f64 {
    let (mut total, mut weighted) = (0.0, 0.0);
    for (k, p) in days.filter(|&(k, _)| k > e) {
        total += p;
        weighted += (k - e) * p;
    }
    weighted / total
}

fn lognormal_params(mean: f64, sd: f64) -> (f64, f64) {
    let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
    (mean.ln() - sigma2 / 2.0, sigma2.sqrt())
}

/// For each family (and its truncated and rounded forms), the remaining stay after `e` days
/// drawn 200 000 times has the mean `E[stay − e | stay > e]` computed independently here (by
/// hand, or by integrating statrs's survival function, or summing statrs's probabilities of
/// whole days), within 4.5 standard errors; and its stated probability of a stay above `e`
/// is statrs's.
#[test]
fn remaining_stays_have_the_conditional_mean_of_every_family() {
    let (mu, sigma) = lognormal_params(5.0, 4.0);
    let lognormal = sd::LogNormal::new(mu, sigma).unwrap();
    let by_median = sd::LogNormal::new(4f64.ln(), (2.0 * 1.5f64.ln()).sqrt()).unwrap();
    let gamma = sd::Gamma::new(4.0, 4.0 / 3.0).unwrap(); // mean 3, sd 1.5
    let small_shape = sd::Gamma::new(0.25, 1.0 / 12.0).unwrap(); // mean 3, sd 6
    let weibull = sd::Weibull::new(1.5, 10.0).unwrap();
    let weibull_07 = sd::Weibull::new(0.7, 5.0).unwrap();
    let triangular = sd::Triangular::new(1.0, 6.0, 2.0).unwrap();
    let exponential = sd::Exp::new(0.25).unwrap();
    let nearest = |d: &dyn Fn(f64) -> f64, k: f64| (k, d(k + 0.5) - d(k - 0.5));
    let up = |d: &dyn Fn(f64) -> f64, k: f64| (k, d(k) - d(k - 1.0));
    let cdf_median = |x: f64| by_median.cdf(x.max(0.0));
    let cdf_gamma = |x: f64| if x <= 0.0 { 0.0 } else { gamma.cdf(x) };
    let cdf_exponential = |x: f64| exponential.cdf(x.max(0.0));
    let trunc = |min: f64, max: f64| move |x: f64| x.clamp(min, max);
    let s_trunc = |s: &dyn Fn(f64) -> f64, min: f64, max: f64, t: f64| s(trunc(min, max)(t));
    let cases: Vec<(&str, LengthOfStay, f64, f64, f64)> = vec![
        // (what, distribution, elapsed, E[stay − e | stay > e], P(stay > e))
        (
            "exponential",
            LengthOfStay::exponential(4.0).unwrap(),
            3.0,
            4.0,
            (-0.75f64).exp(),
        ),
        (
            "lognormal",
            LengthOfStay::lognormal(5.0, 4.0).unwrap(),
            6.0,
            continuous_mean(|t| lognormal.sf(t), 6.0, f64::INFINITY),
            lognormal.sf(6.0),
        ),
        (
            "lognormal deep in its tail",
            LengthOfStay::lognormal(5.0, 4.0).unwrap(),
            100.0,
            continuous_mean(|t| lognormal.sf(t), 100.0, f64::INFINITY),
            lognormal.sf(100.0),
        ),
        (
            "lognormal by median",
            LengthOfStay::lognormal_median(4.0, 6.0).unwrap(),
            10.0,
            continuous_mean(|t| by_median.sf(t), 10.0, f64::INFINITY),
            by_median.sf(10.0),
        ),
        (
            "gamma",
            LengthOfStay::gamma(3.0, 1.5).unwrap(),
            4.0,
            continuous_mean(|t| gamma.sf(t), 4.0, f64::INFINITY),
            gamma.sf(4.0),
        ),
        (
            "gamma, shape 1/4",
            LengthOfStay::gamma(3.0, 6.0).unwrap(),
            2.0,
            continuous_mean(|t| small_shape.sf(t), 2.0, f64::INFINITY),
            small_shape.sf(2.0),
        ),
        (
            "weibull",
            LengthOfStay::weibull(1.5, 10.0).unwrap(),
            12.0,
            continuous_mean(|t| weibull.sf(t), 12.0, f64::INFINITY),
            weibull.sf(12.0),
        ),
        (
            "weibull, shape 0.7",
            LengthOfStay::weibull(0.7, 5.0).unwrap(),
            3.0,
            continuous_mean(|t| weibull_07.sf(t), 3.0, f64::INFINITY),
            weibull_07.sf(3.0),
        ),
        (
            "triangular below its mode",
            LengthOfStay::triangular(1.0, 2.0, 6.0).unwrap(),
            1.5,
            continuous_mean(|t| triangular.sf(t.clamp(1.0, 6.0)), 1.5, 6.0),
            triangular.sf(1.5),
        ),
        // Above the mode the density falls linearly to 0 at 6: (6 − 4)/3 left on average.
        (
            "triangular above its mode",
            LengthOfStay::triangular(1.0, 2.0, 6.0).unwrap(),
            4.0,
            2.0 / 3.0,
            0.2,
        ),
        (
            "uniform, before its start",
            LengthOfStay::uniform(2.0, 4.0).unwrap(),
            1.0,
            2.0,
            1.0,
        ),
        (
            "uniform",
            LengthOfStay::uniform(2.0, 4.0).unwrap(),
            3.5,
            0.25,
            0.25,
        ),
        ("fixed", LengthOfStay::fixed(3.5).unwrap(), 2.0, 1.5, 1.0),
        (
            "empirical",
            LengthOfStay::empirical(vec![1.0, 2.0, 9.0, 4.0, 4.0]).unwrap(),
            2.0,
            17.0 / 3.0 - 2.0,
            0.6,
        ),
        (
            "truncated lognormal",
            LengthOfStay::lognormal(5.0, 4.0)
                .unwrap()
                .limited(Rounding::None, 1.0, 20.0)
                .unwrap(),
            3.0,
            continuous_mean(|t| s_trunc(&|x| lognormal.sf(x), 1.0, 20.0, t), 3.0, 20.0),
            (lognormal.sf(3.0) - lognormal.sf(20.0)) / (lognormal.sf(1.0) - lognormal.sf(20.0)),
        ),
        (
            "truncated weibull",
            LengthOfStay::weibull(1.5, 10.0)
                .unwrap()
                .limited(Rounding::None, 5.0, 15.0)
                .unwrap(),
            7.0,
            continuous_mean(|t| s_trunc(&|x| weibull.sf(x), 5.0, 15.0, t), 7.0, 15.0),
            (weibull.sf(7.0) - weibull.sf(15.0)) / (weibull.sf(5.0) - weibull.sf(15.0)),
        ),
        (
            "lognormal by median, whole days from 1 to 30",
            LengthOfStay::lognormal_median(4.0, 6.0)
                .unwrap()
                .limited(Rounding::Nearest, 1.0, 30.0)
                .unwrap(),
            2.5,
            rounded_mean((1..=30).map(|k| nearest(&cdf_median, f64::from(k))), 2.5),
            {
                let p = |from: f64| cdf_median(30.5) - cdf_median(from);
                p(2.5) / p(0.5)
            },
        ),
        (
            "gamma rounded up",
            LengthOfStay::gamma(3.0, 1.5)
                .unwrap()
                .limited(Rounding::Up, 0.0, f64::INFINITY)
                .unwrap(),
            2.0,
            rounded_mean((1..=200).map(|k| up(&cdf_gamma, f64::from(k))), 2.0),
            gamma.sf(2.0),
        ),
        (
            "exponential to the nearest day, zero days redrawn",
            LengthOfStay::exponential(4.0)
                .unwrap()
                .limited(Rounding::Nearest, 1.0, f64::INFINITY)
                .unwrap(),
            0.0,
            rounded_mean(
                (1..=400).map(|k| nearest(&cdf_exponential, f64::from(k))),
                0.0,
            ),
            1.0,
        ),
        (
            "empirical to the nearest day within [1, 5]",
            LengthOfStay::empirical(vec![0.2, 1.4, 2.6, 9.5])
                .unwrap()
                .limited(Rounding::Nearest, 1.0, 5.0)
                .unwrap(),
            1.0,
            2.0,
            0.5,
        ),
    ];
    for (i, (what, los, elapsed, expected, probability)) in cases.iter().enumerate() {
        let remaining = los.remaining_after(*elapsed).unwrap();
        assert!(
            (remaining.probability() - probability).abs() <= 1e-9 * probability,
            "{what}: P(stay > {elapsed}) = {}, expected {probability}",
            remaining.probability()
        );
        let mut rng = SimRng::seed_from_u64(100 + i as u64);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| remaining.sample(&mut rng)).collect();
        assert!(xs.iter().all(|&x| x >= 0.0 && x.is_finite()), "{what}");
        let mean = xs.iter().sum::<f64>() / f64::from(n);
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / f64::from(n - 1);
        let se = (var / f64::from(n)).sqrt();
        println!("{what}: {mean:.5} ± {se:.5}, expected {expected:.5}");
        assert!(
            (mean - expected).abs() <= 4.5 * se + 1e-12,
            "{what}: mean remaining {mean} ± {se}, expected {expected}"
        );
    }
}

#[test]
fn elapsed_times_a_stay_cannot_reach_are_refused() {
    let exponential = LengthOfStay::exponential(1.0).unwrap();
    // e⁻¹³ ≈ 2.3·10⁻⁶ is accepted, e⁻¹⁴ ≈ 8.3·10⁻⁷ is not.
    assert!(exponential.remaining_after(13.0).is_ok());
    assert!(matches!(
        exponential.remaining_after(14.0),
        Err(careflow::DistributionError::ElapsedTooLong { probability, .. })
            if (probability / (-14f64).exp() - 1.0).abs() < 1e-12
    ));
    for (los, elapsed) in [
        (LengthOfStay::uniform(0.0, 10.0).unwrap(), 10.0),
        (LengthOfStay::fixed(3.0).unwrap(), 3.0),
        (LengthOfStay::empirical(vec![1.0, 7.0]).unwrap(), 7.0),
        (LengthOfStay::exponential(1.0).unwrap(), -1.0),
        (LengthOfStay::exponential(1.0).unwrap(), f64::NAN),
        (LengthOfStay::exponential(1.0).unwrap(), f64::INFINITY),
        (
            LengthOfStay::exponential(1.0)
                .unwrap()
                .limited(Rounding::Nearest, 0.0, 4.0)
                .unwrap(),
            4.2,
        ),
    ] {
        assert!(
            los.remaining_after(elapsed).is_err(),
            "{los:?} after {elapsed}"
        );
    }
}

#[test]
fn the_ipacs_rule_is_uniform_between_one_day_and_a_fresh_stay() {
    let mut rng = SimRng::seed_from_u64(3);
    // 1 + (L − 1) U has mean (1 + E[L]) / 2.
    for (los, mean) in [
        (LengthOfStay::fixed(5.0).unwrap(), 3.0),
        (LengthOfStay::gamma(3.0, 1.5).unwrap(), 2.0),
    ] {
        let n = 200_000;
        let xs: Vec<f64> = (0..n)
            .map(|_| los.sample_remaining_uniform(&mut rng))
            .collect();
        let m = xs.iter().sum::<f64>() / f64::from(n);
        assert!((m - mean).abs() < 0.01, "{m} vs {mean}");
    }
    // A stay under a day: between it and 1, as Python's uniform(1, L) gives.
    let los = LengthOfStay::fixed(0.5).unwrap();
    assert!(
        (0..1000)
            .map(|_| los.sample_remaining_uniform(&mut rng))
            .all(|x| (0.5..=1.0).contains(&x))
    );
}

/// A ward of census patients only (no one arrives there), `n` of them with fixed 9-day stays,
/// `elapsed` and `rule` as the census row gives them; 20-day runs.
fn census_only(elapsed: &str, rule: &str) -> tempfile::TempDir {
    let census = format!(
        "service,class,occupied,queued,elapsed_days,residual_rule\nward,p,400,0,{elapsed},{rule}\n"
    );
    write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,20\nseed,9\nreplications,20\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\nward,acute_bed,trust,1000,unlimited,fifo\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,ward,0,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,value\np,ward,fixed,9\n",
        ),
        ("routes.csv", "class,service,next,probability\n"),
        ("census.csv", &census),
    ])
}

/// Bed-days over 20 days from 400 patients with fixed 9-day stays: 7 days left each after 2
/// spent (exactly 140 beds on average); U · 9 (mean 4.5, 90 beds) when the time spent is
/// unknown; 1 + 8U (mean 5, 100 beds) by the IPACS rule. The last two within 4.5 standard
/// errors of the replications' means.
#[test]
fn the_census_draws_remaining_stays_by_its_rule() {
    for (elapsed, rule, beds, exact) in [
        ("2", "", 140.0, true),
        ("2", "conditional", 140.0, true),
        ("", "", 90.0, false),
        ("", "ipacs_uniform", 100.0, false),
    ] {
        let dir = census_only(elapsed, rule);
        let model = Model::load(dir.path()).unwrap();
        let results = run_replications(&model, 20);
        let values: Vec<f64> = results
            .iter()
            .map(|r| r.services[0].mean_occupancy)
            .collect();
        for r in &results {
            assert!(r.system.is_conserved());
            assert_eq!(r.system.arrived, 0);
        }
        let s = Summary::new(&values, 0.95);
        if exact {
            assert!(values.iter().all(|v| (v - beds).abs() < 1e-9), "{values:?}");
        } else {
            let se = s.sd / 20f64.sqrt();
            assert!((s.mean - beds).abs() <= 4.5 * se, "{rule}: {s:?}");
        }
    }
}

#[test]
fn census_rows_with_elapsed_days_and_rules_are_checked() {
    let cases = [
        (
            "-1,",
            "census.csv:2: column 'elapsed_days': expected a number of at least 0, found \"-1\"",
        ),
        (
            "two,",
            "census.csv:2: column 'elapsed_days': expected a number of at least 0, found \"two\"",
        ),
        (
            "9,",
            "census.csv:2: column 'elapsed_days': class 'p' stays at service 'ward' longer than 9 days with probability 0.000e0, below the 10^-6 careflow accepts: the census and los.csv contradict each other",
        ),
        (
            "2,ipacs_uniform",
            "census.csv:2: column 'elapsed_days': residual_rule ipacs_uniform ignores the days already spent; leave elapsed_days empty, or use the conditional rule",
        ),
        (
            ",uniform",
            "census.csv:2: column 'residual_rule': expected one of conditional or ipacs_uniform, found \"uniform\"",
        ),
    ];
    for (cells, expected) in cases {
        let (elapsed, rule) = cells.split_once(',').unwrap();
        let dir = census_only(elapsed, rule);
        let err = Model::load(dir.path()).unwrap_err().to_string();
        assert_eq!(err, format!("{}/{expected}", dir.path().display()));
    }
}

#[test]
fn variants_may_override_a_census_rows_elapsed_days_and_rule() {
    let dir = census_only("", "");
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\nknown,census.csv,ward/p,elapsed_days,2\nipacs,census.csv,ward/p,residual_rule,ipacs_uniform\nimpossible,census.csv,ward/p,elapsed_days,10\n",
    )
    .unwrap();
    let err = careflow::Experiment::load(dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("variants.csv:4") && err.contains("longer than 10 days"),
        "{err}"
    );
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\nknown,census.csv,ward/p,elapsed_days,2\nipacs,census.csv,ward/p,residual_rule,ipacs_uniform\n",
    )
    .unwrap();
    let experiment = careflow::Experiment::load(dir.path()).unwrap();
    let rows: Vec<_> = experiment
        .variants()
        .iter()
        .map(|v| {
            let e = v.model.census()[0];
            (e.elapsed_days(), e.residual_rule())
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (None, careflow::ResidualRule::Conditional),
            (Some(2.0), careflow::ResidualRule::Conditional),
            (None, careflow::ResidualRule::IpacsUniform),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Censuses as real data has them: a queue while places are free, more patients than places,
// and services counted in hours. Fixed stays make every time exact.

/// A ward (`capacity` places, or hours a week with `hours`) with no arrivals, fixed 5-day
/// stays for classes `a` and `b`, packages of 4 hours a week, over 10 days.
fn fixed_ward(capacity: u32, hours: bool, census: &str) -> Model {
    let unit = if hours { "hours" } else { "places" };
    let dir = write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,10\nseed,3\nreplications,1\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            &format!(
                "id,kind,provider,capacity,queue_capacity,unit\nward,other,trust,{capacity},unlimited,{unit}\n"
            ),
        ),
        ("classes.csv", "id,priority\na,0\nb,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,a,ward,0,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,value\na,ward,fixed,5\nb,ward,fixed,5\n",
        ),
        ("routes.csv", "class,service,next,probability\n"),
        (
            "package_hours.csv",
            if hours {
                "class,service,distribution,value\na,ward,fixed,4\nb,ward,fixed,4\n"
            } else {
                "class,service,distribution,value\n"
            },
        ),
        ("census.csv", census),
    ]);
    Model::load(dir.path()).unwrap()
}

fn run_one(model: &Model) -> careflow::ReplicationResult {
    let r = careflow::run_replication(model, 0);
    assert!(r.system.is_conserved(), "{:?}", r.system);
    assert_eq!(r, careflow::run_replication(model, 0), "deterministic");
    r
}

#[test]
fn a_patient_with_3_of_a_fixed_5_day_stay_spent_leaves_at_day_2() {
    // One place, its patient 3 days into a 5-day stay, one patient queued: the queued patient
    // is admitted when the place frees, at day 2, and stays 5 days.
    let model = fixed_ward(
        1,
        false,
        "service,class,occupied,queued,elapsed_days\nward,a,1,1,3\n",
    );
    let r = run_one(&model);
    let s = &r.services[0];
    assert_eq!(r.system.inside_at_start, 2);
    assert_eq!((s.admissions, s.departures), (1, 2));
    assert!((s.mean_wait - 2.0).abs() < 1e-12, "{s:?}");
    // Occupied all 10 days but 7 to 10 (the second stay ends at day 7).
    assert!((s.mean_occupancy - 0.7).abs() < 1e-12, "{s:?}");
}

#[test]
fn a_queue_while_places_are_free_is_admitted_at_time_0() {
    let model = fixed_ward(
        3,
        false,
        "service,class,occupied,queued,elapsed_days\nward,a,1,2,0\n",
    );
    let r = run_one(&model);
    let s = &r.services[0];
    assert_eq!(s.admissions, 2);
    assert_eq!(s.mean_wait, 0.0);
    // Queued at the start (the census's queue), for no time at all.
    assert_eq!((s.max_queue, s.mean_queue), (2, 0.0), "{s:?}");
    // All three stay 5 days from time 0.
    assert!((s.mean_occupancy - 1.5).abs() < 1e-12, "{s:?}");
}

#[test]
fn an_over_full_service_admits_no_one_until_below_capacity() {
    // Two places, four patients: two leave at day 1 (4 of 5 days spent), two at day 3. At day
    // 1 the ward is full, not below: the queued patient is admitted at day 3 and leaves at 8.
    let model = fixed_ward(
        2,
        false,
        "service,class,occupied,queued,elapsed_days\nward,a,2,1,4\nward,b,2,0,2\n",
    );
    let r = run_one(&model);
    let s = &r.services[0];
    assert_eq!(r.system.inside_at_start, 5);
    assert_eq!(s.admissions, 1);
    assert_eq!(s.max_occupancy, 4);
    assert!((s.mean_wait - 3.0).abs() < 1e-12, "{s:?}");
    // (4·1 + 2·2 + 1·5) / 10 bed-days a day; utilisation over 100% while over-full.
    assert!((s.mean_occupancy - 1.3).abs() < 1e-12, "{s:?}");
    assert!((s.utilisation - 0.65).abs() < 1e-12, "{s:?}");
    // One place, four patients with 5 days to go: 200% for the 10 days.
    let r = run_one(&fixed_ward(
        1,
        false,
        "service,class,occupied,elapsed_days\nward,a,4,0\n",
    ));
    assert!(
        (r.services[0].utilisation - 2.0).abs() < 1e-12,
        "{:?}",
        r.services[0]
    );
}

#[test]
fn a_census_at_a_service_counted_in_hours_holds_drawn_hours() {
    // 10 hours a week, three packages of 4 hours 2 days into 5-day packages: 12 hours used,
    // over the 10; the queued package starts at day 3, when all three end.
    let model = fixed_ward(
        10,
        true,
        "service,class,occupied,queued,elapsed_days\nward,a,3,1,2\n",
    );
    let r = run_one(&model);
    let s = &r.services[0];
    assert_eq!(s.admissions, 1);
    assert!((s.mean_wait - 3.0).abs() < 1e-12, "{s:?}");
    assert!(
        (s.mean_hours_used - (12.0 * 3.0 + 4.0 * 5.0) / 10.0).abs() < 1e-9,
        "{s:?}"
    );
    assert!(r.packages_never_started.is_empty());
}
