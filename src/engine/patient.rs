//! Patients in the system, held in a slab whose slots are reused.

use crate::SimRng;
use crate::model::{ClassId, ServiceId};

/// Index of a patient's slot in the [`Patients`] slab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PatientId(u32);

impl PatientId {
    /// The slot's index.
    #[inline]
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
    #[cfg(test)]
    pub(crate) fn for_test(slot: u32) -> Self {
        PatientId(slot)
    }
}

/// A patient's state. Each patient owns their random stream, keyed by (replication, arrival
/// stream, arrival number), so their draws do not depend on what other patients do.
///
/// Laid out in declaration order with the generator first, at the start of the slot: the
/// compiler then copies a new patient's generator into the slot in the same pieces it was
/// written in. Left to itself it put a 4-byte field first and copied across the generator's
/// pieces, which the processor cannot forward from its store buffer (a stall on every
/// arrival, about 4% of the run).
#[derive(Debug, Clone)]
#[repr(C)]
pub(crate) struct Patient {
    pub(crate) rng: SimRng,
    pub(crate) class: ClassId,
    /// The service whose bed the patient holds, if any.
    pub(crate) location: Option<ServiceId>,
    /// The entry service, until the patient leaves it.
    pub(crate) entry: Option<ServiceId>,
    /// When the patient arrived in the system.
    pub(crate) arrived_at: f64,
    /// When the patient started waiting for the service they want next.
    pub(crate) wait_start: f64,
    /// When the patient was admitted to their current service.
    pub(crate) admitted_at: f64,
    /// What the current stay is.
    pub(crate) phase: Phase,
    /// When the patient became medically fit at their current service (NaN if not yet, or
    /// not at a service with a discharge rule).
    pub(crate) fit_at: f64,
    /// Set while the patient is on their way through discharge to assess.
    pub(crate) d2a: Option<Interim>,
    /// The elective list that booked the patient, until admitted.
    pub(crate) elective: Option<u32>,
    /// The discharge pathway predicted when the patient became medically fit.
    pub(crate) pathway: Option<u8>,
    /// Capacity the patient needs at the service they want next: 1 place, or a package's
    /// hours a week at services counted in hours.
    pub(crate) need: f64,
    /// Capacity the patient holds at their current service.
    pub(crate) held: f64,
    /// Money per day committed from a care budget for the place the patient holds (0 if
    /// none).
    pub(crate) funding: f64,
    /// Money per day approved from a care budget for the service the patient wants next (0 if
    /// none).
    pub(crate) approved: f64,
    /// Whether the patient has been counted among the current place's delayed patients (in
    /// the observation window) since admission there.
    pub(crate) delay_counted: bool,
    /// For a readmission: days from the previous discharge to this arrival (NaN otherwise).
    pub(crate) readmitted_after: f64,
    /// While the patient holds a fallback's place instead of the service they wanted: the
    /// (preferred, fallback) pair, as an index into the replication's pairs.
    pub(crate) fallback: Option<u32>,
    /// The number of the patience running while the patient waits for a place (unique in
    /// the run, from 1), matched against the pending give-up; 0 when none runs.
    pub(crate) patience: u64,
    /// The patient's journey (a readmission keeps the journey of the patient it returns);
    /// 0 when no outcome measures are taken.
    pub(crate) journey: u32,
    /// When the current delay in a bed began (NaN when not delayed).
    pub(crate) delayed_since: f64,
    /// Days delayed in beds since arrival, delays ended so far.
    pub(crate) delayed_days: f64,
}

impl Patient {
    /// A patient arriving at `now` (at `entry`, if they come in through one) with nothing
    /// held, funded, awaited or delayed yet; callers set what differs (an arrival's need, a
    /// readmission's gap, an elective's list).
    pub(crate) fn new(
        rng: SimRng,
        class: ClassId,
        journey: u32,
        entry: Option<ServiceId>,
        now: f64,
    ) -> Patient {
        Patient {
            rng,
            class,
            location: None,
            entry,
            arrived_at: now,
            wait_start: now,
            admitted_at: now,
            phase: Phase::Stay,
            fit_at: f64::NAN,
            d2a: None,
            elective: None,
            pathway: None,
            need: 1.0,
            held: 0.0,
            funding: 0.0,
            approved: 0.0,
            delay_counted: false,
            readmitted_after: f64::NAN,
            fallback: None,
            patience: 0,
            journey,
            delayed_since: f64::NAN,
            delayed_days: 0.0,
        }
    }
}

/// What a patient's current stay is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Care (at a service with a discharge rule: until medically fit).
    Stay,
    /// Medically fit, being assessed in the hospital bed for predicted pathway `.0`.
    Assessment(u8),
    /// Being assessed in interim care (discharge to assess).
    InterimAssessment,
}

/// A patient's discharge to assess in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Interim {
    /// The service whose discharge rule applies (where the patient became fit).
    pub(crate) rule_at: ServiceId,
    /// The interim service of the predicted pathway.
    pub(crate) interim: ServiceId,
    /// The predicted pathway, 0–3.
    pub(crate) predicted: u8,
}

/// A slab of patients: memory is bounded by the most patients ever inside at once.
#[derive(Debug, Default)]
pub(crate) struct Patients {
    slots: Vec<Patient>,
    free: Vec<u32>,
}

impl Patients {
    /// Stores `patient`, reusing a free slot if there is one.
    #[inline]
    pub(crate) fn insert(&mut self, patient: Patient) -> PatientId {
        match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = patient;
                PatientId(i)
            }
            None => {
                let i = u32::try_from(self.slots.len())
                    .expect("fewer than 2^32 patients should be inside at once");
                self.slots.push(patient);
                PatientId(i)
            }
        }
    }

    /// Frees the slot of a patient who has left.
    #[inline]
    pub(crate) fn remove(&mut self, id: PatientId) {
        self.free.push(id.0);
    }

    /// The patients inside, in slot order (for counts at the end of a run).
    pub(crate) fn inside(&self) -> impl Iterator<Item = &Patient> {
        let mut free = vec![false; self.slots.len()];
        for &i in &self.free {
            free[i as usize] = true;
        }
        self.slots
            .iter()
            .zip(free)
            .filter_map(|(p, free)| (!free).then_some(p))
    }

    /// How many patients are inside.
    pub(crate) fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

impl std::ops::Index<PatientId> for Patients {
    type Output = Patient;
    #[inline]
    fn index(&self, id: PatientId) -> &Patient {
        &self.slots[id.0 as usize]
    }
}

impl std::ops::IndexMut<PatientId> for Patients {
    #[inline]
    fn index_mut(&mut self, id: PatientId) -> &mut Patient {
        &mut self.slots[id.0 as usize]
    }
}
