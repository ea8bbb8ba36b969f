//! The example programs, run as a user runs them.

use crate::common::scenario_dir;
use std::path::PathBuf;
use std::process::Command;

/// The example binary built by `cargo test` next to this test binary.
pub(crate) fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary has a path");
    let deps = exe
        .parent()
        .expect("test binaries live in target/<profile>/deps");
    let path = deps
        .parent()
        .expect("deps has a parent")
        .join("examples")
        .join(name);
    assert!(
        path.exists(),
        "{} not built: run the tests with cargo test, which builds examples",
        path.display()
    );
    path
}

fn read_csv(path: &std::path::Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows = reader.records().collect::<Result<Vec<_>, _>>().unwrap();
    (headers, rows)
}

#[test]
fn run_scenario_runs_the_default_scenario_and_writes_parseable_csvs() {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(example("run_scenario"))
        .args(["--replications", "2", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("baseline: 2 replications"), "{stdout}");
    for (file, columns) in [
        (
            "replications.csv",
            "variant,replication,scope,service,awaiting,kpi,value",
        ),
        (
            "summary.csv",
            "variant,scope,service,awaiting,kpi,n,mean,sd,ci_low,ci_high,level",
        ),
        ("daily.csv", "variant,day,date,service,measure,mean,p10,p90"),
        ("run.csv", "key,value"),
    ] {
        let (headers, rows) = read_csv(&out.path().join(file));
        assert_eq!(
            headers.iter().collect::<Vec<_>>().join(","),
            columns,
            "{file}"
        );
        assert!(!rows.is_empty(), "{file} has no rows");
    }
    // Summary values parse as numbers and the replications file has both replications.
    let (_, rows) = read_csv(&out.path().join("summary.csv"));
    for row in &rows {
        row[6].parse::<f64>().unwrap();
    }
    let (_, rows) = read_csv(&out.path().join("replications.csv"));
    assert!(rows.iter().any(|r| &r[1] == "1"));
    // run_scenario runs the scenario as written, not its variants.
    assert!(rows.iter().all(|r| &r[0] == "baseline"));
    assert!(!out.path().join("comparison.csv").exists());
    // No temporary files are left behind.
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let name = entry.unwrap().file_name();
        assert!(
            !name.to_string_lossy().ends_with(".tmp"),
            "{name:?} left behind"
        );
    }
}

#[test]
fn run_scenario_reports_a_bad_scenario_without_panicking() {
    let output = Command::new(example("run_scenario"))
        .arg(scenario_dir("no_such_scenario"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("settings.csv"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn compare_policies_runs_every_variant_and_writes_the_comparison() {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(example("compare_policies"))
        .args(["--replications", "2", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The variant's column: its name over "− baseline", right-aligned.
    let lines: Vec<&str> = stdout.lines().collect();
    let heading = lines
        .iter()
        .position(|l| l.contains("community_plus_20") && !l.contains(':'))
        .unwrap_or_else(|| panic!("{stdout}"));
    let at = lines[heading].find("community_plus_20").unwrap() + "community_plus_20".len();
    let end = lines[heading][..at].chars().count();
    let under: String = lines[heading + 1].chars().take(end).collect();
    assert!(under.ends_with("− baseline"), "{stdout}");
    // The bundled variants' relative values, resolved against the baseline, printed and written.
    assert!(
        stdout.contains(
            "community_plus_20: services.csv row 'community' column 'capacity': 86 → 106 (+20)\n"
        ),
        "{stdout}"
    );
    let (headers, rows) = read_csv(&out.path().join("variants_effective.csv"));
    assert_eq!(
        headers.iter().collect::<Vec<_>>().join(","),
        "variant,file,row,column,baseline,expression,effective"
    );
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        [
            "community_plus_20",
            "services.csv",
            "community",
            "capacity",
            "86",
            "+20",
            "106"
        ]
    );
    let (headers, rows) = read_csv(&out.path().join("comparison.csv"));
    assert_eq!(
        headers.iter().collect::<Vec<_>>().join(","),
        "variant,baseline,scope,service,awaiting,kpi,n,baseline_mean,variant_mean,difference,sd,ci_low,ci_high,level"
    );
    let variants: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(
        variants.into_iter().collect::<Vec<_>>(),
        [
            "community_plus_20",
            "no_winter_beds",
            "reablement_plus_10pct",
            "shorter_reablement"
        ]
    );
    let (headers, rows) = read_csv(&out.path().join("daily.csv"));
    assert_eq!(
        headers.iter().collect::<Vec<_>>().join(","),
        "variant,day,date,service,measure,mean,p10,p90"
    );
    for row in rows.iter().take(100) {
        let (mean, p10, p90): (f64, f64, f64) = (
            row[5].parse().unwrap(),
            row[6].parse().unwrap(),
            row[7].parse().unwrap(),
        );
        assert!(p10 <= mean + 1e-9 && mean <= p90 + 1e-9, "{row:?}");
    }
}

#[test]
fn compare_policies_refuses_a_statistic_that_does_not_exist() {
    let output = Command::new(example("compare_policies"))
        .args(["--precision", "service:icu:mean_occupancy"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--precision: no statistic \"service:icu:mean_occupancy\""),
        "{stderr}"
    );
}

#[test]
fn run_scenario_suggests_a_warmup() {
    let output = Command::new(example("run_scenario"))
        .arg(scenario_dir("erlang_c_ward"))
        .args(["--replications", "2", "--suggest-warmup", "ward"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.starts_with("ward: MSER-5 on 2 pilot replications"),
        "{stdout}"
    );
}

#[test]
fn run_scenario_refuses_a_folder_with_results_unless_told_to_overwrite() {
    let out = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        Command::new(example("run_scenario"))
            .arg(scenario_dir("erlang_b_ward"))
            .args(["--replications", "2", "--out"])
            .arg(out.path())
            .args(extra)
            .output()
            .unwrap()
    };
    // An empty folder (like CI's fresh mktemp -d) is fine; so is a file of the user's own.
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    let first = run(&[]);
    assert!(first.status.success(), "{first:?}");
    let summary = std::fs::read(out.path().join("summary.csv")).unwrap();

    // Again: refused before anything runs, the earlier results untouched.
    let second = run(&["--seed", "99"]);
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: {} already holds results (replications.csv, summary.csv, run.csv); pass --overwrite to replace them, or --out another folder",
            out.path().display()
        )
    );
    assert_eq!(
        std::fs::read(out.path().join("summary.csv")).unwrap(),
        summary
    );

    // With --overwrite the results are replaced, and results of the earlier run that this
    // one does not write (a report.html) are removed rather than left beside them.
    std::fs::write(out.path().join("report.html"), "<p>earlier run</p>").unwrap();
    let third = run(&["--seed", "99", "--overwrite"]);
    assert!(third.status.success(), "{third:?}");
    assert_ne!(
        std::fs::read(out.path().join("summary.csv")).unwrap(),
        summary
    );
    assert!(!out.path().join("report.html").exists());
    assert_eq!(
        std::fs::read_to_string(out.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn compare_policies_refuses_a_folder_with_results_before_running() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("comparison.csv"), "variant\n").unwrap();
    let output = Command::new(example("compare_policies"))
        .args(["--replications", "2", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("already holds results (comparison.csv); pass --overwrite"),
        "{stderr}"
    );
    // Refused before running: no progress, no new files.
    assert!(!stderr.contains("variants ×"), "{stderr}");
    assert!(!out.path().join("summary.csv").exists());
}
