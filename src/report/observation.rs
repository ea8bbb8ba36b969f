//! Results flattened into tidy observations: one statistic of one subject per row.

use crate::{Model, ReplicationResult};

/// What an observation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// The whole system.
    System,
    /// One service.
    Service,
    /// One entry service's arrival-to-leaving times.
    Entry,
    /// Delayed bed-days in one service's beds awaiting another service.
    Delay,
}

impl Scope {
    /// The name written in output files.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::System => "system",
            Scope::Service => "service",
            Scope::Entry => "entry",
            Scope::Delay => "delay",
        }
    }
}

/// The key of an observation: which statistic of which subject.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// What it is about.
    pub scope: Scope,
    /// The service (holding the bed, for delays); empty for the system.
    pub service: String,
    /// For delays, the service awaited; otherwise empty.
    pub awaiting: String,
    /// The statistic's name, e.g. `mean_occupancy`.
    pub kpi: &'static str,
}

/// Names of the system statistics.
pub const SYSTEM_KPIS: [&str; 7] = [
    "inside_at_start",
    "arrived",
    "readmissions",
    "diverted",
    "left",
    "inside_at_end",
    "deadlocks",
];

/// Names of the entry-service statistics.
pub const ENTRY_KPIS: [&str; 8] = [
    "patients",
    "over_threshold",
    "share_over_threshold",
    "mean_time_days",
    "p95_time_days",
    "admitted",
    "admitted_over_threshold",
    "mean_time_to_admission_days",
];

/// Every statistic of one replication, in a fixed order: system, services, then the entry
/// services in `entries` and the (held at, awaiting) pairs in `delay_pairs` (service indices;
/// zero where this replication has none), so that replications of different variants line up.
pub fn observations(
    model: &Model,
    result: &ReplicationResult,
    entries: &[usize],
    delay_pairs: &[(usize, usize)],
) -> Vec<(Key, f64)> {
    let name = |i: usize| model.services()[i].name().to_string();
    let key = |scope, service: String, awaiting: String, kpi| Key {
        scope,
        service,
        awaiting,
        kpi,
    };
    let mut rows = Vec::new();
    let s = &result.system;
    let system = [
        s.inside_at_start,
        s.arrived,
        s.readmissions,
        s.diverted,
        s.left,
        s.inside_at_end,
        result.deadlocks.len() as u64,
    ];
    for (kpi, v) in SYSTEM_KPIS.into_iter().zip(system) {
        rows.push((
            key(Scope::System, String::new(), String::new(), kpi),
            v as f64,
        ));
    }
    for sr in &result.services {
        for (kpi, v) in sr.kpis() {
            rows.push((
                key(Scope::Service, name(sr.service.index()), String::new(), kpi),
                v,
            ));
        }
    }
    for &entry in entries {
        let values = result
            .entries
            .iter()
            .find(|e| e.service.index() == entry)
            .map_or([0.0; 8], |e| {
                [
                    e.patients as f64,
                    e.over_threshold as f64,
                    e.share_over_threshold,
                    e.mean_time,
                    e.p95_time,
                    e.admitted as f64,
                    e.admitted_over_threshold as f64,
                    e.mean_time_to_admission,
                ]
            });
        for (kpi, v) in ENTRY_KPIS.into_iter().zip(values) {
            rows.push((key(Scope::Entry, name(entry), String::new(), kpi), v));
        }
    }
    for &(held, awaiting) in delay_pairs {
        let found = result
            .delays
            .iter()
            .find(|d| d.held_at.index() == held && d.awaiting.index() == awaiting);
        let (bed_days, patients) = found.map_or((0.0, 0.0), |d| (d.bed_days, d.patients as f64));
        for (kpi, v) in [
            ("delayed_bed_days", bed_days),
            ("delayed_patients", patients),
        ] {
            rows.push((key(Scope::Delay, name(held), name(awaiting), kpi), v));
        }
    }
    rows
}

/// Every (held at, awaiting) pair with a delay in any replication, sorted.
pub fn delay_pairs<'r>(
    results: impl IntoIterator<Item = &'r ReplicationResult>,
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = results
        .into_iter()
        .flat_map(|r| {
            r.delays
                .iter()
                .map(|d| (d.held_at.index(), d.awaiting.index()))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}
