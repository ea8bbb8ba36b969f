//! `objectives.csv`: what a capacity plan makes as small (or large) as possible, and the
//! targets it must meet, on statistics named as in the output files.

use super::table::{Column, Field, Presence, Row, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors};
use crate::optimise::{Bound, Constraint, Measure, Objective, Sense, Term};
use crate::report::{LEDGER_TOTALS, SYSTEM_MONEY};
use crate::{Category, Model, Statistic};
use std::path::Path;

pub(crate) const FILE: &str = "objectives.csv";
const COLUMNS: [Column; 9] = [
    Column::required("role"),
    Column::required("scope"),
    Column::optional("subject"),
    Column::required("kpi"),
    Column::required("operator"),
    Column::optional("bound"),
    Column::optional("weight"),
    Column::optional("confidence"),
    Column::optional("indifference"),
];

/// The confidence of the objective's guarantee and of each constraint, when not given.
pub(crate) const DEFAULT_CONFIDENCE: f64 = 0.95;
/// What a confidence is called in messages.
const A_CONFIDENCE: &str = "a number between 0.5 and 1, both excluded, such as 0.95 \
                            (empty for 0.95)";
/// What the indifference zone is called in messages.
const AN_INDIFFERENCE: &str = "a number greater than 0: the indifference zone, the \
                               difference in the objective (in its units) worth telling apart";
/// What a weight is called in messages.
const A_WEIGHT: &str = "a number other than 0: the weight of this statistic in the \
                        objective (empty for 1)";

/// The scopes statistics are named in.
const SCOPES: [&str; 5] = ["system", "service", "entry", "finance", "outcome"];
/// The most names a message lists of the services or organisations it expected.
const LISTED: usize = 30;

/// Whether a row of `objectives.csv` is part of the objective or a constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Objective,
    Constraint,
}

/// The part of a statistic's name that is wrong: the column of `objectives.csv` it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Scope,
    Subject,
    Kpi,
}

/// What is wrong with the name (`scope`, `subject`, `kpi`) of a statistic of `model`'s
/// results, as named in the output files: each wrong part with what it should have been
/// (listing what is known). Empty if the name is right.
///
/// Scope `system`, `service` or `entry` name a [`Statistic`] of the system (subject empty),
/// a service or an entry service; scope `finance` names money over the whole observation
/// window, of an organisation (its ledger's categories and totals) or, with subject empty,
/// of the whole system.
pub(crate) fn statistic_problems(
    model: &Model,
    scope: &str,
    subject: &str,
    kpi: &str,
) -> Vec<(Part, String)> {
    let mut problems = Vec::new();
    match scope {
        "system" | "service" | "entry" => {
            match scope {
                "system" if !subject.is_empty() => problems.push((
                    Part::Subject,
                    "an empty cell: a system statistic has no subject".to_owned(),
                )),
                "service" if model.service_id(subject).is_none() => {
                    let services = model.services().iter().map(|s| s.name());
                    problems.push((Part::Subject, format!("a service: {}", listed(services))));
                }
                "entry" => {
                    let entries = model.entry_services();
                    let known = entries.iter().map(|&s| model.services()[s.index()].name());
                    if !known.clone().any(|name| name == subject) {
                        problems.push((
                            Part::Subject,
                            format!(
                                "an entry service (one that arrivals, electives or \
                                 readmissions enter): {}",
                                listed(known)
                            ),
                        ));
                    }
                }
                _ => {}
            }
            if let Err(unknown) = Statistic::parse(scope, subject, kpi) {
                problems.push((
                    Part::Kpi,
                    format!(
                        "a {scope} statistic: {}",
                        one_of_names(unknown.known().to_vec())
                    ),
                ));
            }
        }
        "finance" if model.finance().is_empty() => problems.push((
            Part::Scope,
            "one of system, service or entry: the scenario has no costs, funding or \
             contracts, so no money to name"
                .to_owned(),
        )),
        "finance" if subject.is_empty() => {
            if !SYSTEM_MONEY.contains(&kpi) {
                problems.push((
                    Part::Kpi,
                    format!(
                        "a money statistic of the whole system: {}",
                        one_of_names(SYSTEM_MONEY)
                    ),
                ));
            }
        }
        "finance" => {
            if model.organisation_id(subject).is_none() {
                let organisations = model.organisations().iter().map(|o| o.name());
                problems.push((
                    Part::Subject,
                    format!(
                        "an organisation, or an empty cell for the whole system: {}",
                        listed(organisations)
                    ),
                ));
            }
            let categories = Category::ALL.map(Category::as_str);
            if !categories.contains(&kpi) && !LEDGER_TOTALS.contains(&kpi) {
                let names = categories.into_iter().chain(LEDGER_TOTALS);
                problems.push((
                    Part::Kpi,
                    format!(
                        "a money statistic of an organisation: {}",
                        one_of_names(names)
                    ),
                ));
            }
        }
        "outcome" if !model.has_outcomes() => problems.push((
            Part::Scope,
            "one of system, service, entry or finance: the scenario has no care_settings.csv, \
             so no outcome measures"
                .to_owned(),
        )),
        "outcome" => {
            if !subject.is_empty() {
                problems.push((
                    Part::Subject,
                    "an empty cell: an outcome measure has no subject".to_owned(),
                ));
            }
            if let Err(unknown) = Statistic::parse(scope, subject, kpi) {
                problems.push((
                    Part::Kpi,
                    format!(
                        "an outcome statistic: {}",
                        one_of_names(unknown.known().to_vec())
                    ),
                ));
            }
        }
        _ => problems.push((Part::Scope, one_of_names(SCOPES))),
    }
    problems
}

