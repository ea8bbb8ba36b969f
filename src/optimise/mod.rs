//! Capacity planning: the cheapest configuration of decision cells (capacities, calendar
//! capacities, money amounts) that meets the targets, found by simulation optimisation on
//! common random numbers, with a statistical guarantee on the choice.
//!
//! A [`Problem`] names the [`Decision`]s (cells of the scenario's files, addressed like rows
//! of `variants.csv`, each with a range and a step), one [`Objective`] and any number of
//! [`Constraint`]s on statistics named as in the output files. [`optimise`] searches the
//! lattice of decision values and then selects among the finalists with a guarantee (see the
//! module [`selection`]). In a scenario folder the problem is written as `decisions.csv` and
//! `objectives.csv` (see [`scenario`](crate::scenario)).

mod evaluation;
pub mod outcome;
pub mod search;
pub mod selection;

pub use outcome::{
    ConstraintResult, Evaluation, Feasibility, Guarantee, Outcome, Phase, Progress, RunnerUp,
    Verdict,
};
pub use selection::Sample;

use crate::Error;
use evaluation::{Evaluator, Finalists, describe, describe_constraint, largest_paired_sd};
use std::path::Path;
use std::time::Instant;

/// One decision variable: a cell of a scenario file, addressed as a row of `variants.csv`
/// addresses it, taking the values `min`, `min + step`, … up to `max`.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The decision's name, as written in the outputs (e.g. `community_beds`).
    pub name: String,
    /// The scenario file, e.g. `services.csv`.
    pub file: String,
    /// The row's key, as in `variants.csv`.
    pub row: String,
    /// The column; not a key column.
    pub column: String,
    /// The smallest value tried.
    pub min: f64,
    /// The largest value tried; `min + k · step` for a whole `k`.
    pub max: f64,
    /// The distance between neighbouring values, greater than 0.
    pub step: f64,
}

impl Decision {
    /// How many values the decision takes: `(max − min) / step + 1`.
    pub fn levels(&self) -> usize {
        ((self.max - self.min) / self.step).round() as usize + 1
    }

    /// The value at lattice index `k` (0 is `min`), as written into the cell: the shortest
    /// decimal text, so `0.1 + 2 · 0.1` is written `0.3`.
    pub fn value(&self, k: usize) -> f64 {
        let v = self.min + k as f64 * self.step;
        // Round to 12 significant digits so repeated steps do not drift.
        let digits = 12 - v.abs().log10().ceil().max(0.0) as i32;
        let scale = 10f64.powi(digits.max(0));
        (v * scale).round() / scale
    }
}

/// Whether the objective is to be made as small or as large as possible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// Smaller is better (costs, delays).
    Minimise,
    /// Larger is better (a surplus).
    Maximise,
}

/// One statistic, named as in the output files: scope (`system`, `service`, `entry`,
/// `finance`), subject (the service, or for `finance` the organisation, empty for the whole
/// system or the system scope) and KPI name. Money is taken over the whole observation window
/// (its one financial year, or all years), as [`Precision`](crate::Precision) takes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Measure {
    /// `system`, `service`, `entry` or `finance`.
    pub scope: String,
    /// The service or organisation; empty for the system.
    pub subject: String,
    /// The KPI's name in the output files.
    pub kpi: String,
}

/// One statistic of the objective with its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The statistic.
    pub measure: Measure,
    /// Its weight in the objective (e.g. pounds per patient waiting), finite, not 0.
    pub weight: f64,
}

/// What to make as small (or large) as possible — a weighted sum of statistics, e.g. the
/// system's capacity costs plus £500 a day per patient waiting — with the selection's
/// guarantee.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// The weighted statistics summed, at least one.
    pub terms: Vec<Term>,
    /// Minimise or maximise.
    pub sense: Sense,
    /// The indifference zone δ, in the objective's units (pounds, bed-days): a configuration
    /// within δ of the best feasible one is as good as the best.
    pub indifference: f64,
    /// 1 − α: the probability with which the chosen configuration is within δ of the best
    /// finalist shown feasible, e.g. 0.95.
    pub confidence: f64,
}

/// Which side of the bound a constraint's statistic must be on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// The statistic's mean is at most this.
    AtMost(f64),
    /// The statistic's mean is at least this.
    AtLeast(f64),
}

