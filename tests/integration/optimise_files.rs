//! `decisions.csv` and `objectives.csv`: a valid pair reads back into the expected problem,
//! and each kind of bad input gives its exact message with file, line and column (never a
//! panic).
//!
//! Each bad case replaces one file of a valid pair (or removes it) on the blocking network
//! with costs, and compares the whole rendered error text, the temporary folder written
//! `{dir}`.

use crate::common::blocking_network;
use careflow::optimise::{
    Bound, Constraint, Decision, Measure, Objective, Problem, Sense, Term, load_problem,
};

const DECISIONS: &str = "\
decision,file,row,column,min,max,step
acute_beds,services.csv,acute,capacity,+0,+20,5
# Community beds, absolute.
community_beds,services.csv,community,capacity,6,18,3
community_rate,costs.csv,community,rate,-10%,*1.1,10
";

const OBJECTIVES: &str = "\
role,scope,subject,kpi,operator,bound,weight,confidence,indifference
objective,finance,,capacity_costs,minimise,,,,5000
objective,service,acute,delayed_bed_days,minimise,,300,0.95,
constraint,entry,assessment,share_over_threshold,<=,0.2,,0.9,
constraint,finance,trust,surplus,>=,-1e6,,,
";

const COSTS: &str = "\
service,basis,rate
assessment,bed_day,500
acute,bed_day,400
community,bed_day,100
";

