//! A shard's replications as a tidy CSV file, for people to read before the merge.

use super::output_file::{OBSERVATION_COLUMNS, OutputFile};
use super::{Pairs, entry_indices, finance_lines, observations};
use crate::{Error, Experiment, ShardFile, ShardResult};
use std::path::{Path, PathBuf};

/// Writes `shard-K-of-N.csv` into `dir` (creating it if needed): one row per (variant,
/// replication, statistic) of the shard, with the columns of `replications.csv`
/// (`variant,replication,scope,service,awaiting,kpi,value`). Returns its path.
///
/// Every row is also a row of the `replications.csv` of the whole experiment run in one go,
/// value for value. Rows of delayed bed-days (scope `delay`) are written for the (service,
/// awaited service) pairs that occur in this shard; the whole run also has rows, with value
/// 0, for pairs that occur only in other shards. Likewise money rows (scope `finance`) are
/// written for the ledger categories with money in this shard.
///
/// # Errors
///
/// [`Error::Usage`] if `shard` has a variant `experiment` lacks; [`Error::Output`] if the file
/// cannot be written (no partial file is left under its name).
pub fn write_shard_csv(
    experiment: &Experiment,
    shard: &ShardResult,
    dir: &Path,
) -> Result<PathBuf, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })?;
    let entries = entry_indices(experiment);
    let pairs = Pairs::of(shard.records.iter().map(|r| &r.result));
    let finance = finance_lines(shard.records.iter().filter_map(|r| {
        let variant = experiment.variants().get(r.variant as usize)?;
        Some((&variant.model, &r.result))
    }));
    let name = ShardFile::file_name(shard.shard).replace(".cbor", ".csv");
    let mut f = OutputFile::create(dir, &name)?;
    f.row(OBSERVATION_COLUMNS)?;
    for record in &shard.records {
        let variant = experiment
            .variants()
            .get(record.variant as usize)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "shard {} has variant number {}, but the experiment has {} variants",
                    shard.shard,
                    record.variant,
                    experiment.variants().len()
                ))
            })?;
        let rep = record.result.replication.to_string();
        for (k, value) in observations(&variant.model, &record.result, &entries, &pairs, &finance) {
            f.observation(&variant.name, &rep, &k, value)?;
        }
    }
    f.finish()
}
