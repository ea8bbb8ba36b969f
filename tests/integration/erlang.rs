//! Queueing theory: an M/M/c ward against Erlang C and a loss ward against Erlang B.
//!
//! Each test runs the bundled scenario's replications (40 × 50 000 days) with its fixed seed
//! and compares the replication mean with the analytic value. Acceptance: the analytic value
//! lies inside the 99.9% Student-t interval of the replication means,
//! `mean ± t(0.9995, n−1)·sd/√n` (t(0.9995, 39) = 3.558). For a correct simulator the chance
//! of failing one comparison is 0.1% (and the seeds are fixed, so the outcome never changes
//! between runs). So that the test can fail, the interval must also be tight: its half-width
//! is asserted to be below 2% of the analytic value, so any model error above 2% is caught.

use crate::common::bundled;
use careflow::{Experiment, Plan, Report, RunInfo, Summary};

/// Erlang B blocking probability B(c, a) by the stable recursion
/// B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
pub(crate) fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

/// Erlang C probability of waiting: C = c·B / (c − a(1 − B)).
pub(crate) fn erlang_c(c: u32, a: f64) -> f64 {
    let b = erlang_b(c, a);
    f64::from(c) * b / (f64::from(c) - a * (1.0 - b))
}

fn check(what: &str, s: &Summary, analytic: f64) {
    assert_eq!(s.level, LEVEL, "{what}: summarised at the test's level");
    let half = s.half_width.expect("at least two replications");
    println!(
        "{what}: simulated {:.5} ± {:.5} (99.9%, n = {}), analytic {:.5}",
        s.mean, half, s.n, analytic
    );
    assert!(
        half < 0.02 * analytic,
        "{what}: interval too wide to test anything ({half})"
    );
    assert!(
        (s.mean - analytic).abs() <= half,
        "{what}: simulated {} ± {half}, analytic {analytic}",
        s.mean
    );
}

fn run(name: &str) -> (Experiment, careflow::ExperimentResult) {
    let model = bundled(name);
    let replications = model.settings().replications;
    let experiment = Experiment::new(model);
    let result = experiment.run(&Plan::replications(replications));
    (experiment, result)
}

/// Confidence level of the acceptance interval.
const LEVEL: f64 = 0.999;

fn info() -> RunInfo {
    RunInfo {
        scenario: "test".into(),
        level: LEVEL,
    }
}

#[test]
fn mmc_ward_matches_erlang_c() {
    let (experiment, result) = run("erlang_c_ward");
    let report = Report::new(&experiment, &result, info());
    let (c, lambda, mu) = (20, 16.0, 1.0);
    let a = lambda / mu;
    let p_wait = erlang_c(c, a);
    let wq = p_wait / (f64::from(c) * mu - lambda);
    // PASTA: the share of time all beds are full is the probability an arrival waits.
    check(
        "P(wait)",
        report
            .summary("baseline", "service", "ward", "share_time_full")
            .unwrap(),
        p_wait,
    );
    check(
        "Wq (days)",
        report
            .summary("baseline", "service", "ward", "mean_wait_days")
            .unwrap(),
        wq,
    );
    check(
        "Lq",
        report
            .summary("baseline", "service", "ward", "mean_queue")
            .unwrap(),
        lambda * wq,
    );
    check(
        "L",
        report
            .summary("baseline", "service", "ward", "mean_occupancy")
            .unwrap(),
        a,
    );
}

#[test]
fn loss_ward_matches_erlang_b() {
    let (experiment, result) = run("erlang_b_ward");
    let (c, a) = (10, 8.0);
    let b = erlang_b(c, a);
    let lost: Vec<f64> = result.results[0]
        .iter()
        .map(|r| r.system.diverted as f64 / r.system.arrived as f64)
        .collect();
    check("B (share diverted)", &Summary::new(&lost, LEVEL), b);
    let report = Report::new(&experiment, &result, info());
    check(
        "carried load",
        report
            .summary("baseline", "service", "ward", "mean_occupancy")
            .unwrap(),
        a * (1.0 - b),
    );
}

#[test]
fn erlang_formulas_match_tables() {
    // Exact rationals: B(10, 8) = 4194304/34475319; C(20, 16) = 0.25608 (to 5 d.p.).
    assert!((erlang_b(10, 8.0) - 4194304.0 / 34475319.0).abs() < 1e-12);
    assert!((erlang_c(20, 16.0) - 0.25608).abs() < 1e-5);
    assert!((erlang_c(1, 0.5) - 0.5).abs() < 1e-12); // M/M/1: P(wait) = ρ.
}
