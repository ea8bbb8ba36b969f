//! Scenarios no run could finish are refused at load time with a positioned error.

use crate::common::write_scenario;
use careflow::Model;

fn ward(horizon: &str, rate: &str, los: &str, routes: &str) -> tempfile::TempDir {
    let settings = format!(
        "key,value\nstart_date,2026-04-01\nhorizon_days,{horizon}\nseed,1\nreplications,1\ndaily_series,false\n"
    );
    let arrivals = format!("id,class,service,rate_per_day,profile\nin,p,ward,{rate},\n");
    let los = format!("class,service,distribution,value,mean,file\n{los}\n");
    let routes = format!("class,service,next,probability\n{routes}");
    write_scenario(&[
        ("settings.csv", &settings),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity\nward,acute_bed,trust,10,unlimited\nside,other,trust,10,unlimited\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        ("arrivals.csv", &arrivals),
        ("los.csv", &los),
        ("routes.csv", &routes),
    ])
}

fn error(dir: &tempfile::TempDir) -> String {
    let text = Model::load(dir.path()).unwrap_err().to_string();
    text.replace(&format!("{}/", dir.path().display()), "")
}

#[test]
fn a_horizon_beyond_a_thousand_years_is_refused() {
    let dir = ward("1e9", "1", "p,ward,exponential,,3,", "");
    assert_eq!(
        error(&dir),
        "settings.csv:3: column 'value': expected a number of days greater than 0 and at most 365250 (a thousand years), found \"1e9\""
    );
}

#[test]
fn more_than_a_billion_arrivals_in_a_replication_are_refused() {
    let dir = ward("10", "1e12", "p,ward,exponential,,3,", "");
    assert_eq!(
        error(&dir),
        "arrivals.csv:2: column 'rate_per_day': expected at most 10^9 arrivals in a replication (rate × peak profile multiplier × horizon_days, over all streams), found \"1000000000000 (1.000e13 arrivals)\""
    );
}

#[test]
fn a_loop_of_zero_length_stays_is_refused() {
    let dir = ward(
        "10",
        "1",
        "p,ward,fixed,0,,\np,side,fixed,0,,",
        "p,ward,side,1\np,side,ward,0.5\np,side,exit,0.5\n",
    );
    assert_eq!(
        error(&dir),
        "los.csv:2: column 'distribution': class 'p' can loop back to service 'ward' through stays of exactly 0 days, so time would never advance"
    );
    // A zero stay that leads out of the loop to a positive stay is fine.
    let dir = ward(
        "10",
        "1",
        "p,ward,fixed,0,,\np,side,exponential,,1,",
        "p,ward,side,1\np,side,ward,0.5\np,side,exit,0.5\n",
    );
    Model::load(dir.path()).unwrap();
}

#[test]
fn observation_files_must_be_inside_the_scenario_folder() {
    for path in ["/etc/passwd", "../stays.csv"] {
        let dir = ward("10", "1", &format!("p,ward,empirical,,,{path}"), "");
        assert_eq!(
            error(&dir),
            format!(
                "los.csv:2: column 'file': expected a path inside the scenario folder, relative to it, found \"{path}\""
            )
        );
    }
}

#[test]
fn a_census_of_more_than_ten_million_is_refused() {
    let dir = ward("10", "1", "p,ward,exponential,,3,", "");
    std::fs::write(
        dir.path().join("services.csv"),
        "id,kind,provider,capacity,queue_capacity\nward,acute_bed,trust,4000000000,unlimited\nside,other,trust,10,unlimited\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("census.csv"),
        "service,class,occupied\nward,p,4000000000\n",
    )
    .unwrap();
    assert_eq!(
        error(&dir),
        "census.csv:2: column 'occupied': expected a census of at most 10000000 patients in all (each is simulated), so far 4000000000, found \"4000000000\""
    );
}

#[test]
fn a_scenario_file_that_is_not_a_regular_file_is_refused() {
    let dir = ward("10", "1", "p,ward,exponential,,3,", "");
    let fifo = dir.path().join("calendar.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here: nothing to test
    }
    assert_eq!(error(&dir), "calendar.csv: cannot read: not a regular file");
}

#[test]
fn more_than_a_billion_elective_bookings_are_refused() {
    let dir = ward("700", "1", "p,ward,exponential,,3,", "");
    std::fs::write(
        dir.path().join("electives.csv"),
        "id,class,service,weekday,count\nlist,p,ward,mon,4294967295\n",
    )
    .unwrap();
    assert_eq!(
        error(&dir),
        "electives.csv:2: column 'count': expected at most 10^9 arrivals and bookings in a replication, found \"4294967295 (4.295e11 in all)\""
    );
}
