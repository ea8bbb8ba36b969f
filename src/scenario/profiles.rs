//! `profile_hours.csv`, `profile_weekdays.csv` and `profile_periods.csv`: time profiles that
//! multiply arrival rates.

use super::ids::{Defined, Ids};
use super::source::Source;
use super::table::{Column, Field, Presence, Table, one_of_names};
use super::{ScenarioError, ScenarioErrors};
use crate::{Period, Profile, Settings};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

pub(crate) const HOURS_FILE: &str = "profile_hours.csv";
pub(crate) const WEEKDAYS_FILE: &str = "profile_weekdays.csv";
pub(crate) const PERIODS_FILE: &str = "profile_periods.csv";

const HOURS_COLUMNS: [Column; 3] = [
    Column::required("profile"),
    Column::required("hour"),
    Column::required("multiplier"),
];
const WEEKDAYS_COLUMNS: [Column; 3] = [
    Column::required("profile"),
    Column::required("weekday"),
    Column::required("multiplier"),
];
const PERIODS_COLUMNS: [Column; 4] = [
    Column::required("profile"),
    Column::required("from"),
    Column::required("to"),
    Column::required("multiplier"),
];

/// Day-of-week names, Monday first (Monday = 0, as in [`Profile`]).
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// What the three profile files say about one profile.
#[derive(Debug)]
struct Draft {
    hour: Option<[f64; 24]>,
    weekday: Option<[f64; 7]>,
    /// Dated periods, each with its line, in file order.
    periods: Vec<DatedPeriod>,
    /// Whether every row about the profile was valid.
    valid: bool,
}

#[derive(Debug, Clone, Copy)]
struct DatedPeriod {
    line: u64,
    from: NaiveDate,
    to: NaiveDate,
    multiplier: f64,
}

/// The profiles named so far, numbered in order of first appearance.
#[derive(Debug)]
struct Drafts {
    ids: Ids,
    drafts: Vec<Draft>,
}

impl Drafts {
    /// The number of the profile that `field` names, defining it if new.
    fn profile(&mut self, field: Field<'_>) -> Result<u32, ScenarioError> {
        let name = field.id().inspect_err(|_| self.ids.mark_incomplete())?;
        let i = self.ids.intern(name, field.line());
        if i as usize == self.drafts.len() {
            self.drafts.push(Draft {
                hour: None,
                weekday: None,
                periods: Vec::new(),
                valid: true,
            });
        }
        Ok(i)
    }
}

