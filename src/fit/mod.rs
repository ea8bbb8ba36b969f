//! Fitting a scenario from an extract of episodes ([`episodes`](crate::episodes)): arrival
//! streams, lengths of stay, routes and today's census, written as a scenario folder that
//! [`Model::load`](crate::Model::load) reads.
//!
//! ```
//! use careflow::{Model, episodes, fit};
//!
//! let extract = episodes::read("scenarios/synthetic_extract/episodes.csv")?;
//! let fitted = fit::fit(&extract, &fit::FitOptions::default())?;
//! let folder = tempfile::tempdir()?;
//! fitted.write_scenario(folder.path(), &fit::FitOptions::default())?;
//! let model = Model::load(folder.path())?;
//! assert_eq!(model.arrivals().len(), fitted.streams.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is fitted, and how
//!
//! - **The extract's window** runs from the earliest `start` to the latest time in the file,
//!   unless [`FitOptions`] or the file's `# extract from` and `# extract to` lines say
//!   otherwise; stays still open at its end are right-censored there, and stays that started
//!   before its start (in progress then) are left-truncated: their likelihood is conditional
//!   on lasting until the start.
//! - **Arrivals**: an episode that starts a spell (the patient's first, or the first after
//!   one they left the system from) after the window's start (at or after it, when the
//!   window starts at the first episode) is an arrival of its class at its service. Each (class,
//!   service) is a Poisson stream, `rate_per_day` the arrivals over the window's days with
//!   the exact 95% interval. Hour-of-day, weekday and month-of-year multipliers are written
//!   only where Pearson's chi-square test rejects a flat profile at the 1% level
//!   ([`arrivals::PROFILE_LEVEL`]; cells need 5 expected arrivals): hours as shares of the
//!   day's arrivals, weekdays as rates per day of that weekday (from the days of it in the
//!   window), months of the year likewise, written as dated periods in the twelve months
//!   from the scenario's start, so the pattern seen repeats.
//! - **Lengths of stay** per (class, service), by maximum likelihood over ended stays
//!   (their density) and open ones (their survival to the window's end): exponential,
//!   gamma, lognormal and Weibull, each maximised over its log-scale for each log-shape (a
//!   profile likelihood, [`optimise`]); the family with the lowest AIC is chosen. A stay
//!   recorded as 0 counts as shorter than a minute ([`stays::RESOLUTION_DAYS`]). Intervals
//!   are 95%, from the observed information (a numerical Hessian) by the delta method on
//!   the log of each quantity. The check is a Kolmogorov–Smirnov distance between the fitted
//!   distribution function and the Kaplan–Meier estimate; a fit whose distance exceeds the
//!   5% critical value for known parameters, `1.358/√n` (lenient, as the parameters were
//!   estimated), is poor: then, if at least 30 stays ended and at most 5% are open, the
//!   observed stays are used instead (`empirical`), else the family is kept, with a warning.
//! - **Routes**: per (class, service), the share of ended episodes going to each `next`,
//!   with its count and Wilson 95% interval. A route to a service where the class has no
//!   episode (so no stay can be fitted) is written as `exit`, with a warning.
//! - **Census**: the patients still in at the window's end, with their days so far
//!   (`census_patients.csv`); the scenario starts on the window's last day. A stay so far
//!   that the fitted distribution makes implausible (exceeded with probability below
//!   10⁻⁵) is written without `elapsed_days` (remaining stay from the steady state), with a
//!   warning.
//! - **Services** are `other`, with an unlimited waiting list and capacity the most
//!   patients the extract shows in them at once, unless [`FitOptions::services_from`]
//!   names a scenario whose `services.csv` and `organisations.csv` are copied instead.
//!
//! Warnings ([`ScenarioFit::warnings`]) flag thin data (fewer than 30 episodes of a (class,
//! service), or 30 arrivals of a stream) and poor fits.

pub mod arrivals;
pub mod optimise;
pub mod stays;

