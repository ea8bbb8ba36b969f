//! Where a scenario's files come from: a folder, with a variant's cell overrides applied.

use super::ScenarioError;
use std::path::{Path, PathBuf};

/// One cell override from `variants.csv`: in `file`, the row whose key is `row`, set `column`
/// to `value`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Override {
    pub(crate) file: String,
    pub(crate) row: String,
    pub(crate) column: String,
    pub(crate) value: String,
    /// `variants.csv` and the line that asks for this override.
    pub(crate) origin: PathBuf,
    pub(crate) line: u64,
}

impl Override {
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

/// A scenario folder and the overrides of the variant being loaded (none for the baseline).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Source<'a> {
    dir: &'a Path,
    overrides: &'a [Override],
}

impl<'a> Source<'a> {
    /// The folder as written.
    pub(crate) fn folder(dir: &'a Path) -> Self {
        Source {
            dir,
            overrides: &[],
        }
    }

    /// The folder with `overrides` applied.
    pub(crate) fn with_overrides(dir: &'a Path, overrides: &'a [Override]) -> Self {
        Source { dir, overrides }
    }

    /// The scenario folder.
    pub(crate) fn dir(&self) -> &'a Path {
        self.dir
    }

    /// The overrides that target `file`.
    pub(crate) fn overrides_for(&self, file: &str) -> impl Iterator<Item = &'a Override> {
        self.overrides.iter().filter(move |o| o.file == file)
    }
}

/// The files a variant may override, with the columns whose values, joined by `/`, identify a
/// row. Key columns themselves cannot be overridden.
pub(crate) const KEYS: [(&str, &[&str]); 25] = [
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
    ("routes.csv", &["class", "service", "next"]),
    ("discharge.csv", &["class", "service"]),
    ("pathways.csv", &["class", "service", "pathway"]),
    (
        "pathway_changes.csv",
        &["class", "service", "predicted", "actual"],
    ),
    ("calendar.csv", &["service", "from"]),
    ("escalation.csv", &["service"]),
    ("readmissions.csv", &["class", "service", "pathway"]),
    ("census.csv", &["service", "class"]),
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
