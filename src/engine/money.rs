//! The books of one replication: money booked per organisation per financial year from the
//! events that move patients, and settled at the end of each year. See [`crate::ledger`] for
//! what is booked when.

use super::service_state::ServiceState;
use crate::ledger::{Category, Ledger, OrganisationLedger, YearLedger};
use crate::model::{
    ClassId, ContractTerms, CostBasis, FinancialYear, Model, OrganisationId, ServiceId, Tariff,
};

/// Money booked so far, by financial year of the observation window.
#[derive(Debug)]
pub(crate) struct Books<'m> {
    model: &'m Model,
    years: Vec<FinancialYear>,
    /// The year being booked; `None` before observation starts.
    current: Option<usize>,
    /// `amounts[(year * organisations + organisation) * categories + category]`.
    amounts: Vec<f64>,
    organisations: usize,
    /// Each service's money integrals when the current year opened.
    last_areas: Vec<[f64; 4]>,
    /// By (class, service) cell: the contract paying for a spell, and its tariff.
    spell_tariff: Vec<Option<(usize, Tariff)>>,
    /// By `held_at * services + awaiting`: the delay reimbursement contract charging it.
    delay_contract: Vec<Option<usize>>,
    /// Per contract, this year: emergency spells counted against the marginal-rate baseline.
    emergency_spells: Vec<u64>,
    /// Per contract, this year: tariff value of the activity (blended contracts).
    activity_value: Vec<f64>,
    /// Per year: what the contracts counted besides money.
    activity: Vec<Activity>,
}

const CATEGORIES: usize = Category::ALL.len();

/// What the contracts counted in one year besides money (see [`YearLedger`]).
#[derive(Debug, Clone, Copy, Default)]
struct Activity {
    spells_paid: u64,
    spells_at_marginal_rate: u64,
    spells_unpaid_readmissions: u64,
    delay_days_charged: f64,
}

impl<'m> Books<'m> {
    /// The books of `model`, or `None` when it books no money.
    pub(crate) fn new(model: &'m Model) -> Option<Self> {
        if model.finance().is_empty() {
            return None;
        }
        let years = model.financial_years();
        let organisations = model.organisations().len();
        let services = model.services().len();
        let mut spell_tariff = vec![None; model.classes().len() * services];
        let mut delay_contract = vec![None; services * services];
        for (c, contract) in model.contracts().iter().enumerate() {
            for t in contract.terms().tariffs() {
                spell_tariff[model.cell(t.class, t.service)] = Some((c, *t));
            }
            if let (ContractTerms::DelayReimbursement { .. }, Some(provider)) =
                (contract.terms(), contract.provider())
            {
                for (held, s) in model.services().iter().enumerate() {
                    if s.provider() != provider {
                        continue;
                    }
                    for awaiting in contract.services() {
                        delay_contract[held * services + awaiting.index()].get_or_insert(c);
                    }
                }
            }
        }
        Some(Books {
            model,
            amounts: vec![0.0; years.len() * organisations * CATEGORIES],
            activity: vec![Activity::default(); years.len()],
            years,
            current: None,
            organisations,
            last_areas: vec![[0.0; 4]; services],
            spell_tariff,
            delay_contract,
            emergency_spells: vec![0; model.contracts().len()],
            activity_value: vec![0.0; model.contracts().len()],
        })
    }

    /// Observation starts at `now`: the first year opens.
    pub(crate) fn open(&mut self, services: &mut [ServiceState], now: f64) {
        if self.years.is_empty() {
            return;
        }
        self.current = Some(0);
        for (last, s) in self.last_areas.iter_mut().zip(services) {
            *last = s.money_areas(now);
        }
    }

    /// Closes every observed year that has ended by `now` (a financial year boundary).
    pub(crate) fn roll(&mut self, services: &mut [ServiceState], now: f64) {
        while let Some(i) = self.current
            && i + 1 < self.years.len()
            && self.years[i].end <= now
        {
            self.close(i, services, self.years[i].end);
            self.current = Some(i + 1);
        }
    }

    /// Adds `amount` to `organisation`'s `category` in year `year`.
    fn book(&mut self, year: usize, organisation: OrganisationId, category: Category, amount: f64) {
        self.amounts
            [(year * self.organisations + organisation.index()) * CATEGORIES + category.index()] +=
            amount;
    }

