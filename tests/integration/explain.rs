//! Explaining a scenario before running it: the traffic equations' expected arrivals against
//! simulated arrivals on the bundled scenarios, offered load against mean occupancy where
//! nothing blocks and against Erlang's formulas, hostile scenarios (loops nobody leaves,
//! patients multiplying through readmissions, no places, services nobody reaches, huge
//! rates), the printed table's width and the SVG diagram's form.

use crate::common::{copy_dir, scenario_dir, write_scenario};
use careflow::explain::{ExplainError, Explanation, Pressure};
use careflow::{Experiment, Model, Plan, Report, RunInfo, Summary};

/// A wide interval: with deterministic seeds a test either always passes or always fails, and
/// this one must not fail by chance on any of the dozens of services compared.
const LEVEL: f64 = 0.999;

/// The scenario `name`'s variants called `names` (`baseline` first), as an experiment.
fn load_variants(dir: &std::path::Path, names: &[&str]) -> Experiment {
    let all = Experiment::load(dir).unwrap();
    let mut experiment = Experiment::new(all.baseline().clone());
    for v in all
        .variants()
        .iter()
        .filter(|v| v.name != "baseline" && names.contains(&v.name.as_str()))
    {
        experiment.add_variant(&v.name, v.model.clone()).unwrap();
    }
    assert_eq!(experiment.variants().len(), names.len());
    experiment
}

/// Sets the horizon and warm-up of every variant.
fn shorten(experiment: &mut Experiment, warmup: f64, horizon: f64) {
    for v in experiment.variants_mut() {
        let s = v.model.settings_mut();
        s.horizon_days = horizon;
        s.warmup_days = warmup;
        s.daily_series = false;
    }
}

/// Each variant's explanation beside its simulated per-day values of `value` for each service.
fn compare(
    experiment: &Experiment,
    replications: u32,
    value: impl Fn(&careflow::ServiceResult, f64) -> f64,
) -> Vec<(String, Explanation, Vec<Summary>)> {
    let result = experiment.run(&Plan::replications(replications));
    experiment
        .variants()
        .iter()
        .zip(&result.results)
        .map(|(variant, reps)| {
            let explanation = Explanation::of(&variant.model).unwrap();
            let summaries = (0..variant.model.services().len())
                .map(|s| {
                    let values: Vec<f64> = reps
                        .iter()
                        .map(|r| value(&r.services[s], r.observed_days))
                        .collect();
                    Summary::new(&values, LEVEL)
                })
                .collect();
            (variant.name.clone(), explanation, summaries)
        })
        .collect()
}

