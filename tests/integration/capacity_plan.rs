//! The bundled `capacity_plan` scenario poses an honest problem: under both of its policies
//! the cheapest corner of its decision grid misses the targets of `objectives.csv` by far and
//! the most generous corner meets them.

use crate::common::scenario_dir;
use careflow::scenario::Override;
use careflow::{Experiment, Kpi, Plan};

/// One override per row of the scenario's `decisions.csv`, setting each decision to its
/// `min` (or `max`) text as written: `Override` resolves relative text as the loader does.
fn corner(column: &str) -> Vec<Override> {
    let text = std::fs::read_to_string(scenario_dir("capacity_plan").join("decisions.csv"))
        .expect("capacity_plan has a decisions.csv");
    let rows: String = text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    let mut reader = csv::Reader::from_reader(rows.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            Override::new(
                &row[at("file")],
                &row[at("row")],
                &row[at("column")],
                &row[at(column)],
            )
        })
        .collect()
}

#[test]
fn the_cheapest_corner_misses_the_targets_and_the_most_generous_meets_them() {
    let mut experiment = Experiment::load(scenario_dir("capacity_plan")).unwrap();
    let policies: Vec<(String, Vec<Override>)> = std::iter::once(("baseline".to_owned(), vec![]))
        .chain(experiment.variants()[1..].iter().map(|v| {
            let policy = v
                .overrides
                .iter()
                .map(|o| Override::new(&o.file, &o.row, &o.column, &o.expression))
                .collect();
            (v.name.clone(), policy)
        }))
        .collect();
    assert_eq!(
        policies.len(),
        2,
        "the baseline and one fixed policy variant"
    );
    for (policy, overrides) in &policies {
        for (column, name) in [("min", "cheapest"), ("max", "most_generous")] {
            let mut all = overrides.clone();
            all.extend(corner(column));
            experiment
                .add_variant_overrides(&format!("{policy}_{name}"), &all)
                .unwrap();
        }
    }
    // The scenario's run is 548 days from a census: one replication each keeps this test
    // quick; the margins below are wide (README: the corners over 40 replications).
    let result = experiment.run(&Plan::replications(1));
    let model = experiment.baseline();
    let acute = model.service_id("acute").unwrap().index();
    let ed = model.service_id("ed").unwrap();
    for (name, runs) in result.names.iter().zip(&result.results) {
        let run = &runs[0];
        assert!(run.system.is_conserved(), "{name}: {:?}", run.system);
        let delayed = run.services[acute].value(Kpi::DelayedBedDays);
        let over_4h = run
            .entries
            .iter()
            .find(|e| e.service == ed)
            .unwrap()
            .share_over_threshold;
        // objectives.csv: ED share over 4 hours <= 0.38, acute delayed bed-days <= 1,500.
        if name.ends_with("_cheapest") {
            assert!(
                delayed > 20_000.0 && over_4h > 0.5,
                "{name}: {delayed} {over_4h}"
            );
        } else if name.ends_with("_most_generous") {
            assert!(
                delayed < 1_000.0 && over_4h < 0.38,
                "{name}: {delayed} {over_4h}"
            );
        }
    }
}
