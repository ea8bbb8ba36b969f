//! What a capacity-planning optimisation ([`crate::optimise`]) shows its user: two tidy CSV
//! files, a printed summary and a self-contained HTML page, all from [`Outcome`]s (one per
//! variant the capacity was planned under).
//!
//! | file | one row per | columns |
//! |---|---|---|
//! | `optimisation.csv` | variant × phase × configuration × statistic | `variant,phase,configuration`, one column per decision (named by the decision, holding its value), `replications,feasible,chosen,role,scope,subject,kpi,weight,operator,bound,confidence,mean,low,high,level,one_sided,verdict` |
//! | `optimisation_choice.csv` | variant × configuration chosen or runner-up (one row for a variant with no choice) | `variant,rank,status,configuration`, one column per decision, `replications,objective_mean,objective_low,objective_high,difference_mean,difference_low,difference_high,level,guarantee_met,note` |
//! | `optimisation.html` | — | per variant: the choice, its constraints, and per decision a chart of the objective against the decision's value for every configuration evaluated |
//!
//! In `optimisation.csv`, `phase` is `search` (replications `0..first_stage`, no guarantee)
//! or `selection` (the finalists on fresh replications, with the guarantee); a configuration
//! evaluated in both has a row set for each, under one `configuration` number (numbered per
//! variant in the order first evaluated). `role` is `objective` (the weighted sum: `operator`
//! `minimise` or `maximise`, `confidence` the guarantee's), `term` (one statistic of the
//! objective, unweighted, with its `weight`) or `constraint` (`operator` `<=` or `>=`, its
//! `bound` and `confidence`; `one_sided` is the one-sided confidence bound compared with the
//! bound, `verdict` `holds`, `fails` or `undecided`). `scope,subject,kpi` name the statistic as
//! in `summary.csv` and `finance.csv`; money is in pounds over the observation window.
//! `mean,low,high` are the mean across the configuration's replications in that phase and its
//! Student-t interval at `level` (`low` and `high` empty with one replication). `feasible` is
//! `feasible`, `infeasible` or `undecided` (no constraint shown to fail, one not shown to
//! hold: not feasible); `chosen` is `true` on every row of the chosen configuration.
//!
//! In `optimisation_choice.csv`, `status` is `chosen` (rank 1) or `runner_up` (the other
//! finalists shown feasible, best first); `difference_*` is the paired difference runner-up −
//! chosen in the objective over the same (common random number) replications of the
//! selection, with its interval at `level`; `guarantee_met` is `false` when the selection's
//! second stage was capped by its most replications. A variant where no finalist was shown
//! feasible has one row, `status` `infeasible`, with `note` naming the constraint that fails
//! even at the most generous configuration tried.
//!
//! # Example
//!
//! ```no_run
//! use careflow::optimise::{self, Search};
//! use careflow::report::OptimisationReport;
//!
//! let problem = optimise::load_problem("scenarios/capacity_plan")?;
//! let outcome = optimise::optimise(
//!     "scenarios/capacity_plan",
//!     "baseline",
//!     &problem,
//!     &Search::default(),
//!     &|_| {},
//! )?;
//! let outcomes = [outcome];
//! let report = OptimisationReport::new("capacity_plan", &outcomes)?;
//! println!("{report}");
//! report.write_csv(std::path::Path::new("out/capacity_plan_optimise"))?;
//! # Ok::<(), careflow::Error>(())
//! ```

pub(crate) mod text;

use super::chart::{self, MoneyUnit};
use super::interval;
use super::output_file::{OutputFile, number};
use crate::Error;
use crate::Summary;
use crate::optimise::{Bound, Feasibility, Measure, Outcome, Phase, Problem, Sense, Verdict};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use text::progress_text;

/// The files an optimisation writes into its output folder.
pub const OPTIMISATION_FILES: [&str; 3] = [
    "optimisation.csv",
    "optimisation_choice.csv",
    "optimisation.html",
];

