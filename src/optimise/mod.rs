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

pub mod outcome;
pub mod search;
pub mod selection;

pub use outcome::{
    ConstraintResult, Evaluation, Feasibility, Guarantee, Outcome, Phase, Progress, RunnerUp,
    Verdict,
};
pub use selection::Sample;

use crate::Error;
use std::path::Path;

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
/// is planned), calling `progress` after each replication with the best feasible
/// configuration so far.
///
/// # Errors
///
/// [`Error::Scenario`] if a configuration's overrides do not load; [`Error::Usage`] if the
/// variant is unknown or one of its overrides sets a decision's cell.
pub fn optimise(
    dir: impl AsRef<Path>,
    variant: &str,
    problem: &Problem,
    search: &Search,
    progress: &(dyn Fn(&outcome::Progress) + Sync),
) -> Result<Outcome, Error> {
    let _ = (dir.as_ref(), variant, problem, search, progress);
    todo!("helper: search and selection")
}
