//! The money files: costs, funding, contracts, tariffs and contract members load into the
//! model, and each kind of bad input gives the full, exact message naming its file, line and
//! column.
//!
//! Each bad case replaces one file of a valid base scenario, and compares the whole rendered
//! error text, with the temporary folder written `{dir}`.

use crate::common::write_scenario;
use careflow::{ContractKind, ContractTerms, CostBasis, Experiment, Model};
use std::path::MAIN_SEPARATOR;

const SETTINGS: &str = "key,value\nstart_date,2026-04-01\nhorizon_days,365\nreplications,2\n";

const ORGANISATIONS: &str = "\
id,kind
trust,acute_trust
community,community_provider
council,local_authority
icb,commissioner
agency,independent_provider
";

const SERVICES: &str = "\
id,kind,provider,capacity,queue_capacity,queue_discipline,unit
ed,ed,trust,20,unlimited,fifo,
acute,acute_bed,trust,100,unlimited,fifo,
rehab,community_bed,community,20,unlimited,fifo,
homecare,home_care,agency,500,unlimited,fifo,hours
";

const CLASSES: &str = "id,priority\nfrail,0\nadult,1\n";

const ARRIVALS: &str = "\
id,class,service,rate_per_day,profile
frail_in,frail,ed,10,
adult_in,adult,ed,20,
";

const LOS: &str = "\
class,service,distribution,mean
frail,ed,exponential,0.2
adult,ed,exponential,0.1
frail,acute,exponential,8
adult,acute,exponential,3
frail,rehab,exponential,14
frail,homecare,exponential,30
";

const PACKAGE_HOURS: &str = "class,service,distribution,mean\nfrail,homecare,exponential,10\n";

const ROUTES: &str = "\
class,service,next,probability
frail,ed,acute,1
adult,ed,acute,0.5
adult,ed,exit,0.5
frail,acute,rehab,0.5
frail,acute,homecare,0.5
";

const COSTS: &str = "\
service,basis,rate,escalation_premium
ed,bed_day,300,
acute,bed_day,450,150
rehab,bed_day,250,
homecare,care_hour,28,
";

const FUNDING: &str = "\
organisation,annual,care_budget
icb,1500000000,
council,200000000,90000000
";

/// The columns of `contracts.csv`, in the order rows are written here.
const CONTRACT_COLUMNS: [&str; 15] = [
    "contract",
    "type",
    "payer",
    "provider",
    "services",
    "amount",
    "basis",
    "population",
    "plan",
    "share",
    "baseline_spells",
    "marginal_rate",
    "readmission_days",
    "grace_days",
    "active",
];

/// A row of `contracts.csv` with the cells `cells` names, the others empty.
fn contract(cells: &[(&str, &str)]) -> String {
    let fields: Vec<&str> = CONTRACT_COLUMNS
        .iter()
        .map(|column| {
            cells
                .iter()
                .find(|(c, _)| c == column)
                .map_or("", |(_, value)| *value)
        })
        .collect();
    fields.join(",")
}

/// The rows of the base `contracts.csv` (lines 2 to 11).
fn contract_rows() -> Vec<String> {
    vec![
        contract(&[
            ("contract", "acute_pbr"),
            ("type", "pbr"),
            ("payer", "icb"),
            ("provider", "trust"),
            ("services", "ed; acute"),
            ("baseline_spells", "1000"),
            ("marginal_rate", "0.3"),
            ("readmission_days", "30"),
        ]),
        contract(&[
            ("contract", "community_block"),
            ("type", "block"),
            ("payer", "icb"),
            ("provider", "community"),
            ("services", "rehab"),
            ("amount", "12000000"),
        ]),
        contract(&[
            ("contract", "homecare_spot"),
            ("type", "spot"),
            ("payer", "council"),
            ("provider", "agency"),
            ("services", "homecare"),
            ("amount", "27.5"),
            ("basis", "care_hour"),
        ]),
        contract(&[
            ("contract", "delays"),
            ("type", "delay_reimbursement"),
            ("payer", "council"),
            ("provider", "trust"),
            ("services", "homecare"),
            ("amount", "150"),
            ("grace_days", "3"),
        ]),
        contract(&[
            ("contract", "frailty_alliance"),
            ("type", "alliance"),
            ("payer", "icb"),
            ("services", "rehab"),
            ("amount", "5000000"),
        ]),
        contract(&[
            ("contract", "bcf"),
            ("type", "pooled_fund"),
            ("services", "homecare"),
        ]),
        contract(&[
            ("contract", "acute_blended"),
            ("type", "blended"),
            ("payer", "icb"),
            ("provider", "trust"),
            ("services", "ed;acute"),
            ("amount", "80000000"),
            ("plan", "90000000"),
            ("share", "0.5"),
            ("active", "false"),
        ]),
        contract(&[
            ("contract", "community_prime"),
            ("type", "prime"),
            ("payer", "icb"),
            ("provider", "community"),
            ("amount", "150"),
            ("population", "300000"),
        ]),
        contract(&[
            ("contract", "sub"),
            ("type", "block"),
            ("payer", "community"),
            ("provider", "agency"),
            ("amount", "100000"),
        ]),
        contract(&[
            ("contract", "gp_cap"),
            ("type", "capitation"),
            ("payer", "icb"),
            ("provider", "trust"),
            ("amount", "50"),
            ("population", "250000"),
            ("active", "true"),
        ]),
    ]
}

