//! Alternatives when full (`fallbacks.csv`): the overflow result of queueing theory, the
//! rule that a fallback patient is cared for and leaves as at the preferred service, the two
//! `wait_for` rules, the outputs, and each kind of bad input.

use crate::common::write_scenario;
use crate::erlang::erlang_b;
use careflow::{
    Experiment, Model, Plan, ReplicationResult, Report, RunInfo, Summary, run_replication,
};

fn settings(horizon: u32, replications: u32) -> String {
    format!(
        "key,value\nstart_date,2026-04-01\nhorizon_days,{horizon}\nwarmup_days,50\nseed,14\n\
         replications,{replications}\nwait_threshold_hours,4\ndaily_series,false\n"
    )
}

const LOS_HEADER: &str = "class,service,distribution,mean,sd,shape,scale,min,mode,max,value,file\n";

/// An Erlang loss group of 10 places (λ = 8 a day, exponential stays of mean 1 day)
/// overflowing to a group of 1000 places (in effect infinite).
fn overflow_scenario(horizon: u32, replications: u32) -> tempfile::TempDir {
    write_scenario(&[
        ("settings.csv", &settings(horizon, replications)),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,queue_discipline\n\
             ward,acute_bed,trust,10,0,in_bed,turn_away,fifo\n\
             overflow,acute_bed,trust,1000,0,in_bed,turn_away,fifo\n",
        ),
        ("classes.csv", "id,priority\npatient,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nadmissions,patient,ward,8,\n",
        ),
        (
            "los.csv",
            &format!("{LOS_HEADER}patient,ward,exponential,1,,,,,,,,\n"),
        ),
        ("routes.csv", "class,service,next,probability\n"),
        (
            "fallbacks.csv",
            "service,fallbacks,wait_for\nward,overflow,\n",
        ),
    ])
}

/// Acceptance as in the Erlang tests: the analytic value inside the 99.9% interval of the
/// replication means, and the interval tight enough (below 3% of the value) to catch an
/// error.
fn check(what: &str, values: &[f64], analytic: f64) {
    let s = Summary::new(values, 0.999);
    let half = s.half_width.expect("at least two replications");
    println!(
        "{what}: simulated {:.5} ± {:.5} (99.9%, n = {}), analytic {:.5}",
        s.mean, half, s.n, analytic
    );
    assert!(half < 0.03 * analytic, "{what}: interval too wide ({half})");
    assert!(
        (s.mean - analytic).abs() <= half,
        "{what}: simulated {} ± {half}, analytic {analytic}",
        s.mean
    );
}

#[test]
fn a_loss_group_overflowing_to_an_infinite_group_matches_erlang_b() {
    let dir = overflow_scenario(20_000, 30);
    let model = Model::load(dir.path()).unwrap();
    let results = careflow::run_replications(&model, 30);
    let (c, lambda, mu) = (10, 8.0, 1.0);
    let a = lambda / mu;
    let b = erlang_b(c, a);
    let rate: Vec<f64> = results
        .iter()
        .map(|r| r.fallbacks[0].patients as f64 / r.observed_days)
        .collect();
    check("overflow rate (a day)", &rate, lambda * b);
    let occupancy: Vec<f64> = results
        .iter()
        .map(|r| r.fallbacks[0].bed_days / r.observed_days)
        .collect();
    check("mean overflow occupancy", &occupancy, a * b);
    // The overflow group's own occupancy is the same place-days, counted by the service.
    for r in &results {
        let bed_days = r.fallbacks[0].bed_days / r.observed_days;
        assert!((r.services[1].mean_occupancy - bed_days).abs() < 1e-9 * (1.0 + bed_days));
        assert!(r.system.is_conserved());
        // Nobody is turned away: the overflow group always has room.
        assert_eq!(r.system.diverted, 0);
        assert_eq!(r.fallbacks[0].preferred.index(), 0);
        assert_eq!(r.fallbacks[0].fallback.index(), 1);
    }
}

