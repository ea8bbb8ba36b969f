//! Contracts that pay for outcomes (`outcome_contracts.csv`), settled per financial year at
//! the end of the run: each observed year's payments from the year's KPIs and the outcomes of
//! the year's discharges once their follow-up is complete, booked in that year's ledger.

use super::outcomes::{Journeys, Measure, ratio, tally_follow_ups};
use crate::ledger::{Category, Ledger, YearLedger};
use crate::model::{
    ContractTerms, Model, OrganisationId, Outcome, OutcomeTerms, ServiceId, YearKpi,
};
use crate::{OutcomeResult, ServiceResult};

/// Books every outcome contract of `model` into `ledger`, year by year. `snapshots` holds the
/// services' statistics when observation opened and at the end of each year; `journeys` the
/// discharges followed and the patients who left; `horizon` ends the follow-ups.
pub(crate) fn settle(
    model: &Model,
    ledger: &mut Ledger,
    snapshots: &[Vec<ServiceResult>],
    journeys: &Journeys,
    horizon: f64,
) {
    if model.outcome_contracts().is_empty() {
        return;
    }
    let years = model.financial_years();
    for (y, year) in ledger.years.iter_mut().enumerate() {
        let year_days = years
            .iter()
            .find(|f| f.label == year.label)
            .map_or(365.0, |f| f.year_days);
        let fraction = (year.end - year.start) / year_days;
        let values = YearValues {
            snapshots: snapshots.get(y).zip(snapshots.get(y + 1)),
            outcomes: outcomes_of_year(journeys, year.start, year.end, horizon),
            journeys,
            start: year.start,
            end: year.end,
            horizon,
        };
        for contract in model.outcome_contracts() {
            let (payer, provider) = (contract.payer(), contract.provider());
            match contract.terms() {
                OutcomeTerms::Incentive {
                    base,
                    share,
                    targets,
                } => {
                    let withheld = share * annual_value(model, base.index()) * fraction;
                    let met = targets
                        .iter()
                        .filter(|t| {
                            let bound = t.value * if t.kpi.is_total() { fraction } else { 1.0 };
                            let v = values.kpi(t.kpi);
                            if t.at_most { v <= bound } else { v >= bound }
                        })
                        .count();
                    let unearned = withheld * (1.0 - met as f64 / targets.len() as f64);
                    pay(year, provider, Some(payer), Category::Incentive, unearned);
                }
                OutcomeTerms::OutcomePayment {
                    outcome,
                    services,
                    per_success,
                    per_failure,
                } => {
                    let (achieved, failed) = values.judged(*outcome, services);
                    let amount = per_success * achieved as f64 - per_failure * failed as f64;
                    pay(
                        year,
                        Some(payer),
                        provider,
                        Category::OutcomePayment,
                        amount,
                    );
                }
                OutcomeTerms::GainShare {
                    kpi,
                    baseline,
                    per_unit,
                    members,
                } => {
                    let baseline = baseline * if kpi.is_total() { fraction } else { 1.0 };
                    let gain = per_unit * (baseline - values.kpi(*kpi));
                    if gain > 0.0 {
                        for &(member, share) in members {
                            pay(
                                year,
                                Some(payer),
                                Some(member),
                                Category::GainShare,
                                share * gain,
                            );
                        }
                    }
                }
                OutcomeTerms::OutcomePot {
                    base,
                    share,
                    outcome,
                    floor,
                    target,
                } => {
                    let pot = share * annual_value(model, base.index()) * fraction;
                    let (achieved, failed) = values.judged(*outcome, &[]);
                    let earned = if achieved + failed == 0 {
                        1.0
                    } else {
                        let rate = achieved as f64 / (achieved + failed) as f64;
                        ((rate - floor) / (target - floor)).clamp(0.0, 1.0)
                    };
                    pay(
                        year,
                        provider,
                        Some(payer),
                        Category::OutcomePot,
                        pot * (1.0 - earned),
                    );
                }
            }
        }
    }
}

/// The value per whole year of a contract with a value fixed in advance (the loader admits no
/// other as the base of an incentive or pot).
fn annual_value(model: &Model, contract: usize) -> f64 {
    match *model.contracts()[contract].terms() {
        ContractTerms::Block { annual } => annual,
        ContractTerms::Blended { fixed, .. } => fixed,
        ContractTerms::Capitation {
            per_head,
            population,
            ..
        } => per_head * population as f64,
        _ => unreachable!("the loader admits only contracts with a value fixed in advance"),
    }
}

/// `from` pays `to` `amount` in `year`.
fn pay(
    year: &mut YearLedger,
    from: Option<OrganisationId>,
    to: Option<OrganisationId>,
    category: Category,
    amount: f64,
) {
    let (Some(from), Some(to)) = (from, to) else {
        unreachable!("the loader checks each outcome contract has the parties it pays between")
    };
    year.organisations[from.index()].amounts[category.index()] -= amount;
    year.organisations[to.index()].amounts[category.index()] += amount;
}

/// The outcome measures of the discharges (and patients leaving) in `[start, end)`.
fn outcomes_of_year(journeys: &Journeys, start: f64, end: f64, horizon: f64) -> OutcomeResult {
    let inside = |t: f64| t >= start && t < end;
    let mut r = OutcomeResult::default();
    tally_follow_ups(
        &mut r,
        journeys.follow_ups.iter().filter(|f| inside(f.start)),
        horizon,
    );
    let mut sum = 0.0;
    for &(_, days) in journeys.lefts.iter().filter(|l| inside(l.0)) {
        r.patients_left += 1;
        r.patients_delayed += u64::from(days > 0.0);
        sum += days;
    }
    r.mean_delayed_days = ratio(sum, r.patients_left);
    r
}

/// What one year's KPIs and outcomes were.
struct YearValues<'j> {
    /// The services' statistics at the year's start and end.
    snapshots: Option<(&'j Vec<ServiceResult>, &'j Vec<ServiceResult>)>,
    outcomes: OutcomeResult,
    journeys: &'j Journeys,
    start: f64,
    end: f64,
    horizon: f64,
}

impl YearValues<'_> {
    /// The year's value of `kpi`.
    fn kpi(&self, kpi: YearKpi) -> f64 {
        match kpi {
            YearKpi::Service(s, k) => self.snapshots.map_or(0.0, |(from, to)| {
                to[s.index()].value(k) - from[s.index()].value(k)
            }),
            YearKpi::Outcome(k) => self.outcomes.value(k),
        }
    }

    /// Discharges of the year from `services` (any, if empty) judged on `outcome` once
    /// followed: (achieved, failed).
    fn judged(&self, outcome: Outcome, services: &[ServiceId]) -> (u64, u64) {
        let (mut achieved, mut failed) = (0, 0);
        for f in &self.journeys.follow_ups {
            if f.start < self.start
                || f.start >= self.end
                || !(services.is_empty() || services.contains(&f.service))
            {
                continue;
            }
            let success = match (outcome, f.measure) {
                (Outcome::StillAtHome91, Measure::Reablement)
                    if f.followed(super::outcomes::AT_HOME_DAYS, self.horizon) =>
                {
                    f.still_at_home()
                }
                (Outcome::NoReadmission30, Measure::Hospital)
                    if f.followed(super::outcomes::READMISSION_DAYS, self.horizon) =>
                {
                    !f.readmitted_within_30()
                }
                _ => continue,
            };
            if success {
                achieved += 1;
            } else {
                failed += 1;
            }
        }
        (achieved, failed)
    }
}
