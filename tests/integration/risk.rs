//! Risk, not just means (issue #16): each organisation's surplus across replications
//! (probability of a deficit with its Wilson interval, 5th and 95th percentiles), the same for
//! the paired difference from the baseline, and system control totals; with hand-derived
//! figures from a scenario whose money is the same in every replication, and every kind of
//! bad `control_total.csv` input with its position.

use crate::common::{scenario_dir, write_scenario};
use careflow::{Experiment, Plan, Report, RunInfo};

const SETTINGS: &str = "\
key,value
start_date,2026-04-01
horizon_days,365
warmup_days,0
seed,3
replications,5
daily_series,false
";

const ORGANISATIONS: &str = "id,kind\ntrust,acute_trust\nicb,commissioner\n";

const SERVICES: &str = "\
id,kind,provider,capacity,queue_capacity,queue_discipline
ward,acute_bed,trust,10,unlimited,fifo
";

/// Money that does not depend on the patients: the ward costs its 10 places × £100 a day, open
/// or not (£365,000 in the 365 days of 2026-27) and nothing per occupied bed; the ICB, funded
/// £400,000, pays the trust a block of £300,000.
const COSTS: &str = "service,basis,rate,fixed_per_place_day\nward,bed_day,0,100\n";
const FUNDING: &str = "organisation,annual\nicb,400000\n";
const CONTRACTS: &str = "\
contract,type,payer,provider,services,amount
ward_block,block,icb,trust,ward,300000
";

/// `nhs` holds both organisations: the block between them cancels, leaving the ward's
/// £365,000, over a limit of £350,000. `trust_only` holds the trust alone: its £365,000 of
/// costs less the £300,000 the ICB, outside the set, pays it.
const CONTROL_TOTAL: &str = "\
id,organisations,annual_limit
nhs,icb;trust,350000
trust_only,trust,400000
";

/// `bigger_block` pays the trust £400,000 instead; `looser_limit` raises the NHS limit 10%.
const VARIANTS: &str = "\
variant,file,row,column,value
bigger_block,contracts.csv,ward_block,amount,400000
looser_limit,control_total.csv,nhs,annual_limit,+10%
";

fn files<'a>(control_total: &'a str, variants: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("settings.csv", SETTINGS),
        ("organisations.csv", ORGANISATIONS),
        ("services.csv", SERVICES),
        ("classes.csv", "id,priority\nadult,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,adult,ward,2,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,mean\nadult,ward,exponential,3\n",
        ),
        ("routes.csv", "class,service,next,probability\n"),
        ("costs.csv", COSTS),
        ("funding.csv", FUNDING),
        ("contracts.csv", CONTRACTS),
        ("control_total.csv", control_total),
        ("variants.csv", variants),
    ]
}

