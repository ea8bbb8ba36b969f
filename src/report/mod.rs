//! Reports: summaries across replications, tidy CSV files and a readable table.
//!
//! [`Report::write_csv`] writes, into one folder:
//!
//! | file | one row per | columns |
//! |---|---|---|
//! | `replications.csv` | replication × statistic | `replication,scope,service,awaiting,kpi,value` |
//! | `summary.csv` | statistic | `scope,service,awaiting,kpi,n,mean,sd,ci_low,ci_high,level` |
//! | `daily.csv` | replication × day × service | `replication,day,date,service,occupancy,queue,delayed` |
//! | `run.csv` | fact about the run | `key,value` (scenario, careflow version, seed, replications, threads, seconds, …) |
//!
//! `scope` is `system`, `service`, `entry` (arrival-to-leaving times at entry services) or
//! `delay` (delayed bed-days in `service`'s beds awaiting `awaiting`). Each file is written
//! under a temporary name and renamed when complete, so an interrupted run never leaves a file
//! that looks complete.

mod observation;
mod output_file;

pub use observation::{Key, Scope, delay_pairs, observations};

use crate::{Error, Model, ReplicationResult, Summary};
use output_file::{OutputFile, number};
use std::fmt;
use std::path::{Path, PathBuf};

/// Facts about a run, recorded in `run.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct RunInfo {
    /// The scenario folder or name.
    pub scenario: String,
    /// Worker threads used.
    pub threads: usize,
    /// Wall-clock seconds the replications took.
    pub seconds: f64,
    /// Confidence level of the intervals, e.g. 0.95.
    pub level: f64,
}

/// The results of a set of replications of one model, ready to summarise and write.
///
/// # Example
///
/// ```
/// use careflow::{Model, Report, RunInfo, run_replications};
///
/// let mut model = Model::load("scenarios/erlang_b_ward")?;
/// model.settings_mut().horizon_days = 300.0;
/// let results = run_replications(&model, 5);
/// let info = RunInfo { scenario: "erlang_b_ward".into(), threads: 1, seconds: 0.0, level: 0.95 };
/// let report = Report::new(&model, &results, info);
/// let occupancy = report.summary("service", "ward", "mean_occupancy").unwrap();
/// assert!(occupancy.low() < occupancy.high());
/// # Ok::<(), careflow::Error>(())
/// ```
#[derive(Debug)]
pub struct Report<'a> {
    model: &'a Model,
    results: &'a [ReplicationResult],
    info: RunInfo,
    /// Observations of each replication, all in the same key order.
    rows: Vec<Vec<(Key, f64)>>,
    summaries: Vec<(Key, Summary)>,
}

impl<'a> Report<'a> {
    /// Summarises `results` (replications of `model`, in order).
    ///
    /// # Panics
    ///
    /// If `results` is empty.
    pub fn new(model: &'a Model, results: &'a [ReplicationResult], info: RunInfo) -> Self {
        assert!(
            !results.is_empty(),
            "a report needs at least one replication"
        );
        let pairs = delay_pairs(results);
        let rows: Vec<Vec<(Key, f64)>> = results
            .iter()
            .map(|r| observations(model, r, &pairs))
            .collect();
        let summaries = rows[0]
            .iter()
            .enumerate()
            .map(|(i, (key, _))| {
                let values: Vec<f64> = rows.iter().map(|r| r[i].1).collect();
                (key.clone(), Summary::new(&values, info.level))
            })
            .collect();
        Report {
            model,
            results,
            info,
            rows,
            summaries,
        }
    }

    /// Every statistic's summary, in output order.
    pub fn summaries(&self) -> &[(Key, Summary)] {
        &self.summaries
    }

    /// The summary of one statistic: `scope` as in [`Scope::as_str`], `service` empty for the
    /// system.
    pub fn summary(&self, scope: &str, service: &str, kpi: &str) -> Option<&Summary> {
        self.summaries
            .iter()
            .find(|(k, _)| {
                k.scope.as_str() == scope
                    && k.service == service
                    && k.awaiting.is_empty()
                    && k.kpi == kpi
            })
            .map(|(_, s)| s)
    }

