//! What an optimisation shows its user, from outcomes built by hand: the two CSV files
//! (exact), the printed summary, the HTML page with its charts, and hostile outcomes (nothing
//! feasible, names that need escaping, extreme values, numbers that are not finite, parts
//! that do not fit together); the files written into an output folder as one set; the
//! example's command line refused cleanly.

use crate::common::scenario_dir;
use crate::examples::example;
use careflow::optimise::{
    Bound, Constraint, ConstraintResult, Decision, Evaluation, Feasibility, Measure, Objective,
    Outcome, Phase, Problem, Progress, RunnerUp, Sense, Term, Verdict,
};
use careflow::report::{OptimisationReport, OutputFolder, check_decision_names, progress_text};
use careflow::{Error, Summary};
use std::path::Path;
use std::process::Command;

/// A summary at 95% of `n` replications with mean `mean` and half-width `half` (sd alike).
fn s(n: usize, mean: f64, half: Option<f64>) -> Summary {
    Summary {
        n,
        mean,
        sd: half.unwrap_or(0.0),
        half_width: half,
        level: 0.95,
    }
}

fn measure(scope: &str, subject: &str, kpi: &str) -> Measure {
    Measure {
        scope: scope.into(),
        subject: subject.into(),
        kpi: kpi.into(),
    }
}

fn decision(name: &str, min: f64, max: f64, step: f64) -> Decision {
    Decision {
        name: name.into(),
        file: "services.csv".into(),
        row: "ward".into(),
        column: "capacity".into(),
        min,
        max,
        step,
    }
}

/// Capacity costs plus £300 a delayed bed-day, with the ED's share over 4 hours at most 0.24.
fn problem(decisions: Vec<Decision>) -> Problem {
    Problem {
        decisions,
        objective: Objective {
            terms: vec![
                Term {
                    measure: measure("finance", "", "capacity_costs"),
                    weight: 1.0,
                },
                Term {
                    measure: measure("service", "ward", "delayed_bed_days"),
                    weight: 300.0,
                },
            ],
            sense: Sense::Minimise,
            indifference: 50_000.0,
            confidence: 0.95,
        },
        constraints: vec![Constraint {
            measure: measure("entry", "ed", "share_over_threshold"),
            bound: Bound::AtMost(0.24),
            confidence: 0.95,
        }],
    }
}

/// One evaluation: objective, its two terms, the constraint (mean, half-width, one-sided
/// bound, verdict) and the feasibility.
#[allow(clippy::too_many_arguments)]
fn evaluation(
    values: Vec<f64>,
    phase: Phase,
    n: u32,
    objective: (f64, Option<f64>),
    terms: [(f64, Option<f64>); 2],
    constraint: (f64, Option<f64>, f64, Verdict),
    feasibility: Feasibility,
) -> Evaluation {
    let k = n as usize;
    Evaluation {
        values,
        phase,
        replications: n,
        objective: s(k, objective.0, objective.1),
        terms: terms.iter().map(|t| s(k, t.0, t.1)).collect(),
        constraints: vec![ConstraintResult {
            summary: s(k, constraint.0, constraint.1),
            one_sided: constraint.2,
            verdict: constraint.3,
        }],
        feasibility,
    }
}

