//! INTERIM, to be replaced at merge by the selection procedure of
//! [`selection`](super::selection) (helper o-select), which provides `select` and
//! `replications_needed` with these signatures and documents the method and its guarantee.
//! This stand-in only keeps the capacity-planning driver compiling and tested meanwhile: a
//! two-stage procedure in the style of Nelson & Matejcik (1995) on common random numbers
//! (first stage `first_stage` replications of every finalist; a common second-stage size from
//! the largest variance of paired differences; Bonferroni over finalists for feasibility).

use super::evaluation::summarise;
use super::outcome::{Evaluation, Feasibility, Phase, RunnerUp};
use super::selection::{Sample, Simulator};
use super::{Problem, Sense};
use crate::Summary;
use crate::summary::t_quantile;

/// What the selection found among the finalists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Selection {
    /// One per finalist, in the order given, phase [`Phase::Selection`], with empty `values`
    /// (the caller knows them).
    pub(crate) evaluations: Vec<Evaluation>,
    /// The chosen finalist; `None` when none was shown feasible.
    pub(crate) chosen: Option<usize>,
    /// The other finalists shown feasible, best first; [`RunnerUp::evaluation`] is a
    /// finalist's index, the difference runner-up minus chosen over the same replications.
    pub(crate) runners_up: Vec<RunnerUp>,
    /// Whether the guarantee holds: false when `max_replications` capped the second stage.
    pub(crate) guarantee: bool,
}

/// Selects among `finalists` configurations (the simulator's configurations
/// `0..finalists`), running replications `0..` of each on common random numbers.
pub(crate) fn select(
    problem: &Problem,
    finalists: usize,
    first_stage: u32,
    max_replications: u32,
    simulator: &mut dyn Simulator,
) -> Selection {
    let n0 = u64::from(first_stage);
    let jobs = |from: u64, to: u64| -> Vec<(usize, u64)> {
        (0..finalists)
            .flat_map(|i| (from..to).map(move |r| (i, r)))
            .collect()
    };
    let mut samples: Vec<Vec<Sample>> = split(simulator.run(&jobs(0, n0)), finalists);
    let (n, capped) = common_size(problem, finalists, &samples, first_stage, max_replications);
    if u64::from(n) > n0 {
        let more = split(simulator.run(&jobs(n0, u64::from(n))), finalists);
        for (all, more) in samples.iter_mut().zip(more) {
            all.extend(more);
        }
    }
    let evaluations: Vec<Evaluation> = samples
        .iter()
        .map(|s| summarise(problem, Vec::new(), Phase::Selection, s, finalists))
        .collect();
    let key = |i: usize| match problem.objective.sense {
        Sense::Minimise => evaluations[i].objective.mean,
        Sense::Maximise => -evaluations[i].objective.mean,
    };
    let mut feasible: Vec<usize> = (0..finalists)
        .filter(|&i| evaluations[i].feasibility == Feasibility::Feasible)
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
                RunnerUp {
                    evaluation: i,
                    difference: Summary::new(&d, problem.objective.confidence),
                }
            })
            .collect()
    });
    Selection {
        evaluations,
        chosen,
        runners_up,
        guarantee: !capped,
    }
}

/// The replications the selection would spend on `systems` configurations whose first-stage
/// samples (the same replications of each) are `first_stage` (those not given are assumed
/// to need as many as those given).
pub(crate) fn replications_needed(
    problem: &Problem,
    systems: usize,
    first_stage: &[Vec<Sample>],
    max_replications: u32,
) -> u64 {
    let n0 = first_stage.first().map_or(2, Vec::len) as u32;
    let (n, _) = common_size(problem, systems, first_stage, n0, max_replications);
    systems as u64 * u64::from(n)
}

/// Splits samples of jobs `(i, r)`, `i` slowest, into one list per configuration.
fn split(samples: Vec<Sample>, systems: usize) -> Vec<Vec<Sample>> {
    let per = samples.len() / systems.max(1);
    samples.chunks(per.max(1)).map(<[Sample]>::to_vec).collect()
}

/// The common number of replications `max(n0, ⌈(h·S/δ)²⌉)`, with `S²` the largest sample
/// variance of paired objective differences and `h` the one-sided Student-t quantile at
/// `1 − α/(k − 1)`; capped at `max_replications` (and whether it was).
fn common_size(
    problem: &Problem,
    systems: usize,
    samples: &[Vec<Sample>],
    first_stage: u32,
    max_replications: u32,
) -> (u32, bool) {
    if systems < 2 || samples.len() < 2 {
        return (first_stage, false);
    }
    let alpha = 1.0 - problem.objective.confidence;
    let h = t_quantile(
        1.0 - 2.0 * alpha / (systems - 1) as f64,
        first_stage as usize - 1,
    );
    let mut s2: f64 = 0.0;
    for (i, a) in samples.iter().enumerate() {
        for b in &samples[i + 1..] {
            let d: Vec<f64> = a
                .iter()
                .zip(b)
                .map(|(x, y)| x.objective - y.objective)
                .collect();
            let sd = Summary::new(&d, 0.5).sd;
            s2 = s2.max(sd * sd);
        }
    }
    let delta = problem.objective.indifference;
    let needed = (h * h * s2 / (delta * delta)).ceil();
    let cap = max_replications.max(first_stage);
    if needed > f64::from(cap) {
        (cap, true)
    } else {
        ((needed as u32).max(first_stage), false)
    }
}
