//! A council's care budget, to the penny: how much of each financial year's budget was
//! committed and how much was left, in the replication's ledger, `finance.csv` and the
//! printed table; and patients waiting for funding counted as delayed.

use crate::common::write_scenario;
use careflow::report::ALL_YEARS;
use careflow::{
    CareBudgetYear, Experiment, Model, Plan, ReplicationResult, Report, RunInfo, run_replication,
};

/// One patient a week is booked into a ward (day 0, 2026-04-01, is a Wednesday; noon), stays
/// exactly 3 days, then needs a care home place (100 places, no queue) for `home_days`. The
/// council buys the places at £700 a week (£100 a day) from its care budget of `budget` a
/// year.
fn scenario(horizon: u32, budget: u32, home_days: u32) -> tempfile::TempDir {
    let settings = format!(
        "key,value\nstart_date,2026-04-01\nhorizon_days,{horizon}\nwarmup_days,0\nseed,1\n\
         replications,1\ndaily_series,true\n"
    );
    let los =
        format!("class,service,distribution,value\np,ward,fixed,3\np,carehome,fixed,{home_days}\n");
    let funding =
        format!("organisation,annual,care_budget\nicb,1000000,\ncouncil,{budget},{budget}\n");
    write_scenario(&[
        ("settings.csv", &settings),
        (
            "organisations.csv",
            "id,kind\nicb,commissioner\ntrust,acute_trust\ncouncil,local_authority\n\
             homes,independent_provider\n",
        ),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\n\
             ward,acute_bed,trust,10,unlimited,fifo\ncarehome,care_home,homes,100,0,fifo\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        ("arrivals.csv", "id,class,service,rate_per_day,profile\n"),
        (
            "electives.csv",
            "id,class,service,weekday,count,hour\nlist,p,ward,wed,1,12\n",
        ),
        ("los.csv", &los),
        (
            "routes.csv",
            "class,service,next,probability\np,ward,carehome,1\n",
        ),
        (
            "costs.csv",
            "service,basis,rate\nward,bed_day,400\ncarehome,placement_week,700\n",
        ),
        ("funding.csv", &funding),
        (
            "contracts.csv",
            "contract,type,payer,provider,services,amount,basis\n\
             placements,spot,council,homes,carehome,700,placement_week\n",
        ),
    ])
}

fn council_budget(model: &Model, r: &ReplicationResult, year: usize) -> CareBudgetYear {
    let council = model.organisation_id("council").unwrap().index();
    let y = &r.finance.years[year];
    assert!(
        y.organisations
            .iter()
            .filter(|o| o.organisation.index() != council)
            .all(|o| o.care_budget.is_none()),
        "only a council with a care budget has one"
    );
    y.organisations[council]
        .care_budget
        .expect("the council has a care budget")
}

#[test]
fn a_budget_commits_packages_to_the_year_end_and_reports_what_was_left() {
    // £50,000 a year; placements of 14 days at £100 a day, committed to the year's end (day
    // 365) when they start. Fit at 3.5, 10.5, 17.5, 24.5, 31.5:
    //   3.5  first placed: commits 361.5 × 100 = 36,150; 13,850 left.
    //  10.5  second needs 35,450: waits in the ward.
    //  17.5  first leaves, freeing 347.5 × 100 = 34,750: second placed (13,850 left); third
    //        waits.
    //  24.5  fourth waits.  31.5  second leaves: third placed (13,850 left); fifth waits.
    // At the horizon (35) 36,150 is committed: 31.5 placement-days spent (3,150) plus the
    // third's 330 days to the year's end (33,000).
    let dir = scenario(35, 50_000, 14);
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let b = council_budget(&model, &r, 0);
    assert_eq!(b.budget, 50_000.0);
    assert_eq!(b.committed, 36_150.0);
    assert_eq!(b.left(), 13_850.0);
    // Waiting for funding is a delay: 7 + 14 + 10.5 + 3.5 bed-days in the ward, 4 patients.
    let ward = &r.services[0];
    assert_eq!(ward.delayed_bed_days, 35.0);
    assert_eq!(ward.delayed_bed_days_awaiting_funding, 35.0);
    assert_eq!(ward.delayed_bed_days_awaiting_place, 0.0);
    assert_eq!(
        (
            ward.delayed_patients,
            ward.delayed_patients_awaiting_funding
        ),
        (4, 4)
    );
    // The daily series counts them too: day 11 (10.5 to 11.5 … whole day 11) has the second
    // patient waiting all day.
    let day11 = r
        .daily
        .iter()
        .find(|d| d.day == 11 && d.service.index() == 0)
        .unwrap();
    assert_eq!((day11.delayed, day11.delayed_awaiting_funding), (1.0, 1.0));
    assert_eq!(day11.delayed_awaiting_place, 0.0);

    // The HTML report shows the wait for funding as a delay, by what was awaited, with the
    // split by reason.
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    let report = Report::new(
        &experiment,
        &result,
        RunInfo {
            scenario: "budget".into(),
            level: 0.95,
        },
    );
    let out = tempfile::tempdir().unwrap();
    let html = out.path().join("report.html");
    report.write_html(&html).unwrap();
    let html = std::fs::read_to_string(html).unwrap();
    assert!(
        html.contains("funding for carehome"),
        "a bar for the funding awaited"
    );
    assert!(html.contains("<table class=\"delay-reasons\">"));
    assert!(!html.contains("No patient was delayed"));
}

