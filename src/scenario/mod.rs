//! Scenario folders: the CSV file format, read and validated into a [`Model`].
//!
//! A scenario is a folder of CSV files. [`Model::load`](crate::Model::load) reads them, checks
//! every value and every cross-reference, and either returns a model ready to simulate or
//! reports **every** problem it found, each with its file, line and column, what was expected
//! and what was found:
//!
//! ```text
//! scenarios/x/services.csv:7: column 'capacity': expected a non-negative integer, found "-3"
//! scenarios/x/routes.csv:4: column 'probability': probabilities for class 'frail' leaving service 'ed' sum to 0.75, expected 1
//! ```
//!
//! Nothing is clamped, defaulted or dropped silently. The problems are [`ScenarioError`]s,
//! collected in a [`ScenarioErrors`] inside [`Error::Scenario`](crate::Error::Scenario).
//!
//! # Example
//!
//! This writes the canonical example of every file and loads it.
//!
//! ```
//! use careflow::{
//!     ContractKind, CostBasis, Destination, DischargeModel, Model, QueueCapacity, TransfersWait,
//!     WhenFull,
//! };
//!
//! let dir = tempfile::tempdir()?;
//! let files = [
//!     ("settings.csv", "\
//! key,value
//! start_date,2026-04-01
//! horizon_days,365
//! warmup_days,30
//! seed,20260401
//! replications,10
//! wait_threshold_hours,4
//! daily_series,true
//! "),
//!     ("organisations.csv", "\
//! id,kind
//! city_hospital,acute_trust
//! community_health,community_provider
//! county_council,local_authority
//! icb,commissioner
//! "),
//!     ("services.csv", "\
//! id,kind,provider,capacity,waiting_list,transfers_wait,when_full,queue_discipline
//! ed,ed,city_hospital,30,unlimited,waiting_list,waiting_list,priority
//! acute,acute_bed,city_hospital,400,unlimited,in_bed,waiting_list,fifo
//! intermediate_care,community_bed,community_health,60,0,in_bed,turn_away,fifo
//! home_care,home_care,county_council,250,unlimited,waiting_list,waiting_list,
//! "),
//!     ("classes.csv", "\
//! id,priority
//! frail_elderly,0
//! adult,1
//! "),
//!     ("arrivals.csv", "\
//! id,class,service,rate_per_day,profile
//! frail_walk_in,frail_elderly,ed,25,ed_daily
//! adult_walk_in,adult,ed,140,ed_daily
//! gp_referral,frail_elderly,acute,6,
//! "),
//!     ("profile_hours.csv", "\
//! profile,hour,multiplier
//! ed_daily,0,0.5
//! ed_daily,1,0.4
//! ed_daily,2,0.35
//! ed_daily,3,0.3
//! ed_daily,4,0.3
//! ed_daily,5,0.35
//! ed_daily,6,0.5
//! ed_daily,7,0.8
//! ed_daily,8,1.2
//! ed_daily,9,1.7
//! ed_daily,10,1.8
//! ed_daily,11,1.8
//! ed_daily,12,1.7
//! ed_daily,13,1.45
//! ed_daily,14,1.4
//! ed_daily,15,1.35
//! ed_daily,16,1.3
//! ed_daily,17,1.25
//! ed_daily,18,1.2
//! ed_daily,19,1.1
//! ed_daily,20,1.0
//! ed_daily,21,0.9
//! ed_daily,22,0.75
//! ed_daily,23,0.6
//! "),
//!     ("profile_weekdays.csv", "\
//! profile,weekday,multiplier
//! ed_daily,mon,1.15
//! ed_daily,tue,1.0
//! ed_daily,wed,0.98
//! ed_daily,thu,0.97
//! ed_daily,fri,1.0
//! ed_daily,sat,0.95
//! ed_daily,sun,0.95
//! "),
//!     ("profile_periods.csv", "\
//! profile,from,to,multiplier
//! ed_daily,2026-12-01,2027-02-28,1.1
//! "),
//!     ("los.csv", "\
//! class,service,distribution,mean,sd,shape,scale,min,mode,max,value,file
//! frail_elderly,ed,triangular,,,,,0.05,0.15,0.5,,
//! adult,ed,uniform,,,,,0.04,,0.25,,
//! frail_elderly,acute,lognormal,9,8,,,,,,,
//! adult,acute,gamma,3.5,3,,,,,,,
//! frail_elderly,intermediate_care,weibull,,,1.4,25,,,,,
//! adult,intermediate_care,exponential,14,,,,,,,,
//! frail_elderly,home_care,empirical,,,,,,,,,stays/home_care.csv
//! adult,home_care,fixed,,,,,,,,42,
//! "),
//!     ("stays/home_care.csv", "\
//! days
//! 28
//! 42
//! 42
//! 90
//! 180
//! "),
//!     ("routes.csv", "\
//! class,service,next,probability
//! frail_elderly,ed,acute,0.55
//! frail_elderly,ed,exit,0.45
//! adult,ed,acute,0.2
//! adult,ed,exit,0.8
//! frail_elderly,acute,intermediate_care,0.2
//! frail_elderly,acute,home_care,0.25
//! frail_elderly,acute,exit,0.55
//! frail_elderly,intermediate_care,home_care,0.4
//! frail_elderly,intermediate_care,exit,0.6
//! "),
//!     ("discharge.csv", "\
//! class,service,model,distribution,min,mode,max
//! adult,acute,discharge_to_assess,triangular,0.5,1,3
//! "),
//!     ("pathways.csv", "\
//! class,service,pathway,probability,destination,interim
//! adult,acute,0,0.75,exit,
//! adult,acute,1,0.25,home_care,intermediate_care
//! "),
//!     ("pathway_changes.csv", "\
//! class,service,predicted,actual,probability
//! adult,acute,1,1,0.5
//! adult,acute,1,0,0.5
//! "),
//!     ("calendar.csv", "\
//! service,from,to,capacity
//! acute,2026-12-01,2027-02-28,430
//! intermediate_care,2027-01-01,,70
//! "),
//!     ("patience.csv", "\
//! class,service,then,distribution,mean,min,max
//! adult,ed,exit,exponential,0.25,,
//! frail_elderly,home_care,exit,uniform,,20,60
//! "),
//!     ("costs.csv", "\
//! service,basis,rate,escalation_premium
//! ed,bed_day,250,
//! acute,bed_day,450,150
//! intermediate_care,bed_day,300,
//! home_care,placement_week,210,
//! "),
//!     ("funding.csv", "\
//! organisation,annual,care_budget
//! icb,1200000000,
//! county_council,300000000,45000000
//! "),
//!     ("contracts.csv", "\
//! contract,type,payer,provider,services,amount,plan,share,baseline_spells,marginal_rate,readmission_days,grace_days,active
//! acute_pbr,pbr,icb,city_hospital,ed;acute,,,,30000,0.3,30,,
//! acute_blended,blended,icb,city_hospital,ed;acute,150000000,160000000,0.5,,,,,false
//! community_block,block,icb,community_health,intermediate_care,18000000,,,,,,,
//! delays,delay_reimbursement,county_council,city_hospital,home_care,150,,,,,,2,
//! bcf,pooled_fund,,,home_care,,,,,,,,
//! "),
//!     ("tariffs.csv", "\
//! contract,class,service,price,trim_days,excess_per_day,emergency
//! acute_pbr,frail_elderly,acute,3800,12,310,true
//! acute_pbr,adult,acute,2100,,,true
//! acute_pbr,frail_elderly,ed,180,,,true
//! acute_pbr,adult,ed,160,,,true
//! acute_blended,frail_elderly,acute,3800,12,310,true
//! acute_blended,adult,acute,2100,,,true
//! "),
//!     ("contract_members.csv", "\
//! contract,organisation,share,cap
//! bcf,icb,0.6,
//! bcf,county_council,0.4,
//! "),
//! ];
//! for (name, rows) in files {
//!     let path = dir.path().join(name);
//!     std::fs::create_dir_all(path.parent().unwrap())?;
//!     std::fs::write(path, rows)?;
//! }
//!
//! let model = Model::load(dir.path())?;
//! assert_eq!(model.settings().horizon_days, 365.0);
//! // The profile's multipliers average 1 over the day and the week, so 25 a day means 25.
//! assert!(model.warnings().is_empty());
//! let acute = model.service_id("acute").unwrap();
//! let community = model.service_id("intermediate_care").unwrap();
//! assert_eq!(model.services()[community.index()].queue_capacity(), QueueCapacity::Limited(0));
//! // GP referrals wait on acute's list when it is full; patients from the ED wait in their
//! // ED bed, a delay counted in the ED.
//! assert_eq!(model.services()[acute.index()].when_full(), WhenFull::WaitingList);
//! assert_eq!(model.services()[acute.index()].transfers_wait(), TransfersWait::InBed);
//!
//! let frail = model.arrivals()[0].class();
//! assert_eq!(model.length_of_stay(frail, acute).unwrap().mean(), 9.0);
//! let after_acute: Vec<_> = model.routing(frail, acute).probabilities().collect();
//! assert_eq!(after_acute[2], (Destination::Exit, 0.55));
//!
//! // Adults leave acute beds by a discharge rule: a quarter need home care, assessed in an
//! // intermediate care bed first, where half turn out to need no support after all.
//! let adult = model.arrivals()[1].class();
//! let rule = model.discharge_rule(adult, acute).unwrap();
//! assert_eq!(rule.model(), DischargeModel::DischargeToAssess);
//! assert_eq!(rule.pathway_probabilities(), [0.75, 0.25, 0.0, 0.0]);
//! assert_eq!(rule.pathway(1).interim, Some(community));
//! assert_eq!(rule.pathway(3).destination, Destination::Exit);
//! assert!(model.discharge_rule(frail, acute).is_none());
//!
//! // Adults leave the ED's queue unseen after a mean of 6 hours' waiting.
//! let ed = model.service_id("ed").unwrap();
//! let patience = model.patience(adult, ed).unwrap();
//! assert_eq!((patience.time().mean(), patience.then()), (0.25, Destination::Exit));
//! assert!(model.patience(frail, ed).is_none());
//!
//! // 2026-12-01 is day 244: winter beds open then and close after 2027-02-28 (day 333).
//! let times: Vec<f64> = model.calendar().iter().map(|c| c.time).collect();
//! assert_eq!(times, [244.0, 275.0, 334.0]);
//!
//! // Money: a cost for every service, and the active contracts in file order (the blended
//! // contract is an inactive alternative, for a variant to switch on).
//! assert_eq!(model.cost(acute).unwrap().rate(), 450.0);
//! assert_eq!(model.cost(acute).unwrap().basis(), CostBasis::BedDay);
//! let contracts: Vec<_> = model.contracts().iter().map(|c| (c.name(), c.kind())).collect();
//! assert_eq!(contracts, [
//!     ("acute_pbr", ContractKind::PaymentByResults),
//!     ("community_block", ContractKind::Block),
//!     ("delays", ContractKind::DelayReimbursement),
//!     ("bcf", ContractKind::PooledFund),
//! ]);
//! assert_eq!(model.contracts()[0].terms().tariffs().len(), 4);
//! let council = model.contracts()[2].payer().unwrap();
//! assert_eq!(model.funding(council).unwrap().care_budget(), Some(45_000_000.0));
//!
//! // A mistake is reported with its place, not panicked on.
//! std::fs::write(dir.path().join("classes.csv"), "id,priority\nfrail_elderly,high\nadult,1\n")?;
//! let error = Model::load(dir.path()).unwrap_err().to_string();
//! assert!(error.ends_with(
//!     "classes.csv:2: column 'priority': expected a non-negative integer, found \"high\""
//! ));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # General rules
//!
//! - Files are comma-separated with a header row. Columns may come in any order; an unknown
//!   column is an error (it is usually a typo). Optional columns may be left out of the header
//!   or left empty in a row.
//! - Spaces around fields are ignored. Lines starting with `#` are comments. Blank lines (and
//!   rows whose fields are all empty) are skipped. Every other row must have as many fields as
//!   the header.
//! - Line numbers in messages count every line of the file, the header being line 1 (when no
//!   comment comes before it).
//! - Ids are non-empty text, unique within their file, and are how files refer to each other;
//!   at most 200 characters, none of them a control character (NUL, tab, line break, a
//!   text-direction override, …).
//! - Every file read, observation files included, must lie inside the scenario folder once
//!   symbolic links are followed: links within the folder are fine, a link out of it is
//!   refused. Messages quote at most 60 characters of a cell (and say how long it was), with
//!   control characters escaped.
//! - `organisations.csv`, `services.csv` and `classes.csv` need at least one row.
//! - Time is in **days** unless a name says otherwise. Dates are written `YYYY-MM-DD`; a date
//!   names a whole day, and ranges of dates include both ends.
//! - Numbers are decimal (`2`, `0.5`, `1e-3`); `inf` and `NaN` are refused. An "integer" is
//!   written without a decimal point.
//!
//! # Files
//!
//! | File | Required | Holds |
//! |---|---|---|
//! | `settings.csv` | yes | run settings |
//! | `organisations.csv` | yes | who provides (or pays for) care |
//! | `services.csv` | yes | the places patients occupy capacity |
//! | `classes.csv` | yes | patient classes |
//! | `arrivals.csv` | yes | arrival streams |
//! | `profile_hours.csv`, `profile_weekdays.csv`, `profile_periods.csv` | no | time profiles of arrival rates |
//! | `los.csv` | yes | lengths of stay, with any observation files they name |
//! | `routes.csv` | yes (it may have no rows) | where patients go next |
//! | `discharge.csv` | no | discharge rules: how a class leaves a service once medically fit |
//! | `pathways.csv` | if `discharge.csv` has rows | the discharge pathways of each rule |
//! | `pathway_changes.csv` | no | how assessment out of hospital changes a predicted pathway |
//! | `visit_rates.csv` | if a service's `unit` is `visits` | visits a day of home-care packages counted in visits |
//! | `calendar.csv` | no | dated capacity changes |
//! | `escalation.csv` | no | escalation beds that open under pressure |
//! | `fallbacks.csv` | no | where patients go when the service they want is full |
//! | `step_up.csv` | no | admission avoidance: a service arrival streams try before their entry |
//! | `care_settings.csv` | no | where each service's care happens, for the outcome measures of patient journeys |
//! | `costs.csv` | no | what each service's care costs its provider |
//! | `funding.csv` | no | organisations' income from outside the system |
//! | `contracts.csv` | no | who pays whom, for what, under which rules |
//! | `tariffs.csv` | if a `pbr` or `blended` contract is given | their prices |
//! | `contract_members.csv` | if an `alliance` or `pooled_fund` contract is given | their members |
//! | `outcome_contracts.csv` | no | contracts that pay for outcomes: incentive schemes, outcome payments, gain shares, outcome pots |
//! | `control_total.csv` | no | system control totals: spending limits for sets of organisations |
//! | `variants.csv` | no | named policy variants: overrides of single cells |
//! | `decisions.csv`, `objectives.csv` | only to plan capacity, then both | a capacity-planning problem, read only by the optimiser ([`optimise`](crate::optimise)) |
//!
//! ## `settings.csv`
//!
//! Columns `key,value`, one row per setting; each key at most once.
//!
//! | Key | Required | Value |
//! |---|---|---|
//! | `start_date` | yes | date of day 0; it anchors weekday profiles, dated periods and the calendar |
//! | `horizon_days` | yes, unless `observe_financial_years` is given | simulated time, a number greater than 0 |
//! | `warmup_days` | no, default 0 | time before statistics start, at least 0 and less than `horizon_days` |
//! | `observe_financial_years` | no | the financial years (1 April to 31 March) to observe, `2028-29` or a range `2028-29..2029-30`: sets `warmup_days` to end on 1 April of the first and `horizon_days` to end on 1 April after the last, so money covers whole years (leap years included). The first must not start before `start_date`. `horizon_days` or `warmup_days` given as well must agree |
//! | `seed` | no, default 1 | base seed, an integer from 0 to 2⁶⁴ − 1 |
//! | `replications` | no, default 10 | replications an experiment runs, an integer of at least 1 |
//! | `wait_threshold_hours` | no, default 4 | what counts as a long wait at an entry service, hours, greater than 0 |
//! | `daily_series` | no, default `true` | `true` or `false`: whether to record the daily time series |
//!
//! ## `organisations.csv`
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `id` | yes | unique id |
//! | `kind` | yes | `acute_trust`, `community_provider`, `local_authority`, `commissioner` or `independent_provider` ([`OrganisationKind`](crate::OrganisationKind)) |
//!
//! ## `services.csv`
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `id` | yes | unique id; `exit` is reserved (it means leaving the system in `routes.csv`) |
//! | `kind` | yes | `ed`, `acute_bed`, `community_bed`, `reablement`, `home_care`, `care_home`, `d2a_bed` or `other` ([`ServiceKind`](crate::ServiceKind)) |
//! | `provider` | yes | an organisation id; not a commissioner, since commissioners pay for care but provide none |
//! | `capacity` | yes | beds, slots, packages or placements: a non-negative integer |
//! | `waiting_list` | yes | how many patients may wait for a place without holding a bed in the system (arrivals from outside, and patients moving on who leave their bed): `unlimited` or a non-negative integer ([`QueueCapacity`](crate::QueueCapacity)) |
//! | `transfers_wait` | yes | where a patient whose stay at another service is over waits while this one is full ([`TransfersWait`](crate::TransfersWait)): `in_bed` (in the bed they hold, a delayed discharge counted at that service; the waiting list and the patients waiting in beds are served as one line, by priority under `priority`, then longest wait first) or `waiting_list` (they leave their bed for the list while it has room, else wait in their bed) |
//! | `when_full` | yes | what happens to a patient arriving from outside (an arrival stream or a readmission) who finds no free place ([`WhenFull`](crate::WhenFull)): `waiting_list` (they join the list; turned away, counted in `diverted`, only while it is full) or `turn_away` (counted in `diverted`) |
//! | `queue_discipline` | no, default `fifo` | `fifo` or `priority` (by class priority) ([`QueueDiscipline`](crate::QueueDiscipline)) |
//! | `queue_capacity` | no | the old single column, instead of the three above: `queue_capacity` N means `waiting_list` N, `transfers_wait` `waiting_list`, `when_full` `waiting_list`, so `0` both keeps transfers in their beds and turns arrivals away. A file has one form or the other; `queue_capacity` 0 at a service that arrival streams come to is warned about ([`ScenarioWarning::QueueCapacityZero`]) |
//! | `unit` | no, default `places` | what `capacity` counts ([`CapacityUnit`](crate::CapacityUnit)): `places`, or `hours` of care a week (home care), where each package needs the hours `package_hours.csv` gives and starts only when they are free, or `visits`: visit slots a day (home care counted in visits), where each package needs visits on each of its days as `visit_rates.csv` gives, booked by `booking` |
//! | `booking` | no, default `first_fit` | at a service whose `unit` is `visits`, how packages are booked into its days ([`Booking`](crate::Booking)): `first_fit` or `whole_sequence` (see [`visit_rates.csv`](#visit_ratescsv)); empty elsewhere |
//!
//! ## `classes.csv`
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `id` | yes | unique id |
//! | `priority` | no, default 0 | a non-negative integer; lower is admitted first at `priority` queues |
//!
//! ## `arrivals.csv`
//!
//! Each row is a Poisson stream of one class arriving at one entry service.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `id` | yes | unique id |
//! | `class` | yes | a class id |
//! | `service` | yes | a service id |
//! | `rate_per_day` | yes | mean arrivals per day before profile multipliers, at least 0 |
//! | `profile` | no | a profile id from the profile files; empty for a constant rate |
//!
//! ## Profiles: `profile_hours.csv`, `profile_weekdays.csv`, `profile_periods.csv`
//!
//! A profile exists if any of these files names it; profiles are numbered in order of first
//! appearance (hours file, then weekdays, then periods). The rate at a moment is
//! `rate_per_day × hour multiplier × weekday multiplier × period multiplier` (see
//! [`Profile`](crate::Profile)); a profile that a file does not mention has multiplier 1
//! there. Multipliers are numbers of at least 0.
//!
//! `profile_hours.csv`: columns `profile,hour,multiplier`. `hour` is an integer from 0 to 23;
//! a profile given here must list each of the 24 hours exactly once.
//!
//! `profile_weekdays.csv`: columns `profile,weekday,multiplier`. `weekday` is `mon`, `tue`,
//! `wed`, `thu`, `fri`, `sat` or `sun`; a profile given here must list all seven exactly once.
//!
//! `profile_periods.csv`: columns `profile,from,to,multiplier`. `from` and `to` are dates,
//! both included, with `from <= to`; the periods of one profile must not overlap. Outside its
//! periods a profile's period multiplier is 1.
//!
//! Multipliers are used as written, never normalised: `rate_per_day` is a stream's daily mean
//! only when its profile's 24 hour multipliers and its 7 weekday multipliers each average 1.
//! When either average is off by more than 0.1%, careflow runs the scenario as written but
//! warns ([`ScenarioWarning::ProfileRate`]), giving the daily mean the stream really has, in
//! the printed summary and as a `warning` row of `run.csv`:
//!
//! ```text
//! warning: scenarios/x/arrivals.csv:2: arrival stream 'walk_in': rate_per_day 25 but profile 'ed_daily' multipliers average 0.9667 over the day and 1.0000 over the week, so it brings 24.1667 arrivals a day on average (outside dated periods); scale the multipliers to average 1, or set rate_per_day to the daily mean you mean
//! ```
//!
//! ## `los.csv`
//!
//! The length of stay (days) of each class at each service it can reach. Columns
//! `class,service,distribution`, plus the parameter columns the distributions use, all
//! optional: `mean,sd,median,shape,scale,min,mode,max,value,file`, and the truncation and
//! rounding columns `truncate_min,truncate_max,round`, also optional. Each (class, service) at
//! most once. A row must fill in exactly the parameters its distribution uses:
//!
//! | `distribution` | Parameters | Meaning |
//! |---|---|---|
//! | `exponential` | `mean` > 0 | [`LengthOfStay::exponential`](crate::LengthOfStay::exponential) |
//! | `lognormal` | `mean` > 0, `sd` > 0 | of the stay, not its log; [`LengthOfStay::lognormal`](crate::LengthOfStay::lognormal) |
//! | `lognormal` | `median` > 0, `mean` > `median` | as published models give it (the BNSSG IPACS model, for one): `μ = ln(median)`, `σ² = 2 ln(mean/median)`; [`LengthOfStay::lognormal_median`](crate::LengthOfStay::lognormal_median) |
//! | `gamma` | `mean` > 0, `sd` > 0 | [`LengthOfStay::gamma`](crate::LengthOfStay::gamma) |
//! | `weibull` | `shape` > 0, `scale` > 0 | [`LengthOfStay::weibull`](crate::LengthOfStay::weibull) |
//! | `triangular` | `min` ≤ `mode` ≤ `max`, `min` < `max`, all ≥ 0 | [`LengthOfStay::triangular`](crate::LengthOfStay::triangular) |
//! | `uniform` | 0 ≤ `min` < `max` | [`LengthOfStay::uniform`](crate::LengthOfStay::uniform) |
//! | `fixed` | `value` ≥ 0 | always exactly `value`; [`LengthOfStay::fixed`](crate::LengthOfStay::fixed) |
//! | `empirical` | `file` | resamples observed stays; [`LengthOfStay::empirical`](crate::LengthOfStay::empirical) |
//!
//! `file` is a path relative to the scenario folder to a CSV file with one column, `days`: one
//! observed stay (at least 0) per row, at least one row. Problems inside it are reported
//! against that file.
//!
//! Truncation and rounding, for any distribution
//! ([`LengthOfStay::limited`](crate::LengthOfStay::limited)):
//!
//! | Column | Value |
//! |---|---|
//! | `truncate_min` | a number ≥ 0; empty for 0 |
//! | `truncate_max` | a number ≥ `truncate_min`; empty for no upper limit |
//! | `round` | `none` (or empty), `nearest` (to the nearest whole day, halves up) or `up` (to the next whole day; a whole number stays) |
//!
//! A stay is the distribution's draw, rounded, kept only if it lies within
//! `[truncate_min, truncate_max]`, ends included: the distribution conditioned on landing in the
//! range, never a draw moved to the nearer end (`round` `nearest` with `truncate_min` 1 is
//! "rounded to whole days, zero-day stays redrawn"). Rounding makes the range its whole
//! numbers, `⌈truncate_min⌉` to `⌊truncate_max⌋`. Continuous families are drawn by inversion
//! within the draws that give such stays — one uniform word per stay, never a loop of
//! redraws — or, when the range holds the whole distribution (rounding alone), by their own
//! sampler and then rounded; `fixed` is rounded and must lie in the range; `empirical` keeps
//! the observations that, rounded, lie in the range. The loader refuses a range that a stay
//! falls in with probability below 10⁻⁶
//! ([`LengthOfStay::MIN_PROBABILITY`](crate::LengthOfStay::MIN_PROBABILITY), computed from
//! the distribution function; 0 when it holds no whole number, no observation, or not the
//! fixed value): the range and the distribution would contradict each other. The same three
//! columns apply wherever these distribution columns are read: the duration of needs
//! assessments in `discharge.csv` and the hours of care a week in `package_hours.csv` (rounded
//! to whole hours there); the census draws remaining stays from the truncated, rounded
//! distribution.
//!
//! ```csv
//! class,service,distribution,mean,median,truncate_min,truncate_max,round
//! frail_elderly,reablement,lognormal,30,21,1,,nearest
//! ```
//!
//! Limits, for every distribution read anywhere (`los.csv`, assessments in `discharge.csv`,
//! `package_hours.csv`): its mean and standard deviation (before truncation and rounding) are
//! at most 10⁹
//! ([`LengthOfStay::MAX_MOMENT`](crate::LengthOfStay::MAX_MOMENT); over 2700 times the
//! longest horizon), and every quantity its sampler derives from the parameters lies from
//! 10⁻³⁰⁷ to 10³⁰⁷, inside a 64-bit float's range: the rate `1/mean`, the lognormal's `mean²`
//! and `(sd/mean)²`, the gamma's `sd²`, shape `(mean/sd)²` and scale `sd²/mean`; the Weibull
//! variance factor `Γ(1 + 2/shape)` is at most 10³⁰⁰ (so `shape` ≥ about 0.012). The error
//! names the column to change and what it implies. Together they keep every draw finite; the
//! engine still checks each one, and a run that draws something else stops and says so
//! ([`ReplicationResult::invalid_draw`](crate::ReplicationResult::invalid_draw)).
//!
//! Every (class, service) that a class can reach must have a row: its arrival streams' entry
//! services, and every service reached from those by routes with probability above 0 or by
//! discharge pathways (see [`pathways.csv`](#pathwayscsv)). Rows for services a class cannot
//! reach are allowed.
//!
//! ## `package_hours.csv`
//!
//! Optional; required for every (class, service) with a `los.csv` row at a service whose
//! `unit` is `hours`. Hours of care a week each package needs: columns `class,service` and
//! the distribution columns of `los.csv` (`distribution`, `mean`, `sd`, …, in hours a week;
//! `truncate_min`, `truncate_max` and `round` too, rounding to whole hours — a `truncate_max`
//! keeps every package within the hours a service has).
//! A package is drawn when the patient first seeks the service, from their own stream, and
//! starts only when that many hours are free; the queue is first come, first served, so a
//! large package at its head keeps smaller ones behind it waiting. Results give packages as
//! occupancy and `mean_hours_used`; utilisation is hours used over hours available.
//!
//! A package that needs more hours than its service can ever have (its largest capacity over
//! the calendar before the horizon, plus escalation places:
//! [`Model::most_capacity`](crate::Model::most_capacity)) would never start and keep everyone
//! queued behind it waiting for ever, so the loader refuses a bounded distribution (`fixed`,
//! `uniform`, `triangular`, `empirical`) whose largest value exceeds that, and an unbounded one
//! that exceeds it with probability `p` when `p` × the expected arrivals of a replication is
//! above 10⁻³. A package too large drawn anyway is reported
//! ([`ReplicationResult::packages_never_started`](crate::ReplicationResult::packages_never_started)).
//!
//! ```csv
//! class,service,distribution,mean,sd
//! frail_elderly,home_care,gamma,12,6
//! ```
//!
//! ## `visit_rates.csv`
//!
//! Optional; required for every (class, service) with a `los.csv` row at a service whose
//! `unit` is `visits`, whose `capacity` is then its visit slots a day. Each package has a
//! length `L` in whole days, its stay drawn from `los.csv` (which must give whole days:
//! `round` `nearest` or `up`, or a `fixed` or `empirical` length in whole days; with
//! `truncate_min` 1 a length that rounds to 0 is redrawn, as the BNSSG IPACS model does; a
//! package of length 0 has no visits and ends at once), and a rate of visits a day on its
//! first day and on its last, each drawn per package. Columns `class,service,rate` and the
//! distribution columns of `los.csv` (in visits a day, `truncate_min`, `truncate_max` and
//! `round` included), two rows per (class, service): `rate` `initial` and `rate` `final`.
//! Distributions are non-negative; nothing is clamped: write the range and rounding the
//! model states (IPACS: rates rounded, `round` `nearest`).
//!
//! **Visits on each day.** On day *k* (0 for the first, up to `L − 1`) a package with rates
//! *a* (initial) and *b* (final) needs `round(a + (b − a) · k / (L − 1))` visits, rounded to
//! the nearest whole visit, halves away from zero ([`visits_on_day`](crate::visits_on_day));
//! a package of one day needs `round(a)`. So 4 falling to 1 over 5 days is 4, 3, 3, 2, 1.
//!
//! **Days and the calendar.** Day *d* is the time from *d* to *d* + 1 (days since the start).
//! A package that starts at time *t* has its first day on day ⌊*t*⌋ and its stay ends at
//! *t* + `L`. Each service keeps a calendar of the visits booked on each day from today to
//! the horizon (days past the horizon are never booked, so a length of 10⁹ days costs
//! nothing more); a day's slots are its capacity in force at the start of that day
//! (`calendar.csv` changes fall on whole days). Bookings never take a day past its slots,
//! except at the census (below).
//!
//! **Booking** (`booking` in `services.csv`). A package *fits* from day *s* when, on each of
//! its days before the horizon, its visits plus those already booked that day are at most
//! the day's slots.
//!
//! - `first_fit` (the default): the line (queue and patients waiting in beds, as
//!   `transfers_wait` says) is served in its order: the patient next in line starts as soon
//!   as their package fits from today, and nobody starts before them (a new referral joins
//!   the line behind whoever waits, even if their package would fit).
//!   The line is looked at whenever something changes and at the start of each day.
//!   Checking every day of the package, not only its first, is what keeps every day within
//!   its slots when rates rise or slots fall; with rates that never rise and slots that never
//!   fall it is the same as checking the first day alone.
//! - `whole_sequence` (the BNSSG IPACS model's rule): when a package joins the line (arrives
//!   and finds it does not fit today, or its patient begins to wait in a bed elsewhere), it
//!   is booked at once on the earliest day on which it fits, given the bookings already
//!   made, and its patient waits until that day, then starts at its start (leaving their
//!   queue place or their bed). A later, smaller package may so start before an earlier one.
//!   A package that fits on no day before the horizon is not booked, and waits.
//!
//! Giving up waiting (`patience.csv`) cancels a booking. A patient routed from a service
//! counted in visits back to it is a new referral with a new package. A package that needs
//! more visits on a day than the service ever has slots (its largest capacity over the
//! calendar) can never start: the loader refuses rates that can exceed it, exactly as for
//! `package_hours.csv` (a rate of *n* + ½ or more rounds to more than *n*), and one drawn
//! anyway is reported ([`ReplicationResult::packages_never_started`](crate::ReplicationResult::packages_never_started),
//! with the visits of its busiest day); under `first_fit` it keeps everyone behind it
//! waiting.
//!
//! Results give packages started as `admissions`, packages in care as occupancy, the mean
//! visits booked a day as `mean_visits_used` (a statistic), and utilisation as visits booked
//! over slots; waiting as `mean_queue`, `mean_wait_days` and the rest, as at any service.
//! Costs are per visit booked (`basis` `visit` in `costs.csv`); a care budget commits a
//! package's mean rate, (*a* + *b*) / 2 visits a day, at its price. A service counted in
//! visits cannot have escalation places, be a fallback or have fallbacks, be a step-up
//! service, or be interim care in a discharge pathway; its rows in `census.csv` and
//! `census_patients.csv` need the days already spent or the `ipacs_uniform` rule (see
//! [`census.csv`](#censuscsv)).
//!
//! The IPACS model's pathway 1 reads: slots a day = caseload × mean(initial, final rate);
//! `whole_sequence`; lengths `lognormal` by `median` and `mean` with `truncate_min` 1 and
//! `round` `nearest`; rates rounded (`round` `nearest`, `truncate_min` 0).
//!
//! ```csv
//! class,service,rate,distribution,mean,sd,truncate_min,truncate_max,round
//! frail_elderly,p1_home_care,initial,gamma,4,0.5,0,8,nearest
//! frail_elderly,p1_home_care,final,gamma,1,0.5,0,8,nearest
//! ```
//!
//! ## `routes.csv`
//!
//! Where a patient goes after a stay. Columns `class,service,next,probability`, all required:
//! `next` is a service id or `exit` (leaving the modelled system), `probability` a number from
//! 0 to 1. The probabilities of one (class, service) must sum to 1 (within 10⁻⁹); each `next`
//! appears at most once for it. A (class, service) with no rows sends everyone to `exit`. The
//! file is required but may have only its header.
//!
//! A (class, service) with a discharge rule in `discharge.csv` must have no rows here: the
//! rule decides where its patients go.
//!
//! ## `discharge.csv`
//!
//! Optional. A discharge rule says how one class leaves one service (typically an acute bed)
//! along the discharge pathways 0–3 ([`DischargeRule`](crate::DischargeRule)), instead of by
//! `routes.csv`:
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `class` | yes | a class id |
//! | `service` | yes | a service id; each (class, service) at most once |
//! | `model` | yes | `assess_in_hospital` or `discharge_to_assess` ([`DischargeModel`](crate::DischargeModel)) |
//! | `distribution` | yes | the distribution of the needs assessment's duration, days, as in [`los.csv`](#loscsv) |
//! | `mean`, `sd`, `median`, `shape`, `scale`, `min`, `mode`, `max`, `value`, `file` | no | its parameters, as in `los.csv`: exactly those its distribution uses |
//! | `truncate_min`, `truncate_max`, `round` | no | truncation and rounding, as in `los.csv` |
//!
//! With a rule, the class's `los.csv` stay at the service is the time until the patient is
//! medically fit (no longer meets the criteria to reside). Then a *predicted* pathway is drawn
//! from `pathways.csv`, and:
//!
//! - `assess_in_hospital`: the needs assessment happens in the bed — the patient, fit, is
//!   already delayed (`delayed_bed_days_awaiting_assessment`, part of `delayed_bed_days`) —
//!   then the patient waits in the bed (a delayed discharge) until the destination of the
//!   predicted pathway can take them.
//! - `discharge_to_assess`: the patient moves, once fit, to the interim service of the
//!   predicted pathway (waiting in the bed while it is full) and is assessed there: the
//!   assessment's duration is the stay at the interim service, which needs no `los.csv` row
//!   for the class (unless the class reaches it some other way too). The assessment finds the *actual* pathway, drawn from
//!   `pathway_changes.csv`, and the patient moves on to its destination. A pathway with no
//!   interim service sends the patient from the bed straight to its destination, without an
//!   assessment out of hospital.
//!
//! A rule needs rows in `pathways.csv`.
//!
//! ## `pathways.csv`
//!
//! The pathways of each rule. Required if `discharge.csv` has rows.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `class` | yes | a class id; (class, service) must have a rule in `discharge.csv` |
//! | `service` | yes | a service id |
//! | `pathway` | yes | a discharge pathway, an integer from 0 to 3; each at most once per (class, service) |
//! | `probability` | yes | the probability that the pathway is predicted, from 0 to 1 |
//! | `destination` | yes | the long-term service: a service id, or `exit` (leaving the modelled system, e.g. pathway 0, home with no new support) |
//! | `interim` | no (may be empty) | the interim service (a D2A bed, home-based slots) where a patient predicted this pathway is assessed under `discharge_to_assess`; empty for straight to `destination` |
//!
//! The probabilities of one (class, service) must sum to 1 (within 10⁻⁹); a pathway without a
//! row has probability 0. By convention pathway 0 is home with no new support, 1 home with support
//! (reablement, home care), 2 a community bed and 3 a care home, but careflow does not
//! enforce it. `interim` is allowed, and ignored, under `assess_in_hospital`, so that a
//! variant can switch a rule's model by changing its `model` cell alone.
//!
//! The destination of every pathway with probability above 0 counts as reached by the class
//! (it needs a `los.csv` row), as does that of every pathway the class's assessment may find
//! instead (by `pathway_changes.csv`), whatever the rule's model.
//!
//! ## `pathway_changes.csv`
//!
//! Optional. How likely an assessment out of hospital (under `discharge_to_assess`) finds
//! each actual pathway, for each predicted pathway.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `class` | yes | a class id; (class, service) must have a rule in `discharge.csv` |
//! | `service` | yes | a service id |
//! | `predicted` | yes | the predicted pathway, 0 to 3 |
//! | `actual` | yes | the pathway the assessment finds, 0 to 3; each at most once per (class, service, `predicted`) |
//! | `probability` | yes | from 0 to 1 |
//!
//! The probabilities of one (class, service, `predicted`) must sum to 1 (within 10⁻⁹). A
//! predicted pathway without rows is always confirmed: the actual pathway is the predicted
//! one. An actual pathway with probability above 0 must have a row in `pathways.csv`, which
//! gives its destination.
//!
//! ## `calendar.csv`
//!
//! Dated changes to a service's capacity ([`CapacityChange`](crate::CapacityChange)).
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `service` | yes | a service id |
//! | `from` | yes | first date the capacity applies |
//! | `to` | yes (may be empty) | last date it applies, on or after `from` and not before `start_date`; empty for the rest of the run |
//! | `capacity` | yes | a non-negative integer |
//!
//! The entries of one service must not overlap. An entry sets its capacity at the start of
//! `from` (or at time 0 if `from` is before `start_date`) and puts the service's base
//! `capacity` back at the end of `to`, unless another entry for the service starts the next
//! day.
//! An entry in force at time 0 is in force before anyone is placed: the census (below) fills
//! the places it gives, not the base `capacity` (a capacity of 0 on the first day, say, admits
//! no one from the census queue or from outside until the next day).
//!
//! ## `electives.csv`
//!
//! Optional. Weekly elective booking lists ([`ElectiveList`](crate::ElectiveList)): on every
//! `weekday`, `count` patients of `class` are booked for admission to `service`.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `id` | yes | a unique id |
//! | `class` | yes | a class id |
//! | `service` | yes | a service id (an entry service for the class: it needs a `los.csv` row) |
//! | `weekday` | yes | `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun` |
//! | `count` | yes | patients booked each week on that day, a non-negative integer |
//! | `hour` | no | hour of the day of the booking, from 0 to below 24; default 8 |
//! | `rebook_days` | no | days until a cancelled patient is tried again, above 0; empty: cancelled patients are lost |
//!
//! Electives never queue — emergencies come first: a booked patient who finds no free place
//! at the booked time is cancelled (counted in the service's `cancelled`), then rebooked or
//! lost (counted in `diverted`). A rebooked patient's wait runs from their first booking.
//!
//! ```csv
//! id,class,service,weekday,count,hour,rebook_days
//! ortho_mon,elective,acute,mon,12,8,7
//! ```
//!
//! ## `escalation.csv`
//!
//! Optional. Escalation beds ([`Escalation`](crate::Escalation)): extra places a service opens
//! under pressure. One row per service at most.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `service` | yes | a service id |
//! | `extra` | yes | places that open, an integer of at least 1 |
//! | `open_at` | yes | occupancy, as a share of the planned capacity (base or calendar), at which they are called for: above 0, at most 1 |
//! | `close_below` | yes | occupancy share below which they close: above 0, below `open_at` |
//! | `delay_hours` | no | hours from the call to opening; default 0 |
//!
//! The places open after the delay unless occupancy has by then fallen below `close_below`;
//! once open they close as soon as occupancy falls below it, and nobody is evicted. Results
//! report the days they were open and the bed-days used in them.
//!
//! ```csv
//! service,extra,open_at,close_below,delay_hours
//! acute,30,0.98,0.92,12
//! ```
//!
//! ## `fallbacks.csv`
//!
//! Optional. Alternatives when full ([`Fallbacks`](crate::Fallbacks)): for a service, an
//! ordered list of other services whose places a patient takes when it has no free place —
//! medical outliers on surgical wards, an interim care-home bed when pathway 2 beds are full.
//! One row per preferred service at most; it applies to every class.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `service` | yes | the preferred service's id |
//! | `fallbacks` | yes | service ids separated by `;`, in the order they are tried: each another service, each at most once |
//! | `wait_for` | no, default `preferred` | when no fallback has a free place either: `preferred` or `first_free` ([`WaitFor`](crate::WaitFor)), below |
//!
//! The rules:
//!
//! - **When**: a patient arriving from outside (an arrival stream or a readmission) or moving
//!   on from a stay, who finds no free place at the service they want, takes a place at the
//!   first fallback with one, before joining any queue. Elective bookings do not use
//!   fallbacks (they are cancelled, as without them). Fallbacks are not chained: a fallback's
//!   own fallbacks are never tried for a patient who wanted another service, so cycles (`a`
//!   falls back to `b`, `b` to `a`) are allowed and harmless.
//! - **No room anywhere**: with `wait_for` `preferred` the patient does what they would do
//!   without fallbacks — joins the preferred service's queue, waits in their bed for it, or
//!   is turned away, as its `services.csv` row says — and waits for the preferred service
//!   only. With `first_free` they wait in the same way, and a place at a fallback that is
//!   left free once the fallback has served its own queue and its own patients waiting in
//!   beds goes to them: of the patients next in line at each preferred service that lists
//!   the fallback with `first_free` (next as that service would admit them), the one who
//!   started waiting first (the first such service in `services.csv` order, on a tie). A
//!   patient turned away is lost either way.
//! - **Care**: in a fallback's place the patient is cared for as at the preferred service:
//!   their stay is drawn from the preferred service's length of stay, and its discharge rule,
//!   routes and readmission rules say where they go next (an outlier on a surgical ward
//!   leaves as a medical patient would). The place, its occupancy, its costs and its
//!   statistics are the fallback's. A class need not have a stay at its fallbacks.
//! - **Entry services**: an arrival placed in a fallback leaves the line of its entry service
//!   (the preferred one) at that moment, counted there as gone on to another service.
//! - Services counted in hours, and services paid for from a local authority's care budget,
//!   can be neither preferred nor fallback (the package size and the funding approved are the
//!   preferred service's).
//!
//! Results count, for each (preferred, fallback) pair, the patients placed and the place-days
//! they held ([`FallbackResult`](crate::FallbackResult); scope `fallback` in the output
//! files). A service's own `arrivals` counts every patient who sought a place there, those
//! then placed in a fallback included; the fallback counts the admission.
//!
//! ```csv
//! service,fallbacks,wait_for
//! medical_ward,surgical_ward;short_stay,preferred
//! pathway_2_bed,interim_care_home,first_free
//! ```
//!
//! ## `step_up.csv`
//!
//! Optional. Admission avoidance (step-up care): an arrival stream first tries another
//! service — urgent community response, a virtual ward, a step-up bed — and uses its own
//! entry service (`arrivals.csv`) only when that has no free place. One row per stream at
//! most.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `stream` | yes | an arrival stream's id |
//! | `service` | yes | the service to try first: a service id other than the stream's entry, counted in places, that no care budget pays for |
//!
//! An arrival that finds a free place there enters it as a new arrival at that service: its
//! stay and where it goes next are the class's at that service (so the class needs a stay
//! there, checked like any other reachable service), and it is counted among that
//! service's arrivals and entry statistics. Otherwise it arrives at the stream's entry
//! service exactly as without the file (queue, fallbacks, or turned away). It never queues
//! for the step-up service, and nobody moves from the entry to it later. Readmissions to the
//! stream's entry service do not try it. Results count, per stream, the arrivals that
//! entered the step-up service: admissions avoided ([`StepUpResult`](crate::StepUpResult);
//! scope `step_up` in the output files, the stream's id as `service`). Draws are unchanged:
//! trying the service takes no random number, so a variant with and without step-up shares
//! its random numbers.
//!
//! ```csv
//! stream,service
//! frail_gp_referral,urgent_community_response
//! ```
//!
//! ## `readmissions.csv`
//!
//! Optional. Patients returning, as a new spell flagged as a readmission
//! ([`Readmission`](crate::Readmission)), within days of leaving a service.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `class` | yes | a class id |
//! | `service` | yes | the service left |
//! | `pathway` | no | the discharge pathway 0–3 the patient left on (services with a discharge rule); empty: any way of leaving |
//! | `probability` | yes | chance of returning, from 0 to 1 |
//! | `within_days` | yes | the window, days, above 0; the return time is uniform within it |
//! | `to` | yes | the service the patient returns to (it needs a `los.csv` row for the class) |
//!
//! One row per (class, service, pathway). For a patient leaving a service with a discharge
//! rule, the row for their predicted pathway applies, or else the row with no pathway. The
//! returning spell arrives at `to` like any arrival (a free place, the queue, or diverted)
//! and is counted in `readmissions` there and in the system; the patient's own path carries
//! on.
//!
//! ```csv
//! class,service,pathway,probability,within_days,to
//! frail_elderly,acute,0,0.18,30,ed
//! frail_elderly,acute,1,0.12,30,ed
//! ```
//!
//! ## `care_settings.csv`
//!
//! Optional. Where each service's care happens ([`CareSetting`](crate::CareSetting)) and
//! which services are reablement, for the outcome measures of patient journeys
//! ([`OutcomeResult`](crate::OutcomeResult), scope `outcome` in the output files). With the
//! file (and at least one row), every replication measures: the share of patients still at
//! home 91 days after leaving reablement, readmissions within 30 days of a discharge from
//! hospital, days at home in the 90 days after it, and the days each patient spent delayed.
//! Without it, none of these is measured.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `service` | yes | a service id, at most once |
//! | `setting` | yes | `emergency` (an emergency department or assessment unit: away from home, but leaving it is an attendance, not a discharge), `hospital` (leaving it for home or anywhere but a hospital or emergency department is a discharge from hospital), `bed` (a bed outside hospital: interim, intermediate care), `care_home`, or `home` (care at home: reablement, home care) |
//! | `reablement` | no, default `false` | `true` or `false`: whether the service is reablement (leaving it for home starts the 91-day measure) |
//!
//! A service without a row takes the setting of its kind: `ed` is `emergency`, `acute_bed`
//! is `hospital`, `community_bed` and `d2a_bed` are `bed`, `reablement` is `home` and
//! reablement, `home_care` is `home`, `care_home` is `care_home`. A service of kind `other`
//! needs a row. A patient holding a place at a service whose setting is not `home` is away
//! from home; waiting in a queue counts as at home.
//!
//! A readmission keeps the journey of the patient whose leaving scheduled it, so that
//! "readmitted within 30 days" and "not readmitted within 91 days" follow the same person.
//! Each measure counts a discharge in the observation window only if its whole follow-up (91,
//! 30 or 90 days) ends by the horizon: later discharges are **excluded from numerator and
//! denominator alike** (`reablement_censored` counts those of reablement), never followed past
//! the horizon. The exact definitions are those of [`OutcomeResult`](crate::OutcomeResult).
//!
//! ```csv
//! service,setting,reablement
//! amu,emergency,
//! community,bed,
//! reablement,home,true
//! ```
//!
//! ## `patience.csv`
//!
//! Optional. Reneging ([`Patience`](crate::Patience)): patients who give up waiting for a
//! place — emergency department patients who leave without being seen, people awaiting a
//! care home who die in hospital, waiting-list abandonment. Columns `class,service,then` and
//! the distribution columns of `los.csv` (`distribution`, `mean`, `sd`, …, `truncate_min`,
//! `truncate_max`, `round`), giving the patience in days.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `class` | yes | a class id |
//! | `service` | yes | the service waited for (the class needs a `los.csv` row there) |
//! | `then` | yes | where those who give up go: `exit`, or another service id (the class needs a `los.csv` row there too) |
//!
//! One row per (class, service). The patience is drawn, from the patient's own stream, when
//! they start waiting for a place at `service`: on joining its queue (an arrival, a patient
//! moving on under `transfers_wait` `waiting_list`, a census patient queued at the start),
//! or on being blocked in their bed elsewhere for want of a place there (a delayed
//! discharge). It keeps running while they wait for that service — a blocked patient who
//! moves into its queue keeps it — and stops when they are admitted. Waiting for a care
//! budget's funding does not count. A patient still waiting when it runs out gives up, is
//! counted in the service's `reneged`, and goes to `then`:
//!
//! - from the queue (holding no place): `exit` leaves the system (counted in `left`); a
//!   service is sought as an arrival from outside would (a free place, its queue if its
//!   `when_full` is `waiting_list` and it has room, or diverted there). If the queue was
//!   their entry service's, they leave it then (the entry's arrival-to-leaving time).
//! - from a bed they are blocked in: as if their stay there had just ended towards `then`:
//!   `exit` frees the bed, a departure like any other (its spell, costs and readmission
//!   rule apply as for leaving); a service is sought from the bed (a place, its queue, or
//!   blocked again, with that service's patience if any).
//!
//! The wait statistics (`mean_wait_days`, …) are of admissions only; `mean_queue` includes
//! patients who later give up. `then` may not be `service` itself.
//!
//! ```csv
//! class,service,then,distribution,mean
//! adult,ed,exit,exponential,0.25
//! frail_elderly,care_home,exit,exponential,60
//! ```
//!
//! ## `census.csv`
//!
//! Optional. Today's census ([`CensusEntry`](crate::CensusEntry)): patients already in each
//! service, and queueing for it, when the run starts — so a run from today's position needs
//! no warm-up.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `service` | yes | a service id |
//! | `class` | yes | a class id (it needs a `los.csv` row at the service) |
//! | `occupied` | yes | places occupied by patients of the class, a non-negative integer |
//! | `queued` | no | patients of the class in the queue; default 0 |
//! | `elapsed_days` | no | days the row's occupying patients have already spent in the service, ≥ 0; empty if unknown |
//! | `residual_rule` | no | how their remaining stays are drawn: `conditional` (the default) or `ipacs_uniform` ([`ResidualRule`](crate::ResidualRule)) |
//!
//! One row per (service, class). A service's queued total may not exceed its queue capacity.
//! Patients in places count as inside at the start, not as admissions. The census may hold
//! what real data holds:
//!
//! - **a queue while places are free** (discharges not yet done): at time 0, once everyone is
//!   placed, the queue is admitted to the places free, in queue order (priority, then file
//!   order), each admission counted with no wait; places free under the capacity in force at
//!   time 0, a `calendar.csv` entry included;
//! - **more patients than places** (escalation beyond the plan): an over-full service evicts
//!   no one and admits no one until it is below its capacity; its occupancy and utilisation
//!   show more than 100% for that time, as they were;
//! - **a service counted in hours**: each patient in a package draws its hours from
//!   `package_hours.csv` as an admission does, and holds them; hours used beyond the weekly
//!   hours are the over-full case above. The check that a package can ever start applies to
//!   those queued, not to packages already running.
//! - **a service counted in visits**: each patient in a package draws its rates from
//!   `visit_rates.csv`; their package's length `L` and the day of it they are on today
//!   come from the census's rule (below): under `ipacs_uniform`, `L` is the stay that rule
//!   draws and the remaining stay `R` uniform from 1 to `L`, so they are on day ⌊`L` − `R`⌋;
//!   given the days already spent *e* (`conditional`), `L` is *e* + `R` (rounded to whole
//!   days) and they are on day ⌊*e*⌋. Their visits from that day of their package on are
//!   booked from day 0, whatever the slots (the over-full case above: nobody starts until a
//!   package fits). Without *e* the `conditional` rule gives no day of the package, so the
//!   loader refuses it there. Queued patients join the line as arrivals do (under
//!   `whole_sequence`, booked in queue order).
//!
//! Each patient in a place gets a remaining stay, drawn from their length of stay at the
//! service (truncated and rounded as `los.csv` says) by the row's rule:
//!
//! - `conditional`, with `elapsed_days` *e*: exactly from `(stay − e | stay > e)`
//!   ([`LengthOfStay::remaining_after`](crate::LengthOfStay::remaining_after)), for every
//!   family — continuous ones by inversion, `S⁻¹(U · S(e))` computed from the upper tail;
//!   `fixed` as its value less *e*; `empirical` as one of the observations above *e*, equally
//!   likely. The loader refuses an *e* that a stay exceeds with probability below 10⁻⁶ (the
//!   census and `los.csv` would contradict each other; a `fixed` stay of at most *e*, say).
//! - `conditional`, `elapsed_days` empty: the time already spent is unknown, and taken as that
//!   of a patient found in a place at a random moment in the steady state, which makes the
//!   remaining stay the equilibrium residual
//!   ([`LengthOfStay::sample_residual`](crate::LengthOfStay::sample_residual)): longer stays
//!   are more likely to be in progress.
//! - `ipacs_uniform`: the BNSSG IPACS model's rule, for reproducing it: `1 + (L − 1) U`, with
//!   `L` a fresh stay and `U` uniform, uniform between 1 day and `L` whatever the time spent
//!   ([`LengthOfStay::sample_remaining_uniform`](crate::LengthOfStay::sample_remaining_uniform));
//!   `elapsed_days` must be empty.
//!
//! ```csv
//! service,class,occupied,queued,elapsed_days,residual_rule
//! acute,frail_elderly,412,0,,
//! acute,adult_emergency,398,0,3,
//! ```
//!
//! ## `census_patients.csv` and `census_queue.csv`
//!
//! Optional. Today's patients one by one, as a hospital's patient list gives them: those in a
//! place ([`CensusPatient`](crate::CensusPatient)), and those waiting for a service from
//! outside, at home ([`CensusWaiting`](crate::CensusWaiting)).
//!
//! `census_patients.csv`:
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `patient` | yes | the patient's id, unique across both files |
//! | `service` | yes | the service whose place the patient holds |
//! | `class` | yes | a class id (it needs a `los.csv` row at the service) |
//! | `elapsed_days` | no | days already spent in the service, ≥ 0; empty if unknown |
//! | `admitted` | no | instead of `elapsed_days`: the admission date, `YYYY-MM-DD`, on or before `start_date`; the days already spent are the whole days between |
//! | `residual_rule` | no | as in `census.csv`: `conditional` (the default) or `ipacs_uniform`; not for a fit patient |
//! | `fit` | no | `true` if the patient is already medically fit, `false` (the default unless `awaiting` is given) |
//! | `awaiting` | no | for a fit patient, the service they wait for in their place; one they can move to from here (a route with probability above 0, or a pathway of the discharge rule that replaces the routes there) |
//! | `waited_days` | no | for a patient awaiting a service, the days already waited for it, ≥ 0; default 0 |
//!
//! `census_queue.csv`:
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `patient` | yes | the patient's id, unique across both files |
//! | `service` | yes | the service waited for |
//! | `class` | yes | a class id (it needs a `los.csv` row at the service) |
//! | `waited_days` | no | days already waited, ≥ 0; default 0 |
//!
//! A patient not yet fit gets a remaining stay drawn exactly as a `census.csv` row's patients
//! do, from their own days already spent. A fit patient's stay is over at time 0: one awaiting
//! a service moves towards it (a free place, its waiting list, or waiting in their bed, as the
//! service's `transfers_wait` says), longest waited first; one awaiting nothing goes on as any
//! stay ending then would (routes, or the discharge rule's assessment and pathways).
//!
//! Today's queue goes longest waited first (file order among equal waits), ahead of patients
//! who leave their beds for a waiting list at time 0. At time 0 the queue is admitted to the
//! places free, as for `census.csv`: whoever is placed then counts no wait, and whoever still
//! waits has the days already waited in their place in the line and in their wait (and in the
//! grace days of a delay reimbursement contract). Over-full services and services counted in
//! hours are as for `census.csv`. Patients in places count as inside at the start, the
//! queue's too.
//!
//! The two files may be used with `census.csv`, but each service's census is given in one
//! form: a service with a `census.csv` row may not appear in either list. All three files
//! together hold at most 10⁷ patients. A service's patients in `census_queue.csv` may not
//! exceed its waiting list.
//!
//! ```csv
//! patient,service,class,elapsed_days,admitted,residual_rule,fit,awaiting,waited_days
//! H0412,acute,frail_elderly,,2026-03-24,,,,
//! H0413,acute,frail_elderly,12,,,true,p2_bed,3
//! ```
//!
//! ```csv
//! patient,service,class,waited_days
//! R0077,p2_bed,frail_elderly,6
//! ```
//!
//! ## Money: `costs.csv`, `funding.csv`, `contracts.csv`, `tariffs.csv`, `contract_members.csv`
//!
//! All optional: a scenario with none of them books no money
//! ([`Finance::is_empty`](crate::Finance::is_empty)). Amounts are in pounds. "Per year" means
//! per financial year, 1 April to 31 March: an annual amount is booked pro rata by day over
//! the part of each financial year that is observed (after the warm-up, up to the horizon;
//! see [`FinancialYear`](crate::FinancialYear)).
//!
//! Every amount of money (rates, premiums, fixed costs, funding, care budgets, contract
//! amounts and plans, prices, excess payments, caps) is at most 10¹² (a trillion pounds, more
//! than any health and care economy spends in a year), so that no ledger total can overflow to
//! infinity or NaN; results are checked to be finite before they are reported
//! ([`Report::check_money`](crate::Report::check_money)).
//!
//! ## `costs.csv`
//!
//! What care costs its provider ([`Cost`](crate::Cost)). The variable cost accrues with
//! occupancy: every occupied place (delayed and assessment days included: the bed is in use),
//! every hour of care a week in use at services counted in hours, or every visit booked at
//! services counted in visits. The fixed cost accrues with capacity open, occupied or not.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `service` | yes | a service id, at most once |
//! | `basis` | yes | the unit `rate` is counted in ([`CostBasis`](crate::CostBasis)): `bed_day` or `placement_week` at services counted in places, `care_hour` at services counted in hours, `visit` at services counted in visits (`unit` in `services.csv`) |
//! | `rate` | yes | pounds per unit, at least 0 |
//! | `escalation_premium` | no, default 0 | extra pounds per bed-day used in escalation places, at least 0 |
//! | `fixed_per_place_day` | no, default 0 | pounds per place open (staffed) per day, occupied or not, at least 0 (at services counted in hours: per hour a week of capacity per day; in visits: per visit slot a day); escalation places count while open. Booked as `capacity_costs` |
//!
//! When the file has any row, every service must have one (no silent zero cost: write rate 0
//! for a service that costs nothing); a missing one is reported at line 1.
//!
//! ```csv
//! service,basis,rate,escalation_premium
//! acute,bed_day,450,150
//! home_care,care_hour,28,
//! ```
//!
//! ## `funding.csv`
//!
//! Income from outside the simulated system ([`Funding`](crate::Funding)).
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `organisation` | yes | an organisation id, at most once |
//! | `annual` | yes | income per year (an integrated care board's allocation, a council's grant and council tax for adult social care), at least 0 |
//! | `care_budget` | no | for a `local_authority` only: its budget per year for the care packages and placements it buys or provides, at least 0. A local authority cannot overspend: a new package whose cost to the end of the financial year exceeds what is left uncommitted waits (awaiting funding) until money frees up or the new year starts. The budget pays for care the council provides at its cost in `costs.csv` (variable part) and care it buys under active `spot` contracts, at their price; a care budget that pays for neither is an error |
//!
//! ## `contracts.csv`
//!
//! Who pays whom, for what, under which rules ([`Contract`](crate::Contract)).
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `contract` | yes | unique id |
//! | `type` | yes | `pbr`, `block`, `blended`, `capitation`, `prime`, `alliance`, `delay_reimbursement`, `pooled_fund` or `spot` ([`ContractKind`](crate::ContractKind)) |
//! | `payer` | by type | the organisation that pays |
//! | `provider` | by type | the organisation paid; not the payer |
//! | `services` | by type | service ids separated by `;`, each once |
//! | `amount` | by type | pounds, at least 0: what it means depends on the type |
//! | `basis` | by type | the unit of a spot price, as in `costs.csv`, matching the `unit` of every covered service |
//! | `population` | by type | people covered, a non-negative integer |
//! | `plan` | by type | planned activity valued at tariff, pounds per year, at least 0 |
//! | `share` | by type | share of tariff paid for activity off plan, from 0 to 1 |
//! | `baseline_spells` | by type | emergency spells per year paid in full, at least 0 |
//! | `marginal_rate` | by type | share of tariff paid for emergency spells beyond the baseline, from 0 to 1 |
//! | `readmission_days` | by type | days, above 0 |
//! | `grace_days` | by type | days, at least 0; default 0 |
//! | `active` | no, default `true` | `true` or `false` |
//!
//! Each type requires some columns (R), allows some (O), and refuses the rest: a refused
//! column must be left empty.
//!
//! | `type` | Columns | Terms ([`ContractTerms`](crate::ContractTerms)) |
//! |---|---|---|
//! | `pbr` | `payer`, `provider`, `services` R; `baseline_spells` and `marginal_rate` O (both or neither); `readmission_days` O | Payment by Results: each stay of a patient at a covered service whose class has a tariff there is a spell, paid when the patient leaves the service: the tariff, plus `excess_per_day` for each day beyond the trim point. Emergency spells beyond the year's `baseline_spells` (pro rata for part of a year) are paid at `marginal_rate` of the tariff. Spells of patients readmitted within `readmission_days` of leaving are not paid |
//! | `block` | `payer`, `provider`, `amount` R; `services` O (documents what the block covers) | `amount` per year, whatever the activity |
//! | `blended` | `payer`, `provider`, `services`, `amount`, `plan`, `share` R | a fixed element (`amount` per year) plus `share` of the tariff value of activity above `plan` (or minus it below), settled at the end of each financial year |
//! | `capitation` | `payer`, `provider`, `amount`, `population` R; `services` O | `amount` per head of `population` per year |
//! | `prime` | as `capitation` | capitation to a prime contractor, who pays its sub-contractors under their own contracts: the provider must be the payer of another active contract |
//! | `alliance` | `payer`, `services`, `amount` R | a pooled budget (`amount` per year) for the covered services: the payer pays each member its costs of them; at the end of each financial year the underspend is shared among the members as gain, or the overspend borne by them as loss, by their shares, each capped; the payer keeps or bears the rest. Members in `contract_members.csv` |
//! | `delay_reimbursement` | `payer` (a `local_authority`), `provider`, `services`, `amount` R; `grace_days` O | the payer pays the provider `amount` for each day beyond `grace_days` that a patient in the provider's beds waits for one of the covered (social care) services, capacity or funding |
//! | `pooled_fund` | `services` R | members (in `contract_members.csv`) pay the providers of the covered services their costs of them, each its share, settled at the end of each financial year |
//! | `spot` | `payer`, `provider`, `services`, `amount`, `basis` R | the payer buys care at the covered services from the provider at `amount` per unit of `basis`; when the payer is a local authority with a care budget, new packages need funding |
//!
//! Further rules:
//!
//! - Under `pbr`, `blended` and `spot`, every covered service must be provided by the
//!   provider (its `provider` in `services.csv`). A `pbr` or `blended` contract needs at least
//!   one row in `tariffs.csv`; an `alliance` or `pooled_fund` at least one member, and an
//!   alliance's members must include the provider of every covered service.
//! - An inactive contract (`active` `false`) is checked like any other, with its tariffs and
//!   members, and then left out of the model, so that a variant can switch between
//!   alternative contracts by overriding `active`. The checks across contracts consider active
//!   contracts only: a service may be covered by at most one active `pbr` or `blended`
//!   contract and at most one active `spot` contract, delays at one provider awaiting one
//!   service by at most one active `delay_reimbursement` contract, and a `prime` contractor
//!   must pay under another active contract.
//!
//! ```csv
//! contract,type,payer,provider,services,amount,plan,share,baseline_spells,marginal_rate,active
//! acute_pbr,pbr,icb,city_hospital,ed;acute,,,,30000,0.3,
//! acute_blended,blended,icb,city_hospital,ed;acute,150000000,160000000,0.5,,,false
//! community_block,block,icb,community_health,intermediate_care,18000000,,,,,
//! ```
//!
//! ## `outcome_contracts.csv`
//!
//! Optional. Contracts that pay for outcomes ([`OutcomeContract`](crate::OutcomeContract)),
//! booked under the ledger categories `incentive`, `outcome_payment`, `gain_share` and
//! `outcome_pot`. Every payment is from one organisation to another, so money is conserved.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `contract` | yes | unique id (in this file) |
//! | `type` | yes | `incentive`, `outcome_payment`, `gain_share` or `outcome_pot` ([`OutcomeContractKind`](crate::OutcomeContractKind)) |
//! | `payer` | yes | the organisation that pays (for a gain share, the one that banks the saving) |
//! | `provider` | by type | the organisation paid; not the payer |
//! | `base` | by type | an active contract of `contracts.csv` between the same payer and provider whose value is withheld from: `block`, `blended` (its fixed element), `capitation` or `prime`; `prime` only for an outcome pot |
//! | `share` | by type | share of the base contract's value withheld, from 0 to 1 |
//! | `targets` | by type | targets separated by `;`, each `<statistic> <= <value>` or `<statistic> >= <value>`, e.g. `service acute delayed_bed_days <= 500; outcome still_at_home_91_share >= 0.8` |
//! | `outcome` | by type | `still_at_home_91` (a patient leaving reablement for home achieves it if still at home 91 days later) or `no_readmission_30` (a patient leaving hospital achieves it if not readmitted within 30 days); needs `care_settings.csv` |
//! | `services` | by type | services whose discharges count, separated by `;` (reablement services for `still_at_home_91`, `hospital` ones for `no_readmission_30`); empty: every such service |
//! | `amount` | by type | pounds, from 0 to 10¹²: per patient achieving the outcome, or per unit of the gain share's KPI below its baseline |
//! | `deduction` | by type | pounds per patient failing the outcome, from 0 to 10¹² |
//! | `floor`, `target` | by type | success rates from 0 to 1, `floor` below `target` |
//! | `kpi` | by type | a statistic with a value per year, `service <service> <kpi>` or `outcome <kpi>` |
//! | `baseline` | by type | the KPI's value per year without the scheme, from 0 to 10¹² |
//! | `members` | by type | who shares a gain, `<organisation>:<share>` separated by `;`, shares from 0 to 1 summing to 1 |
//! | `active` | no, default `true` | `true` or `false`, as in `contracts.csv` |
//!
//! | `type` | Columns | Terms ([`OutcomeTerms`](crate::OutcomeTerms)) |
//! |---|---|---|
//! | `incentive` | `payer`, `provider`, `base`, `share`, `targets` R | CQUIN-style: the payer withholds `share` of the base contract's value for the year and pays back the part in proportion to the targets met (equally weighted): the provider pays back `share × value × (1 − met / targets)` |
//! | `outcome_payment` | `payer`, `provider`, `outcome` R; `services`, `amount`, `deduction` O (at least one of the last two) | the payer pays the provider `amount` per discharge of the year achieving the outcome; the provider pays back `deduction` per discharge failing it |
//! | `gain_share` | `payer`, `amount`, `kpi`, `baseline`, `members` R | a year whose KPI is below its baseline: the payer pays `amount × (baseline − KPI)` to the members, each its share (a member that is the payer keeps its share); nothing for a year at or above the baseline |
//! | `outcome_pot` | `payer`, `provider`, `base` (a `prime` contract), `share`, `outcome`, `floor`, `target` R | `share` of the prime contractor's contract value for the year goes into a pot; the prime contractor earns none of it at a success rate of `floor` or below, all at `target` or above, in proportion between, and pays back the rest; a year with no discharge to judge earns the whole pot |
//!
//! **When they settle.** At the end of each financial year, for that year, booked in that
//! year's ledger: on the year's value of each KPI, and on the outcomes of the year's
//! discharges once their follow-up is complete — a year-end reconciliation that waits, like
//! real ones, for the 30 or 91 days to run out. Discharges whose follow-up runs past the
//! horizon are not judged (neither paid nor deducted).
//!
//! **Partial years.** For the part of a financial year observed, the base contract's value is
//! taken pro rata by day (as the contract itself is paid), and so are targets and baselines of
//! statistics that add up over time (counts and days: a target of 500 delayed bed-days a year
//! is 250 over half a year); shares and means (`still_at_home_91_share`,
//! `readmitted_30_share`, `mean_days_at_home_90`, `mean_delayed_days`) are compared as given.
//!
//! **Statistics with a value per year.** Service statistics that add up over time:
//! `arrivals`, `admissions`, `departures`, `diverted`, `cancelled`, `reneged`,
//! `readmissions`, `long_waits`, `delayed_bed_days` and `delayed_patients` (with their splits
//! by reason), `escalation_days_open`, `escalation_bed_days`: their change over the year.
//! Outcome measures ([`OutcomeKpi`](crate::OutcomeKpi)) of the discharges of the year (of the
//! patients leaving in it, for the delays), other than `reablement_censored` and the
//! quantiles and maximum of the delays.
//!
//! ```csv
//! contract,type,payer,provider,base,share,targets,outcome,services,amount,deduction,floor,target,kpi,baseline,members,active
//! cquin,incentive,icb,acute_trust,acute_block,0.0125,service acute delayed_bed_days <= 9000; outcome readmitted_30_share <= 0.15,,,,,,,,,,
//! reablement_outcomes,outcome_payment,county_council,county_council_reablement,,,,still_at_home_91,,400,100,,,,,,
//! dtoc_gain,gain_share,acute_trust,,,,,,,250,,,,service acute delayed_bed_days,20000,icb:0.5;county_council:0.5,
//! ```
//!
//! ## `tariffs.csv`
//!
//! The prices of `pbr` and `blended` contracts ([`Tariff`](crate::Tariff)), kept in file
//! order within each contract.
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `contract` | yes | a `pbr` or `blended` contract id |
//! | `class` | yes | a class id |
//! | `service` | yes | one of the contract's services; each (contract, class, service) at most once |
//! | `price` | yes | pounds per spell, at least 0 |
//! | `trim_days` | no | the trim point, days above 0: stays beyond it earn `excess_per_day` for each further day, fractions included |
//! | `excess_per_day` | no, default 0 | pounds per day beyond the trim point, at least 0; only with `trim_days` |
//! | `emergency` | yes | `true` or `false`: whether these spells are emergency activity, subject to the marginal rate |
//!
//! A class without a tariff at a covered service earns nothing there.
//!
//! ## `contract_members.csv`
//!
//! The members of `alliance` and `pooled_fund` contracts ([`Member`](crate::Member)).
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `contract` | yes | an `alliance` or `pooled_fund` contract id |
//! | `organisation` | yes | an organisation id, once per contract |
//! | `share` | yes | its share of the alliance's gain or loss, or of the pooled fund's cost, from 0 to 1 |
//! | `cap` | no | alliances only: the most gain or loss the member takes in a year (pro rata for part of a year), at least 0; empty for no cap |
//!
//! The shares of an alliance's members sum to at most 1 (the payer keeps or bears the rest);
//! those of a pooled fund's members sum to 1 (within 10⁻⁹). A wrong sum is reported at the
//! contract's first member row.
//!
//! ## `control_total.csv`
//!
//! System control totals ([`ControlTotal`](crate::ControlTotal)): an area-wide spending limit
//! for a named set of organisations, reported against in every financial year (not enforced:
//! nothing is rationed to keep within it).
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `id` | yes | unique id, not an organisation's id (its lines sit beside organisations' in `finance.csv`) |
//! | `organisations` | yes | organisation ids separated by `;`, each once, at least one |
//! | `annual_limit` | yes | the spending limit per financial year, pounds, at least 0; pro rata for a year observed in part |
//!
//! The set's **spending** in a year is its members' costs of care plus what they pay, net, to
//! organisations outside the set: the sum over members of funding less surplus. A payment
//! between two members (a [transfer](crate::Category::is_transfer) such as a block or a PbR
//! tariff) is one's income and the other's spending, so it cancels and is not counted twice;
//! a payment from a non-member (the council's delayed-discharge reimbursement to a trust in
//! the set) offsets the members' spending. The **headroom** is the limit less the spending; a
//! **breach** is a headroom below £0. A scenario with a control total must book money
//! (costs, funding or a contract).
//!
//! ```csv
//! id,organisations,annual_limit
//! nhs_system,icb;acute_trust;community_trust,178700000
//! ```
//!
//! ## `variants.csv`
//!
//! Optional. Named policy variants, each a set of overrides of single cells of the files
//! above; the scenario as written is the variant `baseline`. Read by
//! [`Experiment::load`](crate::Experiment::load) (and ignored by
//! [`Model::load`](crate::Model::load)).
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `variant` | yes | the variant's name; not `baseline` |
//! | `file` | yes | one of the files above (`settings.csv`, `services.csv`, `los.csv`, …) |
//! | `row` | yes | the row's key: its `id` (`key` in `settings.csv`), or its key columns joined by `/`: `profile/hour`, `profile/weekday`, `profile/from`, `class/service` (`los.csv`, `package_hours.csv`, `discharge.csv`), `class/service/rate` (`visit_rates.csv`), `class/service/next` (`routes.csv`), `class/service/pathway` (`pathways.csv`), `class/service/predicted/actual` (`pathway_changes.csv`), `service/from` (`calendar.csv`), `service` (`escalation.csv`, `fallbacks.csv`), `stream` (`step_up.csv`), `class/service/pathway` (`readmissions.csv`, empty pathway as nothing after the last `/`), `class/service` (`patience.csv`), `service/class` (`census.csv`), `patient` (`census_patients.csv`, `census_queue.csv`), `service` (`costs.csv`), `organisation` (`funding.csv`), `contract` (`contracts.csv`), `contract/class/service` (`tariffs.csv`), `contract/organisation` (`contract_members.csv`), `service` (`care_settings.csv`), `contract` (`outcome_contracts.csv`), `id` (`control_total.csv`); `id` for `electives.csv` |
//! | `column` | yes | a column of that file other than its key columns |
//! | `value` | yes | the new text of the cell, checked as if written there; or a change relative to the baseline's number: `+N`, `-N` (add, subtract), `+N%`, `-N%` (a percentage of the baseline) or `*N` (multiply), `N` a decimal number of at most 18 significant digits |
//!
//! A relative value is computed exactly in decimal (`420` `+10%` is `462`; `85` `*0.9` is
//! `76.5`) and the result is then checked as if written in the cell, so `*0.9` on a capacity
//! of 85 is refused, never rounded, and the message gives the expression and the result:
//!
//! ```text
//! variant 'v': scenarios/x/variants.csv:2: column 'capacity': expected a non-negative integer, found "76.5" (the result of "*0.9" applied to the baseline's "85")
//! ```
//!
//! A relative value on a cell that holds no number (`unlimited`, `fifo`, an empty cell) is an
//! error at its line, as is a malformed one (`+`, `*x`, `--3`, `+1e400`). A value starting
//! with `+`, `-` or `*` is always relative. Every cell a variant sets is listed, with its
//! baseline value, the expression and the value run, in `variants_effective.csv` and the
//! comparison's printout. The same overrides can be given in code:
//! [`Experiment::add_variant_overrides`](crate::Experiment::add_variant_overrides) with
//! [`Override`]s, checked the same way (problems are reported at file `overrides`, the
//! override's position as the line).
//!
//! A variant may set a cell once. In `settings.csv` it may set only `daily_series` (which
//! changes no statistic): a comparison pairs each variant with the baseline over the same
//! observation window (`start_date`, `horizon_days`, `warmup_days`), on the same random
//! numbers (`seed`, `replications`) and with the same long-wait measure
//! (`wait_threshold_hours`), under a header that gives the baseline's settings. A problem an
//! override causes is reported at its line
//! of `variants.csv`, prefixed with the variant's name; one it causes elsewhere (routing
//! probabilities that no longer sum to 1) is reported there, prefixed likewise.
//!
//! ```csv
//! variant,file,row,column,value
//! community_plus_20,services.csv,community,capacity,+20
//! shorter_reablement,los.csv,frail_elderly/reablement,mean,-10%
//! discharge_to_assess,discharge.csv,frail_elderly/acute,model,discharge_to_assess
//! ```
//!
//! ## `decisions.csv`
//!
//! Read only by the optimiser ([`optimise::load_problem`](crate::optimise::load_problem)),
//! which needs it and `objectives.csv`; [`Model::load`](crate::Model::load) and
//! [`Experiment::load`](crate::Experiment::load) ignore both files, so a scenario without
//! them loads and runs as before. The cells a capacity plan may change (capacities, calendar capacities,
//! money amounts), one row per decision, each taking the values `min`, `min + step`, … up to
//! `max`; the optimiser searches every combination of them
//! ([`Decision`](crate::optimise::Decision)).
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `decision` | yes | the decision's name, an id unique in the file; it names the decision in every output |
//! | `file` | yes | the cell's file, as in `variants.csv` |
//! | `row` | yes | the cell's row key, as in `variants.csv` |
//! | `column` | yes | the cell's column, as in `variants.csv`: not a key column |
//! | `min` | yes | the smallest value, in the cell's units: a number, or a change relative to the baseline's value of the cell as in `variants.csv` (`+0` is the baseline's value, `+40`, `-10%`, `*0.9`) |
//! | `max` | yes | the largest value, likewise; at least `min`, and `min` plus a whole number of steps |
//! | `step` | yes | the distance between neighbouring values, a number greater than 0 |
//!
//! A cell is addressed exactly as by a row of `variants.csv`, with the same checks and
//! messages: a file of the scenario, a row it has, a column other than its key columns,
//! and not one of the settings every variant shares (`start_date`, `horizon_days`,
//! `warmup_days`, `seed`, `replications`, `wait_threshold_hours`); one cell takes one
//! decision. As there, a value starting with `+`, `-` or `*` is relative (so `-5` is five
//! less than the baseline's value) and is computed exactly in decimal.
//!
//! A decision takes at most 1,000 values, and the decisions together at most 1,000,000
//! combinations (the product of their numbers of values). Each value is written into the
//! cell and checked as if written there: the loader loads the scenario with the decision's
//! smallest value, its largest and its second (`min + step`), and reports a value that does
//! not load at the decision's line and the column that gives it, with the cell's own message:
//!
//! ```text
//! scenarios/x/decisions.csv:2: column 'step': min + step = 62.5 does not load: services.csv row 'community' column 'capacity': expected a non-negative integer, found "62.5"
//! ```
//!
//! ```csv
//! decision,file,row,column,min,max,step
//! community_beds,services.csv,community,capacity,60,120,10
//! reablement_places,services.csv,reablement,capacity,+0,+100,25
//! winter_beds,calendar.csv,acute/2026-12-01,capacity,400,460,20
//! ```
//!
//! ## `objectives.csv`
//!
//! Read only by the optimiser, with `decisions.csv` (see there). What the plan
//! makes as small (or large) as possible, and the targets it must meet, on statistics
//! named as in the output files (`summary.csv`, `finance.csv`): an
//! [`Objective`](crate::optimise::Objective), the weighted sum of the `objective` rows, and a
//! [`Constraint`](crate::optimise::Constraint) for each `constraint` row. The optimiser
//! compares means over replications and states its choice with a guarantee: with
//! probability at least `confidence`, the chosen configuration meets every constraint and
//! its objective is within `indifference` of the best finalist that meets them (see
//! [`selection`](crate::optimise::selection)).
//!
//! | Column | Required | Value |
//! |---|---|---|
//! | `role` | yes | `objective` (a term of the objective) or `constraint`; at least one row is an objective |
//! | `scope` | yes | `system`, `service`, `entry` or `finance` |
//! | `subject` | no | for `service` a service id, for `entry` an entry service (one that arrivals, electives or readmissions enter), for `finance` an organisation id or empty for the whole system; empty for `system` |
//! | `kpi` | yes | the statistic's name in the output files: a [`SystemKpi`](crate::SystemKpi), [`Kpi`](crate::Kpi) or [`EntryKpi`](crate::EntryKpi) name; for `finance` a ledger category (`capacity_costs`, …) or `income`, `spending`, `surplus` of an organisation, or for the whole system `funding`, `care_costs`, `capacity_costs`, `escalation_premium`, `surplus` or `unbalanced_transfers`, in pounds over the whole observation window |
//! | `operator` | yes | objective rows: `minimise` or `maximise`, the same on every objective row; constraint rows: `<=` or `>=` (the statistic's mean at most, or at least, `bound`) |
//! | `bound` | constraint rows | a number, in the statistic's units; empty on objective rows |
//! | `weight` | no | objective rows: the statistic's weight in the sum, a number other than 0, default 1 (e.g. `300`: £300 per delayed bed-day added to pounds); empty on constraint rows |
//! | `confidence` | no | a number between 0.5 and 1, both excluded, default 0.95: for a constraint, the confidence with which it must be shown to hold; for the objective, that of the guarantee, given on the first objective row (later objective rows leave it empty or repeat it) |
//! | `indifference` | first objective row | the indifference zone δ, a number greater than 0 in the objective's units: differences smaller than it are not worth telling apart. Later objective rows leave it empty or repeat it; empty on constraint rows |
//!
//! [`load_problem`](crate::optimise::load_problem) lists the baseline's problems first (the
//! scenario must load), then those of `decisions.csv`, then those of `objectives.csv`, each
//! file's by line. A constraint-free file is allowed (pure minimisation). A statistic the scenario does not
//! have is reported with the names it does have; money needs a scenario with costs, funding
//! or contracts.
//!
//! ```csv
//! role,scope,subject,kpi,operator,bound,weight,confidence,indifference
//! objective,finance,,capacity_costs,minimise,,1,0.95,50000
//! objective,service,acute,delayed_bed_days,minimise,,300,,
//! constraint,entry,ed,share_over_threshold,<=,0.24,,0.95,
//! constraint,finance,county_council,surplus,>=,0,,0.90,
//! ```
//!
//! # Order of problems
//!
//! Files are read in the order settings, organisations, services, classes, profiles,
//! arrivals, electives, step-up services, lengths of stay, routes, discharge rules, pathways,
//! pathway changes, package hours, calendar, escalation, fallbacks, readmissions, patience, census,
//! census patients and queue (both files read before either's rows are checked), costs, funding, care settings, contracts, tariffs, contract members, outcome contracts, control totals, and their problems listed in that
//! order, each file's by line; missing lengths of stay come last; fallbacks and step-up
//! services that a care budget pays for after the problems of the funding file. Services without a cost are listed after the other
//! problems of `costs.csv`. Problems of a contract found with its tariffs, its members or the
//! other contracts are listed with the problems of its row of `contracts.csv`. Two problems found across files are listed with the file they point into: routes
//! for a (class, service) that has a discharge rule after the other problems of `routes.csv`,
//! and a rule without pathways with the problems of its row of `discharge.csv`. A check that
//! needs a file that could not be read at all (missing, or lacking a required column) is
//! skipped, and so is a reference check against a file with a malformed row or a row naming
//! an unknown class or service, so that one mistake gives one message.

