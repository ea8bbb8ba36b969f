//! Contracts that pay for outcomes (`outcome_contracts.csv`), each with a penny test derived
//! by hand from the deterministic journeys of `outcomes.rs` (one elective patient a week at
//! acute for 5 days, then reablement for 10): the horizon (200 days from 6 April 2026) is the
//! observed part of financial year 2026-27, 200 of its 365 days.

use crate::contracts::{amount, money_is_conserved, pennies};
use crate::outcomes::journeys;
use careflow::{Category, Model, ReplicationResult, run_replication};

const ORGANISATIONS: &str = "id,kind\ntrust,acute_trust\ncouncil,local_authority\nicb,commissioner\nprime,community_provider\n";
const HEADER: &str = "contract,type,payer,provider,base,share,targets,outcome,services,amount,deduction,floor,target,kpi,baseline,members,active\n";
/// A block contract of £365,000 a year from the ICB to the trust (£200,000 for 200 days),
/// and a prime contractor paid £365 a head for 1,000 people, who pays the trust £100 a year.
const CONTRACTS: &str = "contract,type,payer,provider,services,amount,population\n\
    acute_block,block,icb,trust,,365000,\n\
    prime_cap,prime,icb,prime,,365,1000\n\
    sub,block,prime,trust,,100,\n";

/// The journeys scenario with money: `outcome_contracts` rows after the header.
fn with_money(dir: &tempfile::TempDir, outcome_contracts: &str) {
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("organisations.csv", ORGANISATIONS);
    write("contracts.csv", CONTRACTS);
    write(
        "outcome_contracts.csv",
        &format!("{HEADER}{outcome_contracts}"),
    );
}

fn run(dir: &tempfile::TempDir) -> (Model, ReplicationResult) {
    let model = Model::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let r = run_replication(&model, 0);
    money_is_conserved(&r);
    assert_eq!(r.finance.years.len(), 1);
    (model, r)
}

/// Everyone goes home after reablement; `readmit` 1 readmits each within a day (to acute2).
fn reablement(readmit: u32, horizon: u32) -> tempfile::TempDir {
    journeys(
        "p,acute,reab,1\n",
        "p,reab,fixed,10\np,acute2,fixed,3\n",
        &format!("p,reab,,{readmit},1,acute2\n"),
        100,
        horizon,
    )
}

/// Withheld: 10% of the block's £200,000 for the year, £20,000. Targets: acute admissions
/// (29: days 0, 7, …, 196) at least 60 a year, 32.88 for 200 days: missed (at least 40, 21.92,
/// would be met); still at home share 14 of 14 ≥ 0.9: met; readmitted within 30 days 0 ≤ 0:
/// met. Two of three met: the trust pays back £20,000 / 3.
#[test]
fn an_incentive_scheme_pays_back_the_withheld_share_in_proportion_to_targets_met() {
    let dir = reablement(0, 200);
    with_money(
        &dir,
        "cquin,incentive,icb,trust,acute_block,0.1,service acute admissions >= 60; outcome still_at_home_91_share >= 0.9; outcome readmitted_30 <= 0,,,,,,,,,,\n",
    );
    let (model, r) = run(&dir);
    pennies(
        amount(&model, &r, 0, "trust", Category::Incentive),
        -20_000.0 / 3.0,
    );
    pennies(
        amount(&model, &r, 0, "icb", Category::Incentive),
        20_000.0 / 3.0,
    );
    // The ICB's block, and the prime contractor's £100 a year for 200 days.
    pennies(
        amount(&model, &r, 0, "trust", Category::Block),
        200_000.0 + 100.0 * 200.0 / 365.0,
    );
    // With the admissions target pro rata within reach, all three are met: nothing withheld.
    with_money(
        &dir,
        "cquin,incentive,icb,trust,acute_block,0.1,service acute admissions >= 40; outcome still_at_home_91_share >= 0.9; outcome readmitted_30 <= 0,,,,,,,,,,\n",
    );
    let (model, r) = run(&dir);
    pennies(amount(&model, &r, 0, "trust", Category::Incentive), 0.0);
}

