//! Financial years that line up: `observe_financial_years` in `settings.csv` sets the
//! observation window to whole financial years; a window that cuts one is warned about; money
//! totals over the years observed exist whether one year is observed or several.

use crate::common::write_scenario;
use careflow::report::ALL_YEARS;
use careflow::{Experiment, Model, Plan, Report, RunInfo};

/// A tiny system with money: an ICB funded £250m a year, one ward, nobody arriving.
fn scenario(settings: &str) -> tempfile::TempDir {
    write_scenario(&[
        ("settings.csv", settings),
        (
            "organisations.csv",
            "id,kind\nicb,commissioner\ntrust,acute_trust\n",
        ),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\n\
             ward,acute_bed,trust,10,unlimited,fifo\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        ("arrivals.csv", "id,class,service,rate_per_day,profile\n"),
        (
            "los.csv",
            "class,service,distribution,value\np,ward,fixed,3\n",
        ),
        ("routes.csv", "class,service,next,probability\n"),
        (
            "funding.csv",
            "organisation,annual,care_budget\nicb,250000000,\n",
        ),
    ])
}

fn settings(start: &str, rest: &str) -> String {
    format!("key,value\nstart_date,{start}\nseed,1\nreplications,2\ndaily_series,false\n{rest}")
}

/// The error text of loading `settings`, the folder's path removed.
fn error(settings: &str) -> String {
    let dir = scenario(settings);
    let e = Model::load(dir.path()).expect_err("the settings are refused");
    e.to_string()
        .replace(&format!("{}/", dir.path().display()), "")
}

fn report_of(dir: &tempfile::TempDir) -> (Experiment, careflow::ExperimentResult) {
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    (experiment, result)
}

fn info() -> RunInfo {
    RunInfo {
        scenario: "years".into(),
        level: 0.95,
    }
}

#[test]
fn one_financial_year_sets_the_warm_up_and_horizon_to_it() {
    // From 1 April 2026: 2026-27 has 365 days and 2027-28 366 (29 February 2028), so
    // 2028-29 starts on day 731 and ends on day 1096.
    let dir = scenario(&settings("2026-04-01", "observe_financial_years,2028-29\n"));
    let s = Model::load(dir.path()).unwrap().settings().clone();
    assert_eq!((s.warmup_days, s.horizon_days), (731.0, 1096.0));
    assert!(s.partial_financial_years().is_empty());
    // A range: 2028-29 and 2029-30 (365 days each).
    let dir = scenario(&settings(
        "2026-04-01",
        "observe_financial_years,2028-29..2029-30\n",
    ));
    let s = Model::load(dir.path()).unwrap().settings().clone();
    assert_eq!((s.warmup_days, s.horizon_days), (731.0, 1461.0));
    // Starting mid-year: from 5 January to 1 April 2026 is 27 + 28 + 31 = 86 days.
    let dir = scenario(&settings("2026-01-05", "observe_financial_years,2026-27\n"));
    let s = Model::load(dir.path()).unwrap().settings().clone();
    assert_eq!((s.warmup_days, s.horizon_days), (86.0, 451.0));
    // Starting on 1 April with no warm-up.
    let dir = scenario(&settings("2026-04-01", "observe_financial_years,2026-27\n"));
    let s = Model::load(dir.path()).unwrap().settings().clone();
    assert_eq!((s.warmup_days, s.horizon_days), (0.0, 365.0));
}

#[test]
fn days_that_agree_with_the_financial_years_are_accepted() {
    let dir = scenario(&settings(
        "2026-04-01",
        "observe_financial_years,2028-29\nhorizon_days,1096\nwarmup_days,731\n",
    ));
    let s = Model::load(dir.path()).unwrap().settings().clone();
    assert_eq!((s.warmup_days, s.horizon_days), (731.0, 1096.0));
}

#[test]
fn a_whole_year_observed_books_the_whole_annual_sum_and_totals_it() {
    let dir = scenario(&settings("2026-04-01", "observe_financial_years,2028-29\n"));
    let (experiment, result) = report_of(&dir);
    let report = Report::new(&experiment, &result, info());
    assert_eq!(report.financial_years(), ["2028-29"]);
    let year = report
        .finance("baseline", "2028-29", "icb", "income")
        .unwrap();
    assert_eq!(year.mean, 250_000_000.0);
    // One year observed: the totals are that year's (the files have no `all` lines then).
    let all = report
        .finance("baseline", ALL_YEARS, "icb", "income")
        .unwrap();
    assert_eq!(all.mean, 250_000_000.0);
    assert_eq!(
        report
            .finance("baseline", ALL_YEARS, "", "funding")
            .unwrap()
            .mean,
        250_000_000.0
    );
    assert!(
        report
            .finance("baseline", "2027-28", "icb", "income")
            .is_none()
    );
    assert!(
        report
            .finance("baseline", ALL_YEARS, "icb", "no_such")
            .is_none()
    );
    let printed = report.to_string();
    // The one warning: too few replications for the surplus's tails (issue #16's risk table).
    let warnings: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert_eq!(warnings.len(), 1, "{printed}");
    assert!(warnings[0].starts_with("warning: only 2 replications: the 5th and 95th"));
    let out = tempfile::tempdir().unwrap();
    report.write_csv(out.path()).unwrap();
    let run = std::fs::read_to_string(out.path().join("run.csv")).unwrap();
    assert!(run.contains("\npartial_financial_years,\n"), "{run}");
}

