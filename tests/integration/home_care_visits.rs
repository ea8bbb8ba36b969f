//! Home care counted in visits (`unit` `visits`, `visit_rates.csv`): packages whose visits a
//! day fall linearly from an initial to a final rate, booked into a calendar of visit slots
//! by `first_fit` or `whole_sequence`. Fixed rates and lengths make every start day exact.

use crate::common::write_scenario;
use careflow::{Experiment, Model, ReplicationResult, ServiceResult, run_replication};

const PATIENTS: &str =
    "patient,service,class,elapsed_days,admitted,residual_rule,fit,awaiting,waited_days\n";
const QUEUE: &str = "patient,service,class,waited_days\n";

/// Home care with `slots` visits a day booked by `booking`, no arrivals, over 10 days. Fixed
/// packages: `big` 3 visits a day for 3 days, `small` 1 a day for 2 days, `fall` 4 falling to
/// 1 over 5 days, `one` 2.5 then 0 over 1 day. `extra` adds or replaces files.
fn scenario(slots: u32, booking: &str, extra: &[(&str, &str)]) -> tempfile::TempDir {
    let services = format!(
        "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,unit,booking\nhome,home_care,council,{slots},unlimited,waiting_list,waiting_list,visits,{booking}\n"
    );
    let mut files = vec![
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,10\nseed,5\nreplications,1\ndaily_series,false\n",
        ),
        ("organisations.csv", "id,kind\ncouncil,local_authority\n"),
        ("services.csv", services.as_str()),
        (
            "classes.csv",
            "id,priority\nbig,0\nsmall,0\nfall,0\none,0\n",
        ),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,small,home,0,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,value\nbig,home,fixed,3\nsmall,home,fixed,2\nfall,home,fixed,5\none,home,fixed,1\n",
        ),
        (
            "visit_rates.csv",
            "class,service,rate,distribution,value\n\
             big,home,initial,fixed,3\nbig,home,final,fixed,3\n\
             small,home,initial,fixed,1\nsmall,home,final,fixed,1\n\
             fall,home,initial,fixed,4\nfall,home,final,fixed,1\n\
             one,home,initial,fixed,2.5\none,home,final,fixed,0\n",
        ),
        ("routes.csv", "class,service,next,probability\n"),
    ];
    for &(name, contents) in extra {
        files.retain(|(n, _)| *n != name);
        files.push((name, contents));
    }
    write_scenario(&files)
}

fn run(slots: u32, booking: &str, patients: &str, queue: &str) -> ReplicationResult {
    let patients = format!("{PATIENTS}{patients}");
    let queue = format!("{QUEUE}{queue}");
    let dir = scenario(
        slots,
        booking,
        &[
            ("census_patients.csv", &patients),
            ("census_queue.csv", &queue),
        ],
    );
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert!(r.system.is_conserved(), "{:?}", r.system);
    assert_eq!(r, run_replication(&model, 0), "deterministic");
    assert_eq!(r.invalid_draw, None);
    r
}

fn close(x: f64, y: f64) -> bool {
    (x - y).abs() < 1e-12
}

/// 4 slots; a patient already in care uses 3 a day on days 0–2. Queued in this order: `big`
/// (3 a day for 3 days) fits from day 3 only; `small` (1 a day for 2 days) fits on days 0–1.
fn small_behind_big(booking: &str) -> ServiceResult {
    let r = run(
        4,
        booking,
        "p1,home,big,0,,,,,\n",
        "q1,home,big,0\nq2,home,small,0\n",
    );
    let home = r.services[0].clone();
    assert_eq!(r.system.inside_at_start, 3);
    // Everyone's package has ended by day 6.
    assert_eq!((home.admissions, home.departures), (2, 3), "{home:?}");
    assert_eq!(r.system.inside_at_end, 0);
    // Visits: 3 + 3 + 3 (p1) + 3 + 3 + 3 (q1) + 1 + 1 (q2) = 20 over 10 days, of 40 slots.
    assert!(close(home.mean_visits_used, 2.0), "{home:?}");
    assert!(close(home.utilisation, 0.5), "{home:?}");
    assert!(close(home.mean_capacity, 4.0), "{home:?}");
    assert_eq!(home.mean_hours_used, 0.0);
    home
}

