//! See a scenario before running it: the traffic equations solved for each service's expected
//! arrivals, mean stay and offered load, and who pays whom.
//!
//! [`Explanation::of`] reads a [`Model`] and runs nothing. For each patient class it solves the
//! traffic equations `λ = a + Pᵀ λ`, where `a` is the mean rate of arrivals from outside at
//! each service and `P` the chance of going from one service to another after a stay, to get
//! the patients seeking a place at each service a day; then the offered load, `λ × mean stay`
//! summed over classes (in hours of care a week, `× mean package hours`, at services counted
//! in hours), and the load over the service's capacity. A load ratio at or above 1 means a
//! queue that grows without bound however long the run; above 0.85, long waits and blocking
//! are likely. The printed table ([`Display`](std::fmt::Display)) fits 100 columns, and
//! [`Explanation::svg`] draws the network.
//!
//! # What is included
//!
//! - Arrival streams at their mean rate over the observation window (warm-up end to the
//!   horizon): the hour-of-day, weekday and dated-period multipliers of their profiles
//!   averaged exactly over it ([`Profile::mean_multiplier`](crate::Profile::mean_multiplier)).
//! - Elective booking lists: `count / 7` a day (first bookings; rebookings of cancelled
//!   patients happen only when the service is full, and are left out).
//! - Routes, and discharge rules with their pathways: assess in hospital (the assessment is
//!   part of the stay in the bed: time after medically fit that the scenario models), and
//!   discharge to assess (the interim service's stay is the assessment; the actual pathway
//!   found there, from `pathway_changes.csv`, sets where patients go next).
//! - Readmissions: each leaver returns with the rule's probability as a new arrival, so
//!   routing with cycles through readmissions is solved as a linear system.
//! - A patient routed back to the service they are in is a new stay, as the engine counts it.
//!
//! # What is left out
//!
//! Everything that happens only when services are full, which is what the simulation is
//! for: waits, blocking (time after medically fit spent waiting for the next service),
//! diversion, reneging, cancelled electives, escalation places and fallbacks (demand is
//! counted at the service patients want). Arrivals of a stream with a step-up service are all
//! counted at the stream's entry service, since the share that finds a free place in the
//! step-up service depends on its occupancy. The census (patients in at the start) is a
//! starting state, not a rate, and is not counted. Capacity is the planned capacity's mean
//! over the observation window (the capacity calendar, without escalation).
//!
//! # Errors
//!
//! A class whose patients can reach services they can never leave (a routing loop with no
//! way out), readmissions that return more patients than leave, equations too close to
//! singular to solve, or more than [`MAX_PLACES_PER_CLASS`] places reached by one class, give
//! an [`ExplainError`] naming the class and services; nothing panics and no figure is NaN.
//!
//! # Example
//!
//! ```
//! use careflow::Model;
//! use careflow::explain::Explanation;
//!
//! let model = Model::load("scenarios/erlang_c_ward")?;
//! let explanation = Explanation::of(&model)?;
//! let ward = &explanation.services()[0];
//! assert_eq!(ward.name, "ward");
//! assert!((ward.arrivals_per_day - 16.0).abs() < 1e-9);
//! assert!((ward.offered_load - 16.0).abs() < 1e-9); // 16 a day × 1 day
//! assert!((ward.load_ratio.unwrap() - 0.8).abs() < 1e-9); // 20 beds
//! println!("{explanation}");
//! # Ok::<(), careflow::Error>(())
//! ```

mod finance;
mod traffic;

pub(crate) use finance::pounds;
pub use finance::{ContractLine, OrganisationLine};

use crate::{CapacityUnit, Model, ServiceId, ServiceKind};

/// The load ratio above which a service is flagged as under pressure (waits and blocking are
/// likely); at or above 1 its queue grows without bound.
pub const HIGH_LOAD: f64 = 0.85;

/// The most patients a day a service may be expected to receive: more means patients loop
/// almost for ever (a routing probability of nearly 1 back to where they were).
pub const MAX_ARRIVALS_PER_DAY: f64 = 1e12;

/// The most (service, step) places one class may reach for its equations to be solved: they
/// are solved densely, in time growing with the cube of this.
pub const MAX_PLACES_PER_CLASS: usize = 2000;

