//! Output folders under hostile conditions: runs killed half-way, two runs into one folder,
//! links planted at temporary names, folders that cannot be written, damaged shard files and
//! command lines the examples must refuse.

use crate::common::scenario_dir;
use crate::examples::example;
use careflow::report::{OutputFolder, RunLock};
use careflow::{Experiment, Plan, Report, RunInfo, Shard, ShardFile};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// The plain files of `dir` by name, with their contents (the user's folder as an analyst
/// sees it with `ls`; hidden names included).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            files.insert(
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

/// The names in `dir` (any kind), sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Asserts two snapshots hold the same files with the same contents, naming any difference.
fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, context: &str) {
    let names = |s: &BTreeMap<String, Vec<u8>>| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{context}");
    for (name, contents) in a {
        assert!(&b[name] == contents, "{context}: {name} differs");
    }
}

/// A snapshot without the files that differ between two runs of the same seed: `run.csv`
/// (threads, seconds) and `report.html` (when it was generated).
fn deterministic(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .filter(|(name, _)| *name != "run.csv" && *name != "report.html")
        .map(|(n, c)| (n.clone(), c.clone()))
        .collect()
}

/// `run_scenario` on the baseline scenario, two replications, with `args`.
fn run_scenario(out: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(example("run_scenario"));
    command
        .args(["--replications", "2", "--out"])
        .arg(out)
        .args(args);
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_run_killed_while_writing_leaves_the_earlier_complete_set() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let reference = root.path().join("reference");
    // The earlier run, a file of the user's, and a reference run of what the new run writes.
    let first = run_scenario(&out, &["--html"]).output().unwrap();
    assert!(first.status.success(), "{first:?}");
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let old = snapshot(&out);
    let done = run_scenario(&reference, &["--html", "--seed", "99"])
        .output()
        .unwrap();
    assert!(done.status.success(), "{done:?}");
    let new = deterministic(&snapshot(&reference));

    // Kill the new run at moments through its writing: it prints the summary, then writes
    // about 2 MB of files and draws the charts.
    let mut mid_write = 0;
    for delay_ms in [0, 5, 15, 30, 60, 100] {
        let mut child = run_scenario(&out, &["--html", "--seed", "99", "--overwrite"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // (The pipe stays open until the kill: a closed one would end the output early.)
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first_line = String::new();
        stdout.read_line(&mut first_line).unwrap();
        assert!(first_line.starts_with("baseline:"), "{first_line}");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no destructor, no cleanup runs
        child.wait().unwrap();
        drop(stdout);

        // The folder holds the complete earlier set, or (killed after the swap) the complete
        // new one; never a mix, never a temporary file.
        let now = snapshot(&out);
        if now != old {
            // (Killed in the instant after the swap, the user's file is still beside it in
            // the staging folder, and the next run moves it back.)
            let mut expected = new.clone();
            if now.contains_key("notes.txt") {
                expected.insert("notes.txt".into(), b"mine".to_vec());
            }
            let context = format!("killed after {delay_ms} ms");
            assert_same(&deterministic(&now), &expected, &context);
            assert!(now.contains_key("run.csv") && now.contains_key("report.html"));
            break;
        }
        for name in names(&out) {
            assert!(
                !name.starts_with('.'),
                "{name} in the output folder after a kill at {delay_ms} ms"
            );
        }
        // A killed run leaves its staging folder beside the output folder (never inside it),
        // usually half-filled.
        for name in names(root.path()) {
            if name.starts_with(".out.careflow-staging-") {
                let staged = names(&root.path().join(&name));
                if !staged.is_empty() && !staged.contains(&"run.csv".to_string()) {
                    mid_write += 1;
                }
            }
        }
    }
    eprintln!("{mid_write} kills landed mid-write");

    // The next run cleans what the killed ones left and replaces the set whole.
    let again = run_scenario(&out, &["--html", "--seed", "99", "--overwrite"])
        .output()
        .unwrap();
    assert!(again.status.success(), "{again:?}");
    let mut expected = new.clone();
    expected.insert("notes.txt".into(), b"mine".to_vec());
    assert_same(
        &deterministic(&snapshot(&out)),
        &expected,
        "after the next run",
    );
    assert_eq!(
        names(root.path()),
        ["out", "reference"],
        "leftovers not cleaned"
    );
}

#[test]
fn two_runs_into_one_folder_never_mix() {
    let root = tempfile::tempdir().unwrap();
    let reference = |seed: &str| {
        let dir = root.path().join(format!("reference-{seed}"));
        let output = run_scenario(&dir, &["--seed", seed]).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        deterministic(&snapshot(&dir))
    };
    let references = [("1", reference("1")), ("2", reference("2"))];

    for overwrite in [false, true] {
        let out = root.path().join(format!("out-{overwrite}"));
        let extra: &[&str] = if overwrite { &["--overwrite"] } else { &[] };
        let children: Vec<_> = ["1", "2"]
            .into_iter()
            .map(|seed| {
                run_scenario(&out, &[&["--seed", seed], extra].concat())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outputs: Vec<Output> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let succeeded = outputs.iter().filter(|o| o.status.success()).count();
        for o in outputs.iter().filter(|o| !o.status.success()) {
            let e = stderr(o);
            assert!(
                // "(pid N)", or "(starting up)" when the other run holds the lock but
                // has not yet written its process id into it.
                e.contains("another careflow run (")
                    && e.contains("is writing there; wait for it to finish")
                    || e.contains("already holds results"),
                "{e}"
            );
        }
        if overwrite {
            assert!(succeeded >= 1);
        } else {
            assert_eq!(succeeded, 1, "{outputs:?}");
        }
        // Whatever the order, the folder holds one run's complete set.
        let now = snapshot(&out);
        let run = String::from_utf8_lossy(&now["run.csv"]).into_owned();
        let (seed, expected) = references
            .iter()
            .find(|(seed, _)| run.contains(&format!("\nseed,{seed}\n")))
            .unwrap_or_else(|| panic!("{run}"));
        assert_same(&deterministic(&now), expected, &format!("seed {seed}"));
        assert!(
            !root
                .path()
                .join(format!(".out-{overwrite}.careflow-lock"))
                .exists()
        );
    }
}

#[test]
fn a_second_run_is_refused_while_the_first_writes_and_a_killed_runs_lock_is_taken_over() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let held = OutputFolder::claim(&out, false).unwrap();
    let lock = root.path().join(".out.careflow-lock");
    assert_eq!(
        std::fs::read_to_string(&lock).unwrap(),
        format!("pid {}", std::process::id())
    );
    // Refused before simulating: no summary printed.
    let output = run_scenario(&out, &["--overwrite"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).trim_end(),
        format!(
            "error: {}: another careflow run (pid {}) is writing there; wait for it to finish, or --out another folder (the lock is {}; if no careflow run is writing there, delete it)",
            out.display(),
            std::process::id(),
            lock.display()
        )
    );
    assert!(output.stdout.is_empty());
    drop(held);
    assert!(!lock.exists() && !out.exists());
    assert_eq!(names(root.path()), Vec::<String>::new());

    // A run killed while simulating leaves its lock file, unlocked: the next run takes over.
    let mut child = run_scenario(&out, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while !lock.exists() {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(lock.exists());
    let output = run_scenario(&out, &[]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(names(root.path()), ["out"]);

    // The same for a lock file written by hand or by a run on a build that died long ago.
    std::fs::write(&lock, "pid 1").unwrap();
    let folder = OutputFolder::claim(&out, true).unwrap();
    folder.commit().unwrap();
    assert!(!lock.exists());
}

#[test]
fn leftovers_of_killed_runs_are_cleared_and_the_users_files_recovered() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let staging = |name: &str, files: &[&str]| {
        let dir = root.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        for file in files {
            std::fs::write(dir.join(file), *file).unwrap();
        }
        dir
    };
    // Killed before its swap: careflow's files only, removed.
    let before = staging(
        ".out.careflow-staging-AbC123",
        &["summary.csv", ".daily.csv.x1Y2z3.tmp"],
    );
    // Killed just after its swap: the earlier results and a file of the user's. With no
    // output folder to move it into, it is kept and reported.
    let after = staging(".out.careflow-staging-DeF456", &["run.csv", "notes.txt"]);
    // Another folder's staging is not ours to touch.
    let other = staging(".other.careflow-staging-GhI789", &["run.csv"]);

    let output = run_scenario(&out, &[]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(!before.exists());
    assert_eq!(names(&after), ["notes.txt"]);
    assert_eq!(names(&other), ["run.csv"]);
    let e = stderr(&output);
    assert!(
        e.contains(&format!(
            "warning: {} holds 1 file(s) or folder(s) from {} that could not be moved back into it",
            after.display(),
            out.display()
        )),
        "{e}"
    );
    // Nothing of the leftovers was taken for results.
    assert_eq!(
        names(&out),
        ["daily.csv", "replications.csv", "run.csv", "summary.csv"]
    );
    // Now that the folder exists, the next run moves the user's file back into it.
    let output = run_scenario(&out, &["--overwrite"]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(!after.exists());
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "notes.txt"
    );
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
}

#[test]
fn overwrite_keeps_the_users_files_and_the_folders_permissions() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let first = run_scenario(&out, &["--html"]).output().unwrap();
    assert!(first.status.success(), "{first:?}");
    std::fs::create_dir(out.join("figures")).unwrap();
    std::fs::write(out.join("figures/plot.png"), "png").unwrap();
    std::fs::write(out.join(".hidden"), "mine too").unwrap();
    std::fs::write(root.path().join("elsewhere.txt"), "target").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::os::unix::fs::symlink("../elsewhere.txt", out.join("link.txt")).unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o750)).unwrap();
    }
    // An earlier careflow's temporary file, left by a kill: careflow's, so removed.
    std::fs::write(out.join(".summary.csv.tmp"), "variant\n").unwrap();

    let again = run_scenario(&out, &["--seed", "5", "--overwrite"])
        .output()
        .unwrap();
    assert!(again.status.success(), "{again:?}");
    let mut expected = vec![
        ".hidden",
        "daily.csv",
        "figures",
        "replications.csv",
        "run.csv",
        "summary.csv",
    ];
    if cfg!(unix) {
        expected.push("link.txt");
        expected.sort();
    }
    // report.html of the earlier run is gone: the folder holds one run.
    assert_eq!(names(&out), expected);
    assert_eq!(
        std::fs::read_to_string(out.join("figures/plot.png")).unwrap(),
        "png"
    );
    assert_eq!(
        std::fs::read_to_string(out.join(".hidden")).unwrap(),
        "mine too"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::read_to_string(out.join("link.txt")).unwrap(),
            "target"
        );
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o750);
        // Result files are as readable as any new file, not 0600 as temporary files are.
        let mode = std::fs::metadata(out.join("summary.csv"))
            .unwrap()
            .permissions()
            .mode();
        assert_ne!(mode & 0o044, 0, "{mode:o}");
    }
    let wrote: Vec<String> = String::from_utf8_lossy(&again.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("wrote ").map(str::to_owned))
        .collect();
    assert_eq!(wrote.len(), 4, "{wrote:?}");
    for path in wrote {
        assert!(Path::new(&path).starts_with(&out) && Path::new(&path).exists());
    }
    assert_eq!(names(root.path()), ["elsewhere.txt", "out"]);
}

