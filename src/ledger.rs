//! Money results: a ledger per organisation per financial year, booked from the same events
//! that move patients.
//!
//! Amounts are pounds, signed from the organisation's side: income positive, spending
//! negative. Every payment between organisations appears twice, once on each side, so for
//! every [transfer](Category::is_transfer) category the amounts of all organisations sum to
//! zero, and the system's surplus is its outside funding less its providers' costs.
//!
//! When each rule is booked:
//!
//! | category | booked |
//! |---|---|
//! | `funding` | pro rata by day over the observed part of each financial year |
//! | `care_costs`, `escalation_premium` | continuously with occupancy (every occupied place or hour of care in use), summed at the end of each financial year |
//! | `capacity_costs` | continuously with capacity open (fixed cost per place open), summed at the end of each financial year |
//! | `tariff`, `excess_bed_days` | Payment by Results: when the patient leaves the service (the spell's financial year) |
//! | `block`, `capitation` | pro rata by day |
//! | `blended_fixed`, `blended_variable` | fixed pro rata; variable at the end of each financial year from the year's activity |
//! | `alliance_costs`, `alliance_share` | members' costs of the covered services, and their share of the year's under- or overspend, at the end of each financial year |
//! | `delay_reimbursement` | when a delayed patient moves on (or at the horizon), each chargeable day in its financial year |
//! | `pooled_fund` | members' shares of the covered services' costs, at the end of each financial year |
//! | `spot` | continuously with occupancy, at the contract price |
//! | `incentive`, `outcome_payment`, `gain_share`, `outcome_pot` | contracts that pay for outcomes (`outcome_contracts.csv`): at the end of each financial year, on the year's KPIs and the outcomes of the year's discharges once their follow-up is complete; booked in that year |
//!
//! A partial financial year (the observation window starting or ending inside one) is booked
//! for the part observed, with annual sums pro rata.

use crate::model::OrganisationId;
use serde::{Deserialize, Serialize};

/// What a ledger amount is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Category {
    /// Income from outside the system (allocation, council funding).
    Funding,
    /// A provider's variable cost of care (with occupancy).
    CareCosts,
    /// A provider's fixed cost of the places it keeps open.
    CapacityCosts,
    /// A provider's extra cost of escalation bed-days.
    EscalationPremium,
    /// Payment by Results tariffs for spells (marginal rate applied).
    Tariff,
    /// Payment by Results excess bed-days beyond trim points.
    ExcessBedDays,
    /// Block contract payments.
    Block,
    /// Blended contracts' fixed element.
    BlendedFixed,
    /// Blended contracts' variable element (negative below plan).
    BlendedVariable,
    /// Capitation, to a provider or a prime contractor.
    Capitation,
    /// Alliance members' costs paid from the pooled budget.
    AllianceCosts,
    /// Alliance members' share of the year's underspend (positive) or overspend (negative).
    AllianceShare,
    /// Delayed-discharge reimbursement charged to a local authority.
    DelayReimbursement,
    /// Pooled fund contributions paid to the providers of its services.
    PooledFund,
    /// Care bought per unit (spot purchase).
    Spot,
    /// Incentive schemes (CQUIN-style): the share of a contract's value withheld and not
    /// earned back by meeting targets (negative for the provider).
    Incentive,
    /// Payments per patient achieving an outcome, less deductions per patient failing it.
    OutcomePayment,
    /// Gain shares: the value of a system KPI's improvement on its baseline, shared.
    GainShare,
    /// A prime contractor's outcome pot: the share of its contract withheld and not earned
    /// back by outcomes (negative for the prime contractor).
    OutcomePot,
}

impl Category {
    /// Every category, in output order.
    pub const ALL: [Category; 19] = [
        Category::Funding,
        Category::CareCosts,
        Category::CapacityCosts,
        Category::EscalationPremium,
        Category::Tariff,
        Category::ExcessBedDays,
        Category::Block,
        Category::BlendedFixed,
        Category::BlendedVariable,
        Category::Capitation,
        Category::AllianceCosts,
        Category::AllianceShare,
        Category::DelayReimbursement,
        Category::PooledFund,
        Category::Spot,
        Category::Incentive,
        Category::OutcomePayment,
        Category::GainShare,
        Category::OutcomePot,
    ];

