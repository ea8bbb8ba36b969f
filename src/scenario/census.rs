//! `census.csv`: who is in each service, and waiting for it, at the start.

use super::arrivals::{A_CLASS, A_SERVICE};
use super::ids::Ids;
use super::source::Source;
use super::stays::Stays;
use super::table::{Column, Field, Presence, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors};
use crate::{
    CensusEntry, ClassId, DistributionError, QueueCapacity, ResidualRule, Service, ServiceId,
};

pub(crate) const FILE: &str = "census.csv";

/// The most patients a census may hold in all (`census.csv`, `census_patients.csv` and
/// `census_queue.csv` together): each is simulated (about 100 bytes).
pub(crate) const MAX_CENSUS: u64 = 10_000_000;
const COLUMNS: [Column; 6] = [
    Column::required("service"),
    Column::required("class"),
    Column::required("occupied"),
    Column::optional("queued"),
    Column::optional("elapsed_days"),
    Column::optional("residual_rule"),
];
const RULES: [(&str, ResidualRule); 2] = [
    ("conditional", ResidualRule::Conditional),
    ("ipacs_uniform", ResidualRule::IpacsUniform),
];

/// `residual_rule`: empty for the default.
pub(super) fn residual_rule(field: Field<'_>, errors: &mut ScenarioErrors) -> Option<ResidualRule> {
    if field.is_empty() {
        Some(ResidualRule::default())
    } else {
        errors.keep(field.one_of(&RULES, &one_of_names(RULES.iter().map(|r| r.0))))
    }
}

/// The IPACS rule given with the days already spent (`field`), which it ignores.
pub(super) fn ipacs_with_elapsed(field: Field<'_>) -> ScenarioError {
    field.inconsistent(
        "residual_rule ipacs_uniform ignores the days already spent; leave elapsed_days empty, or use the conditional rule",
    )
}

/// Why `elapsed` days already spent (given in `field`) cannot be: the class's stays at the
/// service (`class_field`, `service_field`; `cell` their ids) exceed it with probability
/// below 10⁻⁶. `None` if they can, or if the stay is unknown (reported elsewhere).
pub(super) fn elapsed_refusal(
    field: Field<'_>,
    class_field: Field<'_>,
    service_field: Field<'_>,
    stays: Option<&Stays>,
    services: usize,
    (class, service): (u32, u32),
    elapsed: f64,
) -> Option<ScenarioError> {
    let los = stays?.cells[class as usize * services + service as usize].as_ref()?;
    let e = los.remaining_after(elapsed).err()?;
    let message = match e {
        DistributionError::ElapsedTooLong { probability, .. } => format!(
            "class '{}' stays at service '{}' longer than {} days with probability {probability:.3e}, below the 10^-6 careflow accepts: the census and los.csv contradict each other",
            class_field.text(),
            service_field.text(),
            super::error::number(elapsed)
        ),
        e => e.to_string(),
    };
    Some(field.inconsistent(message))
}

/// Whether `service` counts visits (`false` where its row was invalid).
pub(super) fn counts_visits(items: &[Option<Service>], service: u32) -> bool {
    items
        .get(service as usize)
        .and_then(Option::as_ref)
        .is_some_and(|s| s.unit == crate::CapacityUnit::Visits)
}

/// The refusal of an occupant at a service counted in visits with neither the days already
/// spent nor the `ipacs_uniform` rule: their visits depend on the day of their package they
/// are on, which the exact residual draw does not give.
pub(super) fn visits_need_elapsed(field: Field<'_>, service: &str) -> ScenarioError {
    field.inconsistent(format!(
        "service '{service}' counts visits: an occupant's visits depend on the day of their \
         package they are on, so give the days already spent, or residual_rule ipacs_uniform"
    ))
}

/// The census rows read, each with its line.
#[derive(Debug)]
pub(crate) struct Census {
    pub(crate) entries: Vec<(CensusEntry, u64)>,
}

impl Census {
    /// The entries without their lines.
    pub(crate) fn entries(&self) -> Vec<CensusEntry> {
        self.entries.iter().map(|(e, _)| *e).collect()
    }
}

