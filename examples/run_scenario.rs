//! This example demonstrates the main job: run a scenario folder's replications, print a
//! readable summary and write tidy result CSVs.
//!
//! ```text
//! cargo run --release --example run_scenario -- [SCENARIO_DIR] [--out DIR] [--replications N] [--seed S]
//! ```
//!
//! With no scenario it runs the bundled default, `scenarios/baseline`. Results go to
//! `out/<scenario name>/` unless `--out` says otherwise.

use careflow::{Error, Model, Report, RunInfo, run_replications};
use clap::Parser;
use std::path::PathBuf;
use std::time::Instant;

/// Run a careflow scenario folder and write its results.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Scenario folder (default: the bundled baseline scenario).
    scenario: Option<PathBuf>,
    /// Output folder (default: out/<scenario name>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replications to run (default: the scenario's `replications` setting).
    #[arg(long)]
    replications: Option<u32>,
    /// Base seed (default: the scenario's `seed` setting).
    #[arg(long)]
    seed: Option<u64>,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), Error> {
    let dir = args
        .scenario
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline"));
    if !(args.level > 0.0 && args.level < 1.0) {
        return Err(Error::Usage(format!(
            "--level: expected a number between 0 and 1, found {}",
            args.level
        )));
    }
    let mut model = Model::load(&dir)?;
    if let Some(seed) = args.seed {
        model.settings_mut().seed = seed;
    }
    let replications = args.replications.unwrap_or(model.settings().replications);
    if replications == 0 {
        return Err(Error::Usage("--replications: expected at least 1".into()));
    }
    let name = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let out = args.out.unwrap_or_else(|| PathBuf::from("out").join(&name));

    let started = Instant::now();
    let results = run_replications(&model, replications);
    let seconds = started.elapsed().as_secs_f64();

    for r in &results {
        assert!(
            r.system.is_conserved(),
            "replication {}: patients not conserved: {:?}",
            r.replication,
            r.system
        );
    }
    let info = RunInfo {
        scenario: name,
        threads: rayon::current_num_threads(),
        seconds,
        level: args.level,
    };
    let report = Report::new(&model, &results, info);
    print!("{report}");
    let written = report.write_csv(&out)?;
    println!();
    for path in written {
        println!("wrote {}", path.display());
    }
    Ok(())
}