    /// The name written in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Funding => "funding",
            Category::CareCosts => "care_costs",
            Category::CapacityCosts => "capacity_costs",
            Category::EscalationPremium => "escalation_premium",
            Category::Tariff => "tariff",
            Category::ExcessBedDays => "excess_bed_days",
            Category::Block => "block",
            Category::BlendedFixed => "blended_fixed",
            Category::BlendedVariable => "blended_variable",
            Category::Capitation => "capitation",
            Category::AllianceCosts => "alliance_costs",
            Category::AllianceShare => "alliance_share",
            Category::DelayReimbursement => "delay_reimbursement",
            Category::PooledFund => "pooled_fund",
            Category::Spot => "spot",
            Category::Incentive => "incentive",
            Category::OutcomePayment => "outcome_payment",
            Category::GainShare => "gain_share",
            Category::OutcomePot => "outcome_pot",
        }
    }

    /// Whether the category is a payment between organisations (its amounts over all
    /// organisations sum to zero), rather than money from or to outside the system.
    pub fn is_transfer(self) -> bool {
        !matches!(
            self,
            Category::Funding
                | Category::CareCosts
                | Category::CapacityCosts
                | Category::EscalationPremium
        )
    }

    /// Position in [`ALL`](Self::ALL).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The money of one replication: a [`YearLedger`] per financial year observed, empty when the
/// scenario books no money.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Ledger {
    /// In date order.
    pub years: Vec<YearLedger>,
}

/// One financial year (or the observed part of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearLedger {
    /// The year, e.g. `2026-27`.
    pub label: String,
    /// Observed from this day (days since the start date)…
    pub start: f64,
    /// …to this one.
    pub end: f64,
    /// One per organisation, in [`OrganisationId`] order.
    pub organisations: Vec<OrganisationLedger>,
    /// Payment by Results spells paid, over all contracts.
    pub spells_paid: u64,
    /// Of those, emergency spells above the baseline paid at the marginal rate.
    pub spells_at_marginal_rate: u64,
    /// Spells not paid because the patient was readmitted within the contract's window.
    pub spells_unpaid_readmissions: u64,
    /// Delayed days charged under delay reimbursement contracts.
    pub delay_days_charged: f64,
}

/// One organisation's income and spending in one financial year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationLedger {
    /// Whose ledger.
    pub organisation: OrganisationId,
    /// Signed amounts by [`Category`] (index with [`Category::index`]): income positive,
    /// spending negative.
    pub amounts: Vec<f64>,
    /// For a local authority with a care budget: how much of the year's budget was committed
    /// and how much was left (`None` for other organisations).
    pub care_budget: Option<CareBudgetYear>,
}

/// A local authority's care budget in one financial year, as the budget that rations packages
/// and placements saw it (see the engine's rules in [`crate::run_replication`]).
///
/// Unlike the ledger's amounts, these cover the whole financial year, not only the part
/// observed: a budget is set for the year and committed to its end. For the first financial
/// year of the run, which starts before day 0 unless the run starts on 1 April, the budget is
/// the annual budget's share for the days from day 0 to the year's end.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CareBudgetYear {
    /// The year's care budget, £.
    pub budget: f64,
    /// Committed to packages and placements, £: at the year's end, what they cost in the year;
    /// for a year still running at the horizon, what they cost so far plus the cost to the
    /// year's end of those still running. It can exceed the budget: patients in care at the
    /// start, elective bookings and new stays in the same place are funded unchecked.
    pub committed: f64,
}

impl CareBudgetYear {
    /// What was left uncommitted, £ (`budget − committed`; negative when overcommitted).
    pub fn left(&self) -> f64 {
        self.budget - self.committed
    }
}

impl OrganisationLedger {
    /// The amount booked under `category`.
    pub fn amount(&self, category: Category) -> f64 {
        self.amounts[category.index()]
    }

    /// Everything received.
    pub fn income(&self) -> f64 {
        income(&self.amounts)
    }

    /// Everything spent, as a positive number.
    pub fn spending(&self) -> f64 {
        spending(&self.amounts)
    }

    /// Income less spending.
    pub fn surplus(&self) -> f64 {
        self.amounts.iter().sum()
    }
}

/// The income among signed amounts by category: the categories with money coming in.
pub(crate) fn income(amounts: &[f64]) -> f64 {
    amounts.iter().filter(|&&a| a > 0.0).sum()
}

/// The spending among signed amounts by category, as a positive number.
pub(crate) fn spending(amounts: &[f64]) -> f64 {
    -amounts.iter().filter(|&&a| a < 0.0).sum::<f64>()
}

/// Checks that every money amount of the replication `result` of the variant `variant` (run
/// on `model`) is finite, as the loader's limits on amounts ensure.
pub(crate) fn check_replication_money(
    model: &crate::Model,
    variant: &str,
    result: &crate::ReplicationResult,
) -> Result<(), crate::Error> {
    for year in &result.finance.years {
        for o in &year.organisations {
            for category in crate::Category::ALL {
                let value = o.amount(category);
                if !value.is_finite() {
                    return Err(crate::Error::MoneyNotFinite {
                        variant: variant.to_owned(),
                        replication: result.replication,
                        year: year.label.clone(),
                        organisation: model.organisations()[o.organisation.index()]
                            .name()
                            .to_owned(),
                        category: category.as_str(),
                        value,
                    });
                }
            }
        }
    }
    Ok(())
}