/// 14 patients leave reablement for home and are followed 91 days: all still at home
/// without readmissions (£1,000 each: £14,000 to the trust), none with a certain readmission
/// (£250 deducted each: the trust pays the council £3,500). On readmission within 30 days of
/// leaving acute (24 discharges followed): none readmitted earns £500 each, £12,000.
#[test]
fn outcome_payments_pay_per_patient_achieving_and_deduct_per_patient_failing() {
    let row = "home91,outcome_payment,council,trust,,,,still_at_home_91,reab,1000,250,,,,,,\n";
    for (readmit, expected) in [(0, 14_000.0), (1, -3_500.0)] {
        let dir = reablement(readmit, 200);
        with_money(&dir, row);
        let (model, r) = run(&dir);
        pennies(
            amount(&model, &r, 0, "trust", Category::OutcomePayment),
            expected,
        );
        pennies(
            amount(&model, &r, 0, "council", Category::OutcomePayment),
            -expected,
        );
    }
    let dir = reablement(0, 200);
    with_money(
        &dir,
        "no_readmit,outcome_payment,icb,trust,,,,no_readmission_30,,500,,,,,,,\n",
    );
    let (model, r) = run(&dir);
    pennies(
        amount(&model, &r, 0, "trust", Category::OutcomePayment),
        12_000.0,
    );
}

/// Reablement has one slot (10 days) and acute patients are fit weekly, so patient k waits
/// 3k days in acute, from 7k + 5 to 10k + 5. Delayed bed-days in acute by day 100:
/// 3 × (1 + … + 9) = 135 for k ≤ 9, then 25, 18, 11 and 4 for k = 10..=13: 193. Against a
/// baseline of 1,000 a year (100,000 / 365 for 100 days), the reduction of 80.9726 days at
/// £200 a day, £16,194.52, is paid by the trust: 60% to the ICB, 40% to the council.
#[test]
fn a_gain_share_shares_the_value_of_a_kpi_below_its_baseline() {
    let dir = journeys("p,acute,reab,1\n", "p,reab,fixed,10\n", "", 1, 100);
    with_money(
        &dir,
        "dtoc_gain,gain_share,trust,,,,,,,200,,,,service acute delayed_bed_days,1000,icb:0.6;council:0.4,\n",
    );
    let (model, r) = run(&dir);
    assert!((r.services[0].delayed_bed_days - 193.0).abs() < 1e-9);
    let gain = 200.0 * (100_000.0 / 365.0 - 193.0);
    pennies(amount(&model, &r, 0, "trust", Category::GainShare), -gain);
    pennies(
        amount(&model, &r, 0, "icb", Category::GainShare),
        0.6 * gain,
    );
    pennies(
        amount(&model, &r, 0, "council", Category::GainShare),
        0.4 * gain,
    );
    pennies(0.6 * gain, 9_716.71);
    // Against 500 a year (136.99 for 100 days) there is no reduction: nothing is paid.
    with_money(
        &dir,
        "dtoc_gain,gain_share,trust,,,,,,,200,,,,service acute delayed_bed_days,500,icb:0.6;council:0.4,\n",
    );
    let (model, r) = run(&dir);
    for o in ["trust", "icb", "council"] {
        pennies(amount(&model, &r, 0, o, Category::GainShare), 0.0);
    }
}

/// The prime contract is worth £365,000 a year, £200,000 for 200 days; 5% goes into the pot,
/// £10,000. Two classes come weekly: p goes home after reablement, q to home care for 20
/// days then a care home, so 14 of the 28 followed are still at home 91 days later, a rate
/// of 0.5: with a floor of 0.4 and a target of 0.9 the prime earns (0.5 − 0.4) / 0.5 = 20% of
/// the pot and pays back £8,000. Everyone at home earns the whole pot; nobody, none of it.
#[test]
fn an_outcome_pot_pays_the_prime_contractor_by_its_success_rate() {
    let dir = journeys(
        "p,acute,reab,1\nq,acute,reab,1\nq,reab,homecare,1\nq,homecare,carehome,1\n",
        "p,reab,fixed,10\nq,acute,fixed,5\nq,reab,fixed,10\nq,homecare,fixed,20\nq,carehome,fixed,30\n",
        "",
        100,
        200,
    );
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("classes.csv", "id,priority\np,0\nq,0\n");
    write(
        "electives.csv",
        "id,class,service,weekday,count,hour\nweekly,p,acute,mon,1,0\nweekly_q,q,acute,mon,1,0\n",
    );
    let pot = "pot,outcome_pot,icb,prime,prime_cap,0.05,,still_at_home_91,,,,0.4,0.9,,,,\n";
    with_money(&dir, pot);
    let (model, r) = run(&dir);
    let o = r.outcomes.as_ref().unwrap();
    assert_eq!((o.reablement_discharges, o.still_at_home_91), (28, 14));
    pennies(
        amount(&model, &r, 0, "prime", Category::OutcomePot),
        -8_000.0,
    );
    pennies(amount(&model, &r, 0, "icb", Category::OutcomePot), 8_000.0);
    pennies(
        amount(&model, &r, 0, "prime", Category::Capitation),
        200_000.0,
    );
    for (readmit, paid_back) in [(0, 0.0), (1, 10_000.0)] {
        let dir = reablement(readmit, 200);
        with_money(&dir, pot);
        let (model, r) = run(&dir);
        pennies(
            amount(&model, &r, 0, "prime", Category::OutcomePot),
            -paid_back,
        );
    }
}