/// Asserts every service's expected value lies in its simulated interval (widened by
/// `slack`, a share of the expected value, for what the equations leave out).
fn assert_within(
    compared: &[(String, Explanation, Vec<Summary>)],
    expected: impl Fn(&careflow::explain::ServiceLoad) -> f64,
    services: &[&str],
    slack: f64,
) {
    let mut checked = 0;
    for (variant, explanation, summaries) in compared {
        for (s, load) in explanation.services().iter().enumerate() {
            if !services.is_empty() && !services.contains(&load.name.as_str()) {
                continue;
            }
            let want = expected(load);
            let got = &summaries[s];
            let room = got.half_width.unwrap_or(0.0) + slack * want;
            assert!(
                (got.mean - want).abs() <= room,
                "{variant}: {}: expected {want}, simulated {} ± {}",
                load.name,
                got.mean,
                got.half_width.unwrap_or(0.0)
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[test]
fn expected_arrivals_match_simulated_arrivals_on_the_bundled_scenarios() {
    // baseline: emergency and elective streams with hour, weekday and winter profiles;
    // discharge_to_assess: assessment in hospital (baseline) and discharge to assess through
    // interim beds with assessment changing the pathway (d2a_80); peer_pathways: one entry.
    for (name, variants) in [
        ("baseline", &["baseline"][..]),
        ("discharge_to_assess", &["baseline", "d2a_80"][..]),
        ("peer_pathways", &["baseline"][..]),
    ] {
        let mut experiment = load_variants(&scenario_dir(name), variants);
        // Winter (a dated period) inside the window: 1 Dec is day 244.
        shorten(&mut experiment, 200.0, 300.0);
        let compared = compare(&experiment, 8, |s, days| s.arrivals as f64 / days);
        assert_within(&compared, |l| l.arrivals_per_day, &[], 0.0);
        for (variant, explanation, _) in &compared {
            for s in explanation.services() {
                assert!(
                    s.arrivals_per_day.is_finite() && s.offered_load.is_finite(),
                    "{name}/{variant}: {s:?}"
                );
            }
        }
    }
}

#[test]
fn the_interim_beds_of_discharge_to_assess_get_the_predicted_pathways_2_and_3() {
    let experiment = load_variants(
        &scenario_dir("discharge_to_assess"),
        &["baseline", "d2a_80"],
    );
    let model = &experiment.variants()[1].model;
    let e = Explanation::of(model).unwrap();
    let d2a = &e.services()[model.service_id("d2a_beds").unwrap().index()];
    let acute = &e.services()[model.service_id("acute").unwrap().index()];
    // Frail elderly arrivals at acute × (0.06 + 0.03) predicted pathways 2 and 3.
    let frail_at_acute = e
        .flows()
        .iter()
        .filter(|f| f.to == Some(acute.service))
        .map(|f| f.per_day)
        .sum::<f64>();
    assert!(frail_at_acute > 0.0);
    assert!(
        d2a.arrivals_per_day > 3.0 && d2a.arrivals_per_day < 4.0,
        "{d2a:?}"
    );
    // The interim stay is the assessment (14 days): the load is about 3.3 × 14 beds.
    assert!((d2a.mean_stay_days.unwrap() - 14.0).abs() < 1e-9);
    assert!((d2a.offered_load - 14.0 * d2a.arrivals_per_day).abs() < 1e-6);
}

/// The scenario `name` copied with every service's capacity `capacity` and no capacity
/// calendar, so that nobody waits or is turned away.
fn unlimited(name: &str, capacity: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&scenario_dir(name), dir.path());
    let _ = std::fs::remove_file(dir.path().join("calendar.csv"));
    let path = dir.path().join("services.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let rewritten: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 || line.starts_with('#') {
                return line.to_owned();
            }
            let mut cells: Vec<&str> = line.split(',').collect();
            let text = capacity.to_string();
            cells[3] = &text;
            cells.join(",")
        })
        .collect();
    std::fs::write(&path, rewritten.join("\n") + "\n").unwrap();
    dir
}

#[test]
fn offered_load_is_the_mean_occupancy_where_nothing_blocks() {
    // peer_pathways: stays of 5 to 60 days, a warm-up of ten mean care-home stays.
    let dir = unlimited("peer_pathways", 100_000);
    let mut experiment = load_variants(dir.path(), &["baseline"]);
    shorten(&mut experiment, 600.0, 1600.0);
    let compared = compare(&experiment, 8, |s, _| s.mean_occupancy);
    assert_within(&compared, |l| l.offered_load, &[], 0.0);
    for (_, e, _) in &compared {
        for s in e.services() {
            assert_eq!(s.pressure(), Pressure::Fine, "{s:?}");
        }
    }

    // discharge_to_assess: the in-bed assessment counts in acute's stay (baseline), the
    // assessment is the interim beds' stay (d2a_80). Services with stays of months are far
    // from their steady state in a short run, so only the others are compared.
    let dir = unlimited("discharge_to_assess", 100_000);
    let mut experiment = load_variants(dir.path(), &["baseline", "d2a_80"]);
    shorten(&mut experiment, 200.0, 300.0);
    let compared = compare(&experiment, 6, |s, _| s.mean_occupancy);
    assert_within(
        &compared,
        |l| l.offered_load,
        &["ed", "amu", "acute", "d2a_beds", "community", "reablement"],
        0.0,
    );
}

/// Erlang's loss formula B(c, a) by its recursion.
fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

#[test]
fn offered_load_matches_erlang_theory() {
    // M/M/c with an unlimited queue: everyone is admitted, occupancy is the offered load.
    let c = Model::load(scenario_dir("erlang_c_ward")).unwrap();
    let e = Explanation::of(&c).unwrap();
    let ward = &e.services()[0];
    assert!((ward.offered_load - 16.0).abs() < 1e-12);
    assert!((ward.load_ratio.unwrap() - 0.8).abs() < 1e-12);
    assert_eq!(ward.pressure(), Pressure::Fine);
    let mut experiment = Experiment::new(c);
    shorten(&mut experiment, 50.0, 2050.0);
    let compared = compare(&experiment, 8, |s, _| s.mean_occupancy);
    assert_within(&compared, |l| l.offered_load, &[], 0.0);

    // M/M/c/c: arrivals finding every bed full are lost, so occupancy is a(1 − B(c, a)).
    let b = Model::load(scenario_dir("erlang_b_ward")).unwrap();
    let e = Explanation::of(&b).unwrap();
    let ward = &e.services()[0];
    assert!((ward.offered_load - 8.0).abs() < 1e-12);
    let mut experiment = Experiment::new(b);
    shorten(&mut experiment, 50.0, 2050.0);
    let compared = compare(&experiment, 8, |s, _| s.mean_occupancy);
    assert_within(
        &compared,
        |l| l.offered_load * (1.0 - erlang_b(10, l.offered_load)),
        &[],
        0.0,
    );
}

const SETTINGS: &str = "key,value\nstart_date,2026-04-01\nhorizon_days,30\nseed,1\nreplications,1\ndaily_series,false\n";
const ORGANISATIONS: &str = "id,kind\ntrust,acute_trust\n";
const CLASSES: &str = "id,priority\np,0\n";

/// A scenario of wards `a`, `b` and `c` (capacities given), arrivals at `a`, and `routes`
/// and any `more` files.
fn wards(
    capacities: [u32; 3],
    rate: &str,
    routes: &str,
    more: &[(&str, &str)],
) -> tempfile::TempDir {
    let services = format!(
        "id,kind,provider,capacity,queue_capacity\na,acute_bed,trust,{},unlimited\nb,other,trust,{},unlimited\nc,other,trust,{},unlimited\n",
        capacities[0], capacities[1], capacities[2]
    );
    let arrivals = format!("id,class,service,rate_per_day,profile\nin,p,a,{rate},\n");
    let mut files = vec![
        ("settings.csv", SETTINGS),
        ("organisations.csv", ORGANISATIONS),
        ("services.csv", services.as_str()),
        ("classes.csv", CLASSES),
        ("arrivals.csv", arrivals.as_str()),
        (
            "los.csv",
            "class,service,distribution,mean\np,a,exponential,2\np,b,exponential,3\np,c,exponential,1\n",
        ),
        ("routes.csv", routes),
    ];
    files.extend_from_slice(more);
    write_scenario(&files)
}

/// Every number the explanation holds is finite, its table has no NaN or infinity and fits
/// 100 columns, and its diagram is well-formed.
fn assert_sane(e: &Explanation) {
    for s in e.services() {
        for x in [
            s.capacity,
            s.arrivals_per_day,
            s.from_outside_per_day,
            s.offered_load,
        ]
        .into_iter()
        .chain(s.mean_stay_days)
        .chain(s.load_ratio)
        {
            assert!(x.is_finite() && x >= 0.0, "{s:?}");
        }
    }
    for f in e.flows() {
        assert!(f.per_day.is_finite() && f.probability.is_finite(), "{f:?}");
    }
    let text = e.to_string();
    for word in ["NaN", "inf"] {
        assert!(
            !text
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == word),
            "{text}"
        );
    }
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    assert_well_formed(&e.svg());
}

