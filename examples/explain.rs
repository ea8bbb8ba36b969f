//! See a scenario before running it: each service's expected arrivals a day, mean stay,
//! offered load and load over capacity from the traffic equations (nothing is simulated),
//! the flows between services, organisations and contracts; optionally the network drawn as
//! an SVG diagram.
//!
//! ```text
//! cargo run --example explain -- [SCENARIO_DIR] [--svg out.svg]
//! ```
//!
//! With no scenario it explains the bundled default, `scenarios/baseline`. Services whose
//! offered load is at or above their capacity are flagged `UNSTABLE` (their queue grows without
//! bound), those above 0.85 of it `high`. See [`careflow::explain`] for what is and is not
//! counted.

use careflow::Error;
use careflow::Model;
use careflow::explain::Explanation;
use clap::Parser;
use std::path::PathBuf;

// explain writes no results folder, so not every helper is used.
#[allow(dead_code)]
#[macro_use]
mod support;

/// Explain a careflow scenario folder without running it.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Scenario folder (default: the bundled baseline scenario).
    scenario: Option<PathBuf>,
    /// Also draw the network as an SVG diagram into this file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), Error> {
    let dir = support::scenario_or_default(args.scenario);
    let model = Model::load(&dir)?;
    let explanation = Explanation::of(&model)?;
    for warning in model.warnings() {
        out!("warning: {warning}");
    }
    out!("scenario {}", support::scenario_name(&dir));
    out!("{}", explanation.to_string().trim_end());
    if let Some(path) = args.svg {
        let written = explanation.write_svg(&path)?;
        out!("\nwrote {}", written.display());
    }
    Ok(())
}