#[test]
fn whole_sequence_lets_a_later_smaller_package_start_first() {
    // q1 is booked on day 3; q2, booked after it, fits on days 0 and 1 and starts at once.
    let home = small_behind_big("whole_sequence");
    assert!(close(home.mean_wait, 1.5), "{home:?}");
    // q1 waits in the queue for 3 days.
    assert!(close(home.mean_queue, 0.3), "{home:?}");
    assert_eq!(home.max_queue, 2);
}

#[test]
fn first_fit_serves_the_line_in_order() {
    // q2 waits behind q1 until day 3, then both start: 3 + 1 = 4 slots on days 3 and 4.
    let home = small_behind_big("first_fit");
    assert!(close(home.mean_wait, 3.0), "{home:?}");
    assert!(close(home.mean_queue, 0.6), "{home:?}");
    // The default rule is first_fit.
    assert_eq!(small_behind_big(""), home);
}

#[test]
fn visits_fall_linearly_and_round_half_away_from_zero() {
    // 4 → 1 over 5 days: 4, 3.25, 2.5, 1.75, 1 → 4, 3, 3, 2, 1: 13 visits in 10 days.
    for booking in ["first_fit", "whole_sequence"] {
        let r = run(10, booking, "", "q1,home,fall,0\n");
        let home = &r.services[0];
        assert!(close(home.mean_visits_used, 1.3), "{home:?}");
        assert!(close(home.mean_length_of_stay, 5.0), "{home:?}");
    }
    // One day: the initial rate, 2.5 → 3 visits.
    let r = run(10, "first_fit", "", "q1,home,one,0\n");
    assert!(
        close(r.services[0].mean_visits_used, 0.3),
        "{:?}",
        r.services[0]
    );
}

#[test]
fn a_falling_package_leaves_room_day_by_day() {
    // 4 slots. p1 is on day 2 of a `fall` package (3, 2, 1 visits left on days 0–2). A `big`
    // package (3 a day) fits from the day p1 needs at most 1: day 2, under either rule.
    for booking in ["first_fit", "whole_sequence"] {
        let r = run(4, booking, "p1,home,fall,2,,,,,\n", "q1,home,big,0\n");
        let home = &r.services[0];
        assert!(close(home.mean_wait, 2.0), "{booking}: {home:?}");
        // 3 + 2 + 1 (p1) + 3 × 3 (q1) = 15 visits.
        assert!(close(home.mean_visits_used, 1.5), "{booking}: {home:?}");
    }
}

#[test]
fn a_variant_switches_the_booking_rule() {
    let dir = scenario(
        4,
        "first_fit",
        &[
            (
                "census_patients.csv",
                &format!("{PATIENTS}p1,home,big,0,,,,,\n"),
            ),
            (
                "census_queue.csv",
                &format!("{QUEUE}q1,home,big,0\nq2,home,small,0\n"),
            ),
            (
                "variants.csv",
                "variant,file,row,column,value\nipacs,services.csv,home,booking,whole_sequence\nslow,visit_rates.csv,small/home/initial,value,4\n",
            ),
        ],
    );
    let experiment = Experiment::load(dir.path()).unwrap();
    let waits: Vec<(String, f64)> = experiment
        .variants()
        .iter()
        .map(|v| {
            (
                v.name.clone(),
                run_replication(&v.model, 0).services[0].mean_wait,
            )
        })
        .collect();
    // `slow`: q2 needs 4, 1 visits: it fits on day 6 behind q1 (days 3–5 hold 3).
    assert_eq!(
        waits,
        [
            ("baseline".to_string(), 3.0),
            ("ipacs".to_string(), 1.5),
            ("slow".to_string(), 4.5)
        ]
    );
}

