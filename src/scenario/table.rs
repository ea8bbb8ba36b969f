//! One scenario CSV file read into rows, with header lookup and positioned, typed fields.
//!
//! A [`Table`] knows which columns its file may have. Each [`Field`] it hands out remembers its
//! file, line and column, so every parse failure becomes a [`ScenarioError`] that points at the
//! exact cell and quotes the raw text found there.

use super::relative::Change;
use super::source::{Source, key_columns};
use super::{EffectiveOverride, ScenarioError, ScenarioErrors};
use chrono::NaiveDate;
use std::io;
use std::path::{Path, PathBuf};

/// The largest scenario file careflow reads (256 MiB).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A column a scenario file may have.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    name: &'static str,
    required: bool,
}

impl Column {
    /// A column the header must have.
    pub(crate) const fn required(name: &'static str) -> Self {
        Column {
            name,
            required: true,
        }
    }

    /// A column the header may leave out; every row then reads it as empty. A name ending
    /// in `*` allows any number of columns whose names start with what comes before it
    /// (and go on), none of which is read.
    pub(crate) const fn optional(name: &'static str) -> Self {
        Column {
            name,
            required: false,
        }
    }
}

/// Whether a scenario may leave a file out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// The file must exist.
    Required,
    /// A missing file reads as a header with no rows.
    Optional,
}

/// A scenario CSV file whose header has every required column, with its non-blank rows.
#[derive(Debug)]
pub(crate) struct Table {
    path: PathBuf,
    /// Each declared column with its position in the header (`None`: an optional column the
    /// header leaves out).
    columns: Vec<(&'static str, Option<usize>)>,
    /// Each row's line and fields; every row has as many fields as the header.
    rows: Vec<(u64, Vec<String>)>,
    /// Whether every non-blank row could be read (none was malformed CSV).
    complete: bool,
    /// Cells a variant overrides.
    overrides: Vec<Overridden>,
}

/// A cell a variant overrides, with the value it reads as.
#[derive(Debug)]
struct Overridden {
    /// Row index in the table.
    row: usize,
    column: &'static str,
    /// The cell's new text: the override's absolute value, or the result of its change.
    value: String,
    /// `variants.csv` (or [`CODE_ORIGIN`](super::source::CODE_ORIGIN)) and the line.
    origin: PathBuf,
    line: u64,
    /// For a relative value: the change as written and the baseline's text it applied to.
    relative: Option<Relative>,
}

/// A relative override's change as written and the baseline text it applied to, so that a
/// problem with the result can say where the result came from.
#[derive(Debug)]
pub(crate) struct Relative {
    expression: String,
    baseline: String,
}

impl Table {
    /// Reads the file at `path`, which may have `columns`.
    ///
    /// Returns `None`, having recorded why, when the file cannot be read or its header lacks a
    /// required column: nothing in it can then be trusted. A bad row is recorded and left out,
    /// and reading goes on.
    ///
    /// `path` must lead to a file inside the scenario folder `folder` once symbolic links are
    /// resolved: a link out of the folder is refused before anything is read through it, so
    /// that no message can quote a file from elsewhere (`/etc/passwd`, say).
    pub(crate) fn read(
        folder: &Path,
        path: PathBuf,
        columns: &[Column],
        presence: Presence,
        errors: &mut ScenarioErrors,
    ) -> Option<Table> {
        let resolved = match resolve_inside(folder, &path) {
            Ok(resolved) => resolved,
            Err(message) => {
                errors.push(ScenarioError::Io { path, message });
                return None;
            }
        };
        // Only regular files of sane size: a FIFO or a device (say a link to /dev/zero) would
        // otherwise block or fill memory.
        if let Ok(meta) = std::fs::metadata(&resolved) {
            if !meta.is_file() {
                errors.push(ScenarioError::Io {
                    path,
                    message: "not a regular file".to_owned(),
                });
                return None;
            }
            if meta.len() > MAX_FILE_BYTES {
                errors.push(ScenarioError::Io {
                    path,
                    message: format!(
                        "{} bytes, more than the {MAX_FILE_BYTES} a scenario file may have",
                        meta.len()
                    ),
                });
                return None;
            }
        }
        let bytes = match std::fs::read(&resolved) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound && presence == Presence::Optional => {
                return Some(Table {
                    path,
                    columns: columns.iter().map(|c| (c.name, None)).collect(),
                    rows: Vec::new(),
                    overrides: Vec::new(),
                    complete: true,
                });
            }
            Err(e) => {
                errors.push(io_error(path, &e));
                return None;
            }
        };
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            // Field counts are checked below, so that a whitespace-only line can be skipped
            // as blank rather than reported as a one-field record.
            .flexible(true)
            .from_reader(bytes.as_slice());
        let mut lines = LineCounter::new(&bytes);
        // The csv reader takes an unclosed quote to run to the end of the file; it is found
        // here so that it is reported as what it is, not as a short row.
        let open_quote = unterminated_quote(&bytes);
        let unterminated = |path: PathBuf, offset: usize| ScenarioError::Csv {
            path,
            line: Some(1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64),
            message: "unterminated quote: the field that opens with '\"' on this line is never \
                      closed, so the rest of the file would be read into it"
                .to_owned(),
        };

