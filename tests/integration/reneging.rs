//! Reneging (`patience.csv`): patients who give up waiting, against Erlang-A (M/M/c+M), in a
//! network (conservation, waits blocked in a bed), and hostile rows.

use crate::common::{blocking_network, write_scenario};
use careflow::{Destination, Experiment, Model, Plan, Summary, run_replication};

const SETTINGS: &str = "key,value\nstart_date,2026-04-01\nhorizon_days,HORIZON\nwarmup_days,50\nseed,11\nreplications,REPS\ndaily_series,false\n";

/// One queue, `c` places, Poisson arrivals `lambda` a day, exponential stays of mean `1/mu`
/// days, and the `patience.csv` rows given (class `p`, service `ed`; `urgent` is a second
/// service nobody arrives at).
fn queue(
    c: u32,
    lambda: f64,
    mu: f64,
    horizon: u32,
    reps: u32,
    patience: &str,
) -> tempfile::TempDir {
    let settings = SETTINGS
        .replace("HORIZON", &horizon.to_string())
        .replace("REPS", &reps.to_string());
    let services = format!(
        "id,kind,provider,capacity,waiting_list,transfers_wait,when_full,queue_discipline\n\
         ed,ed,trust,{c},unlimited,waiting_list,waiting_list,fifo\n\
         urgent,community_bed,trust,2,unlimited,waiting_list,waiting_list,fifo\n"
    );
    let arrivals = format!("id,class,service,rate_per_day,profile\nin,p,ed,{lambda},\n");
    let los = format!(
        "class,service,distribution,mean\np,ed,exponential,{}\np,urgent,exponential,0.5\n",
        1.0 / mu
    );
    write_scenario(&[
        ("settings.csv", &settings),
        ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
        ("services.csv", &services),
        ("classes.csv", "id,priority\np,0\n"),
        ("arrivals.csv", &arrivals),
        ("los.csv", &los),
        ("routes.csv", "class,service,next,probability\n"),
        ("patience.csv", patience),
    ])
}

/// Erlang-A by its birth–death chain truncated at `n_max`: births `lambda`, deaths
/// `min(n, c)·mu + max(n − c, 0)·theta`. Returns (P(abandon) = θ·E[queue]/λ, E[queue],
/// mean wait of those served, P(abandon) from the arrivals' point of view).
fn erlang_a(c: u32, lambda: f64, mu: f64, theta: f64, n_max: usize) -> (f64, f64, f64, f64) {
    let c = c as usize;
    let death = |n: usize| n.min(c) as f64 * mu + n.saturating_sub(c) as f64 * theta;
    // Unnormalised, in logs against overflow.
    let mut log_p = vec![0.0_f64; n_max + 1];
    for n in 1..=n_max {
        log_p[n] = log_p[n - 1] + (lambda / death(n)).ln();
    }
    let top = log_p.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = log_p.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = weights.iter().sum();
    let p: Vec<f64> = weights.iter().map(|w| w / total).collect();
    assert!(
        p[n_max] < 1e-30,
        "truncation at {n_max} loses mass: {}",
        p[n_max]
    );
    let queue: f64 = (0..=n_max).map(|n| n.saturating_sub(c) as f64 * p[n]).sum();
    // An arrival (PASTA) finding n ≥ c has k = n − c ahead in the queue; with k ahead, the
    // line moves at c·mu + k·theta and the arrival gives up at theta, each stage exponential.
    let (cm, mut served, mut served_wait) = (c as f64 * mu, 0.0, 0.0);
    for (n, &pn) in p.iter().enumerate() {
        if n < c {
            served += pn;
            continue;
        }
        let (mut survive, mut wait) = (1.0, 0.0);
        for k in 0..=(n - c) {
            let rate = cm + k as f64 * theta + theta;
            survive *= (cm + k as f64 * theta) / rate;
            wait += 1.0 / rate;
        }
        served += pn * survive;
        served_wait += pn * survive * wait;
    }
    (
        theta * queue / lambda,
        queue,
        served_wait / served,
        1.0 - served,
    )
}

const LEVEL: f64 = 0.999;

