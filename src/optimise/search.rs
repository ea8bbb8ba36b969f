//! The search over the lattice of decision values: exhaustive for small grids, pattern
//! search with paired comparisons for larger ones. It finds finalists; it carries no
//! guarantee (the [`selection`](super::selection) does).
//!
//! # The lattice
//!
//! A configuration is one level of each decision: a point of the lattice
//! `{0, …, L₁ − 1} × … × {0, …, L_D − 1}`, where decision `d` has `L_d` levels and level `k`
//! is the value `min + k · step`. Every configuration the search evaluates gets the same
//! replications `0..first_stage`, on common random numbers (replication `r` of every
//! configuration is seeded from the scenario's seed and `r` only), so the difference of two
//! configurations' means is the mean of their paired, per-replication differences: the
//! comparison sees the effect of the decisions, not the luck of the draw. Each configuration
//! is evaluated once; later visits reuse its replications.
//!
//! # Ordering
//!
//! Configurations are compared by their search replications' means, feasibility first:
//!
//! 1. a configuration meeting every constraint in the mean beats one that does not;
//! 2. of two that do not, the one with the smaller total normalised violation is better: the
//!    sum over constraints of how far the mean is on the wrong side of the bound, divided by
//!    the bound's absolute value (by 1 when the bound is 0); ties by the objective;
//! 3. of two that do, the one with the better objective mean (smaller when minimising).
//!
//! Ties keep the configuration evaluated first, so the search is deterministic.
//!
//! # Exhaustive search
//!
//! When the lattice has at most [`Search::exhaustive_limit`] configurations, every one is
//! evaluated, in one parallel batch.
//!
//! # Pattern search
//!
//! Larger lattices are searched by compass search (a generalised pattern search; Torczon
//! 1997, "On the convergence of pattern search algorithms", SIAM J. Optim. 7:1–25; Kolda,
//! Lewis & Torczon 2003, "Optimization by direct search", SIAM Review 45:385–482), on the
//! integer lattice with a step per decision:
//!
//! - It starts twice: from the centre of the lattice (each decision at level
//!   `⌊(L − 1)/2⌋`) and from the most generous corner (each decision at its `max`: for
//!   capacities, the most places). Both runs share the evaluations.
//! - Each decision's first step is the largest power of two at most `(L − 1)/2` levels
//!   (at least 1).
//! - A poll evaluates, in one parallel batch, the `2D` neighbours: each decision moved one
//!   step down and one step up, stopping at the lattice's edge. If the best neighbour is
//!   better than the current configuration (in the order above), the search moves there and
//!   polls again with the same steps; otherwise every step is halved (down to 1).
//! - When a poll with every step 1 finds no better neighbour, it polls the whole unit box
//!   around the configuration (every decision one level down, the same, or one up:
//!   `3^D − 1` neighbours, for up to five decisions), because trading one capacity for
//!   another is a diagonal move a compass poll never makes; a better one found there is
//!   moved to and polling goes on with steps of 1.
//! - It stops when the box poll finds no better neighbour: the configuration is a local
//!   optimum of the ordering among all its lattice neighbours.
//!
//! Each move is to a strictly better configuration of a finite lattice, so the search ends.
//! It finds a local optimum of the search replications' means; the two starting points, and
//! the finalists carried to the selection, guard against a poor one.
//!
//! # Finalists
//!
//! The [`Search::finalists`] best configurations evaluated, in the order above: those
//! meeting every constraint in the mean by objective, then the nearest to meeting them.

use super::evaluation::{Evaluator, Point, summarise};
use super::{Bound, Evaluation, Feasibility, Phase, Problem, Sample, Search, Sense};
use crate::Error;
use std::cmp::Ordering;
use std::collections::HashMap;

