//! The `load` mode: N visitor sockets send R messages per second in total for T seconds while
//! M operator sockets listen; every message's way from the visitor's write to operator #0 is
//! timed.
//!
//! Timing: one [`Instant`] base per run; send, echo and arrival times are stored as
//! nanoseconds since that base in per-message atomics indexed by the message number, which
//! is carried in the message's `client_id` and text (`bench-<run>-<n>`). Latency is measured
//! from the moment just before the frame is written, so it includes the client's own write
//! but not schedule slip; how far the generator fell behind its schedule is reported as
//! `max_send_lag_ms` (large values mean the bench machine, not the server, was the limit).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt, stream};
use parley_types::{ClientEvent, ServerEvent};
use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

use crate::bare::{BareChild, BareOptions};
use crate::client::{self, BoxError, Endpoint, Parley, Target, Ws};
use crate::rss;
use crate::stats::{ErrorCounters, ErrorReport, LatencySummary, ratio, round3};

/// Settings of one load run, shared by the Parley and the bare run.
#[derive(Debug, Clone, Serialize)]
pub struct LoadConfig {
    pub visitors: usize,
    pub operators: usize,
    /// Messages per second, all visitors together.
    pub rate: f64,
    pub seconds: f64,
    /// How long to wait for in-flight messages after sending stops.
    pub drain_seconds: f64,
    /// Concurrent HTTP requests while creating visitors.
    pub http_concurrency: usize,
    /// Concurrent WebSocket handshakes while connecting.
    pub connect_concurrency: usize,
}

/// Where Parley is and how to log in.
#[derive(Debug, Clone)]
pub struct ParleyArgs {
    pub base: String,
    pub key: String,
    pub origin: String,
    pub email: Option<String>,
    pub password: Option<String>,
    pub server_pid: Option<u32>,
}

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
    /// Visitor write → `message_created` at operator #0.
    pub latency_ms: LatencySummary,
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

/// Runs Parley (unless `bare_only`) and the bare server (if `compare_bare`) under the same
/// load and reports both.
pub async fn run(config: LoadConfig, parley: Option<ParleyArgs>, compare_bare: bool, bare: BareOptions) -> LoadReport {
    let mut failures = Vec::new();
    let parley_report = match parley {
        Some(args) => match run_parley(&config, &args).await {
            Ok(report) => Some(report),
            Err(e) => {
                let e = client::describe(&*e);
                eprintln!("bench: parley run failed: {e}");
                failures.push(format!("parley: {e}"));
                None
            }
        },
        None => None,
    };
    let bare_report = if compare_bare {
        match run_bare(&config, bare).await {
            Ok(report) => Some(report),
            Err(e) => {
                let e = client::describe(&*e);
                eprintln!("bench: bare run failed: {e}");
                failures.push(format!("bare: {e}"));
                None
            }
        }
    } else {
        None
    };
    let p = |r: &Option<TargetReport>, f: fn(&LatencySummary) -> Option<f64>| r.as_ref().and_then(|r| f(&r.latency_ms));
    LoadReport {
        mode: "load",
        ratio_p50: ratio(p(&parley_report, |l| l.p50), p(&bare_report, |l| l.p50)),
        ratio_p99: ratio(p(&parley_report, |l| l.p99), p(&bare_report, |l| l.p99)),
        config,
        parley: parley_report,
        bare: bare_report,
        failures,
    }
}

async fn run_parley(config: &LoadConfig, args: &ParleyArgs) -> Result<TargetReport, BoxError> {
    let parley = Parley::new(&args.base, &args.key, &args.origin).await?;
    let pid = args.server_pid.or_else(|| rss::find_listener_pid(parley.port()));
    if pid.is_none() {
        eprintln!("bench: no --server-pid and no listener found on port {}; server RSS will be null", parley.port());
    }
    run_target(config, &Target::Parley(parley), pid, args.email.as_deref(), args.password.as_deref()).await
}