fn check(what: &str, values: &[f64], analytic: f64) {
    let s = Summary::new(values, LEVEL);
    let half = s.half_width.expect("several replications");
    println!(
        "{what}: simulated {:.5} ± {:.5} (99.9%, n = {}), analytic {analytic:.5}",
        s.mean, half, s.n
    );
    assert!(half < 0.03 * analytic, "{what}: interval too wide ({half})");
    assert!(
        (s.mean - analytic).abs() <= half,
        "{what}: simulated {} ± {half}, analytic {analytic}",
        s.mean
    );
}

#[test]
fn mmc_with_exponential_patience_matches_erlang_a() {
    let (c, lambda, mu, theta) = (10, 12.0, 1.0, 2.0);
    let dir = queue(
        c,
        lambda,
        mu,
        12_000,
        24,
        &format!(
            "class,service,then,distribution,mean\np,ed,exit,exponential,{}\n",
            1.0 / theta
        ),
    );
    let model = Model::load(dir.path()).unwrap();
    let experiment = Experiment::new(model);
    let result = experiment.run(&Plan::replications(24));
    let (p_abandon, queue, served_wait, p_abandon_arrivals) = erlang_a(c, lambda, mu, theta, 400);
    // Two derivations of the same probability: the chain's flow balance, and the arrivals'.
    assert!((p_abandon - p_abandon_arrivals).abs() < 1e-9 * p_abandon);
    let runs = &result.results[0];
    for r in runs {
        assert!(r.system.is_conserved());
    }
    let ed = |r: &careflow::ReplicationResult| r.services[0].clone();
    let share: Vec<f64> = runs
        .iter()
        .map(|r| ed(r).reneged as f64 / ed(r).arrivals as f64)
        .collect();
    check("P(abandon)", &share, p_abandon);
    let lq: Vec<f64> = runs.iter().map(|r| ed(r).mean_queue).collect();
    check("E[queue]", &lq, queue);
    // Mean wait over every arrival (Little): E[queue] / λ.
    let wq: Vec<f64> = lq.iter().map(|q| q / lambda).collect();
    check("mean wait, all arrivals (days)", &wq, queue / lambda);
    let wait: Vec<f64> = runs.iter().map(|r| ed(r).mean_wait).collect();
    check("mean wait of those served (days)", &wait, served_wait);
    // Those who give up leave the system: left counts them.
    let r = &runs[0];
    assert_eq!(r.system.diverted, 0);
    assert!(r.system.left >= r.services[0].reneged);
}

#[test]
fn a_patience_that_runs_out_sends_patients_to_the_named_service() {
    let dir = queue(
        2,
        6.0,
        1.0,
        400,
        2,
        "class,service,then,distribution,value\np,ed,urgent,fixed,0.1\n",
    );
    let model = Model::load(dir.path()).unwrap();
    let ed = model.service_id("ed").unwrap();
    let p = model.arrivals()[0].class();
    let rule = model.patience(p, ed).unwrap();
    assert_eq!(
        rule.then(),
        Destination::Service(model.service_id("urgent").unwrap())
    );
    let r = run_replication(&model, 0);
    let (ed, urgent) = (&r.services[0], &r.services[1]);
    assert!(ed.reneged > 100, "{}", ed.reneged);
    // Nobody else comes to urgent; those who give up there leave.
    assert!(
        urgent.arrivals.abs_diff(ed.reneged) <= 1,
        "{} {}",
        urgent.arrivals,
        ed.reneged
    );
    assert_eq!(urgent.reneged, 0);
    // Fixed patience: nobody admitted to the ED waited longer.
    assert!(ed.p95_wait <= 0.1 * 1.001, "{}", ed.p95_wait);
    assert!(r.system.is_conserved());
    // Deterministic.
    assert_eq!(run_replication(&model, 0), r);
}

