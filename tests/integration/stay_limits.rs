//! Stays as published models give them: a lognormal given by its median and mean, and any
//! family truncated to a range or rounded to whole days — drawn, summarised and loaded (with
//! every hostile input refused at its file, line and column).

use crate::common::write_scenario;
use careflow::{
    ClassId, DistributionError, Experiment, LengthOfStay, Model, Rounding, SimRng, run_replications,
};
use rand_core::SeedableRng;

/// A ward of 50 beds fed 4 patients a day, with `los` as its los.csv (class `p`, service
/// `ward`) and optionally other files.
fn ward(los: &str, extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,60\nseed,5\nreplications,4\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\nward,acute_bed,trust,50,unlimited,fifo\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,ward,4,\n",
        ),
        ("los.csv", los),
        ("routes.csv", "class,service,next,probability\n"),
    ];
    files.extend_from_slice(extra);
    write_scenario(&files)
}

/// Class `p` (the only class: the one that arrives).
fn class_p(model: &Model) -> ClassId {
    model.arrivals()[0].class()
}

fn stay(model: &Model) -> &LengthOfStay {
    let ward = model.service_id("ward").unwrap();
    model.length_of_stay(class_p(model), ward).unwrap()
}

fn draws(los: &LengthOfStay, n: usize, seed: u64) -> Vec<f64> {
    let mut rng = SimRng::seed_from_u64(seed);
    (0..n).map(|_| los.sample(&mut rng)).collect()
}

/// Mean and standard error of the mean.
fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// `value` is within `z` standard errors of the mean of `xs`.
fn assert_mean(xs: &[f64], value: f64, what: &str) {
    let (mean, se) = mean_se(xs);
    assert!(
        (mean - value).abs() <= 4.5 * se + 1e-12,
        "{what}: sample mean {mean} ± {se}, expected {value}"
    );
}

#[test]
fn a_lognormal_given_by_its_median_and_mean_has_them() {
    let dir = ward(
        "class,service,distribution,mean,median\np,ward,lognormal,6,4\n",
        &[],
    );
    let model = Model::load(dir.path()).unwrap();
    let los = stay(&model);
    assert_eq!(los.kind(), "lognormal");
    // μ = ln 4, σ² = 2 ln 1.5: half the stays are above the median, the mean is 6 and the
    // standard deviation 6 √(exp(σ²) − 1) = 6 √1.25.
    assert!((los.probability_above(4.0) - 0.5).abs() < 1e-12);
    assert!((los.mean() - 6.0).abs() < 1e-12);
    assert!((los.sd() - 6.0 * 1.25f64.sqrt()).abs() < 1e-12);
    let xs = draws(los, 200_000, 1);
    assert_mean(&xs, 6.0, "lognormal by median");
    let above = xs.iter().filter(|&&x| x > 4.0).count() as f64 / xs.len() as f64;
    assert!((above - 0.5).abs() < 0.005, "{above}");
}

/// Rounded and truncated exponential stays fall on the whole days of the range with the
/// probabilities of the draws that round to them, computed by hand from `e^(−x/mean)`.
#[test]
fn rounded_truncated_stays_have_the_probabilities_of_their_draws() {
    let survival = |x: f64| (-x.max(0.0) / 2.0).exp();
    // (rounding, range, the draws giving day k)
    type Draws = fn(f64) -> (f64, f64);
    let cases: [(Rounding, f64, f64, Draws); 2] = [
        (Rounding::Nearest, 1.0, 4.0, |k| (k - 0.5, k + 0.5)),
        (Rounding::Up, 0.5, 4.7, |k| (k - 1.0, k)),
    ];
    for (rounding, min, max, cell) in cases {
        let los = LengthOfStay::exponential(2.0)
            .unwrap()
            .limited(rounding, min, max)
            .unwrap();
        let days = [1.0, 2.0, 3.0, 4.0];
        let weights: Vec<f64> = days
            .iter()
            .map(|&k| {
                let (a, b) = cell(k);
                survival(a) - survival(b)
            })
            .collect();
        let total: f64 = weights.iter().sum();
        let xs = draws(&los, 200_000, 2);
        assert!(xs.iter().all(|x| days.contains(x)), "{rounding:?}");
        for (k, w) in days.iter().zip(&weights) {
            let p = w / total;
            let frequency = xs.iter().filter(|&x| x == k).count() as f64 / xs.len() as f64;
            let se = (p * (1.0 - p) / xs.len() as f64).sqrt();
            assert!(
                (frequency - p).abs() < 5.0 * se,
                "{rounding:?} day {k}: {frequency} vs {p}"
            );
        }
        let mean: f64 = days.iter().zip(&weights).map(|(k, w)| k * w).sum::<f64>() / total;
        assert!((los.mean() - mean).abs() < 1e-12, "{rounding:?}");
        assert_eq!(los.max(), Some(4.0));
        // P(stay > 2) = P(day 3 or 4).
        let above_2 = (weights[2] + weights[3]) / total;
        assert!((los.probability_above(2.0) - above_2).abs() < 1e-12);
        assert!((los.probability_above(2.5) - above_2).abs() < 1e-12);
        assert!(!los.can_be_zero());
    }
}

