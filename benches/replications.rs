//! Replication scaling: the baseline scenario's replications on one thread and on every
//! thread, in the same run, so the ratio of the two is the parallel speed-up.
//!
//! ```text
//! cargo bench --bench replications
//! ```

use careflow::{Model, run_replications};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn scaling(c: &mut Criterion) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/baseline");
    let mut model = Model::load(dir).expect("the bundled baseline loads");
    model.settings_mut().daily_series = false;
    let replications = model.settings().replications;
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());

    let mut group = c.benchmark_group("baseline_replications");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15))
        .throughput(Throughput::Elements(u64::from(replications)));
    let mut threads = vec![1];
    if all > 1 {
        threads.push(all);
    }
    for n in threads {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("a thread pool can be built");
        group.bench_function(format!("{n}_threads"), |b| {
            b.iter(|| pool.install(|| black_box(run_replications(&model, replications))))
        });
    }
    group.finish();
}

criterion_group!(benches, scaling);
criterion_main!(benches);