/// Beds 10, 20 and 30 searched (10 shown to fail the ED target, 30 on one replication
/// undecided), 20 and 30 through the selection: 20 chosen, 30 the runner-up. Every number
/// is exact in binary, so the files can be compared as text.
fn outcome() -> Outcome {
    use Feasibility::*;
    use Phase::*;
    use Verdict::*;
    Outcome {
        variant: "baseline".into(),
        problem: problem(vec![decision("beds", 10.0, 30.0, 10.0)]),
        method: "exhaustive",
        evaluations: vec![
            evaluation(
                vec![10.0],
                Search,
                2,
                (1_000_000.0, Some(20_000.0)),
                [(900_000.0, Some(10_000.0)), (333.5, Some(5.0))],
                (0.3125, Some(0.0625), 0.359375, Fails),
                Infeasible,
            ),
            evaluation(
                vec![20.0],
                Search,
                2,
                (1_100_000.0, Some(30_000.0)),
                [(1_050_000.0, Some(0.0)), (166.75, Some(2.5))],
                (0.1875, Some(0.03125), 0.2109375, Holds),
                Feasible,
            ),
            evaluation(
                vec![30.0],
                Search,
                1,
                (1_200_000.0, None),
                [(1_190_000.0, None), (33.25, None)],
                (0.125, None, 0.125, Verdict::Undecided),
                Feasibility::Undecided,
            ),
            evaluation(
                vec![20.0],
                Selection,
                10,
                (1_101_000.0, Some(5_000.0)),
                [(1_051_000.0, Some(1_000.0)), (166.5, Some(1.5))],
                (0.1875, Some(0.0078125), 0.1943359375, Holds),
                Feasible,
            ),
            evaluation(
                vec![30.0],
                Selection,
                10,
                (1_199_000.5, Some(4_000.0)),
                [(1_189_000.0, Some(2_000.0)), (33.5, Some(0.5))],
                (0.125, Some(0.0078125), 0.1318359375, Holds),
                Feasible,
            ),
        ],
        chosen: Some(3),
        runners_up: vec![RunnerUp {
            evaluation: 4,
            difference: s(10, 98_000.5, Some(3_000.0)),
        }],
        guarantee: careflow::optimise::Guarantee {
            probability: 0.9,
            feasibility: 0.95,
            indifference: 50_000.0,
            needed: 10,
            run: 10,
            met: true,
        },
        infeasible: None,
        replications: 25,
        exhaustive_replications: 30,
        seconds: 1.5,
        threads: 2,
    }
}

/// The same problem with nothing shown feasible.
fn infeasible_outcome() -> Outcome {
    let mut o = outcome();
    o.variant = "alliance".into();
    for e in &mut o.evaluations {
        e.constraints[0].verdict = Verdict::Fails;
        e.feasibility = Feasibility::Infeasible;
    }
    o.chosen = None;
    o.runners_up.clear();
    o.guarantee.met = false;
    o.infeasible = Some(
        "entry ed share_over_threshold <= 0.24 fails even at beds 30, where its best mean is 0.125 ± 0.008"
            .into(),
    );
    o
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// Writes the CSV files and the page into a fresh folder; returns it with the page's text.
fn write_all(report: &OptimisationReport<'_>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let written = report.write_csv(dir.path()).unwrap();
    assert_eq!(
        written,
        [
            dir.path().join("optimisation.csv"),
            dir.path().join("optimisation_choice.csv")
        ]
    );
    let page = report
        .write_html(&dir.path().join("optimisation.html"))
        .unwrap();
    let html = std::fs::read_to_string(page).unwrap();
    (dir, html)
}

/// The ring round the chosen configuration's point.
const CHOSEN_RING: &str = "r=\"9\" opacity=\"1\" fill=\"none\" stroke=\"#000000\"";

/// No text says NaN or infinity: whole words, so `infeasible` does not count.
fn assert_finite_text(text: &str, what: &str) {
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        assert!(
            !matches!(word, "NaN" | "inf" | "Infinity" | "nan"),
            "{what} writes {word}"
        );
    }
}

fn figures(html: &str) -> Vec<&str> {
    html.split("<figure class=\"chart\"").skip(1).collect()
}

