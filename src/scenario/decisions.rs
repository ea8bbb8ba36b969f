//! `decisions.csv`: the cells a capacity plan may change, each with its range and step; and
//! the problem of a scenario folder, read with [`objectives.csv`](super::objectives).

use super::error::number;
use super::ids::Ids;
use super::relative::Change;
use super::source::CellOverride;
use super::table::{Column, Field, Presence, Table};
use super::variants::{Place, check_address, load_overridden, shared_setting_problem};
use super::{Override, ScenarioError, ScenarioErrors};
use crate::Model;
use crate::optimise::{Decision, Problem};
use std::path::Path;

pub(crate) const FILE: &str = "decisions.csv";
const COLUMNS: [Column; 7] = [
    Column::required("decision"),
    Column::required("file"),
    Column::required("row"),
    Column::required("column"),
    Column::required("min"),
    Column::required("max"),
    Column::required("step"),
];

/// The most values one decision may take: beyond it a step is surely a typo, and the search
/// could not visit the values.
pub(crate) const MAX_LEVELS: u64 = 1_000;
/// The most configurations (the product of the decisions' numbers of values) a problem may
/// have.
pub(crate) const MAX_CONFIGURATIONS: u64 = 1_000_000;

/// How far, relative to the larger of `min` and `max`, `min` plus a whole number of steps may
/// be from `max` and still count as reaching it: decimal fractions such as 0.1 are not exact
/// in binary, which puts `0.1 + 3 × 0.2` 10⁻¹⁶ from `0.7`.
const WHOLE_TOLERANCE: f64 = 1e-12;

/// What `min` and `max` hold when they are not a number.
const A_LEVEL: &str = "a number, or a change relative to the baseline's value: +N or -N \
                       (add or subtract), +N% or -N% (a percentage of it), or *N (multiply)";

/// Reads and checks the problem of the scenario folder at `dir`: the baseline must load, and
/// `decisions.csv` and `objectives.csv` must name its cells and statistics. Problems are
/// listed in that order: the baseline's, then each file's by line.
pub(crate) fn load_problem(dir: &Path) -> Result<Problem, ScenarioErrors> {
    let baseline = super::load(dir);
    let mut errors = ScenarioErrors(Vec::new());
    let decisions = read(dir, baseline.as_ref().ok(), &mut errors);
    let objectives = super::objectives::read(dir, baseline.as_ref().ok(), &mut errors);
    if let Err(mut e) = baseline {
        e.0.append(&mut errors.0);
        return Err(e);
    }
    match (decisions, objectives) {
        (Some(decisions), Some((objective, constraints))) if errors.is_empty() => Ok(Problem {
            decisions,
            objective,
            constraints,
        }),
        _ => Err(errors),
    }
}

/// One end of a decision's range, `min` or `max`, as written.
#[derive(Debug, Clone, Copy)]
enum End {
    /// A number.
    Absolute(f64),
    /// A change to the baseline's value of the cell.
    Relative(Change),
}