/// Plants, at every name careflow used or uses for temporary files and locks in `dir`, a
/// symbolic link to `victim`.
#[cfg(unix)]
fn plant_links(dir: &Path, victim: &Path, names: &[String]) {
    std::fs::create_dir_all(dir).unwrap();
    for name in names {
        std::os::unix::fs::symlink(victim, dir.join(name)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn links_planted_at_temporary_names_are_never_written_through() {
    let root = tempfile::tempdir().unwrap();
    let victim = root.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let results = careflow::report::RESULT_FILES;
    let temp_names: Vec<String> = results
        .iter()
        .flat_map(|n| [format!(".{n}.tmp"), format!(".{n}.000000.tmp")])
        .chain(
            ["shard-1-of-2.cbor", "shard-1-of-2.csv"]
                .iter()
                .flat_map(|n| [format!(".{n}.tmp"), format!(".{n}.000000.tmp")]),
        )
        .collect();

    // The library's writers, straight into a folder.
    let scenario = scenario_dir("erlang_b_ward");
    let mut experiment = Experiment::load(&scenario).unwrap();
    experiment.variants_mut()[0]
        .model
        .settings_mut()
        .horizon_days = 60.0;
    let result = experiment.run(&Plan::replications(2));
    let info = RunInfo {
        scenario: "erlang_b_ward".into(),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    let direct = root.path().join("direct");
    plant_links(&direct, &victim, &temp_names);
    // Links at the final names too: replaced, not followed.
    plant_links(&direct, &victim, &["summary.csv".to_string()]);
    report.write_csv(&direct).unwrap();
    report.write_html(&direct.join("report.html")).unwrap();
    let shard = experiment
        .run_shard(&Plan::replications(2), Shard::new(1, 2).unwrap())
        .unwrap();
    careflow::report::write_shard_csv(&experiment, &shard, &direct).unwrap();
    ShardFile::new(&scenario, shard)
        .unwrap()
        .write(&direct)
        .unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    for name in [
        "summary.csv",
        "report.html",
        "shard-1-of-2.cbor",
        "shard-1-of-2.csv",
    ] {
        assert!(
            std::fs::symlink_metadata(direct.join(name))
                .unwrap()
                .file_type()
                .is_file(),
            "{name}"
        );
    }

    // The examples, with links planted in the output folder and at the lock's name.
    let out = root.path().join("out");
    plant_links(&out, &victim, &temp_names);
    let output = run_scenario(&out, &["--html"]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let lock = root.path().join(".out.careflow-lock");
    std::os::unix::fs::symlink(&victim, &lock).unwrap();
    let output = run_scenario(&out, &["--overwrite"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!(
            "{} is in the way of careflow's lock and is not one",
            lock.display()
        )),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    std::fs::remove_file(&lock).unwrap();

    // Shards: links at the shard's lock and temporary names.
    let shards = root.path().join("shards");
    plant_links(&shards, &victim, &temp_names);
    let output = Command::new(example("compare_policies"))
        .arg(scenario_dir("erlang_b_ward"))
        .args(["--replications", "2", "--shard", "1/2", "--out"])
        .arg(&shards)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    std::os::unix::fs::symlink(&victim, shards.join(".shard-2-of-2.careflow-lock")).unwrap();
    let output = Command::new(example("compare_policies"))
        .arg(scenario_dir("erlang_b_ward"))
        .args(["--replications", "2", "--shard", "2/2", "--out"])
        .arg(&shards)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is in the way of careflow's lock"));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
}

#[test]
fn a_folder_that_cannot_be_written_is_refused_before_simulating() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("file.txt");
    std::fs::write(&file, "not a folder").unwrap();
    let mut cases: Vec<(PathBuf, &str)> = vec![
        (file.clone(), "not a folder; --out a folder"),
        (file.join("out"), "cannot write"),
    ];
    // Permissions stop everyone but root: check they bite before relying on them.
    #[cfg(unix)]
    let locked = {
        use std::os::unix::fs::PermissionsExt;
        let locked = root.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(locked.join("probe"), "").is_err() {
            cases.push((locked.join("out"), "cannot write"));
            let inner = root.path().join("inner");
            std::fs::create_dir(&inner).unwrap();
            std::fs::write(inner.join("summary.csv"), "variant\n").unwrap();
            std::fs::set_permissions(&inner, std::fs::Permissions::from_mode(0o555)).unwrap();
            cases.push((inner, "cannot write"));
        }
        locked
    };
    for (out, message) in &cases {
        for program in ["run_scenario", "compare_policies"] {
            let output = Command::new(example(program))
                .args(["--replications", "2", "--overwrite", "--out"])
                .arg(out)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(1), "{program} {out:?}");
            let e = stderr(&output);
            assert!(e.starts_with("error: ") && e.contains(message), "{e}");
            // Before simulating: no summary, no progress line.
            assert!(output.stdout.is_empty(), "{program} {out:?}");
            assert!(!e.contains("replications"), "{e}");
        }
    }
    // A shard into a folder that cannot be made.
    let output = Command::new(example("compare_policies"))
        .args(["--replications", "2", "--shard", "1/2", "--out"])
        .arg(file.join("shards"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty() && !stderr(&output).contains("pairs"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        let inner = root.path().join("inner");
        if inner.exists() {
            std::fs::set_permissions(&inner, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}

#[test]
fn a_shard_file_with_a_flipped_bit_is_refused_by_the_merge() {
    let root = tempfile::tempdir().unwrap();
    let shards = root.path().join("shards");
    for k in 1..=2 {
        let output = Command::new(example("compare_policies"))
            .arg(scenario_dir("erlang_b_ward"))
            .args(["--replications", "2", "--shard", &format!("{k}/2"), "--out"])
            .arg(&shards)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    let path = shards.join("shard-1-of-2.cbor");
    let mut bytes = std::fs::read(&path).unwrap();
    // One bit in the middle of the results: in a number, it doubles or halves it.
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let output = Command::new(example("merge"))
        .arg(scenario_dir("erlang_b_ward"))
        .arg(&shards)
        .arg("--out")
        .arg(root.path().join("merged"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).trim_end(),
        format!(
            "error: {}: damaged shard file: its contents do not match the SHA-256 checksum it was written with (it changed after it was written, e.g. on disk or in a copy); copy it again from where it ran, or re-run the shard",
            path.display()
        )
    );
    assert!(!root.path().join("merged").exists());
}

#[test]
fn a_shard_run_twice_at_once_is_refused_and_a_killed_shards_leftovers_are_cleared() {
    let root = tempfile::tempdir().unwrap();
    let shards = root.path().join("shards");
    std::fs::create_dir(&shards).unwrap();
    let lock = RunLock::acquire(&shards.join("shard-1-of-2")).unwrap();
    assert_eq!(lock.path(), shards.join(".shard-1-of-2.careflow-lock"));
    let shard = |k: u32| {
        Command::new(example("compare_policies"))
            .arg(scenario_dir("erlang_b_ward"))
            .args(["--replications", "2", "--shard", &format!("{k}/2"), "--out"])
            .arg(&shards)
            .output()
            .unwrap()
    };
    let output = shard(1);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("another careflow run (pid "));
    assert!(output.stdout.is_empty());
    // Another shard writes beside it, as in a Slurm array.
    assert!(shard(2).status.success());
    drop(lock);
    // A killed run of shard 1 left a temporary file: cleared by the next run of shard 1.
    std::fs::write(shards.join(".shard-1-of-2.cbor.Xy12ab.tmp"), "half").unwrap();
    std::fs::write(shards.join(".shard-10-of-20.cbor.Xy12ab.tmp"), "not ours").unwrap();
    assert!(shard(1).status.success());
    assert_eq!(
        names(&shards),
        [
            ".shard-10-of-20.cbor.Xy12ab.tmp",
            "shard-1-of-2.cbor",
            "shard-1-of-2.csv",
            "shard-2-of-2.cbor",
            "shard-2-of-2.csv"
        ]
    );
}

#[test]
fn the_examples_explain_bad_levels_and_replication_limits() {
    for (program, args, message) in [
        (
            "run_scenario",
            &["--level", "-0.5"][..],
            "error: --level: expected a number between 0 and 1, found -0.5",
        ),
        (
            "compare_policies",
            &["--level", "-0.5"][..],
            "error: --level: expected a number between 0 and 1, found -0.5",
        ),
        (
            "merge",
            &["scenarios/baseline", "shards", "--level", "-1"][..],
            "error: --level: expected a number between 0 and 1, found -1",
        ),
        (
            "compare_policies",
            &[
                "--replications",
                "10",
                "--precision",
                "system::diverted",
                "--max-replications",
                "5",
            ][..],
            "error: --max-replications: expected at least --replications (10), found 5",
        ),
        (
            "compare_policies",
            &["--precision", "system::diverted", "--target", "-0.1"][..],
            "error: --target: expected a number above 0, found -0.1",
        ),
    ] {
        let output = Command::new(example(program))
            .args(args)
            .args(["--out", "/nonexistent/never-written"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{program} {args:?}");
        let e = stderr(&output);
        assert!(e.starts_with(message), "{program} {args:?}: {e}");
        assert!(output.stdout.is_empty());
    }
    // Options that mean something only with --precision are refused without it.
    for option in ["--max-replications", "--target"] {
        let output = Command::new(example("compare_policies"))
            .args([option, "5"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let e = stderr(&output);
        assert!(
            e.contains("the following required arguments were not provided")
                && e.contains("--precision"),
            "{e}"
        );
    }
}

#[test]
fn a_closed_standard_output_still_leaves_the_complete_results() {
    // As in `run_scenario | head -1`: the summary is cut short, the results are not.
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let mut child = run_scenario(&out, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        names(&out),
        ["daily.csv", "replications.csv", "run.csv", "summary.csv"]
    );
}

#[test]
fn a_write_that_fails_half_way_leaves_the_folder_as_it_was() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let first = run_scenario(&out, &[]).output().unwrap();
    assert!(first.status.success(), "{first:?}");
    let old = snapshot(&out);

    let scenario = scenario_dir("erlang_b_ward");
    let mut experiment = Experiment::load(&scenario).unwrap();
    experiment.variants_mut()[0]
        .model
        .settings_mut()
        .horizon_days = 60.0;
    let result = experiment.run(&Plan::replications(2));
    let info = RunInfo {
        scenario: "erlang_b_ward".into(),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    let folder = OutputFolder::claim(&out, true).unwrap();
    // The second file cannot be put in place (as with a full disk, the set is left half-done).
    std::fs::create_dir(folder.staging().join("summary.csv")).unwrap();
    std::fs::write(folder.staging().join("summary.csv/x"), "").unwrap();
    let e = report.write_csv(folder.staging()).unwrap_err().to_string();
    assert!(e.contains("summary.csv: cannot write"), "{e}");
    drop(folder);
    assert_same(&snapshot(&out), &old, "after a failed write");
    assert_eq!(names(root.path()), ["out"]);
}

#[cfg(unix)]
#[test]
fn a_link_to_nothing_or_the_root_is_not_an_output_folder() {
    let root = tempfile::tempdir().unwrap();
    let dangling = root.path().join("dangling");
    std::os::unix::fs::symlink(root.path().join("nowhere"), &dangling).unwrap();
    let e = OutputFolder::claim(&dangling, true)
        .unwrap_err()
        .to_string();
    assert!(e.contains("a link to a folder that does not exist"), "{e}");
    assert!(!root.path().join("nowhere").exists());
    let e = OutputFolder::claim(Path::new("/"), true)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("the root folder cannot be an output folder"),
        "{e}"
    );
    // A link to a folder: the folder is replaced, the link still points at it.
    let real = root.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = root.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let folder = OutputFolder::claim(&link, true).unwrap();
    std::fs::write(folder.staging().join("run.csv"), "key,value\n").unwrap();
    folder.commit().unwrap();
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(names(&real), ["run.csv"]);
    assert_eq!(names(root.path()), ["dangling", "link", "real"]);
}