#[test]
fn a_routing_loop_nobody_leaves_is_an_error_naming_its_services() {
    let dir = wards(
        [5, 5, 5],
        "2",
        "class,service,next,probability\np,a,b,1\np,b,c,1\np,c,b,1\n",
        &[],
    );
    let model = Model::load(dir.path()).unwrap();
    let error = Explanation::of(&model).unwrap_err();
    assert_eq!(
        error,
        ExplainError::NeverLeaves {
            class: "p".into(),
            services: vec!["a".into(), "b".into(), "c".into()]
        }
    );
    assert_eq!(
        error.to_string(),
        "patients of class 'p' who reach 'a', 'b' and 'c' can never leave: every route from there leads back among them (check routes.csv and pathways.csv for a way out)"
    );
    // Through the crate's error, as the example program reports it.
    let error: careflow::Error = error.into();
    assert!(error.to_string().starts_with("patients of class 'p'"));
}

#[test]
fn readmissions_that_return_everyone_who_leaves_are_an_error() {
    // Everyone leaving a returns to a: arrivals would grow without bound.
    let dir = wards(
        [5, 5, 5],
        "2",
        "class,service,next,probability\np,a,exit,1\n",
        &[(
            "readmissions.csv",
            "class,service,pathway,probability,within_days,to\np,a,,1,30,a\n",
        )],
    );
    let model = Model::load(dir.path()).unwrap();
    let error = Explanation::of(&model).unwrap_err();
    assert!(
        matches!(&error, ExplainError::Singular { class, services } if class == "p" && services == &["a"]),
        "{error:?}"
    );
    // Half of them return: a cycle the equations solve, arrivals 2 / (1 − 0.5) = 4 a day.
    let dir = wards(
        [5, 5, 5],
        "2",
        "class,service,next,probability\np,a,b,1\n",
        &[(
            "readmissions.csv",
            "class,service,pathway,probability,within_days,to\np,b,,0.5,30,a\n",
        )],
    );
    let e = Explanation::of(&Model::load(dir.path()).unwrap()).unwrap();
    assert!((e.services()[0].arrivals_per_day - 4.0).abs() < 1e-9);
    assert!((e.services()[0].readmissions_per_day - 2.0).abs() < 1e-9);
    assert!((e.services()[1].arrivals_per_day - 4.0).abs() < 1e-9);
    assert_sane(&e);
    assert!(
        e.svg().contains("stroke-dasharray=\"5,4\""),
        "readmissions are dashed"
    );
}

