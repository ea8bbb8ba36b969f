//! Scenario errors: each names the file, the line, the column and what was expected.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in a scenario folder.
///
/// Every variant that points into a file carries its path and 1-based line (the header is
/// line 1). [`Display`](fmt::Display) renders it in the form
/// `scenarios/x/services.csv:7: column 'capacity': expected a non-negative integer, found "-3"`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ScenarioError {
    /// A required file is missing or cannot be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        message: String,
    },
    /// A file is not well-formed CSV (for example a row with the wrong number of fields).
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line, where known.
        line: Option<u64>,
        /// What the CSV reader said.
        message: String,
    },
    /// A required column is missing from the header.
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column that is needed.
        column: String,
    },
    /// A column in the header that careflow does not know (probably a typo).
    UnknownColumn {
        /// The file.
        path: PathBuf,
        /// The column found.
        column: String,
        /// The columns allowed in this file.
        allowed: String,
    },
    /// A value that is not of the expected form or range.
    InvalidValue {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Header name of the column.
        column: String,
        /// What was expected, e.g. "a non-negative integer".
        expected: String,
        /// The raw text found.
        found: String,
    },
    /// An id defined twice.
    DuplicateId {
        /// The file.
        path: PathBuf,
        /// 1-based line of the second definition.
        line: u64,
        /// Header name of the column.
        column: String,
        /// The id.
        id: String,
        /// 1-based line of the first definition.
        first_line: u64,
    },
    /// A row that repeats an earlier row's key, such as a second length of stay for the same
    /// class and service.
    DuplicateEntry {
        /// The file.
        path: PathBuf,
        /// 1-based line of the repeat.
        line: u64,
        /// What the rows are for, e.g. "class 'frail' at service 'acute'".
        entry: String,
        /// 1-based line of the first row.
        first_line: u64,
    },
    /// A reference to something not defined in the file that defines it.
    UnknownReference {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Header name of the column.
        column: String,
        /// What it should name, e.g. "a service in services.csv".
        expected: String,
        /// The raw text found.
        found: String,
    },
    /// The routing probabilities of one (class, service) do not sum to 1.
    ProbabilitiesDoNotSumToOne {
        /// The routes file.
        path: PathBuf,
        /// 1-based line of the first row of the group.
        line: u64,
        /// The class.
        class: String,
        /// The service.
        service: String,
        /// Their sum.
        sum: f64,
    },
    /// The probabilities of the discharge pathways of one (class, service) in `pathways.csv`,
    /// or of the actual pathways after one predicted pathway in `pathway_changes.csv`, do not
    /// sum to 1.
    PathwayProbabilitiesDoNotSumToOne {
        /// The pathways or pathway-changes file.
        path: PathBuf,
        /// 1-based line of the first row of the group.
        line: u64,
        /// The class.
        class: String,
        /// The service with the discharge rule.
        service: String,
        /// The predicted pathway (0–3) whose actual pathways these are; `None` for the
        /// predicted pathways themselves.
        predicted: Option<usize>,
        /// Their sum.
        sum: f64,
    },
    /// A class can reach a service for which no length of stay is given.
    MissingLengthOfStay {
        /// The length-of-stay file.
        path: PathBuf,
        /// The class.
        class: String,
        /// The service.
        service: String,
        /// How the class reaches it, e.g. `arrival stream 'ed_walk_in'` or
        /// `routes.csv line 4`.
        reached_by: String,
    },
    /// Two dated entries for the same thing overlap in time.
    Overlap {
        /// The file.
        path: PathBuf,
        /// 1-based line of the later entry.
        line: u64,
        /// What overlaps, e.g. "service 'acute'".
        subject: String,
        /// 1-based line of the entry it overlaps.
        other_line: u64,
    },
    /// A row that is consistent on its own but not with the rest of the scenario.
    Inconsistent {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Header name of the column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A problem with a cell's value that a relative override (`+10%`, `*0.9`, …) computed
    /// from the baseline's value: the problem as for an absolute value, with where the value
    /// came from.
    RelativeOverride {
        /// The relative value as written, e.g. `*0.9`.
        expression: String,
        /// The baseline's text of the cell, e.g. `85`.
        baseline: String,
        /// The problem with the result, e.g. `76.5` where an integer is expected.
        error: Box<ScenarioError>,
    },
    /// A problem that a variant's overrides (in `variants.csv`) cause.
    InVariant {
        /// The variant's name.
        variant: String,
        /// The problem, as it appears in the variant's version of the scenario.
        error: Box<ScenarioError>,
    },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ScenarioError::*;
        match self {
            Io { path, message } => write!(f, "{}: cannot read: {message}", path.display()),
            Csv {
                path,
                line: Some(line),
                message,
            } => write!(f, "{}:{line}: malformed CSV: {message}", path.display()),
            Csv {
                path,
                line: None,
                message,
            } => write!(f, "{}: malformed CSV: {message}", path.display()),
            MissingColumn { path, column } => {
                write!(f, "{}:1: missing column '{column}'", path.display())
            }
            UnknownColumn {
                path,
                column,
                allowed,
            } => write!(
                f,
                "{}:1: unknown column '{column}' (allowed: {allowed})",
                path.display()
            ),
            InvalidValue {
                path,
                line,
                column,
                expected,
                found,
            } => write!(
                f,
                "{}:{line}: column '{column}': expected {expected}, found {found:?}",
                path.display()
            ),
            DuplicateId {
                path,
                line,
                column,
                id,
                first_line,
            } => write!(
                f,
                "{}:{line}: column '{column}': duplicate id {id:?} (first defined on line {first_line})",
                path.display()
            ),
            DuplicateEntry {
                path,
                line,
                entry,
                first_line,
            } => write!(
                f,
                "{}:{line}: duplicate entry for {entry} (first given on line {first_line})",
                path.display()
            ),
            UnknownReference {
                path,
                line,
                column,
                expected,
                found,
            } => write!(
                f,
                "{}:{line}: column '{column}': expected {expected}, found {found:?}",
                path.display()
            ),
            ProbabilitiesDoNotSumToOne {
                path,
                line,
                class,
                service,
                sum,
            } => write!(
                f,
                "{}:{line}: column 'probability': probabilities for class '{class}' leaving service '{service}' sum to {sum}, expected 1",
                path.display()
            ),
            PathwayProbabilitiesDoNotSumToOne {
                path,
                line,
                class,
                service,
                predicted: None,
                sum,
            } => write!(
                f,
                "{}:{line}: column 'probability': probabilities of the pathways for class '{class}' at service '{service}' sum to {sum}, expected 1",
                path.display()
            ),
            PathwayProbabilitiesDoNotSumToOne {
                path,
                line,
                class,
                service,
                predicted: Some(predicted),
                sum,
            } => write!(
                f,
                "{}:{line}: column 'probability': probabilities of the actual pathways for class '{class}' at service '{service}' after predicted pathway {predicted} sum to {sum}, expected 1",
                path.display()
            ),
            MissingLengthOfStay {
                path,
                class,
                service,
                reached_by,
            } => write!(
                f,
                "{}: no length of stay for class '{class}' at service '{service}', which it reaches by {reached_by}",
                path.display()
            ),
            Overlap {
                path,
                line,
                subject,
                other_line,
            } => write!(
                f,
                "{}:{line}: entry for {subject} overlaps the entry on line {other_line}",
                path.display()
            ),
            Inconsistent {
                path,
                line,
                column,
                message,
            } => write!(f, "{}:{line}: column '{column}': {message}", path.display()),
            RelativeOverride {
                expression,
                baseline,
                error,
            } => write!(
                f,
                "{error} (the result of {expression:?} applied to the baseline's {baseline:?})"
            ),
            InVariant { variant, error } => write!(f, "variant '{variant}': {error}"),
        }
    }
}

