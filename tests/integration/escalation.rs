//! Escalation beds: open under pressure after a delay, close when it eases.

use crate::common::write_scenario;
use careflow::{Model, run_replication};

/// One ward of 20 beds with an unlimited queue, `rate` arrivals a day staying a day each, and
/// the escalation rule `rule` (a row of escalation.csv, or none).
fn ward(rate: f64, rule: Option<&str>) -> tempfile::TempDir {
    let arrivals = format!("id,class,service,rate_per_day,profile\nin,p,ward,{rate},\n");
    let escalation = rule.map(|r| format!("service,extra,open_at,close_below,delay_hours\n{r}\n"));
    let mut files = vec![
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,400\nwarmup_days,10\nseed,4\nreplications,2\ndaily_series,false\n".to_owned(),
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n".to_owned()),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\nward,acute_bed,trust,20,unlimited,fifo\n".to_owned(),
        ),
        ("classes.csv", "id,priority\np,0\n".to_owned()),
        ("arrivals.csv", arrivals),
        ("los.csv", "class,service,distribution,mean\np,ward,exponential,1\n".to_owned()),
        ("routes.csv", "class,service,next,probability\n".to_owned()),
    ];
    if let Some(e) = escalation {
        files.push(("escalation.csv", e));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(n, c)| (*n, c.as_str())).collect();
    write_scenario(&files)
}

fn ward_result(rate: f64, rule: Option<&str>) -> careflow::ServiceResult {
    let dir = ward(rate, rule);
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert!(r.system.is_conserved());
    r.services[0].clone()
}

#[test]
fn no_escalation_below_the_threshold() {
    // 5 a day staying a day: occupancy is Poisson(5); reaching 19 of 20 beds (0.95) has
    // probability about 1e-5 per arrival, and the rule needs all 20 (open_at 1).
    let w = ward_result(5.0, Some("ward,10,1,0.5,0"));
    assert_eq!(w.escalation_days_open, 0.0);
    assert_eq!(w.escalation_bed_days, 0.0);
    assert!((w.mean_capacity - 20.0).abs() < 1e-9);
}

#[test]
fn sustained_overload_keeps_escalation_beds_open() {
    // 40 a day on 20 + 15 beds: the queue only grows, so once open (at once: no delay) the
    // 15 extra beds never close, and they are always full.
    let w = ward_result(40.0, Some("ward,15,0.95,0.5,0"));
    assert!(w.escalation_days_open > 389.0, "{w:?}");
    assert!(w.mean_capacity > 34.9, "{w:?}");
    assert!(w.max_occupancy <= 35);
    assert!(w.escalation_bed_days > 15.0 * 385.0, "{w:?}");
}

#[test]
fn a_delay_longer_than_the_run_keeps_them_shut() {
    let w = ward_result(40.0, Some("ward,15,0.95,0.5,24000"));
    assert_eq!(w.escalation_days_open, 0.0);
    assert!(w.max_occupancy <= 20);
}

#[test]
fn escalation_beds_relieve_a_busy_ward() {
    // 18 a day on 20 beds (utilisation 0.9): queues build at peaks; 4 escalation beds called
    // at 19 occupied and closed below 15 cut the mean wait.
    let without = ward_result(18.0, None);
    let with = ward_result(18.0, Some("ward,4,0.95,0.75,2"));
    assert!(with.escalation_days_open > 0.0 && with.escalation_days_open < 390.0);
    assert!(
        with.mean_wait < without.mean_wait,
        "{} vs {}",
        with.mean_wait,
        without.mean_wait
    );
    // Escalation bed-days are occupied places above the planned 20.
    assert!(with.escalation_bed_days <= 4.0 * with.escalation_days_open + 1e-9);
}

#[test]
fn bad_escalation_rows_are_refused_with_their_position() {
    let cases = [
        (
            "ward,0,0.95,0.5,",
            "escalation.csv:2: column 'extra': expected an integer of at least 1, found \"0\"",
        ),
        (
            "ward,5,1.2,0.5,",
            "escalation.csv:2: column 'open_at': expected a share of capacity above 0 and at most 1, found \"1.2\"",
        ),
        (
            "ward,5,0.9,0.95,",
            "escalation.csv:2: column 'close_below': expected a share below open_at (0.9), so that the beds do not open and close at once, found \"0.95\"",
        ),
        (
            "icu,5,0.9,0.5,",
            "escalation.csv:2: column 'service': expected a service in services.csv, found \"icu\"",
        ),
        (
            "ward,5,0.9,0.5,-1",
            "escalation.csv:2: column 'delay_hours': expected a number of at least 0, found \"-1\"",
        ),
        (
            "ward,5,0.9,0.5,\nward,6,0.9,0.5,",
            "escalation.csv:3: duplicate entry for service 'ward' (first given on line 2)",
        ),
    ];
    for (row, expected) in cases {
        let dir = ward(5.0, Some(row));
        let err = Model::load(dir.path()).unwrap_err().to_string();
        let expected = format!("{}/{expected}", dir.path().display());
        assert_eq!(err, expected);
    }
}