        let header = match reader.byte_headers() {
            Ok(header) => header.clone(),
            Err(e) => {
                errors.push(csv_error(path, &e));
                return None;
            }
        };
        if let Some(offset) = open_quote
            && reader.position().byte() > offset as u64
        {
            errors.push(unterminated(path, offset));
            return None;
        }
        let columns = header_positions(&path, &header, columns, errors)?;
        let mut table = Table {
            path,
            columns,
            rows: Vec::new(),
            overrides: Vec::new(),
            complete: true,
        };

        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    // With flexible records and byte fields, only reading itself can fail.
                    errors.push(csv_error(table.path.clone(), &e));
                    return None;
                }
            }
            if let Some(offset) = open_quote
                && reader.position().byte() > offset as u64
            {
                errors.push(unterminated(table.path.clone(), offset));
                table.complete = false;
                break;
            }
            if record.iter().all(<[u8]>::is_empty) {
                continue;
            }
            let line = lines.line_of(
                record
                    .position()
                    .expect("the csv reader sets the position of every record it reads"),
            );
            if record.len() != header.len() {
                errors.push(ScenarioError::Csv {
                    path: table.path.clone(),
                    line: Some(line),
                    message: format!(
                        "expected {} fields, as in the header, found {}",
                        header.len(),
                        record.len()
                    ),
                });
                table.complete = false;
                continue;
            }
            let mut fields = Vec::with_capacity(record.len());
            let mut utf8 = true;
            for (bytes, name) in record.iter().zip(header.iter()) {
                match std::str::from_utf8(bytes) {
                    Ok(text) => fields.push(text.to_owned()),
                    Err(_) => {
                        utf8 = false;
                        errors.push(ScenarioError::InvalidValue {
                            path: table.path.clone(),
                            line,
                            column: String::from_utf8_lossy(name).into_owned(),
                            expected: "UTF-8 text".into(),
                            found: String::from_utf8_lossy(bytes).into_owned(),
                        });
                    }
                }
            }
            if utf8 {
                table.rows.push((line, fields));
            } else {
                table.complete = false;
            }
        }
        Some(table)
    }

    /// Reads `file` from `source`'s folder, like [`read`](Self::read), then applies the
    /// overrides `source` has for it. An override naming a row or column the file lacks is
    /// recorded as a problem at its line of `variants.csv`.
    pub(crate) fn read_in(
        source: &Source<'_>,
        file: &'static str,
        columns: &[Column],
        presence: Presence,
        errors: &mut ScenarioErrors,
    ) -> Option<Table> {
        let mut table = Table::read(
            source.dir(),
            source.dir().join(file),
            columns,
            presence,
            errors,
        )?;
        for o in source.overrides_for(file) {
            let keys = key_columns(file).expect("variants.csv only lists files that have keys");
            let Some(&(column, position)) = table
                .columns
                .iter()
                .find(|(name, _)| *name == o.column && !keys.contains(name))
            else {
                let allowed = table
                    .columns
                    .iter()
                    .map(|(name, _)| *name)
                    .filter(|name| !keys.contains(name));
                errors.push(o.unknown(
                    "column",
                    format!(
                        "a column of {file} other than its key: {}",
                        one_of_names(allowed)
                    ),
                    &o.column,
                ));
                continue;
            };
            let change = match Change::parse(&o.value) {
                None => None,
                Some(Ok(change)) => Some(change),
                Some(Err(failure)) => {
                    errors.push(o.relative_failure(failure, file, ""));
                    continue;
                }
            };
            let matching: Vec<usize> = table
                .rows()
                .enumerate()
                .filter(|(_, row)| {
                    let key: Vec<&str> = keys.iter().map(|&k| row.field(k).text()).collect();
                    key.join("/") == o.row
                })
                .map(|(i, _)| i)
                .collect();
            if matching.is_empty() {
                errors.push(o.unknown(
                    "row",
                    format!("a row of {file}, named by its {}", keys.join("/")),
                    &o.row,
                ));
            }
            for i in matching {
                let baseline = position
                    .and_then(|p| table.rows[i].1.get(p))
                    .map_or("", String::as_str)
                    .to_owned();
                let (value, relative) = match change {
                    None => (o.value.clone(), None),
                    Some(change) => match change.apply(&baseline) {
                        Ok(value) => (
                            value,
                            Some(Relative {
                                expression: o.value.clone(),
                                baseline: baseline.clone(),
                            }),
                        ),
                        Err(failure) => {
                            errors.push(o.relative_failure(failure, file, &baseline));
                            continue;
                        }
                    },
                };
                source.record(
                    o.line,
                    EffectiveOverride {
                        file: file.to_owned(),
                        row: o.row.clone(),
                        column: column.to_owned(),
                        baseline,
                        expression: o.value.clone(),
                        effective: value.clone(),
                    },
                );
                table.overrides.push(Overridden {
                    row: i,
                    column,
                    value,
                    origin: o.origin.clone(),
                    line: o.line,
                    relative,
                });
            }
        }
        Some(table)
    }

    /// Whether the file's header has `column`.
    pub(crate) fn has_column(&self, column: &str) -> bool {
        self.columns
            .iter()
            .any(|(name, position)| *name == column && position.is_some())
    }

    /// The file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Whether every non-blank row could be read: if not, some are missing from
    /// [`rows`](Self::rows).
    pub(crate) fn is_complete(&self) -> bool {
        self.complete
    }

    /// A problem if the file could be read whole and has no rows, where a scenario needs at
    /// least one `needed` (e.g. "service").
    pub(crate) fn no_rows(&self, needed: &str) -> Option<ScenarioError> {
        (self.complete && self.rows.is_empty()).then(|| ScenarioError::NoRows {
            path: self.path.clone(),
            needed: needed.to_owned(),
        })
    }

    /// The non-blank rows, in file order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows
            .iter()
            .enumerate()
            .map(move |(index, (line, fields))| Row {
                table: self,
                index,
                line: *line,
                fields,
            })
    }
}

