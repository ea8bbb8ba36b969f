//! The reproduction of the BNSSG IPACS model (`scenarios/ipacs_bnssg`): its published figures,
//! careflow's runs of the five scenario combinations under either initial rule, and the
//! agreement between them. Shared by the `ipacs` example, which prints the table, and the
//! integration test that reruns a reduced version of it.

use careflow::scenario::Override;
use careflow::{Experiment, ExperimentResult, Summary};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// The published scenario combinations, by number, and the careflow variant that runs each
/// under the model's initial rule (scenario 1 is the scenario as written).
pub const SCENARIOS: [(u32, &str); 5] = [
    (1, "baseline"),
    (2, "scenario_2"),
    (6, "scenario_6"),
    (10, "scenario_10"),
    (12, "scenario_12"),
];

/// The visit-based home-care nodes (pathway 1), counted in visit slots a day.
pub const VISIT_NODES: [&str; 3] = ["P1_B", "P1_NS", "P1_SG"];

/// The variant that measures the artefact of the model's code: scenario 1 with the initial
/// queue never admitted.
pub const QUEUE_NEVER_ADMITTED: &str = "scenario_1_queue_never_admitted";

/// Not the documented behaviour: the quantile above which the rule inferred from the model's
/// own pathway 1 outputs redraws a pathway 1 stay (`scripts/ipacs_scenario.py` writes each
/// variant's `truncate_max` from it; README, "Pathway 1").
pub const P1_TAIL_QUANTILE: f64 = 0.88;

/// The published combinations under that inferred rule, by number, and their variants.
pub const P1_TAIL_CUT: [(u32, &str); 5] = [
    (1, "scenario_1_p1_tail_cut"),
    (2, "scenario_2_p1_tail_cut"),
    (6, "scenario_6_p1_tail_cut"),
    (10, "scenario_10_p1_tail_cut"),
    (12, "scenario_12_p1_tail_cut"),
];

/// The bed nodes, as the published files name them (careflow's service ids are these in
/// lower case).
pub const BED_NODES: [&str; 6] = ["P2_B", "P2_NS", "P2_SG", "P3_B", "P3_NS", "P3_SG"];

/// How the remaining stays of the patients in beds on day 0 are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitialRule {
    /// The model's rule: Uniform(1, L), L a fresh stay (`residual_rule` `ipacs_uniform`).
    Uniform,
    /// The stationary residual life, careflow's default when the days already spent are
    /// unknown (`residual_rule` `conditional`).
    Equilibrium,
}

impl InitialRule {
    /// Both rules, the model's first.
    pub const ALL: [InitialRule; 2] = [InitialRule::Uniform, InitialRule::Equilibrium];

    /// The name `reference_fifo.csv` gives the rule.
    pub fn reference_name(self) -> &'static str {
        match self {
            InitialRule::Uniform => "uniform_1_L",
            InitialRule::Equilibrium => "equilibrium_residual",
        }
    }

    /// The `residual_rule` of `census.csv` that draws by it.
    fn census_rule(self) -> &'static str {
        match self {
            InitialRule::Uniform => "ipacs_uniform",
            InitialRule::Equilibrium => "conditional",
        }
    }
}

