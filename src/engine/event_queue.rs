//! The future-event list.
//!
//! # Ordering guarantee
//!
//! Events come out in order of time; events at the same time come out in the order they were
//! scheduled (first in, first out), because each carries an insertion sequence number that
//! breaks ties. Times are finite and non-negative (checked when scheduling), so their bit
//! patterns order like the numbers and the order is total and the same on every run and
//! platform.
//!
//! # Layout
//!
//! Each arrival stream has at most one pending arrival, so arrivals wait in a slot per stream
//! rather than in the heap: the heap holds only the other events (mostly ends of stays),
//! and taking the next event compares the heap's top with the earliest slot. Both carry
//! sequence numbers from the same counter, so the order is exactly that of a single heap.

use super::PatientId;
use crate::model::{ServiceId, StreamId};
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
    /// A service's escalation places open (after the delay since they were called for).
    EscalationOpen(ServiceId),
    /// The weekly bookings of elective list `i` are due.
    Electives(u32),
    /// A cancelled elective patient's rebooked admission is due.
    Rebook(PatientId),
    /// Pending readmission `i` arrives.
    Readmission(u32),
    /// Pending patience `i` runs out: the patient gives up, if still waiting.
    Renege(u32),
    /// A financial year starts (1 April): money books close, care budgets renew.
    FinancialYear,
    /// A day begins at the services counted in visits: booked packages start.
    VisitDay,
    /// Packages booked at a service counted in visits for today, after today's began, start.
    VisitStarts(ServiceId),
}

/// The ordering key of an event: the bits of its (non-negative) time, then its sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    time_bits: u64,
    seq: u64,
}

impl Key {
    fn time(self) -> f64 {
        f64::from_bits(self.time_bits)
    }
}

/// A scheduled event. Small and `Copy`: the heap moves them around a lot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Event {
    pub(crate) time: f64,
    pub(crate) kind: EventKind,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    key: Key,
    kind: EventKind,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest event first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// Width of a time bucket, days: an hour.
const BUCKET_WIDTH: f64 = 1.0 / 24.0;
/// Buckets held in the ring beyond the current one (about 43 days); later events wait in a
/// heap of their own.
const RING: usize = 1024;

/// Sorts a bucket's events latest first ([`Entry`]'s order is reversed): by insertion, inline,
/// since a bucket holds a handful of events; a crowded one by the library's sort.
#[inline]
fn sort_latest_first(events: &mut [Entry]) {
    if events.len() > 16 {
        events.sort_unstable();
        return;
    }
    for i in 1..events.len() {
        let entry = events[i];
        let mut j = i;
        while j > 0 && events[j - 1] > entry {
            events[j] = events[j - 1];
            j -= 1;
        }
        events[j] = entry;
    }
}

/// The ring's buckets, kept between replications by a [`Workspace`](super::Workspace): a
/// replication otherwise allocates about a thousand small buffers before it has filled them.
pub(crate) type Buckets = Vec<Vec<Entry>>;

/// Events ordered by (time, insertion sequence).
///
/// A two-level calendar: events of the current hour-long bucket (and earlier) sit in a short
/// vector sorted latest first, so the next event is its last; those of the next 1024 buckets
/// in unsorted vectors, one per bucket; anything later in a far heap. When the current bucket
/// runs dry the next non-empty one is sorted and becomes current. A bucket index is
/// `floor(time / width)`, monotone in time, so every event in a later bucket is later than
/// every event of the current one, and within it the full key decides: the order is exactly
/// that of a single heap keyed by (time, sequence). A bucket holds a handful of events, so
/// sorting it and popping from its end costs less than a heap's sifting.
#[derive(Debug)]
pub(crate) struct EventQueue {
    /// Events of buckets up to `bucket`, sorted by [`Entry`]'s (reversed) order: latest first.
    near: Vec<Entry>,
    /// Events of buckets `bucket + 1 ..= bucket + RING`, at index `bucket % RING`.
    ring: Vec<Vec<Entry>>,
    /// Events in the ring.
    ring_len: usize,
    /// Events beyond the ring.
    far: BinaryHeap<Entry>,
    /// The current bucket.
    bucket: u64,
    /// The pending arrival of each stream, if any.
    arrivals: Vec<Option<Key>>,
    /// The stream whose pending arrival is earliest, if any.
    next_arrival: Option<usize>,
    next_seq: u64,
}

