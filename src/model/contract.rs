//! Contracts: who pays whom, for what, under which rules.
//!
//! Every contract is evaluated from the same events that move patients (see
//! [`Ledger`](crate::Ledger) for when each is booked). Annual sums are paid pro rata by day
//! over the part of each financial year that is observed.

use super::{ClassId, CostBasis, OrganisationId, ServiceId};

/// Dense index of a [`Contract`] in a [`Model`](crate::Model)'s
/// [`contracts`](crate::Model::contracts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContractId(pub(crate) u32);

impl ContractId {
    /// The position of this contract in [`Model::contracts`](crate::Model::contracts).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The kinds of contract, as named in `contracts.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContractKind {
    /// Payment by Results: a tariff per spell.
    PaymentByResults,
    /// A fixed annual sum.
    Block,
    /// A fixed element plus a variable element for activity above or below plan.
    Blended,
    /// An amount per head of population per year.
    Capitation,
    /// Capitation to a prime contractor, who pays its sub-contractors under their own
    /// contracts.
    PrimeContractor,
    /// A pooled budget; the year-end over- or underspend shared among members.
    Alliance,
    /// A daily charge from a local authority to a provider for delays attributed to social care.
    DelayReimbursement,
    /// Several organisations share the cost of named services.
    PooledFund,
    /// Care bought per unit at a price (spot purchase of placements or hours).
    Spot,
}

impl ContractKind {
    /// Every kind, in the order the scenario format lists them.
    pub const ALL: [ContractKind; 9] = [
        ContractKind::PaymentByResults,
        ContractKind::Block,
        ContractKind::Blended,
        ContractKind::Capitation,
        ContractKind::PrimeContractor,
        ContractKind::Alliance,
        ContractKind::DelayReimbursement,
        ContractKind::PooledFund,
        ContractKind::Spot,
    ];

    /// The name used in `contracts.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContractKind::PaymentByResults => "pbr",
            ContractKind::Block => "block",
            ContractKind::Blended => "blended",
            ContractKind::Capitation => "capitation",
            ContractKind::PrimeContractor => "prime",
            ContractKind::Alliance => "alliance",
            ContractKind::DelayReimbursement => "delay_reimbursement",
            ContractKind::PooledFund => "pooled_fund",
            ContractKind::Spot => "spot",
        }
    }

    /// Parses the name used in `contracts.csv`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// A contract between organisations.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub(crate) name: String,
    /// Who pays (`None` for a pooled fund, whose members pay).
    pub(crate) payer: Option<OrganisationId>,
    /// Who is paid (`None` for an alliance or pooled fund, whose members are paid).
    pub(crate) provider: Option<OrganisationId>,
    /// The services the contract covers (for delay reimbursement: the social care services
    /// whose delays are charged).
    pub(crate) services: Vec<ServiceId>,
    pub(crate) terms: ContractTerms,
}

impl Contract {
    /// The contract's id as written in the scenario.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What kind of contract it is.
    pub fn kind(&self) -> ContractKind {
        self.terms.kind()
    }

    /// Who pays; `None` for a pooled fund (its members pay).
    pub fn payer(&self) -> Option<OrganisationId> {
        self.payer
    }

    /// Who is paid; `None` for an alliance or pooled fund (its members are paid).
    pub fn provider(&self) -> Option<OrganisationId> {
        self.provider
    }

    /// The services covered.
    pub fn services(&self) -> &[ServiceId] {
        &self.services
    }

    /// The contract's terms.
    pub fn terms(&self) -> &ContractTerms {
        &self.terms
    }
}

/// The money rules of a contract. Amounts are in pounds; "per year" means per financial year
/// (1 April to 31 March), paid pro rata by day.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ContractTerms {
    /// Payment by Results: each stay of a patient at a covered service whose class has a
    /// tariff there is a spell, paid when the patient leaves the service: the tariff, plus
    /// `excess_per_day` for each day beyond the trim point.
    PaymentByResults {
        /// Prices by (class, service).
        tariffs: Vec<Tariff>,
        /// Emergency spells above a baseline volume paid at a marginal rate.
        marginal: Option<MarginalRate>,
        /// Spells of patients readmitted within this many days of leaving are not paid.
        readmission_days: Option<f64>,
    },
    /// A fixed sum per year, whatever the activity.
    Block {
        /// Pounds per year.
        annual: f64,
    },
    /// A fixed element plus `share` of the tariff value of activity above plan (or minus it
    /// below plan), settled at the end of each financial year.
    Blended {
        /// Fixed element, pounds per year.
        fixed: f64,
        /// Planned activity, valued at tariff, pounds per year.
        plan: f64,
        /// Share of tariff paid (or recovered) for activity above (or below) plan, 0–1.
        share: f64,
        /// Prices by (class, service), as under Payment by Results.
        tariffs: Vec<Tariff>,
    },
    /// An amount per head of population per year (for `prime`, to a prime contractor who pays
    /// its sub-contractors under their own contracts).
    Capitation {
        /// Pounds per person per year.
        per_head: f64,
        /// People covered.
        population: u64,
        /// Whether the provider is a prime contractor.
        prime: bool,
    },
    /// A pooled budget for the covered services: the payer pays each member its costs of those
    /// services; at the end of each financial year the underspend (budget − costs) is shared
    /// among members as gain, or the overspend borne by them as loss, by their shares, each
    /// capped. The payer keeps or bears the rest.
    Alliance {
        /// Pounds per year.
        budget: f64,
        /// Members, their shares and caps.
        members: Vec<Member>,
    },
    /// A daily charge from the payer (a local authority) to the provider for each day beyond
    /// the grace period that a patient in the provider's beds waits for one of the covered
    /// (social care) services, capacity or funding.
    DelayReimbursement {
        /// Pounds per delayed day.
        daily: f64,
        /// Days of each delay not charged.
        grace_days: f64,
    },
    /// Members pay the providers of the covered services their costs of them, each member its
    /// share, settled at the end of each financial year.
    PooledFund {
        /// Contributors and their shares (summing to 1).
        members: Vec<Member>,
    },
    /// The payer buys care at the covered services from the provider at `price` per unit.
    /// When the payer is a local authority with a care budget, new packages need funding.
    Spot {
        /// Pounds per unit.
        price: f64,
        /// The unit.
        basis: CostBasis,
    },
}