/// What the search found.
#[derive(Debug)]
pub(crate) struct Searched {
    /// `exhaustive` or `pattern`.
    pub(crate) method: &'static str,
    /// Every configuration evaluated, in order of evaluation.
    pub(crate) evaluations: Vec<Evaluation>,
    /// The evaluator's id of each configuration evaluated.
    pub(crate) configurations: Vec<usize>,
    /// The search replications of each configuration evaluated.
    pub(crate) samples: Vec<Vec<Sample>>,
    /// The finalists, best first: indices into `evaluations`.
    pub(crate) finalists: Vec<usize>,
}

/// How good a configuration looks from its search replications: the total normalised
/// violation of the constraints by their means (0 when every mean meets its bound) and the
/// objective's mean, negated when maximising, so that smaller is better in both.
#[derive(Debug, Clone, Copy)]
struct Rank {
    violation: f64,
    objective: f64,
}

impl Rank {
    fn of(problem: &Problem, samples: &[Sample]) -> Rank {
        let n = samples.len() as f64;
        let objective = samples.iter().map(|s| s.objective).sum::<f64>() / n;
        let violation = problem
            .constraints
            .iter()
            .enumerate()
            .map(|(j, c)| {
                let mean = samples.iter().map(|s| s.constraints[j]).sum::<f64>() / n;
                let (excess, bound) = match c.bound {
                    Bound::AtMost(b) => (mean - b, b),
                    Bound::AtLeast(b) => (b - mean, b),
                };
                let scale = if bound == 0.0 { 1.0 } else { bound.abs() };
                excess.max(0.0) / scale
            })
            .sum();
        Rank {
            violation,
            objective: match problem.objective.sense {
                Sense::Minimise => objective,
                Sense::Maximise => -objective,
            },
        }
    }

    /// Feasible first; then the smaller violation; then the better objective.
    fn cmp(&self, other: &Rank) -> Ordering {
        let infeasible = |r: &Rank| r.violation > 0.0;
        infeasible(self)
            .cmp(&infeasible(other))
            .then(self.violation.total_cmp(&other.violation))
            .then(self.objective.total_cmp(&other.objective))
    }
}

/// Searches the lattice of `problem`'s decisions, evaluating configurations with
/// `evaluator`, as the module docs describe.
///
/// # Errors
///
/// As [`Evaluator::configuration`] and [`Evaluator::run`].
pub(crate) fn search(
    evaluator: &mut Evaluator<'_>,
    problem: &Problem,
    search: &Search,
) -> Result<Searched, Error> {
    let levels: Vec<usize> = problem.decisions.iter().map(|d| d.levels()).collect();
    let mut lattice = Lattice {
        evaluator,
        problem,
        first_stage: search.first_stage,
        finalists: search.finalists,
        seen: HashMap::new(),
        ranks: Vec::new(),
        best: Vec::new(),
        found: Searched {
            method: "exhaustive",
            evaluations: Vec::new(),
            configurations: Vec::new(),
            samples: Vec::new(),
            finalists: Vec::new(),
        },
    };
    if grid_size(problem) <= search.exhaustive_limit {
        for points in every_point(&levels).chunks(BATCH) {
            lattice.evaluate(points)?;
        }
    } else {
        lattice.found.method = "pattern";
        let centre: Point = levels.iter().map(|l| (l - 1) / 2).collect();
        let generous: Point = levels.iter().map(|l| l - 1).collect();
        lattice.compass(centre, &levels)?;
        lattice.compass(generous, &levels)?;
    }
    lattice.found.finalists = lattice.best;
    Ok(lattice.found)
}

/// How many configurations the lattice of `problem` has (saturating).
pub(crate) fn grid_size(problem: &Problem) -> usize {
    problem
        .decisions
        .iter()
        .fold(1usize, |n, d| n.saturating_mul(d.levels()))
}

/// Every point of the lattice with `levels`, the last decision changing fastest.
fn every_point(levels: &[usize]) -> Vec<Point> {
    let mut points = vec![Vec::with_capacity(levels.len())];
    for &l in levels {
        points = points
            .into_iter()
            .flat_map(|p| {
                (0..l).map(move |k| {
                    let mut q = p.clone();
                    q.push(k);
                    q
                })
            })
            .collect();
    }
    points
}