/// `contracts.csv` with row `line` (2 to 11) replaced by `row` (`None`: left out) and `extra`
/// rows added at the end.
fn contracts_with(line: usize, row: Option<String>, extra: &[String]) -> String {
    let mut rows = contract_rows();
    if (2..12).contains(&line) {
        match row {
            Some(row) => rows[line - 2] = row,
            None => {
                rows.remove(line - 2);
            }
        }
    }
    rows.extend(extra.iter().cloned());
    format!("{}\n{}\n", CONTRACT_COLUMNS.join(","), rows.join("\n"))
}

fn contracts() -> String {
    contracts_with(0, None, &[])
}

const TARIFFS: &str = "\
contract,class,service,price,trim_days,excess_per_day,emergency
acute_pbr,frail,acute,3500,10,300,true
acute_pbr,adult,acute,2000,,,true
acute_pbr,frail,ed,200,,,true
acute_blended,frail,acute,3500,10,300,true
";

const MEMBERS: &str = "\
contract,organisation,share,cap
frailty_alliance,community,0.5,1000000
frailty_alliance,icb,0.3,
bcf,icb,0.6,
bcf,council,0.4,
";

/// Writes the base scenario with `changes` applied (`None` removes the file).
fn write_with(changes: &[(&str, Option<&str>)]) -> tempfile::TempDir {
    let contracts = contracts();
    let mut files: Vec<(&str, &str)> = vec![
        ("settings.csv", SETTINGS),
        ("organisations.csv", ORGANISATIONS),
        ("services.csv", SERVICES),
        ("classes.csv", CLASSES),
        ("arrivals.csv", ARRIVALS),
        ("los.csv", LOS),
        ("package_hours.csv", PACKAGE_HOURS),
        ("routes.csv", ROUTES),
        ("costs.csv", COSTS),
        ("funding.csv", FUNDING),
        ("contracts.csv", &contracts),
        ("tariffs.csv", TARIFFS),
        ("contract_members.csv", MEMBERS),
    ];
    for &(name, contents) in changes {
        files.retain(|(f, _)| *f != name);
        if let Some(contents) = contents {
            files.push((name, contents));
        }
    }
    write_scenario(&files)
}

/// `message` with the temporary folder written `{dir}`.
fn relative(dir: &tempfile::TempDir, message: String) -> String {
    message.replace(
        &format!("{}{MAIN_SEPARATOR}", dir.path().display()),
        "{dir}/",
    )
}

/// Loads the base scenario with `changes` applied, rendering its errors with `{dir}`.
fn load_with(changes: &[(&str, Option<&str>)]) -> Result<Model, String> {
    let dir = write_with(changes);
    Model::load(dir.path()).map_err(|e| relative(&dir, e.to_string()))
}