/// Why a scenario cannot be explained.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ExplainError {
    /// Patients of a class reach services whose routes never lead out of the system.
    #[error(
        "patients of class '{class}' who reach {} can never leave: every route from there leads back among them (check routes.csv and pathways.csv for a way out)",
        list(services)
    )]
    NeverLeaves {
        /// The class.
        class: String,
        /// The services they circulate among, in id order.
        services: Vec<String>,
    },
    /// Readmissions (and routes) return at least as many patients as leave, so arrivals grow
    /// without bound.
    #[error(
        "patients of class '{class}' multiply: readmissions return at least as many patients as leave {}, so arrivals grow without bound (check readmissions.csv)",
        list(services)
    )]
    Multiplies {
        /// The class.
        class: String,
        /// The services where the solution is not positive, in id order.
        services: Vec<String>,
    },
    /// The traffic equations are singular or too close to it to solve.
    #[error(
        "the traffic equations of class '{class}' cannot be solved: patients at {} almost never leave (a routing probability of nearly 1 back among them)",
        list(services)
    )]
    Singular {
        /// The class.
        class: String,
        /// The services involved, in id order.
        services: Vec<String>,
    },
    /// One class reaches more than [`MAX_PLACES_PER_CLASS`] places (services, and interim
    /// stays of discharge to assess).
    #[error(
        "patients of class '{class}' reach {places} services and interim stays, more than the {max} careflow can explain",
        max = MAX_PLACES_PER_CLASS
    )]
    TooLarge {
        /// The class.
        class: String,
        /// The places it reaches.
        places: usize,
    },
    /// A service would receive more than [`MAX_ARRIVALS_PER_DAY`] patients a day.
    #[error(
        "service '{service}' would receive {arrivals:.3e} patients a day, over the {max:.0e} careflow can explain: patients loop almost for ever (a routing probability of nearly 1 back to where they were)",
        max = MAX_ARRIVALS_PER_DAY
    )]
    TooManyArrivals {
        /// The service.
        service: String,
        /// Its expected arrivals a day.
        arrivals: f64,
    },
}

/// Service names quoted and joined: `'a', 'b' and 'c'`.
fn list(services: &[String]) -> String {
    let quoted: Vec<String> = services.iter().map(|s| format!("'{s}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => "no service".into(),
    }
}

/// How close a service is to its capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pressure {
    /// No patient is expected there: no arrival stream, route or pathway leads to it.
    Unreached,
    /// Load below [`HIGH_LOAD`] of capacity.
    Fine,
    /// Load above [`HIGH_LOAD`] of capacity and below it: long waits and blocking are likely.
    High,
    /// Load at or above capacity (or any load at a service with no capacity): its queue
    /// grows without bound.
    Unstable,
}

impl Pressure {
    /// A word for tables: `unreached`, `ok`, `high`, `UNSTABLE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Pressure::Unreached => "unreached",
            Pressure::Fine => "ok",
            Pressure::High => "high",
            Pressure::Unstable => "UNSTABLE",
        }
    }
}

/// One service's expected demand.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceLoad {
    /// Which service.
    pub service: ServiceId,
    /// Its id in the scenario.
    pub name: String,
    /// What it is.
    pub kind: ServiceKind,
    /// What its capacity counts.
    pub unit: CapacityUnit,
    /// The organisation providing it.
    pub provider: String,
    /// Planned capacity, mean over the observation window (places, or hours a week).
    pub capacity: f64,
    /// Patients seeking a place a day: from outside and from other services.
    pub arrivals_per_day: f64,
    /// Of those, arrivals from outside (streams and elective lists; readmissions not
    /// included).
    pub from_outside_per_day: f64,
    /// Of those, readmissions.
    pub readmissions_per_day: f64,
    /// Mean stay, days, weighted by the class mix of arrivals (in-bed assessment included;
    /// for interim discharge-to-assess care, the assessment); `None` with no arrivals.
    pub mean_stay_days: Option<f64>,
    /// Mean hours a week a package needs, weighted by arrivals and stay, at services counted
    /// in hours; `None` elsewhere or with no arrivals.
    pub mean_package_hours: Option<f64>,
    /// Offered load: `arrivals × mean stay`, places (Little's law: the mean number in place
    /// with unlimited capacity), or hours a week at services counted in hours.
    pub offered_load: f64,
    /// Offered load ÷ capacity; `None` when the capacity is 0.
    pub load_ratio: Option<f64>,
}

impl ServiceLoad {
    /// How close the service is to its capacity.
    pub fn pressure(&self) -> Pressure {
        if self.arrivals_per_day <= 0.0 {
            return Pressure::Unreached;
        }
        match self.load_ratio {
            None => Pressure::Unstable,
            Some(r) if r >= 1.0 => Pressure::Unstable,
            Some(r) if r > HIGH_LOAD => Pressure::High,
            Some(_) => Pressure::Fine,
        }
    }
}

/// What moves patients along a [`Flow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlowKind {
    /// A route, discharge pathway or discharge-to-assess step after a stay.
    Route,
    /// A readmission: a leaver returning as a new arrival.
    Readmission,
}

/// Patients moving from one service to another (or out), all classes together.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Where they leave.
    pub from: ServiceId,
    /// Where they go; `None` out of the system.
    pub to: Option<ServiceId>,
    /// What moves them.
    pub kind: FlowKind,
    /// Patients a day.
    pub per_day: f64,
    /// Their share of the patients leaving `from` (`per_day / arrivals at from`).
    pub probability: f64,
}

