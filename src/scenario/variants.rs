//! `variants.csv`: named policy variants, each a set of cell overrides of the baseline files;
//! and the same overrides given in code.

use super::relative::Change;
use super::source::{CODE_ORIGIN, CellOverride, KEYS, Source, key_columns};
use super::table::{Column, MAX_ID_CHARS, NO_CONTROL, Presence, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors, load_from};
use crate::Model;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

pub(crate) const FILE: &str = "variants.csv";
const COLUMNS: [Column; 5] = [
    Column::required("variant"),
    Column::required("file"),
    Column::required("row"),
    Column::required("column"),
    Column::required("value"),
];

/// The name of the scenario as written, which no variant may take.
pub(crate) const BASELINE: &str = "baseline";

/// One cell override, as a row of `variants.csv` gives it: in `file`, the row whose key is
/// `row`, set `column` to `value`.
///
/// `value` is the cell's new text, or a change relative to the baseline's number: `+40`,
/// `-10`, `+10%`, `-10%`, `*0.9` (see the [`scenario`](crate::scenario#variantscsv) reference).
/// Give a list of them to [`Experiment::add_variant_overrides`](crate::Experiment::add_variant_overrides)
/// to build a variant in code, checked as `variants.csv` is.
///
/// # Example
///
/// ```
/// use careflow::scenario::Override;
///
/// let cheaper = Override::new("costs.csv", "acute", "rate", "-5%");
/// assert_eq!(cheaper.column, "rate");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Override {
    /// The scenario file, e.g. `services.csv`.
    pub file: String,
    /// The row's key: its id, or its key columns joined by `/`, e.g. `frail_elderly/acute`.
    pub row: String,
    /// The column to set; not a key column.
    pub column: String,
    /// The new text of the cell, or a relative change such as `+10%`.
    pub value: String,
}

impl Override {
    /// The override setting `column` of `row` in `file` to `value`.
    pub fn new(
        file: impl Into<String>,
        row: impl Into<String>,
        column: impl Into<String>,
        value: impl Into<String>,
    ) -> Override {
        Override {
            file: file.into(),
            row: row.into(),
            column: column.into(),
            value: value.into(),
        }
    }
}

/// The value an override gave one cell: the baseline's text, the override as written and the
/// text the variant runs with. Written to `variants_effective.csv` with the results.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EffectiveOverride {
    /// The scenario file.
    pub file: String,
    /// The row's key, as the override named it.
    pub row: String,
    /// The column.
    pub column: String,
    /// The cell's text in the baseline (empty for an empty cell).
    pub baseline: String,
    /// The override's value as written: absolute (`290`) or relative (`+40`, `*0.9`).
    pub expression: String,
    /// The text the variant runs with: the absolute value, or the relative change's result.
    pub effective: String,
}

/// A loaded variant: its name, model and the values its overrides gave.
pub(crate) type Loaded = (String, Model, Vec<EffectiveOverride>);

/// Loads the baseline and every variant of the scenario folder at `dir`: `("baseline", model)`
/// first, then the variants in order of first appearance in `variants.csv` (optional).
///
/// A problem in the baseline is reported as for [`Model::load`]; problems a variant's overrides
/// cause are reported for each variant, prefixed with its name.
pub(crate) fn load_variants(dir: &Path) -> Result<Vec<Loaded>, ScenarioErrors> {
    let baseline = load_from(&Source::folder(dir));
    let mut errors = ScenarioErrors(Vec::new());
    let variants = read(dir, &mut errors);
    let baseline = match baseline {
        Ok(model) => model,
        Err(mut e) => {
            e.0.append(&mut errors.0);
            return Err(e);
        }
    };
    let Some(variants) = variants else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut models = vec![(BASELINE.to_owned(), baseline, Vec::new())];
    for (name, overrides) in variants {
        match load_variant(dir, &name, &overrides) {
            Ok((model, effective)) => models.push((name, model, effective)),
            Err(e) => errors.0.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(models)
    } else {
        Err(errors)
    }
}

/// Why a variant may not override the setting `key`, if it may not.
///
/// A comparison pairs each variant's replications with the baseline's, statistic by
/// statistic, under a header that gives the baseline's settings. So every variant shares:
/// the observation window (`start_date`, `horizon_days`, `warmup_days`), or its differences
/// would compare other days, even other lengths of time; the random numbers (`seed`,
/// `replications`), or the differences would not be paired; and `wait_threshold_hours`,
/// which defines the long-wait statistics compared. Only `daily_series` may differ: it
/// decides whether the daily series is recorded, and changes no statistic.
fn shared_setting(key: &str) -> Option<&'static str> {
    match key {
        "start_date" | "horizon_days" | "warmup_days" => Some(
            "every variant is observed over the baseline's window (start_date, horizon_days, \
             warmup_days), so that differences compare the same days; set it in settings.csv",
        ),
        "seed" | "replications" => Some(
            "every variant runs the baseline's seed and replications, so that comparisons \
             are paired; set them in settings.csv",
        ),
        "wait_threshold_hours" => Some(
            "every variant counts long waits against the baseline's wait_threshold_hours, so \
             that the same statistics are compared; set it in settings.csv",
        ),
        _ => None,
    }
}

