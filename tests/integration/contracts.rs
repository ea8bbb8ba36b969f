//! Money, to the penny: ledgers of tiny deterministic scenarios (fixed stays, weekly elective
//! bookings, no random arrivals) computed by hand for every contract type, money
//! conservation, and a local authority budget that holds patients in hospital.

use crate::common::write_scenario;
use careflow::{Category, DelayReason, Model, ReplicationResult, run_replication};

/// Organisations of every test: a commissioner, a hospital, a community provider, a council
/// and an independent care home group.
const ORGANISATIONS: &str = "id,kind\nicb,commissioner\ntrust,acute_trust\n\
    community,community_provider\ncouncil,local_authority\nhomes,independent_provider\n";

/// A ward (10 beds), a rehabilitation unit (10 beds, no queue) and a care home (`home_beds`
/// places, no queue). Two patients (`per_week`) are booked into the ward every Wednesday at
/// noon (day 0, 2026-04-01, is a Wednesday), stay exactly 3 days, then go `after_ward`
/// (`exit`, `rehab` for 4 days, or `carehome` for `home_days`).
struct World<'a> {
    horizon: u32,
    per_week: u32,
    after_ward: &'a str,
    home_beds: u32,
    home_days: u32,
    files: Vec<(&'a str, &'a str)>,
}

impl<'a> World<'a> {
    fn new(files: &[(&'a str, &'a str)]) -> Self {
        World {
            horizon: 365,
            per_week: 2,
            after_ward: "exit",
            home_beds: 1,
            home_days: 10,
            files: files.to_vec(),
        }
    }

    fn run(&self) -> (Model, ReplicationResult) {
        let settings = format!(
            "key,value\nstart_date,2026-04-01\nhorizon_days,{}\nwarmup_days,0\nseed,1\n\
             replications,1\ndaily_series,false\n",
            self.horizon
        );
        let services = format!(
            "id,kind,provider,capacity,queue_capacity,queue_discipline\n\
             ward,acute_bed,trust,10,unlimited,fifo\n\
             rehab,community_bed,community,10,0,fifo\n\
             carehome,care_home,homes,{},0,fifo\n",
            self.home_beds
        );
        let electives = format!(
            "id,class,service,weekday,count,hour\nlist,p,ward,wed,{},12\n",
            self.per_week
        );
        let los = format!(
            "class,service,distribution,value\np,ward,fixed,3\np,rehab,fixed,4\n\
             p,carehome,fixed,{}\n",
            self.home_days
        );
        let routes = match self.after_ward {
            "exit" => "class,service,next,probability\n".to_string(),
            next => format!("class,service,next,probability\np,ward,{next},1\n"),
        };
        let mut files: Vec<(&str, &str)> = vec![
            ("settings.csv", &settings),
            ("organisations.csv", ORGANISATIONS),
            ("services.csv", &services),
            ("classes.csv", "id,priority\np,0\n"),
            ("arrivals.csv", "id,class,service,rate_per_day,profile\n"),
            ("electives.csv", &electives),
            ("los.csv", &los),
            ("routes.csv", &routes),
        ];
        files.extend(self.files.iter().copied());
        let dir = write_scenario(&files);
        let model = Model::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let result = run_replication(&model, 0);
        assert!(result.system.is_conserved());
        (model, result)
    }
}

/// Costs of the three services: £400 a bed-day, £250 a bed-day, £700 a placement-week.
const COSTS: &str = "service,basis,rate\nward,bed_day,400\nrehab,bed_day,250\n\
    carehome,placement_week,700\n";

/// The amount `organisation` booked under `category` in year `year` (index).
pub(crate) fn amount(
    model: &Model,
    r: &ReplicationResult,
    year: usize,
    organisation: &str,
    c: Category,
) -> f64 {
    let o = model
        .organisations()
        .iter()
        .position(|o| o.name() == organisation)
        .expect("a known organisation");
    r.finance.years[year].organisations[o].amount(c)
}

fn surplus(model: &Model, r: &ReplicationResult, year: usize, organisation: &str) -> f64 {
    Category::ALL
        .iter()
        .map(|&c| amount(model, r, year, organisation, c))
        .sum()
}

/// Equal to the penny.
#[track_caller]
pub(crate) fn pennies(found: f64, expected: f64) {
    assert!(
        (found - expected).abs() < 0.005,
        "found £{found:.4}, expected £{expected:.2}"
    );
}

