//! Patient-level event logs (issue #17): the log agrees with the replication's counts, is
//! deterministic, and changes no result.

use crate::common::bundled;
use careflow::episodes::EpisodeWriter;
use careflow::event_log::{EventLog, EventRecorder, PatientEvent, PatientEventKind};
use careflow::{Model, run_replication, run_replication_recorded};
use std::collections::HashMap;

/// Counts events by kind and service, over the observation window and over the whole run.
#[derive(Default)]
struct Counter {
    warmup: f64,
    window: HashMap<(PatientEventKind, u32), u64>,
    whole: HashMap<PatientEventKind, u64>,
    last_time: HashMap<u64, f64>,
    ended: Option<f64>,
}

impl EventRecorder for Counter {
    fn record(&mut self, e: &PatientEvent) {
        assert!(e.time.is_finite() && e.time >= 0.0);
        // Each patient's events come in order of time.
        let last = self.last_time.insert(e.patient, e.time).unwrap_or(0.0);
        assert!(e.time >= last, "patient {} went back in time", e.patient);
        *self.whole.entry(e.kind).or_default() += 1;
        if e.time >= self.warmup {
            *self
                .window
                .entry((e.kind, e.service.index() as u32))
                .or_default() += 1;
        }
        match e.kind {
            PatientEventKind::Departure | PatientEventKind::Renege => assert!(e.to.is_some()),
            _ => assert!(e.to.is_none()),
        }
    }

    fn end(&mut self, time: f64) {
        self.ended = Some(time);
    }
}

impl Counter {
    fn window(&self, kind: PatientEventKind) -> u64 {
        self.window
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|(_, n)| n)
            .sum()
    }

    fn at(&self, kind: PatientEventKind, service: usize) -> u64 {
        self.window
            .get(&(kind, service as u32))
            .copied()
            .unwrap_or(0)
    }

    fn whole(&self, kind: PatientEventKind) -> u64 {
        self.whole.get(&kind).copied().unwrap_or(0)
    }
}

fn shortened(name: &str, horizon: f64, warmup: f64) -> Model {
    let mut model = bundled(name);
    model.settings_mut().horizon_days = horizon;
    model.settings_mut().warmup_days = warmup;
    model
}

#[test]
fn the_log_agrees_with_the_replications_counts_and_conserves_patients() {
    for (name, horizon, warmup) in [
        ("baseline", 200.0, 60.0),
        ("discharge_to_assess", 200.0, 60.0),
        ("capacity_plan", 150.0, 0.0),
        ("contracts", 200.0, 30.0),
        ("erlang_b_ward", 400.0, 20.0),
        ("peer_pathways", 200.0, 50.0),
    ] {
        let model = shortened(name, horizon, warmup);
        let mut counter = Counter {
            warmup,
            ..Counter::default()
        };
        let result = run_replication_recorded(&model, 3, &mut counter);
        assert_eq!(counter.ended, Some(horizon), "{name}");
        use PatientEventKind::*;
        let system = &result.system;
        assert_eq!(counter.window(Arrival), system.arrived, "{name}: arrivals");
        assert_eq!(
            counter.window(Diverted),
            system.diverted,
            "{name}: diverted"
        );
        assert_eq!(counter.window(Exit), system.left, "{name}: left");
        assert!(
            counter.window(Arrival) > 0,
            "{name}: the test needs arrivals"
        );
        for (i, s) in result.services.iter().enumerate() {
            assert_eq!(
                counter.at(Admission, i),
                s.admissions,
                "{name}: admissions at {i}"
            );
            assert_eq!(
                counter.at(Departure, i),
                s.departures,
                "{name}: departures at {i}"
            );
            assert_eq!(counter.at(Renege, i), s.reneged, "{name}: reneged at {i}");
        }
        // Over the whole run: everyone who came in is out or still inside.
        let came = counter.whole(Census) + counter.whole(CensusQueued) + counter.whole(Arrival);
        let went = counter.whole(Diverted) + counter.whole(Exit);
        assert_eq!(came - went, system.inside_at_end, "{name}: conservation");
    }
    // A scenario where the discharge rule makes patients fit: the log says so.
    let model = shortened("discharge_to_assess", 120.0, 0.0);
    let mut counter = Counter::default();
    run_replication_recorded(&model, 0, &mut counter);
    assert!(counter.whole(PatientEventKind::Fit) > 0);
}

