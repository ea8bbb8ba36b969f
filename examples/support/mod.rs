//! What the example programs share: where a scenario and its results go, the confidence
//! level check, and writing to standard output. Not an example of its own.

use careflow::report::OutputFolder;
use careflow::{Error, Report};
use std::path::{Path, PathBuf};

/// Set once standard output is closed (as by `| head`): later output is dropped, and the
/// run goes on to write its result files.
pub static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes a line to standard output; a closed pipe (as in `| head`) silences the rest of the
/// output but does not stop the run, whose result files are still written.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write;
        use std::sync::atomic::Ordering;
        if !$crate::support::STDOUT_CLOSED.load(Ordering::Relaxed) {
            if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    $crate::support::STDOUT_CLOSED.store(true, Ordering::Relaxed);
                } else {
                    return Err(Error::Output {
                        path: "standard output".into(),
                        source: e,
                    });
                }
            }
        }
    }};
}

/// The scenario folder given, or the bundled default.
pub fn scenario_or_default(scenario: Option<PathBuf>) -> PathBuf {
    scenario_or(scenario, "baseline")
}

/// The scenario folder given, or the bundled scenario `bundled`.
pub fn scenario_or(scenario: Option<PathBuf>, bundled: &str) -> PathBuf {
    scenario.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(bundled)
    })
}

/// The folder's last component, as a name for the scenario.
pub fn scenario_name(dir: &Path) -> String {
    dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Refuses a confidence level outside (0, 1).
pub fn check_level(level: f64) -> Result<(), Error> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "--level: expected a number between 0 and 1, found {level}"
        )))
    }
}

/// Claims the output folder `out` before simulating (see [`OutputFolder::claim`]: refused
/// if another run is writing there, if it holds results and not `overwrite`, or if it cannot
/// be written), telling the user about anything a killed run left beside it.
pub fn claim_output(out: &Path, overwrite: bool) -> Result<OutputFolder, Error> {
    let folder = OutputFolder::claim(out, overwrite)?;
    for note in folder.notes() {
        eprintln!("warning: {note}");
    }
    Ok(folder)
}

/// Writes the report's CSV files (and `report.html` with `html`) into the claimed `folder`'s
/// staging folder, swaps them into place as one set, and lists the files written.
pub fn write_results(report: &Report<'_>, folder: OutputFolder, html: bool) -> Result<(), Error> {
    write_staged(folder, |staging| {
        let mut written = report.write_csv(staging)?;
        if html {
            written.push(report.write_html(&staging.join("report.html"))?);
        }
        Ok(written)
    })
}

/// Writes a run's files into the claimed `folder`'s staging folder with `write` (given the
/// staging folder, it returns the paths it wrote), swaps them into place as one set, and
/// lists the files written.
pub fn write_staged(
    folder: OutputFolder,
    write: impl FnOnce(&Path) -> Result<Vec<PathBuf>, Error>,
) -> Result<(), Error> {
    out!();
    let out = folder.path().to_path_buf();
    let staged = write(folder.staging()).map(|paths| {
        paths
            .iter()
            .filter_map(|p| p.file_name().map(ToOwned::to_owned))
            .collect::<Vec<_>>()
    });
    // A failure while staging (a full disk, say) names the result file, not the hidden
    // staging folder, and says that the output folder was left as it was.
    let names: Vec<std::ffi::OsString> = staged.map_err(|e| match e {
        Error::Output { path, source } => Error::Output {
            path: out.join(path.file_name().unwrap_or_default()),
            source: std::io::Error::new(
                source.kind(),
                format!(
                    "{source}; nothing was changed in {}, which holds what it held before",
                    out.display()
                ),
            ),
        },
        e => e,
    })?;
    let committed = folder.commit()?;
    for note in committed.notes {
        eprintln!("warning: {note}");
    }
    for name in names {
        out!("wrote {}", out.join(name).display());
    }
    Ok(())
}

/// The patient-level logs the example programs write on request: `--events FILE` (every
/// event of the chosen replications) and `--episodes FILE` (one replication's episodes, in
/// the schema the `fit_scenario` example reads).
#[derive(Debug, Clone, clap::Args)]
pub struct LogArgs {
    /// Write the patient-level event log of the chosen replications (--log-replications) to
    /// this CSV file: one row per event (replication, patient, class, time, event, service,
    /// from, to), streamed as the replications run again one at a time, with the same
    /// results.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Write the episodes (stays in places) of the chosen replication to this CSV file, in
    /// the episode schema that the fit_scenario example reads. Needs exactly one replication
    /// in --log-replications.
    #[arg(long, value_name = "FILE")]
    pub episodes: Option<PathBuf>,
    /// The replications to log, by index from 0, separated by commas.
    #[arg(long, value_name = "LIST", default_value = "0", value_delimiter = ',')]
    pub log_replications: Vec<u64>,
}

impl LogArgs {
    /// Checks the choice against the replications run, before anything runs.
    pub fn check(&self, replications: u32) -> Result<(), Error> {
        if self.events.is_none() && self.episodes.is_none() {
            return Ok(());
        }
        if let Some(&r) = self
            .log_replications
            .iter()
            .find(|&&r| r >= u64::from(replications))
        {
            return Err(Error::Usage(format!(
                "--log-replications: replication {r} is not run (replications are numbered from 0 to {})",
                replications - 1
            )));
        }
        if self.episodes.is_some() && self.log_replications.len() != 1 {
            return Err(Error::Usage(format!(
                "--episodes: expected one replication in --log-replications (episodes of several replications would overlap in time), found {}",
                self.log_replications.len()
            )));
        }
        Ok(())
    }

    /// Runs the chosen replications of `model` again, recording them; says what it wrote.
    pub fn write(&self, model: &careflow::Model) -> Result<(), Error> {
        use careflow::episodes::EpisodeWriter;
        use careflow::event_log::EventLog;
        let create = |path: &Path| {
            std::fs::File::create(path)
                .map(std::io::BufWriter::new)
                .map_err(|source| Error::Output {
                    path: path.to_path_buf(),
                    source,
                })
        };
        let failed = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Output { path, source }
        };
        if let Some(path) = &self.events {
            let mut log = EventLog::new(model, create(path)?).map_err(failed(path))?;
            for &r in &self.log_replications {
                log.set_replication(r);
                careflow::run_replication_recorded(model, r, &mut log);
            }
            log.finish().map_err(failed(path))?;
            eprintln!("event log: {}", path.display());
        }
        if let Some(path) = &self.episodes {
            let mut writer = EpisodeWriter::new(model, create(path)?).map_err(failed(path))?;
            careflow::run_replication_recorded(model, self.log_replications[0], &mut writer);
            writer.finish().map_err(failed(path))?;
            eprintln!("episodes: {}", path.display());
        }
        Ok(())
    }
}