/// Every payment appears on both sides: each transfer category sums to zero over the
/// organisations, and the system's surplus is its funding less its costs.
#[track_caller]
pub(crate) fn money_is_conserved(r: &ReplicationResult) {
    for year in &r.finance.years {
        for c in Category::ALL.into_iter().filter(|c| c.is_transfer()) {
            let net: f64 = year.organisations.iter().map(|o| o.amount(c)).sum();
            let gross: f64 = year.organisations.iter().map(|o| o.amount(c).abs()).sum();
            assert!(net.abs() <= 1e-9 * gross.max(1.0), "{}: {net}", c.as_str());
        }
        let surplus: f64 = year.organisations.iter().map(|o| o.surplus()).sum();
        let outside: f64 = year
            .organisations
            .iter()
            .flat_map(|o| {
                Category::ALL
                    .into_iter()
                    .filter(|c| !c.is_transfer())
                    .map(|c| o.amount(c))
            })
            .sum();
        assert!((surplus - outside).abs() <= 1e-6 * outside.abs().max(1.0));
    }
}

// Ward activity in a 365-day run (financial year 2026-27 exactly): bookings on the 53
// Wednesdays, days 0, 7, …, 364, two each at noon. A spell ends 3 days later, at day
// d + 3.5, inside the run for the 52 weeks d ≤ 357: 104 spells. The last two patients are
// in their beds from day 364.5 to the horizon. Ward bed-days: 104 × 3 + 2 × 0.5 = 313.

#[test]
fn payment_by_results_pays_tariff_excess_days_and_the_marginal_rate() {
    let (model, r) = World::new(&[
        ("costs.csv", COSTS),
        ("funding.csv", "organisation,annual\nicb,1000000\n"),
        (
            "contracts.csv",
            "contract,type,payer,provider,services,baseline_spells,marginal_rate\n\
             acute,pbr,icb,trust,ward,60,0.3\n",
        ),
        (
            "tariffs.csv",
            "contract,class,service,price,trim_days,excess_per_day,emergency\n\
             acute,p,ward,1000,2,100,true\n",
        ),
    ])
    .run();
    assert_eq!(r.finance.years.len(), 1);
    let year = &r.finance.years[0];
    assert_eq!(year.label, "2026-27");
    assert_eq!(year.spells_paid, 104);
    // The first 60 emergency spells of the year at £1,000, the other 44 at 30%.
    assert_eq!(year.spells_at_marginal_rate, 44);
    pennies(
        amount(&model, &r, 0, "trust", Category::Tariff),
        60.0 * 1000.0 + 44.0 * 300.0,
    );
    // Each 3-day stay is one day past the 2-day trim point.
    pennies(
        amount(&model, &r, 0, "trust", Category::ExcessBedDays),
        104.0 * 100.0,
    );
    pennies(amount(&model, &r, 0, "icb", Category::Tariff), -73_200.0);
    pennies(
        amount(&model, &r, 0, "trust", Category::CareCosts),
        -313.0 * 400.0,
    );
    pennies(amount(&model, &r, 0, "icb", Category::Funding), 1_000_000.0);
    pennies(
        surplus(&model, &r, 0, "trust"),
        73_200.0 + 10_400.0 - 125_200.0,
    );
    pennies(
        surplus(&model, &r, 0, "icb"),
        1_000_000.0 - 73_200.0 - 10_400.0,
    );
    money_is_conserved(&r);
}

#[test]
fn emergency_readmissions_within_the_window_are_not_paid() {
    let mut world = World::new(&[
        (
            "contracts.csv",
            "contract,type,payer,provider,services,readmission_days\n\
             acute,pbr,icb,trust,ward,30\n",
        ),
        (
            "tariffs.csv",
            "contract,class,service,price,emergency\nacute,p,ward,1000,true\n",
        ),
        (
            "readmissions.csv",
            "class,service,pathway,probability,within_days,to\np,ward,,0.5,10,ward\n",
        ),
    ]);
    world.per_week = 1;
    let (model, r) = world.run();
    let year = &r.finance.years[0];
    let ward = &r.services[0];
    // 52 booked spells end inside the run; every readmission comes back within 10 days, so
    // none of those spells is paid.
    assert!(ward.readmissions > 10, "{}", ward.readmissions);
    assert_eq!(year.spells_paid, 52);
    assert_eq!(year.spells_unpaid_readmissions, ward.departures - 52);
    pennies(amount(&model, &r, 0, "trust", Category::Tariff), 52_000.0);
    money_is_conserved(&r);
}