/// A medical ward of 3 beds whose patients stay 3 days and go on to a discharge lounge; a
/// surgical ward of 6 beds whose own patients stay 1 day and leave. Medical patients finding
/// no bed are placed on the surgical ward (outliers), then on `extra` if given.
fn outlier_scenario(fallbacks: &str, medical_queue: &str) -> tempfile::TempDir {
    write_scenario(&[
        ("settings.csv", &settings(400, 3)),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            &format!(
                "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,queue_discipline\n\
                 admissions,acute_bed,trust,50,0,in_bed,turn_away,fifo\n\
                 medical,acute_bed,trust,3,{medical_queue},in_bed,turn_away,fifo\n\
                 surgical,acute_bed,trust,6,0,in_bed,turn_away,fifo\n\
                 extra,acute_bed,trust,2,0,in_bed,turn_away,fifo\n\
                 lounge,acute_bed,trust,1000,0,in_bed,turn_away,fifo\n"
            ),
        ),
        ("classes.csv", "id,priority\nmedicine,0\nsurgery,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\n\
             medical_in,medicine,admissions,2,\n\
             surgical_in,surgery,surgical,3,\n",
        ),
        (
            "los.csv",
            &format!(
                "{LOS_HEADER}medicine,admissions,exponential,0.5,,,,,,,,\n\
                 medicine,medical,fixed,,,,,,,,3,\n\
                 medicine,lounge,fixed,,,,,,,,0.1,\n\
                 surgery,surgical,fixed,,,,,,,,1,\n"
            ),
        ),
        (
            "routes.csv",
            "class,service,next,probability\n\
             medicine,admissions,medical,1\n\
             medicine,medical,lounge,1\n",
        ),
        ("fallbacks.csv", fallbacks),
    ])
}

fn service(model: &Model, result: &ReplicationResult, name: &str) -> careflow::ServiceResult {
    result.services[model.service_id(name).unwrap().index()].clone()
}

#[test]
fn an_outlier_stays_and_leaves_as_at_the_preferred_service() {
    let dir = outlier_scenario("service,fallbacks\nmedical,surgical\n", "0");
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert!(r.system.is_conserved());
    let f = &r.fallbacks[0];
    assert!(f.patients > 50, "outliers placed: {}", f.patients);
    // Their stay is the medical stay (3 days), not the surgical one (1 day): every outlier
    // who left held 3 days, those still there at most 3.
    let mean = f.bed_days / f.patients as f64;
    assert!(
        (2.9..=3.0 + 1e-9).contains(&mean),
        "mean outlier stay {mean}"
    );
    // And they leave as medical patients do: to the lounge, where no surgical patient goes.
    let (medical, lounge, surgical) = (
        service(&model, &r, "medical"),
        service(&model, &r, "lounge"),
        service(&model, &r, "surgical"),
    );
    let left_outliers_at_most = f.patients;
    let left_outliers_at_least = f.patients.saturating_sub(6);
    assert!(lounge.arrivals <= medical.departures + left_outliers_at_most + 3);
    assert!(lounge.arrivals + 3 >= medical.departures + left_outliers_at_least);
    assert!(surgical.admissions >= f.patients);
}

#[test]
fn fallbacks_are_tried_in_order_and_not_chained() {
    let dir = outlier_scenario(
        "service,fallbacks\nmedical,surgical;extra\nsurgical,lounge\n",
        "0",
    );
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert!(r.system.is_conserved());
    let pairs: Vec<(String, String, u64)> = r
        .fallbacks
        .iter()
        .map(|f| {
            (
                model.services()[f.preferred.index()].name().to_owned(),
                model.services()[f.fallback.index()].name().to_owned(),
                f.patients,
            )
        })
        .collect();
    assert_eq!(pairs[0].0, "medical");
    assert_eq!(pairs[0].1, "surgical");
    assert_eq!(pairs[1].1, "extra");
    assert_eq!(pairs[2].0, "surgical");
    assert!(
        pairs[0].2 > pairs[1].2,
        "the first fallback is tried first: {pairs:?}"
    );
    assert!(
        pairs[1].2 > 0,
        "the second takes what the first cannot: {pairs:?}"
    );
    // Surgical patients overflow to the lounge, but medical patients never chain on to the
    // surgical ward's fallback: everyone placed there stays the surgical day, none the
    // medical 3 days.
    assert!(pairs[2].2 > 0);
    let mean = r.fallbacks[2].bed_days / pairs[2].2 as f64;
    assert!((0.9..=1.0 + 1e-9).contains(&mean), "mean stay {mean}");
}