/// The blocking network with costs and the given files (`None`: the file is left out).
fn scenario(decisions: Option<&str>, objectives: Option<&str>) -> tempfile::TempDir {
    let dir = blocking_network(200);
    std::fs::write(dir.path().join("costs.csv"), COSTS).unwrap();
    for (name, text) in [("decisions.csv", decisions), ("objectives.csv", objectives)] {
        if let Some(text) = text {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
    }
    dir
}

/// The error `load_problem` gives for the folder, with the folder written `{dir}`.
fn error_in(dir: &tempfile::TempDir) -> String {
    let error = match load_problem(dir.path()) {
        Ok(problem) => panic!("loaded: {problem:?}"),
        Err(e) => e.to_string(),
    };
    error.replace(&dir.path().display().to_string(), "{dir}")
}

/// The error for `decisions.csv` written as `text`, with the valid `objectives.csv`.
fn decisions_error(text: &str) -> String {
    error_in(&scenario(Some(text), Some(OBJECTIVES)))
}

/// The error for `decisions.csv` with `rows` after its header.
fn decision_rows_error(rows: &str) -> String {
    decisions_error(&format!("decision,file,row,column,min,max,step\n{rows}"))
}

/// The error for `objectives.csv` with `rows` after its header, with the valid
/// `decisions.csv`.
fn objective_rows_error(rows: &str) -> String {
    let text =
        format!("role,scope,subject,kpi,operator,bound,weight,confidence,indifference\n{rows}");
    error_in(&scenario(Some(DECISIONS), Some(&text)))
}

/// A valid objective row, for cases about constraint rows.
const OBJECTIVE: &str = "objective,finance,,capacity_costs,minimise,,,,5000\n";

fn measure(scope: &str, subject: &str, kpi: &str) -> Measure {
    Measure {
        scope: scope.to_owned(),
        subject: subject.to_owned(),
        kpi: kpi.to_owned(),
    }
}

fn decision(name: &str, file: &str, row: &str, column: &str, range: [f64; 3]) -> Decision {
    Decision {
        name: name.to_owned(),
        file: file.to_owned(),
        row: row.to_owned(),
        column: column.to_owned(),
        min: range[0],
        max: range[1],
        step: range[2],
    }
}

#[test]
fn a_valid_pair_reads_back_with_relative_bounds_resolved_and_defaults_applied() {
    let dir = scenario(Some(DECISIONS), Some(OBJECTIVES));
    let problem = load_problem(dir.path()).unwrap();
    let expected = Problem {
        decisions: vec![
            decision(
                "acute_beds",
                "services.csv",
                "acute",
                "capacity",
                [40.0, 60.0, 5.0],
            ),
            decision(
                "community_beds",
                "services.csv",
                "community",
                "capacity",
                [6.0, 18.0, 3.0],
            ),
            decision(
                "community_rate",
                "costs.csv",
                "community",
                "rate",
                [90.0, 110.0, 10.0],
            ),
        ],
        objective: Objective {
            terms: vec![
                Term {
                    measure: measure("finance", "", "capacity_costs"),
                    weight: 1.0,
                },
                Term {
                    measure: measure("service", "acute", "delayed_bed_days"),
                    weight: 300.0,
                },
            ],
            sense: Sense::Minimise,
            indifference: 5000.0,
            confidence: 0.95,
        },
        constraints: vec![
            Constraint {
                measure: measure("entry", "assessment", "share_over_threshold"),
                bound: Bound::AtMost(0.2),
                confidence: 0.9,
            },
            Constraint {
                measure: measure("finance", "trust", "surplus"),
                bound: Bound::AtLeast(-1e6),
                confidence: 0.95,
            },
        ],
    };
    assert_eq!(problem, expected);
    assert_eq!(
        problem
            .decisions
            .iter()
            .map(Decision::levels)
            .collect::<Vec<_>>(),
        [5, 5, 3]
    );
    // The scenario loaders ignore both files.
    careflow::Model::load(dir.path()).unwrap();
    careflow::Experiment::load(dir.path()).unwrap();
}

#[test]
fn maximising_and_one_value_decisions_are_read() {
    let dir = scenario(
        Some(
            "decision,file,row,column,min,max,step\n\
             acute_beds,services.csv,acute,capacity,50,50,7\n",
        ),
        Some(
            "role,scope,subject,kpi,operator,confidence,indifference\n\
             objective,finance,trust,surplus,maximise,0.99,1000\n\
             objective,service,acute,admissions,maximise,0.99,1000\n",
        ),
    );
    let problem = load_problem(dir.path()).unwrap();
    assert_eq!(problem.decisions[0].levels(), 1);
    assert_eq!(problem.objective.sense, Sense::Maximise);
    assert_eq!(problem.objective.confidence, 0.99);
    assert!(problem.constraints.is_empty());
}

#[test]
fn missing_files_are_named() {
    let dir = scenario(None, None);
    assert_eq!(
        error_in(&dir),
        "{dir}/decisions.csv: cannot read: no such file\n\
         {dir}/objectives.csv: cannot read: no such file"
    );
}

#[test]
fn a_header_alone_is_no_decisions_and_no_objective() {
    let dir = scenario(
        Some("decision,file,row,column,min,max,step\n"),
        Some("role,scope,subject,kpi,operator,bound,weight,confidence,indifference\n"),
    );
    assert_eq!(
        error_in(&dir),
        "{dir}/decisions.csv: the file has no rows; a scenario needs at least one decision to optimise\n\
         {dir}/objectives.csv: the file has no rows; a scenario needs at least one objective"
    );
}

#[test]
fn unknown_and_missing_columns_are_reported() {
    assert_eq!(
        decisions_error(
            "decision,file,row,column,min,max,stride\na,services.csv,acute,capacity,1,2,1\n"
        ),
        "{dir}/decisions.csv:1: unknown column 'stride' (allowed: decision, file, row, column, min, max, step)\n\
         {dir}/decisions.csv:1: missing column 'step'"
    );
}

#[test]
fn decision_names_are_unique_ids() {
    assert_eq!(
        decision_rows_error(
            "beds,services.csv,acute,capacity,40,60,5\n\
             beds,services.csv,community,capacity,6,18,3\n\
             bad\u{7}name,services.csv,assessment,capacity,6,8,1\n"
        ),
        "{dir}/decisions.csv:3: column 'decision': duplicate id \"beds\" (first defined on line 2)\n\
         {dir}/decisions.csv:4: column 'decision': expected an id without control characters (NUL, tab, line break, escape, text direction…), found \"bad\\u{7}name\""
    );
}

#[test]
fn one_cell_takes_one_decision() {
    assert_eq!(
        decision_rows_error(
            "beds,services.csv,acute,capacity,40,60,5\n\
             more_beds,services.csv,acute,capacity,+0,+10,5\n"
        ),
        "{dir}/decisions.csv:3: duplicate entry for a decision on services.csv row 'acute' column 'capacity' (first given on line 2)"
    );
}

#[test]
fn cells_are_addressed_as_in_variants_csv() {
    let error = decision_rows_error(
        "a,wards.csv,acute,capacity,40,60,5\n\
         b,services.csv,icu,capacity,40,60,5\n\
         c,services.csv,acute,beds,40,60,5\n\
         d,services.csv,acute,id,40,60,5\n\
         e,settings.csv,seed,value,1,10,1\n\
         f,settings.csv,horizon_days,value,100,200,50\n\
         g,decisions.csv,a,min,1,2,1\n",
    );
    let lines: Vec<&str> = error.lines().collect();
    assert_eq!(lines.len(), 7, "{error}");
    assert!(
        lines[0].starts_with(
            "{dir}/decisions.csv:2: column 'file': expected one of settings.csv, organisations.csv, services.csv,"
        ) && lines[0].ends_with("tariffs.csv or contract_members.csv, found \"wards.csv\""),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "{dir}/decisions.csv:3: column 'row': expected a row of services.csv, named by its id, found \"icu\""
    );
    assert_eq!(
        lines[2],
        "{dir}/decisions.csv:4: column 'column': expected a column of services.csv other than its key: one of kind, provider, capacity, waiting_list, transfers_wait, when_full, queue_capacity, queue_discipline, unit or booking, found \"beds\""
    );
    assert_eq!(
        lines[3],
        "{dir}/decisions.csv:5: column 'column': expected a column of services.csv other than its key: one of kind, provider, capacity, waiting_list, transfers_wait, when_full, queue_capacity, queue_discipline, unit or booking, found \"id\""
    );
    assert_eq!(
        lines[4],
        "{dir}/decisions.csv:6: column 'row': every variant runs the baseline's seed and replications, so that comparisons are paired; set them in settings.csv"
    );
    assert_eq!(
        lines[5],
        "{dir}/decisions.csv:7: column 'row': every variant is observed over the baseline's window (start_date, horizon_days, warmup_days), so that differences compare the same days; set it in settings.csv"
    );
    assert!(
        lines[6].starts_with("{dir}/decisions.csv:8: column 'file': expected one of settings.csv,")
            && lines[6].ends_with("found \"decisions.csv\""),
        "{}",
        lines[6]
    );
}

#[test]
fn min_must_not_exceed_max() {
    assert_eq!(
        decision_rows_error("beds,services.csv,acute,capacity,60,+0,5\n"),
        "{dir}/decisions.csv:2: column 'max': max (40) is less than min (60)"
    );
}

#[test]
fn steps_must_be_positive_finite_numbers() {
    let error = decision_rows_error(
        "a,services.csv,acute,capacity,40,60,0\n\
         b,services.csv,community,capacity,6,18,-3\n\
         c,services.csv,assessment,capacity,1,8,NaN\n\
         d,costs.csv,acute,rate,1,8,inf\n\
         e,costs.csv,community,rate,1,8,\n",
    );
    assert_eq!(
        error,
        "{dir}/decisions.csv:2: column 'step': expected a number greater than 0, found \"0\"\n\
         {dir}/decisions.csv:3: column 'step': expected a number greater than 0, found \"-3\"\n\
         {dir}/decisions.csv:4: column 'step': expected a number greater than 0, found \"NaN\"\n\
         {dir}/decisions.csv:5: column 'step': expected a number greater than 0, found \"inf\"\n\
         {dir}/decisions.csv:6: column 'step': expected a number greater than 0, found \"\""
    );
}

#[test]
fn a_huge_step_leaves_max_off_the_lattice() {
    assert_eq!(
        decision_rows_error("beds,services.csv,acute,capacity,40,60,1e308\n"),
        "{dir}/decisions.csv:2: column 'step': (max − min) / step = (60 − 40) / 1e308 = 2e-307 is not a whole number: max must be min plus a whole number of steps"
    );
}

#[test]
fn max_must_be_min_plus_whole_steps() {
    assert_eq!(
        decision_rows_error("beds,services.csv,acute,capacity,60,120,25\n"),
        "{dir}/decisions.csv:2: column 'step': (max − min) / step = (120 − 60) / 25 = 2.4 is not a whole number: max must be min plus a whole number of steps"
    );
}

#[test]
fn decimal_steps_count_as_whole() {
    let dir = scenario(
        Some(
            "decision,file,row,column,min,max,step\n\
             rate,costs.csv,community,rate,0.1,0.7,0.2\n",
        ),
        Some(OBJECTIVES),
    );
    assert_eq!(load_problem(dir.path()).unwrap().decisions[0].levels(), 4);
}

#[test]
fn a_decision_takes_at_most_1000_values() {
    assert_eq!(
        decision_rows_error("beds,services.csv,acute,capacity,0,2000,1\n"),
        "{dir}/decisions.csv:2: column 'step': (max − min) / step = (2000 − 0) / 1 gives more than the 1000 values a decision may take; take a larger step"
    );
    // Exactly 1000 values is allowed.
    let dir = scenario(
        Some("decision,file,row,column,min,max,step\nbeds,services.csv,acute,capacity,1,1000,1\n"),
        Some(OBJECTIVES),
    );
    assert_eq!(
        load_problem(dir.path()).unwrap().decisions[0].levels(),
        1000
    );
}

#[test]
fn a_problem_has_at_most_a_million_configurations() {
    assert_eq!(
        decision_rows_error(
            "a,services.csv,acute,capacity,0,100,1\n\
             b,services.csv,community,capacity,0,100,1\n\
             c,services.csv,assessment,capacity,1,101,1\n\
             d,costs.csv,acute,rate,1,2,1\n"
        ),
        "{dir}/decisions.csv:4: column 'step': the decisions up to this one make 1030301 configurations, more than the 1000000 an optimisation may search; take larger steps or narrower ranges"
    );
}

#[test]
fn every_level_must_load_as_the_cell() {
    let error = decision_rows_error(
        "a,services.csv,acute,capacity,40,60,2.5\n\
         b,services.csv,community,capacity,-20,12,5\n\
         c,services.csv,assessment,capacity,+0,1e10,1e9\n\
         d,costs.csv,acute,rate,-100%,-200%,100\n\
         e,costs.csv,community,rate,0,1e13,1e11\n",
    );
    assert_eq!(
        error,
        "{dir}/decisions.csv:2: column 'step': min + step = 42.5 does not load: services.csv row 'acute' column 'capacity': expected a non-negative integer, found \"42.5\"\n\
         {dir}/decisions.csv:3: column 'min': min = -8 does not load: services.csv row 'community' column 'capacity': expected a non-negative integer, found \"-8\" (the result of \"-20\" applied to the baseline's \"12\")\n\
         {dir}/decisions.csv:4: column 'step': (max − min) / step = (10000000000 − 6) / 1000000000 = 9.999999994 is not a whole number: max must be min plus a whole number of steps\n\
         {dir}/decisions.csv:5: column 'max': max (-400) is less than min (0)\n\
         {dir}/decisions.csv:6: column 'max': max = 10000000000000 does not load: costs.csv row 'community' column 'rate': expected an amount of money from 0 to 10^12, found \"10000000000000\""
    );
}

#[test]
fn a_level_that_breaks_another_file_is_reported_with_that_file() {
    let error = decision_rows_error("p,routes.csv,frail/acute/exit,probability,0.5,0.55,0.05\n");
    assert_eq!(
        error,
        "{dir}/decisions.csv:2: column 'min': min = 0.5 does not load: {dir}/routes.csv:6: column 'probability': probabilities for class 'frail' leaving service 'acute' sum to 0.95, expected 1"
    );
}

#[test]
fn relative_bounds_need_a_number_in_the_baseline() {
    let error = decision_rows_error(
        "a,services.csv,assessment,queue_capacity,+0,+10,1\n\
         b,services.csv,acute,queue_capacity,0,+10,1\n\
         c,services.csv,community,capacity,+x,+10,1\n\
         d,services.csv,acute,capacity,40,lots,1\n\
         e,costs.csv,acute,rate,+1e400,+1,1\n",
    );
    assert_eq!(
        error,
        "{dir}/decisions.csv:2: column 'min': the relative value \"+0\" changes a number, but services.csv row 'assessment' column 'queue_capacity' holds \"unlimited\" in the baseline; give an absolute value\n\
         {dir}/decisions.csv:4: column 'min': expected an absolute value, or a change relative to the baseline: +N or -N (add or subtract), +N% or -N% (a percentage of the baseline), or *N (multiply), N a decimal number, found \"+x\"\n\
         {dir}/decisions.csv:5: column 'max': expected a number, or a change relative to the baseline's value: +N or -N (add or subtract), +N% or -N% (a percentage of it), or *N (multiply), found \"lots\"\n\
         {dir}/decisions.csv:6: column 'min': expected a change whose number has at most 18 significant digits and a decimal exponent from -60 to 60, found \"+1e400\""
    );
}

#[test]
fn a_relative_max_on_a_text_cell_is_refused() {
    assert_eq!(
        decision_rows_error("q,services.csv,assessment,queue_capacity,10,+10,1\n"),
        "{dir}/decisions.csv:2: column 'max': the relative value \"+10\" changes a number, but services.csv row 'assessment' column 'queue_capacity' holds \"unlimited\" in the baseline; give an absolute value"
    );
}

#[test]
fn a_ten_megabyte_field_is_quoted_short() {
    let long = "x".repeat(10 << 20);
    let error = decision_rows_error(&format!(
        "{long},services.csv,acute,capacity,40,60,{long}\n"
    ));
    assert_eq!(
        error,
        format!(
            "{{dir}}/decisions.csv:2: column 'decision': expected an id of at most 200 characters, found \"{x}\" (the first 60 of 10485760 characters)\n\
             {{dir}}/decisions.csv:2: column 'step': expected a number greater than 0, found \"{x}\" (the first 60 of 10485760 characters)",
            x = "x".repeat(60)
        )
    );
}

#[test]
fn a_baseline_that_does_not_load_comes_first_and_the_files_are_still_read() {
    let dir = scenario(
        Some("decision,file,row,column,min,max,step\nbeds,services.csv,acute,capacity,40,60,0\n"),
        Some(&format!(
            "{OBJECTIVES}objective,services,acute,arrivals,minimise,,,,\n"
        )),
    );
    std::fs::write(
        dir.path().join("classes.csv"),
        "id,priority\nfrail,high\nadult,1\n",
    )
    .unwrap();
    assert_eq!(
        error_in(&dir),
        "{dir}/classes.csv:2: column 'priority': expected a non-negative integer, found \"high\"\n\
         {dir}/decisions.csv:2: column 'step': expected a number greater than 0, found \"0\"\n\
         {dir}/objectives.csv:6: column 'scope': expected one of system, service, entry or finance, found \"services\""
    );
}

#[test]
fn roles_must_be_known_and_an_objective_given() {
    assert_eq!(
        objective_rows_error(
            "goal,finance,,capacity_costs,minimise,,,,5000\n\
             constraint,finance,trust,surplus,>=,0,,,\n"
        ),
        "{dir}/objectives.csv:2: column 'role': expected objective or constraint, found \"goal\""
    );
    assert_eq!(
        objective_rows_error("constraint,finance,trust,surplus,>=,0,,,\n"),
        "{dir}/objectives.csv:2: column 'role': no row is an objective: constraints alone do not say which configuration is best; add a row with role objective"
    );
}

#[test]
fn objective_rows_share_one_operator_confidence_and_indifference() {
    assert_eq!(
        objective_rows_error(
            "objective,finance,,capacity_costs,minimise,,,0.9,5000\n\
             objective,service,acute,delayed_bed_days,maximise,,300,,\n\
             objective,service,community,delayed_bed_days,minimise,,300,0.95,\n\
             objective,service,assessment,delayed_bed_days,minimise,,300,0.9,4000\n\
             objective,service,acute,arrivals,minimise,,1,0.9,5000\n"
        ),
        "{dir}/objectives.csv:3: column 'operator': the objective rows are summed into one objective, so they share one operator: line 2 gives minimise\n\
         {dir}/objectives.csv:4: column 'confidence': the objective's confidence is given on line 2 as 0.9: later objective rows leave it empty or repeat it\n\
         {dir}/objectives.csv:5: column 'indifference': the objective's indifference is given on line 2 as 5000: later objective rows leave it empty or repeat it"
    );
}

#[test]
fn the_indifference_zone_is_required_positive_and_finite() {
    let expected = |line: u32, found: &str| {
        format!(
            "{{dir}}/objectives.csv:{line}: column 'indifference': expected a number greater than 0: the indifference zone, the difference in the objective (in its units) worth telling apart, found \"{found}\""
        )
    };
    for found in ["", "0", "-5", "inf", "NaN", "1e400"] {
        assert_eq!(
            objective_rows_error(&format!(
                "objective,finance,,capacity_costs,minimise,,,,{found}\n"
            )),
            expected(2, found)
        );
    }
}

#[test]
fn weights_are_finite_and_not_zero() {
    assert_eq!(
        objective_rows_error(
            "objective,finance,,capacity_costs,minimise,,0,,5000\n\
             objective,service,acute,delayed_bed_days,minimise,,NaN,,\n\
             objective,service,acute,arrivals,minimise,,-inf,,\n"
        ),
        "{dir}/objectives.csv:2: column 'weight': expected a number other than 0: the weight of this statistic in the objective (empty for 1), found \"0\"\n\
         {dir}/objectives.csv:3: column 'weight': expected a number other than 0: the weight of this statistic in the objective (empty for 1), found \"NaN\"\n\
         {dir}/objectives.csv:4: column 'weight': expected a number other than 0: the weight of this statistic in the objective (empty for 1), found \"-inf\""
    );
}

#[test]
fn confidences_lie_strictly_between_a_half_and_one() {
    let confidence = |line: u32, found: &str| {
        format!(
            "{{dir}}/objectives.csv:{line}: column 'confidence': expected a number between 0.5 and 1, both excluded, such as 0.95 (empty for 0.95), found \"{found}\""
        )
    };
    assert_eq!(
        objective_rows_error(
            "objective,finance,,capacity_costs,minimise,,,1,5000\n\
             constraint,finance,trust,surplus,>=,0,,0.3,\n\
             constraint,finance,trust,surplus,>=,0,,0.5,\n"
        ),
        [
            confidence(2, "1"),
            confidence(3, "0.3"),
            confidence(4, "0.5")
        ]
        .join("\n")
    );
}

#[test]
fn constraints_need_a_finite_bound_and_no_weight_or_indifference() {
    assert_eq!(
        objective_rows_error(&format!(
            "{OBJECTIVE}\
             constraint,finance,trust,surplus,>=,,,,\n\
             constraint,finance,trust,surplus,>=,NaN,,,\n\
             constraint,finance,trust,surplus,<=,1e999,,,\n\
             constraint,finance,trust,surplus,<=,0,2,,10\n"
        )),
        "{dir}/objectives.csv:3: column 'bound': expected a number: the bound the statistic's mean must keep to, found \"\"\n\
         {dir}/objectives.csv:4: column 'bound': expected a number: the bound the statistic's mean must keep to, found \"NaN\"\n\
         {dir}/objectives.csv:5: column 'bound': expected a number: the bound the statistic's mean must keep to, found \"1e999\"\n\
         {dir}/objectives.csv:6: column 'weight': expected an empty cell: a constraint row has no weight (weights are for objective rows), found \"2\"\n\
         {dir}/objectives.csv:6: column 'indifference': expected an empty cell: a constraint row has no indifference zone (it is the objective's), found \"10\""
    );
}

#[test]
fn operators_follow_the_role() {
    assert_eq!(
        objective_rows_error(
            "objective,finance,,capacity_costs,<=,3,,,5000\n\
             constraint,finance,trust,surplus,maximise,0,,,\n\
             constraint,finance,trust,surplus,=,0,,,\n"
        ),
        "{dir}/objectives.csv:2: column 'operator': expected minimise or maximise (<= and >= are for constraint rows), found \"<=\"\n\
         {dir}/objectives.csv:2: column 'bound': expected an empty cell: an objective row has no bound (bounds are for constraint rows), found \"3\"\n\
         {dir}/objectives.csv:3: column 'operator': expected <= or >= (minimise and maximise are for objective rows), found \"maximise\"\n\
         {dir}/objectives.csv:4: column 'operator': expected <= or >= (minimise and maximise are for objective rows), found \"=\""
    );
}

#[test]
fn unknown_statistics_list_what_is_known() {
    let error = objective_rows_error(&format!(
        "{OBJECTIVE}\
         constraint,wards,acute,arrivals,<=,1,,,\n\
         constraint,service,icu,arrivals,<=,1,,,\n\
         constraint,entry,acute,patients,<=,1,,,\n\
         constraint,system,acute,arrived,<=,1,,,\n\
         constraint,service,acute,delayed_beddays,<=,1,,,\n\
         constraint,finance,council,surplus,>=,0,,,\n\
         constraint,finance,,profit,>=,0,,,\n\
         constraint,finance,trust,profit,>=,0,,,\n\
         constraint,service,ac\u{202e}ute,arrivals,<=,1,,,\n"
    ));
    let lines: Vec<&str> = error.lines().collect();
    assert_eq!(
        lines[..5],
        [
            "{dir}/objectives.csv:3: column 'scope': expected one of system, service, entry or finance, found \"wards\"",
            "{dir}/objectives.csv:4: column 'subject': expected a service: one of assessment, acute or community, found \"icu\"",
            "{dir}/objectives.csv:5: column 'subject': expected an entry service (one that arrivals, electives or readmissions enter): assessment, found \"acute\"",
            "{dir}/objectives.csv:6: column 'subject': expected an empty cell: a system statistic has no subject, found \"acute\"",
            "{dir}/objectives.csv:7: column 'kpi': expected a service statistic: one of arrivals, admissions, departures, diverted, cancelled, reneged, readmissions, mean_occupancy, max_occupancy, mean_capacity, share_time_full, mean_queue, max_queue, mean_wait_days, long_waits, p50_wait_days, p95_wait_days, mean_length_of_stay_days, delayed_bed_days, delayed_patients, delayed_bed_days_awaiting_place, delayed_bed_days_awaiting_funding, delayed_bed_days_awaiting_assessment, delayed_patients_awaiting_place, delayed_patients_awaiting_funding, delayed_patients_awaiting_assessment, escalation_days_open, escalation_bed_days, fit_patients, mean_fit_to_leave_days, mean_hours_used, mean_visits_used or utilisation, found \"delayed_beddays\"",
        ]
    );
    assert_eq!(
        lines[5],
        "{dir}/objectives.csv:8: column 'subject': expected an organisation, or an empty cell for the whole system: one of trust or community, found \"council\""
    );
    assert_eq!(
        lines[6],
        "{dir}/objectives.csv:9: column 'kpi': expected a money statistic of the whole system: one of funding, care_costs, capacity_costs, escalation_premium, surplus or unbalanced_transfers, found \"profit\""
    );
    assert!(
        lines[7].starts_with(
            "{dir}/objectives.csv:10: column 'kpi': expected a money statistic of an organisation: one of funding, care_costs,"
        ) && lines[7].ends_with("income, spending or surplus, found \"profit\""),
        "{}",
        lines[7]
    );
    assert_eq!(
        lines[8],
        "{dir}/objectives.csv:11: column 'subject': expected a service: one of assessment, acute or community, found \"ac\\u{202e}ute\""
    );
    assert_eq!(lines.len(), 9, "{error}");
}

#[test]
fn money_needs_a_scenario_with_money() {
    let dir = scenario(
        Some("decision,file,row,column,min,max,step\nbeds,services.csv,acute,capacity,40,60,5\n"),
        Some(OBJECTIVES),
    );
    std::fs::remove_file(dir.path().join("costs.csv")).unwrap();
    assert_eq!(
        error_in(&dir),
        "{dir}/objectives.csv:2: column 'scope': expected one of system, service or entry: the scenario has no costs, funding or contracts, so no money to name, found \"finance\"\n\
         {dir}/objectives.csv:5: column 'scope': expected one of system, service or entry: the scenario has no costs, funding or contracts, so no money to name, found \"finance\""
    );
}

#[test]
fn every_problem_in_both_files_is_listed() {
    let dir = scenario(
        Some(
            "decision,file,row,column,min,max,step\n\
             a,services.csv,acute,capacity,40,60,0\n\
             b,services.csv,nowhere,capacity,40,60,5\n",
        ),
        Some(
            "role,scope,kpi,operator,indifference\n\
             objective,system,arrived,minimise,\n",
        ),
    );
    assert_eq!(
        error_in(&dir),
        "{dir}/decisions.csv:2: column 'step': expected a number greater than 0, found \"0\"\n\
         {dir}/decisions.csv:3: column 'row': expected a row of services.csv, named by its id, found \"nowhere\"\n\
         {dir}/objectives.csv:2: column 'indifference': expected a number greater than 0: the indifference zone, the difference in the objective (in its units) worth telling apart, found \"\""
    );
}

#[test]
fn an_empty_file_lacks_its_columns() {
    assert_eq!(
        decisions_error(""),
        "{dir}/decisions.csv:1: missing column 'decision'\n\
         {dir}/decisions.csv:1: missing column 'file'\n\
         {dir}/decisions.csv:1: missing column 'row'\n\
         {dir}/decisions.csv:1: missing column 'column'\n\
         {dir}/decisions.csv:1: missing column 'min'\n\
         {dir}/decisions.csv:1: missing column 'max'\n\
         {dir}/decisions.csv:1: missing column 'step'"
    );
}

#[test]
fn malformed_rows_are_reported_without_a_false_no_objective() {
    assert_eq!(
        objective_rows_error(
            "objective,finance,,capacity_costs\nconstraint,finance,trust,surplus,>=,0,,,\n"
        ),
        "{dir}/objectives.csv:2: malformed CSV: expected 9 fields, as in the header, found 4"
    );
}

#[test]
fn optional_files_and_settings_are_addressed_like_other_cells() {
    // calendar.csv is absent: the row is not there. daily_series changes no statistic, so a
    // decision may name it, but its values are not numbers.
    assert_eq!(
        decision_rows_error(
            "winter,calendar.csv,acute/2026-12-01,capacity,40,60,5\n\
             series,settings.csv,daily_series,value,0,1,1\n"
        ),
        "{dir}/decisions.csv:2: column 'row': expected a row of calendar.csv, named by its service/from, found \"acute/2026-12-01\"\n\
         {dir}/decisions.csv:3: column 'min': min = 0 does not load: settings.csv row 'daily_series' column 'value': expected true or false, found \"0\""
    );
}

#[test]
fn a_relative_result_too_large_to_compute_is_refused() {
    assert_eq!(
        decision_rows_error("r,costs.csv,acute,rate,0,*1e60,1\n"),
        "{dir}/decisions.csv:2: column 'max': the relative value \"*1e60\" applied to \"400\" in costs.csv row 'acute' column 'rate' gives a number too large or too precise to compute exactly; give an absolute value"
    );
}
