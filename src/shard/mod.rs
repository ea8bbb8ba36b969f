//! Shards: one experiment split into pieces that run on different machines (for example as a
//! Slurm job array), then merged into the result a single machine would have produced.
//!
//! An experiment is a list of (variant, replication) pairs, each an independent job whose
//! seed comes from the base seed and the replication index only. A [`Shard`] `K/N` takes
//! every `N`-th pair of that list, starting at pair `K − 1` (round robin over variant 0's
//! replications, then variant 1's, and so on), so shards differ by at most one pair and a slow
//! variant is spread over all of them. [`Experiment::run_shard`](crate::Experiment::run_shard)
//! runs one shard; [`ShardFile`] writes it with what the merge needs to check it
//! (careflow version, scenario hash, variants, seeds, replications, shard K/N); and
//! [`merge_shard_files`] (or [`merge_shards`] in memory) checks that the set is complete and
//! consistent and rebuilds the [`ExperimentResult`](crate::ExperimentResult), bit for bit the
//! one [`Experiment::run`](crate::Experiment::run) returns, so every report file written from
//! it is byte-identical to a run in one go (except `run.csv`, which records time and threads,
//! and the minute `report.html` says it was generated).
//!
//! A plan with a precision target cannot be sharded: how many replications it needs is only
//! known as it runs.

mod error;
mod file;
mod merge;

pub use error::ShardError;
pub use file::{FORMAT, ShardFile, find_shard_files};
pub use merge::{merge_shard_files, merge_shards};

use crate::{ReplicationResult, Seeds};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Shard `index` of `count` (`1 ≤ index ≤ count`): which (variant, replication) pairs of an
/// experiment one machine runs.
///
/// # Example
///
/// ```
/// use careflow::Shard;
///
/// let shard: Shard = "2/3".parse()?;
/// assert_eq!((shard.index(), shard.count()), (2, 3));
/// // Two variants × four replications: pairs 1, 4 and 7 of the eight.
/// assert_eq!(shard.jobs(2, 4), [(0, 1), (1, 0), (1, 3)]);
/// assert!("0/3".parse::<Shard>().is_err());
/// # Ok::<(), careflow::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ShardFields")]
pub struct Shard {
    index: u32,
    count: u32,
}

/// A shard as stored, checked by [`Shard::new`] when read.
#[derive(Deserialize)]
struct ShardFields {
    index: u32,
    count: u32,
}

impl TryFrom<ShardFields> for Shard {
    type Error = ShardError;

    fn try_from(fields: ShardFields) -> Result<Shard, ShardError> {
        Shard::new(fields.index, fields.count)
    }
}

impl Shard {
    /// Shard `index` of `count`, numbered from 1 (as Slurm numbers array tasks from 1 when
    /// asked to, and as people count).
    ///
    /// # Errors
    ///
    /// [`ShardError::Spec`] unless `1 ≤ index ≤ count`.
    pub fn new(index: u32, count: u32) -> Result<Shard, ShardError> {
        if index >= 1 && index <= count {
            Ok(Shard { index, count })
        } else {
            Err(ShardError::Spec {
                found: format!("{index}/{count}"),
            })
        }
    }

    /// The whole experiment as one shard, `1/1`.
    pub fn whole() -> Shard {
        Shard { index: 1, count: 1 }
    }

    /// `K`, from 1.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// `N`, the number of shards.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Whether pair number `job` of the flattened list (variant `v`, replication `r` is
    /// `v × replications + r`) belongs to this shard.
    pub fn owns(&self, job: u64) -> bool {
        job % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// The shard of `count` that runs pair number `job`.
    ///
    /// # Panics
    ///
    /// If `count` is 0.
    pub fn of_job(job: u64, count: u32) -> Shard {
        assert!(count > 0, "there is at least one shard");
        let index = (job % u64::from(count)) as u32 + 1;
        Shard { index, count }
    }

    /// This shard's (variant, replication) pairs for `variants` variants of `replications`
    /// replications each, in order. Empty when there are fewer pairs than shards and this is
    /// one of the spare ones.
    pub fn jobs(&self, variants: usize, replications: u32) -> Vec<(usize, u64)> {
        let per_variant = u64::from(replications);
        let total = variants as u64 * per_variant;
        (u64::from(self.index - 1)..total)
            .step_by(self.count as usize)
            .map(|job| ((job / per_variant) as usize, job % per_variant))
            .collect()
    }
}

impl fmt::Display for Shard {
    /// `K/N`, as parsed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    /// Parses `K/N`, e.g. `3/8`: shard 3 of 8, with `1 ≤ K ≤ N`.
    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let spec = || ShardError::Spec {
            found: s.to_owned(),
        };
        let (k, n) = s.trim().split_once('/').ok_or_else(spec)?;
        let k: u32 = k.trim().parse().map_err(|_| spec())?;
        let n: u32 = n.trim().parse().map_err(|_| spec())?;
        Shard::new(k, n).map_err(|_| spec())
    }
}

