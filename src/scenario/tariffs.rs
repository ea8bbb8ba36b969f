//! `tariffs.csv`: the prices of Payment by Results and blended contracts.

use super::ScenarioErrors;
use super::arrivals::{A_CLASS, A_SERVICE};
use super::contracts::{A_CONTRACT, Entry};
use super::ids::Ids;
use super::source::Source;
use super::table::{Column, Presence, Table};
use crate::{ClassId, ContractKind, ServiceId, Tariff};
use std::collections::HashMap;

pub(crate) const FILE: &str = "tariffs.csv";
const COLUMNS: [Column; 7] = [
    Column::required("contract"),
    Column::required("class"),
    Column::required("service"),
    Column::required("price"),
    Column::optional("trim_days"),
    Column::optional("excess_per_day"),
    Column::required("emergency"),
];

/// The tariffs read, by contract (numbered as in `contracts.csv`).
#[derive(Debug)]
pub(crate) struct Tariffs {
    /// The valid tariffs of each contract, in file order.
    pub(crate) by_contract: Vec<Vec<Tariff>>,
    /// How many rows name each contract, valid or not.
    pub(crate) rows: Vec<usize>,
    /// Whether every row could be read: if not, a contract without rows may have one.
    pub(crate) complete: bool,
}

/// Reads `tariffs.csv` (optional) for the contracts `ids` numbers and `entries` describes.
/// `None` if the file as a whole cannot be used or the classes or services are unknown.
pub(crate) fn read(
    source: &Source<'_>,
    ids: &Ids,
    entries: &[Entry],
    classes: Option<&Ids>,
    services: Option<&Ids>,
    errors: &mut ScenarioErrors,
) -> Option<Tariffs> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, errors)?;
    let (classes, services) = (classes?, services?);
    let mut tariffs = Tariffs {
        by_contract: vec![Vec::new(); entries.len()],
        rows: vec![0; entries.len()],
        complete: table.is_complete(),
    };
    let mut given: HashMap<(u32, u32, u32), u64> = HashMap::new();
    for row in table.rows() {
        let contract_field = row.field("contract");
        let mut ok = true;
        let contract = ids.resolve(contract_field, A_CONTRACT, errors);
        let entry = contract.and_then(|c| entries.get(c as usize));
        if let Some(c) = contract
            && let Some(count) = tariffs.rows.get_mut(c as usize)
        {
            *count += 1;
        }
        let kind = entry.and_then(|e| e.kind);
        if let Some(kind) = kind
            && !matches!(kind, ContractKind::PaymentByResults | ContractKind::Blended)
        {
            errors.push(contract_field.inconsistent(format!(
                "contract '{}' is a '{}' contract: tariffs are for pbr and blended contracts",
                contract_field.text(),
                kind.as_str()
            )));
            ok = false;
        }
        let class_field = row.field("class");
        let class = classes.resolve(class_field, A_CLASS, errors);
        let service_field = row.field("service");
        let service = services.resolve(service_field, A_SERVICE, errors);
        if ok
            && let Some(service) = service
            && let Some(list) = entry.and_then(|e| e.services.as_ref())
            && !list.contains(&ServiceId(service))
        {
            errors.push(service_field.inconsistent(format!(
                "service '{}' is not among the services of contract '{}' in contracts.csv",
                service_field.text(),
                contract_field.text()
            )));
            ok = false;
        }
        let price = errors.keep(row.field("price").money());
        let trim_field = row.field("trim_days");
        let trim_days = if trim_field.is_empty() {
            Some(None)
        } else {
            errors.keep(trim_field.positive()).map(Some)
        };
        let excess_field = row.field("excess_per_day");
        let excess = if excess_field.is_empty() {
            Some(0.0)
        } else if trim_field.is_empty() {
            errors.push(excess_field.inconsistent(
                "needs trim_days: the excess is paid for each day beyond the trim point",
            ));
            None
        } else {
            errors.keep(excess_field.money())
        };
        let emergency = errors.keep(
            row.field("emergency")
                .one_of(&[("true", true), ("false", false)], "true or false"),
        );
        let (Some(contract), Some(class), Some(service)) = (contract, class, service) else {
            continue;
        };
        if let Some(&first_line) = given.get(&(contract, class, service)) {
            errors.push(service_field.duplicate_entry(
                format!(
                    "class '{}' at service '{}' in contract '{}'",
                    class_field.text(),
                    service_field.text(),
                    contract_field.text()
                ),
                first_line,
            ));
            continue;
        }
        given.insert((contract, class, service), row.line());
        if let (true, Some(price), Some(trim_days), Some(excess_per_day), Some(emergency)) =
            (ok, price, trim_days, excess, emergency)
            && let Some(list) = tariffs.by_contract.get_mut(contract as usize)
        {
            list.push(Tariff {
                class: ClassId(class),
                service: ServiceId(service),
                price,
                trim_days,
                excess_per_day,
                emergency,
            });
        }
    }
    Some(tariffs)
}