/// Reads `census.csv` (optional) and checks it against the services' queue limits, and each
/// row's elapsed days against its class's length of stay at the service (`stays`, where
/// known). `None` if the file as a whole cannot be used or the classes or services are
/// unknown.
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<(&Ids, &[Option<Service>])>,
    stays: Option<&Stays>,
    errors: &mut ScenarioErrors,
) -> Option<Census> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let (classes, (service_ids, service_items)) = (classes?, services?);
    let mut entries: Vec<(CensusEntry, u64)> = Vec::new();
    let n = service_ids.len();
    let (mut occupied_at, mut queued_at) = (vec![0u64; n], vec![0u64; n]);
    let mut rows = Vec::new();
    for row in table.rows() {
        let service_field = row.field("service");
        let service = service_ids.resolve(service_field, A_SERVICE, errors);
        let class = classes.resolve(row.field("class"), A_CLASS, errors);
        let occupied = errors.keep(row.field("occupied").count());
        let queued_field = row.field("queued");
        let queued = if queued_field.is_empty() {
            Some(0)
        } else {
            errors.keep(queued_field.count())
        };
        let elapsed_field = row.field("elapsed_days");
        let elapsed_days = if elapsed_field.is_empty() {
            Some(None)
        } else {
            errors.keep(elapsed_field.non_negative()).map(Some)
        };
        let rule_field = row.field("residual_rule");
        let residual_rule = residual_rule(rule_field, errors);
        if residual_rule == Some(ResidualRule::IpacsUniform) && !elapsed_field.is_empty() {
            errors.push(ipacs_with_elapsed(elapsed_field));
            continue;
        }
        let (
            Some(service),
            Some(class),
            Some(occupied),
            Some(queued),
            Some(elapsed_days),
            Some(residual_rule),
        ) = (
            service,
            class,
            occupied,
            queued,
            elapsed_days,
            residual_rule,
        )
        else {
            continue;
        };
        if occupied > 0
            && elapsed_days.is_none()
            && residual_rule == ResidualRule::Conditional
            && counts_visits(service_items, service)
        {
            errors.push(visits_need_elapsed(elapsed_field, service_field.text()));
            continue;
        }
        if let Some(elapsed) = elapsed_days
            && let Some(e) = elapsed_refusal(
                elapsed_field,
                row.field("class"),
                service_field,
                stays,
                service_ids.len(),
                (class, service),
                elapsed,
            )
        {
            errors.push(e);
            continue;
        }
        if let Some((_, first_line)) = entries
            .iter()
            .find(|(e, _)| e.service.0 == service && e.class.0 == class)
        {
            errors.push(service_field.duplicate_entry(
                format!(
                    "class '{}' at service '{}'",
                    row.field("class").text(),
                    service_field.text()
                ),
                *first_line,
            ));
            continue;
        }
        let total: u64 = occupied_at.iter().chain(&queued_at).sum::<u64>()
            + u64::from(occupied)
            + u64::from(queued);
        if total > MAX_CENSUS {
            errors.push(row.field("occupied").invalid(format!(
                "a census of at most {MAX_CENSUS} patients in all (each is simulated), so far {total}"
            )));
            continue;
        }
        occupied_at[service as usize] += u64::from(occupied);
        queued_at[service as usize] += u64::from(queued);
        entries.push((
            CensusEntry {
                service: ServiceId(service),
                class: ClassId(class),
                occupied,
                queued,
                elapsed_days,
                residual_rule,
            },
            row.line(),
        ));
        rows.push(row);
    }
    // Totals per service, reported on the service's last census row.
    for (i, row) in rows.iter().enumerate() {
        let service = entries[i].0.service.index();
        let is_last = entries[i + 1..]
            .iter()
            .all(|(e, _)| e.service.index() != service);
        if !is_last {
            continue;
        }
        let name = service_ids.name(service as u32);
        if let Some(Some(s)) = service_items.get(service)
            && let QueueCapacity::Limited(limit) = s.queue_capacity
            && queued_at[service] > u64::from(limit)
        {
            errors.push(row.field("queued").inconsistent(format!(
                "the census queues {} patients for service '{name}', whose queue holds {limit}",
                queued_at[service]
            )));
        }
    }
    Some(Census { entries })
}
