//! Outcome measures of patient journeys (`care_settings.csv`), each derived by hand from
//! deterministic journeys: one elective patient a week (Mondays at midnight from a Monday
//! start, so at days 0, 7, 14, …), fixed stays, readmissions with probability 0 or 1.

use crate::common::write_scenario;
use careflow::{Model, OutcomeKpi, OutcomeResult, run_replication};

/// One patient a week at `acute` (5 days), then the routes given; horizon 200 days, no
/// warm-up. `reab` has `reab_capacity` slots; `acute2` (kind other) is a `bed`.
pub(crate) fn journeys(
    routes: &str,
    los: &str,
    readmissions: &str,
    reab_capacity: u32,
    horizon: u32,
) -> tempfile::TempDir {
    let settings = format!(
        "key,value\nstart_date,2026-04-06\nhorizon_days,{horizon}\nwarmup_days,0\nseed,3\nreplications,1\ndaily_series,false\n"
    );
    let services = format!(
        "id,kind,provider,capacity,waiting_list,transfers_wait,when_full\n\
         acute,acute_bed,trust,100,0,in_bed,turn_away\n\
         reab,reablement,trust,{reab_capacity},0,in_bed,turn_away\n\
         homecare,home_care,trust,100,0,in_bed,turn_away\n\
         carehome,care_home,trust,100,0,in_bed,turn_away\n\
         acute2,other,trust,100,0,in_bed,turn_away\n"
    );
    let los = format!("class,service,distribution,value\np,acute,fixed,5\n{los}");
    let routes = format!("class,service,next,probability\n{routes}");
    let readmissions = format!("class,service,pathway,probability,within_days,to\n{readmissions}");
    write_scenario(&[
        ("settings.csv", &settings),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        ("services.csv", &services),
        ("classes.csv", "id,priority\np,0\n"),
        ("arrivals.csv", "id,class,service,rate_per_day,profile\n"),
        (
            "electives.csv",
            "id,class,service,weekday,count,hour\nweekly,p,acute,mon,1,0\n",
        ),
        ("los.csv", &los),
        ("routes.csv", &routes),
        ("readmissions.csv", &readmissions),
        (
            "care_settings.csv",
            "service,setting,reablement\nacute2,bed,\n",
        ),
    ])
}

fn outcomes(dir: &tempfile::TempDir) -> OutcomeResult {
    let model = Model::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let r = run_replication(&model, 0);
    assert!(r.system.is_conserved());
    r.outcomes.expect("care_settings.csv is given")
}

/// Patient k (arriving at 7k) leaves acute at 7k + 5 for reablement at home (a discharge from
/// hospital), and reablement at 7k + 15 for home. Horizon 200: discharges from hospital at
/// 7k + 5 for k = 0..=27; followed 30 days when 7k + 35 ≤ 200 (k ≤ 23: 24), 90 days when
/// 7k + 95 ≤ 200 (k ≤ 15: 16). Reablement ends at 7k + 15 ≤ 200 for k ≤ 26 (27), followed 91
/// days when 7k + 106 ≤ 200 (k ≤ 13: 14); 13 censored.
#[test]
fn without_readmissions_everyone_stays_at_home() {
    let dir = journeys(
        "p,acute,reab,1\n",
        "p,reab,fixed,10\n",
        "p,reab,,0,1,acute2\n",
        100,
        200,
    );
    let o = outcomes(&dir);
    assert_eq!(
        (
            o.reablement_discharges,
            o.still_at_home_91,
            o.reablement_censored
        ),
        (14, 14, 13)
    );
    assert_eq!(o.still_at_home_91_share, 1.0);
    assert_eq!((o.hospital_discharges_30, o.readmitted_30), (24, 0));
    assert_eq!(
        (o.hospital_discharges_90, o.mean_days_at_home_90),
        (16, 90.0)
    );
    assert_eq!((o.patients_left, o.patients_delayed), (27, 0));
    assert_eq!(o.max_delayed_days, 0.0);
    assert_eq!(o.delayed_days_histogram[0], 27);
}

/// Every patient leaving reablement (at 7k + 15) is readmitted within a day, to acute2 (a
/// bed, 3 days), then goes home: readmitted at r in (7k + 15, 7k + 16], 10 to 11 days after
/// the discharge from hospital (within 30), away for 3 of the 90 days after it (87 at home),
/// and never still at home 91 days after reablement. Patients leaving: the 27 first spells
/// and the readmissions of k = 0..=25 (leaving by 7k + 19 ≤ 200; k = 26's leaves after 200).
#[test]
fn a_certain_readmission_fails_both_measures_and_costs_its_days_at_home() {
    let dir = journeys(
        "p,acute,reab,1\n",
        "p,reab,fixed,10\np,acute2,fixed,3\n",
        "p,reab,,1,1,acute2\n",
        100,
        200,
    );
    let o = outcomes(&dir);
    assert_eq!(
        (
            o.reablement_discharges,
            o.still_at_home_91,
            o.reablement_censored
        ),
        (14, 0, 13)
    );
    assert_eq!((o.hospital_discharges_30, o.readmitted_30), (24, 24));
    assert_eq!(o.readmitted_30_share, 1.0);
    assert_eq!(o.hospital_discharges_90, 16);
    assert!(
        (o.mean_days_at_home_90 - 87.0).abs() < 1e-9,
        "{}",
        o.mean_days_at_home_90
    );
    assert_eq!(o.patients_left, 27 + 26);
}

