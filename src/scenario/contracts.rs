//! `contracts.csv`: who pays whom, for what, under which rules; with the tariffs
//! (`tariffs.csv`) and members (`contract_members.csv`) the contracts name.

use super::arrivals::A_SERVICE;
use super::contract_members::{self, Members};
use super::costs;
use super::funding::{AN_ORGANISATION, with_article};
use super::ids::{Defined, Ids};
use super::source::Source;
use super::table::{Column, Field, Presence, Row, Table, one_of_names};
use super::tariffs::{self, Tariffs};
use super::{ScenarioError, ScenarioErrors};
use crate::{
    Contract, ContractKind, ContractTerms, MarginalRate, Organisation, OrganisationId,
    OrganisationKind, Service, ServiceId,
};

pub(crate) const FILE: &str = "contracts.csv";
const COLUMNS: [Column; 15] = [
    Column::required("contract"),
    Column::required("type"),
    Column::optional("payer"),
    Column::optional("provider"),
    Column::optional("services"),
    Column::optional("amount"),
    Column::optional("basis"),
    Column::optional("population"),
    Column::optional("plan"),
    Column::optional("share"),
    Column::optional("baseline_spells"),
    Column::optional("marginal_rate"),
    Column::optional("readmission_days"),
    Column::optional("grace_days"),
    Column::optional("active"),
];

/// What names a contract in messages.
pub(crate) const A_CONTRACT: &str = "a contract in contracts.csv";
/// What a share is called in messages.
pub(crate) const A_SHARE: &str = "a share from 0 to 1";

/// Whether a contract type uses a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Required,
    Optional,
    /// The column does not apply: it must be empty.
    Not,
}

/// Whether contracts of `kind` use `column` (one of the columns after `type`, other than
/// `active`).
fn need(kind: ContractKind, column: &str) -> Need {
    use ContractKind::*;
    match (kind, column) {
        (PooledFund, "payer" | "provider") | (Alliance, "provider") => Need::Not,
        (_, "payer" | "provider") => Need::Required,
        (Block | Capitation | PrimeContractor, "services") => Need::Optional,
        (_, "services") => Need::Required,
        (
            Block | Blended | Capitation | PrimeContractor | Alliance | DelayReimbursement | Spot,
            "amount",
        )
        | (Blended, "plan" | "share")
        | (Capitation | PrimeContractor, "population")
        | (Spot, "basis") => Need::Required,
        (PaymentByResults, "baseline_spells" | "marginal_rate" | "readmission_days")
        | (DelayReimbursement, "grace_days") => Need::Optional,
        _ => Need::Not,
    }
}

/// One row of `contracts.csv`, as far as it could be read.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) line: u64,
    /// `None` where the `type` cell is invalid.
    pub(crate) kind: Option<ContractKind>,
    /// `None` where the `services` cell has a problem.
    pub(crate) services: Option<Vec<ServiceId>>,
    /// `None` where the `active` cell is invalid.
    active: Option<bool>,
    /// The contract, tariffs and members not yet added; `None` if the row has a problem.
    contract: Option<Contract>,
}

/// The cells of one row of `contracts.csv` (or `outcome_contracts.csv`) whose use depends on
/// the contract's type.
pub(crate) struct Cells<'a, 'n> {
    pub(crate) row: Row<'a>,
    /// The type's name.
    pub(crate) kind: &'static str,
    /// Whether the type uses a column.
    pub(crate) need: &'n dyn Fn(&str) -> Need,
    /// Whether every cell read so far is valid.
    pub(crate) ok: bool,
}

impl<'a> Cells<'a, '_> {
    /// The cell in `column` if it is filled in; records a required cell left empty, or a cell
    /// filled in that does not apply.
    pub(crate) fn get(
        &mut self,
        column: &'static str,
        errors: &mut ScenarioErrors,
    ) -> Option<Field<'a>> {
        let field = self.row.field(column);
        let kind = self.kind;
        match ((self.need)(column), field.is_empty()) {
            (Need::Required, true) => {
                errors.push(field.inconsistent(format!("required for '{kind}' contracts")));
                self.ok = false;
                None
            }
            (Need::Not, false) => {
                errors.push(field.inconsistent(format!("does not apply to '{kind}' contracts")));
                self.ok = false;
                None
            }
            (_, true) => None,
            (_, false) => Some(field),
        }
    }

    /// The number in `column` if it is filled in, as `parse` reads it.
    pub(crate) fn number(
        &mut self,
        column: &'static str,
        parse: impl Fn(&Field<'a>) -> Result<f64, ScenarioError>,
        errors: &mut ScenarioErrors,
    ) -> Option<f64> {
        let field = self.get(column, errors)?;
        self.keep(parse(&field), errors)
    }

    /// `result`'s value, or `None` with its problem recorded and the row marked invalid.
    pub(crate) fn keep<T>(
        &mut self,
        result: Result<T, ScenarioError>,
        errors: &mut ScenarioErrors,
    ) -> Option<T> {
        let value = errors.keep(result);
        self.ok &= value.is_some();
        value
    }
}

