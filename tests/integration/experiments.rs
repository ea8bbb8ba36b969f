//! Experiments: variants from variants.csv, common random numbers, thread-count independence,
//! paired comparisons and the precision mode.

use crate::common::blocking_network;
use careflow::{Experiment, ExperimentResult, Plan, Precision, Report, RunInfo, Seeds};
use std::path::Path;

/// The blocking network with variants: one that changes nothing, and two real changes.
fn network_with_variants() -> tempfile::TempDir {
    let dir = blocking_network(400);
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\n\
         # the same value as the baseline: must reproduce it exactly\n\
         noop,services.csv,community,capacity,12\n\
         more_community,services.csv,community,capacity,13\n\
         shorter_community,los.csv,frail/community,scale,6\n",
    )
    .unwrap();
    dir
}

fn run_on(threads: usize, experiment: &Experiment, plan: &Plan) -> ExperimentResult {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| experiment.run(plan))
}

fn check_thread_independence(threads: usize) {
    let dir = network_with_variants();
    let experiment = Experiment::load(dir.path()).unwrap();
    assert_eq!(
        experiment
            .variants()
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>(),
        ["baseline", "noop", "more_community", "shorter_community"]
    );
    let plan = Plan::replications(5);
    let one = run_on(1, &experiment, &plan);
    let many = run_on(threads, &experiment, &plan);
    assert_eq!(one.results, many.results);
    // The written files are identical too (run.csv records threads and time, so skip it).
    let info = || RunInfo {
        scenario: "network".into(),
        level: 0.95,
    };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    Report::new(&experiment, &one, info())
        .write_csv(a.path())
        .unwrap();
    Report::new(&experiment, &many, info())
        .write_csv(b.path())
        .unwrap();
    for file in ["replications.csv", "summary.csv", "comparison.csv"] {
        let read = |d: &Path| std::fs::read_to_string(d.join(file)).unwrap();
        assert_eq!(read(a.path()), read(b.path()), "{file}");
    }
}

#[test]
fn experiments_are_identical_on_any_thread_count_st() {
    check_thread_independence(1);
}

#[test]
fn experiments_are_identical_on_any_thread_count_mt() {
    check_thread_independence(4);
}

#[test]
fn a_variant_that_changes_nothing_reproduces_the_baseline_exactly() {
    let dir = network_with_variants();
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(4));
    assert_eq!(result.results[0], result.results[1]);
    // A real change changes the results.
    assert_ne!(result.results[0], result.results[2]);
    let report = Report::new(
        &experiment,
        &result,
        RunInfo {
            scenario: "network".into(),
            level: 0.95,
        },
    );
    let noop = report
        .comparison("noop", "service", "acute", "delayed_bed_days")
        .unwrap();
    assert_eq!((noop.mean, noop.sd), (0.0, 0.0));
}

#[test]
fn more_community_beds_cut_acute_delays() {
    let dir = network_with_variants();
    let mut experiment = Experiment::load(dir.path()).unwrap();
    for v in experiment.variants_mut() {
        v.model.settings_mut().horizon_days = 2_000.0;
    }
    let result = experiment.run(&Plan::replications(10));
    let report = Report::new(&experiment, &result, info());
    let change = report
        .comparison("more_community", "service", "acute", "delayed_bed_days")
        .unwrap();
    // One more community bed takes delayed patients out of acute beds: the paired interval
    // lies wholly below zero.
    assert!(change.high() < 0.0, "{change:?}");
}

/// Common random numbers make a paired difference far more precise than independent seeds
/// when the variants respond alike to the same patients. One more bed on the M/M/20 ward
/// barely changes occupancy (the same patients stay the same times), so under common random
/// numbers the replications' differences are nearly constant; with independent seeds each
/// difference carries two replications' worth of noise.
#[test]
fn common_random_numbers_narrow_the_interval_of_a_paired_difference() {
    let mut base = crate::common::bundled("erlang_c_ward");
    base.settings_mut().horizon_days = 2_000.0;
    let mut more = base.clone();
    let ward = more.service_id("ward").unwrap();
    more.set_capacity(ward, 21).unwrap();
    let mut experiment = Experiment::new(base);
    experiment.add_variant("ward_21", more).unwrap();
    let half_width = |seeds| {
        let result = experiment.run(&Plan {
            seeds,
            ..Plan::replications(10)
        });
        let report = Report::new(&experiment, &result, info());
        let d = report
            .comparison("ward_21", "service", "ward", "mean_occupancy")
            .unwrap();
        d.half_width.unwrap()
    };
    let (common, independent) = (half_width(Seeds::Common), half_width(Seeds::Independent));
    println!("half-width: common {common}, independent {independent}");
    // The ratio of standard deviations is about sqrt(2(1 − ρ)/2) for correlation ρ between
    // variants; ρ > 0.98 here, so a five-fold narrowing is a weak requirement.
    assert!(
        common * 5.0 < independent,
        "common {common}, independent {independent}"
    );
}

