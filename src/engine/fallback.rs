//! Fallback placements in progress: which (preferred, fallback) pairs exist, who holds
//! their places, and the counts and bed-days the results report.

use super::rules::RuleSet;
use super::service_state::ServiceState;
use crate::model::{Model, ServiceId, WaitFor};
use crate::results::FallbackResult;

/// One (preferred, fallback) pair's placements.
#[derive(Debug, Clone, Copy)]
struct Pair {
    preferred: ServiceId,
    fallback: ServiceId,
    /// Patients placed in the window.
    placed: u64,
    /// Patients holding a place now.
    inside: u32,
    /// Place-days held in the window up to `since`.
    bed_days: f64,
    since: f64,
}

/// The fallback pairs of a model, in the order of their preferred services then of each
/// list, with the lookups the engine needs.
#[derive(Debug, Default)]
pub(super) struct FallbackState {
    pairs: Vec<Pair>,
    /// Index of each service's first pair (meaningful where it has fallbacks).
    first_pair: Vec<u32>,
    /// For each service, the (preferred service, pair) of each preferred service that lists
    /// it as a fallback with `wait_for` `first_free`.
    overflow_from: Vec<Vec<(ServiceId, u32)>>,
}

impl FallbackState {
    pub(super) fn new(model: &Model) -> Self {
        let n = model.services().len();
        let mut state = FallbackState {
            pairs: Vec::new(),
            first_pair: vec![0; n],
            overflow_from: vec![Vec::new(); n],
        };
        for p in 0..n {
            let preferred = ServiceId(p as u32);
            let Some(rule) = model.fallbacks(preferred) else {
                continue;
            };
            state.first_pair[p] = state.pairs.len() as u32;
            for &fallback in rule.services() {
                if rule.wait_for() == WaitFor::FirstFree {
                    state.overflow_from[fallback.index()]
                        .push((preferred, state.pairs.len() as u32));
                }
                state.pairs.push(Pair {
                    preferred,
                    fallback,
                    placed: 0,
                    inside: 0,
                    bed_days: 0.0,
                    since: 0.0,
                });
            }
        }
        state
    }

    /// The first fallback of `preferred` with a free place for `need`, as a pair index.
    #[inline]
    pub(super) fn with_room(
        &self,
        preferred: ServiceId,
        services: &[ServiceState],
        need: f64,
    ) -> Option<u32> {
        if self.pairs.is_empty() {
            return None;
        }
        let first = self.first_pair[preferred.index()] as usize;
        self.pairs
            .get(first..)?
            .iter()
            .take_while(|p| p.preferred == preferred)
            .position(|p| services[p.fallback.index()].has_room(need))
            .map(|k| (first + k) as u32)
    }

    /// The service whose care a patient in a place at `here` receives: the preferred service
    /// while they hold a fallback's place (`pair`), else `here`. Under [`RuleSet`]s without
    /// the optional rules nobody holds one, and `pair` is not read.
    #[inline]
    pub(super) fn care_service<S: RuleSet>(&self, pair: Option<u32>, here: ServiceId) -> ServiceId {
        if !S::ALL {
            return here;
        }
        pair.map_or(here, |k| self.pairs[k as usize].preferred)
    }

    /// Whether the model has any fallback pairs.
    pub(super) fn any(&self) -> bool {
        !self.pairs.is_empty()
    }

    /// The (preferred, fallback) services of pair `pair`.
    pub(super) fn pair(&self, pair: u32) -> (ServiceId, ServiceId) {
        let p = &self.pairs[pair as usize];
        (p.preferred, p.fallback)
    }

    /// The (preferred service, pair) of each preferred service that lists `fallback` with
    /// `wait_for` `first_free`.
    #[inline]
    pub(super) fn overflow_from(&self, fallback: ServiceId) -> &[(ServiceId, u32)] {
        self.overflow_from
            .get(fallback.index())
            .map_or(&[], Vec::as_slice)
    }

    /// A patient takes a place of pair `pair` at `now`.
    pub(super) fn enter(&mut self, pair: u32, now: f64, observing: bool) {
        let p = &mut self.pairs[pair as usize];
        advance(p, now);
        p.inside += 1;
        if observing {
            p.placed += 1;
        }
    }

    /// A patient leaves a place of pair `pair` at `now`.
    pub(super) fn leave(&mut self, pair: u32, now: f64) {
        let p = &mut self.pairs[pair as usize];
        advance(p, now);
        p.inside -= 1;
    }

    /// The observation window opens at `now`: counts start again.
    pub(super) fn open_window(&mut self, now: f64) {
        for p in &mut self.pairs {
            p.placed = 0;
            p.bed_days = 0.0;
            p.since = now;
        }
    }

    /// Every pair's counts and bed-days over the window, which ends at `now`.
    pub(super) fn finish(&mut self, now: f64) -> Vec<FallbackResult> {
        self.pairs
            .iter_mut()
            .map(|p| {
                advance(p, now);
                FallbackResult {
                    preferred: p.preferred,
                    fallback: p.fallback,
                    patients: p.placed,
                    bed_days: p.bed_days,
                }
            })
            .collect()
    }
}

/// Adds the place-days held since the last change.
fn advance(p: &mut Pair, now: f64) {
    p.bed_days += f64::from(p.inside) * (now - p.since);
    p.since = now;
}
