//! The daily series and counts behind the report's charts (queues, delays and waits for
//! funding over time; patients still in the emergency department at the end), and the HTML
//! report's charts of them: present where there is something to draw, and a note saying why
//! where there is not.

use crate::common::{copy_dir, scenario_dir};
use careflow::{Experiment, Model, Plan, Report, RunInfo, run_replication};

/// The bundled contracts scenario over 230 days (30 of warm-up), daily series on, the
/// council's care budget cut to £20m a year so that patients soon wait for funding.
fn short_of_funding() -> (tempfile::TempDir, Model) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&scenario_dir("contracts"), dir.path());
    std::fs::write(
        dir.path().join("settings.csv"),
        "key,value\nstart_date,2026-04-01\nhorizon_days,230\nwarmup_days,30\nseed,5\n\
         replications,2\nwait_threshold_hours,4\ndaily_series,true\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("funding.csv"),
        "organisation,annual,care_budget\nicb,178700000,\ncounty_council,20000000,20000000\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("variants.csv")).unwrap();
    let model = Model::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    (dir, model)
}

#[test]
fn the_daily_wait_for_funding_adds_up_to_the_awaiting_funding_bed_days() {
    let (_dir, model) = short_of_funding();
    let r = run_replication(&model, 0);
    let days = 230;
    assert_eq!(r.daily.len(), days * model.services().len());
    let mut waited = 0.0;
    for s in &r.services {
        let daily: Vec<f64> = r
            .daily
            .iter()
            .filter(|d| d.service == s.service && d.day >= 30)
            .map(|d| d.delayed_awaiting_funding)
            .collect();
        assert_eq!(daily.len(), 200);
        assert!(daily.iter().all(|&v| v >= 0.0 && v.is_finite()));
        // Daily means over whole days: their sum is the bed-days over the window.
        let sum: f64 = daily.iter().sum();
        assert!(
            (sum - s.delayed_bed_days_awaiting_funding).abs()
                < 1e-6 * s.delayed_bed_days_awaiting_funding.max(1.0),
            "{:?}: {sum} vs {}",
            s.service,
            s.delayed_bed_days_awaiting_funding
        );
        waited += sum;
    }
    assert!(
        waited > 0.0,
        "the cut budget makes patients wait for funding"
    );
}

#[test]
fn the_daily_file_has_the_wait_for_funding() {
    let (_dir, model) = short_of_funding();
    let experiment = Experiment::new(model);
    let result = experiment.run(&Plan::replications(2));
    let report = Report::new(
        &experiment,
        &result,
        RunInfo {
            scenario: "short_of_funding".into(),
            level: 0.95,
        },
    );
    let out = tempfile::tempdir().unwrap();
    report.write_csv(out.path()).unwrap();
    let daily = std::fs::read_to_string(out.path().join("daily.csv")).unwrap();
    let measures = [
        "occupancy",
        "queue",
        "delayed",
        "delayed_awaiting_place",
        "delayed_awaiting_funding",
        "delayed_awaiting_assessment",
    ];
    assert_eq!(daily.lines().count(), 1 + 230 * 8 * measures.len());
    let waiting: Vec<f64> = daily
        .lines()
        .filter(|l| l.contains(",acute,delayed_awaiting_funding,"))
        .map(|l| l.split(',').nth(5).unwrap().parse().unwrap())
        .collect();
    assert_eq!(waiting.len(), 230);
    assert!(waiting.iter().any(|&v| v > 0.0));

    // The report draws the wait for funding at the acute hospital, in its own panel.
    let path = out.path().join("report.html");
    report.write_html(&path).unwrap();
    let html = std::fs::read_to_string(&path).unwrap();
    let flow = html
        .split("<figure class=\"chart\" id=\"chart-flow-acute\"")
        .nth(1)
        .expect("a flow chart for acute")
        .split("</figure>")
        .next()
        .unwrap();
    assert!(flow.contains("patients awaiting funding"));
    assert!(flow.contains("delayed patients"));
}

#[test]
fn every_emergency_arrival_left_was_diverted_or_was_still_there_at_the_end() {
    let mut model = Model::load(scenario_dir("baseline")).unwrap();
    let s = model.settings_mut();
    (s.horizon_days, s.warmup_days) = (60.5, 0.0);
    let ed = model.service_id("ed").unwrap();
    for replication in 0..3 {
        let r = run_replication(&model, replication);
        let entry = r.entries.iter().find(|e| e.service == ed).unwrap();
        let service = &r.services[ed.index()];
        // With no warm-up, the department's arrivals are the patients it counted (who
        // left), those still in it at the end (not counted) and those turned away.
        assert_eq!(
            service.arrivals,
            entry.patients + entry.still_inside + service.diverted,
            "replication {replication}"
        );
        assert!(
            entry.still_inside > 0,
            "mid-day, the department is not empty"
        );
        assert!(entry.still_inside_over_threshold <= entry.still_inside);
        assert_eq!(entry.time_histogram.iter().sum::<u64>(), entry.patients);
    }
}

