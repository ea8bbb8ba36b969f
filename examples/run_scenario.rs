//! This example demonstrates the main job: run a scenario folder's replications, print a
//! readable summary and write tidy result CSVs. It runs the scenario as written; to compare
//! its policy variants use the `compare_policies` example.
//!
//! ```text
//! cargo run --release --example run_scenario -- [SCENARIO_DIR] [--out DIR] [--overwrite]
//!     [--replications N] [--seed S] [--html]
//!     [--events FILE] [--episodes FILE] [--log-replications 0,3]
//! ```
//!
//! With no scenario it runs the bundled default, `scenarios/baseline`. Results go to
//! `out/<scenario name>/` unless `--out` says otherwise; `--html` adds `report.html`, the
//! tables and charts in one self-contained file. A folder that already holds results is
//! refused before anything runs, unless `--overwrite` says to replace them.
//!
//! `--events FILE` writes the patient-level event log of the replications `--log-replications`
//! chooses (default 0), and `--episodes FILE` one replication's episodes, in the schema the
//! `fit_scenario` example reads (see careflow's `event_log` and `episodes` modules).

use careflow::{Error, Experiment, Model, Plan, Report, RunInfo, suggest_warmup};
use clap::Parser;
use std::path::PathBuf;

#[macro_use]
mod support;

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
    // Negative numbers are taken as values, so that our range check explains a bad level.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    level: f64,
    /// Instead of running, suggest a warm-up by MSER-5 from a pilot run (the scenario's
    /// replications, no warm-up) of this service's daily occupancy.
    #[arg(long, value_name = "SERVICE")]
    suggest_warmup: Option<String>,
    /// Also write report.html into the output folder: the summary tables and charts in one
    /// self-contained HTML file, readable offline.
    #[arg(long)]
    html: bool,
    /// Replace the results already in the output folder. Without it, a folder that holds
    /// result files (replications.csv, summary.csv, comparison.csv, daily.csv, finance.csv,
    /// run.csv, report.html) is refused, so that no run is lost; an empty or new folder is
    /// always fine. The earlier results stay until the new ones are all written, then the
    /// whole set is swapped in; other files in the folder are kept.
    #[arg(long)]
    overwrite: bool,
    #[command(flatten)]
    logs: support::LogArgs,
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), Error> {
    let dir = support::scenario_or_default(args.scenario);
    support::check_level(args.level)?;
    let mut model = Model::load(&dir)?;
    if let Some(seed) = args.seed {
        model.settings_mut().seed = seed;
    }
    let replications = args.replications.unwrap_or(model.settings().replications);
    if replications == 0 {
        return Err(Error::Usage("--replications: expected at least 1".into()));
    }
    let name = support::scenario_name(&dir);
    let out = args.out.unwrap_or_else(|| PathBuf::from("out").join(&name));

    if let Some(service) = &args.suggest_warmup {
        return suggest(&model, service, replications);
    }
    args.logs.check(replications)?;
    let folder = support::claim_output(&out, args.overwrite)?;
    let experiment = Experiment::new(model);
    let result = experiment.run(&Plan::replications(replications));

    for r in &result.results[0] {
        assert!(
            r.system.is_conserved(),
            "replication {}: patients not conserved: {:?}",
            r.replication,
            r.system
        );
    }
    let info = RunInfo {
        scenario: name,
        level: args.level,
    };
    let report = Report::new(&experiment, &result, info);
    // No NaN or infinite money is ever printed or written.
    report.check_money()?;
    out!("{}", report.to_string().trim_end());
    support::write_results(&report, folder, args.html)?;
    args.logs.write(experiment.baseline())
}

fn suggest(model: &Model, service: &str, replications: u32) -> Result<(), Error> {
    let id = model.service_id(service).ok_or_else(|| {
        Error::Usage(format!(
            "--suggest-warmup: no service {service:?} in services.csv"
        ))
    })?;
    let settings = model.settings();
    match suggest_warmup(model, id, replications) {
        None => out!(
            "{service}: a {}-day pilot is too short for MSER-5 (it needs 10 days)",
            settings.horizon_days
        ),
        Some(s) => {
            out!(
                "{service}: MSER-5 on {replications} pilot replications of {} days suggests a warm-up of {} days (the scenario has {})",
                settings.horizon_days,
                s.truncate,
                settings.warmup_days
            );
            if !s.settled {
                out!(
                    "warning: the occupancy of {service} was still changing at the end of the pilot; run a longer horizon before trusting this"
                );
            }
        }
    }
    Ok(())
}