/// One (variant, replication) pair's result in a shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardRecord {
    /// Index of the variant: 0 for the baseline, then in the experiment's order.
    pub variant: u32,
    /// Its result; `result.replication` is the replication index.
    pub result: ReplicationResult,
}

/// What one shard of an experiment produced, with what a merge needs to check it belongs
/// with the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardResult {
    /// Which shard.
    pub shard: Shard,
    /// Variant names of the whole experiment, baseline first.
    pub variants: Vec<String>,
    /// Base seed of the experiment (the baseline's `seed` setting when it ran).
    pub seed: u64,
    /// Seeding across variants.
    pub seeds: Seeds,
    /// Replications per variant in the whole experiment.
    pub replications: u32,
    /// This shard's pairs, in the order of [`Shard::jobs`].
    pub records: Vec<ShardRecord>,
    /// Wall-clock seconds the shard took.
    pub seconds: f64,
    /// Worker threads in the pool that ran it.
    pub threads: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_pairs_and_balance() {
        for variants in 1..5 {
            for replications in 1..12 {
                for count in 1..15 {
                    let mut seen = vec![0; variants * replications as usize];
                    let mut sizes = Vec::new();
                    for index in 1..=count {
                        let shard = Shard::new(index, count).unwrap();
                        let jobs = shard.jobs(variants, replications);
                        sizes.push(jobs.len());
                        for (v, r) in jobs {
                            let job = v as u64 * u64::from(replications) + r;
                            assert!(shard.owns(job));
                            assert_eq!(Shard::of_job(job, count), shard);
                            seen[job as usize] += 1;
                        }
                    }
                    assert!(seen.iter().all(|&n| n == 1));
                    let (min, max) = (sizes.iter().min(), sizes.iter().max());
                    assert!(max.unwrap() - min.unwrap() <= 1, "{sizes:?}");
                }
            }
        }
    }

    #[test]
    fn impossible_shards_do_not_deserialize() {
        #[derive(Serialize)]
        struct Fields {
            index: u32,
            count: u32,
        }
        let decode = |index, count| {
            let mut bytes = Vec::new();
            ciborium::into_writer(&Fields { index, count }, &mut bytes).unwrap();
            ciborium::from_reader::<Shard, _>(bytes.as_slice())
        };
        assert_eq!(decode(2, 3).unwrap(), Shard::new(2, 3).unwrap());
        for (index, count) in [(0, 3), (4, 3), (0, 0)] {
            let e = decode(index, count).unwrap_err().to_string();
            assert!(e.contains("expected K/N"), "{e}");
        }
    }

    #[test]
    fn specs_parse_with_clear_errors() {
        assert_eq!("3/8".parse::<Shard>().unwrap(), Shard::new(3, 8).unwrap());
        assert_eq!(" 1 / 1 ".parse::<Shard>().unwrap(), Shard::whole());
        assert_eq!(Shard::new(3, 8).unwrap().to_string(), "3/8");
        for bad in ["", "3", "0/8", "9/8", "3/0", "a/8", "3/8/1", "-1/8", "3/"] {
            let e = bad.parse::<Shard>().unwrap_err().to_string();
            assert!(e.contains("expected K/N"), "{bad}: {e}");
            assert!(e.contains(&format!("{bad:?}")), "{bad}: {e}");
        }
    }
}