#[test]
fn packages_longer_than_the_run_book_only_its_days() {
    let dir = scenario(
        4,
        "whole_sequence",
        &[
            (
                "los.csv",
                "class,service,distribution,value\nbig,home,fixed,1000000000\nsmall,home,fixed,2\nfall,home,fixed,5\none,home,fixed,1\n",
            ),
            (
                "census_queue.csv",
                &format!("{QUEUE}q1,home,big,0\nq2,home,big,0\nq3,home,small,0\n"),
            ),
        ],
    );
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    assert!(r.system.is_conserved());
    let home = &r.services[0];
    // q1 starts at once and holds 3 slots for ever; q2 never starts; q3 fits beside q1.
    assert_eq!(home.admissions, 2, "{home:?}");
    assert!(close(home.mean_visits_used, 3.2), "{home:?}");
    assert_eq!(r.system.inside_at_end, 2);
}

/// The load error of the scenario with `extra` files, `{dir}` for its folder.
fn load_error(slots: u32, booking: &str, extra: &[(&str, &str)]) -> String {
    let dir = scenario(slots, booking, extra);
    let error = Model::load(dir.path()).unwrap_err().to_string();
    error.replace(&dir.path().display().to_string(), "{dir}")
}

const RATES: &str = "class,service,rate,distribution,value\n\
    big,home,initial,fixed,3\nbig,home,final,fixed,3\n\
    small,home,initial,fixed,1\nsmall,home,final,fixed,1\n\
    fall,home,initial,fixed,4\nfall,home,final,fixed,1\n\
    one,home,initial,fixed,2.5\none,home,final,fixed,0\n";

