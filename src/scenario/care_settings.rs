//! `care_settings.csv`: where each service's care happens (emergency department, hospital,
//! bed, care home or home)
//! and which services are reablement, for the outcome measures of patient journeys.

use super::arrivals::A_SERVICE;
use super::ids::Ids;
use super::source::Source;
use super::table::{Column, Presence, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors};
use crate::{CareSetting, Service, ServiceKind, ServiceSetting};

pub(crate) const FILE: &str = "care_settings.csv";
const COLUMNS: [Column; 3] = [
    Column::required("service"),
    Column::required("setting"),
    Column::optional("reablement"),
];

/// The setting of a service of `kind` without a row; `None` for `other`, which needs one.
pub(crate) fn default_setting(kind: ServiceKind) -> Option<ServiceSetting> {
    let (setting, reablement) = match kind {
        ServiceKind::EmergencyDepartment => (CareSetting::Emergency, false),
        ServiceKind::AcuteBed => (CareSetting::Hospital, false),
        ServiceKind::CommunityBed | ServiceKind::DischargeToAssessBed => (CareSetting::Bed, false),
        ServiceKind::Reablement => (CareSetting::Home, true),
        ServiceKind::HomeCare => (CareSetting::Home, false),
        ServiceKind::CareHome => (CareSetting::CareHome, false),
        ServiceKind::Other => return None,
    };
    Some(ServiceSetting {
        setting,
        reablement,
    })
}

/// Reads `care_settings.csv` (optional): the setting of each service, indexed by service,
/// empty without the file (or with no rows). A service without a row takes its kind's
/// setting; a service of kind `other` needs a row. `None` if the file as a whole cannot be
/// used, the services are unknown or a row has a problem.
pub(crate) fn read(
    source: &Source<'_>,
    services: Option<(&Ids, &[Option<Service>])>,
    errors: &mut ScenarioErrors,
) -> Option<Vec<ServiceSetting>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    if table.rows().next().is_none() {
        // No file (or no rows): no outcome measures.
        return Some(Vec::new());
    }
    let (ids, items) = services?;
    let settings: Vec<(&str, CareSetting)> =
        CareSetting::ALL.iter().map(|&s| (s.as_str(), s)).collect();
    let expected = one_of_names(settings.iter().map(|s| s.0));
    let mut given: Vec<Option<(ServiceSetting, u64)>> = vec![None; ids.len()];
    let mut ok = true;
    for row in table.rows() {
        let service_field = row.field("service");
        let service = ids.resolve(service_field, A_SERVICE, errors);
        let setting = errors.keep(row.field("setting").one_of(&settings, &expected));
        let reablement_field = row.field("reablement");
        let reablement = if reablement_field.is_empty() {
            Some(false)
        } else {
            errors
                .keep(reablement_field.one_of(&[("true", true), ("false", false)], "true or false"))
        };
        let (Some(service), Some(setting), Some(reablement)) = (service, setting, reablement)
        else {
            ok = false;
            continue;
        };
        let cell = &mut given[service as usize];
        if let Some((_, first_line)) = cell {
            errors.push(
                service_field
                    .duplicate_entry(format!("service '{}'", service_field.text()), *first_line),
            );
            ok = false;
            continue;
        }
        *cell = Some((
            ServiceSetting {
                setting,
                reablement,
            },
            row.line(),
        ));
    }
    let mut settings = Vec::with_capacity(ids.len());
    let mut missing = Vec::new();
    for (i, given) in given.into_iter().enumerate() {
        let default = items
            .get(i)
            .and_then(Option::as_ref)
            .map(|s| default_setting(s.kind));
        match (given, default) {
            (Some((s, _)), _) => settings.push(s),
            (None, Some(Some(s))) => settings.push(s),
            (None, Some(None)) => missing.push(ids.name(i as u32)),
            // The service's row of services.csv has a problem, recorded there.
            (None, None) => ok = false,
        }
    }
    if ok && table.is_complete() && !missing.is_empty() {
        errors.push(ScenarioError::Inconsistent {
            path: table.path().to_path_buf(),
            line: 1,
            column: "service".to_owned(),
            message: format!(
                "a service of kind 'other' needs a row, since its kind does not say whether its \
                 patients are in an emergency department, in hospital, in a bed, in a care home \
                 or at home; missing: {}",
                missing.join(", ")
            ),
        });
        return None;
    }
    ok.then_some(settings)
}