/// Reablement (7k + 5 to 7k + 15), home care for `days`, then a care home for 30 days: the
/// care home starts `days` after leaving reablement for home (home care is at home), so the
/// patient is still at home 91 days later only if `days` > 91 — 91 itself is within.
#[test]
fn a_care_home_within_91_days_fails_the_reablement_measure_to_the_day() {
    for (days, still) in [(20, 0), (80, 0), (91, 0), (92, 14)] {
        let dir = journeys(
            "p,acute,reab,1\np,reab,homecare,1\np,homecare,carehome,1\n",
            &format!("p,reab,fixed,10\np,homecare,fixed,{days}\np,carehome,fixed,30\n"),
            "",
            100,
            200,
        );
        let o = outcomes(&dir);
        assert_eq!(
            (o.reablement_discharges, o.still_at_home_91),
            (14, still),
            "home care for {days} days"
        );
        assert_eq!((o.hospital_discharges_30, o.readmitted_30), (24, 0));
        // The care home stay [7k + 15 + days, … + 30] within the 90 days after 7k + 5: 30
        // days of them for days = 20 (60 at home), none later.
        let at_home = if days == 20 { 60.0 } else { 90.0 };
        assert_eq!(o.mean_days_at_home_90, at_home, "home care for {days} days");
    }
}

/// Reablement has one slot and takes 10 days; acute stays take 5 and patients come weekly:
/// patient k is fit to leave acute at 7k + 5 but the slot frees at 10k + 5, so they wait 3k
/// days in the acute bed, then leave reablement at 10k + 15. By day 100, k = 0..=8 have left,
/// delayed 0, 3, …, 24 days: mean 12, median 12, most 24, 8 of 9 delayed.
#[test]
fn days_delayed_per_patient_form_the_hand_derived_distribution() {
    let dir = journeys("p,acute,reab,1\n", "p,reab,fixed,10\n", "", 1, 100);
    let o = outcomes(&dir);
    assert_eq!((o.patients_left, o.patients_delayed), (9, 8));
    assert!(
        (o.mean_delayed_days - 12.0).abs() < 1e-9,
        "{}",
        o.mean_delayed_days
    );
    assert_eq!(o.max_delayed_days, 24.0);
    // Quantiles are kept to 3 significant digits.
    assert!(
        (o.p50_delayed_days - 12.0).abs() < 0.012,
        "{}",
        o.p50_delayed_days
    );
    assert!(
        (o.p95_delayed_days - 24.0).abs() < 0.024,
        "{}",
        o.p95_delayed_days
    );
    let mut expected = vec![0_u64; 29];
    for k in 0..9 {
        expected[3 * k] += 1;
    }
    assert_eq!(o.delayed_days_histogram, expected);
    assert_eq!(o.value(OutcomeKpi::MaxDelayedDays), 24.0);
}

#[test]
fn without_care_settings_no_outcomes_are_measured() {
    let dir = journeys("p,acute,reab,1\n", "p,reab,fixed,10\n", "", 100, 50);
    std::fs::remove_file(dir.path().join("care_settings.csv")).unwrap();
    // acute2 is of kind other, but without the file nothing needs its setting.
    let model = Model::load(dir.path()).unwrap();
    assert!(!model.has_outcomes());
    assert_eq!(run_replication(&model, 0).outcomes, None);
}

#[test]
fn bad_care_settings_are_refused_with_their_position() {
    let cases = [
        (
            "service,setting,reablement\nacute2,hospitl,\n",
            "care_settings.csv:2: column 'setting': expected one of emergency, hospital, bed, care_home or home, found \"hospitl\"",
        ),
        (
            "service,setting,reablement\nacute2,bed,yes\n",
            "care_settings.csv:2: column 'reablement': expected true or false, found \"yes\"",
        ),
        (
            "service,setting,reablement\nacute3,bed,\n",
            "care_settings.csv:2: column 'service':",
        ),
        (
            "service,setting,reablement\nacute2,bed,\nacute2,home,\n",
            "care_settings.csv:3:",
        ),
        (
            "service,setting,reablement\nreab,home,true\n",
            "care_settings.csv:1: column 'service': a service of kind 'other' needs a row, since its kind does not say whether its patients are in an emergency department, in hospital, in a bed, in a care home or at home; missing: acute2",
        ),
        (
            "service,reablement\nacute2,true\n",
            "care_settings.csv:1: missing column 'setting'",
        ),
    ];
    for (file, expected) in cases {
        let dir = journeys("p,acute,reab,1\n", "p,reab,fixed,10\n", "", 100, 50);
        std::fs::write(dir.path().join("care_settings.csv"), file).unwrap();
        let e = Model::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains(expected), "{file}\n{e}");
    }
}