/// Loads the variant `name` of the scenario folder at `dir`: the folder with `overrides`
/// applied. Problems are reported prefixed with the variant's name.
fn load_variant(
    dir: &Path,
    name: &str,
    overrides: &[CellOverride],
) -> Result<(Model, Vec<EffectiveOverride>), ScenarioErrors> {
    let (model, effective) = load_overridden(dir, overrides);
    model.map(|model| (model, effective)).map_err(|e| {
        ScenarioErrors(
            e.0.into_iter()
                .map(|error| ScenarioError::InVariant {
                    variant: name.to_owned(),
                    error: Box::new(error),
                })
                .collect(),
        )
    })
}

/// Loads the scenario folder at `dir` with `overrides` applied, and the values they gave
/// their cells in the order the overrides were given, also when the model does not load: an
/// override missing from them found no cell, or its relative value did not apply.
pub(super) fn load_overridden(
    dir: &Path,
    overrides: &[CellOverride],
) -> (Result<Model, ScenarioErrors>, Vec<EffectiveOverride>) {
    let effective = RefCell::new(Vec::new());
    let model = load_from(&Source::with_overrides(dir, overrides, &effective));
    // Files are read in a fixed order; list the cells in the order overrides were given.
    let mut effective = effective.into_inner();
    effective.sort_by_key(|(line, _)| *line);
    (model, effective.into_iter().map(|(_, e)| e).collect())
}