/// The columns of `optimisation.csv` before the decisions' columns.
const EVALUATION_KEYS: [&str; 3] = ["variant", "phase", "configuration"];
/// The columns of `optimisation.csv` after the decisions' columns.
const EVALUATION_COLUMNS: [&str; 17] = [
    "replications",
    "feasible",
    "chosen",
    "role",
    "scope",
    "subject",
    "kpi",
    "weight",
    "operator",
    "bound",
    "confidence",
    "mean",
    "low",
    "high",
    "level",
    "one_sided",
    "verdict",
];
/// The columns of `optimisation_choice.csv` before the decisions' columns.
const CHOICE_KEYS: [&str; 4] = ["variant", "rank", "status", "configuration"];
/// The columns of `optimisation_choice.csv` after the decisions' columns.
const CHOICE_COLUMNS: [&str; 10] = [
    "replications",
    "objective_mean",
    "objective_low",
    "objective_high",
    "difference_mean",
    "difference_low",
    "difference_high",
    "level",
    "guarantee_met",
    "note",
];

/// Refuses decision names that would make the output files ambiguous: a name taken by a
/// fixed column of `optimisation.csv` or `optimisation_choice.csv` (a decision `mean` would
/// give two columns `mean`), or two decisions with one name. Call it before optimising, so
/// that a long run does not end in an error.
///
/// # Errors
///
/// [`Error::Outcome`] naming the decision.
pub fn check_decision_names(problem: &Problem) -> Result<(), Error> {
    let reserved = EVALUATION_KEYS
        .iter()
        .chain(&EVALUATION_COLUMNS)
        .chain(&CHOICE_KEYS)
        .chain(&CHOICE_COLUMNS);
    for (i, d) in problem.decisions.iter().enumerate() {
        if reserved.clone().any(|c| *c == d.name) {
            return Err(Error::Outcome(format!(
                "decision '{}': the name of a column of optimisation.csv or optimisation_choice.csv, where each decision has a column of its own; rename it in decisions.csv",
                d.name
            )));
        }
        if problem.decisions[..i].iter().any(|e| e.name == d.name) {
            return Err(Error::Outcome(format!(
                "decision '{}' is named twice; each decision needs a name of its own",
                d.name
            )));
        }
    }
    Ok(())
}

/// The outcomes of an optimisation (one per variant the capacity was planned under), checked
/// and ready to print and write.
///
/// Its [`Display`](std::fmt::Display) is the printed summary, at most 100 columns wide: per
/// variant the chosen decision values, the objective with its interval, each constraint with
/// its bound and one-sided bound, the runners-up with their paired differences, the
/// replications used against an exhaustive grid's and the guarantee in one sentence; or,
/// when nothing was shown feasible, which constraint fails.
#[derive(Debug)]
pub struct OptimisationReport<'a> {
    scenario: String,
    outcomes: &'a [Outcome],
    /// Every decision's name across the outcomes, in order of first appearance: the decision
    /// columns of the CSV files.
    decisions: Vec<String>,
    /// `configurations[o][e]`: the number (from 1) of evaluation `e`'s configuration in
    /// outcome `o`, shared by the evaluations of one configuration in both phases.
    configurations: Vec<Vec<usize>>,
}