/// Reads `decisions.csv`; with the baseline `model` (`None` if it does not load), checks
/// that every decision's cell exists and takes its smallest, largest and second values.
fn read(dir: &Path, model: Option<&Model>, errors: &mut ScenarioErrors) -> Option<Vec<Decision>> {
    let table = Table::read(dir, dir.join(FILE), &COLUMNS, Presence::Required, errors)?;
    let before = errors.count();
    if let Some(problem) = table.no_rows("decision to optimise") {
        errors.push(problem);
    }
    let mut names = Ids::new(table.is_complete());
    let mut cells: Vec<(Override, u64)> = Vec::new();
    let mut decisions = Vec::new();
    let mut configurations: u64 = 1;
    for row in table.rows() {
        let at = Place {
            path: table.path().to_path_buf(),
            line: row.line(),
        };
        let row_errors = errors.count();
        let name = errors
            .keep(names.define(row.field("decision")))
            .map(|_| row.field("decision").text());
        let cell = Override::new(
            row.field("file").text(),
            row.field("row").text(),
            row.field("column").text(),
            row.field("min").text(),
        );
        let mut addressed = check_address(&at, &cell, errors);
        if addressed && let Some(problem) = shared_setting_problem(&at, &cell) {
            errors.push(problem);
            addressed = false;
        }
        if addressed {
            let same = |(o, _): &&(Override, u64)| {
                (&o.file, &o.row, &o.column) == (&cell.file, &cell.row, &cell.column)
            };
            if let Some((_, first_line)) = cells.iter().find(same) {
                errors.push(row.field("column").duplicate_entry(
                    format!(
                        "a decision on {} row '{}' column '{}'",
                        cell.file, cell.row, cell.column
                    ),
                    *first_line,
                ));
                addressed = false;
            } else {
                cells.push((cell.clone(), row.line()));
            }
        }
        let min = bound(row.field("min"), &at, &cell, errors);
        let max = bound(row.field("max"), &at, &cell, errors);
        let step = errors.keep(row.field("step").positive());
        if errors.count() > row_errors || !addressed {
            continue;
        }
        let (Some(name), Some(min), Some(max), Some(step), Some(_)) = (name, min, max, step, model)
        else {
            continue;
        };
        let written = Written {
            at: &at,
            name,
            cell: &cell,
            min,
            max,
            max_text: row.field("max").text(),
            step,
        };
        let Some(decision) = resolve(dir, &written, errors) else {
            continue;
        };
        let levels = decision.levels() as u64;
        let product = configurations.saturating_mul(levels);
        if product > MAX_CONFIGURATIONS && configurations <= MAX_CONFIGURATIONS {
            errors.push(row.field("step").inconsistent(format!(
                "the decisions up to this one make {product} configurations, more than the \
                 {MAX_CONFIGURATIONS} an optimisation may search; take larger steps or \
                 narrower ranges"
            )));
        }
        configurations = product;
        if check_levels(dir, &at, &cell, &decision, errors) {
            decisions.push(decision);
        }
    }
    // Without the baseline no decision was checked against it.
    model.and((errors.count() == before).then_some(decisions))
}

/// The `min` or `max` in `field`, of the decision on `cell`; `None` having recorded why not.
fn bound(
    field: Field<'_>,
    at: &Place,
    cell: &Override,
    errors: &mut ScenarioErrors,
) -> Option<End> {
    match Change::parse(field.text()) {
        Some(Ok(change)) => Some(End::Relative(change)),
        Some(Err(failure)) => {
            let o = Override {
                value: field.text().to_owned(),
                ..cell.clone()
            };
            let o = CellOverride::from_place(at, &o, field.column());
            errors.push(o.relative_failure(failure, &cell.file, ""));
            None
        }
        None => errors.keep(field.number(A_LEVEL, |_| true).map(End::Absolute)),
    }
}

/// A row of `decisions.csv` whose cells are each well formed.
struct Written<'a> {
    at: &'a Place,
    name: &'a str,
    /// The cell, with `min` as written for its value.
    cell: &'a Override,
    min: End,
    max: End,
    /// `max` as written.
    max_text: &'a str,
    step: f64,
}

