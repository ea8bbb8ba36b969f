//! careflow simulates patient flow through a local health and care system — acute hospital,
//! community services, social care — under capacity rules and contracting rules, so analysts
//! can ask "what happens to waits, delayed bed-days and each organisation's money if we change
//! this?" and get an answer with confidence intervals in seconds.
//!
//! # Quick start
//!
//! Load a scenario folder, run a few replications in parallel, read a confidence interval:
//!
//! ```
//! use careflow::{Model, run_replications, Summary};
//!
//! let mut model = Model::load("scenarios/baseline")?;
//! model.settings_mut().horizon_days = 120.0; // shorter than the scenario's three years
//! model.settings_mut().warmup_days = 30.0;
//! let results = run_replications(&model, 4);
//! assert!(results.iter().all(|r| r.system.is_conserved()));
//!
//! let acute = model.service_id("acute").unwrap();
//! let occupied: Vec<f64> = results.iter().map(|r| r.services[acute.index()].mean_occupancy).collect();
//! let s = Summary::new(&occupied, 0.95);
//! println!("acute beds occupied: {:.0} ({:.0} to {:.0})", s.mean, s.low(), s.high());
//! # Ok::<(), careflow::Error>(())
//! ```
//!
//! Compare policy variants on common random numbers — here, ten more community beds:
//!
//! ```
//! use careflow::{Experiment, Kpi, Plan, Report, RunInfo, Statistic};
//!
//! let mut experiment = Experiment::load("scenarios/baseline")?;
//! let mut more_beds = experiment.baseline().clone();
//! let community = more_beds.service_id("community").unwrap();
//! more_beds.set_capacity(community, 96)?;
//! experiment.add_variant("community_96", more_beds)?;
//! for v in experiment.variants_mut() {
//!     v.model.settings_mut().horizon_days = 150.0;
//!     v.model.settings_mut().warmup_days = 60.0;
//! }
//! let result = experiment.run(&Plan::replications(4));
//! let report = Report::new(&experiment, &result, RunInfo { scenario: "baseline".into(), level: 0.95 });
//! let delays = Statistic::Service("acute", Kpi::DelayedBedDays);
//! let change = report.statistic_comparison("community_96", delays).unwrap();
//! println!("change in delayed bed-days: {:.0} ± {:.0}", change.mean, change.half_width.unwrap());
//! # Ok::<(), careflow::Error>(())
//! ```
//!
//! Money: with `costs.csv`, `funding.csv` and `contracts.csv` in a scenario (Payment by
//! Results, block, blended, capitation, prime contractor, alliance, pooled fund, spot purchase,
//! delayed-discharge reimbursement), each replication also returns a [`Ledger`] per
//! organisation per financial year, booked from the same events that move patients, and a
//! local authority's care budget rations new packages (patients wait, awaiting funding):
//!
//! ```
//! use careflow::{Category, Model, run_replication};
//!
//! let mut model = Model::load("scenarios/contracts")?;
//! model.settings_mut().horizon_days = 400.0; // observe 2026-27 after a warm-up
//! model.settings_mut().warmup_days = 30.0;
//! let result = run_replication(&model, 0);
//! let year = &result.finance.years[0];
//! assert_eq!(year.label, "2026-27");
//! // What one organisation pays, another receives.
//! for c in Category::ALL.into_iter().filter(|c| c.is_transfer()) {
//!     let net: f64 = year.organisations.iter().map(|o| o.amount(c)).sum();
//!     assert!(net.abs() < 1e-3, "{}: {net}", c.as_str());
//! }
//! let acute = model.organisations().iter().position(|o| o.name() == "acute_trust").unwrap();
//! println!("acute trust surplus: £{:.0}", year.organisations[acute].surplus());
//! # Ok::<(), careflow::Error>(())
//! ```
//!
//! From the command line, `cargo run --release --example run_scenario -- scenarios/baseline`
//! runs a whole scenario and writes tidy CSV files (see [`report`]);
//! `cargo run --release --example compare_policies -- scenarios/baseline` runs every variant
//! in its `variants.csv` and prints the paired differences. A sweep too big for one machine
//! runs in [`shard`]s (`compare_policies --shard K/N`, e.g. as a Slurm job array) that the
//! `merge` example combines into the same files, byte for byte.
//!
//! # Architecture
//!
//! Data flows one way:
//!
//! ```text
//! scenario CSV files ──► scenario (parse + validate) ──► Model (typed, index-based, immutable)
//!                                                            │
//!                  engine: run_replication (event loop, services, patients)
//!                                                            │ ReplicationResult
//!                  Experiment (rayon over variants × replications, ordered, CRN)
//!                                                            │
//!                  Report (Student-t CIs, paired differences, CSV files, a readable table)
//! ```
//!
//! - [`scenario`] is the only module that knows about CSV; its docs are the file-format
//!   reference. Every problem in a scenario is reported with its file, line and column.
//! - [`model`] holds plain, validated data; names are resolved to dense ids.
//! - The engine ([`run_replication`]) is single-threaded, has no I/O and no global state. Its
//!   rules for admission, queueing, blocking (delayed discharges) and diversion are documented
//!   on [`run_replication`]; what is measured is documented on [`ServiceResult`]'s fields.
//! - [`Experiment`] (and [`run_replications`]) is the only place threads appear.
//!
//! # Guarantees
//!
//! - **Ordering**: events are processed in order of time; events at the same time in the order
//!   they were scheduled. Times are finite and compared with `total_cmp`.
//! - **Reproducibility**: all randomness comes from [`SimRng`] (xoshiro256++), seeded from
//!   keys. Replication `r` depends only on the base seed and `r` ([`replication_seed`]), never on
//!   the thread that runs it, so results are bit-identical on any number of threads. Draws
//!   become stays, gaps and choices through careflow's own sampling algorithms (ziggurat
//!   exponential and normal, Marsaglia–Tsang gamma, inversion), pinned by golden-value tests,
//!   so no release of another crate can change a seeded result.
//! - **Common random numbers**: each arrival stream and each patient has its own stream, keyed
//!   by (replication, arrival stream, arrival number), so a policy change that reorders events
//!   does not change the draws of unrelated patients.
//! - **Conservation**: in every replication, patients inside at the start of observation plus
//!   arrivals equal diverted plus departed plus inside at the end ([`SystemResult`]); and money
//!   is conserved: every payment between organisations is booked on both sides of the
//!   [`Ledger`].
//! - **Bounded memory**: a replication holds the patients inside, not its history; only the
//!   optional daily series grows with the horizon.
//!
//! # Cargo features
//!
//! careflow has no optional features yet.
#![deny(missing_docs)]
#![warn(missing_debug_implementations, unreachable_pub)]
#![doc(test(attr(deny(warnings))))]

