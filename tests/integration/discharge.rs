//! Discharge rules: the medically-fit point, assessment in hospital, and discharge to assess
//! with a predicted → actual pathway change. Expected values are derived by hand from fixed
//! stays, so most comparisons are exact.

use crate::common::write_scenario;
use careflow::{
    DelayReason, Experiment, Model, Plan, ReplicationResult, ServiceResult, run_replication,
};

/// Patients arrive at `acute` (fixed 2-day stay to medically fit, then a fixed 0.5-day
/// assessment), then pathway 0 (home, half) or pathway 1 (home care, half), via the interim
/// service `d2a` under discharge to assess, where assessment finds a quarter of predicted
/// pathway 1 can go home (pathway 0).
fn scenario(model: &str, d2a_capacity: u32) -> tempfile::TempDir {
    let services = format!(
        "id,kind,provider,capacity,queue_capacity,queue_discipline\n\
         acute,acute_bed,trust,200,unlimited,fifo\n\
         d2a,d2a_bed,trust,{d2a_capacity},0,fifo\n\
         home_care,home_care,council,2000,0,fifo\n"
    );
    let discharge = format!("class,service,model,distribution,value\np,acute,{model},fixed,0.5\n");
    write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,400\nwarmup_days,20\nseed,11\nreplications,3\ndaily_series,false\n",
        ),
        (
            "organisations.csv",
            "id,kind\ntrust,acute_trust\ncouncil,local_authority\n",
        ),
        ("services.csv", &services),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,acute,20,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,value\np,acute,fixed,2\np,home_care,fixed,3\n",
        ),
        ("routes.csv", "class,service,next,probability\n"),
        ("discharge.csv", &discharge),
        (
            "pathways.csv",
            "class,service,pathway,probability,destination,interim\n\
             p,acute,0,0.5,exit,\n\
             p,acute,1,0.5,home_care,d2a\n",
        ),
        (
            "pathway_changes.csv",
            "class,service,predicted,actual,probability\n\
             p,acute,1,0,0.25\n\
             p,acute,1,1,0.75\n",
        ),
    ])
}

fn service<'r>(model: &Model, r: &'r ReplicationResult, name: &str) -> &'r ServiceResult {
    &r.services[model.service_id(name).unwrap().index()]
}

#[test]
fn assessment_in_hospital_keeps_fit_patients_in_their_bed_for_the_assessment() {
    let dir = scenario("assess_in_hospital", 50);
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let acute = service(&model, &r, "acute");
    // Nobody waits for home care (2000 packages), so every fit patient leaves exactly when the
    // 0.5-day assessment ends, after 2 + 0.5 days in the bed.
    assert!(acute.fit_patients > 5_000);
    assert!((acute.mean_fit_to_leave - 0.5).abs() < 1e-9, "{acute:?}");
    assert!((acute.mean_length_of_stay - 2.5).abs() < 1e-9, "{acute:?}");
    assert_eq!(acute.delayed_bed_days_awaiting_place, 0.0);
    assert_eq!(acute.delayed_bed_days_awaiting_funding, 0.0);
    // Assessment bed-days: 0.5 days for each fit patient, give or take the assessments that
    // straddle the window's ends (at most 20 a day × 0.5 days at each end). A fit patient
    // being assessed in the bed is a delayed patient: they are all of the delay.
    let expected = acute.fit_patients as f64 * 0.5;
    assert!(
        (acute.delayed_bed_days_awaiting_assessment - expected).abs() <= 2.0 * 20.0 * 0.5,
        "{acute:?}"
    );
    assert_eq!(
        acute.delayed_bed_days,
        acute.delayed_bed_days_awaiting_assessment
    );
    // Every assessment started in the window is a delayed patient, once.
    assert_eq!(
        acute.delayed_patients,
        acute.delayed_patients_awaiting_assessment
    );
    assert!(
        acute.delayed_patients.abs_diff(acute.fit_patients) <= 20,
        "{acute:?}"
    );
    // The interim service is not used.
    assert_eq!(service(&model, &r, "d2a").admissions, 0);
    // Pathway 1 is drawn for about half: home care admissions are Binomial(n, 0.5).
    let n = acute.fit_patients as f64;
    let home_care = service(&model, &r, "home_care").admissions as f64;
    assert!(
        (home_care - n / 2.0).abs() < 4.0 * (n * 0.25).sqrt(),
        "{home_care} of {n}"
    );
}