/// A problem reading the published figures: the file and line, and what was wrong.
#[derive(Debug)]
pub struct ReadError(pub String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

/// One row of `reference_fifo.csv`: the independent simulation of the documented behaviour.
#[derive(Debug, Clone, Deserialize)]
pub struct Reference {
    /// `uniform_1_L` or `equilibrium_residual`.
    pub initial_rule: String,
    /// The scenario combination's number.
    pub scenario: u32,
    /// The node, e.g. `P2_B`.
    pub node: String,
    /// Mean occupied beds over days 0–180.
    pub mean_occupancy: f64,
    /// Its 95% half-width over the reference's replications.
    pub occupancy_ci_half_width: f64,
    /// Mean number waiting.
    pub mean_queue: f64,
    /// Its 95% half-width.
    pub queue_ci_half_width: f64,
}

/// One row of `repository_outputs.csv`: the model's own results (mean of 5 runs).
#[derive(Debug, Clone, Deserialize)]
pub struct Repository {
    /// The scenario combination's number.
    pub scenario: u32,
    /// The node.
    pub node: String,
    /// Mean occupied beds.
    pub mean_occupancy: f64,
    /// Mean number waiting in acute beds.
    pub mean_queue: f64,
    /// Mean wait, days.
    pub mean_wait_days: f64,
    /// Mean cost per day, pounds.
    pub mean_daily_cost: f64,
}

/// One row of `nodes.csv` (the columns the comparison needs).
#[derive(Debug, Clone, Deserialize)]
struct Node {
    node: String,
    initial_occupancy: u32,
    initial_queue: u32,
    community_cost_per_day: f64,
    acute_delay_cost_per_day: f64,
}

/// Reads `file` of the scenario's `validation` folder into rows, each checked finite.
fn read<T: for<'de> Deserialize<'de>>(
    scenario: &Path,
    file: &str,
    numbers: impl Fn(&T) -> Vec<f64>,
) -> Result<Vec<T>, ReadError> {
    let path: PathBuf = scenario.join("validation").join(file);
    let mut reader = csv::Reader::from_path(&path)
        .map_err(|e| ReadError(format!("{}: cannot read: {e}", path.display())))?;
    let mut rows = Vec::new();
    for (i, row) in reader.deserialize::<T>().enumerate() {
        // Line 1 is the header.
        let line = i + 2;
        let row = row.map_err(|e| ReadError(format!("{}:{line}: {e}", path.display())))?;
        if numbers(&row).iter().any(|v| !v.is_finite()) {
            return Err(ReadError(format!(
                "{}:{line}: expected finite numbers, found inf or NaN",
                path.display()
            )));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The rows of `validation/reference_fifo.csv`.
pub fn read_reference(scenario: &Path) -> Result<Vec<Reference>, ReadError> {
    read(scenario, "reference_fifo.csv", |r: &Reference| {
        vec![
            r.mean_occupancy,
            r.occupancy_ci_half_width,
            r.mean_queue,
            r.queue_ci_half_width,
        ]
    })
}

/// The rows of `validation/repository_outputs.csv`.
pub fn read_repository(scenario: &Path) -> Result<Vec<Repository>, ReadError> {
    read(scenario, "repository_outputs.csv", |r: &Repository| {
        vec![
            r.mean_occupancy,
            r.mean_queue,
            r.mean_wait_days,
            r.mean_daily_cost,
        ]
    })
}

/// The daily cost of each node: (node, community cost per occupied bed-day, cost per day
/// waiting in an acute bed, initial queue), from `validation/nodes.csv`.
pub fn read_costs(scenario: &Path) -> Result<Vec<(String, f64, f64, u32)>, ReadError> {
    let rows = read(scenario, "nodes.csv", |n: &Node| {
        vec![n.community_cost_per_day, n.acute_delay_cost_per_day]
    })?;
    Ok(rows
        .into_iter()
        .map(|n| {
            (
                n.node,
                n.community_cost_per_day,
                n.acute_delay_cost_per_day,
                n.initial_queue,
            )
        })
        .collect())
}

/// The variant name that runs `scenario` under `rule`.
pub fn variant_name(scenario: u32, rule: InitialRule) -> String {
    let base = SCENARIOS
        .iter()
        .find(|(s, _)| *s == scenario)
        .map_or("", |(_, v)| v);
    match rule {
        InitialRule::Uniform => base.to_owned(),
        InitialRule::Equilibrium => format!("scenario_{scenario}_equilibrium"),
    }
}

/// The scenario folder's baseline and variants (the five combinations under the model's
/// initial rule, and the artefact's measurement), then, with `tail_cut`, the five under the
/// pathway 1 rule inferred from the model's outputs ([`P1_TAIL_CUT`]), and last the five
/// combinations under the equilibrium residual: each a variant whose overrides are those of
/// its combination plus every census row's `residual_rule`.
pub fn experiment(scenario: &Path, tail_cut: bool) -> Result<Experiment, careflow::Error> {
    let mut experiment = Experiment::load(scenario)?;
    let census: Vec<String> = BED_NODES
        .iter()
        .map(|n| format!("{}/discharged", n.to_lowercase()))
        .collect();
    for (number, name) in SCENARIOS {
        let mut overrides: Vec<Override> = experiment
            .variants()
            .iter()
            .find(|v| v.name == name)
            .ok_or_else(|| {
                careflow::Error::Usage(format!(
                    "{}: no variant '{name}' in variants.csv",
                    scenario.display()
                ))
            })?
            .overrides
            .iter()
            .map(|o| Override::new(&o.file, &o.row, &o.column, &o.expression))
            .collect();
        overrides.extend(census.iter().map(|row| {
            Override::new(
                "census.csv",
                row,
                "residual_rule",
                InitialRule::Equilibrium.census_rule(),
            )
        }));
        experiment
            .add_variant_overrides(&variant_name(number, InitialRule::Equilibrium), &overrides)?;
    }
    let mut names: Vec<String> = SCENARIOS[1..]
        .iter()
        .map(|(_, name)| (*name).to_owned())
        .chain([QUEUE_NEVER_ADMITTED.to_owned()])
        .collect();
    if tail_cut {
        names.extend(P1_TAIL_CUT.iter().map(|(_, name)| (*name).to_owned()));
    }
    names.extend(SCENARIOS.map(|(number, _)| variant_name(number, InitialRule::Equilibrium)));
    select(&experiment, &names)
}

/// The baseline of `full` and its variants `names`, in that order: a smaller experiment, so
/// that a check runs only what it compares.
pub fn select(full: &Experiment, names: &[String]) -> Result<Experiment, careflow::Error> {
    let mut chosen = Experiment::new(full.baseline().clone());
    for name in names {
        let variant = full
            .variants()
            .iter()
            .find(|v| &v.name == name)
            .ok_or_else(|| {
                careflow::Error::Usage(format!("no variant '{name}' in variants.csv"))
            })?;
        chosen.add_variant(name, variant.model.clone())?;
    }
    Ok(chosen)
}

/// careflow's figures for one node in one scenario under one rule.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The initial rule.
    pub rule: InitialRule,
    /// The scenario combination's number.
    pub scenario: u32,
    /// The node, as the published files name it.
    pub node: &'static str,
    /// Mean occupied beds over the replications.
    pub occupancy: Summary,
    /// Mean number waiting.
    pub queue: Summary,
}

/// Mean cost per day: `community` per occupied bed-day × mean `occupancy`, and `waiting` per
/// day a patient waits × mean `queue`.
pub fn daily_cost(community: f64, occupancy: f64, waiting: f64, queue: f64) -> f64 {
    community * occupancy + waiting * queue
}

/// careflow's mean occupancy, mean number waiting and mean visits used a day (0 at bed
/// nodes) at `node` in the variant `name` of `result`, at confidence `level`.
pub fn measure_node(
    experiment: &Experiment,
    result: &ExperimentResult,
    name: &str,
    node: &str,
    level: f64,
) -> [Summary; 3] {
    let v = result
        .names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no variant '{name}' in the experiment"));
    let service = experiment
        .baseline()
        .service_id(&node.to_lowercase())
        .unwrap_or_else(|| panic!("no service for node {node}"));
    let of = |f: fn(&careflow::ServiceResult) -> f64| {
        let values: Vec<f64> = result.results[v]
            .iter()
            .map(|r| f(&r.services[service.index()]))
            .collect();
        Summary::new(&values, level)
    };
    [
        of(|s| s.mean_occupancy),
        of(|s| s.mean_queue),
        of(|s| s.mean_visits_used),
    ]
}

/// careflow's figures, every (rule, scenario, node), from `result` of [`experiment`], at
/// confidence `level`.
pub fn measure(experiment: &Experiment, result: &ExperimentResult, level: f64) -> Vec<Measured> {
    let mut out = Vec::new();
    for rule in InitialRule::ALL {
        for (scenario, _) in SCENARIOS {
            let name = variant_name(scenario, rule);
            for node in BED_NODES {
                let [occupancy, queue, _] = measure_node(experiment, result, &name, node, level);
                out.push(Measured {
                    rule,
                    scenario,
                    node,
                    occupancy,
                    queue,
                });
            }
        }
    }
    out
}

/// The standard error of the gap between careflow's mean and the reference's: careflow's
/// from its replications, the reference's from its 95% half-width `half_width`.
pub fn standard_error(careflow: &Summary, half_width: f64) -> f64 {
    let own = careflow.sd / (careflow.n as f64).sqrt();
    let reference = half_width / 1.96;
    (own * own + reference * reference).sqrt()
}

/// The reference row for a measured cell.
pub fn reference_for<'a>(reference: &'a [Reference], m: &Measured) -> Option<&'a Reference> {
    reference.iter().find(|r| {
        r.initial_rule == m.rule.reference_name() && r.scenario == m.scenario && r.node == m.node
    })
}

/// One row of `los.csv` (the columns the expectation needs).
#[derive(Debug, Clone, Deserialize)]
struct Stay {
    node: String,
    scenario: String,
    mu: f64,
    sigma: f64,
}

/// Reads column `column` of `validation/arrivals_by_date.csv`: the mean referrals of each date.
fn read_daily_means(scenario: &Path, column: &str) -> Result<Vec<f64>, ReadError> {
    let path = scenario.join("validation").join("arrivals_by_date.csv");
    let mut reader = csv::Reader::from_path(&path)
        .map_err(|e| ReadError(format!("{}: cannot read: {e}", path.display())))?;
    let at = reader
        .headers()
        .map_err(|e| ReadError(format!("{}:1: {e}", path.display())))?
        .iter()
        .position(|h| h == column)
        .ok_or_else(|| ReadError(format!("{}:1: no column '{column}'", path.display())))?;
    let mut means = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| ReadError(format!("{}:{line}: {e}", path.display())))?;
        let field = record.get(at).unwrap_or("");
        match field.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => means.push(v),
            _ => {
                return Err(ReadError(format!(
                    "{}:{line}: column '{column}': expected a non-negative number, found \"{field}\"",
                    path.display()
                )));
            }
        }
    }
    Ok(means)
}