/// The largest power of two at most `(levels − 1) / 2`, at least 1.
fn first_step(levels: usize) -> usize {
    let half = ((levels - 1) / 2).max(1);
    1 << half.ilog2()
}

/// Configurations an exhaustive search evaluates in one parallel batch: enough to keep
/// every thread busy, few enough that progress is reported and memory stays bounded.
const BATCH: usize = 256;

/// The search's state: the configurations evaluated so far.
struct Lattice<'e, 'a> {
    evaluator: &'e mut Evaluator<'a>,
    problem: &'e Problem,
    first_stage: u32,
    finalists: usize,
    /// Each point evaluated, with its index in `found`.
    seen: HashMap<Point, usize>,
    ranks: Vec<Rank>,
    /// The best `finalists` configurations so far, best first (indices in `found`): only
    /// their models are kept, for the selection.
    best: Vec<usize>,
    found: Searched,
}

impl Lattice<'_, '_> {
    /// Evaluates the points not yet evaluated, in one parallel batch; the indices (in
    /// `found`) of every point given, in order.
    fn evaluate(&mut self, points: &[Point]) -> Result<Vec<usize>, Error> {
        let mut new: Vec<(Point, usize)> = Vec::new();
        for p in points {
            if !self.seen.contains_key(p) && !new.iter().any(|(q, _)| q == p) {
                new.push((p.clone(), self.evaluator.configuration(p)?));
            }
        }
        let n = u64::from(self.first_stage);
        let jobs: Vec<(usize, u64)> = new
            .iter()
            .flat_map(|&(_, id)| (0..n).map(move |r| (id, r)))
            .collect();
        let samples = self.evaluator.run(&jobs)?;
        for ((point, id), samples) in new.into_iter().zip(samples.chunks(n as usize)) {
            let values = self.evaluator.values(&point);
            let evaluation = summarise(self.problem, values, Phase::Search, samples, 1);
            if evaluation.feasibility == Feasibility::Feasible {
                let better = |best: &(Vec<f64>, f64)| {
                    let m = evaluation.objective.mean;
                    match self.problem.objective.sense {
                        Sense::Minimise => m < best.1,
                        Sense::Maximise => m > best.1,
                    }
                };
                if self.evaluator.best.as_ref().is_none_or(better) {
                    self.evaluator.best =
                        Some((evaluation.values.clone(), evaluation.objective.mean));
                }
            }
            let index = self.ranks.len();
            let rank = Rank::of(self.problem, samples);
            self.seen.insert(point, index);
            self.ranks.push(rank);
            self.found.evaluations.push(evaluation);
            self.found.configurations.push(id);
            self.found.samples.push(samples.to_vec());
            // After the equals already there: the first evaluated stays ahead.
            let at = self
                .best
                .partition_point(|&b| self.ranks[b].cmp(&rank) != Ordering::Greater);
            self.best.insert(at, index);
            if self.best.len() > self.finalists {
                let out = self.best.pop().expect("more than finalists ≥ 1");
                self.evaluator.release(self.found.configurations[out]);
            }
        }
        self.evaluator.evaluated = self.ranks.len();
        self.evaluator.report();
        Ok(points.iter().map(|p| self.seen[p]).collect())
    }