#[test]
fn a_variant_overrides_an_outcome_contract_cell() {
    let dir = reablement(0, 200);
    with_money(
        &dir,
        "home91,outcome_payment,council,trust,,,,still_at_home_91,reab,1000,,,,,,,\n",
    );
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\ndouble,outcome_contracts.csv,home91,amount,*2\noff,outcome_contracts.csv,home91,active,false\n",
    )
    .unwrap();
    let experiment = careflow::Experiment::load(dir.path()).unwrap();
    let paid: Vec<f64> = experiment
        .variants()
        .iter()
        .map(|v| {
            let r = run_replication(&v.model, 0);
            amount(&v.model, &r, 0, "trust", Category::OutcomePayment)
        })
        .collect();
    assert_eq!(paid.len(), 3);
    pennies(paid[0], 14_000.0);
    pennies(paid[1], 28_000.0);
    pennies(paid[2], 0.0);
}

#[test]
fn bad_outcome_contracts_are_refused_with_their_position() {
    let cases = [
        (
            "x,cquin,icb,trust,acute_block,0.1,outcome readmitted_30 <= 0,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'type': expected one of incentive, outcome_payment, gain_share or outcome_pot, found \"cquin\"",
        ),
        (
            "x,incentive,icb,trust,acute_block,0.1,,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'targets': required for 'incentive' contracts",
        ),
        (
            "x,incentive,icb,trust,acute_block,1.1,outcome readmitted_30 <= 0,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'share': expected a share from 0 to 1, found \"1.1\"",
        ),
        (
            "x,incentive,icb,trust,acute_block,0.1,outcome readmitted_30 < 0,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'targets': expected targets separated by ';'",
        ),
        (
            "x,incentive,icb,trust,acute_block,0.1,service acute mean_occupancy <= 5,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'targets': expected a service statistic that adds up over a year:",
        ),
        (
            "x,incentive,icb,trust,acute_block,0.1,outcome p95_delayed_days <= 5,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'targets': expected an outcome statistic measured per year:",
        ),
        (
            "x,incentive,icb,trust,acute_block,0.1,service acute delayed_beddays <= 5,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'targets': 'delayed_beddays' is not a service statistic; expected one of arrivals,",
        ),
        (
            "x,incentive,icb,trust,acute_block,0.1,service ward delayed_bed_days <= 5,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'targets': 'ward' is not a service",
        ),
        (
            "x,incentive,icb,trust,acute_block,0.1,service acute delayed_bed_days <= inf,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'targets': expected a target from 0 to 10^12 after '<='",
        ),
        (
            "x,incentive,icb,trust,nope,0.1,outcome readmitted_30 <= 0,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'base': expected an active contract of contracts.csv, found \"nope\"",
        ),
        (
            "x,incentive,council,trust,acute_block,0.1,outcome readmitted_30 <= 0,,,,,,,,,,",
            "outcome_contracts.csv:2: column 'base': 'acute_block' is paid by 'icb' to 'trust', not by the payer to the provider of this row",
        ),
        (
            "x,outcome_pot,icb,trust,acute_block,0.1,,still_at_home_91,,,,0.4,0.9,,,,",
            "outcome_contracts.csv:2: column 'base': 'acute_block' is a 'block' contract; expected a 'prime' contract",
        ),
        (
            "x,outcome_pot,icb,prime,prime_cap,0.1,,still_at_home_91,,,,0.9,0.4,,,,",
            "outcome_contracts.csv:2: column 'target': expected a success rate above the floor (0.9)",
        ),
        (
            "x,outcome_payment,council,trust,,,,still_at_home_91,,,,,,,,,",
            "outcome_contracts.csv:2: column 'amount': an 'outcome_payment' contract needs an amount per patient achieving the outcome, a deduction per patient failing it, or both",
        ),
        (
            "x,outcome_payment,council,trust,,,,home_91,,5,,,,,,,",
            "outcome_contracts.csv:2: column 'outcome': expected one of still_at_home_91 or no_readmission_30, found \"home_91\"",
        ),
        (
            "x,outcome_payment,council,trust,,,,still_at_home_91,acute,5,,,,,,,",
            "outcome_contracts.csv:2: column 'services': service 'acute' is not a reablement service in care_settings.csv",
        ),
        (
            "x,outcome_payment,council,trust,,,,still_at_home_91,,-5,,,,,,,",
            "outcome_contracts.csv:2: column 'amount': expected an amount of money from 0 to 10^12, found \"-5\"",
        ),
        (
            "x,outcome_payment,council,council,,,,still_at_home_91,,5,,,,,,,",
            "outcome_contracts.csv:2: column 'provider': the provider must differ from the payer ('council')",
        ),
        (
            "x,gain_share,trust,icb,,,,,,200,,,,service acute delayed_bed_days,1000,icb:1,",
            "outcome_contracts.csv:2: column 'provider': does not apply to 'gain_share' contracts",
        ),
        (
            "x,gain_share,trust,,,,,,,200,,,,service acute delayed_bed_days,1000,icb:0.6;council:0.3,",
            "outcome_contracts.csv:2: column 'members': the members' shares sum to 0.9, not 1",
        ),
        (
            "x,gain_share,trust,,,,,,,200,,,,service acute delayed_bed_days,1000,icb:0.6;icb:0.4,",
            "outcome_contracts.csv:2: column 'members': 'icb' is listed twice",
        ),
        (
            "x,gain_share,trust,,,,,,,200,,,,service acute delayed_bed_days,1000,icb=0.6;council:0.4,",
            "outcome_contracts.csv:2: column 'members': expected members separated by ';'",
        ),
        (
            "x,gain_share,trust,,,,,,,200,,,,service acute delayed_bed_days,1000,nhs:1,",
            "outcome_contracts.csv:2: column 'members': 'nhs' is not an organisation",
        ),
        (
            "x,gain_share,trust,,,,,,,200,,,,acute delayed_bed_days,1000,icb:1,",
            "outcome_contracts.csv:2: column 'kpi': expected a statistic with a value per year",
        ),
        (
            "x,gain_share,trust,,,,,,,200,,,,service acute delayed_bed_days,1e13,icb:1,",
            "outcome_contracts.csv:2: column 'baseline': expected an amount of money from 0 to 10^12, found \"1e13\"",
        ),
        (
            "x,gain_share,ghost,,,,,,,200,,,,service acute delayed_bed_days,1000,icb:1,",
            "outcome_contracts.csv:2: column 'payer':",
        ),
        (
            "x,gain_share,trust,,,,,,,200,,,,service acute delayed_bed_days,1000,icb:1,maybe",
            "outcome_contracts.csv:2: column 'active': expected true or false, found \"maybe\"",
        ),
    ];
    for (row, expected) in cases {
        let dir = reablement(0, 200);
        with_money(&dir, &format!("{row}\n"));
        let e = Model::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains(expected), "{row}\n{e}");
    }
    // A duplicate id, and outcomes without care_settings.csv.
    let dir = reablement(0, 200);
    with_money(
        &dir,
        "x,outcome_payment,council,trust,,,,still_at_home_91,,5,,,,,,,\nx,outcome_payment,council,trust,,,,still_at_home_91,,5,,,,,,,\n",
    );
    let e = Model::load(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("outcome_contracts.csv:3: column 'contract'"),
        "{e}"
    );
    std::fs::remove_file(dir.path().join("care_settings.csv")).unwrap();
    std::fs::write(
        dir.path().join("services.csv"),
        std::fs::read_to_string(dir.path().join("services.csv"))
            .unwrap()
            .replace("acute2,other", "acute2,d2a_bed"),
    )
    .unwrap();
    with_money(
        &dir,
        "x,outcome_payment,council,trust,,,,still_at_home_91,,5,,,,,,,\n",
    );
    let e = Model::load(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("outcome_contracts.csv:2: column 'outcome': outcomes are measured only with care_settings.csv"),
        "{e}"
    );
}

#[test]
fn money_is_conserved_in_every_variant_of_the_outcome_payments_scenario() {
    let experiment =
        careflow::Experiment::load(crate::common::scenario_dir("outcome_payments")).unwrap();
    let names: Vec<&str> = experiment
        .variants()
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "baseline",
            "pbr_d2a",
            "alliance_d2a",
            "alliance_outcomes_d2a",
            "alliance_rebalanced_d2a"
        ]
    );
    for variant in experiment.variants() {
        let mut model = variant.model.clone();
        model.settings_mut().horizon_days = 800.0;
        model.settings_mut().warmup_days = 200.0;
        let outcome_contracts = model.outcome_contracts().len();
        assert_eq!(
            outcome_contracts,
            match variant.name.as_str() {
                "alliance_outcomes_d2a" => 2,
                "alliance_rebalanced_d2a" => 3,
                _ => 0,
            },
            "{}",
            variant.name
        );
        for r in careflow::run_replications(&model, 1) {
            assert!(r.system.is_conserved());
            money_is_conserved(&r);
            let o = r.outcomes.as_ref().unwrap();
            assert!(o.reablement_discharges > 0 && o.still_at_home_91 < o.reablement_discharges);
        }
    }
}
