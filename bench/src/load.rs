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
//!
//! This module holds the settings and the run itself; [`tracker`] keeps the per-message
//! timestamps and counters, [`sockets`] connects the visitors and drives every socket, and
//! [`report`] turns a finished run into the JSON it prints.

mod report;
mod sockets;
mod tracker;

pub use report::{LoadReport, TargetReport};

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::bare::{BareChild, BareOptions};
use crate::client::{self, BoxError, Parley, Target};
use crate::rss;
use crate::stats::{LatencySummary, ratio, round3};
use sockets::{Schedule, connect_visitors, operator_task, visitor_task, warm_up};
use tracker::Tracker;

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
    /// Every visitor sends one untimed message first (its conversation then exists).
    pub warm_up: bool,
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
    // A percentile of a run's latencies: until stored, or until shown.
    type Pick = fn(&LatencySummary) -> Option<f64>;
    let stored: fn(&TargetReport) -> &LatencySummary = |r| &r.latency_ms;
    let shown: fn(&TargetReport) -> &LatencySummary = |r| &r.shown_latency_ms;
    let at = |r: &Option<TargetReport>, which: fn(&TargetReport) -> &LatencySummary, f: Pick| {
        r.as_ref().and_then(|r| f(which(r)))
    };
    let bare = |f: Pick| at(&bare_report, stored, f);
    LoadReport {
        mode: "load",
        ratio_p50: ratio(at(&parley_report, stored, |l| l.p50), bare(|l| l.p50)),
        ratio_p99: ratio(at(&parley_report, stored, |l| l.p99), bare(|l| l.p99)),
        shown_ratio_p50: ratio(at(&parley_report, shown, |l| l.p50), bare(|l| l.p50)),
        shown_ratio_p99: ratio(at(&parley_report, shown, |l| l.p99), bare(|l| l.p99)),
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
    let mut visitors = connect_visitors(target, &creds, config.connect_concurrency, &tracker.errors).await;
    if config.warm_up {
        eprintln!("bench[{name}]: warming up: one untimed message from each visitor");
        visitors = warm_up(visitors, config.connect_concurrency, &tracker.errors).await;
    }
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

    Ok(report::report(
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
