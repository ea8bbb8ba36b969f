//! Episodes: patients' stays in services, as an analyst's extract gives them, read with
//! every problem reported at its place; and the same file written from a run.
//!
//! # The episode file
//!
//! A CSV file, one row per episode (one patient's stay in one service's place), with a header
//! row. The general rules of scenario files apply (columns in any order, `#` comments, blank
//! lines skipped, spaces around fields ignored; see [`scenario`](crate::scenario)).
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `patient` | yes | the patient's (or spell's) id |
//! | `class` | yes | the patient's class: split by whatever attribute the model's classes follow |
//! | `service` | yes | the service whose place the patient held; not `exit` |
//! | `start` | yes | when the stay started, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS` (a `T` may stand for the space) |
//! | `end` | yes (may be empty) | when it ended, as `start`, not before it; empty when the patient was still in at the end of the extract |
//! | `fit` | no | when the patient became medically fit, from `start` to `end` |
//! | `next` | yes (may be empty) | where the patient went: a service id or `exit` (left the system); empty exactly when `end` is |
//! | `x_…` | no | any number of attribute columns whose names start with `x_` (age band, ward, …): allowed so that an extract need not be cut down, and not read. Any other column is refused as a probable typo |
//!
//! Two comment lines may declare the extract's window: `# extract from TIME` (admissions
//! from then on are counted as arrivals; episodes starting before it were in progress at its
//! start) and `# extract to TIME` (stays still open then are censored there), each at most
//! once. Without them the window runs from the earliest `start` to the latest time in the
//! file.
//!
//! Times are from 1900 to 2200, to the minute or the second, in one time zone without
//! daylight-saving jumps (local time around a clock change makes stays an hour too long or
//! short: convert to UTC first).
//!
//! The episodes of one patient, in order of start, must not overlap: each starts at or after
//! the end of the one before (an open episode is the patient's last), and one that follows an
//! episode whose `next` is a service must be at that service. A patient whose episode ends
//! with `next` `exit` and who comes back later starts a new spell: the later episode is a new
//! arrival. An episode with `next` a service and no later episode of the patient is allowed
//! (the patient was waiting for a place when the extract ended).
//!
//! ```csv
//! patient,class,service,start,end,fit,next,x_age_band
//! P0001,frail_elderly,ed,2026-04-01 08:13,2026-04-01 14:40,,acute,85+
//! P0001,frail_elderly,acute,2026-04-01 14:40,2026-04-09 11:00,2026-04-07 10:00,exit,85+
//! P0002,adult,ed,2026-04-01 09:02,,,,40-64
//! ```
//!
//! [`read`] reads a file into [`Episodes`], or reports every problem with its file, line and
//! column. [`EpisodeWriter`] writes the episodes of a simulated replication in the same
//! schema, so that a run and an extract are compared, and fitted ([`fit`](crate::fit)), with
//! the same code.

use crate::event_log::{EventRecorder, PatientEvent, PatientEventKind, csv_text};
use crate::model::{Destination, Model, ServiceId};
use crate::scenario::{Column, Presence, ScenarioError, ScenarioErrors, Table};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const COLUMNS: [Column; 8] = [
    Column::required("patient"),
    Column::required("class"),
    Column::required("service"),
    Column::required("start"),
    Column::required("end"),
    Column::optional("fit"),
    Column::required("next"),
    Column::optional("x_*"),
];

/// What a date-time is called in messages.
const A_TIME: &str = "a date-time as YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS, from 1900 to 2200";

/// Where a patient went after an episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// To a service, by its id.
    Service(String),
    /// Out of the system.
    Exit,
}

/// One patient's stay in one service.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    /// The patient's id.
    pub patient: String,
    /// Their class.
    pub class: String,
    /// The service.
    pub service: String,
    /// When the stay started.
    pub start: NaiveDateTime,
    /// When it ended; `None` while still in at the end of the extract.
    pub end: Option<NaiveDateTime>,
    /// When the patient became medically fit, if given.
    pub fit: Option<NaiveDateTime>,
    /// Where the patient went; `None` exactly when `end` is.
    pub next: Option<Next>,
    /// The episode's line in its file.
    pub line: u64,
}

impl Episode {
    /// The stay's length in days, if it has ended.
    pub fn days(&self) -> Option<f64> {
        self.end.map(|end| days_between(self.start, end))
    }
}