#[test]
fn the_money_files_load_into_the_model() {
    let model = load_with(&[]).unwrap();
    let service = |name: &str| model.service_id(name).unwrap();
    let name =
        |o: Option<careflow::OrganisationId>| o.map(|o| model.organisations()[o.index()].name());

    let acute = model.cost(service("acute")).unwrap();
    assert_eq!(
        (acute.basis(), acute.rate(), acute.escalation_premium()),
        (CostBasis::BedDay, 450.0, 150.0)
    );
    let homecare = model.cost(service("homecare")).unwrap();
    assert_eq!(
        (
            homecare.basis(),
            homecare.rate(),
            homecare.escalation_premium()
        ),
        (CostBasis::CareHour, 28.0, 0.0)
    );

    // Active contracts only, in file order: acute_blended is inactive.
    let contracts: Vec<_> = model
        .contracts()
        .iter()
        .map(|c| {
            (
                c.name(),
                c.kind(),
                name(c.payer()),
                name(c.provider()),
                c.services().len(),
            )
        })
        .collect();
    assert_eq!(
        contracts,
        [
            (
                "acute_pbr",
                ContractKind::PaymentByResults,
                Some("icb"),
                Some("trust"),
                2
            ),
            (
                "community_block",
                ContractKind::Block,
                Some("icb"),
                Some("community"),
                1
            ),
            (
                "homecare_spot",
                ContractKind::Spot,
                Some("council"),
                Some("agency"),
                1
            ),
            (
                "delays",
                ContractKind::DelayReimbursement,
                Some("council"),
                Some("trust"),
                1
            ),
            (
                "frailty_alliance",
                ContractKind::Alliance,
                Some("icb"),
                None,
                1
            ),
            ("bcf", ContractKind::PooledFund, None, None, 1),
            (
                "community_prime",
                ContractKind::PrimeContractor,
                Some("icb"),
                Some("community"),
                0
            ),
            (
                "sub",
                ContractKind::Block,
                Some("community"),
                Some("agency"),
                0
            ),
            (
                "gp_cap",
                ContractKind::Capitation,
                Some("icb"),
                Some("trust"),
                0
            ),
        ]
    );
    let contract = |n: &str| model.contracts().iter().find(|c| c.name() == n).unwrap();

    // Funding, found through the organisations the contracts name.
    let council = contract("homecare_spot").payer().unwrap();
    let icb = contract("acute_pbr").payer().unwrap();
    let trust = contract("acute_pbr").provider().unwrap();
    assert_eq!(
        model.funding(council).unwrap().care_budget(),
        Some(90_000_000.0)
    );
    assert_eq!(model.funding(icb).unwrap().annual(), 1_500_000_000.0);
    assert_eq!(model.funding(icb).unwrap().care_budget(), None);
    assert_eq!(model.funding(trust), None);

    let ContractTerms::PaymentByResults {
        tariffs,
        marginal,
        readmission_days,
    } = contract("acute_pbr").terms()
    else {
        panic!("acute_pbr is Payment by Results");
    };
    assert_eq!(
        contract("acute_pbr").services(),
        [service("ed"), service("acute")]
    );
    let prices: Vec<(f64, Option<f64>, f64, bool)> = tariffs
        .iter()
        .map(|t| (t.price(), t.trim_days(), t.excess_per_day(), t.emergency()))
        .collect();
    assert_eq!(
        prices,
        [
            (3500.0, Some(10.0), 300.0, true),
            (2000.0, None, 0.0, true),
            (200.0, None, 0.0, true)
        ]
    );
    assert_eq!(tariffs[0].service(), service("acute"));
    assert_eq!(tariffs[2].service(), service("ed"));
    let marginal = marginal.unwrap();
    assert_eq!((marginal.baseline_spells(), marginal.rate()), (1000.0, 0.3));
    assert_eq!(*readmission_days, Some(30.0));

    assert_eq!(
        contract("community_block").terms(),
        &ContractTerms::Block { annual: 12e6 }
    );
    assert_eq!(
        contract("homecare_spot").terms(),
        &ContractTerms::Spot {
            price: 27.5,
            basis: CostBasis::CareHour
        }
    );
    assert_eq!(
        contract("delays").terms(),
        &ContractTerms::DelayReimbursement {
            daily: 150.0,
            grace_days: 3.0
        }
    );
    assert_eq!(
        contract("community_prime").terms(),
        &ContractTerms::Capitation {
            per_head: 150.0,
            population: 300_000,
            prime: true
        }
    );
    let ContractTerms::Alliance { budget, members } = contract("frailty_alliance").terms() else {
        panic!("frailty_alliance is an alliance");
    };
    assert_eq!(*budget, 5e6);
    let members: Vec<(Option<&str>, f64, Option<f64>)> = members
        .iter()
        .map(|m| (name(Some(m.organisation())), m.share(), m.cap()))
        .collect();
    assert_eq!(
        members,
        [
            (Some("community"), 0.5, Some(1e6)),
            (Some("icb"), 0.3, None)
        ]
    );
    let ContractTerms::PooledFund { members } = contract("bcf").terms() else {
        panic!("bcf is a pooled fund");
    };
    assert_eq!(members.len(), 2);
}

#[test]
fn a_scenario_without_money_files_books_no_money() {
    let model = load_with(&[
        ("costs.csv", None),
        ("funding.csv", None),
        ("contracts.csv", None),
        ("tariffs.csv", None),
        ("contract_members.csv", None),
    ])
    .unwrap();
    assert!(model.finance().is_empty());
    assert!(model.contracts().is_empty());
}

