//! This example demonstrates timing careflow's throughput, in patients per second, on a scenario
//! folder, for the peer benchmark against SimPy (`scripts/peer_benchmark.sh`).
//!
//! ```text
//! cargo run --release --example peer_throughput -- scenarios/peer_mmc [--horizon DAYS] [--replications N] [--threads-all]
//! ```
//!
//! It runs the replications one after another on one thread with [`careflow::run_replication`]
//! (or, with `--threads-all`, on every core with [`careflow::run_replications`]), checks that
//! every replication conserves patients, and prints one machine-readable line,
//!
//! ```text
//! careflow peer_mmc patients=<arrivals, all replications> seconds=<s> patients_per_s=<x> events=<n>
//! ```
//!
//! followed by one `service` line per service with the outputs used to check that careflow
//! and the SimPy models in `benches/peer/` are the same model: mean occupancy, delayed
//! bed-days and mean time in a bed (means over replications, with standard errors).

use careflow::{Error, Model, ReplicationResult, run_replication, run_replications};
use clap::Parser;
use std::path::PathBuf;
use std::time::Instant;

/// Time careflow's replications of a scenario, in patients per second.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Scenario folder.
    scenario: PathBuf,
    /// Simulated days per replication (default: the scenario's `horizon_days`).
    #[arg(long, value_name = "DAYS")]
    horizon: Option<f64>,
    /// Replications to run (default: the scenario's `replications` setting).
    #[arg(long, value_name = "N")]
    replications: Option<u32>,
    /// Run the replications in parallel on every core (rayon) instead of on one thread.
    #[arg(long)]
    threads_all: bool,
}

fn main() -> Result<(), Error> {
    let args = Args::parse();
    let mut model = Model::load(&args.scenario)?;
    if let Some(horizon) = args.horizon {
        if !(horizon.is_finite() && horizon > model.settings().warmup_days) {
            return Err(Error::Usage(format!(
                "--horizon: expected a number of days above the warm-up, found {horizon}"
            )));
        }
        model.settings_mut().horizon_days = horizon;
    }
    let replications = args.replications.unwrap_or(model.settings().replications);
    if replications == 0 {
        return Err(Error::Usage("--replications: expected at least 1".into()));
    }
    let name = args.scenario.file_name().map_or_else(
        || args.scenario.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );

    let started = Instant::now();
    let results: Vec<ReplicationResult> = if args.threads_all {
        run_replications(&model, replications)
    } else {
        (0..u64::from(replications))
            .map(|r| run_replication(&model, r))
            .collect()
    };
    let seconds = started.elapsed().as_secs_f64();

    for r in &results {
        assert!(
            r.system.is_conserved(),
            "replication {}: patients not conserved: {:?}",
            r.replication,
            r.system
        );
    }
    let patients: u64 = results.iter().map(|r| r.system.arrived).sum();
    let events: u64 = results.iter().map(|r| r.events).sum();
    println!(
        "careflow {name} patients={patients} seconds={seconds:.3} patients_per_s={:.0} events={events}",
        patients as f64 / seconds
    );

    for (index, service) in model.services().iter().enumerate() {
        let per_replication = |f: fn(&careflow::ServiceResult) -> f64| -> Vec<f64> {
            results.iter().map(|r| f(&r.services[index])).collect()
        };
        let (occupancy, occupancy_se) = mean_se(&per_replication(|s| s.mean_occupancy));
        let (delayed, delayed_se) = mean_se(&per_replication(|s| s.delayed_bed_days));
        let (stay, stay_se) = mean_se(&per_replication(|s| s.mean_length_of_stay));
        println!(
            "service {} mean_occupancy={occupancy:.3} se={occupancy_se:.3} \
             delayed_bed_days={delayed:.1} se={delayed_se:.1} \
             mean_time_in_bed={stay:.4} se={stay_se:.4}",
            service.name()
        );
    }
    Ok(())
}

/// Mean and standard error of the mean (0 for a single value).
fn mean_se(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, 0.0);
    }
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (variance / n).sqrt())
}
