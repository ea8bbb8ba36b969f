//! `los.csv`: the length-of-stay distribution of each class at each service, and the
//! observation files of empirical ones.
//!
//! The distribution columns (`distribution`, its parameters, and the truncation and rounding
//! columns) are read by [`distribution`], which `discharge.csv` uses too for the duration of
//! needs assessments, and `package_hours.csv` for the hours of care a week.

use super::arrivals::{A_CLASS, A_SERVICE};
use super::ids::Ids;
use super::source::Source;
use super::table::{ABOVE_0, AT_LEAST_0, Column, Presence, Row, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors};
use crate::{DistributionError, LengthOfStay, Rounding};
use std::collections::HashMap;

pub(crate) const FILE: &str = "los.csv";

/// The parameter columns, in the order the format reference lists them.
const PARAMETERS: [&str; 10] = [
    "mean", "sd", "median", "shape", "scale", "min", "mode", "max", "value", "file",
];
/// The columns that [`distribution`] reads: the family, its parameters, and the truncation and
/// rounding that apply to any family.
pub(crate) const DISTRIBUTION_COLUMNS: [Column; 14] = [
    Column::required("distribution"),
    Column::optional("mean"),
    Column::optional("sd"),
    Column::optional("median"),
    Column::optional("shape"),
    Column::optional("scale"),
    Column::optional("min"),
    Column::optional("mode"),
    Column::optional("max"),
    Column::optional("value"),
    Column::optional("file"),
    Column::optional("truncate_min"),
    Column::optional("truncate_max"),
    Column::optional("round"),
];
/// The values of the `round` column.
const ROUNDINGS: [(&str, Rounding); 3] = [
    ("none", Rounding::None),
    ("nearest", Rounding::Nearest),
    ("up", Rounding::Up),
];
/// The columns of `los.csv` that identify a row; the distribution columns follow.
const KEY_COLUMNS: [Column; 2] = [Column::required("class"), Column::required("service")];
/// The one column of an empirical distribution's observation file.
const OBSERVATION_COLUMNS: [Column; 1] = [Column::required("days")];

/// A distribution family as named in `los.csv` (and, for the lognormal, which parameters
/// give it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Exponential,
    LogNormal,
    /// The lognormal given by its median and mean: `distribution` `lognormal` with `median`.
    LogNormalMedian,
    Gamma,
    Weibull,
    Triangular,
    Uniform,
    Fixed,
    Empirical,
}

const FAMILIES: [(&str, Family); 8] = [
    ("exponential", Family::Exponential),
    ("lognormal", Family::LogNormal),
    ("gamma", Family::Gamma),
    ("weibull", Family::Weibull),
    ("triangular", Family::Triangular),
    ("uniform", Family::Uniform),
    ("fixed", Family::Fixed),
    ("empirical", Family::Empirical),
];

impl Family {
    fn name(self) -> &'static str {
        if self == Family::LogNormalMedian {
            return "lognormal given by its median";
        }
        FAMILIES
            .iter()
            .find(|(_, f)| *f == self)
            .expect("every family is listed in FAMILIES")
            .0
    }

    /// The parameter columns this family reads, in the order of [`PARAMETERS`].
    fn parameters(self) -> &'static [&'static str] {
        match self {
            Family::Exponential => &["mean"],
            Family::LogNormal | Family::Gamma => &["mean", "sd"],
            Family::LogNormalMedian => &["mean", "median"],
            Family::Weibull => &["shape", "scale"],
            Family::Triangular => &["min", "mode", "max"],
            Family::Uniform => &["min", "max"],
            Family::Fixed => &["value"],
            Family::Empirical => &["file"],
        }
    }
}

/// What a parameter column must hold.
fn expected(parameter: &str) -> &'static str {
    match parameter {
        "mean" | "sd" | "median" | "shape" | "scale" => ABOVE_0,
        "file" => "a CSV file of observed stays, relative to the scenario folder",
        _ => AT_LEAST_0,
    }
}

/// `key_columns` followed by the [distribution columns](DISTRIBUTION_COLUMNS): the columns
/// of a file whose rows each give a distribution.
pub(crate) fn with_distribution_columns(key_columns: &[Column]) -> Vec<Column> {
    key_columns
        .iter()
        .chain(&DISTRIBUTION_COLUMNS)
        .copied()
        .collect()
}

