//! The reproduction of the BNSSG IPACS model (`scenarios/ipacs_bnssg`), reduced so that drift
//! fails CI: the five published scenario combinations under either initial rule, 100
//! replications each (the `ipacs` example runs 200 and checks the acceptance, ±10%
//! occupancy and ±25% or 1 patient waiting), against the independent reference simulation of
//! the documented behaviour (`validation/reference_fifo.csv`, 200 runs); and the pathway 1
//! (visit) nodes at unrestricted capacity against the exact mean occupancy their documented
//! behaviour gives.
//!
//! Tolerance, from the run-to-run spread: in every cell (rule × scenario × node, 60 cells,
//! occupancy and number waiting) the gap to the reference is at most `Z_MAX` combined
//! standard errors (careflow's over these replications, the reference's from its half-width)
//! plus `DAY_ZERO_ALLOWANCE`. At 200 replications the largest |z| over the cells with a
//! standard error worth judging is 2.1; the chance of a correct simulator exceeding 4.5σ in
//! one of 120 comparisons is below 0.1% (and the seed is fixed, so the outcome never changes
//! between runs). The bound is at most 2.4 beds of occupancy (under 5% of it, half the
//! acceptance's 10%) and 0.05–9 patients waiting (under the acceptance's 25% wherever the
//! queue is long): a change of a few per cent to the engine's queueing, stays, arrivals or
//! census fails it. The allowance covers what the standard error cannot: where both runs are nearly constant (a node full all run) careflow
//! lets a bed freed on day 0 stay empty until day 1 where the reference appears to refill it
//! (measured gap at most 0.03 beds and 0.013 waiting), and the reference rounds to 4 decimals.

#[path = "../../examples/ipacs/comparison.rs"]
mod comparison;

use crate::common::{scenario_dir, write_scenario};
use careflow::Category;
use careflow::{Model, Plan, run_replications};
use comparison::{reference_for, standard_error};

/// Replications per (scenario, rule).
const REPLICATIONS: u32 = 100;
/// The largest gap allowed, in combined standard errors.
const Z_MAX: f64 = 4.5;
/// Beds or patients allowed beyond `Z_MAX` standard errors (see the module docs).
const DAY_ZERO_ALLOWANCE: f64 = 0.05;

