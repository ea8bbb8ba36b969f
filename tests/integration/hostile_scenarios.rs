//! Hostile scenario folders: links out of the folder, huge or control-character fields,
//! absurd numbers, files with no rows, unclosed quotes and variants that would change the
//! observation window. Each is refused with one exact, readable message that points at the
//! file (and line and column) really at fault, and quotes nothing from outside the folder.

use crate::common::write_scenario;
use careflow::{Experiment, Model};
use std::path::Path;

const SETTINGS: &str = "key,value\nstart_date,2026-04-01\nhorizon_days,30\nseed,1\nreplications,1\ndaily_series,false\n";
const ORGANISATIONS: &str = "id,kind\ntrust,acute_trust\n";
const SERVICES: &str = "id,kind,provider,capacity,queue_capacity\nward,acute_bed,trust,10,unlimited\nside,other,trust,5,unlimited\n";
const CLASSES: &str = "id,priority\np,0\n";
const ARRIVALS: &str = "id,class,service,rate_per_day,profile\nin,p,ward,2,busy\n";
const WEEKDAYS: &str = "profile,weekday,multiplier\nbusy,mon,1.2\nbusy,tue,1\nbusy,wed,1\nbusy,thu,1\nbusy,fri,1\nbusy,sat,0.9\nbusy,sun,0.9\n";
const LOS: &str = "class,service,distribution,mean,file\np,ward,empirical,,stays/ward.csv\np,side,exponential,2,\n";
const WARD_STAYS: &str = "days\n1\n2\n3\n";
const ROUTES: &str = "class,service,next,probability\np,ward,side,0.25\np,ward,exit,0.75\n";

/// The contents of a file outside the scenario folder that must never appear in a message.
const SECRET: &str = "root:x:0:0:root:/root:/bin/bash\n";

/// A valid one-ward scenario with a weekday profile and an empirical length of stay, with
/// `replace` (name, contents) written over or beside its files.
fn scenario(replace: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files: Vec<(&str, &str)> = vec![
        ("settings.csv", SETTINGS),
        ("organisations.csv", ORGANISATIONS),
        ("services.csv", SERVICES),
        ("classes.csv", CLASSES),
        ("arrivals.csv", ARRIVALS),
        ("profile_weekdays.csv", WEEKDAYS),
        ("los.csv", LOS),
        ("stays/ward.csv", WARD_STAYS),
        ("routes.csv", ROUTES),
    ];
    for &(name, contents) in replace {
        match files.iter_mut().find(|(n, _)| *n == name) {
            Some(file) => file.1 = contents,
            None => files.push((name, contents)),
        }
    }
    write_scenario(&files)
}

/// The whole error text of loading `dir` (as a model, or with its variants), with the folder
/// written `{dir}`.
fn error(dir: &Path, variants: bool) -> String {
    let text = if variants {
        Experiment::load(dir).map(|_| ()).unwrap_err().to_string()
    } else {
        Model::load(dir).map(|_| ()).unwrap_err().to_string()
    };
    text.replace(&dir.display().to_string(), "{dir}")
}

#[cfg(unix)]
fn link(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symbolic links can be made");
}

#[test]
fn the_base_scenario_loads() {
    let dir = scenario(&[]);
    Model::load(dir.path()).unwrap();
}

