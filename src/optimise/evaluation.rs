//! Evaluating configurations: each lattice point's model (the scenario folder, the variant's
//! `variants.csv` overrides and one override per decision), its replications run in parallel
//! on common random numbers, and each replication's [`Sample`] and summary.

use super::selection::Simulator;
use super::{
    Bound, Constraint, ConstraintResult, Evaluation, Feasibility, Measure, Phase, Problem,
    Progress, Sample, Verdict,
};
use crate::ledger::check_replication_money;
use crate::observation::statistic_value;
use crate::scenario::{CellOverride, Override, load_on_variant, variant_rows};
use crate::summary::t_quantile;
use crate::{Error, Model, ReplicationResult, Summary, Workspace};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The replication index of the selection's first replication: the selection runs
/// replications `SELECTION_BASE + i`, fresh ones, so that its guarantee does not depend on
/// what the search saw (the search runs `0..first_stage`).
pub(crate) const SELECTION_BASE: u64 = 1 << 32;

/// What errors in a decision's override name as their file; the line is the decision's
/// 1-based position in the problem.
const DECISION_ORIGIN: &str = "decisions";

/// A configuration: one index per decision into its levels (0 is the decision's `min`).
pub(crate) type Point = Vec<usize>;

/// Runs configurations of one problem under one variant: loads (once) and keeps each
/// configuration's model, runs batches of (configuration, replication) jobs in parallel and
/// reports progress.
pub(crate) struct Evaluator<'a> {
    dir: &'a Path,
    variant: &'a str,
    problem: &'a Problem,
    /// The variant's rows of `variants.csv`.
    rows: Vec<CellOverride>,
    /// The configurations loaded so far, in order (a configuration's id is its index), with
    /// their models unless released.
    points: Vec<Point>,
    models: Vec<Option<Model>>,
    /// Each configuration's decision values in words.
    descriptions: Vec<String>,
    /// Each configuration loaded, with its id (its index in `models`).
    index: HashMap<Point, usize>,
    progress: &'a (dyn Fn(&Progress) + Sync),
    /// Replications run so far.
    pub(crate) replications: u64,
    /// What the next progress reports say besides the replications.
    pub(crate) phase: Phase,
    pub(crate) evaluated: usize,
    pub(crate) best: Option<(Vec<f64>, f64)>,
}

impl std::fmt::Debug for Evaluator<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evaluator")
            .field("variant", &self.variant)
            .field("configurations", &self.models.len())
            .field("replications", &self.replications)
            .finish_non_exhaustive()
    }
}

