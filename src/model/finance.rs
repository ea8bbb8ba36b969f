//! The money side of a scenario: costs, outside funding and contracts, and the financial
//! years they are booked in.

use super::{Contract, ControlTotal, Cost, Funding, OutcomeContract};
use chrono::{Datelike, NaiveDate};

/// Costs, funding and contracts of a scenario. Empty (no money booked) when the scenario has
/// none of `costs.csv`, `funding.csv`, `contracts.csv` and `outcome_contracts.csv`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Finance {
    /// Indexed by service.
    pub(crate) costs: Vec<Option<Cost>>,
    /// Indexed by organisation.
    pub(crate) funding: Vec<Option<Funding>>,
    /// Active contracts, in file order.
    pub(crate) contracts: Vec<Contract>,
    /// Active contracts that pay for outcomes, in file order.
    pub(crate) outcome_contracts: Vec<OutcomeContract>,
    /// System control totals (`control_total.csv`), in file order.
    pub(crate) control_totals: Vec<ControlTotal>,
}

impl Finance {
    /// Whether any money is booked at all.
    pub fn is_empty(&self) -> bool {
        self.costs.iter().all(Option::is_none)
            && self.funding.iter().all(Option::is_none)
            && self.contracts.is_empty()
            && self.outcome_contracts.is_empty()
    }

    /// The system control totals, in file order: spending limits for sets of organisations,
    /// reported against, not enforced.
    pub fn control_totals(&self) -> &[ControlTotal] {
        &self.control_totals
    }
}

/// The part of one financial year (1 April to 31 March) inside a period of simulated time.
#[derive(Debug, Clone, PartialEq)]
pub struct FinancialYear {
    /// The year's name, e.g. `2026-27`.
    pub label: String,
    /// Where the part starts, days since the start date.
    pub start: f64,
    /// Where it ends, days since the start date.
    pub end: f64,
    /// Days in the whole financial year (365 or 366): annual sums are paid `(end − start) /
    /// year_days` of their amount.
    pub year_days: f64,
}

impl FinancialYear {
    /// The financial years overlapping `[from, to)` days after `start_date`, each cut to that
    /// period.
    ///
    /// ```
    /// use careflow::FinancialYear;
    /// use chrono::NaiveDate;
    ///
    /// let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    /// let years = FinancialYear::between(start, 0.0, 365.0);
    /// assert_eq!(years[0].label, "2025-26");
    /// assert_eq!((years[0].start, years[0].end), (0.0, 90.0)); // 1 Jan to 1 Apr
    /// assert_eq!(years[1].label, "2026-27");
    /// assert_eq!(years[1].year_days, 365.0);
    /// ```
    pub fn between(start_date: NaiveDate, from: f64, to: f64) -> Vec<FinancialYear> {
        let mut years = Vec::new();
        if to.partial_cmp(&from) != Some(std::cmp::Ordering::Greater) {
            return years;
        }
        // The financial year holding day `from`.
        let first_date = start_date + chrono::Duration::days(from.floor() as i64);
        let mut year = if first_date.month() >= 4 {
            first_date.year()
        } else {
            first_date.year() - 1
        };
        loop {
            let begins = NaiveDate::from_ymd_opt(year, 4, 1).expect("1 April exists");
            let ends = NaiveDate::from_ymd_opt(year + 1, 4, 1).expect("1 April exists");
            let (b, e) = (
                (begins - start_date).num_days() as f64,
                (ends - start_date).num_days() as f64,
            );
            if b >= to {
                break;
            }
            let (s, t) = (b.max(from), e.min(to));
            if t > s {
                years.push(FinancialYear {
                    label: format!("{}-{:02}", year, (year + 1) % 100),
                    start: s,
                    end: t,
                    year_days: e - b,
                });
            }
            year += 1;
        }
        years
    }

    /// The share of the whole year this part covers.
    pub fn fraction(&self) -> f64 {
        (self.end - self.start) / self.year_days
    }
}
