//! The shard file: one shard's results with what the merge checks, as a CBOR sequence.
//!
//! A shard file (`shard-K-of-N.cbor`) is a CBOR sequence (RFC 8742) of four items:
//!
//! 1. the text `careflow shard` (so a wrong file is recognised at once);
//! 2. the format version, an unsigned integer ([`FORMAT`]);
//! 3. a map: `careflow_version`, `scenario` (the folder's name), `scenario_hash` (see
//!    [`scenario::input_hash`](crate::scenario::input_hash));
//! 4. the [`ShardResult`] as a map, field names as in Rust: shard (`index`, `count`),
//!    `variants`, `seed`, `seeds`, `replications`, `records` (each `variant` and its
//!    [`ReplicationResult`](crate::ReplicationResult) `result`), `seconds`, `threads`.
//!
//! CBOR stores every `f64` bit for bit (NaN and infinities too), so a merge rebuilds exactly
//! the numbers the shard computed; it names every field, so a file written by a build whose
//! results have other fields fails to read with a message naming the field. Any CBOR tool
//! reads it (e.g. Python's `cbor2.load` four times).

use super::{Shard, ShardError, ShardResult};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Version of the shard file format this build writes and reads.
pub const FORMAT: u32 = 2;

const MAGIC: &str = "careflow shard";

/// A shard's results and where they came from, as written to and read from a shard file.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardFile {
    /// Version of careflow that ran the shard.
    pub careflow_version: String,
    /// Name of the scenario (its folder's last component).
    pub scenario: String,
    /// [`scenario::input_hash`](crate::scenario::input_hash) of the scenario folder when the
    /// shard ran.
    pub scenario_hash: String,
    /// The results.
    pub result: ShardResult,
}

/// Item 3 of the file, written from borrowed strings.
#[derive(Serialize)]
struct IdentityOut<'a> {
    careflow_version: &'a str,
    scenario: &'a str,
    scenario_hash: &'a str,
}

/// Item 3 of the file, read.
#[derive(Deserialize)]
struct IdentityIn {
    careflow_version: String,
    scenario: String,
    scenario_hash: String,
}

