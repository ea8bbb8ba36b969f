//! Profiles whose multipliers do not average 1: run as written, with a warning giving the
//! daily mean the stream really has, in the printout and in run.csv.

use crate::common::blocking_network;
use careflow::scenario::ScenarioWarning;
use careflow::{Experiment, Model, Plan, Report, RunInfo};

/// The reference's old hourly example: it averages 0.9667.
const HOURS: [f64; 24] = [
    0.5, 0.4, 0.35, 0.3, 0.3, 0.35, 0.5, 0.8, 1.2, 1.5, 1.6, 1.6, 1.5, 1.45, 1.4, 1.35, 1.3, 1.25,
    1.2, 1.1, 1.0, 0.9, 0.75, 0.6,
];

fn with_profile(hours: &[f64], weekdays: &str) -> tempfile::TempDir {
    let dir = blocking_network(120);
    let mut rows = String::from("profile,hour,multiplier\n");
    for (h, m) in hours.iter().enumerate() {
        rows.push_str(&format!("day,{h},{m}\n"));
    }
    std::fs::write(dir.path().join("profile_hours.csv"), rows).unwrap();
    std::fs::write(dir.path().join("profile_weekdays.csv"), weekdays).unwrap();
    std::fs::write(
        dir.path().join("arrivals.csv"),
        "id,class,service,rate_per_day,profile\n\
         frail_in,frail,assessment,4,day\n\
         adult_in,adult,assessment,5,\n",
    )
    .unwrap();
    dir
}

const FLAT_WEEK: &str = "profile,weekday,multiplier\nday,mon,1\nday,tue,1\nday,wed,1\nday,thu,1\nday,fri,1\nday,sat,1\nday,sun,1\n";

#[test]
fn a_profile_that_does_not_average_one_is_warned_about() {
    let dir = with_profile(&HOURS, FLAT_WEEK);
    let model = Model::load(dir.path()).unwrap();
    let [warning] = model.warnings() else {
        panic!("expected one warning, found {:?}", model.warnings());
    };
    assert!(matches!(
        warning,
        ScenarioWarning::ProfileRate { line: 2, .. }
    ));
    let effective = warning.effective_rate_per_day().unwrap();
    assert!((effective - 4.0 * 23.2 / 24.0).abs() < 1e-12, "{effective}");
    assert_eq!(
        warning.to_string(),
        format!(
            "{}/arrivals.csv:2: arrival stream 'frail_in': rate_per_day 4 but profile 'day' multipliers average 0.9667 over the day and 1.0000 over the week, so it brings 3.8667 arrivals a day on average (outside dated periods); scale the multipliers to average 1, or set rate_per_day to the daily mean you mean",
            dir.path().display()
        )
    );

    // Visible in the printout and in run.csv.
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    let info = RunInfo {
        scenario: "network".into(),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    let printed = report.to_string();
    assert!(
        printed.contains(&format!("\nwarning: {warning}\n")),
        "{printed}"
    );
    let out = tempfile::tempdir().unwrap();
    report.write_csv(out.path()).unwrap();
    let run = std::fs::read_to_string(out.path().join("run.csv")).unwrap();
    assert!(
        run.lines()
            .any(|l| l.starts_with("warning,\"") && l.contains("average 0.9667")),
        "{run}"
    );
}

#[test]
fn the_week_counts_too_and_small_rounding_does_not() {
    // Weekdays averaging 1.1 (a typo: 1.7 for 1.0 on Monday).
    let week = FLAT_WEEK.replace("day,mon,1", "day,mon,1.7");
    let mut hours = [1.0; 24];
    let model = Model::load(with_profile(&hours, &week).path()).unwrap();
    assert_eq!(model.warnings().len(), 1);
    assert!(
        model.warnings()[0]
            .to_string()
            .contains("1.0000 over the day and 1.1000 over the week, so it brings 4.4000 arrivals")
    );
    // Within 0.1%: rounding of hand-written multipliers is not warned about.
    hours[0] = 1.02; // mean 1.00083
    assert!(
        Model::load(with_profile(&hours, FLAT_WEEK).path())
            .unwrap()
            .warnings()
            .is_empty()
    );
    hours[0] = 1.03; // mean 1.00125
    assert_eq!(
        Model::load(with_profile(&hours, FLAT_WEEK).path())
            .unwrap()
            .warnings()
            .len(),
        1
    );
}

#[test]
fn a_variant_that_unbalances_a_profile_is_named() {
    let dir = with_profile(&[1.0; 24], FLAT_WEEK);
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\nbusy_mornings,profile_hours.csv,day/9,multiplier,+50%\n",
    )
    .unwrap();
    let experiment = Experiment::load(dir.path()).unwrap();
    assert!(experiment.baseline().warnings().is_empty());
    let result = experiment.run(&Plan::replications(2));
    let info = RunInfo {
        scenario: "network".into(),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    let warnings = report.warnings();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].starts_with("variant 'busy_mornings': ")
            && warnings[0].contains("average 1.0208 over the day"),
        "{warnings:?}"
    );
}

#[test]
fn bundled_scenarios_have_no_warnings() {
    // Every folder under scenarios/, so that a new bundled scenario cannot be left out.
    let mut names: Vec<String> = std::fs::read_dir(crate::common::scenario_dir(""))
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| entry.file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in [
        "baseline",
        "capacity_plan",
        "contracts",
        "discharge_to_assess",
        "erlang_b_ward",
        "erlang_c_ward",
        "peer_blocking",
        "peer_mmc",
        "peer_pathways",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} missing: {names:?}");
    }
    for name in &names {
        // Its variants load too.
        Experiment::load(crate::common::scenario_dir(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let model = crate::common::bundled(name);
        assert!(
            model.warnings().is_empty(),
            "{name}: {:?}",
            model.warnings()
        );
    }
}
