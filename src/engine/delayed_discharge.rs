//! Delayed discharges: bed-days held by patients fit to move on, by (held at, awaiting,
//! reason). In-bed assessments have no service awaited: the service state counts them.

use crate::model::ServiceId;
use crate::results::{DelayReason, DelayResult};

/// Time integrals of the number of waiting patients for every (held at, awaiting, reason).
#[derive(Debug)]
pub(crate) struct DelayLedger {
    services: usize,
    cells: Vec<DelayCell>,
}

#[derive(Debug, Clone, Copy, Default)]
struct DelayCell {
    blocked: u32,
    last_change: f64,
    bed_days: f64,
    patients: u64,
}

impl DelayCell {
    fn advance(&mut self, now: f64) {
        self.bed_days += f64::from(self.blocked) * (now - self.last_change);
        self.last_change = now;
    }
}

impl DelayLedger {
    pub(crate) fn new(services: usize) -> Self {
        DelayLedger {
            services,
            cells: vec![DelayCell::default(); 2 * services * services],
        }
    }

    fn index(&self, held_at: usize, awaiting: usize, reason: DelayReason) -> usize {
        let layer = match reason {
            DelayReason::Place => 0,
            DelayReason::Funding => 1,
        };
        (layer * self.services + held_at) * self.services + awaiting
    }

    fn cell(
        &mut self,
        held_at: ServiceId,
        awaiting: ServiceId,
        reason: DelayReason,
    ) -> &mut DelayCell {
        let i = self.index(held_at.index(), awaiting.index(), reason);
        &mut self.cells[i]
    }

    /// A patient in `held_at` starts waiting for `awaiting`, for `reason`.
    pub(crate) fn block(
        &mut self,
        held_at: ServiceId,
        awaiting: ServiceId,
        reason: DelayReason,
        now: f64,
        observing: bool,
    ) {
        let c = self.cell(held_at, awaiting, reason);
        c.advance(now);
        c.blocked += 1;
        if observing {
            c.patients += 1;
        }
    }

    /// A patient in `held_at` stops waiting for `awaiting`, for `reason`.
    pub(crate) fn release(
        &mut self,
        held_at: ServiceId,
        awaiting: ServiceId,
        reason: DelayReason,
        now: f64,
    ) {
        let c = self.cell(held_at, awaiting, reason);
        c.advance(now);
        c.blocked -= 1;
    }

    /// The services that patients blocked in `held_at` are waiting for a place at (a wait for
    /// funding cannot deadlock: money frees up with time).
    pub(crate) fn awaited_from(&self, held_at: usize) -> impl Iterator<Item = usize> + '_ {
        let start = self.index(held_at, 0, DelayReason::Place);
        let row = &self.cells[start..start + self.services];
        row.iter()
            .enumerate()
            .filter(|(_, c)| c.blocked > 0)
            .map(|(i, _)| i)
    }

    /// Restarts the statistics at `now` (end of warm-up); patients still blocked stay counted.
    pub(crate) fn open_window(&mut self, now: f64) {
        for c in &mut self.cells {
            c.advance(now);
            c.bed_days = 0.0;
            c.patients = 0;
        }
    }

    /// Closes the window at `now`. `still_waiting` counts the patients still waiting in a bed
    /// (for a place or funding) at the end; it is used to check the ledger's counts. Results
    /// are ordered by reason, then holding service, then service awaited.
    pub(crate) fn finish(&mut self, still_waiting: usize, now: f64) -> Vec<DelayResult> {
        debug_assert_eq!(
            self.cells.iter().map(|c| c.blocked as usize).sum::<usize>(),
            still_waiting,
            "the ledger counts every waiting patient"
        );
        let n = self.services;
        self.cells
            .iter_mut()
            .enumerate()
            .filter_map(|(i, c)| {
                c.advance(now);
                let reason = DelayReason::ALL[i / (n * n)];
                let i = i % (n * n);
                (c.bed_days > 0.0 || c.patients > 0).then(|| DelayResult {
                    held_at: ServiceId((i / n) as u32),
                    awaiting: ServiceId((i % n) as u32),
                    reason,
                    bed_days: c.bed_days,
                    patients: c.patients,
                })
            })
            .collect()
    }
}
