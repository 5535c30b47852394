//! Parley's Prometheus metrics: every metric name in one place, the small functions the
//! rest of the code calls to record, and the exposition `GET /metrics` serves.
//!
//! Each `Services` owns one `Metrics` (its own registry, no process-wide state), so
//! two servers in one process, as in tests, count separately. The exposition is the
//! OpenMetrics text format (`application/openmetrics-text`), which Prometheus scrapes
//! natively; counters appear with their `_total` suffix.

use std::time::Duration;

use parley_types::Author;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use sea_orm::{DatabaseBackend, DatabaseConnection};

/// Counter `{method, route, status}`: HTTP requests answered. `route` is the matched
/// route template (`/widget/v1/{key}/ws`, `/api/login`), never a raw path, or
/// `fallback` for files, widget assets and unknown paths.
pub const HTTP_REQUESTS_TOTAL: &str = "parley_http_requests_total";
/// Histogram `{method, route}`: seconds from request to response headers.
pub const HTTP_REQUEST_DURATION_SECONDS: &str = "parley_http_request_duration_seconds";
/// Gauge `{kind="operator"|"visitor"}`: WebSockets open now.
pub const OPEN_SOCKETS: &str = "parley_open_sockets";
/// Counter: sockets closed (1013) because they fell behind the event bus.
pub const SOCKET_LAG_CLOSES_TOTAL: &str = "parley_socket_lag_closes_total";
/// Counter: events sent to sockets from the database on resume (replays and gap fills).
pub const REPLAYED_EVENTS_TOTAL: &str = "parley_replayed_events_total";
/// Counter `{author="visitor"|"operator"|"system"}`: messages stored (resends excluded).
pub const MESSAGES_STORED_TOTAL: &str = "parley_messages_stored_total";
/// Gauge `{state="in_use"|"idle"}`: database pool connections, read at each scrape.
pub const DB_CONNECTIONS: &str = "parley_db_connections";
/// Gauge: jobs waiting to run. Set by the job runner with [`Metrics::set_jobs_queue_depth`].
pub const JOBS_QUEUE_DEPTH: &str = "parley_jobs_queue_depth";
/// Counter `{kind}`: job runs that failed. Counted by the job runner with [`Metrics::job_failed`].
pub const JOB_FAILURES_TOTAL: &str = "parley_job_failures_total";

/// Upper bounds (seconds) of the request latency buckets: 1 ms to 10 s.
const LATENCY_BUCKETS: [f64; 13] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Which end of the realtime layer a socket serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketKind {
    Operator,
    Visitor,
}