#[test]
fn block_and_capitation_are_paid_pro_rata_over_partial_financial_years() {
    // Starting on 1 January 2026 and running 365 days: 90 days of 2025-26 and 275 of
    // 2026-27. The trust is a prime contractor: capitation from the ICB, and it pays the
    // community provider a block for its part of the pathway.
    // Files given later replace earlier ones of the same name: here, the settings.
    let (model, r) = World::new(&[
        (
            "contracts.csv",
            "contract,type,payer,provider,amount,population\n\
             community_block,block,icb,community,365000,\n\
             prime,prime,icb,trust,50,2000\n\
             sub,block,trust,community,36500,\n\
             homes_capitation,capitation,council,homes,10,1000\n",
        ),
        (
            "settings.csv",
            "key,value\nstart_date,2026-01-01\nhorizon_days,365\nwarmup_days,0\nseed,1\n\
             replications,1\ndaily_series,false\n",
        ),
    ])
    .run();
    let labels: Vec<&str> = r.finance.years.iter().map(|y| y.label.as_str()).collect();
    assert_eq!(labels, ["2025-26", "2026-27"]);
    pennies(
        amount(&model, &r, 0, "community", Category::Block),
        90_000.0 + 9_000.0,
    );
    pennies(
        amount(&model, &r, 1, "community", Category::Block),
        275_000.0 + 27_500.0,
    );
    pennies(
        amount(&model, &r, 0, "trust", Category::Capitation),
        100_000.0 * 90.0 / 365.0,
    );
    pennies(
        amount(&model, &r, 1, "trust", Category::Capitation),
        100_000.0 * 275.0 / 365.0,
    );
    pennies(amount(&model, &r, 1, "trust", Category::Block), -27_500.0);
    pennies(amount(&model, &r, 1, "icb", Category::Block), -275_000.0);
    // A plain capitation: £10 a head for 1,000 people a year.
    pennies(
        amount(&model, &r, 0, "homes", Category::Capitation),
        10_000.0 * 90.0 / 365.0,
    );
    pennies(
        amount(&model, &r, 1, "council", Category::Capitation),
        -10_000.0 * 275.0 / 365.0,
    );
    money_is_conserved(&r);
}

#[test]
fn blended_pays_a_fixed_element_and_a_share_of_activity_against_plan() {
    // 104 spells at £1,000 against a plan of £120,000: 20% of the £16,000 shortfall is
    // taken back from the £50,000 fixed element.
    let (model, r) = World::new(&[
        (
            "contracts.csv",
            "contract,type,payer,provider,services,amount,plan,share\n\
             acute,blended,icb,trust,ward,50000,120000,0.2\n",
        ),
        (
            "tariffs.csv",
            "contract,class,service,price,emergency\nacute,p,ward,1000,true\n",
        ),
    ])
    .run();
    pennies(
        amount(&model, &r, 0, "trust", Category::BlendedFixed),
        50_000.0,
    );
    pennies(
        amount(&model, &r, 0, "trust", Category::BlendedVariable),
        -3_200.0,
    );
    pennies(surplus(&model, &r, 0, "icb"), -46_800.0);
    money_is_conserved(&r);
}

// With patients going on to rehabilitation for 4 days: they arrive there at d + 3.5 and
// leave at d + 7.5, inside the run for d ≤ 357: 104 × 4 = 416 rehab bed-days (£104,000 at
// £250); the ward's 313 bed-days cost £125,200.