#[test]
fn truncated_stays_have_the_moments_of_the_truncated_family() {
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-10 * b.abs().max(1.0);
    // Uniform on [0, 10] kept within [2, 6]: uniform on [2, 6].
    let los = LengthOfStay::uniform(0.0, 10.0)
        .unwrap()
        .limited(Rounding::None, 2.0, 6.0)
        .unwrap();
    assert!(close(los.mean(), 4.0) && close(los.sd(), 4.0 / 12f64.sqrt()));
    assert!(close(los.residual_mean(), (52.0 / 3.0) / 8.0));
    // Exponential mean m within [a, b]: a + m − w e^(−w/m) / (1 − e^(−w/m)), w = b − a.
    let (m, a, b) = (3.0, 1.0, 5.0);
    let w: f64 = b - a;
    let exact = a + m - w * (-w / m).exp() / (1.0 - (-w / m).exp());
    let los = LengthOfStay::exponential(m)
        .unwrap()
        .limited(Rounding::None, a, b)
        .unwrap();
    assert!(close(los.mean(), exact), "{} {exact}", los.mean());
    assert_mean(&draws(&los, 200_000, 3), exact, "truncated exponential");
    // Uniform on [0.5, 3.5] to the nearest day: 1, 2 or 3, equally likely.
    let los = LengthOfStay::uniform(0.5, 3.5)
        .unwrap()
        .limited(Rounding::Nearest, 0.0, f64::INFINITY)
        .unwrap();
    assert!(close(los.mean(), 2.0) && close(los.sd(), (2.0f64 / 3.0).sqrt()));
    assert!(close(los.residual_mean(), (14.0 / 3.0) / 4.0));
    // Each family's stated moments match its draws.
    let cases = [
        LengthOfStay::lognormal(5.0, 4.0)
            .unwrap()
            .limited(Rounding::None, 1.0, 20.0)
            .unwrap(),
        LengthOfStay::lognormal_median(4.0, 6.0)
            .unwrap()
            .limited(Rounding::Nearest, 1.0, f64::INFINITY)
            .unwrap(),
        LengthOfStay::gamma(3.0, 1.5)
            .unwrap()
            .limited(Rounding::Up, 0.0, 6.0)
            .unwrap(),
        LengthOfStay::weibull(1.5, 10.0)
            .unwrap()
            .limited(Rounding::None, 5.0, 15.0)
            .unwrap(),
        LengthOfStay::triangular(1.0, 2.0, 6.0)
            .unwrap()
            .limited(Rounding::Nearest, 2.0, 5.0)
            .unwrap(),
        LengthOfStay::gamma(40.0, 30.0)
            .unwrap()
            .limited(Rounding::Nearest, 0.0, f64::INFINITY)
            .unwrap(),
    ];
    for (i, los) in cases.iter().enumerate() {
        let xs = draws(los, 200_000, 10 + i as u64);
        assert_mean(&xs, los.mean(), los.kind());
        let (mean, _) = mean_se(&xs);
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64).sqrt();
        assert!(
            (sd / los.sd() - 1.0).abs() < 0.02,
            "{i}: sd {sd} vs {}",
            los.sd()
        );
        // The equilibrium residual drawn matches its formula E[S²] / (2 E[S]).
        let mut rng = SimRng::seed_from_u64(20 + i as u64);
        let residuals: Vec<f64> = (0..200_000)
            .map(|_| los.sample_residual(&mut rng))
            .collect();
        assert_mean(&residuals, los.residual_mean(), "residual");
    }
}

