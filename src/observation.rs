//! Results flattened into tidy observations: one statistic of one subject per row.

use crate::{Category, DelayReason, Ledger, Model, ReplicationResult};

/// What an observation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// The whole system.
    System,
    /// One service.
    Service,
    /// One entry service's arrival-to-leaving times.
    Entry,
    /// Delayed bed-days in one service's beds awaiting another service (a place there, or
    /// funding for it).
    Delay,
    /// Money: one organisation's (or the whole system's) ledger in one financial year.
    Finance,
    /// Patients placed in a fallback (`awaiting`) because the service they wanted
    /// (`service`) was full.
    Fallback,
    /// Admission avoidance: arrivals of one stream (`service` holds the stream's id) that
    /// entered its step-up service instead of its entry.
    StepUp,
    /// Outcome measures of patient journeys ([`OutcomeResult`](crate::OutcomeResult)).
    Outcome,
}

impl Scope {
    /// The name written in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::System => "system",
            Scope::Service => "service",
            Scope::Entry => "entry",
            Scope::Delay => "delay",
            Scope::Finance => "finance",
            Scope::Fallback => "fallback",
            Scope::StepUp => "step_up",
            Scope::Outcome => "outcome",
        }
    }
}

/// The key of an observation: which statistic of which subject.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// What it is about.
    pub scope: Scope,
    /// The service (holding the bed, for delays); for money, the organisation (empty for the
    /// whole system); empty for the system.
    pub service: String,
    /// For delays, the service awaited; for fallbacks, the fallback; for money, the financial
    /// year (`2026-27`, or `all` for the whole observation window); otherwise empty.
    pub awaiting: String,
    /// The statistic's name, e.g. `mean_occupancy`.
    pub kpi: &'static str,
}

/// Names of the system statistics: [`SystemKpi::NAMES`](crate::SystemKpi::NAMES).
pub const SYSTEM_KPIS: [&str; crate::SystemKpi::ALL.len()] = crate::SystemKpi::NAMES;

/// Names of the entry-service statistics: [`EntryKpi::NAMES`](crate::EntryKpi::NAMES).
pub const ENTRY_KPIS: [&str; crate::EntryKpi::ALL.len()] = crate::EntryKpi::NAMES;

/// Names of the statistics of one (service holding the bed, service awaited) pair: delayed
/// bed-days for either reason, then by reason, and the patients who began waiting for each.
pub const DELAY_KPIS: [&str; 5] = [
    "delayed_bed_days",
    "delayed_bed_days_awaiting_place",
    "delayed_bed_days_awaiting_funding",
    "delayed_patients_awaiting_place",
    "delayed_patients_awaiting_funding",
];

/// Names of the statistics of one (preferred, fallback) pair: patients placed in the
/// fallback's places, and the place-days they held there.
pub const FALLBACK_KPIS: [&str; 2] = ["fallback_patients", "fallback_bed_days"];

/// Name of the statistic of an arrival stream with a step-up service: arrivals that entered
/// it instead of the stream's entry service.
pub const STEP_UP_KPI: &str = "admissions_avoided";

/// The (held at, awaiting) pairs of delays and the (preferred, fallback) pairs of fallback
/// placements (service indices) that every replication's observations list.
#[derive(Debug, Clone, Default)]
pub struct Pairs {
    /// (held at, awaiting): [`delay_pairs`].
    pub delays: Vec<(usize, usize)>,
    /// (preferred, fallback): [`fallback_pairs`].
    pub fallbacks: Vec<(usize, usize)>,
    /// Arrival streams with a step-up service in any replication (stream indices, sorted).
    pub step_ups: Vec<usize>,
}

impl Pairs {
    /// The pairs of every replication in `results`.
    pub fn of<'r>(results: impl IntoIterator<Item = &'r ReplicationResult> + Clone) -> Self {
        let mut step_ups: Vec<usize> = results
            .clone()
            .into_iter()
            .flat_map(|r| r.step_ups.iter().map(|s| s.stream.index()))
            .collect();
        step_ups.sort_unstable();
        step_ups.dedup();
        Pairs {
            delays: delay_pairs(results.clone()),
            fallbacks: fallback_pairs(results),
            step_ups,
        }
    }
}

