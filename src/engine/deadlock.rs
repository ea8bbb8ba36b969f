//! Deadlock: circular blocking that no departure can ever release.
//!
//! A service is *stuck* when every place is taken by a patient blocked waiting for another
//! service (nobody there is still being cared for, so no stay will end) and its queue has no
//! room for those patients to move into. A set of stuck services deadlocks when every service
//! its patients wait for is itself in the set: then nobody in it can move until capacity
//! changes. The classic case: A full of patients waiting for B, B full of patients waiting
//! for A.
//!
//! At a service counted in hours, "every place taken" means that nobody waiting for it fits
//! in its free hours: neither the head of its queue nor, with the queue empty, the first
//! patient blocked waiting for it. Packages vary in size, so a service can be stuck with
//! hours to spare (and one with every hour taken may still take a package of 0 hours).

use super::delayed_discharge::DelayLedger;
use super::service_state::ServiceState;
use crate::model::ServiceId;

/// If the patients blocked in `start` are part of a deadlock, the services deadlocked, in
/// index order. `full(i)` says whether nobody waiting for service `i` fits in it now (every
/// place taken; for a service counted in hours, see the module docs).
pub(crate) fn find(
    start: ServiceId,
    services: &[ServiceState],
    delays: &DelayLedger,
    full: impl Fn(usize) -> bool,
) -> Option<Vec<ServiceId>> {
    let stuck = |i: usize| {
        let s = &services[i];
        full(i)
            && s.delayed_here == s.occupancy
            && s.occupancy > 0
            && !s.queue_has_room_for_transfer()
    };
    // Nearly always the service where a patient was just blocked still cares for someone:
    // answered before anything is allocated.
    if !stuck(start.index()) {
        return None;
    }
    // The closure of services awaited from `start`; all must be stuck.
    let mut in_set = vec![false; services.len()];
    let mut stack = vec![start.index()];
    in_set[start.index()] = true;
    while let Some(held) = stack.pop() {
        if !stuck(held) {
            return None;
        }
        for awaited in delays.awaited_from(held) {
            if !in_set[awaited] {
                in_set[awaited] = true;
                stack.push(awaited);
            }
        }
    }
    Some(
        (0..services.len())
            .filter(|&i| in_set[i])
            .map(|i| ServiceId(i as u32))
            .collect(),
    )
}