impl<'a> OptimisationReport<'a> {
    /// Checks `outcomes` (of the scenario named `scenario`) for reporting: every number
    /// finite, every evaluation with a value per decision, a summary per objective term and a
    /// result per constraint, the chosen configuration and the runners-up among the
    /// evaluations, one outcome per variant, and decision names that are not column names
    /// (see [`check_decision_names`]).
    ///
    /// # Errors
    ///
    /// [`Error::Outcome`] naming the first problem.
    pub fn new(
        scenario: impl Into<String>,
        outcomes: &'a [Outcome],
    ) -> Result<OptimisationReport<'a>, Error> {
        if outcomes.is_empty() {
            return Err(Error::Outcome("no optimisation to report".into()));
        }
        let mut decisions: Vec<String> = Vec::new();
        for (i, outcome) in outcomes.iter().enumerate() {
            if outcomes[..i].iter().any(|o| o.variant == outcome.variant) {
                return Err(Error::Outcome(format!(
                    "variant '{}' is optimised twice; report each variant once",
                    outcome.variant
                )));
            }
            check_decision_names(&outcome.problem)?;
            check_outcome(outcome).map_err(|e| {
                Error::Outcome(format!(
                    "variant '{}': {e}; nothing is reported",
                    outcome.variant
                ))
            })?;
            for d in &outcome.problem.decisions {
                if !decisions.contains(&d.name) {
                    decisions.push(d.name.clone());
                }
            }
        }
        let configurations = outcomes.iter().map(number_configurations).collect();
        Ok(OptimisationReport {
            scenario: scenario.into(),
            outcomes,
            decisions,
            configurations,
        })
    }

    /// The scenario's name.
    pub fn scenario(&self) -> &str {
        &self.scenario
    }

    /// The outcomes reported.
    pub fn outcomes(&self) -> &[Outcome] {
        self.outcomes
    }

    /// The number (from 1) of evaluation `e`'s configuration in outcome `o`.
    pub(crate) fn configuration(&self, o: usize, e: usize) -> usize {
        self.configurations[o][e]
    }

    /// Writes `optimisation.csv` and `optimisation_choice.csv` into `dir`, creating it if
    /// needed (see the [module docs](self) for their columns). Returns the paths written.
    ///
    /// # Errors
    ///
    /// [`Error::Output`] if a file cannot be written; no partial file is left under a final
    /// name.
    pub fn write_csv(&self, dir: &Path) -> Result<Vec<PathBuf>, Error> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Output {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(vec![self.write_evaluations(dir)?, self.write_choice(dir)?])
    }

    /// Writes the page `optimisation.html` at `path` (creating its folder if needed): per
    /// variant the choice and its constraints in tables and, per decision, a chart of the
    /// objective against the decision's value for every configuration evaluated. It loads
    /// nothing from elsewhere and needs no script to display. Returns the path written.
    ///
    /// # Errors
    ///
    /// [`Error::Output`] if a chart cannot be drawn or the file cannot be written; no partial
    /// file is left under the final name.
    pub fn write_html(&self, path: &Path) -> Result<PathBuf, Error> {
        let page = super::html::optimisation_page(self).map_err(|e| Error::Output {
            path: path.to_path_buf(),
            source: std::io::Error::other(e),
        })?;
        super::output_file::write_atomically(path, page.as_bytes())
    }

    /// The cells of the decision columns for `values` of `outcome`: each decision's value
    /// under its name, empty for decisions of other outcomes.
    fn decision_cells(&self, outcome: &Outcome, values: Option<&[f64]>) -> Vec<String> {
        self.decisions
            .iter()
            .map(|name| {
                let i = outcome
                    .problem
                    .decisions
                    .iter()
                    .position(|d| &d.name == name);
                match (i, values) {
                    (Some(i), Some(values)) => number(values[i]),
                    _ => String::new(),
                }
            })
            .collect()
    }

    /// A file's header: its key columns, a column per decision, its other columns.
    fn header<'s>(&'s self, keys: &[&'s str], columns: &[&'s str]) -> Vec<&'s str> {
        keys.iter()
            .copied()
            .chain(self.decisions.iter().map(String::as_str))
            .chain(columns.iter().copied())
            .collect()
    }

    fn write_evaluations(&self, dir: &Path) -> Result<PathBuf, Error> {
        let mut f = OutputFile::create(dir, "optimisation.csv")?;
        f.row(self.header(&EVALUATION_KEYS, &EVALUATION_COLUMNS))?;
        for (o, outcome) in self.outcomes.iter().enumerate() {
            let problem = &outcome.problem;
            let objective = &problem.objective;
            let chosen = outcome.chosen.map(|c| self.configuration(o, c));
            for (e, evaluation) in outcome.evaluations.iter().enumerate() {
                let configuration = self.configuration(o, e);
                let mut keys = vec![
                    outcome.variant.clone(),
                    phase_name(evaluation.phase).to_string(),
                    configuration.to_string(),
                ];
                keys.extend(self.decision_cells(outcome, Some(&evaluation.values)));
                keys.extend([
                    evaluation.replications.to_string(),
                    feasibility_name(evaluation.feasibility).to_string(),
                    (chosen == Some(configuration)).to_string(),
                ]);
                let sense = sense_name(objective.sense);
                // The statistic's cells, then its mean, interval and level, then the
                // constraint's one-sided bound and verdict.
                let mut row = |statistic: [&str; 8], s: &Summary, verdict: [&str; 2]| {
                    let (low, high) = interval(s);
                    let summary = [number(s.mean), low, high, number(s.level)];
                    f.row(
                        keys.iter()
                            .map(String::as_str)
                            .chain(statistic)
                            .chain(summary.iter().map(String::as_str))
                            .chain(verdict),
                    )
                };
                let confidence = number(objective.confidence);
                let statistic = ["objective", "", "", "", "", sense, "", &confidence];
                row(statistic, &evaluation.objective, ["", ""])?;
                for (term, s) in objective.terms.iter().zip(&evaluation.terms) {
                    let m = &term.measure;
                    let weight = number(term.weight);
                    let statistic = ["term", &m.scope, &m.subject, &m.kpi, &weight, sense, "", ""];
                    row(statistic, s, ["", ""])?;
                }
                for (constraint, result) in problem.constraints.iter().zip(&evaluation.constraints)
                {
                    let m = &constraint.measure;
                    let (operator, bound) = bound_parts(constraint.bound);
                    let (bound, confidence) = (number(bound), number(constraint.confidence));
                    let statistic = [
                        "constraint",
                        &m.scope,
                        &m.subject,
                        &m.kpi,
                        "",
                        operator,
                        &bound,
                        &confidence,
                    ];
                    let one_sided = number(result.one_sided);
                    row(
                        statistic,
                        &result.summary,
                        [&one_sided, verdict_name(result.verdict)],
                    )?;
                }
            }
        }
        f.finish()
    }

    fn write_choice(&self, dir: &Path) -> Result<PathBuf, Error> {
        let mut f = OutputFile::create(dir, "optimisation_choice.csv")?;
        f.row(self.header(&CHOICE_KEYS, &CHOICE_COLUMNS))?;
        for (o, outcome) in self.outcomes.iter().enumerate() {
            let guarantee = outcome.guarantee_met().to_string();
            let Some(chosen) = outcome.chosen else {
                let note = infeasible_text(outcome);
                let row = [outcome.variant.as_str(), "", "infeasible", ""]
                    .into_iter()
                    .map(str::to_string)
                    .chain(self.decision_cells(outcome, None))
                    .chain(
                        ["", "", "", "", "", "", "", "", "false", note.as_str()].map(String::from),
                    );
                f.row(row.collect::<Vec<_>>())?;
                continue;
            };
            for (rank, (e, difference)) in ranked(outcome, chosen).enumerate() {
                let evaluation = &outcome.evaluations[e];
                let s = &evaluation.objective;
                let (low, high) = interval(s);
                let (d_mean, d_low, d_high, level) = match difference {
                    Some(d) => {
                        let (l, h) = interval(d);
                        (number(d.mean), l, h, number(d.level))
                    }
                    None => (String::new(), String::new(), String::new(), number(s.level)),
                };
                let mut row = vec![
                    outcome.variant.clone(),
                    (rank + 1).to_string(),
                    if rank == 0 { "chosen" } else { "runner_up" }.to_string(),
                    self.configuration(o, e).to_string(),
                ];
                row.extend(self.decision_cells(outcome, Some(&evaluation.values)));
                row.extend([
                    evaluation.replications.to_string(),
                    number(s.mean),
                    low,
                    high,
                    d_mean,
                    d_low,
                    d_high,
                    level,
                    guarantee.clone(),
                    String::new(),
                ]);
                f.row(row)?;
            }
        }
        f.finish()
    }
}