impl<'a> Evaluator<'a> {
    /// An evaluator of `problem` over the scenario folder at `dir` under its variant
    /// `variant`.
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] if `variants.csv` has problems; [`Error::Usage`] if the variant is
    /// not in it, or one of its rows sets a decision's cell.
    pub(crate) fn new(
        dir: &'a Path,
        variant: &'a str,
        problem: &'a Problem,
        progress: &'a (dyn Fn(&Progress) + Sync),
    ) -> Result<Evaluator<'a>, Error> {
        let rows = variant_rows(dir, variant)
            .map_err(Error::Scenario)?
            .ok_or_else(|| {
                Error::Usage(format!(
                    "no variant '{variant}' in {}: name 'baseline' or a variant of that file",
                    dir.join("variants.csv").display()
                ))
            })?;
        for row in &rows {
            if let Some(d) = problem
                .decisions
                .iter()
                .find(|d| d.file == row.file && d.row == row.row && d.column == row.column)
            {
                return Err(Error::Usage(format!(
                    "variant '{variant}' sets {} row '{}' column '{}' ({}:{}), the cell of the \
                     decision '{}': the optimisation sets a decision's cell at every level, so \
                     a variant may not; remove the one or the other",
                    row.file,
                    row.row,
                    row.column,
                    row.origin.display(),
                    row.line,
                    d.name
                )));
            }
        }
        Ok(Evaluator {
            dir,
            variant,
            problem,
            rows,
            points: Vec::new(),
            models: Vec::new(),
            descriptions: Vec::new(),
            index: HashMap::new(),
            progress,
            replications: 0,
            phase: Phase::Search,
            evaluated: 0,
            best: None,
        })
    }

    /// The decision values of `point`.
    pub(crate) fn values(&self, point: &[usize]) -> Vec<f64> {
        self.problem
            .decisions
            .iter()
            .zip(point)
            .map(|(d, &k)| d.value(k))
            .collect()
    }

    /// The configuration's decision values in words, e.g. `community_beds = 70, d2a_beds = 10`.
    pub(crate) fn describe(&self, values: &[f64]) -> String {
        describe(self.problem, values)
    }

    /// The id of the configuration `point`, its model loaded (once, unless released).
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] if the decisions' values do not load.
    pub(crate) fn configuration(&mut self, point: &[usize]) -> Result<usize, Error> {
        let id = match self.index.get(point) {
            Some(&id) => id,
            None => {
                let id = self.points.len();
                self.points.push(point.to_vec());
                self.models.push(None);
                self.descriptions.push(self.describe(&self.values(point)));
                self.index.insert(point.to_vec(), id);
                id
            }
        };
        if self.models[id].is_none() {
            self.models[id] = Some(self.load(id)?);
        }
        Ok(id)
    }

    /// The model of the configuration `id`: the folder with the variant's rows and one
    /// override per decision.
    fn load(&self, id: usize) -> Result<Model, Error> {
        let values = self.values(&self.points[id]);
        let overrides: Vec<Override> = self
            .problem
            .decisions
            .iter()
            .zip(&values)
            .map(|(d, v)| Override::new(&d.file, &d.row, &d.column, cell_text(*v)))
            .collect();
        let label = format!("{} with {}", self.variant, self.descriptions[id]);
        load_on_variant(self.dir, &label, &self.rows, &overrides, DECISION_ORIGIN)
            .map(|(model, _)| model)
            .map_err(Error::Scenario)
    }

    /// The model of the configuration `id`.
    ///
    /// # Errors
    ///
    /// As [`configuration`](Self::configuration), if it was released.
    pub(crate) fn model(&mut self, id: usize) -> Result<&Model, Error> {
        let point = self.points[id].clone();
        self.configuration(&point)?;
        Ok(self.models[id].as_ref().expect("loaded by configuration"))
    }

    /// Releases the model of the configuration `id`, so that memory does not grow with the
    /// configurations evaluated; it is loaded again if needed.
    pub(crate) fn release(&mut self, id: usize) {
        self.models[id] = None;
    }

    /// The samples of `jobs` (configuration id, replication), in order, run in one parallel
    /// batch; each replication depends only on its model and index, so the result is the same
    /// on any number of threads. Progress is reported after each replication.
    ///
    /// # Errors
    ///
    /// [`Error::MoneyNotFinite`] or [`Error::NotFinite`] for the first job (in order) with a
    /// money amount or a sample value that is not finite.
    pub(crate) fn run(&mut self, jobs: &[(usize, u64)]) -> Result<Vec<Sample>, Error> {
        for &(id, _) in jobs {
            self.model(id)?;
        }
        let done = AtomicU64::new(self.replications);
        let this = &*self;
        let samples: Vec<Result<Sample, Error>> = jobs
            .par_iter()
            .map_init(Workspace::new, |workspace, &(id, r)| {
                let model = this.models[id].as_ref().expect("loaded above");
                let result = workspace.run(model, r);
                let sample = this.sample(id, &result);
                let replications = done.fetch_add(1, Ordering::Relaxed) + 1;
                (this.progress)(&Progress {
                    replications,
                    evaluated: this.evaluated,
                    phase: this.phase,
                    best: this.best.clone(),
                });
                sample
            })
            .collect();
        self.replications += jobs.len() as u64;
        samples.into_iter().collect()
    }

    /// Reports progress: the replications run so far, and what the search has found.
    pub(crate) fn report(&self) {
        (self.progress)(&Progress {
            replications: self.replications,
            evaluated: self.evaluated,
            phase: self.phase,
            best: self.best.clone(),
        });
    }

    /// The sample of `result`, a replication of the configuration `id`, its money checked.
    fn sample(&self, id: usize, result: &ReplicationResult) -> Result<Sample, Error> {
        let model = self.models[id].as_ref().expect("loaded by run");
        let configuration = &self.descriptions[id];
        check_replication_money(
            model,
            &format!("{} with {configuration}", self.variant),
            result,
        )?;
        let not_finite = |what: String, value: f64, cause: &'static str| Error::NotFinite {
            variant: self.variant.to_owned(),
            configuration: configuration.clone(),
            replication: result.replication,
            what,
            value,
            cause,
        };
        let statistic = |m: &Measure| -> Result<f64, Error> {
            let value = measure_value(model, result, m)?;
            if value.is_finite() {
                Ok(value)
            } else {
                Err(not_finite(
                    format!("the statistic {}", describe_measure(m)),
                    value,
                    "statistics are kept finite, so this is a careflow bug: please report it \
                     with the scenario",
                ))
            }
        };
        let terms = self
            .problem
            .objective
            .terms
            .iter()
            .map(|t| statistic(&t.measure))
            .collect::<Result<Vec<f64>, Error>>()?;
        let objective: f64 = (self.problem.objective.terms.iter())
            .zip(&terms)
            .map(|(t, v)| t.weight * v)
            .sum();
        if !objective.is_finite() {
            return Err(not_finite(
                "the objective".to_owned(),
                objective,
                "a weight times its statistic, or their sum, overflowed: make the weights \
                 smaller",
            ));
        }
        let constraints = self
            .problem
            .constraints
            .iter()
            .map(|c| statistic(&c.measure))
            .collect::<Result<Vec<f64>, Error>>()?;
        Ok(Sample {
            objective,
            constraints,
            terms,
        })
    }
}

