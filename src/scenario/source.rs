//! Where a scenario's files come from: a folder, with a variant's cell overrides applied.

use super::relative::{self, Failure};
use super::{EffectiveOverride, ScenarioError};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// One cell override, from `variants.csv` or from code: in `file`, the row whose key is
/// `row`, set `column` to `value` (absolute, or relative to the baseline's value).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CellOverride {
    pub(crate) file: String,
    pub(crate) row: String,
    pub(crate) column: String,
    pub(crate) value: String,
    /// `variants.csv` and the line that asks for this override (for overrides from code,
    /// [`CODE_ORIGIN`] and the override's 1-based position).
    pub(crate) origin: PathBuf,
    pub(crate) line: u64,
    /// The column of `origin` that holds `value`, where a problem with it is reported:
    /// `value` in `variants.csv`, `min` or `max` in `decisions.csv`.
    pub(crate) value_column: &'static str,
}

impl CellOverride {
    /// The override's relative value cannot be applied to the baseline's text `baseline` of
    /// its cell in `file` (empty when the value itself is at fault).
    pub(crate) fn relative_failure(
        &self,
        failure: Failure,
        file: &str,
        baseline: &str,
    ) -> ScenarioError {
        let cell = format!("{file} row '{}' column '{}'", self.row, self.column);
        let inconsistent = |message: String| ScenarioError::Inconsistent {
            path: self.origin.clone(),
            line: self.line,
            column: self.value_column.to_owned(),
            message,
        };
        let value = &self.value;
        match failure {
            Failure::Malformed => self.invalid_value(relative::SYNTAX.to_owned()),
            Failure::OutOfRange if baseline.is_empty() => self.invalid_value(format!(
                "a change whose number has at most {} significant digits and a decimal exponent from -{1} to {1}",
                relative::MAX_DIGITS,
                relative::MAX_EXPONENT
            )),
            Failure::OutOfRange => inconsistent(format!(
                "the relative value {value:?} applied to {baseline:?} in {cell} gives a number \
                 too large or too precise to compute exactly; give an absolute value"
            )),
            Failure::EmptyBaseline => inconsistent(format!(
                "the relative value {value:?} changes a number, but {cell} is empty in the \
                 baseline; give an absolute value"
            )),
            Failure::NotANumber => inconsistent(format!(
                "the relative value {value:?} changes a number, but {cell} holds {baseline:?} \
                 in the baseline; give an absolute value"
            )),
        }
    }

    /// The override's `value` is not of the form `expected`.
    fn invalid_value(&self, expected: String) -> ScenarioError {
        ScenarioError::InvalidValue {
            path: self.origin.clone(),
            line: self.line,
            column: self.value_column.to_owned(),
            expected,
            found: self.value.clone(),
        }
    }

    /// The override names something that does not exist; `column` is the `variants.csv`
    /// column at fault.
    pub(crate) fn unknown(&self, column: &str, expected: String, found: &str) -> ScenarioError {
        ScenarioError::UnknownReference {
            path: self.origin.clone(),
            line: self.line,
            column: column.to_owned(),
            expected,
            found: found.to_owned(),
        }
    }
}

/// What errors in overrides given in code name as their file; the line is the override's
/// 1-based position in the list.
pub(crate) const CODE_ORIGIN: &str = "overrides";

/// A scenario folder and the overrides of the variant being loaded (none for the baseline),
/// with where to record the values the overrides give their cells.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Source<'a> {
    dir: &'a Path,
    overrides: &'a [CellOverride],
    effective: Option<&'a RefCell<Vec<(u64, EffectiveOverride)>>>,
}

impl<'a> Source<'a> {
    /// The folder as written.
    pub(crate) fn folder(dir: &'a Path) -> Self {
        Source {
            dir,
            overrides: &[],
            effective: None,
        }
    }

    /// The folder with `overrides` applied; each cell an override sets is recorded in
    /// `effective`, with its baseline and resulting values.
    pub(crate) fn with_overrides(
        dir: &'a Path,
        overrides: &'a [CellOverride],
        effective: &'a RefCell<Vec<(u64, EffectiveOverride)>>,
    ) -> Self {
        Source {
            dir,
            overrides,
            effective: Some(effective),
        }
    }

    /// Records the value the override on `line` gives a cell.
    pub(crate) fn record(&self, line: u64, applied: EffectiveOverride) {
        if let Some(effective) = self.effective {
            effective.borrow_mut().push((line, applied));
        }
    }

    /// The scenario folder.
    pub(crate) fn dir(&self) -> &'a Path {
        self.dir
    }

    /// The overrides that target `file`.
    pub(crate) fn overrides_for(&self, file: &str) -> impl Iterator<Item = &'a CellOverride> {
        self.overrides.iter().filter(move |o| o.file == file)
    }
}

/// The files a variant may override, with the columns whose values, joined by `/`, identify a
/// row. Key columns themselves cannot be overridden.
pub(crate) const KEYS: [(&str, &[&str]); 31] = [
    ("settings.csv", &["key"]),
    ("organisations.csv", &["id"]),
    ("services.csv", &["id"]),
    ("classes.csv", &["id"]),
    ("arrivals.csv", &["id"]),
    ("electives.csv", &["id"]),
    ("profile_hours.csv", &["profile", "hour"]),
    ("profile_weekdays.csv", &["profile", "weekday"]),
    ("profile_periods.csv", &["profile", "from"]),
    ("los.csv", &["class", "service"]),
    ("package_hours.csv", &["class", "service"]),
    ("visit_rates.csv", &["class", "service", "rate"]),
    ("routes.csv", &["class", "service", "next"]),
    ("discharge.csv", &["class", "service"]),
    ("pathways.csv", &["class", "service", "pathway"]),
    (
        "pathway_changes.csv",
        &["class", "service", "predicted", "actual"],
    ),
    ("calendar.csv", &["service", "from"]),
    ("escalation.csv", &["service"]),
    ("fallbacks.csv", &["service"]),
    ("step_up.csv", &["stream"]),
    ("readmissions.csv", &["class", "service", "pathway"]),
    ("patience.csv", &["class", "service"]),
    ("census.csv", &["service", "class"]),
    ("census_patients.csv", &["patient"]),
    ("census_queue.csv", &["patient"]),
    ("costs.csv", &["service"]),
    ("funding.csv", &["organisation"]),
    ("contracts.csv", &["contract"]),
    ("tariffs.csv", &["contract", "class", "service"]),
    ("contract_members.csv", &["contract", "organisation"]),
    // Listed so that the error for it is precise: variants cannot override their own file.
    ("variants.csv", &["variant", "file", "row", "column"]),
];

/// The key columns of `file`, if a variant may override it.
pub(crate) fn key_columns(file: &str) -> Option<&'static [&'static str]> {
    KEYS.iter()
        .find(|(f, _)| *f == file && *f != "variants.csv")
        .map(|(_, k)| *k)
}
