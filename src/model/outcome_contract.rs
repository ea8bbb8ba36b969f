//! Contracts that pay for outcomes (`outcome_contracts.csv`): incentive schemes, payments per
//! outcome, gain shares and a prime contractor's outcome pot. Each is settled per financial
//! year; see [`OutcomeTerms`] for the rules.

use super::{ContractId, OrganisationId, ServiceId};
use crate::{Kpi, OutcomeKpi};

/// The kinds of outcome contract, as named in `outcome_contracts.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutcomeContractKind {
    /// Withholds a share of a contract's value, paid back in proportion to targets met.
    Incentive,
    /// A payment per patient achieving an outcome, or a deduction per patient failing it.
    OutcomePayment,
    /// The value of a KPI's reduction below a baseline, shared among members.
    GainShare,
    /// A share of a prime contractor's contract paid according to an outcome.
    OutcomePot,
}

impl OutcomeContractKind {
    /// Every kind, in the order the scenario format lists them.
    pub const ALL: [OutcomeContractKind; 4] = [
        OutcomeContractKind::Incentive,
        OutcomeContractKind::OutcomePayment,
        OutcomeContractKind::GainShare,
        OutcomeContractKind::OutcomePot,
    ];

    /// The name used in `outcome_contracts.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeContractKind::Incentive => "incentive",
            OutcomeContractKind::OutcomePayment => "outcome_payment",
            OutcomeContractKind::GainShare => "gain_share",
            OutcomeContractKind::OutcomePot => "outcome_pot",
        }
    }
}

/// The outcome a payment or pot is judged on, for each discharge followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Leaving reablement for home: achieved if still at home 91 days later.
    StillAtHome91,
    /// Leaving hospital: achieved if not readmitted within 30 days.
    NoReadmission30,
}

impl Outcome {
    /// Both outcomes, in the order the scenario format lists them.
    pub const ALL: [Outcome; 2] = [Outcome::StillAtHome91, Outcome::NoReadmission30];

    /// The name used in `outcome_contracts.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::StillAtHome91 => "still_at_home_91",
            Outcome::NoReadmission30 => "no_readmission_30",
        }
    }
}

/// A statistic with a value per financial year, as targets and gain shares need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum YearKpi {
    /// A service statistic that is a total over time (a count or days): its value in the year.
    Service(ServiceId, Kpi),
    /// An outcome measure of the discharges of the year (patients leaving in the year, for
    /// the delays).
    Outcome(OutcomeKpi),
}

impl YearKpi {
    /// Whether the value is a total that grows with the part of the year observed (so that a
    /// yearly target or baseline is taken pro rata), rather than a share or a mean.
    pub fn is_total(self) -> bool {
        match self {
            YearKpi::Service(..) => true,
            YearKpi::Outcome(k) => !matches!(
                k,
                OutcomeKpi::StillAtHome91Share
                    | OutcomeKpi::Readmitted30Share
                    | OutcomeKpi::MeanDaysAtHome90
                    | OutcomeKpi::MeanDelayedDays
            ),
        }
    }
}

/// A target of an incentive scheme: the KPI's value in a year at most (or at least) `value`
/// (for totals, per whole year, pro rata for part of one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub(crate) kpi: YearKpi,
    pub(crate) at_most: bool,
    pub(crate) value: f64,
}

impl Target {
    /// The KPI.
    pub fn kpi(&self) -> YearKpi {
        self.kpi
    }

    /// Whether the target is an upper bound (`<=`) rather than a lower one (`>=`).
    pub fn at_most(&self) -> bool {
        self.at_most
    }

    /// The bound.
    pub fn value(&self) -> f64 {
        self.value
    }
}

/// The money rules of an outcome contract. All are settled per financial year, at its end, on
/// the year's KPIs and on the outcomes of the year's discharges once their follow-up is
/// complete (discharges whose follow-up runs past the horizon are not judged).
#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeTerms {
    /// The payer withholds `share` of the `base` contract's value for the year and pays back
    /// the part in proportion to the targets met: the provider pays back
    /// `share × value × (1 − met / targets)`.
    Incentive {
        /// The contract whose value is withheld from.
        base: ContractId,
        /// Share withheld, 0–1.
        share: f64,
        /// The targets, equally weighted.
        targets: Vec<Target>,
    },
    /// The payer pays the provider `per_success` for each discharge of the year from the
    /// covered services (every service where the outcome is measured, if none is named) that
    /// achieves the outcome, and the provider pays `per_failure` back for each that fails.
    OutcomePayment {
        /// What is judged.
        outcome: Outcome,
        /// The services whose discharges count (empty: all).
        services: Vec<ServiceId>,
        /// Pounds per discharge achieving the outcome.
        per_success: f64,
        /// Pounds per discharge failing it.
        per_failure: f64,
    },
    /// The payer (who banks the saving) pays `per_unit × (baseline − value)` for a year whose
    /// KPI is below its baseline (per whole year, pro rata for part of one) to the members,
    /// each its share; nothing for a year at or above the baseline.
    GainShare {
        /// The KPI.
        kpi: YearKpi,
        /// Its value per year without the scheme.
        baseline: f64,
        /// Pounds per unit of the reduction.
        per_unit: f64,
        /// Members and their shares (summing to 1).
        members: Vec<(OrganisationId, f64)>,
    },
    /// The payer withholds `share` of the `base` prime contract's value for the year (the
    /// pot) and pays back the part the outcome earns: none at a success rate of `floor` or
    /// below, all at `target` or above, in proportion between; a year with no discharge to
    /// judge earns the whole pot.
    OutcomePot {
        /// The prime contractor's capitation contract.
        base: ContractId,
        /// Share withheld into the pot, 0–1.
        share: f64,
        /// What is judged.
        outcome: Outcome,
        /// Success rate that earns none of the pot.
        floor: f64,
        /// Success rate that earns all of it.
        target: f64,
    },
}

impl OutcomeTerms {
    /// The kind of contract these terms belong to.
    pub fn kind(&self) -> OutcomeContractKind {
        match self {
            OutcomeTerms::Incentive { .. } => OutcomeContractKind::Incentive,
            OutcomeTerms::OutcomePayment { .. } => OutcomeContractKind::OutcomePayment,
            OutcomeTerms::GainShare { .. } => OutcomeContractKind::GainShare,
            OutcomeTerms::OutcomePot { .. } => OutcomeContractKind::OutcomePot,
        }
    }
}

/// A contract that pays for outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeContract {
    pub(crate) name: String,
    pub(crate) payer: OrganisationId,
    /// `None` for a gain share, whose members are paid.
    pub(crate) provider: Option<OrganisationId>,
    pub(crate) terms: OutcomeTerms,
}

impl OutcomeContract {
    /// The contract's id as written in the scenario.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Who pays.
    pub fn payer(&self) -> OrganisationId {
        self.payer
    }

    /// Who is paid; `None` for a gain share (its members are paid).
    pub fn provider(&self) -> Option<OrganisationId> {
        self.provider
    }

    /// The rules.
    pub fn terms(&self) -> &OutcomeTerms {
        &self.terms
    }
}
