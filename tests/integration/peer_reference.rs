//! The hand-written event loops of the peer benchmark (`benches/peer/reference.rs`) simulate
//! the same models as careflow's `scenarios/peer_*`: otherwise the benchmark's ratios would
//! compare different work. Per service, the mean occupied beds, the mean time in a bed, the
//! delayed bed-days and the patients delayed of 8 replications of 2000 days agree within 4
//! standard errors.

// The benches time the loops; this test reads their results.
#[allow(dead_code)]
#[path = "../../benches/peer/reference.rs"]
mod reference;

use careflow::{Model, run_replication};

/// Mean and standard error of the mean.
fn mean_se(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (variance / n).sqrt())
}

#[test]
fn the_hand_written_loops_simulate_the_peer_scenarios() {
    const REPLICATIONS: u64 = 8;
    const HORIZON: f64 = 2000.0;
    for name in ["mmc", "blocking", "pathways"] {
        let peer = reference::PeerModel::by_name(name).expect("a loop for each peer model");
        let mut model = Model::load(format!("scenarios/peer_{name}")).expect("bundled scenario");
        model.settings_mut().horizon_days = HORIZON;
        let careflow: Vec<_> = (0..REPLICATIONS)
            .map(|r| run_replication(&model, r))
            .collect();
        let hand: Vec<_> = (0..REPLICATIONS)
            .map(|r| reference::run(&peer, HORIZON, 1000 + r))
            .collect();
        assert_eq!(
            model.services().len(),
            hand[0].wards.len(),
            "{name}: services"
        );
        for (i, service) in model.services().iter().enumerate() {
            assert_eq!(
                service.name(),
                hand[0].wards[i].name,
                "{name}: service order"
            );
            type Get = fn(&careflow::ServiceResult) -> f64;
            type HandGet = fn(&reference::WardResult) -> f64;
            let measures: [(&str, Get, HandGet); 4] = [
                ("mean occupancy", |s| s.mean_occupancy, |w| w.mean_occupancy),
                (
                    "mean time in bed",
                    |s| s.mean_length_of_stay,
                    |w| w.mean_time_in_bed,
                ),
                (
                    "delayed bed-days",
                    |s| s.delayed_bed_days,
                    |w| w.delayed_bed_days,
                ),
                (
                    "delayed patients",
                    |s| s.delayed_patients as f64,
                    |w| w.delayed_patients as f64,
                ),
            ];
            for (what, get, hand_get) in measures {
                let (a, se_a) = mean_se(
                    &careflow
                        .iter()
                        .map(|r| get(&r.services[i]))
                        .collect::<Vec<_>>(),
                );
                let (b, se_b) = mean_se(
                    &hand
                        .iter()
                        .map(|r| hand_get(&r.wards[i]))
                        .collect::<Vec<_>>(),
                );
                let tolerance = 4.0 * (se_a * se_a + se_b * se_b).sqrt() + 1e-9;
                assert!(
                    (a - b).abs() <= tolerance,
                    "{name} {}: {what}: careflow {a:.4} (se {se_a:.4}), hand-written loop \
                     {b:.4} (se {se_b:.4})",
                    service.name()
                );
            }
        }
    }
}