async fn run_bare(config: &LoadConfig, options: BareOptions) -> Result<TargetReport, BoxError> {
    let child = BareChild::spawn(options).await?;
    eprintln!("bench: bare server pid {} on {}", child.pid, child.addr);
    let target = Target::Bare { addr: child.addr };
    let report = run_target(config, &target, Some(child.pid), None, None).await;
    child.stop().await;
    report
}

/// Per-message timestamps and the run's counters.
struct Tracker {
    base: Instant,
    /// `bench-<run>-`: the prefix of every client id and text of this run.
    prefix: String,
    next: AtomicUsize,
    /// Nanoseconds since `base` (+1, so 0 means "not yet").
    sent_at: Vec<AtomicU64>,
    acked_at: Vec<AtomicU64>,
    first_operator_at: Vec<AtomicU64>,
    /// How many operator sockets saw each message.
    deliveries: Vec<AtomicU32>,
    sent: AtomicU64,
    acked: AtomicU64,
    delivered: AtomicU64,
    deliveries_total: AtomicU64,
    duplicates: AtomicU64,
    max_lag_ns: AtomicU64,
    errors: ErrorCounters,
}

impl Tracker {
    fn new(capacity: usize) -> Self {
        let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros());
        let zeros = |n| (0..n).map(|_| AtomicU64::new(0)).collect::<Vec<_>>();
        Tracker {
            base: Instant::now(),
            prefix: format!("bench-{run:x}-"),
            next: AtomicUsize::new(0),
            sent_at: zeros(capacity),
            acked_at: zeros(capacity),
            first_operator_at: zeros(capacity),
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

    fn now(&self) -> u64 {
        (self.base.elapsed().as_nanos() as u64).max(1)
    }

    /// The next message number, `None` when the run's budget is used up.
    fn allocate(&self) -> Option<usize> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        (n < self.sent_at.len()).then_some(n)
    }

