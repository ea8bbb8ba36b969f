//! Little's law, L = λW, on every service of a network with blocking, priorities and a loop.
//!
//! L is the time-averaged occupancy, λ the admission rate and W the mean time in a place
//! (delay included) of patients who left in the window. The two sides differ only by the
//! stays that straddle the window's ends, at most (patients inside at either end) × (their
//! stays) ≈ 2·L·W bed-days out of L·T, a relative error of about 2W/T. With W ≤ 10 days and
//! T = 20 000 days that is 0.1%; the test allows 1%, which any accounting error (blocked time
//! missed, waits counted as stays) exceeds many times over.

use crate::common::{blocking_network, bundled};
use careflow::{Model, ReplicationResult, run_replication};

fn assert_littles_law(model: &Model, r: &ReplicationResult) {
    let t = r.observed_days;
    for s in &r.services {
        let name = model.services()[s.service.index()].name();
        if s.admissions == 0 {
            continue;
        }
        let lambda = s.admissions as f64 / t;
        let rhs = lambda * s.mean_length_of_stay;
        let rel = (s.mean_occupancy - rhs).abs() / s.mean_occupancy;
        println!("{name}: L = {:.4}, λW = {:.4}", s.mean_occupancy, rhs);
        assert!(rel < 0.01, "{name}: L = {}, λW = {rhs}", s.mean_occupancy);
    }
}

#[test]
fn littles_law_holds_on_every_service_of_a_blocking_network() {
    let dir = blocking_network(20_000);
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    // The network really blocks, so blocked time is part of what is checked.
    let acute = model.service_id("acute").unwrap();
    assert!(r.services[acute.index()].delayed_bed_days > 100.0);
    assert_littles_law(&model, &r);
}

#[test]
fn littles_law_holds_for_the_queue_of_an_mmc_ward() {
    let model = bundled("erlang_c_ward");
    let r = run_replication(&model, 0);
    let s = &r.services[0];
    let lambda = s.admissions as f64 / r.observed_days;
    let rel = (s.mean_queue - lambda * s.mean_wait).abs() / s.mean_queue;
    assert!(
        rel < 0.01,
        "Lq = {}, λWq = {}",
        s.mean_queue,
        lambda * s.mean_wait
    );
    assert_littles_law(&model, &r);
}
