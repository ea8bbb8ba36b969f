//! What the example programs share: where a scenario and its results go, the confidence
//! level check, and writing to standard output. Not an example of its own.

use careflow::{Error, Report};
use std::path::{Path, PathBuf};

/// Writes a line to standard output; a closed pipe (as in `| head`) ends the program quietly.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            return Err(Error::Output {
                path: "standard output".into(),
                source: e,
            });
        }
    }};
}

/// The scenario folder given, or the bundled default.
pub fn scenario_or_default(scenario: Option<PathBuf>) -> PathBuf {
    scenario.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline"))
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

/// Writes the report's CSV files (and `report.html` with `html`) into `out`, first removing
/// an earlier run's results when `overwrite` (the folder was checked before the run), and
/// lists the files written.
pub fn write_results(
    report: &Report<'_>,
    out: &Path,
    html: bool,
    overwrite: bool,
) -> Result<(), Error> {
    out!();
    if overwrite {
        careflow::report::remove_old_results(out)?;
    }
    for path in report.write_csv(out)? {
        out!("wrote {}", path.display());
    }
    if html {
        let path = report.write_html(&out.join("report.html"))?;
        out!("wrote {}", path.display());
    }
    Ok(())
}
