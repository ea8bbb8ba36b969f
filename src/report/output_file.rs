//! Writing result files so that a failure never leaves a file that looks complete, and so
//! that nothing planted at a temporary name is written through.

use crate::Error;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// A CSV file being written under a fresh temporary name, renamed into place by [`finish`].
///
/// [`finish`]: OutputFile::finish
#[derive(Debug)]
pub(crate) struct OutputFile {
    path: PathBuf,
    writer: csv::Writer<BufWriter<NamedTempFile>>,
}

pub(crate) fn output_error(path: &Path, source: std::io::Error) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        source,
    }
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    output_error(path, std::io::Error::other(e))
}

/// Creates `.NAME.XXXXXX.tmp` in `dir`, `XXXXXX` random: created exclusively (`O_EXCL`), so
/// an existing file or a symbolic link planted at a predictable name is never followed or
/// reused. Removed when dropped unless persisted.
pub(crate) fn temp_file(dir: &Path, name: &str) -> Result<NamedTempFile, Error> {
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // Readable as any new file is (0666 less the umask), not 0600 as temporary files are:
    // results are shared.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
        .tempfile_in(dir)
        .map_err(|e| output_error(&dir.join(name), e))
}

/// Flushes and syncs `file`, then renames it to `path` (replacing a file there, or a link:
/// the link itself, never its target).
pub(crate) fn persist(file: NamedTempFile, path: &Path) -> Result<PathBuf, Error> {
    file.as_file()
        .sync_all()
        .map_err(|e| output_error(file.path(), e))?;
    file.persist(path)
        .map_err(|e| output_error(path, e.error))?;
    Ok(path.to_path_buf())
}

/// Writes `bytes` to `path` (creating its folder if needed) under a fresh temporary name in
/// the same folder, then renames it into place: no partial file is ever left under `path`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<PathBuf, Error> {
    let name = path.file_name().ok_or_else(|| {
        output_error(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
        )
    })?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| output_error(dir, e))?;
    let mut file = temp_file(dir, &name.to_string_lossy())?;
    file.write_all(bytes)
        .map_err(|e| output_error(file.path(), e))?;
    persist(file, path)
}

impl OutputFile {
    pub(crate) fn create(dir: &Path, name: &str) -> Result<Self, Error> {
        let file = temp_file(dir, name)?;
        Ok(OutputFile {
            path: dir.join(name),
            writer: csv::Writer::from_writer(BufWriter::new(file)),
        })
    }

    pub(crate) fn row<I, T>(&mut self, fields: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer
            .write_record(fields)
            .map_err(|e| csv_error(&self.path, e))
    }

    /// Flushes, syncs and renames the file into place; returns its final path.
    pub(crate) fn finish(self) -> Result<PathBuf, Error> {
        let buffered = self
            .writer
            .into_inner()
            .map_err(|e| output_error(&self.path, e.into_error()))?;
        let file = buffered
            .into_inner()
            .map_err(|e| output_error(&self.path, e.into_error()))?;
        persist(file, &self.path)
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
