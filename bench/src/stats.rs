//! Latency percentiles and the counters every run shares.
//!
//! Percentiles use the nearest-rank method on a sorted sample: the p-th percentile is the
//! smallest value such that at least p % of the samples are less than or equal to it. The
//! sample sizes here (tens of thousands) make a sorted `Vec` cheaper and exact compared with
//! a histogram.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

/// The nearest-rank percentile `p` (0–100) of an ascending `sorted` slice, `None` when empty.
pub fn percentile(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let p = p.clamp(0.0, 100.0);
    // rank = ceil(p/100 * n), at least 1; index = rank - 1.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let index = rank.clamp(1, sorted.len()) - 1;
    Some(sorted[index])
}

/// A latency distribution in milliseconds (fractional), as printed in the report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencySummary {
    pub count: usize,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
}

impl LatencySummary {
    /// Summarises samples given in nanoseconds (any order).
    pub fn from_nanos(mut samples: Vec<u64>) -> Self {
        samples.sort_unstable();
        let ms = |v: Option<u64>| v.map(|ns| round3(ns as f64 / 1e6));
        let mean = if samples.is_empty() {
            None
        } else {
            let sum: u128 = samples.iter().map(|&v| v as u128).sum();
            Some(round3(sum as f64 / samples.len() as f64 / 1e6))
        };
        LatencySummary {
            count: samples.len(),
            p50: ms(percentile(&samples, 50.0)),
            p95: ms(percentile(&samples, 95.0)),
            p99: ms(percentile(&samples, 99.0)),
            max: ms(samples.last().copied()),
            mean,
        }
    }
}

/// Rounds to three decimals (microsecond resolution when the unit is milliseconds).
pub fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// `a / b`, or `None` when either is missing or `b` is zero.
pub fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(round3(a / b)),
        _ => None,
    }
}

/// Network and protocol failures, counted instead of aborting the run.
#[derive(Debug, Default)]
pub struct ErrorCounters {
    /// HTTP requests (visitor creation, login) that failed or answered an error status.
    pub http: AtomicU64,
    /// TCP connects or WebSocket handshakes that failed.
    pub connect: AtomicU64,
    /// Frames that could not be written.
    pub send: AtomicU64,
    /// Read errors and sockets the server closed before the run ended.
    pub receive: AtomicU64,
    /// `{"type":"error"}` events from the server, or frames that did not parse.
    pub protocol: AtomicU64,
    /// Handshakes or resumes that did not finish in time.
    pub timeout: AtomicU64,
}

/// A plain snapshot of [`ErrorCounters`] for the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    pub http: u64,
    pub connect: u64,
    pub send: u64,
    pub receive: u64,
    pub protocol: u64,
    pub timeout: u64,
    pub total: u64,
}

impl ErrorCounters {
    /// Adds one to a counter.
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The current values.
    pub fn report(&self) -> ErrorReport {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut r = ErrorReport {
            http: get(&self.http),
            connect: get(&self.connect),
            send: get(&self.send),
            receive: get(&self.receive),
            protocol: get(&self.protocol),
            timeout: get(&self.timeout),
            total: 0,
        };
        r.total = r.http + r.connect + r.send + r.receive + r.protocol + r.timeout;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_of_empty_is_none() {
        assert_eq!(percentile(&[], 50.0), None);
        let s = LatencySummary::from_nanos(vec![]);
        assert_eq!(s.count, 0);
        assert_eq!(s.p99, None);
        assert_eq!(s.mean, None);
    }

    #[test]
    fn percentile_uses_nearest_rank() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), Some(50));
        assert_eq!(percentile(&v, 95.0), Some(95));
        assert_eq!(percentile(&v, 99.0), Some(99));
        assert_eq!(percentile(&v, 100.0), Some(100));
        assert_eq!(percentile(&v, 0.0), Some(1));

        let small = [10, 20, 30, 40];
        assert_eq!(percentile(&small, 50.0), Some(20));
        assert_eq!(percentile(&small, 51.0), Some(30));
        assert_eq!(percentile(&small, 99.0), Some(40));
        assert_eq!(percentile(&[7], 99.0), Some(7));
    }

    #[test]
    fn percentile_clamps_out_of_range_p() {
        let v = [1, 2, 3];
        assert_eq!(percentile(&v, -5.0), Some(1));
        assert_eq!(percentile(&v, 150.0), Some(3));
    }

    #[test]
    fn summary_sorts_and_converts_to_ms() {
        // 1..=1000 microseconds, shuffled by reversal.
        let samples: Vec<u64> = (1..=1000u64).rev().map(|us| us * 1_000).collect();
        let s = LatencySummary::from_nanos(samples);
        assert_eq!(s.count, 1000);
        assert_eq!(s.p50, Some(0.5));
        assert_eq!(s.p95, Some(0.95));
        assert_eq!(s.p99, Some(0.99));
        assert_eq!(s.max, Some(1.0));
        assert!((s.mean.unwrap() - 0.5005).abs() < 0.001);
    }

    #[test]
    fn ratio_needs_both_sides() {
        assert_eq!(ratio(Some(3.0), Some(2.0)), Some(1.5));
        assert_eq!(ratio(Some(3.0), Some(0.0)), None);
        assert_eq!(ratio(None, Some(2.0)), None);
    }

    #[test]
    fn error_report_totals() {
        let c = ErrorCounters::default();
        ErrorCounters::bump(&c.send);
        ErrorCounters::bump(&c.send);
        ErrorCounters::bump(&c.http);
        let r = c.report();
        assert_eq!((r.send, r.http, r.total), (2, 1, 3));
    }
}