/// A target the chosen configuration must meet: the mean of a statistic on one side of a
/// bound, shown with the stated confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    /// The statistic.
    pub measure: Measure,
    /// The bound.
    pub bound: Bound,
    /// The confidence with which the constraint must be shown to hold, e.g. 0.95.
    pub confidence: f64,
}

/// A capacity-planning problem: decisions, objective and constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The decision variables, in the order of `decisions.csv`.
    pub decisions: Vec<Decision>,
    /// The objective.
    pub objective: Objective,
    /// The constraints, in the order of `objectives.csv`.
    pub constraints: Vec<Constraint>,
}

/// How the search spends replications.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// Replications per configuration in the search, and the first stage of the selection.
    pub first_stage: u32,
    /// Most replications any one configuration gets in the selection's second stage.
    pub max_replications: u32,
    /// Grids with at most this many configurations are searched exhaustively; larger ones
    /// by pattern search on the lattice.
    pub exhaustive_limit: usize,
    /// How many of the best configurations found go on to the selection.
    pub finalists: usize,
}

impl Default for Search {
    fn default() -> Search {
        Search {
            first_stage: 10,
            max_replications: 200,
            exhaustive_limit: 64,
            finalists: 5,
        }
    }
}

/// Loads the problem of the scenario folder at `dir`: its `decisions.csv` and
/// `objectives.csv`, checked against the scenario (every cell exists, every value in range
/// loads, every statistic exists).
///
/// # Errors
///
/// [`Error::Scenario`] listing every problem, with file, line and column.
pub fn load_problem(dir: impl AsRef<Path>) -> Result<Problem, Error> {
    crate::scenario::load_problem(dir.as_ref()).map_err(Error::Scenario)
}

