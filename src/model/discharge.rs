//! Discharge rules: the medically-fit point, the needs assessment and discharge pathways 0–3,
//! assessed in hospital or by discharge to assess.

use super::{Destination, LengthOfStay, ServiceId};
use crate::sampling;
use rand_core::RngCore;

/// Where a patient's long-term needs are assessed once they are medically fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DischargeModel {
    /// Assess then discharge: the assessment happens in the hospital bed after the patient is
    /// fit; then the patient waits in that bed for the service their pathway needs.
    AssessInHospital,
    /// Discharge to assess: when fit, the patient moves to interim capacity for their predicted
    /// pathway (home-based slots or a D2A bed), is assessed there, and moves on to the
    /// long-term service of their *actual* pathway, which may differ from the predicted one.
    DischargeToAssess,
}

impl DischargeModel {
    /// The name used in `discharge.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            DischargeModel::AssessInHospital => "assess_in_hospital",
            DischargeModel::DischargeToAssess => "discharge_to_assess",
        }
    }
}

/// One discharge pathway's services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathwayServices {
    /// The long-term service (or exit, for pathway 0 home with no new support).
    pub destination: Destination,
    /// Interim capacity used under discharge to assess; `None` goes straight to `destination`.
    pub interim: Option<ServiceId>,
}

/// How one class leaves one (acute) service once medically fit.
///
/// The service's length of stay (from `los.csv`) is the time to medically fit ("no criteria
/// to reside"). Then a predicted pathway 0–3 is drawn; what follows depends on the
/// [`DischargeModel`]. A rule replaces the service's routing for the class.
#[derive(Debug, Clone, PartialEq)]
pub struct DischargeRule {
    pub(crate) model: DischargeModel,
    pub(crate) assessment: LengthOfStay,
    /// Cumulative probabilities of predicted pathways 0–3; the last is 1.
    pub(crate) predicted: [f64; 4],
    pub(crate) pathways: [PathwayServices; 4],
    /// For each predicted pathway, cumulative probabilities of the actual pathway found by an
    /// assessment out of hospital (identity unless `pathway_changes.csv` says otherwise).
    pub(crate) actual: [[f64; 4]; 4],
}

/// Draws an index from cumulative probabilities with one uniform draw.
fn draw<R: RngCore + ?Sized>(cumulative: &[f64; 4], rng: &mut R) -> usize {
    let u = sampling::uniform01(rng);
    cumulative.iter().position(|&c| u < c).unwrap_or_else(|| {
        // Rounding can leave u just above the last cumulative value: take the last pathway
        // with positive probability.
        let mut last = 3;
        while last > 0 && cumulative[last] == cumulative[last - 1] {
            last -= 1;
        }
        last
    })
}

impl DischargeRule {
    /// Assessed in hospital or by discharge to assess.
    pub fn model(&self) -> DischargeModel {
        self.model
    }

    /// Duration of the needs assessment, days.
    pub fn assessment(&self) -> &LengthOfStay {
        &self.assessment
    }

    /// Probability of each predicted pathway 0–3.
    pub fn pathway_probabilities(&self) -> [f64; 4] {
        let c = &self.predicted;
        [c[0], c[1] - c[0], c[2] - c[1], c[3] - c[2]]
    }

    /// The services of pathway `pathway` (0–3).
    pub fn pathway(&self, pathway: usize) -> PathwayServices {
        self.pathways[pathway]
    }

    /// Draws the predicted pathway (one uniform draw).
    #[inline]
    pub(crate) fn draw_predicted<R: RngCore + ?Sized>(&self, rng: &mut R) -> usize {
        draw(&self.predicted, rng)
    }

    /// Draws the actual pathway found by assessment out of hospital (one uniform draw).
    #[inline]
    pub(crate) fn draw_actual<R: RngCore + ?Sized>(&self, predicted: usize, rng: &mut R) -> usize {
        draw(&self.actual[predicted], rng)
    }
}
