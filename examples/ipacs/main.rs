//! This example reproduces a published model: the BNSSG IPACS discharge-pathway model's bed
//! nodes (`scenarios/ipacs_bnssg`). It runs the five published scenario combinations under
//! either initial rule (the model's Uniform(1, L) and the equilibrium residual) and prints,
//! as Markdown tables, careflow's mean occupancy and mean number waiting per node and
//! scenario against the independent reference simulation of the documented behaviour
//! (`validation/reference_fifo.csv`, with the acceptance verdict of each cell), then against
//! the model's own outputs (`validation/repository_outputs.csv`) with the mean daily cost,
//! and last its pathway 1 (visit-based) nodes against those outputs and, where capacity is
//! unrestricted, against the exact mean occupancy their documented behaviour gives; then the
//! same nodes under the rule inferred from those outputs (variants `scenario_N_p1_tail_cut`,
//! not the documented behaviour).
//!
//! ```text
//! cargo run --release --example ipacs -- [SCENARIO_DIR] [--replications N] [--level 0.95]
//! ```
//!
//! It exits with status 1 when a bed cell misses the acceptance: occupancy within ±10% of the
//! reference and number waiting within ±25% or 1 patient, under each initial rule. (Pathway 1
//! has no independent reference; its verdicts against the model's outputs are printed.)

use careflow::Plan;
use clap::Parser;
use comparison::{InitialRule, Measured, Reference, SCENARIOS, reference_for};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

mod comparison;

/// Reproduce the BNSSG IPACS model's bed nodes and compare with its published figures.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The scenario folder (default: the bundled scenarios/ipacs_bnssg).
    scenario: Option<PathBuf>,
    /// Replications per scenario and rule (default: the scenario's `replications` setting).
    #[arg(long)]
    replications: Option<u32>,
    /// Confidence level of the half-widths.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true)]
    level: f64,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Acceptance against the reference: mean occupancy within this share of its value.
pub const OCCUPANCY_TOLERANCE: f64 = 0.10;
/// Acceptance against the reference: mean number waiting within this share of its value…
pub const QUEUE_TOLERANCE: f64 = 0.25;
/// …or within this many patients.
pub const QUEUE_TOLERANCE_PATIENTS: f64 = 1.0;

/// Whether careflow's mean occupancy agrees with the reference's (±10%).
pub fn occupancy_agrees(careflow: f64, reference: f64) -> bool {
    (careflow - reference).abs() <= OCCUPANCY_TOLERANCE * reference
}

/// Whether careflow's mean number waiting agrees with the reference's (±25% or ±1 patient).
pub fn queue_agrees(careflow: f64, reference: f64) -> bool {
    let gap = (careflow - reference).abs();
    gap <= QUEUE_TOLERANCE * reference || gap <= QUEUE_TOLERANCE_PATIENTS
}

/// Acceptance of a pathway 1 node against the model's own outputs: mean occupancy within this
/// share of its value…
pub const VISIT_OCCUPANCY_TOLERANCE: f64 = 0.10;
/// …and mean number waiting within this share or…
pub const VISIT_QUEUE_TOLERANCE: f64 = 0.25;
/// …this many patients.
pub const VISIT_QUEUE_TOLERANCE_PATIENTS: f64 = 2.0;

/// Combined standard errors below this are too small to judge a gap by: careflow's and the
/// reference's means are then nearly constant (a node full all run) and the reference's
/// rounding to 4 decimals dominates.
const MIN_STANDARD_ERROR: f64 = 0.005;

/// The gap between careflow's mean and the reference's `value`, over their combined standard
/// error; `None` when that error is below [`MIN_STANDARD_ERROR`].
fn z_score(careflow: &careflow::Summary, value: f64, half_width: f64) -> Option<f64> {
    let se = comparison::standard_error(careflow, half_width);
    (se >= MIN_STANDARD_ERROR).then(|| (careflow.mean - value) / se)
}

/// `value ± half-width` to `digits` decimals.
fn pm(s: &careflow::Summary, digits: usize) -> String {
    format!(
        "{:.digits$} ± {:.digits$}",
        s.mean,
        s.half_width.unwrap_or(f64::NAN)
    )
}

