//! Patient-level event logs: what happened to each patient in a replication, one event at a
//! time, as the engine runs.
//!
//! [`run_replication_recorded`](crate::run_replication_recorded) hands every event of one
//! replication to an [`EventRecorder`] the moment it happens, so a log of any length is
//! written with bounded memory: nothing is collected. [`run_replication`](crate::run_replication)
//! records nothing and costs nothing extra (the engine is generic over the recorder, and the
//! recorder it uses does nothing and is compiled away). Recording changes no result: the
//! engine draws the same numbers and takes the same decisions either way.
//!
//! Two recorders ship with careflow:
//!
//! - [`EventLog`]: one CSV row per event, columns
//!   `replication,patient,class,time,event,service,from,to` (below);
//! - [`EpisodeWriter`](crate::episodes::EpisodeWriter): one row per stay in a place, in the
//!   episode schema that [`episodes`](crate::episodes) reads, so a run's patients and an
//!   analyst's extract are compared (and fitted, [`fit`](crate::fit)) with the same code.
//!
//! # The event log file
//!
//! | Column | Value |
//! |---|---|
//! | `replication` | the replication's index |
//! | `patient` | the patient's number in the replication: census patients first, in census order, then in order of arrival from 0 (a readmission is a new spell, so a new number) |
//! | `class` | the patient's class id |
//! | `time` | days from the scenario's `start_date`, warm-up included |
//! | `event` | one of the kinds below |
//! | `service` | the service the event happened at |
//! | `from` | for `admission`: the service whose place the patient left to come here, empty for an arrival from outside (or a patient who waited at home) |
//! | `to` | for `departure` and `renege`: the service the patient went on to seek, or `exit` |
//!
//! | `event` | Meaning |
//! |---|---|
//! | `census` | in a place at `service` at time 0 (a census patient) |
//! | `census_queued` | waiting for `service` at time 0 (a census patient) |
//! | `arrival` | arrived from outside (an arrival stream, an elective booking, a readmission) seeking `service` |
//! | `diverted` | turned away at `service`, lost to the system |
//! | `admission` | took a place at `service` (a fallback's place: the fallback's id) |
//! | `fit` | became medically fit at `service` (services with a discharge rule) |
//! | `departure` | left their place at `service`, towards `to` |
//! | `renege` | gave up waiting for `service`, towards `to` |
//! | `exit` | left the system |
//!
//! Counted over the observation window (events at or after the warm-up's end), the log gives
//! the replication's system counts: `arrival` rows are
//! [`SystemResult::arrived`](crate::SystemResult::arrived), `diverted` rows
//! [`diverted`](crate::SystemResult::diverted) and `exit` rows
//! [`left`](crate::SystemResult::left); every patient's events come in the order they
//! happened.

use crate::model::{ClassId, Destination, Model, ServiceId};
use std::io::{self, Write};

/// What happened to a patient; see the [module documentation](self) for each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatientEventKind {
    /// In a place at time 0, from the census.
    Census,
    /// Waiting for a service at time 0, from the census.
    CensusQueued,
    /// Arrived from outside.
    Arrival,
    /// Turned away, lost to the system.
    Diverted,
    /// Took a place.
    Admission,
    /// Became medically fit.
    Fit,
    /// Left a place.
    Departure,
    /// Gave up waiting.
    Renege,
    /// Left the system.
    Exit,
}

impl PatientEventKind {
    /// The kind's name in the log's `event` column.
    pub fn as_str(self) -> &'static str {
        match self {
            PatientEventKind::Census => "census",
            PatientEventKind::CensusQueued => "census_queued",
            PatientEventKind::Arrival => "arrival",
            PatientEventKind::Diverted => "diverted",
            PatientEventKind::Admission => "admission",
            PatientEventKind::Fit => "fit",
            PatientEventKind::Departure => "departure",
            PatientEventKind::Renege => "renege",
            PatientEventKind::Exit => "exit",
        }
    }
}

/// One event of one patient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PatientEvent {
    /// The patient's number in the replication (see the [module documentation](self)).
    pub patient: u64,
    /// Their class.
    pub class: ClassId,
    /// When, in days from the scenario's start.
    pub time: f64,
    /// What happened.
    pub kind: PatientEventKind,
    /// Where.
    pub service: ServiceId,
    /// For an admission, the service whose place the patient left to come.
    pub from: Option<ServiceId>,
    /// For a departure or a renege, where the patient went on to.
    pub to: Option<Destination>,
    /// For a census patient in a place: the days they had already spent there at time 0,
    /// where the census gives them (`elapsed_days`, or `admitted`).
    pub since: Option<f64>,
}

