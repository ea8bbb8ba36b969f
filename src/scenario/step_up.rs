//! `step_up.csv`: admission avoidance, arrival streams that first try a community service.

use super::ScenarioErrors;
use super::arrivals::A_SERVICE;
use super::ids::{Defined, Ids};
use super::source::Source;
use super::table::{Column, Presence, Table};
use crate::{ArrivalStream, CapacityUnit, Service, ServiceId};

pub(crate) const FILE: &str = "step_up.csv";
const COLUMNS: [Column; 2] = [Column::required("stream"), Column::required("service")];

/// What a `stream` cell should name.
const A_STREAM: &str = "an arrival stream in arrivals.csv";

/// The step-up service of each arrival stream and the line giving it, indexed by stream.
#[derive(Debug, Default)]
pub(crate) struct StepUps {
    pub(crate) services: Vec<Option<ServiceId>>,
    pub(crate) lines: Vec<Option<u64>>,
}

/// Reads `step_up.csv` (optional). `None` if the file as a whole cannot be used or the
/// streams or services are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    arrivals: Option<&Defined<ArrivalStream>>,
    services: Option<(&Ids, &[Option<Service>])>,
    errors: &mut ScenarioErrors,
) -> Option<StepUps> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let (arrivals, (ids, items)) = (arrivals?, services?);
    let n = arrivals.ids.len();
    let mut step_ups = StepUps {
        services: vec![None; n],
        lines: vec![None; n],
    };
    for row in table.rows() {
        let stream_field = row.field("stream");
        let stream = arrivals.ids.resolve(stream_field, A_STREAM, errors);
        let service_field = row.field("service");
        let service = ids.resolve(service_field, A_SERVICE, errors);
        let (Some(stream), Some(service)) = (stream, service) else {
            continue;
        };
        let entry = arrivals.get(stream).map(|a| a.service);
        if entry == Some(ServiceId(service)) {
            errors.push(service_field.inconsistent(format!(
                "'{}' is the stream's own entry service: name the service to try first",
                service_field.text()
            )));
            continue;
        }
        let unit = items
            .get(service as usize)
            .and_then(Option::as_ref)
            .map(|s| s.unit)
            .filter(|u| *u != CapacityUnit::Places);
        if let Some(unit) = unit {
            let counts = if unit == CapacityUnit::Hours {
                "hours a week"
            } else {
                "visits"
            };
            errors.push(service_field.inconsistent(format!(
                "service '{}' counts {counts}: a step-up service must count places",
                service_field.text()
            )));
            continue;
        }
        let i = stream as usize;
        if let Some(first_line) = step_ups.lines[i] {
            errors.push(
                stream_field
                    .duplicate_entry(format!("stream '{}'", stream_field.text()), first_line),
            );
            continue;
        }
        step_ups.lines[i] = Some(row.line());
        step_ups.services[i] = Some(ServiceId(service));
    }
    Some(step_ups)
}

/// Refuses step-up services a local authority's care budget pays for: arrivals from a stream
/// are not checked against a budget before trying them.
pub(crate) fn check_care_budgets(
    source: &Source<'_>,
    model: &crate::Model,
    lines: &[Option<u64>],
    errors: &mut ScenarioErrors,
) {
    let funded = crate::engine::funded_by_care_budget(model);
    for (i, &line) in lines.iter().enumerate() {
        let (Some(line), Some(service)) = (line, model.step_up(crate::StreamId(i as u32))) else {
            continue;
        };
        if funded[service.index()] {
            errors.push(super::ScenarioError::Inconsistent {
                path: source.dir().join(FILE),
                line,
                column: "service".into(),
                message: format!(
                    "service '{}' is paid for from a care budget: a step-up service must be \
                     one no care budget pays for",
                    model.services()[service.index()].name()
                ),
            });
        }
    }
}
