//! The ordered event queue: virtual time first, then insertion order, so two
//! events at the same microsecond always run in the order they were scheduled.
//!
//! Most events are scheduled a fixed delay after "now" (a loopback hop, a
//! network hop, a per-try timeout). Because "now" never goes backwards, events
//! with the same delay arrive already in order, so each common delay gets a
//! FIFO lane with O(1) push and pop; other events go to a binary heap. Popping
//! takes the smallest `(time, seq)` across lanes and heap, which is exactly
//! the order a single heap would give. The lanes' fronts sit in a small heap
//! of their own, so that choice looks at two tops instead of every lane.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// Virtual time in integer microseconds since the start of a run.
pub type Micros = u64;

/// How many distinct delays get their own lane; the rest share the heap.
const MAX_LANES: usize = 16;

/// Orders by time, then by insertion. Two `u64`s rather than one `u128`, so
/// an entry is 8-aligned and the queue moves less memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    time: Micros,
    seq: u64,
}

#[derive(Clone)]
struct Entry<E> {
    key: Key,
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

fn key(time: Micros, seq: u64) -> Key {
    Key { time, seq }
}

/// A non-empty lane's first key, in the small heap that finds the earliest lane.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Front {
    key: Key,
    lane: u8,
}

impl PartialOrd for Front {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Front {
    // Reversed, as for entries: the earliest front on top.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// Slots in the delay → lane cache (a power of two).
const SLOTS: usize = 64;

fn slot_of(delay: Micros) -> usize {
    // Fibonacci hashing: the top bits of a multiply spread nearby delays.
    (delay.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize
}

/// A min-queue of events keyed by `(time, insertion sequence)`.
#[derive(Clone)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    /// The fixed delay of each lane, and (same index) the lane itself.
    delays: Vec<Micros>,
    lanes: Vec<VecDeque<Entry<E>>>,
    /// The front of each non-empty lane, so that finding the next event
    /// looks at two tops (this heap's and the main heap's) rather than
    /// scanning every lane; popping re-sifts at most log2(lanes) levels.
    fronts: BinaryHeap<Front>,
    /// Which lane a delay has, by a hash of the delay, so most pushes find
    /// their lane with one look rather than a scan of `delays`: `0` is
    /// "not known", otherwise the lane's index plus one.
    slot: [u8; SLOTS],
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
            delays: Vec::new(),
            lanes: Vec::new(),
            fronts: BinaryHeap::with_capacity(MAX_LANES),
            slot: [0; SLOTS],
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

    /// The lane for `delay`, making one if there is room.
    #[inline]
    fn lane(&mut self, delay: Micros) -> Option<usize> {
        let h = slot_of(delay);
        if let Some(i) = (self.slot[h] as usize).checked_sub(1)
            && self.delays[i] == delay
        {
            return Some(i);
        }
        let i = match self.delays.iter().position(|d| *d == delay) {
            Some(i) => i,
            None if self.lanes.len() < MAX_LANES => {
                self.delays.push(delay);
                self.lanes.push(VecDeque::new());
                self.lanes.len() - 1
            }
            None => return None,
        };
        self.slot[h] = i as u8 + 1;
        Some(i)
    }

    /// Schedules `event` `delay` after `now`. Callers must not move `now`
    /// backwards between calls (the engine's clock never does).
    #[inline]
    pub fn push_after(&mut self, now: Micros, delay: Micros, event: E) {
        let time = now.saturating_add(delay);
        if now < self.last_base {
            // Out-of-order base: keep correctness by using the heap.
            self.push(time, event);
            return;
        }
        self.last_base = now;
        let lane = self.lane(delay);
        let seq = self.seq();
        let k = key(time, seq);
        let entry = Entry { key: k, event };
        match lane {
            Some(i) => {
                if self.lanes[i].is_empty() {
                    self.fronts.push(Front {
                        key: k,
                        lane: i as u8,
                    });
                }
                self.lanes[i].push_back(entry);
            }
            None => self.heap.push(entry),
        }
    }

    /// Where the smallest entry is: `None` for the heap, `Some(i)` for lane `i`.
    #[inline]
    fn min_source(&self) -> Option<(Key, Option<usize>)> {
        match (self.heap.peek(), self.fronts.peek()) {
            (Some(h), Some(f)) if h.key < f.key => Some((h.key, None)),
            (_, Some(f)) => Some((f.key, Some(f.lane as usize))),
            (Some(h), None) => Some((h.key, None)),
            (None, None) => None,
        }
    }

    /// Removes the entry at `src` (from [`Self::min_source`]).
    #[inline]
    fn take(&mut self, src: Option<usize>) -> Option<(Micros, E)> {
        let e = match src {
            None => self.heap.pop()?,
            Some(i) => {
                // Lane `i` is the one on top of `fronts`.
                let e = self.lanes[i].pop_front()?;
                match self.lanes[i].front() {
                    Some(next) => {
                        if let Some(mut top) = self.fronts.peek_mut() {
                            top.key = next.key;
                        }
                    }
                    None => {
                        self.fronts.pop();
                    }
                }
                e
            }
        };
        self.len -= 1;
        Some((e.key.time, e.event))
    }

    #[inline]
    pub fn pop(&mut self) -> Option<(Micros, E)> {
        let (_, src) = self.min_source()?;
        self.take(src)
    }

    /// The next event if it comes strictly before `time`: one look, cheaper
    /// than peeking and then popping.
    #[inline]
    pub fn pop_before(&mut self, time: Micros) -> Option<(Micros, E)> {
        let (k, src) = self.min_source()?;
        if k.time >= time {
            return None;
        }
        self.take(src)
    }

    /// The time of the next event, without removing it.
    pub fn peek_time(&self) -> Option<Micros> {
        self.min_source().map(|(k, _)| k.time)
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