#[test]
fn a_new_year_starts_with_the_budget_less_a_year_of_the_packages_still_running() {
    // £2.5m a year; placements that outlast the run. 2026-27 (365 days): 52 patients placed
    // at 3.5 + 7k (k = 0..51), each committing (365 − 3.5 − 7k) × 100 — in all
    // 100 × (52 × 361.5 − 7 × 1326) = 951,600, which is what they cost in the year.
    // 2027-28 (366 days, to 1 April 2028): 52 × 100 × 366 = 1,903,200 committed at its start;
    // 5 more placed by the horizon (day 400) at 367.5, 374.5, …, 395.5, committing
    // 100 × (5 × 731 − 1907.5) = 174,750 to the year's end (day 731).
    let dir = scenario(400, 2_500_000, 1_000);
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert_eq!(r.finance.years.len(), 2);
    let first = council_budget(&model, &r, 0);
    assert_eq!((first.budget, first.committed), (2_500_000.0, 951_600.0));
    assert_eq!(first.left(), 1_548_400.0);
    let second = council_budget(&model, &r, 1);
    assert_eq!(second.budget, 2_500_000.0);
    assert_eq!(second.committed, 1_903_200.0 + 174_750.0);
    assert_eq!(second.left(), 422_050.0);
    assert_eq!(r.services[0].delayed_bed_days, 0.0, "money was never short");

    // The report's money lines: per year, and summed over the years observed.
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    let report = Report::new(
        &experiment,
        &result,
        RunInfo {
            scenario: "budget".into(),
            level: 0.95,
        },
    );
    let mean = |year: &str, kpi: &str| {
        report
            .finance("baseline", year, "council", kpi)
            .unwrap()
            .mean
    };
    assert_eq!(mean("2026-27", "care_budget_committed"), 951_600.0);
    assert_eq!(mean("2027-28", "care_budget_left"), 422_050.0);
    assert_eq!(mean(ALL_YEARS, "care_budget"), 5_000_000.0);
    assert_eq!(mean(ALL_YEARS, "care_budget_left"), 1_548_400.0 + 422_050.0);
    // Organisations without a care budget have no such line.
    assert!(
        report
            .finance("baseline", "2026-27", "icb", "care_budget")
            .is_none()
    );
    let out = tempfile::tempdir().unwrap();
    report.write_csv(out.path()).unwrap();
    let finance = std::fs::read_to_string(out.path().join("finance.csv")).unwrap();
    assert!(
        finance.contains("baseline,2027-28,council,care_budget_left,2,422050,"),
        "{finance}"
    );
    let printed = report.to_string();
    assert!(
        printed.contains("care budget, £ (whole financial years):"),
        "{printed}"
    );
    assert!(
        printed
            .lines()
            .any(|l| l.starts_with("council") && l.contains("2027-28") && l.contains("422050")),
        "{printed}"
    );
    let html = out.path().join("report.html");
    report.write_html(&html).unwrap();
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains("<table class=\"care-budget\">"));
}

#[test]
fn without_a_care_budget_there_are_no_budget_lines() {
    // Funding without a care budget: the council is paid, but nothing rations its packages.
    let dir = scenario(35, 50_000, 14);
    let funding = dir.path().join("funding.csv");
    std::fs::write(
        &funding,
        "organisation,annual,care_budget\nicb,1000000,\ncouncil,50000,\n",
    )
    .unwrap();
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert!(
        r.finance.years[0]
            .organisations
            .iter()
            .all(|o| o.care_budget.is_none())
    );
    assert_eq!(r.services[0].delayed_bed_days, 0.0);
    assert_eq!(r.delays, Vec::new());
}

#[test]
fn a_budget_cut_shows_as_more_delay_not_less() {
    // The same system with an ample and a tight budget, as a policy comparison: cutting the
    // budget moves nobody out of the delayed count; it adds waits for funding to it.
    let dir = scenario(35, 1_000_000, 14);
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\ncut,funding.csv,council,care_budget,50000\n",
    )
    .unwrap();
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    let report = Report::new(
        &experiment,
        &result,
        RunInfo {
            scenario: "cut".into(),
            level: 0.95,
        },
    );
    let delay = report
        .comparison("cut", "service", "ward", "delayed_bed_days")
        .unwrap();
    assert_eq!(delay.mean, 35.0);
    let funding = report
        .comparison(
            "cut",
            "service",
            "ward",
            "delayed_bed_days_awaiting_funding",
        )
        .unwrap();
    assert_eq!(funding.mean, 35.0);
    // By (held at, awaited) pair, with the reason.
    let pair = |kpi: &str| {
        report
            .keys()
            .iter()
            .position(|k| {
                k.scope.as_str() == "delay"
                    && k.service == "ward"
                    && k.awaiting == "carehome"
                    && k.kpi == kpi
            })
            .is_some()
    };
    for kpi in [
        "delayed_bed_days",
        "delayed_bed_days_awaiting_place",
        "delayed_bed_days_awaiting_funding",
        "delayed_patients_awaiting_place",
        "delayed_patients_awaiting_funding",
    ] {
        assert!(pair(kpi), "{kpi}");
    }
    let printed = report.to_string();
    assert!(
        printed.contains("ward: delayed bed-days awaiting funding"),
        "{printed}"
    );
}
