//! Variants relative to the baseline (`+40`, `-10%`, `*0.9`), their effective values in the
//! output, and the same overrides given in code.

use crate::common::blocking_network;
use careflow::scenario::Override;
use careflow::{Error, Experiment, Plan, Report, RunInfo};

/// The blocking network (acute 40 beds, community 12, frail/community weibull scale 8) with
/// `rows` as its variants.csv.
fn with_variants(rows: &str) -> tempfile::TempDir {
    let dir = blocking_network(150);
    std::fs::write(
        dir.path().join("variants.csv"),
        format!("variant,file,row,column,value\n{rows}"),
    )
    .unwrap();
    dir
}

fn load_error(rows: &str) -> String {
    let dir = with_variants(rows);
    let error = Experiment::load(dir.path()).unwrap_err().to_string();
    error.replace(&dir.path().display().to_string(), "{dir}")
}

#[test]
fn relative_values_follow_the_baseline() {
    let dir = with_variants(
        "plus,services.csv,acute,capacity,+10\n\
         minus,services.csv,acute,capacity,-10\n\
         percent,services.csv,acute,capacity,+10%\n\
         cut,services.csv,acute,capacity,-25%\n\
         scaled,services.csv,acute,capacity,*1.5\n\
         scaled,los.csv,frail/community,scale,*0.9\n\
         absolute,services.csv,acute,capacity,45\n",
    );
    let experiment = Experiment::load(dir.path()).unwrap();
    let acute = experiment.baseline().service_id("acute").unwrap();
    let beds: Vec<(&str, u32)> = experiment
        .variants()
        .iter()
        .map(|v| {
            (
                v.name.as_str(),
                v.model.services()[acute.index()].capacity(),
            )
        })
        .collect();
    assert_eq!(
        beds,
        [
            ("baseline", 40),
            ("plus", 50),
            ("minus", 30),
            ("percent", 44),
            ("cut", 30),
            ("scaled", 60),
            ("absolute", 45),
        ]
    );
    let scaled = &experiment.variants()[5].overrides;
    assert_eq!(scaled.len(), 2);
    assert_eq!(
        (
            scaled[1].baseline.as_str(),
            scaled[1].expression.as_str(),
            scaled[1].effective.as_str()
        ),
        ("8", "*0.9", "7.2")
    );
    // The raised baseline carries the variant with it: the bug this feature fixes.
    std::fs::write(
        dir.path().join("services.csv"),
        std::fs::read_to_string(dir.path().join("services.csv"))
            .unwrap()
            .replace("acute,acute_bed,trust,40,", "acute,acute_bed,trust,420,"),
    )
    .unwrap();
    let raised = Experiment::load(dir.path()).unwrap();
    assert_eq!(
        raised.variants()[1].model.services()[acute.index()].capacity(),
        430
    );
    assert_eq!(
        raised.variants()[3].model.services()[acute.index()].capacity(),
        462
    );
}

