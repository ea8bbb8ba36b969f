//! Shards: an experiment run in pieces and merged gives, byte for byte, the files of a run in
//! one go; a set of shard files that is incomplete or inconsistent is refused with a message
//! naming the file.

use crate::common::scenario_dir;
use crate::examples::example;
use careflow::shard::find_shard_files;
use careflow::{
    Experiment, ExperimentResult, Plan, Report, RunInfo, Seeds, Shard, ShardFile, ShardResult,
    merge_shard_files,
};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file a report writes, and whether it must be byte-identical after a merge.
const FILES: [(&str, bool); 7] = [
    ("replications.csv", true),
    ("summary.csv", true),
    ("comparison.csv", true),
    ("daily.csv", true),
    ("finance.csv", true),
    // Identical but for the minute it was generated, which is blanked before comparing.
    ("report.html", true),
    // Wall-clock seconds and threads differ, and a merge adds a `shards` row.
    ("run.csv", false),
];

/// The file's bytes; for the HTML report, with the time it was generated blanked.
fn contents(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    if path.extension().is_some_and(|e| e == "html") {
        let text = String::from_utf8(bytes).unwrap();
        let start = text
            .find("<p class=\"meta\">Generated ")
            .expect("the report says when");
        let end = start + text[start..].find(" by careflow").unwrap();
        return format!("{}{}", &text[..start], &text[end..]).into_bytes();
    }
    bytes
}

fn write_report(experiment: &Experiment, result: &ExperimentResult, scenario: &str, dir: &Path) {
    let info = RunInfo {
        scenario: scenario.into(),
        level: 0.9,
    };
    let report = Report::new(experiment, result, info);
    report.write_csv(dir).unwrap();
    report.write_html(&dir.join("report.html")).unwrap();
}

/// Asserts that `a` and `b` hold the same report files, byte for byte except run.csv.
fn assert_same_reports(a: &Path, b: &Path) {
    for (name, identical) in FILES {
        let (x, y) = (a.join(name), b.join(name));
        assert_eq!(x.exists(), y.exists(), "{name}");
        if identical && x.exists() {
            let (x, y) = (contents(&x), contents(&y));
            if x != y {
                let at = x.iter().zip(&y).take_while(|(p, q)| p == q).count();
                let context = |v: &[u8]| {
                    String::from_utf8_lossy(&v[at.saturating_sub(80)..(at + 80).min(v.len())])
                        .into_owned()
                };
                panic!(
                    "{name} differs between {} and {} at byte {at}:\n{}\n---\n{}",
                    a.display(),
                    b.display(),
                    context(&x),
                    context(&y)
                );
            }
        }
    }
}

/// Runs shards 1..=count of `plan`, writes their files into `dir` and reads them back.
fn run_shards(
    experiment: &Experiment,
    scenario: &Path,
    plan: &Plan,
    count: u32,
    dir: &Path,
) -> Vec<(PathBuf, ShardFile)> {
    for k in 1..=count {
        let result = experiment
            .run_shard(plan, Shard::new(k, count).unwrap())
            .unwrap();
        ShardFile::new(scenario, result)
            .unwrap()
            .write(dir)
            .unwrap();
    }
    read_all(dir)
}

/// Service number `n`, which may not exist: the ids are dense indices that only the loader
/// (or a decoder) makes.
fn service_id(n: u32) -> careflow::ServiceId {
    let mut bytes = Vec::new();
    ciborium::into_writer(&n, &mut bytes).unwrap();
    ciborium::from_reader(bytes.as_slice()).unwrap()
}

fn read_all(dir: &Path) -> Vec<(PathBuf, ShardFile)> {
    find_shard_files(dir)
        .unwrap()
        .into_iter()
        .map(|path| {
            let file = ShardFile::read(&path).unwrap();
            (path, file)
        })
        .collect()
}