/// Every statistic of one replication, in a fixed order: system, services, then the entry
/// services in `entries`, the (held at, awaiting) pairs of delays and the (preferred,
/// fallback) pairs in `pairs` (zero where this replication has none) and the money lines in
/// `finance`, so that replications of different variants line up.
pub fn observations(
    model: &Model,
    result: &ReplicationResult,
    entries: &[usize],
    pairs: &Pairs,
    finance: &[FinanceLine],
) -> Vec<(Key, f64)> {
    let name = |i: usize| model.services()[i].name().to_string();
    let key = |scope, service: String, awaiting: String, kpi| Key {
        scope,
        service,
        awaiting,
        kpi,
    };
    let mut rows = Vec::new();
    let s = &result.system;
    let system = [
        s.inside_at_start,
        s.arrived,
        s.readmissions,
        s.diverted,
        s.left,
        s.inside_at_end,
        result.deadlocks.len() as u64,
    ];
    for (kpi, v) in SYSTEM_KPIS.into_iter().zip(system) {
        rows.push((
            key(Scope::System, String::new(), String::new(), kpi),
            v as f64,
        ));
    }
    for sr in &result.services {
        for (kpi, v) in sr.kpis() {
            rows.push((
                key(
                    Scope::Service,
                    name(sr.service.index()),
                    String::new(),
                    kpi.as_str(),
                ),
                v,
            ));
        }
    }
    for &entry in entries {
        let values = result
            .entries
            .iter()
            .find(|e| e.service.index() == entry)
            .map_or([0.0; ENTRY_KPIS.len()], |e| {
                [
                    e.patients as f64,
                    e.over_threshold as f64,
                    e.share_over_threshold,
                    e.mean_time,
                    e.p95_time,
                    e.admitted as f64,
                    e.admitted_over_threshold as f64,
                    e.mean_time_to_admission,
                ]
            });
        for (kpi, v) in ENTRY_KPIS.into_iter().zip(values) {
            rows.push((key(Scope::Entry, name(entry), String::new(), kpi), v));
        }
    }
    for &(held, awaiting) in &pairs.delays {
        let reason = |reason: DelayReason| {
            result
                .delays
                .iter()
                .find(|d| {
                    d.held_at.index() == held
                        && d.awaiting.index() == awaiting
                        && d.reason == reason
                })
                .map_or((0.0, 0.0), |d| (d.bed_days, d.patients as f64))
        };
        let (place, place_patients) = reason(DelayReason::Place);
        let (funding, funding_patients) = reason(DelayReason::Funding);
        for (kpi, v) in DELAY_KPIS.into_iter().zip([
            place + funding,
            place,
            funding,
            place_patients,
            funding_patients,
        ]) {
            rows.push((key(Scope::Delay, name(held), name(awaiting), kpi), v));
        }
    }
    for &(preferred, fallback) in &pairs.fallbacks {
        let values = result
            .fallbacks
            .iter()
            .find(|f| f.preferred.index() == preferred && f.fallback.index() == fallback)
            .map_or([0.0; 2], |f| [f.patients as f64, f.bed_days]);
        for (kpi, v) in FALLBACK_KPIS.into_iter().zip(values) {
            rows.push((
                key(Scope::Fallback, name(preferred), name(fallback), kpi),
                v,
            ));
        }
    }
    for &stream in &pairs.step_ups {
        let avoided = result
            .step_ups
            .iter()
            .find(|s| s.stream.index() == stream)
            .map_or(0.0, |s| s.admissions_avoided as f64);
        let stream = model.arrivals()[stream].name().to_owned();
        rows.push((
            key(Scope::StepUp, stream, String::new(), STEP_UP_KPI),
            avoided,
        ));
    }
    if let Some(outcomes) = &result.outcomes {
        for kpi in crate::OutcomeKpi::ALL {
            rows.push((
                key(Scope::Outcome, String::new(), String::new(), kpi.as_str()),
                outcomes.value(kpi),
            ));
        }
    }
    for line in finance {
        rows.push((
            key(
                Scope::Finance,
                line.organisation.clone(),
                line.year.clone(),
                line.kpi,
            ),
            finance_value(model, &result.finance, line),
        ));
    }
    rows
}

/// The financial-year label of totals over the whole observation window.
pub const ALL_YEARS: &str = "all";

/// A local authority's care budget in a financial year (whole years, not only the part
/// observed; see [`crate::CareBudgetYear`]): the budget, how much was committed to packages
/// and placements, and how much was left; over [`ALL_YEARS`], their sums.
pub const CARE_BUDGET_KPIS: [&str; 3] =
    ["care_budget", "care_budget_committed", "care_budget_left"];

/// Statistics of each organisation's ledger besides its categories.
pub const LEDGER_TOTALS: [&str; 3] = ["income", "spending", "surplus"];

/// The whole system's money statistics: outside funding, providers' costs, the system's
/// surplus (funding less costs), and the sum of every payment between organisations over
/// both sides, which conservation of money makes zero.
pub const SYSTEM_MONEY: [&str; 6] = [
    "funding",
    "care_costs",
    "capacity_costs",
    "escalation_premium",
    "surplus",
    "unbalanced_transfers",
];