#[test]
fn hostile_relative_values_are_refused_with_their_place() {
    let syntax = "an absolute value, or a change relative to the baseline: +N or -N (add or subtract), +N% or -N% (a percentage of the baseline), or *N (multiply), N a decimal number";
    let cases: Vec<(&str, String)> = vec![
        (
            "v,services.csv,acute,capacity,+",
            format!("{{dir}}/variants.csv:2: column 'value': expected {syntax}, found \"+\""),
        ),
        (
            "v,services.csv,acute,capacity,*x",
            format!("{{dir}}/variants.csv:2: column 'value': expected {syntax}, found \"*x\""),
        ),
        (
            "v,services.csv,acute,capacity,--3",
            format!("{{dir}}/variants.csv:2: column 'value': expected {syntax}, found \"--3\""),
        ),
        (
            "v,services.csv,acute,capacity,*10%",
            format!("{{dir}}/variants.csv:2: column 'value': expected {syntax}, found \"*10%\""),
        ),
        (
            "v,services.csv,acute,capacity,+inf",
            format!("{{dir}}/variants.csv:2: column 'value': expected {syntax}, found \"+inf\""),
        ),
        (
            "v,services.csv,acute,capacity,+1e400",
            "{dir}/variants.csv:2: column 'value': expected a change whose number has at most 18 significant digits and a decimal exponent from -60 to 60, found \"+1e400\"".into(),
        ),
        (
            "v,services.csv,acute,queue_discipline,+10%",
            "variant 'v': {dir}/variants.csv:2: column 'value': the relative value \"+10%\" changes a number, but services.csv row 'acute' column 'queue_discipline' holds \"fifo\" in the baseline; give an absolute value".into(),
        ),
        (
            "v,services.csv,assessment,queue_capacity,+5",
            "variant 'v': {dir}/variants.csv:2: column 'value': the relative value \"+5\" changes a number, but services.csv row 'assessment' column 'queue_capacity' holds \"unlimited\" in the baseline; give an absolute value".into(),
        ),
        (
            "v,los.csv,frail/acute,scale,+1",
            "variant 'v': {dir}/variants.csv:2: column 'value': the relative value \"+1\" changes a number, but los.csv row 'frail/acute' column 'scale' is empty in the baseline; give an absolute value".into(),
        ),
        (
            "v,services.csv,acute,capacity,*1e40\nw,los.csv,frail/assessment,mean,*1e-60",
            "variant 'v': {dir}/variants.csv:2: column 'capacity': expected a non-negative integer, found \"400000000000000000000000000000000000000000\" (the result of \"*1e40\" applied to the baseline's \"40\")\n\
             variant 'w': {dir}/variants.csv:3: column 'value': the relative value \"*1e-60\" applied to \"0.2\" in los.csv row 'frail/assessment' column 'mean' gives a number too large or too precise to compute exactly; give an absolute value".into(),
        ),
        (
            "v,services.csv,acute,capacity,-100",
            "variant 'v': {dir}/variants.csv:2: column 'capacity': expected a non-negative integer, found \"-60\" (the result of \"-100\" applied to the baseline's \"40\")".into(),
        ),
        (
            "v,services.csv,acute,capacity,*0.98",
            "variant 'v': {dir}/variants.csv:2: column 'capacity': expected a non-negative integer, found \"39.2\" (the result of \"*0.98\" applied to the baseline's \"40\")".into(),
        ),
        (
            "v,los.csv,frail/acute,mean,-100%",
            "variant 'v': {dir}/variants.csv:2: column 'mean': expected a number greater than 0, found \"0\" (the result of \"-100%\" applied to the baseline's \"5\")".into(),
        ),
        (
            "v,routes.csv,frail/acute/exit,probability,+0.5",
            "variant 'v': {dir}/variants.csv:2: column 'probability': expected a probability from 0 to 1, found \"1.05\" (the result of \"+0.5\" applied to the baseline's \"0.55\")".into(),
        ),
    ];
    for (rows, expected) in cases {
        assert_eq!(load_error(&format!("{rows}\n")), expected, "{rows}");
    }
}

#[test]
fn effective_values_are_written_and_printed() {
    let dir = with_variants(
        "more_acute,services.csv,acute,capacity,+10%\n\
         more_acute,los.csv,frail/acute,mean,*0.9\n\
         fixed,services.csv,community,capacity,14\n",
    );
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    let info = RunInfo {
        scenario: "network".into(),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    let out = tempfile::tempdir().unwrap();
    let written = report.write_csv(out.path()).unwrap();
    assert!(
        written
            .iter()
            .any(|p| p.ends_with("variants_effective.csv"))
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("variants_effective.csv")).unwrap(),
        "variant,file,row,column,baseline,expression,effective\n\
         more_acute,services.csv,acute,capacity,40,+10%,44\n\
         more_acute,los.csv,frail/acute,mean,5,*0.9,4.5\n\
         fixed,services.csv,community,capacity,12,14,14\n"
    );
    let printed = report.to_string();
    for line in [
        "more_acute: services.csv row 'acute' column 'capacity': 40 → 44 (+10%)\n",
        "more_acute: los.csv row 'frail/acute' column 'mean': 5 → 4.5 (*0.9)\n",
        "fixed: services.csv row 'community' column 'capacity': 12 → 14\n",
    ] {
        assert!(printed.contains(line), "{line} missing from\n{printed}");
    }
}

#[test]
fn no_overrides_no_effective_file() {
    let dir = blocking_network(100);
    let mut experiment = Experiment::load(dir.path()).unwrap();
    let same = experiment.baseline().clone();
    experiment.add_variant("same", same).unwrap();
    let result = experiment.run(&Plan::replications(2));
    let info = RunInfo {
        scenario: "network".into(),
        level: 0.95,
    };
    let out = tempfile::tempdir().unwrap();
    Report::new(&experiment, &result, info)
        .write_csv(out.path())
        .unwrap();
    assert!(!out.path().join("variants_effective.csv").exists());
}