#[test]
fn the_csv_files_hold_every_evaluation_and_the_choice_exactly() {
    let outcomes = [outcome()];
    let report = OptimisationReport::new("ward_plan", &outcomes).unwrap();
    let (dir, _) = write_all(&report);
    let c = "baseline,search,1,10,2,infeasible,false";
    let f = "baseline,search,2,20,2,feasible,true";
    let u = "baseline,search,3,30,1,undecided,false";
    let g = "baseline,selection,2,20,10,feasible,true";
    let h = "baseline,selection,3,30,10,feasible,false";
    let expected = [
        "variant,phase,configuration,beds,replications,feasible,chosen,role,scope,subject,kpi,weight,operator,bound,confidence,mean,low,high,level,one_sided,verdict".to_string(),
        format!("{c},objective,,,,,minimise,,0.95,1000000,980000,1020000,0.95,,"),
        format!("{c},term,finance,,capacity_costs,1,minimise,,,900000,890000,910000,0.95,,"),
        format!("{c},term,service,ward,delayed_bed_days,300,minimise,,,333.5,328.5,338.5,0.95,,"),
        format!("{c},constraint,entry,ed,share_over_threshold,,<=,0.24,0.95,0.3125,0.25,0.375,0.95,0.359375,fails"),
        format!("{f},objective,,,,,minimise,,0.95,1100000,1070000,1130000,0.95,,"),
        format!("{f},term,finance,,capacity_costs,1,minimise,,,1050000,1050000,1050000,0.95,,"),
        format!("{f},term,service,ward,delayed_bed_days,300,minimise,,,166.75,164.25,169.25,0.95,,"),
        format!("{f},constraint,entry,ed,share_over_threshold,,<=,0.24,0.95,0.1875,0.15625,0.21875,0.95,0.2109375,holds"),
        // One replication: no interval.
        format!("{u},objective,,,,,minimise,,0.95,1200000,,,0.95,,"),
        format!("{u},term,finance,,capacity_costs,1,minimise,,,1190000,,,0.95,,"),
        format!("{u},term,service,ward,delayed_bed_days,300,minimise,,,33.25,,,0.95,,"),
        format!("{u},constraint,entry,ed,share_over_threshold,,<=,0.24,0.95,0.125,,,0.95,0.125,undecided"),
        format!("{g},objective,,,,,minimise,,0.95,1101000,1096000,1106000,0.95,,"),
        format!("{g},term,finance,,capacity_costs,1,minimise,,,1051000,1050000,1052000,0.95,,"),
        format!("{g},term,service,ward,delayed_bed_days,300,minimise,,,166.5,165,168,0.95,,"),
        format!("{g},constraint,entry,ed,share_over_threshold,,<=,0.24,0.95,0.1875,0.1796875,0.1953125,0.95,0.1943359375,holds"),
        format!("{h},objective,,,,,minimise,,0.95,1199000.5,1195000.5,1203000.5,0.95,,"),
        format!("{h},term,finance,,capacity_costs,1,minimise,,,1189000,1187000,1191000,0.95,,"),
        format!("{h},term,service,ward,delayed_bed_days,300,minimise,,,33.5,33,34,0.95,,"),
        format!("{h},constraint,entry,ed,share_over_threshold,,<=,0.24,0.95,0.125,0.1171875,0.1328125,0.95,0.1318359375,holds"),
    ];
    assert_eq!(lines(&dir.path().join("optimisation.csv")), expected);
    assert_eq!(
        lines(&dir.path().join("optimisation_choice.csv")),
        [
            "variant,rank,status,configuration,beds,replications,objective_mean,objective_low,objective_high,difference_mean,difference_low,difference_high,level,guarantee_met,note",
            "baseline,1,chosen,2,20,10,1101000,1096000,1106000,,,,0.95,true,",
            "baseline,2,runner_up,3,30,10,1199000.5,1195000.5,1203000.5,98000.5,95000.5,101000.5,0.95,true,",
        ]
    );
}

