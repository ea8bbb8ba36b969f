//! Fitting a scenario from episodes (issue #17): the round trip from a known scenario to its
//! episodes and back recovers the parameters within their intervals, and the refitted
//! scenario's KPIs agree with the original's; hostile extracts get positioned errors.

use crate::common::write_scenario;
use careflow::episodes::{self, EpisodeWriter};
use careflow::fit::{self, Chosen, Family, FitOptions};
use careflow::{Model, Summary, run_replication_recorded, run_replications};

/// The known scenario: two classes through a ward, frail patients on to rehabilitation,
/// places to spare (so the arrival streams are seen as they are), one of each family with a
/// clear shape (gamma, lognormal, Weibull).
const KNOWN: &[(&str, &str)] = &[
    (
        "settings.csv",
        "key,value\nstart_date,2026-04-01\nhorizon_days,900\nwarmup_days,0\nseed,17\nreplications,10\n",
    ),
    ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
    (
        "services.csv",
        "id,kind,provider,capacity,waiting_list,transfers_wait,when_full\n\
         ward,acute_bed,trust,80,unlimited,in_bed,waiting_list\n\
         rehab,community_bed,trust,50,unlimited,in_bed,waiting_list\n",
    ),
    ("classes.csv", "id\nfrail\nadult\n"),
    (
        "arrivals.csv",
        "id,class,service,rate_per_day,profile\nfrail_in,frail,ward,3,\nadult_in,adult,ward,5,\n",
    ),
    (
        "los.csv",
        "class,service,distribution,mean,sd,shape,scale\n\
         frail,ward,gamma,6,3,,\nadult,ward,lognormal,2,1.5,,\nfrail,rehab,weibull,,,3,12\n",
    ),
    (
        "routes.csv",
        "class,service,next,probability\nfrail,ward,rehab,0.3\nfrail,ward,exit,0.7\n",
    ),
];

/// Means of the stays in `KNOWN`; the Weibull's is `12 Γ(1 + 1/3)`.
const TRUE_MEANS: [(&str, &str, f64, Family); 3] = [
    ("frail", "ward", 6.0, Family::Gamma),
    ("adult", "ward", 2.0, Family::Lognormal),
    (
        "frail",
        "rehab",
        12.0 * 0.892_979_511_569_249_2,
        Family::Weibull,
    ),
];

/// Whether `x` lies within a 99.9% interval around the estimate: 1.68 times the 95%
/// interval's half-width on the side of `x` (3.29 / 1.96 standard errors). With eight such
/// checks, the test fails by chance less than 1% of the time, where 95% intervals would fail
/// it a third of the time. (The unit tests check each family's 95% interval on its own.)
fn within(e: &fit::Estimate, x: f64) -> bool {
    let half = if x >= e.value {
        e.high - e.value
    } else {
        e.value - e.low
    };
    (x - e.value).abs() <= 1.68 * half
}

