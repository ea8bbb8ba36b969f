//! Conservation of patients: arrived = diverted + left + still inside, in every run.

use crate::common::{blocking_network, bundled};
use careflow::{Model, run_replications};

fn assert_conserved(model: &Model, replications: u32) {
    for r in run_replications(model, replications) {
        assert!(r.system.is_conserved(), "{:?}", r.system);
        let diverted: u64 = r.services.iter().map(|s| s.diverted).sum();
        assert_eq!(diverted, r.system.diverted);
        for s in &r.services {
            let capacity = model.services()[s.service.index()].capacity();
            assert!(s.mean_occupancy >= 0.0);
            // No calendar in these scenarios: occupancy never exceeds capacity.
            assert!(s.max_occupancy <= capacity, "{s:?}");
        }
    }
}

#[test]
fn every_bundled_small_scenario_conserves_patients() {
    for name in ["erlang_c_ward", "erlang_b_ward"] {
        let mut model = bundled(name);
        model.settings_mut().horizon_days = 500.0;
        assert_conserved(&model, 3);
    }
}

#[test]
fn a_blocking_network_conserves_patients() {
    let dir = blocking_network(400);
    let model = Model::load(dir.path()).unwrap();
    assert_conserved(&model, 4);
}

#[test]
fn the_baseline_conserves_patients() {
    let mut model = bundled("baseline");
    model.settings_mut().horizon_days = 200.0;
    model.settings_mut().warmup_days = 30.0;
    for r in run_replications(&model, 2) {
        assert!(r.system.is_conserved(), "{:?}", r.system);
    }
}
