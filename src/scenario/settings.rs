//! `settings.csv`: the run settings, one `key,value` row each.

use super::source::Source;
use super::table::{Column, Field, Presence, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors};
use crate::Settings;
use chrono::NaiveDate;

pub(crate) const FILE: &str = "settings.csv";
const COLUMNS: [Column; 2] = [Column::required("key"), Column::required("value")];

/// The keys, in the order the format reference lists them.
const KEYS: [&str; 8] = [
    "start_date",
    "horizon_days",
    "warmup_days",
    "observe_financial_years",
    "seed",
    "replications",
    "wait_threshold_hours",
    "daily_series",
];
/// Required keys; `horizon_days` may instead come from `observe_financial_years`.
const REQUIRED: [&str; 1] = ["start_date"];

/// What a value of `observe_financial_years` looks like, for messages.
const FINANCIAL_YEARS: &str =
    "a financial year as YYYY-YY (e.g. 2028-29) or a range FIRST..LAST (e.g. 2028-29..2029-30)";

/// The first calendar year of a financial year written `YYYY-YY` (`2028-29` → 2028): the two
/// digits after the dash are the next year's last two.
fn financial_year(text: &str) -> Option<i32> {
    let (first, second) = text.split_once('-')?;
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(first, 4) || !digits(second, 2) {
        return None;
    }
    let year: i32 = first.parse().ok()?;
    let next: i32 = second.parse().ok()?;
    (next == (year + 1) % 100).then_some(year)
}

/// The observation window `observe_financial_years` asks for, as (warm-up, horizon) days
/// after `start`: from 1 April of the first financial year to 1 April after the last.
fn observed_financial_years(
    value: &Field<'_>,
    start: NaiveDate,
) -> Result<(f64, f64), ScenarioError> {
    let text = value.text();
    let (first, last) = match text.split_once("..") {
        Some((a, b)) => (a, b),
        None => (text, text),
    };
    let (Some(first), Some(last)) = (financial_year(first), financial_year(last)) else {
        return Err(value.invalid(FINANCIAL_YEARS));
    };
    if last < first {
        return Err(value.inconsistent(format!(
            "the range runs backwards: {} comes before {}",
            fy_label(last),
            fy_label(first)
        )));
    }
    let april = |year: i32| NaiveDate::from_ymd_opt(year, 4, 1);
    let (Some(from), Some(to)) = (april(first), april(last + 1)) else {
        return Err(value.invalid(FINANCIAL_YEARS));
    };
    if from < start {
        return Err(value.inconsistent(format!(
            "financial year {} starts on {from}, before start_date {start}: observation cannot start before the run",
            fy_label(first)
        )));
    }
    let (warmup, horizon) = (
        (from - start).num_days() as f64,
        (to - start).num_days() as f64,
    );
    if horizon > MAX_HORIZON_DAYS {
        return Err(value.inconsistent(format!(
            "observing to {to} needs a horizon of {horizon} days from start_date {start}, above the longest run, 365250 days (a thousand years)"
        )));
    }
    Ok((warmup, horizon))
}

/// A financial year's label from its first calendar year: 2028 → `2028-29`.
fn fy_label(year: i32) -> String {
    format!("{year}-{:02}", (year + 1) % 100)
}

/// The longest run careflow accepts: a thousand years. Days are numbered with 32 bits and the
/// daily series keeps a row per service per day, so absurd horizons are refused up front.
pub(crate) const MAX_HORIZON_DAYS: f64 = 365_250.0;