/// Statistics of a system control total (`control_total.csv`; see
/// [`ControlTotal`](crate::ControlTotal)) in a financial year, £: the limit (pro rata for part
/// of a year), the members' spending net of payments between them, and the headroom, limit
/// less spending (below zero: a breach).
pub const CONTROL_TOTAL_KPIS: [&str; 3] = ["control_limit", "control_spending", "control_headroom"];

/// One money statistic to report.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FinanceLine {
    /// The financial year (`2026-27`) or [`ALL_YEARS`].
    pub year: String,
    /// The organisation; empty for the whole system; for a control total, its id.
    pub organisation: String,
    /// A [`Category`] name, one of [`LEDGER_TOTALS`] or, for a local authority with a care
    /// budget, [`CARE_BUDGET_KPIS`]; for the system one of [`SYSTEM_MONEY`]; for a control
    /// total one of [`CONTROL_TOTAL_KPIS`].
    pub kpi: &'static str,
}

/// The money lines of a set of runs, so that every replication of every variant reports the
/// same ones: per financial year (and over all years, when there are several), per
/// organisation, each category with money in any run, then income, spending and surplus;
/// then the system's lines, then each control total's. Empty when no run booked money.
pub fn finance_lines<'r>(
    runs: impl IntoIterator<Item = (&'r Model, &'r ReplicationResult)>,
) -> Vec<FinanceLine> {
    let mut years: Vec<String> = Vec::new();
    // Organisations in order of first appearance, with the categories they have money in.
    let mut organisations: Vec<(String, [bool; Category::ALL.len()], bool)> = Vec::new();
    let mut control_totals: Vec<String> = Vec::new();
    for (model, result) in runs {
        if !result.finance.years.is_empty() {
            for total in model.finance().control_totals() {
                if !control_totals.iter().any(|n| n == total.name()) {
                    control_totals.push(total.name().to_owned());
                }
            }
        }
        for year in &result.finance.years {
            if !years.contains(&year.label) {
                years.push(year.label.clone());
            }
            for ledger in &year.organisations {
                let name = model.organisations()[ledger.organisation.index()].name();
                let at = match organisations.iter().position(|(n, _, _)| n == name) {
                    Some(at) => at,
                    None => {
                        organisations.push((name.to_string(), [false; Category::ALL.len()], false));
                        organisations.len() - 1
                    }
                };
                for (used, amount) in organisations[at].1.iter_mut().zip(&ledger.amounts) {
                    *used |= *amount != 0.0;
                }
                organisations[at].2 |= ledger.care_budget.is_some();
            }
        }
    }
    years.sort();
    if years.len() > 1 {
        years.push(ALL_YEARS.to_string());
    }
    let mut lines = Vec::new();
    for year in &years {
        for (organisation, used, budget) in &organisations {
            let budget_kpis: &[&'static str] = if *budget { &CARE_BUDGET_KPIS } else { &[] };
            let kpis = Category::ALL
                .iter()
                .zip(used)
                .filter(|(_, used)| **used)
                .map(|(c, _)| c.as_str())
                .chain(LEDGER_TOTALS)
                .chain(budget_kpis.iter().copied());
            for kpi in kpis {
                lines.push(FinanceLine {
                    year: year.clone(),
                    organisation: organisation.clone(),
                    kpi,
                });
            }
        }
        for kpi in SYSTEM_MONEY {
            lines.push(FinanceLine {
                year: year.clone(),
                organisation: String::new(),
                kpi,
            });
        }
        for total in &control_totals {
            for kpi in CONTROL_TOTAL_KPIS {
                lines.push(FinanceLine {
                    year: year.clone(),
                    organisation: total.clone(),
                    kpi,
                });
            }
        }
    }
    lines
}

/// The limit, spending and headroom of the control total `name` of `model` over the years of
/// `ledger` that `year` selects (one, or [`ALL_YEARS`]): `[limit, spending, limit − spending]`,
/// as [`CONTROL_TOTAL_KPIS`]; zeros when `model` has no such control total.
fn control_total_position(model: &Model, ledger: &Ledger, year: &str, name: &str) -> [f64; 3] {
    let Some(total) = model
        .finance()
        .control_totals()
        .iter()
        .find(|t| t.name() == name)
    else {
        return [0.0; 3];
    };
    let financial_years = model.financial_years();
    let (mut limit, mut spending) = (0.0, 0.0);
    for y in ledger
        .years
        .iter()
        .filter(|y| year == ALL_YEARS || y.label == year)
    {
        let whole_year = financial_years
            .iter()
            .find(|f| f.label == y.label)
            .expect("a replication's ledger has the model's financial years")
            .year_days;
        limit += total.annual_limit() * (y.end - y.start) / whole_year;
        // Each member's funding less its surplus: its costs and its payments, net of what it
        // was paid; a payment between members is one's spending and the other's income.
        spending -= y
            .organisations
            .iter()
            .filter(|o| total.organisations().contains(&o.organisation))
            .flat_map(|o| {
                Category::ALL
                    .iter()
                    .filter(|&&c| c != Category::Funding)
                    .map(|&c| o.amount(c))
            })
            .sum::<f64>();
    }
    [limit, spending, limit - spending]
}

/// The value of `line` in `ledger` (0 where the run has no such year or organisation).
pub fn finance_value(model: &Model, ledger: &Ledger, line: &FinanceLine) -> f64 {
    if let Some(i) = CONTROL_TOTAL_KPIS.iter().position(|&k| k == line.kpi) {
        return control_total_position(model, ledger, &line.year, &line.organisation)[i];
    }
    let mut amounts = [0.0; Category::ALL.len()];
    // Care budget: (budget, committed).
    let mut budget = (0.0, 0.0);
    let years = ledger
        .years
        .iter()
        .filter(|y| line.year == ALL_YEARS || y.label == line.year);
    for year in years {
        for o in &year.organisations {
            let name = model.organisations()[o.organisation.index()].name();
            if line.organisation.is_empty() || line.organisation == name {
                for (sum, a) in amounts.iter_mut().zip(&o.amounts) {
                    *sum += a;
                }
                if let Some(b) = &o.care_budget {
                    budget.0 += b.budget;
                    budget.1 += b.committed;
                }
            }
        }
    }
    let amount = |c: Category| amounts[c.index()];
    match line.kpi {
        "income" => crate::ledger::income(&amounts),
        "spending" => crate::ledger::spending(&amounts),
        "surplus" => amounts.iter().sum(),
        "care_budget" => budget.0,
        "care_budget_committed" => budget.1,
        "care_budget_left" => budget.0 - budget.1,
        "unbalanced_transfers" => Category::ALL
            .iter()
            .filter(|c| c.is_transfer())
            .map(|&c| amount(c))
            .sum(),
        kpi => Category::ALL
            .iter()
            .find(|c| c.as_str() == kpi)
            .map_or(0.0, |&c| amount(c)),
    }
}

/// The value in one replication of the statistic `(scope, subject, kpi)`, named as in the
/// output files (`summary.csv`, `finance.csv`): scope `system` (subject empty), `service`,
/// `entry` (subject the service) or `finance` (subject the organisation, empty for the whole
/// system). Money is taken over the whole observation window: its one financial year, or
/// all years. `None` when the names are not a statistic of `model` (see
/// [`Experiment::has_kpi`](crate::Experiment::has_kpi)).
pub(crate) fn statistic_value(
    model: &Model,
    result: &ReplicationResult,
    scope: &str,
    subject: &str,
    kpi: &str,
) -> Option<f64> {
    if scope == Scope::Finance.as_str() {
        let kpi = SYSTEM_MONEY
            .into_iter()
            .chain(LEDGER_TOTALS)
            .chain(Category::ALL.map(Category::as_str))
            .find(|k| *k == kpi)?;
        let years = model.financial_years();
        let line = FinanceLine {
            year: match &years[..] {
                [one] => one.label.clone(),
                _ => ALL_YEARS.to_string(),
            },
            organisation: subject.to_owned(),
            kpi,
        };
        return Some(finance_value(model, &result.finance, &line));
    }
    // Only the entry service asked about, if any: the other rows do not depend on it.
    let entries: Vec<usize> = model
        .service_id(subject)
        .filter(|id| scope == Scope::Entry.as_str() && model.entry_services().contains(id))
        .map(|id| id.index())
        .into_iter()
        .collect();
    observations(model, result, &entries, &Pairs::default(), &[])
        .into_iter()
        .find(|(k, _)| {
            k.scope.as_str() == scope
                && k.service == subject
                && k.awaiting.is_empty()
                && k.kpi == kpi
        })
        .map(|(_, v)| v)
}

/// Every (held at, awaiting) pair with a delay (for a place or funding) in any replication,
/// sorted.
pub fn delay_pairs<'r>(
    results: impl IntoIterator<Item = &'r ReplicationResult>,
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = results
        .into_iter()
        .flat_map(|r| {
            r.delays
                .iter()
                .map(|d| (d.held_at.index(), d.awaiting.index()))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Every (preferred, fallback) pair of any replication's fallback placements, sorted.
pub fn fallback_pairs<'r>(
    results: impl IntoIterator<Item = &'r ReplicationResult>,
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = results
        .into_iter()
        .flat_map(|r| {
            r.fallbacks
                .iter()
                .map(|f| (f.preferred.index(), f.fallback.index()))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}
