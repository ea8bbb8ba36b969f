//! Scenario loading: a valid folder loads into the expected model, and each kind of bad input
//! gives the full, exact message naming its file, line and column (never a panic).
//!
//! Each bad case replaces one file of a valid base scenario (or removes it) and compares the
//! whole rendered error text, with the temporary folder written `{dir}`.

use crate::common::write_scenario;
use careflow::{
    CapacityChange, Destination, Model, OrganisationKind, Period, QueueCapacity, QueueDiscipline,
    ServiceKind,
};
use std::path::MAIN_SEPARATOR;

const SETTINGS: &str = "\
key,value
start_date,2026-01-07
horizon_days,365
warmup_days,30
seed,42
replications,5
wait_threshold_hours,4
daily_series,false
";

const ORGANISATIONS: &str = "\
id,kind
general,acute_trust
community,community_provider
council,local_authority
icb,commissioner
";

const SERVICES: &str = "\
id,kind,provider,capacity,queue_capacity,queue_discipline
ed,ed,general,20,unlimited,priority
acute,acute_bed,general,300,unlimited,fifo
rehab,community_bed,community,40,0,
homecare,home_care,council,120,unlimited,fifo
";

const CLASSES: &str = "\
id,priority
frail,0
adult,1
";

const ARRIVALS: &str = "\
id,class,service,rate_per_day,profile
frail_walk_in,frail,ed,30,ed_pattern
adult_walk_in,adult,ed,120,ed_pattern
frail_gp_referral,frail,acute,5,
";

const WEEKDAYS: &str = "\
profile,weekday,multiplier
ed_pattern,mon,1.2
ed_pattern,tue,1.0
ed_pattern,wed,1.0
ed_pattern,thu,1.0
ed_pattern,fri,1.0
ed_pattern,sat,0.9
ed_pattern,sun,0.9
";

const PERIODS: &str = "\
profile,from,to,multiplier
ed_pattern,2026-12-20,2027-01-10,1.3
winter,2026-12-01,2027-02-28,1.1
";

const LOS: &str = "\
class,service,distribution,mean,sd,shape,scale,min,mode,max,value,file
frail,ed,triangular,,,,,0.05,0.15,0.5,,
adult,ed,uniform,,,,,0.05,,0.3,,
frail,acute,lognormal,8,6,,,,,,,
adult,acute,gamma,3,2,,,,,,,
frail,rehab,weibull,,,1.5,20,,,,,
adult,rehab,exponential,10,,,,,,,,
frail,homecare,empirical,,,,,,,,,stays/homecare.csv
adult,homecare,fixed,,,,,,,,14,
";

const HOMECARE_STAYS: &str = "days\n30\n45\n60\n";

const ROUTES: &str = "\
class,service,next,probability
frail,ed,acute,0.5
frail,ed,exit,0.5
adult,ed,acute,0.25
adult,ed,exit,0.75
frail,acute,rehab,0.25
frail,acute,homecare,0.25
frail,acute,exit,0.5
adult,acute,rehab,0.125
adult,acute,homecare,0.125
adult,acute,exit,0.75
frail,rehab,homecare,0.5
frail,rehab,exit,0.5
";

const CALENDAR: &str = "\
service,from,to,capacity
acute,2026-12-01,2027-02-28,330
acute,2027-03-01,,290
rehab,2025-12-01,2026-01-31,30
";

/// `profile_hours.csv` for profile `ed_pattern` (0.5 overnight, 1.25 from 08:00), with the
/// rows for `hours` written as `replace` gives them (`None`: left out).
fn hours_with(replace: &[(u32, Option<&str>)]) -> String {
    let mut text = String::from("profile,hour,multiplier\n");
    for hour in 0..24 {
        match replace.iter().find(|(h, _)| *h == hour) {
            Some((_, Some(row))) => text.push_str(&format!("{row}\n")),
            Some((_, None)) => {}
            None => {
                let multiplier = if hour < 8 { 0.5 } else { 1.25 };
                text.push_str(&format!("ed_pattern,{hour},{multiplier}\n"));
            }
        }
    }
    text
}

/// Writes the base scenario with `changes` applied (`None` removes the file), loads it, and
/// renders its errors with the folder written `{dir}`.
fn load_with(changes: &[(&str, Option<&str>)]) -> Result<Model, String> {
    let dir = write_with(changes);
    Model::load(dir.path()).map_err(|e| {
        let prefix = format!("{}{MAIN_SEPARATOR}", dir.path().display());
        e.to_string().replace(&prefix, "{dir}/")
    })
}

/// Writes the base scenario with `changes` applied (`None` removes the file).
fn write_with(changes: &[(&str, Option<&str>)]) -> tempfile::TempDir {
    let hours = hours_with(&[]);
    let mut files: Vec<(&str, &str)> = vec![
        ("settings.csv", SETTINGS),
        ("organisations.csv", ORGANISATIONS),
        ("services.csv", SERVICES),
        ("classes.csv", CLASSES),
        ("arrivals.csv", ARRIVALS),
        ("profile_hours.csv", &hours),
        ("profile_weekdays.csv", WEEKDAYS),
        ("profile_periods.csv", PERIODS),
        ("los.csv", LOS),
        ("stays/homecare.csv", HOMECARE_STAYS),
        ("routes.csv", ROUTES),
        ("calendar.csv", CALENDAR),
    ];
    for &(name, contents) in changes {
        files.retain(|(f, _)| *f != name);
        if let Some(contents) = contents {
            files.push((name, contents));
        }
    }
    write_scenario(&files)
}