/// The observation files of empirical distributions read so far, each read once per
/// scenario (whichever file names it): its observations, or `None` if it had a problem,
/// which was recorded when it was read.
#[derive(Debug, Default)]
pub(crate) struct Observations {
    files: HashMap<String, Option<Vec<f64>>>,
}

/// The lengths of stay, indexed `class * services + service` as in [`Model`](crate::Model).
#[derive(Debug)]
pub(crate) struct Stays {
    /// The line of the row for each cell that `los.csv` gives, valid or not.
    pub(crate) given: Vec<Option<u64>>,
    /// The distribution of each cell whose row is valid.
    pub(crate) cells: Vec<Option<LengthOfStay>>,
    /// Whether every row could be read: if not, a cell not in `given` may be on a malformed
    /// row.
    pub(crate) complete: bool,
}

/// Reads `los.csv` and the observation files it names. `None` if the file as a whole cannot be
/// used, or if the classes or services are unknown (their files could not be read).
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<&Ids>,
    observations: &mut Observations,
    errors: &mut ScenarioErrors,
) -> Option<Stays> {
    let columns = with_distribution_columns(&KEY_COLUMNS);
    let table = Table::read_in(source, FILE, &columns, Presence::Required, errors)?;
    let n_services = services.map_or(0, Ids::len);
    let n_cells = classes.map_or(0, Ids::len) * n_services;
    let mut stays = Stays {
        given: vec![None; n_cells],
        cells: vec![None; n_cells],
        complete: table.is_complete(),
    };

    for row in table.rows() {
        let class_field = row.field("class");
        let service_field = row.field("service");
        let class = classes.and_then(|ids| ids.resolve(class_field, A_CLASS, errors));
        let service = services.and_then(|ids| ids.resolve(service_field, A_SERVICE, errors));
        let cell = match (class, service) {
            (Some(class), Some(service)) => {
                let cell = class as usize * n_services + service as usize;
                if let Some(first_line) = stays.given[cell] {
                    errors.push(service_field.duplicate_entry(
                        format!(
                            "class '{}' at service '{}'",
                            class_field.text(),
                            service_field.text()
                        ),
                        first_line,
                    ));
                    None
                } else {
                    stays.given[cell] = Some(row.line());
                    Some(cell)
                }
            }
            _ => None,
        };
        let los = distribution(source, row, observations, errors);
        if let (Some(cell), Some(los)) = (cell, los) {
            stays.cells[cell] = Some(los);
        }
    }
    (classes.is_some() && services.is_some()).then_some(stays)
}

/// Builds the distribution that `row` gives in its [distribution
/// columns](DISTRIBUTION_COLUMNS), recording every problem with them (each on its cell, or in
/// the observation file of an empirical distribution).
pub(crate) fn distribution(
    source: &Source<'_>,
    row: Row<'_>,
    observations: &mut Observations,
    errors: &mut ScenarioErrors,
) -> Option<LengthOfStay> {
    let expected_family = one_of_names(FAMILIES.iter().map(|f| f.0));
    let family = errors.keep(
        row.field("distribution")
            .one_of(&FAMILIES, &expected_family),
    );
    let limits = limits(row, errors);
    let family = match family? {
        Family::LogNormal if !row.field("median").is_empty() => Family::LogNormalMedian,
        family => family,
    };
    let los = length_of_stay(source, row, family, &mut observations.files, errors)?;
    let (rounding, min, max) = limits?;
    if rounding == Rounding::None && min == 0.0 && max == f64::INFINITY {
        return Some(los);
    }
    los.limited(rounding, min, max)
        .map_err(|e| errors.push(limits_error(row, e)))
        .ok()
}