use crate::episodes::{Episodes, Next, days_between};
use crate::scenario::{ScenarioError, ScenarioErrors};
use crate::{Error, LengthOfStay};
use arrivals::StreamFit;
use chrono::NaiveDateTime;
use stays::StaySample;
pub use stays::{Estimate, Family, FamilyFit, Unfitted};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Fewer episodes (or arrivals) than this is thin data, warned about.
pub const THIN: usize = 30;

/// The most a census patient's days so far may be improbable under the fitted stay.
const CENSUS_TAIL: f64 = 1e-5;

/// How to fit and write a scenario.
#[derive(Debug, Clone)]
pub struct FitOptions {
    /// The start of the extract: spells starting after it are arrivals; episodes starting
    /// before it were in progress then (left-truncated stays). Default: the file's
    /// `# extract from` line, else the earliest start.
    pub extract_start: Option<NaiveDateTime>,
    /// The end of the extract: stays open then are censored there. Default: the latest time
    /// in the file (or its `# extract to` line).
    pub extract_end: Option<NaiveDateTime>,
    /// `horizon_days` of the scenario written.
    pub horizon_days: f64,
    /// `replications` of the scenario written.
    pub replications: u32,
    /// A scenario folder whose `services.csv` and `organisations.csv` to copy (real
    /// capacities and providers), instead of writing services with the most patients seen.
    pub services_from: Option<PathBuf>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            extract_start: None,
            extract_end: None,
            horizon_days: 365.0,
            replications: 10,
            services_from: None,
        }
    }
}

/// How one (class, service)'s stays are simulated.
#[derive(Debug, Clone)]
pub enum Chosen {
    /// The family of [`StayFit::families`] at this index, lowest AIC.
    Family(usize),
    /// The observed stays that ended, resampled: no family fitted well.
    Empirical(Vec<f64>),
}

/// The stays of one (class, service), fitted.
#[derive(Debug, Clone)]
pub struct StayFit {
    /// The class.
    pub class: String,
    /// The service.
    pub service: String,
    /// Episodes.
    pub episodes: usize,
    /// Of which ended.
    pub ended: usize,
    /// Of which ended with length 0.
    pub zero: usize,
    /// Of which still open (censored).
    pub censored: usize,
    /// Each family fitted, or why not.
    pub families: Vec<(Family, Result<FamilyFit, Unfitted>)>,
    /// What is simulated.
    pub chosen: Chosen,
    /// Kaplan–Meier survival just after each time a stay ended, for the report.
    pub kaplan_meier: Vec<(f64, f64)>,
}

impl StayFit {
    /// The chosen family's fit, unless the stays are resampled.
    pub fn best(&self) -> Option<&FamilyFit> {
        match self.chosen {
            Chosen::Family(i) => self.families[i].1.as_ref().ok(),
            Chosen::Empirical(_) => None,
        }
    }

    /// The distribution simulated.
    pub fn stay(&self) -> LengthOfStay {
        match &self.chosen {
            Chosen::Family(i) => self.families[*i]
                .1
                .as_ref()
                .expect("the chosen family was fitted")
                .stay
                .clone(),
            Chosen::Empirical(stays) => LengthOfStay::empirical(stays.clone())
                .expect("observed stays are finite and at least 0"),
        }
    }
}

/// One route: where patients of a class went after a service.
#[derive(Debug, Clone)]
pub struct RouteFit {
    /// The class.
    pub class: String,
    /// The service left.
    pub service: String,
    /// Where to: a service id or `exit`.
    pub next: String,
    /// Episodes that went there.
    pub count: u64,
    /// Ended episodes of the (class, service).
    pub total: u64,
    /// The share, with its Wilson 95% interval.
    pub probability: Estimate,
}

/// A patient still in at the end of the extract.
#[derive(Debug, Clone)]
pub struct CensusPatientFit {
    /// Their id.
    pub patient: String,
    /// The class.
    pub class: String,
    /// The service.
    pub service: String,
    /// Days in the service so far; `None` when left out (see the module documentation).
    pub elapsed_days: Option<f64>,
    /// Whether they were medically fit.
    pub fit: bool,
}

