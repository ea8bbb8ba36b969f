//! Engine throughput: events per second and patients per second of one replication, on the
//! M/M/c ward and on the baseline system, in the same run so their ratio is meaningful.
//!
//! ```text
//! cargo bench --bench engine
//! ```

use careflow::{Model, run_replication};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn load(name: &str, horizon: f64) -> Model {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/");
    let mut model = Model::load(format!("{dir}{name}")).expect("bundled scenarios load");
    let settings = model.settings_mut();
    settings.horizon_days = horizon;
    settings.warmup_days = 0.0;
    settings.daily_series = false;
    model
}

fn engine(c: &mut Criterion) {
    let models = [
        ("erlang_c_ward", load("erlang_c_ward", 5_000.0)),
        ("baseline", load("baseline", 365.0)),
    ];
    for (unit, per_rep) in [("events", true), ("patients", false)] {
        let mut group = c.benchmark_group(format!("replication_{unit}"));
        group
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(4));
        for (name, model) in &models {
            let probe = run_replication(model, 0);
            let n = if per_rep {
                probe.events
            } else {
                probe.system.arrived
            };
            group.throughput(Throughput::Elements(n));
            group.bench_function(*name, |b| b.iter(|| black_box(run_replication(model, 0))));
        }
        group.finish();
    }
}

criterion_group!(benches, engine);
criterion_main!(benches);