/// The value of `measure` in `result`, a replication of `model`.
///
/// # Errors
///
/// [`Error::Usage`] if the measure is not one of the model's statistics.
pub(crate) fn measure_value(
    model: &Model,
    result: &ReplicationResult,
    measure: &Measure,
) -> Result<f64, Error> {
    statistic_value(
        model,
        result,
        &measure.scope,
        &measure.subject,
        &measure.kpi,
    )
    .ok_or_else(|| {
        Error::Usage(format!(
            "{} is not a statistic of this scenario (names as in summary.csv and \
                 finance.csv)",
            describe_measure(measure)
        ))
    })
}

/// A decision's value as written into its cell: the shortest decimal text that reads back as
/// the value (`0.3`, `70`), never `-0`.
fn cell_text(value: f64) -> String {
    if value == 0.0 {
        "0".to_owned()
    } else {
        value.to_string()
    }
}

/// A configuration's decision values in words, e.g. `community_beds = 70, d2a_beds = 10`.
pub(crate) fn describe(problem: &Problem, values: &[f64]) -> String {
    problem
        .decisions
        .iter()
        .zip(values)
        .map(|(d, v)| format!("{} = {}", d.name, cell_text(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A statistic in words, as named in the output files: `service acute mean_queue`,
/// `finance (whole system) capacity_costs`.
pub(crate) fn describe_measure(m: &Measure) -> String {
    match (m.scope.as_str(), m.subject.is_empty()) {
        ("finance", true) => format!("finance (whole system) {}", m.kpi),
        (_, true) => format!("{} {}", m.scope, m.kpi),
        (_, false) => format!("{} {} {}", m.scope, m.subject, m.kpi),
    }
}

/// A constraint in words, e.g. `entry ed share_over_threshold <= 0.24`.
pub(crate) fn describe_constraint(c: &Constraint) -> String {
    let (operator, bound) = match c.bound {
        Bound::AtMost(b) => ("<=", b),
        Bound::AtLeast(b) => (">=", b),
    };
    format!("{} {operator} {bound}", describe_measure(&c.measure))
}

/// The evaluation of one configuration with decision values `values` from its `samples` in
/// `phase`. Each constraint's verdict compares a one-sided Student-t bound at its confidence,
/// Bonferroni-adjusted over `comparisons` simultaneous statements (1 for a configuration on
/// its own), with the bound: the upper bound for `AtMost` (holds if at most the bound; fails
/// if the lower bound is above it), the lower bound for `AtLeast`.
///
/// # Panics
///
/// If `samples` has fewer than two samples, or `comparisons` is 0.
pub(crate) fn summarise(
    problem: &Problem,
    values: Vec<f64>,
    phase: Phase,
    samples: &[Sample],
    comparisons: usize,
) -> Evaluation {
    assert!(samples.len() >= 2 && comparisons > 0);
    let objective: Vec<f64> = samples.iter().map(|s| s.objective).collect();
    let constraints: Vec<ConstraintResult> = problem
        .constraints
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let values: Vec<f64> = samples.iter().map(|s| s.constraints[j]).collect();
            constraint_result(c, &values, comparisons)
        })
        .collect();
    let feasibility = feasibility(&constraints);
    Evaluation {
        values,
        phase,
        replications: samples.len() as u32,
        objective: Summary::new(&objective, problem.objective.confidence),
        terms: term_summaries(problem, samples),
        constraints,
        feasibility,
    }
}

/// Each objective term's statistic summarised over `samples`, at the objective's confidence.
pub(crate) fn term_summaries(problem: &Problem, samples: &[Sample]) -> Vec<Summary> {
    (0..problem.objective.terms.len())
        .map(|t| {
            let values: Vec<f64> = samples.iter().map(|s| s.terms[t]).collect();
            Summary::new(&values, problem.objective.confidence)
        })
        .collect()
}

/// One constraint's summary and verdict over `values` (see [`summarise`]).
fn constraint_result(c: &Constraint, values: &[f64], comparisons: usize) -> ConstraintResult {
    let summary = Summary::new(values, c.confidence);
    let confidence = 1.0 - (1.0 - c.confidence) / comparisons as f64;
    // A one-sided bound at `confidence` is a side of the two-sided interval at 2c − 1.
    let t = t_quantile(2.0 * confidence - 1.0, values.len() - 1);
    let margin = t * summary.sd / (values.len() as f64).sqrt();
    let (low, high) = (summary.mean - margin, summary.mean + margin);
    let (one_sided, verdict) = match c.bound {
        Bound::AtMost(b) if high <= b => (high, Verdict::Holds),
        Bound::AtMost(b) if low > b => (high, Verdict::Fails),
        Bound::AtMost(_) => (high, Verdict::Undecided),
        Bound::AtLeast(b) if low >= b => (low, Verdict::Holds),
        Bound::AtLeast(b) if high < b => (low, Verdict::Fails),
        Bound::AtLeast(_) => (low, Verdict::Undecided),
    };
    ConstraintResult {
        summary,
        one_sided,
        verdict,
    }
}

/// Feasible if every constraint holds, infeasible if one fails, else undecided.
fn feasibility(constraints: &[ConstraintResult]) -> Feasibility {
    if constraints.iter().any(|c| c.verdict == Verdict::Fails) {
        Feasibility::Infeasible
    } else if constraints.iter().all(|c| c.verdict == Verdict::Holds) {
        Feasibility::Feasible
    } else {
        Feasibility::Undecided
    }
}

/// The largest sample standard deviation of the paired objective differences of two of
/// `samples` (each configuration's, over the same replications); 0 for fewer than two.
pub(crate) fn largest_paired_sd(samples: &[Vec<Sample>]) -> f64 {
    let mut largest: f64 = 0.0;
    for (i, a) in samples.iter().enumerate() {
        for b in &samples[i + 1..] {
            let d: Vec<f64> = a
                .iter()
                .zip(b)
                .map(|(x, y)| x.objective - y.objective)
                .collect();
            largest = largest.max(Summary::new(&d, 0.5).sd);
        }
    }
    largest
}

/// The selection's view of the finalists: finalist `i` is the configuration
/// `configurations[i]`, and the selection's replication `r` is replication
/// [`SELECTION_BASE`]` + r` of every configuration (common random numbers, fresh seeds).
///
/// The [`Simulator`] trait returns samples, not errors; the first error (a money amount or a
/// sample that is not finite) is kept in `error`, and from then on every job gets a zero
/// sample without being run, so the selection ends quickly and the caller returns the error
/// instead of the selection's result.
pub(crate) struct Finalists<'e, 'a> {
    pub(crate) evaluator: &'e mut Evaluator<'a>,
    pub(crate) configurations: Vec<usize>,
    pub(crate) error: Option<Error>,
    /// Every sample each finalist got, in the order run: the objective terms' summaries come
    /// from these (the selection keeps only what it needs).
    pub(crate) samples: Vec<Vec<Sample>>,
}

impl Simulator for Finalists<'_, '_> {
    fn run(&mut self, jobs: &[(usize, u64)]) -> Vec<Sample> {
        let zero = || Sample {
            objective: 0.0,
            constraints: vec![0.0; self.evaluator.problem.constraints.len()],
            terms: vec![0.0; self.evaluator.problem.objective.terms.len()],
        };
        if self.error.is_some() {
            return jobs.iter().map(|_| zero()).collect();
        }
        let mapped: Vec<(usize, u64)> = jobs
            .iter()
            .map(|&(i, r)| (self.configurations[i], SELECTION_BASE + r))
            .collect();
        match self.evaluator.run(&mapped) {
            Ok(samples) => {
                for (&(i, _), sample) in jobs.iter().zip(&samples) {
                    self.samples[i].push(sample.clone());
                }
                samples
            }
            Err(e) => {
                self.error = Some(e);
                jobs.iter().map(|_| zero()).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_most(bound: f64) -> Constraint {
        Constraint {
            measure: Measure {
                scope: "service".into(),
                subject: "acute".into(),
                kpi: "mean_queue".into(),
            },
            bound: Bound::AtMost(bound),
            confidence: 0.95,
        }
    }

    fn at_least(bound: f64) -> Constraint {
        Constraint {
            bound: Bound::AtLeast(bound),
            ..at_most(0.0)
        }
    }

    #[test]
    fn verdicts_compare_one_sided_bounds() {
        // Mean 2, sd 1, n 3: the one-sided 95% t quantile with 2 degrees of freedom is
        // 2.920, so the bounds are 2 ± 1.686.
        let values = [1.0, 2.0, 3.0];
        let verdict = |c: Constraint, k| constraint_result(&c, &values, k).verdict;
        assert_eq!(verdict(at_most(3.7), 1), Verdict::Holds);
        assert_eq!(verdict(at_most(3.6), 1), Verdict::Undecided);
        assert_eq!(verdict(at_most(0.4), 1), Verdict::Undecided);
        assert_eq!(verdict(at_most(0.3), 1), Verdict::Fails);
        assert_eq!(verdict(at_least(0.3), 1), Verdict::Holds);
        assert_eq!(verdict(at_least(0.4), 1), Verdict::Undecided);
        assert_eq!(verdict(at_least(3.7), 1), Verdict::Fails);
        // Bonferroni over 10 statements: 99.5% one-sided, 9.925 with 2 degrees of freedom.
        assert_eq!(verdict(at_most(3.7), 10), Verdict::Undecided);
        let r = constraint_result(&at_most(3.7), &values, 1);
        assert!((r.one_sided - (2.0 + 2.919_986 / 3f64.sqrt())).abs() < 1e-5);
        assert_eq!(r.summary.level, 0.95);
        let r = constraint_result(&at_least(0.0), &values, 10);
        assert!((r.one_sided - (2.0 - 9.924_843 / 3f64.sqrt())).abs() < 1e-5);
    }

    #[test]
    fn feasible_only_when_every_constraint_holds() {
        let with = |verdicts: &[Verdict]| {
            let r = constraint_result(&at_most(10.0), &[1.0, 2.0], 1);
            let results: Vec<ConstraintResult> = verdicts
                .iter()
                .map(|&verdict| ConstraintResult {
                    verdict,
                    ..r.clone()
                })
                .collect();
            feasibility(&results)
        };
        assert_eq!(with(&[]), Feasibility::Feasible);
        assert_eq!(
            with(&[Verdict::Holds, Verdict::Holds]),
            Feasibility::Feasible
        );
        assert_eq!(
            with(&[Verdict::Holds, Verdict::Undecided]),
            Feasibility::Undecided
        );
        assert_eq!(
            with(&[Verdict::Undecided, Verdict::Fails]),
            Feasibility::Infeasible
        );
    }

    #[test]
    fn cells_get_the_shortest_decimal_text() {
        assert_eq!(cell_text(-0.0), "0");
        assert_eq!(cell_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(cell_text(0.3), "0.3");
        assert_eq!(cell_text(70.0), "70");
        assert_eq!(cell_text(1e15), "1000000000000000");
    }

    #[test]
    fn statistics_are_described_as_in_the_output_files() {
        let m = |scope: &str, subject: &str| Measure {
            scope: scope.into(),
            subject: subject.into(),
            kpi: "k".into(),
        };
        assert_eq!(describe_measure(&m("system", "")), "system k");
        assert_eq!(
            describe_measure(&m("finance", "")),
            "finance (whole system) k"
        );
        assert_eq!(describe_measure(&m("finance", "icb")), "finance icb k");
        assert_eq!(
            describe_constraint(&at_least(-1.5)),
            "service acute mean_queue >= -1.5"
        );
    }
}