/// A scenario fitted from an extract.
#[derive(Debug, Clone)]
pub struct ScenarioFit {
    /// The episode file fitted.
    pub source: PathBuf,
    /// The extract's window.
    pub window: (NaiveDateTime, NaiveDateTime),
    /// The classes, in order of first appearance.
    pub classes: Vec<String>,
    /// The services with their most patients at once, in order of first appearance.
    pub services: Vec<(String, u64)>,
    /// Arrival streams.
    pub streams: Vec<StreamFit>,
    /// Lengths of stay.
    pub stays: Vec<StayFit>,
    /// Routes.
    pub routes: Vec<RouteFit>,
    /// Patients in at the end.
    pub census: Vec<CensusPatientFit>,
    /// What to look at before trusting the scenario.
    pub warnings: Vec<String>,
}

/// Fits a scenario to `episodes` (see the [module documentation](self)).
///
/// # Errors
///
/// [`Error::Scenario`] with positioned problems: an `extract_end` before a time in the
/// file; a window of no length; a (class, service) none of whose stays ended (all open), or
/// whose stays all have length 0, or that no family fits.
pub fn fit(episodes: &Episodes, options: &FitOptions) -> Result<ScenarioFit, Error> {
    let path = episodes.path().to_path_buf();
    let list = episodes.episodes();
    let mut errors = ScenarioErrors(Vec::new());
    let (first, last) = episodes.span();
    let declared = episodes.declared_window();
    let given_start = options.extract_start.or(declared.0);
    let start = given_start.unwrap_or(first);
    let end = options.extract_end.or(declared.1).unwrap_or(last);
    // A spell starting at a declared start was in progress then (a census at a run's start),
    // so arrivals are counted after it; without one, from the first episode on.
    let arrives = |t: NaiveDateTime| t > start || (given_start.is_none() && t == start);
    if let Some(late) = list
        .iter()
        .find(|e| e.start > end || e.end.is_some_and(|t| t > end))
    {
        errors.push(ScenarioError::Inconsistent {
            path: path.clone(),
            line: late.line,
            column: if late.start > end { "start" } else { "end" }.to_owned(),
            message: format!("after the extract's end ({end})"),
        });
        return Err(Error::Scenario(errors));
    }
    if end <= start {
        errors.push(ScenarioError::Inconsistent {
            path,
            line: list[0].line,
            column: "start".to_owned(),
            message: format!(
                "the extract spans no time (from {start} to {end}): arrival rates cannot be fitted"
            ),
        });
        return Err(Error::Scenario(errors));
    }

    let mut classes: Vec<String> = Vec::new();
    let mut services: Vec<String> = Vec::new();
    for e in list {
        if !classes.contains(&e.class) {
            classes.push(e.class.clone());
        }
        if !services.contains(&e.service) {
            services.push(e.service.clone());
        }
    }
    let mut warnings = Vec::new();

    // Arrivals, by (class, service) in order of first appearance.
    let mut arrivals: Vec<((String, String), Vec<NaiveDateTime>)> = Vec::new();
    for (i, e) in list.iter().enumerate() {
        if !episodes.is_arrival(i) || !arrives(e.start) {
            continue;
        }
        let key = (e.class.clone(), e.service.clone());
        match arrivals.iter_mut().find(|(k, _)| *k == key) {
            Some((_, times)) => times.push(e.start),
            None => arrivals.push((key, vec![e.start])),
        }
    }
    let mut ids: Vec<String> = Vec::new();
    let streams: Vec<StreamFit> = arrivals
        .into_iter()
        .map(|((class, service), times)| {
            let mut id = format!("{class}_{service}");
            while ids.contains(&id) {
                id.push('_');
            }
            ids.push(id.clone());
            if times.len() < THIN {
                warnings.push(format!(
                    "arrivals of class '{class}' at '{service}': {} in the extract, fewer than {THIN}: the rate is uncertain",
                    times.len()
                ));
            }
            arrivals::fit_stream(id, class, service, &times, start, end)
        })
        .collect();

    // Stays, by (class, service).
    let mut samples: BTreeMap<(usize, usize), (StaySample, u64)> = BTreeMap::new();
    for e in list {
        let key = (
            classes.iter().position(|c| *c == e.class).expect("listed"),
            services
                .iter()
                .position(|s| *s == e.service)
                .expect("listed"),
        );
        let (sample, _) = samples
            .entry(key)
            .or_insert((StaySample::default(), e.line));
        if e.start < start {
            sample.entered.push(days_between(e.start, start));
        }
        match e.days() {
            Some(d) if d > 0.0 => sample.exact.push(d),
            Some(_) => sample.zero += 1,
            None => sample.censored.push(days_between(e.start, end)),
        }
    }
    let mut stay_fits = Vec::new();
    for (&(c, s), (sample, line)) in &samples {
        let (class, service) = (&classes[c], &services[s]);
        let problem = |message: String| ScenarioError::Inconsistent {
            path: path.clone(),
            line: *line,
            column: "end".to_owned(),
            message,
        };
        let subject = format!("class '{class}' at service '{service}'");
        if sample.ended() == 0 {
            errors.push(problem(format!(
                "no stay of {subject} ended in the extract ({} still open, first at this line): no length of stay can be fitted",
                sample.censored.len()
            )));
            continue;
        }
        if sample.exact.is_empty() {
            errors.push(problem(format!(
                "every stay of {subject} that ended ({}, first at this line) lasted 0: no length of stay can be fitted; check the times",
                sample.zero
            )));
            continue;
        }
        let families: Vec<(Family, Result<FamilyFit, Unfitted>)> = Family::ALL
            .iter()
            .map(|&f| (f, stays::fit_family(sample, f)))
            .collect();
        let Some(best) = (0..families.len())
            .filter(|&i| families[i].1.is_ok())
            .min_by(|&a, &b| {
                let aic = |i: usize| families[i].1.as_ref().map_or(f64::INFINITY, |f| f.aic);
                aic(a).total_cmp(&aic(b))
            })
        else {
            errors.push(problem(format!(
                "no family fits the stays of {subject} (first at this line): {}",
                families
                    .iter()
                    .map(|(f, r)| format!("{}: {:?}", f.as_str(), r.as_ref().err()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
            continue;
        };
        let total = sample.ended() + sample.censored.len();
        if total < THIN {
            warnings.push(format!(
                "stays of {subject}: {total} episodes, fewer than {THIN}: the fit is uncertain and the family poorly determined"
            ));
        }
        let fit = families[best].1.as_ref().expect("filtered");
        let critical = stays::ks_critical(sample.ended());
        let open_share = sample.censored.len() as f64 / total as f64;
        let chosen = if fit.ks <= critical {
            Chosen::Family(best)
        } else if sample.ended() >= THIN && open_share <= 0.05 {
            warnings.push(format!(
                "stays of {subject}: no family fits (best {}, Kolmogorov–Smirnov distance {:.3} above {:.3}); the {} observed stays are resampled instead (empirical)",
                fit.family.as_str(),
                fit.ks,
                critical,
                sample.ended()
            ));
            let mut observed = sample.exact.clone();
            observed.extend(std::iter::repeat_n(0.0, sample.zero));
            Chosen::Empirical(observed)
        } else {
            warnings.push(format!(
                "stays of {subject}: the best family ({}) fits poorly (Kolmogorov–Smirnov distance {:.3} above {:.3}); kept, as {}",
                fit.family.as_str(),
                fit.ks,
                critical,
                if sample.ended() < THIN {
                    "too few stays ended to resample them".to_owned()
                } else {
                    format!(
                        "{:.0}% of the stays are open and resampling the ended ones would shorten them",
                        open_share * 100.0
                    )
                }
            ));
            Chosen::Family(best)
        };
        stay_fits.push(StayFit {
            class: class.clone(),
            service: service.clone(),
            episodes: total,
            ended: sample.ended(),
            zero: sample.zero,
            censored: sample.censored.len(),
            families,
            chosen,
            kaplan_meier: stays::kaplan_meier(sample),
        });
    }
    if !errors.is_empty() {
        errors.sort_by_line_from(0);
        return Err(Error::Scenario(errors));
    }

    // Routes.
    let has_stay = |class: &str, service: &str| {
        stay_fits
            .iter()
            .any(|f| f.class == class && f.service == service)
    };
    let mut counts: BTreeMap<(usize, usize), Vec<(String, u64)>> = BTreeMap::new();
    for e in list {
        let Some(next) = &e.next else { continue };
        let key = (
            classes.iter().position(|c| *c == e.class).expect("listed"),
            services
                .iter()
                .position(|s| *s == e.service)
                .expect("listed"),
        );
        let next = match next {
            Next::Exit => "exit".to_owned(),
            Next::Service(s) => s.clone(),
        };
        let row = counts.entry(key).or_default();
        match row.iter_mut().find(|(n, _)| *n == next) {
            Some((_, count)) => *count += 1,
            None => row.push((next, 1)),
        }
    }
    let mut routes = Vec::new();
    for ((c, s), mut row) in counts {
        let (class, service) = (&classes[c], &services[s]);
        // Routes to services with no stay of the class become exits.
        let mut exits = 0;
        row.retain(|(next, count)| {
            let keep = next == "exit" || has_stay(class, next);
            if !keep {
                warnings.push(format!(
                    "{count} patients of class '{class}' went from '{service}' to '{next}', where the extract has no stay of the class: routed to exit"
                ));
                exits += count;
            }
            keep
        });
        if exits > 0 {
            match row.iter_mut().find(|(n, _)| n == "exit") {
                Some((_, count)) => *count += exits,
                None => row.push(("exit".to_owned(), exits)),
            }
        }
        let total: u64 = row.iter().map(|(_, n)| n).sum();
        for (next, count) in row {
            routes.push(RouteFit {
                class: class.clone(),
                service: service.clone(),
                next,
                count,
                total,
                probability: wilson(count, total),
            });
        }
    }

    // Census at the end.
    let mut census = Vec::new();
    for e in list.iter().filter(|e| e.end.is_none()) {
        let elapsed = days_between(e.start, end);
        let stay = stay_fits
            .iter()
            .find(|f| f.class == e.class && f.service == e.service)
            .expect("every (class, service) with episodes was fitted")
            .stay();
        let fit = e.fit.is_some();
        let plausible = fit || stay.probability_above(elapsed) >= CENSUS_TAIL;
        if !plausible {
            warnings.push(format!(
                "patient '{}' (line {}): {elapsed:.1} days so far at '{}', which the fitted stay of class '{}' exceeds with probability below {CENSUS_TAIL}: written without elapsed_days",
                e.patient, e.line, e.service, e.class
            ));
        }
        census.push(CensusPatientFit {
            patient: e.patient.clone(),
            class: e.class.clone(),
            service: e.service.clone(),
            elapsed_days: plausible.then_some(elapsed),
            fit,
        });
    }

    let services = services
        .into_iter()
        .map(|s| {
            let peak = peak_occupancy(
                list.iter()
                    .filter(|e| e.service == s)
                    .map(|e| (e.start, e.end)),
            );
            (s, peak)
        })
        .collect();
    Ok(ScenarioFit {
        source: episodes.path().to_path_buf(),
        window: (start, end),
        classes,
        services,
        streams,
        stays: stay_fits,
        routes,
        census,
        warnings,
    })
}

/// The most stays in progress at once.
fn peak_occupancy(stays: impl Iterator<Item = (NaiveDateTime, Option<NaiveDateTime>)>) -> u64 {
    let mut changes: Vec<(NaiveDateTime, i64)> = Vec::new();
    for (start, end) in stays {
        changes.push((start, 1));
        if let Some(end) = end {
            changes.push((end, -1));
        }
    }
    // Leaving before arriving at the same moment: a bed turned round is one bed.
    changes.sort();
    let (mut now, mut peak) = (0i64, 0i64);
    for (_, change) in changes {
        now += change;
        peak = peak.max(now);
    }
    peak as u64
}

/// The Wilson 95% interval of a proportion.
fn wilson(count: u64, total: u64) -> Estimate {
    let (x, n) = (count as f64, total as f64);
    let z: f64 = 1.959_963_984_540_054;
    let p = x / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    Estimate {
        value: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

mod write;

/// One estimate of two fits side by side ([`ScenarioFit::compare`]).
#[derive(Debug, Clone)]
pub struct Agreement {
    /// What is estimated, e.g. `stay mean of 'frail' at 'ward'`.
    pub what: String,
    /// This fit's estimate; `None` where it has none.
    pub ours: Option<Estimate>,
    /// The other fit's.
    pub theirs: Option<Estimate>,
}

impl Agreement {
    /// Whether both fits have the estimate and their 95% intervals overlap (for two
    /// independent estimates with equal standard errors, a test at about the 0.6% level:
    /// lenient, so a disagreement matters).
    pub fn agrees(&self) -> bool {
        match (self.ours, self.theirs) {
            (Some(a), Some(b)) => a.low <= b.high && b.low <= a.high,
            _ => false,
        }
    }
}

impl ScenarioFit {
    /// The fit report: one self-contained HTML page, like the run report, with the
    /// warnings, the arrival streams, each (class, service)'s stays observed (Kaplan–Meier)
    /// against fitted as a distribution function and a Q–Q plot beside a table of every
    /// family's AIC, Kolmogorov–Smirnov distance and parameters with intervals, and the
    /// routes. [`write_scenario`](Self::write_scenario) writes it as `fit_report.html`.
    ///
    /// # Errors
    ///
    /// [`Error::Output`] (for the file `fit_report.html`) if a chart cannot be drawn.
    pub fn report_html(&self) -> Result<String, Error> {
        crate::report::fit_page(self, &self.source.display().to_string()).map_err(|e| {
            Error::Output {
                path: PathBuf::from("fit_report.html"),
                source: std::io::Error::other(e),
            }
        })
    }

    /// This fit's arrival rates, stay means and route shares beside `other`'s, matched by
    /// class, service (and next service): to check a scenario fitted from an extract against
    /// the same fit of its own simulated episodes, or two extracts against each other.
    /// Stays resampled (empirical) have no interval and compare as missing.
    pub fn compare(&self, other: &ScenarioFit) -> Vec<Agreement> {
        let mut out = Vec::new();
        let mut pair = |what: String, ours: Option<Estimate>, theirs: Option<Estimate>| {
            if !out.iter().any(|a: &Agreement| a.what == what) {
                out.push(Agreement { what, ours, theirs });
            }
        };
        for (a, b) in [(self, other), (other, self)] {
            let flip = !std::ptr::eq(a, self);
            let order =
                |x: Option<Estimate>, y: Option<Estimate>| if flip { (y, x) } else { (x, y) };
            for s in &a.streams {
                let theirs = b
                    .streams
                    .iter()
                    .find(|t| t.class == s.class && t.service == s.service)
                    .map(|t| t.rate);
                let (x, y) = order(Some(s.rate), theirs);
                pair(
                    format!("arrivals a day of '{}' at '{}'", s.class, s.service),
                    x,
                    y,
                );
            }
            for f in &a.stays {
                let theirs = b
                    .stays
                    .iter()
                    .find(|t| t.class == f.class && t.service == f.service)
                    .and_then(|t| t.best().map(|b| b.mean));
                let (x, y) = order(f.best().map(|b| b.mean), theirs);
                pair(
                    format!("stay mean of '{}' at '{}'", f.class, f.service),
                    x,
                    y,
                );
            }
            for r in &a.routes {
                let theirs = b
                    .routes
                    .iter()
                    .find(|t| t.class == r.class && t.service == r.service && t.next == r.next)
                    .map(|t| t.probability);
                let (x, y) = order(Some(r.probability), theirs);
                pair(
                    format!(
                        "share of '{}' from '{}' to '{}'",
                        r.class, r.service, r.next
                    ),
                    x,
                    y,
                );
            }
        }
        out
    }
}
