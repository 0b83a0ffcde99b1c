//! The ordered event queue: virtual time first, then insertion order, so two
//! events at the same microsecond always run in the order they were scheduled.
//!
//! Most events are scheduled a fixed delay after "now" (a loopback hop, a
//! network hop, a per-try timeout). Because "now" never goes backwards, events
//! with the same delay arrive already in order, so each common delay gets a
//! FIFO lane with O(1) push and pop; other events go to a binary heap. Popping
//! takes the smallest `(time, seq)` across lanes and heap, which is exactly
//! the order a single heap would give.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// Virtual time in integer microseconds since the start of a run.
pub type Micros = u64;

/// How many distinct delays get their own lane; the rest share the heap.
const MAX_LANES: usize = 16;

struct Entry<E> {
    /// `time << 64 | seq`: one integer comparison orders by time, then insertion.
    key: u128,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // BinaryHeap is a max-heap; reverse so the earliest (time, seq) pops first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

fn key(time: Micros, seq: u64) -> u128 {
    (u128::from(time) << 64) | u128::from(seq)
}

/// A min-queue of events keyed by `(time, insertion sequence)`.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    lanes: Vec<(Micros, VecDeque<Entry<E>>)>,
    /// Time of the latest `push_after` base, to keep lanes sorted.
    last_base: Micros,
    next_seq: u64,
    len: usize,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl<E> EventQueue<E> {
    pub fn with_capacity(n: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(n),
            lanes: Vec::new(),
            last_base: 0,
            next_seq: 0,
            len: 0,
        }
    }

    fn seq(&mut self) -> u64 {
        let s = self.next_seq;
        self.next_seq += 1;
        self.len += 1;
        s
    }

    /// Schedules `event` at an absolute time.
    pub fn push(&mut self, time: Micros, event: E) {
        let seq = self.seq();
        self.heap.push(Entry {
            key: key(time, seq),
            event,
        });
    }

    /// Schedules `event` `delay` after `now`. Callers must not move `now`
    /// backwards between calls (the engine's clock never does).
    pub fn push_after(&mut self, now: Micros, delay: Micros, event: E) {
        let time = now.saturating_add(delay);
        if now < self.last_base {
            // Out-of-order base: keep correctness by using the heap.
            self.push(time, event);
            return;
        }
        self.last_base = now;
        let lane = match self.lanes.iter().position(|(d, _)| *d == delay) {
            Some(i) => Some(i),
            None if self.lanes.len() < MAX_LANES => {
                self.lanes.push((delay, VecDeque::new()));
                Some(self.lanes.len() - 1)
            }
            None => None,
        };
        let seq = self.seq();
        let entry = Entry {
            key: key(time, seq),
            event,
        };
        match lane {
            Some(i) => self.lanes[i].1.push_back(entry),
            None => self.heap.push(entry),
        }
    }

    /// Where the smallest entry is: `None` for the heap, `Some(i)` for lane `i`.
    fn min_source(&self) -> Option<(u128, Option<usize>)> {
        let mut best = self.heap.peek().map(|e| (e.key, None));
        for (i, (_, lane)) in self.lanes.iter().enumerate() {
            if let Some(e) = lane.front()
                && best.is_none_or(|(k, _)| e.key < k)
            {
                best = Some((e.key, Some(i)));
            }
        }
        best
    }

    pub fn pop(&mut self) -> Option<(Micros, E)> {
        let (_, src) = self.min_source()?;
        let e = match src {
            None => self.heap.pop()?,
            Some(i) => self.lanes[i].1.pop_front()?,
        };
        self.len -= 1;
        Some(((e.key >> 64) as Micros, e.event))
    }

    /// The time of the next event, without removing it.
    pub fn peek_time(&self) -> Option<Micros> {
        self.min_source().map(|(k, _)| (k >> 64) as Micros)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion_order() {
        let mut q = EventQueue::default();
        q.push(10, "c");
        q.push(5, "a");
        q.push(10, "d");
        q.push(5, "b");
        q.push(0, "start");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![(0, "start"), (5, "a"), (5, "b"), (10, "c"), (10, "d")]
        );
        assert!(q.is_empty());
    }

    #[test]
    fn lanes_pop_exactly_like_a_single_heap() {
        use std::cmp::Reverse;
        // A pseudo-random workload with more distinct delays than lanes; the
        // clock follows the popped events, as in the engine.
        let mut q = EventQueue::default();
        let mut plain = BinaryHeap::new();
        let (mut got, mut want) = (Vec::new(), Vec::new());
        let mut x: u64 = 12345;
        let (mut id, mut now) = (0u64, 0);
        for round in 0..3000 {
            for _ in 0..3 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let delay = (x >> 33) % 40 * 7;
                q.push_after(now, delay, id);
                plain.push(Reverse((now + delay, id)));
                id += 1;
            }
            if round % 2 == 0 {
                let a = q.pop();
                let b = plain.pop().map(|Reverse(p)| p);
                assert_eq!(a, b);
                if let Some((t, _)) = a {
                    now = t;
                }
                got.push(a);
                want.push(b);
            }
        }
        while let Some(a) = q.pop() {
            assert_eq!(Some(a), plain.pop().map(|Reverse(p)| p));
        }
        assert!(plain.is_empty() && q.is_empty());
    }
}