impl SocketKind {
    fn as_str(self) -> &'static str {
        match self {
            SocketKind::Operator => "operator",
            SocketKind::Visitor => "visitor",
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobKindLabel {
    kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AuthorLabel {
    author: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: &'static str,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// One server's metrics. Cheap to share: every field is a handle onto the registry's.
pub struct Metrics {
    registry: Registry,
    http_requests: Family<RequestLabels, Counter>,
    http_latency: LatencyFamily,
    open_sockets: Family<KindLabel, Gauge>,
    socket_lag_closes: Counter,
    replayed_events: Counter,
    messages_stored: Family<AuthorLabel, Counter>,
    db_connections: Family<StateLabel, Gauge>,
    jobs_queue_depth: Gauge,
    job_failures: Family<JobKindLabel, Counter>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Counters are registered without `_total`: the encoder appends it.
fn counter_name(name: &str) -> &str {
    name.strip_suffix("_total").unwrap_or(name)
}

impl Metrics {
    /// Registers every metric at zero.
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let http_requests = Family::default();
        registry.register(counter_name(HTTP_REQUESTS_TOTAL), "HTTP requests answered", http_requests.clone());
        let http_latency: LatencyFamily = Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS));
        registry.register(HTTP_REQUEST_DURATION_SECONDS, "HTTP request latency in seconds", http_latency.clone());
        let open_sockets = Family::default();
        registry.register(OPEN_SOCKETS, "WebSockets open now", open_sockets.clone());
        let socket_lag_closes = Counter::default();
        registry.register(
            counter_name(SOCKET_LAG_CLOSES_TOTAL),
            "Sockets closed because they fell behind the event bus",
            socket_lag_closes.clone(),
        );
        let replayed_events = Counter::default();
        registry.register(
            counter_name(REPLAYED_EVENTS_TOTAL),
            "Events sent to sockets from the database on resume",
            replayed_events.clone(),
        );
        let messages_stored = Family::default();
        registry.register(counter_name(MESSAGES_STORED_TOTAL), "Messages stored", messages_stored.clone());
        let db_connections = Family::default();
        registry.register(DB_CONNECTIONS, "Database pool connections", db_connections.clone());
        let jobs_queue_depth = Gauge::default();
        registry.register(JOBS_QUEUE_DEPTH, "Jobs waiting to run", jobs_queue_depth.clone());
        let job_failures = Family::default();
        registry.register(counter_name(JOB_FAILURES_TOTAL), "Job runs that failed", job_failures.clone());
        let metrics = Metrics {
            registry,
            http_requests,
            http_latency,
            open_sockets,
            socket_lag_closes,
            replayed_events,
            messages_stored,
            db_connections,
            jobs_queue_depth,
            job_failures,
        };
        // Known label values start at zero, so dashboards see them before the first event.
        for kind in [SocketKind::Operator, SocketKind::Visitor] {
            let _ = metrics.open_sockets.get_or_create(&KindLabel { kind: kind.as_str() });
        }
        for author in [Author::Visitor, Author::Operator] {
            let _ = metrics.messages_stored.get_or_create(&AuthorLabel { author: author.as_str() });
        }
        metrics
    }

    /// Counts one answered HTTP request and its latency.
    pub fn record_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let (method, route) = (method.to_owned(), route.to_owned());
        self.http_latency
            .get_or_create(&RouteLabels { method: method.clone(), route: route.clone() })
            .observe(elapsed.as_secs_f64());
        self.http_requests.get_or_create(&RequestLabels { method, route, status }).inc();
    }

    /// Counts a socket as open until the returned guard is dropped (when its task ends).
    pub fn socket_opened(&self, kind: SocketKind) -> OpenSocket {
        let gauge = self.open_sockets.get_or_create(&KindLabel { kind: kind.as_str() }).clone();
        gauge.inc();
        OpenSocket(gauge)
    }

    /// Counts a socket closed for falling behind the bus.
    pub fn socket_lagged(&self) {
        self.socket_lag_closes.inc();
    }

    /// Counts one event a socket was sent from the database.
    pub fn event_replayed(&self) {
        self.replayed_events.inc();
    }

    /// Events sent from the database so far (for tests and the bench).
    pub fn replayed_events(&self) -> u64 {
        self.replayed_events.get()
    }

    /// Counts one stored message.
    pub fn message_stored(&self, author: Author) {
        self.messages_stored.get_or_create(&AuthorLabel { author: author.as_str() }).inc();
    }

    /// Sets how many jobs wait to run (the job runner calls this after each poll).
    pub fn set_jobs_queue_depth(&self, depth: i64) {
        self.jobs_queue_depth.set(depth);
    }

    /// Counts one failed run of a job of `kind` (e.g. `"email"`; keep kinds a small fixed set).
    pub fn job_failed(&self, kind: &str) {
        self.job_failures.get_or_create(&JobKindLabel { kind: kind.to_owned() }).inc();
    }

    /// The exposition, with the pool gauges read from `db` now.
    pub fn render(&self, db: &DatabaseConnection) -> String {
        if let Some((in_use, idle)) = pool_usage(db) {
            self.db_connections.get_or_create(&StateLabel { state: "in_use" }).set(in_use);
            self.db_connections.get_or_create(&StateLabel { state: "idle" }).set(idle);
        }
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// `(in use, idle)` connections of the sqlx pool behind `db`.
fn pool_usage(db: &DatabaseConnection) -> Option<(i64, i64)> {
    let (size, idle) = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => return None,
    };
    let idle = i64::try_from(idle).unwrap_or(i64::MAX);
    Some((i64::from(size).saturating_sub(idle).max(0), idle))
}

/// Holds one socket in the open-sockets gauge; dropping it counts the socket closed.
#[derive(Debug)]
pub struct OpenSocket(Gauge);

impl Drop for OpenSocket {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(text: &str, prefix: &str) -> Option<f64> {
        text.lines().find_map(|line| line.strip_prefix(prefix).and_then(|rest| rest.trim().parse().ok()))
    }

    #[test]
    fn every_named_metric_is_exposed_and_counts() {
        let metrics = Metrics::new();
        metrics.record_request("GET", "/healthz", 200, Duration::from_millis(3));
        metrics.message_stored(Author::Visitor);
        metrics.job_failed("email");
        metrics.set_jobs_queue_depth(7);
        let open = metrics.socket_opened(SocketKind::Visitor);
        let mut registry_text = String::new();
        let _ = prometheus_client::encoding::text::encode(&mut registry_text, &metrics.registry);
        for name in [
            HTTP_REQUESTS_TOTAL,
            HTTP_REQUEST_DURATION_SECONDS,
            OPEN_SOCKETS,
            SOCKET_LAG_CLOSES_TOTAL,
            MESSAGES_STORED_TOTAL,
            JOBS_QUEUE_DEPTH,
            JOB_FAILURES_TOTAL,
        ] {
            assert!(registry_text.lines().any(|l| l.starts_with(name)), "{name} missing from\n{registry_text}");
        }
        let t = &registry_text;
        assert_eq!(sample(t, r#"parley_http_requests_total{method="GET",route="/healthz",status="200"}"#), Some(1.0));
        assert_eq!(
            sample(t, r#"parley_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz"}"#),
            Some(1.0)
        );
        assert_eq!(sample(t, r#"parley_messages_stored_total{author="visitor"}"#), Some(1.0));
        assert_eq!(sample(t, r#"parley_open_sockets{kind="visitor"}"#), Some(1.0));
        assert_eq!(sample(t, "parley_jobs_queue_depth"), Some(7.0));
        assert_eq!(sample(t, r#"parley_job_failures_total{kind="email"}"#), Some(1.0));
        drop(open);
        let mut after = String::new();
        let _ = prometheus_client::encoding::text::encode(&mut after, &metrics.registry);
        assert_eq!(sample(&after, r#"parley_open_sockets{kind="visitor"}"#), Some(0.0));
    }
}
