//! The HTML report: one self-contained file with every chart, and notes where a chart cannot
//! be drawn. (scripts/check_report.sh opens it in a browser; this checks the file itself.)

use crate::common::scenario_dir;
use careflow::{Error, Experiment, Model, Plan, Report, RunInfo};

/// The bundled baseline, shortened, with the daily series on or off, and `variants` extra
/// variants (more community beds).
fn experiment(daily: bool, variants: u32) -> Experiment {
    // The scenario's own variants.csv is left out: only the variants added here.
    let mut experiment = Experiment::new(Model::load(scenario_dir("baseline")).unwrap());
    for i in 0..variants {
        let mut model = experiment.baseline().clone();
        let community = model.service_id("community").unwrap();
        model.set_capacity(community, 96 + 10 * i).unwrap();
        experiment
            .add_variant(&format!("community_{}", 96 + 10 * i), model)
            .unwrap();
    }
    for v in experiment.variants_mut() {
        let s = v.model.settings_mut();
        s.horizon_days = 150.0;
        s.warmup_days = 50.0;
        s.daily_series = daily;
    }
    experiment
}

fn write(experiment: &Experiment, replications: u32) -> (tempfile::TempDir, String) {
    let result = experiment.run(&Plan::replications(replications));
    let info = RunInfo {
        scenario: "baseline <short>".into(),
        level: 0.95,
    };
    let report = Report::new(experiment, &result, info);
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist yet: write_html creates it.
    let path = dir.path().join("reports").join("report.html");
    let written = report.write_html(&path).unwrap();
    assert_eq!(written, path);
    let html = std::fs::read_to_string(&path).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["report.html"], "no temporary file is left");
    (dir, html)
}

fn figures(html: &str) -> Vec<&str> {
    html.split("<figure class=\"chart\"").skip(1).collect()
}

#[test]
fn the_comparison_report_is_one_self_contained_file_with_every_chart() {
    let experiment = experiment(true, 2);
    let (_dir, html) = write(&experiment, 3);
    assert!(html.starts_with("<!DOCTYPE html>"));
    // The scenario name is escaped.
    assert!(html.contains("<h1>careflow report: baseline &lt;short&gt;</h1>"));
    assert!(html.contains("<strong>3 replications</strong>"));
    // The network diagram, seven services' occupancy (each variant beside the baseline), the
    // queues and delays over time of the services that had any, delays by awaited and by
    // holding service, the ED's arrival-to-leaving histogram and the forest plot.
    let figs = figures(&html);
    let flows = figs
        .iter()
        .filter(|f| f.starts_with(" id=\"chart-flow-"))
        .count();
    assert!(flows >= 2, "at least the ED's queue and acute's delays");
    assert_eq!(figs.len(), 1 + 7 + flows + 4, "{html}");
    assert!(html.contains(&format!("data-charts-expected=\"{}\"", figs.len())));
    for id in [
        "chart-network",
        "chart-occupancy-beside-acute",
        "chart-occupancy-beside-care_home",
        "chart-flow-ed",
        "chart-flow-acute",
        "chart-delays-awaiting",
        "chart-delays-held",
        "chart-waits-ed",
        "chart-forest",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    for fig in &figs {
        let svg = fig.find("<svg").expect("each figure holds an inline SVG");
        assert!(fig[svg..].contains("</svg>"));
        assert!(fig.contains("<figcaption>"));
    }
    // The comparison table and both variants' columns.
    assert!(html.contains("<table class=\"comparison\">"));
    assert!(html.contains("community_96<br>"));
    assert!(html.contains("community_106<br>"));
    assert_eq!(html.matches("<br><span class=\"sub\">").count(), 2);
    // Nothing to fetch: no links, images, imports or URLs other than the SVG namespace.
    for external in ["<link", "<img", " src=", "@import", "url("] {
        assert!(!html.contains(external), "found {external}");
    }
    let urls = html.matches("http").count();
    let namespaces = html.matches("http://www.w3.org/2000/svg").count();
    assert_eq!(urls, namespaces, "only SVG namespaces may look like URLs");
    // The render check hook is there, and it is the only script.
    assert_eq!(html.matches("<script>").count(), 1);
    assert!(html.contains("data-charts-ok"));
}

#[test]
fn without_the_daily_series_or_variants_the_report_says_what_it_leaves_out() {
    let experiment = experiment(false, 0);
    let (_dir, html) = write(&experiment, 2);
    assert!(!html.contains("chart-occupancy"));
    assert!(html.contains("The daily series was not recorded"));
    assert!(!html.contains("chart-forest"));
    assert!(!html.contains("Policy comparison"));
    // One variant: the per-service table.
    assert!(html.contains("<table class=\"services\">"));
    assert!(!html.contains("<table class=\"comparison\">"));
    // The network, delays by awaited and by holding service, and the ED's histogram.
    assert_eq!(figures(&html).len(), 4);
}

#[test]
fn a_folder_in_the_way_is_an_output_error() {
    let experiment = experiment(false, 0);
    let result = experiment.run(&Plan::replications(2));
    let info = RunInfo {
        scenario: "baseline".into(),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    let dir = tempfile::tempdir().unwrap();
    let in_the_way = dir.path().join("report.html");
    std::fs::create_dir(&in_the_way).unwrap();
    let error = report.write_html(&in_the_way).unwrap_err();
    assert!(
        matches!(&error, Error::Output { path, .. } if path == &in_the_way),
        "{error:?}"
    );
}
