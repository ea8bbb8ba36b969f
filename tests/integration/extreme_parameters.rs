//! Extreme but finite inputs give a positioned error, never a panic, NaN or a silent hang:
//! distribution parameters whose draws or moments would overflow, money amounts whose totals
//! could, and home-care packages too large ever to start.

use crate::common::{copy_dir, scenario_dir, write_scenario};
use careflow::{
    Draw, Experiment, InvalidDraw, Model, Plan, Report, RunInfo, ServiceId, run_replication,
};
use std::path::Path;

/// One ward fed at 1 a day, with the length of stay `los` (a los.csv row after `p,ward,`, in
/// the columns `distribution,mean,sd,shape,scale,min,mode,max,value,file`) and extra files.
fn ward(los: &str, extra: &[(&str, &str)]) -> tempfile::TempDir {
    let los = format!(
        "class,service,distribution,mean,sd,shape,scale,min,mode,max,value,file\np,ward,{los}\n"
    );
    let mut files = vec![
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,30\nseed,1\nreplications,1\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity\nward,acute_bed,trust,10,unlimited\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,ward,1,\n",
        ),
        ("los.csv", &los),
        ("routes.csv", "class,service,next,probability\n"),
    ];
    files.extend_from_slice(extra);
    write_scenario(&files)
}

/// The load error, with the folder's path taken out.
fn error(dir: &Path) -> String {
    let text = Model::load(dir).unwrap_err().to_string();
    text.replace(&format!("{}/", dir.display()), "")
}

/// The family and parameter cells of `los.csv` rows: every family, each beyond a limit,
/// with the exact message (the column blamed is the one that implies the problem).
#[test]
fn extreme_stays_are_refused_naming_the_real_cause() {
    let cases = [
        // The examples: each panicked in the event queue.
        (
            "exponential,1e308,,,,,,,,",
            "los.csv:2: column 'mean': expected a value giving a mean of at most 10^9 (this one gives 1.000e308), found \"1e308\"",
        ),
        (
            "weibull,,,0.001,1,,,,,",
            "los.csv:2: column 'shape': expected a value giving a variance factor Γ(1 + 2/shape) from 10^-300 to 10^300 (this one gives about 10^5736), found \"0.001\"",
        ),
        (
            "lognormal,1e155,1,,,,,,,",
            "los.csv:2: column 'mean': expected a value giving a mean of at most 10^9 (this one gives 1.000e155), found \"1e155\"",
        ),
        // Refused before as "expected a number greater than 0": the real cause is the shape.
        (
            "gamma,5,1e200,,,,,,,",
            "los.csv:2: column 'sd': expected a value giving a gamma shape (mean/sd)² from 10^-307 to 10^307 (this one gives about 10^-399), found \"1e200\"",
        ),
        (
            "gamma,1e-10,1e-160,,,,,,,",
            "los.csv:2: column 'sd': expected a value giving a variance sd² from 10^-307 to 10^307 (this one gives about 10^-320), found \"1e-160\"",
        ),
        (
            "gamma,5,2e9,,,,,,,",
            "los.csv:2: column 'sd': expected a value giving a standard deviation of at most 10^9 (this one gives 2.000e9), found \"2e9\"",
        ),
        (
            "lognormal,1e-300,1,,,,,,,",
            "los.csv:2: column 'sd': expected a value giving a squared coefficient of variation (sd/mean)² from 10^-307 to 10^307 (this one gives about 10^600), found \"1\"",
        ),
        (
            "exponential,1e-310,,,,,,,,",
            "los.csv:2: column 'mean': expected a value giving a rate 1/mean from 10^-307 to 10^307 (this one gives about 10^310), found \"1e-310\"",
        ),
        (
            "weibull,,,0.5,1e9,,,,,",
            "los.csv:2: column 'scale': expected a value giving a mean of at most 10^9 (this one gives 2.000e9), found \"1e9\"",
        ),
        (
            "weibull,,,0.0121,1e-100,,,,,",
            "los.csv:2: column 'scale': expected a value giving a mean of at most 10^9 (this one gives 8.194e23), found \"1e-100\"",
        ),
        (
            "triangular,,,,,0,1e308,1e308,,",
            "los.csv:2: column 'max': expected a value giving a mean of at most 10^9 (this one gives more than 10^308), found \"1e308\"",
        ),
        (
            "uniform,,,,,0,,1e308,,",
            "los.csv:2: column 'max': expected a value giving a mean of at most 10^9 (this one gives 5.000e307), found \"1e308\"",
        ),
        (
            "fixed,,,,,,,,1e10,",
            "los.csv:2: column 'value': expected a value giving a mean of at most 10^9 (this one gives 1.000e10), found \"1e10\"",
        ),
    ];
    for (los, expected) in cases {
        let dir = ward(los, &[]);
        assert_eq!(error(dir.path()), expected, "{los}");
    }
    // An empirical distribution: its observations' spread.
    let dir = ward(
        "empirical,,,,,,,,,big.csv",
        &[("big.csv", "days\n0\n1e300\n")],
    );
    assert_eq!(
        error(dir.path()),
        "los.csv:2: column 'file': expected a value giving a mean of at most 10^9 (this one gives 5.000e299), found \"big.csv\""
    );
}