/// A lognormal stay rounded to the nearest whole day, zero-day stays redrawn: the pathway 1
/// stay as the model documents it. Computed from the normal distribution function, not from
/// careflow's sampler.
struct RoundedStay {
    /// `p[k]`: the probability of a stay of `k` days, for `k` from 0 (always 0) to the last
    /// kept.
    p: Vec<f64>,
}

impl RoundedStay {
    /// Stays beyond this many days are lumped together (their probability is below 10⁻⁹ for
    /// every pathway 1 stay); what is left beyond counts as lasting the whole run.
    const LONGEST: usize = 100_000;

    fn new(mu: f64, sigma: f64) -> RoundedStay {
        use statrs::distribution::{ContinuousCDF, Normal};
        let normal = Normal::new(0.0, 1.0).expect("the standard normal is valid");
        let below = |x: f64| normal.cdf((x.ln() - mu) / sigma);
        let kept = 1.0 - below(0.5);
        let mut p = vec![0.0; Self::LONGEST + 1];
        for (k, pk) in p.iter_mut().enumerate().skip(1) {
            *pk = (below(k as f64 + 0.5) - below(k as f64 - 0.5)) / kept;
        }
        RoundedStay { p }
    }

    /// `E[min(L, c)]` for `c` from 0 to the horizon: piecewise linear in `c`.
    fn mean_within(&self, c: f64) -> f64 {
        let mut mean = 0.0;
        let mut left = 1.0;
        for (k, pk) in self.p.iter().enumerate() {
            if k as f64 >= c {
                break;
            }
            mean += k as f64 * pk;
            left -= pk;
        }
        mean + c * left
    }

