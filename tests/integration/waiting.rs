//! Where patients wait for a full service, and what happens to arrivals from outside, said by
//! separate columns (`waiting_list`, `transfers_wait`, `when_full`); the old `queue_capacity`
//! still means what it meant.

use crate::common::blocking_network;
use careflow::scenario::ScenarioWarning;
use careflow::{Experiment, Model, TransfersWait, WhenFull, run_replications};

/// `blocking_network`'s services.csv (old form), rewritten with `services`.
fn network_with_services(services: &str) -> tempfile::TempDir {
    let dir = blocking_network(300);
    std::fs::write(dir.path().join("services.csv"), services).unwrap();
    dir
}

const OLD: &str = "id,kind,provider,capacity,queue_capacity,queue_discipline\n\
                   assessment,ed,trust,6,unlimited,priority\n\
                   acute,acute_bed,trust,40,0,fifo\n\
                   community,community_bed,community,12,0,fifo\n";

const NEW_SAME: &str = "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,queue_discipline\n\
                        assessment,ed,trust,6,unlimited,waiting_list,waiting_list,priority\n\
                        acute,acute_bed,trust,40,0,in_bed,turn_away,fifo\n\
                        community,community_bed,community,12,0,in_bed,turn_away,fifo\n";

#[test]
fn the_old_column_and_its_new_spelling_run_identically() {
    let old = Model::load(network_with_services(OLD).path()).unwrap();
    let new = Model::load(network_with_services(NEW_SAME).path()).unwrap();
    assert_eq!(run_replications(&old, 4), run_replications(&new, 4));
    let acute = &new.services()[1];
    assert_eq!(acute.transfers_wait(), TransfersWait::InBed);
    assert_eq!(acute.when_full(), WhenFull::TurnAway);
    let assessment = &old.services()[0];
    assert_eq!(assessment.transfers_wait(), TransfersWait::WaitingList);
    assert_eq!(assessment.when_full(), WhenFull::WaitingList);
}

/// Direct admissions to a ward whose patients also move on to a full community ward: the
/// case that `queue_capacity` 0 could not express.
fn direct_admissions(acute_waiting: &str) -> tempfile::TempDir {
    let dir = network_with_services(&format!(
        "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,queue_discipline\n\
         assessment,ed,trust,6,unlimited,waiting_list,waiting_list,priority\n\
         acute,acute_bed,trust,40,{acute_waiting},fifo\n\
         community,community_bed,community,12,0,in_bed,turn_away,fifo\n"
    ));
    std::fs::write(
        dir.path().join("arrivals.csv"),
        "id,class,service,rate_per_day,profile\n\
         frail_in,frail,assessment,4,\n\
         adult_in,adult,assessment,5,\n\
         gp_direct,adult,acute,3,\n",
    )
    .unwrap();
    dir
}

#[test]
fn direct_arrivals_can_wait_while_transfers_wait_in_their_beds() {
    let sum = |model: &Model, f: &dyn Fn(&careflow::ReplicationResult) -> f64| -> f64 {
        run_replications(model, 4).iter().map(f).sum()
    };
    let acute = |r: &careflow::ReplicationResult| r.services[1].clone();
    // Turned away: GP admissions are lost when acute is full.
    let lost = Model::load(direct_admissions("0,in_bed,turn_away").path()).unwrap();
    let lost_diverted = sum(&lost, &|r| acute(r).diverted as f64);
    assert!(lost_diverted > 0.0, "{lost_diverted}");
    // Waiting: nobody is lost, the list is used, and assessment patients still wait in their
    // trolleys (delays counted in the assessment unit), not on the list.
    let wait = Model::load(direct_admissions("unlimited,in_bed,waiting_list").path()).unwrap();
    let results = run_replications(&wait, 4);
    for r in &results {
        assert!(r.system.is_conserved());
        assert_eq!(r.services[1].diverted, 0);
    }
    assert!(results.iter().any(|r| r.services[1].max_queue > 0));
    assert!(
        results
            .iter()
            .map(|r| r.services[0].delayed_bed_days)
            .sum::<f64>()
            > 0.0
    );
    // The old single column could only say one of these: unlimited sent transfers to the list
    // too, so assessment patients left their trolleys and no delay was counted there.
    let old = Model::load(direct_admissions("unlimited,waiting_list,waiting_list").path()).unwrap();
    let old = run_replications(&old, 4);
    assert_eq!(
        old.iter()
            .map(|r| r.services[0].delayed_bed_days)
            .sum::<f64>(),
        0.0
    );
}

#[test]
fn waiting_in_bed_and_on_the_list_is_one_line_served_in_order() {
    // Acute overloaded by direct admissions, so its list of 10 is never empty (the excess is
    // turned away). Patients waiting in assessment trolleys must still take their turn behind
    // the ~10 ahead of them: were the list served first, they would wait for ever and the
    // assessment unit, all its places held, would stop discharging.
    let dir = direct_admissions("10,in_bed,waiting_list");
    std::fs::write(
        dir.path().join("arrivals.csv"),
        "id,class,service,rate_per_day,profile
         frail_in,frail,assessment,4,
         adult_in,adult,assessment,5,
         gp_direct,adult,acute,20,
",
    )
    .unwrap();
    let model = Model::load(dir.path()).unwrap();
    for r in run_replications(&model, 3) {
        let (assessment, acute) = (&r.services[0], &r.services[1]);
        assert_eq!(acute.max_queue, 10);
        assert!(
            acute.diverted > 1000,
            "acute is overloaded: {}",
            acute.diverted
        );
        let onward = r
            .delays
            .iter()
            .find(|d| d.held_at.index() == 0 && d.awaiting.index() == 1)
            .expect("assessment patients wait in their trolleys for acute");
        // Over 250 observed days, hundreds move on from the trolleys to acute.
        assert!(assessment.departures > 300, "{}", assessment.departures);
        assert!(onward.patients > 200, "{}", onward.patients);
    }
}

