//! Which services each class can reach, and whether each has a length of stay there.

use super::ids::{Defined, Ids};
use super::routes::{self, Routes};
use super::source::Source;
use super::stays::{self, Stays};
use super::{ScenarioError, ScenarioErrors};
use crate::{ArrivalStream, Destination};
use std::collections::VecDeque;

/// Records a [`ScenarioError::MissingLengthOfStay`] for every (class, service) that a patient
/// can reach without a row in `los.csv`.
///
/// For each class, searches breadth-first from the entry services of its arrival streams (in
/// file order), following routes with probability above 0; each service is reported once, with
/// the first way found to reach it.
pub(crate) fn check(
    source: &Source<'_>,
    classes: &Ids,
    services: &Ids,
    arrivals: &Defined<ArrivalStream>,
    stays: &Stays,
    routes: &Routes,
    errors: &mut ScenarioErrors,
) {
    let n_services = services.len();
    for class in 0..classes.len() {
        // How each service was first reached, if it was.
        let mut reached_by: Vec<Option<String>> = vec![None; n_services];
        let mut queue = VecDeque::new();
        for stream in arrivals.items.iter().flatten() {
            let service = stream.service.index();
            if stream.class.index() == class && reached_by[service].is_none() {
                reached_by[service] = Some(format!("arrival stream '{}'", stream.name));
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
