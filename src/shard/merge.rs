//! Merging shards: check that they make one complete experiment, then rebuild its result.

use super::{Shard, ShardError, ShardFile, ShardResult};
use crate::{Error, Experiment, ExperimentResult, Model, ReplicationResult};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// At most this many missing shards are listed in an error.
const MISSING_LISTED: usize = 20;

/// Merges shards run in memory into the result [`Experiment::run`] would have returned for
/// the same plan: every [`ReplicationResult`] bit-identical, in the same order.
///
/// `seconds` is the sum of the shards' seconds, `threads` the sum of their threads, and
/// `shards` is `Some(N)`.
///
/// # Errors
///
/// [`Error::Shard`] naming the problem if the shards do not make one complete experiment
/// of `experiment`: see [`merge_shard_files`] (the in-memory shards are named `shard K/N`).
pub fn merge_shards(
    experiment: &Experiment,
    shards: &[ShardResult],
) -> Result<ExperimentResult, Error> {
    let labelled: Vec<(String, &ShardResult)> = shards
        .iter()
        .map(|s| (format!("shard {}", s.shard), s))
        .collect();
    merge(experiment, &labelled).map_err(Error::Shard)
}

/// Merges shard files (each with the path it was read from, for messages) into the result a
/// run of the whole experiment in one go returns (see [`merge_shards`]), after checking that
/// they belong together and to `experiment`, loaded from the scenario folder `scenario`:
///
/// - every file ran on the scenario files `scenario` holds now (same
///   [`input_hash`](crate::scenario::input_hash));
/// - every file has the experiment's variants and base seed, and the same seeding,
///   replications and shard count as the others;
/// - every shard 1..=N is there, each once, and each holds exactly its pairs, each once, each
///   fitting the scenario (its services).
///
/// [`ShardFile::read`] has already checked the format and careflow versions. If the shards
/// ran with another base seed than the scenario's (`--seed`), set the experiment's seed to
/// theirs first.
///
/// # Example
///
/// ```
/// use careflow::{Experiment, Plan, Shard, ShardFile, merge_shard_files};
/// use std::path::Path;
///
/// let scenario = Path::new("scenarios/erlang_b_ward");
/// let mut experiment = Experiment::load(scenario)?;
/// experiment.variants_mut()[0].model.settings_mut().horizon_days = 100.0;
/// let plan = Plan::replications(3);
/// let dir = tempfile::tempdir().unwrap();
/// for k in 1..=2 {
///     let result = experiment.run_shard(&plan, Shard::new(k, 2)?)?;
///     ShardFile::new(scenario, result)?.write(dir.path())?;
/// }
/// let mut files = Vec::new();
/// for path in careflow::shard::find_shard_files(dir.path())? {
///     files.push((path.clone(), ShardFile::read(&path)?));
/// }
/// let merged = merge_shard_files(&experiment, scenario, &files)?;
/// assert_eq!(merged.results, experiment.run(&plan).results);
/// // Without shard 2 the set is incomplete.
/// let e = merge_shard_files(&experiment, scenario, &files[..1]).unwrap_err();
/// assert!(e.to_string().contains("shard 2 of 2 missing"), "{e}");
/// # Ok::<(), careflow::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Shard`] for the first problem found, naming the file(s); [`Error::Scenario`] if
/// `scenario` cannot be read to hash it.
pub fn merge_shard_files(
    experiment: &Experiment,
    scenario: &Path,
    files: &[(PathBuf, ShardFile)],
) -> Result<ExperimentResult, Error> {
    let expected_hash = crate::scenario::input_hash(scenario)?;
    let mut labelled = Vec::with_capacity(files.len());
    for (path, file) in files {
        if file.scenario_hash != expected_hash {
            return Err(Error::Shard(ShardError::Scenario {
                file: path.display().to_string(),
                scenario: scenario.to_path_buf(),
                found: file.scenario_hash.clone(),
                expected: expected_hash,
            }));
        }
        labelled.push((path.display().to_string(), &file.result));
    }
    merge(experiment, &labelled).map_err(Error::Shard)
}

