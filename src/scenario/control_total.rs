//! `control_total.csv`: area-wide spending limits for named sets of organisations.

use super::ScenarioErrors;
use super::funding::AN_ORGANISATION;
use super::ids::{Defined, Ids};
use super::source::Source;
use super::table::{Column, Presence, Table};
use crate::{ControlTotal, Organisation, OrganisationId};

pub(crate) const FILE: &str = "control_total.csv";
const COLUMNS: [Column; 3] = [
    Column::required("id"),
    Column::required("organisations"),
    Column::required("annual_limit"),
];

/// Reads `control_total.csv` (optional): the control totals in file order, and the line of
/// each. `None` if the file as a whole cannot be used or the organisations are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    organisations: Option<&Defined<Organisation>>,
    errors: &mut ScenarioErrors,
) -> Option<(Vec<ControlTotal>, Vec<u64>)> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let organisations = &organisations?.ids;
    let mut ids = Ids::new(true);
    let mut totals = Vec::new();
    let mut lines = Vec::new();
    for row in table.rows() {
        let id_field = row.field("id");
        let name = errors.keep(ids.define(id_field));
        // Its lines sit beside organisations' in finance.csv, so its id must not be one.
        if name.is_some() && organisations.get(id_field.text()).is_some() {
            errors.push(id_field.inconsistent(format!(
                "'{}' is an organisation in organisations.csv: a control total needs an id of \
                 its own",
                id_field.text()
            )));
        }
        let members = organisations.resolve_list(
            row.field("organisations"),
            ("organisation", AN_ORGANISATION),
            errors,
        );
        let annual_limit = errors.keep(row.field("annual_limit").money());
        if let (Some(_), Some(members), Some(annual_limit)) = (name, members, annual_limit) {
            totals.push(ControlTotal {
                name: id_field.text().to_owned(),
                organisations: members.into_iter().map(OrganisationId).collect(),
                annual_limit,
            });
            lines.push(row.line());
        }
    }
    Some((totals, lines))
}

/// A control total needs spending to hold to its limit: a scenario that books no money has
/// none, and would report a spending of 0 for ever inside the limit.
pub(crate) fn check_money_booked(
    source: &Source<'_>,
    model: &crate::Model,
    lines: &[u64],
    errors: &mut ScenarioErrors,
) {
    let finance = model.finance();
    if !finance.is_empty() {
        return;
    }
    for (total, &line) in finance.control_totals().iter().zip(lines) {
        errors.push(super::ScenarioError::Inconsistent {
            path: source.dir().join(FILE),
            line,
            column: "organisations".into(),
            message: format!(
                "control total '{}' limits spending, but the scenario books no money (no costs \
                 in costs.csv, no funding in funding.csv, no active contract in contracts.csv)",
                total.name()
            ),
        });
    }
}