/// A value a valid row has: its cell is required, and was read.
fn given<T>(value: Option<T>) -> T {
    value.expect("a valid row has every cell its contract type requires")
}

/// The services listed in `field`, separated by `;`; `None`, recorded, if any is unknown,
/// empty or repeated.
pub(crate) fn service_list(
    field: Field<'_>,
    ids: &Ids,
    errors: &mut ScenarioErrors,
) -> Option<Vec<ServiceId>> {
    let list = ids.resolve_list(field, ("service", A_SERVICE), errors)?;
    Some(list.into_iter().map(ServiceId).collect())
}

/// Reads `contracts.csv`, then `tariffs.csv` and `contract_members.csv` (all optional), and
/// returns the active contracts in file order, with their tariffs and members. Problems are
/// recorded file by file, each file's in line order. `None` if a file as a whole cannot be
/// used or what the contracts refer to is unknown.
pub(crate) fn read(
    source: &Source<'_>,
    organisations: Option<&Defined<Organisation>>,
    services: Option<(&Ids, &[Option<Service>])>,
    classes: Option<&Ids>,
    errors: &mut ScenarioErrors,
) -> Option<Vec<Contract>> {
    let mut own = ScenarioErrors(Vec::new());
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Optional, &mut own);
    let known = organisations.zip(services).zip(classes);
    let (ids, entries, rows) = match (&table, known) {
        (Some(table), Some(((organisations, services), _))) => {
            read_rows(table, organisations, services, &mut own)
        }
        // Nothing can be said about the contracts: tariffs and members naming them are not
        // checked against them.
        _ => (Ids::new(false), Vec::new(), Vec::new()),
    };
    // Whether every row of contracts.csv is valid on its own: only then is any missing from
    // the entries, or is what a row says about the others, trusted.
    let rows_valid = own.is_empty() && table.as_ref().is_some_and(Table::is_complete);
    let mut tariff_errors = ScenarioErrors(Vec::new());
    let tariffs = tariffs::read(
        source,
        &ids,
        &entries,
        classes,
        services.map(|s| s.0),
        &mut tariff_errors,
    );
    let mut member_errors = ScenarioErrors(Vec::new());
    let members = contract_members::read(
        source,
        &ids,
        &entries,
        organisations.map(|o| &o.ids),
        &mut member_errors,
    );
    if let (Some(((organisations, services), _)), Some(tariffs), Some(members)) =
        (known, &tariffs, &members)
    {
        check_contracts(
            &ids,
            &entries,
            &rows,
            organisations,
            services,
            tariffs,
            members,
            rows_valid,
            &mut own,
        );
    }
    own.sort_by_line_from(0);
    errors.0.append(&mut own.0);
    errors.0.append(&mut tariff_errors.0);
    errors.0.append(&mut member_errors.0);

    table.as_ref()?;
    known?;
    let (mut tariffs, mut members) = (tariffs?, members?);
    let mut contracts = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let mut contract = entry.contract?;
        if !entry.active? {
            continue;
        }
        match &mut contract.terms {
            ContractTerms::PaymentByResults { tariffs: t, .. }
            | ContractTerms::Blended { tariffs: t, .. } => {
                *t = std::mem::take(&mut tariffs.by_contract[i]);
            }
            ContractTerms::Alliance { members: m, .. }
            | ContractTerms::PooledFund { members: m } => {
                *m = std::mem::take(&mut members.by_contract[i]);
            }
            _ => {}
        }
        contracts.push(contract);
    }
    Some(contracts)
}

