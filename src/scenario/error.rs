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
    /// A file that must define at least one thing has a header but no rows.
    NoRows {
        /// The file.
        path: PathBuf,
        /// What a scenario needs at least one of, e.g. "service".
        needed: String,
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
                "{}:1: unknown column {} (allowed: {allowed})",
                path.display(),
                Quoted::single(column)
            ),
            InvalidValue {
                path,
                line,
                column,
                expected,
                found,
            } => write!(
                f,
                "{}:{line}: column '{column}': expected {expected}, found {}",
                path.display(),
                Quoted::double(found)
            ),
            DuplicateId {
                path,
                line,
                column,
                id,
                first_line,
            } => write!(
                f,
                "{}:{line}: column '{column}': duplicate id {} (first defined on line {first_line})",
                path.display(),
                Quoted::double(id)
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
                "{}:{line}: column '{column}': expected {expected}, found {}",
                path.display(),
                Quoted::double(found)
            ),
            ProbabilitiesDoNotSumToOne {
                path,
                line,
                class,
                service,
                sum,
            } => write!(
                f,
                "{}:{line}: column 'probability': probabilities for class '{class}' leaving service '{service}' sum to {}, expected 1",
                path.display(),
                rounded(*sum)
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
                "{}:{line}: column 'probability': probabilities of the pathways for class '{class}' at service '{service}' sum to {}, expected 1",
                path.display(),
                rounded(*sum)
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
                "{}:{line}: column 'probability': probabilities of the actual pathways for class '{class}' at service '{service}' after predicted pathway {predicted} sum to {}, expected 1",
                path.display(),
                rounded(*sum)
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
            NoRows { path, needed } => write!(
                f,
                "{}: the file has no rows; a scenario needs at least one {needed}",
                path.display()
            ),
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
            | Inconsistent { path, .. }
            | NoRows { path, .. } => path,
            RelativeOverride { error, .. } | InVariant { error, .. } => error.path(),
        }
    }

    /// The 1-based line the problem is on (the header is line 1), where it has one.
    pub fn line(&self) -> Option<u64> {
        use ScenarioError::*;
        match self {
            Io { .. } | MissingLengthOfStay { .. } | NoRows { .. } => None,
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

/// Whether `c` is a control character (NUL, tab, line break, escape, …) or a bidirectional
/// formatting character (which reorders the text shown around it): characters no id may
/// hold and every message escapes.
pub(crate) fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// How many characters of a scenario's text a message quotes; longer text is cut there, and
/// the message says how long it was.
const QUOTED_CHARS: usize = 60;

/// Text from a scenario file as a message quotes it: control characters escaped (`\0`,
/// `\t`, `\u{1b}`), at most [`QUOTED_CHARS`] characters of it, and the full length if
/// longer. A field of 8 MB of NUL bytes is thus quoted in a few hundred bytes, and a line
/// break inside a field cannot forge a line of the report.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quoted<'a> {
    text: &'a str,
    /// `"`: in double quotes, as Rust writes strings (quotes and backslashes escaped too);
    /// `'`: in single quotes, escaping control characters only.
    quote: char,
}

impl<'a> Quoted<'a> {
    /// `text` in double quotes, written as a Rust string literal.
    pub(crate) fn double(text: &'a str) -> Self {
        Quoted { text, quote: '"' }
    }

    /// `text` in single quotes, with control characters escaped.
    pub(crate) fn single(text: &'a str) -> Self {
        Quoted { text, quote: '\'' }
    }
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (shown, total) = match self.text.char_indices().nth(QUOTED_CHARS) {
            Some((cut, _)) => (&self.text[..cut], Some(self.text.chars().count())),
            None => (self.text, None),
        };
        if self.quote == '"' {
            write!(f, "{shown:?}")?;
        } else {
            write!(f, "'")?;
            for c in shown.chars() {
                if is_control(c) {
                    write!(f, "{}", c.escape_debug())?;
                } else {
                    write!(f, "{c}")?;
                }
            }
            write!(f, "'")?;
        }
        if let Some(total) = total {
            write!(f, " (the first {QUOTED_CHARS} of {total} characters)")?;
        }
        Ok(())
    }
}

/// `x` as people read numbers: the shortest text that reads back as `x`, with an exponent
/// when it is very large or very small (`1e308`, `2.5e-7`, not 309 digits or 0.00000025).
pub(crate) fn number(x: f64) -> String {
    let magnitude = x.abs();
    if x == 0.0 || !x.is_finite() || (1e-4..1e15).contains(&magnitude) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// `x` rounded to 12 significant digits, as [`number`] writes it: for sums of decimal
/// fractions, whose last binary digits are noise (`0.999999`, not `0.9999990000000001`). The
/// sums checked are within 10⁻⁹ of their target or reported, so the rounding never hides why.
pub(crate) fn rounded(x: f64) -> String {
    rounded_to(x, 12)
}

/// `x` rounded to `digits` significant digits (at least 1), as [`number`] writes it.
pub(crate) fn rounded_to(x: f64, digits: usize) -> String {
    let r = format!("{x:.*e}", digits.max(1) - 1)
        .parse::<f64>()
        .unwrap_or(x);
    number(r)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_with_an_exponent_only_at_the_extremes() {
        let cases = [
            (1e308, "1e308"),
            (-2.5e-7, "-2.5e-7"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (0.0, "0"),
            (365.0, "365"),
            (0.25, "0.25"),
            (1e12, "1000000000000"),
            (1e15, "1e15"),
            (0.0001, "0.0001"),
            (0.00009, "9e-5"),
            (f64::INFINITY, "inf"),
        ];
        for (x, text) in cases {
            assert_eq!(number(x), text);
        }
    }

    #[test]
    fn sums_are_rounded_to_twelve_digits() {
        assert_eq!(rounded(0.1 + 0.2 + 0.699999), "0.999999");
        assert_eq!(rounded(0.7 + 0.2 + 0.099999), "0.999999");
        // A sum just outside the 10⁻⁹ tolerance still shows why.
        assert_eq!(rounded(1.000000002), "1.000000002");
        assert_eq!(rounded(0.999999998), "0.999999998");
        assert_eq!(rounded(3e200), "3e200");
    }

    #[test]
    fn quoted_text_is_escaped_and_cut() {
        assert_eq!(Quoted::double("a\"b\0").to_string(), r#""a\"b\0""#);
        assert_eq!(
            Quoted::single("a'b\t\u{1b}é\u{202e}").to_string(),
            r"'a'b\t\u{1b}é\u{202e}'"
        );
        // A right-to-left override would reorder the rest of the line as shown.
        assert_eq!(Quoted::double("x\u{202e}y").to_string(), r#""x\u{202e}y""#);
        let long = "é".repeat(61);
        assert_eq!(
            Quoted::single(&long).to_string(),
            format!("'{}' (the first 60 of 61 characters)", "é".repeat(60))
        );
        let sixty = "x".repeat(60);
        assert_eq!(Quoted::double(&sixty).to_string(), format!("\"{sixty}\""));
    }
}
