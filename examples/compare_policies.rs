//! This example demonstrates benchmarking policy variants: it runs the baseline and every
//! variant in a scenario folder's `variants.csv` on common random numbers, shows progress on
//! stderr, prints the paired differences against the baseline and writes tidy CSVs.
//!
//! ```text
//! cargo run --release --example compare_policies -- [SCENARIO_DIR] [--out DIR]
//!     [--replications N] [--seed S] [--level 0.95] [--independent-seeds]
//!     [--precision SCOPE:SERVICE:KPI --target 0.05 --max-replications 200] [--html]
//!     [--overwrite]
//! ```
//!
//! With no scenario it runs `scenarios/baseline`. Results go to `out/<scenario>-compare/`
//! unless `--out` says otherwise; `--html` adds `report.html`, the tables, charts and a forest
//! plot of the differences in one self-contained file. A folder that already holds results is
//! refused before anything runs, unless `--overwrite` says to replace them.

use careflow::{Error, Experiment, Plan, Precision, Report, RunInfo, Seeds};
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
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    /// Give each variant its own seeds instead of common random numbers (to measure how much
    /// common random numbers narrow the intervals).
    #[arg(long)]
    independent_seeds: bool,
    /// Add replications until this statistic's interval is tight enough, as
    /// SCOPE:SERVICE:KPI, e.g. service:acute:delayed_bed_days or system::diverted.
    #[arg(long)]
    precision: Option<String>,
    /// With --precision: the target half-width as a share of the mean.
    #[arg(long, default_value_t = 0.05)]
    target: f64,
    /// With --precision: the most replications to run.
    #[arg(long, default_value_t = 200)]
    max_replications: u32,
    /// Also write report.html into the output folder: the summary tables and charts in one
    /// self-contained HTML file, readable offline.
    #[arg(long)]
    html: bool,
    /// Replace the results already in the output folder. Without it, a folder that holds
    /// result files (replications.csv, summary.csv, comparison.csv, daily.csv, run.csv,
    /// report.html) is refused, so that no run is lost and no folder mixes two runs; an empty
    /// or new folder is always fine.
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
    let dir = support::scenario_or_default(args.scenario);
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
                return Err(Error::Usage(format!(
                    "--precision: no statistic {spec:?} (see the scope, service and kpi columns of summary.csv)"
                )));
            }
            if !(args.target > 0.0 && args.target.is_finite()) {
                return Err(Error::Usage(format!(
                    "--target: expected a number above 0, found {}",
                    args.target
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
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{name}-compare")));
    careflow::report::check_output_folder(&out, args.overwrite)?;

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
    out!();
    if args.overwrite {
        careflow::report::remove_old_results(&out)?;
    }
    for path in report.write_csv(&out)? {
        out!("wrote {}", path.display());
    }
    if args.html {
        let path = report.write_html(&out.join("report.html"))?;
        out!("wrote {}", path.display());
    }
    Ok(())
}
