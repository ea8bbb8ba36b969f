//! The selection among the finalists, on fresh common-random-number replications, with a
//! stated guarantee.
//!
//! The search hands over `k` finalists. The selection runs fresh replications of them — the
//! caller maps the selection's replication `r` to a seed no search replication used, and
//! replication `r` of every finalist shares its random numbers (common random numbers, CRN) —
//! and chooses the best finalist shown to meet every constraint, with a probability of being
//! right that it states in advance.
//!
//! # The procedure
//!
//! Notation: `n₀` is `first_stage`; `X_ir` the objective of finalist `i` in replication `r`,
//! oriented so that larger is better (negated when the objective is minimised); `Y_ijr` the
//! statistic of constraint `j`, with bound `b_j`; `δ` the objective's indifference zone;
//! `1 − α` the objective's confidence; `c_j` constraint `j`'s confidence; `t(q, ν)` the
//! `q`-quantile of Student's t with `ν` degrees of freedom.
//!
//! 1. **First stage.** Replications `0..n₀` of every finalist, in one batch.
//! 2. **Sample size.** For every pair `i < l`, `S²_il` is the sample variance of the paired
//!    differences `X_ir − X_lr` over the first stage. With `p = k(k − 1)/2` pairs and
//!    `h = t(1 − α/p, n₀ − 1)`, every finalist gets
//!    `N = max(n₀, max over pairs ⌈(h · S_il / δ)²⌉)` replications. This is the Bonferroni
//!    procedure of Nelson and Matejcik (1995) for CRN, with one `N` for all finalists (so
//!    that every comparison is a mean of `N` paired differences; a Rinott-type `N_i` per
//!    finalist would compare means over different replications, whose variance the paired
//!    `S_il` does not estimate), and with `p` counting every pair rather than the `k − 1`
//!    pairs with the best (see the guarantee for why). If `N` exceeds `max_replications`,
//!    only `max_replications` are run and the guarantee is reported as not met.
//! 3. **Second stage.** Replications `n₀..N` of every finalist — the same indices for all —
//!    in one batch.
//! 4. **Feasibility.** For constraint `j` at finalist `i`, with `Ȳ_ij` the mean over all `N`
//!    replications and `s_ij` the sample standard deviation over the *first stage only*, and
//!    `t_j = t(1 − (1 − c_j)/k, n₀ − 1)`: the upper bound `U = Ȳ + t_j s/√N` and the lower
//!    bound `L = Ȳ − t_j s/√N`. A constraint `≤ b` holds if `U ≤ b`, fails if `L > b`, and is
//!    undecided otherwise; `≥ b` the mirror image. A finalist is feasible when every
//!    constraint holds, infeasible when one fails, undecided otherwise (not feasible).
//! 5. **Choice.** Among the finalists shown feasible, the one with the best objective mean
//!    over its `N` replications (on an exact tie, the first in the finalists' order); none if
//!    no finalist is shown feasible. The others shown feasible are the runners-up, best first,
//!    each with its paired difference from the chosen one.
//!
//! # The guarantee
//!
//! Let `F` be the set of finalists shown feasible. With probability at least
//! `1 − α − Σ_j (1 − c_j)`:
//!
//! - (a) every finalist in `F` is feasible: each of its constraint means is on the right side
//!   of its bound; and
//! - (b) the chosen finalist's objective mean is within `δ` of the best objective mean in `F`.
//!
//! So the chosen configuration is feasible, and within `δ` of the best feasible finalist
//! whenever that finalist is among those shown feasible. A constraint's confidence `c_j`
//! means: the probability that some finalist breaking constraint `j` is nevertheless shown to
//! meet it is at most `1 − c_j` (Bonferroni over the finalists: each finalist's bound is at
//! `1 − (1 − c_j)/k`). [`Guarantee`] carries both probabilities.
//!
//! **Assumptions.** (A1) The vectors `(X_1r, …, X_kr, Y_11r, …, Y_kmr)`, one per replication,
//! are independent and identically distributed across replications and jointly normal —
//! careflow's statistics are long-run averages, close to normal by the central limit theorem.
//! Any correlation between finalists or statistics is allowed: the procedure uses variances
//! of differences, so CRN need not induce positive correlation; it saves replications when it
//! does. (A2) The finalists are fixed before the selection's replications: they were picked
//! on the search's replications, which the selection never reuses.
//!
//! **Derivation.** Under (A1) the first-stage mean vector is independent of the first-stage
//! sample covariance matrix `𝐒`, and the second stage is independent of both; `N` (capped or
//! not) is a function of `𝐒` alone. So for any linear combination `W` of one replication's
//! values, with variance `σ² > 0`, `Z = (W̄(N) − E W)·√N/σ` is standard normal independently
//! of `𝐒`, and for a first-stage sample deviation `S` of `W`, `Z/(S/σ)` is Student's t with
//! `n₀ − 1` degrees of freedom (Stein 1945; Rinott 1978).
//!
//! (b): take a pair with oriented means `μ_i − μ_l ≥ δ` and `W = X_i − X_l`. As
//! `N ≥ h²S_il²/δ²`, `P(X̄_l(N) ≥ X̄_i(N)) = P(Z ≤ −(μ_i − μ_l)√N/σ) ≤ P(Z ≤ −h·S_il/σ) =
//! P(T ≤ −h) = α/p` (if `σ = 0` the difference is exact and the pair is never misordered).
//! By Boole's inequality over the at most `p` such pairs, with probability at least `1 − α`
//! every pair `δ` or more apart is ordered correctly by the final means. On that event, for
//! *any* set of finalists, its member with the best final mean is within `δ` of each other
//! member, or that member's mean would be the better one. `F` is decided by the constraint
//! data, which share replications with the objective, so `F` is random and dependent on the
//! objective's means: (b) needs the event for every possible `F` at once, hence all `p`
//! pairs, not only the `k − 1` pairs with one fixed best finalist.
//!
//! (a): take finalist `i` breaking constraint `j ≤ b_j`, so `μ_ij > b_j`. It is shown to hold
//! only if `U_ij ≤ b_j < μ_ij`, i.e. `(Ȳ_ij − μ_ij)√N/s_ij < −t_j`, with probability at most
//! `P(T ≤ −t_j) = (1 − c_j)/k` by the lemma (the deviation is the first stage's for this
//! reason: the deviation over all `N` replications is not independent of `N`, which depends
//! on first-stage variances that may be correlated with the constraint's). At most `k`
//! finalists break constraint `j`: some finalist is wrongly shown to meet it with probability
//! at most `1 − c_j`, and over all constraints at most `Σ_j (1 − c_j)`. A finalist in `F`
//! that is not feasible was wrongly shown to meet some constraint, so (a) fails with
//! probability at most `Σ_j (1 − c_j)`, and (a) and (b) together with probability at most
//! `α + Σ_j (1 − c_j)` (Boole again: no independence between objective and constraints is
//! needed).
//!
//! # At the edges
//!
//! - A constraint mean at its bound, or within a few standard errors of it, can be shown
//!   neither to hold nor to fail: undecided, so not feasible. There is no tolerance, and the
//!   procedure does not promise that the best feasible finalist is *shown* feasible — in
//!   capacity planning it often sits close to a bound. (Procedures with a tolerance `ε` on
//!   each bound, Andradóttir & Kim 2010, Batur & Kim 2010, Healey et al. 2014, sample until
//!   each finalist is classified; this two-stage procedure does not.)
//! - A capped second stage (`N > max_replications`) voids (b): [`Guarantee::met`] is false,
//!   with the replications that were needed. (a) still holds with probability at least
//!   `1 − Σ_j (1 − c_j)`, as the capped `N` is still a function of `𝐒`.
//! - A statistic with no spread over the first stage gives bounds equal to its mean, and
//!   paired differences with no spread need no second stage (`N = n₀`). With continuous
//!   normal outputs this has probability 0; a statistic taking few values (a count that is 0
//!   in every first-stage replication) can show no spread by chance, which breaks (A1): raise
//!   `first_stage`.
//! - `α + Σ_j (1 − c_j) ≥ 1` leaves nothing to promise: [`Guarantee::probability`] is then at
//!   most 0, and is reported as such.
//! - One finalist: no comparisons, `N = n₀`; it is chosen if shown feasible.
//! - `first_stage < 2` (no variance estimate), `max_replications < first_stage`, confidences
//!   outside (½, 1), a `δ` that is not a finite number > 0, non-finite samples, and sample
//!   sizes beyond 2⁶⁴ are refused with a [`SelectionError`].
//!
//! Bonferroni's inequality makes the procedure conservative: in the tests' least favourable
//! configuration (five finalists, the best exactly `δ` better than the other four), the
//! measured probability of a correct selection is well above `1 − α`.
//!
//! # References
//!
//! - C. Stein, "A two-sample test for a linear hypothesis whose power is independent of the
//!   variance", Annals of Mathematical Statistics 16(3), 243–258, 1945.
//! - Y. Rinott, "On two-stage selection procedures and related probability-inequalities",
//!   Communications in Statistics — Theory and Methods 7(8), 799–811, 1978.
//! - B. L. Nelson and F. J. Matejcik, "Using common random numbers for indifference-zone
//!   selection and multiple comparisons in simulation", Management Science 41(12),
//!   1935–1945, 1995.
//! - S.-H. Kim and B. L. Nelson, "A fully sequential procedure for indifference-zone
//!   selection in simulation", ACM TOMACS 11(3), 251–273, 2001; and "Selecting the best
//!   system", chapter 17 of *Handbooks in Operations Research and Management Science 13:
//!   Simulation*, Elsevier, 2006.
//! - S. Andradóttir and S.-H. Kim, "Fully sequential procedures for comparing constrained
//!   systems via simulation", Naval Research Logistics 57(5), 403–421, 2010.
//! - D. Batur and S.-H. Kim, "Finding feasible systems in the presence of constraints on
//!   multiple performance measures", ACM TOMACS 20(3), article 13, 2010.
//! - C. M. Healey, S. Andradóttir and S.-H. Kim, "Selection procedures for simulations with
//!   multiple constraints under independent and correlated sampling", ACM TOMACS 24(3),
//!   article 14, 2014.