#[cfg(unix)]
#[test]
fn links_out_of_the_scenario_folder_are_refused_before_anything_is_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("passwd");
    std::fs::write(&secret, SECRET).unwrap();
    std::fs::create_dir(outside.path().join("stays")).unwrap();
    std::fs::write(outside.path().join("stays/ward.csv"), SECRET).unwrap();
    let refused = "cannot read: a symbolic link that leads outside the scenario folder; scenario files must lie inside it";

    // A fixed file, a fixed file beside an override, an optional file, and the file of an
    // empirical length of stay, each a link to the outside file.
    for (file, variants) in [
        ("classes.csv", false),
        ("settings.csv", true),
        ("profile_periods.csv", false),
        ("stays/ward.csv", false),
        ("variants.csv", true),
    ] {
        let dir = scenario(&[]);
        let path = dir.path().join(file);
        let _ = std::fs::remove_file(&path);
        link(&secret, &path);
        let text = error(dir.path(), variants);
        assert_eq!(text, format!("{{dir}}/{file}: {refused}"), "{file}");
        assert!(!text.contains("root:x"), "{file}: {text}");
    }

    // A linked folder: the observation file inside it is outside the scenario folder.
    let dir = scenario(&[]);
    std::fs::remove_dir_all(dir.path().join("stays")).unwrap();
    link(&outside.path().join("stays"), &dir.path().join("stays"));
    assert_eq!(
        error(dir.path(), false),
        format!("{{dir}}/stays/ward.csv: {refused}")
    );

    // A relative link that climbs out through the parent folder is just as outside.
    let dir = scenario(&[]);
    assert_eq!(dir.path().parent(), outside.path().parent());
    std::fs::remove_file(dir.path().join("classes.csv")).unwrap();
    let up = Path::new("..")
        .join(outside.path().file_name().unwrap())
        .join("passwd");
    link(&up, &dir.path().join("classes.csv"));
    assert_eq!(
        error(dir.path(), false),
        format!("{{dir}}/classes.csv: {refused}")
    );

    // A link to nothing is reported as such, not read as an absent optional file.
    let dir = scenario(&[]);
    link(
        &outside.path().join("no_such_file.csv"),
        &dir.path().join("calendar.csv"),
    );
    assert_eq!(
        error(dir.path(), false),
        "{dir}/calendar.csv: cannot read: a symbolic link to nothing (its target does not exist)"
    );
}

#[cfg(unix)]
#[test]
fn links_that_stay_inside_the_scenario_folder_are_followed() {
    let dir = scenario(&[
        ("shared/classes.csv", CLASSES),
        ("data/ward.csv", WARD_STAYS),
    ]);
    std::fs::remove_file(dir.path().join("classes.csv")).unwrap();
    link(
        Path::new("shared/classes.csv"),
        &dir.path().join("classes.csv"),
    );
    std::fs::remove_dir_all(dir.path().join("stays")).unwrap();
    link(Path::new("data"), &dir.path().join("stays"));
    Model::load(dir.path()).unwrap();

    // The scenario folder itself may be reached through a link.
    let elsewhere = tempfile::tempdir().unwrap();
    let alias = elsewhere.path().join("scenario");
    link(dir.path(), &alias);
    Model::load(&alias).unwrap();
}

#[test]
fn a_huge_field_of_nul_bytes_is_quoted_short_and_escaped() {
    let nul = "\0".repeat(8 << 20);
    let services = format!(
        "id,kind,provider,capacity,queue_capacity\nward,acute_bed,trust,{nul},unlimited\nside,other,trust,5,unlimited\n"
    );
    let dir = scenario(&[("services.csv", &services)]);
    let text = error(dir.path(), false);
    assert_eq!(
        text,
        format!(
            "{{dir}}/services.csv:2: column 'capacity': expected a non-negative integer, found \"{}\" (the first 60 of 8388608 characters)",
            "\\0".repeat(60)
        )
    );
    assert!(text.len() < 300, "{} bytes", text.len());
}

#[test]
fn control_characters_in_a_header_are_escaped() {
    let dir = scenario(&[("classes.csv", "id,priority,\u{1b}[31mred\n\"p\",0,x\n")]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/classes.csv:1: unknown column '\\u{1b}[31mred' (allowed: id, priority)"
    );
}