/// The truncation and rounding columns: `(rounding, min, max)`, `min` 0 and `max` infinite
/// where empty. `None` if one is invalid, which is recorded.
fn limits(row: Row<'_>, errors: &mut ScenarioErrors) -> Option<(Rounding, f64, f64)> {
    let bound = |column: &'static str, default: f64, errors: &mut ScenarioErrors| {
        let field = row.field(column);
        if field.is_empty() {
            Some(default)
        } else {
            errors.keep(field.non_negative())
        }
    };
    let min = bound("truncate_min", 0.0, errors);
    let max = bound("truncate_max", f64::INFINITY, errors);
    let round = row.field("round");
    let rounding = if round.is_empty() {
        Some(Rounding::None)
    } else {
        errors.keep(round.one_of(&ROUNDINGS, &one_of_names(ROUNDINGS.iter().map(|r| r.0))))
    };
    let (min, max, rounding) = (min?, max?, rounding?);
    if min > max {
        errors.push(row.field("truncate_max").invalid(format!(
            "a number of at least truncate_min ({})",
            super::error::number(min)
        )));
        return None;
    }
    Some((rounding, min, max))
}

/// Puts a refusal of the truncation range on its columns.
fn limits_error(row: Row<'_>, e: DistributionError) -> ScenarioError {
    let column = if row.field("truncate_max").is_empty() {
        "truncate_min"
    } else {
        "truncate_max"
    };
    match e {
        DistributionError::NegligibleRange {
            probability: 0.0, ..
        } => {
            row.field(column).inconsistent(
                "no stay lies in the range truncate_min to truncate_max (after rounding)",
            )
        }
        DistributionError::NegligibleRange { probability, .. } => {
            row.field(column).inconsistent(format!(
                "a stay lies in the range truncate_min to truncate_max (after rounding) with probability {probability:.3e}, below the 10^-6 careflow accepts: the range and the distribution contradict each other"
            ))
        }
        e => row.field(column).inconsistent(e.to_string()),
    }
}

/// Builds the distribution of one row of `family`, recording every problem with its
/// parameters.
fn length_of_stay(
    source: &Source<'_>,
    row: Row<'_>,
    family: Family,
    observation_files: &mut HashMap<String, Option<Vec<f64>>>,
    errors: &mut ScenarioErrors,
) -> Option<LengthOfStay> {
    let used = family.parameters();
    let mut complete = true;
    let mut values = Vec::with_capacity(used.len());
    for parameter in PARAMETERS {
        let field = row.field(parameter);
        let uses = used.contains(&parameter);
        if !uses {
            if !field.is_empty() {
                errors.push(
                    field.inconsistent(format!("{} does not use '{parameter}'", family.name())),
                );
                complete = false;
            }
        } else if field.is_empty() {
            let instead = if family == Family::LogNormal && parameter == "sd" {
                ", or 'median' in its place"
            } else {
                ""
            };
            errors.push(field.invalid(format!(
                "{} ({} needs '{parameter}'{instead})",
                expected(parameter),
                family.name()
            )));
            complete = false;
        } else if parameter != "file" {
            match field.text().parse::<f64>() {
                Ok(x) => values.push(x),
                Err(_) => {
                    errors.push(field.invalid(expected(parameter)));
                    complete = false;
                }
            }
        }
    }
    let observations = if family == Family::Empirical && !row.field("file").is_empty() {
        let observations = observations(source, row, observation_files, errors);
        complete &= observations.is_some();
        observations
    } else {
        None
    };
    if !complete {
        return None;
    }
    let built = match (family, values.as_slice()) {
        (Family::Exponential, &[mean]) => LengthOfStay::exponential(mean),
        (Family::LogNormal, &[mean, sd]) => LengthOfStay::lognormal(mean, sd),
        (Family::LogNormalMedian, &[mean, median]) => LengthOfStay::lognormal_median(median, mean),
        (Family::Gamma, &[mean, sd]) => LengthOfStay::gamma(mean, sd),
        (Family::Weibull, &[shape, scale]) => LengthOfStay::weibull(shape, scale),
        (Family::Triangular, &[min, mode, max]) => LengthOfStay::triangular(min, mode, max),
        (Family::Uniform, &[min, max]) => LengthOfStay::uniform(min, max),
        (Family::Fixed, &[value]) => LengthOfStay::fixed(value),
        (Family::Empirical, &[]) => LengthOfStay::empirical(
            observations.expect("a complete empirical row has its observations"),
        ),
        _ => unreachable!("a complete row has one value for each number its family uses"),
    };
    built
        .map_err(|e| errors.push(distribution_error(row, family, e)))
        .ok()
}