/// The episodes of one file, in file order, checked (see the [module documentation](self)).
#[derive(Debug, Clone)]
pub struct Episodes {
    path: PathBuf,
    /// The window the file declares, by `# extract from` and `# extract to` lines.
    declared: (Option<NaiveDateTime>, Option<NaiveDateTime>),
    episodes: Vec<Episode>,
    /// For each episode, the index of the patient's previous episode, if any.
    previous: Vec<Option<usize>>,
}

impl Episodes {
    /// The file the episodes were read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The start and end of the extract, where the file declares them (`# extract from
    /// TIME` and `# extract to TIME` lines).
    pub fn declared_window(&self) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
        self.declared
    }

    /// The episodes, in file order.
    pub fn episodes(&self) -> &[Episode] {
        &self.episodes
    }

    /// The patient's episode before episode `index` (by start), if any.
    pub fn previous(&self, index: usize) -> Option<&Episode> {
        self.previous[index].map(|i| &self.episodes[i])
    }

    /// Whether episode `index` starts a spell: the patient's first episode, or the first
    /// after one they left the system from. Such an episode is an arrival from outside.
    pub fn is_arrival(&self, index: usize) -> bool {
        self.previous(index)
            .is_none_or(|p| p.next == Some(Next::Exit))
    }

    /// The earliest start and the latest start or end: the span the extract covers.
    pub fn span(&self) -> (NaiveDateTime, NaiveDateTime) {
        let first = self.episodes.iter().map(|e| e.start).min();
        let last = self
            .episodes
            .iter()
            .map(|e| e.end.unwrap_or(e.start).max(e.start))
            .max();
        (
            first.expect("a read file has episodes"),
            last.expect("a read file has episodes"),
        )
    }
}

/// Reads and checks the episode file at `path`.
///
/// # Errors
///
/// [`Error::Scenario`](crate::Error::Scenario) with every problem found, each with its file,
/// line and column: a file that cannot be read, a missing or unknown column, a malformed or
/// absurd time, an end before its start, a fit time outside the stay, a `next` that does not
/// match `end`, overlapping episodes of one patient, a file with no episodes.
pub fn read(path: impl AsRef<Path>) -> Result<Episodes, crate::Error> {
    let path = path.as_ref().to_path_buf();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut errors = ScenarioErrors(Vec::new());
    let Some(table) = Table::read(
        &folder,
        path.clone(),
        &COLUMNS,
        Presence::Required,
        &mut errors,
    ) else {
        return Err(crate::Error::Scenario(errors));
    };
    let mut episodes = Vec::new();
    for row in table.rows() {
        let patient = errors.keep(row.field("patient").id());
        let class = errors.keep(row.field("class").id());
        let service_field = row.field("service");
        let service = errors.keep(service_field.id().and_then(|s| {
            if s == "exit" {
                Err(service_field.invalid("a service id (`exit` is not a service)"))
            } else {
                Ok(s)
            }
        }));
        let time = |column: &'static str| -> Result<Option<NaiveDateTime>, ScenarioError> {
            let f = row.field(column);
            if f.is_empty() {
                return Ok(None);
            }
            parse_time(f.text())
                .map(Some)
                .ok_or_else(|| f.invalid(A_TIME))
        };
        let start = errors
            .keep(time("start").and_then(|t| t.ok_or_else(|| row.field("start").invalid(A_TIME))));
        let end = errors.keep(time("end"));
        let fit = errors.keep(time("fit"));
        let next_field = row.field("next");
        let next = errors.keep(if next_field.is_empty() {
            Ok(None)
        } else if next_field.text() == "exit" {
            Ok(Some(Next::Exit))
        } else {
            next_field.id().map(|s| Some(Next::Service(s.to_owned())))
        });
        let (
            Some(patient),
            Some(class),
            Some(service),
            Some(start),
            Some(end),
            Some(fit),
            Some(next),
        ) = (patient, class, service, start, end, fit, next)
        else {
            continue;
        };
        let mut good = true;
        if let Some(end) = end
            && end < start
        {
            errors.push(
                row.field("end")
                    .invalid(format!("a time at or after the episode's start ({start})")),
            );
            good = false;
        }
        if let Some(fit) = fit
            && (fit < start || end.is_some_and(|end| fit > end))
        {
            errors.push(
                row.field("fit")
                    .invalid("a time within the episode, from its start to its end"),
            );
            good = false;
        }
        match (end, &next) {
            (Some(_), None) => {
                errors.push(next_field.invalid(
                    "where the patient went after an episode that ended: a service id or `exit`",
                ));
                good = false;
            }
            (None, Some(_)) => {
                errors.push(
                    next_field
                        .invalid("nothing, as the episode has no end (the patient is still in)"),
                );
                good = false;
            }
            _ => {}
        }
        if good {
            episodes.push(Episode {
                patient: patient.to_owned(),
                class: class.to_owned(),
                service: service.to_owned(),
                start,
                end,
                fit,
                next,
                line: row.line(),
            });
        }
    }
    if errors.is_empty() && episodes.is_empty() {
        errors.push(ScenarioError::NoRows {
            path: path.clone(),
            needed: "episode".to_owned(),
        });
    }
    let previous = check_patients(&path, &episodes, &mut errors);
    let declared = declared_window(&path, &mut errors);
    if errors.is_empty() {
        Ok(Episodes {
            path,
            declared,
            episodes,
            previous,
        })
    } else {
        errors.sort_by_line_from(0);
        Err(crate::Error::Scenario(errors))
    }
}

