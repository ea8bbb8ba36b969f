//! Starting from today's census: remaining stays from the equilibrium residual distribution
//! put the system in its steady state at once, with no warm-up.

use crate::common::write_scenario;
use careflow::{Model, Summary, run_replications};

/// An M/G/∞ ward: 20 arrivals a day, lognormal stays (mean 5, sd 4 days), beds enough for
/// everyone, no warm-up, a 10-day run; optionally starting with `census` patients in beds.
fn ward(census: Option<u32>) -> tempfile::TempDir {
    let mut files = vec![
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,10\nseed,17\nreplications,200\ndaily_series,false\n".to_owned(),
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n".to_owned()),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\nward,acute_bed,trust,1000,unlimited,fifo\n".to_owned(),
        ),
        ("classes.csv", "id,priority\np,0\n".to_owned()),
        ("arrivals.csv", "id,class,service,rate_per_day,profile\nin,p,ward,20,\n".to_owned()),
        ("los.csv", "class,service,distribution,mean,sd\np,ward,lognormal,5,4\n".to_owned()),
        ("routes.csv", "class,service,next,probability\n".to_owned()),
    ];
    if let Some(n) = census {
        files.push((
            "census.csv",
            format!("service,class,occupied,queued\nward,p,{n},0\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(n, c)| (*n, c.as_str())).collect();
    write_scenario(&files)
}

fn mean_occupancy(census: Option<u32>) -> Summary {
    let dir = ward(census);
    let model = Model::load(dir.path()).unwrap();
    let results = run_replications(&model, 200);
    for r in &results {
        assert!(r.system.is_conserved());
    }
    let values: Vec<f64> = results
        .iter()
        .map(|r| r.services[0].mean_occupancy)
        .collect();
    Summary::new(&values, 0.999)
}

/// In the M/G/∞ queue started with N = λ·E[S] patients whose remaining stays follow the
/// equilibrium residual distribution, E[occupancy(t)] = N·P(Se > t) + λ·E[S]·P(Se ≤ t) = λ·E[S]
/// at every t: the census start is already in steady state. So the 10-day mean occupancy must
/// be 100 within its 99.9% interval (t(0.9995, 199) ≈ 3.34). Giving the census patients fresh
/// stays instead (mean 5 left, not E[S²]/2E[S] = 4.1) would raise it by about 10 beds, and a
/// uniform share of a fresh stay (mean 2.5 left) lower it by about as much; the interval is
/// asserted to be under 3 beds wide each side, so either mistake fails the test.
#[test]
fn a_census_start_is_in_steady_state_without_warm_up() {
    let s = mean_occupancy(Some(100));
    let half = s.half_width.unwrap();
    println!("census start: {:.2} ± {:.2}", s.mean, half);
    assert!(half < 3.0, "{s:?}");
    assert!((s.mean - 100.0).abs() <= half, "{s:?}");
}

#[test]
fn an_empty_start_is_far_from_steady_state() {
    // For contrast: from empty, the ward fills over the first stays, and the 10-day mean is
    // 100·(1 − E[min(Se, 10)]/10), about two thirds of the steady state.
    let s = mean_occupancy(None);
    assert!(s.high() < 80.0, "{s:?}");
}

#[test]
fn census_errors_are_positioned() {
    let cases = [
        (
            "service,class,occupied,queued\nward,p,1001,0\n",
            "census.csv:2: column 'occupied': the census puts 1001 patients in service 'ward', which has 1000 places at the start",
        ),
        (
            "service,class,occupied,queued\nward,p,10,3\n",
            "census.csv:2: column 'queued': the census queues patients for service 'ward' while some of its places are free",
        ),
        (
            "service,class,occupied,queued\nward,p,10,0\nward,p,5,0\n",
            "census.csv:3: duplicate entry for class 'p' at service 'ward' (first given on line 2)",
        ),
        (
            "service,class,occupied,queued\nward,q,10,0\n",
            "census.csv:2: column 'class': expected a class in classes.csv, found \"q\"",
        ),
    ];
    for (contents, expected) in cases {
        let dir = ward(None);
        std::fs::write(dir.path().join("census.csv"), contents).unwrap();
        let err = Model::load(dir.path()).unwrap_err().to_string();
        assert_eq!(err, format!("{}/{expected}", dir.path().display()));
    }
}
