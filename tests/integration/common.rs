//! Helpers shared by the integration tests.

use careflow::Model;
use std::path::{Path, PathBuf};

/// The path of a bundled scenario folder.
pub fn scenario_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Loads a bundled scenario, panicking with the scenario errors if it does not load.
pub fn bundled(name: &str) -> Model {
    Model::load(scenario_dir(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Copies a scenario folder (with its subfolders) into `to`, creating it if needed.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Writes `files` (name, contents) into a fresh temporary folder.
pub fn write_scenario(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder can be created");
    for (name, contents) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folders can be created");
        }
        std::fs::write(path, contents).expect("scenario files can be written");
    }
    dir
}

/// Writes the fuzz seed `fuzz/corpus/load_scenario/NAME` (files as `--- NAME` sections) into
/// a fresh temporary folder.
pub fn fuzz_seed(name: &str) -> tempfile::TempDir {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus/load_scenario")
        .join(name);
    let text = std::fs::read_to_string(path).expect("the fuzz seed exists");
    let mut files: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        match line.strip_prefix("--- ") {
            Some(name) => files.push((name.to_owned(), String::new())),
            None => {
                let file = &mut files.last_mut().expect("the seed starts with a header").1;
                file.push_str(line);
                file.push('\n');
            }
        }
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_str()))
        .collect();
    write_scenario(&files)
}

/// A three-service network with blocking and a loop: an assessment unit feeding an acute
/// ward, which discharges some patients to a community bed with no queue (so they wait in
/// the acute bed) and readmits a few back to itself.
pub fn blocking_network(horizon: u32) -> tempfile::TempDir {
    let settings = format!(
        "key,value\nstart_date,2026-04-01\nhorizon_days,{horizon}\nwarmup_days,50\nseed,7\nreplications,4\ndaily_series,false\n"
    );
    write_scenario(&[
        ("settings.csv", &settings),
        (
            "organisations.csv",
            "id,kind\ntrust,acute_trust\ncommunity,community_provider\n",
        ),
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity,queue_discipline\n\
             assessment,ed,trust,6,unlimited,priority\n\
             acute,acute_bed,trust,40,0,fifo\n\
             community,community_bed,community,12,0,fifo\n",
        ),
        ("classes.csv", "id,priority\nfrail,0\nadult,1\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\n\
             frail_in,frail,assessment,4,\n\
             adult_in,adult,assessment,5,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,mean,sd,shape,scale,min,mode,max,value,file\n\
             frail,assessment,exponential,0.2,,,,,,,,\n\
             adult,assessment,uniform,,,,,0.05,,0.3,,\n\
             frail,acute,lognormal,5,4,,,,,,,\n\
             adult,acute,gamma,3,2,,,,,,,\n\
             frail,community,weibull,,,1.5,8,,,,,\n",
        ),
        (
            "routes.csv",
            "class,service,next,probability\n\
             frail,assessment,acute,0.9\n\
             frail,assessment,exit,0.1\n\
             adult,assessment,acute,0.6\n\
             adult,assessment,exit,0.4\n\
             frail,acute,community,0.4\n\
             frail,acute,acute,0.05\n\
             frail,acute,exit,0.55\n",
        ),
    ])
}