#[test]
fn the_base_scenario_loads_with_every_name_resolved() {
    let model = load_with(&[]).unwrap();

    let s = model.settings();
    assert_eq!(s.start_date.to_string(), "2026-01-07");
    assert_eq!((s.horizon_days, s.warmup_days), (365.0, 30.0));
    assert_eq!((s.seed, s.replications), (42, 5));
    assert_eq!((s.wait_threshold_hours, s.daily_series), (4.0, false));

    let organisations: Vec<(&str, OrganisationKind)> = model
        .organisations()
        .iter()
        .map(|o| (o.name(), o.kind()))
        .collect();
    assert_eq!(
        organisations,
        [
            ("general", OrganisationKind::AcuteTrust),
            ("community", OrganisationKind::CommunityProvider),
            ("council", OrganisationKind::LocalAuthority),
            ("icb", OrganisationKind::Commissioner),
        ]
    );

    let services: Vec<_> = model
        .services()
        .iter()
        .map(|s| {
            (
                s.name(),
                s.kind(),
                model.organisations()[s.provider().index()].name(),
                s.capacity(),
                s.queue_capacity(),
                s.discipline(),
            )
        })
        .collect();
    assert_eq!(
        services,
        [
            (
                "ed",
                ServiceKind::EmergencyDepartment,
                "general",
                20,
                QueueCapacity::Unlimited,
                QueueDiscipline::Priority
            ),
            (
                "acute",
                ServiceKind::AcuteBed,
                "general",
                300,
                QueueCapacity::Unlimited,
                QueueDiscipline::Fifo
            ),
            (
                "rehab",
                ServiceKind::CommunityBed,
                "community",
                40,
                QueueCapacity::Limited(0),
                QueueDiscipline::Fifo
            ),
            (
                "homecare",
                ServiceKind::HomeCare,
                "council",
                120,
                QueueCapacity::Unlimited,
                QueueDiscipline::Fifo
            ),
        ]
    );
    let service = |name: &str| model.service_id(name).unwrap();

    let classes: Vec<(&str, u32)> = model
        .classes()
        .iter()
        .map(|c| (c.name(), c.priority()))
        .collect();
    assert_eq!(classes, [("frail", 0), ("adult", 1)]);

    // Profiles are numbered in order of first appearance: hours, weekdays, then periods.
    let names: Vec<&str> = model.profiles().iter().map(|p| p.name()).collect();
    assert_eq!(names, ["ed_pattern", "winter"]);
    let [ed_pattern, winter] = [&model.profiles()[0], &model.profiles()[1]];
    let mut hours = [1.25; 24];
    hours[..8].fill(0.5);
    assert_eq!(ed_pattern.hour_multipliers(), &hours);
    assert_eq!(
        ed_pattern.weekday_multipliers(),
        &[1.2, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9]
    );
    // 2026-12-20 is day 347 and 2027-01-10 (inclusive) ends at day 368 + 1.
    assert_eq!(
        ed_pattern.periods(),
        [Period {
            start: 347.0,
            end: 369.0,
            multiplier: 1.3
        }]
    );
    assert_eq!(winter.hour_multipliers(), &[1.0; 24]);
    assert_eq!(winter.weekday_multipliers(), &[1.0; 7]);
    assert_eq!(
        winter.periods(),
        [Period {
            start: 328.0,
            end: 418.0,
            multiplier: 1.1
        }]
    );
    // Day 0, 2026-01-07, is a Wednesday; day 5 a Monday.
    assert_eq!(ed_pattern.multiplier(9.5 / 24.0), 1.25);
    assert_eq!(ed_pattern.multiplier(5.0 + 2.5 / 24.0), 0.5 * 1.2);

    let arrivals: Vec<_> = model
        .arrivals()
        .iter()
        .map(|a| {
            (
                a.name(),
                model.classes()[a.class().index()].name(),
                model.services()[a.service().index()].name(),
                a.rate_per_day(),
                a.profile().map(|p| model.profile(p).name()),
            )
        })
        .collect();
    assert_eq!(
        arrivals,
        [
            ("frail_walk_in", "frail", "ed", 30.0, Some("ed_pattern")),
            ("adult_walk_in", "adult", "ed", 120.0, Some("ed_pattern")),
            ("frail_gp_referral", "frail", "acute", 5.0, None),
        ]
    );
    let frail = model.arrivals()[0].class();
    let adult = model.arrivals()[1].class();

    let los = |class, name| model.length_of_stay(class, service(name)).unwrap();
    assert_eq!(los(frail, "ed").kind(), "triangular");
    assert_eq!(los(adult, "ed").kind(), "uniform");
    assert_eq!(
        los(frail, "acute"),
        &careflow::LengthOfStay::lognormal(8.0, 6.0).unwrap()
    );
    assert_eq!(los(adult, "acute").kind(), "gamma");
    assert_eq!(los(frail, "rehab").kind(), "weibull");
    assert_eq!(los(adult, "rehab").mean(), 10.0);
    assert_eq!(
        los(frail, "homecare"),
        &careflow::LengthOfStay::empirical(vec![30.0, 45.0, 60.0]).unwrap()
    );
    assert_eq!(los(adult, "homecare").mean(), 14.0);

    let routing = |class, name| -> Vec<(Destination, f64)> {
        model
            .routing(class, service(name))
            .probabilities()
            .collect()
    };
    assert_eq!(
        routing(frail, "acute"),
        [
            (Destination::Service(service("rehab")), 0.25),
            (Destination::Service(service("homecare")), 0.25),
            (Destination::Exit, 0.5),
        ]
    );
    assert_eq!(routing(adult, "rehab"), [(Destination::Exit, 1.0)]);
    assert_eq!(routing(frail, "homecare"), [(Destination::Exit, 1.0)]);

    // The rehab entry began before the start date, so it applies from time 0 and ends after
    // 2026-01-31 (day 24). The first acute entry runs into the second, so it has no revert.
    let change = |time: f64, name: &str, capacity: u32| CapacityChange {
        time,
        service: service(name),
        capacity,
    };
    assert_eq!(
        model.calendar(),
        [
            change(0.0, "rehab", 30),
            change(25.0, "rehab", 40),
            change(328.0, "acute", 330),
            change(418.0, "acute", 290),
        ]
    );
}