#[test]
fn overrides_from_code_match_variants_csv() {
    let rows = "v,services.csv,acute,capacity,+5\n\
                v,los.csv,frail/acute,mean,-10%\n\
                v,routes.csv,frail/acute/exit,probability,0.5\n\
                v,routes.csv,frail/acute/community,probability,0.45\n";
    let dir = with_variants(rows);
    let from_file = Experiment::load(dir.path()).unwrap();
    std::fs::remove_file(dir.path().join("variants.csv")).unwrap();
    let mut from_code = Experiment::load(dir.path()).unwrap();
    from_code
        .add_variant_overrides(
            "v",
            &[
                Override::new("services.csv", "acute", "capacity", "+5"),
                Override::new("los.csv", "frail/acute", "mean", "-10%"),
                Override::new("routes.csv", "frail/acute/exit", "probability", "0.5"),
                Override::new("routes.csv", "frail/acute/community", "probability", "0.45"),
            ],
        )
        .unwrap();
    assert_eq!(from_file.variants()[1], from_code.variants()[1]);
    let plan = Plan::replications(3);
    assert_eq!(from_file.run(&plan).results, from_code.run(&plan).results);
}

#[test]
fn overrides_from_code_are_checked_like_variants_csv() {
    let dir = blocking_network(100);
    let error = |name: &str, overrides: &[Override]| -> String {
        let mut experiment = Experiment::load(dir.path()).unwrap();
        experiment
            .add_variant_overrides(name, overrides)
            .unwrap_err()
            .to_string()
    };
    let o = Override::new;
    assert_eq!(
        error("v", &[o("wards.csv", "acute", "capacity", "3")]),
        "overrides:1: column 'file': expected one of settings.csv, organisations.csv, services.csv, classes.csv, arrivals.csv, electives.csv, profile_hours.csv, profile_weekdays.csv, profile_periods.csv, los.csv, package_hours.csv, visit_rates.csv, routes.csv, discharge.csv, pathways.csv, pathway_changes.csv, calendar.csv, escalation.csv, fallbacks.csv, step_up.csv, readmissions.csv, patience.csv, census.csv, census_patients.csv, census_queue.csv, costs.csv, funding.csv, contracts.csv, tariffs.csv or contract_members.csv, found \"wards.csv\""
    );
    assert_eq!(
        error("baseline", &[o("services.csv", "acute", "capacity", "3")]),
        "overrides:1: column 'variant': expected a variant name other than 'baseline', which names the scenario as written, found \"baseline\""
    );
    assert_eq!(
        error(
            "v",
            &[
                o("services.csv", "acute", "capacity", "3"),
                o("settings.csv", "seed", "value", "3"),
                o("services.csv", "acute", "capacity", "4"),
                o("services.csv", "", "", "4"),
            ]
        ),
        "overrides:2: column 'row': every variant runs the baseline's seed and replications, so that comparisons are paired; set them in settings.csv\n\
         overrides:3: duplicate entry for variant 'v' setting services.csv row 'acute' column 'capacity' (first given on line 1)\n\
         overrides:4: column 'row': expected a non-empty id, found \"\"\n\
         overrides:4: column 'column': expected a non-empty id, found \"\""
    );
    assert_eq!(
        error(
            "v",
            &[
                o("services.csv", "icu", "capacity", "3"),
                o("funding.csv", "trust", "annual", "+5%"),
                o("services.csv", "community", "capacity", "-13"),
            ]
        ),
        "variant 'v': overrides:1: column 'row': expected a row of services.csv, named by its id, found \"icu\"\n\
         variant 'v': overrides:3: column 'capacity': expected a non-negative integer, found \"-1\" (the result of \"-13\" applied to the baseline's \"12\")\n\
         variant 'v': overrides:2: column 'row': expected a row of funding.csv, named by its organisation, found \"trust\""
    );
    let mut experiment = Experiment::load(dir.path()).unwrap();
    experiment
        .add_variant_overrides("v", &[o("services.csv", "acute", "capacity", "+1")])
        .unwrap();
    assert!(matches!(
        experiment.add_variant_overrides("v", &[]),
        Err(Error::Usage(m)) if m == "variant 'v' is defined twice"
    ));
    let mut built = Experiment::new(experiment.baseline().clone());
    assert!(matches!(
        built.add_variant_overrides("w", &[o("services.csv", "acute", "capacity", "+1")]),
        Err(Error::Usage(m)) if m.contains("load it with Experiment::load")
    ));
}
