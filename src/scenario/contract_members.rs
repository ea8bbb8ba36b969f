//! `contract_members.csv`: the members of alliances and pooled funds, and their shares.

use super::ScenarioErrors;
use super::contracts::{A_CONTRACT, A_SHARE, Entry};
use super::funding::AN_ORGANISATION;
use super::ids::Ids;
use super::probability_groups::TOLERANCE;
use super::source::Source;
use super::table::{Column, Field, Presence, Table};
use crate::{ContractKind, Member, OrganisationId};
use std::collections::HashMap;

pub(crate) const FILE: &str = "contract_members.csv";
const COLUMNS: [Column; 4] = [
    Column::required("contract"),
    Column::required("organisation"),
    Column::required("share"),
    Column::optional("cap"),
];

/// The members read, by contract (numbered as in `contracts.csv`).
#[derive(Debug)]
pub(crate) struct Members {
    /// The valid members of each contract, in file order.
    pub(crate) by_contract: Vec<Vec<Member>>,
    /// How many rows name each contract, valid or not.
    pub(crate) rows: Vec<usize>,
    /// Whether every row naming each contract is valid.
    pub(crate) valid: Vec<bool>,
    /// Whether every row could be read: if not, a contract without rows may have one.
    pub(crate) complete: bool,
}

/// Reads `contract_members.csv` (optional) for the contracts `ids` numbers and `entries`
/// describes, and checks each contract's shares: at most 1 in all for an alliance, exactly 1
/// for a pooled fund. `None` if the file as a whole cannot be used or the organisations are
/// unknown.
pub(crate) fn read(
    source: &Source<'_>,
    ids: &Ids,
    entries: &[Entry],
    organisations: Option<&Ids>,
    errors: &mut ScenarioErrors,
) -> Option<Members> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let organisations = organisations?;
    let before = errors.count();
    let n = entries.len();
    let mut members = Members {
        by_contract: vec![Vec::new(); n],
        rows: vec![0; n],
        valid: vec![true; n],
        complete: table.is_complete(),
    };
    // The share cell of each contract's first row, where a wrong sum is reported.
    let mut first: Vec<Option<Field<'_>>> = vec![None; n];
    let mut given: HashMap<(u32, u32), u64> = HashMap::new();
    for row in table.rows() {
        let before_row = errors.count();
        let contract_field = row.field("contract");
        let contract = ids
            .resolve(contract_field, A_CONTRACT, errors)
            .filter(|&c| (c as usize) < n);
        let kind = contract.and_then(|c| entries[c as usize].kind);
        let mut ok = true;
        if let Some(kind) = kind
            && !matches!(kind, ContractKind::Alliance | ContractKind::PooledFund)
        {
            errors.push(contract_field.inconsistent(format!(
                "contract '{}' is a '{}' contract: members are for alliance and pooled_fund \
                 contracts",
                contract_field.text(),
                kind.as_str()
            )));
            ok = false;
        }
        let organisation_field = row.field("organisation");
        let organisation = organisations.resolve(organisation_field, AN_ORGANISATION, errors);
        let share_field = row.field("share");
        let share = errors.keep(share_field.number(A_SHARE, |x| (0.0..=1.0).contains(&x)));
        let cap_field = row.field("cap");
        let cap = if cap_field.is_empty() {
            Some(None)
        } else if ok && kind == Some(ContractKind::PooledFund) {
            errors.push(cap_field.inconsistent(
                "does not apply to 'pooled_fund' contracts: caps limit an alliance member's \
                 gain or loss",
            ));
            None
        } else {
            errors.keep(cap_field.money()).map(Some)
        };
        let Some(contract) = contract else {
            continue;
        };
        let c = contract as usize;
        members.rows[c] += 1;
        if first[c].is_none() {
            first[c] = Some(share_field);
        }
        let mut valid = ok && errors.count() == before_row;
        if let Some(organisation) = organisation {
            if let Some(&first_line) = given.get(&(contract, organisation)) {
                errors.push(organisation_field.duplicate_entry(
                    format!(
                        "organisation '{}' in contract '{}'",
                        organisation_field.text(),
                        contract_field.text()
                    ),
                    first_line,
                ));
                valid = false;
            } else {
                given.insert((contract, organisation), row.line());
            }
        }
        members.valid[c] &= valid;
        if let (true, Some(organisation), Some(share), Some(cap)) =
            (valid, organisation, share, cap)
        {
            members.by_contract[c].push(Member {
                organisation: OrganisationId(organisation),
                share,
                cap,
            });
        }
    }
    for (c, entry) in entries.iter().enumerate() {
        let Some(field) = first[c] else {
            continue;
        };
        if !members.valid[c] {
            continue;
        }
        let sum: f64 = members.by_contract[c].iter().map(|m| m.share).sum();
        let expected = match entry.kind {
            Some(ContractKind::Alliance) if sum > 1.0 + TOLERANCE => "at most 1",
            Some(ContractKind::PooledFund) if (sum - 1.0).abs() > TOLERANCE => "1",
            _ => continue,
        };
        errors.push(field.inconsistent(format!(
            "the shares of the members of '{}' contract '{}' sum to {}, expected {expected}",
            entry.kind.map_or("?", ContractKind::as_str),
            ids.name(c as u32),
            super::error::rounded(sum)
        )));
    }
    errors.sort_by_line_from(before);
    Some(members)
}