fn report_of(experiment: &Experiment, replications: u32) -> (careflow::ExperimentResult, RunInfo) {
    let result = experiment.run(&Plan::replications(replications));
    let info = RunInfo {
        scenario: "risk".into(),
        level: 0.95,
    };
    (result, info)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

#[test]
fn deficits_percentiles_and_control_totals_match_hand_figures() {
    let dir = write_scenario(&files(CONTROL_TOTAL, VARIANTS));
    let experiment = Experiment::load(dir.path()).unwrap();
    let (result, info) = report_of(&experiment, 5);
    let report = Report::new(&experiment, &result, info);
    let year = "2026-27";
    // The trust: £300,000 − £365,000 = −£65,000 in every replication, so 5 deficits of 5:
    // Wilson at 95% (z = 1.959964) gives (1 + z²/10 − z·√(z²/100)) / (1 + z²/5) = 0.565518.
    let trust = report
        .finance_risk("baseline", year, "trust", "surplus")
        .unwrap();
    assert_eq!((trust.n, trust.below_zero, trust.p_below_zero), (5, 5, 1.0));
    assert!((trust.p_low - 0.565_518).abs() < 1e-6, "{}", trust.p_low);
    assert_eq!(trust.p_high, 1.0);
    assert!(close(trust.p05, -65_000.0) && close(trust.p95, -65_000.0));
    assert!(trust.tails_are_rough());
    // The ICB: £400,000 − £300,000, never in deficit: 0 of 5, Wilson upper
    // (z²/10 + z·√(z²/100)) / (1 + z²/5) = 0.434482.
    let icb = report
        .finance_risk("baseline", year, "icb", "surplus")
        .unwrap();
    assert_eq!((icb.below_zero, icb.p_low), (0, 0.0));
    assert!((icb.p_high - 0.434_482).abs() < 1e-6, "{}", icb.p_high);
    assert!(close(icb.p05, 100_000.0));

    // The bigger block moves £100,000 from the ICB to the trust in every replication: the
    // trust is never worse off, the ICB always.
    let better = report
        .finance_comparison_risk("bigger_block", year, "trust", "surplus")
        .unwrap();
    assert_eq!(better.below_zero, 0);
    assert!(close(better.p05, 100_000.0) && close(better.p95, 100_000.0));
    let worse = report
        .finance_comparison_risk("bigger_block", year, "icb", "surplus")
        .unwrap();
    assert_eq!(worse.below_zero, 5);
    assert!(close(worse.p05, -100_000.0));
    let trust = report
        .finance_risk("bigger_block", year, "trust", "surplus")
        .unwrap();
    assert_eq!(trust.below_zero, 0);
    assert!(close(trust.p95, 35_000.0));
    assert!(
        report
            .finance_comparison_risk("baseline", year, "trust", "surplus")
            .is_none()
    );

    // Control totals. nhs: the block cancels, spending £365,000 against £350,000: a breach in
    // every replication, under either block, since a payment between members moves nothing.
    for variant in ["baseline", "bigger_block"] {
        let get = |kpi| report.finance(variant, year, "nhs", kpi).unwrap().mean;
        assert!(close(get("control_limit"), 350_000.0));
        assert!(close(get("control_spending"), 365_000.0), "{variant}");
        assert!(close(get("control_headroom"), -15_000.0));
        let breach = report
            .finance_risk(variant, year, "nhs", "control_headroom")
            .unwrap();
        assert_eq!(breach.below_zero, 5);
    }
    // The 10% looser limit, £385,000, is never breached.
    let looser = report
        .finance_risk("looser_limit", year, "nhs", "control_headroom")
        .unwrap();
    assert_eq!(looser.below_zero, 0);
    assert!(close(looser.p05, 20_000.0));
    // trust_only: £365,000 of costs less £300,000 (£400,000) from the ICB outside the set.
    let spending = |variant| {
        report
            .finance(variant, year, "trust_only", "control_spending")
            .unwrap()
            .mean
    };
    assert!(close(spending("baseline"), 65_000.0));
    assert!(close(spending("bigger_block"), -35_000.0));

    // finance.csv carries the spread; the printed summary says what it is over.
    let out = tempfile::tempdir().unwrap();
    report.write_csv(out.path()).unwrap();
    let finance = std::fs::read_to_string(out.path().join("finance.csv")).unwrap();
    let header: Vec<&str> = finance.lines().next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row: Vec<&str> = finance
        .lines()
        .find(|l| l.starts_with("bigger_block,2026-27,icb,surplus,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(row[at("p_below_zero")], "0");
    assert_eq!(row[at("difference_p_below_zero")], "1");
    assert_eq!(row[at("difference_p_below_zero_ci_high")], "1");
    let printed = report.to_string();
    assert!(printed.contains("risk over 5 replications"), "{printed}");
    assert!(
        printed.contains("warning: only 5 replications"),
        "{printed}"
    );
    assert!(
        printed.contains("control total nhs (icb, trust)"),
        "{printed}"
    );
    for line in printed.lines() {
        assert!(line.chars().count() <= 100, "{line}");
    }
}

#[test]
fn the_spread_is_the_replications_own_and_differences_are_paired() {
    // The contracts scenario, shortened: surpluses vary from replication to replication.
    let mut experiment = Experiment::load(scenario_dir("contracts")).unwrap();
    for v in experiment.variants_mut() {
        let s = v.model.settings_mut();
        s.horizon_days = 400.0;
        s.warmup_days = 35.0;
        s.daily_series = false;
    }
    let (result, info) = report_of(&experiment, 4);
    let report = Report::new(&experiment, &result, info);
    let year = "2026-27";
    let surplus = |v: usize, organisation: &str| -> Vec<f64> {
        let model = &experiment.variants()[v].model;
        let id = model.organisation_id(organisation).unwrap();
        result.results[v]
            .iter()
            .map(|r| {
                let y = r.finance.years.iter().find(|y| y.label == year).unwrap();
                y.organisations[id.index()].surplus()
            })
            .collect()
    };
    let d2a = result.names.iter().position(|n| n == "pbr_d2a").unwrap();
    for organisation in ["acute_trust", "community_trust", "icb"] {
        let base = surplus(0, organisation);
        let risk = report
            .finance_risk("baseline", year, organisation, "surplus")
            .unwrap();
        let mut sorted = base.clone();
        sorted.sort_by(f64::total_cmp);
        // Type 7 with n = 4: the 5th percentile is 0.15 of the way from the least to the
        // next, the 95th 0.85 of the way from the third to the greatest.
        assert!(close(risk.p05, sorted[0] + 0.15 * (sorted[1] - sorted[0])));
        assert!(close(risk.p95, sorted[2] + 0.85 * (sorted[3] - sorted[2])));
        assert_eq!(
            risk.below_zero,
            base.iter().filter(|&&x| x < -0.005).count()
        );
        // Worse off (by more than half a penny): replication by replication, not one
        // variant's mean against the other's.
        let variant = surplus(d2a, organisation);
        let worse = variant
            .iter()
            .zip(&base)
            .filter(|(v, b)| *v - *b < -0.005)
            .count();
        let paired = report
            .finance_comparison_risk("pbr_d2a", year, organisation, "surplus")
            .unwrap();
        assert_eq!(paired.below_zero, worse, "{organisation}");
    }
    // The NHS control total's spending is its members' funding less their surpluses.
    let members = ["icb", "acute_trust", "community_trust"];
    let spending: f64 = (0..4)
        .map(|r| {
            members
                .iter()
                .map(|o| {
                    let funding =
                        report
                            .finance("baseline", year, o, "funding")
                            .map_or(0.0, |_| {
                                let model = experiment.baseline();
                                let id = model.organisation_id(o).unwrap();
                                let y = result.results[0][r]
                                    .finance
                                    .years
                                    .iter()
                                    .find(|y| y.label == year)
                                    .unwrap();
                                y.organisations[id.index()].amount(careflow::Category::Funding)
                            });
                    funding - surplus(0, o)[r]
                })
                .sum::<f64>()
        })
        .sum::<f64>()
        / 4.0;
    let reported = report
        .finance("baseline", year, "nhs_system", "control_spending")
        .unwrap()
        .mean;
    assert!(close(reported, spending), "{reported} {spending}");
    // The HTML report draws every replication of every variant.
    let dir = tempfile::tempdir().unwrap();
    let path = report.write_html(&dir.path().join("report.html")).unwrap();
    let page = std::fs::read_to_string(path).unwrap();
    assert!(page.contains("id=\"chart-surplus-spread\""));
    assert!(page.contains("probability of deficit, over 4 replications"));
    // The table gives each probability with its interval, as percentages.
    assert!(page.contains("<table class=\"risk\">"));
    let r = report
        .finance_risk("pbr_d2a", year, "community_trust", "surplus")
        .unwrap();
    let pct = |p: f64| format!("{:.0}", p * 100.0);
    let cell = format!(
        "{}% ({}–{}%)",
        pct(r.p_below_zero),
        pct(r.p_low),
        pct(r.p_high)
    );
    assert!(page.contains(&format!("<td>{cell}<br><span class=\"small\">worse off: ")));
    assert!(page.contains("control total nhs_system (breach)"));
}

/// The error text of loading a scenario whose control total (and variants) are `control_total`
/// and `variants`, with the folder written `{dir}`.
fn error_of(control_total: &str, variants: &str) -> String {
    let dir = write_scenario(&files(control_total, variants));
    let error = Experiment::load(dir.path()).unwrap_err().to_string();
    error.replace(&dir.path().display().to_string(), "{dir}")
}

#[test]
fn bad_control_totals_are_reported_where_they_are() {
    let at = |line: u32, column: &str, message: &str| {
        format!("{{dir}}/control_total.csv:{line}: column '{column}': {message}")
    };
    let money =
        |found: &str| format!("expected an amount of money from 0 to 10^12, found \"{found}\"");
    let cases: Vec<(&str, String)> = vec![
        (
            "nhs,icb,1\nnhs,trust,2\n",
            at(3, "id", "duplicate id \"nhs\" (first defined on line 2)"),
        ),
        (
            "trust,icb,1\n",
            at(
                2,
                "id",
                "'trust' is an organisation in organisations.csv: a control total needs an id \
                 of its own",
            ),
        ),
        (
            "nhs,icb;ghost,1\n",
            at(
                2,
                "organisations",
                "expected an organisation in organisations.csv, found \"ghost\"",
            ),
        ),
        (
            "nhs,icb;;trust,1\n",
            at(
                2,
                "organisations",
                "expected organisation ids separated by ';', found \"icb;;trust\"",
            ),
        ),
        (
            "nhs,icb; icb,1\n",
            at(2, "organisations", "organisation 'icb' is listed twice"),
        ),
        (
            "nhs,,1\n",
            at(
                2,
                "organisations",
                "expected organisation ids separated by ';', found \"\"",
            ),
        ),
        (
            ",icb,1\n",
            at(2, "id", "expected a non-empty id, found \"\""),
        ),
        ("nhs,icb,-1\n", at(2, "annual_limit", &money("-1"))),
        ("nhs,icb,abc\n", at(2, "annual_limit", &money("abc"))),
        ("nhs,icb,1e13\n", at(2, "annual_limit", &money("1e13"))),
        ("nhs,icb,NaN\n", at(2, "annual_limit", &money("NaN"))),
        ("nhs,icb,inf\n", at(2, "annual_limit", &money("inf"))),
        ("nhs,icb,\n", at(2, "annual_limit", &money(""))),
    ];
    let no_variants = "variant,file,row,column,value\n";
    for (rows, expected) in &cases {
        let error = error_of(
            &format!("id,organisations,annual_limit\n{rows}"),
            no_variants,
        );
        assert_eq!(&error, expected, "{rows}");
    }
    // A missing column.
    let error = error_of("id,organisations\nnhs,icb\n", no_variants);
    assert!(
        error.starts_with("{dir}/control_total.csv:1: ") && error.contains("annual_limit"),
        "{error}"
    );
    // Variants: an override past the limit on money, and a row that does not exist.
    let error = error_of(
        CONTROL_TOTAL,
        "variant,file,row,column,value\nv,control_total.csv,nhs,annual_limit,*1e20\n",
    );
    assert!(
        error.contains("variants.csv:2: column 'annual_limit': expected an amount of money"),
        "{error}"
    );
    let error = error_of(
        CONTROL_TOTAL,
        "variant,file,row,column,value\nv,control_total.csv,ghost,annual_limit,1\n",
    );
    assert!(
        error.contains("variants.csv:2") && error.contains("ghost"),
        "{error}"
    );
}

#[test]
fn a_control_total_without_money_is_refused() {
    let mut scenario = files(CONTROL_TOTAL, "variant,file,row,column,value\n");
    scenario.retain(|(name, _)| !["costs.csv", "funding.csv", "contracts.csv"].contains(name));
    let dir = write_scenario(&scenario);
    let error = Experiment::load(dir.path()).unwrap_err().to_string();
    let error = error.replace(&dir.path().display().to_string(), "{dir}");
    assert_eq!(
        error.lines().next().unwrap(),
        "{dir}/control_total.csv:2: column 'organisations': control total 'nhs' limits \
         spending, but the scenario books no money (no costs in costs.csv, no funding in \
         funding.csv, no active contract in contracts.csv)"
    );
    assert_eq!(error.lines().count(), 2, "{error}");
}