/// Loads the variant `name` of the scenario folder at `dir` from overrides given in code,
/// checked as the rows of `variants.csv` are. A problem with an override is reported with
/// the file [`CODE_ORIGIN`] and the override's 1-based position as its line.
pub(crate) fn load_code_variant(
    dir: &Path,
    name: &str,
    overrides: &[Override],
) -> Result<(Model, Vec<EffectiveOverride>), ScenarioErrors> {
    let mut errors = ScenarioErrors(Vec::new());
    // As for a row of variants.csv, each override with a name that may not be a variant's.
    for line in 1..=overrides.len() as u64 {
        let at = Place {
            path: PathBuf::from(CODE_ORIGIN),
            line,
        };
        check_name(&at, name, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    load_on_variant(dir, name, &[], overrides, CODE_ORIGIN)
}

/// The rows of `variants.csv` in the scenario folder at `dir` that make the variant `name`,
/// checked as [`load_variants`] checks them: none for the baseline; `None` when the folder
/// has no variant of that name.
pub(crate) fn variant_rows(
    dir: &Path,
    name: &str,
) -> Result<Option<Vec<CellOverride>>, ScenarioErrors> {
    let mut errors = ScenarioErrors(Vec::new());
    let variants = read(dir, &mut errors);
    match variants {
        Some(variants) if errors.is_empty() => Ok(if name == BASELINE {
            Some(Vec::new())
        } else {
            variants
                .into_iter()
                .find(|(n, _)| n == name)
                .map(|(_, rows)| rows)
        }),
        _ => Err(errors),
    }
}

/// Loads the scenario folder at `dir` with a variant's `rows` (from [`variant_rows`]) and
/// then `extra`, overrides given in code and checked as the rows of `variants.csv` are: a
/// problem with one is reported at file `origin`, with its 1-based position in `extra` as the
/// line. `label` names the result in messages, as a variant's name does.
pub(crate) fn load_on_variant(
    dir: &Path,
    label: &str,
    rows: &[CellOverride],
    extra: &[Override],
    origin: &str,
) -> Result<(Model, Vec<EffectiveOverride>), ScenarioErrors> {
    let mut errors = ScenarioErrors(Vec::new());
    let mut cells: Vec<CellOverride> = rows.to_vec();
    for (i, o) in extra.iter().enumerate() {
        let at = Place {
            path: PathBuf::from(origin),
            line: i as u64 + 1,
        };
        if let Some(cell) = check_cell(&at, label, o, &cells, &mut errors) {
            cells.push(cell);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    load_variant(dir, label, &cells)
}

/// What an id (or a row key, with a larger `max`) of `text` lacks, if anything: the same
/// rule as for ids in the scenario's files.
fn id_problem(text: &str, max: usize) -> Option<String> {
    if text.is_empty() {
        Some("a non-empty id".to_owned())
    } else if text.chars().any(super::error::is_control) {
        Some(NO_CONTROL.to_owned())
    } else if text.chars().count() > max {
        let what = if max > MAX_ID_CHARS {
            "a row key"
        } else {
            "an id"
        };
        Some(format!("{what} of at most {max} characters"))
    } else {
        None
    }
}

/// Where an override was given: a line of `variants.csv` (or `decisions.csv`), or a
/// position in a list in code.
pub(super) struct Place {
    pub(super) path: PathBuf,
    pub(super) line: u64,
}

impl Place {
    pub(super) fn invalid(&self, column: &str, expected: String, found: &str) -> ScenarioError {
        ScenarioError::InvalidValue {
            path: self.path.clone(),
            line: self.line,
            column: column.to_owned(),
            expected,
            found: found.to_owned(),
        }
    }
}

/// Checks the cell `o` addresses, as far as can be without reading the file: `file` is a
/// scenario file a variant may override, `row` a row key and `column` an id. Records each
/// problem; whether there was none.
pub(super) fn check_address(at: &Place, o: &Override, errors: &mut ScenarioErrors) -> bool {
    if key_columns(&o.file).is_none() {
        let files = KEYS.iter().map(|(f, _)| *f).filter(|f| *f != FILE);
        errors.push(at.invalid("file", one_of_names(files), &o.file));
        return false;
    }
    let before = errors.count();
    // Ids are written into every output file and message: no control characters, bounded.
    // A row key joins up to four ids with `/`.
    for (column, text, max) in [
        ("row", &o.row, 4 * MAX_ID_CHARS + 3),
        ("column", &o.column, MAX_ID_CHARS),
    ] {
        if let Some(expected) = id_problem(text, max) {
            errors.push(at.invalid(column, expected, text));
        }
    }
    errors.count() == before
}

/// The problem with `o` if it sets a setting every variant shares with the baseline (see
/// [`shared_setting`]).
pub(super) fn shared_setting_problem(at: &Place, o: &Override) -> Option<ScenarioError> {
    if o.file != super::settings::FILE {
        return None;
    }
    shared_setting(&o.row).map(|reason| ScenarioError::Inconsistent {
        path: at.path.clone(),
        line: at.line,
        column: "row".to_owned(),
        message: reason.to_owned(),
    })
}

/// Whether `name` may name a variant; if not, records why.
fn check_name(at: &Place, name: &str, errors: &mut ScenarioErrors) -> bool {
    if let Some(expected) = id_problem(name, MAX_ID_CHARS) {
        errors.push(at.invalid("variant", expected, name));
        return false;
    }
    if name == BASELINE {
        errors.push(at.invalid(
            "variant",
            format!("a variant name other than '{BASELINE}', which names the scenario as written"),
            name,
        ));
        return false;
    }
    true
}

/// Checks the cell override `o` of the variant `name`, given after `earlier`: the
/// [`CellOverride`] to apply, or `None` having recorded why not.
fn check_cell(
    at: &Place,
    name: &str,
    o: &Override,
    earlier: &[CellOverride],
    errors: &mut ScenarioErrors,
) -> Option<CellOverride> {
    if !check_address(at, o, errors) {
        return None;
    }
    if let Some(Err(failure)) = Change::parse(&o.value) {
        errors
            .push(CellOverride::from_place(at, o, "value").relative_failure(failure, &o.file, ""));
        return None;
    }
    if let Some(problem) = shared_setting_problem(at, o) {
        errors.push(problem);
        return None;
    }
    if let Some(first) = earlier
        .iter()
        .find(|e| e.file == o.file && e.row == o.row && e.column == o.column)
    {
        errors.push(ScenarioError::DuplicateEntry {
            path: at.path.clone(),
            line: at.line,
            entry: format!(
                "variant '{name}' setting {} row '{}' column '{}'",
                o.file, o.row, o.column
            ),
            first_line: first.line,
        });
        return None;
    }
    Some(CellOverride::from_place(at, o, "value"))
}

impl CellOverride {
    /// The override `o` given at `at`, whose value is in the column `value_column` there.
    pub(super) fn from_place(at: &Place, o: &Override, value_column: &'static str) -> CellOverride {
        CellOverride {
            file: o.file.clone(),
            row: o.row.clone(),
            column: o.column.clone(),
            value: o.value.clone(),
            origin: at.path.clone(),
            line: at.line,
            value_column,
        }
    }
}

/// Reads `variants.csv` into each variant's overrides, in order of first appearance.
fn read(dir: &Path, errors: &mut ScenarioErrors) -> Option<Vec<(String, Vec<CellOverride>)>> {
    let table = Table::read(dir, dir.join(FILE), &COLUMNS, Presence::Optional, errors)?;
    let before = errors.count();
    let mut variants: Vec<(String, Vec<CellOverride>)> = Vec::new();
    for row in table.rows() {
        let at = Place {
            path: table.path().to_path_buf(),
            line: row.line(),
        };
        let name = row.field("variant").text();
        let o = Override::new(
            row.field("file").text(),
            row.field("row").text(),
            row.field("column").text(),
            row.field("value").text(),
        );
        let earlier = variants
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[][..], |(_, overrides)| overrides.as_slice());
        if !check_name(&at, name, errors) {
            continue;
        }
        let Some(cell) = check_cell(&at, name, &o, earlier, errors) else {
            continue;
        };
        match variants.iter_mut().find(|(n, _)| n == name) {
            Some((_, overrides)) => overrides.push(cell),
            None => variants.push((name.to_owned(), vec![cell])),
        }
    }
    (errors.count() == before).then_some(variants)
}
