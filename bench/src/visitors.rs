//! The `visitors` mode: N widget visitors are online and each moves to another page every
//! `interval` seconds (staggered evenly) while K operator sockets listen. What every
//! operator receives per second, what the server spends on it, and whether every page
//! change reached the operators.
//!
//! Steps: create N visitors over HTTP; sign K operators in and open their sockets; open the
//! N visitor sockets (from source addresses 127.0.0.2, .3, ..., `per_source` each), each
//! sending `resume` and then its first page, as the widget does on load; wait until
//! operator #0 has heard every visitor join. Then visitor i reports a new page at
//! `start + i·interval/N + k·interval` (k = 0, 1, ...) until the window ends. The window
//! starts `warm_up` seconds after the navigation and lasts `seconds`; over it the report
//! gives, per operator, frames and `visitors_changed` events per second, frame payload bytes
//! per second and `moved` entries per second, from operator #0 the delay from a page's send
//! to the `moved` entry that carries it, and the server's CPU (utime + stime of its pid;
//! 100 % is one core) and RSS. `drain` seconds after the window, the list the Visitors page
//! loads (`list_online_visitors`) must show every visitor on the last page it reported, and
//! so must the last entry operator #0 received for it. An operator socket the server closes
//! is opened again a second later, as the operator app does (operator #0 then reloads the
//! list, as the Visitors page does); `operator_closes` says when and why.
//!
//! A page is `https://shop.example/v{i}/p{k}?t={µs}`: the visitor, its page number and the
//! send time in microseconds since the run's base instant (for the delay); `url_padding`
//! appends `&pad=xxx…` to make the URLs (and so the entries) longer.

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt, stream};
use parley_types::{ClientEvent, OnlineVisitor, OperatorEvent};
use serde::Serialize;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

use crate::client::{self, BoxError, Endpoint, MemberSession, Parley, Target, VisitorCred, Ws};
use crate::rss;
use crate::stats::{ErrorCounters, ErrorReport, LatencySummary, round3};

/// Settings of a visitors run.
#[derive(Debug, Clone, Serialize)]
pub struct VisitorsConfig {
    pub visitors: usize,
    pub operators: usize,
    /// Seconds between one visitor's page changes.
    pub interval_secs: f64,
    /// Seconds of navigation before the window opens.
    pub warm_up_secs: f64,
    /// Length of the measured window.
    pub seconds: f64,
    /// Seconds after the last page change before the final list is read.
    pub drain_secs: f64,
    pub per_source: usize,
    pub first_source: Ipv4Addr,
    pub http_concurrency: usize,
    pub connect_concurrency: usize,
    /// Characters added to every page URL (`&pad=xxx…`; 0: none), for longer URLs.
    pub url_padding: usize,
}

/// Where Parley is and how operators sign in.
#[derive(Debug, Clone)]
pub struct VisitorsTarget {
    pub base: String,
    pub key: String,
    pub origin: String,
    pub email: String,
    pub password: String,
    pub server_pid: Option<u32>,
}

/// Mean, least and most over the operators.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    fn of(values: &[f64]) -> Spread {
        if values.is_empty() {
            return Spread::default();
        }
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Spread { mean: round3(mean), min: round3(min), max: round3(max) }
    }
}

/// Whether the last page of every visitor reached the operators.
#[derive(Debug, Default, Serialize)]
pub struct Reflected {
    /// Visitors with an open socket at the end.
    pub expected: usize,
    /// Entries in `list_online_visitors`.
    pub listed: usize,
    /// Listed on the last page they reported.
    pub list_on_last_page: usize,
    /// Listed on an older page.
    pub list_behind: usize,
    /// Not listed.
    pub list_missing: usize,
    /// Operator #0's last `joined` / `moved` entry for the visitor is its last page.
    pub events_on_last_page: usize,
    /// Every visitor is listed and reached by events on its last page.
    pub complete: bool,
}

