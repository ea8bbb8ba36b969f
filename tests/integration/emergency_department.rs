//! The emergency department's 4-hour measures: arrival to leaving for everyone, and arrival
//! to admission for those admitted, with direct admissions bypassing it.

use crate::common::write_scenario;
use careflow::{Model, run_replication};

/// An ED where every patient stays exactly `ed_hours` hours, half then admitted to a ward
/// with beds to spare; a direct-admission stream goes straight to the ward.
fn ed(ed_hours: f64) -> tempfile::TempDir {
    let los = format!(
        "class,service,distribution,value\np,ed,fixed,{}\np,ward,fixed,1\n",
        ed_hours / 24.0
    );
    write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,300\nwarmup_days,10\nseed,5\nreplications,1\nwait_threshold_hours,4\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\ned,ed,trust,500,unlimited,fifo\nward,acute_bed,trust,500,unlimited,fifo\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nwalk_in,p,ed,40,\ndirect,p,ward,5,\n",
        ),
        ("los.csv", &los),
        (
            "routes.csv",
            "class,service,next,probability\np,ed,ward,0.5\np,ed,exit,0.5\n",
        ),
    ])
}

#[test]
fn arrival_to_admission_is_measured_for_admitted_patients() {
    for (hours, over) in [(3.0, false), (5.0, true)] {
        let dir = ed(hours);
        let model = Model::load(dir.path()).unwrap();
        let r = run_replication(&model, 0);
        let ed = model.service_id("ed").unwrap();
        let e = r.entries.iter().find(|e| e.service == ed).unwrap();
        // Everyone leaves the ED exactly `hours` after arriving (no waits: 500 cubicles).
        assert!((e.mean_time * 24.0 - hours).abs() < 1e-9, "{e:?}");
        assert!(
            (e.mean_time_to_admission * 24.0 - hours).abs() < 1e-9,
            "{e:?}"
        );
        assert_eq!(e.over_threshold, if over { e.patients } else { 0 });
        assert_eq!(e.admitted_over_threshold, if over { e.admitted } else { 0 });
        // Half are admitted: Binomial(n, 1/2), within 4 standard deviations.
        let n = e.patients as f64;
        assert!(
            (e.admitted as f64 - n / 2.0).abs() < 4.0 * (n / 4.0).sqrt(),
            "{e:?}"
        );
        // Direct admissions are the ward's own entry stream, not counted at the ED.
        let ward = model.service_id("ward").unwrap();
        let w = r.entries.iter().find(|e| e.service == ward).unwrap();
        assert!(w.patients > 1000);
        // The ward's arrivals are exactly the ED's admissions plus the direct ones.
        let direct = r.system.arrived - r.services[ed.index()].arrivals;
        assert_eq!(r.services[ward.index()].arrivals, e.admitted + direct);
    }
}