/// At the limits every family loads and runs, a census included (remaining stays), with no
/// invalid draw and finite statistics.
#[test]
fn stays_at_the_limits_run_without_invalid_draws() {
    let families = [
        "exponential,1e9,,,,,,,,",
        "lognormal,1e9,1e9,,,,,,,",
        "lognormal,1e-5,1e9,,,,,,,",
        "gamma,1e9,1e9,,,,,,,",
        "gamma,1e-3,1e3,,,,,,,",
        "gamma,1e3,1e-140,,,,,,,",
        "weibull,,,0.0121,1e-145,,,,,",
        "weibull,,,1e300,1e9,,,,,",
        "triangular,,,,,0,1e9,1e9,,",
        "uniform,,,,,0,,1e9,,",
        "fixed,,,,,,,,1e9,",
        "empirical,,,,,,,,,obs.csv",
    ];
    for los in families {
        let dir = ward(
            los,
            &[
                ("obs.csv", "days\n0\n1e9\n2e9\n"),
                ("census.csv", "service,class,occupied,queued\nward,p,10,5\n"),
            ],
        );
        let model = Model::load(dir.path()).unwrap_or_else(|e| panic!("{los}: {e}"));
        for replication in 0..20 {
            let r = run_replication(&model, replication);
            assert_eq!(r.invalid_draw, None, "{los}");
            assert!(r.system.is_conserved(), "{los}");
            let ward = &r.services[0];
            for x in [
                ward.mean_occupancy,
                ward.mean_wait,
                ward.mean_length_of_stay,
            ] {
                assert!(x.is_finite() && x >= 0.0, "{los}: {ward:?}");
            }
        }
    }
}

/// The same checks apply wherever a distribution is read: assessments in `discharge.csv`
/// and package sizes in `package_hours.csv`.
#[test]
fn extreme_assessments_and_package_sizes_are_refused() {
    let dir = ward(
        "exponential,3,,,,,,,,",
        &[
            (
                "discharge.csv",
                "class,service,model,distribution,mean,shape,scale\np,ward,assess_in_hospital,weibull,,0.001,1\n",
            ),
            (
                "pathways.csv",
                "class,service,pathway,probability,destination,interim\np,ward,0,1,exit,\n",
            ),
        ],
    );
    assert_eq!(
        error(dir.path()),
        "discharge.csv:2: column 'shape': expected a value giving a variance factor Γ(1 + 2/shape) from 10^-300 to 10^300 (this one gives about 10^5736), found \"0.001\""
    );
    let dir = home_care("100", "", "lognormal,1e155,1,,,");
    assert_eq!(
        error(dir.path()),
        "package_hours.csv:2: column 'mean': expected a value giving a mean of at most 10^9 (this one gives 1.000e155), found \"1e155\""
    );
}