/// The blocking network with patience: frail patients give up on the community bed while
/// blocked in their acute bed (dying in hospital: exit), and on the assessment unit's queue
/// for the acute ward (left without being seen... by the ward: sent to the community bed).
fn network_with_patience() -> tempfile::TempDir {
    let dir = blocking_network(1500);
    std::fs::write(
        dir.path().join("patience.csv"),
        "class,service,then,distribution,mean,value\n\
         frail,community,exit,,,2\n\
         adult,assessment,exit,exponential,0.05,\n\
         frail,assessment,community,exponential,0.1,\n",
    )
    .unwrap();
    // `distribution` `fixed` on the first row, by override of a blank cell: test the file as
    // written and as overridden alike.
    let text = std::fs::read_to_string(dir.path().join("patience.csv")).unwrap();
    std::fs::write(
        dir.path().join("patience.csv"),
        text.replace("frail,community,exit,,,2", "frail,community,exit,fixed,,2"),
    )
    .unwrap();
    dir
}

#[test]
fn reneging_in_a_network_conserves_patients_and_bounds_delays() {
    let dir = network_with_patience();
    let model = Model::load(dir.path()).unwrap();
    let [assessment, acute, community] =
        ["assessment", "acute", "community"].map(|s| model.service_id(s).unwrap().index());
    let mut gave_up_blocked = 0;
    for replication in 0..4 {
        let r = run_replication(&model, replication);
        assert!(r.system.is_conserved(), "{:?}", r.system);
        let s = &r.services;
        assert!(s[assessment].reneged > 0);
        gave_up_blocked += s[community].reneged;
        // A patient blocked in an acute bed waits at most their patience of 2 days.
        let a = &s[acute];
        assert!(
            a.delayed_bed_days_awaiting_place
                <= 2.0 * a.delayed_patients_awaiting_place as f64 + 2.0 * 40.0,
            "{} bed-days for {} patients",
            a.delayed_bed_days_awaiting_place,
            a.delayed_patients_awaiting_place
        );
        assert_eq!(s[acute].reneged, 0);
    }
    assert!(gave_up_blocked > 0, "nobody gave up in a bed");
    // The same network without patience delays more.
    let plain = blocking_network(1500);
    let plain = run_replication(&Model::load(plain.path()).unwrap(), 0);
    let with = run_replication(&model, 0);
    assert!(
        with.services[acute].delayed_bed_days < plain.services[acute].delayed_bed_days,
        "{} vs {}",
        with.services[acute].delayed_bed_days,
        plain.services[acute].delayed_bed_days
    );
    assert!(plain.services.iter().all(|s| s.reneged == 0));
}

#[test]
fn variants_override_patience_and_the_table_shows_reneged() {
    let dir = network_with_patience();
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\n\
         patient,patience.csv,adult/assessment,mean,*10\n\
         elsewhere,patience.csv,frail/assessment,then,exit\n",
    )
    .unwrap();
    let experiment = Experiment::load(dir.path()).unwrap();
    let result = experiment.run(&Plan::replications(2));
    let reneged = |v: usize| -> u64 {
        result.results[v]
            .iter()
            .map(|r| r.services[0].reneged)
            .sum()
    };
    assert!(reneged(1) < reneged(0), "{} vs {}", reneged(1), reneged(0));
    let model = &experiment.variants()[2].model;
    let frail = model.arrivals()[0].class();
    let assessment = model.service_id("assessment").unwrap();
    assert_eq!(
        model.patience(frail, assessment).unwrap().then(),
        Destination::Exit
    );
    let report = careflow::Report::new(
        &experiment,
        &result,
        careflow::RunInfo {
            scenario: "test".into(),
            level: 0.95,
        },
    );
    let table = report.to_string();
    assert!(table.contains("reneged"), "{table}");
    // One variant: the service table has the column.
    let single = Experiment::new(experiment.baseline().clone());
    let single_result = single.run(&Plan::replications(2));
    let single_report = careflow::Report::new(
        &single,
        &single_result,
        careflow::RunInfo {
            scenario: "test".into(),
            level: 0.95,
        },
    );
    assert!(single_report.to_string().contains("reneged"));
    // Without reneging there is no column.
    let plain = Experiment::new(Model::load(blocking_network(200).path()).unwrap());
    let plain_result = plain.run(&Plan::replications(2));
    let plain_report = careflow::Report::new(
        &plain,
        &plain_result,
        careflow::RunInfo {
            scenario: "test".into(),
            level: 0.95,
        },
    );
    assert!(!plain_report.to_string().contains("reneged"));
}