/// Puts a constructor's refusal on the column it concerns.
fn distribution_error(row: Row<'_>, family: Family, e: DistributionError) -> ScenarioError {
    let column = |name: &str| {
        PARAMETERS
            .into_iter()
            .find(|&p| p == name)
            // Only an observation (already checked when read) is named otherwise.
            .unwrap_or("file")
    };
    match e {
        DistributionError::NotPositive { name, .. } => row.field(column(name)).invalid(ABOVE_0),
        DistributionError::Negative { name, .. } => row.field(column(name)).invalid(AT_LEAST_0),
        DistributionError::BoundsOutOfOrder { min, max, .. }
            if family == Family::Uniform || min >= max =>
        {
            row.field("max").invalid(format!(
                "a number greater than min ({})",
                super::error::number(min)
            ))
        }
        DistributionError::BoundsOutOfOrder { min, max, .. } => row.field("mode").invalid(format!(
            "a number from min ({}) to max ({})",
            super::error::number(min),
            super::error::number(max)
        )),
        DistributionError::MedianNotBelowMean { mean, .. } => row.field("median").invalid(format!(
            "a number less than mean ({}): a lognormal's median is below its mean",
            super::error::number(mean)
        )),
        e @ (DistributionError::RangeOutOfOrder { .. }
        | DistributionError::NegligibleRange { .. }
        | DistributionError::ElapsedTooLong { .. }) => {
            row.field("distribution").inconsistent(e.to_string())
        }
        DistributionError::Empty => row.field("file").inconsistent(format!(
            "'{}' has no observations",
            row.field("file").text()
        )),
        DistributionError::OutOfRange {
            name,
            quantity,
            exponent,
            limit,
            ..
        } => row.field(column(name)).invalid(format!(
            "a value giving a {quantity} from 10^-{limit} to 10^{limit} (this one gives about \
             10^{exponent:.0})"
        )),
        DistributionError::TooLarge {
            name,
            moment,
            amount,
            ..
        } => row.field(column(name)).invalid(format!(
            "a value giving a {moment} of at most 10^9 (this one gives {})",
            if amount.is_finite() {
                format!("{amount:.3e}")
            } else {
                "more than 10^308".to_owned()
            }
        )),
    }
}

/// The observations in the file that `row`'s `file` column names (read once per file): one
/// stay in days per row, in column `days`. `None` if the file has a problem, which is recorded:
/// in that file, or on `row` if it has no observations.
fn observations(
    source: &Source<'_>,
    row: Row<'_>,
    observation_files: &mut HashMap<String, Option<Vec<f64>>>,
    errors: &mut ScenarioErrors,
) -> Option<Vec<f64>> {
    let file = row.field("file");
    // The name is quoted in messages and joined to the folder: no control characters, and
    // no length the file system would refuse anyway (names of at most 255 bytes are usual).
    if file.text().chars().any(super::error::is_control) || file.text().len() > 255 {
        errors.push(file.invalid("a file name of at most 255 bytes without control characters"));
        return None;
    }
    // Observation files belong to the scenario: no absolute paths, no way out with `..`, and
    // (checked when it is read) no symbolic link out of the folder.
    let path = std::path::Path::new(file.text());
    if path.is_absolute()
        || path.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
    {
        errors.push(file.invalid("a path inside the scenario folder, relative to it"));
        return None;
    }
    if let Some(observations) = observation_files.get(file.text()) {
        return observations.clone();
    }
    let observations = Table::read(
        source.dir(),
        source.dir().join(file.text()),
        &OBSERVATION_COLUMNS,
        Presence::Required,
        errors,
    )
    .and_then(|table| {
        let mut observations = Vec::new();
        let mut valid = true;
        for row in table.rows() {
            match errors.keep(row.field("days").non_negative()) {
                Some(x) => observations.push(x),
                None => valid = false,
            }
        }
        if valid && observations.is_empty() {
            errors.push(file.inconsistent(format!("'{}' has no observations", file.text())));
        }
        (valid && !observations.is_empty()).then_some(observations)
    });
    observation_files.insert(file.text().to_owned(), observations.clone());
    observations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_lists_the_parameters_its_constructor_takes() {
        for (name, family) in FAMILIES {
            assert_eq!(family.name(), name);
            assert!(family.parameters().iter().all(|p| PARAMETERS.contains(p)));
        }
    }
}