#[test]
fn ids_with_control_characters_or_absurd_lengths_are_refused() {
    let dir = scenario(&[("classes.csv", "id,priority\n\"p\0\",0\n")]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/classes.csv:2: column 'id': expected an id without control characters (NUL, tab, line break, escape, text direction…), found \"p\\0\""
    );
    let dir = scenario(&[("classes.csv", "id,priority\n\"p\nq\",0\n")]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/classes.csv:2: column 'id': expected an id without control characters (NUL, tab, line break, escape, text direction…), found \"p\\nq\""
    );
    // A right-to-left override would make the id read differently in every report.
    let dir = scenario(&[("classes.csv", "id,priority\np\u{202e}x,0\n")]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/classes.csv:2: column 'id': expected an id without control characters (NUL, tab, line break, escape, text direction…), found \"p\\u{202e}x\""
    );
    let long = "w".repeat(201);
    let services = format!("{SERVICES}{long},other,trust,1,0\n");
    let dir = scenario(&[("services.csv", &services)]);
    assert_eq!(
        error(dir.path(), false),
        format!(
            "{{dir}}/services.csv:4: column 'id': expected an id of at most 200 characters, found \"{}\" (the first 60 of 201 characters)",
            "w".repeat(60)
        )
    );
    // An id of 200 characters is fine.
    let services = format!("{SERVICES}{},other,trust,1,0\n", "w".repeat(200));
    Model::load(scenario(&[("services.csv", &services)]).path()).unwrap();
    // A file name with a control character is refused before it is used.
    let dir = scenario(&[(
        "los.csv",
        "class,service,distribution,mean,file\np,ward,empirical,,\"stays/ward.csv\u{7}\"\np,side,exponential,2,\n",
    )]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/los.csv:2: column 'file': expected a file name of at most 255 bytes without control characters, found \"stays/ward.csv\\u{7}\""
    );
}

#[test]
fn huge_numbers_are_written_for_people() {
    let dir = scenario(&[(
        "arrivals.csv",
        "id,class,service,rate_per_day,profile\nin,p,ward,1e308,\n",
    )]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/arrivals.csv:2: column 'rate_per_day': expected at most 10^9 arrivals in a replication (rate × peak profile multiplier × horizon_days, over all streams), found \"1e308 (over 1.798e308 arrivals)\""
    );
}

#[test]
fn a_huge_profile_multiplier_is_blamed_on_the_profile() {
    let weekdays = WEEKDAYS.replace("busy,tue,1\n", "busy,tue,1e308\n");
    let dir = scenario(&[("profile_weekdays.csv", &weekdays)]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/profile_weekdays.csv:3: column 'multiplier': expected a multiplier that keeps arrivals within 10^9 a replication (rate × peak profile multiplier × horizon_days, over all streams), found \"1e308 (over 1.798e308 arrivals)\""
    );
    // A variant's override of the multiplier is blamed at its line of variants.csv.
    let dir = scenario(&[(
        "variants.csv",
        "variant,file,row,column,value\nsurge,profile_weekdays.csv,busy/sat,multiplier,1e10\n",
    )]);
    assert_eq!(
        error(dir.path(), true),
        "variant 'surge': {dir}/variants.csv:2: column 'multiplier': expected a multiplier that keeps arrivals within 10^9 a replication (rate × peak profile multiplier × horizon_days, over all streams), found \"1e10 (6.000e11 arrivals)\""
    );
    // A rate too large on its own is still blamed on the rate.
    let arrivals = ARRIVALS.replace(",2,busy", ",1e9,busy");
    let dir = scenario(&[("arrivals.csv", &arrivals)]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/arrivals.csv:2: column 'rate_per_day': expected at most 10^9 arrivals in a replication (rate × peak profile multiplier × horizon_days, over all streams), found \"1000000000 (3.600e10 arrivals)\""
    );
}

#[test]
fn a_file_with_no_rows_says_so_once() {
    for (file, header, needed) in [
        (
            "services.csv",
            "id,kind,provider,capacity,queue_capacity\n",
            "service",
        ),
        ("classes.csv", "id,priority\n", "class"),
        ("organisations.csv", "id,kind\n", "organisation"),
    ] {
        let dir = scenario(&[(file, header)]);
        assert_eq!(
            error(dir.path(), false),
            format!("{{dir}}/{file}: the file has no rows; a scenario needs at least one {needed}"),
        );
    }
}

#[test]
fn an_unterminated_quote_is_reported_where_it_opens() {
    let services = "id,kind,provider,capacity,queue_capacity\nward,acute_bed,trust,10,unlimited\nside,other,\"trust,5,unlimited\n";
    let dir = scenario(&[("services.csv", services)]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/services.csv:3: malformed CSV: unterminated quote: the field that opens with '\"' on this line is never closed, so the rest of the file would be read into it"
    );
    // In the header, with comments, blank lines and well-quoted fields before it.
    let classes = "# \"a comment\n\nid,\"priority\np,0\n";
    let dir = scenario(&[("classes.csv", classes)]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/classes.csv:3: malformed CSV: unterminated quote: the field that opens with '\"' on this line is never closed, so the rest of the file would be read into it"
    );
    // Quotes that close, doubled quotes and quotes inside a field are fine.
    let classes = "id,priority\n\"p\",\"0\"\n\"q \"\"x\"\"\",1\nr\"s,2\n";
    Model::load(scenario(&[("classes.csv", classes)]).path()).unwrap();
}

