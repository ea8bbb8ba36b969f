//! Routing: where a patient goes after a stay.

use super::ServiceId;
use crate::sampling;
use rand_core::RngCore;

/// Where a patient goes after a stay: another service, or out of the modelled system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination {
    /// Moves on to this service.
    Service(ServiceId),
    /// Leaves the modelled system (home, death, out of area).
    Exit,
}

/// The next-destination distribution for one class leaving one service.
///
/// Every decision consumes exactly one uniform draw from the patient's own stream, even when
/// only one destination is possible, so that a variant adding a branch does not shift the
/// patient's later draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Routing {
    /// Destinations with cumulative probabilities; the last is exactly 1.
    pub(crate) branches: Vec<(Destination, f64)>,
}

impl Routing {
    /// Everyone leaves the system.
    pub fn exit() -> Self {
        Routing {
            branches: vec![(Destination::Exit, 1.0)],
        }
    }

    /// Builds a routing from (destination, probability) pairs, which the caller has checked
    /// are non-negative and sum to 1 within rounding. Zero-probability branches are kept out.
    pub(crate) fn from_probabilities(pairs: &[(Destination, f64)]) -> Self {
        let total: f64 = pairs.iter().map(|p| p.1).sum();
        let mut cumulative = 0.0;
        let mut branches: Vec<(Destination, f64)> = pairs
            .iter()
            .filter(|p| p.1 > 0.0)
            .map(|&(d, p)| {
                cumulative += p / total;
                (d, cumulative)
            })
            .collect();
        if let Some(last) = branches.last_mut() {
            last.1 = 1.0;
        }
        Routing { branches }
    }

    /// Destinations and their probabilities.
    pub fn probabilities(&self) -> impl Iterator<Item = (Destination, f64)> + '_ {
        let mut previous = 0.0;
        self.branches.iter().map(move |&(d, c)| {
            let p = c - previous;
            previous = c;
            (d, p)
        })
    }

    /// Draws the next destination.
    #[inline]
    pub fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> Destination {
        let u = sampling::uniform01(rng);
        for &(destination, cumulative) in &self.branches {
            if u < cumulative {
                return destination;
            }
        }
        self.branches
            .last()
            .expect("a routing has at least one branch")
            .0
    }
}
