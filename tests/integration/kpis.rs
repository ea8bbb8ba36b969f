//! Typed statistic names: the same summaries as the string names, and typos refused.

use crate::common::blocking_network;
use careflow::{EntryKpi, Experiment, Kpi, Plan, Precision, Report, RunInfo, Statistic, SystemKpi};

#[test]
fn typed_names_address_the_same_statistics_as_strings() {
    let dir = blocking_network(120);
    let mut experiment = Experiment::load(dir.path()).unwrap();
    let mut more = experiment.baseline().clone();
    let acute = more.service_id("acute").unwrap();
    more.set_capacity(acute, 44).unwrap();
    experiment.add_variant("more", more).unwrap();
    let result = experiment.run(&Plan::replications(3));
    let info = RunInfo {
        scenario: "network".into(),
        level: 0.95,
    };
    let report = Report::new(&experiment, &result, info);
    let mut checked = 0;
    for kpi in Kpi::ALL {
        let typed = Statistic::Service("acute", kpi);
        assert!(experiment.has_statistic(typed));
        assert_eq!(
            report.statistic("baseline", typed),
            report.summary("baseline", "service", "acute", kpi.as_str())
        );
        assert!(report.statistic("baseline", typed).is_some(), "{kpi}");
        assert_eq!(
            report.statistic_comparison("more", typed),
            report.comparison("more", "service", "acute", kpi.as_str())
        );
        checked += 1;
    }
    for kpi in SystemKpi::ALL {
        assert!(
            report.statistic("more", Statistic::System(kpi)).is_some(),
            "{kpi}"
        );
        checked += 1;
    }
    for kpi in EntryKpi::ALL {
        let typed = Statistic::Entry("assessment", kpi);
        assert!(experiment.has_statistic(typed));
        assert!(report.statistic("baseline", typed).is_some(), "{kpi}");
        checked += 1;
    }
    assert_eq!(
        checked,
        Kpi::ALL.len() + SystemKpi::ALL.len() + EntryKpi::ALL.len()
    );
    // Unknown subjects are still None, not a panic.
    assert!(!experiment.has_statistic(Statistic::Service("icu", Kpi::Arrivals)));
    assert!(!experiment.has_statistic(Statistic::Entry("acute", EntryKpi::Patients)));
    assert!(
        report
            .statistic("nope", Statistic::System(SystemKpi::Left))
            .is_none()
    );
    // String names, as typed on a command line, still work, and a typo is refused.
    assert!(experiment.has_kpi("service", "acute", "delayed_bed_days"));
    assert!(!experiment.has_kpi("service", "acute", "delayed_beddays"));
    assert!(!experiment.has_kpi("system", "acute", "left"));
    assert!(experiment.has_kpi("system", "", "left"));
    assert!(!experiment.has_kpi("wards", "acute", "arrivals"));
}

#[test]
fn a_typed_precision_target_runs() {
    let dir = blocking_network(150);
    let experiment = Experiment::load(dir.path()).unwrap();
    let mut plan = Plan::replications(3);
    plan.precision = Some(Precision::of(
        Statistic::Service("acute", Kpi::MeanOccupancy),
        0.5,
        0.95,
        6,
    ));
    let result = experiment.run(&plan);
    let (p, reached) = result.precision.unwrap();
    assert_eq!(p.kpi.2, "mean_occupancy");
    assert!(reached <= 0.5);
}