/// The chosen evaluation and the runners-up, best first, each with its paired difference
/// from the chosen (none for the chosen itself).
pub(crate) fn ranked(
    outcome: &Outcome,
    chosen: usize,
) -> impl Iterator<Item = (usize, Option<&Summary>)> {
    std::iter::once((chosen, None)).chain(
        outcome
            .runners_up
            .iter()
            .map(|r| (r.evaluation, Some(&r.difference))),
    )
}

/// How a constraint's numbers at one configuration are written: its mean, interval, bound
/// and one-sided bound alike.
pub(crate) fn constraint_style(
    constraint: &crate::optimise::Constraint,
    result: &crate::optimise::ConstraintResult,
) -> Style {
    let (_, bound) = bound_parts(constraint.bound);
    Style::of(
        is_money(&constraint.measure),
        &result.summary,
        &[bound, result.one_sided],
    )
}

/// Numbers the configurations of `outcome` from 1 in the order first evaluated; the
/// evaluations of one configuration (the same decision values) share its number.
fn number_configurations(outcome: &Outcome) -> Vec<usize> {
    let mut seen: HashMap<Vec<u64>, usize> = HashMap::new();
    outcome
        .evaluations
        .iter()
        .map(|e| {
            // -0 and 0 are one value.
            let key = e.values.iter().map(|v| (v + 0.0).to_bits()).collect();
            let next = seen.len() + 1;
            *seen.entry(key).or_insert(next)
        })
        .collect()
}

