//! The validated model: typed, index-based and immutable.
//!
//! A [`Model`] is what the engine runs. It is built by [`Model::load`] from a scenario folder
//! (see [`crate::scenario`] for the file format); names are resolved to dense ids
//! ([`ServiceId`], [`ClassId`], …) so the engine never touches a string or a hash map.
//! A model is shared by reference across threads.

mod arrival;
mod calendar;
mod census;
mod contract;
mod cost;
mod discharge;
mod elective;
mod escalation;
mod fallback;
mod finance;
mod funding;
mod length_of_stay;
mod organisation;
mod patience;
mod patient_class;
mod profile;
mod readmission;
mod routing;
mod service;
mod settings;
mod visits;

pub use arrival::{ArrivalStream, StreamId};
pub use calendar::CapacityChange;
pub use census::{CensusEntry, CensusPatient, CensusWaiting, ResidualRule};
pub use contract::{
    Contract, ContractId, ContractKind, ContractTerms, MarginalRate, Member, Tariff,
};
pub use cost::{Cost, CostBasis};
pub use discharge::{DischargeModel, DischargeRule, PathwayServices};
pub use elective::ElectiveList;
pub use escalation::Escalation;
pub use fallback::{Fallbacks, WaitFor};
pub use finance::{Finance, FinancialYear};
pub use funding::Funding;
pub use length_of_stay::{DistributionError, LengthOfStay, RemainingStay, Rounding};
pub use organisation::{Organisation, OrganisationId, OrganisationKind};
pub use patience::Patience;
pub use patient_class::{ClassId, PatientClass};
pub use profile::{Period, Profile, ProfileId};
pub use readmission::Readmission;
pub use routing::{Destination, Routing};
pub use service::{
    Booking, CapacityUnit, QueueCapacity, QueueDiscipline, Service, ServiceId, ServiceKind,
    TransfersWait, WhenFull,
};
pub use settings::Settings;
pub use visits::{VisitRates, visits_on_day};

/// A validated scenario, ready to simulate.
///
/// # Example
///
/// ```
/// use careflow::Model;
///
/// let model = Model::load("scenarios/erlang_c_ward")?;
/// assert_eq!(model.services()[0].name(), "ward");
/// # Ok::<(), careflow::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub(crate) settings: Settings,
    pub(crate) organisations: Vec<Organisation>,
    pub(crate) services: Vec<Service>,
    pub(crate) classes: Vec<PatientClass>,
    pub(crate) profiles: Vec<Profile>,
    pub(crate) arrivals: Vec<ArrivalStream>,
    /// Indexed by `class * services.len() + service`; `None` where no patient of the class can
    /// reach the service.
    pub(crate) stays: Vec<Option<LengthOfStay>>,
    /// Indexed like `stays`; everyone exits where no route was given.
    pub(crate) routes: Vec<Routing>,
    /// Sorted by time; at equal times, in the order they apply.
    pub(crate) calendar: Vec<CapacityChange>,
    /// Indexed like `stays`; where present, replaces the routing.
    pub(crate) discharge: Vec<Option<DischargeRule>>,
    /// Escalation rule of each service, indexed by [`ServiceId`].
    pub(crate) escalation: Vec<Option<Escalation>>,
    /// Fallbacks of each service, indexed by [`ServiceId`]: where a patient wanting it is
    /// placed when it has no free place.
    pub(crate) fallbacks: Vec<Option<Fallbacks>>,
    /// Step-up service of each arrival stream, indexed by [`StreamId`]: tried before the
    /// stream's entry service.
    pub(crate) step_up: Vec<Option<ServiceId>>,
    /// Weekly elective booking lists.
    pub(crate) electives: Vec<ElectiveList>,
    /// Indexed like `stays`: readmission of patients leaving on discharge pathway 0–3
    /// (elements 0–3, for services with a discharge rule) or on any way (element 4).
    pub(crate) readmissions: Vec<[Option<Readmission>; 5]>,
    /// Patients in and queueing for services at time 0.
    pub(crate) census: Vec<CensusEntry>,
    /// Today's patients in places, one by one.
    pub(crate) census_patients: Vec<CensusPatient>,
    /// Today's patients waiting from outside, one by one, longest waited first.
    pub(crate) census_queue: Vec<CensusWaiting>,
    /// Indexed like `stays`: hours a week of care each package needs, at services whose
    /// capacity counts hours.
    pub(crate) package_hours: Vec<Option<LengthOfStay>>,
    /// Indexed like `stays`: the initial and final visits a day of each package, at services
    /// whose capacity counts visits.
    pub(crate) visit_rates: Vec<Option<VisitRates>>,
    /// Indexed like `stays`: how long patients of the class wait for the service before
    /// reneging, where they may.
    pub(crate) patience: Vec<Option<Patience>>,
    /// Costs, funding and contracts.
    pub(crate) finance: Finance,
    /// What the scenario runs as written but probably does not mean.
    pub(crate) warnings: Vec<crate::scenario::ScenarioWarning>,
}