    /// Compass search from `start` (see the module docs).
    fn compass(&mut self, start: Point, levels: &[usize]) -> Result<(), Error> {
        let mut at = self.evaluate(std::slice::from_ref(&start))?[0];
        let mut point = start;
        let mut steps: Vec<usize> = levels.iter().map(|&l| first_step(l)).collect();
        loop {
            let mut neighbours: Vec<Point> = Vec::new();
            for (d, (&step, &l)) in steps.iter().zip(levels).enumerate() {
                for k in [point[d].saturating_sub(step), (point[d] + step).min(l - 1)] {
                    if k != point[d] {
                        let mut q = point.clone();
                        q[d] = k;
                        neighbours.push(q);
                    }
                }
            }
            let found = self.evaluate(&neighbours)?;
            // The first of the best neighbours, if better than where the search is.
            let best = found
                .iter()
                .zip(neighbours)
                .min_by(|a, b| self.ranks[*a.0].cmp(&self.ranks[*b.0]))
                .filter(|(i, _)| self.ranks[**i].cmp(&self.ranks[at]) == Ordering::Less);
            if let Some((&i, q)) = best {
                (at, point) = (i, q);
            } else if steps.iter().all(|&s| s == 1) {
                // A compass poll moves one decision at a time; trading one capacity for
                // another (fewer interim beds, more reablement) is a diagonal move, so a
                // local optimum is confirmed over every neighbour of the unit box.
                match self.box_poll(&point, at, levels)? {
                    Some((i, q)) => (at, point) = (i, q),
                    None => return Ok(()),
                }
            } else {
                for s in &mut steps {
                    *s = (*s / 2).max(1);
                }
            }
        }
    }
}

impl Lattice<'_, '_> {
    /// Polls every neighbour of `point` in the unit box (each decision one level down, the
    /// same or one up; `3^D − 1` points), when there are at most [`MAX_BOX_DECISIONS`]
    /// decisions: the first of the best, if better than `point` (evaluated as `at`).
    fn box_poll(
        &mut self,
        point: &Point,
        at: usize,
        levels: &[usize],
    ) -> Result<Option<(usize, Point)>, Error> {
        if levels.len() > MAX_BOX_DECISIONS {
            return Ok(None);
        }
        let mut neighbours: Vec<Point> = vec![Vec::new()];
        for (&x, &l) in point.iter().zip(levels) {
            let around: Vec<usize> = (x.saturating_sub(1)..=(x + 1).min(l - 1)).collect();
            neighbours = neighbours
                .into_iter()
                .flat_map(|p| {
                    around.iter().map(move |&k| {
                        let mut q = p.clone();
                        q.push(k);
                        q
                    })
                })
                .collect();
        }
        neighbours.retain(|q| q != point);
        let found = self.evaluate(&neighbours)?;
        Ok(found
            .iter()
            .zip(neighbours)
            .min_by(|a, b| self.ranks[*a.0].cmp(&self.ranks[*b.0]))
            .filter(|(i, _)| self.ranks[**i].cmp(&self.ranks[at]) == Ordering::Less)
            .map(|(&i, q)| (i, q)))
    }
}

/// Up to this many decisions the pattern search confirms its end over the whole unit box
/// (`3^5 − 1 = 242` neighbours); above, over the compass neighbours only.
const MAX_BOX_DECISIONS: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_point_enumerates_the_lattice_in_order() {
        let points = every_point(&[2, 3]);
        assert_eq!(
            points,
            [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]].map(|p| p.to_vec())
        );
    }

    #[test]
    fn first_steps_are_powers_of_two_within_half_the_range() {
        let steps: Vec<usize> = [1, 2, 3, 5, 7, 13, 61, 1000].map(first_step).to_vec();
        assert_eq!(steps, [1, 1, 1, 2, 2, 4, 16, 256]);
    }

    #[test]
    fn feasible_beats_infeasible_then_violation_then_objective() {
        let r = |violation, objective| Rank {
            violation,
            objective,
        };
        assert_eq!(r(0.0, 100.0).cmp(&r(0.1, 1.0)), Ordering::Less);
        assert_eq!(r(0.2, 1.0).cmp(&r(0.1, 100.0)), Ordering::Greater);
        assert_eq!(r(0.1, 1.0).cmp(&r(0.1, 2.0)), Ordering::Less);
        assert_eq!(r(0.0, 3.0).cmp(&r(0.0, 2.0)), Ordering::Greater);
    }
}
