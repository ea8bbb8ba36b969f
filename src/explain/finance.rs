//! Organisations and contracts in words: who provides what, and who pays whom.

use crate::{ContractKind, ContractTerms, CostBasis, Model, OrganisationId, OrganisationKind};

/// One organisation: what it provides and the money it gets from outside.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationLine {
    /// Its id in the scenario.
    pub name: String,
    /// What kind of body it is.
    pub kind: OrganisationKind,
    /// The services it provides, in id order.
    pub provides: Vec<String>,
    /// Income a year from outside the system (`funding.csv`), if any.
    pub annual_funding: Option<f64>,
    /// A local authority's care budget a year, if any.
    pub care_budget: Option<f64>,
}

/// One contract: who pays whom, for what, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractLine {
    /// Its id in the scenario.
    pub name: String,
    /// What kind of contract it is.
    pub kind: ContractKind,
    /// Who pays; `None` for a pooled fund, whose members pay.
    pub payer: Option<String>,
    /// Who is paid; `None` for an alliance or pooled fund, whose members are paid.
    pub provider: Option<String>,
    /// The services covered, in the contract's order.
    pub services: Vec<String>,
    /// Who pays whom for what, one sentence.
    pub summary: String,
}

pub(crate) fn organisations(model: &Model) -> Vec<OrganisationLine> {
    model
        .organisations()
        .iter()
        .enumerate()
        .map(|(o, organisation)| {
            let id = OrganisationId(o as u32);
            let funding = model.funding(id);
            OrganisationLine {
                name: organisation.name().to_owned(),
                kind: organisation.kind(),
                provides: model
                    .services()
                    .iter()
                    .filter(|s| s.provider() == id)
                    .map(|s| s.name().to_owned())
                    .collect(),
                annual_funding: funding.map(|f| f.annual()),
                care_budget: funding.and_then(|f| f.care_budget()),
            }
        })
        .collect()
}

/// Pounds, whole, with thousands separators: `£1,250,000`.
pub(crate) fn pounds(x: f64) -> String {
    let mut out = String::from(if x < 0.0 { "−£" } else { "£" });
    crate::report::push_grouped(&mut out, &format!("{:.0}", x.abs()));
    out
}

/// A share as a percentage: `0.3` → `30%`.
fn percent(share: f64) -> String {
    let p = share * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

pub(crate) fn contracts(model: &Model) -> Vec<ContractLine> {
    let name =
        |o: Option<OrganisationId>| o.map(|o| model.organisations()[o.index()].name().to_owned());
    model
        .contracts()
        .iter()
        .map(|c| {
            let payer = name(c.payer());
            let provider = name(c.provider());
            let services: Vec<String> = c
                .services()
                .iter()
                .map(|s| model.services()[s.index()].name().to_owned())
                .collect();
            let (who, whom) = (
                payer.clone().unwrap_or_else(|| "members".into()),
                provider.clone().unwrap_or_else(|| "members".into()),
            );
            let covered = if services.is_empty() {
                "care".to_owned()
            } else {
                services.join(", ")
            };
            let members = |members: &[crate::Member]| {
                members
                    .iter()
                    .map(|m| {
                        format!(
                            "{} {}",
                            model.organisations()[m.organisation().index()].name(),
                            percent(m.share())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let summary = match c.terms() {
                ContractTerms::PaymentByResults { tariffs, marginal, .. } => {
                    let marginal = marginal.map_or_else(String::new, |m| {
                        format!(
                            "; emergency spells above {:.0} a year at {}",
                            m.baseline_spells(),
                            percent(m.rate())
                        )
                    });
                    format!(
                        "{who} pays {whom} a tariff per spell at {covered} ({} prices){marginal}",
                        tariffs.len()
                    )
                }
                ContractTerms::Block { annual } => {
                    format!("{who} pays {whom} {} a year for {covered}", pounds(*annual))
                }
                ContractTerms::Blended {
                    fixed, plan, share, ..
                } => format!(
                    "{who} pays {whom} {} a year plus {} of tariff above a plan of {} at {covered}",
                    pounds(*fixed),
                    percent(*share),
                    pounds(*plan)
                ),
                ContractTerms::Capitation {
                    per_head,
                    population,
                    prime,
                } => format!(
                    "{who} pays {whom} {} a head for {population} people{}",
                    pounds(*per_head),
                    if *prime {
                        ", as prime contractor paying its sub-contractors"
                    } else {
                        ""
                    }
                ),
                ContractTerms::Alliance { budget, members: m } => format!(
                    "{who} pays the members' costs of {covered} from a {} budget a year; the under- or overspend shared: {}",
                    pounds(*budget),
                    members(m)
                ),
                ContractTerms::DelayReimbursement { daily, grace_days } => format!(
                    "{who} pays {whom} {} a day for each delay beyond {grace_days} days awaiting {covered}",
                    pounds(*daily)
                ),
                ContractTerms::PooledFund { members: m } => format!(
                    "{} pay the providers of {covered} their costs",
                    members(m)
                ),
                ContractTerms::Spot { price, basis } => format!(
                    "{who} buys {covered} from {whom} at {} a {}",
                    pounds(*price),
                    match basis {
                        CostBasis::BedDay => "bed-day",
                        CostBasis::PlacementWeek => "placement week",
                        CostBasis::CareHour => "care hour",
                        CostBasis::Visit => "visit",
                    }
                ),
            };
            ContractLine {
                name: c.name().to_owned(),
                kind: c.kind(),
                payer,
                provider,
                services,
                summary,
            }
        })
        .collect()
}