mod arrivals;
mod calendar;
mod care_settings;
mod census;
mod census_list;
mod classes;
mod contract_members;
mod contracts;
mod control_total;
mod costs;
mod decisions;
mod discharge;
mod electives;
mod error;
mod escalation;
mod fallbacks;
mod funding;
mod hash;
mod ids;
mod limits;
mod objectives;
mod organisations;
mod outcome_contracts;
mod package_hours;
mod pathway_changes;
mod pathways;
mod patience;
mod probability_groups;
mod profiles;
mod reachability;
mod readmissions;
mod relative;
mod routes;
mod services;
mod settings;
mod source;
mod stays;
mod step_up;
mod table;
mod tariffs;
mod variants;
mod visit_rates;
mod warning;

pub(crate) use decisions::load_problem;
pub(crate) use error::rounded_to;
pub use error::{ScenarioError, ScenarioErrors};
pub use hash::input_hash;
pub(crate) use objectives::statistic_problems;
pub(crate) use source::CellOverride;
pub(crate) use table::{Column, Presence, Table};
pub use variants::{EffectiveOverride, Override};
pub(crate) use variants::{load_code_variant, load_on_variant, load_variants, variant_rows};
pub use warning::ScenarioWarning;

use source::Source;

use crate::Model;
use std::path::Path;