#[test]
fn a_loop_patients_almost_never_leave_is_an_error_not_a_huge_number() {
    let dir = wards(
        [5, 5, 5],
        "2",
        "class,service,next,probability\np,a,a,0.9999999999999\np,a,exit,0.0000000000001\n",
        &[],
    );
    let model = Model::load(dir.path()).unwrap();
    let error = Explanation::of(&model).unwrap_err();
    assert!(error.to_string().contains("'a'"), "{error}");
}

#[test]
fn no_places_unreached_services_and_huge_rates_are_flagged_not_nan() {
    // b has no places but patients go there; c is reached by nobody.
    let dir = wards(
        [5, 0, 7],
        "1000000",
        "class,service,next,probability\np,a,b,0.5\np,a,exit,0.5\n",
        &[],
    );
    let model = Model::load(dir.path()).unwrap();
    let e = Explanation::of(&model).unwrap();
    assert_sane(&e);
    let [a, b, c] = e.services() else { panic!() };
    // A million a day for 2 days into 5 beds.
    assert!((a.offered_load - 2e6).abs() < 1e-3);
    assert_eq!(a.pressure(), Pressure::Unstable);
    assert_eq!(b.load_ratio, None);
    assert_eq!(b.pressure(), Pressure::Unstable);
    assert_eq!(c.arrivals_per_day, 0.0);
    assert_eq!(c.mean_stay_days, None);
    assert_eq!(c.pressure(), Pressure::Unreached);
    let text = e.to_string();
    assert!(text.contains("no places"), "{text}");
    assert!(text.contains("unreached"), "{text}");
    assert!(text.contains("flag: b: "), "{text}");
    assert_eq!(e.flagged().count(), 2);
}