#[test]
fn the_two_forms_cannot_be_mixed_and_the_new_one_needs_all_three() {
    let err = |services: &str| -> String {
        let dir = network_with_services(services);
        Model::load(dir.path())
            .unwrap_err()
            .to_string()
            .replace(&dir.path().display().to_string(), "{dir}")
    };
    assert_eq!(
        err(
            "id,kind,provider,capacity,queue_capacity,when_full\nacute,acute_bed,trust,40,0,turn_away\n"
        ),
        "{dir}/services.csv:1: malformed CSV: queue_capacity is the old form of waiting_list, transfers_wait and when_full (queue_capacity N means waiting_list N, transfers_wait waiting_list, when_full waiting_list); give one form or the other, not both (found when_full)"
    );
    assert_eq!(
        err("id,kind,provider,capacity,waiting_list\nacute,acute_bed,trust,40,0\n"),
        "{dir}/services.csv:1: missing column 'transfers_wait'\n{dir}/services.csv:1: missing column 'when_full'"
    );
    assert_eq!(
        err(
            "id,kind,provider,capacity,waiting_list,transfers_wait,when_full\n\
             assessment,ed,trust,6,unlimited,at_home,lost\n\
             acute,acute_bed,trust,40,-1,in_bed,turn_away\n\
             community,community_bed,community,12,0,in_bed,turn_away\n"
        ),
        "{dir}/services.csv:2: column 'transfers_wait': expected in_bed or waiting_list, found \"at_home\"\n\
         {dir}/services.csv:2: column 'when_full': expected waiting_list or turn_away, found \"lost\"\n\
         {dir}/services.csv:3: column 'waiting_list': expected 'unlimited' or a non-negative integer, found \"-1\""
    );
}

#[test]
fn variants_set_the_columns_of_the_form_the_file_uses() {
    let load = |services: &str, rows: &str| {
        let dir = network_with_services(services);
        std::fs::write(
            dir.path().join("variants.csv"),
            format!("variant,file,row,column,value\n{rows}"),
        )
        .unwrap();
        Experiment::load(dir.path()).map_err(|e| {
            e.to_string()
                .replace(&dir.path().display().to_string(), "{dir}")
        })
    };
    let e = load(
        NEW_SAME,
        "v,services.csv,acute,when_full,waiting_list\nv,services.csv,acute,waiting_list,+5\n",
    )
    .unwrap();
    let acute = &e.variants()[1].model.services()[1];
    assert_eq!(acute.when_full(), WhenFull::WaitingList);
    assert_eq!(acute.queue_capacity(), careflow::QueueCapacity::Limited(5));
    assert_eq!(
        load(NEW_SAME, "v,services.csv,acute,queue_capacity,5\n").unwrap_err(),
        "variant 'v': {dir}/variants.csv:2: column 'queue_capacity': this services.csv has waiting_list, transfers_wait and when_full; queue_capacity is the old form of waiting_list, transfers_wait and when_full (queue_capacity N means waiting_list N, transfers_wait waiting_list, when_full waiting_list)"
    );
    assert_eq!(
        load(OLD, "v,services.csv,acute,when_full,waiting_list\n").unwrap_err(),
        "variant 'v': {dir}/variants.csv:2: column 'when_full': this services.csv is written with the old column queue_capacity; set queue_capacity, or rewrite the file with waiting_list, transfers_wait and when_full"
    );
}

#[test]
fn queue_capacity_zero_with_arrivals_is_warned_about() {
    let dir = direct_admissions("0,in_bed,turn_away");
    std::fs::write(dir.path().join("services.csv"), OLD).unwrap();
    let model = Model::load(dir.path()).unwrap();
    let [warning] = model.warnings() else {
        panic!("{:?}", model.warnings())
    };
    assert!(matches!(
        warning,
        ScenarioWarning::QueueCapacityZero { line: 3, .. }
    ));
    assert_eq!(
        warning.to_string(),
        format!(
            "{}/services.csv:3: service 'acute': queue_capacity 0 keeps patients moving on from other services in their beds and also turns away arrivals from outside when it is full (arrival streams gp_direct); to say which you mean, replace queue_capacity with waiting_list, transfers_wait and when_full (waiting_list unlimited, transfers_wait in_bed, when_full waiting_list lets those arrivals wait)",
            dir.path().display()
        )
    );
    // Written the new way, it says what it means and is not warned about.
    assert!(
        Model::load(direct_admissions("0,in_bed,turn_away").path())
            .unwrap()
            .warnings()
            .is_empty()
    );
    // Without direct arrivals, queue_capacity 0 is unambiguous.
    assert!(
        Model::load(network_with_services(OLD).path())
            .unwrap()
            .warnings()
            .is_empty()
    );
}