/// The single JSON line `visitors` prints.
#[derive(Debug, Serialize)]
pub struct VisitorsReport {
    pub mode: &'static str,
    pub config: VisitorsConfig,
    pub server_pid: Option<u32>,
    pub visitors_created: usize,
    pub visitor_create_secs: f64,
    pub operators_open: usize,
    pub sockets_open: usize,
    pub source_addresses: usize,
    /// From the first visitor connect until every socket sent its first page.
    pub open_secs: f64,
    /// `joined` entries operator #0 received before the navigation started.
    pub joins_seen: usize,
    /// From the last socket open until operator #0 had heard of every join.
    pub join_wait_secs: f64,
    pub window_secs: f64,
    /// Page changes sent in the window, all visitors together.
    pub page_changes: u64,
    pub page_changes_per_sec: f64,
    /// How late the bench sent a page change at most (the bench machine, not the server).
    pub max_send_lag_ms: f64,
    /// Every frame an operator received in the window, per second.
    pub events_per_operator_per_sec: Spread,
    /// `visitors_changed` events per operator per second.
    pub visitors_changed_per_operator_per_sec: Spread,
    /// Frame payload bytes per operator per second.
    pub bytes_per_operator_per_sec: Spread,
    /// `moved` entries per operator per second (one per page change when none is lost).
    pub moved_per_operator_per_sec: Spread,
    /// The largest frame any operator received in the window, in bytes.
    pub largest_frame_bytes: usize,
    /// Operator #0's frames in the window by event type.
    pub event_types: BTreeMap<String, u64>,
    /// From a page's send to operator #0's `moved` entry carrying it (window only).
    pub page_to_operator_ms: LatencySummary,
    /// Page changes sent in the window whose `moved` entry operator #0 received.
    pub page_changes_seen_by_operator: usize,
    /// Server CPU over the window, 100 % = one core fully busy.
    pub server_cpu_percent: Option<f64>,
    /// The bench's own CPU over the window (it shares the machine).
    pub bench_cpu_percent: Option<f64>,
    /// The whole machine over the window, 100 % = every core busy.
    pub machine_cpu_percent: Option<f64>,
    pub server_rss_before_kb: Option<u64>,
    /// At the window's end.
    pub server_rss_kb: Option<u64>,
    /// The server's peak RSS so far (VmHWM).
    pub server_peak_rss_kb: Option<u64>,
    pub reflected: Reflected,
    /// The final `list_online_visitors` call: its time and its JSON's size (re-serialised).
    pub list_ms: f64,
    pub list_bytes: usize,
    /// Sockets (visitor or operator) the server closed.
    pub closed_by_server: u64,
    /// When (seconds since the run's start) and why the server closed operator sockets.
    pub operator_closes: Vec<String>,
    /// Operator sockets opened again after such a close.
    pub operator_reconnects: u64,
    /// Operator #0's frames over the whole run (joins and setup included) by event type.
    pub event_types_all: BTreeMap<String, u64>,
    /// The largest frame operator #0 received over the whole run (the join batches).
    pub largest_frame_bytes_all: usize,
    /// The most `visitors_changed` entries (joined + moved + left) in one of its frames.
    pub most_entries_in_a_frame: usize,
    pub bench_rss_kb: Option<u64>,
    pub errors: ErrorReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// One frame an operator received.
struct Frame {
    at_us: u64,
    bytes: usize,
    kind: String,
    moved: usize,
    /// Joined, moved and left entries together.
    entries: usize,
}

/// What an operator socket's task hands back.
#[derive(Default)]
struct OperatorLog {
    frames: Vec<Frame>,
    /// (arrival, delay) of each `moved` entry carrying one of this run's pages (operator #0).
    delays_us: Vec<(u64, u64)>,
    /// Visitor → the last page number an entry carried (operator #0).
    last_page: HashMap<usize, u32>,
}

/// Shared by every task of the run.
struct Run {
    base: Instant,
    /// `&pad=xxx…` appended to every page URL (`url_padding` characters), or nothing.
    padding: String,
    /// Visitor → its last page number sent.
    last_sent: Vec<AtomicU32>,
    /// Contact id → visitor number.
    visitor_of: HashMap<i64, usize>,
    joins: AtomicUsize,
    /// The window in µs since `base` (empty until the schedule is fixed).
    window_from: AtomicU64,
    window_to: AtomicU64,
    sent_in_window: AtomicU64,
    max_lag_us: AtomicU64,
    closed_by_server: AtomicU64,
    operator_reconnects: AtomicU64,
    /// When and why the server closed an operator socket.
    operator_closes: Mutex<Vec<String>>,
    errors: ErrorCounters,
}

impl Run {
    fn now_us(&self) -> u64 {
        self.base.elapsed().as_micros() as u64
    }