/// Runs the comparison and prints it; whether every cell passed.
fn run(args: Args) -> Result<bool, Box<dyn std::error::Error>> {
    if !(args.level > 0.0 && args.level < 1.0) {
        return Err(format!("--level must lie between 0 and 1, found {}", args.level).into());
    }
    let dir = args
        .scenario
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/ipacs_bnssg"));
    let reference = comparison::read_reference(&dir)?;
    let repository = comparison::read_repository(&dir)?;
    let costs = comparison::read_costs(&dir)?;
    let experiment = comparison::experiment(&dir, true)?;
    let replications = args
        .replications
        .unwrap_or(experiment.baseline().settings().replications);
    if replications < 2 {
        return Err("--replications must be at least 2, for a half-width".into());
    }
    let result = experiment.run(&Plan::replications(replications));
    let measured = comparison::measure(&experiment, &result, args.level);

    let mut text = String::new();
    let level = args.level * 100.0;
    writeln!(
        text,
        "careflow: {replications} replications per scenario and rule, seed {}, {:.1} s on {} \
         threads; ± are {level}% half-widths.\n",
        experiment.baseline().settings().seed,
        result.seconds,
        result.threads
    )?;
    writeln!(text, "### Against the reference simulation (acceptance)\n")?;
    writeln!(
        text,
        "| initial rule | scenario | node | careflow occupancy | reference | Δ | careflow \
         waiting | reference | Δ | z occ / wait | pass |"
    )?;
    writeln!(text, "|---|---|---|---|---|---|---|---|---|---|---|")?;
    let (mut passed, mut cells) = (0, 0);
    let mut worst_occupancy = (0.0_f64, String::new());
    let mut worst_queue = (0.0_f64, String::new());
    let mut worst_z = (0.0_f64, String::new());
    for m in &measured {
        let r: &Reference = reference_for(&reference, m)
            .ok_or_else(|| format!("reference_fifo.csv has no row for {m:?}"))?;
        let occupancy_ok = occupancy_agrees(m.occupancy.mean, r.mean_occupancy);
        let queue_ok = queue_agrees(m.queue.mean, r.mean_queue);
        cells += 1;
        passed += usize::from(occupancy_ok && queue_ok);
        let cell = format!("{} s{} {}", m.rule.reference_name(), m.scenario, m.node);
        let occupancy_gap = (m.occupancy.mean / r.mean_occupancy - 1.0) * 100.0;
        let queue_gap = m.queue.mean - r.mean_queue;
        // The share of the tolerance used: above 1 fails.
        let queue_used =
            queue_gap.abs() / (QUEUE_TOLERANCE * r.mean_queue).max(QUEUE_TOLERANCE_PATIENTS);
        if occupancy_gap.abs() > worst_occupancy.0 {
            worst_occupancy = (occupancy_gap.abs(), cell.clone());
        }
        if queue_used > worst_queue.0 {
            worst_queue = (queue_used, cell.clone());
        }
        let (z_occupancy, z_queue) = (
            z_score(&m.occupancy, r.mean_occupancy, r.occupancy_ci_half_width),
            z_score(&m.queue, r.mean_queue, r.queue_ci_half_width),
        );
        for z in [z_occupancy, z_queue].into_iter().flatten() {
            if z.abs() > worst_z.0 {
                worst_z = (z.abs(), cell.clone());
            }
        }
        let z = |z: Option<f64>| z.map_or_else(|| "—".to_owned(), |z| format!("{z:+.1}"));
        writeln!(
            text,
            "| {} | {} | {} | {} | {:.2} ± {:.2} | {:+.1}% | {} | {:.2} ± {:.2} | {:+.2} | {} / {} | \
             {} |",
            m.rule.reference_name(),
            m.scenario,
            m.node,
            pm(&m.occupancy, 2),
            r.mean_occupancy,
            r.occupancy_ci_half_width,
            occupancy_gap,
            pm(&m.queue, 2),
            r.mean_queue,
            r.queue_ci_half_width,
            queue_gap,
            z(z_occupancy),
            z(z_queue),
            if occupancy_ok && queue_ok {
                "yes"
            } else {
                "**no**"
            }
        )?;
    }
    writeln!(
        text,
        "\n{passed} of {cells} cells pass (occupancy within ±{:.0}%, waiting within ±{:.0}% or \
         {} patient). Largest occupancy gap {:.2}% ({}); largest share of the waiting tolerance \
         used {:.2} ({}); largest |z| {:.2} ({}). z: the gap over the combined standard error of \
         careflow's mean and the reference's, shown where that error is at least {} (below it, \
         both runs are nearly constant and the reference's rounding to 4 decimals dominates).\n",
        OCCUPANCY_TOLERANCE * 100.0,
        QUEUE_TOLERANCE * 100.0,
        QUEUE_TOLERANCE_PATIENTS,
        worst_occupancy.0,
        worst_occupancy.1,
        worst_queue.0,
        worst_queue.1,
        worst_z.0,
        worst_z.1,
        MIN_STANDARD_ERROR
    )?;

    writeln!(
        text,
        "### Against the model's own outputs (repository, mean of 5 runs)\n\nDaily cost = \
         community cost × mean occupancy + £346 × mean number waiting (computed here: careflow \
         books the first as provider costs, and a patient waiting outside any modelled bed has \
         no bed-day to book the second on). U: careflow under the model's Uniform(1, L) \
         initial rule; E: under the equilibrium residual. 5-run noise: two standard deviations of \
         a mean of 5 runs (as the repository's figures are) of the number waiting, from \
         careflow's spread under U. The last column measures the artefact \
         against its description (beds permanently occupied by roughly the initial queue).\n"
    )?;
    writeln!(
        text,
        "| scenario | node | initial queue | occupancy repo | careflow U | careflow E | waiting \
         repo | careflow U | careflow E | daily cost repo | careflow U | careflow E | (repo − U \
         occupancy) / initial queue |"
    )?;
    writeln!(
        text,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )?;
    for (scenario, _) in SCENARIOS {
        for node in comparison::BED_NODES {
            let find = |rule: InitialRule| -> &Measured {
                measured
                    .iter()
                    .find(|m| m.rule == rule && m.scenario == scenario && m.node == node)
                    .expect("measure() covers every (rule, scenario, node)")
            };
            let (u, e) = (find(InitialRule::Uniform), find(InitialRule::Equilibrium));
            let repo = repository
                .iter()
                .find(|r| r.scenario == scenario && r.node == node)
                .ok_or_else(|| {
                    format!("repository_outputs.csv has no row for s{scenario} {node}")
                })?;
            let &(_, community, waiting, initial_queue) = costs
                .iter()
                .find(|c| c.0 == node)
                .ok_or_else(|| format!("nodes.csv has no row for {node}"))?;
            writeln!(
                text,
                "| {scenario} | {node} | {initial_queue} | {:.2} | {} | {} | {:.2} | {} | {} | ±{:.2} \
                 | {:.0} | {:.0} | {:.0} | {:+.2} |",
                repo.mean_occupancy,
                pm(&u.occupancy, 2),
                pm(&e.occupancy, 2),
                repo.mean_queue,
                pm(&u.queue, 2),
                pm(&e.queue, 2),
                // Two standard deviations of a mean of 5 runs, as the repository's figures
                // are, from careflow's run-to-run spread.
                2.0 * u.queue.sd / 5.0_f64.sqrt(),
                repo.mean_daily_cost,
                comparison::daily_cost(community, u.occupancy.mean, waiting, u.queue.mean),
                comparison::daily_cost(community, e.occupancy.mean, waiting, e.queue.mean),
                (repo.mean_occupancy - u.occupancy.mean) / f64::from(initial_queue),
            )?;
        }
    }
    writeln!(
        text,
        "\n### The artefact's other face: the initial queue as a count\n\nScenario 1 with the \
         initial queue never admitted (variant `{}`), and that run's number waiting plus the \
         initial queue (the count shown in the queue while it never clears).\n",
        comparison::QUEUE_NEVER_ADMITTED
    )?;
    writeln!(
        text,
        "| node | initial queue | waiting repo | careflow U | queue never admitted | + initial \
         queue |"
    )?;
    writeln!(text, "|---|---|---|---|---|---|")?;
    for node in comparison::BED_NODES {
        let [_, queue, _] = comparison::measure_node(
            &experiment,
            &result,
            comparison::QUEUE_NEVER_ADMITTED,
            node,
            args.level,
        );
        let u = measured
            .iter()
            .find(|m| m.rule == InitialRule::Uniform && m.scenario == 1 && m.node == node)
            .expect("measure() covers every (rule, scenario, node)");
        let repo = repository
            .iter()
            .find(|r| r.scenario == 1 && r.node == node)
            .ok_or_else(|| format!("repository_outputs.csv has no row for s1 {node}"))?;
        let &(_, _, _, initial_queue) = costs
            .iter()
            .find(|c| c.0 == node)
            .ok_or_else(|| format!("nodes.csv has no row for {node}"))?;
        writeln!(
            text,
            "| {node} | {initial_queue} | {:.2} | {} | {} | {:.2} |",
            repo.mean_queue,
            pm(&u.queue, 2),
            pm(&queue, 2),
            queue.mean + f64::from(initial_queue)
        )?;
    }
    writeln!(
        text,
        "\n### Pathway 1 (visits) against the model's own outputs\n\nAcceptance: occupancy \
         (patients in care) within ±{:.0}% and waiting within ±{:.0}% or {} patients. Visits: \
         careflow's mean visits used a day. Daily cost: £125 a visit × visits used + £346 × \
         waiting (the repository's: £125 × 2.5 × occupancy + £346 × waiting). Documented: the \
         exact mean occupancy the documented behaviour gives where capacity is unrestricted \
         (an infinite-server queue, computed, not simulated).\n",
        VISIT_OCCUPANCY_TOLERANCE * 100.0,
        VISIT_QUEUE_TOLERANCE * 100.0,
        VISIT_QUEUE_TOLERANCE_PATIENTS
    )?;
    let visit_passed = visit_table(
        &mut text,
        &dir,
        &experiment,
        &result,
        &SCENARIOS,
        args.level,
    )?;
    writeln!(
        text,
        "\n{visit_passed} of {} pathway 1 cells meet the acceptance against the model's own \
         outputs.",
        SCENARIOS.len() * comparison::VISIT_NODES.len()
    )?;
    writeln!(
        text,
        "\n### Pathway 1 under the inferred rule (not the documented behaviour)\n\nVariants \
         `scenario_N_p1_tail_cut`: scenario N with each pathway 1 stay above the {:.2} quantile \
         of its lognormal redrawn (`truncate_max`), the rule inferred from the model's own \
         outputs at unrestricted capacity (README, Pathway 1). Same columns and acceptance.\n",
        comparison::P1_TAIL_QUANTILE
    )?;
    let cut_passed = visit_table(
        &mut text,
        &dir,
        &experiment,
        &result,
        &comparison::P1_TAIL_CUT,
        args.level,
    )?;
    writeln!(
        text,
        "\n{cut_passed} of {} pathway 1 cells meet the acceptance under the inferred rule.",
        comparison::P1_TAIL_CUT.len() * comparison::VISIT_NODES.len()
    )?;
    print!("{text}");
    Ok(passed == cells)
}

