//! Delayed discharges: bed-days held by patients fit to move on, by (held at, awaiting).

use crate::model::ServiceId;
use crate::results::DelayResult;

/// Time integrals of the number of blocked patients for every (held at, awaiting) pair.
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
            cells: vec![DelayCell::default(); services * services],
        }
    }

    fn cell(&mut self, held_at: ServiceId, awaiting: ServiceId) -> &mut DelayCell {
        &mut self.cells[held_at.index() * self.services + awaiting.index()]
    }

    /// A patient in `held_at` becomes blocked waiting for `awaiting`.
    pub(crate) fn block(
        &mut self,
        held_at: ServiceId,
        awaiting: ServiceId,
        now: f64,
        observing: bool,
    ) {
        let c = self.cell(held_at, awaiting);
        c.advance(now);
        c.blocked += 1;
        if observing {
            c.patients += 1;
        }
    }

    /// A patient blocked in `held_at` waiting for `awaiting` moves on.
    pub(crate) fn release(&mut self, held_at: ServiceId, awaiting: ServiceId, now: f64) {
        let c = self.cell(held_at, awaiting);
        c.advance(now);
        c.blocked -= 1;
    }

    /// The services that patients blocked in `held_at` are waiting for.
    pub(crate) fn awaited_from(&self, held_at: usize) -> impl Iterator<Item = usize> + '_ {
        let row = &self.cells[held_at * self.services..(held_at + 1) * self.services];
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

    /// Closes the window at `now`. `still_blocked` lists the pairs of patients blocked at the
    /// end; it is used to check the ledger's counts.
    pub(crate) fn finish(
        &mut self,
        still_blocked: &[(ServiceId, ServiceId)],
        now: f64,
    ) -> Vec<DelayResult> {
        debug_assert_eq!(
            self.cells.iter().map(|c| c.blocked as usize).sum::<usize>(),
            still_blocked.len(),
            "the ledger counts every blocked patient"
        );
        let n = self.services;
        self.cells
            .iter_mut()
            .enumerate()
            .filter_map(|(i, c)| {
                c.advance(now);
                (c.bed_days > 0.0 || c.patients > 0).then(|| DelayResult {
                    held_at: ServiceId((i / n) as u32),
                    awaiting: ServiceId((i % n) as u32),
                    bed_days: c.bed_days,
                    patients: c.patients,
                })
            })
            .collect()
    }
}