fn merged_equals_one_run(scenario: &str, seeds: Seeds, replications: u32, count: u32) {
    let dir = scenario_dir(scenario);
    let mut experiment = Experiment::load(&dir).unwrap();
    for v in experiment.variants_mut() {
        let settings = v.model.settings_mut();
        settings.horizon_days = 400.0;
        settings.warmup_days = 200.0;
    }
    assert!(experiment.variants().len() > 1, "{scenario} has variants");
    let plan = Plan {
        replications,
        seeds,
        precision: None,
    };
    let whole = experiment.run(&plan);
    let shards = tempfile::tempdir().unwrap();
    let files = run_shards(&experiment, &dir, &plan, count, shards.path());
    assert_eq!(files.len(), count as usize);
    let merged = merge_shard_files(&experiment, &dir, &files).unwrap();
    assert_eq!(merged.results, whole.results);
    assert_eq!(merged.names, whole.names);
    assert_eq!(merged.shards, Some(count));

    let (one, many) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_report(&experiment, &whole, scenario, one.path());
    write_report(&experiment, &merged, scenario, many.path());
    assert!(one.path().join("daily.csv").exists());
    assert_same_reports(one.path(), many.path());
    let run = std::fs::read_to_string(many.path().join("run.csv")).unwrap();
    assert!(run.contains(&format!("\nshards,{count}\n")), "{run}");

    // Each shard's CSV rows are rows of the single run's replications.csv.
    let all = std::fs::read_to_string(one.path().join("replications.csv")).unwrap();
    let all: std::collections::HashSet<&str> = all.lines().collect();
    let mut rows = 0;
    for (_, file) in &files {
        let csv =
            careflow::report::write_shard_csv(&experiment, &file.result, shards.path()).unwrap();
        let text = std::fs::read_to_string(csv).unwrap();
        for line in text.lines() {
            assert!(all.contains(line), "{line} is not in replications.csv");
            rows += 1;
        }
    }
    assert!(rows > 0);
}

#[test]
fn three_shards_merged_equal_one_run_byte_for_byte() {
    // 5 replications of 5 variants: 25 pairs, shards of 9, 8 and 8.
    merged_equals_one_run("baseline", Seeds::Common, 5, 3);
}

#[test]
fn money_merges_too() {
    // 2 replications of the contracts scenario's 7 variants in 4 shards; the ledgers (and
    // finance.csv) come through the shard files exactly.
    merged_equals_one_run("contracts", Seeds::Common, 2, 4);
}

#[test]
fn independent_seeds_and_more_shards_than_pairs_merge_too() {
    // 2 replications of 3 variants: 6 pairs in 8 shards, two of them empty.
    merged_equals_one_run("discharge_to_assess", Seeds::Independent, 2, 8);
}