#[test]
fn discharge_to_assess_moves_fit_patients_to_interim_care_and_changes_pathways() {
    let dir = scenario("discharge_to_assess", 50);
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let acute = service(&model, &r, "acute");
    let d2a = service(&model, &r, "d2a");
    // Fit patients leave acute at once: 10 a day need the interim service, whose 50 beds
    // hold them for the fixed 0.5-day assessment (about 5 occupied), so nobody waits.
    assert_eq!(acute.mean_fit_to_leave, 0.0);
    assert!((acute.mean_length_of_stay - 2.0).abs() < 1e-9, "{acute:?}");
    assert_eq!(acute.delayed_bed_days_awaiting_assessment, 0.0);
    assert_eq!(acute.delayed_bed_days, 0.0);
    assert!((d2a.mean_length_of_stay - 0.5).abs() < 1e-9, "{d2a:?}");
    // Of those assessed in interim care, three quarters turn out to need home care.
    let assessed = d2a.departures as f64;
    let home_care = service(&model, &r, "home_care").admissions as f64;
    let sd = (assessed * 0.75 * 0.25).sqrt();
    assert!(
        (home_care - 0.75 * assessed).abs() < 4.0 * sd,
        "{home_care} of {assessed}"
    );
    assert!(r.system.is_conserved());
}

#[test]
fn too_little_interim_capacity_leaves_fit_patients_waiting_in_acute() {
    let dir = scenario("discharge_to_assess", 2);
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let acute = service(&model, &r, "acute");
    // 10 a day need 2 interim beds for half a day each: a load of 5 on 2 beds. Patients wait
    // in acute, recorded as delayed bed-days awaiting the interim service.
    assert!(acute.mean_fit_to_leave > 0.0);
    let d2a = model.service_id("d2a").unwrap();
    let delay = r
        .delays
        .iter()
        .find(|d| d.awaiting == d2a)
        .expect("delays awaiting the interim service");
    assert_eq!(delay.reason, DelayReason::Place);
    assert!((delay.bed_days - acute.delayed_bed_days).abs() < 1e-6 * delay.bed_days);
    assert_eq!(
        acute.delayed_bed_days,
        acute.delayed_bed_days_awaiting_place
    );
    assert!(r.system.is_conserved());
}

#[test]
fn a_variant_switches_the_discharge_model() {
    let dir = scenario("assess_in_hospital", 50);
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\n\
         d2a,discharge.csv,p/acute,model,discharge_to_assess\n\
         same,discharge.csv,p/acute,model,assess_in_hospital\n",
    )
    .unwrap();
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    // The no-op variant reproduces the baseline; discharge to assess frees acute beds.
    assert_eq!(result.results[0], result.results[2]);
    let occupancy = |v: usize| result.results[v][0].services[0].mean_occupancy;
    assert!(
        occupancy(1) < occupancy(0) - 5.0,
        "{} vs {}",
        occupancy(1),
        occupancy(0)
    );
}

#[test]
fn readmission_rules_apply_by_discharge_pathway() {
    // Every patient sent home on pathway 0 (half of them) comes back within 5 days; nobody
    // on pathway 1 does.
    let dir = scenario("assess_in_hospital", 50);
    std::fs::write(
        dir.path().join("readmissions.csv"),
        "class,service,pathway,probability,within_days,to\np,acute,0,1,5,acute\n",
    )
    .unwrap();
    let model = Model::load(dir.path()).unwrap();
    let r = run_replication(&model, 0);
    let acute = service(&model, &r, "acute");
    let n = acute.fit_patients as f64;
    let returned = acute.readmissions as f64;
    // Binomial(n, 0.5), less those still pending at the end (at most 5 days' worth).
    let slack = 4.0 * (n * 0.25).sqrt() + 5.0 * 40.0;
    assert!((returned - 0.5 * n).abs() < slack, "{returned} of {n}");
    assert!(r.system.is_conserved());
}

/// Regression (found by fuzzing): pathways whose probabilities are all 0 panicked while the
/// rule was built, after the problem had been recorded; now only the problem is reported.
#[test]
fn pathways_with_no_positive_probability_are_reported_not_a_panic() {
    let dir = scenario("assess_in_hospital", 50);
    std::fs::write(
        dir.path().join("pathways.csv"),
        "class,service,pathway,probability,destination,interim\n\
         p,acute,0,0,exit,\n\
         p,acute,1,0,home_care,d2a\n",
    )
    .unwrap();
    let err = Model::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("pathways.csv:2"), "{err}");
    assert!(err.contains("sum to 0, expected 1"), "{err}");
}