    /// The message number in a client id or text of this run.
    fn message_number(&self, client_id: Option<&str>, text: &str) -> Option<usize> {
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

    fn on_echo(&self, n: usize) {
        if Self::stamp(&self.acked_at[n], self.now()) {
            self.acked.fetch_add(1, Ordering::Relaxed);
        } else {
            self.duplicates.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn on_delivery(&self, n: usize, primary: bool, seen: &mut [bool]) {
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
        }
    }
}

/// When one visitor sends.
#[derive(Debug, Clone, Copy)]
struct Schedule {
    first: tokio::time::Instant,
    interval: Duration,
    end: tokio::time::Instant,
}

async fn run_target(
    config: &LoadConfig,
    target: &Target,
    pid: Option<u32>,
    email: Option<&str>,
    password: Option<&str>,
) -> Result<TargetReport, BoxError> {
    let name = target.name();
    let setup_started = Instant::now();
    let capacity = (config.rate * config.seconds).ceil() as usize + config.visitors + 16;
    let tracker = Arc::new(Tracker::new(capacity));
    let (stop_tx, stop_rx) = watch::channel(false);

    // Operators first, so they see every message.
    eprintln!("bench[{name}]: connecting {} operators", config.operators);
    let endpoints = target.operator_endpoints(config.operators, email, password, &tracker.errors).await?;
    let mut operator_tasks = Vec::new();
    for endpoint in &endpoints {
        match client::connect(endpoint, None).await {
            Ok(ws) => {
                let primary = operator_tasks.is_empty();
                operator_tasks.push(tokio::spawn(operator_task(ws, primary, tracker.clone(), stop_rx.clone())));
            }
            Err(e) => {
                e.count(&tracker.errors);
                eprintln!("bench[{name}]: operator socket failed: {e}");
            }
        }
    }
    if operator_tasks.is_empty() && config.operators > 0 {
        return Err("no operator socket could connect".into());
    }

    eprintln!("bench[{name}]: creating and connecting {} visitors", config.visitors);
    let creds = target.create_visitors(config.visitors, config.http_concurrency, &tracker.errors).await;
    let visitors = connect_visitors(target, &creds, config.connect_concurrency, &tracker.errors).await;
    if visitors.is_empty() {
        stop_tx.send_replace(true);
        return Err("no visitor socket could connect".into());
    }
    let setup_secs = round3(setup_started.elapsed().as_secs_f64());
    let server_rss_kb_before = pid.and_then(rss::rss_kb);
    eprintln!(
        "bench[{name}]: {} visitors and {} operators connected in {setup_secs} s; sending {} msg/s for {} s",
        visitors.len(),
        operator_tasks.len(),
        config.rate,
        config.seconds
    );

    // Each visitor sends every `connected / rate` seconds; visitor i starts i / rate seconds
    // in, so the sends are spread evenly over time.
    let connected = visitors.len();
    let interval = Duration::from_secs_f64(connected as f64 / config.rate.max(f64::MIN_POSITIVE));
    let start = tokio::time::Instant::now() + Duration::from_millis(200);
    let end = start + Duration::from_secs_f64(config.seconds);
    let visitor_tasks: Vec<JoinHandle<()>> = visitors
        .into_iter()
        .enumerate()
        .map(|(i, ws)| {
            let schedule = Schedule { first: start + Duration::from_secs_f64(i as f64 / config.rate), interval, end };
            tokio::spawn(visitor_task(ws, schedule, tracker.clone(), stop_rx.clone()))
        })
        .collect();

    // Progress once a second while sending.
    tokio::time::sleep_until(start).await;
    let mut tick = tokio::time::interval_at(start + Duration::from_secs(1), Duration::from_secs(1));
    while tokio::time::Instant::now() < end {
        tokio::select! {
            _ = tick.tick() => progress(name, &tracker, start.elapsed()),
            _ = tokio::time::sleep_until(end) => {}
        }
    }

    // Drain: wait until everything sent has been echoed and delivered, or give up.
    let drain_started = Instant::now();
    let operators = operator_tasks.len() as u64;
    let deadline = drain_started + Duration::from_secs_f64(config.drain_seconds);
    loop {
        let sent = tracker.sent.load(Ordering::Relaxed);
        let done = tracker.acked.load(Ordering::Relaxed) >= sent
            && (operators == 0 || tracker.delivered.load(Ordering::Relaxed) >= sent)
            && tracker.deliveries_total.load(Ordering::Relaxed) >= sent * operators;
        if done || Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let drain_secs = round3(drain_started.elapsed().as_secs_f64());
    let server_rss_kb = pid.and_then(rss::rss_kb);
    progress(name, &tracker, start.elapsed());

    stop_tx.send_replace(true);
    for task in visitor_tasks.into_iter().chain(operator_tasks) {
        let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    }

    Ok(report(
        name,
        target.addr(),
        pid,
        &tracker,
        config,
        connected,
        operators as usize,
        setup_secs,
        drain_secs,
        server_rss_kb_before,
        server_rss_kb,
    ))
}

fn progress(name: &str, t: &Tracker, elapsed: Duration) {
    eprintln!(
        "bench[{name}]: {:>5.1} s  sent {}  acked {}  delivered {}  errors {}",
        elapsed.as_secs_f64(),
        t.sent.load(Ordering::Relaxed),
        t.acked.load(Ordering::Relaxed),
        t.delivered.load(Ordering::Relaxed),
        t.errors.report().total
    );
}

/// Opens and resumes a socket per visitor, `concurrency` at a time; failures are counted.
async fn connect_visitors(
    target: &Target,
    creds: &[client::VisitorCred],
    concurrency: usize,
    errors: &ErrorCounters,
) -> Vec<Ws> {
    let endpoints: Vec<Endpoint> = creds
        .iter()
        .filter_map(|c| match target.visitor_endpoint(c) {
            Ok(ep) => Some(ep),
            Err(e) => {
                eprintln!("bench: {e}");
                ErrorCounters::bump(&errors.connect);
                None
            }
        })
        .collect();
    let mut reported = false;
    let results: Vec<_> = stream::iter(endpoints.iter())
        .map(|ep| async move {
            let mut ws = client::connect(ep, None).await?;
            client::resume(&mut ws).await?;
            Ok::<_, client::ConnectError>(ws)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    results
        .into_iter()
        .filter_map(|r| match r {
            Ok(ws) => Some(ws),
            Err(e) => {
                e.count(errors);
                if !std::mem::replace(&mut reported, true) {
                    eprintln!("bench: visitor socket failed: {e}");
                }
                None
            }
        })
        .collect()
}

/// Sends on schedule until `schedule.end`, records echoes, and keeps reading until stopped.
async fn visitor_task(ws: Ws, schedule: Schedule, t: Arc<Tracker>, mut stop: watch::Receiver<bool>) {
    let (mut sink, mut stream) = ws.split();
    let mut next = schedule.first;
    let mut sending = next < schedule.end;
    loop {
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            _ = tokio::time::sleep_until(next), if sending => {
                let Some(n) = t.allocate() else { sending = false; continue };
                let lag = tokio::time::Instant::now().saturating_duration_since(next);
                t.max_lag_ns.fetch_max(lag.as_nanos() as u64, Ordering::Relaxed);
                let client_id = format!("{}{n}", t.prefix);
                let text = format!("{client_id} load test message");
                let frame = client::frame(&ClientEvent::Send { client_id, text });
                t.sent_at[n].store(t.now(), Ordering::Release);
                t.sent.fetch_add(1, Ordering::Relaxed);
                if sink.send(frame).await.is_err() {
                    t.sent.fetch_sub(1, Ordering::Relaxed);
                    t.sent_at[n].store(0, Ordering::Release);
                    ErrorCounters::bump(&t.errors.send);
                    break;
                }
                next += schedule.interval;
                sending = next < schedule.end;
            }
            frame = stream.next() => match frame {
                Some(Ok(Message::Text(body))) => match client::parse_event(&body) {
                    Some(ServerEvent::MessageCreated { message }) => {
                        if let Some(n) = t.message_number(message.client_id.as_deref(), &message.text) {
                            t.on_echo(n);
                        }
                    }
                    Some(ServerEvent::Error { message }) => {
                        ErrorCounters::bump(&t.errors.protocol);
                        eprintln!("bench: server error on a visitor socket: {message}");
                    }
                    Some(_) => {}
                    None => ErrorCounters::bump(&t.errors.protocol),
                },
                Some(Ok(Message::Close(_))) | None => {
                    ErrorCounters::bump(&t.errors.receive);
                    return;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) => {
                    ErrorCounters::bump(&t.errors.receive);
                    return;
                }
            },
        }
    }
    let _ = sink.send(Message::Close(None)).await;
}

/// Records every `message_created` of this run until stopped.
async fn operator_task(mut ws: Ws, primary: bool, t: Arc<Tracker>, mut stop: watch::Receiver<bool>) {
    let mut seen = vec![false; t.sent_at.len()];
    loop {
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            frame = ws.next() => match frame {
                Some(Ok(Message::Text(body))) => match client::parse_event(&body) {
                    Some(ServerEvent::MessageCreated { message }) => {
                        if let Some(n) = t.message_number(message.client_id.as_deref(), &message.text) {
                            t.on_delivery(n, primary, &mut seen);
                        }
                    }
                    Some(ServerEvent::Error { message }) => {
                        ErrorCounters::bump(&t.errors.protocol);
                        eprintln!("bench: server error on an operator socket: {message}");
                    }
                    Some(_) => {}
                    None => ErrorCounters::bump(&t.errors.protocol),
                },
                Some(Ok(Message::Close(_))) | None => {
                    ErrorCounters::bump(&t.errors.receive);
                    return;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) => {
                    ErrorCounters::bump(&t.errors.receive);
                    return;
                }
            },
        }
    }
    let _ = ws.close(None).await;
}

#[allow(clippy::too_many_arguments)]
fn report(
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
        ack_latency_ms: LatencySummary::from_nanos(ack_latency),
        max_send_lag_ms: round3(t.max_lag_ns.load(Ordering::Relaxed) as f64 / 1e6),
        drain_secs,
        server_rss_kb_before,
        server_rss_kb,
        bench_rss_kb: rss::self_rss_kb(),
        errors: t.errors.report(),
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