/// Home care counted in hours (`capacity` hours a week, escalation rows `escalation`),
/// referrals at 10 a day staying 1 day, with package sizes `package` (a row after
/// `p,home,`, columns `distribution,mean,sd,min,max,value`).
fn home_care(capacity: &str, escalation: &str, package: &str) -> tempfile::TempDir {
    let services = format!(
        "id,kind,provider,capacity,queue_capacity,queue_discipline,unit\nhome,home_care,council,{capacity},unlimited,fifo,hours\n"
    );
    let packages = format!("class,service,distribution,mean,sd,min,max,value\np,home,{package}\n");
    let mut files = vec![
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,365\nseed,1\nreplications,1\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ncouncil,local_authority\n"),
        ("services.csv", services.as_str()),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,home,10,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,mean\np,home,exponential,1\n",
        ),
        ("package_hours.csv", packages.as_str()),
        ("routes.csv", "class,service,next,probability\n"),
    ];
    let escalation = format!("service,extra,open_at,close_below,delay_hours\n{escalation}");
    files.push(("escalation.csv", escalation.as_str()));
    write_scenario(&files)
}

/// The gridlock: a package needing more hours than the service ever has never
/// started, and the run ended with every later referral queued behind it, silently. Now it
/// is refused at load time, against the largest capacity over the calendar and escalation.
#[test]
fn a_package_larger_than_the_service_can_ever_be_is_refused() {
    let dir = home_care("100", "", "fixed,,,,,250");
    assert_eq!(
        error(dir.path()),
        "package_hours.csv:2: column 'distribution': packages of up to 250 hours a week can never start at service 'home', which has at most 100 (its largest capacity over the calendar, with escalation): one would keep everyone queued behind it waiting for ever"
    );
    let dir = home_care("100", "", "uniform,,,10,101,");
    assert_eq!(
        error(dir.path()),
        "package_hours.csv:2: column 'distribution': packages of up to 101 hours a week can never start at service 'home', which has at most 100 (its largest capacity over the calendar, with escalation): one would keep everyone queued behind it waiting for ever"
    );
    // Escalation places count: 100 + 150 hours.
    let dir = home_care("100", "home,150,0.5,0.3,0\n", "fixed,,,,,250");
    Model::load(dir.path()).unwrap();
    // So does a calendar that raises the capacity later on.
    let dir = home_care("100", "", "fixed,,,,,250");
    std::fs::write(
        dir.path().join("calendar.csv"),
        "service,from,to,capacity\nhome,2026-06-01,,300\n",
    )
    .unwrap();
    Model::load(dir.path()).unwrap();
    // But not one after the horizon, and not a base capacity the calendar replaces from
    // the start.
    std::fs::write(
        dir.path().join("calendar.csv"),
        "service,from,to,capacity\nhome,2026-01-01,2027-05-31,50\nhome,2027-06-01,,300\n",
    )
    .unwrap();
    assert_eq!(
        error(dir.path()),
        "package_hours.csv:2: column 'distribution': packages of up to 250 hours a week can never start at service 'home', which has at most 50 (its largest capacity over the calendar, with escalation): one would keep everyone queued behind it waiting for ever"
    );
}

/// An unbounded package size is refused when more than 10⁻³ packages a replication are
/// expected to exceed the capacity: exponential with mean 10 hours against 100 hours,
/// e^−10 = 4.54·10⁻⁵ of 3650 referrals, 0.166. Against 200 hours, e^−20 · 3650 = 7.5·10⁻⁶.
#[test]
fn an_unbounded_package_size_likely_to_exceed_the_capacity_is_refused() {
    let dir = home_care("100", "", "exponential,10,,,,");
    assert_eq!(
        error(dir.path()),
        "package_hours.csv:2: column 'distribution': a package needs more than the 100 hours a week service 'home' can ever have (its largest capacity over the calendar, with escalation) with probability 4.540e-5: 1.657e-1 such packages expected in a replication, where at most 10^-3 are accepted, since one would keep everyone queued behind it waiting for ever"
    );
    let dir = home_care("200", "", "exponential,10,,,,");
    Model::load(dir.path()).unwrap();
    for (package, p) in [
        // σ² = ln 2, μ = ln 10 − σ²/2: z = (ln 100 − μ)/σ = 3.18.
        ("lognormal,10,10,,,", 7.31e-4),
        // Shape 1: exponential.
        ("gamma,10,10,,,", 4.54e-5),
    ] {
        let dir = home_care("100", "", package);
        let text = error(dir.path());
        assert!(text.contains("with probability"), "{package}: {text}");
        let given: f64 = text
            .split("with probability ")
            .nth(1)
            .and_then(|t| t.split(':').next())
            .unwrap()
            .parse()
            .unwrap();
        assert!((given / p - 1.0).abs() < 0.1, "{package}: {given} vs {p}");
    }
}