    fn page(&self, visitor: usize, k: u32) -> ClientEvent {
        ClientEvent::Page {
            url: format!("https://shop.example/v{visitor}/p{k}?t={}{}", self.now_us(), self.padding),
            title: format!("Page {k} of visitor {visitor}"),
            referrer: "https://search.example/?q=bench".into(),
        }
    }

    fn in_window(&self, at_us: u64) -> bool {
        (self.window_from.load(Ordering::Relaxed)..self.window_to.load(Ordering::Relaxed)).contains(&at_us)
    }
}

/// Visitor, page number and send time (µs) of one of this run's page URLs.
fn parse_url(url: &str) -> Option<(usize, u32, u64)> {
    let rest = url.strip_prefix("https://shop.example/v")?;
    let (visitor, rest) = rest.split_once("/p")?;
    let (k, t) = rest.split_once("?t=")?;
    let t = t.split('&').next()?;
    Some((visitor.parse().ok()?, k.parse().ok()?, t.parse().ok()?))
}

/// Runs the measurement.
pub async fn run(config: VisitorsConfig, target: VisitorsTarget) -> VisitorsReport {
    let mut report = VisitorsReport {
        mode: "visitors",
        config: config.clone(),
        server_pid: None,
        visitors_created: 0,
        visitor_create_secs: 0.0,
        operators_open: 0,
        sockets_open: 0,
        source_addresses: 0,
        open_secs: 0.0,
        joins_seen: 0,
        join_wait_secs: 0.0,
        window_secs: 0.0,
        page_changes: 0,
        page_changes_per_sec: 0.0,
        max_send_lag_ms: 0.0,
        events_per_operator_per_sec: Spread::default(),
        visitors_changed_per_operator_per_sec: Spread::default(),
        bytes_per_operator_per_sec: Spread::default(),
        moved_per_operator_per_sec: Spread::default(),
        largest_frame_bytes: 0,
        event_types: BTreeMap::new(),
        page_to_operator_ms: LatencySummary::from_nanos(Vec::new()),
        page_changes_seen_by_operator: 0,
        server_cpu_percent: None,
        bench_cpu_percent: None,
        machine_cpu_percent: None,
        server_rss_before_kb: None,
        server_rss_kb: None,
        server_peak_rss_kb: None,
        reflected: Reflected::default(),
        list_ms: 0.0,
        list_bytes: 0,
        closed_by_server: 0,
        operator_closes: Vec::new(),
        operator_reconnects: 0,
        event_types_all: BTreeMap::new(),
        largest_frame_bytes_all: 0,
        most_entries_in_a_frame: 0,
        bench_rss_kb: None,
        errors: ErrorReport::default(),
        failure: None,
    };
    let errors = match measure(&config, &target, &mut report).await {
        Ok(errors) => errors,
        Err((e, errors)) => {
            let e = client::describe(&*e);
            eprintln!("bench[visitors]: run failed: {e}");
            report.failure = Some(e);
            errors
        }
    };
    report.errors = errors;
    report.bench_rss_kb = rss::self_rss_kb();
    report
}

type Failed = (BoxError, ErrorReport);

async fn measure(
    config: &VisitorsConfig,
    args: &VisitorsTarget,
    report: &mut VisitorsReport,
) -> Result<ErrorReport, Failed> {
    let setup_errors = ErrorCounters::default();
    let fail = |e: BoxError, errors: &ErrorCounters| (e, errors.report());
    let parley = Parley::new(&args.base, &args.key, &args.origin).await.map_err(|e| fail(e, &setup_errors))?;
    let pid = args.server_pid.or_else(|| rss::find_listener_pid(parley.port()));
    report.server_pid = pid;
    if pid.is_none() {
        eprintln!("bench[visitors]: server pid unknown; CPU and RSS will be null (pass --server-pid)");
    }
    let target = Target::Parley(parley.clone());
    let n = config.visitors;
    let interval = Duration::from_secs_f64(config.interval_secs.max(0.001));

    eprintln!("bench[visitors]: creating {n} visitors");
    let started = Instant::now();
    let creds = target.create_visitors(n, config.http_concurrency, &setup_errors).await;
    report.visitors_created = creds.len();
    report.visitor_create_secs = round3(started.elapsed().as_secs_f64());
    if creds.is_empty() {
        return Err(fail("no visitor could be created".into(), &setup_errors));
    }
    let visitor_of: HashMap<i64, usize> = creds
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            VisitorCred::Parley(session) => Some((session.contact_id.0, i)),
            VisitorCred::Bare => None,
        })
        .collect();
    let endpoints: Vec<Endpoint> = creds
        .iter()
        .map(|c| target.visitor_endpoint(c))
        .collect::<Result<_, _>>()
        .map_err(|e| fail(e, &setup_errors))?;
    // The list check signs in once more (its own session).
    let lister = parley
        .sign_in(&args.email, &args.password, Duration::from_secs(120))
        .await
        .map_err(|e| fail(e, &setup_errors))?;
    let operator_endpoints = target
        .operator_endpoints(config.operators, Some(&args.email), Some(&args.password), &setup_errors)
        .await
        .map_err(|e| fail(e, &setup_errors))?;
    report.server_rss_before_kb = pid.and_then(rss::rss_kb);

    let padding = match config.url_padding {
        0 => String::new(),
        n => format!("&pad={}", "x".repeat(n.saturating_sub(5))),
    };
    let run = Arc::new(Run {
        base: Instant::now(),
        padding,
        last_sent: (0..creds.len()).map(|_| AtomicU32::new(0)).collect(),
        visitor_of,
        joins: AtomicUsize::new(0),
        window_from: AtomicU64::new(u64::MAX),
        window_to: AtomicU64::new(u64::MAX),
        sent_in_window: AtomicU64::new(0),
        max_lag_us: AtomicU64::new(0),
        closed_by_server: AtomicU64::new(0),
        operator_reconnects: AtomicU64::new(0),
        operator_closes: Mutex::new(Vec::new()),
        errors: setup_errors,
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    // Operators connect first, so they hear every join, and read from then on (the join
    // batches are large).
    let mut operator_tasks = Vec::new();
    for ep in &operator_endpoints {
        match client::connect(ep, None).await {
            Ok(ws) => {
                let primary = operator_tasks.is_empty();
                let task = operator_task(ep.clone(), ws, primary, run.clone(), lister.clone(), stop_rx.clone());
                operator_tasks.push(tokio::spawn(task));
            }
            Err(e) => {
                e.count(&run.errors);
                eprintln!("bench[visitors]: operator socket failed: {e}");
            }
        }
    }
    if operator_tasks.is_empty() {
        return Err(fail_arc("no operator socket could be opened", &run));
    }
    report.operators_open = operator_tasks.len();

    // Visitor sockets: connect, resume, first page. Their tasks start once all are open.
    eprintln!("bench[visitors]: opening {} visitor sockets", endpoints.len());
    let opened = AtomicUsize::new(0);
    let started = Instant::now();
    let mut reported = false;
    let first_pages: Vec<ClientEvent> = (0..endpoints.len()).map(|i| run.page(i, 0)).collect();
    let results: Vec<_> = stream::iter(endpoints.iter().zip(first_pages).enumerate())
        .map(|(i, (ep, page))| {
            let source = client::source_address(config.first_source, i, config.per_source);
            let opened = &opened;
            async move {
                let mut ws = client::connect(ep, Some(source)).await?;
                client::resume(&mut ws).await?;
                ws.send(client::frame(&page)).await.map_err(|e| client::ConnectError::Failed(e.into()))?;
                let done = opened.fetch_add(1, Ordering::Relaxed) + 1;
                if done.is_multiple_of(1000) {
                    eprintln!("bench[visitors]: {done} open");
                }
                Ok::<_, client::ConnectError>((i, ws))
            }
        })
        .buffer_unordered(config.connect_concurrency.max(1))
        .collect()
        .await;
    let mut sockets = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(pair) => sockets.push(pair),
            Err(e) => {
                e.count(&run.errors);
                if !std::mem::replace(&mut reported, true) {
                    eprintln!("bench[visitors]: visitor socket failed: {e}");
                }
            }
        }
    }
    report.open_secs = round3(started.elapsed().as_secs_f64());
    report.sockets_open = sockets.len();
    report.source_addresses = endpoints.len().div_ceil(config.per_source.max(1));
    if sockets.is_empty() {
        return Err(fail_arc("no visitor socket could be opened", &run));
    }
    eprintln!("bench[visitors]: {} sockets open in {} s; waiting for the joins", sockets.len(), report.open_secs);

    // Every visitor joined (operator #0 heard of each), or 60 s passed.
    let started = Instant::now();
    while run.joins.load(Ordering::Relaxed) < sockets.len() && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    report.joins_seen = run.joins.load(Ordering::Relaxed);
    report.join_wait_secs = round3(started.elapsed().as_secs_f64());
    if report.joins_seen < sockets.len() {
        eprintln!("bench[visitors]: only {} of {} joins seen after 60 s", report.joins_seen, sockets.len());
    }

    // The schedule.
    let now = tokio::time::Instant::now();
    let nav_start = now + Duration::from_secs(1);
    let window_start = nav_start + Duration::from_secs_f64(config.warm_up_secs);
    let window_end = window_start + Duration::from_secs_f64(config.seconds);
    let now_us = run.now_us();
    let to_us = |at: tokio::time::Instant| now_us + (at - now).as_micros() as u64;
    run.window_from.store(to_us(window_start), Ordering::Relaxed);
    run.window_to.store(to_us(window_end), Ordering::Relaxed);
    let count = sockets.len();
    let mut visitor_tasks = Vec::with_capacity(count);
    for (slot, (i, ws)) in sockets.into_iter().enumerate() {
        let offset = interval.mul_f64(slot as f64 / count as f64);
        let schedule = (nav_start + offset, interval, window_end);
        visitor_tasks.push(tokio::spawn(visitor_task(ws, i, schedule, run.clone(), stop_rx.clone())));
    }
    eprintln!(
        "bench[visitors]: navigating every {} s; window of {} s after {} s",
        config.interval_secs, config.seconds, config.warm_up_secs
    );

    tokio::time::sleep_until(window_start).await;
    let cpu_before = (pid.and_then(rss::cpu_secs), rss::self_cpu_secs(), rss::machine_ticks(), Instant::now());
    tokio::time::sleep_until(window_end).await;
    let cpu_after = (pid.and_then(rss::cpu_secs), rss::self_cpu_secs(), rss::machine_ticks(), Instant::now());
    report.server_rss_kb = pid.and_then(rss::rss_kb);
    report.server_peak_rss_kb = pid.and_then(rss::peak_rss_kb);
    let wall = cpu_after.3.duration_since(cpu_before.3).as_secs_f64();
    report.window_secs = round3(wall);
    let percent = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if wall > 0.0 => Some(round3((b - a) / wall * 100.0)),
        _ => None,
    };
    report.server_cpu_percent = percent(cpu_before.0, cpu_after.0);
    report.bench_cpu_percent = percent(cpu_before.1, cpu_after.1);
    report.machine_cpu_percent = match (cpu_before.2, cpu_after.2) {
        (Some((busy_a, total_a)), Some((busy_b, total_b))) if total_b > total_a => {
            Some(round3((busy_b - busy_a) as f64 / (total_b - total_a) as f64 * 100.0))
        }
        _ => None,
    };
    eprintln!(
        "bench[visitors]: window over (server CPU {:?} %); draining {} s",
        report.server_cpu_percent, config.drain_secs
    );
    tokio::time::sleep(Duration::from_secs_f64(config.drain_secs)).await;

    // What the Visitors page loads now.
    let started = Instant::now();
    let listed: Vec<OnlineVisitor> = match lister.call("list_online_visitors", &[]).await {
        Ok(list) => {
            report.list_ms = round3(started.elapsed().as_secs_f64() * 1000.0);
            report.list_bytes = serde_json::to_string(&list).map_or(0, |json| json.len());
            list
        }
        Err(e) => {
            ErrorCounters::bump(&run.errors.http);
            eprintln!("bench[visitors]: list_online_visitors failed: {}", client::describe(&*e));
            Vec::new()
        }
    };
    stop_tx.send_replace(true);
    let mut logs = Vec::new();
    for task in operator_tasks {
        if let Ok(Ok(log)) = tokio::time::timeout(Duration::from_secs(10), task).await {
            logs.push(log);
        }
    }
    let mut open_at_end = 0;
    for task in visitor_tasks {
        if let Ok(Ok(still_open)) = tokio::time::timeout(Duration::from_secs(10), task).await {
            open_at_end += usize::from(still_open);
        }
    }

    summarise(report, &run, &logs, wall);
    report.reflected = reflected(&run, &listed, logs.first(), open_at_end);
    report.closed_by_server = run.closed_by_server.load(Ordering::Relaxed);
    report.operator_closes = lock(&run.operator_closes).clone();
    report.operator_reconnects = run.operator_reconnects.load(Ordering::Relaxed);
    Ok(run.errors.report())
}

