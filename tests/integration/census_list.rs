//! Starting from a list of today's patients (`census_patients.csv`, `census_queue.csv`): each
//! patient's own days already spent, whether medically fit and awaiting which service, and
//! today's queue with the days already waited. Fixed stays make every time exact.

use crate::common::write_scenario;
use careflow::{Model, ReplicationResult, run_replication};

const PATIENTS: &str =
    "patient,service,class,elapsed_days,admitted,residual_rule,fit,awaiting,waited_days\n";
const QUEUE: &str = "patient,service,class,waited_days\n";

/// A ward (`capacity` places) and a home service (1 place, a waiting list of 2, patients
/// moving on from the ward waiting in their beds), no arrivals, over 10
/// days from 2026-04-01. Fixed stays: class `a` 5 days at the ward, `b` 2 days; class `c` 5
/// days at the ward then 5 at home. `extra` adds or replaces files.
fn scenario(capacity: u32, extra: &[(&str, &str)]) -> tempfile::TempDir {
    let services = format!(
        "id,kind,provider,capacity,waiting_list,transfers_wait,when_full\nward,other,trust,{capacity},unlimited,waiting_list,waiting_list\nhome,other,trust,1,2,in_bed,waiting_list\n"
    );
    let mut files = vec![
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,10\nseed,5\nreplications,1\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        ("services.csv", services.as_str()),
        ("classes.csv", "id,priority\na,0\nb,0\nc,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,a,ward,0,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,value\na,ward,fixed,5\nb,ward,fixed,2\nc,ward,fixed,5\nc,home,fixed,5\n",
        ),
        (
            "routes.csv",
            "class,service,next,probability\nc,ward,home,1\n",
        ),
    ];
    for &(name, contents) in extra {
        files.retain(|(n, _)| *n != name);
        files.push((name, contents));
    }
    write_scenario(&files)
}

fn run(capacity: u32, patients: &str, queue: &str) -> ReplicationResult {
    let patients = format!("{PATIENTS}{patients}");
    let queue = format!("{QUEUE}{queue}");
    let dir = scenario(
        capacity,
        &[
            ("census_patients.csv", &patients),
            ("census_queue.csv", &queue),
        ],
    );
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert!(r.system.is_conserved(), "{:?}", r.system);
    assert_eq!(r, run_replication(&model, 0), "deterministic");
    r
}

fn close(x: f64, y: f64) -> bool {
    (x - y).abs() < 1e-12
}

#[test]
fn a_patient_3_days_into_a_fixed_5_day_stay_leaves_at_day_2() {
    // One place; the queued patient, who has waited 1 day, is admitted at day 2: a wait of 3.
    for patient in ["p1,ward,a,3,,,,,\n", "p1,ward,a,,2026-03-29,,,,\n"] {
        let r = run(1, patient, "q1,ward,a,1\n");
        let ward = &r.services[0];
        assert_eq!(r.system.inside_at_start, 2);
        assert_eq!((ward.admissions, ward.departures), (1, 2), "{ward:?}");
        assert!(close(ward.mean_wait, 3.0), "{ward:?}");
        // In use until day 7, when the second stay ends.
        assert!(close(ward.mean_occupancy, 0.7), "{ward:?}");
    }
}

#[test]
fn the_queue_is_admitted_to_free_places_at_time_0() {
    let r = run(3, "p1,ward,a,0,,,,,\n", "q1,ward,a,4\nq2,ward,a,1\n");
    let ward = &r.services[0];
    assert_eq!(ward.admissions, 2);
    assert_eq!((ward.mean_wait, ward.mean_queue), (0.0, 0.0), "{ward:?}");
    assert!(close(ward.mean_occupancy, 1.5), "{ward:?}");
}

#[test]
fn the_queue_goes_longest_waited_first() {
    // q2 (5 days waited) goes first at day 1 and stays 2 days; q1 (1 day) then at day 3:
    // waits 6 and 4. File order would give waits 2 and 11.
    let r = run(1, "p1,ward,a,4,,,,,\n", "q1,ward,a,1\nq2,ward,b,5\n");
    let ward = &r.services[0];
    assert!(close(ward.mean_wait, 5.0), "{ward:?}");
    assert!(close(ward.mean_occupancy, 0.8), "{ward:?}");
}