/// Optimises `problem` over the scenario folder at `dir`, on top of its variant `variant`
/// (`baseline`, or a name from its `variants.csv`: a fixed policy under which the capacity
/// is planned), calling `progress` (from any thread) after each replication and after each
/// batch of the search, with the best configuration the search has shown feasible so far.
///
/// The lattice of decision values is searched first (see [`search`]: every configuration
/// of a small grid, pattern search on a larger one; replications `0..first_stage` of each,
/// on common random numbers); its [`Search::finalists`] best configurations then go through
/// the [`selection`] on fresh replications. Each configuration's model is the folder with the
/// variant's overrides and one override per decision, setting its cell to the level's value;
/// replications run in parallel on rayon's current thread pool, collected in order, so the
/// outcome is identical on any number of threads.
///
/// # Example
///
/// The fewest beds of an M/M/c ward (the bundled `erlang_c_ward`) that keep its mean queue at
/// most 0.5, with 95% confidence:
///
/// ```no_run
/// use careflow::optimise::{
///     Bound, Constraint, Decision, Measure, Objective, Problem, Search, Sense, Term, optimise,
/// };
///
/// let statistic = |scope: &str, subject: &str, kpi: &str| Measure {
///     scope: scope.into(),
///     subject: subject.into(),
///     kpi: kpi.into(),
/// };
/// let problem = Problem {
///     decisions: vec![Decision {
///         name: "ward_beds".into(),
///         file: "services.csv".into(),
///         row: "ward".into(),
///         column: "capacity".into(),
///         min: 17.0,
///         max: 30.0,
///         step: 1.0,
///     }],
///     objective: Objective {
///         // Fewer beds is better (the scenario books no money, so count beds).
///         terms: vec![Term {
///             measure: statistic("service", "ward", "mean_capacity"),
///             weight: 1.0,
///         }],
///         sense: Sense::Minimise,
///         indifference: 0.5,
///         confidence: 0.95,
///     },
///     constraints: vec![Constraint {
///         measure: statistic("service", "ward", "mean_queue"),
///         bound: Bound::AtMost(0.5),
///         confidence: 0.95,
///     }],
/// };
/// let search = Search::default();
/// let outcome = optimise("scenarios/erlang_c_ward", "baseline", &problem, &search, &|_| {})?;
/// let chosen = &outcome.evaluations[outcome.chosen.expect("feasible")];
/// println!("{} beds ({} replications)", chosen.values[0], outcome.replications);
/// # Ok::<(), careflow::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Usage`] if the problem or the search settings are not valid (see [`Problem`] and
/// [`Search`]), a statistic is not one of the scenario's, the variant is unknown or one of
/// its overrides sets a decision's cell; [`Error::Scenario`] if the folder, its
/// `variants.csv` or a configuration's overrides do not load; [`Error::MoneyNotFinite`] or
/// [`Error::NotFinite`] if a replication's money or a sample is not finite.
pub fn optimise(
    dir: impl AsRef<Path>,
    variant: &str,
    problem: &Problem,
    search: &Search,
    progress: &(dyn Fn(&outcome::Progress) + Sync),
) -> Result<Outcome, Error> {
    let started = Instant::now();
    check_search(search)?;
    check_problem(problem)?;
    let grid = search::grid_size(problem);
    let exhaustive = grid as u64 * u64::from(search.first_stage);
    if grid <= search.exhaustive_limit && exhaustive > MAX_EXHAUSTIVE_REPLICATIONS {
        return Err(Error::Usage(format!(
            "an exhaustive search of the {grid} configurations would run {exhaustive} \
             replications, more than {MAX_EXHAUSTIVE_REPLICATIONS}: lower exhaustive_limit \
             below {grid} for a pattern search, or first_stage"
        )));
    }
    let mut evaluator = Evaluator::new(dir.as_ref(), variant, problem, progress)?;
    let corner = evaluator.configuration(&vec![0; problem.decisions.len()])?;
    check_measures(problem, evaluator.model(corner)?)?;

    let searched = search::search(&mut evaluator, problem, search)?;
    evaluator.phase = Phase::Selection;
    let mut finalists = Finalists {
        configurations: searched
            .finalists
            .iter()
            .map(|&i| searched.configurations[i])
            .collect(),
        evaluator: &mut evaluator,
        error: None,
        samples: vec![Vec::new(); searched.finalists.len()],
    };
    let selection = selection::select(
        problem,
        searched.finalists.len(),
        search.first_stage,
        search.max_replications,
        &mut finalists,
    );
    // An error running a replication comes first: the selection saw stand-in samples.
    if let Some(e) = finalists.error {
        return Err(e);
    }
    let finalist_samples = std::mem::take(&mut finalists.samples);
    let selection = selection?;
    // What the selection would need on every configuration of the grid, each getting the
    // replications that its sample-size rule asks of `grid` finalists, with the largest
    // spread of paired differences estimated from the search's samples of at most
    // ESTIMATE_FROM configurations spread over those evaluated.
    let spread = searched.samples.len().div_ceil(ESTIMATE_FROM);
    let sampled: Vec<Vec<Sample>> = searched.samples.iter().step_by(spread).cloned().collect();
    let objective = &problem.objective;
    let per_configuration = selection::second_stage_size(
        grid,
        search.first_stage,
        objective.confidence,
        objective.indifference,
        largest_paired_sd(&sampled),
    )?;
    let exhaustive_replications = per_configuration.saturating_mul(grid as u64);

    let mut evaluations = searched.evaluations;
    let base = evaluations.len();
    for ((f, &i), samples) in (selection.finalists.into_iter())
        .zip(&searched.finalists)
        .zip(&finalist_samples)
    {
        evaluations.push(Evaluation {
            values: evaluations[i].values.clone(),
            phase: Phase::Selection,
            replications: f.replications,
            objective: f.objective,
            terms: evaluation::term_summaries(problem, samples),
            constraints: f.constraints,
            feasibility: f.feasibility,
        });
    }
    let chosen = selection.chosen.map(|i| base + i);
    let infeasible = chosen
        .is_none()
        .then(|| infeasible(problem, &evaluations, base));
    Ok(Outcome {
        variant: variant.to_owned(),
        problem: problem.clone(),
        method: searched.method,
        evaluations,
        chosen,
        runners_up: selection
            .runners_up
            .into_iter()
            .map(|(i, difference)| RunnerUp {
                evaluation: base + i,
                difference,
            })
            .collect(),
        infeasible,
        guarantee: selection.guarantee,
        replications: evaluator.replications,
        exhaustive_replications,
        seconds: started.elapsed().as_secs_f64(),
        threads: rayon::current_num_threads(),
    })
}

/// The most configurations whose search samples estimate what the selection would need on
/// the whole grid ([`Outcome::exhaustive_replications`]).
const ESTIMATE_FROM: usize = 256;