#[test]
fn ipacs_nodes_match_the_reference_and_the_documented_expectation() {
    let dir = scenario_dir("ipacs_bnssg");
    let reference = comparison::read_reference(&dir).unwrap();
    let experiment = comparison::experiment(&dir, false).unwrap();
    // 5 scenarios × 2 rules, and the artefact's measurement.
    assert_eq!(experiment.variants().len(), 11);
    assert_eq!(
        experiment.variants()[5].name,
        comparison::QUEUE_NEVER_ADMITTED
    );
    let result = experiment.run(&Plan::replications(REPLICATIONS));
    let measured = comparison::measure(&experiment, &result, 0.95);
    assert_eq!(measured.len(), 60);
    let mut failures = Vec::new();
    // The loosest bound relative to its value (or to 1 patient): printed, to see what the
    // test can catch.
    let mut widest = 0.0_f64;
    for m in &measured {
        let r = reference_for(&reference, m).expect("a reference row for every cell");
        let checks = [
            (
                "occupancy",
                m.occupancy.mean,
                r.mean_occupancy,
                standard_error(&m.occupancy, r.occupancy_ci_half_width),
            ),
            (
                "waiting",
                m.queue.mean,
                r.mean_queue,
                standard_error(&m.queue, r.queue_ci_half_width),
            ),
        ];
        for (what, careflow, reference, se) in checks {
            let bound = Z_MAX * se + DAY_ZERO_ALLOWANCE;
            widest = widest.max(bound / reference.max(1.0));
            if (careflow - reference).abs() > bound {
                failures.push(format!(
                    "{} scenario {} {}: {what} {careflow:.3} against {reference:.3} (bound \
                     ±{bound:.3})",
                    m.rule.reference_name(),
                    m.scenario,
                    m.node
                ));
            }
        }
    }
    println!(
        "loosest bound: {:.1}% of the reference (or of 1 patient)",
        widest * 100.0
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Not the documented behaviour: the pathway 1 rule inferred from the model's own outputs
/// (variants `scenario_N_p1_tail_cut`, stays above the 88th percentile of their lognormal
/// redrawn) brings the unrestricted cells (scenarios 10 and 12) within the acceptance, ±10% of
/// the repository's occupancy: measured at 200 replications −6% to +4%, where the documented
/// behaviour is 35–54% off. 20 replications: the half-width is then about 1.5% of occupancy.
#[test]
fn ipacs_pathway_1_under_the_inferred_rule_matches_the_models_outputs() {
    let dir = scenario_dir("ipacs_bnssg");
    let repository = comparison::read_repository(&dir).unwrap();
    let cells: Vec<(u32, String)> = comparison::P1_TAIL_CUT
        .iter()
        .filter(|(scenario, _)| *scenario >= 10)
        .map(|(scenario, name)| (*scenario, (*name).to_owned()))
        .collect();
    let names: Vec<String> = cells.iter().map(|(_, name)| name.clone()).collect();
    let full = careflow::Experiment::load(&dir).unwrap();
    let experiment = comparison::select(&full, &names).unwrap();
    let result = experiment.run(&Plan::replications(20));
    let mut failures = Vec::new();
    for (scenario, name) in &cells {
        for node in comparison::VISIT_NODES {
            let [occupancy, _, _] =
                comparison::measure_node(&experiment, &result, name, node, 0.95);
            let repo = repository
                .iter()
                .find(|r| r.scenario == *scenario && r.node == node)
                .unwrap();
            if (occupancy.mean / repo.mean_occupancy - 1.0).abs() > 0.10 {
                failures.push(format!(
                    "{name} {node}: occupancy {:.2} against the repository's {:.2} (quantile {})",
                    occupancy.mean,
                    repo.mean_occupancy,
                    comparison::P1_TAIL_QUANTILE
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // An unknown variant is refused, not skipped.
    let error = comparison::select(&full, &["no_such_variant".to_owned()]).unwrap_err();
    assert!(error.to_string().contains("no_such_variant"), "{error}");
}

/// The daily cost the comparison computes from mean occupancy is what careflow books: the
/// providers' care costs over the run are each bed node's cost per bed-day × its mean
/// occupancy, and each pathway 1 node's cost per visit × its mean visits a day, × 181 days,
/// in every replication. And the model's own outputs have a row for every cell.
#[test]
fn ipacs_booked_costs_are_the_occupancy_costs_and_every_cell_is_published() {
    let dir = scenario_dir("ipacs_bnssg");
    let costs = comparison::read_costs(&dir).unwrap();
    let repository = comparison::read_repository(&dir).unwrap();
    for (scenario, _) in comparison::SCENARIOS {
        for node in comparison::BED_NODES {
            assert!(
                repository
                    .iter()
                    .any(|r| r.scenario == scenario && r.node == node),
                "repository_outputs.csv: scenario {scenario} {node}"
            );
        }
    }
    let model = Model::load(&dir).unwrap();
    for r in run_replications(&model, 3) {
        let booked: f64 = r
            .finance
            .years
            .iter()
            .flat_map(|y| &y.organisations)
            .map(|o| -o.amount(Category::CareCosts))
            .sum();
        let computed: f64 = comparison::BED_NODES
            .iter()
            .chain(&comparison::VISIT_NODES)
            .map(|node| {
                let service = model.service_id(&node.to_lowercase()).unwrap();
                let &(_, community, waiting, _) = costs.iter().find(|c| c.0 == *node).unwrap();
                assert_eq!(waiting, 346.0);
                let s = &r.services[service.index()];
                // Beds cost per occupied bed-day, pathway 1 per visit.
                let used = if node.starts_with("P1") {
                    s.mean_visits_used
                } else {
                    s.mean_occupancy
                };
                // The waiting part has no bed to be booked on: left out here.
                comparison::daily_cost(community, used, waiting, 0.0) * r.observed_days
            })
            .sum();
        assert!(
            (booked - computed).abs() <= 1e-6 * computed,
            "booked {booked}, from occupancy {computed}"
        );
    }
}

/// Hostile reference files: a malformed number and a non-finite one are reported with the
/// file and line, never panicked on or used.
#[test]
fn ipacs_reference_files_with_bad_numbers_are_refused_with_their_line() {
    let header = "initial_rule,scenario,node,mean_occupancy,occupancy_ci_half_width,mean_queue,\
                  queue_ci_half_width,replications\n";
    let good = "uniform_1_L,1,P2_B,101.9,0.01,65.5,2.2,200\n";
    for (bad, expected) in [
        (
            "uniform_1_L,1,P2_NS,many,0.0,153.9,1.9,200\n",
            "reference_fifo.csv:3:",
        ),
        (
            "uniform_1_L,1,P2_NS,inf,0.0,153.9,1.9,200\n",
            "reference_fifo.csv:3: expected finite",
        ),
        (
            "uniform_1_L,one,P2_NS,27.9,0.0,153.9,1.9,200\n",
            "reference_fifo.csv:3:",
        ),
        ("uniform_1_L,1,P2_NS,27.9\n", "reference_fifo.csv:3:"),
    ] {
        let contents = format!("{header}{good}{bad}");
        let dir = write_scenario(&[("validation/reference_fifo.csv", &contents)]);
        let error = comparison::read_reference(dir.path())
            .unwrap_err()
            .to_string();
        assert!(error.contains(expected), "{bad}: {error}");
    }
    // The expectation's inputs: a referral mean that is no number, and a node with no
    // column, are refused with their place.
    let los = "node,scenario,median_days,mean_days,mu,sigma\nP1_B,S1los,5,10,1.609438,1.177410\n";
    let nodes = "node,capacity_baseline,capacity_unrestricted,initial_occupancy,initial_queue,\
                 community_cost_per_day,acute_delay_cost_per_day\nP1_B,92,2000,92,39,125,346\n";
    for (arrivals, expected) in [
        (
            "date,P1_B_S1Arr\n2023-01-01,4.07\n2023-01-02,lots\n",
            "arrivals_by_date.csv:3: column 'P1_B_S1Arr'",
        ),
        (
            "date,P1_B_S1Arr\n2023-01-01,-4\n",
            "arrivals_by_date.csv:2: column 'P1_B_S1Arr': expected a non-negative number",
        ),
        (
            "date,P1_NS_S1Arr\n2023-01-01,4\n",
            "arrivals_by_date.csv:1: no column 'P1_B_S1Arr'",
        ),
    ] {
        let dir = write_scenario(&[
            ("validation/los.csv", los),
            ("validation/nodes.csv", nodes),
            ("validation/arrivals_by_date.csv", arrivals),
        ]);
        let error = comparison::expected_unrestricted_occupancy(dir.path(), 10, "P1_B", 181)
            .unwrap_err()
            .to_string();
        assert!(error.contains(expected), "{arrivals}: {error}");
    }
    let dir = write_scenario(&[]);
    let error = comparison::read_repository(dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("repository_outputs.csv: cannot read"),
        "{error}"
    );
}

/// The reference admits no one on day 0 beyond the census's occupants, which the scenario
/// says with capacity 0 on the first day in `calendar.csv`. A calendar entry in force at time
/// 0 is in force before the census is placed: a census queue of 3 at a service with 2 of 5
/// beds taken waits exactly until day 1 (mean number waiting over 10 days: 3 × 1 / 10), where
/// the base capacity would have admitted them at once.
#[test]
fn a_closure_on_the_first_day_holds_the_census_queue_until_the_next() {
    let files = |calendar: &str| {
        write_scenario(&[
            (
                "settings.csv",
                "key,value\nstart_date,2023-01-01\nhorizon_days,10\nreplications,2\n",
            ),
            ("organisations.csv", "id,kind\nbeds,community_provider\n"),
            (
                "services.csv",
                "id,kind,provider,capacity,queue_capacity\np2,community_bed,beds,5,unlimited\n",
            ),
            ("classes.csv", "id,priority\np,0\n"),
            (
                "arrivals.csv",
                "id,class,service,rate_per_day,profile\nin,p,p2,0,\n",
            ),
            (
                "los.csv",
                "class,service,distribution,value\np,p2,fixed,30\n",
            ),
            ("routes.csv", "class,service,next,probability\n"),
            (
                "census.csv",
                "service,class,occupied,queued,elapsed_days\np2,p,2,3,0\n",
            ),
            ("calendar.csv", calendar),
        ])
    };
    for (calendar, queue, occupancy) in [
        (
            "service,from,to,capacity\np2,2023-01-01,2023-01-01,0\n",
            0.3,
            4.7,
        ),
        ("service,from,to,capacity\n", 0.0, 5.0),
    ] {
        let dir = files(calendar);
        let model = Model::load(dir.path()).unwrap();
        let r = &run_replications(&model, 1)[0];
        let ward = &r.services[0];
        assert!(
            (ward.mean_queue - queue).abs() < 1e-12,
            "{calendar}: {ward:?}"
        );
        assert!(
            (ward.mean_occupancy - occupancy).abs() < 1e-12,
            "{calendar}: {ward:?}"
        );
        assert!(r.system.is_conserved());
    }
}
