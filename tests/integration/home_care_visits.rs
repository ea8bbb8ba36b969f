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