#[test]
fn a_round_trip_recovers_the_known_scenario_and_its_kpis() {
    let known = write_scenario(KNOWN);
    let model = Model::load(known.path()).unwrap();
    let work = tempfile::tempdir().unwrap();
    let extract = work.path().join("episodes.csv");
    let mut writer = EpisodeWriter::new(&model, Vec::new()).unwrap();
    run_replication_recorded(&model, 0, &mut writer);
    std::fs::write(&extract, writer.finish().unwrap()).unwrap();

    let episodes = episodes::read(&extract).unwrap_or_else(|e| panic!("{e}"));
    // The extract ends at the horizon, whatever the last event was.
    let options = FitOptions {
        extract_end: Some(episodes::time_after(model.settings().start_date, 900.0)),
        services_from: Some(known.path().to_path_buf()),
        ..FitOptions::default()
    };
    let fitted = fit::fit(&episodes, &options).unwrap_or_else(|e| panic!("{e}"));

    // Arrival rates, with no profile found in flat streams.
    for (class, rate) in [("frail", 3.0), ("adult", 5.0)] {
        let s = fitted.streams.iter().find(|s| s.class == class).unwrap();
        assert_eq!(s.service, "ward");
        assert!(within(&s.rate, rate), "{class}: {:?}", s.rate);
        assert!(
            s.hours.is_none() && s.weekdays.is_none() && s.months.is_none(),
            "{s:?}"
        );
    }
    assert_eq!(
        fitted.streams.len(),
        2,
        "rehab is reached by transfers only"
    );
    // Routes.
    let route = fitted
        .routes
        .iter()
        .find(|r| r.class == "frail" && r.service == "ward" && r.next == "rehab")
        .unwrap();
    assert!(within(&route.probability, 0.3), "{route:?}");
    assert!(
        fitted
            .routes
            .iter()
            .all(|r| r.class != "adult" || r.next == "exit")
    );
    // Stays: the mean within its interval, censoring exercised, and the true family chosen
    // or within 2 AIC points of the chosen one.
    for (class, service, mean, family) in TRUE_MEANS {
        let f = fitted
            .stays
            .iter()
            .find(|f| f.class == class && f.service == service)
            .unwrap();
        assert!(f.censored > 0, "{class} at {service}: no open stays");
        let best = f
            .best()
            .unwrap_or_else(|| panic!("{class} at {service}: {:?}", f.chosen));
        assert!(matches!(f.chosen, Chosen::Family(_)));
        assert!(
            within(&best.mean, mean),
            "{class} at {service}: {:?}",
            best.mean
        );
        let truth = f
            .families
            .iter()
            .find(|(fam, _)| *fam == family)
            .and_then(|(_, r)| r.as_ref().ok())
            .unwrap();
        assert!(
            truth.aic - best.aic < 2.0,
            "{class} at {service}: {:?} chosen over {family:?}",
            best.family
        );
        assert!(best.ks < 1.358 / (f.ended as f64).sqrt());
    }
    assert!(fitted.warnings.is_empty(), "{:?}", fitted.warnings);
    assert!(!fitted.census.is_empty());

    // The refitted scenario loads and its KPIs agree with the original's.
    let folder = work.path().join("fitted");
    fitted.write_scenario(&folder, &options).unwrap();
    // The fit report: two charts for each (class, service), observed against fitted, and
    // the parameter tables with their intervals.
    let report = std::fs::read_to_string(folder.join("fit_report.html")).unwrap();
    assert!(
        report.contains("data-charts-expected=\"6\""),
        "{}",
        &report[..400]
    );
    for (class, service, _, family) in TRUE_MEANS {
        assert!(report.contains(&format!("<h2>Stays: {class} at {service}</h2>")));
        assert!(report.contains(&format!("id=\"chart-stays-{class}-{service}-qq\"")));
        assert!(report.contains(family.as_str()));
    }
    assert_eq!(report.matches(" (chosen)</strong>").count(), 3);
    let mut refit = Model::load(&folder).unwrap_or_else(|e| panic!("{e}"));
    let mut original = model.clone();
    for m in [&mut original, &mut refit] {
        m.settings_mut().horizon_days = 260.0;
        m.settings_mut().warmup_days = 60.0;
        m.settings_mut().daily_series = false;
    }
    let a = run_replications(&original, 10);
    let b = run_replications(&refit, 10);
    // How far the fit's own uncertainty may move each KPI: the relative half-widths of the
    // rates, means and route shares behind it, added (conservatively).
    let rel = |e: &fit::Estimate| (e.high - e.low) / (2.0 * e.value);
    let stream = |c: &str| rel(&fitted.streams.iter().find(|s| s.class == c).unwrap().rate);
    let stay = |c: &str, s: &str| {
        rel(&fitted
            .stays
            .iter()
            .find(|f| f.class == c && f.service == s)
            .unwrap()
            .best()
            .unwrap()
            .mean)
    };
    let slack = [
        (
            "ward",
            (stream("frail") + stay("frail", "ward")).max(stream("adult") + stay("adult", "ward")),
        ),
        (
            "rehab",
            stream("frail") + rel(&route.probability) + stay("frail", "rehab"),
        ),
    ];
    for (service, slack) in slack {
        let i = model.service_id(service).unwrap().index();
        let occupancy = |r: &[careflow::ReplicationResult]| {
            let v: Vec<f64> = r.iter().map(|r| r.services[i].mean_occupancy).collect();
            Summary::new(&v, 0.95)
        };
        let (x, y) = (occupancy(&a), occupancy(&b));
        let low = y.low() * (1.0 - slack) - (x.high() - x.mean);
        let high = y.high() * (1.0 + slack) + (x.high() - x.mean);
        assert!(
            (low..=high).contains(&x.mean),
            "{service}: original {:.2} ± {:.2}, refitted {:.2} ± {:.2}, slack {slack:.3}",
            x.mean,
            x.high() - x.mean,
            y.mean,
            y.high() - y.mean
        );
    }
    let arrived = |r: &[careflow::ReplicationResult]| {
        let v: Vec<f64> = r
            .iter()
            .map(|r| r.system.arrived as f64 / r.observed_days)
            .collect();
        Summary::new(&v, 0.95)
    };
    let (x, y) = (arrived(&a), arrived(&b));
    let slack = stream("frail").max(stream("adult"));
    assert!(
        (x.mean - y.mean).abs() <= y.mean * slack + (x.high() - x.mean) + (y.high() - y.mean),
        "arrivals a day: original {x:?}, refitted {y:?}"
    );
}

