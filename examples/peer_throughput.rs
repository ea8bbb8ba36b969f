//! This example demonstrates timing careflow's throughput, in patients per second, on a scenario
//! folder, for the peer benchmark against SimPy (`scripts/peer_benchmark.sh`).
//!
//! ```text
//! cargo run --release --example peer_throughput -- scenarios/peer_mmc [--horizon DAYS] [--replications N] [--threads-all]
//! ```
//!
//! It runs the replications one after another on one thread in one [`careflow::Workspace`], as
//! [`careflow::run_replications`] does on each core (or, with `--threads-all`, with
//! `run_replications` on every core), checks that
//! every replication conserves patients, and prints one machine-readable line,
//!
//! ```text
//! careflow peer_mmc patients=<arrivals, all replications> seconds=<s> patients_per_s=<x> events=<n>
//! ```
//!
//! followed by one `service` line per service with the outputs used to check that careflow
//! and the SimPy models in `benches/peer/` are the same model: mean occupancy, delayed
//! bed-days and mean time in a bed (means over replications, with standard errors).
//!
//! With `--reference`, it times instead the hand-written event loop of the same model
//! (`benches/peer/reference.rs`, for the folders `peer_mmc`, `peer_blocking` and
//! `peer_pathways`) and prints the same lines, starting `reference` instead of `careflow`.

use careflow::{Error, Model, ReplicationResult, Workspace, run_replications};
use clap::Parser;
use std::path::PathBuf;
use std::time::Instant;

// Shared with the criterion bench `benches/peer.rs`.
#[path = "../benches/peer/reference.rs"]
mod reference;

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
    /// Time the hand-written reference loop of the model instead of careflow.
    #[arg(long, conflicts_with = "threads_all")]
    reference: bool,
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

    if args.reference {
        return time_reference(&name, &model, replications);
    }

    let started = Instant::now();
    let results: Vec<ReplicationResult> = if args.threads_all {
        run_replications(&model, replications)
    } else {
        let mut workspace = Workspace::new();
        (0..u64::from(replications))
            .map(|r| workspace.run(&model, r))
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
        print_service(
            service.name(),
            &per_replication(|s| s.mean_occupancy),
            &per_replication(|s| s.delayed_bed_days),
            &per_replication(|s| s.mean_length_of_stay),
        );
    }
    Ok(())
}

/// Times the hand-written loop of the peer model in the scenario folder `name`, with the
/// scenario's horizon, and prints the lines careflow's run prints.
fn time_reference(name: &str, model: &Model, replications: u32) -> Result<(), Error> {
    let peer = name
        .strip_prefix("peer_")
        .and_then(reference::PeerModel::by_name)
        .ok_or_else(|| {
            Error::Usage(format!(
                "--reference: no hand-written loop for '{name}' (expected peer_mmc, \
                 peer_blocking or peer_pathways)"
            ))
        })?;
    let horizon = model.settings().horizon_days;
    let seed = model.settings().seed;
    let started = Instant::now();
    let results: Vec<reference::RunResult> = (0..u64::from(replications))
        .map(|r| reference::run(&peer, horizon, seed.wrapping_add(r)))
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    let patients: u64 = results.iter().map(|r| r.patients).sum();
    let events: u64 = results.iter().map(|r| r.events).sum();
    println!(
        "reference {name} patients={patients} seconds={seconds:.3} patients_per_s={:.0} events={events}",
        patients as f64 / seconds
    );
    for index in 0..results[0].wards.len() {
        let per_replication = |f: fn(&reference::WardResult) -> f64| -> Vec<f64> {
            results.iter().map(|r| f(&r.wards[index])).collect()
        };
        print_service(
            results[0].wards[index].name,
            &per_replication(|w| w.mean_occupancy),
            &per_replication(|w| w.delayed_bed_days),
            &per_replication(|w| w.mean_time_in_bed),
        );
        let (admissions, _) = mean_se(&per_replication(|w| w.admissions as f64));
        let (wait, wait_se) = mean_se(&per_replication(|w| w.mean_wait));
        let (p95, _) = mean_se(&per_replication(|w| w.wait_p95));
        let (most, _) = mean_se(&per_replication(|w| f64::from(w.max_occupancy)));
        let (queue, _) = mean_se(&per_replication(|w| w.max_queue as f64));
        let (delayed, _) = mean_se(&per_replication(|w| w.delayed_patients as f64));
        let (awaited, _) = mean_se(&per_replication(|w| w.awaited_bed_days));
        println!(
            "waits {} admissions={admissions:.1} mean_wait={wait:.5} se={wait_se:.5} \
             wait_p95={p95:.5} max_occupancy={most:.1} max_queue={queue:.1} \
             delayed_patients={delayed:.1} awaited_bed_days={awaited:.1}",
            results[0].wards[index].name
        );
    }
    let per_run =
        |f: fn(&reference::RunResult) -> f64| -> Vec<f64> { results.iter().map(f).collect() };
    let (time, time_se) = mean_se(&per_run(|r| r.mean_time_to_leave));
    let (over, _) = mean_se(&per_run(|r| r.over_threshold as f64));
    let (onward, _) = mean_se(&per_run(|r| r.onward as f64));
    let (onward_time, _) = mean_se(&per_run(|r| r.mean_time_to_onward));
    println!(
        "entry mean_time_to_leave={time:.4} se={time_se:.4} over_threshold={over:.1} \
         onward={onward:.1} mean_time_to_onward={onward_time:.4}"
    );
    Ok(())
}

/// Prints a service's line: its mean occupancy, delayed bed-days and mean time in a bed, each
/// the mean over replications with its standard error.
fn print_service(name: &str, occupancy: &[f64], delayed: &[f64], stay: &[f64]) {
    let (occupancy, occupancy_se) = mean_se(occupancy);
    let (delayed, delayed_se) = mean_se(delayed);
    let (stay, stay_se) = mean_se(stay);
    println!(
        "service {name} mean_occupancy={occupancy:.3} se={occupancy_se:.3} \
         delayed_bed_days={delayed:.1} se={delayed_se:.1} \
         mean_time_in_bed={stay:.4} se={stay_se:.4}"
    );
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