/// The decision `written`, its `min` and `max` resolved against the baseline's value of the
/// cell, checked to be a lattice of at most [`MAX_LEVELS`] values from a cell that exists
/// and takes its smallest value; `None` having recorded why not.
fn resolve(dir: &Path, written: &Written<'_>, errors: &mut ScenarioErrors) -> Option<Decision> {
    let &Written {
        at,
        name,
        cell,
        min,
        max,
        max_text,
        step,
    } = written;
    // Loading the smallest value as written finds the cell, or says why it cannot be
    // found, and gives the baseline's text for a relative `max`.
    let min_cell = CellOverride::from_place(at, cell, "min");
    let (model, effective) = load_overridden(dir, std::slice::from_ref(&min_cell));
    let inconsistent = |column: &str, message: String| ScenarioError::Inconsistent {
        path: at.path.clone(),
        line: at.line,
        column: column.to_owned(),
        message,
    };
    let Some(applied) = effective.first() else {
        // The cell was not found, or the relative value could not apply to it: the
        // baseline loads, so every problem is this one.
        match model {
            Err(problems) => errors.0.extend(problems.0),
            Ok(_) => errors.push(inconsistent(
                "row",
                format!("{} row '{}' was not read", cell.file, cell.row),
            )),
        }
        return None;
    };
    let mut loads = true;
    if let Err(problems) = model {
        let what = format!("min = {}", applied.effective);
        for problem in problems.0 {
            errors.push(level_failure(at, "min", &what, cell, problem));
        }
        loads = false;
    }
    // A relative value's result is a decimal of at most 18 digits and exponent 60: finite.
    let finite = |column: &str, text: &str, errors: &mut ScenarioErrors| match text.parse() {
        Ok(x) if f64::is_finite(x) => Some(x),
        _ => {
            errors.push(inconsistent(
                column,
                format!("{column} = {text} is not a finite number"),
            ));
            None
        }
    };
    let min = match min {
        End::Absolute(x) => x,
        End::Relative(_) => finite("min", &applied.effective, errors)?,
    };
    let max = match max {
        End::Absolute(x) => x,
        End::Relative(change) => match change.apply(&applied.baseline) {
            Ok(text) => finite("max", &text, errors)?,
            Err(failure) => {
                let o = Override {
                    value: max_text.to_owned(),
                    ..cell.clone()
                };
                let o = CellOverride::from_place(at, &o, "max");
                errors.push(o.relative_failure(failure, &cell.file, &applied.baseline));
                return None;
            }
        },
    };
    if max < min {
        errors.push(inconsistent(
            "max",
            format!("max ({}) is less than min ({})", number(max), number(min)),
        ));
        return None;
    }
    let steps = (max - min) / step;
    if !steps.is_finite() || steps > (MAX_LEVELS - 1) as f64 + 0.5 {
        errors.push(inconsistent(
            "step",
            format!(
                "(max − min) / step = ({} − {}) / {} gives more than the {MAX_LEVELS} values \
                 a decision may take; take a larger step",
                number(max),
                number(min),
                number(step)
            ),
        ));
        return None;
    }
    // Whole if min plus that many steps is max, up to the rounding of decimal fractions
    // in binary; and a decision whose range is not one point takes at least one step.
    let whole = steps.round();
    let reached = min + whole * step;
    let off = (reached - max).abs() > WHOLE_TOLERANCE * min.abs().max(max.abs());
    if off || (whole == 0.0 && max != min) {
        errors.push(inconsistent(
            "step",
            format!(
                "(max − min) / step = ({} − {}) / {} = {} is not a whole number: max must be \
                 min plus a whole number of steps",
                number(max),
                number(min),
                number(step),
                number(steps)
            ),
        ));
        return None;
    }
    loads.then(|| Decision {
        name: name.to_owned(),
        file: cell.file.clone(),
        row: cell.row.clone(),
        column: cell.column.clone(),
        min,
        max,
        step,
    })
}

/// Checks that the decision's largest value and its second value (`min + step`) load, as
/// its smallest did: each cell is checked as written, so a capacity step of 2.5 is refused.
/// Whether they do, having recorded why not.
fn check_levels(
    dir: &Path,
    at: &Place,
    cell: &Override,
    decision: &Decision,
    errors: &mut ScenarioErrors,
) -> bool {
    let last = decision.levels() - 1;
    let mut levels = vec![("min", "min", 0)];
    if last > 0 {
        levels.push(("max", "max", last));
        levels.push(("step", "min + step", 1));
    }
    let mut loads = true;
    for (column, what, k) in levels {
        let value = decision.value(k);
        // The smallest value was loaded as written; load it again only if the value run
        // differs from it.
        if k == 0 && value == decision.min {
            continue;
        }
        let text = format!("{value}");
        let o = Override {
            value: text.clone(),
            ..cell.clone()
        };
        let (model, _) = load_overridden(dir, &[CellOverride::from_place(at, &o, column)]);
        if let Err(problems) = model {
            let what = format!("{what} = {text}");
            for problem in problems.0 {
                errors.push(level_failure(at, column, &what, cell, problem));
            }
            loads = false;
        }
    }
    loads
}

/// `problem`, found loading the scenario with the decision at `at` setting `cell` to the
/// value `what` describes, as a problem of the decision's `column`: a problem with the cell
/// itself reads as the cell's (`services.csv row 'ward' column 'capacity': expected a
/// non-negative integer, found "62.5"`), one elsewhere keeps its own place.
fn level_failure(
    at: &Place,
    column: &str,
    what: &str,
    cell: &Override,
    problem: ScenarioError,
) -> ScenarioError {
    let text = problem.to_string();
    let here = format!("{}:{}: ", at.path.display(), at.line);
    let reason = match text.strip_prefix(&here) {
        Some(rest) if rest.starts_with("column '") => {
            format!("{} row '{}' {rest}", cell.file, cell.row)
        }
        Some(rest) => format!("{} row '{}': {rest}", cell.file, cell.row),
        None => text,
    };
    ScenarioError::Inconsistent {
        path: at.path.clone(),
        line: at.line,
        column: column.to_owned(),
        message: format!("{what} does not load: {reason}"),
    }
}