/// Checks that `outcome`'s parts fit together and every number in it is finite.
fn check_outcome(outcome: &Outcome) -> Result<(), String> {
    let problem = &outcome.problem;
    let objective = &problem.objective;
    if problem.decisions.is_empty() {
        return Err("the problem has no decisions".into());
    }
    if objective.terms.is_empty() {
        return Err("the objective has no terms".into());
    }
    let finite = |what: &str, x: f64| {
        if x.is_finite() {
            Ok(())
        } else {
            Err(format!(
                "{what} is {x}, not a finite number (extreme weights or values can overflow: scale them down)"
            ))
        }
    };
    for d in &problem.decisions {
        for (what, x) in [("min", d.min), ("max", d.max), ("step", d.step)] {
            finite(&format!("decision '{}': {what}", d.name), x)?;
        }
    }
    for t in &objective.terms {
        finite(
            &format!("the weight of {}", measure_label(&t.measure)),
            t.weight,
        )?;
    }
    finite("the indifference zone", objective.indifference)?;
    finite("the objective's confidence", objective.confidence)?;
    for c in &problem.constraints {
        let (_, bound) = bound_parts(c.bound);
        finite(
            &format!("the bound of {}", measure_label(&c.measure)),
            bound,
        )?;
        finite(
            &format!("the confidence of {}", measure_label(&c.measure)),
            c.confidence,
        )?;
    }
    let summary = |what: &str, s: &Summary| {
        finite(&format!("{what}: the mean"), s.mean)?;
        finite(&format!("{what}: the standard deviation"), s.sd)?;
        if let Some(h) = s.half_width {
            finite(&format!("{what}: the interval's half-width"), h)?;
        }
        if s.level > 0.0 && s.level < 1.0 {
            Ok(())
        } else {
            Err(format!(
                "{what}: the confidence level is {}, not between 0 and 1",
                s.level
            ))
        }
    };
    let n = outcome.evaluations.len();
    for (e, ev) in outcome.evaluations.iter().enumerate() {
        let at = format!("evaluation {} ({})", e + 1, phase_name(ev.phase));
        if ev.values.len() != problem.decisions.len() {
            return Err(format!(
                "{at} has {} decision values for {} decisions",
                ev.values.len(),
                problem.decisions.len()
            ));
        }
        if ev.terms.len() != objective.terms.len() {
            return Err(format!(
                "{at} has {} objective terms for the objective's {}",
                ev.terms.len(),
                objective.terms.len()
            ));
        }
        if ev.constraints.len() != problem.constraints.len() {
            return Err(format!(
                "{at} has {} constraint results for {} constraints",
                ev.constraints.len(),
                problem.constraints.len()
            ));
        }
        for (d, v) in problem.decisions.iter().zip(&ev.values) {
            finite(&format!("{at}: the value of decision '{}'", d.name), *v)?;
        }
        summary(&format!("{at}: the objective"), &ev.objective)?;
        for (t, s) in objective.terms.iter().zip(&ev.terms) {
            summary(&format!("{at}: {}", measure_label(&t.measure)), s)?;
        }
        for (c, r) in problem.constraints.iter().zip(&ev.constraints) {
            let label = format!("{at}: {}", measure_label(&c.measure));
            summary(&label, &r.summary)?;
            finite(&format!("{label}: the one-sided bound"), r.one_sided)?;
        }
    }
    if let Some(c) = outcome.chosen
        && c >= n
    {
        return Err(format!(
            "the chosen configuration is evaluation {}, of {n}",
            c + 1
        ));
    }
    for r in &outcome.runners_up {
        if r.evaluation >= n {
            return Err(format!(
                "a runner-up is evaluation {}, of {n}",
                r.evaluation + 1
            ));
        }
        summary("a runner-up's difference from the chosen", &r.difference)?;
    }
    if outcome.chosen.is_none() && !outcome.runners_up.is_empty() {
        return Err("runners-up without a chosen configuration".into());
    }
    finite("the wall-clock time", outcome.seconds)?;
    Ok(())
}