/// Where `path` leads once symbolic links are resolved, if that is inside `folder` (also
/// resolved); otherwise why not. A file that does not exist (and is no dangling link) is
/// returned as it is, for the caller to report as missing or read as an absent optional file.
fn resolve_inside(folder: &Path, path: &Path) -> Result<PathBuf, String> {
    let Ok(folder) = std::fs::canonicalize(folder) else {
        // The folder itself cannot be found: reading the file fails and says so.
        return Ok(path.to_path_buf());
    };
    match std::fs::canonicalize(path) {
        Ok(resolved) if resolved.starts_with(&folder) => Ok(resolved),
        Ok(_) => Err("a symbolic link that leads outside the scenario folder; \
                      scenario files must lie inside it"
            .to_owned()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                Err("a symbolic link to nothing (its target does not exist)".to_owned())
            } else {
                Ok(path.to_path_buf())
            }
        }
        Err(e) => match io_error(path.to_path_buf(), &e) {
            ScenarioError::Io { message, .. } => Err(message),
            _ => unreachable!("io_error makes Io errors"),
        },
    }
}

/// The byte offset of a quote that opens a field and is never closed, if the file has one.
///
/// This follows the csv reader's rules (csv-core, with `#` comments): a quote opens a field
/// only as the field's first byte; inside, `""` is a quote; a comment is a line whose first
/// byte is `#` where a record would start.
fn unterminated_quote(bytes: &[u8]) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        StartRecord,
        StartField,
        InField,
        InQuotes,
        /// After a quote inside quotes: the field's end, or the first of `""`.
        QuoteInQuotes,
        InComment,
    }
    use State::*;
    let mut state = StartRecord;
    let mut opened = 0;
    // The csv reader skips a UTF-8 byte order mark at the start.
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    for (i, &b) in bytes.iter().enumerate().skip(bom) {
        let end_of_line = b == b'\n' || b == b'\r';
        if state == StartRecord {
            if end_of_line {
                continue;
            }
            if b == b'#' {
                state = InComment;
                continue;
            }
            state = StartField;
        }
        state = match state {
            StartField if b == b'"' => {
                opened = i;
                InQuotes
            }
            InQuotes if b == b'"' => QuoteInQuotes,
            InQuotes => InQuotes,
            QuoteInQuotes if b == b'"' => InQuotes,
            InComment if b == b'\n' => StartRecord,
            InComment => InComment,
            _ if b == b',' => StartField,
            _ if end_of_line => StartRecord,
            _ => InField,
        };
    }
    (state == InQuotes).then_some(opened)
}