#[test]
fn an_over_full_ward_admits_no_one_until_below_capacity() {
    // One place, three patients leaving at days 1, 1 and 3: at day 1 the ward is full, not
    // below; the queued patient is admitted at day 3.
    let r = run(
        1,
        "p1,ward,a,4,,,,,\np2,ward,a,4,,,,,\np3,ward,a,2,,,,,\n",
        "q1,ward,a,0\n",
    );
    let ward = &r.services[0];
    assert_eq!((ward.admissions, ward.max_occupancy), (1, 3), "{ward:?}");
    assert!(close(ward.mean_wait, 3.0), "{ward:?}");
    // (3·1 + 1·2 + 1·5) / 10: over 100% while over-full.
    assert!(close(ward.mean_occupancy, 1.0), "{ward:?}");
    assert!(close(ward.utilisation, 1.0), "{ward:?}");
}

#[test]
fn a_fit_patient_awaiting_a_full_service_waits_in_their_bed() {
    // Home's place frees at day 2; the ward patient, fit and awaiting it for 2 days already,
    // is blocked in their bed until then: 2 delayed bed-days, a wait of 4 counted at home.
    let r = run(1, "p1,home,c,3,,,,,\np2,ward,c,,,,true,home,2\n", "");
    let (ward, home) = (&r.services[0], &r.services[1]);
    assert_eq!(r.system.inside_at_start, 2);
    assert!(close(ward.delayed_bed_days, 2.0), "{ward:?}");
    assert_eq!(ward.delayed_patients, 1);
    assert_eq!(home.admissions, 1);
    assert!(close(home.mean_wait, 4.0), "{home:?}");
    assert!(close(ward.mean_occupancy, 0.2), "{ward:?}");
}

#[test]
fn a_fit_patient_with_room_moves_at_time_0_and_one_not_awaiting_follows_their_route() {
    // p1 awaits home, which has room: moves at 0 with no wait. p2 is fit with nothing awaited:
    // their stay ends at 0 and their route sends them home too, where they wait in their bed
    // (home's one place is p1's until day 5), admitted at 5.
    let r = run(2, "p1,ward,c,,,,,home,3\np2,ward,c,,,,true,,\n", "");
    let (ward, home) = (&r.services[0], &r.services[1]);
    assert_eq!(ward.departures, 2);
    assert!(close(ward.mean_occupancy, 0.5), "{ward:?}");
    assert!(close(ward.delayed_bed_days, 5.0), "{ward:?}");
    assert_eq!(home.admissions, 2);
    assert!(close(home.mean_wait, 2.5), "{home:?}");
    assert!(close(home.mean_occupancy, 1.0), "{home:?}");
}

#[test]
fn census_lists_drawn_remaining_stays_are_reproducible_and_conserved() {
    // Stays drawn (exponential): the same seed gives the same run; conservation holds.
    let los = "class,service,distribution,mean,value\na,ward,exponential,4,\nb,ward,exponential,2,\nc,ward,exponential,5,\nc,home,exponential,5,\n";
    let patients =
        format!("{PATIENTS}p1,ward,a,2,,,,,\np2,ward,a,,,ipacs_uniform,,,\np3,ward,c,,,,,home,1\n");
    let dir = scenario(
        2,
        &[
            ("los.csv", los),
            ("census_patients.csv", &patients),
            (
                "census_queue.csv",
                &format!("{QUEUE}q1,ward,b,0.5\nq2,home,c,\n"),
            ),
        ],
    );
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert!(r.system.is_conserved());
    assert_eq!(r.system.inside_at_start, 5);
    assert_eq!(r, run_replication(&model, 0));
    assert_ne!(r, run_replication(&model, 1));
}