    /// `E[min(R, h)]` for the model's initial rule `R = 1 + (L − 1) U`.
    fn initial_within(&self, h: f64) -> f64 {
        let mut mean = 0.0;
        let mut left = 1.0;
        for (k, pk) in self.p.iter().enumerate().skip(1) {
            let l = k as f64;
            // E over U of min(1 + (l − 1) U, h): all of it below h when l ≤ h.
            let within = if l <= h {
                (1.0 + l) / 2.0
            } else {
                h - (h - 1.0) * (h - 1.0) / (2.0 * (l - 1.0))
            };
            mean += pk * within;
            left -= pk;
        }
        mean + left.max(0.0) * h
    }
}

/// The mean occupancy of pathway 1 node `node` in scenario `number` (10 or 12: unrestricted
/// capacity, so no one waits for a visit slot) over `horizon` days, as the model's documented
/// behaviour implies, computed exactly rather than simulated. With no limit on slots the node
/// is an infinite-server queue: each referral (Poisson per date, `S1Arr`) and each patient of
/// the initial queue (starting at once) stays a rounded lognormal stay `L`, each initial
/// occupant `1 + (L − 1) U`; so the mean occupancy is `(n₀ E[min(R, H)] + q₀ E[min(L, H)] +
/// Σ_d λ_d ∫ E[min(L, H − s)] ds) / H`, the integral over day `d` exact (its integrand is
/// linear there).
pub fn expected_unrestricted_occupancy(
    scenario: &Path,
    number: u32,
    node: &str,
    horizon: u32,
) -> Result<f64, ReadError> {
    let los = match number {
        10 => "S1los",
        12 => "S2los",
        _ => {
            return Err(ReadError(format!(
                "scenario {number} limits capacity: only 10 and 12 have an exact expectation"
            )));
        }
    };
    let stays = read(scenario, "los.csv", |s: &Stay| vec![s.mu, s.sigma])?;
    let stay = stays
        .iter()
        .find(|s| s.node == node && s.scenario == los)
        .ok_or_else(|| ReadError(format!("los.csv: no row for {node} {los}")))?;
    if stay.sigma <= 0.0 {
        return Err(ReadError(format!(
            "los.csv: {node} {los}: sigma must be above 0, found {}",
            stay.sigma
        )));
    }
    let nodes = read(scenario, "nodes.csv", |n: &Node| {
        vec![n.community_cost_per_day, n.acute_delay_cost_per_day]
    })?;
    let start = nodes
        .iter()
        .find(|n| n.node == node)
        .ok_or_else(|| ReadError(format!("nodes.csv: no row for {node}")))?;
    let means = read_daily_means(scenario, &format!("{node}_S1Arr"))?;
    let stay = RoundedStay::new(stay.mu, stay.sigma);
    let h = f64::from(horizon);
    let mut patient_days = f64::from(start.initial_occupancy) * stay.initial_within(h)
        + f64::from(start.initial_queue) * stay.mean_within(h);
    for (d, lambda) in means.iter().enumerate().take(horizon as usize) {
        let d = d as f64;
        patient_days += lambda * (stay.mean_within(h - d - 1.0) + stay.mean_within(h - d)) / 2.0;
    }
    Ok(patient_days / h)
}