/// A package too large can still be drawn (an unbounded size, rarely): the run reports it
/// rather than gridlocking in silence. Each of 10 referrals returns 10⁴ times on average from
/// a ward, drawing a new package each time: 10⁵ packages, of which e^−10 ≈ 4.5·10⁻⁵ exceed the
/// 10 hours, while the load-time rule counts each referral once (10 · 4.5·10⁻⁵ < 10⁻³).
#[test]
fn a_package_that_can_never_start_is_reported() {
    let dir = write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,10\nseed,3\nreplications,1\ndaily_series,false\n",
        ),
        (
            "organisations.csv",
            "id,kind\ntrust,acute_trust\ncouncil,local_authority\n",
        ),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline,unit\nward,acute_bed,trust,100,unlimited,fifo,places\nhome,home_care,council,10,unlimited,fifo,hours\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,ward,1,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,mean\np,ward,exponential,0.00001\np,home,exponential,0.00001\n",
        ),
        (
            "package_hours.csv",
            "class,service,distribution,mean\np,home,exponential,1\n",
        ),
        (
            "routes.csv",
            "class,service,next,probability\np,ward,home,1\np,home,ward,0.9999\np,home,exit,0.0001\n",
        ),
    ]);
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let never = &r.packages_never_started;
    assert_eq!(never.len(), 1, "{never:?}");
    assert_eq!(Some(never[0].service), model.service_id("home"));
    assert!(never[0].hours > 10.0);
    assert_eq!(never[0].most_hours, 10);
    assert!(r.system.is_conserved());
    // The report says so.
    let experiment = Experiment::new(model);
    let result = experiment.run(&Plan::replications(1));
    let report = Report::new(&experiment, &result, info());
    let text = report.to_string();
    let warning = text
        .lines()
        .find(|l| l.contains("can never start"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        warning.starts_with("warning: baseline: 1 of 1 replications have a home-care package that can never start, e.g. replication 0 on day "),
        "{warning}"
    );
    assert!(
        warning.ends_with(
            "at 'home', which has at most 10 (it and those queued behind it wait for ever)"
        ),
        "{warning}"
    );
}

/// Circular blocking between services counted in hours is found as a deadlock, as between
/// services counted in places: two home-care services of 10 hours, each package 10 hours,
/// no queue, patients moving from each to the other.
#[test]
fn circular_blocking_between_hours_services_is_a_deadlock() {
    let dir = write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,50\nseed,5\nreplications,1\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ncouncil,local_authority\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline,unit\na,home_care,council,10,0,fifo,hours\nb,home_care,council,10,0,fifo,hours\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nto_a,p,a,1,\nto_b,p,b,1,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,mean\np,a,exponential,1\np,b,exponential,1\n",
        ),
        (
            "package_hours.csv",
            "class,service,distribution,value\np,a,fixed,10\np,b,fixed,10\n",
        ),
        (
            "routes.csv",
            "class,service,next,probability\np,a,b,1\np,b,a,1\n",
        ),
    ]);
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert_eq!(r.deadlocks.len(), 1, "{:?}", r.deadlocks);
    let both: Vec<ServiceId> = ["a", "b"]
        .iter()
        .map(|s| model.service_id(s).unwrap())
        .collect();
    assert_eq!(r.deadlocks[0].services, both);
}

fn info() -> RunInfo {
    RunInfo {
        scenario: "test".into(),
        level: 0.95,
    }
}

