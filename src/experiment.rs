//! Experiments: replications of a baseline and its policy variants, on common random numbers,
//! run in parallel with results identical for any number of threads.

use crate::observation::statistic_value;
use crate::scenario::{EffectiveOverride, Override, load_code_variant, load_variants};
use crate::shard::{Shard, ShardError, ShardRecord, ShardResult};
use crate::{Error, Model, ReplicationResult, Statistic, Summary, Workspace, replication_seed};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A named version of the scenario: the baseline or a policy variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// `baseline` for the scenario as written, else the name from `variants.csv`.
    pub name: String,
    /// The validated model with the variant's overrides applied.
    pub model: Model,
    /// The value each override (from `variants.csv` or
    /// [`Experiment::add_variant_overrides`]) gave its cell; empty for the baseline and for
    /// variants built as models in code ([`Experiment::add_variant`]).
    pub overrides: Vec<EffectiveOverride>,
}

/// A baseline and its variants, to be run on the same replications and compared.
///
/// # Example
///
/// ```
/// use careflow::{Experiment, Plan};
///
/// let mut experiment = Experiment::load("scenarios/erlang_b_ward")?;
/// let mut more_beds = experiment.baseline().clone();
/// more_beds.settings_mut().seed += 0; // same seed: common random numbers
/// experiment.add_variant("same", more_beds)?;
/// for v in experiment.variants_mut() {
///     v.model.settings_mut().horizon_days = 200.0;
/// }
/// let result = experiment.run(&Plan::replications(4));
/// // A variant that changes nothing reproduces the baseline exactly.
/// assert_eq!(result.results[0], result.results[1]);
/// # Ok::<(), careflow::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    variants: Vec<Variant>,
    /// The scenario folder, when loaded from one: what overrides apply to.
    dir: Option<PathBuf>,
}

/// How replications are seeded across variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Seeds {
    /// Replication `r` of every variant uses the same seed: common random numbers, so paired
    /// differences between variants have far less noise. The default.
    #[default]
    Common,
    /// Each variant gets its own seeds, as if run separately. Only useful to measure how much
    /// common random numbers help.
    Independent,
}

/// Keep adding replications until one statistic is known precisely enough.
#[derive(Debug, Clone, PartialEq)]
pub struct Precision {
    /// The statistic, as in the output files: scope (`system`, `service`, `entry`, `finance`),
    /// service (empty for the system; for `finance` the organisation, empty for the whole
    /// system) and KPI name, e.g. `("service", "acute", "delayed_bed_days")` or
    /// `("finance", "acute_trust", "surplus")`. Money is taken over the whole observation
    /// window (its one financial year, or `all`).
    pub kpi: (String, String, String),
    /// Target: confidence-interval half-width at most this share of the mean (e.g. 0.05),
    /// in every variant.
    pub relative_half_width: f64,
    /// Confidence level of that interval.
    pub level: f64,
    /// Stop at this many replications even if the target is not met.
    pub max_replications: u32,
}

impl Precision {
    /// A target for the typed `statistic`: half-width at most `relative_half_width` of the
    /// mean at confidence `level`, at most `max_replications`.
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::{Kpi, Precision, Statistic};
    ///
    /// let p = Precision::of(Statistic::Service("acute", Kpi::DelayedBedDays), 0.05, 0.95, 200);
    /// assert_eq!(p.kpi, ("service".into(), "acute".into(), "delayed_bed_days".into()));
    /// ```
    pub fn of(
        statistic: Statistic<'_>,
        relative_half_width: f64,
        level: f64,
        max_replications: u32,
    ) -> Precision {
        let (scope, service, kpi) = statistic.names();
        Precision {
            kpi: (scope.to_owned(), service.to_owned(), kpi.to_owned()),
            relative_half_width,
            level,
            max_replications,
        }
    }
}

/// What to run: how many replications, how they are seeded, and an optional precision target.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Replications per variant (the first batch, with a precision target).
    pub replications: u32,
    /// Seeding across variants.
    pub seeds: Seeds,
    /// Add batches of `replications` until this is met (or its cap is reached).
    pub precision: Option<Precision>,
}