fn bucket_of(time_bits: u64) -> u64 {
    (f64::from_bits(time_bits) * (1.0 / BUCKET_WIDTH)) as u64
}

impl EventQueue {
    /// An empty queue for `streams` arrival streams, its ring made of `buckets` (emptied)
    /// when they are a ring's worth, else of new ones.
    pub(crate) fn new(capacity: usize, streams: usize, mut buckets: Buckets) -> Self {
        if buckets.len() == RING {
            for bucket in &mut buckets {
                bucket.clear();
            }
        } else {
            buckets = vec![Vec::new(); RING];
        }
        EventQueue {
            near: Vec::with_capacity(capacity),
            ring: buckets,
            ring_len: 0,
            far: BinaryHeap::new(),
            bucket: 0,
            arrivals: vec![None; streams],
            next_arrival: None,
            next_seq: 0,
        }
    }

    #[inline(always)]
    fn key(&mut self, time: f64) -> Key {
        // NaN is in no range.
        assert!(
            (0.0..f64::INFINITY).contains(&time),
            "event times should be finite and non-negative: stays and gaps are validated"
        );
        let seq = self.next_seq;
        self.next_seq += 1;
        // Adding +0.0 turns -0.0 into +0.0, whose bits order correctly.
        Key {
            time_bits: (time + 0.0).to_bits(),
            seq,
        }
    }

    /// Takes the ring's buckets, with whatever events they hold, for the next replication.
    pub(crate) fn take_buckets(&mut self) -> Buckets {
        self.ring_len = 0;
        std::mem::take(&mut self.ring)
    }

    /// Schedules `kind` at `time`. Arrivals go through [`schedule_arrival`](Self::schedule_arrival).
    #[inline(always)]
    pub(crate) fn schedule(&mut self, time: f64, kind: EventKind) {
        debug_assert!(!matches!(kind, EventKind::Arrival(_)));
        let key = self.key(time);
        let entry = Entry { key, kind };
        let b = bucket_of(key.time_bits);
        if b <= self.bucket {
            // Behind every later key: keys are unique, so the place is exact.
            let at = self.near.partition_point(|e| e.key > key);
            self.near.insert(at, entry);
        } else if b - self.bucket <= RING as u64 {
            self.ring[(b % RING as u64) as usize].push(entry);
            self.ring_len += 1;
        } else {
            self.far.push(entry);
        }
    }

    /// Schedules the next arrival of `stream`, which must have none pending.
    #[inline]
    pub(crate) fn schedule_arrival(&mut self, time: f64, stream: StreamId) {
        let key = self.key(time);
        let slot = &mut self.arrivals[stream.index()];
        debug_assert!(slot.is_none(), "a stream has at most one pending arrival");
        *slot = Some(key);
        match self.next_arrival {
            Some(i) if self.arrivals[i].is_some_and(|k| k < key) => {}
            _ => self.next_arrival = Some(stream.index()),
        }
    }

    /// Makes `near` hold the earliest scheduled (non-arrival) event, if there is one, by
    /// moving to the next non-empty bucket.
    fn refill(&mut self) {
        while self.near.is_empty() {
            if self.ring_len == 0 {
                // Jump straight to the far heap's first bucket.
                let Some(first) = self.far.peek() else {
                    return;
                };
                self.bucket = self.bucket.max(bucket_of(first.key.time_bits) - 1);
            }
            self.bucket += 1;
            let slot = (self.bucket % RING as u64) as usize;
            // The bucket becomes current; the empty current vector, with its allocation,
            // takes its place in the ring.
            std::mem::swap(&mut self.near, &mut self.ring[slot]);
            self.ring_len -= self.near.len();
            // Far events now inside the ring's reach move into it (or into the heap).
            while let Some(e) = self.far.peek() {
                let b = bucket_of(e.key.time_bits);
                if b - self.bucket > RING as u64 {
                    break;
                }
                let e = self.far.pop().expect("peeked");
                if b <= self.bucket {
                    self.near.push(e);
                } else {
                    self.ring[(b % RING as u64) as usize].push(e);
                    self.ring_len += 1;
                }
            }
            sort_latest_first(&mut self.near);
        }
    }

