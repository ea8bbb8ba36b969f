//! The HTML report's money section: the contracts scenario, shortened, with and without its
//! variants; its table holds the report's own money summaries, and a scenario without money
//! has no money section. (The chart data are checked against the report in
//! `src/report/chart.rs`; scripts/check_report.sh opens the page in a browser.)

use crate::common::scenario_dir;
use careflow::{Experiment, Model, Plan, Report, RunInfo, Summary};

/// Shortens every variant to `horizon` days, `warmup` of them warm-up. From 2026-04-01, 500
/// days with 135 of warm-up observe financial years 2026-27 and 2027-28; with 365 of warm-up,
/// 2027-28 alone.
fn shorten(experiment: &mut Experiment, horizon: f64, warmup: f64) {
    for v in experiment.variants_mut() {
        let s = v.model.settings_mut();
        s.horizon_days = horizon;
        s.warmup_days = warmup;
        s.daily_series = false;
    }
}

fn html(experiment: &Experiment, replications: u32) -> (String, String) {
    let result = experiment.run(&Plan::replications(replications));
    let info = RunInfo {
        scenario: "contracts".into(),
        level: 0.95,
    };
    let report = Report::new(experiment, &result, info);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    report.write_html(&path).unwrap();
    let page = std::fs::read_to_string(&path).unwrap();
    // The money table's rows, as the report summarises them (£m, two decimals); none
    // without money.
    let mut rows = String::new();
    if report
        .keys()
        .iter()
        .all(|k| k.scope != careflow::report::Scope::Finance)
    {
        return (page, rows);
    }
    let year = if experiment.baseline().settings().warmup_days < 365.0 {
        "all"
    } else {
        "2027-28"
    };
    let cell = |s: &Summary| {
        let text = format!("{:.2} ± {:.2}", s.mean / 1e6, s.half_width.unwrap() / 1e6);
        format!("<td>{}</td>", text.replace('-', "−"))
    };
    for organisation in ["acute_trust", "county_council", "icb"] {
        let get = |kpi| report.finance("baseline", year, organisation, kpi).unwrap();
        rows.push_str(&format!(
            "<tr><td>{organisation}</td>{}{}",
            cell(get("income")),
            cell(get("spending"))
        ));
        rows.push('\n');
    }
    (page, rows)
}

fn figure_ids(html: &str) -> Vec<&str> {
    html.split("<figure class=\"chart\" id=\"")
        .skip(1)
        .map(|f| &f[..f.find('"').unwrap()])
        .collect()
}

#[test]
fn the_comparison_report_has_money_by_organisation_and_each_variants_change_in_surplus() {
    let mut experiment = Experiment::load(scenario_dir("contracts")).unwrap();
    shorten(&mut experiment, 500.0, 135.0);
    let (page, rows) = html(&experiment, 3);
    let ids = figure_ids(&page);
    // The network, delays both ways, the ED histogram, money, the money forest, the surplus in
    // each replication, the headline forest.
    assert_eq!(
        ids,
        [
            "chart-network",
            "chart-delays-awaiting",
            "chart-delays-held",
            "chart-waits-ed",
            "chart-money",
            "chart-money-forest",
            "chart-surplus-spread",
            "chart-forest"
        ],
        "{page}"
    );
    assert!(page.contains("data-charts-expected=\"8\""));
    assert!(page.contains("<a href=\"#money\">Money</a>"));
    assert!(page.contains("<section id=\"money\">"));
    assert!(page.contains("financial years 2026-27 to 2027-28 (365 days observed)"));
    assert!(page.contains("<table class=\"money\">"));
    assert!(page.contains("<th>income (£m)</th>"));
    for row in rows.lines() {
        assert!(page.contains(row), "{row} missing");
    }
    // Transfers net to zero in the system, and the page says so.
    assert!(page.contains("they come to £0 (mean across replications"));
    // One colour per variant on the money forest plot: a panel per organisation and one for
    // the whole system, each with a line per variant.
    let forest = page.split("id=\"chart-money-forest\"").nth(1).unwrap();
    let forest = &forest[..forest.find("</figure>").unwrap()];
    for label in ["acute_trust", "county_council", "whole system"] {
        assert!(
            forest.contains(&format!(">\n{label}\n<")),
            "{label} panel missing"
        );
    }
    for variant in ["pbr_d2a", "council_cut", "block_d2a"] {
        assert_eq!(
            forest.matches(&format!(">\n{variant}\n<")).count(),
            6,
            "{variant}: a line in each of the six panels"
        );
    }
    let colours = forest.split('"').nth(1).unwrap();
    assert_eq!(colours.split(' ').count(), 7, "{colours}");
}

#[test]
fn a_single_variant_report_has_the_money_chart_of_its_one_year_and_no_forest() {
    let mut experiment = Experiment::new(Model::load(scenario_dir("contracts")).unwrap());
    shorten(&mut experiment, 500.0, 365.0);
    let (page, rows) = html(&experiment, 2);
    assert!(page.contains("id=\"chart-money\""));
    assert!(!page.contains("chart-money-forest"));
    assert!(!page.contains("chart-forest"));
    assert!(page.contains("Money by organisation, financial year 2027-28 (baseline)"));
    assert!(page.contains("in financial year 2027-28 (135 days observed)"));
    for row in rows.lines() {
        assert!(page.contains(row), "{row} missing");
    }
}

#[test]
fn a_scenario_without_money_has_no_money_section() {
    let mut experiment = Experiment::new(Model::load(scenario_dir("baseline")).unwrap());
    shorten(&mut experiment, 150.0, 50.0);
    let (page, _) = html(&experiment, 2);
    assert!(!page.contains("id=\"money\""));
    assert!(!page.contains("chart-money"));
}