#[test]
fn recording_changes_no_result_and_the_log_is_deterministic() {
    let model = shortened("baseline", 120.0, 30.0);
    let log = |replication| {
        let mut log = EventLog::new(&model, Vec::new()).unwrap();
        log.set_replication(replication);
        let result = run_replication_recorded(&model, replication, &mut log);
        (result, log.finish().unwrap())
    };
    let (recorded, first) = log(2);
    assert_eq!(recorded, run_replication(&model, 2));
    let (_, second) = log(2);
    assert_eq!(first, second, "same seed, same log");
    let (_, other) = log(3);
    assert_ne!(first, other, "another replication, another log");
    let text = String::from_utf8(first).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("replication,patient,class,time,event,service,from,to")
    );
    let first_row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(first_row.len(), 8);
    assert_eq!(first_row[0], "2");
    // Every transfer's admission names the place the patient left.
    assert!(
        text.lines().any(|l| l.contains(",admission,acute,ed,")),
        "{}",
        &text[..500]
    );
}

#[test]
fn episodes_from_a_run_read_back_with_the_episode_reader() {
    let model = shortened("discharge_to_assess", 90.0, 0.0);
    let mut writer = EpisodeWriter::new(&model, Vec::new()).unwrap();
    let result = run_replication_recorded(&model, 1, &mut writer);
    let bytes = writer.finish().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("episodes.csv");
    std::fs::write(&path, bytes).unwrap();
    let episodes = careflow::episodes::read(&path).unwrap_or_else(|e| panic!("{e}"));
    let open = episodes
        .episodes()
        .iter()
        .filter(|e| e.end.is_none())
        .count() as u64;
    assert!(episodes.episodes().iter().any(|e| e.fit.is_some()));
    // No warm-up: the results count every admission and departure of the run.
    let admissions: u64 = result.services.iter().map(|s| s.admissions).sum();
    let departures: u64 = result.services.iter().map(|s| s.departures).sum();
    let census = model
        .census()
        .iter()
        .map(|c| u64::from(c.occupied()))
        .sum::<u64>()
        + model.census_patients().len() as u64;
    assert_eq!(episodes.episodes().len() as u64, admissions + census);
    assert_eq!(open, admissions + census - departures);
    assert!(open > 0);
}

/// A small ward: two classes, a route, a year.
pub(crate) const SMALL_WARD: &[(&str, &str)] = &[
    (
        "settings.csv",
        "key,value\nstart_date,2026-04-01\nhorizon_days,120\nwarmup_days,10\nseed,7\nreplications,3\n",
    ),
    ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
    (
        "services.csv",
        "id,kind,provider,capacity,waiting_list,transfers_wait,when_full\n\
         ward,acute_bed,trust,40,unlimited,in_bed,waiting_list\n\
         rehab,community_bed,trust,30,unlimited,in_bed,waiting_list\n",
    ),
    ("classes.csv", "id\nfrail\nadult\n"),
    (
        "arrivals.csv",
        "id,class,service,rate_per_day,profile\nfrail_in,frail,ward,3,\nadult_in,adult,ward,5,\n",
    ),
    (
        "los.csv",
        "class,service,distribution,mean,sd,shape,scale\n\
         frail,ward,gamma,6,4,,\nadult,ward,lognormal,2,1.5,,\nfrail,rehab,weibull,,,1.5,12\n",
    ),
    (
        "routes.csv",
        "class,service,next,probability\nfrail,ward,rehab,0.3\nfrail,ward,exit,0.7\n",
    ),
];

#[test]
fn the_example_programs_write_event_logs_and_episodes_on_request() {
    use crate::examples::example;
    use std::process::Command;
    let dir = crate::common::write_scenario(SMALL_WARD);
    let scenario = dir.path();
    let out = tempfile::tempdir().unwrap();
    let events = out.path().join("events.csv");
    let episodes = out.path().join("episodes.csv");
    let output = Command::new(example("run_scenario"))
        .arg(scenario)
        .arg("--out")
        .arg(out.path().join("results"))
        .arg("--events")
        .arg(&events)
        .arg("--episodes")
        .arg(&episodes)
        .args(["--log-replications", "1"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&events).unwrap();
    assert!(text.lines().skip(1).all(|l| l.starts_with("1,")));
    assert!(text.contains(",departure,ward,,rehab\n"));
    careflow::episodes::read(&episodes).unwrap_or_else(|e| panic!("{e}"));
    // The log is the replication's: the same as the library writes.
    let model = careflow::Model::load(scenario).unwrap();
    let mut log = EventLog::new(&model, Vec::new()).unwrap();
    log.set_replication(1);
    run_replication_recorded(&model, 1, &mut log);
    assert_eq!(text.as_bytes(), log.finish().unwrap().as_slice());

    // A replication not run, or episodes of two replications, are refused before running.
    for args in [
        vec!["--events", "x.csv", "--log-replications", "3"],
        vec!["--episodes", "x.csv", "--log-replications", "0,1"],
    ] {
        let output = Command::new(example("compare_policies"))
            .arg(scenario)
            .arg("--out")
            .arg(out.path().join("compare"))
            .args(&args)
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: --"), "{stderr}");
        assert!(!out.path().join("compare").exists());
    }
}
