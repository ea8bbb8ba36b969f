//! `outcome_contracts.csv`: contracts that pay for outcomes — incentive schemes, payments per
//! outcome, gain shares and a prime contractor's outcome pot.

use super::contracts::{A_SHARE, Cells, Need, service_list};
use super::funding::AN_ORGANISATION;
use super::ids::{Defined, Ids};
use super::source::Source;
use super::table::{Column, Field, Presence, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors};
use crate::{
    CareSetting, Contract, ContractId, ContractKind, ContractTerms, Kpi, Organisation,
    OrganisationId, Outcome, OutcomeContract, OutcomeContractKind, OutcomeKpi, OutcomeTerms,
    ServiceSetting, Statistic, Target, YearKpi,
};

pub(crate) const FILE: &str = "outcome_contracts.csv";
const COLUMNS: [Column; 17] = [
    Column::required("contract"),
    Column::required("type"),
    Column::optional("payer"),
    Column::optional("provider"),
    Column::optional("base"),
    Column::optional("share"),
    Column::optional("targets"),
    Column::optional("outcome"),
    Column::optional("services"),
    Column::optional("amount"),
    Column::optional("deduction"),
    Column::optional("floor"),
    Column::optional("target"),
    Column::optional("kpi"),
    Column::optional("baseline"),
    Column::optional("members"),
    Column::optional("active"),
];

/// Service statistics that are totals over time, so that they have a value per year.
const SERVICE_TOTALS: [Kpi; 18] = [
    Kpi::Arrivals,
    Kpi::Admissions,
    Kpi::Departures,
    Kpi::Diverted,
    Kpi::Cancelled,
    Kpi::Reneged,
    Kpi::Readmissions,
    Kpi::LongWaits,
    Kpi::DelayedBedDays,
    Kpi::DelayedPatients,
    Kpi::DelayedBedDaysAwaitingPlace,
    Kpi::DelayedBedDaysAwaitingFunding,
    Kpi::DelayedBedDaysAwaitingAssessment,
    Kpi::DelayedPatientsAwaitingPlace,
    Kpi::DelayedPatientsAwaitingFunding,
    Kpi::DelayedPatientsAwaitingAssessment,
    Kpi::EscalationDaysOpen,
    Kpi::EscalationBedDays,
];

/// Outcome measures with a value per year (quantiles and maxima are not added up by year).
const OUTCOMES_BY_YEAR: [OutcomeKpi; 11] = [
    OutcomeKpi::ReablementDischarges,
    OutcomeKpi::StillAtHome91,
    OutcomeKpi::StillAtHome91Share,
    OutcomeKpi::HospitalDischarges30,
    OutcomeKpi::Readmitted30,
    OutcomeKpi::Readmitted30Share,
    OutcomeKpi::HospitalDischarges90,
    OutcomeKpi::MeanDaysAtHome90,
    OutcomeKpi::PatientsLeft,
    OutcomeKpi::PatientsDelayed,
    OutcomeKpi::MeanDelayedDays,
];

/// Whether outcome contracts of `kind` use `column` (one of the columns after `type`, other
/// than `active`).
fn need(kind: OutcomeContractKind, column: &str) -> Need {
    use OutcomeContractKind::*;
    match (kind, column) {
        (_, "payer") => Need::Required,
        (GainShare, "provider") => Need::Not,
        (_, "provider") => Need::Required,
        (Incentive | OutcomePot, "base" | "share")
        | (Incentive, "targets")
        | (OutcomePayment | OutcomePot, "outcome")
        | (OutcomePot, "floor" | "target")
        | (GainShare, "amount" | "kpi" | "baseline" | "members") => Need::Required,
        (OutcomePayment, "services" | "amount" | "deduction") => Need::Optional,
        _ => Need::Not,
    }
}

/// What the scenario's other files tell the outcome contracts.
pub(crate) struct Context<'a> {
    pub(crate) organisations: Option<&'a Defined<Organisation>>,
    pub(crate) services: Option<&'a Ids>,
    /// The active contracts of `contracts.csv`.
    pub(crate) contracts: Option<&'a [Contract]>,
    /// The care settings (empty without `care_settings.csv`).
    pub(crate) care_settings: Option<&'a [ServiceSetting]>,
}