#[test]
fn fixed_and_empirical_stays_are_rounded_and_kept_in_range() {
    let los = LengthOfStay::fixed(2.4)
        .unwrap()
        .limited(Rounding::Up, 1.0, 5.0)
        .unwrap();
    assert_eq!(draws(&los, 10, 1), vec![3.0; 10]);
    assert!(
        LengthOfStay::fixed(2.4)
            .unwrap()
            .limited(Rounding::None, 3.0, 5.0)
            .is_err()
    );
    // 0.2 → 0 and 9.5 → 10 fall outside [1, 5]; 1.4 → 1 and 2.6 → 3 remain.
    let los = LengthOfStay::empirical(vec![0.2, 1.4, 2.6, 9.5])
        .unwrap()
        .limited(Rounding::Nearest, 1.0, 5.0)
        .unwrap();
    let xs = draws(&los, 10_000, 2);
    assert!(xs.iter().all(|&x| x == 1.0 || x == 3.0));
    assert!((los.mean() - 2.0).abs() < 1e-12);
    assert_eq!(los.max(), Some(3.0));
    // Rounding to the nearest day from 0 can give a zero-day stay.
    let los = LengthOfStay::exponential(1.0)
        .unwrap()
        .limited(Rounding::Nearest, 0.0, f64::INFINITY)
        .unwrap();
    assert!(los.can_be_zero());
}

#[test]
fn ranges_a_stay_cannot_reach_are_refused() {
    let e = |d: Result<LengthOfStay, DistributionError>| d.unwrap_err();
    // e⁻²⁰ ≈ 2·10⁻⁹ above 20 days.
    assert!(matches!(
        e(LengthOfStay::exponential(1.0).unwrap().limited(Rounding::None, 20.0, f64::INFINITY)),
        DistributionError::NegligibleRange { probability, .. } if (probability / (-20f64).exp() - 1.0).abs() < 1e-9
    ));
    // No whole day in [1.2, 1.8].
    assert!(matches!(
        e(LengthOfStay::exponential(1.0).unwrap().limited(Rounding::Nearest, 1.2, 1.8)),
        DistributionError::NegligibleRange { probability, .. } if probability == 0.0
    ));
    // Beyond a bounded family's support.
    assert!(
        LengthOfStay::uniform(0.0, 2.0)
            .unwrap()
            .limited(Rounding::None, 3.0, 4.0)
            .is_err()
    );
    assert!(matches!(
        e(LengthOfStay::exponential(1.0)
            .unwrap()
            .limited(Rounding::None, 3.0, 2.0)),
        DistributionError::RangeOutOfOrder { .. }
    ));
    for (min, max) in [
        (-1.0, 2.0),
        (f64::NAN, 2.0),
        (0.0, f64::NAN),
        (0.0, -1.0),
        (f64::INFINITY, f64::INFINITY),
    ] {
        assert!(
            LengthOfStay::exponential(1.0)
                .unwrap()
                .limited(Rounding::None, min, max)
                .is_err(),
            "{min} {max}"
        );
    }
    assert!(matches!(
        e(LengthOfStay::lognormal_median(6.0, 6.0)),
        DistributionError::MedianNotBelowMean { .. }
    ));
    assert!(LengthOfStay::lognormal_median(0.0, 6.0).is_err());
    assert!(LengthOfStay::lognormal_median(1.0, f64::INFINITY).is_err());
    // σ² = 2 ln(10⁹ / 10⁻³⁰⁰): a standard deviation beyond any float.
    assert!(matches!(
        e(LengthOfStay::lognormal_median(1e-300, 1e9)),
        DistributionError::TooLarge { name: "median", .. }
    ));
    // A truncation far in the upper tail that is still likely enough draws inside it.
    let los = LengthOfStay::exponential(1.0)
        .unwrap()
        .limited(Rounding::None, 13.0, 14.0)
        .unwrap();
    assert!(
        draws(&los, 1000, 4)
            .iter()
            .all(|x| (13.0..=14.0).contains(x))
    );
}

#[test]
fn los_csv_truncates_and_rounds_any_family_and_variants_override_it() {
    let dir = ward(
        "class,service,distribution,mean,sd,median,truncate_min,truncate_max,round\n\
         p,ward,lognormal,6,,4,1,30,nearest\n",
        &[(
            "variants.csv",
            "variant,file,row,column,value\n\
             shorter,los.csv,p/ward,truncate_max,*0.5\n\
             unrounded,los.csv,p/ward,round,none\n",
        )],
    );
    let experiment = Experiment::load(dir.path()).unwrap();
    let stays: Vec<Option<f64>> = experiment
        .variants()
        .iter()
        .map(|v| stay(&v.model).max())
        .collect();
    assert_eq!(stays, vec![Some(30.0), Some(15.0), Some(30.0)]);
    let baseline = stay(&experiment.variants()[0].model);
    assert!(
        draws(baseline, 1000, 5)
            .iter()
            .all(|x| x.fract() == 0.0 && (1.0..=30.0).contains(x))
    );
    let unrounded = stay(&experiment.variants()[2].model);
    assert!(draws(unrounded, 1000, 5).iter().any(|x| x.fract() != 0.0));
    // It runs, and every patient is accounted for.
    for r in run_replications(&experiment.variants()[0].model, 2) {
        assert!(r.system.is_conserved());
    }
}