#[test]
fn census_list_errors_are_positioned() {
    let p = "census_patients.csv";
    let q = "census_queue.csv";
    let cases: Vec<(&str, String, &str)> = vec![
        (
            p,
            "x,nowhere,a,,,,,,\n".into(),
            "census_patients.csv:2: column 'service': expected a service in services.csv, found \"nowhere\"",
        ),
        (
            p,
            "x,ward,zz,,,,,,\n".into(),
            "census_patients.csv:2: column 'class': expected a class in classes.csv, found \"zz\"",
        ),
        (
            p,
            "x,ward,a,-1,,,,,\n".into(),
            "census_patients.csv:2: column 'elapsed_days': expected a number of at least 0, found \"-1\"",
        ),
        (
            p,
            "x,ward,a,5,,,,,\n".into(),
            "census_patients.csv:2: column 'elapsed_days': class 'a' stays at service 'ward' longer than 5 days with probability 0.000e0, below the 10^-6 careflow accepts: the census and los.csv contradict each other",
        ),
        (
            p,
            "x,ward,a,,2026-03-27,,,,\n".into(),
            "census_patients.csv:2: column 'admitted': class 'a' stays at service 'ward' longer than 5 days with probability 0.000e0, below the 10^-6 careflow accepts: the census and los.csv contradict each other",
        ),
        (
            p,
            "x,ward,a,,,,,,\nx,ward,a,,,,,,\n".into(),
            "census_patients.csv:3: duplicate entry for patient 'x' (first given on line 2)",
        ),
        (
            p,
            ",ward,a,,,,,,\n".into(),
            "census_patients.csv:2: column 'patient': expected a non-empty id, found \"\"",
        ),
        (
            p,
            "x,ward,a,,,,,nowhere,\n".into(),
            "census_patients.csv:2: column 'awaiting': expected a service in services.csv, found \"nowhere\"",
        ),
        (
            p,
            "x,ward,a,,,,,home,\n".into(),
            "census_patients.csv:2: column 'awaiting': class 'a' has no way from service 'ward' to service 'home' (routes.csv, or the discharge rule's pathways)",
        ),
        (
            p,
            "x,ward,c,,,,false,home,\n".into(),
            "census_patients.csv:2: column 'fit': a patient awaiting another service is medically fit: leave fit empty or write true",
        ),
        (
            p,
            "x,ward,c,,,,yes,,\n".into(),
            "census_patients.csv:2: column 'fit': expected true or false, found \"yes\"",
        ),
        (
            p,
            "x,ward,c,,,,true,,3\n".into(),
            "census_patients.csv:2: column 'waited_days': waited_days is for a patient awaiting another service; name it in awaiting",
        ),
        (
            p,
            "x,ward,c,,,conditional,true,,\n".into(),
            "census_patients.csv:2: column 'residual_rule': a medically fit patient's stay is over: there is no remaining stay to draw",
        ),
        (
            p,
            "x,ward,a,1,,ipacs_uniform,,,\n".into(),
            "census_patients.csv:2: column 'elapsed_days': residual_rule ipacs_uniform ignores the days already spent; leave elapsed_days empty, or use the conditional rule",
        ),
        (
            p,
            "x,ward,a,1,2026-03-30,,,,\n".into(),
            "census_patients.csv:2: column 'admitted': give the days already spent or the admission date, not both",
        ),
        (
            p,
            "x,ward,a,,2026-04-02,,,,\n".into(),
            "census_patients.csv:2: column 'admitted': admitted after the start date 2026-04-01: today's patients were admitted by then",
        ),
        (
            p,
            "x,ward,a,,2026-02-30,,,,\n".into(),
            "census_patients.csv:2: column 'admitted': expected a date as YYYY-MM-DD, found \"2026-02-30\"",
        ),
        (
            p,
            "x,home,a,,,,,,\n".into(),
            "los.csv: no length of stay for class 'a' at service 'home', which it reaches by census_patients.csv line 2",
        ),
        (
            q,
            "x,ward,a,-2\n".into(),
            "census_queue.csv:2: column 'waited_days': expected a number of at least 0, found \"-2\"",
        ),
        (
            q,
            "x,home,c,\ny,home,c,\nz,home,c,\n".into(),
            "census_queue.csv:4: column 'service': the census queues 3 patients for service 'home', whose queue holds 2",
        ),
    ];
    for (file, rows, expected) in cases {
        let header = if file == p { PATIENTS } else { QUEUE };
        let contents = format!("{header}{rows}");
        let dir = scenario(1, &[(file, &contents)]);
        let err = Model::load(dir.path()).unwrap_err().to_string();
        assert_eq!(
            err.replace(&format!("{}/", dir.path().display()), ""),
            expected
        );
    }
    // A patient in both files; a service whose census is also given in counts; over 10^7.
    let dir = scenario(
        1,
        &[
            (
                "census_patients.csv",
                &format!("{PATIENTS}x,ward,a,,,,,,\n"),
            ),
            ("census_queue.csv", &format!("{QUEUE}x,ward,a,\n")),
            (
                "census.csv",
                "service,class,occupied,queued\nhome,c,1,0\nward,c,9999999,0\n",
            ),
        ],
    );
    let err = Model::load(dir.path()).unwrap_err().to_string();
    let err = err.replace(&format!("{}/", dir.path().display()), "");
    for expected in [
        "census_patients.csv:2: column 'service': service 'ward' has its census in counts in census.csv (line 3): give a service's census in counts or one by one, not both",
        "census_queue.csv:2: column 'patient': patient 'x' is also in census_patients.csv (line 2): a patient is either in a place or waiting from outside",
    ] {
        assert!(err.contains(expected), "{err}");
    }
    let dir = scenario(
        1,
        &[
            (
                "census_patients.csv",
                &format!("{PATIENTS}x,ward,a,,,,,,\n"),
            ),
            (
                "census.csv",
                "service,class,occupied,queued\nhome,c,10000000,0\n",
            ),
        ],
    );
    let err = Model::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.ends_with("census_patients.csv:2: column 'patient': expected a census of at most 10000000 patients in all (each is simulated), found \"x\""),
        "{err}"
    );
}