/// Checks that each patient's episodes follow one another; returns each episode's previous
/// one.
fn check_patients(
    path: &Path,
    episodes: &[Episode],
    errors: &mut ScenarioErrors,
) -> Vec<Option<usize>> {
    let mut by_patient: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in episodes.iter().enumerate() {
        by_patient.entry(&e.patient).or_default().push(i);
    }
    let mut previous = vec![None; episodes.len()];
    for list in by_patient.values_mut() {
        list.sort_by_key(|&i| (episodes[i].start, episodes[i].line));
        for pair in list.windows(2) {
            let (a, b) = (&episodes[pair[0]], &episodes[pair[1]]);
            previous[pair[1]] = Some(pair[0]);
            if a.end.is_none_or(|end| b.start < end) {
                errors.push(ScenarioError::Overlap {
                    path: path.to_path_buf(),
                    line: b.line,
                    subject: format!(
                        "an episode of patient '{}' (starting {})",
                        a.patient, b.start
                    ),
                    other_line: a.line,
                });
            } else if let Some(Next::Service(next)) = &a.next
                && *next != b.service
            {
                errors.push(ScenarioError::Inconsistent {
                    path: path.to_path_buf(),
                    line: b.line,
                    column: "service".to_owned(),
                    message: format!(
                        "patient '{}' went on to '{next}' after the episode at line {}, but this next episode is at '{}'",
                        a.patient, a.line, b.service
                    ),
                });
            }
        }
    }
    previous
}

/// The window declared by `# extract from TIME` and `# extract to TIME` comment lines.
fn declared_window(
    path: &Path,
    errors: &mut ScenarioErrors,
) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
    // The table has read the file already; it is read again only for these comment lines.
    let Ok(text) = std::fs::read_to_string(path) else {
        return (None, None);
    };
    let mut window = (None, None);
    for (i, line) in text.lines().enumerate() {
        for (prefix, slot) in [
            ("# extract from ", &mut window.0),
            ("# extract to ", &mut window.1),
        ] {
            let Some(time) = line.strip_prefix(prefix) else {
                continue;
            };
            match parse_time(time.trim()) {
                Some(t) if slot.is_none() => *slot = Some(t),
                found => errors.push(ScenarioError::InvalidValue {
                    path: path.to_path_buf(),
                    line: i as u64 + 1,
                    column: prefix[2..].trim_end().to_owned(),
                    expected: if found.is_some() {
                        "one such line in the file".to_owned()
                    } else {
                        A_TIME.to_owned()
                    },
                    found: time.to_owned(),
                }),
            }
        }
    }
    if let (Some(from), Some(to)) = window
        && to <= from
    {
        errors.push(ScenarioError::InvalidValue {
            path: path.to_path_buf(),
            line: 1,
            column: "extract to".to_owned(),
            expected: format!("a time after the extract's start ({from})"),
            found: to.to_string(),
        });
    }
    window
}

/// A date-time as the episode file writes it, or `None`.
fn parse_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.replacen('T', " ", 1);
    let t = NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M"))
        .ok()?;
    let year = chrono::Datelike::year(&t);
    (1900..=2200).contains(&year).then_some(t)
}

/// Days from `a` to `b` (negative if `b` is earlier), to the millisecond.
pub fn days_between(a: NaiveDateTime, b: NaiveDateTime) -> f64 {
    (b - a).num_milliseconds() as f64 / 86_400_000.0
}

/// The moment `days` after the start of `date`, to the second.
pub fn time_after(date: NaiveDate, days: f64) -> NaiveDateTime {
    let seconds = (days * 86_400.0).round() as i64;
    date.and_hms_opt(0, 0, 0).expect("midnight exists") + TimeDelta::seconds(seconds)
}