/// Reads `outcome_contracts.csv` (optional): the active outcome contracts in file order.
/// `None` if the file as a whole cannot be used, what it refers to is unknown, or a row has a
/// problem.
pub(crate) fn read(
    source: &Source<'_>,
    context: Context<'_>,
    errors: &mut ScenarioErrors,
) -> Option<Vec<OutcomeContract>> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let (Some(organisations), Some(services), Some(contracts), Some(settings)) = (
        context.organisations,
        context.services,
        context.contracts,
        context.care_settings,
    ) else {
        return None;
    };
    let kinds: Vec<(&str, OutcomeContractKind)> = OutcomeContractKind::ALL
        .iter()
        .map(|&k| (k.as_str(), k))
        .collect();
    let expected_kind = one_of_names(kinds.iter().map(|k| k.0));
    let outcomes: Vec<(&str, Outcome)> = Outcome::ALL.iter().map(|&o| (o.as_str(), o)).collect();
    let expected_outcome = one_of_names(outcomes.iter().map(|o| o.0));
    let mut ids = Ids::new(table.is_complete());
    let mut all_ok = true;
    let mut read = Vec::new();
    for row in table.rows() {
        let id = errors.keep(ids.define(row.field("contract")));
        let Some(kind) = errors.keep(row.field("type").one_of(&kinds, &expected_kind)) else {
            all_ok = false;
            continue;
        };
        let need_of = |column: &str| need(kind, column);
        let mut cells = Cells {
            row,
            kind: kind.as_str(),
            need: &need_of,
            ok: id.is_some(),
        };
        let mut organisation = |column: &'static str, cells: &mut Cells<'_, '_>| {
            let field = cells.get(column, errors)?;
            let o = organisations.ids.resolve(field, AN_ORGANISATION, errors);
            cells.ok &= o.is_some();
            o.map(OrganisationId)
        };
        let payer = organisation("payer", &mut cells);
        let provider = organisation("provider", &mut cells);
        if let (Some(payer), Some(provider)) = (payer, provider)
            && payer == provider
        {
            errors.push(row.field("provider").inconsistent(format!(
                "the provider must differ from the payer ('{}')",
                organisations.ids.name(payer.0)
            )));
            cells.ok = false;
        }
        let share = |f: &Field<'_>| f.number(A_SHARE, |x| (0.0..=1.0).contains(&x));
        let withheld = cells.number("share", share, errors);
        let base = match cells.get("base", errors) {
            Some(field) => {
                let base = base_contract(field, kind, payer, provider, contracts, organisations);
                cells.keep(base, errors)
            }
            None => None,
        };
        let outcome = match cells.get("outcome", errors) {
            Some(field) => {
                let outcome = field.one_of(&outcomes, &expected_outcome).and_then(|o| {
                    if settings.is_empty() {
                        Err(field.inconsistent(NEEDS_CARE_SETTINGS))
                    } else {
                        Ok(o)
                    }
                });
                cells.keep(outcome, errors)
            }
            None => None,
        };
        let covered = match cells.get("services", errors) {
            Some(field) => {
                let list = service_list(field, services, errors);
                cells.ok &= list.is_some();
                match (list, outcome) {
                    (Some(list), Some(outcome)) => {
                        let checked = judged_services(field, &list, outcome, settings, services);
                        cells.keep(checked.map(|()| list), errors)
                    }
                    _ => None,
                }
            }
            None => Some(Vec::new()),
        };
        let amount = cells.number("amount", Field::money, errors);
        let deduction = cells.number("deduction", Field::money, errors);
        if kind == OutcomeContractKind::OutcomePayment && amount.is_none() && deduction.is_none() {
            let (a, d) = (row.field("amount"), row.field("deduction"));
            if a.is_empty() && d.is_empty() {
                errors.push(a.inconsistent(
                    "an 'outcome_payment' contract needs an amount per patient achieving the \
                     outcome, a deduction per patient failing it, or both",
                ));
                cells.ok = false;
            }
        }
        let floor = cells.number("floor", share, errors);
        let target = cells.number("target", share, errors);
        if let (Some(f), Some(t)) = (floor, target)
            && f >= t
        {
            errors.push(row.field("target").invalid(format!(
                "a success rate above the floor ({}), the rate at which the whole pot is earned",
                super::error::number(f)
            )));
            cells.ok = false;
        }
        let targets = match cells.get("targets", errors) {
            Some(field) => {
                let targets = target_list(field, services, settings);
                cells.keep(targets, errors)
            }
            None => None,
        };
        let kpi = match cells.get("kpi", errors) {
            Some(field) => {
                let kpi = year_kpi(field, field.text(), services, settings);
                cells.keep(kpi, errors)
            }
            None => None,
        };
        let baseline = cells.number("baseline", Field::money, errors);
        let members = match cells.get("members", errors) {
            Some(field) => {
                let members = member_list(field, organisations);
                cells.keep(members, errors)
            }
            None => None,
        };
        let active_field = row.field("active");
        let active = if active_field.is_empty() {
            Some(true)
        } else {
            let active = active_field.one_of(&[("true", true), ("false", false)], "true or false");
            cells.keep(active, errors)
        };
        let (Some(id), true) = (id, cells.ok) else {
            all_ok = false;
            continue;
        };
        let given = |x: Option<f64>| x.expect("a valid row has every cell its type requires");
        let terms = match kind {
            OutcomeContractKind::Incentive => OutcomeTerms::Incentive {
                base: base.expect("required"),
                share: given(withheld),
                targets: targets.expect("required"),
            },
            OutcomeContractKind::OutcomePayment => OutcomeTerms::OutcomePayment {
                outcome: outcome.expect("required"),
                services: covered.expect("read"),
                per_success: amount.unwrap_or(0.0),
                per_failure: deduction.unwrap_or(0.0),
            },
            OutcomeContractKind::GainShare => OutcomeTerms::GainShare {
                kpi: kpi.expect("required"),
                baseline: given(baseline),
                per_unit: given(amount),
                members: members.expect("required"),
            },
            OutcomeContractKind::OutcomePot => OutcomeTerms::OutcomePot {
                base: base.expect("required"),
                share: given(withheld),
                outcome: outcome.expect("required"),
                floor: given(floor),
                target: given(target),
            },
        };
        if active == Some(true) {
            read.push(OutcomeContract {
                name: ids.name(id).to_owned(),
                payer: payer.expect("required"),
                provider,
                terms,
            });
        }
    }
    all_ok.then_some(read)
}