use super::outcome::{ConstraintResult, Feasibility, Guarantee, Verdict};
use super::{Bound, Measure, Problem, Sense};
use crate::Summary;
use crate::summary::{mean_and_sd, t_upper};

/// One replication's values at one configuration: the objective (its weighted sum) and each
/// constraint's statistic, in the problem's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The objective's value in this replication.
    pub objective: f64,
    /// Each constraint's statistic in this replication.
    pub constraints: Vec<f64>,
    /// Each objective term's statistic (unweighted) in this replication; the selection
    /// does not use them, the outputs show them.
    pub terms: Vec<f64>,
}

/// Runs replications: for each `(configuration, replication)` job, in order, the sample.
/// Configurations are indices into the list the selection was given; replication indices
/// are the selection's own (`0..`), which the caller maps to fresh seeds. Every
/// configuration's replication `r` shares random numbers with every other's.
pub(crate) trait Simulator {
    /// The samples of `jobs`, in the order given.
    fn run(&mut self, jobs: &[(usize, u64)]) -> Vec<Sample>;
}

/// Why the selection could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SelectionError {
    /// There is nothing to select from.
    #[error("the selection needs at least one finalist")]
    NoFinalists,
    /// One replication per finalist gives no variance estimate.
    #[error(
        "the first stage of the selection needs at least 2 replications per finalist (to estimate variances), not {first_stage}"
    )]
    FirstStage {
        /// The first stage asked for.
        first_stage: u32,
    },
    /// The cap on replications is below the first stage.
    #[error(
        "max_replications ({max_replications}) is below the first stage ({first_stage}): it must be at least as many replications"
    )]
    Cap {
        /// The first stage.
        first_stage: u32,
        /// The cap.
        max_replications: u32,
    },
    /// The objective's confidence is not a probability above ½ and below 1.
    #[error("the objective's confidence must be above 0.5 and below 1, not {confidence}")]
    ObjectiveConfidence {
        /// The confidence given.
        confidence: f64,
    },
    /// The indifference zone is not a finite number above 0.
    #[error(
        "the objective's indifference zone must be a finite number above 0, not {indifference}"
    )]
    Indifference {
        /// The indifference zone given.
        indifference: f64,
    },
    /// A constraint's confidence is not a probability above ½ and below 1.
    #[error("constraint {constraint}'s confidence must be above 0.5 and below 1, not {confidence}")]
    ConstraintConfidence {
        /// The constraint, as `scope subject kpi` (1-based position in brackets).
        constraint: String,
        /// The confidence given.
        confidence: f64,
    },
    /// A constraint's bound is not a finite number.
    #[error("constraint {constraint}'s bound must be a finite number, not {bound}")]
    ConstraintBound {
        /// The constraint, as `scope subject kpi` (1-based position in brackets).
        constraint: String,
        /// The bound given.
        bound: f64,
    },
    /// The simulator answered with the wrong number of samples (a careflow bug).
    #[error("asked for {asked} replications, the simulator returned {returned} (a careflow bug)")]
    Samples {
        /// Jobs asked for.
        asked: usize,
        /// Samples returned.
        returned: usize,
    },
    /// A sample has the wrong number of constraint values (a careflow bug).
    #[error(
        "finalist {finalist}, replication {replication}: {returned} constraint values, expected {expected} (a careflow bug)"
    )]
    SampleShape {
        /// Index of the finalist.
        finalist: usize,
        /// The selection's replication index.
        replication: u64,
        /// Constraints in the problem.
        expected: usize,
        /// Values in the sample.
        returned: usize,
    },
    /// A replication gave a value that is not a finite number.
    #[error(
        "finalist {finalist}, replication {replication}: the {statistic} is {value}, not a finite number, so nothing can be concluded from it"
    )]
    NotFinite {
        /// Index of the finalist.
        finalist: usize,
        /// The selection's replication index.
        replication: u64,
        /// `objective`, or the constraint as `constraint scope subject kpi (n)`.
        statistic: String,
        /// The value.
        value: f64,
    },
    /// Finite values whose mean, spread or confidence bound overflows.
    #[error(
        "finalist {finalist}: the {statistic}'s values are too large to summarise (their {quantity} is not a finite number)"
    )]
    Overflow {
        /// Index of the finalist (the first of a pair for a paired difference).
        finalist: usize,
        /// `objective`, `difference from finalist n`, or the constraint.
        statistic: String,
        /// `mean`, `standard deviation` or `confidence bound`.
        quantity: &'static str,
    },
    /// The second stage would need more replications than can be counted.
    #[error(
        "the indifference zone {indifference} is too small for the objective's spread (standard deviation of a paired difference {sd}): the selection would need more than 2⁶⁴ replications per finalist; widen the indifference zone"
    )]
    SampleSize {
        /// The indifference zone.
        indifference: f64,
        /// The largest standard deviation of a paired difference.
        sd: f64,
    },
}