fn merge(
    experiment: &Experiment,
    shards: &[(String, &ShardResult)],
) -> Result<ExperimentResult, ShardError> {
    let Some(&(ref first_label, first)) = shards.first() else {
        return Err(ShardError::NoShardFiles {
            searched: Vec::new(),
        });
    };
    let names: Vec<String> = experiment
        .variants()
        .iter()
        .map(|v| v.name.clone())
        .collect();
    let count = first.shard.count();
    let replications = first.replications;
    for (label, shard) in shards {
        if shard.variants != names {
            return Err(ShardError::Variants {
                file: label.clone(),
                found: shard.variants.clone(),
                expected: names,
            });
        }
        let mismatch = |what, found: String, expected: String| ShardError::Mismatch {
            file: label.clone(),
            other: first_label.clone(),
            what,
            found,
            expected,
        };
        if shard.seed != first.seed {
            return Err(mismatch(
                "base seed",
                shard.seed.to_string(),
                first.seed.to_string(),
            ));
        }
        if shard.seeds != first.seeds {
            return Err(mismatch(
                "seeding",
                format!("{:?}", shard.seeds),
                format!("{:?}", first.seeds),
            ));
        }
        if shard.replications != replications {
            return Err(mismatch(
                "replications",
                shard.replications.to_string(),
                replications.to_string(),
            ));
        }
        if shard.shard.count() != count {
            return Err(mismatch(
                "shard count",
                shard.shard.count().to_string(),
                count.to_string(),
            ));
        }
    }
    let base_seed = experiment.baseline().settings().seed;
    if first.seed != base_seed {
        return Err(ShardError::Seed {
            file: first_label.clone(),
            found: first.seed,
            expected: base_seed,
        });
    }
    if replications == 0 {
        return Err(ShardError::NoReplications);
    }

    // Each shard once, and all of them. (Sizes come from files, so nothing is allocated by
    // the shard count or the number of replications until the records are known to match.)
    let mut by_index: BTreeMap<u32, &str> = BTreeMap::new();
    for (label, shard) in shards {
        if let Some(previous) = by_index.insert(shard.shard.index(), label) {
            return Err(ShardError::DuplicateShard {
                shard: shard.shard,
                first: previous.to_owned(),
                second: label.clone(),
            });
        }
    }
    if by_index.len() < count as usize {
        let missing: Vec<u32> = (1..=count)
            .filter(|k| !by_index.contains_key(k))
            .take(MISSING_LISTED)
            .collect();
        return Err(ShardError::MissingShards {
            missing,
            missing_count: count - by_index.len() as u32,
            count,
            found: shards.len(),
        });
    }

    // Each shard holds exactly its pairs, each once.
    let variant_name = |v: u32| -> String {
        names
            .get(v as usize)
            .cloned()
            .unwrap_or_else(|| format!("#{v}"))
    };
    let per_variant = u64::from(replications);
    let total = names.len() as u64 * per_variant;
    let mut results: Vec<(u64, &ReplicationResult)> = Vec::new();
    for (label, shard) in shards {
        let mut held = HashSet::with_capacity(shard.records.len());
        for record in &shard.records {
            let (v, r) = (record.variant, record.result.replication);
            let in_range = (v as usize) < names.len() && r < per_variant;
            let job = u64::from(v) * per_variant + r;
            if !in_range || !shard.shard.owns(job) {
                return Err(ShardError::ForeignRecord {
                    file: label.clone(),
                    variant: variant_name(v),
                    replication: r,
                    belongs: in_range.then(|| Shard::of_job(job, count)),
                });
            }
            if !held.insert(job) {
                return Err(ShardError::DuplicateRecord {
                    file: label.clone(),
                    variant: variant_name(v),
                    replication: r,
                });
            }
            let model = &experiment.variants()[v as usize].model;
            if let Err(problem) = fits(model, &record.result) {
                return Err(ShardError::Invalid {
                    file: label.clone(),
                    variant: variant_name(v),
                    replication: r,
                    problem,
                });
            }
            results.push((job, &record.result));
        }
        // Its pairs are jobs K-1, K-1+N, … below the total; the first one not held is missing.
        let first = u64::from(shard.shard.index() - 1);
        if let Some(job) = (first..total)
            .step_by(count as usize)
            .find(|job| !held.contains(job))
        {
            return Err(ShardError::MissingRecord {
                file: label.clone(),
                variant: names[(job / per_variant) as usize].clone(),
                replication: job % per_variant,
            });
        }
    }
    // Every pair is now held exactly once: sorting by pair number gives variant-major order.
    results.sort_unstable_by_key(|&(job, _)| job);
    let mut by_variant: Vec<Vec<ReplicationResult>> = vec![Vec::new(); names.len()];
    for (job, result) in results {
        by_variant[(job / per_variant) as usize].push(result.clone());
    }
    Ok(ExperimentResult {
        names,
        results: by_variant,
        seeds: first.seeds,
        precision: None,
        seconds: shards.iter().map(|(_, s)| s.seconds).sum(),
        threads: shards.iter().map(|(_, s)| s.threads as usize).sum(),
        shards: Some(count),
    })
}

/// Checks that `result` could have come from `model`: one result per service and per entry
/// service, and every service id in range, so that reports can index by them.
fn fits(model: &Model, result: &ReplicationResult) -> Result<(), String> {
    let n = model.services().len();
    if result.services.len() != n {
        return Err(format!(
            "{} service results, but the scenario has {n} services",
            result.services.len()
        ));
    }
    let entries = model.entry_services();
    if result.entries.len() != entries.len()
        || result
            .entries
            .iter()
            .zip(&entries)
            .any(|(e, id)| e.service != *id)
    {
        return Err("its entry services are not the scenario's".to_owned());
    }
    let ids = result
        .services
        .iter()
        .map(|s| s.service)
        .chain(result.delays.iter().flat_map(|d| [d.held_at, d.awaiting]))
        .chain(
            result
                .fallbacks
                .iter()
                .flat_map(|f| [f.preferred, f.fallback]),
        )
        .chain(result.step_ups.iter().map(|s| s.service))
        .chain(result.daily.iter().map(|d| d.service))
        .chain(
            result
                .deadlocks
                .iter()
                .flat_map(|d| d.services.iter().copied()),
        );
    let streams = model.arrivals().len();
    if let Some(s) = result.step_ups.iter().find(|s| s.stream.index() >= streams) {
        return Err(format!(
            "arrival stream number {} does not exist (the scenario has {streams})",
            s.stream.index()
        ));
    }
    for id in ids {
        if id.index() >= n {
            return Err(format!(
                "service number {} does not exist (the scenario has {n})",
                id.index()
            ));
        }
    }
    Ok(())
}