/// `names` as "one of a, b or c", the first [`LISTED`] of them if there are more.
fn listed<'n>(names: impl Iterator<Item = &'n str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.len() <= LISTED {
        return one_of_names(names);
    }
    format!(
        "one of {}, … ({} in all)",
        names[..LISTED].join(", "),
        names.len()
    )
}

/// The objective's operator, confidence and indifference zone, from its first row.
struct Shared {
    line: u64,
    sense: Option<Sense>,
    confidence: Option<f64>,
    indifference: Option<f64>,
}

/// Reads `objectives.csv`; with the baseline `model` (`None` if it does not load), checks
/// that every statistic it names exists.
pub(super) fn read(
    dir: &Path,
    model: Option<&Model>,
    errors: &mut ScenarioErrors,
) -> Option<(Objective, Vec<Constraint>)> {
    let table = Table::read(dir, dir.join(FILE), &COLUMNS, Presence::Required, errors)?;
    let before = errors.count();
    if let Some(problem) = table.no_rows("objective") {
        errors.push(problem);
    }
    let mut terms = Vec::new();
    let mut shared: Option<Shared> = None;
    let mut constraints = Vec::new();
    let mut roles_read = table.is_complete();
    for row in table.rows() {
        let role = errors.keep(row.field("role").one_of(
            &[
                ("objective", Role::Objective),
                ("constraint", Role::Constraint),
            ],
            "objective or constraint",
        ));
        let measure = measure(row, model, errors);
        match role {
            Some(Role::Objective) => {
                let weight = objective_row(row, &mut shared, errors);
                if let (Some(measure), Some(weight)) = (measure, weight) {
                    terms.push(Term { measure, weight });
                }
            }
            Some(Role::Constraint) => {
                if let (Some(measure), Some((bound, confidence))) =
                    (measure, constraint_row(row, errors))
                {
                    constraints.push(Constraint {
                        measure,
                        bound,
                        confidence,
                    });
                }
            }
            None => roles_read = false,
        }
    }
    if roles_read
        && shared.is_none()
        && let Some(first) = table.rows().next()
    {
        errors.push(first.field("role").inconsistent(
            "no row is an objective: constraints alone do not say which configuration is \
             best; add a row with role objective",
        ));
    }
    // Without the baseline no statistic was checked against it.
    if errors.count() > before || model.is_none() {
        return None;
    }
    let shared = shared?;
    Some((
        Objective {
            terms,
            sense: shared.sense?,
            indifference: shared.indifference?,
            confidence: shared.confidence?,
        },
        constraints,
    ))
}

/// The statistic `row` names, if it names one of `model`'s (with no model, only the scope
/// is checked).
fn measure(row: Row<'_>, model: Option<&Model>, errors: &mut ScenarioErrors) -> Option<Measure> {
    let [scope, subject, kpi] = ["scope", "subject", "kpi"].map(|c| row.field(c));
    let Some(model) = model else {
        if !SCOPES.contains(&scope.text()) {
            errors.push(scope.unknown_reference(one_of_names(SCOPES)));
        }
        return None;
    };
    let problems = statistic_problems(model, scope.text(), subject.text(), kpi.text());
    for (part, expected) in &problems {
        let field = match part {
            Part::Scope => scope,
            Part::Subject => subject,
            Part::Kpi => kpi,
        };
        errors.push(field.unknown_reference(expected));
    }
    problems.is_empty().then(|| Measure {
        scope: scope.text().to_owned(),
        subject: subject.text().to_owned(),
        kpi: kpi.text().to_owned(),
    })
}

