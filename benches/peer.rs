//! The peer models against their speed limit: for each of `scenarios/peer_mmc`,
//! `peer_blocking` and `peer_pathways`, in one run, the hand-written event loop of the model
//! (`benches/peer/reference.rs`) and careflow on one long replication (about a million
//! patients), then careflow on 200 replications of 365 days, all in patients per second.
//!
//! ```text
//! cargo bench --bench peer
//! ```
//!
//! `scripts/peer_benchmark.sh` prints the same comparison as ratios, with SimPy beside it.

// The example `peer_throughput --reference` prints the results this bench only times.
#[allow(dead_code)]
#[path = "peer/reference.rs"]
mod reference;

use careflow::{Model, Workspace, run_replication};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

/// Days of the long replication of each model: about a million arrivals.
const LONG: [(&str, f64); 3] = [
    ("mmc", 22_222.0),
    ("blocking", 25_000.0),
    ("pathways", 20_000.0),
];
/// Short replications: 200 of a year.
const SHORT_REPLICATIONS: u64 = 200;
const SHORT_DAYS: f64 = 365.0;

fn load(name: &str, horizon: f64) -> Model {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/peer_");
    let mut model = Model::load(format!("{dir}{name}")).expect("bundled scenarios load");
    model.settings_mut().horizon_days = horizon;
    model
}

fn peer(c: &mut Criterion) {
    for (name, long_days) in LONG {
        let peer = reference::PeerModel::by_name(name).expect("a reference loop for each model");
        let long = load(name, long_days);
        let short = load(name, SHORT_DAYS);
        let mut group = c.benchmark_group(format!("peer_{name}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));

        let probe = reference::run(&peer, long_days, 1);
        group.throughput(Throughput::Elements(probe.patients));
        group.bench_function("reference_loop", |b| {
            b.iter(|| black_box(reference::run(&peer, long_days, 1)))
        });

        let probe = run_replication(&long, 0);
        group.throughput(Throughput::Elements(probe.system.arrived));
        group.bench_function("careflow_long", |b| {
            b.iter(|| black_box(run_replication(&long, 0)))
        });

        let patients: u64 = (0..SHORT_REPLICATIONS)
            .map(|r| run_replication(&short, r).system.arrived)
            .sum();
        group.throughput(Throughput::Elements(patients));
        // One after another in one workspace, as `run_replications` runs them on each core.
        group.bench_function("careflow_200x365", |b| {
            b.iter(|| {
                let mut workspace = Workspace::new();
                for r in 0..SHORT_REPLICATIONS {
                    black_box(workspace.run(&short, r));
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, peer);
criterion_main!(benches);