#[test]
fn hostile_visit_scenarios_are_refused_where_the_problem_is() {
    let places = "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,unit,booking\nhome,home_care,council,4,unlimited,waiting_list,waiting_list,places,\n";
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        // No rates at all for a visit service.
        (
            vec![("visit_rates.csv", "class,service,rate,distribution,value\n".into())],
            "{dir}/los.csv:2: column 'service': service 'home' counts visits: class 'big' needs a row with rate 'initial' in visit_rates.csv",
        ),
        // The final rate missing.
        (
            vec![("visit_rates.csv", RATES.replace("big,home,final,fixed,3\n", ""))],
            "{dir}/los.csv:2: column 'service': service 'home' counts visits: class 'big' needs a row with rate 'final' in visit_rates.csv",
        ),
        // Rates for a service counted in places.
        (
            vec![("services.csv", places.to_string())],
            "{dir}/visit_rates.csv:2: column 'service': service 'home' counts places, not visits: give it unit 'visits' in services.csv",
        ),
        // A booking rule where capacity counts places.
        (
            vec![("services.csv", places.replace("places,\n", "places,whole_sequence\n"))],
            "{dir}/services.csv:2: column 'booking': a booking rule is for services whose unit is visits: leave it empty here",
        ),
        (
            vec![("services.csv", places.replace("places,\n", "visits,best_fit\n"))],
            "{dir}/services.csv:2: column 'booking': expected first_fit or whole_sequence, found \"best_fit\"",
        ),
        (
            vec![("services.csv", places.replace("places,\n", "visit,\n"))],
            "{dir}/services.csv:2: column 'unit': expected places, hours or visits, found \"visit\"",
        ),
        // Negative, fractional and non-finite slots.
        (
            vec![("services.csv", places.replace(",4,", ",-4,").replace("places,\n", "visits,\n"))],
            "{dir}/services.csv:2: column 'capacity': expected a non-negative integer, found \"-4\"",
        ),
        (
            vec![("services.csv", places.replace(",4,", ",inf,").replace("places,\n", "visits,\n"))],
            "{dir}/services.csv:2: column 'capacity': expected a non-negative integer, found \"inf\"",
        ),
        // A rate name that is neither.
        (
            vec![("visit_rates.csv", RATES.replace("big,home,final", "big,home,last"))],
            "{dir}/visit_rates.csv:3: column 'rate': expected initial or final, found \"last\"",
        ),
        // The same rate twice.
        (
            vec![("visit_rates.csv", format!("{RATES}big,home,initial,fixed,2\n"))],
            "{dir}/visit_rates.csv:10: duplicate entry for class 'big' at service 'home', rate initial (first given on line 2)",
        ),
        // A length that is not whole days.
        (
            vec![("los.csv", "class,service,distribution,value,mean\nbig,home,exponential,,3\nsmall,home,fixed,2,\nfall,home,fixed,5,\none,home,fixed,1,\n".into())],
            "{dir}/los.csv:2: column 'round': service 'home' counts visits, so a package lasts whole days: give round 'nearest' or 'up' (with truncate_min 1 to redraw packages of 0 days), or a fixed or empirical length in whole days",
        ),
        // More visits in a day than the service ever has slots.
        (
            vec![("visit_rates.csv", RATES.replace("fall,home,initial,fixed,4", "fall,home,initial,fixed,4.5"))],
            "{dir}/visit_rates.csv:6: column 'distribution': initial rates of up to 4.5 visits a day can never start at service 'home', which has at most 4 slots a day (its largest capacity over the calendar): such a package would wait for ever",
        ),
        (
            vec![("visit_rates.csv", "class,service,rate,distribution,value,mean\n\
                big,home,initial,fixed,3,\nbig,home,final,exponential,,3\n\
                small,home,initial,fixed,1,\nsmall,home,final,fixed,1,\n\
                fall,home,initial,fixed,4,\nfall,home,final,fixed,1,\n\
                one,home,initial,fixed,2.5,\none,home,final,fixed,0,\n".into())],
            "{dir}/visit_rates.csv:3: column 'distribution': a package's final rate rounds to more than the 4 visit slots a day service 'home' can ever have with probability 2.231e-1: 2.231e-1 such packages expected in a replication, where at most 10^-3 are accepted, since one would wait for ever; give truncate_max",
        ),
        // A negative rate is no distribution careflow draws from.
        (
            vec![("visit_rates.csv", RATES.replace("small,home,initial,fixed,1", "small,home,initial,fixed,-1"))],
            "{dir}/visit_rates.csv:4: column 'value': expected a number of at least 0, found \"-1\"",
        ),
        // An occupant's day in their package is needed.
        (
            vec![("census.csv", "service,class,occupied,queued,elapsed_days,residual_rule\nhome,big,1,0,,\n".into())],
            "{dir}/census.csv:2: column 'elapsed_days': service 'home' counts visits: an occupant's visits depend on the day of their package they are on, so give the days already spent, or residual_rule ipacs_uniform",
        ),
        (
            vec![("census_patients.csv", format!("{PATIENTS}p1,home,big,,,,,,\n"))],
            "{dir}/census_patients.csv:2: column 'elapsed_days': service 'home' counts visits: an occupant's visits depend on the day of their package they are on, so give the days already spent, or residual_rule ipacs_uniform",
        ),
        // Escalation, fallbacks and step-up are for places.
        (
            vec![("escalation.csv", "service,extra,open_at,close_below\nhome,2,0.9,0.5\n".into())],
            "{dir}/escalation.csv:2: column 'service': service 'home' counts visits: escalation is for services counted in places or hours; raise its slots in calendar.csv instead",
        ),
        (
            vec![
                ("services.csv", format!("{}bridge,home_care,council,4,unlimited,waiting_list,waiting_list,,\n", places.replace("places,\n", "visits,\n"))),
                ("fallbacks.csv", "service,fallbacks\nhome,bridge\n".into()),
            ],
            "{dir}/fallbacks.csv:2: column 'service': service 'home' counts visits: fallbacks are for services counted in places only",
        ),
        // Costs by the visit, and only there.
        (
            vec![("costs.csv", "service,basis,rate\nhome,care_hour,30\n".into())],
            "{dir}/costs.csv:2: column 'basis': 'care_hour' is for services counted in hours, but service 'home' counts visit slots a day: use visit",
        ),
    ];
    let n = cases.len();
    for (files, expected) in cases {
        let files: Vec<(&str, &str)> = files.iter().map(|(n, c)| (*n, c.as_str())).collect();
        // Each case's first problem (the first case has one per class and rate).
        let error = load_error(4, "first_fit", &files);
        assert_eq!(error.lines().next(), Some(expected), "{files:?}");
    }
    assert_eq!(n, 19);
}