    /// Writes `replications.csv`, `summary.csv`, `daily.csv` (when recorded) and `run.csv`
    /// into `dir`, creating it if needed. Returns the paths written.
    ///
    /// # Errors
    ///
    /// [`Error::Output`] if a file cannot be written; files already complete stay in place
    /// and no partial file is left under a final name.
    pub fn write_csv(&self, dir: &Path) -> Result<Vec<PathBuf>, Error> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Output {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut written = Vec::new();

        let mut f = OutputFile::create(dir, "replications.csv")?;
        f.row([
            "replication",
            "scope",
            "service",
            "awaiting",
            "kpi",
            "value",
        ])?;
        for (result, rows) in self.results.iter().zip(&self.rows) {
            let rep = result.replication.to_string();
            for (k, v) in rows {
                f.row([
                    rep.as_str(),
                    k.scope.as_str(),
                    &k.service,
                    &k.awaiting,
                    k.kpi,
                    &number(*v),
                ])?;
            }
        }
        written.push(f.finish()?);

        let mut f = OutputFile::create(dir, "summary.csv")?;
        f.row([
            "scope", "service", "awaiting", "kpi", "n", "mean", "sd", "ci_low", "ci_high", "level",
        ])?;
        for (k, s) in &self.summaries {
            let (low, high) = match s.half_width {
                Some(_) => (number(s.low()), number(s.high())),
                None => (String::new(), String::new()),
            };
            f.row([
                k.scope.as_str(),
                &k.service,
                &k.awaiting,
                k.kpi,
                &s.n.to_string(),
                &number(s.mean),
                &number(s.sd),
                &low,
                &high,
                &number(s.level),
            ])?;
        }
        written.push(f.finish()?);

        if self.results.iter().any(|r| !r.daily.is_empty()) {
            let start = self.model.settings().start_date;
            let mut f = OutputFile::create(dir, "daily.csv")?;
            f.row([
                "replication",
                "day",
                "date",
                "service",
                "occupancy",
                "queue",
                "delayed",
            ])?;
            for r in self.results {
                let rep = r.replication.to_string();
                for d in &r.daily {
                    let date = start + chrono::Days::new(u64::from(d.day));
                    f.row([
                        rep.as_str(),
                        &d.day.to_string(),
                        &date.to_string(),
                        self.model.services()[d.service.index()].name(),
                        &number(d.occupancy),
                        &number(d.queue),
                        &number(d.delayed),
                    ])?;
                }
            }
            written.push(f.finish()?);
        }

        let settings = self.model.settings();
        let mut f = OutputFile::create(dir, "run.csv")?;
        f.row(["key", "value"])?;
        for (k, v) in [
            ("scenario", self.info.scenario.clone()),
            ("careflow_version", env!("CARGO_PKG_VERSION").to_string()),
            ("seed", settings.seed.to_string()),
            ("replications", self.results.len().to_string()),
            ("start_date", settings.start_date.to_string()),
            ("horizon_days", number(settings.horizon_days)),
            ("warmup_days", number(settings.warmup_days)),
            ("threads", self.info.threads.to_string()),
            ("seconds", format!("{:.3}", self.info.seconds)),
            (
                "events",
                self.results
                    .iter()
                    .map(|r| r.events)
                    .sum::<u64>()
                    .to_string(),
            ),
            ("confidence_level", number(self.info.level)),
        ] {
            f.row([k, v.as_str()])?;
        }
        written.push(f.finish()?);
        Ok(written)
    }
}

impl fmt::Display for Report<'_> {
    /// A table people can read at a glance: the system, each entry service and each service,
    /// as means with confidence intervals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = self.model.settings();
        let pct = (self.info.level * 100.0).round();
        let ci = |s: &Summary, digits: usize| match s.half_width {
            Some(h) => format!("{:.*} ± {:.*}", digits, s.mean, digits, h),
            None => format!("{:.*}", digits, s.mean),
        };
        let get = |scope: &str, service: &str, kpi: &str| {
            self.summary(scope, service, kpi)
                .expect("every reported statistic is summarised")
        };
        writeln!(
            f,
            "{}: {} replications × {} days after {} days warm-up, seed {} ({} threads, {:.2} s); means ± {pct}% CI half-width",
            self.info.scenario,
            self.results.len(),
            settings.horizon_days - settings.warmup_days,
            settings.warmup_days,
            settings.seed,
            self.info.threads,
            self.info.seconds,
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "system: arrived {}, diverted {}, left {}, inside at start {} and at end {}",
            ci(get("system", "", "arrived"), 0),
            ci(get("system", "", "diverted"), 0),
            ci(get("system", "", "left"), 0),
            ci(get("system", "", "inside_at_start"), 0),
            ci(get("system", "", "inside_at_end"), 0),
        )?;
        for e in &self.results[0].entries {
            let name = self.model.services()[e.service.index()].name();
            writeln!(
                f,
                "entry {name}: {} patients, {}% spent over {} h from arrival to leaving (mean {} h)",
                ci(get("entry", name, "patients"), 0),
                ci(
                    &scaled(get("entry", name, "share_over_threshold"), 100.0),
                    1
                ),
                settings.wait_threshold_hours,
                ci(&scaled(get("entry", name, "mean_time_days"), 24.0), 2),
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:<20} {:>9} {:>17} {:>14} {:>14} {:>14} {:>17} {:>10}",
            "service",
            "capacity",
            "mean occupancy",
            "utilisation %",
            "mean wait (d)",
            format!("waits > {} h", settings.wait_threshold_hours),
            "delayed bed-days",
            "diverted"
        )?;
        for s in self.model.services() {
            let name = s.name();
            writeln!(
                f,
                "{:<20} {:>9.0} {:>17} {:>14} {:>14} {:>14} {:>17} {:>10}",
                name,
                get("service", name, "mean_capacity").mean,
                ci(get("service", name, "mean_occupancy"), 1),
                ci(&scaled(get("service", name, "utilisation"), 100.0), 1),
                ci(get("service", name, "mean_wait_days"), 2),
                ci(get("service", name, "long_waits"), 0),
                ci(get("service", name, "delayed_bed_days"), 0),
                ci(get("service", name, "diverted"), 0),
            )?;
        }
        Ok(())
    }
}

fn scaled(s: &Summary, by: f64) -> Summary {
    Summary {
        mean: s.mean * by,
        sd: s.sd * by,
        half_width: s.half_width.map(|h| h * by),
        ..*s
    }
}
