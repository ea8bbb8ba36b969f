//! Which services each class can reach, and whether each has a length of stay there.

use super::census::{self, Census};
use super::census_list::{self, CensusList};
use super::discharge::Discharge;
use super::ids::{Defined, Ids};
use super::patience::{self, Patiences};
use super::readmissions::{self, Readmissions};
use super::routes::{self, Routes};
use super::source::Source;
use super::stays::{self, Stays};
use super::{ScenarioError, ScenarioErrors};
use crate::{ArrivalStream, Destination, ElectiveList};
use std::collections::VecDeque;

/// How patients move on after a stay: by routes, or by a discharge rule, which replaces them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moves<'a> {
    pub(crate) routes: &'a Routes,
    pub(crate) discharge: &'a Discharge,
    /// Elective lists: entries, like arrival streams.
    pub(crate) electives: &'a Defined<ElectiveList>,
    /// Readmissions: from a service to the service readmitted to.
    pub(crate) readmissions: &'a Readmissions,
    /// Patience: from a service waited for to where those who give up go.
    pub(crate) patience: &'a Patiences,
    /// The census: patients already in services at the start.
    pub(crate) census: &'a Census,
    /// The step-up service of each arrival stream: an entry, like the stream's own.
    pub(crate) step_ups: &'a [Option<crate::ServiceId>],
    /// Today's patients one by one, in places and waiting from outside.
    pub(crate) census_list: &'a CensusList,
}

/// Records a [`ScenarioError::MissingLengthOfStay`] for every (class, service) that a patient
/// can reach without a row in `los.csv`.
///
/// For each class, searches breadth-first from the entry services of its arrival streams (in
/// file order), following routes with probability above 0; each service is reported once, with
/// the first way found to reach it.
///
/// From a (class, service) with a discharge rule the search follows the rule instead of
/// routes: to the destination of every pathway with a positive probability of being
/// predicted, and of every pathway that an assessment may find instead of such a one
/// (whatever the rule's model, so that a variant may switch it). The interim services of
/// discharge to assess need no length of stay, since the assessment is the stay there, and
/// patients go on from them to the same destinations; so they are not searched from, and are
/// checked only if reached some other way.
pub(crate) fn check(
    source: &Source<'_>,
    classes: &Ids,
    services: &Ids,
    arrivals: &Defined<ArrivalStream>,
    stays: &Stays,
    moves: Moves<'_>,
    errors: &mut ScenarioErrors,
) {
    let Moves {
        routes,
        discharge,
        electives,
        readmissions,
        patience,
        census,
        step_ups,
        census_list,
    } = moves;
    let n_services = services.len();
    for class in 0..classes.len() {
        // How each service was first reached, if it was.
        let mut reached_by: Vec<Option<String>> = vec![None; n_services];
        let mut queue = VecDeque::new();
        for (i, stream) in arrivals.items.iter().enumerate() {
            let Some(stream) = stream else { continue };
            let step_up = step_ups.get(i).copied().flatten();
            for service in std::iter::once(stream.service).chain(step_up) {
                let service = service.index();
                if stream.class.index() == class && reached_by[service].is_none() {
                    reached_by[service] = Some(format!("arrival stream '{}'", stream.name));
                    queue.push_back(service);
                }
            }
        }
        for (entry, line) in &census.entries {
            let service = entry.service.index();
            if entry.class.index() == class
                && entry.occupied + entry.queued > 0
                && reached_by[service].is_none()
            {
                reached_by[service] = Some(format!("{} line {line}", census::FILE));
                queue.push_back(service);
            }
        }
        let listed = census_list
            .patients
            .iter()
            .map(|(p, line)| (p.class, p.service, census_list::PATIENTS, line))
            .chain(
                census_list
                    .queue
                    .iter()
                    .map(|(w, line)| (w.class, w.service, census_list::QUEUE, line)),
            );
        for (of, service, file, line) in listed {
            let service = service.index();
            if of.index() == class && reached_by[service].is_none() {
                reached_by[service] = Some(format!("{file} line {line}"));
                queue.push_back(service);
            }
        }
        for list in electives.items.iter().flatten() {
            let service = list.service.index();
            if list.class.index() == class && reached_by[service].is_none() {
                reached_by[service] = Some(format!("elective list '{}'", list.name));
                queue.push_back(service);
            }
        }
        while let Some(service) = queue.pop_front() {
            let cell = class * n_services + service;
            if stays.given[cell].is_none() {
                errors.push(ScenarioError::MissingLengthOfStay {
                    path: source.dir().join(stays::FILE),
                    class: classes.name(class as u32).to_owned(),
                    service: services.name(service as u32).to_owned(),
                    reached_by: reached_by[service]
                        .clone()
                        .expect("a service is queued only once reached"),
                });
            }
            for (readmission, line) in readmissions.cells[cell].iter().flatten() {
                let next = readmission.to.index();
                if readmission.probability > 0.0 && reached_by[next].is_none() {
                    reached_by[next] = Some(format!("{} line {line}", readmissions::FILE));
                    queue.push_back(next);
                }
            }
            if let Some((rule, line)) = &patience.cells[cell]
                && let Destination::Service(next) = rule.then
                && reached_by[next.index()].is_none()
            {
                reached_by[next.index()] = Some(format!("{} line {line}", patience::FILE));
                queue.push_back(next.index());
            }
            if discharge.given[cell].is_some() {
                // A rule replaces the routes; one that could not be built leads nowhere.
                for onward in &discharge.onward[cell] {
                    let next = onward.service.index();
                    if reached_by[next].is_none() {
                        reached_by[next] = Some(format!("{} line {}", onward.file, onward.line));
                        queue.push_back(next);
                    }
                }
                continue;
            }
            for branch in &routes.cells[cell] {
                if let Destination::Service(next) = branch.destination {
                    let next = next.index();
                    if branch.probability > 0.0 && reached_by[next].is_none() {
                        reached_by[next] = Some(format!("{} line {}", routes::FILE, branch.line));
                        queue.push_back(next);
                    }
                }
            }
        }
    }
}
