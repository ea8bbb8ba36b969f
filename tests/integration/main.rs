//! careflow's integration tests, in one binary: analytic validation, conservation,
//! determinism, scenario errors and the example programs.

mod census;
mod common;
mod conservation;
mod contracts;
mod deadlock;
mod determinism;
mod discharge;
mod electives;
mod emergency_department;
mod erlang;
mod escalation;
mod examples;
mod experiments;
mod finance_errors;
mod home_care_hours;
mod kpis;
mod limits;
mod littles_law;
mod pathological;
mod profile_rates;
mod properties;
mod readmissions;
mod relative_variants;
mod report_html;
mod report_money;
mod scenario_errors;
mod shards;
mod waiting;