/// Reads `settings.csv`; `None` if a required key is missing or any value is invalid.
pub(crate) fn read(source: &Source<'_>, errors: &mut ScenarioErrors) -> Option<Settings> {
    let table = Table::read_in(source, FILE, &COLUMNS, Presence::Required, errors)?;
    let before = errors.count();

    // The value cell given for each key, by position in KEYS.
    let mut given: [Option<Field<'_>>; KEYS.len()] = [None; KEYS.len()];
    for row in table.rows() {
        let key = row.field("key");
        let Some(k) = KEYS.iter().position(|&k| k == key.text()) else {
            errors.push(key.invalid(one_of_names(KEYS)));
            continue;
        };
        match given[k] {
            Some(first) => errors.push(ScenarioError::DuplicateId {
                path: table.path().to_path_buf(),
                line: row.line(),
                column: "key".into(),
                id: KEYS[k].into(),
                first_line: first.line(),
            }),
            None => given[k] = Some(row.field("value")),
        }
    }
    let value = |key: &str| {
        let k = KEYS
            .iter()
            .position(|&k| k == key)
            .expect("settings are looked up by the keys in KEYS");
        given[k]
    };

    for key in REQUIRED {
        if value(key).is_none() {
            errors.push(ScenarioError::Inconsistent {
                path: table.path().to_path_buf(),
                line: 1,
                column: "key".into(),
                message: format!("missing required key '{key}'"),
            });
        }
    }
    let observe = value("observe_financial_years");
    if observe.is_none() && value("horizon_days").is_none() {
        errors.push(ScenarioError::Inconsistent {
            path: table.path().to_path_buf(),
            line: 1,
            column: "key".into(),
            message: "missing required key 'horizon_days' (or 'observe_financial_years')".into(),
        });
    }
    let start_date = value("start_date").and_then(|v| errors.keep(v.date()));
    // The window the financial years ask for, if they do (and can be read).
    let observed = match (observe, start_date) {
        (Some(v), Some(start)) => errors.keep(observed_financial_years(&v, start)),
        _ => None,
    };
    let mut horizon_days = value("horizon_days").and_then(|v| {
        errors.keep(v.number(
            "a number of days greater than 0 and at most 365250 (a thousand years)",
            |h| h > 0.0 && h <= MAX_HORIZON_DAYS,
        ))
    });
    let mut warmup_days = match value("warmup_days") {
        None => Some(0.0),
        Some(v) => errors.keep(match horizon_days.or(observed.map(|o| o.1)) {
            Some(h) => v.number(
                &format!(
                    "a number of at least 0 and less than horizon_days ({})",
                    super::error::number(h)
                ),
                |w| (0.0..h).contains(&w),
            ),
            None => v.non_negative(),
        }),
    };
    if let (Some(years), Some((warmup, horizon))) = (observe, observed) {
        // The financial years set the window; days given as well must say the same.
        for (key, given, implied) in [
            ("horizon_days", &mut horizon_days, horizon),
            ("warmup_days", &mut warmup_days, warmup),
        ] {
            match value(key) {
                Some(v) if *given != Some(implied) => {
                    if given.is_some() {
                        errors.push(v.inconsistent(format!(
                            "{key} {} contradicts observe_financial_years {} (line {}), which sets it to {implied}; give one or the other",
                            v.text(),
                            years.text(),
                            years.line()
                        )));
                    }
                }
                _ => *given = Some(implied),
            }
        }
    } else if observe.is_some() {
        // Unreadable financial years: the window is unknown, and so are the settings.
        horizon_days = None;
    }
    let seed = match value("seed") {
        None => Some(1),
        Some(v) => errors.keep(
            v.text()
                .parse::<u64>()
                .map_err(|_| v.invalid(format!("an integer from 0 to {}", u64::MAX))),
        ),
    };
    let replications = match value("replications") {
        None => Some(10),
        Some(v) => errors.keep(
            v.text()
                .parse::<u32>()
                .ok()
                .filter(|&r| r >= 1)
                .ok_or_else(|| v.invalid("an integer of at least 1")),
        ),
    };
    let wait_threshold_hours = match value("wait_threshold_hours") {
        None => Some(4.0),
        Some(v) => errors.keep(v.positive()),
    };
    let daily_series = match value("daily_series") {
        None => Some(true),
        Some(v) => errors.keep(v.one_of(&[("true", true), ("false", false)], "true or false")),
    };
    errors.sort_by_line_from(before);

    Some(Settings {
        start_date: start_date?,
        horizon_days: horizon_days?,
        warmup_days: warmup_days?,
        seed: seed?,
        replications: replications?,
        wait_threshold_hours: wait_threshold_hours?,
        daily_series: daily_series?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(contents: &str) -> Result<Settings, String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), contents).unwrap();
        let mut errors = ScenarioErrors(Vec::new());
        let settings = read(&Source::folder(dir.path()), &mut errors);
        let prefix = dir.path().join(FILE).display().to_string();
        match settings {
            Some(s) if errors.is_empty() => Ok(s),
            _ => Err(errors.to_string().replace(&prefix, FILE)),
        }
    }

    #[test]
    fn defaults_fill_optional_keys() {
        let s = settings("key,value\nhorizon_days,30\nstart_date,2026-01-05\n").unwrap();
        assert_eq!(s.start_date.to_string(), "2026-01-05");
        assert_eq!(
            (s.horizon_days, s.warmup_days, s.seed, s.replications),
            (30.0, 0.0, 1, 10)
        );
        assert_eq!((s.wait_threshold_hours, s.daily_series), (4.0, true));
    }

    #[test]
    fn every_bad_value_is_reported() {
        let err = settings(
            "key,value\nstart_date,2026-02-30\nhorizon_days,0\nseed,-1\nreplications,0\n\
             daily_series,yes\nwait_threshold_hours,inf\nhorizon,3\nseed,2\n",
        )
        .unwrap_err();
        assert_eq!(
            err,
            "settings.csv:2: column 'value': expected a date as YYYY-MM-DD, found \"2026-02-30\"\n\
             settings.csv:3: column 'value': expected a number of days greater than 0 and at most 365250 (a thousand years), found \"0\"\n\
             settings.csv:4: column 'value': expected an integer from 0 to 18446744073709551615, found \"-1\"\n\
             settings.csv:5: column 'value': expected an integer of at least 1, found \"0\"\n\
             settings.csv:6: column 'value': expected true or false, found \"yes\"\n\
             settings.csv:7: column 'value': expected a number greater than 0, found \"inf\"\n\
             settings.csv:8: column 'key': expected one of start_date, horizon_days, warmup_days, observe_financial_years, seed, replications, wait_threshold_hours or daily_series, found \"horizon\"\n\
             settings.csv:9: column 'key': duplicate id \"seed\" (first defined on line 4)"
        );
    }

    #[test]
    fn missing_required_keys_are_named() {
        assert_eq!(
            settings("key,value\nseed,3\n").unwrap_err(),
            "settings.csv:1: column 'key': missing required key 'start_date'\n\
             settings.csv:1: column 'key': missing required key 'horizon_days' (or 'observe_financial_years')"
        );
    }
}
