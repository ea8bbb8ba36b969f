//! Home care counted in hours: a package starts only when its weekly hours are free.

use crate::common::write_scenario;
use careflow::{Model, Summary, run_replications};

/// Home care with `capacity` hours a week, no queue (0) or an unlimited one, 8 referrals a
/// day staying exponential 1 day, packages of `package` hours a week (a los.csv-style row).
fn home_care(capacity: u32, queue: &str, package: &str) -> tempfile::TempDir {
    let services = format!(
        "id,kind,provider,capacity,queue_capacity,queue_discipline,unit\nhome_care,home_care,council,{capacity},{queue},fifo,hours\n"
    );
    let hours = format!("class,service,distribution,value,min,max\np,home_care,{package}\n");
    write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,5000\nwarmup_days,20\nseed,21\nreplications,20\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ncouncil,local_authority\n"),
        ("services.csv", &services),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,home_care,8,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,mean\np,home_care,exponential,1\n",
        ),
        ("package_hours.csv", &hours),
        ("routes.csv", "class,service,next,probability\n"),
    ])
}

/// With every package 10 hours a week and 100 hours, the service holds 10 packages: the
/// Erlang loss system B(10, 8) = 0.12166, as the bundled erlang_b_ward but counted in hours.
/// Acceptance as in the Erlang tests: the analytic value inside the 99.9% interval, which
/// must be narrower than 5% of it.
#[test]
fn fixed_packages_make_an_erlang_loss_system() {
    let dir = home_care(100, "0", "fixed,10,,");
    let model = Model::load(dir.path()).unwrap();
    let results = run_replications(&model, 20);
    let lost: Vec<f64> = results
        .iter()
        .map(|r| r.system.diverted as f64 / r.system.arrived as f64)
        .collect();
    let s = Summary::new(&lost, 0.999);
    let half = s.half_width.unwrap();
    let b = 4_194_304.0 / 34_475_319.0;
    println!("B: {:.5} ± {:.5}, analytic {b:.5}", s.mean, half);
    assert!(half < 0.05 * b, "{s:?}");
    assert!((s.mean - b).abs() <= half, "{s:?}");
    for r in &results {
        let hc = &r.services[0];
        assert!(hc.max_occupancy <= 10);
        // Hours in use are 10 per package.
        assert!((hc.mean_hours_used - 10.0 * hc.mean_occupancy).abs() < 1e-6 * hc.mean_hours_used);
        assert!(r.system.is_conserved());
    }
}

#[test]
fn mixed_packages_never_exceed_the_weekly_hours() {
    let dir = home_care(100, "unlimited", "uniform,,5,25");
    let model = Model::load(dir.path()).unwrap();
    for r in run_replications(&model, 4) {
        let hc = &r.services[0];
        assert!(hc.utilisation <= 1.0 + 1e-12, "{hc:?}");
        // Packages average 15 hours: fewer than 100 / 5 fit at once, and some wait.
        assert!(hc.max_occupancy <= 20);
        assert!(hc.mean_wait > 0.0);
        assert!(r.system.is_conserved());
    }
}

#[test]
fn hours_need_package_sizes_and_only_hours_services_take_them() {
    let dir = home_care(100, "0", "fixed,10,,");
    std::fs::write(
        dir.path().join("package_hours.csv"),
        "class,service,distribution,value\n",
    )
    .unwrap();
    let err = Model::load(dir.path()).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}/los.csv:2: column 'service': service 'home_care' counts hours: class 'p' needs a row in package_hours.csv",
            dir.path().display()
        )
    );
    let dir = home_care(100, "0", "fixed,10,,");
    std::fs::write(
        dir.path().join("services.csv"),
        "id,kind,provider,capacity,queue_capacity,queue_discipline,unit\nhome_care,home_care,council,100,0,fifo,minutes\n",
    )
    .unwrap();
    let err = Model::load(dir.path()).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}/services.csv:2: column 'unit': expected places, hours or visits, found \"minutes\"",
            dir.path().display()
        )
    );
    let dir = home_care(100, "0", "fixed,10,,");
    std::fs::write(
        dir.path().join("services.csv"),
        "id,kind,provider,capacity,queue_capacity,queue_discipline\nhome_care,home_care,council,100,0,fifo\n",
    )
    .unwrap();
    let err = Model::load(dir.path()).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}/package_hours.csv:2: column 'service': service 'home_care' counts places, not hours: give it unit 'hours' in services.csv",
            dir.path().display()
        )
    );
}
