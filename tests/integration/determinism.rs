//! Determinism: the same seed gives bit-identical results, on one thread or many.

use crate::common::{blocking_network, bundled};
use careflow::{Model, ReplicationResult, run_replication, run_replications};

fn run_on(threads: usize, model: &Model, replications: u32) -> Vec<ReplicationResult> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| run_replications(model, replications))
}

fn check(threads: usize) {
    let dir = blocking_network(300);
    let model = Model::load(dir.path()).unwrap();
    let reference: Vec<ReplicationResult> = (0..6).map(|r| run_replication(&model, r)).collect();
    assert_eq!(run_on(threads, &model, 6), reference);
    // Replications differ from each other.
    assert_ne!(reference[0], reference[1]);
}

#[test]
fn replications_are_identical_st() {
    check(1);
}

#[test]
fn replications_are_identical_mt() {
    check(4);
}

#[test]
fn the_same_seed_gives_the_same_baseline() {
    let mut model = bundled("baseline");
    model.settings_mut().horizon_days = 120.0;
    model.settings_mut().warmup_days = 20.0;
    assert_eq!(run_replication(&model, 3), run_replication(&model, 3));
    let mut other = model.clone();
    other.settings_mut().seed += 1;
    assert_ne!(run_replication(&model, 3), run_replication(&other, 3));
}

#[test]
fn money_is_identical_on_one_thread_or_four() {
    // Every variant of the contracts scenario: PbR spells, alliance settlements, pooled funds
    // and a council budget that holds patients awaiting funding.
    let experiment = careflow::Experiment::load(crate::common::scenario_dir("contracts")).unwrap();
    for variant in experiment.variants() {
        let mut model = variant.model.clone();
        model.settings_mut().horizon_days = 400.0;
        model.settings_mut().warmup_days = 100.0;
        let one = run_on(1, &model, 3);
        assert_eq!(run_on(4, &model, 3), one, "{}", variant.name);
        assert!(!one[0].finance.years.is_empty(), "{}", variant.name);
        assert_ne!(one[0].finance, one[1].finance, "{}", variant.name);
    }
}

/// A workspace that ran other replications, of other models, leaves no trace in the next:
/// each replication is the one `run_replication` gives, whatever ran in the workspace before
/// (including replications that ended with events still scheduled in the calendar).
#[test]
fn a_reused_workspace_gives_the_replications_a_fresh_one_gives() {
    let blocking = Model::load(blocking_network(300).path()).unwrap();
    let mut contracts = bundled("contracts");
    contracts.settings_mut().horizon_days = 90.0;
    let mut baseline = bundled("baseline");
    baseline.settings_mut().horizon_days = 60.0;
    baseline.settings_mut().warmup_days = 10.0;
    let mut workspace = careflow::Workspace::new();
    for r in 0..3 {
        for model in [&blocking, &contracts, &baseline] {
            let reused = workspace.run(model, r);
            let fresh = run_replication(model, r);
            assert_eq!(format!("{reused:?}"), format!("{fresh:?}"));
        }
    }
}