/// Reads the three profile files (each optional) and builds every profile they name, using
/// the start date in `settings` to anchor weekdays and dated periods.
///
/// `None` if one of the files cannot be used, so that references to profiles are not checked
/// against a partial list.
pub(crate) fn read(
    source: &Source<'_>,
    settings: Option<&Settings>,
    errors: &mut ScenarioErrors,
) -> Option<Defined<Profile>> {
    let mut drafts = Drafts {
        ids: Ids::new(true),
        drafts: Vec::new(),
    };

    let before = errors.count();
    let hours = Table::read_in(
        source,
        HOURS_FILE,
        &HOURS_COLUMNS,
        Presence::Optional,
        errors,
    );
    if let Some(table) = &hours {
        let parse_hour = |field: Field<'_>| {
            field
                .text()
                .parse::<usize>()
                .ok()
                .filter(|&h| h < 24)
                .ok_or_else(|| field.invalid("an hour of the day from 0 to 23"))
        };
        let arrays = read_slots::<24>(
            table,
            "hour",
            parse_hour,
            |h| h.to_string(),
            "each hour from 0 to 23",
            &mut drafts,
            errors,
        );
        for (i, hour) in arrays {
            drafts.drafts[i as usize].hour = Some(hour);
        }
    }
    errors.sort_by_line_from(before);

    let before = errors.count();
    let weekdays = Table::read_in(
        source,
        WEEKDAYS_FILE,
        &WEEKDAYS_COLUMNS,
        Presence::Optional,
        errors,
    );
    if let Some(table) = &weekdays {
        let expected = one_of_names(WEEKDAYS);
        let parse_weekday = |field: Field<'_>| {
            WEEKDAYS
                .iter()
                .position(|&d| d == field.text())
                .ok_or_else(|| field.invalid(expected.as_str()))
        };
        let arrays = read_slots::<7>(
            table,
            "weekday",
            parse_weekday,
            |d| WEEKDAYS[d].to_owned(),
            "each day of the week",
            &mut drafts,
            errors,
        );
        for (i, weekday) in arrays {
            drafts.drafts[i as usize].weekday = Some(weekday);
        }
    }
    errors.sort_by_line_from(before);

    let before = errors.count();
    let periods = Table::read_in(
        source,
        PERIODS_FILE,
        &PERIODS_COLUMNS,
        Presence::Optional,
        errors,
    );
    if let Some(table) = &periods {
        read_periods(table, &mut drafts, errors);
    }
    errors.sort_by_line_from(before);

    let tables = [&hours, &weekdays, &periods];
    if tables.iter().any(|t| t.is_none()) {
        return None;
    }
    if !tables
        .iter()
        .all(|t| t.as_ref().is_some_and(Table::is_complete))
    {
        drafts.ids.mark_incomplete();
    }
    let start_date = settings.map(|s| s.start_date);
    let items = drafts
        .drafts
        .iter()
        .enumerate()
        .map(|(i, draft)| {
            let start_date = start_date.filter(|_| draft.valid)?;
            let name = drafts.ids.name(i as u32).to_owned();
            let mut profile = Profile::flat(name, start_date.weekday().num_days_from_monday());
            if let Some(hour) = draft.hour {
                profile.hour = hour;
            }
            if let Some(weekday) = draft.weekday {
                profile.weekday = weekday;
            }
            let day = |date: NaiveDate| (date - start_date).num_days() as f64;
            profile.periods = draft
                .periods
                .iter()
                .map(|p| Period {
                    start: day(p.from),
                    end: day(p.to) + 1.0,
                    multiplier: p.multiplier,
                })
                .collect();
            profile.periods.sort_by(|a, b| a.start.total_cmp(&b.start));
            Some(profile)
        })
        .collect();
    Some(Defined {
        ids: drafts.ids,
        items,
    })
}