#[test]
fn the_table_fits_100_columns_with_long_names_and_the_diagram_is_deterministic() {
    let long = "a_service_with_a_very_long_name_indeed_that_goes_on_and_on_and_on_for_ever";
    let dir = wards(
        [5, 5, 5],
        "2",
        "class,service,next,probability\np,a,b,0.3\np,a,exit,0.7\np,b,a,0.1\np,b,exit,0.9\n",
        &[],
    );
    for file in ["services.csv", "los.csv", "routes.csv"] {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("p,b,", &format!("p,{long},"))
                .replace(",b,", &format!(",{long},"))
                .replace("\nb,", &format!("\n{long},")),
        )
        .unwrap();
    }
    let model = Model::load(dir.path()).unwrap();
    let e = Explanation::of(&model).unwrap();
    assert_sane(&e);
    assert!(e.to_string().contains(long));
    // The same model, loaded twice, draws the same diagram.
    let again = Explanation::of(&Model::load(dir.path()).unwrap()).unwrap();
    assert_eq!(e.svg(), again.svg());
    // Every bundled scenario, and each of its variants.
    let bundled = std::fs::read_dir(scenario_dir("baseline").parent().unwrap()).unwrap();
    let mut checked = 0;
    for entry in bundled {
        let experiment = Experiment::load(entry.unwrap().path()).unwrap();
        for variant in experiment.variants() {
            let model = &variant.model;
            let e = Explanation::of(model).unwrap_or_else(|err| panic!("{}: {err}", variant.name));
            assert_sane(&e);
            assert_eq!(e.svg(), Explanation::of(model).unwrap().svg());
            assert_eq!(e.to_string(), Explanation::of(model).unwrap().to_string());
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} scenario variants");
}

/// Checks that `svg` is one `<svg>` element whose tags all balance, with no unescaped `&`
/// or `<` in text or attributes.
fn assert_well_formed(svg: &str) {
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    let mut elements = 0;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        assert!(!text.contains('>'), "stray '>' in {text:?}");
        check_entities(text);
        let close = rest[open..].find('>').expect("every tag closes") + open;
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "'<' inside a tag: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "unbalanced </{name}>");
        } else {
            elements += 1;
            let name = tag.split([' ', '/']).next().unwrap();
            assert_eq!(
                tag.matches('"').count() % 2,
                0,
                "unbalanced quotes in <{tag}>"
            );
            check_entities(tag);
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[close + 1..];
        if stack.is_empty() {
            break;
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert_eq!(rest.trim(), "", "nothing after </svg>");
    assert!(elements > 3);
}

/// Every `&` starts one of the entities the report writes.
fn check_entities(text: &str) {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|e| entity.starts_with(e)),
            "bare '&' in {text:?}"
        );
    }
}