fn info() -> RunInfo {
    RunInfo {
        scenario: "test".into(),
        level: 0.95,
    }
}

#[test]
fn precision_mode_adds_replications_until_the_target_or_the_cap() {
    let dir = blocking_network(300);
    let experiment = Experiment::load(dir.path()).unwrap();
    assert!(experiment.has_kpi("service", "acute", "mean_occupancy"));
    assert!(!experiment.has_kpi("service", "icu", "mean_occupancy"));
    assert!(!experiment.has_kpi("entry", "acute", "patients"));
    let plan = |target: f64, cap: u32| Plan {
        precision: Some(Precision {
            kpi: ("service".into(), "acute".into(), "mean_occupancy".into()),
            relative_half_width: target,
            level: 0.95,
            max_replications: cap,
        }),
        ..Plan::replications(3)
    };
    // A loose target is met by the first batch.
    let loose = experiment.run(&plan(0.5, 30));
    assert_eq!(loose.replications(), 3);
    // An impossible target stops at the cap, in whole batches.
    let tight = experiment.run(&plan(1e-9, 10));
    assert_eq!(tight.replications(), 10);
    let (_, reached) = tight.precision.unwrap();
    assert!(reached > 1e-9);
    // The first replications are the same whatever the plan.
    assert_eq!(loose.results[0][..], tight.results[0][..3]);
}

#[test]
fn variant_errors_point_at_their_line_of_variants_csv() {
    let cases = [
        (
            "unknown file",
            "v,wards.csv,acute,capacity,3",
            "{dir}/variants.csv:2: column 'file': expected one of settings.csv, organisations.csv, services.csv, classes.csv, arrivals.csv, electives.csv, profile_hours.csv, profile_weekdays.csv, profile_periods.csv, los.csv, package_hours.csv, visit_rates.csv, routes.csv, discharge.csv, pathways.csv, pathway_changes.csv, calendar.csv, escalation.csv, fallbacks.csv, step_up.csv, readmissions.csv, patience.csv, census.csv, census_patients.csv, census_queue.csv, costs.csv, funding.csv, contracts.csv, tariffs.csv or contract_members.csv, found \"wards.csv\"",
        ),
        (
            "unknown row",
            "v,services.csv,icu,capacity,3",
            "variant 'v': {dir}/variants.csv:2: column 'row': expected a row of services.csv, named by its id, found \"icu\"",
        ),
        (
            "key column",
            "v,los.csv,frail/acute,class,adult",
            "variant 'v': {dir}/variants.csv:2: column 'column': expected a column of los.csv other than its key: one of distribution, mean, sd, median, shape, scale, min, mode, max, value, file, truncate_min, truncate_max or round, found \"class\"",
        ),
        (
            "bad value",
            "v,services.csv,acute,capacity,3.5",
            "variant 'v': {dir}/variants.csv:2: column 'capacity': expected a non-negative integer, found \"3.5\"",
        ),
        (
            "baseline name",
            "baseline,services.csv,acute,capacity,3",
            "{dir}/variants.csv:2: column 'variant': expected a variant name other than 'baseline', which names the scenario as written, found \"baseline\"",
        ),
        (
            "seed",
            "v,settings.csv,seed,value,3",
            "{dir}/variants.csv:2: column 'row': every variant runs the baseline's seed and replications, so that comparisons are paired; set them in settings.csv",
        ),
        (
            "duplicate",
            "v,services.csv,acute,capacity,3\nv,services.csv,acute,capacity,4",
            "{dir}/variants.csv:3: duplicate entry for variant 'v' setting services.csv row 'acute' column 'capacity' (first given on line 2)",
        ),
        (
            "override breaks a sum",
            "v,routes.csv,frail/acute/exit,probability,0.5",
            "variant 'v': {dir}/routes.csv:6: column 'probability': probabilities for class 'frail' leaving service 'acute' sum to 0.95, expected 1",
        ),
    ];
    for (what, row, expected) in cases {
        let dir = blocking_network(100);
        std::fs::write(
            dir.path().join("variants.csv"),
            format!("variant,file,row,column,value\n{row}\n"),
        )
        .unwrap();
        let err = Experiment::load(dir.path()).unwrap_err().to_string();
        let expected = expected.replace("{dir}", &dir.path().display().to_string());
        assert_eq!(err, expected, "{what}");
    }
}