fn fail_arc(e: &str, run: &Run) -> Failed {
    (e.into(), run.errors.report())
}

/// The window's figures from the operators' logs.
fn summarise(report: &mut VisitorsReport, run: &Run, logs: &[OperatorLog], wall: f64) {
    let in_window = |at: u64| run.in_window(at);
    let per_sec = |v: f64| if wall > 0.0 { v / wall } else { 0.0 };
    let (mut events, mut changes, mut bytes, mut moved) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for log in logs {
        let frames: Vec<&Frame> = log.frames.iter().filter(|f| in_window(f.at_us)).collect();
        events.push(per_sec(frames.len() as f64));
        changes.push(per_sec(frames.iter().filter(|f| f.kind == "visitors_changed").count() as f64));
        bytes.push(per_sec(frames.iter().map(|f| f.bytes).sum::<usize>() as f64));
        moved.push(per_sec(frames.iter().map(|f| f.moved).sum::<usize>() as f64));
        report.largest_frame_bytes = report.largest_frame_bytes.max(frames.iter().map(|f| f.bytes).max().unwrap_or(0));
    }
    report.events_per_operator_per_sec = Spread::of(&events);
    report.visitors_changed_per_operator_per_sec = Spread::of(&changes);
    report.bytes_per_operator_per_sec = Spread::of(&bytes);
    report.moved_per_operator_per_sec = Spread::of(&moved);
    if let Some(first) = logs.first() {
        for frame in &first.frames {
            if in_window(frame.at_us) {
                *report.event_types.entry(frame.kind.clone()).or_default() += 1;
            }
            *report.event_types_all.entry(frame.kind.clone()).or_default() += 1;
            report.largest_frame_bytes_all = report.largest_frame_bytes_all.max(frame.bytes);
            report.most_entries_in_a_frame = report.most_entries_in_a_frame.max(frame.entries);
        }
        // Delays of pages sent in the window (an entry arriving just after it counts).
        let delays: Vec<u64> =
            first.delays_us.iter().filter(|(sent, _)| in_window(*sent)).map(|(_, d)| d * 1_000).collect();
        report.page_changes_seen_by_operator = delays.len();
        report.page_to_operator_ms = LatencySummary::from_nanos(delays);
    }
    report.page_changes = run.sent_in_window.load(Ordering::Relaxed);
    report.page_changes_per_sec = round3(per_sec(report.page_changes as f64));
    report.max_send_lag_ms = round3(run.max_lag_us.load(Ordering::Relaxed) as f64 / 1000.0);
}