    /// `from` pays `to` `amount` in year `year`.
    fn pay(
        &mut self,
        year: usize,
        from: Option<OrganisationId>,
        to: Option<OrganisationId>,
        category: Category,
        amount: f64,
    ) {
        let (Some(from), Some(to)) = (from, to) else {
            unreachable!("the loader checks each contract type has the parties it pays between")
        };
        self.book(year, from, category, -amount);
        self.book(year, to, category, amount);
    }

    /// A patient of `class` leaves `service` after `stay` days: a spell, if a contract pays
    /// for it. `readmitted_after` is the days between the patient's previous discharge and
    /// this spell's start for a readmission (NaN otherwise).
    pub(crate) fn spell(
        &mut self,
        class: ClassId,
        service: ServiceId,
        stay: f64,
        readmitted_after: f64,
    ) {
        let Some(year) = self.current else {
            return;
        };
        let Some((c, tariff)) = self.spell_tariff[self.model.cell(class, service)] else {
            return;
        };
        let contract = &self.model.contracts()[c];
        let (payer, provider) = (contract.payer(), contract.provider());
        let (price, excess) = tariff.spell_price(stay);
        match *contract.terms() {
            ContractTerms::PaymentByResults {
                marginal,
                readmission_days,
                ..
            } => {
                if readmission_days.is_some_and(|days| readmitted_after <= days) {
                    self.activity[year].spells_unpaid_readmissions += 1;
                    return;
                }
                let mut paid = price;
                if let (true, Some(m)) = (tariff.emergency, marginal) {
                    self.emergency_spells[c] += 1;
                    let baseline = m.baseline_spells * self.years[year].fraction();
                    if self.emergency_spells[c] as f64 > baseline {
                        paid = price * m.rate;
                        self.activity[year].spells_at_marginal_rate += 1;
                    }
                }
                self.activity[year].spells_paid += 1;
                self.pay(year, payer, provider, Category::Tariff, paid);
                self.pay(year, payer, provider, Category::ExcessBedDays, excess);
            }
            ContractTerms::Blended { .. } => self.activity_value[c] += price + excess,
            _ => unreachable!("only activity contracts have tariffs"),
        }
    }

    /// A patient held in `held_at` since `from` waiting for `awaiting` moves on (or the run
    /// ends) at `to`: the days beyond the grace period are charged under the delay
    /// reimbursement contract covering them, in the observed year of each day.
    pub(crate) fn delay(&mut self, held_at: ServiceId, awaiting: ServiceId, from: f64, to: f64) {
        let services = self.last_areas.len();
        let Some(c) = self.delay_contract[held_at.index() * services + awaiting.index()] else {
            return;
        };
        let contract = &self.model.contracts()[c];
        let (payer, provider) = (contract.payer(), contract.provider());
        let ContractTerms::DelayReimbursement { daily, grace_days } = *contract.terms() else {
            unreachable!("delay_contract holds delay reimbursement contracts only")
        };
        let start = from + grace_days;
        for year in 0..self.years.len() {
            let y = &self.years[year];
            let days = to.min(y.end) - start.max(y.start);
            if days > 0.0 {
                self.activity[year].delay_days_charged += days;
                self.pay(
                    year,
                    payer,
                    provider,
                    Category::DelayReimbursement,
                    daily * days,
                );
            }
        }
    }

