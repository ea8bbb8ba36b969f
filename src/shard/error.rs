//! What can go wrong running, reading or merging shards.

use super::Shard;
use std::path::PathBuf;

/// A shard problem: a bad `K/N`, a plan that cannot be split, or a set of shard files that do
/// not make one experiment. Every problem with a file names it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// Not `K/N` with `1 ≤ K ≤ N`.
    #[error("shard: expected K/N with 1 ≤ K ≤ N (shard K of N), found {found:?}")]
    Spec {
        /// What was given.
        found: String,
    },
    /// The plan has a precision target.
    #[error(
        "a plan with a precision target cannot be split into shards: how many replications it needs is only known as it runs; give a fixed number of replications, or run it on one machine"
    )]
    PrecisionTarget,
    /// The plan has no replications.
    #[error("a plan needs at least one replication")]
    NoReplications,
    /// A file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// No shard files were given, or a folder holds none.
    #[error("no shard files (shard-K-of-N.cbor) in {}", searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    NoShardFiles {
        /// The folders searched.
        searched: Vec<PathBuf>,
    },
    /// The file does not start as a shard file does.
    #[error("{}: not a careflow shard file", path.display())]
    NotAShardFile {
        /// The file.
        path: PathBuf,
    },
    /// The file is in another version of the shard file format (format 1 files carry no
    /// checksum, so they cannot be trusted and are not read).
    #[error(
        "{}: shard file format {found}{}, but this careflow reads format {expected}: re-run the shard with the build that merges (run the shards and the merge with the same build)",
        path.display(),
        if *found == 1 { " (written without a checksum by an older careflow)" } else { "" }
    )]
    Format {
        /// The file.
        path: PathBuf,
        /// Its format version.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// The file is truncated, damaged, or was written with other result types.
    #[error("{}: damaged or incomplete shard file: {message}", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What the decoder found.
        message: String,
    },
    /// The file's contents do not match the SHA-256 checksum written at its end: it changed
    /// after it was written (a flipped bit on disk or in a copy, an edit).
    #[error(
        "{}: damaged shard file: its contents do not match the SHA-256 checksum it was written with (it changed after it was written, e.g. on disk or in a copy); copy it again from where it ran, or re-run the shard",
        path.display()
    )]
    Checksum {
        /// The file.
        path: PathBuf,
    },
    /// The shard was written by another version of careflow.
    #[error(
        "{file}: written by careflow {found}, but this is careflow {expected}: run every shard and the merge with the same build"
    )]
    Version {
        /// The shard file (or `shard K/N` for one in memory).
        file: String,
        /// The version that wrote it.
        found: String,
        /// This version.
        expected: String,
    },
    /// The shard ran on other scenario files.
    #[error(
        "{file}: ran on scenario files with hash {found}, but {} has {expected}: a scenario file changed since the shard ran, or the shard belongs to another scenario",
        scenario.display()
    )]
    Scenario {
        /// The shard file.
        file: String,
        /// The scenario folder given to the merge.
        scenario: PathBuf,
        /// The hash in the shard file.
        found: String,
        /// The scenario folder's hash now.
        expected: String,
    },
    /// The shard's variants are not the experiment's.
    #[error("{file}: has variants {found:?}, but the scenario has {expected:?}")]
    Variants {
        /// The shard file.
        file: String,
        /// Its variant names.
        found: Vec<String>,
        /// The experiment's.
        expected: Vec<String>,
    },
    /// Two shards of the set disagree on how the experiment was run.
    #[error(
        "{file}: {what} {found}, but {other}: {what} {expected}: every shard of one experiment must be run with the same options"
    )]
    Mismatch {
        /// The shard file that disagrees.
        file: String,
        /// The first shard file, which it is compared with.
        other: String,
        /// What differs: `base seed`, `seeding`, `replications` or `shard count`.
        what: &'static str,
        /// Its value in `file`.
        found: String,
        /// Its value in `other`.
        expected: String,
    },
    /// The shards ran with another base seed than the experiment has.
    #[error(
        "{file}: ran with base seed {found}, but the experiment has seed {expected} (set the experiment's seed to the shards')"
    )]
    Seed {
        /// The shard file.
        file: String,
        /// The shard's base seed.
        found: u64,
        /// The experiment's.
        expected: u64,
    },
    /// Two files hold the same shard.
    #[error("{first} and {second} are both shard {shard}: give each shard once")]
    DuplicateShard {
        /// Which shard.
        shard: Shard,
        /// One file.
        first: String,
        /// The other.
        second: String,
    },
    /// Shards of the set are missing.
    #[error(
        "incomplete set of shards: shard{} {}{} of {count} missing ({found} of {count} given); merge needs every shard",
        if *missing_count == 1 { "" } else { "s" },
        missing.iter().map(u32::to_string).collect::<Vec<_>>().join(", "),
        if (*missing_count as usize) > missing.len() {
            format!(" and {} more", *missing_count as usize - missing.len())
        } else {
            String::new()
        }
    )]
    MissingShards {
        /// The first missing shards' `K` (at most 20).
        missing: Vec<u32>,
        /// How many are missing.
        missing_count: u32,
        /// `N`.
        count: u32,
        /// How many shards were given.
        found: usize,
    },
    /// A shard holds one pair twice.
    #[error("{file}: holds variant {variant} replication {replication} twice")]
    DuplicateRecord {
        /// The shard file.
        file: String,
        /// The variant's name (or index, if it has none).
        variant: String,
        /// The replication.
        replication: u64,
    },
    /// A shard holds a pair it should not.
    #[error(
        "{file}: holds variant {variant} replication {replication}, which is not one of its pairs{}",
        belongs.map(|s| format!(" (it belongs to shard {s})")).unwrap_or_default()
    )]
    ForeignRecord {
        /// The shard file.
        file: String,
        /// The variant's name (or index, if it has none).
        variant: String,
        /// The replication.
        replication: u64,
        /// The shard it belongs to, if it exists in the experiment.
        belongs: Option<Shard>,
    },
    /// A shard lacks one of its pairs.
    #[error("{file}: lacks variant {variant} replication {replication}, one of its pairs")]
    MissingRecord {
        /// The shard file.
        file: String,
        /// The variant's name.
        variant: String,
        /// The replication.
        replication: u64,
    },
    /// A result does not fit the scenario (say, more services than it has).
    #[error(
        "{file}: variant {variant} replication {replication} does not fit the scenario: {problem}"
    )]
    Invalid {
        /// The shard file.
        file: String,
        /// The variant's name.
        variant: String,
        /// The replication.
        replication: u64,
        /// What is wrong.
        problem: String,
    },
}