/// Writes the pathway 1 table for `variants` (scenario number, variant name) to `text`: each
/// node's occupancy, waiting, visits and daily cost against the model's own outputs, and
/// where capacity is unrestricted the exact occupancy of the documented behaviour; returns
/// how many cells meet the pathway 1 acceptance.
fn visit_table(
    text: &mut String,
    dir: &std::path::Path,
    experiment: &careflow::Experiment,
    result: &careflow::ExperimentResult,
    variants: &[(u32, &str)],
    level: f64,
) -> Result<usize, Box<dyn std::error::Error>> {
    let repository = comparison::read_repository(dir)?;
    let costs = comparison::read_costs(dir)?;
    let horizon = experiment.baseline().settings().horizon_days as u32;
    writeln!(
        text,
        "| scenario | node | occupancy repo | careflow | documented | Δ repo | waiting repo | \
         careflow | visits | daily cost repo | careflow | pass |"
    )?;
    writeln!(text, "|---|---|---|---|---|---|---|---|---|---|---|---|")?;
    let mut visit_passed = 0;
    for &(scenario, name) in variants {
        for node in comparison::VISIT_NODES {
            let [occupancy, queue, visits] =
                comparison::measure_node(experiment, result, name, node, level);
            let repo = repository
                .iter()
                .find(|r| r.scenario == scenario && r.node == node)
                .ok_or_else(|| {
                    format!("repository_outputs.csv has no row for s{scenario} {node}")
                })?;
            let &(_, per_visit, waiting, _) = costs
                .iter()
                .find(|c| c.0 == node)
                .ok_or_else(|| format!("nodes.csv has no row for {node}"))?;
            let documented = if scenario >= 10 {
                let expected =
                    comparison::expected_unrestricted_occupancy(dir, scenario, node, horizon)?;
                format!("{expected:.2}")
            } else {
                "—".to_owned()
            };
            let gap = queue.mean - repo.mean_queue;
            let ok = (occupancy.mean - repo.mean_occupancy).abs()
                <= VISIT_OCCUPANCY_TOLERANCE * repo.mean_occupancy
                && (gap.abs() <= VISIT_QUEUE_TOLERANCE * repo.mean_queue
                    || gap.abs() <= VISIT_QUEUE_TOLERANCE_PATIENTS);
            visit_passed += usize::from(ok);
            writeln!(
                text,
                "| {scenario} | {node} | {:.2} | {} | {documented} | {:+.0}% | {:.2} | {} | {} | \
                 {:.0} | {:.0} | {} |",
                repo.mean_occupancy,
                pm(&occupancy, 2),
                (occupancy.mean / repo.mean_occupancy - 1.0) * 100.0,
                repo.mean_queue,
                pm(&queue, 2),
                pm(&visits, 1),
                repo.mean_daily_cost,
                comparison::daily_cost(per_visit, visits.mean, waiting, queue.mean),
                if ok { "yes" } else { "**no**" }
            )?;
        }
    }
    Ok(visit_passed)
}
