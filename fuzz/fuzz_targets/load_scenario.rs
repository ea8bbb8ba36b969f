//! Fuzzes the scenario loader, and the engine on whatever loads.
//!
//! An input is a scenario folder written as one text: each file starts with a line
//! `--- NAME` (`--- settings.csv`, `--- empirical/stays.csv`) and runs to the next such line.
//! Text before the first header is ignored; a file named twice keeps its last text; a name that
//! is not a plain relative path (letters, digits, `_`, `-`, `.`, at most one `/`, no `..`) is
//! skipped. The seed corpus (`fuzz/corpus/load_scenario/`) holds the bundled scenarios in this
//! form, whole and pared down.
//!
//! The target writes the files to a folder and calls `Model::load` and `Experiment::load`:
//! each must return `Ok` or an error naming a file, never panic or hang. When a scenario loads,
//! each variant (at most four) runs one short replication — the horizon clamped to 5 days and
//! skipped when its expected patients exceed 20 000, to keep memory and time per input small —
//! and the run's invariants are checked: conservation of patients, occupancy within the most
//! capacity the calendar (and escalation) ever gives or the census put there, finite non-negative statistics, and
//! money that balances (every payment booked on both sides, every amount finite).

#![no_main]

use careflow::{
    CapacityUnit, Category, Error, Experiment, Model, ReplicationResult, run_replication,
};
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Longest horizon a fuzzed scenario is run for, days.
const MAX_HORIZON: f64 = 5.0;
/// Most expected patients (arrival streams at their peak rate and elective bookings over the
/// clamped horizon, and the census) of a scenario that is run.
const MAX_EXPECTED_PATIENTS: f64 = 20_000.0;
/// Most variants run per input.
const MAX_VARIANTS: usize = 4;

fn folder() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| std::env::temp_dir().join(format!("careflow-fuzz-{}", std::process::id())))
}

/// Whether `name` is a plain relative path the target may write.
fn plain_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    !name.is_empty()
        && name.len() <= 64
        && parts.len() <= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && *p != "."
                && *p != ".."
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        })
}

/// Splits the input into (file name, contents) at `--- NAME` lines.
fn files(text: &str) -> Vec<(&str, String)> {
    let mut files: Vec<(&str, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("--- ") {
            files.push((name.trim(), String::new()));
        } else if let Some((_, contents)) = files.last_mut() {
            contents.push_str(line);
        }
    }
    files.retain(|(name, _)| plain_name(name));
    files
}

fn write(dir: &Path, files: &[(&str, String)]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("the fuzz folder can be created");
    for (name, contents) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            // A name may clash with a folder or file of the same name; skip it then.
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        let _ = std::fs::write(&path, contents);
    }
}

/// A load error must say where: every problem names a file of the scenario folder, and its
/// message shows that file (after the variant's name, for a problem a variant causes).
fn check_error(dir: &Path, e: &Error) {
    let Error::Scenario(errors) = e else {
        panic!("a load error is a scenario error: {e:?}");
    };
    assert!(!errors.errors().is_empty(), "an error lists its problems");
    for problem in errors.errors() {
        assert!(
            problem.path().starts_with(dir),
            "{problem}: names a file outside the scenario folder"
        );
        let text = problem.to_string();
        let at = problem.path().display().to_string();
        assert!(text.contains(&at), "{text:?} does not name {at:?}");
    }
}

/// Expected patients in one replication: arrival streams at their peak rate, weekly
/// elective bookings, and the census.
fn expected_patients(model: &Model) -> f64 {
    let horizon = model.settings().horizon_days;
    let streams: f64 = model
        .arrivals()
        .iter()
        .map(|a| {
            let peak = a
                .profile()
                .map_or(1.0, |p| model.profile(p).max_multiplier());
            a.rate_per_day() * peak * horizon
        })
        .sum();
    let weeks = (horizon / 7.0).ceil() + 1.0;
    let electives: f64 = model
        .electives()
        .iter()
        .map(|e| f64::from(e.count()) * weeks)
        .sum();
    let census: f64 = model
        .census()
        .iter()
        .map(|c| f64::from(c.occupied()) + f64::from(c.queued()))
        .sum();
    streams + electives + census
}