/// The bundled baseline over 150 days (50 of warm-up) with `variants` variants (more
/// community beds), the daily series on or off in each as `daily` says (baseline first).
fn baseline_with(variants: u32, daily: &[bool]) -> Experiment {
    let mut experiment = Experiment::new(Model::load(scenario_dir("baseline")).unwrap());
    for i in 0..variants {
        let mut model = experiment.baseline().clone();
        let community = model.service_id("community").unwrap();
        model.set_capacity(community, 96 + 10 * i).unwrap();
        experiment
            .add_variant(&format!("community_{}", 96 + 10 * i), model)
            .unwrap();
    }
    for (v, on) in experiment.variants_mut().iter_mut().zip(daily) {
        let s = v.model.settings_mut();
        (s.horizon_days, s.warmup_days, s.daily_series) = (150.0, 50.0, *on);
    }
    experiment
}

fn html_of(experiment: &Experiment) -> String {
    let result = experiment.run(&Plan::replications(2));
    let report = Report::new(
        experiment,
        &result,
        RunInfo {
            scenario: "baseline".into(),
            level: 0.95,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    report.write_html(&path).unwrap();
    std::fs::read_to_string(path).unwrap()
}

fn chart_ids(html: &str) -> Vec<&str> {
    html.split("<figure class=\"chart\" id=\"")
        .skip(1)
        .map(|f| f.split('"').next().unwrap())
        .collect()
}

#[test]
fn with_variants_each_service_has_its_occupancy_beside_the_baselines_and_its_flow() {
    let html = html_of(&baseline_with(2, &[true, true, true]));
    let ids = chart_ids(&html);
    for service in [
        "ed",
        "amu",
        "acute",
        "community",
        "reablement",
        "home_care",
        "care_home",
    ] {
        assert!(
            ids.contains(&format!("chart-occupancy-beside-{service}").as_str()),
            "{ids:?}"
        );
        // The baseline's own occupancy charts would repeat what every panel shows.
        assert!(!ids.contains(&format!("chart-occupancy-{service}").as_str()));
    }
    for service in ["ed", "acute"] {
        assert!(
            ids.contains(&format!("chart-flow-{service}").as_str()),
            "{ids:?}"
        );
    }
    // Services where nobody queued, was delayed or awaited funding are named, not dropped.
    let quiet: Vec<&str> = ["amu", "community", "reablement", "home_care", "care_home"]
        .into_iter()
        .filter(|s| !ids.contains(&format!("chart-flow-{s}").as_str()))
        .collect();
    if !quiet.is_empty() {
        let note = html
            .split("<p class=\"small\">No chart for ")
            .nth(1)
            .unwrap();
        let note = note.split("</p>").next().unwrap();
        for s in quiet {
            assert!(note.contains(&format!("<code>{s}</code>")), "{s}: {note}");
        }
    }
    // No money in the baseline: no panel of patients awaiting funding, and the captions
    // say so.
    assert!(
        html.split(" No panel for ")
            .skip(1)
            .filter_map(|s| s.split(": 0 every day.").next())
            .any(|s| s.contains("patients awaiting funding")),
        "no caption says the wait for funding was 0 every day"
    );
    assert!(!html.contains(">\npatients awaiting funding\n<"));
    assert_eq!(
        html.matches("<figure class=\"chart\"").count().to_string(),
        html.split("data-charts-expected=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
    );
}

#[test]
fn without_a_daily_series_the_report_says_why_its_charts_over_time_are_missing() {
    // No variant has a daily series: the comparison still has its forest plot.
    let html = html_of(&baseline_with(1, &[false, false]));
    let ids = chart_ids(&html);
    assert!(
        ids.iter()
            .all(|id| !id.starts_with("chart-occupancy") && !id.starts_with("chart-flow"))
    );
    assert!(ids.contains(&"chart-forest"));
    assert!(html.contains("so there are no occupancy charts"));
    assert!(html.contains(
        "so there are no charts of queues, delayed patients and patients awaiting funding"
    ));

    // Only the variant lacks it: it is named as left out of the charts over time.
    let html = html_of(&baseline_with(2, &[true, false, true]));
    let ids = chart_ids(&html);
    assert!(ids.contains(&"chart-occupancy-beside-acute"));
    assert!(ids.contains(&"chart-flow-acute"));
    assert!(html.contains(
        "Left out of these charts, because their daily series was not recorded (<code>daily_series</code> off): <code>community_96</code>."
    ));
    let beside = html
        .split("id=\"chart-occupancy-beside-acute\"")
        .nth(1)
        .unwrap()
        .split("</figure>")
        .next()
        .unwrap();
    assert!(beside.contains("community_106") && !beside.contains("community_96"));

    // Only the baseline lacks it: nothing to set the variants beside.
    let html = html_of(&baseline_with(1, &[false, true]));
    assert!(html.contains("so there are no occupancy charts"));
    assert!(html.contains("so there are no charts of queues"));
}