const HEADER: &str = "patient,class,service,start,end,fit,next\n";

fn extract(rows: &str) -> (tempfile::TempDir, episodes::Episodes) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("episodes.csv");
    std::fs::write(&path, format!("{HEADER}{rows}")).unwrap();
    let episodes = episodes::read(&path).unwrap_or_else(|e| panic!("{e}"));
    (dir, episodes)
}

fn refused(rows: &str, options: &FitOptions) -> String {
    let (_dir, episodes) = extract(rows);
    match fit::fit(&episodes, options) {
        Ok(f) => panic!("fitted: {f:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn hostile_extracts_are_refused_by_the_fit_at_their_place() {
    let defaults = FitOptions::default();
    // Every stay still open.
    let error = refused(
        "P1,c,ward,2026-01-01 00:00,,,\nP2,c,ward,2026-01-02 00:00,,,\n",
        &defaults,
    );
    assert!(
        error.contains("episodes.csv:2: column 'end'") && error.contains("no stay"),
        "{error}"
    );
    // One open episode: the extract spans no time.
    let error = refused("P1,c,ward,2026-01-01 00:00,,,\n", &defaults);
    assert!(
        error.contains(":2: column 'start'") && error.contains("spans no time"),
        "{error}"
    );
    // Every ended stay of zero length.
    let error = refused(
        "P1,c,ward,2026-01-01 00:00,2026-01-01 00:00,,exit\nP2,c,ward,2026-01-03 00:00,2026-01-03 00:00,,exit\n",
        &defaults,
    );
    assert!(
        error.contains(":2: column 'end'") && error.contains("lasted 0"),
        "{error}"
    );
    // An extract end before the data.
    let early = FitOptions {
        extract_end: Some(
            chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        ),
        ..FitOptions::default()
    };
    let error = refused(
        "P1,c,ward,2026-01-01 00:00,2026-01-01 12:00,,exit\nP2,c,ward,2026-01-01 06:00,2026-01-03 00:00,,exit\n",
        &early,
    );
    assert!(
        error.contains(":3: column 'end'") && error.contains("after the extract's end"),
        "{error}"
    );
}

#[test]
fn thin_and_awkward_extracts_fit_with_warnings_and_load() {
    // One episode: an exponential stay, warned about, and a scenario that loads.
    let (dir, episodes) = extract("P1,c,ward,2026-01-01 00:00,2026-01-03 12:00,,exit\n");
    let fitted = fit::fit(&episodes, &FitOptions::default()).unwrap();
    let stay = &fitted.stays[0];
    assert_eq!(stay.best().unwrap().family, Family::Exponential);
    assert!((stay.best().unwrap().mean.value - 2.5).abs() < 1e-9);
    assert!(
        fitted.warnings.iter().any(|w| w.contains("fewer than 30")),
        "{:?}",
        fitted.warnings
    );
    let folder = dir.path().join("one");
    fitted
        .write_scenario(&folder, &FitOptions::default())
        .unwrap();
    Model::load(&folder).unwrap_or_else(|e| panic!("{e}"));
    // Writing over a fitted scenario is refused.
    let error = fitted
        .write_scenario(&folder, &FitOptions::default())
        .unwrap_err();
    assert!(error.to_string().contains("already there"), "{error}");

    // Zero-length stays among others count as under a minute; a route to a service with no
    // stays of the class becomes an exit, with a warning; a long open stay is censored.
    let mut rows = String::new();
    for i in 0..40 {
        let (end, next) = match i % 4 {
            0 => ("2026-01-01 00:00".to_owned(), "exit"),
            1 => (format!("2026-01-0{} 06:00", 2 + i % 7), "elsewhere"),
            _ => (format!("2026-01-0{} 18:00", 2 + i % 7), "exit"),
        };
        rows.push_str(&format!("P{i},c,ward,2026-01-01 00:00,{end},,{next}\n"));
    }
    rows.push_str(
        "Q,c,ward,2026-01-01 00:00,,,\nR,c,ward,2026-01-09 00:00,2026-01-09 10:00,,exit\n",
    );
    let (dir, episodes) = extract(&rows);
    let fitted = fit::fit(&episodes, &FitOptions::default()).unwrap();
    let stay = &fitted.stays[0];
    assert_eq!((stay.zero, stay.censored, stay.episodes), (10, 1, 42));
    assert!(
        fitted
            .warnings
            .iter()
            .any(|w| w.contains("'elsewhere'") && w.contains("routed to exit"))
    );
    assert_eq!(fitted.routes.len(), 1);
    assert_eq!(fitted.routes[0].next, "exit");
    assert_eq!(fitted.census.len(), 1);
    let folder = dir.path().join("awkward");
    fitted
        .write_scenario(&folder, &FitOptions::default())
        .unwrap();
    Model::load(&folder).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_fit_scenario_example_fits_the_bundled_extract_and_compares() {
    use crate::examples::example;
    use std::process::Command;
    let extract = crate::common::scenario_dir("synthetic_extract").join("episodes.csv");
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("fitted");
    let output = Command::new(example("fit_scenario"))
        .arg(&extract)
        .arg(&folder)
        .arg("--compare")
        .arg(&extract)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("(3 services, 2 classes; loads)"),
        "{stdout}"
    );
    assert!(stdout.contains("15 of 15 estimates agree"), "{stdout}");
    assert!(folder.join("fit").join("stays.csv").exists());
    // The hour-of-day profile of the ED arrivals is found.
    assert!(stdout.contains("profile: hours"), "{stdout}");
    // Bad arguments and bad extracts are errors, not panics.
    for (args, expected) in [
        (
            vec!["--extract-end", "tomorrow"],
            "error: --extract-end: expected YYYY-MM-DD HH:MM",
        ),
        (vec!["--horizon-days", "0"], "error: --horizon-days"),
    ] {
        let output = Command::new(example("fit_scenario"))
            .arg(&extract)
            .arg(out.path().join("other"))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success() && stderr.starts_with(expected),
            "{stderr}"
        );
    }
    let bad = out.path().join("bad.csv");
    std::fs::write(&bad, format!("{HEADER}P1,c,ward,2026-01-01 00:00,,,\n")).unwrap();
    let output = Command::new(example("fit_scenario"))
        .arg(&bad)
        .arg(out.path().join("other"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.csv:2: column 'start'"), "{stderr}");
}
