//! Admission avoidance (`step_up.csv`): an arrival stream first tries a community service and
//! uses its entry only when that is full — a loss system for the stream, so the admissions
//! avoided follow Erlang B — and each kind of bad input.

use crate::common::write_scenario;
use crate::erlang::erlang_b;
use careflow::{Experiment, Model, Plan, Report, RunInfo, Summary};

const LOS_HEADER: &str = "class,service,distribution,mean,sd,shape,scale,min,mode,max,value,file\n";

/// Urgent referrals (8 a day) try an urgent community response of 3 places (exponential
/// stays of mean 1 day, then home), else go to the emergency department and on to a ward;
/// walk-ins (20 a day) always go to the department.
fn scenario(step_up: &str, horizon: u32) -> tempfile::TempDir {
    write_scenario(&[
        (
            "settings.csv",
            &format!(
                "key,value\nstart_date,2026-04-01\nhorizon_days,{horizon}\nwarmup_days,20\n\
                 seed,3\nreplications,20\nwait_threshold_hours,4\ndaily_series,false\n"
            ),
        ),
        (
            "organisations.csv",
            "id,kind\ntrust,acute_trust\ncommunity,community_provider\n",
        ),
        (
            "services.csv",
            "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,queue_discipline,unit\n\
             ed,ed,trust,1000,0,in_bed,turn_away,fifo,places\n\
             ward,acute_bed,trust,1000,0,in_bed,turn_away,fifo,places\n\
             ucr,community_bed,community,3,0,in_bed,turn_away,fifo,places\n\
             homecare,home_care,community,100,unlimited,in_bed,waiting_list,fifo,hours\n",
        ),
        ("classes.csv", "id,priority\nfrail,0\nadult,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\n\
             urgent,frail,ed,8,\n\
             walk_in,adult,ed,20,\n",
        ),
        (
            "los.csv",
            &format!(
                "{LOS_HEADER}frail,ed,fixed,,,,,,,,0.1,\nadult,ed,fixed,,,,,,,,0.1,\n\
                 frail,ward,exponential,5,,,,,,,,\nfrail,ucr,exponential,1,,,,,,,,\n"
            ),
        ),
        (
            "routes.csv",
            "class,service,next,probability\nfrail,ed,ward,1\n",
        ),
        ("step_up.csv", step_up),
    ])
}

#[test]
fn admissions_avoided_follow_erlang_b_for_the_step_up_service() {
    let dir = scenario("stream,service\nurgent,ucr\n", 4000);
    let model = Model::load(dir.path()).unwrap();
    let results = careflow::run_replications(&model, 20);
    let (c, lambda) = (3, 8.0);
    let b = erlang_b(c, lambda);
    let avoided: Vec<f64> = results
        .iter()
        .map(|r| r.step_ups[0].admissions_avoided as f64 / r.observed_days)
        .collect();
    let s = Summary::new(&avoided, 0.999);
    let half = s.half_width.unwrap();
    let analytic = lambda * (1.0 - b);
    println!(
        "admissions avoided a day: simulated {:.4} ± {half:.4}, analytic λ(1 − B) = {analytic:.4}",
        s.mean
    );
    assert!(half < 0.03 * analytic);
    assert!((s.mean - analytic).abs() <= half);
    for r in &results {
        assert!(r.system.is_conserved());
        assert_eq!(r.system.diverted, 0);
        assert_eq!(r.step_ups.len(), 1);
        assert_eq!(r.step_ups[0].stream.index(), 0);
        // Step-up patients go home from the community service: the ward's admissions are
        // exactly the urgent referrals the department took (all frail there go on).
        let ed = r.entries.iter().find(|e| e.service.index() == 0).unwrap();
        let ward = &r.services[1];
        assert!(ward.arrivals <= ed.admitted + 1);
    }
}

#[test]
fn the_report_counts_admissions_avoided_by_stream() {
    let dir = scenario("stream,service\nurgent,ucr\n", 200);
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(3));
    let info = RunInfo {
        scenario: "step-up".into(),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    assert!(report.to_string().contains("step-up urgent: "));
    let out = tempfile::tempdir().unwrap();
    report.write_csv(out.path()).unwrap();
    let summary = std::fs::read_to_string(out.path().join("summary.csv")).unwrap();
    assert!(summary.contains("baseline,step_up,urgent,,admissions_avoided,3,"));
    assert!(!summary.contains("step_up,walk_in"));
}

#[test]
fn a_variant_overrides_the_step_up_service() {
    let dir = scenario("stream,service\nurgent,ucr\n", 200);
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\nto_ward,step_up.csv,urgent,service,ward\n",
    )
    .unwrap();
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    let avoided = |v: usize| -> u64 {
        result.results[v]
            .iter()
            .map(|r| r.step_ups[0].admissions_avoided)
            .sum()
    };
    // The ward (1000 places) always has room: every urgent referral avoids the department.
    assert!(avoided(1) > avoided(0));
    let ed_patients: u64 = result.results[1]
        .iter()
        .map(|r| r.services[0].arrivals)
        .sum();
    let walk_ins_only = result.results[1]
        .iter()
        .all(|r| r.services[0].arrivals < r.system.arrived);
    assert!(ed_patients > 0 && walk_ins_only);
}

#[test]
fn bad_step_up_files_give_positioned_errors() {
    let cases: &[(&str, &str)] = &[
        (
            "stream,service\nnobody,ucr\n",
            "step_up.csv:2: column 'stream': expected an arrival stream in arrivals.csv, found \"nobody\"",
        ),
        (
            "stream,service\nurgent,nowhere\n",
            "step_up.csv:2: column 'service': expected a service in services.csv, found \"nowhere\"",
        ),
        (
            "stream,service\nurgent,ed\n",
            "step_up.csv:2: column 'service': 'ed' is the stream's own entry service",
        ),
        (
            "stream,service\nurgent,ucr\nurgent,ward\n",
            "step_up.csv:3: duplicate",
        ),
        (
            "stream,service\nurgent,homecare\n",
            "step_up.csv:2: column 'service': service 'homecare' counts hours a week",
        ),
        (
            "stream\nurgent\n",
            "step_up.csv:1: missing column 'service'",
        ),
        (
            "stream,service\nurgent,\n",
            "step_up.csv:2: column 'service': expected a service in services.csv, found \"\"",
        ),
        (
            // Walk-ins are adults, who have no stay at the community service.
            "stream,service\nwalk_in,ucr\n",
            "adult",
        ),
    ];
    for (file, expected) in cases {
        let dir = scenario(file, 100);
        let err = match Model::load(dir.path()) {
            Ok(_) => panic!("{file:?} loaded"),
            Err(e) => e.to_string(),
        };
        assert!(
            err.contains(expected),
            "{file:?}: expected {expected:?} in\n{err}"
        );
    }
    // The missing stay names the service and how it is reached.
    let dir = scenario("stream,service\nwalk_in,ucr\n", 100);
    let err = Model::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("ucr") && err.contains("walk_in"), "{err}");
}