/// Reads the rows of `contracts.csv`: the contract ids, what each row says, and the rows.
fn read_rows<'t>(
    table: &'t Table,
    organisations: &Defined<Organisation>,
    (service_ids, service_items): (&Ids, &[Option<Service>]),
    errors: &mut ScenarioErrors,
) -> (Ids, Vec<Entry>, Vec<Row<'t>>) {
    let kinds: Vec<(&str, ContractKind)> =
        ContractKind::ALL.iter().map(|&k| (k.as_str(), k)).collect();
    let expected_kind = one_of_names(kinds.iter().map(|k| k.0));
    let mut ids = Ids::new(table.is_complete());
    let mut entries = Vec::new();
    let mut rows = Vec::new();
    for row in table.rows() {
        let id = errors.keep(ids.define(row.field("contract")));
        let kind = errors.keep(row.field("type").one_of(&kinds, &expected_kind));
        let organisation = |column: &'static str, errors: &mut ScenarioErrors| {
            let field = row.field(column);
            organisations
                .ids
                .resolve(field, AN_ORGANISATION, errors)
                .map(OrganisationId)
        };
        let Some(kind) = kind else {
            // Without its type, only the references of the row can be checked.
            for column in ["payer", "provider"] {
                if !row.field(column).is_empty() {
                    organisation(column, errors);
                }
            }
            let services = row.field("services");
            if !services.is_empty() {
                service_list(services, service_ids, errors);
            }
            if id.is_some() {
                entries.push(Entry {
                    line: row.line(),
                    kind: None,
                    services: None,
                    active: None,
                    contract: None,
                });
                rows.push(row);
            }
            continue;
        };
        let need_of = |column: &str| need(kind, column);
        let mut cells = Cells {
            row,
            kind: kind.as_str(),
            need: &need_of,
            ok: id.is_some(),
        };
        let payer = match cells.get("payer", errors) {
            Some(_) => {
                let payer = organisation("payer", errors);
                cells.ok &= payer.is_some();
                payer
            }
            None => None,
        };
        let provider = match cells.get("provider", errors) {
            Some(_) => {
                let provider = organisation("provider", errors);
                cells.ok &= provider.is_some();
                provider
            }
            None => None,
        };
        let services_field = row.field("services");
        let services = match cells.get("services", errors) {
            Some(field) => {
                let services = service_list(field, service_ids, errors);
                cells.ok &= services.is_some();
                services
            }
            None => Some(Vec::new()).filter(|_| need(kind, "services") != Need::Required),
        };
        let amount = cells.number("amount", Field::money, errors);
        let basis = match cells.get("basis", errors) {
            Some(field) => {
                let basis = costs::basis(field, None);
                cells.keep(basis, errors)
            }
            None => None,
        };
        let population = match cells.get("population", errors) {
            Some(field) => {
                let population = field
                    .text()
                    .parse::<u64>()
                    .map_err(|_| field.invalid("a non-negative integer"));
                cells.keep(population, errors)
            }
            None => None,
        };
        let share = |f: &Field<'_>| f.number(A_SHARE, |x| (0.0..=1.0).contains(&x));
        let plan = cells.number("plan", Field::money, errors);
        let blend = cells.number("share", share, errors);
        let baseline = cells.number("baseline_spells", Field::non_negative, errors);
        let marginal_rate = cells.number("marginal_rate", share, errors);
        let readmission_days = cells.number("readmission_days", Field::positive, errors);
        let grace_days = cells.number("grace_days", Field::non_negative, errors);
        let active_field = row.field("active");
        let active = if active_field.is_empty() {
            Some(true)
        } else {
            let active = active_field.one_of(&[("true", true), ("false", false)], "true or false");
            cells.keep(active, errors)
        };
        if kind == ContractKind::PaymentByResults {
            for (column, other) in [
                ("baseline_spells", "marginal_rate"),
                ("marginal_rate", "baseline_spells"),
            ] {
                let field = row.field(column);
                if field.is_empty() && !row.field(other).is_empty() {
                    errors.push(field.inconsistent(format!(
                        "required when {other} is given: the marginal rate applies to \
                         emergency spells beyond the baseline (give both or neither)"
                    )));
                    cells.ok = false;
                }
            }
        }

        // What the row's cells say together.
        let name = |o: OrganisationId| organisations.ids.name(o.0);
        if let (Some(payer), Some(provider)) = (payer, provider)
            && payer == provider
        {
            errors.push(row.field("provider").inconsistent(format!(
                "the provider must differ from the payer ('{}')",
                name(payer)
            )));
            cells.ok = false;
        }
        if kind == ContractKind::DelayReimbursement
            && let Some(payer) = payer
            && let Some(org) = organisations.get(payer.0)
            && org.kind != OrganisationKind::LocalAuthority
        {
            errors.push(row.field("payer").inconsistent(format!(
                "'{}' is {}: delays are reimbursed by a local_authority",
                name(payer),
                with_article(org.kind.as_str())
            )));
            cells.ok = false;
        }
        let service = |s: ServiceId| service_items.get(s.index()).and_then(Option::as_ref);
        if matches!(
            kind,
            ContractKind::PaymentByResults | ContractKind::Blended | ContractKind::Spot
        ) && let (Some(provider), Some(list)) = (provider, &services)
        {
            for &s in list {
                if let Some(service) = service(s)
                    && service.provider != provider
                {
                    errors.push(services_field.inconsistent(format!(
                        "service '{}' is provided by '{}' (services.csv), not by the contract's \
                         provider '{}'",
                        service.name,
                        name(service.provider),
                        name(provider)
                    )));
                    cells.ok = false;
                }
            }
        }
        if let (Some(_), Some(list)) = (basis, &services) {
            for &s in list {
                if let Some(service) = service(s) {
                    let checked =
                        costs::basis(row.field("basis"), Some((&service.name, service.unit)));
                    if let Err(e) = checked {
                        errors.push(e);
                        cells.ok = false;
                    }
                }
            }
        }

        let Some(id) = id else {
            continue;
        };
        let contract = cells.ok.then(|| {
            use ContractKind::*;
            let terms = match kind {
                PaymentByResults => ContractTerms::PaymentByResults {
                    tariffs: Vec::new(),
                    marginal: baseline.zip(marginal_rate).map(|(baseline_spells, rate)| {
                        MarginalRate {
                            baseline_spells,
                            rate,
                        }
                    }),
                    readmission_days,
                },
                Block => ContractTerms::Block {
                    annual: given(amount),
                },
                Blended => ContractTerms::Blended {
                    fixed: given(amount),
                    plan: given(plan),
                    share: given(blend),
                    tariffs: Vec::new(),
                },
                Capitation | PrimeContractor => ContractTerms::Capitation {
                    per_head: given(amount),
                    population: given(population),
                    prime: kind == PrimeContractor,
                },
                Alliance => ContractTerms::Alliance {
                    budget: given(amount),
                    members: Vec::new(),
                },
                DelayReimbursement => ContractTerms::DelayReimbursement {
                    daily: given(amount),
                    grace_days: grace_days.unwrap_or(0.0),
                },
                PooledFund => ContractTerms::PooledFund {
                    members: Vec::new(),
                },
                Spot => ContractTerms::Spot {
                    price: given(amount),
                    basis: given(basis),
                },
            };
            Contract {
                name: ids.name(id).to_owned(),
                payer,
                provider,
                services: given(services.clone()),
                terms,
            }
        });
        entries.push(Entry {
            line: row.line(),
            kind: Some(kind),
            services,
            active,
            contract,
        });
        rows.push(row);
    }
    (ids, entries, rows)
}