/// `search` or `selection`.
pub(crate) fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Search => "search",
        Phase::Selection => "selection",
    }
}

/// `feasible`, `infeasible` or `undecided`.
pub(crate) fn feasibility_name(f: Feasibility) -> &'static str {
    match f {
        Feasibility::Feasible => "feasible",
        Feasibility::Infeasible => "infeasible",
        Feasibility::Undecided => "undecided",
    }
}

/// `holds`, `fails` or `undecided`.
pub(crate) fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => "holds",
        Verdict::Fails => "fails",
        Verdict::Undecided => "undecided",
    }
}

/// `minimise` or `maximise`.
pub(crate) fn sense_name(s: Sense) -> &'static str {
    match s {
        Sense::Minimise => "minimise",
        Sense::Maximise => "maximise",
    }
}

/// The operator as written in `objectives.csv` (`<=`, `>=`) and the bound.
pub(crate) fn bound_parts(b: Bound) -> (&'static str, f64) {
    match b {
        Bound::AtMost(x) => ("<=", x),
        Bound::AtLeast(x) => (">=", x),
    }
}

/// What the outcome says when nothing was chosen.
pub(crate) fn infeasible_text(outcome: &Outcome) -> String {
    infeasible_lines(outcome).join("; ")
}

/// Why nothing was chosen, one line per constraint not shown to hold (the lead line the
/// optimiser writes, "no configuration was shown…", left to the printers' own lead).
pub(crate) fn infeasible_lines(outcome: &Outcome) -> Vec<String> {
    let lines: Vec<String> = outcome
        .infeasible
        .as_deref()
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with("no configuration was shown") && !l.trim().is_empty())
        .map(str::to_owned)
        .collect();
    if lines.is_empty() {
        vec!["no finalist was shown to meet every constraint with the confidence asked".into()]
    } else {
        lines
    }
}

