//! INTERIM, to be deleted at merge: a stand-in for the selection procedure of
//! [`selection`](super::selection) (helper o-select), with the same names and signatures
//! (`select`, `Selection`, `Finalist`, `second_stage_size`), so that `optimise()` compiles
//! and is tested meanwhile. At merge, `interim_selection::` becomes `selection::` in
//! `mod.rs` and `SelectionError` converts into [`Error`].
//!
//! It runs the same two stages (Nelson & Matejcik 1995 on common random numbers: first stage
//! `first_stage` replications of every finalist; one second-stage size for all from the
//! largest variance of paired differences, Bonferroni over all pairs; Bonferroni over
//! finalists for feasibility), without the selection module's checks and documentation.

use super::evaluation::{largest_paired_sd, summarise};
use super::outcome::{ConstraintResult, Feasibility, Guarantee, Phase};
use super::selection::{Sample, Simulator};
use super::{Problem, Sense};
use crate::summary::t_quantile;
use crate::{Error, Summary};

/// The stand-in's error: the selection module's `SelectionError` in the merged code.
pub(crate) type SelectionError = Error;

/// One finalist's results in the selection.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finalist {
    /// Replications run on it (the same for every finalist).
    pub(crate) replications: u32,
    /// The objective's mean and two-sided interval at the objective's confidence.
    pub(crate) objective: Summary,
    /// One per constraint, in the problem's order.
    pub(crate) constraints: Vec<ConstraintResult>,
    /// Whether it was shown to meet every constraint.
    pub(crate) feasibility: Feasibility,
}

/// What the selection found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Selection {
    /// One per finalist, in the order given.
    pub(crate) finalists: Vec<Finalist>,
    /// The chosen finalist; `None` when none was shown feasible.
    pub(crate) chosen: Option<usize>,
    /// The other finalists shown feasible, best first, with the paired difference
    /// runner-up − chosen.
    pub(crate) runners_up: Vec<(usize, Summary)>,
    /// The promise, and whether it was kept.
    pub(crate) guarantee: Guarantee,
    /// Replications run in all.
    pub(crate) replications: u64,
}

/// Selects among `finalists` configurations (the simulator's `0..finalists`).
pub(crate) fn select(
    problem: &Problem,
    finalists: usize,
    first_stage: u32,
    max_replications: u32,
    simulator: &mut dyn Simulator,
) -> Result<Selection, SelectionError> {
    let k = finalists;
    let n0 = u64::from(first_stage);
    let jobs = |from: u64, to: u64| -> Vec<(usize, u64)> {
        (0..k)
            .flat_map(|i| (from..to).map(move |r| (i, r)))
            .collect()
    };
    let mut samples: Vec<Vec<Sample>> = split(simulator.run(&jobs(0, n0)), k);
    let o = &problem.objective;
    let needed = second_stage_size(
        k,
        first_stage,
        o.confidence,
        o.indifference,
        largest_paired_sd(&samples),
    )?;
    let n = needed.min(u64::from(max_replications));
    if n > n0 {
        let more = split(simulator.run(&jobs(n0, n)), k);
        for (all, more) in samples.iter_mut().zip(more) {
            all.extend(more);
        }
    }
    let finalists: Vec<Finalist> = samples
        .iter()
        .map(|s| {
            let e = summarise(problem, Vec::new(), Phase::Selection, s, k);
            Finalist {
                replications: e.replications,
                objective: e.objective,
                constraints: e.constraints,
                feasibility: e.feasibility,
            }
        })
        .collect();
    let key = |i: usize| match o.sense {
        Sense::Minimise => finalists[i].objective.mean,
        Sense::Maximise => -finalists[i].objective.mean,
    };
    let mut feasible: Vec<usize> = (0..k)
        .filter(|&i| finalists[i].feasibility == Feasibility::Feasible)
        .collect();
    feasible.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
    let chosen = feasible.first().copied();
    let runners_up = chosen.map_or(Vec::new(), |c| {
        feasible[1..]
            .iter()
            .map(|&i| {
                let d: Vec<f64> = samples[i]
                    .iter()
                    .zip(&samples[c])
                    .map(|(a, b)| a.objective - b.objective)
                    .collect();
                (i, Summary::new(&d, o.confidence))
            })
            .collect()
    });
    let constraints_risk: f64 = problem.constraints.iter().map(|c| 1.0 - c.confidence).sum();
    Ok(Selection {
        finalists,
        chosen,
        runners_up,
        guarantee: Guarantee {
            probability: o.confidence - constraints_risk,
            feasibility: 1.0 - constraints_risk,
            indifference: o.indifference,
            needed,
            run: n,
            met: needed == n,
        },
        replications: k as u64 * n,
    })
}

/// The replications per finalist the procedure asks for among `finalists` configurations
/// whose largest first-stage standard deviation of a paired objective difference is
/// `largest_sd`: `max(n₀, ⌈(h · largest_sd / δ)²⌉)`, `h = t(1 − α/p, n₀ − 1)`,
/// `p = k(k − 1)/2`.
pub(crate) fn second_stage_size(
    finalists: usize,
    first_stage: u32,
    confidence: f64,
    indifference: f64,
    largest_sd: f64,
) -> Result<u64, SelectionError> {
    let n0 = u64::from(first_stage);
    if finalists < 2 {
        return Ok(n0);
    }
    let pairs = finalists as f64 * (finalists as f64 - 1.0) / 2.0;
    // The one-sided quantile at 1 − α/p is a side of the two-sided interval at 1 − 2α/p.
    let h = t_quantile(
        1.0 - 2.0 * (1.0 - confidence) / pairs,
        first_stage as usize - 1,
    );
    let size = (h * largest_sd / indifference).powi(2).ceil();
    if !size.is_finite() || size >= 18_446_744_073_709_551_616.0 {
        return Err(Error::Usage(format!(
            "the indifference zone {indifference} is too small for the objective's spread"
        )));
    }
    Ok((size as u64).max(n0))
}

/// Splits samples of jobs `(i, r)`, `i` slowest, into one list per configuration.
fn split(samples: Vec<Sample>, systems: usize) -> Vec<Vec<Sample>> {
    let per = samples.len() / systems.max(1);
    samples.chunks(per.max(1)).map(<[Sample]>::to_vec).collect()
}
