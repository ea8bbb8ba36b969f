//! The crate's error type.

use crate::scenario::ScenarioErrors;
use crate::shard::ShardError;
use std::path::PathBuf;

/// Everything that can go wrong in careflow.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The scenario folder has problems; every one found is listed.
    #[error("{0}")]
    Scenario(ScenarioErrors),
    /// Writing results failed.
    #[error("{}: cannot write: {source}", path.display())]
    Output {
        /// The file or folder being written.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A command-line argument was not understood.
    #[error("{0}")]
    Usage(String),
    /// An experiment cannot be split into shards, or shards do not merge into one complete
    /// experiment.
    #[error("{0}")]
    Shard(#[from] ShardError),
}