#[test]
fn an_alliance_pays_members_costs_and_shares_the_overspend_within_caps() {
    // Budget £200,000 against costs of £229,200: £29,200 overspent. Half each: the trust's
    // £14,600 is capped at £10,000, the community provider bears its £14,600; the ICB bears
    // the rest.
    let mut world = World::new(&[
        ("costs.csv", COSTS),
        (
            "contracts.csv",
            "contract,type,payer,provider,services,amount\n\
             alliance,alliance,icb,,ward;rehab,200000\n",
        ),
        (
            "contract_members.csv",
            "contract,organisation,share,cap\nalliance,trust,0.5,10000\n\
             alliance,community,0.5,\n",
        ),
    ]);
    world.after_ward = "rehab";
    let (model, r) = world.run();
    pennies(
        amount(&model, &r, 0, "trust", Category::CareCosts),
        -125_200.0,
    );
    pennies(
        amount(&model, &r, 0, "community", Category::CareCosts),
        -104_000.0,
    );
    pennies(
        amount(&model, &r, 0, "trust", Category::AllianceCosts),
        125_200.0,
    );
    pennies(
        amount(&model, &r, 0, "community", Category::AllianceCosts),
        104_000.0,
    );
    pennies(
        amount(&model, &r, 0, "trust", Category::AllianceShare),
        -10_000.0,
    );
    pennies(
        amount(&model, &r, 0, "community", Category::AllianceShare),
        -14_600.0,
    );
    pennies(surplus(&model, &r, 0, "trust"), -10_000.0);
    pennies(surplus(&model, &r, 0, "community"), -14_600.0);
    pennies(surplus(&model, &r, 0, "icb"), -(229_200.0 - 24_600.0));
    money_is_conserved(&r);
}

#[test]
fn a_pooled_fund_shares_the_cost_of_its_services_among_its_members() {
    let mut world = World::new(&[
        ("costs.csv", COSTS),
        (
            "contracts.csv",
            "contract,type,payer,provider,services\nbcf,pooled_fund,,,rehab\n",
        ),
        (
            "contract_members.csv",
            "contract,organisation,share,cap\nbcf,icb,0.6,\nbcf,council,0.4,\n",
        ),
    ]);
    world.after_ward = "rehab";
    let (model, r) = world.run();
    pennies(
        amount(&model, &r, 0, "icb", Category::PooledFund),
        -62_400.0,
    );
    pennies(
        amount(&model, &r, 0, "council", Category::PooledFund),
        -41_600.0,
    );
    pennies(
        amount(&model, &r, 0, "community", Category::PooledFund),
        104_000.0,
    );
    pennies(surplus(&model, &r, 0, "community"), 0.0);
    money_is_conserved(&r);
}

// One patient a week to a single care-home place for 10 days, over 35 days: fit to leave the
// ward at days 3.5, 10.5, 17.5, 24.5 and 31.5; the place takes them at 3.5, 13.5, 23.5 and
// 33.5. Delays in the ward: 3, 6 and 9 days, and 3.5 still running at the horizon.

#[test]
fn delays_awaiting_social_care_are_charged_daily_after_the_grace_period() {
    let mut world = World::new(&[
        ("costs.csv", COSTS),
        (
            "contracts.csv",
            "contract,type,payer,provider,services,amount,basis,grace_days\n\
             delays,delay_reimbursement,council,trust,carehome,150,,2\n\
             placements,spot,council,homes,carehome,700,placement_week,\n",
        ),
    ]);
    (world.horizon, world.per_week, world.after_ward) = (35, 1, "carehome");
    let (model, r) = world.run();
    let ward = &r.services[0];
    assert!(
        (ward.delayed_bed_days - 21.5).abs() < 1e-9,
        "{}",
        ward.delayed_bed_days
    );
    // Days beyond the first two of each delay: 1 + 4 + 7 + 1.5.
    assert!((r.finance.years[0].delay_days_charged - 13.5).abs() < 1e-9);
    pennies(
        amount(&model, &r, 0, "trust", Category::DelayReimbursement),
        13.5 * 150.0,
    );
    pennies(
        amount(&model, &r, 0, "council", Category::DelayReimbursement),
        -2_025.0,
    );
    // Placement-days 10 + 10 + 10 + 1.5 at £100 a day, bought and provided at the same rate.
    pennies(amount(&model, &r, 0, "homes", Category::Spot), 3_150.0);
    pennies(
        amount(&model, &r, 0, "homes", Category::CareCosts),
        -3_150.0,
    );
    pennies(amount(&model, &r, 0, "council", Category::Spot), -3_150.0);
    money_is_conserved(&r);
}