mod engine;
pub mod episodes;
mod error;
pub mod event_log;

mod experiment;
pub mod explain;
pub mod fit;
mod kpi;
pub mod ledger;
pub mod model;
mod observation;
pub mod optimise;
pub mod report;
mod results;
mod rng;
mod sampling;
pub mod scenario;
pub mod shard;
mod summary;
mod warmup;

pub use engine::{Workspace, run_replication, run_replication_recorded};
pub use error::Error;
pub use experiment::{
    Experiment, ExperimentResult, Plan, Precision, Seeds, Variant, run_replications,
};
pub use kpi::{EntryKpi, Kpi, OutcomeKpi, Statistic, SystemKpi, UnknownKpi};
pub use ledger::{CareBudgetYear, Category, Ledger, OrganisationLedger, YearLedger};
pub use model::*;
/// The random-number traits [`SimRng`] implements (`RngCore`, `SeedableRng`), re-exported so
/// that seeding a generator or drawing from a [`LengthOfStay`] needs no dependency of your own.
pub use rand_core;
pub use report::{Report, RunInfo};
pub use results::{
    DailyRecord, Deadlock, DelayReason, DelayResult, Draw, EntryResult, FallbackResult,
    InvalidDraw, OutcomeResult, PackageNeverStarted, ReplicationResult, ServiceResult,
    StepUpResult, SystemResult,
};
pub use rng::{SimRng, replication_seed};
pub use shard::{
    Shard, ShardError, ShardFile, ShardRecord, ShardResult, merge_shard_files, merge_shards,
};
pub use summary::Summary;
pub use warmup::{WarmupSuggestion, mser5, suggest_warmup};