impl Plan {
    /// `replications` replications per variant on common random numbers.
    pub fn replications(replications: u32) -> Plan {
        Plan {
            replications,
            seeds: Seeds::Common,
            precision: None,
        }
    }
}

/// The replications of every variant, in order, with how the run went.
#[derive(Debug, Clone, PartialEq)]
pub struct ExperimentResult {
    /// Variant names, baseline first.
    pub names: Vec<String>,
    /// `results[v][r]`: replication `r` of variant `v`.
    pub results: Vec<Vec<ReplicationResult>>,
    /// Seeding used.
    pub seeds: Seeds,
    /// The precision target and the relative half-width reached in the worst variant, when
    /// one was set.
    pub precision: Option<(Precision, f64)>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Worker threads in the pool that ran it (for merged shards, summed over the shards).
    pub threads: usize,
    /// `Some(n)` when the result was merged from `n` shards run separately
    /// ([`merge_shards`](crate::merge_shards)); then `seconds` is the sum of the shards'
    /// wall-clock seconds. `None` for a run in one go.
    pub shards: Option<u32>,
}

impl ExperimentResult {
    /// Replications per variant.
    pub fn replications(&self) -> usize {
        self.results.first().map_or(0, Vec::len)
    }
}

impl Experiment {
    /// The baseline of the scenario folder at `dir` and every variant in its `variants.csv`.
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] listing every problem in the baseline files, in `variants.csv`, or
    /// caused by a variant's overrides.
    pub fn load(dir: impl AsRef<Path>) -> Result<Experiment, Error> {
        let variants = load_variants(dir.as_ref()).map_err(Error::Scenario)?;
        Ok(Experiment {
            variants: variants
                .into_iter()
                .map(|(name, model, overrides)| Variant {
                    name,
                    model,
                    overrides,
                })
                .collect(),
            dir: Some(dir.as_ref().to_path_buf()),
        })
    }

    /// An experiment with only a baseline.
    pub fn new(baseline: Model) -> Experiment {
        Experiment {
            variants: vec![Variant {
                name: "baseline".to_owned(),
                model: baseline,
                overrides: Vec::new(),
            }],
            dir: None,
        }
    }

    /// Adds a variant built in code.
    ///
    /// A comparison pairs the variant's statistics with the baseline's over the same days, so
    /// the variant must share the baseline's observation window (`start_date`,
    /// `horizon_days`, `warmup_days`) and `wait_threshold_hours`, as a row of `variants.csv`
    /// must.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] if the name is taken, or the model's window or wait threshold differs
    /// from the baseline's.
    pub fn add_variant(&mut self, name: &str, model: Model) -> Result<&mut Self, Error> {
        self.check_new_name(name)?;
        let (base, new) = (self.baseline().settings(), model.settings());
        let differs = [
            ("start_date", base.start_date != new.start_date),
            ("horizon_days", base.horizon_days != new.horizon_days),
            ("warmup_days", base.warmup_days != new.warmup_days),
            (
                "wait_threshold_hours",
                base.wait_threshold_hours != new.wait_threshold_hours,
            ),
        ];
        if let Some((setting, _)) = differs.iter().find(|(_, d)| *d) {
            return Err(Error::Usage(format!(
                "variant '{name}': its {setting} differs from the baseline's; every variant is \
                 observed over the baseline's window with its wait threshold, so that \
                 differences compare the same days and statistics"
            )));
        }
        self.variants.push(Variant {
            name: name.to_owned(),
            model,
            overrides: Vec::new(),
        });
        Ok(self)
    }

    /// Adds the variant `name`: the scenario folder the experiment was loaded from, as
    /// written, with `overrides` applied — cell overrides exactly as rows of `variants.csv`
    /// give them, absolute or relative (`+10%`), checked the same way with the same messages.
    /// Any cell of any file can be varied: a capacity, a care budget, a length of stay, a
    /// routing probability, a contract term. A problem with an override is reported at file
    /// `overrides`, with the override's 1-based position in `overrides` as its line.
    ///
    /// The overrides apply to the files, not to the baseline model: changes made to the
    /// baseline in code (say through [`variants_mut`](Self::variants_mut)) do not carry over.
    ///
    /// # Example
    ///
    /// An optimiser proposing variants in code:
    ///
    /// ```
    /// use careflow::scenario::Override;
    /// use careflow::{Experiment, Plan};
    ///
    /// let mut experiment = Experiment::load("scenarios/erlang_b_ward")?;
    /// for (name, beds) in [("minus_2", "-2"), ("plus_10_percent", "+10%")] {
    ///     experiment.add_variant_overrides(name, &[Override::new("services.csv", "ward", "capacity", beds)])?;
    /// }
    /// let applied = &experiment.variants()[2].overrides[0];
    /// assert_eq!((applied.baseline.as_str(), applied.effective.as_str()), ("10", "11"));
    /// let result = experiment.run(&Plan::replications(2));
    /// assert_eq!(result.names, ["baseline", "minus_2", "plus_10_percent"]);
    ///
    /// // Checked as variants.csv is: 10 beds * 0.95 is not a whole number of beds.
    /// let error = experiment
    ///     .add_variant_overrides("fewer", &[Override::new("services.csv", "ward", "capacity", "*0.95")])
    ///     .unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     "variant 'fewer': overrides:1: column 'capacity': expected a non-negative integer, \
    ///      found \"9.5\" (the result of \"*0.95\" applied to the baseline's \"10\")"
    /// );
    /// # Ok::<(), careflow::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] if the name is taken or the experiment was not loaded from a folder
    /// ([`Experiment::new`]); [`Error::Scenario`] listing every problem the overrides cause.
    pub fn add_variant_overrides(
        &mut self,
        name: &str,
        overrides: &[Override],
    ) -> Result<&mut Self, Error> {
        let Some(dir) = &self.dir else {
            return Err(Error::Usage(format!(
                "variant '{name}': overrides change cells of a scenario folder's files, and \
                 this experiment was built from a model; load it with Experiment::load, or \
                 add the changed model with add_variant"
            )));
        };
        let (model, overrides) =
            load_code_variant(dir, name, overrides).map_err(Error::Scenario)?;
        self.check_new_name(name)?;
        self.variants.push(Variant {
            name: name.to_owned(),
            model,
            overrides,
        });
        Ok(self)
    }

    /// Refuses a variant name already taken.
    fn check_new_name(&self, name: &str) -> Result<(), Error> {
        if self.variants.iter().any(|v| v.name == name) {
            return Err(Error::Usage(format!("variant '{name}' is defined twice")));
        }
        Ok(())
    }

    /// The scenario as written.
    pub fn baseline(&self) -> &Model {
        &self.variants[0].model
    }

    /// Baseline first, then the variants.
    pub fn variants(&self) -> &[Variant] {
        &self.variants
    }

    /// Mutable access, e.g. to shorten every variant's horizon.
    pub fn variants_mut(&mut self) -> &mut [Variant] {
        &mut self.variants
    }

    /// Runs `plan`. See [`run_with_progress`](Self::run_with_progress).
    pub fn run(&self, plan: &Plan) -> ExperimentResult {
        self.run_with_progress(plan, &|| {})
    }

    /// Runs `plan` on rayon's current thread pool, calling `progress` (from any thread) after
    /// each replication.
    ///
    /// Every (variant, replication) pair is an independent job; results are collected in
    /// order, so the output is bit-identical for any number of threads. Under
    /// [`Seeds::Common`] replication `r` of every variant is seeded from the base seed of the
    /// baseline and `r` only.
    ///
    /// # Panics
    ///
    /// If `plan.replications` is 0, or a precision target names a statistic that does not
    /// exist (check with [`Experiment::has_kpi`]).
    pub fn run_with_progress(&self, plan: &Plan, progress: &(dyn Fn() + Sync)) -> ExperimentResult {
        assert!(
            plan.replications > 0,
            "a plan needs at least one replication"
        );
        let started = Instant::now();
        let models = self.seeded_models(plan.seeds);
        let mut results: Vec<Vec<ReplicationResult>> = vec![Vec::new(); models.len()];
        let mut target = u64::from(plan.replications);
        let mut reached = None;
        loop {
            let done = results[0].len() as u64;
            let jobs: Vec<(usize, u64)> = (0..models.len())
                .flat_map(|v| (done..target).map(move |r| (v, r)))
                .collect();
            let batch: Vec<ReplicationResult> = jobs
                .par_iter()
                .map_init(Workspace::new, |workspace, &(v, r)| {
                    let result = workspace.run(&models[v], r);
                    progress();
                    result
                })
                .collect();
            let per_variant = (target - done) as usize;
            for (v, chunk) in batch.chunks(per_variant).enumerate() {
                results[v].extend_from_slice(chunk);
            }
            let Some(precision) = &plan.precision else {
                break;
            };
            let worst = self.relative_half_width(&results, precision);
            reached = Some((precision.clone(), worst));
            let cap = u64::from(precision.max_replications.max(plan.replications));
            if worst <= precision.relative_half_width || target >= cap {
                break;
            }
            target = (target + u64::from(plan.replications)).min(cap);
        }
        ExperimentResult {
            names: self.variants.iter().map(|v| v.name.clone()).collect(),
            results,
            seeds: plan.seeds,
            precision: reached,
            seconds: started.elapsed().as_secs_f64(),
            threads: rayon::current_num_threads(),
            shards: None,
        }
    }

    /// The variants' models with the seeds `seeds` gives them: under [`Seeds::Common`] every
    /// variant gets the baseline's base seed.
    fn seeded_models(&self, seeds: Seeds) -> Vec<Model> {
        let base_seed = self.baseline().settings().seed;
        self.variants
            .iter()
            .enumerate()
            .map(|(v, variant)| {
                let mut model = variant.model.clone();
                model.settings_mut().seed = match seeds {
                    Seeds::Common => base_seed,
                    Seeds::Independent => replication_seed(base_seed ^ 0x5eed_0f1a_7e00, v as u64),
                };
                model
            })
            .collect()
    }

    /// Runs one shard of `plan`: the (variant, replication) pairs [`Shard::jobs`] assigns to
    /// `shard`, to be merged later with the other shards by
    /// [`merge_shards`](crate::merge_shards). See
    /// [`run_shard_with_progress`](Self::run_shard_with_progress).
    ///
    /// # Errors
    ///
    /// As [`run_shard_with_progress`](Self::run_shard_with_progress).
    pub fn run_shard(&self, plan: &Plan, shard: Shard) -> Result<ShardResult, Error> {
        self.run_shard_with_progress(plan, shard, &|| {})
    }

    /// Runs one shard of `plan` on rayon's current thread pool, calling `progress` (from any
    /// thread) after each replication.
    ///
    /// Each pair is run exactly as [`run_with_progress`](Self::run_with_progress) runs it
    /// (same model, same seed from the base seed and the replication index), so every
    /// [`ReplicationResult`] of a shard is bit-identical to the same one of a run in one go,
    /// whatever machine or thread count runs the shard.
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::{Experiment, Plan, Shard, merge_shards};
    ///
    /// let mut experiment = Experiment::load("scenarios/erlang_b_ward")?;
    /// experiment.variants_mut()[0].model.settings_mut().horizon_days = 100.0;
    /// let plan = Plan::replications(5);
    /// let shards = ["1/2".parse::<Shard>()?, "2/2".parse()?]
    ///     .map(|shard| experiment.run_shard(&plan, shard));
    /// assert_eq!(shards[0].as_ref().unwrap().records.len(), 3); // pairs 0, 2, 4
    /// let merged = merge_shards(&experiment, &shards.map(Result::unwrap))?;
    /// let whole = experiment.run(&plan);
    /// assert_eq!(merged.results, whole.results);
    /// # Ok::<(), careflow::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Shard`] if the plan has a precision target (how many replications it needs is
    /// only known as it runs, so it cannot be split in advance) or no replications.
    pub fn run_shard_with_progress(
        &self,
        plan: &Plan,
        shard: Shard,
        progress: &(dyn Fn() + Sync),
    ) -> Result<ShardResult, Error> {
        if plan.precision.is_some() {
            return Err(Error::Shard(ShardError::PrecisionTarget));
        }
        if plan.replications == 0 {
            return Err(Error::Shard(ShardError::NoReplications));
        }
        let started = Instant::now();
        let models = self.seeded_models(plan.seeds);
        let jobs = shard.jobs(models.len(), plan.replications);
        let records: Vec<ShardRecord> = jobs
            .par_iter()
            .map_init(Workspace::new, |workspace, &(v, r)| {
                let result = workspace.run(&models[v], r);
                progress();
                ShardRecord {
                    variant: v as u32,
                    result,
                }
            })
            .collect();
        Ok(ShardResult {
            shard,
            variants: self.variants.iter().map(|v| v.name.clone()).collect(),
            seed: self.baseline().settings().seed,
            seeds: plan.seeds,
            replications: plan.replications,
            records,
            seconds: started.elapsed().as_secs_f64(),
            threads: rayon::current_num_threads() as u64,
        })
    }

    /// Whether the typed `statistic` is one of this experiment's results: its service exists
    /// (and, for [`Statistic::Entry`], is an entry service).
    pub fn has_statistic(&self, statistic: Statistic<'_>) -> bool {
        has_statistic(self.baseline(), statistic)
    }

    /// Whether `(scope, service, kpi)`, names as typed on a command line, name a statistic
    /// of this experiment's results (money included: scope `finance`). In code,
    /// [`has_statistic`](Self::has_statistic) takes typed names.
    pub fn has_kpi(&self, scope: &str, service: &str, kpi: &str) -> bool {
        has_kpi(self.baseline(), scope, service, kpi)
    }

    /// The largest relative half-width of the precision KPI across variants.
    fn relative_half_width(&self, results: &[Vec<ReplicationResult>], p: &Precision) -> f64 {
        let (scope, service, kpi) = (&p.kpi.0, &p.kpi.1, &p.kpi.2);
        let mut worst: f64 = 0.0;
        for (variant, reps) in self.variants.iter().zip(results) {
            let values: Vec<f64> = reps
                .iter()
                .map(|r| {
                    statistic_value(&variant.model, r, scope, service, kpi)
                        .expect("the precision statistic exists (checked by has_kpi)")
                })
                .collect();
            worst = worst.max(relative(&Summary::new(&values, p.level)));
        }
        worst
    }
}