fn check_run(model: &Model, r: &ReplicationResult) {
    assert!(
        r.system.is_conserved(),
        "patients not conserved: {:?}",
        r.system
    );
    // Money: finite, and every payment booked on both sides.
    for year in &r.finance.years {
        for c in Category::ALL {
            let amounts = year.organisations.iter().map(|o| o.amount(c));
            assert!(amounts.clone().all(f64::is_finite), "{}: not finite", c.as_str());
            if c.is_transfer() {
                let gross: f64 = amounts.clone().map(f64::abs).sum();
                let net: f64 = amounts.sum();
                assert!(
                    net.abs() <= 1e-9 * gross.max(1.0),
                    "{} {}: payments do not balance: {net}",
                    year.label,
                    c.as_str()
                );
            }
        }
    }
    for s in &r.services {
        let service = &model.services()[s.service.index()];
        let most = model
            .calendar()
            .iter()
            .filter(|c| c.service == s.service)
            .map(|c| c.capacity)
            .fold(service.capacity(), u32::max);
        let extra = model.escalation(s.service).map_or(0, |e| e.extra());
        // A census may start a service over-full (it evicts no one): its occupancy may then be
        // as high as the census put there.
        let census: u64 = model
            .census()
            .iter()
            .filter(|c| c.service() == s.service)
            .map(|c| u64::from(c.occupied()))
            .sum::<u64>()
            + model
                .census_patients()
                .iter()
                .filter(|p| p.service() == s.service)
                .count() as u64;
        // At an hours service capacity counts hours of care a week, occupancy packages.
        if service.unit() == CapacityUnit::Places {
            assert!(
                u64::from(s.max_occupancy)
                    <= (u64::from(most) + u64::from(extra)).max(census),
                "{}: occupancy {} above the most capacity {most} (+{extra})",
                service.name(),
                s.max_occupancy
            );
        } else if service.unit() == CapacityUnit::Visits {
            // Bookings never pass a day's slots; a census's packages are booked whatever the
            // slots.
            assert!(
                census > 0 || s.mean_visits_used <= f64::from(most) * (1.0 + 1e-9),
                "{}: {} visits a day of at most {most}",
                service.name(),
                s.mean_visits_used
            );
        } else if census == 0 {
            // A census's packages draw their hours and may overfill the service's hours.
            assert!(
                s.mean_hours_used <= (f64::from(most) + f64::from(extra)) * (1.0 + 1e-9),
                "{}: {} hours used of at most {most}",
                service.name(),
                s.mean_hours_used
            );
        }
        for (name, value) in s.kpis() {
            assert!(
                value.is_finite() && value >= 0.0,
                "{}: {name} = {value}",
                service.name()
            );
        }
    }
}

fn run(model: &mut Model) {
    let settings = model.settings_mut();
    if settings.horizon_days > MAX_HORIZON {
        settings.horizon_days = MAX_HORIZON;
    }
    if settings.warmup_days >= settings.horizon_days {
        settings.warmup_days = settings.horizon_days / 2.0;
    }
    if expected_patients(model) > MAX_EXPECTED_PATIENTS {
        return;
    }
    let r = run_replication(model, 0);
    check_run(model, &r);
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files = files(&text);
    let dir = folder();
    write(dir, &files);

    let model = Model::load(dir);
    let experiment = Experiment::load(dir);
    match (&model, &experiment) {
        (Ok(_), Ok(_)) => {}
        (Err(e), _) => check_error(dir, e),
        (Ok(_), Err(e)) => check_error(dir, e),
    }
    // Model::load ignores variants.csv; Experiment::load reads it too.
    if model.is_err()
        && let Ok(experiment) = &experiment
    {
        panic!(
            "Experiment::load accepted a scenario Model::load refused: {} variants",
            experiment.variants().len()
        );
    }
    if let Ok(mut experiment) = experiment {
        for v in experiment.variants_mut().iter_mut().take(MAX_VARIANTS) {
            run(&mut v.model);
        }
    }
});