/// An episode in progress in a run.
#[derive(Debug, Clone, Copy)]
struct Open {
    class: crate::ClassId,
    service: ServiceId,
    start: f64,
    fit: Option<f64>,
}

/// Writes a simulated replication's episodes in the [episode schema](self), streaming: an
/// episode is written when the patient leaves the place, and those still open when the
/// replication ends, with empty `end` and `next`, in order of patient. Memory holds the
/// episodes in progress only (the patients in places).
///
/// Times are the scenario's `start_date` plus the simulated days, to the second; patients are
/// numbered as in the [event log](crate::event_log) (`P` and the number). The file declares
/// its window: `# extract from` the start of day 0 (before the header) and `# extract to`
/// the end of the run (the last line). A census patient's episode starts the days they had
/// already spent before time 0, where the census gives them, else at time 0.
///
/// ```
/// use careflow::{Model, episodes::EpisodeWriter, run_replication_recorded};
///
/// let mut model = Model::load("scenarios/erlang_b_ward")?;
/// model.settings_mut().horizon_days = 30.0;
/// let mut writer = EpisodeWriter::new(&model, Vec::new())?;
/// run_replication_recorded(&model, 0, &mut writer);
/// let text = String::from_utf8(writer.finish()?).unwrap();
/// assert!(text.starts_with("# extract from 2026-04-01 00:00:00\npatient,class,service,start,end,fit,next\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct EpisodeWriter<'m, W: Write> {
    model: &'m Model,
    out: W,
    open: HashMap<u64, Open>,
    error: Option<io::Error>,
}

impl<'m, W: Write> EpisodeWriter<'m, W> {
    /// A writer of `model`'s episodes to `out`; writes the header now.
    pub fn new(model: &'m Model, mut out: W) -> io::Result<Self> {
        let start = time_after(model.settings().start_date, 0.0);
        writeln!(out, "# extract from {}", start.format("%Y-%m-%d %H:%M:%S"))?;
        out.write_all(b"patient,class,service,start,end,fit,next\n")?;
        Ok(EpisodeWriter {
            model,
            out,
            open: HashMap::new(),
            error: None,
        })
    }

    /// Flushes the output and returns it, or the first error writing it.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }

    fn write(&mut self, patient: u64, episode: Open, end: Option<(f64, Destination)>) {
        if self.error.is_some() {
            return;
        }
        let model = self.model;
        let date = model.settings().start_date;
        let time = |days: f64| {
            time_after(date, days)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        };
        let name = |s: ServiceId| csv_text(model.services()[s.index()].name()).into_owned();
        let (end, next) = match end {
            Some((at, Destination::Exit)) => (time(at), "exit".to_owned()),
            Some((at, Destination::Service(s))) => (time(at), name(s)),
            None => (String::new(), String::new()),
        };
        let line = format!(
            "P{patient},{},{},{},{end},{},{next}\n",
            csv_text(model.classes()[episode.class.index()].name()),
            name(episode.service),
            time(episode.start),
            episode.fit.map(time).unwrap_or_default(),
        );
        if let Err(e) = self.out.write_all(line.as_bytes()) {
            self.error = Some(e);
        }
    }
}

impl<W: Write> EventRecorder for EpisodeWriter<'_, W> {
    fn record(&mut self, event: &PatientEvent) {
        match event.kind {
            PatientEventKind::Admission | PatientEventKind::Census => {
                self.open.insert(
                    event.patient,
                    Open {
                        class: event.class,
                        service: event.service,
                        // A census patient started their stay before the run, when known.
                        start: event.time - event.since.unwrap_or(0.0),
                        fit: None,
                    },
                );
            }
            PatientEventKind::Fit => {
                if let Some(open) = self.open.get_mut(&event.patient) {
                    open.fit = Some(event.time);
                }
            }
            PatientEventKind::Departure => {
                if let Some(open) = self.open.remove(&event.patient) {
                    let to = event.to.expect("a departure has a destination");
                    self.write(event.patient, open, Some((event.time, to)));
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, time: f64) {
        let mut open: Vec<(u64, Open)> = self.open.drain().collect();
        open.sort_by_key(|&(patient, _)| patient);
        for (patient, episode) in open {
            self.write(patient, episode, None);
        }
        if self.error.is_none() {
            let end = time_after(self.model.settings().start_date, time);
            if let Err(e) = writeln!(self.out, "# extract to {}", end.format("%Y-%m-%d %H:%M:%S")) {
                self.error = Some(e);
            }
        }
    }
}