/// Loads and validates the scenario folder at `dir`, reporting every problem found.
///
/// Files are read in this order, and their problems listed in it, each file's in line order:
/// settings, organisations, services, classes, the three profile files, arrivals, electives,
/// step-up services, lengths of
/// stay (with their observation files), routes, discharge rules, pathways, pathway changes,
/// calendar, escalation, fallbacks, readmissions, patience, census, census patients and queue, costs, funding, care settings, contracts, tariffs, contract
/// members, outcome contracts, control totals; then the lengths of stay missing for services some class can reach. A check that
/// depends on a file that cannot be read at all (missing, or lacking a required column) is
/// skipped.
pub(crate) fn load(dir: &Path) -> Result<Model, ScenarioErrors> {
    load_from(&Source::folder(dir))
}

/// Warns about each arrival stream whose profile's hour-of-day or day-of-week multipliers do
/// not average 1, so that its daily mean is not the `rate_per_day` written.
fn profile_warnings(
    source: &Source<'_>,
    model: &Model,
    arrival_lines: &[u64],
) -> Vec<ScenarioWarning> {
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let off = |m: f64| (m - 1.0).abs() > warning::PROFILE_MEAN_TOLERANCE;
    model
        .arrivals()
        .iter()
        .zip(arrival_lines)
        .filter_map(|(stream, &line)| {
            let profile = &model.profiles()[stream.profile()?.0 as usize];
            let (hour_mean, weekday_mean) = (
                mean(profile.hour_multipliers()),
                mean(profile.weekday_multipliers()),
            );
            (off(hour_mean) || off(weekday_mean)).then(|| ScenarioWarning::ProfileRate {
                path: source.dir().join(arrivals::FILE),
                line,
                stream: stream.name().to_owned(),
                profile: profile.name().to_owned(),
                rate_per_day: stream.rate_per_day(),
                hour_mean,
                weekday_mean,
            })
        })
        .collect()
}