/// Patients wait in an assessment unit for a ward of 2 beds whose fallback has 2 beds.
fn waiting_scenario(wait_for: &str) -> tempfile::TempDir {
    write_scenario(&[
        ("settings.csv", &settings(1000, 4)),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,queue_discipline\n\
             unit,acute_bed,trust,1000,0,in_bed,turn_away,fifo\n\
             ward,acute_bed,trust,2,0,in_bed,turn_away,fifo\n\
             interim,acute_bed,trust,2,0,in_bed,turn_away,fifo\n",
        ),
        ("classes.csv", "id,priority\npatient,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nadmissions,patient,unit,3,\n",
        ),
        (
            "los.csv",
            &format!(
                "{LOS_HEADER}patient,unit,exponential,0.2,,,,,,,,\n\
                 patient,ward,exponential,1,,,,,,,,\n"
            ),
        ),
        (
            "routes.csv",
            "class,service,next,probability\npatient,unit,ward,1\n",
        ),
        (
            "fallbacks.csv",
            &format!("service,fallbacks,wait_for\nward,interim,{wait_for}\n"),
        ),
    ])
}

#[test]
fn first_free_takes_a_fallback_place_that_preferred_leaves_empty() {
    let run = |wait_for: &str| {
        let dir = waiting_scenario(wait_for);
        let model = Model::load(dir.path()).unwrap();
        let r = run_replication(&model, 0);
        assert!(r.system.is_conserved());
        let unit = &r.services[0];
        (r.fallbacks[0].patients, unit.delayed_bed_days)
    };
    let (placed_preferred, delayed_preferred) = run("preferred");
    let (placed_first_free, delayed_first_free) = run("first_free");
    println!(
        "preferred: {placed_preferred} placed, {delayed_preferred:.1} delayed bed-days; \
         first_free: {placed_first_free} placed, {delayed_first_free:.1}"
    );
    assert!(placed_first_free > placed_preferred);
    assert!(delayed_first_free < delayed_preferred);
    // The empty cell means `preferred`.
    assert_eq!(run("").0, placed_preferred);
}

#[test]
fn first_free_runs_are_deterministic_and_conserve_patients() {
    let dir = waiting_scenario("first_free");
    let model = Model::load(dir.path()).unwrap();
    let a = careflow::run_replications(&model, 4);
    let b = careflow::run_replications(&model, 4);
    assert_eq!(a, b);
    for r in &a {
        assert!(r.system.is_conserved());
    }
    let dir = outlier_scenario(
        "service,fallbacks,wait_for\nmedical,surgical;extra,first_free\n",
        "5",
    );
    let model = Model::load(dir.path()).unwrap();
    let runs = careflow::run_replications(&model, 3);
    assert_eq!(runs, careflow::run_replications(&model, 3));
    assert!(runs.iter().all(|r| r.system.is_conserved()));
}