impl ScenarioError {
    /// The file the problem is in.
    pub fn path(&self) -> &Path {
        use ScenarioError::*;
        match self {
            Io { path, .. }
            | Csv { path, .. }
            | MissingColumn { path, .. }
            | UnknownColumn { path, .. }
            | InvalidValue { path, .. }
            | DuplicateId { path, .. }
            | DuplicateEntry { path, .. }
            | UnknownReference { path, .. }
            | ProbabilitiesDoNotSumToOne { path, .. }
            | PathwayProbabilitiesDoNotSumToOne { path, .. }
            | MissingLengthOfStay { path, .. }
            | Overlap { path, .. }
            | Inconsistent { path, .. } => path,
            RelativeOverride { error, .. } | InVariant { error, .. } => error.path(),
        }
    }

    /// The 1-based line the problem is on (the header is line 1), where it has one.
    pub fn line(&self) -> Option<u64> {
        use ScenarioError::*;
        match self {
            Io { .. } | MissingLengthOfStay { .. } => None,
            Csv { line, .. } => *line,
            MissingColumn { .. } | UnknownColumn { .. } => Some(1),
            InvalidValue { line, .. }
            | DuplicateId { line, .. }
            | DuplicateEntry { line, .. }
            | UnknownReference { line, .. }
            | ProbabilitiesDoNotSumToOne { line, .. }
            | PathwayProbabilitiesDoNotSumToOne { line, .. }
            | Overlap { line, .. }
            | Inconsistent { line, .. } => Some(*line),
            RelativeOverride { error, .. } | InVariant { error, .. } => error.line(),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// Every problem found in a scenario folder, in file order.
///
/// Displayed one problem per line.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl ScenarioErrors {
    /// The problems found.
    pub fn errors(&self) -> &[ScenarioError] {
        &self.0
    }

    /// Records a problem.
    pub(crate) fn push(&mut self, error: ScenarioError) {
        self.0.push(error);
    }

    /// The value of `result`, recording its problem if it has one.
    pub(crate) fn keep<T>(&mut self, result: Result<T, ScenarioError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    /// How many problems have been recorded so far.
    pub(crate) fn count(&self) -> usize {
        self.0.len()
    }

    /// Puts the problems recorded since the first `from` in line order (stable, so problems on
    /// one line keep the order they were found in). Problems without a line come first.
    pub(crate) fn sort_by_line_from(&mut self, from: usize) {
        if let Some(tail) = self.0.get_mut(from..) {
            tail.sort_by_key(|e| e.line().unwrap_or(0));
        }
    }

    /// Whether no problem has been recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}
