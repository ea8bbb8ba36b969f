//! Readmissions: patients return as new spells within days of leaving, by pathway.

use crate::common::write_scenario;
use careflow::{Model, run_replication};

/// A ward (fixed 1-day stays, 10 arrivals a day, ample beds) whose leavers return with the
/// rows of readmissions.csv given.
fn ward(readmissions: &str) -> tempfile::TempDir {
    let readmissions =
        format!("class,service,pathway,probability,within_days,to\n{readmissions}\n");
    write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,2000\nwarmup_days,30\nseed,9\nreplications,1\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\nward,acute_bed,trust,100,unlimited,fifo\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,ward,10,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,value\np,ward,fixed,1\n",
        ),
        ("routes.csv", "class,service,next,probability\n"),
        ("readmissions.csv", &readmissions),
    ])
}

#[test]
fn leavers_return_with_the_given_probability() {
    let dir = ward("p,ward,,0.3,10,ward");
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let w = &r.services[0];
    // Every spell leaving may return (readmissions too): returns ~ Binomial(departures, 0.3),
    // give or take those still pending at either end of the window (at most 10 days' worth).
    let n = w.departures as f64;
    let expected = 0.3 * n;
    let slack = 4.0 * (n * 0.3 * 0.7).sqrt() + 0.3 * 10.0 * 15.0;
    assert!(
        (w.readmissions as f64 - expected).abs() < slack,
        "{} of {n}",
        w.readmissions
    );
    assert_eq!(r.system.readmissions, w.readmissions);
    // Arrivals rise to 10 / (1 − 0.3) a day in the long run.
    let per_day = w.arrivals as f64 / r.observed_days;
    assert!((per_day - 10.0 / 0.7).abs() < 0.3, "{per_day}");
    assert!(r.system.is_conserved());
}

#[test]
fn with_probability_zero_nobody_returns_and_draws_are_unchanged() {
    let none = ward("p,ward,,0,10,ward");
    let model = Model::load(none.path()).unwrap();
    let r = run_replication(&model, 0);
    assert_eq!(r.services[0].readmissions, 0);
    assert!(r.system.is_conserved());
}

#[test]
fn bad_readmission_rows_are_refused_with_their_position() {
    let cases = [
        (
            "p,ward,4,0.3,10,ward",
            "readmissions.csv:2: column 'pathway': expected a discharge pathway from 0 to 3, or empty for any, found \"4\"",
        ),
        (
            "p,ward,,1.3,10,ward",
            "readmissions.csv:2: column 'probability': expected a probability from 0 to 1, found \"1.3\"",
        ),
        (
            "p,ward,,0.3,0,ward",
            "readmissions.csv:2: column 'within_days': expected a number greater than 0, found \"0\"",
        ),
        (
            "p,ward,,0.3,10,ed",
            "readmissions.csv:2: column 'to': expected a service in services.csv, found \"ed\"",
        ),
        (
            "p,ward,,0.3,10,ward\np,ward,,0.2,5,ward",
            "readmissions.csv:3: duplicate entry for class 'p' leaving service 'ward' on any pathway (first given on line 2)",
        ),
    ];
    for (rows, expected) in cases {
        let dir = ward(rows);
        let err = Model::load(dir.path()).unwrap_err().to_string();
        assert_eq!(err, format!("{}/{expected}", dir.path().display()));
    }
}

/// Regression (found by the property tests): a readmission to a service no arrival stream
/// enters made that service an entry without entry statistics, and the run panicked.
#[test]
fn readmission_to_a_service_nobody_else_enters() {
    let dir = ward("p,ward,,0.5,3,clinic");
    std::fs::write(
        dir.path().join("services.csv"),
        "id,kind,provider,capacity,queue_capacity,queue_discipline\n\
         ward,acute_bed,trust,100,unlimited,fifo\n\
         clinic,other,trust,100,unlimited,fifo\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("los.csv"),
        "class,service,distribution,value\np,ward,fixed,1\np,clinic,fixed,0.5\n",
    )
    .unwrap();
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let clinic = model.service_id("clinic").unwrap();
    assert!(r.services[clinic.index()].readmissions > 1000);
    assert!(
        r.entries
            .iter()
            .any(|e| e.service == clinic && e.patients > 1000)
    );
    assert!(r.system.is_conserved());
}
