//! This example demonstrates benchmarking policy variants: it runs the baseline and every
//! variant in a scenario folder's `variants.csv` on common random numbers, shows progress on
//! stderr, prints each override's effective value (`86 → 106 (+20)` for a relative `+20`) and
//! the paired differences against the baseline, and writes tidy CSVs (with
//! `variants_effective.csv`, every cell each variant set).
//!
//! ```text
//! cargo run --release --example compare_policies -- [SCENARIO_DIR] [--out DIR]
//!     [--replications N] [--seed S] [--level 0.95] [--independent-seeds]
//!     [--precision SCOPE:SERVICE:KPI --target 0.05 --max-replications 200] [--html]
//!     [--overwrite] [--shard K/N]
//!     [--events FILE] [--episodes FILE] [--log-replications 0,3] [--log-variant NAME]
//! ```
//!
//! With no scenario it runs `scenarios/baseline`. Results go to `out/<scenario>-compare/`
//! unless `--out` says otherwise; `--html` adds `report.html`, the tables, charts and a forest
//! plot of the differences in one self-contained file. A folder that already holds results is
//! refused before anything runs, unless `--overwrite` says to replace them.
//!
//! With `--shard K/N` it runs only shard K of N of the (variant, replication) pairs (every
//! N-th pair, from pair K) and writes `shard-K-of-N.cbor` (full results, for the `merge`
//! example) and `shard-K-of-N.csv` (its rows of `replications.csv`, to read) into the output
//! folder, by default `out/<scenario>-shards/`. Run all N (on one machine or many, say as a
//! Slurm array: see `scripts/slurm/`), then `merge` writes the files this program writes
//! without `--shard`, byte for byte (except `run.csv`). Give every shard the same options.
//!
//! `--events FILE` and `--episodes FILE` write the patient-level event log and the episodes
//! of one variant (`--log-variant`, default the baseline), as `run_scenario` does.

use careflow::report::RunLock;
use careflow::{Error, Experiment, Plan, Precision, Report, RunInfo, Seeds, Shard, ShardFile};
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

#[macro_use]
mod support;

/// Compare the policy variants of a careflow scenario folder.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Scenario folder with a variants.csv (default: the bundled baseline scenario).
    scenario: Option<PathBuf>,
    /// Output folder (default: out/<scenario name>-compare).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replications per variant (default: the scenario's `replications` setting).
    #[arg(long)]
    replications: Option<u32>,
    /// Base seed (default: the scenario's `seed` setting).
    #[arg(long)]
    seed: Option<u64>,
    /// Confidence level of the intervals.
    // Negative numbers are taken as values, so that our range check explains a bad level.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    level: f64,
    /// Give each variant its own seeds instead of common random numbers (to measure how much
    /// common random numbers narrow the intervals).
    #[arg(long)]
    independent_seeds: bool,
    /// Add replications until this statistic's interval is tight enough, as
    /// SCOPE:SERVICE:KPI, e.g. service:acute:delayed_bed_days, system::diverted or (money
    /// over the observation window) finance:acute_trust:surplus.
    #[arg(long)]
    precision: Option<String>,
    /// With --precision: the target half-width as a share of the mean.
    #[arg(
        long,
        default_value_t = 0.05,
        allow_negative_numbers = true,
        requires = "precision"
    )]
    target: f64,
    /// With --precision: the most replications to run (at least --replications).
    #[arg(long, default_value_t = 200, requires = "precision")]
    max_replications: u32,
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
    /// Run only shard K of N (1 ≤ K ≤ N) of the (variant, replication) pairs, writing
    /// shard-K-of-N.cbor and shard-K-of-N.csv into the output folder (default
    /// out/<scenario name>-shards) for the merge example to combine. Not with --precision or
    /// --html.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    #[command(flatten)]
    logs: support::LogArgs,
    /// The variant whose patients --events and --episodes log.
    #[arg(long, value_name = "NAME", default_value = "baseline")]
    log_variant: String,
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), Error> {
    if args.shard.is_some() {
        if args.precision.is_some() {
            return Err(Error::Usage(
                "--shard: a run with --precision cannot be split into shards (how many replications it needs is only known as it runs); give --replications instead".into(),
            ));
        }
        if args.html {
            return Err(Error::Usage(
                "--shard: --html belongs to the merge, which writes the report of all shards"
                    .into(),
            ));
        }
        if args.logs.events.is_some() || args.logs.episodes.is_some() {
            return Err(Error::Usage(
                "--shard: log patients (--events, --episodes) in a run without --shard".into(),
            ));
        }
    }
    let dir = support::scenario_or_default(args.scenario.clone());
    support::check_level(args.level)?;
    let mut experiment = Experiment::load(&dir)?;
    if let Some(seed) = args.seed {
        for v in experiment.variants_mut() {
            v.model.settings_mut().seed = seed;
        }
    }
    let replications = args
        .replications
        .unwrap_or(experiment.baseline().settings().replications);
    if replications < 2 {
        return Err(Error::Usage(
            "--replications: expected at least 2, to give confidence intervals".into(),
        ));
    }
    let precision = match &args.precision {
        None => None,
        Some(spec) => {
            let parts: Vec<&str> = spec.split(':').collect();
            let [scope, service, kpi] = parts[..] else {
                return Err(Error::Usage(format!(
                    "--precision: expected SCOPE:SERVICE:KPI, found {spec:?}"
                )));
            };
            if !experiment.has_kpi(scope, service, kpi) {
                // A misspelt name gets the list of names it could have been.
                let names = match careflow::Statistic::parse(scope, service, kpi) {
                    Err(e) if scope != "finance" => format!("; {e}"),
                    _ => String::new(),
                };
                return Err(Error::Usage(format!(
                    "--precision: no statistic {spec:?} (see the scope, service and kpi columns of summary.csv){names}"
                )));
            }
            if !(args.target > 0.0 && args.target.is_finite()) {
                return Err(Error::Usage(format!(
                    "--target: expected a number above 0, found {}",
                    args.target
                )));
            }
            if args.max_replications < replications {
                return Err(Error::Usage(format!(
                    "--max-replications: expected at least --replications ({replications}), found {}; the precision run starts with --replications and adds more up to --max-replications",
                    args.max_replications
                )));
            }
            Some(Precision {
                kpi: (scope.into(), service.into(), kpi.into()),
                relative_half_width: args.target,
                level: args.level,
                max_replications: args.max_replications,
            })
        }
    };
    let plan = Plan {
        replications,
        seeds: if args.independent_seeds {
            Seeds::Independent
        } else {
            Seeds::Common
        },
        precision,
    };
    let name = support::scenario_name(&dir);
    if let Some(shard) = args.shard {
        return run_shard(&args, &dir, &experiment, &plan, shard);
    }
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{name}-compare")));
    args.logs.check(replications)?;
    let logged = experiment
        .variants()
        .iter()
        .find(|v| v.name == args.log_variant)
        .ok_or_else(|| {
            Error::Usage(format!(
                "--log-variant: no variant {:?} (baseline or one in variants.csv)",
                args.log_variant
            ))
        })?;
    if args.independent_seeds && (args.logs.events.is_some() || args.logs.episodes.is_some()) {
        return Err(Error::Usage(
            "--events, --episodes: log the replications of common random numbers (without --independent-seeds)".into(),
        ));
    }
    let logged = logged.model.clone();
    let folder = support::claim_output(&out, args.overwrite)?;

    if experiment.variants().len() == 1 {
        eprintln!(
            "note: {} has no variants in variants.csv; running the baseline only",
            dir.display()
        );
    }
    let variants = experiment.variants().len() as u64;
    let bar = ProgressBar::new(variants * u64::from(replications)).with_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} replications")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    eprintln!(
        "{name}: {} variants × {replications} replications{}",
        variants,
        if plan.precision.is_some() {
            " (more until precise)"
        } else {
            ""
        }
    );
    let result = experiment.run_with_progress(&plan, &|| bar.inc(1));
    bar.finish_and_clear();

    for reps in &result.results {
        for r in reps {
            assert!(
                r.system.is_conserved(),
                "patients not conserved: {:?}",
                r.system
            );
        }
    }
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
    if let Some((p, reached)) = &result.precision {
        out!(
            "precision: {}:{}:{} half-width {:.2}% of the mean after {} replications (target {:.2}%)",
            p.kpi.0,
            p.kpi.1,
            p.kpi.2,
            reached * 100.0,
            result.replications(),
            p.relative_half_width * 100.0
        );
    }
    support::write_results(&report, folder, args.html)?;
    args.logs.write(&logged)
}

