//! This example merges the shards of an experiment run in pieces (`compare_policies --shard
//! K/N`, on one machine or many, for example as a Slurm job array) into the files a run in
//! one go writes.
//!
//! ```text
//! cargo run --release --example merge -- SCENARIO_DIR SHARDS... [--out DIR] [--level 0.95]
//!     [--html] [--overwrite]
//! ```
//!
//! `SHARDS` are shard files (`shard-K-of-N.cbor`) or folders holding them. It checks that
//! they make one complete experiment of the scenario — same scenario files (by hash), same
//! careflow version, same variants, seed, seeding and replications, every shard 1..N once and
//! each with all its pairs — and stops with a message naming the file(s) otherwise. Then it
//! prints the comparison and writes `replications.csv`, `summary.csv`, `comparison.csv`,
//! `daily.csv` (and `report.html` with `--html`) into `out/<scenario>-compare/` unless `--out`
//! says otherwise: byte for byte what `compare_policies` writes for the same scenario,
//! replications, seed and level. `run.csv` differs as it should: `threads` and `seconds` are
//! summed over the shards, and a `shards` row says how many were merged; `report.html` says
//! when it was generated. A folder that already holds results is refused unless
//! `--overwrite` says to replace them.

use careflow::{Error, Experiment, Report, RunInfo, ShardFile};
use clap::Parser;
use std::path::PathBuf;

// merge takes its scenario explicitly, so not every helper is used.
#[allow(dead_code)]
#[macro_use]
mod support;

/// Merge the shards of a careflow experiment into the result files of a run in one go.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The scenario folder the shards ran (the same files: they are checked by hash).
    scenario: PathBuf,
    /// Shard files (shard-K-of-N.cbor) or folders holding them.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Output folder (default: out/<scenario name>-compare, as compare_policies).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Confidence level of the intervals.
    // Negative numbers are taken as values, so that our range check explains a bad level.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    level: f64,
    /// Also write report.html into the output folder.
    #[arg(long)]
    html: bool,
    /// Replace the results already in the output folder. Without it, a folder that holds
    /// result files (replications.csv, summary.csv, comparison.csv, daily.csv, finance.csv,
    /// run.csv, report.html) is refused, so that no run is lost; an empty or new folder is
    /// always fine. The earlier results stay until the new ones are all written, then the
    /// whole set is swapped in; other files in the folder are kept.
    #[arg(long)]
    overwrite: bool,
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), Error> {
    support::check_level(args.level)?;
    let dir = args.scenario;
    let name = support::scenario_name(&dir);
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{name}-compare")));
    let folder = support::claim_output(&out, args.overwrite)?;
    let mut experiment = Experiment::load(&dir)?;

    let mut paths = Vec::new();
    for arg in &args.shards {
        paths.extend(careflow::shard::find_shard_files(arg)?);
    }
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let file = ShardFile::read(&path)?;
        files.push((path, file));
    }
    // The shards' base seed, as compare_policies --seed would have set it.
    if let Some((_, first)) = files.first() {
        let seed = first.result.seed;
        for v in experiment.variants_mut() {
            v.model.settings_mut().seed = seed;
        }
    }
    let result = careflow::merge_shard_files(&experiment, &dir, &files)?;
    drop(files);
    eprintln!(
        "{name}: merged {} shards: {} variants × {} replications",
        result.shards.unwrap_or(1),
        result.names.len(),
        result.replications()
    );

    let report = Report::new(
        &experiment,
        &result,
        RunInfo {
            scenario: name,
            level: args.level,
        },
    );
    // No NaN or infinite money is ever printed or written.
    report.check_money()?;
    out!("{}", report.to_string().trim_end());
    support::write_results(&report, folder, args.html)
}