/// One finalist's results in the selection.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finalist {
    /// Replications run on it (the same for every finalist).
    pub replications: u32,
    /// The objective's mean and two-sided interval at the objective's confidence, in the
    /// objective's own units and sense.
    pub objective: Summary,
    /// One per constraint, in the problem's order; `one_sided` at the level in
    /// [`Selection::constraint_levels`].
    pub constraints: Vec<ConstraintResult>,
    /// Whether it was shown to meet every constraint.
    pub feasibility: Feasibility,
}

/// What the selection found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Selection {
    /// One per finalist, in the order given.
    pub finalists: Vec<Finalist>,
    /// The chosen finalist: the best objective mean among those shown feasible; `None` when
    /// none was.
    pub chosen: Option<usize>,
    /// The other finalists shown feasible, best first, each with the paired difference
    /// runner-up − chosen of the objective, per replication, summarised at the objective's
    /// confidence.
    pub runners_up: Vec<(usize, Summary)>,
    /// The one-sided confidence level of each constraint's bounds at each finalist,
    /// `1 − (1 − c_j)/k`, in the problem's order.
    pub constraint_levels: Vec<f64>,
    /// The promise, and whether it was kept.
    pub guarantee: Guarantee,
    /// Replications run in all: finalists × replications each.
    pub replications: u64,
}

/// Selects among `finalists` configurations (indices `0..finalists` for `simulator`) with the
/// procedure and guarantee of the module docs: `first_stage` replications each, then a
/// common second stage up to `max_replications` each.
///
/// # Errors
///
/// [`SelectionError`] for an input the procedure cannot work with (see the module docs,
/// "At the edges") or a sample that is not a finite number.
pub(crate) fn select(
    problem: &Problem,
    finalists: usize,
    first_stage: u32,
    max_replications: u32,
    simulator: &mut dyn Simulator,
) -> Result<Selection, SelectionError> {
    check(problem, finalists, first_stage, max_replications)?;
    let k = finalists;
    let objective = &problem.objective;
    let n0 = u64::from(first_stage);
    let mut data = Replications::new(problem, k);
    data.run(simulator, n0)?;

    let largest = data.largest_paired_sd()?;
    let needed = second_stage_size(
        k,
        first_stage,
        objective.confidence,
        objective.indifference,
        largest,
    )?;
    let n = needed.min(u64::from(max_replications));
    data.run(simulator, n)?;

    let constraint_levels: Vec<f64> = problem
        .constraints
        .iter()
        .map(|c| 1.0 - (1.0 - c.confidence) / k as f64)
        .collect();
    let constraint_t: Vec<f64> = constraint_levels
        .iter()
        .map(|&level| t_upper(1.0 - level, first_stage as usize - 1))
        .collect();
    let finalists = (0..k)
        .map(|i| data.assess(i, first_stage as usize, &constraint_t))
        .collect::<Result<Vec<_>, _>>()?;

    // Oriented so that larger is better.
    let sign = match objective.sense {
        Sense::Minimise => -1.0,
        Sense::Maximise => 1.0,
    };
    let mut feasible: Vec<usize> = (0..k)
        .filter(|&i| finalists[i].feasibility == Feasibility::Feasible)
        .collect();
    // Stable: exact ties keep the finalists' order.
    feasible.sort_by(|&a, &b| {
        (sign * finalists[b].objective.mean).total_cmp(&(sign * finalists[a].objective.mean))
    });
    let chosen = feasible.first().copied();
    let runners_up = match chosen {
        Some(c) => feasible[1..]
            .iter()
            .map(|&i| Ok((i, data.paired_difference(i, c)?)))
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };

    let constraints_risk: f64 = problem.constraints.iter().map(|c| 1.0 - c.confidence).sum();
    let guarantee = Guarantee {
        probability: objective.confidence - constraints_risk,
        feasibility: 1.0 - constraints_risk,
        indifference: objective.indifference,
        needed,
        run: n,
        met: needed == n,
    };
    Ok(Selection {
        finalists,
        chosen,
        runners_up,
        constraint_levels,
        guarantee,
        replications: k as u64 * n,
    })
}

/// The replications per finalist the procedure asks for, first stage included, among
/// `finalists` configurations whose largest first-stage standard deviation of a paired
/// objective difference is `largest_sd`: `max(n₀, ⌈(h · largest_sd / δ)²⌉)` with
/// `h = t(1 − α/p, n₀ − 1)`, `p = k(k − 1)/2`. The search can use it to say what an
/// exhaustive selection over the whole grid would have cost.
///
/// # Errors
///
/// [`SelectionError::SampleSize`] when the answer exceeds 2⁶⁴ − 1 (or `largest_sd` is not a
/// finite number ≥ 0), and the errors of the inputs' checks.
pub(crate) fn second_stage_size(
    finalists: usize,
    first_stage: u32,
    confidence: f64,
    indifference: f64,
    largest_sd: f64,
) -> Result<u64, SelectionError> {
    check_objective(finalists, first_stage, confidence, indifference)?;
    let n0 = u64::from(first_stage);
    if finalists < 2 {
        return Ok(n0);
    }
    let too_many = SelectionError::SampleSize {
        indifference,
        sd: largest_sd,
    };
    if !(largest_sd.is_finite() && largest_sd >= 0.0) {
        return Err(too_many);
    }
    let pairs = finalists as f64 * (finalists as f64 - 1.0) / 2.0;
    let h = t_upper((1.0 - confidence) / pairs, first_stage as usize - 1);
    let size = (h * largest_sd / indifference).powi(2).ceil();
    // 2⁶⁴ is exactly representable; anything at or above it does not fit.
    if !size.is_finite() || size >= 18_446_744_073_709_551_616.0 {
        return Err(too_many);
    }
    Ok((size as u64).max(n0))
}

