//! Local authority care budgets: a council cannot overspend, so a new package or placement
//! waits (awaiting funding) while its cost to the end of the financial year exceeds what is
//! left uncommitted.
//!
//! Each package commits its daily cost from approval to the end of the financial year; when
//! it ends, the rest of that commitment is released. At the start of a financial year the
//! budget is the annual care budget less a full year of every package still running (the
//! first, partial year gets its share of the annual budget by days). Requests are approved
//! first come, first served: a cheaper request does not jump the queue.

use super::PatientId;
use crate::ledger::CareBudgetYear;
use crate::model::ContractTerms;
use crate::model::{CostBasis, FinancialYear, Model, OrganisationId, OrganisationKind, ServiceId};
use std::collections::VecDeque;

/// A patient waiting for a local authority to fund their care at `service`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FundingRequest {
    pub(crate) patient: PatientId,
    pub(crate) service: ServiceId,
    /// The service whose bed the patient holds meanwhile (`None`: waiting at home).
    pub(crate) held_at: Option<ServiceId>,
    /// Money per day the package costs.
    pub(crate) rate: f64,
}

#[derive(Debug)]
struct CareBudget {
    organisation: OrganisationId,
    annual: f64,
    /// The current financial year's budget (the annual budget, or its share in a first,
    /// partial year).
    year_budget: f64,
    /// Budget of the current financial year not yet committed.
    remaining: f64,
    /// Money per day of every package approved and not yet ended.
    committed_rate: f64,
    waiting: VecDeque<FundingRequest>,
}

/// The care budgets of a replication's local authorities.
#[derive(Debug)]
pub(crate) struct CareBudgets {
    /// By service: the budget paying for its packages, and their price per unit.
    funder: Vec<Option<(usize, CostBasis, f64)>>,
    budgets: Vec<CareBudget>,
    /// Financial years from day 0, uncut at the horizon: (end day, days in the year, label).
    years: Vec<(f64, f64, String)>,
    /// Each financial year ended, with each budget's position at its end.
    closed: Vec<(String, Vec<(OrganisationId, CareBudgetYear)>)>,
    year: usize,
    /// Budgets that have money freed since their queue was last looked at.
    freed: Vec<usize>,
}

impl CareBudgets {
    /// The budgets of `model`, or `None` when no local authority's care budget pays for any
    /// service.
    pub(crate) fn new(model: &Model) -> Option<Self> {
        let mut budgets = Vec::new();
        let mut index = vec![None; model.organisations().len()];
        for (o, org) in model.organisations().iter().enumerate() {
            if org.kind() != OrganisationKind::LocalAuthority {
                continue;
            }
            if let Some(annual) = model
                .funding(crate::OrganisationId(o as u32))
                .and_then(|f| f.care_budget())
            {
                index[o] = Some(budgets.len());
                budgets.push(CareBudget {
                    organisation: crate::OrganisationId(o as u32),
                    annual,
                    year_budget: 0.0,
                    remaining: 0.0,
                    committed_rate: 0.0,
                    waiting: VecDeque::new(),
                });
            }
        }
        let mut funder = vec![None; model.services().len()];
        // Care the council provides itself, at its cost…
        for (s, service) in model.services().iter().enumerate() {
            if let (Some(b), Some(cost)) = (
                index[service.provider().index()],
                model.cost(ServiceId(s as u32)),
            ) {
                funder[s] = Some((b, cost.basis(), cost.rate()));
            }
        }
        // …and care it buys, at the contract price.
        for contract in model.contracts() {
            if let (ContractTerms::Spot { price, basis }, Some(payer)) =
                (contract.terms(), contract.payer())
                && let Some(b) = index[payer.index()]
            {
                for s in contract.services() {
                    funder[s.index()] = Some((b, *basis, *price));
                }
            }
        }
        if funder.iter().all(Option::is_none) {
            return None;
        }
        let settings = model.settings();
        let years: Vec<(f64, f64, String)> =
            FinancialYear::between(settings.start_date, 0.0, settings.horizon_days + 400.0)
                .into_iter()
                .map(|y| (y.end, y.year_days, y.label))
                .collect();
        let mut budgets = CareBudgets {
            funder,
            budgets,
            years,
            closed: Vec::new(),
            year: 0,
            freed: Vec::new(),
        };
        let (end, days) = (budgets.years[0].0, budgets.years[0].1);
        for b in &mut budgets.budgets {
            b.year_budget = b.annual * end / days;
            b.remaining = b.year_budget;
        }
        Some(budgets)
    }