/// Checks that `field`, which rows of this role leave empty, is empty.
fn empty(field: Field<'_>, why: &str, errors: &mut ScenarioErrors) {
    if !field.is_empty() {
        errors.push(field.invalid(format!("an empty cell: {why}")));
    }
}

/// A confidence: empty for [`DEFAULT_CONFIDENCE`], or between 0.5 and 1, both excluded.
fn confidence(field: Field<'_>) -> Result<f64, ScenarioError> {
    if field.is_empty() {
        return Ok(DEFAULT_CONFIDENCE);
    }
    field.number(A_CONFIDENCE, |x| x > 0.5 && x < 1.0)
}

/// Checks an objective row; its weight. The first objective row sets the operator,
/// confidence and indifference zone in `shared`; later ones must agree with it.
fn objective_row(
    row: Row<'_>,
    shared: &mut Option<Shared>,
    errors: &mut ScenarioErrors,
) -> Option<f64> {
    let before = errors.count();
    let operator = row.field("operator");
    let sense = errors.keep(operator.one_of(
        &[("minimise", Sense::Minimise), ("maximise", Sense::Maximise)],
        "minimise or maximise (<= and >= are for constraint rows)",
    ));
    empty(
        row.field("bound"),
        "an objective row has no bound (bounds are for constraint rows)",
        errors,
    );
    let weight = row.field("weight");
    let weight = if weight.is_empty() {
        Some(1.0)
    } else {
        errors.keep(weight.number(A_WEIGHT, |x| x != 0.0))
    };
    let given_confidence = row.field("confidence");
    let given_indifference = row.field("indifference");
    match shared {
        None => {
            *shared = Some(Shared {
                line: row.line(),
                sense,
                confidence: errors.keep(confidence(given_confidence)),
                indifference: errors.keep(given_indifference.number(AN_INDIFFERENCE, |x| x > 0.0)),
            });
        }
        Some(first) => {
            if let (Some(sense), Some(first_sense)) = (sense, first.sense)
                && sense != first_sense
            {
                errors.push(operator.inconsistent(format!(
                    "the objective rows are summed into one objective, so they share one \
                     operator: line {} gives {}",
                    first.line,
                    match first_sense {
                        Sense::Minimise => "minimise",
                        Sense::Maximise => "maximise",
                    }
                )));
            }
            for (field, first_value, read) in [
                (
                    given_confidence,
                    first.confidence,
                    confidence as fn(Field<'_>) -> Result<f64, ScenarioError>,
                ),
                (given_indifference, first.indifference, |f: Field<'_>| {
                    f.number(AN_INDIFFERENCE, |x| x > 0.0)
                }),
            ] {
                if field.is_empty() {
                    continue;
                }
                if let (Some(value), Some(first_value)) = (errors.keep(read(field)), first_value)
                    && value != first_value
                {
                    errors.push(field.inconsistent(format!(
                        "the objective's {} is given on line {} as {}: later objective rows \
                         leave it empty or repeat it",
                        field.column(),
                        first.line,
                        super::error::number(first_value)
                    )));
                }
            }
        }
    }
    (errors.count() == before).then_some(weight).flatten()
}

/// Checks a constraint row; its bound and confidence.
fn constraint_row(row: Row<'_>, errors: &mut ScenarioErrors) -> Option<(Bound, f64)> {
    let before = errors.count();
    let side = errors.keep(row.field("operator").one_of(
        &[
            ("<=", Bound::AtMost as fn(f64) -> Bound),
            (">=", Bound::AtLeast),
        ],
        "<= or >= (minimise and maximise are for objective rows)",
    ));
    let bound = errors.keep(row.field("bound").number(
        "a number: the bound the statistic's mean must keep to",
        |_| true,
    ));
    let confidence = errors.keep(confidence(row.field("confidence")));
    empty(
        row.field("weight"),
        "a constraint row has no weight (weights are for objective rows)",
        errors,
    );
    empty(
        row.field("indifference"),
        "a constraint row has no indifference zone (it is the objective's)",
        errors,
    );
    if errors.count() > before {
        return None;
    }
    Some((side?(bound?), confidence?))
}