#[test]
fn variants_may_override_a_listed_patient_by_id() {
    let dir = scenario(
        1,
        &[
            (
                "census_patients.csv",
                &format!("{PATIENTS}p1,ward,c,,,,,,\n"),
            ),
            ("census_queue.csv", &format!("{QUEUE}q1,ward,a,1\n")),
            (
                "variants.csv",
                "variant,file,row,column,value\nfit,census_patients.csv,p1,awaiting,home\nlonger,census_queue.csv,q1,waited_days,7\nimpossible,census_patients.csv,p1,elapsed_days,5\n",
            ),
        ],
    );
    let err = careflow::Experiment::load(dir.path())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("variants.csv:4") && err.contains("longer than 5 days"),
        "{err}"
    );
    let variants = std::fs::read_to_string(dir.path().join("variants.csv")).unwrap();
    let variants = variants.lines().take(3).collect::<Vec<_>>().join("\n") + "\n";
    std::fs::write(dir.path().join("variants.csv"), variants).unwrap();
    let experiment = careflow::Experiment::load(dir.path()).unwrap();
    let seen: Vec<_> = experiment
        .variants()
        .iter()
        .map(|v| {
            let (p, q) = (v.model.census_patients()[0], v.model.census_queue()[0]);
            (p.fit(), p.awaiting().map(|s| s.index()), q.waited_days())
        })
        .collect();
    assert_eq!(
        seen,
        vec![(false, None, 1.0), (true, Some(1), 1.0), (false, None, 7.0)]
    );
}

#[test]
fn listed_patients_remaining_stays_follow_the_conditional_distribution() {
    // Stays uniform on [0, 10]: given 6 days already spent, or an admission date 6 days
    // before the start, the remaining stay is uniform on [0, 4], mean 2 (a fresh stay has mean
    // 5, the equilibrium residual 10/3). 4000 patients in a ward with room for all, over 20
    // days: their mean stay in the run is the mean remaining stay, with standard error
    // (4/√12)/√4000 ≈ 0.018; asserted within 5 of those.
    let los = "class,service,distribution,min,max,value\na,ward,uniform,0,10,\nb,ward,fixed,,,2\nc,ward,fixed,,,5\nc,home,fixed,,,5\n";
    let mut patients = String::from(PATIENTS);
    for i in 0..4000 {
        if i % 2 == 0 {
            patients.push_str(&format!("p{i},ward,a,6,,,,,\n"));
        } else {
            patients.push_str(&format!("p{i},ward,a,,2026-03-26,,,,\n"));
        }
    }
    let dir = scenario(
        4000,
        &[
            ("los.csv", los),
            ("census_patients.csv", &patients),
            (
                "settings.csv",
                "key,value\nstart_date,2026-04-01\nhorizon_days,20\nseed,5\nreplications,1\ndaily_series,false\n",
            ),
        ],
    );
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let ward = &r.services[0];
    assert_eq!(ward.departures, 4000);
    assert!(
        (ward.mean_length_of_stay - 2.0).abs() < 5.0 * 0.0183,
        "{ward:?}"
    );
}