#[test]
fn assessments_and_package_hours_take_the_same_columns() {
    // A package of gamma hours up to 12 a week fits a service of 12 hours; unbounded, the
    // loader would refuse it (a package above 12 hours would never start).
    let services = "id,kind,provider,capacity,queue_capacity,queue_discipline,unit\nward,acute_bed,trust,50,unlimited,fifo,\nhome,home_care,trust,12,unlimited,fifo,hours\n";
    let files = |hours: &'static str| {
        ward(
            "class,service,distribution,mean\np,ward,exponential,3\np,home,exponential,5\n",
            &[
                ("services.csv", services),
                ("package_hours.csv", hours),
                (
                    "discharge.csv",
                    "class,service,model,distribution,mean,truncate_max,round\np,ward,assess_in_hospital,exponential,2,5,up\n",
                ),
                (
                    "pathways.csv",
                    "class,service,pathway,probability,destination,interim\np,ward,0,0.5,exit,\np,ward,1,0.5,home,\n",
                ),
            ],
        )
    };
    let dir =
        files("class,service,distribution,mean,sd,truncate_max,round\np,home,gamma,6,3,12,up\n");
    let model = Model::load(dir.path()).unwrap();
    let home = model.service_id("home").unwrap();
    let p = class_p(&model);
    assert_eq!(model.package_hours(p, home).unwrap().max(), Some(12.0));
    let rule = model
        .discharge_rule(p, model.service_id("ward").unwrap())
        .unwrap();
    assert_eq!(rule.assessment().max(), Some(5.0));
    let dir = files("class,service,distribution,mean,sd\np,home,gamma,6,3\n");
    let err = Model::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("package_hours.csv:2: column 'distribution'"),
        "{err}"
    );
}

/// Each bad row gives its exact message, at its line and column.
#[test]
fn bad_stay_rows_give_their_exact_messages() {
    let header =
        "class,service,distribution,mean,sd,median,value,file,truncate_min,truncate_max,round";
    let cases = [
        (
            "p,ward,lognormal,6,,6,,,,,",
            "los.csv:2: column 'median': expected a number less than mean (6): a lognormal's median is below its mean, found \"6\"",
        ),
        (
            "p,ward,lognormal,6,2,4,,,,,",
            "los.csv:2: column 'sd': lognormal given by its median does not use 'sd'",
        ),
        (
            "p,ward,lognormal,6,,,,,,,",
            "los.csv:2: column 'sd': expected a number greater than 0 (lognormal needs 'sd', or 'median' in its place), found \"\"",
        ),
        (
            "p,ward,lognormal,6,,-4,,,,,",
            "los.csv:2: column 'median': expected a number greater than 0, found \"-4\"",
        ),
        (
            "p,ward,exponential,6,,,,,-1,,",
            "los.csv:2: column 'truncate_min': expected a number of at least 0, found \"-1\"",
        ),
        (
            "p,ward,exponential,6,,,,,,inf,",
            "los.csv:2: column 'truncate_max': expected a number of at least 0, found \"inf\"",
        ),
        (
            "p,ward,exponential,6,,,,,5,2,",
            "los.csv:2: column 'truncate_max': expected a number of at least truncate_min (5), found \"2\"",
        ),
        (
            "p,ward,exponential,6,,,,,,,down",
            "los.csv:2: column 'round': expected one of none, nearest or up, found \"down\"",
        ),
        (
            "p,ward,exponential,1,,,,,20,,",
            "los.csv:2: column 'truncate_min': a stay lies in the range truncate_min to truncate_max (after rounding) with probability 2.061e-9, below the 10^-6 careflow accepts: the range and the distribution contradict each other",
        ),
        (
            "p,ward,exponential,1,,,,,1.2,1.8,nearest",
            "los.csv:2: column 'truncate_max': no stay lies in the range truncate_min to truncate_max (after rounding)",
        ),
        (
            "p,ward,fixed,,,,3,,4,,",
            "los.csv:2: column 'truncate_min': no stay lies in the range truncate_min to truncate_max (after rounding)",
        ),
        (
            "p,ward,empirical,,,,,obs.csv,10,,",
            "los.csv:2: column 'truncate_min': no stay lies in the range truncate_min to truncate_max (after rounding)",
        ),
    ];
    for (row, expected) in cases {
        let dir = ward(
            &format!("{header}\n{row}\n"),
            &[("obs.csv", "days\n1\n2\n")],
        );
        let err = Model::load(dir.path()).unwrap_err().to_string();
        assert_eq!(err, format!("{}/{expected}", dir.path().display()), "{row}");
    }
}