#[test]
fn shards_run_as_separate_processes_and_merged_equal_one_run() {
    let work = tempfile::tempdir().unwrap();
    let (single, shards, merged) = (
        work.path().join("single"),
        work.path().join("shards"),
        work.path().join("merged"),
    );
    let common = ["--replications", "4", "--seed", "99", "--level", "0.9"];
    let output = Command::new(example("compare_policies"))
        .args(common)
        .arg("--html")
        .arg("--out")
        .arg(&single)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    // Three shards at once, as background processes.
    let children: Vec<_> = (1..=3)
        .map(|k| {
            Command::new(example("compare_policies"))
                .args(common)
                .args(["--shard", &format!("{k}/3"), "--out"])
                .arg(&shards)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    for k in 1..=3 {
        assert!(shards.join(format!("shard-{k}-of-3.cbor")).exists());
        assert!(shards.join(format!("shard-{k}-of-3.csv")).exists());
    }
    let output = Command::new(example("merge"))
        .arg(scenario_dir("baseline"))
        .arg(&shards)
        .args(["--level", "0.9", "--html", "--out"])
        .arg(&merged)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    // The variant's column: its name over "− baseline", right-aligned.
    let lines: Vec<&str> = stdout.lines().collect();
    let heading = lines
        .iter()
        .position(|l| l.contains("community_plus_20") && !l.contains(':'))
        .unwrap_or_else(|| panic!("{stdout}"));
    let at = lines[heading].find("community_plus_20").unwrap() + "community_plus_20".len();
    let end = lines[heading][..at].chars().count();
    let under: String = lines[heading + 1].chars().take(end).collect();
    assert!(under.ends_with("− baseline"), "{stdout}");
    assert_same_reports(&single, &merged);
    let run = std::fs::read_to_string(merged.join("run.csv")).unwrap();
    assert!(
        run.contains("\nseed,99\n") && run.contains("\nshards,3\n"),
        "{run}"
    );

    // The merge refuses to overwrite its results, and a shard its own files.
    let again = Command::new(example("merge"))
        .arg(scenario_dir("baseline"))
        .arg(&shards)
        .arg("--out")
        .arg(&merged)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--overwrite"));
    let again = Command::new(example("compare_policies"))
        .args(common)
        .args(["--shard", "2/3", "--out"])
        .arg(&shards)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already holds shard 2/3"), "{stderr}");
}

#[test]
fn compare_policies_refuses_bad_shard_options() {
    for (args, message) in [
        (&["--shard", "0/3"][..], "expected K/N with 1 ≤ K ≤ N"),
        (&["--shard", "4/3"][..], "found \"4/3\""),
        (&["--shard", "three"][..], "expected K/N"),
        (
            &["--shard", "1/3", "--precision", "system::diverted"][..],
            "cannot be split into shards",
        ),
        (
            &["--shard", "1/3", "--html"][..],
            "--html belongs to the merge",
        ),
    ] {
        let output = Command::new(example("compare_policies"))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// A small experiment of the M/M/c/c ward with a second, identical variant, its plan, and its
/// three shards written into a fresh folder.
struct Small {
    scenario: PathBuf,
    experiment: Experiment,
    plan: Plan,
    dir: tempfile::TempDir,
    files: Vec<(PathBuf, ShardFile)>,
}

fn small_experiment(scenario: &Path, seed: u64, replications: u32) -> (Experiment, Plan) {
    let mut experiment = Experiment::load(scenario).unwrap();
    let same = experiment.baseline().clone();
    experiment.add_variant("same", same).unwrap();
    for v in experiment.variants_mut() {
        v.model.settings_mut().horizon_days = 60.0;
        v.model.settings_mut().warmup_days = 10.0;
        v.model.settings_mut().seed = seed;
    }
    (experiment, Plan::replications(replications))
}

fn small() -> Small {
    let scenario = scenario_dir("erlang_b_ward");
    let (experiment, plan) = small_experiment(&scenario, 1, 5);
    let dir = tempfile::tempdir().unwrap();
    let files = run_shards(&experiment, &scenario, &plan, 3, dir.path());
    Small {
        scenario,
        experiment,
        plan,
        dir,
        files,
    }
}

impl Small {
    fn merge(&self, files: &[(PathBuf, ShardFile)]) -> String {
        merge_shard_files(&self.experiment, &self.scenario, files)
            .unwrap_err()
            .to_string()
    }

    fn path(&self, k: u32) -> String {
        self.files[k as usize - 1].0.display().to_string()
    }
}

#[test]
fn an_incomplete_set_is_refused() {
    let s = small();
    assert!(merge_shard_files(&s.experiment, &s.scenario, &s.files).is_ok());
    let e = s.merge(&[s.files[0].clone(), s.files[2].clone()]);
    assert!(e.contains("shard 2 of 3 missing (2 of 3 given)"), "{e}");
    let e = s.merge(&s.files[..1]);
    assert!(e.contains("shards 2, 3 of 3 missing"), "{e}");
    let e = s.merge(&[]);
    assert!(e.contains("no shard files"), "{e}");
    // Counts from a file are not trusted to size anything: a claimed four billion shards, or
    // four billion replications, fail at once.
    let mut huge = s.files[0].clone();
    huge.1.result.shard = Shard::new(1, u32::MAX).unwrap();
    let e = s.merge(&[huge]);
    assert!(
        e.contains("shards 2, 3, 4,") && e.contains(" and 4294967274 more of 4294967295 missing"),
        "{e}"
    );
    let mut long = s.files[0].clone();
    long.1.result.shard = Shard::whole();
    long.1.result.replications = u32::MAX;
    let e = s.merge(&[long]);
    assert!(e.contains("lacks variant baseline replication 1,"), "{e}");
    let empty = tempfile::tempdir().unwrap();
    let e = find_shard_files(empty.path()).unwrap_err().to_string();
    assert!(e.contains(&empty.path().display().to_string()), "{e}");
}

#[test]
fn a_shard_given_twice_is_refused() {
    let s = small();
    let mut files = s.files.clone();
    files.push(s.files[1].clone());
    let e = s.merge(&files);
    assert!(
        e.contains(&format!(
            "{} and {} are both shard 2/3",
            s.path(2),
            s.path(2)
        )),
        "{e}"
    );
}

#[test]
fn shards_of_different_runs_are_refused() {
    let s = small();
    // Another shard count.
    let other = tempfile::tempdir().unwrap();
    let halves = run_shards(&s.experiment, &s.scenario, &s.plan, 2, other.path());
    let e = s.merge(&[s.files[0].clone(), halves[1].clone()]);
    assert!(
        e.contains(&halves[1].0.display().to_string())
            && e.contains("shard count 2, but")
            && e.contains("shard count 3"),
        "{e}"
    );
    // Another seed.
    let (reseeded, plan) = small_experiment(&s.scenario, 2, 5);
    let other = tempfile::tempdir().unwrap();
    let files = run_shards(&reseeded, &s.scenario, &plan, 3, other.path());
    let e = s.merge(&[s.files[0].clone(), s.files[1].clone(), files[2].clone()]);
    assert!(
        e.contains("base seed 2, but") && e.contains(&s.path(1)),
        "{e}"
    );
    let e = s.merge(&files);
    assert!(
        e.contains("ran with base seed 2, but the experiment has seed 1"),
        "{e}"
    );
    // Another number of replications.
    let (_, plan) = small_experiment(&s.scenario, 1, 6);
    let other = tempfile::tempdir().unwrap();
    let files = run_shards(&s.experiment, &s.scenario, &plan, 3, other.path());
    let e = s.merge(&[s.files[0].clone(), files[1].clone(), s.files[2].clone()]);
    assert!(e.contains("replications 6, but"), "{e}");
    // Other seeding.
    let plan = Plan {
        seeds: Seeds::Independent,
        ..s.plan.clone()
    };
    let other = tempfile::tempdir().unwrap();
    let files = run_shards(&s.experiment, &s.scenario, &plan, 3, other.path());
    let e = s.merge(&[s.files[0].clone(), files[1].clone(), s.files[2].clone()]);
    assert!(e.contains("seeding Independent, but"), "{e}");
    // Other variants.
    let mut more = s.experiment.clone();
    let extra = more.baseline().clone();
    more.add_variant("extra", extra).unwrap();
    let e = merge_shard_files(&more, &s.scenario, &s.files)
        .unwrap_err()
        .to_string();
    assert!(e.contains("has variants [\"baseline\", \"same\"]"), "{e}");
}

#[test]
fn shards_of_changed_scenario_files_are_refused() {
    let s = small();
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&s.scenario).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
    }
    // The copy has the same files, so the shards merge against it.
    assert!(merge_shard_files(&s.experiment, copy.path(), &s.files).is_ok());
    let services = copy.path().join("services.csv");
    let text = std::fs::read_to_string(&services).unwrap();
    std::fs::write(&services, text + "\n").unwrap();
    let e = merge_shard_files(&s.experiment, copy.path(), &s.files)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&s.path(1))
            && e.contains("a scenario file changed since the shard ran")
            && e.contains(&copy.path().display().to_string()),
        "{e}"
    );
}