/// The error messages for `patience.csv` given, in the ED queue scenario.
fn errors(patience: &str) -> Vec<String> {
    let dir = queue(2, 6.0, 1.0, 100, 2, patience);
    let prefix = format!("{}/", dir.path().display());
    match Model::load(dir.path()) {
        Ok(_) => Vec::new(),
        Err(careflow::Error::Scenario(e)) => {
            e.0.iter()
                .map(|e| e.to_string().replace(&prefix, ""))
                .collect()
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn hostile_patience_rows_are_refused_with_their_position() {
    let header = "class,service,then,distribution,mean,sd,min,max,value,truncate_min,truncate_max";
    let cases: [(&str, &str); 15] = [
        (
            "q,ed,exit,exponential,1,,,,,,",
            "patience.csv:2: column 'class': expected a class in classes.csv, found \"q\"",
        ),
        (
            "p,icu,exit,exponential,1,,,,,,",
            "patience.csv:2: column 'service': expected a service in services.csv, found \"icu\"",
        ),
        (
            "p,ed,home,exponential,1,,,,,,",
            "patience.csv:2: column 'then': expected a service in services.csv or 'exit', found \"home\"",
        ),
        (
            "p,ed,,exponential,1,,,,,,",
            "patience.csv:2: column 'then': expected a service in services.csv or 'exit', found \"\"",
        ),
        (
            "p,ed,ed,exponential,1,,,,,,",
            "patience.csv:2: column 'then': patients giving up on service 'ed' cannot go back to wait for it: give another service or 'exit'",
        ),
        (
            "p,ed,exit,poisson,1,,,,,,",
            "patience.csv:2: column 'distribution': expected one of",
        ),
        (
            "p,ed,exit,exponential,,,,,,,",
            "patience.csv:2: column 'mean': expected a number greater than 0 (exponential needs 'mean')",
        ),
        (
            "p,ed,exit,exponential,-1,,,,,,",
            "patience.csv:2: column 'mean': expected a number greater than 0, found \"-1\"",
        ),
        (
            "p,ed,exit,exponential,abc,,,,,,",
            "patience.csv:2: column 'mean': expected a number greater than 0, found \"abc\"",
        ),
        (
            "p,ed,exit,exponential,1,2,,,,,",
            "patience.csv:2: column 'sd': exponential does not use 'sd'",
        ),
        (
            "p,ed,exit,uniform,,,3,1,,,",
            "patience.csv:2: column 'max': expected a number greater than min (3)",
        ),
        (
            "p,ed,exit,fixed,,,,,1,3,2",
            "patience.csv:2: column 'truncate_max': expected a number of at least truncate_min (3)",
        ),
        (
            "p,ed,exit,exponential,1e400,,,,,,",
            "patience.csv:2: column 'mean'",
        ),
        (
            "p,ed,exit,exponential,1,,,,,,\np,ed,urgent,fixed,,,,,1,,",
            "patience.csv:3: duplicate entry for class 'p' waiting for service 'ed' (first given on line 2)",
        ),
        (
            "p,ed,exit,fixed,,,,,NaN,,",
            "patience.csv:2: column 'value'",
        ),
    ];
    for (rows, expected) in cases {
        let found = errors(&format!("{header}\n{rows}\n"));
        assert!(
            found.iter().any(|e| e.starts_with(expected)),
            "{rows}: expected {expected:?}, found {found:#?}"
        );
    }
    // A missing `then` column.
    let found = errors("class,service,distribution,mean\np,ed,exponential,1\n");
    assert!(
        found
            .iter()
            .any(|e| e.contains("patience.csv") && e.contains("then")),
        "{found:#?}"
    );
}

#[test]
fn patience_needs_a_stay_where_it_waits_and_where_it_goes() {
    // Class q has no stay anywhere: it never waits at the ED.
    let dir = queue(
        2,
        6.0,
        1.0,
        100,
        2,
        "class,service,then,distribution,mean\n",
    );
    std::fs::write(dir.path().join("classes.csv"), "id,priority\np,0\nq,1\n").unwrap();
    std::fs::write(
        dir.path().join("patience.csv"),
        "class,service,then,distribution,mean\nq,ed,exit,exponential,1\n",
    )
    .unwrap();
    let e = Model::load(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("patience.csv:2: column 'service': class 'q' has no stay at service 'ed' in los.csv, so never waits for it"),
        "{e}"
    );
    // Sent to a service with no stay for the class: the reachability check names the row.
    let dir = queue(
        2,
        6.0,
        1.0,
        100,
        2,
        "class,service,then,distribution,mean\np,ed,urgent,exponential,1\n",
    );
    std::fs::write(
        dir.path().join("los.csv"),
        "class,service,distribution,mean\np,ed,exponential,1\n",
    )
    .unwrap();
    let e = Model::load(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("urgent") && e.contains("patience.csv line 2"),
        "{e}"
    );
    // A variant overriding a row that does not exist, or a key column.
    let dir = queue(
        2,
        6.0,
        1.0,
        100,
        2,
        "class,service,then,distribution,mean\np,ed,exit,exponential,1\n",
    );
    std::fs::write(
        dir.path().join("variants.csv"),
        "variant,file,row,column,value\nv,patience.csv,p/urgent,mean,2\nw,patience.csv,p/ed,service,urgent\nx,patience.csv,p/ed,then,nowhere\n",
    )
    .unwrap();
    let e = match Experiment::load(dir.path()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("variants naming no row, a key column and an unknown service load"),
    };
    assert!(e.contains("p/urgent"), "{e}");
    assert!(e.contains("'service'") || e.contains("column"), "{e}");
    assert!(e.contains("nowhere"), "{e}");
}

/// A patient funded by a council's care budget for home care who gives up waiting for it in
/// their ward bed gives the funding back: it is not carried to the service they turn to (a
/// bridge no budget pays for), where giving up again once released it at the wrong service
/// (found by the property tests).
#[test]
fn giving_up_from_a_bed_releases_the_funding_approved_for_the_place() {
    let dir = write_scenario(&[
        (
            "settings.csv",
            "key,value\nstart_date,2026-04-01\nhorizon_days,200\nseed,9\nreplications,2\ndaily_series,false\n",
        ),
        (
            "organisations.csv",
            "id,kind\ntrust,acute_trust\ncouncil,local_authority\n",
        ),
        (
            "services.csv",
            "id,kind,provider,capacity,waiting_list,transfers_wait,when_full\n\
             ward,acute_bed,trust,20,unlimited,waiting_list,waiting_list\n\
             home,home_care,council,1,0,in_bed,turn_away\n\
             bridge,other,trust,0,unlimited,waiting_list,waiting_list\n",
        ),
        ("classes.csv", "id,priority\np,0\n"),
        (
            "arrivals.csv",
            "id,class,service,rate_per_day,profile\nin,p,ward,2,\n",
        ),
        (
            "los.csv",
            "class,service,distribution,mean\np,ward,exponential,1\np,home,exponential,30\np,bridge,exponential,1\n",
        ),
        (
            "routes.csv",
            "class,service,next,probability\np,ward,home,1\n",
        ),
        (
            "patience.csv",
            "class,service,then,distribution,mean\np,home,bridge,exponential,2\np,bridge,exit,exponential,1\n",
        ),
        (
            "costs.csv",
            "service,basis,rate\nward,bed_day,300\nhome,placement_week,500\nbridge,bed_day,100\n",
        ),
        (
            "funding.csv",
            "organisation,annual,care_budget\ncouncil,1000000,1000000\n",
        ),
    ]);
    let model = Model::load(dir.path()).unwrap();
    for replication in 0..2 {
        let r = run_replication(&model, replication);
        assert!(r.system.is_conserved(), "{:?}", r.system);
        assert!(r.services[1].reneged > 0 && r.services[2].reneged > 0);
    }
}