/// What a cell naming an outcome says when the scenario measures none.
const NEEDS_CARE_SETTINGS: &str =
    "outcomes are measured only with care_settings.csv, which this scenario does not have";

/// The active contract of `contracts.csv` named in `field` whose value a contract of `kind`
/// withholds a share of: a fixed annual value (block, blended, capitation or prime; prime only
/// for an outcome pot) between the same payer and provider.
fn base_contract(
    field: Field<'_>,
    kind: OutcomeContractKind,
    payer: Option<OrganisationId>,
    provider: Option<OrganisationId>,
    contracts: &[Contract],
    organisations: &Defined<Organisation>,
) -> Result<ContractId, ScenarioError> {
    let Some(i) = contracts.iter().position(|c| c.name() == field.text()) else {
        return Err(field.unknown_reference("an active contract of contracts.csv"));
    };
    let contract = &contracts[i];
    let allowed = match kind {
        OutcomeContractKind::OutcomePot => contract.kind() == ContractKind::PrimeContractor,
        _ => matches!(
            contract.terms(),
            ContractTerms::Block { .. }
                | ContractTerms::Blended { .. }
                | ContractTerms::Capitation { .. }
        ),
    };
    if !allowed {
        let wanted = match kind {
            OutcomeContractKind::OutcomePot => {
                "a 'prime' contract (an outcome pot is a share of \
                                               a prime contractor's contract)"
            }
            _ => {
                "a contract with a value fixed in advance: 'block', 'blended' (its fixed \
                  element), 'capitation' or 'prime'"
            }
        };
        return Err(field.inconsistent(format!(
            "'{}' is a '{}' contract; expected {wanted}",
            contract.name(),
            contract.kind().as_str()
        )));
    }
    let name = |o: Option<OrganisationId>| o.map_or("?", |o| organisations.ids.name(o.0));
    if payer.is_some()
        && provider.is_some()
        && (contract.payer(), contract.provider()) != (payer, provider)
    {
        return Err(field.inconsistent(format!(
            "'{}' is paid by '{}' to '{}', not by the payer to the provider of this row",
            contract.name(),
            name(contract.payer()),
            name(contract.provider())
        )));
    }
    Ok(ContractId(i as u32))
}

/// Checks that discharges from each of `list` are judged on `outcome`.
fn judged_services(
    field: Field<'_>,
    list: &[crate::ServiceId],
    outcome: Outcome,
    settings: &[ServiceSetting],
    services: &Ids,
) -> Result<(), ScenarioError> {
    for &s in list {
        let setting = settings[s.index()];
        let (judged, what) = match outcome {
            Outcome::StillAtHome91 => (setting.reablement, "a reablement service"),
            Outcome::NoReadmission30 => (
                setting.setting == CareSetting::Hospital,
                "a service whose setting is hospital",
            ),
        };
        if !judged {
            return Err(field.inconsistent(format!(
                "service '{}' is not {what} in care_settings.csv, so nobody leaving it is judged \
                 on {}",
                services.name(s.0),
                outcome.as_str()
            )));
        }
    }
    Ok(())
}