    /// Removes and returns the earliest event if it is before `limit`.
    // Always inlined: once per event, and with the engine compiled twice (see `rules`) the
    // compiler no longer inlined it on its own.
    #[inline(always)]
    pub(crate) fn pop_before(&mut self, limit: f64) -> Option<Event> {
        if self.near.is_empty() {
            self.refill();
        }
        let arrival = self
            .next_arrival
            .and_then(|i| self.arrivals[i].map(|key| (i, key)));
        let top = self.near.last().map(|e| e.key);
        let from_heap = match (top, arrival) {
            (None, None) => return None,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(top), Some((_, key))) => top < key,
        };
        if from_heap {
            let entry = self.near.last().expect("the bucket has a next event");
            if entry.key.time() >= limit {
                return None;
            }
            let entry = self.near.pop().expect("the bucket has a next event");
            Some(Event {
                time: entry.key.time(),
                kind: entry.kind,
            })
        } else {
            let (stream, key) = arrival.expect("an arrival is pending");
            if key.time() >= limit {
                return None;
            }
            self.arrivals[stream] = None;
            self.next_arrival = self
                .arrivals
                .iter()
                .enumerate()
                .filter_map(|(i, k)| k.map(|k| (k, i)))
                .min()
                .map(|(_, i)| i);
            Some(Event {
                time: key.time(),
                kind: EventKind::Arrival(StreamId(stream as u32)),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_break_in_insertion_order() {
        let mut q = EventQueue::new(8, 2, Vec::new());
        q.schedule(2.0, EventKind::DayEnd);
        q.schedule(1.0, EventKind::CapacityChange(0));
        q.schedule_arrival(1.0, StreamId(1));
        q.schedule(1.0, EventKind::CapacityChange(1));
        q.schedule_arrival(1.0, StreamId(0));
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
                EventKind::Arrival(StreamId(1)),
                EventKind::CapacityChange(1),
                EventKind::Arrival(StreamId(0)),
                EventKind::CapacityChange(2),
                EventKind::DayEnd
            ]
        );
    }

    #[test]
    fn events_at_or_after_the_limit_stay_queued() {
        let mut q = EventQueue::new(8, 1, Vec::new());
        q.schedule(5.0, EventKind::DayEnd);
        q.schedule_arrival(6.0, StreamId(0));
        assert!(q.pop_before(5.0).is_none());
        assert!(q.pop_before(5.1).is_some());
        assert!(q.pop_before(6.0).is_none());
        assert!(matches!(
            q.pop_before(6.1).map(|e| e.kind),
            Some(EventKind::Arrival(_))
        ));
    }

    /// Against a plain sort by (time, sequence): near, ring and far events, ties, and
    /// events scheduled while popping.
    #[test]
    fn the_calendar_pops_in_key_order() {
        use crate::sampling::{below, uniform01};
        let mut rng = crate::rng::seeded(5);
        let mut q = EventQueue::new(8, 0, Vec::new());
        let mut expected: Vec<(f64, u64)> = Vec::new();
        let mut seq = 0;
        let mut push = |q: &mut EventQueue, t: f64, expected: &mut Vec<(f64, u64)>| {
            q.schedule(t, EventKind::CapacityChange(seq as u32));
            expected.push((t, seq));
            seq += 1;
        };
        for _ in 0..2_000 {
            let t = match below(&mut rng, 4) {
                0 => uniform01(&mut rng) * 0.04,
                1 => uniform01(&mut rng) * 10.0,
                2 => 100.0 + uniform01(&mut rng) * 1_900.0,
                _ => below(&mut rng, 50) as f64,
            };
            push(&mut q, t, &mut expected);
        }
        let mut got = Vec::new();
        let mut now = 0.0;
        while let Some(e) = q.pop_before(f64::INFINITY) {
            assert!(e.time >= now);
            now = e.time;
            let EventKind::CapacityChange(s) = e.kind else {
                unreachable!()
            };
            got.push((e.time, u64::from(s)));
            if got.len() % 7 == 0 && got.len() < 3_000 {
                let t = now + uniform01(&mut rng) * 300.0;
                push(&mut q, t, &mut expected);
                push(&mut q, now, &mut expected);
            }
        }
        expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        assert_eq!(got, expected);
    }

    #[test]
    fn negative_zero_orders_as_zero() {
        let mut q = EventQueue::new(8, 0, Vec::new());
        q.schedule(1e-300, EventKind::DayEnd);
        q.schedule(-0.0, EventKind::WarmupEnd);
        assert_eq!(q.pop_before(1.0).unwrap().kind, EventKind::WarmupEnd);
    }
}