/// Compares the list and operator #0's last entries with each visitor's last page.
fn reflected(run: &Run, listed: &[OnlineVisitor], first: Option<&OperatorLog>, open_at_end: usize) -> Reflected {
    let mut out = Reflected { expected: open_at_end, listed: listed.len(), ..Default::default() };
    let mut seen = vec![false; run.last_sent.len()];
    for visitor in listed {
        let Some(&i) = run.visitor_of.get(&visitor.contact_id.0) else { continue };
        seen[i] = true;
        let page = visitor.page.as_ref().and_then(|p| parse_url(&p.url)).map(|(_, k, _)| k);
        if page == Some(run.last_sent[i].load(Ordering::Relaxed)) {
            out.list_on_last_page += 1;
        } else {
            out.list_behind += 1;
        }
    }
    out.list_missing = open_at_end.saturating_sub(seen.iter().filter(|s| **s).count());
    if let Some(log) = first {
        out.events_on_last_page = log
            .last_page
            .iter()
            .filter(|(i, k)| run.last_sent.get(**i).is_some_and(|sent| sent.load(Ordering::Relaxed) == **k))
            .count();
    }
    out.complete = out.list_on_last_page == open_at_end && out.events_on_last_page == open_at_end && open_at_end > 0;
    out
}

/// How reading an operator socket ended.
enum End {
    Stopped,
    /// The server closed it (code and reason, or the error).
    Closed(String),
}