#[test]
fn a_window_that_cuts_financial_years_is_warned_about() {
    // A 730-day warm-up from 1 April 2026 ends on 31 March 2028 (2028 is a leap year): one
    // day of 2027-28 (of 366), then 364 of the 365 days of 2028-29. The ICB's £250m a year is
    // booked pro rata: 250m / 366 + 250m × 364 / 365 = £249,998,128.6.
    let dir = scenario(&settings(
        "2026-04-01",
        "horizon_days,1095\nwarmup_days,730\n",
    ));
    let (experiment, result) = report_of(&dir);
    let report = Report::new(&experiment, &result, info());
    assert_eq!(report.financial_years(), ["2027-28", "2028-29"]);
    let all = report
        .finance("baseline", ALL_YEARS, "icb", "income")
        .unwrap();
    let expected = 250e6 / 366.0 + 250e6 * 364.0 / 365.0;
    assert!((all.mean - expected).abs() < 1e-6, "{}", all.mean);
    assert_eq!(expected.round(), 249_998_129.0);
    let printed = report.to_string();
    assert!(
        printed.contains(
            "warning: the observation window covers financial years only in part: 2027-28: 1 of 366 days; 2028-29: 364 of 365 days;"
        ),
        "{printed}"
    );
    let out = tempfile::tempdir().unwrap();
    report.write_csv(out.path()).unwrap();
    let run = std::fs::read_to_string(out.path().join("run.csv")).unwrap();
    assert!(
        run.contains(
            "\npartial_financial_years,2027-28: 1 of 366 days; 2028-29: 364 of 365 days\n"
        ),
        "{run}"
    );
}

#[test]
fn without_money_a_cut_year_is_no_matter() {
    let dir = write_scenario(&[
        (
            "settings.csv",
            &settings("2026-04-01", "horizon_days,100\nwarmup_days,10\n"),
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\n\
             ward,acute_bed,trust,10,unlimited,fifo\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        ("arrivals.csv", "id,class,service,rate_per_day,profile\n"),
        (
            "los.csv",
            "class,service,distribution,value\np,ward,fixed,3\n",
        ),
        ("routes.csv", "class,service,next,probability\n"),
    ]);
    let (experiment, result) = report_of(&dir);
    let report = Report::new(&experiment, &result, info());
    assert!(!report.to_string().contains("warning"));
}

#[test]
fn malformed_financial_years_are_refused_with_their_place() {
    let expected = "expected a financial year as YYYY-YY (e.g. 2028-29) or a range FIRST..LAST (e.g. 2028-29..2029-30)";
    for bad in [
        "2028-30",
        "2028/29",
        "28-29",
        "2028-029",
        "2028-29..",
        "..2028-29",
        "2028-29..2029-30..2030-31",
        "2028-29...2029-30",
        "+028-29",
        "2028–29",
        "",
        "2099-00x",
    ] {
        let e = error(&settings(
            "2026-04-01",
            &format!("observe_financial_years,{bad}\n"),
        ));
        assert_eq!(
            e,
            format!("settings.csv:6: column 'value': {expected}, found \"{bad}\""),
            "{bad}"
        );
    }
    // The turn of the century: 2099-00 is a financial year.
    let dir = scenario(&settings("2026-04-01", "observe_financial_years,2099-00\n"));
    let s = Model::load(dir.path()).unwrap().settings().clone();
    // To 1 April 2100: 365 days, 2100 not being a leap year.
    assert_eq!(s.horizon_days - s.warmup_days, 365.0);
}

#[test]
fn backwards_early_and_endless_ranges_are_refused() {
    assert_eq!(
        error(&settings(
            "2026-04-01",
            "observe_financial_years,2029-30..2028-29\n"
        )),
        "settings.csv:6: column 'value': the range runs backwards: 2028-29 comes before 2029-30"
    );
    assert_eq!(
        error(&settings("2026-04-02", "observe_financial_years,2026-27\n")),
        "settings.csv:6: column 'value': financial year 2026-27 starts on 2026-04-01, before start_date 2026-04-02: observation cannot start before the run"
    );
    assert_eq!(
        error(&settings("2026-04-01", "observe_financial_years,3026-27\n")),
        "settings.csv:6: column 'value': observing to 3027-04-01 needs a horizon of 365607 days from start_date 2026-04-01, above the longest run, 365250 days (a thousand years)"
    );
}

#[test]
fn contradicting_days_are_refused_and_missing_days_named() {
    assert_eq!(
        error(&settings(
            "2026-04-01",
            "observe_financial_years,2028-29\nhorizon_days,1095\nwarmup_days,730\n"
        )),
        "settings.csv:7: column 'value': horizon_days 1095 contradicts observe_financial_years 2028-29 (line 6), which sets it to 1096; give one or the other\n\
         settings.csv:8: column 'value': warmup_days 730 contradicts observe_financial_years 2028-29 (line 6), which sets it to 731; give one or the other"
    );
    // A warm-up alone that disagrees.
    assert_eq!(
        error(&settings(
            "2026-04-01",
            "observe_financial_years,2028-29\nwarmup_days,0\n"
        )),
        "settings.csv:7: column 'value': warmup_days 0 contradicts observe_financial_years 2028-29 (line 6), which sets it to 731; give one or the other"
    );
    // Neither the days nor the years: the horizon is missing.
    assert_eq!(
        error(&settings("2026-04-01", "")),
        "settings.csv:1: column 'key': missing required key 'horizon_days' (or 'observe_financial_years')"
    );
    // A bad start date leaves the years unplaced: only the date is reported.
    assert_eq!(
        error(&settings("2026-02-30", "observe_financial_years,2028-29\n")),
        "settings.csv:2: column 'value': expected a date as YYYY-MM-DD, found \"2026-02-30\""
    );
}