#[test]
fn an_inactive_contract_is_checked_but_left_out() {
    // acute_blended is inactive: a mistake in it, or in its tariffs, is still reported.
    let contracts = contracts().replace("90000000,0.5,", "90000000,1.5,");
    let tariffs = TARIFFS.replace(
        "acute_blended,frail,acute,3500",
        "acute_blended,frail,acute,-1",
    );
    assert_eq!(
        load_with(&[
            ("contracts.csv", Some(&contracts)),
            ("tariffs.csv", Some(&tariffs))
        ])
        .unwrap_err(),
        "{dir}/contracts.csv:8: column 'share': expected a share from 0 to 1, found \"1.5\"\n\
         {dir}/tariffs.csv:5: column 'price': expected an amount of money from 0 to 10^12, found \"-1\""
    );
}

#[test]
fn variants_switch_contracts_on_and_off_and_change_their_terms() {
    let variants = "\
variant,file,row,column,value
blended,contracts.csv,acute_pbr,active,false
blended,contracts.csv,acute_blended,active,true
capitated_block,contracts.csv,community_block,type,capitation
capitated_block,contracts.csv,community_block,amount,40
capitated_block,contracts.csv,community_block,population,300000
dearer_care,costs.csv,homecare,rate,31
dearer_care,tariffs.csv,acute_pbr/adult/acute,price,2100
dearer_care,contract_members.csv,bcf/icb,share,0.5
dearer_care,contract_members.csv,bcf/council,share,0.5
dearer_care,funding.csv,council,care_budget,95000000
";
    let dir = write_with(&[("variants.csv", Some(variants))]);
    let experiment = Experiment::load(dir.path()).unwrap();
    let names = |v: usize| -> Vec<String> {
        experiment.variants()[v]
            .model
            .contracts()
            .iter()
            .map(|c| c.name().to_owned())
            .collect()
    };
    assert_eq!(names(0)[0], "acute_pbr");
    assert!(names(1).contains(&"acute_blended".to_owned()));
    assert!(!names(1).contains(&"acute_pbr".to_owned()));
    let blended = experiment.variants()[1]
        .model
        .contracts()
        .iter()
        .find(|c| c.name() == "acute_blended")
        .unwrap();
    assert_eq!(blended.terms().tariffs().len(), 1);

    let block = |v: usize| {
        experiment.variants()[v]
            .model
            .contracts()
            .iter()
            .find(|c| c.name() == "community_block")
            .unwrap()
            .terms()
            .clone()
    };
    assert_eq!(block(0), ContractTerms::Block { annual: 12e6 });
    assert_eq!(
        block(2),
        ContractTerms::Capitation {
            per_head: 40.0,
            population: 300_000,
            prime: false
        }
    );
    let dearer = &experiment.variants()[3].model;
    assert_eq!(
        dearer
            .cost(dearer.service_id("homecare").unwrap())
            .unwrap()
            .rate(),
        31.0
    );
    assert_eq!(dearer.contracts()[0].terms().tariffs()[1].price(), 2100.0);

    // An override is checked like the cell it replaces, and reported at its line.
    let dir = write_with(&[(
        "variants.csv",
        Some("variant,file,row,column,value\nboth,contracts.csv,acute_blended,active,true\n"),
    )]);
    assert_eq!(
        relative(&dir, Experiment::load(dir.path()).unwrap_err().to_string()),
        "variant 'both': {dir}/contracts.csv:8: column 'services': service 'ed' is already covered by 'pbr' contract 'acute_pbr' (line 2): a service may have at most one active pbr or blended contract\n\
         variant 'both': {dir}/contracts.csv:8: column 'services': service 'acute' is already covered by 'pbr' contract 'acute_pbr' (line 2): a service may have at most one active pbr or blended contract"
    );
}