/// A run that draws a stay that is not a finite number of at least 0 (only a sampler bug
/// could) is reported, not used: the table warns.
#[test]
fn an_invalid_draw_is_reported() {
    let model = Model::load(scenario_dir("erlang_c_ward")).unwrap();
    let experiment = Experiment::new(model);
    let mut result = experiment.run(&Plan::replications(2));
    let service = result.results[0][1].services[0].service;
    result.results[0][1].invalid_draw = Some(InvalidDraw {
        time: 3.5,
        service,
        draw: Draw::Stay,
        value: f64::INFINITY,
    });
    let report = Report::new(&experiment, &result, info());
    let text = report.to_string();
    let name = &experiment.baseline().services()[0];
    assert!(
        text.contains(&format!(
            "warning: baseline: 1 of 2 replications stopped early: replication 1 drew a length of stay of inf at service '{}' on day 3.500, not a finite number of at least 0 (a careflow bug: please report it with the scenario)",
            name.name()
        )),
        "{text}"
    );
}

/// Copies the bundled `contracts` scenario, replacing `from` by `to` in `file`.
fn contracts_with(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&scenario_dir("contracts"), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    dir
}

/// A tariff or funding of 1e308 gave NaN in every money output, the balance check included,
/// with exit 0. Every money amount is now at most 10¹², in every money file and in variants.
#[test]
fn money_amounts_beyond_a_trillion_are_refused() {
    let cases = [
        (
            "tariffs.csv",
            "acute_pbr,frail_elderly,acute,2250,",
            "acute_pbr,frail_elderly,acute,1e308,",
            "tariffs.csv:5: column 'price': expected an amount of money from 0 to 10^12, found \"1e308\"",
        ),
        (
            "funding.csv",
            "icb,178700000,",
            "icb,1e308,",
            "funding.csv:5: column 'annual': expected an amount of money from 0 to 10^12, found \"1e308\"",
        ),
        (
            "funding.csv",
            "county_council,78800000,78800000",
            "county_council,78800000,2e12",
            "funding.csv:9: column 'care_budget': expected an amount of money from 0 to 10^12, found \"2e12\"",
        ),
        (
            "costs.csv",
            "ed,bed_day,1800,,",
            "ed,bed_day,1e13,,",
            "costs.csv:4: column 'rate': expected an amount of money from 0 to 10^12, found \"1e13\"",
        ),
        (
            "costs.csv",
            "acute,bed_day,160,,220",
            "acute,bed_day,160,,1e300",
            "costs.csv:10: column 'fixed_per_place_day': expected an amount of money from 0 to 10^12, found \"1e300\"",
        ),
        (
            "contracts.csv",
            "urgent_block,block,icb,acute_trust,ed;amu,48500000,",
            "urgent_block,block,icb,acute_trust,ed;amu,1e308,",
            "contracts.csv:8: column 'amount': expected an amount of money from 0 to 10^12, found \"1e308\"",
        ),
        (
            "contract_members.csv",
            "nhs_alliance,acute_trust,0.6,5000000",
            "nhs_alliance,acute_trust,0.6,1e308",
            "contract_members.csv:3: column 'cap': expected an amount of money from 0 to 10^12, found \"1e308\"",
        ),
    ];
    for (file, from, to, expected) in cases {
        let dir = contracts_with(file, from, to);
        assert_eq!(error(dir.path()), expected, "{file}: {to}");
    }
    // A variant that overrides a tariff is checked the same way.
    let dir = contracts_with(
        "variants.csv",
        "variant,file,row,column,value\n",
        "variant,file,row,column,value\nrich,tariffs.csv,acute_pbr/frail_elderly/acute,price,1e308\n",
    );
    let text = Experiment::load(dir.path()).unwrap_err().to_string();
    let text = text.replace(&format!("{}/", dir.path().display()), "");
    assert_eq!(
        text,
        "variant 'rich': variants.csv:2: column 'price': expected an amount of money from 0 to 10^12, found \"1e308\""
    );
}

