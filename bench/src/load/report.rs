//! What `load` prints: the run's [`LoadReport`] (one JSON line) with a [`TargetReport`] per
//! server driven, and the arithmetic that turns a finished [`Tracker`] into one.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use serde::Serialize;

use super::LoadConfig;
use super::tracker::Tracker;
use crate::rss;
use crate::stats::{ErrorReport, LatencySummary, round3};

/// The single JSON line `load` prints.
#[derive(Debug, Serialize)]
pub struct LoadReport {
    pub mode: &'static str,
    pub config: LoadConfig,
    pub parley: Option<TargetReport>,
    pub bare: Option<TargetReport>,
    /// `parley.latency_ms.p50 / bare.latency_ms.p50`.
    pub ratio_p50: Option<f64>,
    /// `parley.latency_ms.p99 / bare.latency_ms.p99`.
    pub ratio_p99: Option<f64>,
    /// `parley.shown_latency_ms.p50 / bare.latency_ms.p50`.
    pub shown_ratio_p50: Option<f64>,
    /// `parley.shown_latency_ms.p99 / bare.latency_ms.p99`.
    pub shown_ratio_p99: Option<f64>,
    /// Set when a run could not happen at all (bad credentials, server down, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
}

/// The outcome of driving one server.
#[derive(Debug, Serialize)]
pub struct TargetReport {
    pub target: &'static str,
    pub addr: SocketAddr,
    pub server_pid: Option<u32>,
    pub visitors_connected: usize,
    pub operators_connected: usize,
    /// Creating visitors, logging in and connecting, before the clock starts.
    pub setup_secs: f64,
    /// Messages written to visitor sockets.
    pub sent: u64,
    /// Messages echoed back to their visitor as stored.
    pub acked: u64,
    /// Messages that reached operator #0.
    pub delivered: u64,
    /// Messages that reached every connected operator.
    pub delivered_all_operators: u64,
    /// `message_created` frames counted across all operators.
    pub deliveries_total: u64,
    /// Sent but never seen at operator #0 within the drain time.
    pub lost: u64,
    /// Sent but never echoed to the visitor within the drain time.
    pub unacked: u64,
    /// Repeated echoes or deliveries of the same message to the same socket.
    pub duplicates: u64,
    /// `acked / seconds`.
    pub stored_per_sec: f64,
    /// `delivered / seconds`.
    pub delivered_per_sec: f64,
    /// Visitor write → `message_created` at operator #0: stored and delivered.
    pub latency_ms: LatencySummary,
    /// Visitor write → the message on operator #0's screen: its `message_arriving` (sent
    /// while it is being stored), else its `message_created`. The bare server has no
    /// arrivals: its figure is `latency_ms`.
    pub shown_latency_ms: LatencySummary,
    /// Visitor write → echo back to the same visitor.
    pub ack_latency_ms: LatencySummary,
    /// The furthest a send ran behind its schedule.
    pub max_send_lag_ms: f64,
    /// How long the end of the run waited for in-flight messages.
    pub drain_secs: f64,
    /// Server VmRSS with all sockets open, before sending.
    pub server_rss_kb_before: Option<u64>,
    /// Server VmRSS at the end, before the sockets close.
    pub server_rss_kb: Option<u64>,
    /// This bench process's VmRSS at the end.
    pub bench_rss_kb: Option<u64>,
    pub errors: ErrorReport,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn report(
    target: &'static str,
    addr: SocketAddr,
    server_pid: Option<u32>,
    t: &Tracker,
    config: &LoadConfig,
    visitors_connected: usize,
    operators_connected: usize,
    setup_secs: f64,
    drain_secs: f64,
    server_rss_kb_before: Option<u64>,
    server_rss_kb: Option<u64>,
) -> TargetReport {
    let used = t.next.load(Ordering::Relaxed).min(t.sent_at.len());
    let mut latency = Vec::with_capacity(used);
    let mut shown_latency = Vec::with_capacity(used);
    let mut ack_latency = Vec::with_capacity(used);
    let mut delivered_all = 0;
    for n in 0..used {
        let sent = t.sent_at[n].load(Ordering::Acquire);
        if sent == 0 {
            continue;
        }
        let arrived = t.first_operator_at[n].load(Ordering::Acquire);
        if arrived != 0 {
            latency.push(arrived.saturating_sub(sent));
        }
        let shown = t.first_shown_at[n].load(Ordering::Acquire);
        if shown != 0 {
            shown_latency.push(shown.saturating_sub(sent));
        }
        let acked = t.acked_at[n].load(Ordering::Acquire);
        if acked != 0 {
            ack_latency.push(acked.saturating_sub(sent));
        }
        if operators_connected > 0 && t.deliveries[n].load(Ordering::Relaxed) as usize >= operators_connected {
            delivered_all += 1;
        }
    }
    let sent = t.sent.load(Ordering::Relaxed);
    let acked = t.acked.load(Ordering::Relaxed);
    let delivered = t.delivered.load(Ordering::Relaxed);
    TargetReport {
        target,
        addr,
        server_pid,
        visitors_connected,
        operators_connected,
        setup_secs,
        sent,
        acked,
        delivered,
        delivered_all_operators: delivered_all,
        deliveries_total: t.deliveries_total.load(Ordering::Relaxed),
        lost: sent.saturating_sub(delivered),
        unacked: sent.saturating_sub(acked),
        duplicates: t.duplicates.load(Ordering::Relaxed),
        stored_per_sec: round3(acked as f64 / config.seconds),
        delivered_per_sec: round3(delivered as f64 / config.seconds),
        latency_ms: LatencySummary::from_nanos(latency),
        shown_latency_ms: LatencySummary::from_nanos(shown_latency),
        ack_latency_ms: LatencySummary::from_nanos(ack_latency),
        max_send_lag_ms: round3(t.max_lag_ns.load(Ordering::Relaxed) as f64 / 1e6),
        drain_secs,
        server_rss_kb_before,
        server_rss_kb,
        bench_rss_kb: rss::self_rss_kb(),
        errors: t.errors.report(),
    }
}