impl Model {
    /// Loads and validates the scenario folder at `dir`.
    ///
    /// # Errors
    ///
    /// [`Error::Scenario`](crate::Error::Scenario) with every problem found, each naming its
    /// file, line and column.
    pub fn load(dir: impl AsRef<std::path::Path>) -> Result<Model, crate::Error> {
        crate::scenario::load(dir.as_ref()).map_err(crate::Error::Scenario)
    }

    /// What the scenario runs as written but probably does not mean (say, profile multipliers
    /// that do not average 1): shown with the results. Empty for most scenarios.
    pub fn warnings(&self) -> &[crate::scenario::ScenarioWarning] {
        &self.warnings
    }

    /// Run settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Mutable run settings, to change the horizon, seed or replications in code.
    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    /// Sets the base capacity of `service`, e.g. to build a variant in code.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`](crate::Error::Usage) if the service has capacity-calendar entries,
    /// whose ends restore the capacity the scenario gave (change it in `variants.csv`
    /// instead).
    pub fn set_capacity(&mut self, service: ServiceId, capacity: u32) -> Result<(), crate::Error> {
        if self.calendar.iter().any(|c| c.service == service) {
            return Err(crate::Error::Usage(format!(
                "service '{}' has capacity-calendar entries; change its capacity in variants.csv",
                self.services[service.index()].name
            )));
        }
        self.services[service.index()].capacity = capacity;
        Ok(())
    }

    /// Organisations, indexed by [`OrganisationId`].
    pub fn organisations(&self) -> &[Organisation] {
        &self.organisations
    }

    /// Services, indexed by [`ServiceId`].
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// Patient classes, indexed by [`ClassId`].
    pub fn classes(&self) -> &[PatientClass] {
        &self.classes
    }

    /// Time profiles, indexed by [`ProfileId`].
    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    /// Arrival streams, indexed by [`StreamId`].
    pub fn arrivals(&self) -> &[ArrivalStream] {
        &self.arrivals
    }

    /// The profile with this id.
    pub fn profile(&self, id: ProfileId) -> &Profile {
        &self.profiles[id.0 as usize]
    }

    /// The length of stay of `class` at `service`, if that class can reach it.
    pub fn length_of_stay(&self, class: ClassId, service: ServiceId) -> Option<&LengthOfStay> {
        self.stays[self.cell(class, service)].as_ref()
    }

    /// Where `class` goes after `service`.
    pub fn routing(&self, class: ClassId, service: ServiceId) -> &Routing {
        &self.routes[self.cell(class, service)]
    }

    /// The discharge rule of `class` at `service`, if it has one (it then replaces the
    /// routing).
    pub fn discharge_rule(&self, class: ClassId, service: ServiceId) -> Option<&DischargeRule> {
        self.discharge[self.cell(class, service)].as_ref()
    }

    /// How patients of `class` leaving `service` on discharge pathway `pathway` (0–3; `None`
    /// for leaving by any way) are readmitted, if they may be.
    pub fn readmission(
        &self,
        class: ClassId,
        service: ServiceId,
        pathway: Option<usize>,
    ) -> Option<&Readmission> {
        self.readmissions[self.cell(class, service)][pathway.unwrap_or(4).min(4)].as_ref()
    }

    /// The distribution of hours a week a package of `class` needs at `service`, where its
    /// capacity counts hours.
    pub fn package_hours(&self, class: ClassId, service: ServiceId) -> Option<&LengthOfStay> {
        self.package_hours[self.cell(class, service)].as_ref()
    }

    /// The visit rates of a package of `class` at `service`, where its capacity counts visits.
    pub fn visit_rates(&self, class: ClassId, service: ServiceId) -> Option<&VisitRates> {
        self.visit_rates[self.cell(class, service)].as_ref()
    }

    /// How long patients of `class` wait for `service` before giving up, and where they go
    /// then, if they may give up.
    pub fn patience(&self, class: ClassId, service: ServiceId) -> Option<&Patience> {
        self.patience[self.cell(class, service)].as_ref()
    }

    /// Whether any patient may give up waiting ([`Patience`]).
    pub fn has_patience(&self) -> bool {
        self.patience.iter().any(Option::is_some)
    }

