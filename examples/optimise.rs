//! This example demonstrates capacity planning: it finds the configuration of a scenario's
//! decisions (`decisions.csv`: capacities, calendar capacities, money amounts) that is best
//! by its objective and meets its constraints (`objectives.csv`), by simulation on common
//! random numbers with a statistical guarantee on the choice, under one or more of its
//! policy variants.
//!
//! ```text
//! cargo run --release --example optimise -- [SCENARIO_DIR] [--variant NAME]... [--all-variants]
//!     [--first-stage N] [--max-replications N] [--exhaustive-limit N] [--finalists N]
//!     [--threads N] [--out DIR] [--overwrite]
//! ```
//!
//! With no scenario it plans `scenarios/capacity_plan`. It prints, per variant, the chosen
//! decision values, the objective and each constraint with their intervals, the runners-up
//! and the guarantee (or which constraint fails even at the most generous configuration),
//! and writes `optimisation.csv`, `optimisation_choice.csv` and `optimisation.html` to
//! `out/<scenario name>_optimise/` unless `--out` says otherwise. A folder that already holds
//! results is refused before anything runs, unless `--overwrite` says to replace them. The
//! method, its guarantee and its assumptions are documented in `careflow::optimise`.

use careflow::optimise::{self, Search};
use careflow::report::{OptimisationReport, check_decision_names, progress_text};
use careflow::{Error, Experiment};
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Duration;

// The default scenario is capacity_plan, not the baseline, and the level comes from
// objectives.csv: not every helper is used.
#[allow(dead_code)]
#[macro_use]
mod support;

/// Plan the capacity of a careflow scenario folder: the best configuration of its
/// decisions.csv by its objectives.csv, with a statistical guarantee.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Scenario folder with decisions.csv and objectives.csv (default: the bundled
    /// capacity_plan scenario).
    scenario: Option<PathBuf>,
    /// Plan the capacity under this policy variant of variants.csv (again for more than one;
    /// default: baseline, the scenario as written).
    #[arg(long = "variant", value_name = "NAME", conflicts_with = "all_variants")]
    variants: Vec<String>,
    /// Plan the capacity under the baseline and every variant of variants.csv.
    #[arg(long)]
    all_variants: bool,
    /// Replications of each configuration in the search, and in the first stage of the
    /// selection among the finalists.
    #[arg(long, default_value_t = Search::default().first_stage)]
    first_stage: u32,
    /// Most replications any one finalist gets in the selection; when the selection needs
    /// more, the guarantee is not met and the outputs say so.
    #[arg(long, default_value_t = Search::default().max_replications)]
    max_replications: u32,
    /// Grids of at most this many configurations are searched exhaustively; larger ones by
    /// pattern search.
    #[arg(long, default_value_t = Search::default().exhaustive_limit)]
    exhaustive_limit: usize,
    /// How many of the best configurations the search finds go on to the selection.
    #[arg(long, default_value_t = Search::default().finalists)]
    finalists: usize,
    /// Worker threads for the replications (default: one per core). The results are the
    /// same on any number.
    #[arg(long)]
    threads: Option<usize>,
    /// Output folder (default: out/<scenario name>_optimise).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the results already in the output folder. Without it, a folder that holds
    /// result files (optimisation.csv, optimisation_choice.csv, optimisation.html, or a run's
    /// files) is refused, so that no run is lost; an empty or new folder is always fine. The
    /// earlier results stay until the new ones are all written, then the whole set is
    /// swapped in; other files in the folder are kept.
    #[arg(long)]
    overwrite: bool,
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Refuses settings the search and selection cannot work with, before anything loads.
fn check_args(args: &Args) -> Result<(), Error> {
    if args.first_stage < 2 {
        return Err(Error::Usage(format!(
            "--first-stage: expected at least 2 replications (the selection estimates variances from them), found {}",
            args.first_stage
        )));
    }
    if args.max_replications < args.first_stage {
        return Err(Error::Usage(format!(
            "--max-replications: expected at least --first-stage ({}), found {}; the selection starts with --first-stage replications and adds more up to --max-replications",
            args.first_stage, args.max_replications
        )));
    }
    if args.finalists == 0 {
        return Err(Error::Usage(
            "--finalists: expected at least 1 configuration to select from".into(),
        ));
    }
    if args.threads == Some(0) {
        return Err(Error::Usage("--threads: expected at least 1".into()));
    }
    for (i, v) in args.variants.iter().enumerate() {
        if args.variants[..i].contains(v) {
            return Err(Error::Usage(format!(
                "--variant: '{v}' is given twice; plan each variant once"
            )));
        }
    }
    Ok(())
}

fn run(args: Args) -> Result<(), Error> {
    check_args(&args)?;
    let dir = support::scenario_or(args.scenario.clone(), "capacity_plan");
    let name = support::scenario_name(&dir);
    // The scenario and its variants first: a scenario that does not load, or a variant it
    // does not have, is reported before the decisions are read.
    let experiment = Experiment::load(&dir)?;
    let known: Vec<&str> = experiment
        .variants()
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    let variants: Vec<String> = if args.all_variants {
        known.iter().map(|v| v.to_string()).collect()
    } else if args.variants.is_empty() {
        vec![known[0].to_string()]
    } else {
        args.variants.clone()
    };
    if let Some(unknown) = variants.iter().find(|v| !known.contains(&v.as_str())) {
        return Err(Error::Usage(format!(
            "--variant: no variant '{unknown}' in {}; it has {}",
            dir.join("variants.csv").display(),
            known.join(", ")
        )));
    }
    let problem = optimise::load_problem(&dir)?;
    check_decision_names(&problem)?;
    let search = Search {
        first_stage: args.first_stage,
        max_replications: args.max_replications,
        exhaustive_limit: args.exhaustive_limit,
        finalists: args.finalists,
    };
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{name}_optimise")));
    let folder = support::claim_output(&out, args.overwrite)?;
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .map_err(|e| Error::Usage(format!("--threads: {e}")))?;
    }

    let mut outcomes = Vec::new();
    for variant in &variants {
        eprintln!(
            "{name}: planning {} decisions under '{variant}'",
            problem.decisions.len()
        );
        let bar = ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                .expect("the progress template is valid"),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        let progress = |p: &optimise::Progress| bar.set_message(progress_text(&problem, p));
        let outcome = optimise::optimise(&dir, variant, &problem, &search, &progress);
        bar.finish_and_clear();
        outcomes.push(outcome?);
    }

    let report = OptimisationReport::new(name, &outcomes)?;
    out!("{}", report.to_string().trim_end());
    support::write_staged(folder, |staging| {
        let mut written = report.write_csv(staging)?;
        written.push(report.write_html(&staging.join("optimisation.html"))?);
        Ok(written)
    })
}