#[test]
fn the_summary_prints_the_choice_constraints_runners_up_and_guarantee_in_100_columns() {
    let outcomes = [outcome()];
    let text = OptimisationReport::new("ward_plan", &outcomes)
        .unwrap()
        .to_string();
    let expected = [
        "ward_plan: capacity plan under variant 'baseline'",
        "  objective: minimise finance capacity_costs + 300 × service ward delayed_bed_days",
        "  exhaustive search of 3 configurations, then selection among 2 finalists; 25 replications; the same",
        "    guarantee over every configuration of the grid would need 30; 1.5 s on 2 threads.",
        "  chosen: beds 20 (10 replications)",
        "    objective: £1.101m (95% CI £1.096m to £1.106m)",
        "    entry ed share_over_threshold ≤ 0.24: 0.188 (95% CI 0.180 to 0.195); upper confidence bound",
        "      0.194: holds",
        "  runners-up, and the paired difference from the chosen in the objective:",
        "    beds 30: +£98k (95% CI +£95k to +£101k)",
        "  guarantee: with probability at least 90% the chosen configuration meets every constraint and has",
        "    an objective within £50.0k of the lowest among the finalists shown feasible (95% from the",
        "    objective's confidence less each constraint's risk; assuming normally distributed replication",
        "    means; see careflow::optimise::selection).",
    ];
    assert_eq!(text.lines().collect::<Vec<_>>(), expected, "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 100));
}

#[test]
fn the_page_has_a_chart_per_variant_and_decision_with_the_chosen_point_marked() {
    let mut two = outcome();
    two.problem
        .decisions
        .push(decision("d2a_beds", 0.0, 5.0, 2.5));
    for (i, e) in two.evaluations.iter_mut().enumerate() {
        e.values.push(if i % 2 == 0 { 0.0 } else { 2.5 });
    }
    let mut alliance = two.clone();
    alliance.variant = "alliance".into();
    let outcomes = [two, alliance];
    let report = OptimisationReport::new("ward <plan>", &outcomes).unwrap();
    let (dir, html) = write_all(&report);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h1>careflow optimisation: ward &lt;plan&gt;</h1>"));
    assert!(html.contains("data-charts-expected=\"4\""));
    let figures = figures(&html);
    assert_eq!(figures.len(), 4);
    for id in [
        "chart-objective-baseline-beds",
        "chart-objective-baseline-d2a_beds",
        "chart-objective-alliance-beds",
        "chart-objective-alliance-d2a_beds",
    ] {
        let figure = figures
            .iter()
            .find(|f| f.starts_with(&format!(" id=\"{id}\"")))
            .unwrap_or_else(|| panic!("no chart {id}"));
        // Three configurations, once each; the chosen one ringed and labelled; the feasible
        // range shaded and named in the legend.
        assert!(figure.contains("data-marks=\"3\""), "{id}");
        assert!(
            figure.contains(CHOSEN_RING) && figure.contains("\nchosen\n</text>"),
            "{id}"
        );
        assert!(figure.contains("feasible range"), "{id}");
        assert!(
            figure.contains("#1F77B4") && figure.contains("<circle"),
            "{id}"
        );
    }
    // The step 2.5 is written with its decimal; tables and the guarantee are there.
    assert!(html.contains("d2a_beds 2.5"), "the chosen values");
    assert!(html.contains("Guarantee: with probability at least 90%"));
    assert!(html.contains("<table class=\"choice\">") && html.contains("class=\"evaluations\""));
    // Self-contained, with the render check scripts/check_report.sh reads.
    assert!(html.contains("<pre id=\"render-check\" hidden></pre>"));
    for external in ["<link", "<img", " src=", "@import", "url(", "https://"] {
        assert!(!html.contains(external), "{external}");
    }
    assert!(
        html.split("http://")
            .skip(1)
            .all(|rest| rest.starts_with("www.w3.org/2000/svg"))
    );
    assert_finite_text(&html, "the page");
    assert_finite_text(
        &std::fs::read_to_string(dir.path().join("optimisation.csv")).unwrap(),
        "optimisation.csv",
    );
}

#[test]
fn an_infeasible_problem_writes_and_prints_which_constraint_fails() {
    let outcomes = [outcome(), infeasible_outcome()];
    let report = OptimisationReport::new("ward_plan", &outcomes).unwrap();
    let text = report.to_string();
    let message = "entry ed share_over_threshold <= 0.24 fails even at beds 30";
    assert!(
        text.contains("variant 'alliance'")
            && text.contains(
                "no configuration was shown to meet every constraint with the required \
                 confidence:\n    - entry ed"
            ),
        "{text}"
    );
    assert!(
        text.replace("\n   ", "").contains("fails even at beds 30"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 100));
    let (dir, html) = write_all(&report);
    let choice = lines(&dir.path().join("optimisation_choice.csv"));
    assert_eq!(choice.len(), 4);
    assert_eq!(
        choice[3],
        format!(
            "alliance,,infeasible,,,,,,,,,,,false,\"{message}, where its best mean is 0.125 ± 0.008\""
        )
    );
    let rows = lines(&dir.path().join("optimisation.csv"));
    assert!(
        rows.iter()
            .filter(|r| r.starts_with("alliance,"))
            .all(|r| r.contains(",infeasible,false,")),
        "nothing chosen under alliance"
    );
    assert!(html.contains(&message.replace('<', "&lt;")));
    let figures = figures(&html);
    assert_eq!(figures.len(), 2);
    assert!(figures[0].contains(CHOSEN_RING));
    assert!(!figures[1].contains(CHOSEN_RING) && !figures[1].contains("chosen\n</text>"));
    assert!(!figures[1].contains("feasible range"));
    assert!(figures[1].contains("data-colours=\"#D62728\""));
}

#[test]
fn names_with_commas_quotes_and_markup_are_escaped_in_csv_and_html() {
    let name = "beds, \"acute\" <b>&</b>";
    let mut o = outcome();
    o.variant = "plan \"B\", <i>".into();
    o.problem.decisions[0].name = name.into();
    let outcomes = [o];
    let report = OptimisationReport::new("ward_plan", &outcomes).unwrap();
    let (dir, html) = write_all(&report);
    for file in ["optimisation.csv", "optimisation_choice.csv"] {
        let mut reader = csv::Reader::from_path(dir.path().join(file)).unwrap();
        let headers = reader.headers().unwrap().clone();
        // After the key columns: variant, phase or rank, …, configuration.
        let keys = if file == "optimisation.csv" { 3 } else { 4 };
        assert_eq!(&headers[keys], name, "{file}");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(rows.iter().all(|r| &r[0] == "plan \"B\", <i>"), "{file}");
        assert!(rows.iter().all(|r| r.len() == headers.len()), "{file}");
    }
    assert!(html.contains("beds, &quot;acute&quot; &lt;b&gt;&amp;&lt;/b&gt;"));
    assert!(!html.contains("<b>&</b>") && !html.contains("<i>"));
    // The chart's id is made of safe characters.
    assert!(html.contains("id=\"chart-objective-plan__B____i_-beds___acute___b____b_\""));
}

#[test]
fn extreme_values_and_zero_variance_render_without_nan() {
    let mut o = outcome();
    o.problem.decisions[0] = decision("budget", 1e12, 3e12, 1e12);
    o.problem.objective.indifference = 1e9;
    for e in &mut o.evaluations {
        e.values[0] *= 1e11;
        e.objective = s(e.objective.n, e.objective.mean * 1e6, Some(0.0));
        e.terms[0] = s(e.objective.n, 1e12, Some(0.0));
        e.constraints[0].summary.half_width = Some(0.0);
        e.constraints[0].summary.sd = 0.0;
    }
    o.runners_up[0].difference = s(10, 0.0, Some(0.0));
    let outcomes = [o];
    let report = OptimisationReport::new("ward_plan", &outcomes).unwrap();
    let text = report.to_string();
    assert!(
        text.contains("objective: £1,101,000m (95% CI £1,101,000m to £1,101,000m)"),
        "{text}"
    );
    assert!(text.contains("chosen: budget 2,000,000,000,000"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 100));
    assert_finite_text(&text, "the summary");
    let (dir, html) = write_all(&report);
    assert_finite_text(&html, "the page");
    assert_eq!(figures(&html).len(), 1);
    let rows = lines(&dir.path().join("optimisation.csv"));
    assert!(
        rows[1].contains(",1000000000000,1000000000000,1000000000000,"),
        "{}",
        rows[1]
    );
    for file in ["optimisation.csv", "optimisation_choice.csv"] {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert_finite_text(&text, file);
    }
}

#[test]
fn outcomes_that_cannot_be_reported_are_refused_with_a_reason() {
    let refused = |outcomes: &[Outcome], expected: &str| {
        let e = OptimisationReport::new("ward_plan", outcomes).unwrap_err();
        assert!(matches!(e, Error::Outcome(_)), "{e:?}");
        let e = e.to_string();
        assert!(e.contains(expected), "{e}");
    };
    refused(&[], "no optimisation to report");
    refused(
        &[outcome(), outcome()],
        "variant 'baseline' is optimised twice",
    );
    let mut o = outcome();
    o.evaluations[1].objective.mean = f64::NAN;
    refused(
        &[o],
        "variant 'baseline': evaluation 2 (search): the objective: the mean is NaN, not a finite number",
    );
    let mut o = outcome();
    o.evaluations[4].terms[1].half_width = Some(f64::INFINITY);
    refused(
        &[o],
        "evaluation 5 (selection): service ward delayed_bed_days: the interval's half-width is inf",
    );
    let mut o = outcome();
    o.runners_up[0].difference.mean = f64::NEG_INFINITY;
    refused(
        &[o],
        "a runner-up's difference from the chosen: the mean is -inf",
    );
    let mut o = outcome();
    o.problem.objective.terms[1].weight = f64::MAX * 2.0;
    refused(&[o], "the weight of service ward delayed_bed_days is inf");
    let mut o = outcome();
    o.evaluations[0].values.push(1.0);
    refused(
        &[o],
        "evaluation 1 (search) has 2 decision values for 1 decisions",
    );
    let mut o = outcome();
    o.evaluations[2].terms.pop();
    refused(
        &[o],
        "evaluation 3 (search) has 1 objective terms for the objective's 2",
    );
    let mut o = outcome();
    o.evaluations[3].constraints.clear();
    refused(
        &[o],
        "evaluation 4 (selection) has 0 constraint results for 1 constraints",
    );
    let mut o = outcome();
    o.chosen = Some(5);
    refused(&[o], "the chosen configuration is evaluation 6, of 5");
    let mut o = outcome();
    o.runners_up[0].evaluation = 9;
    refused(&[o], "a runner-up is evaluation 10, of 5");
    let mut o = outcome();
    o.evaluations[0].objective.level = 1.0;
    refused(&[o], "the confidence level is 1, not between 0 and 1");
    let mut o = outcome();
    o.problem.decisions[0].name = "mean".into();
    refused(
        &[o.clone()],
        "decision 'mean': the name of a column of optimisation.csv",
    );
    assert!(check_decision_names(&o.problem).is_err());
    o.problem.decisions[0].name = "beds".into();
    o.problem.decisions.push(decision("beds", 1.0, 2.0, 1.0));
    let e = check_decision_names(&o.problem).unwrap_err().to_string();
    assert!(e.contains("decision 'beds' is named twice"), "{e}");
}

#[test]
fn a_long_decision_name_still_prints_within_100_columns() {
    let mut o = outcome();
    o.problem.decisions[0].name = format!("community_beds_{}", "x".repeat(150));
    let outcomes = [o];
    let text = OptimisationReport::new("ward_plan", &outcomes)
        .unwrap()
        .to_string();
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    assert!(text.replace(['\n', ' '], "").contains(&"x".repeat(150)));
}

#[test]
fn a_guarantee_not_met_is_said_in_every_output() {
    let mut o = outcome();
    o.guarantee.met = false;
    let outcomes = [o];
    let report = OptimisationReport::new("ward_plan", &outcomes).unwrap();
    let text = report.to_string();
    assert!(
        text.contains("guarantee: not met: the selection's second stage reached its most"),
        "{text}"
    );
    let (dir, html) = write_all(&report);
    assert!(html.contains("Guarantee: not met"));
    let choice = lines(&dir.path().join("optimisation_choice.csv"));
    assert!(
        choice[1].ends_with(",false,") && choice[2].ends_with(",false,"),
        "{choice:?}"
    );
}

#[test]
fn the_progress_line_shows_replications_and_the_best_feasible_so_far() {
    let problem = problem(vec![decision("beds", 10.0, 30.0, 10.0)]);
    let mut progress = Progress {
        replications: 12_345,
        evaluated: 17,
        phase: Phase::Search,
        best: None,
    };
    assert_eq!(
        progress_text(&problem, &progress),
        "search: 12,345 replications, 17 configurations; none shown feasible yet"
    );
    progress.best = Some((vec![20.0], 1_234_567.0));
    progress.phase = Phase::Selection;
    assert_eq!(
        progress_text(&problem, &progress),
        "selection: 12,345 replications, 17 configurations; best feasible £1.235m at beds 20"
    );
}

#[test]
fn the_files_go_into_the_output_folder_as_one_set() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let outcomes = [outcome()];
    let report = OptimisationReport::new("ward_plan", &outcomes).unwrap();
    let folder = OutputFolder::claim(&out, false).unwrap();
    report.write_csv(folder.staging()).unwrap();
    report
        .write_html(&folder.staging().join("optimisation.html"))
        .unwrap();
    folder.commit().unwrap();
    let snapshot = |dir: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let first = snapshot(&out);
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "optimisation.csv",
            "optimisation.html",
            "optimisation_choice.csv"
        ]
    );
    // The optimisation's files are results: a second run is refused without --overwrite.
    let e = OutputFolder::claim(&out, false).unwrap_err().to_string();
    assert!(e.contains("already holds results (optimisation.csv"), "{e}");

    // A write that fails half-way (the second file cannot be put in place, as with a full
    // disk) leaves the folder as it was.
    let infeasible = [infeasible_outcome()];
    let report = OptimisationReport::new("ward_plan", &infeasible).unwrap();
    let folder = OutputFolder::claim(&out, true).unwrap();
    std::fs::create_dir(folder.staging().join("optimisation_choice.csv")).unwrap();
    std::fs::write(folder.staging().join("optimisation_choice.csv/x"), "").unwrap();
    let e = report.write_csv(folder.staging()).unwrap_err().to_string();
    assert!(e.contains("optimisation_choice.csv: cannot write"), "{e}");
    drop(folder);
    assert_eq!(snapshot(&out), first);
    let left: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["out"], "no staging folder or lock is left");
}