#[test]
fn optional_files_and_columns_may_be_left_out() {
    let model = load_with(&[
        ("settings.csv", Some("key,value\nstart_date,2026-01-07\nhorizon_days,365\n")),
        ("services.csv", Some("id,kind,provider,capacity,queue_capacity\ned,ed,general,20,unlimited\nacute,acute_bed,general,300,unlimited\nrehab,community_bed,community,40,0\nhomecare,home_care,council,120,unlimited\n")),
        ("classes.csv", Some("id\nfrail\nadult\n")),
        ("arrivals.csv", Some("id,class,service,rate_per_day\nfrail_walk_in,frail,ed,30\nadult_walk_in,adult,ed,120\n")),
        ("profile_hours.csv", None),
        ("profile_weekdays.csv", None),
        ("profile_periods.csv", None),
        ("calendar.csv", None),
    ])
    .unwrap();
    let s = model.settings();
    assert_eq!((s.warmup_days, s.seed, s.replications), (0.0, 1, 10));
    assert_eq!((s.wait_threshold_hours, s.daily_series), (4.0, true));
    assert!(
        model
            .services()
            .iter()
            .all(|s| s.discipline() == QueueDiscipline::Fifo)
    );
    assert!(model.classes().iter().all(|c| c.priority() == 0));
    assert!(model.profiles().is_empty());
    assert!(model.calendar().is_empty());
}

#[test]
fn comments_blank_lines_spaces_and_column_order_are_allowed() {
    let model = load_with(&[(
        "classes.csv",
        Some("# Patient classes\npriority , id\n\n  3 ,  frail \n   \n# adults next\n4,adult\n"),
    )])
    .unwrap();
    let classes: Vec<(&str, u32)> = model
        .classes()
        .iter()
        .map(|c| (c.name(), c.priority()))
        .collect();
    assert_eq!(classes, [("frail", 3), ("adult", 4)]);
}