#[test]
fn the_report_has_a_fallback_scope_and_prints_placements() {
    let dir = outlier_scenario("service,fallbacks\nmedical,surgical;extra\n", "0");
    let model = Model::load(dir.path()).unwrap();
    let experiment = Experiment::new(model);
    let result = experiment.run(&Plan::replications(3));
    let report = Report::new(
        &experiment,
        &result,
        RunInfo {
            scenario: "outliers".into(),
            level: 0.95,
        },
    );
    let out = tempfile::tempdir().unwrap();
    report.write_csv(out.path()).unwrap();
    let summary = std::fs::read_to_string(out.path().join("summary.csv")).unwrap();
    assert!(summary.contains("baseline,fallback,medical,surgical,fallback_patients,3,"));
    assert!(summary.contains("baseline,fallback,medical,extra,fallback_bed_days,3,"));
    let text = report.to_string();
    assert!(
        text.contains("fallback medical -> surgical: "),
        "the table prints placements:\n{text}"
    );
    // Without fallbacks, no such rows or lines.
    let experiment = Experiment::new(crate::common::bundled("erlang_b_ward"));
    let result = experiment.run(&Plan::replications(2));
    let info = RunInfo {
        scenario: "plain".into(),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    assert!(!report.to_string().contains("fallback"));
    let out = tempfile::tempdir().unwrap();
    report.write_csv(out.path()).unwrap();
    let summary = std::fs::read_to_string(out.path().join("summary.csv")).unwrap();
    assert!(!summary.contains(",fallback,"));
}

/// Each bad `fallbacks.csv` (with the outlier scenario's other files) and the exact message.
#[test]
fn bad_fallback_files_give_positioned_errors() {
    let cases: &[(&str, &str)] = &[
        (
            "service,fallbacks\nnowhere,surgical\n",
            "fallbacks.csv:2: column 'service': expected a service in services.csv, found \"nowhere\"",
        ),
        (
            "service,fallbacks\nmedical,surgical;nowhere\n",
            "fallbacks.csv:2: column 'fallbacks': expected a service in services.csv, found \"nowhere\"",
        ),
        (
            "service,fallbacks\nmedical,medical\n",
            "fallbacks.csv:2: column 'fallbacks': 'medical' is the service itself",
        ),
        (
            "service,fallbacks\nmedical,surgical;extra;surgical\n",
            "fallbacks.csv:2: column 'fallbacks': 'surgical' is listed twice",
        ),
        (
            "service,fallbacks\nmedical,\n",
            "fallbacks.csv:2: column 'fallbacks': expected service ids separated by ';'",
        ),
        (
            "service,fallbacks\nmedical,surgical;;extra\n",
            "fallbacks.csv:2: column 'fallbacks': expected service ids separated by ';'",
        ),
        (
            "service,fallbacks\nmedical,surgical;\n",
            "fallbacks.csv:2: column 'fallbacks': expected service ids separated by ';'",
        ),
        (
            "service,fallbacks\nmedical,surgical\nmedical,extra\n",
            "fallbacks.csv:3: duplicate",
        ),
        (
            "service,fallbacks,wait_for\nmedical,surgical,whichever\n",
            "fallbacks.csv:2: column 'wait_for': expected preferred or first_free, found \"whichever\"",
        ),
        (
            "service,wait_for\nmedical,preferred\n",
            "fallbacks.csv:1: missing column 'fallbacks'",
        ),
        (
            "service,fallbacks,order\nmedical,surgical,1\n",
            "fallbacks.csv:1: unknown column 'order'",
        ),
        (
            "service,fallbacks\nmedical,surgical,extra\n",
            "fallbacks.csv:2: malformed CSV",
        ),
        (
            "service,fallbacks\nmedical,\u{7}surgical\n",
            "fallbacks.csv:2: column 'fallbacks': expected a service in services.csv, found \"\\u{7}surgical\"",
        ),
    ];
    for (file, expected) in cases {
        let dir = outlier_scenario(file, "0");
        let err = match Model::load(dir.path()) {
            Ok(_) => panic!("{file:?} loaded"),
            Err(e) => e.to_string(),
        };
        assert!(
            err.contains(expected),
            "{file:?}: expected {expected:?} in\n{err}"
        );
    }
}

#[test]
fn fallbacks_at_services_counted_in_hours_or_paid_by_a_care_budget_are_refused() {
    // Hours: home care as the preferred service and as a fallback.
    let base = [
        ("settings.csv", settings(100, 2)),
        (
            "organisations.csv",
            "id,kind\ntrust,acute_trust\ncouncil,local_authority\n".to_owned(),
        ),
        (
            "services.csv",
            "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,queue_discipline,unit\n\
             ward,acute_bed,trust,5,0,in_bed,turn_away,fifo,places\n\
             care,home_care,council,100,unlimited,in_bed,waiting_list,fifo,hours\n\
             bridge,home_care,council,5,0,in_bed,turn_away,fifo,places\n"
                .to_owned(),
        ),
        ("classes.csv", "id,priority\npatient,0\n".to_owned()),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,patient,ward,1,\n".to_owned(),
        ),
        (
            "los.csv",
            format!("{LOS_HEADER}patient,ward,fixed,,,,,,,,2,\npatient,care,fixed,,,,,,,,10,\n"),
        ),
        (
            "package_hours.csv",
            format!("{LOS_HEADER}patient,care,fixed,,,,,,,,7,\n"),
        ),
        (
            "routes.csv",
            "class,service,next,probability\npatient,ward,care,1\n".to_owned(),
        ),
    ];
    let load = |fallbacks: &str, extra: &[(&str, &str)]| {
        let mut files: Vec<(&str, &str)> = base.iter().map(|(n, c)| (*n, c.as_str())).collect();
        files.push(("fallbacks.csv", fallbacks));
        files.extend_from_slice(extra);
        let dir = write_scenario(&files);
        Model::load(dir.path())
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let err = load("service,fallbacks\ncare,bridge\n", &[]).unwrap_err();
    assert!(
        err.contains("fallbacks.csv:2: column 'service': service 'care' counts hours a week"),
        "{err}"
    );
    let err = load("service,fallbacks\nbridge,care\n", &[]).unwrap_err();
    assert!(
        err.contains("fallbacks.csv:2: column 'fallbacks': service 'care' counts hours a week"),
        "{err}"
    );
    // Paid from the council's care budget: its place costs money the preferred's approval
    // did not cover.
    let err = load(
        "service,fallbacks\nward,bridge\n",
        &[
            (
                "costs.csv",
                "service,basis,rate\nward,bed_day,300\ncare,care_hour,20\nbridge,bed_day,100\n",
            ),
            (
                "funding.csv",
                "organisation,annual,care_budget\ntrust,0,\ncouncil,0,1000000\n",
            ),
        ],
    )
    .unwrap_err();
    assert!(
        err.contains(
            "fallbacks.csv:2: column 'fallbacks': service 'bridge' is paid for from a care budget"
        ),
        "{err}"
    );
}

#[test]
fn a_variant_overrides_the_fallbacks_and_the_rule() {
    let dir = waiting_scenario("preferred");
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\n\
         first_free,fallbacks.csv,ward,wait_for,first_free\n\
         bad,fallbacks.csv,ward,fallbacks,ward;nowhere\n",
    )
    .unwrap();
    let err = Experiment::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("variants.csv:3: column 'fallbacks': expected a service in services.csv, found \"nowhere\""),
        "{err}"
    );
    assert!(err.contains("'ward' is the service itself"), "{err}");
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\nfirst_free,fallbacks.csv,ward,wait_for,first_free\n",
    )
    .unwrap();
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    let placed = |v: usize| -> u64 {
        result.results[v]
            .iter()
            .map(|r| r.fallbacks[0].patients)
            .sum()
    };
    assert!(placed(1) > placed(0));
}

/// The fuzz seed for fallbacks and step-up (`fuzz/corpus/load_scenario/fallbacks`) is a valid
/// scenario,
/// so that the fuzzer starts from one that runs.
#[test]
fn the_fuzz_seed_loads_and_runs() {
    let dir = crate::common::fuzz_seed("fallbacks");
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    for r in result.results.iter().flatten() {
        assert!(r.system.is_conserved());
        assert_eq!(r.fallbacks.len(), 3);
        assert_eq!(r.step_ups.len(), 1);
    }
}