/// Whether the typed `statistic` is one of `model`'s results: its service exists (and, for
/// [`Statistic::Entry`], is an entry service).
fn has_statistic(model: &Model, statistic: Statistic<'_>) -> bool {
    match statistic {
        Statistic::System(_) => true,
        Statistic::Service(service, _) => model.service_id(service).is_some(),
        Statistic::Entry(service, _) => model
            .service_id(service)
            .is_some_and(|id| model.entry_services().contains(&id)),
        Statistic::Outcome(_) => model.has_outcomes(),
    }
}

/// Whether `(scope, service, kpi)`, names as in the output files, name a statistic of
/// `model`'s results (money included: scope `finance`, when the model books money).
pub(crate) fn has_kpi(model: &Model, scope: &str, service: &str, kpi: &str) -> bool {
    crate::scenario::statistic_problems(model, scope, service, kpi).is_empty()
}

/// The half-width of an interval as a share of its mean (infinite with one replication).
fn relative(s: &Summary) -> f64 {
    match s.half_width {
        None => f64::INFINITY,
        Some(0.0) => 0.0,
        Some(h) => h / s.mean.abs(),
    }
}

/// Runs replications `0..replications` of `model` on rayon's thread pool.
///
/// Results come back in replication order and each depends only on the model and its index,
/// so the output is identical for any number of threads.
///
/// # Example
///
/// ```
/// use careflow::{Model, run_replications};
///
/// let mut model = Model::load("scenarios/erlang_b_ward")?;
/// model.settings_mut().horizon_days = 200.0;
/// let results = run_replications(&model, 4);
/// assert_eq!(results.len(), 4);
/// assert_eq!(results[2].replication, 2);
/// # Ok::<(), careflow::Error>(())
/// ```
pub fn run_replications(model: &Model, replications: u32) -> Vec<ReplicationResult> {
    (0..u64::from(replications))
        .into_par_iter()
        .map_init(Workspace::new, |workspace, r| workspace.run(model, r))
        .collect()
}