/// Receives a replication's events as they happen.
///
/// A recorder that writes somewhere cannot fail the run: it keeps its first error and
/// reports it when asked (as [`EventLog::finish`] does).
pub trait EventRecorder {
    /// Called for each event, in the order the events happen.
    fn record(&mut self, event: &PatientEvent);

    /// Called once when the replication ends, with the time it ended (the horizon, or the
    /// time a run that stopped early stopped). Does nothing unless overridden.
    fn end(&mut self, _time: f64) {}
}

impl<R: EventRecorder + ?Sized> EventRecorder for &mut R {
    fn record(&mut self, event: &PatientEvent) {
        (**self).record(event);
    }

    fn end(&mut self, time: f64) {
        (**self).end(time);
    }
}

/// The recorder of [`run_replication`](crate::run_replication): records nothing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct NoRecorder;

impl EventRecorder for NoRecorder {
    #[inline(always)]
    fn record(&mut self, _event: &PatientEvent) {}
}

/// Whether a recorder type records anything: lets the engine skip the bookkeeping of patient
/// numbers when it does not.
pub(crate) trait Recording: EventRecorder {
    /// `false` only for [`NoRecorder`].
    const ON: bool;
}

impl Recording for NoRecorder {
    const ON: bool = false;
}

/// Wraps a public recorder for the engine.
#[derive(Debug)]
pub(crate) struct On<R>(pub(crate) R);

impl<R: EventRecorder> EventRecorder for On<R> {
    #[inline]
    fn record(&mut self, event: &PatientEvent) {
        self.0.record(event);
    }

    fn end(&mut self, time: f64) {
        self.0.end(time);
    }
}

impl<R: EventRecorder> Recording for On<R> {
    const ON: bool = true;
}

/// Writes events as CSV rows (see the [module documentation](self)), streaming: a row is
/// formatted and written as its event happens, through a buffer the caller chooses.
///
/// One log may record several replications in turn (run them one after the other); rows
/// carry the replication's index, which [`set_replication`](Self::set_replication) sets.
///
/// ```
/// use careflow::{Model, event_log::EventLog, run_replication, run_replication_recorded};
///
/// let model = Model::load("scenarios/erlang_b_ward")?;
/// let mut log = EventLog::new(&model, Vec::new())?;
/// log.set_replication(0);
/// let result = run_replication_recorded(&model, 0, &mut log);
/// let text = String::from_utf8(log.finish()?).unwrap();
/// assert!(text.starts_with("replication,patient,class,time,event,service,from,to\n"));
/// // Recording changes nothing.
/// assert_eq!(result, run_replication(&model, 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct EventLog<'m, W: Write> {
    model: &'m Model,
    out: W,
    replication: u64,
    error: Option<io::Error>,
    /// A row's text, reused.
    line: String,
}

impl<'m, W: Write> EventLog<'m, W> {
    /// A log of `model`'s events written to `out`; writes the header now.
    pub fn new(model: &'m Model, mut out: W) -> io::Result<Self> {
        out.write_all(b"replication,patient,class,time,event,service,from,to\n")?;
        Ok(EventLog {
            model,
            out,
            replication: 0,
            error: None,
            line: String::new(),
        })
    }

    /// Sets the replication index written in the rows that follow.
    pub fn set_replication(&mut self, replication: u64) {
        self.replication = replication;
    }

    /// Flushes the output and returns it, or the first error writing it.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> EventRecorder for EventLog<'_, W> {
    fn record(&mut self, event: &PatientEvent) {
        use std::fmt::Write as _;
        if self.error.is_some() {
            return;
        }
        let model = self.model;
        let service_name = |s: ServiceId| model.services()[s.index()].name();
        self.line.clear();
        let _ = write!(
            self.line,
            "{},{},{},{},{},{},",
            self.replication,
            event.patient,
            csv_text(model.classes()[event.class.index()].name()),
            event.time,
            event.kind.as_str(),
            csv_text(service_name(event.service)),
        );
        if let Some(from) = event.from {
            self.line.push_str(&csv_text(service_name(from)));
        }
        self.line.push(',');
        match event.to {
            Some(Destination::Exit) => self.line.push_str("exit"),
            Some(Destination::Service(s)) => self.line.push_str(&csv_text(service_name(s))),
            None => {}
        }
        self.line.push('\n');
        if let Err(e) = self.out.write_all(self.line.as_bytes()) {
            self.error = Some(e);
        }
    }
}

/// `text` as one CSV field: quoted when it holds a comma, a quote or a line break.
pub(crate) fn csv_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        std::borrow::Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