    /// Closes year `year` at `now`: costs, outside funding and every contract settled from
    /// the year's occupancy and activity.
    fn close(&mut self, year: usize, services: &mut [ServiceState], now: f64) {
        let model = self.model;
        self.years[year].end = now;
        let fraction = self.years[year].fraction();
        // Money integrals of the year, per service.
        let areas: Vec<[f64; 4]> = services
            .iter_mut()
            .zip(&mut self.last_areas)
            .map(|(s, last)| {
                let now_areas = s.money_areas(now);
                let year_areas = std::array::from_fn(|k| now_areas[k] - last[k]);
                *last = now_areas;
                year_areas
            })
            .collect();
        let mut cost = vec![0.0; areas.len()];
        for (i, service) in model.services().iter().enumerate() {
            let Some(c) = model.cost(ServiceId(i as u32)) else {
                continue;
            };
            let care = units(c.basis(), c.rate(), &areas[i]);
            let fixed = c.fixed_per_place_day() * areas[i][3];
            let premium = c.escalation_premium() * areas[i][2];
            let provider = service.provider();
            self.book(year, provider, Category::CareCosts, -care);
            self.book(year, provider, Category::CapacityCosts, -fixed);
            self.book(year, provider, Category::EscalationPremium, -premium);
            cost[i] = care + fixed + premium;
        }
        for o in 0..self.organisations {
            let organisation = OrganisationId(o as u32);
            if let Some(f) = model.funding(organisation) {
                self.book(year, organisation, Category::Funding, f.annual() * fraction);
            }
        }
        for (c, contract) in model.contracts().iter().enumerate() {
            let (payer, provider) = (contract.payer(), contract.provider());
            match contract.terms() {
                ContractTerms::Block { annual } => {
                    self.pay(year, payer, provider, Category::Block, annual * fraction);
                }
                ContractTerms::Capitation {
                    per_head,
                    population,
                    ..
                } => {
                    let amount = per_head * *population as f64 * fraction;
                    self.pay(year, payer, provider, Category::Capitation, amount);
                }
                ContractTerms::Blended {
                    fixed, plan, share, ..
                } => {
                    self.pay(
                        year,
                        payer,
                        provider,
                        Category::BlendedFixed,
                        fixed * fraction,
                    );
                    let variable = share * (self.activity_value[c] - plan * fraction);
                    self.pay(year, payer, provider, Category::BlendedVariable, variable);
                }
                ContractTerms::Alliance { budget, members } => {
                    let mut total = 0.0;
                    for m in members {
                        let own: f64 = contract
                            .services()
                            .iter()
                            .filter(|s| model.services()[s.index()].provider() == m.organisation)
                            .map(|s| cost[s.index()])
                            .sum();
                        total += own;
                        self.pay(
                            year,
                            payer,
                            Some(m.organisation),
                            Category::AllianceCosts,
                            own,
                        );
                    }
                    let variance = budget * fraction - total;
                    for m in members {
                        let mut share = m.share * variance;
                        if let Some(cap) = m.cap {
                            share = share.clamp(-cap * fraction, cap * fraction);
                        }
                        self.pay(
                            year,
                            payer,
                            Some(m.organisation),
                            Category::AllianceShare,
                            share,
                        );
                    }
                }
                ContractTerms::PooledFund { members } => {
                    for s in contract.services() {
                        let provider = Some(model.services()[s.index()].provider());
                        for m in members {
                            let amount = m.share * cost[s.index()];
                            self.pay(
                                year,
                                Some(m.organisation),
                                provider,
                                Category::PooledFund,
                                amount,
                            );
                        }
                    }
                }
                ContractTerms::Spot { price, basis } => {
                    let amount: f64 = contract
                        .services()
                        .iter()
                        .map(|s| units(*basis, *price, &areas[s.index()]))
                        .sum();
                    self.pay(year, payer, provider, Category::Spot, amount);
                }
                ContractTerms::PaymentByResults { .. }
                | ContractTerms::DelayReimbursement { .. } => {}
            }
            self.emergency_spells[c] = 0;
            self.activity_value[c] = 0.0;
        }
    }

    /// Closes the year being booked at the horizon `now` and returns the ledger.
    pub(crate) fn finish(mut self, services: &mut [ServiceState], now: f64) -> Ledger {
        let Some(last) = self.current else {
            return Ledger::default();
        };
        self.roll(services, now);
        let last = self.current.unwrap_or(last);
        self.close(last, services, now);
        let (organisations, amounts) = (self.organisations, &self.amounts);
        let years = self
            .years
            .into_iter()
            .zip(self.activity)
            .take(last + 1)
            .enumerate()
            .map(|(y, (year, activity))| YearLedger {
                label: year.label,
                start: year.start,
                end: year.end,
                organisations: (0..organisations)
                    .map(|o| {
                        let at = (y * organisations + o) * CATEGORIES;
                        OrganisationLedger {
                            organisation: OrganisationId(o as u32),
                            amounts: amounts[at..at + CATEGORIES].to_vec(),
                            care_budget: None,
                        }
                    })
                    .collect(),
                spells_paid: activity.spells_paid,
                spells_at_marginal_rate: activity.spells_at_marginal_rate,
                spells_unpaid_readmissions: activity.spells_unpaid_readmissions,
                delay_days_charged: activity.delay_days_charged,
            })
            .collect();
        Ledger { years }
    }
}

/// Money for the care in `areas` (place-days, hours-a-week × days, …) at `rate` per unit of
/// `basis`.
fn units(basis: CostBasis, rate: f64, areas: &[f64; 4]) -> f64 {
    match basis {
        CostBasis::BedDay | CostBasis::PlacementWeek => basis.per_day(rate, 1.0) * areas[0],
        CostBasis::CareHour => basis.per_day(rate, areas[1]),
        // Visits a day × days: visits.
        CostBasis::Visit => rate * areas[1],
    }
}
