//! Elective bookings: admitted when a place is free at the booked time, else cancelled and
//! rebooked or lost. Counted exactly on fixed stays.

use crate::common::write_scenario;
use careflow::{Model, run_replication};

/// Two beds; three patients booked every Monday at 08:00, each staying exactly one day; no
/// other arrivals. Day 0 (2026-04-01) is a Wednesday, so the Mondays are days 5, 12, …, 68:
/// ten of them in a 70-day run.
fn monday_list(rebook_days: &str) -> tempfile::TempDir {
    let electives = format!(
        "id,class,service,weekday,count,hour,rebook_days\nlist,p,ward,mon,3,8,{rebook_days}\n"
    );
    write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,70\nseed,1\nreplications,1\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\nward,acute_bed,trust,2,unlimited,fifo\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        ("arrivals.csv", "id,class,service,rate_per_day,profile\n"),
        ("electives.csv", &electives),
        (
            "los.csv",
            "class,service,distribution,value\np,ward,fixed,1\n",
        ),
        ("routes.csv", "class,service,next,probability\n"),
    ])
}

#[test]
fn the_third_patient_each_monday_is_cancelled_and_lost() {
    let dir = monday_list("");
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let ward = &r.services[0];
    assert_eq!(r.system.arrived, 30);
    assert_eq!(ward.admissions, 20);
    assert_eq!(ward.cancelled, 10);
    assert_eq!(ward.diverted, 10);
    assert_eq!(r.system.diverted, 10);
    assert_eq!(ward.mean_wait, 0.0);
    assert!(r.system.is_conserved());
}

#[test]
fn a_rebooked_patient_is_admitted_the_next_day() {
    // Tuesday 08:00: the Monday patients' stays end at that very time, scheduled earlier
    // than the rebooking, so (ties in scheduling order) the bed is free first.
    let dir = monday_list("1");
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let ward = &r.services[0];
    assert_eq!(ward.admissions, 30);
    assert_eq!(ward.cancelled, 10);
    assert_eq!(ward.diverted, 0);
    // Ten of thirty waited exactly a day.
    assert!((ward.mean_wait - 10.0 / 30.0).abs() < 1e-12);
    assert!(r.system.is_conserved());
}

#[test]
fn bad_elective_rows_are_refused_with_their_position() {
    let cases = [
        (
            "list,p,ward,monday,3,8,",
            "electives.csv:2: column 'weekday': expected one of mon, tue, wed, thu, fri, sat or sun, found \"monday\"",
        ),
        (
            "list,p,ward,mon,-3,8,",
            "electives.csv:2: column 'count': expected a non-negative integer, found \"-3\"",
        ),
        (
            "list,p,ward,mon,3,24,",
            "electives.csv:2: column 'hour': expected an hour of the day from 0 to below 24, found \"24\"",
        ),
        (
            "list,p,ward,mon,3,8,0",
            "electives.csv:2: column 'rebook_days': expected a number of days greater than 0, or empty (cancelled patients are lost), found \"0\"",
        ),
        (
            "list,p,icu,mon,3,8,",
            "electives.csv:2: column 'service': expected a service in services.csv, found \"icu\"",
        ),
    ];
    for (row, expected) in cases {
        let dir = monday_list("");
        std::fs::write(
            dir.path().join("electives.csv"),
            format!("id,class,service,weekday,count,hour,rebook_days\n{row}\n"),
        )
        .unwrap();
        let err = Model::load(dir.path()).unwrap_err().to_string();
        assert_eq!(err, format!("{}/{expected}", dir.path().display()));
    }
    // A service reached only by an elective list needs a length of stay.
    let dir = monday_list("");
    std::fs::write(
        dir.path().join("los.csv"),
        "class,service,distribution,value\n",
    )
    .unwrap();
    let err = Model::load(dir.path()).unwrap_err().to_string();
    assert!(err.ends_with("no length of stay for class 'p' at service 'ward', which it reaches by elective list 'list'"), "{err}");
}