/// (what is wrong, file replaced, its new contents or `None` to remove it, the whole message).
type Case = (&'static str, &'static str, Option<String>, &'static str);

fn cases() -> Vec<Case> {
    let text = |s: &str| Some(s.to_owned());
    vec![
        (
            "a required file is missing",
            "services.csv",
            None,
            "{dir}/services.csv: cannot read: no such file",
        ),
        (
            "a required column is missing",
            "services.csv",
            text(
                "id,kind,provider,queue_capacity,queue_discipline\n\
                 ed,ed,general,unlimited,priority\n",
            ),
            "{dir}/services.csv:1: missing column 'capacity'",
        ),
        (
            "a column is unknown",
            "organisations.csv",
            text(
                "id,kind,region\ngeneral,acute_trust,north\ncommunity,community_provider,north\ncouncil,local_authority,north\nicb,commissioner,north\n",
            ),
            "{dir}/organisations.csv:1: unknown column 'region' (allowed: id, kind)",
        ),
        (
            "a column appears twice",
            "classes.csv",
            text("id,priority,id\nfrail,0,frail\n"),
            "{dir}/classes.csv:1: malformed CSV: column 'id' appears more than once in the header",
        ),
        (
            "a rate is not a number",
            "arrivals.csv",
            text(
                "id,class,service,rate_per_day,profile\nfrail_walk_in,frail,ed,30,ed_pattern\nadult_walk_in,adult,ed,lots,ed_pattern\n",
            ),
            "{dir}/arrivals.csv:3: column 'rate_per_day': expected a number of at least 0, found \"lots\"",
        ),
        (
            "a capacity is negative",
            "services.csv",
            text(&SERVICES.replace("general,300,", "general,-3,")),
            "{dir}/services.csv:3: column 'capacity': expected a non-negative integer, found \"-3\"",
        ),
        (
            "a queue capacity is neither a number nor unlimited",
            "services.csv",
            text(&SERVICES.replace("community,40,0,", "community,40,infinite,")),
            "{dir}/services.csv:4: column 'queue_capacity': expected 'unlimited' or a non-negative integer, found \"infinite\"",
        ),
        (
            "a queue discipline is unknown",
            "services.csv",
            text(&SERVICES.replace("unlimited,priority", "unlimited,lifo")),
            "{dir}/services.csv:2: column 'queue_discipline': expected fifo or priority, found \"lifo\"",
        ),
        (
            "a service kind is unknown",
            "services.csv",
            text(&SERVICES.replace("homecare,home_care,", "homecare,domiciliary,")),
            "{dir}/services.csv:5: column 'kind': expected one of ed, acute_bed, community_bed, reablement, home_care, care_home, d2a_bed or other, found \"domiciliary\"",
        ),
        (
            "an organisation kind is unknown",
            "organisations.csv",
            text(&ORGANISATIONS.replace("community_provider", "nhs_trust")),
            "{dir}/organisations.csv:3: column 'kind': expected one of acute_trust, community_provider, local_authority, commissioner or independent_provider, found \"nhs_trust\"",
        ),
        (
            "a provider is not an organisation",
            "services.csv",
            text(&SERVICES.replace(
                "rehab,community_bed,community,",
                "rehab,community_bed,communty,",
            )),
            "{dir}/services.csv:4: column 'provider': expected an organisation in organisations.csv, found \"communty\"",
        ),
        (
            "a provider is a commissioner",
            "services.csv",
            text(&SERVICES.replace("home_care,council,", "home_care,icb,")),
            "{dir}/services.csv:5: column 'provider': 'icb' is a commissioner: commissioners pay for care but provide none",
        ),
        (
            "a service is called exit",
            "services.csv",
            text(&format!("{SERVICES}exit,other,general,1,0,\n")),
            "{dir}/services.csv:6: column 'id': expected an id other than 'exit', which routes.csv uses for leaving the system, found \"exit\"",
        ),
        (
            "a service id is defined twice",
            "services.csv",
            text(&format!("{SERVICES}acute,acute_bed,general,10,0,fifo\n")),
            "{dir}/services.csv:6: column 'id': duplicate id \"acute\" (first defined on line 3)",
        ),
        (
            "a row has too few fields",
            "services.csv",
            text(&SERVICES.replace("300,unlimited,fifo", "300,unlimited")),
            "{dir}/services.csv:3: malformed CSV: expected 6 fields, as in the header, found 5",
        ),
        (
            "a malformed los.csv row gives no missing length of stay as well",
            "los.csv",
            text(&LOS.replace(
                "frail,rehab,weibull,,,1.5,20,,,,,",
                "frail,rehab,weibull,,,1.5,20,,,,",
            )),
            "{dir}/los.csv:6: malformed CSV: expected 12 fields, as in the header, found 11",
        ),
        (
            "a malformed routes.csv row gives no wrong sum as well",
            "routes.csv",
            text(&ROUTES.replace("frail,ed,exit,0.5", "frail,ed,exit")),
            "{dir}/routes.csv:3: malformed CSV: expected 4 fields, as in the header, found 3",
        ),
        (
            "a malformed hour row gives no missing hour as well",
            "profile_hours.csv",
            Some(hours_with(&[(5, Some("ed_pattern,5"))])),
            "{dir}/profile_hours.csv:7: malformed CSV: expected 3 fields, as in the header, found 2",
        ),
        (
            "an id is empty",
            "classes.csv",
            text("id,priority\n,0\nadult,1\n"),
            "{dir}/classes.csv:2: column 'id': expected a non-empty id, found \"\"",
        ),
        (
            "a priority is negative",
            "classes.csv",
            text("id,priority\nfrail,-1\nadult,1\n"),
            "{dir}/classes.csv:2: column 'priority': expected a non-negative integer, found \"-1\"",
        ),
        (
            "an arrival names an unknown class",
            "arrivals.csv",
            text(&ARRIVALS.replace("adult_walk_in,adult,", "adult_walk_in,child,")),
            "{dir}/arrivals.csv:3: column 'class': expected a class in classes.csv, found \"child\"",
        ),
        (
            "an arrival names an unknown profile",
            "arrivals.csv",
            text(&ARRIVALS.replace("30,ed_pattern", "30,weekend")),
            "{dir}/arrivals.csv:2: column 'profile': expected a profile in profile_hours.csv, profile_weekdays.csv or profile_periods.csv, found \"weekend\"",
        ),
        (
            "an hour profile lacks hours",
            "profile_hours.csv",
            Some(hours_with(&[(3, None), (4, None)])),
            "{dir}/profile_hours.csv:2: column 'hour': profile 'ed_pattern' must give each hour from 0 to 23 once; missing 3, 4",
        ),
        (
            "an hour profile repeats an hour",
            "profile_hours.csv",
            Some(hours_with(&[(10, Some("ed_pattern,9,1.25"))])),
            "{dir}/profile_hours.csv:2: column 'hour': profile 'ed_pattern' must give each hour from 0 to 23 once; missing 10\n\
             {dir}/profile_hours.csv:12: duplicate entry for profile 'ed_pattern' hour 9 (first given on line 11)",
        ),
        (
            "an hour is out of range",
            "profile_hours.csv",
            Some(hours_with(&[(23, Some("ed_pattern,24,1.25"))])),
            "{dir}/profile_hours.csv:25: column 'hour': expected an hour of the day from 0 to 23, found \"24\"",
        ),
        (
            "a weekday is misspelt",
            "profile_weekdays.csv",
            text(&WEEKDAYS.replace("mon,", "monday,")),
            "{dir}/profile_weekdays.csv:2: column 'weekday': expected one of mon, tue, wed, thu, fri, sat or sun, found \"monday\"",
        ),
        (
            "a multiplier is negative",
            "profile_weekdays.csv",
            text(&WEEKDAYS.replace("sat,0.9", "sat,-0.9")),
            "{dir}/profile_weekdays.csv:7: column 'multiplier': expected a number of at least 0, found \"-0.9\"",
        ),
        (
            "two periods of a profile overlap",
            "profile_periods.csv",
            text(&format!("{PERIODS}ed_pattern,2027-01-01,2027-01-31,1.2\n")),
            "{dir}/profile_periods.csv:4: entry for profile 'ed_pattern' overlaps the entry on line 2",
        ),
        (
            "a period ends before it starts",
            "profile_periods.csv",
            text(&PERIODS.replace("2026-12-20,2027-01-10", "2026-12-20,2026-12-10")),
            "{dir}/profile_periods.csv:2: column 'to': expected a date on or after from (2026-12-20), found \"2026-12-10\"",
        ),
        (
            "a start date is not a date",
            "settings.csv",
            text(&SETTINGS.replace("2026-01-07", "2026-13-01")),
            "{dir}/settings.csv:2: column 'value': expected a date as YYYY-MM-DD, found \"2026-13-01\"",
        ),
        (
            "a required setting is missing",
            "settings.csv",
            text(&SETTINGS.replace("start_date,2026-01-07\n", "")),
            "{dir}/settings.csv:1: column 'key': missing required key 'start_date'",
        ),
        (
            "a setting key is unknown",
            "settings.csv",
            text(&format!("{SETTINGS}random_seed,3\n")),
            "{dir}/settings.csv:9: column 'key': expected one of start_date, horizon_days, warmup_days, observe_financial_years, seed, replications, wait_threshold_hours or daily_series, found \"random_seed\"",
        ),
        (
            "a setting is given twice",
            "settings.csv",
            text(&format!("{SETTINGS}seed,43\n")),
            "{dir}/settings.csv:9: column 'key': duplicate id \"seed\" (first defined on line 5)",
        ),
        (
            "the warm-up is not shorter than the horizon",
            "settings.csv",
            text(&SETTINGS.replace("warmup_days,30", "warmup_days,400")),
            "{dir}/settings.csv:4: column 'value': expected a number of at least 0 and less than horizon_days (365), found \"400\"",
        ),
        (
            "a distribution is unknown",
            "los.csv",
            text(&LOS.replace("adult,rehab,exponential,", "adult,rehab,normal,")),
            "{dir}/los.csv:7: column 'distribution': expected one of exponential, lognormal, gamma, weibull, triangular, uniform, fixed or empirical, found \"normal\"",
        ),
        (
            "a lognormal sd is zero",
            "los.csv",
            text(&LOS.replace("lognormal,8,6,", "lognormal,8,0,")),
            "{dir}/los.csv:4: column 'sd': expected a number greater than 0, found \"0\"",
        ),
        (
            "a parameter is not a number",
            "los.csv",
            text(&LOS.replace("gamma,3,2,", "gamma,3,two,")),
            "{dir}/los.csv:5: column 'sd': expected a number greater than 0, found \"two\"",
        ),
        (
            "a distribution is given a parameter it does not use",
            "los.csv",
            text(&LOS.replace("lognormal,8,6,,", "lognormal,8,6,2,")),
            "{dir}/los.csv:4: column 'shape': lognormal does not use 'shape'",
        ),
        (
            "a distribution lacks a parameter",
            "los.csv",
            text(&LOS.replace("lognormal,8,6,", "lognormal,8,,")),
            "{dir}/los.csv:4: column 'sd': expected a number greater than 0 (lognormal needs 'sd', or 'median' in its place), found \"\"",
        ),
        (
            "a triangular mode is outside its bounds",
            "los.csv",
            text(&LOS.replace("0.05,0.15,0.5", "0.05,0.6,0.5")),
            "{dir}/los.csv:2: column 'mode': expected a number from min (0.05) to max (0.5), found \"0.6\"",
        ),
        (
            "a uniform maximum is below its minimum",
            "los.csv",
            text(&LOS.replace("0.05,,0.3", "0.05,,0.01")),
            "{dir}/los.csv:3: column 'max': expected a number greater than min (0.05), found \"0.01\"",
        ),
        (
            "a length of stay is given twice",
            "los.csv",
            text(&format!("{LOS}frail,ed,exponential,0.2,,,,,,,,\n")),
            "{dir}/los.csv:10: duplicate entry for class 'frail' at service 'ed' (first given on line 2)",
        ),
        (
            "an empirical file is empty",
            "stays/homecare.csv",
            text("days\n"),
            "{dir}/los.csv:8: column 'file': 'stays/homecare.csv' has no observations",
        ),
        (
            "an empirical file has a bad value",
            "stays/homecare.csv",
            text("days\n30\nforty\n60\n"),
            "{dir}/stays/homecare.csv:3: column 'days': expected a number of at least 0, found \"forty\"",
        ),
        (
            "an empirical file is missing",
            "stays/homecare.csv",
            None,
            "{dir}/stays/homecare.csv: cannot read: no such file",
        ),
        (
            "a reachable service has no length of stay",
            "los.csv",
            text(&LOS.replace("frail,rehab,weibull,,,1.5,20,,,,,\n", "")),
            "{dir}/los.csv: no length of stay for class 'frail' at service 'rehab', which it reaches by routes.csv line 6",
        ),
        (
            "an entry service has no length of stay",
            "los.csv",
            text(&LOS.replace("adult,ed,uniform,,,,,0.05,,0.3,,\n", "")),
            "{dir}/los.csv: no length of stay for class 'adult' at service 'ed', which it reaches by arrival stream 'adult_walk_in'",
        ),
        (
            "a route names an unknown service",
            "routes.csv",
            text(&ROUTES.replace("frail,acute,rehab,", "frail,acute,icu,")),
            "{dir}/routes.csv:6: column 'next': expected a service in services.csv or 'exit', found \"icu\"",
        ),
        (
            "probabilities do not sum to 1",
            "routes.csv",
            text(&ROUTES.replace("frail,ed,exit,0.5", "frail,ed,exit,0.25")),
            "{dir}/routes.csv:2: column 'probability': probabilities for class 'frail' leaving service 'ed' sum to 0.75, expected 1",
        ),
        (
            "a probability is above 1",
            "routes.csv",
            text(&ROUTES.replace("adult,ed,exit,0.75", "adult,ed,exit,1.5")),
            "{dir}/routes.csv:5: column 'probability': expected a probability from 0 to 1, found \"1.5\"",
        ),
        (
            "a route is given twice",
            "routes.csv",
            text(&format!("{ROUTES}frail,ed,exit,0.25\n")),
            "{dir}/routes.csv:14: duplicate entry for class 'frail' from service 'ed' to 'exit' (first given on line 3)",
        ),
        (
            "two calendar entries of a service overlap",
            "calendar.csv",
            text(&CALENDAR.replace("acute,2027-03-01,,290", "acute,2027-02-01,,290")),
            "{dir}/calendar.csv:3: entry for service 'acute' overlaps the entry on line 2",
        ),
        (
            "a calendar date is not a date",
            "calendar.csv",
            text(&CALENDAR.replace("acute,2026-12-01,", "acute,01/12/2026,")),
            "{dir}/calendar.csv:2: column 'from': expected a date as YYYY-MM-DD, found \"01/12/2026\"",
        ),
        (
            "a calendar entry ends before it starts",
            "calendar.csv",
            text(&CALENDAR.replace("2026-12-01,2027-02-28", "2026-12-01,2026-11-30")),
            "{dir}/calendar.csv:2: column 'to': expected a date on or after from (2026-12-01), or empty, found \"2026-11-30\"",
        ),
        (
            "a calendar entry ends before the start date",
            "calendar.csv",
            text(&CALENDAR.replace("2026-01-31", "2025-12-31")),
            "{dir}/calendar.csv:4: column 'to': the entry ends on 2025-12-31, before start_date 2026-01-07 in settings.csv",
        ),
    ]
}

#[test]
fn each_bad_scenario_gives_its_exact_message() {
    let mut failures = Vec::new();
    for (what, file, contents, expected) in cases() {
        match load_with(&[(file, contents.as_deref())]) {
            Ok(_) => failures.push(format!("{what}: loaded without error")),
            Err(message) if message != expected => failures.push(format!(
                "{what}:\n  expected: {expected}\n  found:    {}",
                message.replace('\n', "\n            ")
            )),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn problems_in_several_files_are_reported_together_in_file_order() {
    let message = load_with(&[
        (
            "routes.csv",
            Some(&ROUTES.replace("adult,ed,acute,0.25", "adult,ed,acute,a quarter")),
        ),
        (
            "settings.csv",
            Some(&SETTINGS.replace("horizon_days,365", "horizon_days,0")),
        ),
        (
            "services.csv",
            Some(&SERVICES.replace("general,300,unlimited,fifo", "general,x,unlimited,lifo")),
        ),
    ])
    .unwrap_err();
    assert_eq!(
        message,
        "{dir}/settings.csv:3: column 'value': expected a number of days greater than 0 and at most 365250 (a thousand years), found \"0\"\n\
         {dir}/services.csv:3: column 'capacity': expected a non-negative integer, found \"x\"\n\
         {dir}/services.csv:3: column 'queue_discipline': expected fifo or priority, found \"lifo\"\n\
         {dir}/routes.csv:4: column 'probability': expected a probability from 0 to 1, found \"a quarter\""
    );
}

#[test]
fn errors_are_data_with_their_file_and_line() {
    let dir = write_scenario(&[("settings.csv", "key,value\nstart_date,2026-01-07\n")]);
    let careflow::Error::Scenario(errors) = Model::load(dir.path()).unwrap_err() else {
        panic!("expected scenario errors");
    };
    let first = &errors.errors()[0];
    assert_eq!(first.path(), dir.path().join("settings.csv"));
    assert_eq!(first.line(), Some(1));
    // Every other required file is missing too: each is reported.
    let missing: Vec<_> = errors.errors()[1..]
        .iter()
        .map(|e| e.path().file_name().unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        missing,
        [
            "organisations.csv",
            "services.csv",
            "classes.csv",
            "arrivals.csv",
            "los.csv",
            "routes.csv"
        ]
    );
}

// Discharge rules: the base scenario with frail patients leaving acute beds by discharge to
// assess, through a D2A unit (an interim service, which needs no length of stay for them).

const D2A_SERVICES: &str = "\
id,kind,provider,capacity,queue_capacity,queue_discipline
ed,ed,general,20,unlimited,priority
acute,acute_bed,general,300,unlimited,fifo
rehab,community_bed,community,40,0,
homecare,home_care,council,120,unlimited,fifo
d2a,d2a_bed,community,10,unlimited,fifo
";

const DISCHARGE: &str = "\
class,service,model,distribution,mean,sd,shape,scale,min,mode,max,value,file
frail,acute,discharge_to_assess,lognormal,2,1,,,,,,,
";

const PATHWAYS: &str = "\
class,service,pathway,probability,destination,interim
frail,acute,0,0.5,exit,
frail,acute,1,0.25,homecare,d2a
frail,acute,2,0.25,rehab,d2a
";

const PATHWAY_CHANGES: &str = "\
class,service,predicted,actual,probability
frail,acute,1,1,0.75
frail,acute,1,0,0.25
";

/// `ROUTES` without the routes of frail patients leaving acute beds, which the rule replaces.
fn routes_with_rule() -> String {
    ROUTES
        .lines()
        .filter(|l| !l.starts_with("frail,acute,"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Loads the base scenario with the discharge rule, then with `changes` applied.
fn load_with_rule(changes: &[(&str, Option<&str>)]) -> Result<Model, String> {
    with_rule(changes, load_with)
}

/// Calls `f` with the changes that give the base scenario the discharge rule, then `changes`.
fn with_rule<T>(
    changes: &[(&str, Option<&str>)],
    f: impl FnOnce(&[(&str, Option<&str>)]) -> T,
) -> T {
    let routes = routes_with_rule();
    let mut all: Vec<(&str, Option<&str>)> = vec![
        ("services.csv", Some(D2A_SERVICES)),
        ("routes.csv", Some(&routes)),
        ("discharge.csv", Some(DISCHARGE)),
        ("pathways.csv", Some(PATHWAYS)),
        ("pathway_changes.csv", Some(PATHWAY_CHANGES)),
    ];
    all.extend_from_slice(changes);
    f(&all)
}

#[test]
fn a_discharge_rule_loads_with_its_pathways_resolved() {
    let model = load_with_rule(&[]).unwrap();
    let service = |name: &str| model.service_id(name).unwrap();
    let frail = model.arrivals()[0].class();
    let adult = model.arrivals()[1].class();

    let rule = model.discharge_rule(frail, service("acute")).unwrap();
    assert_eq!(rule.model(), careflow::DischargeModel::DischargeToAssess);
    assert_eq!(
        rule.assessment(),
        &careflow::LengthOfStay::lognormal(2.0, 1.0).unwrap()
    );
    assert_eq!(rule.pathway_probabilities(), [0.5, 0.25, 0.25, 0.0]);
    let pathway = |destination, interim| careflow::PathwayServices {
        destination,
        interim,
    };
    assert_eq!(rule.pathway(0), pathway(Destination::Exit, None));
    assert_eq!(
        rule.pathway(1),
        pathway(
            Destination::Service(service("homecare")),
            Some(service("d2a"))
        )
    );
    assert_eq!(
        rule.pathway(2),
        pathway(Destination::Service(service("rehab")), Some(service("d2a")))
    );
    // Pathway 3 has no row: probability 0, and nowhere to go but out.
    assert_eq!(rule.pathway(3), pathway(Destination::Exit, None));

    // Only that (class, service) has a rule; the interim unit needs no stay for the class.
    assert!(model.discharge_rule(adult, service("acute")).is_none());
    assert!(model.discharge_rule(frail, service("ed")).is_none());
    assert!(model.length_of_stay(frail, service("d2a")).is_none());
}

#[test]
fn pathway_files_may_be_left_out_without_discharge_rules_and_changes_without_rules() {
    // No discharge rules: pathways.csv may be missing.
    assert!(load_with(&[("pathways.csv", None), ("discharge.csv", None)]).is_ok());
    // pathway_changes.csv is optional: every predicted pathway is then confirmed.
    assert!(load_with_rule(&[("pathway_changes.csv", None)]).is_ok());
    // The interim column is optional; an assess-in-hospital rule ignores interim services.
    let model = load_with_rule(&[
        (
            "discharge.csv",
            Some(&DISCHARGE.replace("discharge_to_assess", "assess_in_hospital")),
        ),
        (
            "pathways.csv",
            Some(
                "class,service,pathway,probability,destination\n\
                 frail,acute,0,0.5,exit\n\
                 frail,acute,1,0.25,homecare\n\
                 frail,acute,2,0.25,rehab\n",
            ),
        ),
    ])
    .unwrap();
    let frail = model.arrivals()[0].class();
    let rule = model
        .discharge_rule(frail, model.service_id("acute").unwrap())
        .unwrap();
    assert_eq!(rule.model(), careflow::DischargeModel::AssessInHospital);
    assert_eq!(rule.pathway(1).interim, None);
}

fn discharge_cases() -> Vec<Case> {
    let text = |s: &str| Some(s.to_owned());
    vec![
        (
            "a discharge model is unknown",
            "discharge.csv",
            text(&DISCHARGE.replace("discharge_to_assess", "d2a")),
            "{dir}/discharge.csv:2: column 'model': expected assess_in_hospital or discharge_to_assess, found \"d2a\"",
        ),
        (
            "an assessment's lognormal sd is zero",
            "discharge.csv",
            text(&DISCHARGE.replace("lognormal,2,1,", "lognormal,2,0,")),
            "{dir}/discharge.csv:2: column 'sd': expected a number greater than 0, found \"0\"",
        ),
        (
            "an assessment's distribution is unknown",
            "discharge.csv",
            text(&DISCHARGE.replace("lognormal,2,1,", "normal,2,1,")),
            "{dir}/discharge.csv:2: column 'distribution': expected one of exponential, lognormal, gamma, weibull, triangular, uniform, fixed or empirical, found \"normal\"",
        ),
        (
            "an assessment is given a parameter its distribution does not use",
            "discharge.csv",
            text(&DISCHARGE.replace("lognormal,2,1,,,,,,,", "lognormal,2,1,,,,,,3,")),
            "{dir}/discharge.csv:2: column 'value': lognormal does not use 'value'",
        ),
        (
            "a discharge rule names an unknown class, and its pathways are not also reported",
            "discharge.csv",
            text(&DISCHARGE.replace("frail,", "fraill,")),
            "{dir}/discharge.csv:2: column 'class': expected a class in classes.csv, found \"fraill\"",
        ),
        (
            "a discharge rule is given twice",
            "discharge.csv",
            text(&format!(
                "{DISCHARGE}frail,acute,assess_in_hospital,fixed,,,,,,,,1,\n"
            )),
            "{dir}/discharge.csv:3: duplicate entry for class 'frail' at service 'acute' (first given on line 2)",
        ),
        (
            "discharge rules without pathways, among other problems of their file",
            "discharge.csv",
            text(&format!(
                "{DISCHARGE}adult,rehab,assess_in_hospital,fixed,,,,,,,,1,\n\
                 adult,homecare,assess,fixed,,,,,,,,1,\n"
            )),
            "{dir}/discharge.csv:3: column 'service': no pathways for class 'adult' at service 'rehab' in pathways.csv\n\
             {dir}/discharge.csv:4: column 'model': expected assess_in_hospital or discharge_to_assess, found \"assess\"\n\
             {dir}/discharge.csv:4: column 'service': no pathways for class 'adult' at service 'homecare' in pathways.csv",
        ),
        (
            "routes are given for a (class, service) with a discharge rule",
            "routes.csv",
            text(ROUTES),
            "{dir}/routes.csv:6: column 'service': class 'frail' at service 'acute' has a discharge rule in discharge.csv, which replaces its routes",
        ),
        (
            "pathways.csv is missing though discharge.csv has rules",
            "pathways.csv",
            None,
            "{dir}/pathways.csv: cannot read: no such file",
        ),
        (
            "a pathway is out of range",
            "pathways.csv",
            text(&PATHWAYS.replace("frail,acute,2,", "frail,acute,4,")),
            "{dir}/pathways.csv:4: column 'pathway': expected a discharge pathway from 0 to 3, found \"4\"",
        ),
        (
            "pathway probabilities do not sum to 1",
            "pathways.csv",
            text(&PATHWAYS.replace("frail,acute,0,0.5,", "frail,acute,0,0.25,")),
            "{dir}/pathways.csv:2: column 'probability': probabilities of the pathways for class 'frail' at service 'acute' sum to 0.75, expected 1",
        ),
        (
            "a pathway probability is above 1",
            "pathways.csv",
            text(&PATHWAYS.replace("frail,acute,0,0.5,", "frail,acute,0,50,")),
            "{dir}/pathways.csv:2: column 'probability': expected a probability from 0 to 1, found \"50\"",
        ),
        (
            "a pathway's destination is unknown",
            "pathways.csv",
            text(&PATHWAYS.replace("homecare,d2a", "home,d2a")),
            "{dir}/pathways.csv:3: column 'destination': expected a service in services.csv or 'exit', found \"home\"",
        ),
        (
            "a pathway's interim service is unknown",
            "pathways.csv",
            text(&PATHWAYS.replace("homecare,d2a", "homecare,d2a_unit")),
            "{dir}/pathways.csv:3: column 'interim': expected a service in services.csv, or empty, found \"d2a_unit\"",
        ),
        (
            "a pathway is given twice",
            "pathways.csv",
            text(&format!("{PATHWAYS}frail,acute,1,0,rehab,\n")),
            "{dir}/pathways.csv:5: duplicate entry for class 'frail' at service 'acute' pathway 1 (first given on line 3)",
        ),
        (
            "pathways are given without a discharge rule",
            "pathways.csv",
            text(&format!("{PATHWAYS}adult,acute,0,1,exit,\n")),
            "{dir}/pathways.csv:5: column 'service': no discharge rule for class 'adult' at service 'acute' in discharge.csv",
        ),
        (
            "pathway changes do not sum to 1",
            "pathway_changes.csv",
            text(&PATHWAY_CHANGES.replace("frail,acute,1,0,0.25", "frail,acute,1,0,0.5")),
            "{dir}/pathway_changes.csv:2: column 'probability': probabilities of the actual pathways for class 'frail' at service 'acute' after predicted pathway 1 sum to 1.25, expected 1",
        ),
        (
            "a pathway change finds a pathway with no row in pathways.csv",
            "pathway_changes.csv",
            text(&format!("{PATHWAY_CHANGES}frail,acute,2,3,1\n")),
            "{dir}/pathway_changes.csv:4: column 'actual': pathway 3 has no row in pathways.csv for class 'frail' at service 'acute'",
        ),
        (
            "a pathway change is given twice",
            "pathway_changes.csv",
            text(&format!("{PATHWAY_CHANGES}frail,acute,1,1,0\n")),
            "{dir}/pathway_changes.csv:4: duplicate entry for class 'frail' at service 'acute' from predicted pathway 1 to actual pathway 1 (first given on line 2)",
        ),
        (
            "a pathway change's predicted pathway is out of range",
            "pathway_changes.csv",
            text(&PATHWAY_CHANGES.replace("frail,acute,1,0,", "frail,acute,-1,0,")),
            "{dir}/pathway_changes.csv:3: column 'predicted': expected a discharge pathway from 0 to 3, found \"-1\"",
        ),
        (
            "pathway changes are given without a discharge rule",
            "pathway_changes.csv",
            text(&format!("{PATHWAY_CHANGES}adult,acute,0,1,1\n")),
            "{dir}/pathway_changes.csv:4: column 'service': no discharge rule for class 'adult' at service 'acute' in discharge.csv",
        ),
        (
            "a pathway's destination has no length of stay",
            "los.csv",
            text(&LOS.replace("frail,rehab,weibull,,,1.5,20,,,,,\n", "")),
            "{dir}/los.csv: no length of stay for class 'frail' at service 'rehab', which it reaches by pathways.csv line 4",
        ),
    ]
}

#[test]
fn each_bad_discharge_rule_gives_its_exact_message() {
    let mut failures = Vec::new();
    for (what, file, contents, expected) in discharge_cases() {
        match load_with_rule(&[(file, contents.as_deref())]) {
            Ok(_) => failures.push(format!("{what}: loaded without error")),
            Err(message) if message != expected => failures.push(format!(
                "{what}:\n  expected: {expected}\n  found:    {}",
                message.replace('\n', "\n            ")
            )),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn services_reached_by_discharge_rules_need_a_length_of_stay_unless_interim() {
    // Rehab is reached only when an assessment changes pathway 1 to pathway 2, which is never
    // predicted: its length of stay is needed all the same.
    let pathways = PATHWAYS.replace("frail,acute,2,0.25,", "frail,acute,2,0,");
    let pathways = pathways.replace("frail,acute,0,0.5,", "frail,acute,0,0.75,");
    let changes = format!("{PATHWAY_CHANGES}frail,acute,2,1,1\n")
        .replace("frail,acute,1,0,0.25", "frail,acute,1,2,0.25");
    let los = LOS.replace("frail,rehab,weibull,,,1.5,20,,,,,\n", "");
    assert_eq!(
        load_with_rule(&[
            ("pathways.csv", Some(&pathways)),
            ("pathway_changes.csv", Some(&changes)),
            ("los.csv", Some(&los)),
        ])
        .unwrap_err(),
        "{dir}/los.csv: no length of stay for class 'frail' at service 'rehab', which it reaches by pathway_changes.csv line 3"
    );

    // An interim service that the class also reaches by a route needs its length of stay.
    let routes = routes_with_rule().replace(
        "frail,ed,exit,0.5\n",
        "frail,ed,exit,0.25\nfrail,ed,d2a,0.25\n",
    );
    assert_eq!(
        load_with_rule(&[("routes.csv", Some(&routes))]).unwrap_err(),
        "{dir}/los.csv: no length of stay for class 'frail' at service 'd2a', which it reaches by routes.csv line 4"
    );
}

#[test]
fn variants_may_override_the_cells_of_discharge_rules() {
    let variants = "\
variant,file,row,column,value
in_hospital,discharge.csv,frail/acute,model,assess_in_hospital
more_home_care,pathways.csv,frail/acute/0,probability,0.25
more_home_care,pathways.csv,frail/acute/1,probability,0.5
fewer_changes,pathway_changes.csv,frail/acute/1/0,probability,0.5
";
    let dir = with_rule(&[("variants.csv", Some(variants))], write_with);
    let message = careflow::Experiment::load(dir.path())
        .unwrap_err()
        .to_string()
        .replace(
            &format!("{}{MAIN_SEPARATOR}", dir.path().display()),
            "{dir}/",
        );
    assert_eq!(
        message,
        "variant 'fewer_changes': {dir}/pathway_changes.csv:2: column 'probability': probabilities of the actual pathways for class 'frail' at service 'acute' after predicted pathway 1 sum to 1.25, expected 1"
    );

    let dir = with_rule(
        &[(
            "variants.csv",
            Some(&variants.replace("1/0,probability,0.5", "1/0,probability,0.25")),
        )],
        write_with,
    );
    let experiment = careflow::Experiment::load(dir.path()).unwrap();
    let rule = |variant: usize| {
        let model = &experiment.variants()[variant].model;
        let frail = model.arrivals()[0].class();
        model
            .discharge_rule(frail, model.service_id("acute").unwrap())
            .unwrap()
            .clone()
    };
    assert_eq!(rule(0).model(), careflow::DischargeModel::DischargeToAssess);
    assert_eq!(rule(1).model(), careflow::DischargeModel::AssessInHospital);
    assert_eq!(rule(2).pathway_probabilities(), [0.25, 0.5, 0.25, 0.0]);
    assert_eq!(rule(3), rule(0));
}