/// Runs the optimise example with `args`; returns its exit code and standard error.
fn optimise_example(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(example("optimise"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code(), stderr)
}

#[test]
fn the_optimise_example_refuses_bad_command_lines_cleanly() {
    let baseline = scenario_dir("baseline");
    let baseline = baseline.to_str().unwrap();
    for (args, expected) in [
        (
            vec![baseline, "--first-stage", "1"],
            "--first-stage: expected at least 2 replications",
        ),
        (
            vec![baseline, "--max-replications", "5", "--first-stage", "10"],
            "--max-replications: expected at least --first-stage (10), found 5",
        ),
        (
            vec![baseline, "--finalists", "0"],
            "--finalists: expected at least 1",
        ),
        (
            vec![baseline, "--threads", "0"],
            "--threads: expected at least 1",
        ),
        (
            vec![baseline, "--variant", "x", "--variant", "x"],
            "--variant: 'x' is given twice",
        ),
        (
            vec![baseline, "--variant", "no_such_policy"],
            "--variant: no variant 'no_such_policy' in",
        ),
        (vec!["/no/such/scenario"], "/no/such/scenario"),
    ] {
        let (code, stderr) = optimise_example(&args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(expected),
            "{args:?}: {stderr}"
        );
    }
    // clap's own refusals: exit code 2, with usage.
    let (code, stderr) = optimise_example(&[baseline, "--all-variants", "--variant", "x"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
    let (code, stderr) = optimise_example(&[baseline, "--first-stage", "-3"]);
    assert_eq!(code, Some(2), "{stderr}");
}