/// (what is wrong, file replaced, its new contents, the whole message).
type Case = (&'static str, &'static str, String, &'static str);

/// `contracts.csv` with row `line` replaced by the row `cells` describe.
fn contract_at(line: usize, cells: &[(&str, &str)]) -> String {
    contracts_with(line, Some(contract(cells)), &[])
}

fn cases() -> Vec<Case> {
    let costs = |from: &str, to: &str| COSTS.replace(from, to);
    let funding = |from: &str, to: &str| FUNDING.replace(from, to);
    let tariffs = |from: &str, to: &str| TARIFFS.replace(from, to);
    let members = |from: &str, to: &str| MEMBERS.replace(from, to);
    let pbr = |services: &str| {
        contract_at(
            2,
            &[
                ("contract", "acute_pbr"),
                ("type", "pbr"),
                ("payer", "icb"),
                ("provider", "trust"),
                ("services", services),
            ],
        )
    };
    vec![
        (
            "a council's care budget pays for no care",
            "contracts.csv",
            contracts().replace("homecare_spot,spot,council,", "homecare_spot,spot,icb,"),
            "{dir}/funding.csv:3: column 'care_budget': 'council' has a care budget but pays for no care from it: it provides no service costed in costs.csv and pays no active spot contract",
        ),
        (
            "two delay reimbursement contracts charge the same delays",
            "contracts.csv",
            contracts_with(
                0,
                None,
                &[contract(&[
                    ("contract", "delays_again"),
                    ("type", "delay_reimbursement"),
                    ("payer", "council"),
                    ("provider", "trust"),
                    ("services", "homecare"),
                    ("amount", "100"),
                ])],
            ),
            "{dir}/contracts.csv:12: column 'services': service 'homecare' is already covered by 'delay_reimbursement' contract 'delays' (line 5): a service may have at most one active delay_reimbursement contract for delays at one provider",
        ),
        // costs.csv
        (
            "a cost names an unknown service, and so one service has none",
            "costs.csv",
            costs("ed,bed_day", "ed_typo,bed_day"),
            "{dir}/costs.csv:2: column 'service': expected a service in services.csv, found \"ed_typo\"\n\
             {dir}/costs.csv:1: column 'service': service 'ed' has no cost; when costs.csv is given every service needs a row (rate 0 for none)",
        ),
        (
            "a service has two costs",
            "costs.csv",
            format!("{COSTS}acute,bed_day,500,\n"),
            "{dir}/costs.csv:6: duplicate entry for service 'acute' (first given on line 3)",
        ),
        (
            "a cost basis is unknown",
            "costs.csv",
            costs("acute,bed_day", "acute,bed_night"),
            "{dir}/costs.csv:3: column 'basis': expected one of bed_day, placement_week, care_hour or visit, found \"bed_night\"",
        ),
        (
            "a service counted in places is costed by the hour",
            "costs.csv",
            costs("rehab,bed_day", "rehab,care_hour"),
            "{dir}/costs.csv:4: column 'basis': 'care_hour' is for services counted in hours, but service 'rehab' counts places: use bed_day or placement_week",
        ),
        (
            "a service counted in hours is costed by the place",
            "costs.csv",
            costs("homecare,care_hour", "homecare,placement_week"),
            "{dir}/costs.csv:5: column 'basis': 'placement_week' is for services counted in places, but service 'homecare' counts hours of care a week: use care_hour",
        ),
        (
            "a rate is negative",
            "costs.csv",
            costs("450,150", "-450,150"),
            "{dir}/costs.csv:3: column 'rate': expected an amount of money from 0 to 10^12, found \"-450\"",
        ),
        (
            "an escalation premium is not a number",
            "costs.csv",
            costs("450,150", "450,lots"),
            "{dir}/costs.csv:3: column 'escalation_premium': expected an amount of money from 0 to 10^12, found \"lots\"",
        ),
        (
            "a service has no cost",
            "costs.csv",
            costs("rehab,bed_day,250,\n", ""),
            "{dir}/costs.csv:1: column 'service': service 'rehab' has no cost; when costs.csv is given every service needs a row (rate 0 for none)",
        ),
        // funding.csv
        (
            "funding names an unknown organisation",
            "funding.csv",
            funding("icb,", "nhs_england,"),
            "{dir}/funding.csv:2: column 'organisation': expected an organisation in organisations.csv, found \"nhs_england\"",
        ),
        (
            "an organisation is funded twice",
            "funding.csv",
            format!("{FUNDING}icb,1,\n"),
            "{dir}/funding.csv:4: duplicate entry for organisation 'icb' (first given on line 2)",
        ),
        (
            "an allocation is negative",
            "funding.csv",
            funding("icb,1500000000", "icb,-1"),
            "{dir}/funding.csv:2: column 'annual': expected an amount of money from 0 to 10^12, found \"-1\"",
        ),
        (
            "a care budget is negative",
            "funding.csv",
            funding("90000000", "-9"),
            "{dir}/funding.csv:3: column 'care_budget': expected an amount of money from 0 to 10^12, found \"-9\"",
        ),
        (
            "an organisation other than a local authority has a care budget",
            "funding.csv",
            funding("icb,1500000000,", "icb,1500000000,1000"),
            "{dir}/funding.csv:2: column 'care_budget': 'icb' is a commissioner: only a local_authority has a care budget",
        ),
        // contracts.csv: each row on its own
        (
            "a contract id is repeated",
            "contracts.csv",
            contracts_with(11, Some(contract_rows()[9].replace("gp_cap", "sub")), &[]),
            "{dir}/contracts.csv:11: column 'contract': duplicate id \"sub\" (first defined on line 10)",
        ),
        (
            "a contract type is unknown",
            "contracts.csv",
            contracts().replace("sub,block", "sub,blocked"),
            "{dir}/contracts.csv:10: column 'type': expected one of pbr, block, blended, capitation, prime, alliance, delay_reimbursement, pooled_fund or spot, found \"blocked\"",
        ),
        (
            "active is neither true nor false",
            "contracts.csv",
            contracts().replace(",250000,,,,,,,true", ",250000,,,,,,,yes"),
            "{dir}/contracts.csv:11: column 'active': expected true or false, found \"yes\"",
        ),
        (
            "a contract names an unknown service",
            "contracts.csv",
            contracts().replace("ed; acute", "ed; acute_ward"),
            "{dir}/contracts.csv:2: column 'services': expected a service in services.csv, found \"acute_ward\"",
        ),
        (
            "a contract lists a service twice",
            "contracts.csv",
            contracts().replace("ed; acute", "ed; acute; ed"),
            "{dir}/contracts.csv:2: column 'services': service 'ed' is listed twice",
        ),
        (
            "a contract's service list has an empty name",
            "contracts.csv",
            contracts().replace("ed; acute", "ed;;acute"),
            "{dir}/contracts.csv:2: column 'services': expected service ids separated by ';', found \"ed;;acute\"",
        ),
        (
            "a contract names an unknown payer",
            "contracts.csv",
            contracts().replace("community_block,block,icb", "community_block,block,ccg"),
            "{dir}/contracts.csv:3: column 'payer': expected an organisation in organisations.csv, found \"ccg\"",
        ),
        (
            "a contract's payer is its provider",
            "contracts.csv",
            contracts().replace(
                "sub,block,community,agency",
                "sub,block,community,community",
            ),
            "{dir}/contracts.csv:10: column 'provider': the provider must differ from the payer ('community')",
        ),
        (
            "a required column is empty for the type",
            "contracts.csv",
            contracts().replace("rehab,12000000", "rehab,"),
            "{dir}/contracts.csv:3: column 'amount': required for 'block' contracts",
        ),
        (
            "a column that does not apply to the type is filled in",
            "contracts.csv",
            contracts().replace("rehab,12000000,,", "rehab,12000000,,1000"),
            "{dir}/contracts.csv:3: column 'population': does not apply to 'block' contracts",
        ),
        (
            "a baseline is given without a marginal rate",
            "contracts.csv",
            contracts().replace("1000,0.3,", "1000,,"),
            "{dir}/contracts.csv:2: column 'marginal_rate': required when baseline_spells is given: the marginal rate applies to emergency spells beyond the baseline (give both or neither)",
        ),
        (
            "a marginal rate is above 1",
            "contracts.csv",
            contracts().replace("1000,0.3,", "1000,30,"),
            "{dir}/contracts.csv:2: column 'marginal_rate': expected a share from 0 to 1, found \"30\"",
        ),
        (
            "a readmission window is 0",
            "contracts.csv",
            contracts().replace("1000,0.3,30", "1000,0.3,0"),
            "{dir}/contracts.csv:2: column 'readmission_days': expected a number greater than 0, found \"0\"",
        ),
        (
            "a population is not an integer",
            "contracts.csv",
            contracts().replace("250000", "2.5e5"),
            "{dir}/contracts.csv:11: column 'population': expected a non-negative integer, found \"2.5e5\"",
        ),
        (
            "an alliance names a provider",
            "contracts.csv",
            contracts().replace("alliance,icb,,", "alliance,icb,community,"),
            "{dir}/contracts.csv:6: column 'provider': does not apply to 'alliance' contracts",
        ),
        (
            "delays are reimbursed by an organisation other than a local authority",
            "contracts.csv",
            contracts().replace("delay_reimbursement,council", "delay_reimbursement,icb"),
            "{dir}/contracts.csv:5: column 'payer': 'icb' is a commissioner: delays are reimbursed by a local_authority",
        ),
        (
            "a pbr contract covers a service of another provider",
            "contracts.csv",
            pbr("ed;acute;rehab"),
            "{dir}/contracts.csv:2: column 'services': service 'rehab' is provided by 'community' (services.csv), not by the contract's provider 'trust'",
        ),
        (
            "a spot contract buys from the wrong provider",
            "contracts.csv",
            contracts().replace("council,agency,homecare", "council,community,homecare"),
            "{dir}/contracts.csv:4: column 'services': service 'homecare' is provided by 'agency' (services.csv), not by the contract's provider 'community'",
        ),
        (
            "a spot price's basis does not match a service's unit",
            "contracts.csv",
            contracts().replace("27.5,care_hour", "27.5,placement_week"),
            "{dir}/contracts.csv:4: column 'basis': 'placement_week' is for services counted in places, but service 'homecare' counts hours of care a week: use care_hour",
        ),
        // contracts.csv: with their tariffs, members and each other
        (
            "a pbr contract has no tariffs",
            "contracts.csv",
            contracts_with(
                0,
                None,
                &[contract(&[
                    ("contract", "rehab_pbr"),
                    ("type", "pbr"),
                    ("payer", "icb"),
                    ("provider", "community"),
                    ("services", "rehab"),
                ])],
            ),
            "{dir}/contracts.csv:12: column 'type': 'pbr' contract 'rehab_pbr' has no rows in tariffs.csv: it needs the price of each class and service it pays for",
        ),
        (
            "a prime contractor pays no sub-contractor",
            "contracts.csv",
            contracts_with(10, None, &[]),
            "{dir}/contracts.csv:9: column 'provider': 'community' is a prime contractor, who pays its sub-contractors: it must be the payer of another active contract",
        ),
        (
            "a service has two active pbr or blended contracts",
            "contracts.csv",
            contracts().replace("0.5,,,,,false", "0.5,,,,,true"),
            "{dir}/contracts.csv:8: column 'services': service 'ed' is already covered by 'pbr' contract 'acute_pbr' (line 2): a service may have at most one active pbr or blended contract\n\
             {dir}/contracts.csv:8: column 'services': service 'acute' is already covered by 'pbr' contract 'acute_pbr' (line 2): a service may have at most one active pbr or blended contract",
        ),
        (
            "a service has two active spot contracts",
            "contracts.csv",
            contracts_with(
                0,
                None,
                &[contract_rows()[2].replace("homecare_spot", "second_spot")],
            ),
            "{dir}/contracts.csv:12: column 'services': service 'homecare' is already covered by 'spot' contract 'homecare_spot' (line 4): a service may have at most one active spot contract",
        ),
        (
            "an alliance has no members",
            "contract_members.csv",
            members(
                "frailty_alliance,community,0.5,1000000\nfrailty_alliance,icb,0.3,\n",
                "",
            ),
            "{dir}/contracts.csv:6: column 'type': 'alliance' contract 'frailty_alliance' has no rows in contract_members.csv: it needs at least one member",
        ),
        (
            "an alliance's service is provided by a non-member",
            "contract_members.csv",
            members("frailty_alliance,community", "frailty_alliance,council"),
            "{dir}/contracts.csv:6: column 'services': service 'rehab' is provided by 'community', which is not a member of alliance 'frailty_alliance' in contract_members.csv",
        ),
        // tariffs.csv
        (
            "a tariff names an unknown contract",
            "tariffs.csv",
            tariffs("acute_pbr,adult", "acute_prb,adult"),
            "{dir}/tariffs.csv:3: column 'contract': expected a contract in contracts.csv, found \"acute_prb\"",
        ),
        (
            "a tariff belongs to a block contract",
            "tariffs.csv",
            format!("{TARIFFS}community_block,frail,rehab,100,,,false\n"),
            "{dir}/tariffs.csv:6: column 'contract': contract 'community_block' is a 'block' contract: tariffs are for pbr and blended contracts",
        ),
        (
            "a tariff names an unknown class",
            "tariffs.csv",
            tariffs("acute_pbr,adult", "acute_pbr,child"),
            "{dir}/tariffs.csv:3: column 'class': expected a class in classes.csv, found \"child\"",
        ),
        (
            "a tariff prices a service its contract does not cover",
            "tariffs.csv",
            format!("{TARIFFS}acute_pbr,frail,rehab,100,,,false\n"),
            "{dir}/tariffs.csv:6: column 'service': service 'rehab' is not among the services of contract 'acute_pbr' in contracts.csv",
        ),
        (
            "a tariff is given twice",
            "tariffs.csv",
            format!("{TARIFFS}acute_pbr,adult,acute,2100,,,true\n"),
            "{dir}/tariffs.csv:6: duplicate entry for class 'adult' at service 'acute' in contract 'acute_pbr' (first given on line 3)",
        ),
        (
            "a price is negative",
            "tariffs.csv",
            tariffs("2000,", "-2000,"),
            "{dir}/tariffs.csv:3: column 'price': expected an amount of money from 0 to 10^12, found \"-2000\"",
        ),
        (
            "a trim point is 0",
            "tariffs.csv",
            tariffs("3500,10,300,true\nacute_pbr", "3500,0,300,true\nacute_pbr"),
            "{dir}/tariffs.csv:2: column 'trim_days': expected a number greater than 0, found \"0\"",
        ),
        (
            "an excess is paid without a trim point",
            "tariffs.csv",
            tariffs("2000,,,true", "2000,,100,true"),
            "{dir}/tariffs.csv:3: column 'excess_per_day': needs trim_days: the excess is paid for each day beyond the trim point",
        ),
        (
            "emergency is left empty",
            "tariffs.csv",
            tariffs("2000,,,true", "2000,,,"),
            "{dir}/tariffs.csv:3: column 'emergency': expected true or false, found \"\"",
        ),
        // contract_members.csv
        (
            "a member names an unknown contract",
            "contract_members.csv",
            members("bcf,icb", "bfc,icb"),
            "{dir}/contract_members.csv:4: column 'contract': expected a contract in contracts.csv, found \"bfc\"\n\
             {dir}/contract_members.csv:5: column 'share': the shares of the members of 'pooled_fund' contract 'bcf' sum to 0.4, expected 1",
        ),
        (
            "a member belongs to a pbr contract",
            "contract_members.csv",
            format!("{MEMBERS}acute_pbr,icb,1,\n"),
            "{dir}/contract_members.csv:6: column 'contract': contract 'acute_pbr' is a 'pbr' contract: members are for alliance and pooled_fund contracts",
        ),
        (
            "a member names an unknown organisation",
            "contract_members.csv",
            members("bcf,council", "bcf,county"),
            "{dir}/contract_members.csv:5: column 'organisation': expected an organisation in organisations.csv, found \"county\"",
        ),
        (
            "an organisation is a member twice",
            "contract_members.csv",
            format!("{MEMBERS}bcf,icb,0,\n"),
            "{dir}/contract_members.csv:6: duplicate entry for organisation 'icb' in contract 'bcf' (first given on line 4)",
        ),
        (
            "a share is above 1",
            "contract_members.csv",
            members("icb,0.3", "icb,30"),
            "{dir}/contract_members.csv:3: column 'share': expected a share from 0 to 1, found \"30\"",
        ),
        (
            "an alliance's shares sum to more than 1",
            "contract_members.csv",
            members("icb,0.3", "icb,0.6"),
            "{dir}/contract_members.csv:2: column 'share': the shares of the members of 'alliance' contract 'frailty_alliance' sum to 1.1, expected at most 1",
        ),
        (
            "a pooled fund's shares do not sum to 1",
            "contract_members.csv",
            members("council,0.4", "council,0.3"),
            "{dir}/contract_members.csv:4: column 'share': the shares of the members of 'pooled_fund' contract 'bcf' sum to 0.9, expected 1",
        ),
        (
            "a cap is negative",
            "contract_members.csv",
            members("1000000", "-1"),
            "{dir}/contract_members.csv:2: column 'cap': expected an amount of money from 0 to 10^12, found \"-1\"",
        ),
        (
            "a pooled fund member has a cap",
            "contract_members.csv",
            members("bcf,icb,0.6,", "bcf,icb,0.6,100"),
            "{dir}/contract_members.csv:4: column 'cap': does not apply to 'pooled_fund' contracts: caps limit an alliance member's gain or loss",
        ),
    ]
}

#[test]
fn each_bad_money_file_gives_its_exact_message() {
    let mut failures = Vec::new();
    for (what, file, contents, expected) in cases() {
        match load_with(&[(file, Some(&contents))]) {
            Ok(_) => failures.push(format!("{what}: loaded without error")),
            Err(message) if message != expected => failures.push(format!(
                "{what}:\n  expected: {}\n  found:    {}",
                expected.replace('\n', "\n            "),
                message.replace('\n', "\n            ")
            )),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn problems_in_the_money_files_are_reported_in_file_then_line_order() {
    let message = load_with(&[
        (
            "contract_members.csv",
            Some(&MEMBERS.replace("icb,0.3", "icb,x")),
        ),
        ("tariffs.csv", Some(&TARIFFS.replace("2000,", "-1,"))),
        (
            "contracts.csv",
            Some(&contracts().replace("rehab,12000000", "rehab,")),
        ),
        (
            "funding.csv",
            Some(&FUNDING.replace("icb,1500000000", "icb,x")),
        ),
        ("costs.csv", Some(&COSTS.replace("450,150", "x,150"))),
    ])
    .unwrap_err();
    assert_eq!(
        message,
        "{dir}/costs.csv:3: column 'rate': expected an amount of money from 0 to 10^12, found \"x\"\n\
         {dir}/funding.csv:2: column 'annual': expected an amount of money from 0 to 10^12, found \"x\"\n\
         {dir}/contracts.csv:3: column 'amount': required for 'block' contracts\n\
         {dir}/tariffs.csv:3: column 'price': expected an amount of money from 0 to 10^12, found \"-1\"\n\
         {dir}/contract_members.csv:3: column 'share': expected a share from 0 to 1, found \"x\""
    );
}
