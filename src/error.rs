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
    /// A money total of a replication is infinite or NaN, so no result is reported or
    /// written. The loader's limit on amounts (10¹² each) rules this out, so it means a
    /// careflow bug.
    #[error(
        "variant '{variant}', replication {replication}, financial year {year}: {organisation}'s {category} is {value}, not a finite amount of money, so no result is written (a careflow bug: please report it with the scenario)"
    )]
    MoneyNotFinite {
        /// The variant's name.
        variant: String,
        /// The replication.
        replication: u64,
        /// The financial year's label.
        year: String,
        /// The organisation's name.
        organisation: String,
        /// The ledger category.
        category: &'static str,
        /// The amount.
        value: f64,
    },
    /// In an optimisation, the objective (a weighted sum of statistics) or a constraint's
    /// statistic is infinite or NaN in one replication of one configuration, so no result is
    /// reported: an objective weight too large for the statistic it multiplies, or (for a
    /// statistic, which the engine keeps finite) a careflow bug.
    #[error(
        "variant '{variant}', configuration {configuration}, replication {replication}: {what} is {value}, not a finite number, so no result is reported ({cause})"
    )]
    NotFinite {
        /// The variant the capacity is planned under.
        variant: String,
        /// The decision values, e.g. `community_beds = 70, d2a_beds = 10`.
        configuration: String,
        /// The replication.
        replication: u64,
        /// What is not finite: `the objective` or a constraint's statistic.
        what: String,
        /// The value.
        value: f64,
        /// Why, in words: the weights too large, or (for a statistic) a careflow bug.
        cause: &'static str,
    },
    /// The selection among an optimisation's finalists could not run: its settings or its
    /// samples are out of range.
    #[error("{0}")]
    Selection(#[from] crate::optimise::selection::SelectionError),
    /// A command-line argument was not understood.
    #[error("{0}")]
    Usage(String),
    /// An optimisation's outcome cannot be reported: a value in it is not finite (extreme
    /// weights or statistics overflowed), its parts do not fit together, or a decision is
    /// named like a column of the output files.
    #[error("{0}")]
    Outcome(String),
    /// A scenario cannot be explained: its traffic equations have no usable solution
    /// ([`explain`](crate::explain)).
    #[error("{0}")]
    Explain(#[from] crate::explain::ExplainError),
    /// An experiment cannot be split into shards, or shards do not merge into one complete
    /// experiment.
    #[error("{0}")]
    Shard(#[from] ShardError),
}