#[test]
fn a_council_that_cannot_overspend_keeps_patients_in_hospital_awaiting_funding() {
    // Care-home places are plentiful (100) but the council's care budget is £50,000 a year
    // and a placement costs £100 a day, committed to the end of the year (day 365) when it
    // starts. Each stay is 14 days.
    //   3.5  first patient placed: commits 361.5 × 100 = 36,150; 13,850 left.
    //  10.5  second patient needs 35,450: waits in the ward.
    //  17.5  first leaves, freeing 34,750 (48,600 left): the second is placed (13,850
    //        left); the third, fit at the same time, needs 34,750: waits.
    //  24.5  fourth fit: waits behind the third.
    //  31.5  second leaves: third placed; fifth fit: waits.
    // Awaiting funding in the ward: 7 + 14 + 10.5 (fourth, to the horizon at 35) + 3.5.
    let funding = |budget: &str| {
        format!("organisation,annual,care_budget\nicb,1000000,\ncouncil,1000000,{budget}\n")
    };
    let tight = funding("50000");
    let ample = funding("1000000");
    let contracts = "contract,type,payer,provider,services,amount,basis,grace_days\n\
         delays,delay_reimbursement,council,trust,carehome,150,,2\n\
         placements,spot,council,homes,carehome,700,placement_week,\n";
    let run = |funding: &str| {
        let mut world = World::new(&[
            ("costs.csv", COSTS),
            ("funding.csv", funding),
            ("contracts.csv", contracts),
        ]);
        (world.horizon, world.per_week, world.after_ward) = (35, 1, "carehome");
        (world.home_beds, world.home_days) = (100, 14);
        world.run()
    };
    let (model, r) = run(&tight);
    let ward = &r.services[0];
    assert_eq!(ward.delayed_patients_awaiting_funding, 4);
    assert!(
        (ward.delayed_bed_days_awaiting_funding - 35.0).abs() < 1e-9,
        "{}",
        ward.delayed_bed_days_awaiting_funding
    );
    assert_eq!(
        ward.delayed_bed_days_awaiting_place, 0.0,
        "room was never short"
    );
    // A patient waiting for funding is a delayed patient: the headline delay is all of it.
    assert!((ward.delayed_bed_days - 35.0).abs() < 1e-9);
    assert_eq!(ward.delayed_patients, 4);
    // …attributed to the service whose funding was awaited.
    assert_eq!(r.delays.len(), 1, "{:?}", r.delays);
    let d = &r.delays[0];
    assert_eq!((d.held_at.index(), d.awaiting.index()), (0, 2));
    assert_eq!((d.reason, d.patients), (DelayReason::Funding, 4));
    assert!((d.bed_days - 35.0).abs() < 1e-9);
    assert_eq!(r.services[2].admissions, 3);
    // Waits for funding are delays attributed to social care: 5 + 12 + 8.5 + 1.5 days
    // beyond the grace period are charged.
    pennies(
        amount(&model, &r, 0, "council", Category::DelayReimbursement),
        -27.0 * 150.0,
    );
    // Placements 14 + 14 + 3.5 days at £100.
    pennies(amount(&model, &r, 0, "council", Category::Spot), -3_150.0);
    money_is_conserved(&r);

    // With money enough, nobody waits and everyone fit is placed.
    let (_, r) = run(&ample);
    assert_eq!(r.services[0].delayed_patients_awaiting_funding, 0);
    assert_eq!(r.services[0].delayed_bed_days_awaiting_funding, 0.0);
    assert_eq!(r.services[0].delayed_bed_days, 0.0);
    assert_eq!(r.services[2].admissions, 5);
}

#[test]
fn fixed_costs_accrue_with_places_open_whether_used_or_not() {
    // Ten ward beds and ten rehab beds open all year: £100 and £50 a bed a day on top of the
    // variable costs of the 313 ward bed-days.
    let (model, r) = World::new(&[(
        "costs.csv",
        "service,basis,rate,fixed_per_place_day\nward,bed_day,400,100\nrehab,bed_day,250,50\n\
         carehome,placement_week,700,\n",
    )])
    .run();
    pennies(
        amount(&model, &r, 0, "trust", Category::CapacityCosts),
        -10.0 * 365.0 * 100.0,
    );
    pennies(
        amount(&model, &r, 0, "community", Category::CapacityCosts),
        -10.0 * 365.0 * 50.0,
    );
    pennies(amount(&model, &r, 0, "homes", Category::CapacityCosts), 0.0);
    pennies(
        amount(&model, &r, 0, "trust", Category::CareCosts),
        -125_200.0,
    );
    money_is_conserved(&r);
}