/// Finds the line each record starts on.
///
/// `csv::Position::line` miscounts blank and comment lines before a record (csv 1.4), and
/// `csv::Position::byte` points to where the reader began looking for the record, before
/// them; so the counter skips those lines itself and counts newlines.
#[derive(Debug)]
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// A byte offset at or before the next record's start, and the line it is on.
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record at `position`; records must come in file order.
    fn line_of(&mut self, position: &csv::Position) -> u64 {
        let mut start = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        // Skip the empty and comment lines the reader passed over to reach the record.
        loop {
            match self.bytes.get(start) {
                Some(b'\n' | b'\r') => start += 1,
                Some(b'#') => {
                    start = self.bytes[start..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(self.bytes.len(), |n| start + n + 1);
                }
                _ => break,
            }
        }
        let start = start.max(self.offset);
        let newlines = self.bytes[self.offset..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line += newlines as u64;
        self.offset = start;
        self.line
    }
}

/// Matches the header against the declared columns: each declared column's position.
/// Records unknown, repeated and missing columns; returns `None` if a required one is missing
/// or one is repeated.
fn header_positions(
    path: &Path,
    header: &csv::ByteRecord,
    columns: &[Column],
    errors: &mut ScenarioErrors,
) -> Option<Vec<(&'static str, Option<usize>)>> {
    let mut positions: Vec<(&'static str, Option<usize>)> =
        columns.iter().map(|c| (c.name, None)).collect();
    let mut usable = true;
    for (i, name) in header.iter().enumerate() {
        let Ok(name) = std::str::from_utf8(name) else {
            errors.push(ScenarioError::Csv {
                path: path.to_path_buf(),
                line: Some(1),
                message: format!("header field {} is not valid UTF-8", i + 1),
            });
            usable = false;
            continue;
        };
        match positions.iter_mut().find(|(known, _)| *known == name) {
            Some((_, Some(_))) => {
                errors.push(ScenarioError::Csv {
                    path: path.to_path_buf(),
                    line: Some(1),
                    message: format!("column '{name}' appears more than once in the header"),
                });
                usable = false;
            }
            Some((_, position)) => *position = Some(i),
            // A family of columns by prefix (`x_*`): allowed, and not read.
            None if columns.iter().any(|c| {
                c.name
                    .strip_suffix('*')
                    .is_some_and(|prefix| name.len() > prefix.len() && name.starts_with(prefix))
            }) => {}
            None => errors.push(ScenarioError::UnknownColumn {
                path: path.to_path_buf(),
                column: name.to_owned(),
                allowed: columns
                    .iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
    for (column, (name, position)) in columns.iter().zip(&positions) {
        if column.required && position.is_none() {
            errors.push(ScenarioError::MissingColumn {
                path: path.to_path_buf(),
                column: (*name).to_owned(),
            });
            usable = false;
        }
    }
    usable.then_some(positions)
}

/// An operating-system error reading `path`.
pub(crate) fn io_error(path: PathBuf, e: &io::Error) -> ScenarioError {
    let message = match e.kind() {
        // The same words on every platform, so messages (and tests) do not vary.
        io::ErrorKind::NotFound => "no such file".to_owned(),
        _ => e.to_string(),
    };
    ScenarioError::Io { path, message }
}

fn csv_error(path: PathBuf, e: &csv::Error) -> ScenarioError {
    match e.kind() {
        csv::ErrorKind::Io(io) => io_error(path, io),
        _ => ScenarioError::Csv {
            path,
            line: e.position().map(csv::Position::line),
            message: e.to_string(),
        },
    }
}

/// One row of a [`Table`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row<'a> {
    table: &'a Table,
    index: usize,
    line: u64,
    fields: &'a [String],
}

impl<'a> Row<'a> {
    /// The row's 1-based line (the header is line 1).
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// The field in `column`: empty if the column is optional and the header leaves it out.
    ///
    /// # Panics
    ///
    /// If `column` is not one of the table's declared columns: a loader bug.
    pub(crate) fn field(&self, column: &'static str) -> Field<'a> {
        let position = self
            .table
            .columns
            .iter()
            .find(|(name, _)| *name == column)
            .expect("a loader reads only the columns it declares for its file")
            .1;
        // A variant's override reads as the cell, but points at its line of variants.csv.
        if let Some(o) = self
            .table
            .overrides
            .iter()
            .find(|o| o.row == self.index && o.column == column)
        {
            return Field {
                path: &o.origin,
                line: o.line,
                column,
                text: &o.value,
                relative: o.relative.as_ref(),
            };
        }
        Field {
            path: &self.table.path,
            line: self.line,
            column,
            text: position
                .and_then(|i| self.fields.get(i))
                .map_or("", String::as_str),
            relative: None,
        }
    }
}

/// One cell of a scenario file: its raw text and where it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<'a> {
    path: &'a Path,
    line: u64,
    column: &'static str,
    text: &'a str,
    /// Set when the text is the result of a relative override.
    relative: Option<&'a Relative>,
}

impl<'a> Field<'a> {
    /// `error`, about this cell, saying where a relative override's result came from.
    fn explained(&self, error: ScenarioError) -> ScenarioError {
        match self.relative {
            None => error,
            Some(r) => ScenarioError::RelativeOverride {
                expression: r.expression.clone(),
                baseline: r.baseline.clone(),
                error: Box::new(error),
            },
        }
    }

    /// The raw text, trimmed.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// Whether the cell is empty (or its optional column absent).
    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The cell's 1-based line.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// The cell's column name.
    pub(crate) fn column(&self) -> &'static str {
        self.column
    }

    /// The cell's file.
    pub(crate) fn path(&self) -> &'a Path {
        self.path
    }

    /// The cell does not hold `expected`.
    pub(crate) fn invalid(&self, expected: impl Into<String>) -> ScenarioError {
        self.explained(ScenarioError::InvalidValue {
            path: self.path.to_path_buf(),
            line: self.line,
            column: self.column.to_owned(),
            expected: expected.into(),
            found: self.text.to_owned(),
        })
    }

    /// The cell names something that is not defined; it should name `expected`.
    pub(crate) fn unknown_reference(&self, expected: impl Into<String>) -> ScenarioError {
        self.explained(ScenarioError::UnknownReference {
            path: self.path.to_path_buf(),
            line: self.line,
            column: self.column.to_owned(),
            expected: expected.into(),
            found: self.text.to_owned(),
        })
    }

    /// The cell is well-formed but does not fit the rest of the scenario.
    pub(crate) fn inconsistent(&self, message: impl Into<String>) -> ScenarioError {
        self.explained(ScenarioError::Inconsistent {
            path: self.path.to_path_buf(),
            line: self.line,
            column: self.column.to_owned(),
            message: message.into(),
        })
    }

    /// The cell's row repeats the key of the row on `first_line`; `entry` says what the rows
    /// are for.
    pub(crate) fn duplicate_entry(
        &self,
        entry: impl Into<String>,
        first_line: u64,
    ) -> ScenarioError {
        ScenarioError::DuplicateEntry {
            path: self.path.to_path_buf(),
            line: self.line,
            entry: entry.into(),
            first_line,
        }
    }

    /// A non-empty id of at most [`MAX_ID_CHARS`] characters, none of them a control
    /// character (ids are written into every output file and message, where a NUL, tab or
    /// line break would corrupt them).
    pub(crate) fn id(&self) -> Result<&'a str, ScenarioError> {
        if self.text.is_empty() {
            Err(self.invalid("a non-empty id"))
        } else if self.text.chars().any(super::error::is_control) {
            Err(self.invalid(NO_CONTROL))
        } else if self.text.chars().count() > MAX_ID_CHARS {
            Err(self.invalid(format!("an id of at most {MAX_ID_CHARS} characters")))
        } else {
            Ok(self.text)
        }
    }

    /// A non-negative integer that fits in 32 bits.
    pub(crate) fn count(&self) -> Result<u32, ScenarioError> {
        self.text
            .parse()
            .map_err(|_| self.invalid("a non-negative integer"))
    }

    /// A finite number for which `accept` holds; `expected` describes such numbers.
    pub(crate) fn number(
        &self,
        expected: &str,
        accept: impl Fn(f64) -> bool,
    ) -> Result<f64, ScenarioError> {
        match self.text.parse::<f64>() {
            Ok(x) if x.is_finite() && accept(x) => Ok(x),
            _ => Err(self.invalid(expected)),
        }
    }

    /// A finite number of at least 0.
    pub(crate) fn non_negative(&self) -> Result<f64, ScenarioError> {
        self.number(AT_LEAST_0, |x| x >= 0.0)
    }

    /// A finite number above 0.
    pub(crate) fn positive(&self) -> Result<f64, ScenarioError> {
        self.number(ABOVE_0, |x| x > 0.0)
    }

    /// An amount of money: a finite number from 0 to [`MAX_MONEY`].
    pub(crate) fn money(&self) -> Result<f64, ScenarioError> {
        self.number(A_MONEY, |x| (0.0..=MAX_MONEY).contains(&x))
    }

    /// A date written `YYYY-MM-DD`.
    pub(crate) fn date(&self) -> Result<NaiveDate, ScenarioError> {
        NaiveDate::parse_from_str(self.text, "%Y-%m-%d").map_err(|_| self.invalid(A_DATE))
    }

    /// One of the names in `choices`, which `expected` lists.
    pub(crate) fn one_of<T: Copy>(
        &self,
        choices: &[(&str, T)],
        expected: &str,
    ) -> Result<T, ScenarioError> {
        choices
            .iter()
            .find(|(name, _)| *name == self.text)
            .map(|&(_, value)| value)
            .ok_or_else(|| self.invalid(expected))
    }
}

/// The longest id careflow accepts, in characters.
pub(crate) const MAX_ID_CHARS: usize = 200;
/// What an id with a control (or bidirectional formatting) character should have been.
pub(crate) const NO_CONTROL: &str =
    "an id without control characters (NUL, tab, line break, escape, text direction…)";

/// What a non-negative number is called in messages.
pub(crate) const AT_LEAST_0: &str = "a number of at least 0";
/// What a positive number is called in messages.
pub(crate) const ABOVE_0: &str = "a number greater than 0";
/// The largest amount of money careflow accepts in one cell (a rate, price, payment, fund or
/// budget): 10¹², more than any health or care economy spends in a year. Every ledger total is
/// then a sum of at most ~10⁹ bookings (the arrival limit) each at most 10¹² × a year's
/// place-days (2³² places × 366 days), far inside the range of a 64-bit float, so no total
/// can overflow to infinity or NaN.
pub(crate) const MAX_MONEY: f64 = 1e12;
/// What an amount of money is called in messages.
pub(crate) const A_MONEY: &str = "an amount of money from 0 to 10^12";
/// What a date is called in messages.
pub(crate) const A_DATE: &str = "a date as YYYY-MM-DD";

/// `names` as "one of a, b or c".
pub(crate) fn one_of_names<'n>(names: impl IntoIterator<Item = &'n str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("one of {} or {last}", rest.join(", "))
        }
        Some((last, _)) => (*last).to_owned(),
        None => "nothing".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(contents: &str, columns: &[Column]) -> (Option<Table>, ScenarioErrors) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, contents).unwrap();
        let mut errors = ScenarioErrors(Vec::new());
        let table = Table::read(dir.path(), path, columns, Presence::Required, &mut errors);
        (table, errors)
    }

    const AB: [Column; 2] = [Column::required("a"), Column::optional("b")];

    #[test]
    fn lines_count_the_header_comments_and_blank_lines() {
        let (table, errors) = table(
            "# a comment\nb , a\n\n1,x\n# another\n  \n , \n2 , y\n",
            &AB,
        );
        assert!(errors.is_empty(), "{errors}");
        let table = table.unwrap();
        let rows: Vec<(u64, &str, &str)> = table
            .rows()
            .map(|r| (r.line(), r.field("a").text(), r.field("b").text()))
            .collect();
        assert_eq!(rows, [(4, "x", "1"), (8, "y", "2")]);
    }

    #[test]
    fn lines_are_right_with_crlf_repeated_blanks_and_quoted_newlines() {
        let lines = |contents: &str| -> Vec<u64> {
            let (table, errors) = table(contents, &AB);
            assert!(errors.is_empty(), "{errors}");
            table.unwrap().rows().map(|r| r.line()).collect()
        };
        assert_eq!(lines("a\r\n\r\n1\r\n#c\r\n2\r\n"), [3, 5]);
        assert_eq!(lines("a\n\n\n1\n\n\n2\n"), [4, 7]);
        assert_eq!(lines("a,b\n\"x\ny\",2\n3,4\n# end"), [2, 4]);
        assert_eq!(lines("# c\n# d\na\n1"), [4]);
    }

    #[test]
    fn absent_optional_columns_read_as_empty() {
        let (table, _) = table("a\n1\n", &AB);
        let table = table.unwrap();
        let row = table.rows().next().unwrap();
        assert!(row.field("b").is_empty());
    }

    #[test]
    fn header_problems_are_all_reported() {
        let (table, errors) = table("c,b,d\n1,2,3\n", &AB);
        assert!(table.is_none());
        let lines: Vec<String> = errors.errors().iter().map(|e| e.to_string()).collect();
        let dir_free: Vec<&str> = lines
            .iter()
            .map(|l| l.rsplit_once("t.csv").unwrap().1)
            .collect();
        assert_eq!(
            dir_free,
            [
                ":1: unknown column 'c' (allowed: a, b)",
                ":1: unknown column 'd' (allowed: a, b)",
                ":1: missing column 'a'",
            ]
        );
    }

    #[test]
    fn a_row_with_the_wrong_field_count_is_reported_and_reading_goes_on() {
        let (table, errors) = table("a,b\n1\n2,3,4\n5,6\n", &AB);
        assert_eq!(table.unwrap().rows().count(), 1);
        assert_eq!(errors.errors().len(), 2);
        assert_eq!(errors.errors()[0].line(), Some(2));
        assert!(
            errors.errors()[1]
                .to_string()
                .ends_with(":3: malformed CSV: expected 2 fields, as in the header, found 3")
        );
    }

    #[test]
    fn unterminated_quotes_are_found_as_the_csv_reader_reads_quotes() {
        let open = |text: &str| unterminated_quote(text.as_bytes());
        assert_eq!(open("a,b\n1,\"x\n"), Some(6));
        assert_eq!(open("\u{feff}\"a,b\n"), Some(3));
        assert_eq!(open("a,b\r\n\"x\"\"y\r\n"), Some(5));
        // Closed, doubled, inside a field, in a comment, or after a closing quote: fine.
        for text in [
            "a,b\n\"1\",\"2\"\n",
            "a\n\"x\"\"y\"\n",
            "a\nx\"y\n",
            "a\n# \"\n1\n",
            "a\n\"x\"y\"\n",
            "\"a\nb\"\n",
        ] {
            assert_eq!(open(text), None, "{text:?}");
        }
    }

    #[test]
    fn one_of_names_reads_naturally() {
        assert_eq!(one_of_names(["a", "b", "c"]), "one of a, b or c");
        assert_eq!(one_of_names(["a"]), "a");
    }
}