    /// The budget paying for a package at `service` needing `need` (a place, or hours a
    /// week), and its money per day; `None` if no care budget pays for it.
    #[inline]
    pub(crate) fn cost(&self, service: ServiceId, need: f64) -> Option<(usize, f64)> {
        self.funder[service.index()].map(|(b, basis, price)| (b, basis.per_day(price, need)))
    }

    /// The budget paying for packages at `service`, if any.
    pub(crate) fn budget_of(&self, service: ServiceId) -> Option<usize> {
        self.funder[service.index()].map(|(b, _, _)| b)
    }

    fn year_end(&self) -> f64 {
        self.years[self.year].0
    }

    /// Closes the current financial year's budgets: what each had and had committed.
    fn close_year(&mut self) {
        let positions = self
            .budgets
            .iter()
            .map(|b| {
                let year = CareBudgetYear {
                    budget: b.year_budget,
                    committed: b.year_budget - b.remaining,
                };
                (b.organisation, year)
            })
            .collect();
        self.closed
            .push((self.years[self.year].2.clone(), positions));
    }

    /// Each financial year's budgets by organisation, by year label: the years ended, then the
    /// current one as it stands (commitments to its end included).
    pub(crate) fn finish(mut self) -> Vec<(String, Vec<(OrganisationId, CareBudgetYear)>)> {
        self.close_year();
        self.closed
    }

    /// Whether `budget` has left uncommitted what a package costing `rate` a day from `now`
    /// costs to the year's end.
    fn fits(&self, budget: usize, rate: f64, now: f64) -> bool {
        rate * (self.year_end() - now) <= self.budgets[budget].remaining
    }

    /// Approves a new package costing `rate` a day at `now` if the budget can commit it to
    /// the year's end and nobody is waiting before it.
    pub(crate) fn approve(&mut self, budget: usize, rate: f64, now: f64) -> bool {
        if !self.budgets[budget].waiting.is_empty() || !self.fits(budget, rate, now) {
            return false;
        }
        self.commit(budget, rate, now);
        true
    }

    /// Commits a package without the check (patients already in care at the start, elective
    /// bookings, a new stay in the same place).
    pub(crate) fn commit(&mut self, budget: usize, rate: f64, now: f64) {
        let cost = rate * (self.year_end() - now);
        let b = &mut self.budgets[budget];
        b.remaining -= cost;
        b.committed_rate += rate;
    }

    /// A package costing `rate` a day ends at `now`: the rest of its commitment is freed.
    pub(crate) fn release(&mut self, budget: usize, rate: f64, now: f64) {
        let cost = rate * (self.year_end() - now);
        let b = &mut self.budgets[budget];
        b.remaining += cost;
        b.committed_rate -= rate;
        if !b.waiting.is_empty() && !self.freed.contains(&budget) {
            self.freed.push(budget);
        }
    }

    /// Queues a request the budget could not approve.
    pub(crate) fn wait(&mut self, budget: usize, request: FundingRequest) {
        self.budgets[budget].waiting.push_back(request);
    }

    /// A new financial year starts at a boundary: each budget is the annual amount less a
    /// year of the packages still running.
    pub(crate) fn new_year(&mut self) {
        self.close_year();
        self.year = (self.year + 1).min(self.years.len() - 1);
        let days = self.years[self.year].1;
        for (i, b) in self.budgets.iter_mut().enumerate() {
            b.year_budget = b.annual;
            b.remaining = b.annual - b.committed_rate * days;
            if !b.waiting.is_empty() && !self.freed.contains(&i) {
                self.freed.push(i);
            }
        }
    }

    /// The next waiting request that money freed since the last call can now fund, approved
    /// and removed from its queue.
    pub(crate) fn next_funded(&mut self, now: f64) -> Option<FundingRequest> {
        while let Some(&budget) = self.freed.last() {
            if let Some(&front) = self.budgets[budget].waiting.front()
                && self.fits(budget, front.rate, now)
            {
                self.budgets[budget].waiting.pop_front();
                self.commit(budget, front.rate, now);
                return Some(front);
            }
            self.freed.pop();
        }
        None
    }

    /// Every request still waiting.
    pub(crate) fn waiting(&self) -> impl Iterator<Item = &FundingRequest> {
        self.budgets.iter().flat_map(|b| &b.waiting)
    }
}