/// Patients arriving from outside at one service, by source.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The service entered.
    pub service: ServiceId,
    /// Arrival streams, patients a day (mean over the window).
    pub streams_per_day: f64,
    /// Elective booking lists, patients a day.
    pub electives_per_day: f64,
    /// Services some of these streams try first when they have a free place
    /// (`step_up.csv`).
    pub step_up: Vec<ServiceId>,
}

/// A scenario's expected flows and loads, computed from the model without simulating.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub(crate) services: Vec<ServiceLoad>,
    pub(crate) flows: Vec<Flow>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) organisations: Vec<OrganisationLine>,
    pub(crate) contracts: Vec<ContractLine>,
    pub(crate) notes: Vec<String>,
}

impl Explanation {
    /// Solves the traffic equations of `model` (see the [module docs](self)).
    ///
    /// # Errors
    ///
    /// An [`ExplainError`] when some class's patients can never leave, multiply through
    /// readmissions, or would arrive more than [`MAX_ARRIVALS_PER_DAY`] a day somewhere.
    pub fn of(model: &Model) -> Result<Explanation, ExplainError> {
        let solved = traffic::solve(model)?;
        let services = traffic::loads(model, &solved)?;
        let flows = traffic::flows(model, &solved, &services);
        let entries = traffic::entries(model);
        Ok(Explanation {
            services,
            flows,
            entries,
            organisations: finance::organisations(model),
            contracts: finance::contracts(model),
            notes: notes(model),
        })
    }

    /// Each service's expected demand, in id order.
    pub fn services(&self) -> &[ServiceLoad] {
        &self.services
    }

    /// Flows between services and out of the system with more than 0 patients a day, by
    /// leaving service, then destination (exit last), routes before readmissions.
    pub fn flows(&self) -> &[Flow] {
        &self.flows
    }

    /// Arrivals from outside, one per entry service, in id order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Organisations: what each provides, pays and is paid.
    pub fn organisations(&self) -> &[OrganisationLine] {
        &self.organisations
    }

    /// Contracts: who pays whom for what.
    pub fn contracts(&self) -> &[ContractLine] {
        &self.contracts
    }

    /// What the figures leave out for this scenario (step-up services, fallbacks, reneging,
    /// a census, rebooked electives, escalation), one sentence each.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The services at or above [`HIGH_LOAD`] of their capacity, in id order.
    pub fn flagged(&self) -> impl Iterator<Item = &ServiceLoad> {
        self.services
            .iter()
            .filter(|s| matches!(s.pressure(), Pressure::High | Pressure::Unstable))
    }
}

/// The scenario-specific notes of [`Explanation::notes`].
fn notes(model: &Model) -> Vec<String> {
    let mut notes = Vec::new();
    let names = |ids: &mut dyn Iterator<Item = ServiceId>| {
        let mut v: Vec<String> = ids
            .map(|s| model.services()[s.index()].name().to_owned())
            .collect();
        v.dedup();
        list(&v)
    };
    let step_up: Vec<ServiceId> = (0..model.arrivals().len())
        .filter_map(|i| model.step_up(crate::StreamId(i as u32)))
        .collect();
    if !step_up.is_empty() {
        notes.push(format!(
            "Step-up services ({}) take arrivals only when they have a free place; those arrivals are counted at the streams' entry services.",
            names(&mut step_up.into_iter())
        ));
    }
    let fallback: Vec<ServiceId> = (0..model.services().len())
        .map(|i| ServiceId(i as u32))
        .filter(|&s| model.fallbacks(s).is_some())
        .collect();
    if !fallback.is_empty() {
        notes.push(format!(
            "Patients placed in fallbacks when {} are full are counted at the service they wanted.",
            names(&mut fallback.into_iter())
        ));
    }
    if model.has_patience() {
        notes.push("Patients who give up waiting (patience.csv) are not taken off.".into());
    }
    if model.electives().iter().any(|e| e.rebook_after().is_some()) {
        notes.push("Rebookings of cancelled electives are not counted.".into());
    }
    let escalation: Vec<ServiceId> = (0..model.services().len())
        .map(|i| ServiceId(i as u32))
        .filter(|&s| model.escalation(s).is_some())
        .collect();
    if !escalation.is_empty() {
        notes.push(format!(
            "Escalation places of {} are not in the capacity.",
            names(&mut escalation.into_iter())
        ));
    }
    if !model.census().is_empty()
        || !model.census_patients().is_empty()
        || !model.census_queue().is_empty()
    {
        notes.push(
            "The census (patients in at the start) is a starting state, not a rate: not counted."
                .into(),
        );
    }
    notes
}
