//! Money from outside the local system: allocations and local authority care budgets.

/// An organisation's income from outside the simulated system, per financial year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Funding {
    pub(crate) annual: f64,
    pub(crate) care_budget: Option<f64>,
}

impl Funding {
    /// Income per financial year (an integrated care board's allocation, a council's grant
    /// and council tax for adult social care), booked pro rata by day.
    pub fn annual(&self) -> f64 {
        self.annual
    }

    /// For a local authority: the budget per financial year for the care packages and
    /// placements it buys or provides. A local authority cannot overspend: a new package whose
    /// cost to the end of the financial year exceeds what is left uncommitted waits (awaiting
    /// funding) until money frees up or the new year starts.
    pub fn care_budget(&self) -> Option<f64> {
        self.care_budget
    }
}
