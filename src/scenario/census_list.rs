//! `census_patients.csv` and `census_queue.csv`: today's patients one by one, in places and
//! waiting from outside.

use super::ScenarioErrors;
use super::arrivals::{A_CLASS, A_SERVICE};
use super::census::{self, Census, MAX_CENSUS};
use super::discharge::Discharge;
use super::ids::Ids;
use super::routes::Routes;
use super::source::Source;
use super::stays::Stays;
use super::table::{Column, Field, Presence, Row, Table};
use crate::{
    CensusPatient, CensusWaiting, ClassId, Destination, QueueCapacity, ResidualRule, Service,
    ServiceId, Settings,
};
use std::collections::HashMap;

pub(crate) const PATIENTS: &str = "census_patients.csv";
pub(crate) const QUEUE: &str = "census_queue.csv";

const PATIENT_COLUMNS: [Column; 9] = [
    Column::required("patient"),
    Column::required("service"),
    Column::required("class"),
    Column::optional("elapsed_days"),
    Column::optional("admitted"),
    Column::optional("residual_rule"),
    Column::optional("fit"),
    Column::optional("awaiting"),
    Column::optional("waited_days"),
];
const QUEUE_COLUMNS: [Column; 4] = [
    Column::required("patient"),
    Column::required("service"),
    Column::required("class"),
    Column::optional("waited_days"),
];
const FIT: [(&str, bool); 2] = [("true", true), ("false", false)];

/// Today's patients read, each with its line.
#[derive(Debug, Default)]
pub(crate) struct CensusList {
    pub(crate) patients: Vec<(CensusPatient, u64)>,
    /// In file order (the model sorts them by the days waited).
    pub(crate) queue: Vec<(CensusWaiting, u64)>,
}

impl CensusList {
    /// The patients in places, without their lines.
    pub(crate) fn patients(&self) -> Vec<CensusPatient> {
        self.patients.iter().map(|(p, _)| *p).collect()
    }

    /// The patients waiting from outside, longest waited first (file order among equals).
    pub(crate) fn queue(&self) -> Vec<CensusWaiting> {
        let mut queue: Vec<CensusWaiting> = self.queue.iter().map(|(w, _)| *w).collect();
        queue.sort_by(|a, b| b.waited_days.total_cmp(&a.waited_days));
        queue
    }
}

/// What the list is checked against.
pub(crate) struct Context<'a> {
    pub(crate) classes: Option<&'a Ids>,
    pub(crate) services: Option<(&'a Ids, &'a [Option<Service>])>,
    pub(crate) stays: Option<&'a Stays>,
    pub(crate) routes: Option<&'a Routes>,
    pub(crate) discharge: Option<&'a Discharge>,
    pub(crate) settings: Option<&'a Settings>,
    /// `census.csv`: a service's census is given in one form, and all count to the limit.
    pub(crate) census: Option<&'a Census>,
}

/// A patient id, unique across both files; `seen` holds each id's file and line.
fn patient_id<'a>(
    row: &Row<'a>,
    file: &'static str,
    seen: &mut HashMap<String, (&'static str, u64)>,
    errors: &mut ScenarioErrors,
) -> Option<()> {
    let field = row.field("patient");
    let id = errors.keep(field.id())?;
    if let Some(&(first_file, first_line)) = seen.get(id) {
        errors.push(if first_file == file {
            field.duplicate_entry(format!("patient '{id}'"), first_line)
        } else {
            field.inconsistent(format!(
                "patient '{id}' is also in {first_file} (line {first_line}): a patient is either in a place or waiting from outside"
            ))
        });
        return None;
    }
    seen.insert(id.to_owned(), (file, row.line()));
    Some(())
}

/// `waited_days`: empty for 0.
fn waited(field: Field<'_>, errors: &mut ScenarioErrors) -> Option<f64> {
    if field.is_empty() {
        Some(0.0)
    } else {
        errors.keep(field.non_negative())
    }
}

