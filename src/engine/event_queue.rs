//! The future-event list.
//!
//! # Ordering guarantee
//!
//! Events come out in order of time; events at the same time come out in the order they were
//! scheduled (first in, first out), because each carries an insertion sequence number that
//! breaks ties. Times are finite (checked when scheduling) and compared with `total_cmp`, so
//! the order is total and the same on every run and platform.

use super::PatientId;
use crate::model::StreamId;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// What happens at an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventKind {
    /// The next arrival of a stream.
    Arrival(StreamId),
    /// A patient's stay at their current service ends.
    EndOfStay(PatientId),
    /// Entry `i` of the model's capacity calendar applies.
    CapacityChange(u32),
    /// The end of a simulated day: closes the daily series.
    DayEnd,
    /// The end of the warm-up: statistics restart.
    WarmupEnd,
}

/// A scheduled event. Small and `Copy`: the heap moves them around a lot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Event {
    pub(crate) time: f64,
    seq: u64,
    pub(crate) kind: EventKind,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Event {}

impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Event {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest event first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .total_cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Events ordered by (time, insertion sequence).
#[derive(Debug, Default)]
pub(crate) struct EventQueue {
    heap: BinaryHeap<Event>,
    next_seq: u64,
}

impl EventQueue {
    pub(crate) fn with_capacity(n: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(n),
            next_seq: 0,
        }
    }

    /// Schedules `kind` at `time`.
    #[inline]
    pub(crate) fn schedule(&mut self, time: f64, kind: EventKind) {
        assert!(
            time.is_finite(),
            "event times should be finite: lengths of stay and inter-arrival times are validated"
        );
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Event { time, seq, kind });
    }

    /// Removes and returns the earliest event if it is before `limit`.
    #[inline]
    pub(crate) fn pop_before(&mut self, limit: f64) -> Option<Event> {
        match self.heap.peek() {
            Some(e) if e.time < limit => self.heap.pop(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_break_in_insertion_order() {
        let mut q = EventQueue::default();
        q.schedule(2.0, EventKind::DayEnd);
        q.schedule(1.0, EventKind::CapacityChange(0));
        q.schedule(1.0, EventKind::CapacityChange(1));
        q.schedule(1.0, EventKind::CapacityChange(2));
        q.schedule(0.5, EventKind::WarmupEnd);
        let order: Vec<EventKind> = std::iter::from_fn(|| q.pop_before(f64::INFINITY))
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            order,
            vec![
                EventKind::WarmupEnd,
                EventKind::CapacityChange(0),
                EventKind::CapacityChange(1),
                EventKind::CapacityChange(2),
                EventKind::DayEnd
            ]
        );
    }

    #[test]
    fn events_at_or_after_the_limit_stay_queued() {
        let mut q = EventQueue::default();
        q.schedule(5.0, EventKind::DayEnd);
        assert!(q.pop_before(5.0).is_none());
        assert!(q.pop_before(5.1).is_some());
    }
}