impl ShardFile {
    /// `result`, labelled with this careflow version and the name and hash of the scenario
    /// folder `scenario` it ran on.
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`] if the scenario folder cannot be read to hash it.
    pub fn new(scenario: &Path, result: ShardResult) -> Result<ShardFile, Error> {
        Ok(ShardFile {
            careflow_version: env!("CARGO_PKG_VERSION").to_owned(),
            scenario: scenario.file_name().map_or_else(
                || scenario.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            scenario_hash: crate::scenario::input_hash(scenario)?,
            result,
        })
    }

    /// The file name of `shard`'s file: `shard-K-of-N.cbor`.
    pub fn file_name(shard: Shard) -> String {
        format!("shard-{}-of-{}.cbor", shard.index(), shard.count())
    }

    /// Writes the file into `dir` (creating it if needed) under
    /// [`file_name`](Self::file_name), replacing any file of that name. Returns its path.
    ///
    /// # Errors
    ///
    /// [`Error::Output`] if it cannot be written; it is written under a temporary name and
    /// renamed when complete, so no partial file is left under the final name.
    pub fn write(&self, dir: &Path) -> Result<PathBuf, Error> {
        let output = |path: &Path, source: std::io::Error| Error::Output {
            path: path.to_path_buf(),
            source,
        };
        fs::create_dir_all(dir).map_err(|e| output(dir, e))?;
        let name = Self::file_name(self.result.shard);
        let path = dir.join(&name);
        let tmp = dir.join(format!(".{name}.tmp"));
        let file = fs::File::create(&tmp).map_err(|e| output(&tmp, e))?;
        let mut writer = BufWriter::new(file);
        let identity = IdentityOut {
            careflow_version: &self.careflow_version,
            scenario: &self.scenario,
            scenario_hash: &self.scenario_hash,
        };
        let encode = |e: ciborium::ser::Error<std::io::Error>| match e {
            ciborium::ser::Error::Io(e) => e,
            e => std::io::Error::other(e.to_string()),
        };
        ciborium::into_writer(MAGIC, &mut writer)
            .and_then(|()| ciborium::into_writer(&FORMAT, &mut writer))
            .and_then(|()| ciborium::into_writer(&identity, &mut writer))
            .and_then(|()| ciborium::into_writer(&self.result, &mut writer))
            .map_err(|e| output(&tmp, encode(e)))?;
        let file = writer
            .into_inner()
            .map_err(|e| output(&tmp, e.into_error()))?;
        file.sync_all().map_err(|e| output(&tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| output(&path, e))?;
        Ok(path)
    }

    /// Reads the shard file at `path`.
    ///
    /// # Errors
    ///
    /// [`Error::Shard`]: the file cannot be read ([`ShardError::Read`]), is not a shard file
    /// ([`ShardError::NotAShardFile`]), is in another format version ([`ShardError::Format`]),
    /// was written by another careflow version ([`ShardError::Version`]), or is truncated or
    /// damaged ([`ShardError::Damaged`]).
    pub fn read(path: &Path) -> Result<ShardFile, Error> {
        let err = |e: ShardError| Error::Shard(e);
        let meta = fs::metadata(path).map_err(|source| {
            err(ShardError::Read {
                path: path.to_path_buf(),
                source,
            })
        })?;
        if !meta.is_file() {
            return Err(err(ShardError::NotAShardFile {
                path: path.to_path_buf(),
            }));
        }
        let bytes = fs::read(path).map_err(|source| {
            err(ShardError::Read {
                path: path.to_path_buf(),
                source,
            })
        })?;
        let mut magic = Vec::new();
        ciborium::into_writer(MAGIC, &mut magic).expect("a string encodes into memory");
        let Some(mut rest) = bytes.strip_prefix(magic.as_slice()) else {
            return Err(err(ShardError::NotAShardFile {
                path: path.to_path_buf(),
            }));
        };
        let damaged = |message: String| {
            err(ShardError::Damaged {
                path: path.to_path_buf(),
                message,
            })
        };
        let start = |rest: &[u8]| bytes.len() - rest.len();
        let at = start(rest);
        let format: u32 = ciborium::from_reader(&mut rest)
            .map_err(|e| damaged(decode_error("format version", at, e)))?;
        if format != FORMAT {
            return Err(err(ShardError::Format {
                path: path.to_path_buf(),
                found: format,
                expected: FORMAT,
            }));
        }
        let at = start(rest);
        let identity: IdentityIn =
            ciborium::from_reader(&mut rest).map_err(|e| damaged(decode_error("header", at, e)))?;
        let ours = env!("CARGO_PKG_VERSION");
        if identity.careflow_version != ours {
            return Err(err(ShardError::Version {
                file: path.display().to_string(),
                found: identity.careflow_version,
                expected: ours.to_owned(),
            }));
        }
        let at = start(rest);
        let result: ShardResult = ciborium::from_reader(&mut rest)
            .map_err(|e| damaged(decode_error("results", at, e)))?;
        if !rest.is_empty() {
            return Err(damaged(format!(
                "{} bytes after the end of the results",
                rest.len()
            )));
        }
        Ok(ShardFile {
            careflow_version: identity.careflow_version,
            scenario: identity.scenario,
            scenario_hash: identity.scenario_hash,
            result,
        })
    }
}

/// Says what went wrong decoding `item`, which starts at byte `at` of the file.
fn decode_error(item: &str, at: usize, e: ciborium::de::Error<std::io::Error>) -> String {
    use ciborium::de::Error;
    match e {
        Error::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => format!(
            "{item}: the file ends early (truncated: was the shard still being written, or did it fail?)"
        ),
        Error::Io(e) => format!("{item}: {e}"),
        Error::Syntax(offset) => format!("{item}: not valid CBOR at byte {}", at + offset),
        Error::Semantic(Some(offset), message) => {
            format!("{item}: {message} (at byte {})", at + offset)
        }
        Error::Semantic(None, message) => format!("{item}: {message}"),
        Error::RecursionLimitExceeded => format!("{item}: nested too deeply"),
    }
}

/// The shard files in `path` when it is a folder (every `shard-K-of-N.cbor` in it, sorted by
/// name), or `path` itself when it is a file.
///
/// # Errors
///
/// [`Error::Shard`]: `path` cannot be read ([`ShardError::Read`]) or is a folder with no
/// shard files ([`ShardError::NoShardFiles`]).
pub fn find_shard_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = |source| {
        Error::Shard(ShardError::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    if !fs::metadata(path).map_err(read)?.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).map_err(read)? {
        let entry = entry.map_err(read)?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("shard-") && name.ends_with(".cbor") {
            files.push(entry.path());
        }
    }
    if files.is_empty() {
        return Err(Error::Shard(ShardError::NoShardFiles {
            searched: vec![path.to_path_buf()],
        }));
    }
    files.sort();
    Ok(files)
}
