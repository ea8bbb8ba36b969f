//! This example demonstrates fitting a scenario from an analyst's extract of episodes
//! (careflow's `episodes` schema): arrival streams, lengths of stay (maximum likelihood with
//! right-censoring, family by AIC), routes and today's census, written as a scenario folder
//! that is then loaded to check it.
//!
//! ```text
//! cargo run --release --example fit_scenario -- EPISODES.csv OUT_DIR
//!     [--extract-start "YYYY-MM-DD HH:MM"] [--extract-end "YYYY-MM-DD HH:MM"] [--horizon-days 365] [--replications 10]
//!     [--services-from SCENARIO_DIR] [--compare OTHER_EPISODES.csv]
//! ```
//!
//! OUT_DIR must be new or empty. It gets the scenario's files, `fit/` with the fit's
//! tables (`stays.csv`, `arrivals.csv`, `routes.csv`, `warnings.txt`) and `fit_report.html`
//! (observed against fitted stays, parameter tables with intervals, warnings). Run it with the
//! `run_scenario` example; compare its patients with the extract by writing its episodes
//! (`run_scenario --episodes`) and giving them to `--compare`, which fits them the same way
//! and prints both fits' estimates side by side.

use careflow::fit::{self, Chosen, FitOptions};
use careflow::{Error, Model, episodes};
use clap::Parser;
use std::path::PathBuf;

// Only the output macro is used here.
#[allow(dead_code)]
#[macro_use]
mod support;

/// Fit a careflow scenario folder from an extract of episodes.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The episode file (patient,class,service,start,end,fit,next).
    episodes: PathBuf,
    /// The folder to write the scenario into (new or empty).
    out: PathBuf,
    /// The start of the extract, YYYY-MM-DD HH:MM (default: the file's `# extract from`
    /// line, else its earliest start): spells starting after it are arrivals, episodes
    /// starting before it were in progress then.
    #[arg(long, value_name = "TIME")]
    extract_start: Option<String>,
    /// The end of the extract, YYYY-MM-DD HH:MM (default: the file's `# extract to` line,
    /// else its latest time): stays open then are censored there.
    #[arg(long, value_name = "TIME")]
    extract_end: Option<String>,
    /// horizon_days of the scenario written.
    #[arg(long, default_value_t = 365.0)]
    horizon_days: f64,
    /// replications of the scenario written.
    #[arg(long, default_value_t = 10)]
    replications: u32,
    /// Copy services.csv and organisations.csv from this scenario folder (real capacities)
    /// instead of writing services as large as the most patients the extract shows at once.
    #[arg(long, value_name = "DIR")]
    services_from: Option<PathBuf>,
    /// Also fit this second episode file (a simulated run of the fitted scenario, written
    /// by run_scenario --episodes, or another extract) and print each arrival rate, stay
    /// mean and route share of both fits, with whether their 95% intervals overlap.
    #[arg(long, value_name = "EPISODES")]
    compare: Option<PathBuf>,
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), Error> {
    let time = |option: &str, text: &Option<String>| match text {
        None => Ok(None),
        Some(text) => chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
            .map(Some)
            .map_err(|_| {
                Error::Usage(format!(
                    "{option}: expected YYYY-MM-DD HH:MM, found {text:?}"
                ))
            }),
    };
    let extract_start = time("--extract-start", &args.extract_start)?;
    let extract_end = time("--extract-end", &args.extract_end)?;
    if !(args.horizon_days > 0.0 && args.horizon_days.is_finite()) {
        return Err(Error::Usage(format!(
            "--horizon-days: expected a number above 0, found {}",
            args.horizon_days
        )));
    }
    if args.replications == 0 {
        return Err(Error::Usage("--replications: expected at least 1".into()));
    }
    let options = FitOptions {
        extract_start,
        extract_end,
        horizon_days: args.horizon_days,
        replications: args.replications,
        services_from: args.services_from,
    };
    let extract = episodes::read(&args.episodes)?;
    let fitted = fit::fit(&extract, &options)?;
    fitted.write_scenario(&args.out, &options)?;
    // The scenario written must load: check it now, not at the analyst's first run.
    let model = Model::load(&args.out)?;

    let (start, end) = fitted.window;
    out!(
        "{}: {} episodes from {start} to {end}",
        args.episodes.display(),
        extract.episodes().len()
    );
    out!("arrival streams (per day, 95% interval):");
    for s in &fitted.streams {
        let profile: Vec<&str> = [
            s.hours.map(|_| "hours"),
            s.weekdays.map(|_| "weekdays"),
            s.months.as_ref().map(|_| "months"),
        ]
        .into_iter()
        .flatten()
        .collect();
        out!(
            "  {:<30} {:>9.3} ({:.3} to {:.3}){}",
            s.id,
            s.rate.value,
            s.rate.low,
            s.rate.high,
            if profile.is_empty() {
                String::new()
            } else {
                format!("  profile: {}", profile.join(", "))
            }
        );
    }
    out!("lengths of stay (days; mean with 95% interval):");
    for f in &fitted.stays {
        let what = match (&f.chosen, f.best()) {
            (Chosen::Family(_), Some(b)) => format!(
                "{:<11} mean {:.2} ({:.2} to {:.2}), KS {:.3}",
                b.family.as_str(),
                b.mean.value,
                b.mean.low,
                b.mean.high,
                b.ks
            ),
            _ => "empirical".to_owned(),
        };
        out!(
            "  {:<14} {:<14} {:>6} ended {:>5} open  {what}",
            f.class,
            f.service,
            f.ended,
            f.censored
        );
    }
    out!(
        "routes: {}; census: {} patients in at the end",
        fitted.routes.len(),
        fitted.census.len()
    );
    for w in &fitted.warnings {
        out!("warning: {w}");
    }
    out!(
        "scenario: {} ({} services, {} classes; loads)",
        args.out.display(),
        model.services().len(),
        model.classes().len()
    );
    if let Some(other) = &args.compare {
        let theirs = fit::fit(&episodes::read(other)?, &FitOptions::default())?;
        out!("compared with {} (95% intervals):", other.display());
        let shown = |e: Option<fit::Estimate>| {
            e.map_or("-".to_owned(), |e| {
                format!("{:.4} ({:.4} to {:.4})", e.value, e.low, e.high)
            })
        };
        let comparison = fitted.compare(&theirs);
        for a in &comparison {
            out!(
                "  {:<8} {:<50} {:>34} {:>34}",
                if a.agrees() { "agree" } else { "DIFFER" },
                a.what,
                shown(a.ours),
                shown(a.theirs)
            );
        }
        let agree = comparison.iter().filter(|a| a.agrees()).count();
        out!(
            "{agree} of {} estimates agree (their 95% intervals overlap)",
            comparison.len()
        );
    }
    Ok(())
}
