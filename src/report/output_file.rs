//! Writing result files so that a failure never leaves a file that looks complete.

use crate::Error;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A CSV file being written under a temporary name, renamed into place by [`finish`].
///
/// [`finish`]: OutputFile::finish
#[derive(Debug)]
pub(crate) struct OutputFile {
    path: PathBuf,
    tmp: PathBuf,
    writer: csv::Writer<fs::File>,
}

fn output_error(path: &Path, source: std::io::Error) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        source,
    }
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    output_error(path, std::io::Error::other(e))
}

impl OutputFile {
    pub(crate) fn create(dir: &Path, name: &str) -> Result<Self, Error> {
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp"));
        let file = fs::File::create(&tmp).map_err(|e| output_error(&tmp, e))?;
        Ok(OutputFile {
            path,
            tmp,
            writer: csv::Writer::from_writer(file),
        })
    }

    pub(crate) fn row<I, T>(&mut self, fields: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer
            .write_record(fields)
            .map_err(|e| csv_error(&self.tmp, e))
    }

    /// Flushes, syncs and renames the file into place; returns its final path.
    pub(crate) fn finish(self) -> Result<PathBuf, Error> {
        let file = self
            .writer
            .into_inner()
            .map_err(|e| output_error(&self.tmp, e.into_error()))?;
        let mut file = file;
        file.flush().map_err(|e| output_error(&self.tmp, e))?;
        file.sync_all().map_err(|e| output_error(&self.tmp, e))?;
        fs::rename(&self.tmp, &self.path).map_err(|e| output_error(&self.path, e))?;
        Ok(self.path)
    }
}

/// Formats a number for output: integers without a decimal point, others in the shortest form
/// that reads back as the same `f64`, so nothing is lost between runs and files diff cleanly.
pub(crate) fn number(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The columns of `replications.csv` (and of a shard's CSV): one observation per row.
pub(crate) const OBSERVATION_COLUMNS: [&str; 7] = [
    "variant",
    "replication",
    "scope",
    "service",
    "awaiting",
    "kpi",
    "value",
];

impl OutputFile {
    /// Writes one observation: statistic `key` of replication `replication` of `variant`.
    pub(crate) fn observation(
        &mut self,
        variant: &str,
        replication: &str,
        key: &super::Key,
        value: f64,
    ) -> Result<(), Error> {
        self.row([
            variant,
            replication,
            key.scope.as_str(),
            &key.service,
            &key.awaiting,
            key.kpi,
            &number(value),
        ])
    }
}
