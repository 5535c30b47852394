//! Per-message timestamps and the run's counters, shared by every socket task of a run.

use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use crate::stats::ErrorCounters;

/// Per-message timestamps and the run's counters.
pub(super) struct Tracker {
    base: Instant,
    /// `bench-<run>-`: the prefix of every client id and text of this run.
    pub(super) prefix: String,
    pub(super) next: AtomicUsize,
    /// Nanoseconds since `base` (+1, so 0 means "not yet").
    pub(super) sent_at: Vec<AtomicU64>,
    pub(super) acked_at: Vec<AtomicU64>,
    pub(super) first_operator_at: Vec<AtomicU64>,
    /// When operator #0 first showed the message: its `message_arriving` or, without one,
    /// its `message_created`.
    pub(super) first_shown_at: Vec<AtomicU64>,
    /// How many operator sockets saw each message.
    pub(super) deliveries: Vec<AtomicU32>,
    pub(super) sent: AtomicU64,
    pub(super) acked: AtomicU64,
    pub(super) delivered: AtomicU64,
    pub(super) deliveries_total: AtomicU64,
    pub(super) duplicates: AtomicU64,
    pub(super) max_lag_ns: AtomicU64,
    pub(super) errors: ErrorCounters,
}

impl Tracker {
    pub(super) fn new(capacity: usize) -> Self {
        let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros());
        let zeros = |n| (0..n).map(|_| AtomicU64::new(0)).collect::<Vec<_>>();
        Tracker {
            base: Instant::now(),
            prefix: format!("bench-{run:x}-"),
            next: AtomicUsize::new(0),
            sent_at: zeros(capacity),
            acked_at: zeros(capacity),
            first_operator_at: zeros(capacity),
            first_shown_at: zeros(capacity),
            deliveries: (0..capacity).map(|_| AtomicU32::new(0)).collect(),
            sent: AtomicU64::new(0),
            acked: AtomicU64::new(0),
            delivered: AtomicU64::new(0),
            deliveries_total: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
            max_lag_ns: AtomicU64::new(0),
            errors: ErrorCounters::default(),
        }
    }

    pub(super) fn now(&self) -> u64 {
        (self.base.elapsed().as_nanos() as u64).max(1)
    }

    /// The next message number, `None` when the run's budget is used up.
    pub(super) fn allocate(&self) -> Option<usize> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        (n < self.sent_at.len()).then_some(n)
    }

    /// The message number in a client id or text of this run.
    pub(super) fn message_number(&self, client_id: Option<&str>, text: &str) -> Option<usize> {
        let from = |s: &str| {
            let token = s.split_whitespace().next()?;
            token.strip_prefix(self.prefix.as_str())?.parse::<usize>().ok()
        };
        client_id.and_then(from).or_else(|| from(text)).filter(|&n| n < self.sent_at.len())
    }

    /// Records an arrival; returns false for a repeat.
    fn stamp(slot: &AtomicU64, now: u64) -> bool {
        slot.compare_exchange(0, now, Ordering::AcqRel, Ordering::Relaxed).is_ok()
    }

    pub(super) fn on_echo(&self, n: usize) {
        if Self::stamp(&self.acked_at[n], self.now()) {
            self.acked.fetch_add(1, Ordering::Relaxed);
        } else {
            self.duplicates.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(super) fn on_delivery(&self, n: usize, primary: bool, seen: &mut [bool]) {
        let now = self.now();
        if seen[n] {
            self.duplicates.fetch_add(1, Ordering::Relaxed);
            return;
        }
        seen[n] = true;
        self.deliveries_total.fetch_add(1, Ordering::Relaxed);
        self.deliveries[n].fetch_add(1, Ordering::Relaxed);
        if primary && Self::stamp(&self.first_operator_at[n], now) {
            self.delivered.fetch_add(1, Ordering::Relaxed);
            Self::stamp(&self.first_shown_at[n], now);
        }
    }

    /// A `message_arriving` at an operator socket: the message is on screen, not stored.
    pub(super) fn on_arriving(&self, n: usize, primary: bool) {
        if primary {
            Self::stamp(&self.first_shown_at[n], self.now());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_numbers_come_from_client_id_or_text_of_this_run_only() {
        let t = Tracker::new(100);
        let id = format!("{}42", t.prefix);
        assert_eq!(t.message_number(Some(&id), "whatever"), Some(42));
        assert_eq!(t.message_number(None, &format!("{id} load test message")), Some(42));
        assert_eq!(t.message_number(Some("bench-other-42"), "hello"), None);
        // Out of range numbers are ignored rather than indexing past the tables.
        assert_eq!(t.message_number(Some(&format!("{}100", t.prefix)), ""), None);
    }

    #[test]
    fn deliveries_count_once_per_socket() {
        let t = Tracker::new(4);
        let mut seen_a = vec![false; 4];
        let mut seen_b = vec![false; 4];
        t.on_delivery(1, true, &mut seen_a);
        t.on_delivery(1, true, &mut seen_a);
        t.on_delivery(1, false, &mut seen_b);
        assert_eq!(t.delivered.load(Ordering::Relaxed), 1);
        assert_eq!(t.deliveries_total.load(Ordering::Relaxed), 2);
        assert_eq!(t.duplicates.load(Ordering::Relaxed), 1);
        assert_eq!(t.deliveries[1].load(Ordering::Relaxed), 2);
    }
}