/// Every ledger amount is checked to be finite before results are written: a NaN (which the
/// limits rule out, so it would be a bug) gives an error, and no file.
#[test]
fn money_that_is_not_finite_is_never_written() {
    let model = Model::load(scenario_dir("contracts")).unwrap();
    let experiment = Experiment::new(model);
    let mut result = experiment.run(&Plan::replications(2));
    let year = &mut result.results[0][1].finance.years[0];
    let label = year.label.clone();
    let organisation = year.organisations[0].organisation;
    year.organisations[0].amounts[careflow::Category::Tariff.index()] = f64::NAN;
    let report = Report::new(&experiment, &result, info());
    let name = experiment.baseline().organisations()[organisation.index()]
        .name()
        .to_owned();
    let expected = format!(
        "variant 'baseline', replication 1, financial year {label}: {name}'s tariff is NaN, not a finite amount of money, so no result is written (a careflow bug: please report it with the scenario)"
    );
    assert_eq!(report.check_money().unwrap_err().to_string(), expected);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        report.write_csv(out.path()).unwrap_err().to_string(),
        expected
    );
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    assert_eq!(
        report
            .write_html(&out.path().join("report.html"))
            .unwrap_err()
            .to_string(),
        expected
    );
}

/// Truncated and rounded forms of every family at the limits: each range is refused (a stay
/// that rare contradicts its distribution) or gives finite, non-negative draws, equilibrium
/// residuals and remaining stays, and finite moments.
#[test]
fn truncated_and_rounded_stays_at_the_limits_stay_finite() {
    use careflow::{LengthOfStay, Rounding, SimRng};
    use rand_core::SeedableRng;
    let bases = [
        LengthOfStay::gamma(1e3, 1e-140).unwrap(),
        LengthOfStay::gamma(1e7, 1e3).unwrap(),
        LengthOfStay::gamma(1.0, 100.0).unwrap(),
        LengthOfStay::gamma(1e-3, 1.0).unwrap(),
        LengthOfStay::weibull(0.0121, 1e-145).unwrap(),
        LengthOfStay::weibull(50.0, 3.0).unwrap(),
        LengthOfStay::lognormal(1e9, 1e9).unwrap(),
        LengthOfStay::lognormal(1e-5, 1e-3).unwrap(),
        LengthOfStay::lognormal_median(1e-3, 1e3).unwrap(),
        LengthOfStay::uniform(0.0, 1e9).unwrap(),
        LengthOfStay::triangular(1e8, 1e8 + 1e-3, 1e8 + 2e-3).unwrap(),
        LengthOfStay::exponential(1e-300).unwrap(),
        LengthOfStay::exponential(1e9).unwrap(),
    ];
    let ranges = [
        (0.0, f64::INFINITY),
        (1.0, 10.0),
        (0.0, 1.0),
        (5e8, 1e9),
        (1e8, f64::INFINITY),
    ];
    let (mut accepted, mut refused) = (0, 0);
    for base in &bases {
        for rounding in [Rounding::None, Rounding::Nearest, Rounding::Up] {
            for (min, max) in ranges {
                let Ok(los) = base.clone().limited(rounding, min, max) else {
                    refused += 1;
                    continue;
                };
                accepted += 1;
                let what = format!("{} {rounding:?} [{min}, {max}]", base.kind());
                let mut rng = SimRng::seed_from_u64(1);
                for _ in 0..100 {
                    let (x, r) = (los.sample(&mut rng), los.sample_residual(&mut rng));
                    assert!(x.is_finite() && x >= 0.0, "{what}: {x}");
                    assert!(r.is_finite() && r >= 0.0, "{what}: residual {r}");
                }
                for m in [los.mean(), los.sd(), los.residual_mean()] {
                    assert!(m.is_finite() && m >= 0.0, "{what}: {m}");
                }
                for elapsed in [0.0, 0.5, 3.0, 1e3, 1e8] {
                    if let Ok(remaining) = los.remaining_after(elapsed) {
                        for _ in 0..20 {
                            let x = remaining.sample(&mut rng);
                            assert!(x.is_finite() && x >= 0.0, "{what} after {elapsed}: {x}");
                        }
                    }
                }
            }
        }
    }
    // Both outcomes are exercised.
    assert!(
        accepted > 50 && refused > 50,
        "{accepted} accepted, {refused} refused"
    );
}
