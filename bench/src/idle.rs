//! The `idle` mode: what an open, quiet visitor socket costs the server in memory.
//!
//! Creates N visitors over HTTP, reads the server's VmRSS, opens N visitor WebSockets (each
//! sends `resume` and waits for `resumed`), lets the server settle, reads VmRSS again and
//! reports the difference per socket. Client sockets are spread over source addresses
//! 127.0.0.2, 127.0.0.3, ... so that no single source address runs out of ephemeral ports.
//! Each socket is held by a task that only reads (answering pings, noticing server closes)
//! until the measurement is done.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::{StreamExt, stream};
use serde::Serialize;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

use crate::bare::{BareChild, BareOptions};
use crate::client::{self, BoxError, Endpoint, Parley, Target, Ws};
use crate::rss;
use crate::stats::{ErrorCounters, ErrorReport, round3};

/// Settings of an idle run.
#[derive(Debug, Clone, Serialize)]
pub struct IdleConfig {
    pub sockets: usize,
    /// Sockets per source address before moving to the next one.
    pub per_source: usize,
    /// The first source address.
    pub first_source: Ipv4Addr,
    pub http_concurrency: usize,
    pub connect_concurrency: usize,
    /// Pause before each RSS reading.
    pub settle_seconds: f64,
}

/// The single JSON line `idle` prints.
#[derive(Debug, Serialize)]
pub struct IdleReport {
    pub mode: &'static str,
    pub target: &'static str,
    pub config: IdleConfig,
    pub server_pid: Option<u32>,
    pub visitors_created: usize,
    pub visitor_create_secs: f64,
    pub sockets_open: usize,
    pub source_addresses: usize,
    /// From the first connect until every socket has its `resumed`.
    pub open_secs: f64,
    pub opens_per_sec: f64,
    pub rss_before_kb: Option<u64>,
    pub rss_after_kb: Option<u64>,
    /// `(after - before) * 1024 / sockets_open`.
    pub per_socket_bytes: Option<f64>,
    /// Sockets the server closed while they sat idle.
    pub closed_by_server: u64,
    pub bench_rss_kb: Option<u64>,
    pub errors: ErrorReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// Where to open the sockets.
pub enum IdleTarget {
    Parley {
        base: String,
        key: String,
        origin: String,
        server_pid: Option<u32>,
    },
    /// A bare server child (a sanity check of the mode itself and a baseline).
    Bare(BareOptions),
}

/// Runs the idle measurement.
pub async fn run(config: IdleConfig, target: IdleTarget) -> IdleReport {
    let errors = ErrorCounters::default();
    let mut report = IdleReport {
        mode: "idle",
        target: match target {
            IdleTarget::Parley { .. } => "parley",
            IdleTarget::Bare(_) => "bare",
        },
        config: config.clone(),
        server_pid: None,
        visitors_created: 0,
        visitor_create_secs: 0.0,
        sockets_open: 0,
        source_addresses: 0,
        open_secs: 0.0,
        opens_per_sec: 0.0,
        rss_before_kb: None,
        rss_after_kb: None,
        per_socket_bytes: None,
        closed_by_server: 0,
        bench_rss_kb: None,
        errors: ErrorReport::default(),
        failure: None,
    };
    let mut bare_child = None;
    let result = async {
        let (target, pid) = match target {
            IdleTarget::Parley { base, key, origin, server_pid } => {
                let parley = Parley::new(&base, &key, &origin).await?;
                let pid = server_pid.or_else(|| rss::find_listener_pid(parley.port()));
                (Target::Parley(parley), pid)
            }
            IdleTarget::Bare(options) => {
                let child = BareChild::spawn(options).await?;
                let target = Target::Bare { addr: child.addr };
                let pid = Some(child.pid);
                bare_child = Some(child);
                (target, pid)
            }
        };
        if pid.is_none() {
            eprintln!("bench: server pid unknown; RSS will be null (pass --server-pid)");
        }
        measure(&config, &target, pid, &errors, &mut report).await
    }
    .await;
    if let Err(e) = result {
        let e = client::describe(&*e);
        eprintln!("bench: idle run failed: {e}");
        report.failure = Some(e);
    }
    if let Some(child) = bare_child {
        child.stop().await;
    }
    report.errors = errors.report();
    report.bench_rss_kb = rss::self_rss_kb();
    report
}

async fn measure(
    config: &IdleConfig,
    target: &Target,
    pid: Option<u32>,
    errors: &ErrorCounters,
    report: &mut IdleReport,
) -> Result<(), BoxError> {
    report.server_pid = pid;
    let n = config.sockets;
    let settle = Duration::from_secs_f64(config.settle_seconds);

    eprintln!("bench[idle]: creating {n} visitors");
    let started = Instant::now();
    let creds = target.create_visitors(n, config.http_concurrency, errors).await;
    report.visitors_created = creds.len();
    report.visitor_create_secs = round3(started.elapsed().as_secs_f64());
    let endpoints: Vec<Endpoint> = creds.iter().filter_map(|c| target.visitor_endpoint(c).ok()).collect();
    if endpoints.is_empty() && n > 0 {
        return Err("no visitor could be created".into());
    }

    tokio::time::sleep(settle).await;
    report.rss_before_kb = pid.and_then(rss::rss_kb);
    eprintln!("bench[idle]: server RSS before: {:?} kB; opening {} sockets", report.rss_before_kb, endpoints.len());

    let (stop_tx, stop_rx) = watch::channel(false);
    let closed_by_server = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let opened = AtomicU64::new(0);
    let mut reported = false;
    let results: Vec<_> = stream::iter(endpoints.iter().enumerate())
        .map(|(i, ep)| {
            let source = client::source_address(config.first_source, i, config.per_source);
            let opened = &opened;
            async move {
                let mut ws = client::connect(ep, Some(source)).await?;
                client::resume(&mut ws).await?;
                let done = opened.fetch_add(1, Ordering::Relaxed) + 1;
                if done.is_multiple_of(1000) {
                    eprintln!("bench[idle]: {done} open");
                }
                Ok::<_, client::ConnectError>(ws)
            }
        })
        .buffer_unordered(config.connect_concurrency.max(1))
        .collect()
        .await;
    let mut holders = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(ws) => holders.push(tokio::spawn(hold(ws, stop_rx.clone(), closed_by_server.clone()))),
            Err(e) => {
                e.count(errors);
                if !std::mem::replace(&mut reported, true) {
                    eprintln!("bench[idle]: socket failed: {e}");
                }
            }
        }
    }
    let open_secs = started.elapsed().as_secs_f64();
    if holders.is_empty() {
        return Err("no visitor socket could be opened".into());
    }
    report.sockets_open = holders.len();
    report.source_addresses = endpoints.len().div_ceil(config.per_source.max(1));
    report.open_secs = round3(open_secs);
    report.opens_per_sec = round3(holders.len() as f64 / open_secs.max(1e-9));
    eprintln!("bench[idle]: {} sockets open in {:.2} s; settling", holders.len(), open_secs);

    tokio::time::sleep(settle).await;
    report.rss_after_kb = pid.and_then(rss::rss_kb);
    report.closed_by_server = closed_by_server.load(Ordering::Relaxed);
    if let (Some(before), Some(after)) = (report.rss_before_kb, report.rss_after_kb)
        && report.sockets_open > 0
    {
        let delta = after as f64 - before as f64;
        report.per_socket_bytes = Some(round3(delta * 1024.0 / report.sockets_open as f64));
    }
    eprintln!("bench[idle]: server RSS after: {:?} kB; closing", report.rss_after_kb);

    stop_tx.send_replace(true);
    for holder in holders {
        let _ = tokio::time::timeout(Duration::from_secs(5), holder).await;
    }
    Ok(())
}

/// Keeps a socket open, reading only, until stopped; then closes it.
async fn hold(mut ws: Ws, mut stop: watch::Receiver<bool>, closed_by_server: Arc<AtomicU64>) {
    loop {
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            frame = ws.next() => match frame {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                    closed_by_server.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Some(Ok(_)) => {}
            },
        }
    }
    let _ = ws.close(None).await;
}