/// Runs shard `shard` of `plan` and writes its files.
fn run_shard(
    args: &Args,
    dir: &std::path::Path,
    experiment: &Experiment,
    plan: &Plan,
    shard: Shard,
) -> Result<(), Error> {
    let name = support::scenario_name(dir);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{name}-shards")));
    let file = ShardFile::file_name(shard);
    let csv = file.replace(".cbor", ".csv");
    // Claim this shard's files before simulating: refuses a second run of the same shard into
    // this folder (other shards may write beside it, as a Slurm array does) and a folder that
    // cannot be written; clears what a killed run of this shard left.
    std::fs::create_dir_all(&out).map_err(|source| Error::Output {
        path: out.clone(),
        source,
    })?;
    let lock = RunLock::acquire(&out.join(file.trim_end_matches(".cbor")))?;
    lock.remove_temp_files()?;
    let existing: Vec<&str> = [file.as_str(), csv.as_str()]
        .into_iter()
        .filter(|f| out.join(f).exists())
        .collect();
    if !existing.is_empty() && !args.overwrite {
        return Err(Error::Usage(format!(
            "{} already holds shard {shard} ({}); pass --overwrite to replace it, or --out another folder",
            out.display(),
            existing.join(", ")
        )));
    }
    let variants = experiment.variants().len();
    let jobs = shard.jobs(variants, plan.replications).len() as u64;
    let total = variants as u64 * u64::from(plan.replications);
    eprintln!(
        "{name}: shard {shard}: {jobs} of {total} (variant, replication) pairs ({variants} variants × {} replications)",
        plan.replications
    );
    let bar = ProgressBar::new(jobs).with_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} replications")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    let result = experiment.run_shard_with_progress(plan, shard, &|| bar.inc(1))?;
    bar.finish_and_clear();
    for record in &result.records {
        assert!(
            record.result.system.is_conserved(),
            "patients not conserved: {:?}",
            record.result.system
        );
    }
    out!(
        "{name}: shard {shard}: {} of {total} pairs in {:.2} s on {} thread{}",
        result.records.len(),
        result.seconds,
        result.threads,
        if result.threads == 1 { "" } else { "s" }
    );
    // The CSV first: a shard is complete when its .cbor, the file the merge reads, is there.
    let csv_path = careflow::report::write_shard_csv(experiment, &result, &out)?;
    let path = ShardFile::new(dir, result)?.write(&out)?;
    drop(lock);
    out!("wrote {}", path.display());
    out!("wrote {}", csv_path.display());
    Ok(())
}