#[test]
fn damaged_and_foreign_files_are_refused_without_panicking() {
    let s = small();
    let dir = s.dir.path();
    let (path, file) = &s.files[0];
    let bytes = std::fs::read(path).unwrap();

    let read = |name: &str, contents: &[u8]| -> String {
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        let e = ShardFile::read(&path).unwrap_err().to_string();
        assert!(e.contains(&path.display().to_string()), "{e}");
        e
    };
    for cut in [bytes.len() / 2, bytes.len() - 1, 40] {
        assert!(
            read("truncated.cbor", &bytes[..cut])
                .contains("damaged or incomplete shard file: no SHA-256 checksum at the end: the file is truncated"),
        );
    }
    assert!(read("empty.cbor", b"").contains("not a careflow shard file"));
    assert!(read("text.cbor", b"variant,replication\n").contains("not a careflow shard file"));
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(read("longer.cbor", &longer).contains("no SHA-256 checksum at the end"));
    // The magic text, then format version 3 (a later build's).
    let mut format = bytes[..15].to_vec();
    format.push(0x03);
    assert!(
        read("format.cbor", &format)
            .contains("shard file format 3, but this careflow reads format 2: re-run the shard")
    );
    // Format 1, before shard files carried a checksum: refused, never trusted.
    let mut format = bytes[..15].to_vec();
    format.push(0x01);
    format.extend_from_slice(&bytes[16..]);
    assert!(read("format1.cbor", &format).contains(
        "shard file format 1 (written without a checksum by an older careflow), but this careflow reads format 2: re-run the shard"
    ));
    // Every single flipped bit after the format version is refused as damaged, naming the
    // file, before anything is decoded or merged.
    // (Bytes spread through the file, and every byte of the checksum, keeping the test quick.)
    let step = (bytes.len() / 200).max(1);
    let positions: Vec<usize> = (16..bytes.len())
        .step_by(step)
        .chain(bytes.len() - 34..bytes.len())
        .collect();
    let mut refused = 0;
    for &i in &positions {
        for bit in 0..8 {
            let mut damaged = bytes.clone();
            damaged[i] ^= 1 << bit;
            let e = read("flipped.cbor", &damaged);
            assert!(
                e.contains("its contents do not match the SHA-256 checksum")
                    || e.contains("no SHA-256 checksum at the end"),
                "byte {i} bit {bit}: {e}"
            );
            refused += 1;
        }
    }
    assert_eq!(refused, positions.len() * 8);
    // A flipped bit in the magic text or the format version reads as another file or format.
    for i in 0..16 {
        let mut damaged = bytes.clone();
        damaged[i] ^= 0x01;
        let path = dir.join("flipped.cbor");
        std::fs::write(&path, &damaged).unwrap();
        assert!(ShardFile::read(&path).is_err(), "byte {i}");
    }

    // Written by another careflow version.
    let mut old = file.clone();
    old.careflow_version = "0.0.1".into();
    let other = tempfile::tempdir().unwrap();
    let written = old.write(other.path()).unwrap();
    let e = ShardFile::read(&written).unwrap_err().to_string();
    assert!(
        e.contains(&written.display().to_string())
            && e.contains("written by careflow 0.0.1, but this is careflow"),
        "{e}"
    );
    // A missing file.
    let e = ShardFile::read(&dir.join("nope.cbor"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("nope.cbor: cannot read"), "{e}");
}

#[test]
fn shards_holding_the_wrong_pairs_are_refused() {
    let s = small();
    let with = |k: usize, change: &dyn Fn(&mut ShardResult)| {
        let mut files = s.files.clone();
        change(&mut files[k].1.result);
        s.merge(&files)
    };
    let stolen = s.files[1].1.result.records[0].clone();
    let e = with(0, &|r| r.records.push(stolen.clone()));
    assert!(
        e.contains(&s.path(1)) && e.contains("variant baseline replication 1, which is not one of its pairs (it belongs to shard 2/3)"),
        "{e}"
    );
    let e = with(0, &|r| {
        let first = r.records[0].clone();
        r.records.push(first);
    });
    assert!(
        e.contains("holds variant baseline replication 0 twice"),
        "{e}"
    );
    let e = with(2, &|r| {
        r.records.pop();
    });
    assert!(
        e.contains(&s.path(3)) && e.contains("lacks variant same replication"),
        "{e}"
    );
    let e = with(0, &|r| r.records[0].variant = 7);
    assert!(e.contains("holds variant #7 replication 0"), "{e}");
    let e = with(0, &|r| r.records[0].result.services.clear());
    assert!(
        e.contains("0 service results, but the scenario has 1 services"),
        "{e}"
    );
    let e = with(0, &|r| {
        let mut out_of_range = r.records[0].result.services[0].clone();
        out_of_range.service = service_id(5);
        r.records[0].result.services[0] = out_of_range;
    });
    assert!(e.contains("service number 5 does not exist"), "{e}");
}

#[test]
fn plans_that_cannot_be_sharded_are_refused() {
    let s = small();
    let precise = Plan {
        precision: Some(careflow::Precision {
            kpi: ("system".into(), String::new(), "arrived".into()),
            relative_half_width: 0.1,
            level: 0.95,
            max_replications: 20,
        }),
        ..s.plan.clone()
    };
    let e = s
        .experiment
        .run_shard(&precise, Shard::whole())
        .unwrap_err();
    assert!(
        e.to_string().contains("precision target cannot be split"),
        "{e}"
    );
    let e = s
        .experiment
        .run_shard(&Plan::replications(0), Shard::whole())
        .unwrap_err();
    assert!(e.to_string().contains("at least one replication"), "{e}");
}

#[test]
fn every_f64_survives_a_shard_file_bit_for_bit() {
    let s = small();
    let mut file = s.files[0].1.clone();
    let specials = [
        f64::NAN,
        -f64::NAN,
        f64::from_bits(0x7ff8_0000_dead_beef), // a NaN with a payload
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        f64::MIN_POSITIVE,
        f64::from_bits(1), // the smallest subnormal
        f64::MAX,
        0.1 + 0.2,
        1.0 / 3.0,
    ];
    let record = &mut file.result.records[0].result;
    record.stalled = Some(specials[0]);
    for (i, x) in specials.iter().enumerate() {
        record.daily.push(careflow::DailyRecord {
            day: i as u32,
            service: service_id(0),
            occupancy: *x,
            queue: -*x,
            delayed: *x * 0.5,
            delayed_awaiting_place: *x * 0.25,
            delayed_awaiting_funding: -*x,
            delayed_awaiting_assessment: *x * 0.125,
        });
    }
    record.services[0].mean_occupancy = f64::NAN;
    record.services[0].p95_wait = f64::INFINITY;
    file.result.seconds = f64::from_bits(0x7ff0_0000_0000_0001); // a signalling NaN
    let dir = tempfile::tempdir().unwrap();
    let back = ShardFile::read(&file.write(dir.path()).unwrap()).unwrap();
    let bits = |f: &ShardFile| -> Vec<u64> {
        let r = &f.result.records[0].result;
        let mut bits = vec![
            f.result.seconds.to_bits(),
            r.stalled.unwrap().to_bits(),
            r.observed_days.to_bits(),
        ];
        for s in &r.services {
            bits.extend(s.kpis().iter().map(|(_, x)| x.to_bits()));
        }
        for d in &r.daily {
            bits.extend([
                d.occupancy.to_bits(),
                d.queue.to_bits(),
                d.delayed.to_bits(),
                d.delayed_awaiting_place.to_bits(),
                d.delayed_awaiting_funding.to_bits(),
                d.delayed_awaiting_assessment.to_bits(),
            ]);
        }
        bits
    };
    assert_eq!(bits(&back), bits(&file));
    // Everything else round-trips too (NaN aside, equality is exact).
    let mut a = back.result.records[0].result.clone();
    let mut b = file.result.records[0].result.clone();
    for r in [&mut a, &mut b] {
        r.stalled = None;
        r.daily.clear();
        r.services[0].mean_occupancy = 0.0;
    }
    assert_eq!(a, b);
    assert_eq!(back.result.records[1..], file.result.records[1..]);
}
