//! System control totals: an area-wide spending limit for a named set of organisations.

use super::OrganisationId;

/// A spending limit per financial year for a set of organisations taken together, such as an
/// integrated care system's NHS bodies.
///
/// The set's spending in a year is its members' costs of care plus what they pay, net, to
/// organisations outside the set: the sum over members of `funding − surplus`. A payment
/// between two members is one's income and the other's spending, so it cancels and is not
/// counted twice; a payment from a non-member offsets the members' spending. The limit
/// applies to each financial year, pro rata for a year observed only in part, like funding.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlTotal {
    pub(crate) name: String,
    pub(crate) organisations: Vec<OrganisationId>,
    pub(crate) annual_limit: f64,
}

impl ControlTotal {
    /// The control total's id in `control_total.csv`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The organisations it holds, in the order listed.
    pub fn organisations(&self) -> &[OrganisationId] {
        &self.organisations
    }

    /// The spending limit per financial year, £.
    pub fn annual_limit(&self) -> f64 {
        self.annual_limit
    }
}