/// Why nothing was chosen: each constraint that no finalist was shown to meet in the
/// selection, with the best mean any evaluation had (search or selection) and where; when
/// every constraint was shown to hold at some finalist, but never all at one, each
/// finalist's constraints not shown to hold. `evaluations` are the search's, then the
/// selection's from `selection_from`.
fn infeasible(problem: &Problem, evaluations: &[Evaluation], selection_from: usize) -> String {
    let selection = &evaluations[selection_from..];
    let failing: Vec<usize> = (0..problem.constraints.len())
        .filter(|&j| {
            !selection
                .iter()
                .any(|e| e.constraints[j].verdict == Verdict::Holds)
        })
        .collect();
    let mut lines = vec![
        "no configuration was shown to meet every constraint with the required confidence"
            .to_owned(),
    ];
    for &j in &failing {
        let c = &problem.constraints[j];
        // The best mean seen, and where (the first of equals).
        let key = |e: &Evaluation| match c.bound {
            Bound::AtMost(_) => e.constraints[j].summary.mean,
            Bound::AtLeast(_) => -e.constraints[j].summary.mean,
        };
        let best = evaluations
            .iter()
            .min_by(|a, b| key(a).total_cmp(&key(b)))
            .expect("at least one evaluation");
        let phase = match best.phase {
            Phase::Search => "search",
            Phase::Selection => "selection",
        };
        let mean = best.constraints[j].summary.mean;
        let meets = match c.bound {
            Bound::AtMost(b) => mean <= b,
            Bound::AtLeast(b) => mean >= b,
        };
        let hint = if meets {
            "; that mean meets the bound, but not with the required confidence on the \
             replications run: more replications (--first-stage, --max-replications) may show \
             it holds"
        } else {
            ""
        };
        lines.push(format!(
            "{} was not shown to hold at any finalist; its best mean was {} ({} replications \
             in the {phase}) at {}{hint}",
            describe_constraint(c),
            four_digits(mean),
            best.replications,
            describe(problem, &best.values)
        ));
    }
    if failing.is_empty() {
        for e in selection {
            let open: Vec<String> = problem
                .constraints
                .iter()
                .zip(&e.constraints)
                .filter(|(_, r)| r.verdict != Verdict::Holds)
                .map(|(c, r)| {
                    let mean = four_digits(r.summary.mean);
                    format!("{} (mean {mean})", describe_constraint(c))
                })
                .collect();
            lines.push(format!(
                "at {}: not shown: {}",
                describe(problem, &e.values),
                open.join("; ")
            ));
        }
    }
    lines.join("\n")
}

/// `x` to four significant digits, as people read a mean in a message (`0.3732`, `15.46`,
/// `1.235e6`); the full value is in `optimisation.csv`.
fn four_digits(x: f64) -> String {
    crate::scenario::rounded_to(x, 4)
}

/// Checks the search settings.
fn check_search(search: &Search) -> Result<(), Error> {
    let problem = if search.first_stage < 2 {
        Some(format!(
            "first_stage is {}: at least 2 replications per configuration are needed to \
             estimate a variance",
            search.first_stage
        ))
    } else if search.max_replications < search.first_stage {
        Some(format!(
            "max_replications ({}) is below first_stage ({})",
            search.max_replications, search.first_stage
        ))
    } else if search.max_replications > MAX_REPLICATIONS {
        Some(format!(
            "max_replications is {}, more than {MAX_REPLICATIONS}",
            search.max_replications
        ))
    } else if search.finalists == 0 {
        Some("finalists is 0: at least one configuration must go on to the selection".into())
    } else {
        None
    };
    problem.map_or(Ok(()), |p| {
        Err(Error::Usage(format!("search settings: {p}")))
    })
}

/// The most replications a configuration may get ([`Search::max_replications`], and so
/// [`Search::first_stage`]).
pub const MAX_REPLICATIONS: u32 = 100_000;

/// The most replications an exhaustive search may run (configurations × first stage): the
/// search keeps every sample.
pub const MAX_EXHAUSTIVE_REPLICATIONS: u64 = 10_000_000;

/// The most levels one decision may have.
pub const MAX_LEVELS: usize = 1_000;

/// The most configurations a problem's lattice may have.
pub const MAX_CONFIGURATIONS: usize = 1_000_000;