/// Refuses inputs the procedure cannot work with, before any replication is run.
fn check(
    problem: &Problem,
    finalists: usize,
    first_stage: u32,
    max_replications: u32,
) -> Result<(), SelectionError> {
    check_objective(
        finalists,
        first_stage,
        problem.objective.confidence,
        problem.objective.indifference,
    )?;
    if max_replications < first_stage {
        return Err(SelectionError::Cap {
            first_stage,
            max_replications,
        });
    }
    for (j, c) in problem.constraints.iter().enumerate() {
        if !(c.confidence > 0.5 && c.confidence < 1.0) {
            return Err(SelectionError::ConstraintConfidence {
                constraint: constraint_name(&c.measure, j),
                confidence: c.confidence,
            });
        }
        let (Bound::AtMost(b) | Bound::AtLeast(b)) = c.bound;
        if !b.is_finite() {
            return Err(SelectionError::ConstraintBound {
                constraint: constraint_name(&c.measure, j),
                bound: b,
            });
        }
    }
    Ok(())
}

/// The checks the sample size needs.
fn check_objective(
    finalists: usize,
    first_stage: u32,
    confidence: f64,
    indifference: f64,
) -> Result<(), SelectionError> {
    if finalists == 0 {
        return Err(SelectionError::NoFinalists);
    }
    if first_stage < 2 {
        return Err(SelectionError::FirstStage { first_stage });
    }
    if !(confidence > 0.5 && confidence < 1.0) {
        return Err(SelectionError::ObjectiveConfidence { confidence });
    }
    if !(indifference.is_finite() && indifference > 0.0) {
        return Err(SelectionError::Indifference { indifference });
    }
    Ok(())
}

/// A constraint as errors name it: `scope subject kpi (n)`, n counted from 1.
fn constraint_name(measure: &Measure, j: usize) -> String {
    let subject = if measure.subject.is_empty() {
        String::new()
    } else {
        format!(" {}", measure.subject)
    };
    format!("{}{} {} ({})", measure.scope, subject, measure.kpi, j + 1)
}

/// The selection's replications so far: per finalist, the objective and each constraint's
/// values, replication `r` at position `r`.
struct Replications<'a> {
    problem: &'a Problem,
    /// `objective[i][r]`.
    objective: Vec<Vec<f64>>,
    /// `constraints[i][j][r]`.
    constraints: Vec<Vec<Vec<f64>>>,
}

impl<'a> Replications<'a> {
    fn new(problem: &'a Problem, k: usize) -> Self {
        let m = problem.constraints.len();
        Replications {
            problem,
            objective: vec![Vec::new(); k],
            constraints: vec![vec![Vec::new(); m]; k],
        }
    }

    /// How many replications each finalist has.
    fn count(&self) -> u64 {
        self.objective[0].len() as u64
    }

    /// Runs replications `count()..until` of every finalist in one batch, finalist by
    /// finalist, and records them, refusing values that are not finite.
    fn run(&mut self, simulator: &mut dyn Simulator, until: u64) -> Result<(), SelectionError> {
        let from = self.count();
        if until <= from {
            return Ok(());
        }
        let k = self.objective.len();
        let jobs: Vec<(usize, u64)> = (0..k)
            .flat_map(|i| (from..until).map(move |r| (i, r)))
            .collect();
        let samples = simulator.run(&jobs);
        if samples.len() != jobs.len() {
            return Err(SelectionError::Samples {
                asked: jobs.len(),
                returned: samples.len(),
            });
        }
        let m = self.problem.constraints.len();
        for (&(i, r), sample) in jobs.iter().zip(samples) {
            if sample.constraints.len() != m {
                return Err(SelectionError::SampleShape {
                    finalist: i,
                    replication: r,
                    expected: m,
                    returned: sample.constraints.len(),
                });
            }
            let not_finite = |statistic: String, value: f64| SelectionError::NotFinite {
                finalist: i,
                replication: r,
                statistic,
                value,
            };
            if !sample.objective.is_finite() {
                return Err(not_finite("objective".into(), sample.objective));
            }
            self.objective[i].push(sample.objective);
            for (j, &y) in sample.constraints.iter().enumerate() {
                if !y.is_finite() {
                    let name = constraint_name(&self.problem.constraints[j].measure, j);
                    return Err(not_finite(format!("constraint {name}"), y));
                }
                self.constraints[i][j].push(y);
            }
        }
        Ok(())
    }

    /// The largest first-stage standard deviation of a paired objective difference.
    fn largest_paired_sd(&self) -> Result<f64, SelectionError> {
        let k = self.objective.len();
        let mut largest: f64 = 0.0;
        for i in 0..k {
            for l in i + 1..k {
                let differences: Vec<f64> = self.objective[i]
                    .iter()
                    .zip(&self.objective[l])
                    .map(|(x, y)| x - y)
                    .collect();
                let (mean, sd) = mean_and_sd(&differences);
                if !(mean.is_finite() && sd.is_finite()) {
                    return Err(SelectionError::Overflow {
                        finalist: i,
                        statistic: format!("objective's difference from finalist {l}"),
                        quantity: "standard deviation",
                    });
                }
                largest = largest.max(sd);
            }
        }
        Ok(largest)
    }

    /// The summary of `values` at `level`, refusing one that overflowed.
    fn summary(
        values: &[f64],
        level: f64,
        finalist: usize,
        statistic: impl Fn() -> String,
    ) -> Result<Summary, SelectionError> {
        let s = Summary::new(values, level);
        let quantity = if !s.mean.is_finite() {
            "mean"
        } else if !(s.sd.is_finite() && s.half_width.is_none_or(f64::is_finite)) {
            "standard deviation"
        } else {
            return Ok(s);
        };
        Err(SelectionError::Overflow {
            finalist,
            statistic: statistic(),
            quantity,
        })
    }