/// A statistic as people read it, with the names of the output files: `system diverted`,
/// `service acute delayed_bed_days`, `finance county_council surplus`, `finance
/// capacity_costs` (the whole system's).
pub(crate) fn measure_label(m: &Measure) -> String {
    [m.scope.as_str(), &m.subject, &m.kpi]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a statistic is money (pounds).
pub(crate) fn is_money(m: &Measure) -> bool {
    m.scope == "finance"
}

/// Whether the objective is in pounds: some term is money (weights then turn the others
/// into pounds, as £300 a delayed bed-day).
pub(crate) fn objective_is_money(problem: &Problem) -> bool {
    problem.objective.terms.iter().any(|t| is_money(&t.measure))
}

/// The decimals that write `x` exactly (at most 9): 2.5 → 1, 90 → 0.
pub(crate) fn exact_decimals(x: f64) -> usize {
    (0..9)
        .find(|&d| {
            let scaled = x * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(9)
}

/// The decimals a decision's values are written with: enough for its minimum and its step.
pub(crate) fn decision_decimals(d: &crate::optimise::Decision) -> usize {
    exact_decimals(d.min).max(exact_decimals(d.step))
}

/// The decisions' values in words: `community_beds 90, reablement_places 150`.
pub(crate) fn values_text(problem: &Problem, values: &[f64]) -> String {
    problem
        .decisions
        .iter()
        .zip(values)
        .map(|(d, v)| {
            format!(
                "{} {}",
                d.name,
                chart::number_text(*v, decision_decimals(d), false)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How the numbers of one quantity are written: in pounds (in £, £k or £m) or plain, with
/// decimals enough to tell the ends of its intervals apart, grouped by thousands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    money: Option<MoneyUnit>,
    decimals: usize,
}

impl Style {
    /// The style for `values` (means, bounds, interval ends) of one quantity, whose
    /// intervals are `spread` wide (0 for none): about a quarter of the spread shows, or four
    /// significant digits when there is no spread.
    pub(crate) fn new(money: bool, values: &[f64], spread: f64) -> Style {
        let largest = values
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0_f64, |a, v| a.max(v.abs()));
        let unit = money.then(|| MoneyUnit::for_amount(largest));
        let divisor = unit.map_or(1.0, |u| u.divisor);
        let step = if spread > 0.0 && spread.is_finite() {
            spread / 4.0
        } else {
            largest / 1000.0
        } / divisor;
        let most = if money { 3 } else { 6 };
        let decimals = if step > 0.0 && step.is_finite() {
            (-step.log10()).ceil().clamp(0.0, most as f64) as usize
        } else {
            0
        };
        Style {
            money: unit,
            decimals,
        }
    }

    /// The style for a mean and its interval, and any `others` (a bound) beside it.
    pub(crate) fn of(money: bool, s: &Summary, others: &[f64]) -> Style {
        let mut values = vec![s.mean, s.low(), s.high()];
        values.extend_from_slice(others);
        Style::new(money, &values, s.high() - s.low())
    }

    /// `x` in this style; `signed` puts "+" before values above zero.
    pub(crate) fn text(&self, x: f64, signed: bool) -> String {
        match self.money {
            Some(unit) => unit.format(x, self.decimals, signed),
            None => chart::number_text(x, self.decimals, signed),
        }
    }

    /// A mean with its interval: `0.211 (95% CI 0.205 to 0.217)`; the mean alone when there
    /// is no interval.
    pub(crate) fn summary(&self, s: &Summary, signed: bool) -> String {
        match s.half_width {
            Some(_) => format!(
                "{} ({}% CI {} to {})",
                self.text(s.mean, signed),
                percent(s.level),
                self.text(s.low(), signed),
                self.text(s.high(), signed)
            ),
            None => self.text(s.mean, signed),
        }
    }
}

/// A number the user gave (a bound, the indifference zone) as they wrote it, grouped by
/// thousands: `0.24`, `2,500`; money the short way: `£50.0k`, `£0`.
pub(crate) fn given_text(money: bool, x: f64) -> String {
    if money {
        chart::money_text(x, false)
    } else {
        chart::number_text(x, exact_decimals(x).min(6), false)
    }
}

/// A confidence level as a percentage, as few decimals as it needs: 0.95 → "95", 0.975 →
/// "97.5".
pub(crate) fn percent(level: f64) -> String {
    let pct = level * 100.0;
    chart::number_text(pct, exact_decimals(pct).min(3), false)
}