#[test]
fn money_is_conserved_in_every_variant_of_the_contracts_scenario() {
    let experiment = careflow::Experiment::load(crate::common::scenario_dir("contracts")).unwrap();
    for variant in experiment.variants() {
        let mut model = variant.model.clone();
        model.settings_mut().horizon_days = 800.0;
        model.settings_mut().warmup_days = 200.0;
        for r in careflow::run_replications(&model, 2) {
            assert!(r.system.is_conserved());
            assert_eq!(r.finance.years.len(), 3, "{}", variant.name);
            money_is_conserved(&r);
        }
    }
}

#[test]
fn precision_mode_can_target_money() {
    let mut experiment =
        careflow::Experiment::load(crate::common::scenario_dir("contracts")).unwrap();
    assert!(experiment.has_kpi("finance", "acute_trust", "surplus"));
    assert!(experiment.has_kpi("finance", "county_council", "spot"));
    assert!(experiment.has_kpi("finance", "", "unbalanced_transfers"));
    assert!(!experiment.has_kpi("finance", "", "income"));
    assert!(!experiment.has_kpi("finance", "nobody", "surplus"));
    assert!(!experiment.has_kpi("finance", "acute_trust", "nothing"));
    for v in experiment.variants_mut() {
        v.model.settings_mut().horizon_days = 400.0;
        v.model.settings_mut().warmup_days = 100.0;
    }
    let plan = careflow::Plan {
        replications: 3,
        seeds: careflow::Seeds::Common,
        precision: Some(careflow::Precision {
            kpi: ("finance".into(), "acute_trust".into(), "income".into()),
            relative_half_width: 0.01,
            level: 0.95,
            max_replications: 30,
        }),
    };
    let result = experiment.run(&plan);
    let (_, reached) = result.precision.clone().unwrap();
    assert!(reached <= 0.01, "{reached}");
    // Without money, there is nothing to aim at.
    let plain = careflow::Experiment::load(crate::common::scenario_dir("baseline")).unwrap();
    assert!(!plain.has_kpi("finance", "", "surplus"));
}

#[test]
fn escalation_beds_cost_a_premium_per_bed_day_used() {
    // One ward bed and one escalation bed that opens as soon as the ward is full (and stays
    // open while at least half full). One patient a week stays 10 days, so from the second
    // week two are in at once for 3 days a week: 7.5-10.5, 14.5-17.5, 21.5-24.5 and
    // 28.5-31.5 — 12 escalation bed-days in 35 days. Occupied bed-days: four full stays and
    // 6.5 days of the fifth, 46.5. Places open: one bed for the first half day, two after.
    let mut world = World::new(&[
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\n\
             ward,acute_bed,trust,1,unlimited,fifo\n\
             rehab,community_bed,community,10,0,fifo\n\
             carehome,care_home,homes,1,0,fifo\n",
        ),
        (
            "los.csv",
            "class,service,distribution,value\np,ward,fixed,10\np,rehab,fixed,4\n\
             p,carehome,fixed,10\n",
        ),
        (
            "escalation.csv",
            "service,extra,open_at,close_below,delay_hours\nward,1,1,0.5,0\n",
        ),
        (
            "costs.csv",
            "service,basis,rate,escalation_premium,fixed_per_place_day\n\
             ward,bed_day,400,200,10\nrehab,bed_day,250,,\ncarehome,placement_week,700,,\n",
        ),
    ]);
    (world.horizon, world.per_week) = (35, 1);
    let (model, r) = world.run();
    let ward = &r.services[0];
    assert!(
        (ward.escalation_bed_days - 12.0).abs() < 1e-9,
        "{}",
        ward.escalation_bed_days
    );
    pennies(
        amount(&model, &r, 0, "trust", Category::EscalationPremium),
        -12.0 * 200.0,
    );
    pennies(
        amount(&model, &r, 0, "trust", Category::CareCosts),
        -46.5 * 400.0,
    );
    pennies(
        amount(&model, &r, 0, "trust", Category::CapacityCosts),
        -(0.5 + 2.0 * 34.5) * 10.0,
    );
    money_is_conserved(&r);
}
