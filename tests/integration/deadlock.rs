//! Circular blocking is detected and reported, not left as a silent stall.

use crate::common::write_scenario;
use careflow::{Experiment, Model, Plan, Report, RunInfo, run_replication};

/// Two full wards whose patients all wait for the other: A → B → A, no queues.
fn circular(capacity: u32) -> tempfile::TempDir {
    let services = format!(
        "id,kind,provider,capacity,queue_capacity,queue_discipline\n\
         a,acute_bed,trust,{capacity},0,fifo\n\
         b,community_bed,trust,{capacity},0,fifo\n"
    );
    write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,200\nseed,3\nreplications,2\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        ("services.csv", &services),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,a,5,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,mean\np,a,exponential,1\np,b,exponential,1\n",
        ),
        (
            "routes.csv",
            "class,service,next,probability\np,a,b,1\np,b,a,1\n",
        ),
    ])
}

#[test]
fn circular_blocking_is_reported_with_the_services_involved() {
    let dir = circular(2);
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert_eq!(r.deadlocks.len(), 1, "{:?}", r.deadlocks);
    let names: Vec<&str> = r.deadlocks[0]
        .services
        .iter()
        .map(|s| model.services()[s.index()].name())
        .collect();
    assert_eq!(names, ["a", "b"]);
    // Once deadlocked nothing moves: both wards stay full of blocked patients to the end.
    assert!(r.system.is_conserved());
    assert_eq!(r.system.inside_at_end, 4);
    assert!(r.services[0].delayed_bed_days + r.services[1].delayed_bed_days > 0.0);

    let experiment = Experiment::new(model);
    let result = experiment.run(&Plan::replications(2));
    let report = Report::new(
        &experiment,
        &result,
        RunInfo {
            scenario: "circular".into(),
            level: 0.95,
        },
    );
    let text = report.to_string();
    assert!(
        text.contains("warning: baseline: 2 of 2 replications deadlocked (circular blocking)"),
        "{text}"
    );
    assert!(text.contains(": a, b\n"), "{text}");
    assert_eq!(
        text.matches("deadlocked").count(),
        1,
        "printed once: {text}"
    );
    // The warning reaches run.csv and the HTML report too.
    let out = tempfile::tempdir().unwrap();
    report.write_csv(out.path()).unwrap();
    let run = std::fs::read_to_string(out.path().join("run.csv")).unwrap();
    assert!(
        run.contains("warning,\"baseline: 2 of 2 replications deadlocked (circular blocking), e.g. replication 0 on day"),
        "{run}"
    );
    let html = std::fs::read_to_string(report.write_html(&out.path().join("report.html")).unwrap())
        .unwrap();
    assert!(
        html.contains("<li>baseline: 2 of 2 replications deadlocked (circular blocking)"),
        "{html}"
    );
    assert_eq!(
        report
            .summary("baseline", "system", "", "deadlocks")
            .unwrap()
            .mean,
        1.0
    );
}

#[test]
fn networks_without_cycles_never_deadlock() {
    let model = crate::common::bundled("baseline");
    let mut model = model;
    model.settings_mut().horizon_days = 400.0;
    model.settings_mut().warmup_days = 0.0;
    assert!(run_replication(&model, 0).deadlocks.is_empty());
}
