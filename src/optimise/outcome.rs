//! What an optimisation found: every configuration evaluated, the chosen one, its
//! runners-up and the paired differences that back the choice.

use super::Problem;
use crate::Summary;

/// Which part of the optimisation evaluated a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The search over the lattice (replications `0..first_stage`); no guarantee.
    Search,
    /// The selection among the finalists, on fresh replications, with the guarantee.
    Selection,
}

/// Whether one constraint was shown to hold at one configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The one-sided confidence bound is on the right side of the bound.
    Holds,
    /// The one-sided confidence bound on the other side is on the wrong side: shown to fail.
    Fails,
    /// Neither could be shown with the replications spent.
    Undecided,
}

/// Whether a configuration meets every constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feasibility {
    /// Every constraint holds.
    Feasible,
    /// At least one constraint fails.
    Infeasible,
    /// No constraint fails, but at least one is undecided: treated as not feasible.
    Undecided,
}

/// One constraint's statistic at one configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintResult {
    /// Mean and two-sided interval across the configuration's replications, at the
    /// constraint's confidence.
    pub summary: Summary,
    /// The one-sided confidence bound compared with the constraint's bound (upper for
    /// `AtMost`, lower for `AtLeast`), at the confidence the procedure used.
    pub one_sided: f64,
    /// What the comparison showed.
    pub verdict: Verdict,
}

/// One configuration, evaluated in one phase.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The decision values, in the order of the problem's decisions.
    pub values: Vec<f64>,
    /// Search or selection.
    pub phase: Phase,
    /// Replications spent on it in this phase.
    pub replications: u32,
    /// The objective's mean and interval (at the objective's confidence).
    pub objective: Summary,
    /// Each objective term's statistic, unweighted, with its interval at the objective's
    /// confidence, in the order of the objective's terms.
    pub terms: Vec<Summary>,
    /// One per constraint, in the problem's order.
    pub constraints: Vec<ConstraintResult>,
    /// Whether it meets every constraint.
    pub feasibility: Feasibility,
}

/// The paired difference of a runner-up's objective from the chosen configuration's, over
/// the same (common random number) replications of the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct RunnerUp {
    /// Index into [`Outcome::evaluations`].
    pub evaluation: usize,
    /// Runner-up minus chosen, per replication, summarised at the objective's confidence.
    pub difference: Summary,
}

/// What the selection promises about its choice, and whether it ran every replication the
/// promise needs. The statement, its assumptions and its derivation are in the module
/// [`selection`](super::selection).
#[derive(Debug, Clone, PartialEq)]
pub struct Guarantee {
    /// The probability, at least, with which the chosen configuration is feasible and within
    /// the indifference zone of every finalist shown feasible: `1 − α − Σⱼ (1 − cⱼ)`, α from
    /// the objective's confidence and cⱼ each constraint's. At most 0 when the constraints'
    /// confidences leave nothing to promise.
    pub probability: f64,
    /// The probability, at least, with which every finalist shown feasible is feasible:
    /// `1 − Σⱼ (1 − cⱼ)`. It holds whether or not the second stage was capped.
    pub feasibility: f64,
    /// The indifference zone δ, in the objective's units.
    pub indifference: f64,
    /// Replications per finalist the procedure asked for, first stage included.
    pub needed: u64,
    /// Replications per finalist run: `needed`, or the cap `max_replications` when that is
    /// smaller.
    pub run: u64,
    /// Whether every replication asked for was run. When not, the promise about the
    /// objective is void (the one about feasibility stands).
    pub met: bool,
}

/// The result of [`optimise`](super::optimise).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The variant the capacity was planned under (`baseline` or a `variants.csv` name).
    pub variant: String,
    /// The problem solved.
    pub problem: Problem,
    /// How the lattice was searched: `exhaustive` or `pattern`.
    pub method: &'static str,
    /// Every configuration evaluated, search first, then selection.
    pub evaluations: Vec<Evaluation>,
    /// The chosen configuration (a selection evaluation); `None` when no finalist was shown
    /// feasible.
    pub chosen: Option<usize>,
    /// The other finalists shown feasible, best first, with paired differences.
    pub runners_up: Vec<RunnerUp>,
    /// When nothing is feasible: which constraint fails even at the most generous
    /// configuration tried, in words.
    pub infeasible: Option<String>,
    /// What the selection promises about the choice, and whether the cap on replications
    /// let it keep the promise.
    pub guarantee: Guarantee,
    /// Replications run, search and selection together.
    pub replications: u64,
    /// Replications an exhaustive grid would have needed for the same guarantee (every
    /// configuration through the selection).
    pub exhaustive_replications: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Worker threads.
    pub threads: usize,
}

/// What [`optimise`](super::optimise) reports as it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Replications run so far.
    pub replications: u64,
    /// Configurations evaluated so far.
    pub evaluated: usize,
    /// The phase running.
    pub phase: Phase,
    /// The best configuration shown feasible so far, and its objective mean.
    pub best: Option<(Vec<f64>, f64)>,
}

impl Outcome {
    /// Whether the selection's guarantee holds for a choice: `false` when nothing was chosen,
    /// or when `max_replications` capped the second stage before every finalist had the
    /// replications the procedure asked for.
    pub fn guarantee_met(&self) -> bool {
        self.chosen.is_some() && self.guarantee.met
    }
}
