//! `variants.csv`: named policy variants, each a set of cell overrides of the baseline files.

use super::source::{KEYS, Override, Source, key_columns};
use super::table::{Column, Presence, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors, load_from};
use crate::Model;
use std::path::Path;

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

/// Loads the baseline and every variant of the scenario folder at `dir`: `("baseline", model)`
/// first, then the variants in order of first appearance in `variants.csv` (optional).
///
/// A problem in the baseline is reported as for [`Model::load`]; problems a variant's overrides
/// cause are reported for each variant, prefixed with its name.
pub(crate) fn load_variants(dir: &Path) -> Result<Vec<(String, Model)>, ScenarioErrors> {
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
    let mut models = vec![(BASELINE.to_owned(), baseline)];
    for (name, overrides) in variants {
        match load_from(&Source::with_overrides(dir, &overrides)) {
            Ok(model) => models.push((name, model)),
            Err(e) => errors
                .0
                .extend(e.0.into_iter().map(|error| ScenarioError::InVariant {
                    variant: name.clone(),
                    error: Box::new(error),
                })),
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

/// Reads `variants.csv` into each variant's overrides, in order of first appearance.
fn read(dir: &Path, errors: &mut ScenarioErrors) -> Option<Vec<(String, Vec<Override>)>> {
    let table = Table::read(dir, dir.join(FILE), &COLUMNS, Presence::Optional, errors)?;
    let before = errors.count();
    let mut variants: Vec<(String, Vec<Override>)> = Vec::new();
    let files: Vec<&str> = KEYS
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| *f != FILE)
        .collect();
    for row in table.rows() {
        let variant = row.field("variant");
        let file = row.field("file");
        let row_key = row.field("row");
        let column = row.field("column");
        let Some(name) = errors.keep(variant.id()) else {
            continue;
        };
        if name == BASELINE {
            errors.push(variant.invalid(format!(
                "a variant name other than '{BASELINE}', which names the scenario as written"
            )));
            continue;
        }
        if key_columns(file.text()).is_none() {
            errors.push(file.invalid(one_of_names(files.iter().copied())));
            continue;
        }
        let (Some(_), Some(_)) = (errors.keep(row_key.key()), errors.keep(column.id())) else {
            continue;
        };
        if file.text() == super::settings::FILE
            && let Some(reason) = shared_setting(row_key.text())
        {
            errors.push(row_key.inconsistent(reason));
            continue;
        }
        let overrides = match variants.iter_mut().find(|(n, _)| n == name) {
            Some((_, overrides)) => overrides,
            None => {
                variants.push((name.to_owned(), Vec::new()));
                &mut variants.last_mut().expect("just pushed").1
            }
        };
        if let Some(first) = overrides
            .iter()
            .find(|o| o.file == file.text() && o.row == row_key.text() && o.column == column.text())
        {
            errors.push(variant.duplicate_entry(
                format!(
                    "variant '{name}' setting {} row '{}' column '{}'",
                    file.text(),
                    row_key.text(),
                    column.text()
                ),
                first.line,
            ));
            continue;
        }
        overrides.push(Override {
            file: file.text().to_owned(),
            row: row_key.text().to_owned(),
            column: column.text().to_owned(),
            value: row.field("value").text().to_owned(),
            origin: table.path().to_path_buf(),
            line: row.line(),
        });
    }
    (errors.count() == before).then_some(variants)
}
