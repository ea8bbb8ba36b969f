//! The printed comparison stays readable in a 100-column terminal whatever the number of
//! variants and however long their names (issue #19).

use crate::stability::town;
use careflow::{Experiment, Plan, Report, RunInfo};

#[test]
fn eight_variants_with_long_names_print_within_100_columns() {
    let mut variants = String::from("variant,file,row,column,value\n");
    let mut names = Vec::new();
    for i in 0..7 {
        let name = if i == 6 {
            // Longer than a whole line.
            format!("an_extremely_long_variant_name_{}", "x".repeat(120))
        } else {
            format!("community_beds_for_winter_pressures_option_{i}")
        };
        variants.push_str(&format!(
            "{name},services.csv,community_bed,capacity,{}\n",
            60 + i
        ));
        names.push(name);
    }
    let dir = town(0.1, ("community_bed", 60, 14.0), true, &variants);
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(3));
    let info = RunInfo {
        scenario: format!(
            "scenarios/{}",
            "a_scenario_folder_with_a_long_name_".repeat(4)
        ),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    let printed = report.to_string();
    for line in printed.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} chars: {line}\n{printed}",
            line.chars().count()
        );
    }
    // The old layout printed one line over 200 characters wide per statistic.
    assert!(printed.lines().count() > 20, "{printed}");
    // Every statistic is repeated in each block, with the baseline beside it.
    let occupancy = printed
        .lines()
        .filter(|l| l.starts_with("community_bed: mean occupancy"))
        .count();
    assert!(occupancy >= 3, "{printed}");
    // Each variant's name is printed whole, its heading wrapped within its column if need be.
    let joined: String = printed.split_whitespace().collect();
    for name in &names[..6] {
        assert!(
            printed.contains(name.as_str()) || joined.contains(name.as_str()),
            "{name}"
        );
    }
    // The HTML summary: tables of at most four variants, each with the statistic and baseline.
    let out = tempfile::tempdir().unwrap();
    let path = report.write_html(&out.path().join("report.html")).unwrap();
    let html = std::fs::read_to_string(path).unwrap();
    let tables: Vec<&str> = html
        .split("<table class=\"comparison\">")
        .skip(1)
        .map(|t| t.split("</table>").next().unwrap())
        .collect();
    assert_eq!(tables.len(), 2);
    for (table, variants) in tables.iter().zip([4, 3]) {
        assert!(table.contains("<th>statistic</th><th>baseline (mean)</th>"));
        assert_eq!(
            table
                .matches("<span class=\"sub\">− baseline</span>")
                .count(),
            variants
        );
    }
}

/// One variant (run_scenario's printout): the contracts scenario with a council and a service
/// named longer than a line, its care budget tight enough that patients wait for funding, so
/// that every part prints: the system, entry and discharge lines, the services, the delays by
/// reason, money by organisation and the care budget.
#[test]
fn one_variant_with_long_names_prints_within_100_columns() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&crate::common::scenario_dir("contracts"), dir.path());
    let council = format!("the_county_council_of_{}", "somewhere_far_away_".repeat(5));
    let beds = format!(
        "interim_discharge_to_assess_beds_{}",
        "of_the_community_trust_".repeat(4)
    );
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text
                .replace("county_council", &council)
                .replace("d2a_beds", &beds);
            std::fs::write(&path, text).unwrap();
        }
    }
    let mut model = careflow::Model::load(dir.path()).unwrap();
    model.settings_mut().horizon_days = 400.0;
    model.settings_mut().warmup_days = 30.0;
    let experiment = Experiment::new(model);
    let result = experiment.run(&Plan::replications(2));
    let info = RunInfo {
        scenario: "contracts".into(),
        level: 0.95,
    };
    let printed = Report::new(&experiment, &result, info).to_string();
    for part in [
        "system: arrived",
        "entry ed:",
        "discharge from acute:",
        "money, £",
        "care budget, £",
        // Wrapped across lines, being longer than one.
        "the_county_council_of_somewhere",
    ] {
        assert!(printed.contains(part), "{part} missing:\n{printed}");
    }
    // Warnings print whole, one to a line, for scripts that read them.
    for line in printed.lines().filter(|l| !l.starts_with("warning: ")) {
        assert!(
            line.chars().count() <= 100,
            "{} chars: {line}\n{printed}",
            line.chars().count()
        );
    }
}