impl ContractTerms {
    /// The kind of contract these terms belong to.
    pub fn kind(&self) -> ContractKind {
        match self {
            ContractTerms::PaymentByResults { .. } => ContractKind::PaymentByResults,
            ContractTerms::Block { .. } => ContractKind::Block,
            ContractTerms::Blended { .. } => ContractKind::Blended,
            ContractTerms::Capitation { prime: false, .. } => ContractKind::Capitation,
            ContractTerms::Capitation { prime: true, .. } => ContractKind::PrimeContractor,
            ContractTerms::Alliance { .. } => ContractKind::Alliance,
            ContractTerms::DelayReimbursement { .. } => ContractKind::DelayReimbursement,
            ContractTerms::PooledFund { .. } => ContractKind::PooledFund,
            ContractTerms::Spot { .. } => ContractKind::Spot,
        }
    }

    /// The tariffs of an activity-based contract (Payment by Results, blended); empty
    /// otherwise.
    pub fn tariffs(&self) -> &[Tariff] {
        match self {
            ContractTerms::PaymentByResults { tariffs, .. }
            | ContractTerms::Blended { tariffs, .. } => tariffs,
            _ => &[],
        }
    }
}

/// The price of a spell of one class at one service.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tariff {
    pub(crate) class: ClassId,
    pub(crate) service: ServiceId,
    /// Pounds per spell.
    pub(crate) price: f64,
    /// Days of stay the price covers; each further day is paid at `excess_per_day`.
    pub(crate) trim_days: Option<f64>,
    pub(crate) excess_per_day: f64,
    /// Whether these spells are emergency activity (subject to the marginal rate).
    pub(crate) emergency: bool,
}

impl Tariff {
    /// The class priced.
    pub fn class(&self) -> ClassId {
        self.class
    }

    /// The service priced.
    pub fn service(&self) -> ServiceId {
        self.service
    }

    /// Pounds per spell.
    pub fn price(&self) -> f64 {
        self.price
    }

    /// The trim point, days; stays beyond it earn `excess_per_day` for each further day.
    pub fn trim_days(&self) -> Option<f64> {
        self.trim_days
    }

    /// Pounds per day beyond the trim point.
    pub fn excess_per_day(&self) -> f64 {
        self.excess_per_day
    }

    /// Whether these spells are emergency activity.
    pub fn emergency(&self) -> bool {
        self.emergency
    }

    /// The price of a spell of `stay` days, as (tariff, excess): the excess is
    /// `excess_per_day` for each day beyond the trim point, fractions of a day included (a
    /// 12.5-day stay with a 10-day trim point earns 2.5 excess days).
    pub fn spell_price(&self, stay: f64) -> (f64, f64) {
        let excess = match self.trim_days {
            Some(trim) if stay > trim => (stay - trim) * self.excess_per_day,
            _ => 0.0,
        };
        (self.price, excess)
    }
}

/// The marginal rate rule for emergency activity under Payment by Results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarginalRate {
    /// Emergency spells per year paid in full (pro rata for part of a year).
    pub(crate) baseline_spells: f64,
    /// Share of the tariff paid for emergency spells above the baseline, 0–1 (e.g. 0.3).
    pub(crate) rate: f64,
}

impl MarginalRate {
    /// Emergency spells per year paid in full.
    pub fn baseline_spells(&self) -> f64 {
        self.baseline_spells
    }

    /// Share of the tariff paid above the baseline.
    pub fn rate(&self) -> f64 {
        self.rate
    }
}

/// A member of an alliance or pooled fund.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Member {
    pub(crate) organisation: OrganisationId,
    /// Share of the alliance's gain or loss, or of the pooled fund's cost, 0–1.
    pub(crate) share: f64,
    /// Most gain or loss a member takes in a year (alliances), pro rata for part of a year.
    pub(crate) cap: Option<f64>,
}

impl Member {
    /// The member.
    pub fn organisation(&self) -> OrganisationId {
        self.organisation
    }

    /// Its share, 0–1.
    pub fn share(&self) -> f64 {
        self.share
    }

    /// The most gain or loss it takes in a year, if capped.
    pub fn cap(&self) -> Option<f64> {
        self.cap
    }
}