    /// Finalist `i`'s results: summaries, one-sided bounds (`t[j]` per constraint, first
    /// `first_stage` replications for the spread) and verdicts.
    fn assess(&self, i: usize, first_stage: usize, t: &[f64]) -> Result<Finalist, SelectionError> {
        let objective = Self::summary(
            &self.objective[i],
            self.problem.objective.confidence,
            i,
            || "objective".into(),
        )?;
        let n = self.objective[i].len();
        let mut constraints = Vec::with_capacity(t.len());
        for (j, constraint) in self.problem.constraints.iter().enumerate() {
            let values = &self.constraints[i][j];
            let name = || format!("constraint {}", constraint_name(&constraint.measure, j));
            let summary = Self::summary(values, constraint.confidence, i, name)?;
            let (_, first_sd) = mean_and_sd(&values[..first_stage]);
            let margin = t[j] * first_sd / (n as f64).sqrt();
            let (upper, lower) = (summary.mean + margin, summary.mean - margin);
            if !(upper.is_finite() && lower.is_finite()) {
                return Err(SelectionError::Overflow {
                    finalist: i,
                    statistic: name(),
                    quantity: "confidence bound",
                });
            }
            let (one_sided, verdict) = match constraint.bound {
                Bound::AtMost(b) if upper <= b => (upper, Verdict::Holds),
                Bound::AtMost(b) if lower > b => (upper, Verdict::Fails),
                Bound::AtMost(_) => (upper, Verdict::Undecided),
                Bound::AtLeast(b) if lower >= b => (lower, Verdict::Holds),
                Bound::AtLeast(b) if upper < b => (lower, Verdict::Fails),
                Bound::AtLeast(_) => (lower, Verdict::Undecided),
            };
            constraints.push(ConstraintResult {
                summary,
                one_sided,
                verdict,
            });
        }
        let feasibility = if constraints.iter().any(|c| c.verdict == Verdict::Fails) {
            Feasibility::Infeasible
        } else if constraints.iter().all(|c| c.verdict == Verdict::Holds) {
            Feasibility::Feasible
        } else {
            Feasibility::Undecided
        };
        Ok(Finalist {
            replications: n as u32,
            objective,
            constraints,
            feasibility,
        })
    }