#[test]
fn the_html_report_shows_the_diagram_and_expected_against_measured() {
    let mut experiment = Experiment::load(scenario_dir("peer_pathways")).unwrap();
    shorten(&mut experiment, 30.0, 130.0);
    let result = experiment.run(&Plan::replications(2));
    let info = RunInfo {
        scenario: "peer_pathways".into(),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    let dir = tempfile::tempdir().unwrap();
    let path = report.write_html(&dir.path().join("report.html")).unwrap();
    let html = std::fs::read_to_string(path).unwrap();
    assert!(html.contains("<section id=\"scenario\">"));
    assert!(html.contains("id=\"chart-network\""));
    assert!(html.contains("<table class=\"explanation\">"));
    assert!(html.contains("<th>expected arrivals a day</th><th>measured arrivals a day</th>"));
    let figure = html.split("id=\"chart-network\"").nth(1).unwrap();
    let svg = &figure[figure.find("<svg").unwrap()..];
    assert_well_formed(&svg[..svg.find("</svg>").unwrap() + "</svg>".len()]);
}

#[test]
fn the_example_explains_a_scenario_and_writes_the_diagram() {
    let out = tempfile::tempdir().unwrap();
    let svg = out.path().join("network.svg");
    let run = std::process::Command::new(crate::examples::example("explain"))
        .arg(scenario_dir("peer_pathways"))
        .arg("--svg")
        .arg(&svg)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("flag: care_home: offered load 150 is 0.94 of its capacity 160"),
        "{stdout}"
    );
    for line in stdout.lines() {
        assert!(line.chars().count() <= 100, "{line}");
    }
    assert_well_formed(std::fs::read_to_string(&svg).unwrap().trim_end());

    // A scenario folder with a loop nobody leaves: a clear error, exit status 1.
    let dir = wards(
        [5, 5, 5],
        "2",
        "class,service,next,probability\np,a,b,1\np,b,a,1\n",
        &[],
    );
    let run = std::process::Command::new(crate::examples::example("explain"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.starts_with("error: patients of class 'p' who reach 'a' and 'b' can never leave"),
        "{stderr}"
    );
}

#[test]
fn services_counted_in_hours_are_loaded_in_hours_a_week() {
    // 8 referrals a day for a day each, packages uniform on 5 to 15 hours a week (mean 10):
    // 80 hours a week offered to 100; with 100,000 hours nobody waits, and the hours in use
    // are the offered load.
    let files = |capacity: u32| {
        let services = format!(
            "id,kind,provider,capacity,queue_capacity,queue_discipline,unit\nhome_care,home_care,council,{capacity},unlimited,fifo,hours\n"
        );
        write_scenario(&[
            (
                "settings.csv",
                "key,value\nstart_date,2026-04-01\nhorizon_days,2020\nwarmup_days,20\nseed,3\nreplications,8\ndaily_series,false\n",
            ),
            ("organisations.csv", "id,kind\ncouncil,local_authority\n"),
            ("services.csv", &services),
            ("classes.csv", CLASSES),
            (
                "arrivals.csv",
                "id,class,service,rate_per_day,profile\nin,p,home_care,8,\n",
            ),
            (
                "los.csv",
                "class,service,distribution,mean\np,home_care,exponential,1\n",
            ),
            (
                "package_hours.csv",
                "class,service,distribution,value,min,max\np,home_care,uniform,,5,15\n",
            ),
            ("routes.csv", "class,service,next,probability\n"),
        ])
    };
    let dir = files(100);
    let e = Explanation::of(&Model::load(dir.path()).unwrap()).unwrap();
    let hc = &e.services()[0];
    assert!((hc.offered_load - 80.0).abs() < 1e-9, "{hc:?}");
    assert!((hc.mean_package_hours.unwrap() - 10.0).abs() < 1e-9);
    assert!((hc.load_ratio.unwrap() - 0.8).abs() < 1e-9);
    assert!(e.to_string().contains("80.0 h/wk"), "{e}");
    assert_sane(&e);

    let dir = files(100_000);
    let experiment = Experiment::new(Model::load(dir.path()).unwrap());
    let compared = compare(&experiment, 8, |s, _| s.mean_hours_used);
    assert_within(&compared, |l| l.offered_load, &[], 0.0);
}

#[test]
fn a_class_reaching_more_places_than_can_be_solved_is_an_error() {
    // A chain of 2,001 wards: too many to solve densely, refused at once.
    let n = careflow::explain::MAX_PLACES_PER_CLASS + 1;
    let mut services = String::from("id,kind,provider,capacity,queue_capacity\n");
    let mut los = String::from("class,service,distribution,mean\n");
    let mut routes = String::from("class,service,next,probability\n");
    for i in 0..n {
        services.push_str(&format!("w{i},other,trust,5,unlimited\n"));
        los.push_str(&format!("p,w{i},exponential,1\n"));
        let next = if i + 1 < n {
            format!("w{}", i + 1)
        } else {
            "exit".into()
        };
        routes.push_str(&format!("p,w{i},{next},1\n"));
    }
    let dir = write_scenario(&[
        ("settings.csv", SETTINGS),
        ("organisations.csv", ORGANISATIONS),
        ("services.csv", &services),
        ("classes.csv", CLASSES),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,w0,1,\n",
        ),
        ("los.csv", &los),
        ("routes.csv", &routes),
    ]);
    let model = Model::load(dir.path()).unwrap();
    let error = Explanation::of(&model).unwrap_err();
    assert_eq!(
        error.to_string(),
        "patients of class 'p' reach 2001 services and interim stays, more than the 2000 careflow can explain"
    );
}