/// Loads the scenario `source` describes: a folder, with a variant's overrides applied.
fn load_from(source: &Source<'_>) -> Result<Model, ScenarioErrors> {
    let dir = source;
    let mut errors = ScenarioErrors(Vec::new());
    let settings = settings::read(dir, &mut errors);
    let organisations = organisations::read(dir, &mut errors);
    let mut ambiguous_queues = Vec::new();
    let services = services::read(
        dir,
        organisations.as_ref(),
        &mut ambiguous_queues,
        &mut errors,
    );
    let classes = classes::read(dir, &mut errors);
    let profiles = profiles::read(dir, settings.as_ref(), &mut errors);
    let class_ids = classes.as_ref().map(|c| &c.ids);
    let service_ids = services.as_ref().map(|s| &s.ids);
    let arrivals = arrivals::read(
        dir,
        class_ids,
        service_ids,
        profiles.as_ref().map(|p| &p.ids),
        &mut errors,
    );
    let electives = electives::read(dir, class_ids, service_ids, &mut errors);
    let step_ups = step_up::read(
        dir,
        arrivals.as_ref(),
        services.as_ref().map(|s| (&s.ids, s.items.as_slice())),
        &mut errors,
    );
    let mut observations = stays::Observations::default();
    let stays = stays::read(dir, class_ids, service_ids, &mut observations, &mut errors);
    let routes = routes::read(dir, class_ids, service_ids, &mut errors);
    let discharge = discharge::read(
        dir,
        class_ids,
        service_ids,
        routes.as_ref(),
        &mut observations,
        &mut errors,
    );
    let package_hours = package_hours::read(
        dir,
        class_ids,
        services.as_ref().map(|s| (&s.ids, s.items.as_slice())),
        stays.as_ref(),
        &mut observations,
        &mut errors,
    );
    let visit_rates = visit_rates::read(
        dir,
        class_ids,
        services.as_ref().map(|s| (&s.ids, s.items.as_slice())),
        stays.as_ref(),
        &mut observations,
        &mut errors,
    );
    let calendar = calendar::read(dir, service_ids, settings.as_ref(), &mut errors);
    let escalation = escalation::read(
        dir,
        services.as_ref().map(|s| (&s.ids, s.items.as_slice())),
        &mut errors,
    );
    let fallbacks = fallbacks::read(
        dir,
        services.as_ref().map(|s| (&s.ids, s.items.as_slice())),
        &mut errors,
    );
    let readmissions = readmissions::read(dir, class_ids, service_ids, &mut errors);
    let patience = patience::read(
        dir,
        class_ids,
        service_ids,
        stays.as_ref(),
        &mut observations,
        &mut errors,
    );
    let census = census::read(
        dir,
        class_ids,
        services.as_ref().map(|s| (&s.ids, s.items.as_slice())),
        stays.as_ref(),
        &mut errors,
    );
    let census_list = census_list::read(
        dir,
        census_list::Context {
            classes: class_ids,
            services: services.as_ref().map(|s| (&s.ids, s.items.as_slice())),
            stays: stays.as_ref(),
            routes: routes.as_ref(),
            discharge: discharge.as_ref(),
            settings: settings.as_ref(),
            census: census.as_ref(),
        },
        &mut errors,
    );
    let costs = costs::read(
        dir,
        services.as_ref().map(|s| (&s.ids, s.items.as_slice())),
        &mut errors,
    );
    let funding = funding::read(dir, organisations.as_ref(), &mut errors);
    let care_settings = care_settings::read(
        dir,
        services.as_ref().map(|s| (&s.ids, s.items.as_slice())),
        &mut errors,
    );
    let contracts = contracts::read(
        dir,
        organisations.as_ref(),
        services.as_ref().map(|s| (&s.ids, s.items.as_slice())),
        class_ids,
        &mut errors,
    );
    let outcome_contracts = outcome_contracts::read(
        dir,
        outcome_contracts::Context {
            organisations: organisations.as_ref(),
            services: service_ids,
            contracts: contracts.as_deref(),
            care_settings: care_settings.as_deref(),
        },
        &mut errors,
    );
    let control_totals = control_total::read(dir, organisations.as_ref(), &mut errors);
    if let (
        Some(classes),
        Some(services),
        Some(arrivals),
        Some(stays),
        Some(routes),
        Some(discharge),
        Some(electives),
        Some(readmissions),
        Some(patience),
        Some(census),
        Some(step_ups),
        Some(census_list),
    ) = (
        &classes,
        &services,
        &arrivals,
        &stays,
        &routes,
        &discharge,
        &electives,
        &readmissions,
        &patience,
        &census,
        &step_ups,
        &census_list,
    ) && stays.complete
    {
        reachability::check(
            dir,
            &classes.ids,
            &services.ids,
            arrivals,
            stays,
            reachability::Moves {
                routes,
                discharge,
                electives,
                readmissions,
                patience,
                census,
                step_ups: &step_ups.services,
                census_list,
            },
            &mut errors,
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let arrival_lines: Vec<u64> = arrivals.as_ref().map_or_else(Vec::new, |a| {
        (0..a.ids.len()).map(|i| a.ids.line(i as u32)).collect()
    });
    let stay_lines: Vec<Option<u64>> = stays.as_ref().map_or_else(Vec::new, |s| s.given.clone());
    let package_lines: Vec<Option<u64>> = package_hours
        .as_ref()
        .map_or_else(Vec::new, |p| p.given.clone());
    let visit_lines: Vec<[Option<u64>; 2]> = visit_rates
        .as_ref()
        .map_or_else(Vec::new, |r| r.given.clone());
    let discharge_lines: Vec<Option<u64>> = discharge
        .as_ref()
        .map_or_else(Vec::new, |d| d.given.clone());
    let elective_lines: Vec<u64> = electives.as_ref().map_or_else(Vec::new, |e| {
        (0..e.ids.len()).map(|i| e.ids.line(i as u32)).collect()
    });
    let model = (|| {
        let settings = settings?;
        let services = services?.into_items()?;
        let calendar = calendar::changes(&calendar?, &settings, &services);
        let classes = classes?.into_items()?;
        Some(Model {
            settings,
            organisations: organisations?.into_items()?,
            services,
            classes,
            profiles: profiles?.into_items()?,
            arrivals: arrivals?.into_items()?,
            stays: stays?.cells,
            routes: routes?.routings(),
            calendar,
            discharge: discharge?.rules,
            escalation: escalation?,
            fallbacks: fallbacks.as_ref()?.0.clone(),
            step_up: step_ups.as_ref()?.services.clone(),
            electives: electives?.into_items()?,
            readmissions: readmissions?.rules(),
            census: census?.entries(),
            census_patients: census_list.as_ref()?.patients(),
            census_queue: census_list?.queue(),
            package_hours: package_hours?.cells,
            visit_rates: visit_rates?.cells,
            patience: patience?.rules(),
            finance: crate::Finance {
                costs: costs?,
                funding: funding.as_ref()?.0.clone(),
                contracts: contracts?,
                outcome_contracts: outcome_contracts?,
                control_totals: control_totals.as_ref()?.0.clone(),
            },
            care_settings: care_settings?,
            warnings: Vec::new(),
        })
    })();
    let mut model = model.expect(
        "a scenario with no recorded problem has every file read and every row built, \
         since each file or row left out records why",
    );
    model.warnings = profile_warnings(dir, &model, &arrival_lines);
    for (line, service) in ambiguous_queues {
        let Some(service) = service else { continue };
        let streams: Vec<String> = model
            .arrivals()
            .iter()
            .filter(|a| a.service().0 == service)
            .map(|a| a.name().to_owned())
            .collect();
        if !streams.is_empty() {
            model.warnings.push(ScenarioWarning::QueueCapacityZero {
                path: dir.dir().join(services::FILE),
                line,
                service: model.services()[service as usize].name().to_owned(),
                streams,
            });
        }
    }
    if let Some((_, lines)) = &funding {
        funding::check_care_budgets(dir, &model, lines, &mut errors);
    }
    if let Some((_, lines)) = &control_totals {
        control_total::check_money_booked(dir, &model, lines, &mut errors);
    }
    if let Some((_, lines)) = &fallbacks {
        fallbacks::check_care_budgets(dir, &model, lines, &mut errors);
    }
    if let Some(step_ups) = &step_ups {
        step_up::check_care_budgets(dir, &model, &step_ups.lines, &mut errors);
    }
    visit_rates::check_interim(dir, &model, &discharge_lines, &mut errors);
    limits::check(
        dir,
        &model,
        &arrival_lines,
        &elective_lines,
        &stay_lines,
        limits::PackageLines {
            hours: &package_lines,
            visits: &visit_lines,
        },
        &mut errors,
    );
    if errors.is_empty() {
        Ok(model)
    } else {
        Err(errors)
    }
}