    /// The objective's paired difference finalist `i` − finalist `c` over every replication,
    /// at the objective's confidence.
    fn paired_difference(&self, i: usize, c: usize) -> Result<Summary, SelectionError> {
        let differences: Vec<f64> = self.objective[i]
            .iter()
            .zip(&self.objective[c])
            .map(|(x, y)| x - y)
            .collect();
        Self::summary(&differences, self.problem.objective.confidence, i, || {
            format!("objective's difference from finalist {c}")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::{Constraint, Objective, Term};
    use crate::rng::{extend_key, replication_seed, seeded};
    use crate::sampling::standard_normal;

    fn measure(kpi: &str) -> Measure {
        Measure {
            scope: "system".into(),
            subject: String::new(),
            kpi: kpi.into(),
        }
    }

    fn problem(sense: Sense, indifference: f64, bounds: &[Bound]) -> Problem {
        Problem {
            decisions: Vec::new(),
            objective: Objective {
                terms: vec![Term {
                    measure: measure("cost"),
                    weight: 1.0,
                }],
                sense,
                indifference,
                confidence: 0.95,
            },
            constraints: bounds
                .iter()
                .enumerate()
                .map(|(j, &bound)| Constraint {
                    measure: measure(&format!("target_{j}")),
                    bound,
                    confidence: 0.95,
                })
                .collect(),
        }
    }

    /// A simulator given by a function of (finalist, replication), recording every batch.
    struct Table<F: Fn(usize, u64) -> Sample> {
        sample: F,
        batches: Vec<Vec<(usize, u64)>>,
    }

    impl<F: Fn(usize, u64) -> Sample> Table<F> {
        fn new(sample: F) -> Self {
            Table {
                sample,
                batches: Vec::new(),
            }
        }
    }

    impl<F: Fn(usize, u64) -> Sample> Simulator for Table<F> {
        fn run(&mut self, jobs: &[(usize, u64)]) -> Vec<Sample> {
            self.batches.push(jobs.to_vec());
            jobs.iter().map(|&(i, r)| (self.sample)(i, r)).collect()
        }
    }

    /// Normal outputs with known means: the objective of finalist `i` in replication `r` is
    /// `means[i] + common_sd · Z_r + own_sd · E_ir`, where `Z_r` is shared by every
    /// finalist's replication `r` (common random numbers) and `E_ir` is its own; each
    /// constraint's statistic is `constraint_means[i][j] + 0.5 Z_r + E'_ijr`. Every draw is
    /// keyed by (seed, r, i), so batching does not change the values.
    struct Synthetic {
        seed: u64,
        means: Vec<f64>,
        common_sd: f64,
        own_sd: f64,
        constraint_means: Vec<Vec<f64>>,
    }

    impl Synthetic {
        /// Shared and own components both with sd 1.
        fn unit(seed: u64, means: &[f64], constraint_means: &[&[f64]]) -> Synthetic {
            Synthetic {
                seed,
                means: means.to_vec(),
                common_sd: 1.0,
                own_sd: 1.0,
                constraint_means: constraint_means.iter().map(|c| c.to_vec()).collect(),
            }
        }
    }

    impl Simulator for Synthetic {
        fn run(&mut self, jobs: &[(usize, u64)]) -> Vec<Sample> {
            jobs.iter()
                .map(|&(i, r)| {
                    let key = replication_seed(self.seed, r);
                    let common = standard_normal(&mut seeded(key));
                    let mut own = seeded(extend_key(key, i as u64 + 1));
                    let objective = self.means[i]
                        + self.common_sd * common
                        + self.own_sd * standard_normal(&mut own);
                    let constraints = self.constraint_means[i]
                        .iter()
                        .map(|m| m + 0.5 * common + standard_normal(&mut own))
                        .collect();
                    Sample {
                        objective,
                        constraints,
                        terms: Vec::new(),
                    }
                })
                .collect()
        }
    }

    fn sample(objective: f64, constraints: &[f64]) -> Sample {
        Sample {
            objective,
            constraints: constraints.to_vec(),
            terms: Vec::new(),
        }
    }

    /// Two finalists, first-stage objectives (1, 2, 3) and (2, 4, 3): paired differences
    /// (−1, −2, 0), variance 1; one pair, h = t(0.95, 2) = 2.919986, δ = 0.5, so
    /// N = ⌈(2.919986 / 0.5)²⌉ = ⌈34.105⌉ = 35.
    #[test]
    fn sample_sizes_check_by_hand() {
        let first = [[1.0, 2.0, 3.0], [2.0, 4.0, 3.0]];
        let mut sim = Table::new(|i, r| {
            let x = if r < 3 {
                first[i][r as usize]
            } else {
                i as f64
            };
            sample(x, &[1.0 + (r % 3) as f64])
        });
        let p = problem(Sense::Minimise, 0.5, &[Bound::AtMost(3.5)]);
        let s = select(&p, 2, 3, 1000, &mut sim).unwrap();
        assert_eq!(s.guarantee.needed, 35);
        assert_eq!((s.guarantee.run, s.guarantee.met), (35, true));
        assert_eq!(s.replications, 70);
        // Stage 1: r = 0..3 of both; stage 2: r = 3..35 of both, the same indices.
        assert_eq!(sim.batches.len(), 2);
        let stage: Vec<(usize, u64)> = (0..2).flat_map(|i| (0..3).map(move |r| (i, r))).collect();
        assert_eq!(sim.batches[0], stage);
        let stage: Vec<(usize, u64)> = (0..2).flat_map(|i| (3..35).map(move |r| (i, r))).collect();
        assert_eq!(sim.batches[1], stage);
        // The constraint cycles 1, 2, 3: over 35 replications 12 ones, 12 twos and 11
        // threes, mean 69/35; first-stage sd 1; level 1 − 0.05/2, t(0.975, 2) = 4.302653.
        assert!((s.constraint_levels[0] - 0.975).abs() < 1e-12);
        let c = &s.finalists[0].constraints[0];
        let upper = 69.0 / 35.0 + 4.302653 / 35f64.sqrt();
        assert!((c.one_sided - upper).abs() < 1e-5, "{}", c.one_sided);
        assert_eq!(c.verdict, Verdict::Holds);
        // Finalist 0 returns 0 from replication 3 on, finalist 1 returns 1: 0 is cheaper.
        assert_eq!(s.chosen, Some(0));
        assert_eq!(s.runners_up.len(), 1);
        let (runner, difference) = s.runners_up[0];
        assert_eq!(runner, 1);
        // Differences: 1, 2, 0, then 32 ones: mean 35/35.
        assert!((difference.mean - 1.0).abs() < 1e-12);
        assert_eq!(difference.n, 35);

        // Three finalists: three pairs, h = t(1 − 0.05/3, 2) = 5.339; the largest paired
        // variance is that of (1, 2, 3) − (0, 0, 0): 1; N = ⌈(5.339 / 0.5)²⌉ = 115 (114.02).
        let first = [[1.0, 2.0, 3.0], [2.0, 4.0, 3.0], [0.0, 0.0, 0.0]];
        let mut sim =
            Table::new(|i, r| sample(if r < 3 { first[i][r as usize] } else { 0.0 }, &[]));
        let p = problem(Sense::Minimise, 0.5, &[]);
        let s = select(&p, 3, 3, 1000, &mut sim).unwrap();
        let h = t_upper(0.05 / 3.0, 2);
        assert!((h - 5.3393).abs() < 1e-3, "{h}");
        assert_eq!(s.guarantee.needed, (h * h / 0.25).ceil() as u64);
        assert_eq!(s.guarantee.needed, 115);
    }

    /// Runs `macro_replications` independent selections and counts how often the
    /// guarantee's event happened: the chosen finalist is truly feasible and its true mean
    /// within δ of the best true mean among those shown feasible. Returns (that share, the
    /// share choosing `best`, the share where some infeasible finalist was shown feasible,
    /// the mean replications per finalist).
    fn coverage(
        synthetic: impl Fn(u64) -> Synthetic,
        p: &Problem,
        k: usize,
        best: usize,
        macro_replications: u64,
    ) -> (f64, f64, f64, f64) {
        let (mut good, mut correct, mut wrongly, mut replications) = (0u64, 0u64, 0u64, 0u64);
        for m in 0..macro_replications {
            let mut sim = synthetic(m);
            let s = select(p, k, 10, 100_000, &mut sim).unwrap();
            assert!(s.guarantee.met);
            replications += s.guarantee.run;
            let truly_feasible = |i: usize| {
                p.constraints
                    .iter()
                    .zip(&sim.constraint_means[i])
                    .all(|(c, &mean)| match c.bound {
                        Bound::AtMost(b) => mean <= b,
                        Bound::AtLeast(b) => mean >= b,
                    })
            };
            let shown: Vec<usize> = (0..k)
                .filter(|&i| s.finalists[i].feasibility == Feasibility::Feasible)
                .collect();
            wrongly += u64::from(!shown.iter().all(|&i| truly_feasible(i)));
            let event = match s.chosen {
                None => true,
                Some(c) => {
                    // Minimising: the best true mean shown feasible.
                    let best_shown = shown
                        .iter()
                        .map(|&i| sim.means[i])
                        .fold(f64::INFINITY, f64::min);
                    shown.iter().all(|&i| truly_feasible(i))
                        && sim.means[c] < best_shown + p.objective.indifference
                }
            };
            good += u64::from(event);
            correct += u64::from(s.chosen == Some(best));
        }
        let n = macro_replications as f64;
        let share = |count: u64| count as f64 / n;
        (
            share(good),
            share(correct),
            share(wrongly),
            share(replications),
        )
    }

    /// The guarantee measured: 1,000 independent selections among five finalists: the best
    /// feasible one exactly δ better than three other feasible ones (the slippage
    /// configuration, least favourable for the objective), and one cheaper still whose
    /// constraint mean is a hair above its bound (least favourable for feasibility). The
    /// guarantee's event must happen at least 1 − α − (1 − c) = 90% of the time, and an
    /// infeasible finalist be shown feasible at most 1 − c = 5% of the time; without the
    /// second stage the best feasible one is found far less often.
    #[test]
    fn the_guarantee_holds_in_the_least_favourable_configuration() {
        let k = 5;
        let p = problem(Sense::Minimise, 1.0, &[Bound::AtMost(0.0)]);
        let synthetic = |seed: u64| Synthetic {
            seed: 1_000_000 + seed,
            // Finalist 0 is cheapest but breaks the constraint by a hair; finalist 1 is the
            // best feasible; 2–4 are δ worse.
            means: vec![-1.0, 0.0, 1.0, 1.0, 1.0],
            common_sd: 2.0,
            own_sd: 2.0,
            constraint_means: vec![vec![1e-6], vec![-1.0], vec![-1.0], vec![-1.0], vec![-1.0]],
        };
        let (good, correct, wrongly, n) = coverage(synthetic, &p, k, 1, 1000);
        println!(
            "least favourable, 5 finalists, δ = 1, 1 − α = 0.95, c = 0.95: guarantee's event \
             {good:.3} (promised ≥ 0.900), best feasible chosen {correct:.3}, infeasible \
             shown feasible {wrongly:.3} (promised ≤ 0.05), {n:.1} replications per finalist"
        );
        assert!(good >= 0.90, "{good}");
        assert!(wrongly <= 0.05, "{wrongly}");
        assert!(correct >= 0.90, "{correct}");

        // The same configuration, first stage only (as the search would choose): the best
        // feasible finalist (by the first 10 replications' means among those truly
        // feasible) is found far less often, so the test above has teeth.
        let mut naive = 0;
        for m in 0..1000 {
            let mut sim = synthetic(m);
            let jobs: Vec<(usize, u64)> =
                (1..k).flat_map(|i| (0..10).map(move |r| (i, r))).collect();
            let samples = sim.run(&jobs);
            let means: Vec<f64> = samples
                .chunks(10)
                .map(|c| c.iter().map(|s| s.objective).sum::<f64>() / 10.0)
                .collect();
            naive += usize::from(means[1..].iter().all(|&m| m > means[0]));
        }
        println!(
            "first stage only: best feasible chosen {:.3}",
            naive as f64 / 1000.0
        );
        assert!(naive < 800, "{naive}");
    }

    /// Without constraints, in the slippage configuration, with and without common random
    /// numbers: the probability of a correct selection is at least 1 − α = 0.95 either way,
    /// and CRN (a large shared component) needs fewer replications.
    #[test]
    fn correct_selection_with_and_without_common_random_numbers() {
        let k = 5;
        let p = problem(Sense::Maximise, 1.0, &[]);
        let mut figures = Vec::new();
        for (common_sd, own_sd) in [(3.0, 1.0), (0.0, 2.0)] {
            // Maximising: finalist 2 is exactly δ better than the rest.
            let synthetic = |seed: u64| Synthetic {
                seed: 2_000_000 + seed,
                means: vec![0.0, 0.0, 1.0, 0.0, 0.0],
                common_sd,
                own_sd,
                constraint_means: vec![Vec::new(); 5],
            };
            // `coverage` measures the minimising event; check the maximising one directly.
            let mut correct = 0u64;
            let mut replications = 0u64;
            for m in 0..1000 {
                let s = select(&p, k, 10, 100_000, &mut synthetic(m)).unwrap();
                correct += u64::from(s.chosen == Some(2));
                replications += s.guarantee.run;
                assert_eq!(s.runners_up.len(), 4);
            }
            let (pcs, n) = (correct as f64 / 1000.0, replications as f64 / 1000.0);
            println!(
                "slippage, 5 finalists, shared sd {common_sd}, own sd {own_sd}: correct \
                 selection {pcs:.3} (promised ≥ 0.95), {n:.1} replications per finalist"
            );
            assert!(pcs >= 0.95, "{pcs}");
            figures.push(n);
        }
        // Paired differences have sd √2 with CRN (own sd 1) and 2√2 without.
        assert!(figures[0] < figures[1] / 2.0, "{figures:?}");
    }

    #[test]
    fn the_best_objective_is_infeasible_so_the_next_is_chosen() {
        // Finalist 0 is cheapest but its constraint mean (2) is far above the bound (1).
        let mut sim = Synthetic::unit(7, &[0.0, 5.0, 10.0], &[&[2.0], &[-2.0], &[-2.0]]);
        let p = problem(Sense::Minimise, 1.0, &[Bound::AtMost(1.0)]);
        let s = select(&p, 3, 10, 1000, &mut sim).unwrap();
        assert_eq!(s.finalists[0].feasibility, Feasibility::Infeasible);
        assert_eq!(s.finalists[0].constraints[0].verdict, Verdict::Fails);
        assert_eq!(s.chosen, Some(1));
        assert_eq!(s.runners_up.len(), 1);
        assert_eq!(s.runners_up[0].0, 2);
        assert!((s.runners_up[0].1.mean - 5.0).abs() < 1.0);
    }

    #[test]
    fn nothing_feasible_chooses_nothing() {
        // Finalist 0 fails the ≥ constraint; finalist 1 sits on it: undecided.
        let mut sim = Synthetic::unit(8, &[0.0, 1.0], &[&[-5.0], &[0.0]]);
        let p = problem(Sense::Minimise, 1.0, &[Bound::AtLeast(0.0)]);
        let s = select(&p, 2, 10, 1000, &mut sim).unwrap();
        assert_eq!(s.finalists[0].feasibility, Feasibility::Infeasible);
        assert_eq!(s.finalists[1].feasibility, Feasibility::Undecided);
        assert_eq!(s.finalists[1].constraints[0].verdict, Verdict::Undecided);
        // `≥`: the one-sided bound is the lower one.
        let c = &s.finalists[1].constraints[0];
        assert!(c.one_sided < c.summary.mean);
        assert_eq!(s.chosen, None);
        assert!(s.runners_up.is_empty());
    }

    #[test]
    fn a_capped_second_stage_voids_the_guarantee() {
        let mut sim = Synthetic {
            seed: 9,
            means: vec![0.0, 0.1, 0.2],
            common_sd: 0.0,
            own_sd: 5.0,
            constraint_means: vec![Vec::new(); 3],
        };
        let p = problem(Sense::Minimise, 0.1, &[]);
        let s = select(&p, 3, 10, 50, &mut sim).unwrap();
        assert!(!s.guarantee.met);
        assert!(s.guarantee.needed > 50, "{}", s.guarantee.needed);
        assert_eq!(s.guarantee.run, 50);
        assert_eq!(s.replications, 150);
        assert!(s.finalists.iter().all(|f| f.replications == 50));
        assert!(s.chosen.is_some());
        assert!((s.guarantee.probability - 0.95).abs() < 1e-12);
    }

    #[test]
    fn one_finalist_needs_no_second_stage() {
        let mut sim = Synthetic::unit(10, &[3.0], &[&[-3.0]]);
        let p = problem(Sense::Minimise, 0.01, &[Bound::AtMost(0.0)]);
        let s = select(&p, 1, 5, 5, &mut sim).unwrap();
        assert_eq!((s.guarantee.needed, s.replications), (5, 5));
        assert!(s.guarantee.met);
        assert_eq!(s.chosen, Some(0));
        assert!(s.runners_up.is_empty());
    }

    #[test]
    fn identical_samples_need_no_second_stage_and_give_no_nan() {
        // Each finalist returns the same values every replication; the constraint sits
        // exactly on its bound with no spread, so it is known to hold.
        let mut sim = Table::new(|i, _| sample(10.0 - i as f64, &[2.0]));
        let p = problem(Sense::Minimise, 0.5, &[Bound::AtMost(2.0)]);
        let s = select(&p, 4, 3, 1000, &mut sim).unwrap();
        assert_eq!((s.guarantee.needed, s.guarantee.run), (3, 3));
        assert_eq!(sim.batches.len(), 1);
        assert_eq!(s.chosen, Some(3));
        for f in &s.finalists {
            assert_eq!(f.objective.sd, 0.0);
            assert_eq!(f.constraints[0].one_sided, 2.0);
            assert_eq!(f.feasibility, Feasibility::Feasible);
        }
        let order: Vec<usize> = s.runners_up.iter().map(|r| r.0).collect();
        assert_eq!(order, [2, 1, 0]);
        assert_eq!(s.runners_up[0].1.mean, 1.0);
        // Exact ties keep the finalists' order.
        let mut sim = Table::new(|_, _| sample(1.0, &[]));
        let s = select(&problem(Sense::Maximise, 0.5, &[]), 3, 2, 2, &mut sim).unwrap();
        assert_eq!(s.chosen, Some(0));
    }

    #[test]
    fn the_same_seed_gives_the_same_selection() {
        let make = || Synthetic::unit(11, &[0.0, 0.5, 1.0], &[&[-1.0], &[-1.0], &[-1.0]]);
        let p = problem(Sense::Minimise, 0.5, &[Bound::AtMost(0.0)]);
        let a = select(&p, 3, 10, 1000, &mut make()).unwrap();
        let b = select(&p, 3, 10, 1000, &mut make()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn inputs_the_procedure_cannot_use_are_refused() {
        let p = problem(Sense::Minimise, 1.0, &[Bound::AtMost(0.0)]);
        let mut sim = Table::new(|_, _| sample(0.0, &[0.0]));
        let err = |p: &Problem, k, n0, max, sim: &mut dyn Simulator| {
            select(p, k, n0, max, sim).unwrap_err()
        };
        assert_eq!(err(&p, 0, 10, 10, &mut sim), SelectionError::NoFinalists);
        for n0 in [0, 1] {
            let e = err(&p, 2, n0, 10, &mut sim);
            assert_eq!(e, SelectionError::FirstStage { first_stage: n0 });
            assert!(e.to_string().contains("at least 2 replications"), "{e}");
        }
        assert!(matches!(
            err(&p, 2, 10, 9, &mut sim),
            SelectionError::Cap { .. }
        ));
        for confidence in [0.5, 1.0, 0.0, f64::NAN, -1.0] {
            let mut q = p.clone();
            q.objective.confidence = confidence;
            assert!(matches!(
                err(&q, 2, 10, 10, &mut sim),
                SelectionError::ObjectiveConfidence { .. }
            ));
            let mut q = p.clone();
            q.constraints[0].confidence = confidence;
            let e = err(&q, 2, 10, 10, &mut sim);
            assert!(matches!(e, SelectionError::ConstraintConfidence { .. }));
            assert!(e.to_string().contains("system target_0 (1)"), "{e}");
        }
        for indifference in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let mut q = p.clone();
            q.objective.indifference = indifference;
            assert!(matches!(
                err(&q, 2, 10, 10, &mut sim),
                SelectionError::Indifference { .. }
            ));
        }
        for bound in [Bound::AtMost(f64::NAN), Bound::AtLeast(f64::NEG_INFINITY)] {
            let mut q = p.clone();
            q.constraints[0].bound = bound;
            assert!(matches!(
                err(&q, 2, 10, 10, &mut sim),
                SelectionError::ConstraintBound { .. }
            ));
        }
        // Nothing was run for any of these.
        assert!(sim.batches.is_empty());
    }

    #[test]
    fn values_that_are_not_finite_are_refused() {
        let p = problem(Sense::Minimise, 1.0, &[Bound::AtMost(0.0)]);
        // In the first stage, the objective.
        let mut sim =
            Table::new(|i, r| sample(if (i, r) == (1, 2) { f64::NAN } else { 0.0 }, &[0.0]));
        let e = select(&p, 2, 5, 100, &mut sim).unwrap_err();
        assert!(
            matches!(
                e,
                SelectionError::NotFinite {
                    finalist: 1,
                    replication: 2,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.to_string().contains("the objective is NaN"), "{e}");
        // In the second stage (which starts at replication 5), a constraint.
        let mut sim = Table::new(|i, r| {
            let y = if r == 5 { f64::INFINITY } else { 0.0 };
            sample(r as f64 * (i as f64 + 1.0) % 7.0, &[y])
        });
        let e = select(&p, 2, 5, 1000, &mut sim).unwrap_err();
        assert!(
            e.to_string()
                .contains("constraint system target_0 (1) is inf"),
            "{e}"
        );
        // Finite but overflowing: paired differences of ±1e308.
        let mut sim = Table::new(|i, r| {
            let x = if (i + r as usize).is_multiple_of(2) {
                1e308
            } else {
                -1e308
            };
            sample(x, &[0.0])
        });
        let e = select(&p, 2, 5, 100, &mut sim).unwrap_err();
        assert!(matches!(e, SelectionError::Overflow { .. }), "{e:?}");
        // Finite constraint values whose spread overflows.
        let mut sim = Table::new(|_, r| {
            sample(
                0.0,
                &[if r.is_multiple_of(2) {
                    1.7e308
                } else {
                    -1.7e308
                }],
            )
        });
        let e = select(&p, 2, 5, 100, &mut sim).unwrap_err();
        assert!(matches!(e, SelectionError::Overflow { .. }), "{e:?}");
        // A δ far too small for the spread: more than 2⁶⁴ replications.
        let mut q = p.clone();
        q.objective.indifference = 1e-300;
        let mut sim = Table::new(|i, r| sample((r as f64) * (i as f64), &[0.0]));
        let e = select(&q, 2, 5, 100, &mut sim).unwrap_err();
        assert!(matches!(e, SelectionError::SampleSize { .. }), "{e:?}");
        assert!(e.to_string().contains("widen the indifference zone"), "{e}");
    }

    #[test]
    fn a_simulator_that_breaks_its_contract_is_reported() {
        let p = problem(Sense::Minimise, 1.0, &[Bound::AtMost(0.0)]);
        let mut short = Table::new(|_, _| sample(0.0, &[]));
        let e = select(&p, 2, 5, 100, &mut short).unwrap_err();
        assert!(matches!(
            e,
            SelectionError::SampleShape {
                expected: 1,
                returned: 0,
                ..
            }
        ));
        struct Empty;
        impl Simulator for Empty {
            fn run(&mut self, _: &[(usize, u64)]) -> Vec<Sample> {
                Vec::new()
            }
        }
        let e = select(&p, 2, 5, 100, &mut Empty).unwrap_err();
        assert_eq!(
            e,
            SelectionError::Samples {
                asked: 10,
                returned: 0
            }
        );
    }

    #[test]
    fn second_stage_size_refuses_what_it_cannot_count() {
        assert_eq!(second_stage_size(1, 10, 0.95, 1.0, 1e300), Ok(10));
        assert_eq!(second_stage_size(2, 10, 0.95, 1.0, 0.0), Ok(10));
        assert!(second_stage_size(2, 10, 0.95, 1.0, f64::NAN).is_err());
        assert!(second_stage_size(2, 10, 0.95, 1e-10, 1e10).is_err());
        // h = t(0.95, 9) = 1.833: (1.833 · 10 / 1)² = 336.0…, so 337.
        assert_eq!(second_stage_size(2, 10, 0.95, 1.0, 10.0), Ok(337));
    }
}