    /// Patients in and queueing for services at time 0.
    pub fn census(&self) -> &[CensusEntry] {
        &self.census
    }

    /// Today's patients in places, one by one (`census_patients.csv`), in file order.
    pub fn census_patients(&self) -> &[CensusPatient] {
        &self.census_patients
    }

    /// Today's patients waiting from outside, one by one (`census_queue.csv`): longest waited
    /// first, file order among equal waits.
    pub fn census_queue(&self) -> &[CensusWaiting] {
        &self.census_queue
    }

    /// Weekly elective booking lists.
    pub fn electives(&self) -> &[ElectiveList] {
        &self.electives
    }

    /// The escalation rule of `service`, if it has one.
    pub fn escalation(&self, service: ServiceId) -> Option<&Escalation> {
        self.escalation[service.index()].as_ref()
    }

    /// The fallbacks of `service` (tried when it has no free place), if it has any.
    pub fn fallbacks(&self, service: ServiceId) -> Option<&Fallbacks> {
        self.fallbacks[service.index()].as_ref()
    }

    /// The service arrivals of `stream` try first (admission avoidance), if any: they enter
    /// it when it has a free place, else the stream's own entry service.
    pub fn step_up(&self, stream: StreamId) -> Option<ServiceId> {
        self.step_up.get(stream.index()).copied().flatten()
    }

    /// Dated capacity changes, in the order they apply.
    pub fn calendar(&self) -> &[CapacityChange] {
        &self.calendar
    }

    /// The most capacity `service` can have at any time before the horizon: its largest
    /// planned capacity (the base, unless the calendar replaces it from the start, and every
    /// dated change before the horizon) plus its escalation places, if any. Places, or hours
    /// a week for a service counted in hours.
    pub fn most_capacity(&self, service: ServiceId) -> u64 {
        let horizon = self.settings.horizon_days;
        let changes = self.calendar.iter().filter(|c| c.service == service);
        let at_start = changes
            .clone()
            .rfind(|c| c.time <= 0.0)
            .map_or(self.services[service.index()].capacity(), |c| c.capacity);
        let planned = changes
            .filter(|c| c.time > 0.0 && c.time < horizon)
            .map(|c| c.capacity)
            .fold(at_start, u32::max);
        u64::from(planned) + self.escalation(service).map_or(0, |e| u64::from(e.extra()))
    }

    /// Costs, funding and contracts (empty when the scenario books no money).
    pub fn finance(&self) -> &Finance {
        &self.finance
    }

    /// Active contracts, indexed by [`ContractId`].
    pub fn contracts(&self) -> &[Contract] {
        &self.finance.contracts
    }

    /// What care at `service` costs its provider, if costed.
    pub fn cost(&self, service: ServiceId) -> Option<&Cost> {
        self.finance.costs.get(service.index())?.as_ref()
    }

    /// The outside funding of `organisation`, if any.
    pub fn funding(&self, organisation: OrganisationId) -> Option<&Funding> {
        self.finance.funding.get(organisation.index())?.as_ref()
    }

    /// The financial years of the observation window (warm-up end to horizon), each cut to
    /// the window.
    pub fn financial_years(&self) -> Vec<FinancialYear> {
        let s = &self.settings;
        FinancialYear::between(s.start_date, s.warmup_days, s.horizon_days)
    }

    /// The id of the organisation called `name`.
    pub fn organisation_id(&self, name: &str) -> Option<OrganisationId> {
        self.organisations
            .iter()
            .position(|o| o.name == name)
            .map(|i| OrganisationId(i as u32))
    }

    /// The id of the service called `name`.
    pub fn service_id(&self, name: &str) -> Option<ServiceId> {
        self.services
            .iter()
            .position(|s| s.name == name)
            .map(|i| ServiceId(i as u32))
    }

    /// Entry services: those some arrival stream, elective list or readmission enters, in id
    /// order.
    pub fn entry_services(&self) -> Vec<ServiceId> {
        let mut entry = vec![false; self.services.len()];
        for a in &self.arrivals {
            entry[a.service.index()] = true;
        }
        for s in self.step_up.iter().flatten() {
            entry[s.index()] = true;
        }
        for e in &self.electives {
            entry[e.service.index()] = true;
        }
        for r in self.readmissions.iter().flatten().flatten() {
            entry[r.to.index()] = true;
        }
        (0..self.services.len())
            .filter(|&i| entry[i])
            .map(|i| ServiceId(i as u32))
            .collect()
    }

    #[inline]
    pub(crate) fn cell(&self, class: ClassId, service: ServiceId) -> usize {
        class.index() * self.services.len() + service.index()
    }
}