/// A statistic with a value per year, written `service <service> <kpi>` or `outcome <kpi>`.
fn year_kpi(
    field: Field<'_>,
    text: &str,
    services: &Ids,
    settings: &[ServiceSetting],
) -> Result<YearKpi, ScenarioError> {
    const FORM: &str = "a statistic with a value per year: 'service <service> <kpi>' or \
                        'outcome <kpi>'";
    let words: Vec<&str> = text.split_whitespace().collect();
    let (scope, service, kpi) = match words[..] {
        ["service", service, kpi] => ("service", service, kpi),
        ["outcome", kpi] => ("outcome", "", kpi),
        _ => return Err(field.invalid(FORM)),
    };
    let statistic =
        Statistic::parse(scope, service, kpi).map_err(|e| field.inconsistent(e.to_string()))?;
    match statistic {
        Statistic::Service(name, kpi) => {
            let Some(s) = services.get(name) else {
                return Err(field.inconsistent(format!("'{name}' is not a service")));
            };
            if !SERVICE_TOTALS.contains(&kpi) {
                return Err(field.invalid(format!(
                    "a service statistic that adds up over a year: {}",
                    one_of_names(SERVICE_TOTALS.map(Kpi::as_str))
                )));
            }
            Ok(YearKpi::Service(crate::ServiceId(s), kpi))
        }
        Statistic::Outcome(kpi) => {
            if settings.is_empty() {
                return Err(field.inconsistent(NEEDS_CARE_SETTINGS));
            }
            if !OUTCOMES_BY_YEAR.contains(&kpi) {
                return Err(field.invalid(format!(
                    "an outcome statistic measured per year: {}",
                    one_of_names(OUTCOMES_BY_YEAR.map(OutcomeKpi::as_str))
                )));
            }
            Ok(YearKpi::Outcome(kpi))
        }
        _ => Err(field.invalid(FORM)),
    }
}

/// Targets separated by `;`, each `<statistic> <= <value>` or `<statistic> >= <value>`.
fn target_list(
    field: Field<'_>,
    services: &Ids,
    settings: &[ServiceSetting],
) -> Result<Vec<Target>, ScenarioError> {
    let mut targets = Vec::new();
    for part in field.text().split(';').map(str::trim) {
        let (at_most, at) = match (part.find("<="), part.find(">=")) {
            (Some(i), None) => (true, i),
            (None, Some(i)) => (false, i),
            _ => {
                return Err(field.invalid(
                    "targets separated by ';', each '<statistic> <= <value>' or '<statistic> >= \
                     <value>', e.g. 'service acute delayed_bed_days <= 500'",
                ));
            }
        };
        let kpi = year_kpi(field, part[..at].trim(), services, settings)?;
        let bound = part[at + 2..].trim();
        let value = bound
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && (0.0..=super::table::MAX_MONEY).contains(v))
            .ok_or_else(|| {
                field.invalid(format!(
                    "a target from 0 to 10^12 after '{}' in '{part}'",
                    if at_most { "<=" } else { ">=" }
                ))
            })?;
        targets.push(Target {
            kpi,
            at_most,
            value,
        });
    }
    Ok(targets)
}

/// Members separated by `;`, each `<organisation>:<share>`, the shares summing to 1.
fn member_list(
    field: Field<'_>,
    organisations: &Defined<Organisation>,
) -> Result<Vec<(OrganisationId, f64)>, ScenarioError> {
    const FORM: &str = "members separated by ';', each '<organisation>:<share>' with a share from \
                        0 to 1, e.g. 'icb:0.6;council:0.4'";
    let mut members: Vec<(OrganisationId, f64)> = Vec::new();
    for part in field.text().split(';').map(str::trim) {
        let Some((name, share)) = part.split_once(':') else {
            return Err(field.invalid(FORM));
        };
        let name = name.trim();
        let Some(o) = organisations.ids.get(name) else {
            return Err(field.inconsistent(format!("'{name}' is not an organisation")));
        };
        let share = share
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| (0.0..=1.0).contains(s))
            .ok_or_else(|| field.invalid(FORM))?;
        if members.iter().any(|m| m.0 == OrganisationId(o)) {
            return Err(field.inconsistent(format!("'{name}' is listed twice")));
        }
        members.push((OrganisationId(o), share));
    }
    let total: f64 = members.iter().map(|m| m.1).sum();
    if (total - 1.0).abs() > 1e-9 {
        return Err(field.inconsistent(format!(
            "the members' shares sum to {}, not 1",
            super::rounded_to(total, 9)
        )));
    }
    Ok(members)
}