/// A problem at the cell that gives `profile` its largest multiplier, in whichever of the
/// three files contributes the largest factor to its peak: where to point when the peak makes
/// a run too large. `expected` says what the cell should hold; `context`, after the cell's
/// text, what it leads to. `None` if no single cell can be found.
pub(crate) fn blame_peak(
    source: &Source<'_>,
    profile: &Profile,
    expected: &str,
    context: &str,
) -> Option<ScenarioError> {
    let max = |xs: &mut dyn Iterator<Item = f64>| xs.fold(0.0_f64, f64::max);
    let candidates: [(&'static str, &[Column], f64); 3] = [
        (
            HOURS_FILE,
            &HOURS_COLUMNS,
            max(&mut profile.hour.iter().copied()),
        ),
        (
            WEEKDAYS_FILE,
            &WEEKDAYS_COLUMNS,
            max(&mut profile.weekday.iter().copied()),
        ),
        (
            PERIODS_FILE,
            &PERIODS_COLUMNS,
            max(&mut profile.periods.iter().map(|p| p.multiplier)),
        ),
    ];
    let (file, columns, peak) = candidates.into_iter().max_by(|a, b| a.2.total_cmp(&b.2))?;
    // The file loaded without a problem moments ago: it is read again only to find the cell
    // (with the variant's overrides, so that an override is blamed at its line).
    let mut unused = ScenarioErrors(Vec::new());
    let table = Table::read_in(source, file, columns, Presence::Optional, &mut unused)?;
    let cell = table
        .rows()
        .filter(|row| row.field("profile").text() == profile.name())
        .map(|row| row.field("multiplier"))
        .find(|cell| cell.text().parse::<f64>() == Ok(peak))?;
    Some(ScenarioError::InvalidValue {
        path: cell.path().to_path_buf(),
        line: cell.line(),
        column: cell.column().to_owned(),
        expected: expected.to_owned(),
        found: format!("{} ({context})", cell.text()),
    })
}

/// Reads an hour-of-day or day-of-week file: rows `profile, <slot>, multiplier`, where each
/// profile must give each of the `N` slots exactly once. Returns the multipliers of each
/// profile whose rows were all valid.
fn read_slots<const N: usize>(
    table: &Table,
    column: &'static str,
    parse_slot: impl Fn(Field<'_>) -> Result<usize, ScenarioError>,
    slot_name: impl Fn(usize) -> String,
    each: &str,
    drafts: &mut Drafts,
    errors: &mut ScenarioErrors,
) -> Vec<(u32, [f64; N])> {
    struct Group<const N: usize> {
        profile: u32,
        first_line: u64,
        /// The line and (if valid) multiplier given for each slot.
        given: [Option<(u64, Option<f64>)>; N],
        /// Whether every row's slot could be read (only then can missing slots be named).
        slots_read: bool,
    }
    let mut groups: Vec<Group<N>> = Vec::new();
    let mut group_of: HashMap<u32, usize> = HashMap::new();

    for row in table.rows() {
        let profile = errors.keep(drafts.profile(row.field("profile")));
        let slot_field = row.field(column);
        let slot = errors.keep(parse_slot(slot_field));
        let multiplier = errors.keep(row.field("multiplier").non_negative());
        let Some(profile) = profile else { continue };
        let g = *group_of.entry(profile).or_insert_with(|| {
            groups.push(Group {
                profile,
                first_line: row.line(),
                given: [None; N],
                slots_read: true,
            });
            groups.len() - 1
        });
        let group = &mut groups[g];
        if multiplier.is_none() {
            drafts.drafts[profile as usize].valid = false;
        }
        let Some(slot) = slot else {
            drafts.drafts[profile as usize].valid = false;
            group.slots_read = false;
            continue;
        };
        match group.given[slot] {
            Some((first_line, _)) => {
                drafts.drafts[profile as usize].valid = false;
                errors.push(slot_field.duplicate_entry(
                    format!(
                        "profile '{}' {column} {}",
                        drafts.ids.name(profile),
                        slot_name(slot)
                    ),
                    first_line,
                ));
            }
            None => group.given[slot] = Some((row.line(), multiplier)),
        }
    }

    let mut arrays = Vec::new();
    for group in &groups {
        let missing: Vec<String> = (0..N)
            .filter(|&s| group.given[s].is_none())
            .map(&slot_name)
            .collect();
        // A malformed row may hold any slot: missing slots are named only without one.
        if !group.slots_read || !table.is_complete() {
            drafts.drafts[group.profile as usize].valid = false;
            continue;
        }
        if !missing.is_empty() {
            drafts.drafts[group.profile as usize].valid = false;
            errors.push(ScenarioError::Inconsistent {
                path: table.path().to_path_buf(),
                line: group.first_line,
                column: column.to_owned(),
                message: format!(
                    "profile '{}' must give {each} once; missing {}",
                    drafts.ids.name(group.profile),
                    missing.join(", ")
                ),
            });
            continue;
        }
        if drafts.drafts[group.profile as usize].valid {
            let mut array = [1.0; N];
            for (x, given) in array.iter_mut().zip(&group.given) {
                if let Some((_, Some(multiplier))) = given {
                    *x = *multiplier;
                }
            }
            arrays.push((group.profile, array));
        }
    }
    arrays
}

/// Reads `profile_periods.csv`: dated periods, inclusive at both ends, which must not overlap
/// within a profile.
fn read_periods(table: &Table, drafts: &mut Drafts, errors: &mut ScenarioErrors) {
    for row in table.rows() {
        let profile = errors.keep(drafts.profile(row.field("profile")));
        let from = errors.keep(row.field("from").date());
        let to_field = row.field("to");
        let to = errors.keep(to_field.date());
        let multiplier = errors.keep(row.field("multiplier").non_negative());
        let Some(profile) = profile else { continue };
        let draft = &mut drafts.drafts[profile as usize];
        let (Some(from), Some(to), Some(multiplier)) = (from, to, multiplier) else {
            draft.valid = false;
            continue;
        };
        if to < from {
            draft.valid = false;
            errors.push(to_field.invalid(format!("a date on or after from ({from})")));
            continue;
        }
        if let Some(other) = draft.periods.iter().find(|p| p.from <= to && from <= p.to) {
            draft.valid = false;
            errors.push(ScenarioError::Overlap {
                path: table.path().to_path_buf(),
                line: row.line(),
                subject: format!("profile '{}'", drafts.ids.name(profile)),
                other_line: other.line,
            });
            continue;
        }
        draft.periods.push(DatedPeriod {
            line: row.line(),
            from,
            to,
            multiplier,
        });
    }
}