/// Checks a problem built in code as the loader checks `decisions.csv` and
/// `objectives.csv`, except what needs the scenario (see [`check_measures`]).
fn check_problem(problem: &Problem) -> Result<(), Error> {
    let mut problems: Vec<String> = Vec::new();
    if problem.decisions.is_empty() {
        problems.push("no decisions".to_owned());
    }
    let mut configurations: usize = 1;
    for (i, d) in problem.decisions.iter().enumerate() {
        let name = &d.name;
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            problems.push(format!(
                "decision {}: its name {name:?} is not an id (1 to 200 characters, no control \
                 characters)",
                i + 1
            ));
        }
        if let Some(first) = problem.decisions[..i].iter().find(|e| e.name == d.name) {
            problems.push(format!(
                "decision '{name}' is named twice ({:?})",
                first.name
            ));
        }
        if let Some(first) = problem.decisions[..i]
            .iter()
            .find(|e| e.file == d.file && e.row == d.row && e.column == d.column)
        {
            problems.push(format!(
                "decisions '{}' and '{name}' both set {} row '{}' column '{}'",
                first.name, d.file, d.row, d.column
            ));
        }
        let span = (d.max - d.min) / d.step;
        let whole = (span - span.round()).abs() <= 1e-9 * span.abs().max(1.0);
        if !(d.min.is_finite() && d.max.is_finite() && d.step.is_finite()) {
            problems.push(format!(
                "decision '{name}': min, max and step must be finite"
            ));
        } else if d.step <= 0.0 {
            problems.push(format!("decision '{name}': step {} is not above 0", d.step));
        } else if d.min > d.max {
            problems.push(format!(
                "decision '{name}': min {} is above max {}",
                d.min, d.max
            ));
        } else if !whole {
            problems.push(format!(
                "decision '{name}': max − min ({} − {}) is not a whole number of steps of {}",
                d.max, d.min, d.step
            ));
        } else if span.round() + 1.0 > MAX_LEVELS as f64 {
            problems.push(format!(
                "decision '{name}': {} levels, more than {MAX_LEVELS}",
                span.round() + 1.0
            ));
        } else {
            configurations = configurations.saturating_mul(d.levels());
        }
    }
    if configurations > MAX_CONFIGURATIONS {
        problems.push(format!(
            "the decisions make {configurations} configurations, more than {MAX_CONFIGURATIONS}"
        ));
    }
    let o = &problem.objective;
    if o.terms.is_empty() {
        problems.push("the objective has no terms".to_owned());
    }
    for t in &o.terms {
        if !t.weight.is_finite() || t.weight == 0.0 {
            problems.push(format!(
                "objective term {}: weight {} is not a finite number other than 0",
                evaluation::describe_measure(&t.measure),
                t.weight
            ));
        }
    }
    if !(o.indifference.is_finite() && o.indifference > 0.0) {
        problems.push(format!(
            "the objective's indifference zone {} is not a finite number above 0",
            o.indifference
        ));
    }
    let confidence = |c: f64| c > 0.5 && c < 1.0;
    if !confidence(o.confidence) {
        problems.push(format!(
            "the objective's confidence {} is not between 0.5 and 1 (exclusive)",
            o.confidence
        ));
    }
    for c in &problem.constraints {
        let (Bound::AtMost(b) | Bound::AtLeast(b)) = c.bound;
        if !b.is_finite() {
            problems.push(format!(
                "constraint on {}: bound {b} is not finite",
                evaluation::describe_measure(&c.measure)
            ));
        }
        if !confidence(c.confidence) {
            problems.push(format!(
                "constraint on {}: confidence {} is not between 0.5 and 1 (exclusive)",
                evaluation::describe_measure(&c.measure),
                c.confidence
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "capacity-planning problem: {}",
            problems.join("; ")
        )))
    }
}

/// Checks that every statistic of the objective and the constraints is one of `model`'s.
fn check_measures(problem: &Problem, model: &crate::Model) -> Result<(), Error> {
    let unknown: Vec<String> = problem
        .objective
        .terms
        .iter()
        .map(|t| &t.measure)
        .chain(problem.constraints.iter().map(|c| &c.measure))
        .filter(|m| !crate::experiment::has_kpi(model, &m.scope, &m.subject, &m.kpi))
        .map(evaluation::describe_measure)
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "not statistics of this scenario (names as in summary.csv and finance.csv; money \
             only where the scenario books it): {}",
            unknown.join("; ")
        )))
    }
}