/// Reads an operator socket until stopped, logging every frame. When the server closes
/// it, reconnects a second later as the operator app does (and, for operator #0, reloads
/// the list as the Visitors page does after a reconnect).
async fn operator_task(
    endpoint: Endpoint,
    mut ws: Ws,
    primary: bool,
    run: Arc<Run>,
    lister: MemberSession,
    mut stop: watch::Receiver<bool>,
) -> OperatorLog {
    let mut log = OperatorLog::default();
    loop {
        let why = match read_operator(&mut ws, primary, &run, &mut log, &mut stop).await {
            End::Stopped => {
                let _ = ws.close(None).await;
                return log;
            }
            End::Closed(why) => why,
        };
        ErrorCounters::bump(&run.errors.receive);
        run.closed_by_server.fetch_add(1, Ordering::Relaxed);
        let at = round3(run.now_us() as f64 / 1e6);
        eprintln!("bench[visitors]: the server closed an operator socket at {at} s: {why}");
        lock(&run.operator_closes).push(format!("{at} s: {why}"));
        ws = loop {
            tokio::select! {
                _ = stop.changed() => return log,
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
            match client::connect(&endpoint, None).await {
                Ok(ws) => break ws,
                Err(e) => e.count(&run.errors),
            }
        };
        run.operator_reconnects.fetch_add(1, Ordering::Relaxed);
        if primary {
            match lister.call::<Vec<OnlineVisitor>>("list_online_visitors", &[]).await {
                Ok(list) => {
                    for visitor in list {
                        if let Some((i, k, _)) = visitor.page.as_ref().and_then(|p| parse_url(&p.url)) {
                            log.last_page.insert(i, k);
                        }
                    }
                    run.joins.store(log.last_page.len(), Ordering::Relaxed);
                }
                Err(e) => {
                    ErrorCounters::bump(&run.errors.http);
                    eprintln!("bench[visitors]: reloading the list failed: {}", client::describe(&*e));
                }
            }
        }
    }
}

async fn read_operator(
    ws: &mut Ws,
    primary: bool,
    run: &Run,
    log: &mut OperatorLog,
    stop: &mut watch::Receiver<bool>,
) -> End {
    loop {
        let frame = tokio::select! {
            biased;
            _ = stop.changed() => return End::Stopped,
            frame = ws.next() => frame,
        };
        let text = match frame {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(Some(close)))) => {
                return End::Closed(format!("close {} {}", u16::from(close.code), close.reason));
            }
            Some(Ok(Message::Close(None))) => return End::Closed("close without a code".into()),
            Some(Err(e)) => return End::Closed(format!("error: {e}")),
            None => return End::Closed("the stream ended".into()),
            Some(Ok(_)) => continue,
        };
        let at_us = run.now_us();
        let (kind, moved, entries) = match serde_json::from_str::<OperatorEvent>(&text) {
            Ok(OperatorEvent::VisitorsChanged { joined, moved, left }) => {
                let entries = joined.len() + moved.len() + left.len();
                if primary {
                    for (entry, is_move) in joined.iter().map(|v| (v, false)).chain(moved.iter().map(|v| (v, true))) {
                        let Some((i, k, sent)) = entry.page.as_ref().and_then(|p| parse_url(&p.url)) else { continue };
                        log.last_page.insert(i, k);
                        if is_move {
                            log.delays_us.push((sent, at_us.saturating_sub(sent)));
                        }
                    }
                    run.joins.store(log.last_page.len(), Ordering::Relaxed);
                }
                ("visitors_changed".to_owned(), moved.len(), entries)
            }
            Ok(OperatorEvent::Error(error)) => {
                ErrorCounters::bump(&run.errors.protocol);
                eprintln!("bench[visitors]: server error on an operator socket: {}", error.message);
                ("error".to_owned(), 0, 0)
            }
            Ok(other) => (event_type(&other), 0, 0),
            Err(_) => {
                ErrorCounters::bump(&run.errors.protocol);
                ("unparsed".to_owned(), 0, 0)
            }
        };
        log.frames.push(Frame { at_us, bytes: text.len(), kind, moved, entries });
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The `"type"` tag of an event.
fn event_type(event: &OperatorEvent) -> String {
    serde_json::to_value(event)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

/// Drives one visitor: a new page on its schedule until the window ends, reading (and
/// dropping) what the server sends; holds the socket open until stopped. Whether the
/// socket was still open at the end.
async fn visitor_task(
    ws: Ws,
    i: usize,
    (first, interval, end): (tokio::time::Instant, Duration, tokio::time::Instant),
    run: Arc<Run>,
    mut stop: watch::Receiver<bool>,
) -> bool {
    let (mut sink, mut stream) = ws.split();
    let mut next = first;
    let mut k = 0u32;
    let mut sending = next < end;
    loop {
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            _ = tokio::time::sleep_until(next), if sending => {
                let lag = tokio::time::Instant::now().saturating_duration_since(next);
                run.max_lag_us.fetch_max(lag.as_micros() as u64, Ordering::Relaxed);
                k += 1;
                let sent_at = run.now_us();
                if sink.send(client::frame(&run.page(i, k))).await.is_err() {
                    ErrorCounters::bump(&run.errors.send);
                    return false;
                }
                run.last_sent[i].store(k, Ordering::Relaxed);
                if run.in_window(sent_at) {
                    run.sent_in_window.fetch_add(1, Ordering::Relaxed);
                }
                next += interval;
                sending = next < end;
            }
            frame = stream.next() => match frame {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                    run.closed_by_server.fetch_add(1, Ordering::Relaxed);
                    ErrorCounters::bump(&run.errors.receive);
                    return false;
                }
                Some(Ok(_)) => {}
            },
        }
    }
    let _ = sink.send(Message::Close(None)).await;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_carry_visitor_page_and_time() {
        assert_eq!(parse_url("https://shop.example/v12/p3?t=4567"), Some((12, 3, 4567)));
        assert_eq!(parse_url("https://shop.example/cart"), None);
        assert_eq!(parse_url("https://shop.example/vx/p3?t=1"), None);
        assert_eq!(parse_url("https://shop.example/v1/p2?t=3&pad=xxxx"), Some((1, 2, 3)));
    }

    #[test]
    fn spread_of_operators() {
        let s = Spread::of(&[1.0, 2.0, 6.0]);
        assert_eq!((s.mean, s.min, s.max), (3.0, 1.0, 6.0));
        assert_eq!(Spread::of(&[]).max, 0.0);
    }
}