#[test]
fn probability_sums_are_rounded_for_people() {
    let routes =
        "class,service,next,probability\np,ward,side,0.1\np,ward,exit,0.2\np,ward,ward,0.699999\n";
    let dir = scenario(&[("routes.csv", routes)]);
    assert_eq!(
        error(dir.path(), false),
        "{dir}/routes.csv:2: column 'probability': probabilities for class 'p' leaving service 'ward' sum to 0.999999, expected 1"
    );
}

#[test]
fn variants_may_not_change_the_observation_window_or_the_measures() {
    let window = "every variant is observed over the baseline's window (start_date, horizon_days, warmup_days), so that differences compare the same days; set it in settings.csv";
    for (key, value, reason) in [
        ("horizon_days", "731", window),
        ("warmup_days", "5", window),
        ("start_date", "2027-01-01", window),
        (
            "wait_threshold_hours",
            "12",
            "every variant counts long waits against the baseline's wait_threshold_hours, so that the same statistics are compared; set it in settings.csv",
        ),
        (
            "replications",
            "3",
            "every variant runs the baseline's seed and replications, so that comparisons are paired; set them in settings.csv",
        ),
    ] {
        let variants = format!(
            "variant,file,row,column,value\nbigger,services.csv,ward,capacity,12\nbigger,settings.csv,{key},value,{value}\n"
        );
        let dir = scenario(&[("variants.csv", &variants)]);
        assert_eq!(
            error(dir.path(), true),
            format!("{{dir}}/variants.csv:3: column 'row': {reason}"),
            "{key}"
        );
    }
    // A row key with a control character names no row and is refused as such.
    let dir = scenario(&[(
        "variants.csv",
        "variant,file,row,column,value\nv,services.csv,\"ward\0\",capacity,12\n",
    )]);
    assert_eq!(
        error(dir.path(), true),
        "{dir}/variants.csv:2: column 'row': expected an id without control characters (NUL, tab, line break, escape, text direction…), found \"ward\\0\""
    );
    // Whether the daily series is recorded changes no statistic: a variant may switch it.
    let dir = scenario(&[(
        "variants.csv",
        "variant,file,row,column,value\ndaily,settings.csv,daily_series,value,true\n",
    )]);
    let experiment = Experiment::load(dir.path()).unwrap();
    assert_eq!(experiment.variants().len(), 2);
}

/// A variant built in code must share the baseline's window and wait threshold too, as a row
/// of `variants.csv` must: otherwise its differences would compare other days.
#[test]
fn a_variant_built_in_code_shares_the_baselines_window() {
    let base = crate::common::bundled("erlang_c_ward");
    type Change = fn(&mut careflow::Settings);
    let changes: [(&str, Change); 4] = [
        ("start_date", |s| {
            s.start_date = s.start_date.succ_opt().unwrap();
        }),
        ("horizon_days", |s| s.horizon_days += 1.0),
        ("warmup_days", |s| s.warmup_days += 1.0),
        ("wait_threshold_hours", |s| s.wait_threshold_hours *= 2.0),
    ];
    for (setting, change) in changes {
        let mut variant = base.clone();
        change(variant.settings_mut());
        let mut experiment = Experiment::new(base.clone());
        let error = experiment.add_variant("other", variant).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "variant 'other': its {setting} differs from the baseline's; every variant is \
                 observed over the baseline's window with its wait threshold, so that \
                 differences compare the same days and statistics"
            )
        );
        assert_eq!(experiment.variants().len(), 1, "{setting}: nothing added");
    }
    // Other settings may differ: the daily series changes no statistic.
    let mut quiet = base.clone();
    quiet.settings_mut().daily_series = !quiet.settings().daily_series;
    Experiment::new(base).add_variant("quiet", quiet).unwrap();
}