/// Whether a patient of `class` at `here` can move on to `next`: by a route with probability
/// above 0, or, where a discharge rule replaces the routes, to one of its pathways' services.
fn moves_to((routes, discharge): (&Routes, &Discharge), cell: usize, next: ServiceId) -> bool {
    if discharge.given[cell].is_some() {
        discharge.onward[cell].iter().any(|o| o.service == next)
    } else {
        routes.cells[cell]
            .iter()
            .any(|b| b.probability > 0.0 && b.destination == Destination::Service(next))
    }
}

/// Refuses `field`'s service if `census.csv` gives its census in counts.
fn refuse_mixing(
    field: Field<'_>,
    census: Option<&Census>,
    service: u32,
    errors: &mut ScenarioErrors,
) -> bool {
    let Some((_, line)) =
        census.and_then(|c| c.entries.iter().find(|(e, _)| e.service.0 == service))
    else {
        return false;
    };
    errors.push(field.inconsistent(format!(
        "service '{}' has its census in counts in {} (line {line}): give a service's census in counts or one by one, not both",
        field.text(),
        census::FILE
    )));
    true
}

/// Reads `census_patients.csv` and `census_queue.csv` (both optional). `None` if either file
/// as a whole cannot be used or the classes or services are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    context: Context<'_>,
    errors: &mut ScenarioErrors,
) -> Option<CensusList> {
    let patients = Table::read_in(
        source,
        PATIENTS,
        &PATIENT_COLUMNS,
        Presence::Optional,
        errors,
    );
    let queue = Table::read_in(source, QUEUE, &QUEUE_COLUMNS, Presence::Optional, errors);
    let (patients, queue) = (patients?, queue?);
    let (classes, (service_ids, service_items)) = (context.classes?, context.services?);
    let n = service_ids.len();
    let mut list = CensusList::default();
    let mut seen = HashMap::new();
    let mut total: u64 = context.census.map_or(0, |c| {
        c.entries
            .iter()
            .map(|(e, _)| u64::from(e.occupied) + u64::from(e.queued))
            .sum()
    });
    let mut over_limit = |field: Field<'_>, errors: &mut ScenarioErrors| {
        total += 1;
        if total > MAX_CENSUS {
            errors.push(field.invalid(format!(
                "a census of at most {MAX_CENSUS} patients in all (each is simulated)"
            )));
            return true;
        }
        false
    };
    for row in patients.rows() {
        let id = patient_id(&row, PATIENTS, &mut seen, errors);
        let service_field = row.field("service");
        let service = service_ids.resolve(service_field, A_SERVICE, errors);
        let class = classes.resolve(row.field("class"), A_CLASS, errors);
        let elapsed_field = row.field("elapsed_days");
        let admitted_field = row.field("admitted");
        let elapsed =
            match (elapsed_field.is_empty(), admitted_field.is_empty()) {
                (true, true) => Some(None),
                (false, true) => errors.keep(elapsed_field.non_negative()).map(Some),
                (true, false) => match (errors.keep(admitted_field.date()), context.settings) {
                    (Some(date), Some(settings)) if date > settings.start_date => {
                        errors.push(admitted_field.inconsistent(format!(
                        "admitted after the start date {}: today's patients were admitted by then",
                        settings.start_date
                    )));
                        None
                    }
                    (Some(date), Some(settings)) => {
                        Some(Some((settings.start_date - date).num_days() as f64))
                    }
                    _ => None,
                },
                (false, false) => {
                    errors.push(admitted_field.inconsistent(
                        "give the days already spent or the admission date, not both",
                    ));
                    None
                }
            };
        let elapsed_given = if elapsed_field.is_empty() {
            admitted_field
        } else {
            elapsed_field
        };
        let rule_field = row.field("residual_rule");
        let rule = census::residual_rule(rule_field, errors);
        let fit_field = row.field("fit");
        let awaiting_field = row.field("awaiting");
        let fit = if fit_field.is_empty() {
            Some(!awaiting_field.is_empty())
        } else {
            errors.keep(fit_field.one_of(&FIT, "true or false"))
        };
        let awaiting = if awaiting_field.is_empty() {
            Some(None)
        } else {
            service_ids
                .resolve(awaiting_field, A_SERVICE, errors)
                .map(Some)
        };
        let waited_field = row.field("waited_days");
        let waited_days = waited(waited_field, errors);
        let (
            Some(()),
            Some(service),
            Some(class),
            Some(elapsed),
            Some(rule),
            Some(fit),
            Some(awaiting),
            Some(waited_days),
        ) = (
            id,
            service,
            class,
            elapsed,
            rule,
            fit,
            awaiting,
            waited_days,
        )
        else {
            continue;
        };
        let cell = class as usize * n + service as usize;
        let problem = if !fit && awaiting.is_some() {
            Some(fit_field.inconsistent(
                "a patient awaiting another service is medically fit: leave fit empty or write true",
            ))
        } else if awaiting.is_none() && !waited_field.is_empty() {
            Some(waited_field.inconsistent(
                "waited_days is for a patient awaiting another service; name it in awaiting",
            ))
        } else if fit && !rule_field.is_empty() {
            Some(rule_field.inconsistent(
                "a medically fit patient's stay is over: there is no remaining stay to draw",
            ))
        } else if rule == ResidualRule::IpacsUniform && elapsed.is_some() {
            Some(census::ipacs_with_elapsed(elapsed_given))
        } else if !fit
            && elapsed.is_none()
            && rule == ResidualRule::Conditional
            && census::counts_visits(service_items, service)
        {
            Some(census::visits_need_elapsed(
                elapsed_field,
                service_field.text(),
            ))
        } else if let Some(next) = awaiting
            && let (Some(routes), Some(discharge)) = (context.routes, context.discharge)
            && !moves_to((routes, discharge), cell, ServiceId(next))
        {
            Some(awaiting_field.inconsistent(format!(
                "class '{}' has no way from service '{}' to service '{}' (routes.csv, or the discharge rule's pathways)",
                row.field("class").text(),
                service_field.text(),
                awaiting_field.text()
            )))
        } else if !fit && let Some(elapsed) = elapsed {
            census::elapsed_refusal(
                elapsed_given,
                row.field("class"),
                service_field,
                context.stays,
                n,
                (class, service),
                elapsed,
            )
        } else {
            None
        };
        if let Some(problem) = problem {
            errors.push(problem);
            continue;
        }
        if refuse_mixing(service_field, context.census, service, errors)
            || over_limit(row.field("patient"), errors)
        {
            continue;
        }
        list.patients.push((
            CensusPatient {
                service: ServiceId(service),
                class: ClassId(class),
                elapsed_days: elapsed,
                residual_rule: rule,
                fit,
                awaiting: awaiting.map(ServiceId),
                waited_days,
            },
            row.line(),
        ));
    }
    let mut queued_at = vec![0u64; n];
    let mut rows = Vec::new();
    for row in queue.rows() {
        let id = patient_id(&row, QUEUE, &mut seen, errors);
        let service_field = row.field("service");
        let service = service_ids.resolve(service_field, A_SERVICE, errors);
        let class = classes.resolve(row.field("class"), A_CLASS, errors);
        let waited_days = waited(row.field("waited_days"), errors);
        let (Some(()), Some(service), Some(class), Some(waited_days)) =
            (id, service, class, waited_days)
        else {
            continue;
        };
        if refuse_mixing(service_field, context.census, service, errors)
            || over_limit(row.field("patient"), errors)
        {
            continue;
        }
        queued_at[service as usize] += 1;
        list.queue.push((
            CensusWaiting {
                service: ServiceId(service),
                class: ClassId(class),
                waited_days,
            },
            row.line(),
        ));
        rows.push(row);
    }
    // A queue's limit, reported on the row that passes it.
    let mut counted = vec![0u64; n];
    for ((w, _), row) in list.queue.iter().zip(&rows) {
        let service = w.service.index();
        counted[service] += 1;
        if let Some(Some(s)) = service_items.get(service)
            && let QueueCapacity::Limited(limit) = s.queue_capacity
            && counted[service] == u64::from(limit) + 1
        {
            errors.push(row.field("service").inconsistent(format!(
                "the census queues {} patients for service '{}', whose queue holds {limit}",
                queued_at[service],
                row.field("service").text()
            )));
        }
    }
    Some(list)
}
