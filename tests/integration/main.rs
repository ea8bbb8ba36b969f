//! careflow's integration tests, in one binary: analytic validation, conservation,
//! determinism, scenario errors and the example programs.

mod care_budget;
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
mod extreme_parameters;
mod finance_errors;
mod financial_years;
mod home_care_hours;
mod hostile_scenarios;
mod kpis;
mod limits;
mod littles_law;
mod output_folders;
mod pathological;
mod profile_rates;
mod properties;
mod readmissions;
mod relative_variants;
mod report_charts;
mod report_html;
mod report_money;
mod scenario_errors;
mod shards;
mod stay_limits;
mod waiting;