/// A ward of 30 beds discharging to home care of `slots` visits a day booked by `booking`,
/// patients waiting in their ward beds; the IPACS model's shapes: rates rounded and kept at
/// 0 or more, lengths lognormal rounded with zero-day packages redrawn. Some give up waiting
/// after a while and go to a bridging service; costs per visit.
fn network(slots: u32, booking: &str) -> tempfile::TempDir {
    let services = format!(
        "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,unit,booking\n\
         ward,acute_bed,trust,30,unlimited,waiting_list,waiting_list,,\n\
         home,home_care,council,{slots},0,in_bed,turn_away,visits,{booking}\n\
         bridge,home_care,council,5,unlimited,waiting_list,waiting_list,,\n"
    );
    write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,400\nwarmup_days,40\nseed,3\nreplications,4\ndaily_series,false\n",
        ),
        (
            "organisations.csv",
            "id,kind\ntrust,acute_trust\ncouncil,local_authority\n",
        ),
        ("services.csv", &services),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,ward,4,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,mean,median,truncate_min,round\n\
             p,ward,exponential,5,,,\n\
             p,home,lognormal,12,9,1,nearest\n\
             p,bridge,exponential,4,,,\n",
        ),
        (
            "visit_rates.csv",
            "class,service,rate,distribution,mean,sd,truncate_min,truncate_max,round\n\
             p,home,initial,gamma,4,0.5,0,6,nearest\n\
             p,home,final,gamma,1,0.5,0,6,nearest\n",
        ),
        (
            "routes.csv",
            "class,service,next,probability\np,ward,home,0.6\np,ward,exit,0.4\n",
        ),
        (
            "patience.csv",
            "class,service,then,distribution,mean\np,home,bridge,exponential,20\n",
        ),
        (
            "costs.csv",
            "service,basis,rate\nward,bed_day,400\nhome,visit,30\nbridge,placement_week,700\n",
        ),
        (
            "census.csv",
            "service,class,occupied,queued,elapsed_days,residual_rule\nhome,p,20,0,,ipacs_uniform\n",
        ),
    ])
}

#[test]
fn a_ward_discharging_to_visits_conserves_patients_under_both_rules() {
    let mut waits = Vec::new();
    for booking in ["first_fit", "whole_sequence"] {
        let dir = network(60, booking);
        let model = Model::load(dir.path()).unwrap();
        let results = careflow::run_replications(&model, 4);
        for r in &results {
            assert!(r.system.is_conserved(), "{booking}: {:?}", r.system);
            assert_eq!(r.invalid_draw, None);
            assert!(r.packages_never_started.is_empty());
            let home = &r.services[1];
            assert!(home.utilisation <= 1.0 + 1e-12, "{booking}: {home:?}");
            assert!(home.mean_visits_used <= 60.0 * (1.0 + 1e-12));
            // 2.4 referrals a day of about 2.5 visits a day for 12 days: about 72 visits a day
            // wanted, so the 60 slots are short and patients wait in the ward.
            assert!(home.utilisation > 0.8, "{booking}: {home:?}");
            assert!(r.services[0].delayed_bed_days > 0.0, "{booking}");
            assert!(home.reneged > 0, "{booking}: {home:?}");
            // Money: the council's care costs are 30 a visit booked, plus 100 a day a
            // bridging placement.
            let council: f64 = r
                .finance
                .years
                .iter()
                .map(|y| y.organisations[1].amount(careflow::Category::CareCosts))
                .sum();
            let t = r.observed_days;
            let expected =
                30.0 * home.mean_visits_used * t + 100.0 * r.services[2].mean_occupancy * t;
            assert!(
                (council + expected).abs() < 1e-6 * expected,
                "{booking}: {council} against {expected}"
            );
        }
        // The same on one thread.
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| careflow::run_replications(&model, 4));
        assert_eq!(one, results, "{booking}: deterministic on any thread count");
        waits.push(results.iter().map(|r| r.services[1].mean_wait).sum::<f64>() / 4.0);
    }
    println!(
        "mean waits for home care: first_fit {:.6}, whole_sequence {:.6}",
        waits[0], waits[1]
    );
    assert!(waits[0] != waits[1]);
}