/// The checks of each contract that need its tariffs or members, or the other contracts.
#[allow(clippy::too_many_arguments)]
fn check_contracts(
    ids: &Ids,
    entries: &[Entry],
    rows: &[Row<'_>],
    organisations: &Defined<Organisation>,
    (service_ids, services): (&Ids, &[Option<Service>]),
    tariffs: &Tariffs,
    members: &Members,
    rows_valid: bool,
    errors: &mut ScenarioErrors,
) {
    use ContractKind::*;
    let org_name = |o: OrganisationId| organisations.ids.name(o.0);
    for (i, (entry, row)) in entries.iter().zip(rows).enumerate() {
        let (Some(kind), Some(list)) = (entry.kind, &entry.services) else {
            continue;
        };
        let name = ids.name(i as u32);
        if matches!(kind, PaymentByResults | Blended) && tariffs.complete && tariffs.rows[i] == 0 {
            errors.push(row.field("type").inconsistent(format!(
                "'{}' contract '{name}' has no rows in tariffs.csv: it needs the price of each \
                 class and service it pays for",
                kind.as_str()
            )));
        }
        if matches!(kind, Alliance | PooledFund) && members.complete && members.rows[i] == 0 {
            errors.push(row.field("type").inconsistent(format!(
                "'{}' contract '{name}' has no rows in contract_members.csv: it needs at least \
                 one member",
                kind.as_str()
            )));
        }
        if kind == Alliance && members.complete && members.rows[i] > 0 && members.valid[i] {
            for &s in list {
                let Some(service) = services.get(s.index()).and_then(Option::as_ref) else {
                    continue;
                };
                if !members.by_contract[i]
                    .iter()
                    .any(|m| m.organisation == service.provider)
                {
                    errors.push(row.field("services").inconsistent(format!(
                        "service '{}' is provided by '{}', which is not a member of alliance \
                         '{name}' in contract_members.csv",
                        service.name,
                        org_name(service.provider)
                    )));
                }
            }
        }
    }

    // Across active contracts.
    let active: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].active == Some(true))
        .collect();
    // A prime contractor pays its sub-contractors: it must pay under another active contract.
    // The check needs the payer of every active contract, so every row valid.
    let payer = |i: usize| entries[i].contract.as_ref().and_then(|c| c.payer);
    for &i in &active {
        if entries[i].kind == Some(PrimeContractor)
            && rows_valid
            && let Some(provider) = entries[i].contract.as_ref().and_then(|c| c.provider)
            && !active.iter().any(|&j| j != i && payer(j) == Some(provider))
        {
            errors.push(rows[i].field("provider").inconsistent(format!(
                "'{}' is a prime contractor, who pays its sub-contractors: it must be the payer \
                 of another active contract",
                org_name(provider)
            )));
        }
    }
    // At most one active activity contract (pbr or blended) and one spot contract a service,
    // and one active delay reimbursement contract for delays at one provider awaiting one
    // service.
    let mut activity: Vec<Option<usize>> = vec![None; services.len()];
    let mut spot: Vec<Option<usize>> = vec![None; services.len()];
    let mut delays: Vec<Option<usize>> = vec![None; services.len() * organisations.ids.len()];
    for &i in &active {
        let (Some(kind), Some(list)) = (entries[i].kind, &entries[i].services) else {
            continue;
        };
        let provider = entries[i].contract.as_ref().and_then(|c| c.provider);
        let (covered, offset, rule) = match (kind, provider) {
            (PaymentByResults | Blended, _) => {
                (&mut activity, 0, "one active pbr or blended contract")
            }
            (Spot, _) => (&mut spot, 0, "one active spot contract"),
            (DelayReimbursement, Some(p)) => (
                &mut delays,
                p.index() * services.len(),
                "one active delay_reimbursement contract for delays at one provider",
            ),
            _ => continue,
        };
        for &s in list {
            match covered[offset + s.index()] {
                Some(j) => errors.push(rows[i].field("services").inconsistent(format!(
                    "service '{}' is already covered by '{}' contract '{}' (line {}): a service \
                     may have at most {rule}",
                    service_ids.name(s.0),
                    entries[j].kind.map_or("?", ContractKind::as_str),
                    ids.name(j as u32),
                    entries[j].line
                ))),
                None => covered[offset + s.index()] = Some(i),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The columns each type requires, in the order the format reference lists them.
    #[test]
    fn each_type_requires_the_columns_the_format_reference_lists() {
        let required = |kind: ContractKind| -> Vec<&str> {
            [
                "payer",
                "provider",
                "services",
                "amount",
                "basis",
                "population",
                "plan",
                "share",
                "baseline_spells",
                "marginal_rate",
                "readmission_days",
                "grace_days",
            ]
            .into_iter()
            .filter(|&c| need(kind, c) == Need::Required)
            .collect()
        };
        use ContractKind::*;
        assert_eq!(
            required(PaymentByResults),
            ["payer", "provider", "services"]
        );
        assert_eq!(required(Block), ["payer", "provider", "amount"]);
        assert_eq!(
            required(Blended),
            ["payer", "provider", "services", "amount", "plan", "share"]
        );
        for kind in [Capitation, PrimeContractor] {
            assert_eq!(
                required(kind),
                ["payer", "provider", "amount", "population"]
            );
        }
        assert_eq!(required(Alliance), ["payer", "services", "amount"]);
        assert_eq!(
            required(DelayReimbursement),
            ["payer", "provider", "services", "amount"]
        );
        assert_eq!(required(PooledFund), ["services"]);
        assert_eq!(
            required(Spot),
            ["payer", "provider", "services", "amount", "basis"]
        );
        assert_eq!(need(PaymentByResults, "marginal_rate"), Need::Optional);
        assert_eq!(need(Block, "services"), Need::Optional);
        assert_eq!(need(Alliance, "provider"), Need::Not);
        assert_eq!(need(PooledFund, "payer"), Need::Not);
    }

    #[test]
    fn a_service_list_is_split_on_semicolons_and_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.csv"), "services\n ed ;acute\n").unwrap();
        let mut errors = ScenarioErrors(Vec::new());
        let table = Table::read(
            dir.path(),
            dir.path().join("t.csv"),
            &[Column::required("services")],
            Presence::Required,
            &mut errors,
        )
        .unwrap();
        let mut ids = Ids::new(true);
        ids.intern("acute", 2);
        ids.intern("ed", 3);
        let row = table.rows().next().unwrap();
        let services = service_list(row.field("services"), &ids, &mut errors);
        assert!(errors.is_empty(), "{errors}");
        assert_eq!(services.unwrap(), [ServiceId(1), ServiceId(0)]);
    }
}
