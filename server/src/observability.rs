//! What operators of a Parley server look at: `GET /metrics` (Prometheus), `GET /readyz`
//! (the database answers), per-request metrics by route template, and request logs
//! carrying an `x-request-id`.

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use parley_services::tokens::same_secret;
use sea_orm::ConnectionTrait;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::AppState;

/// The header carrying a request's id, taken from the client when it sends one.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// How long `/readyz` waits for the database before answering 503.
const READY_TIMEOUT: Duration = Duration::from_secs(3);
/// The route label of requests no route template matched (files, widget assets and
/// unknown paths): one label for all of them, so scanning for paths cannot grow the
/// metrics without bound.
const FALLBACK: &str = "fallback";

/// `/healthz` (alive), `/readyz` (ready) and `/metrics`, outside the session layer.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// Wraps the whole application: request ids, request logs and request metrics.
pub fn layer(app: Router, state: AppState) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request| {
            let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default();
            // The path only: query strings carry visitor tokens. A tab's workspace address
            // (`/w/{slug}/…`) was stripped from endpoint paths before routing: logged apart.
            let workspace = request
                .extensions()
                .get::<parley_services::auth::ChosenWorkspace>()
                .map(|chosen| tracing::field::display(chosen.0.clone()));
            tracing::info_span!("request", id, method = %request.method(), path = request.uri().path(), workspace)
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    // `Router::layer` wraps every route, so `record_request` sees the `MatchedPath`.
    app.layer(axum::middleware::from_fn_with_state(state, record_request)).layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(trace)
            .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
    )
}

/// Counts each request under its route template and status, with its latency.
async fn record_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let response = next.run(request).await;
    let route = route.as_deref().unwrap_or(FALLBACK);
    state.services.metrics.record_request(method.as_str(), route, response.status().as_u16(), started.elapsed());
    response
}

/// 200 when the database answers a trivial query, 503 while it does not.
async fn readyz(State(state): State<AppState>) -> Response {
    let db = &state.services.db;
    match tokio::time::timeout(READY_TIMEOUT, db.execute_unprepared("SELECT 1")).await {
        Ok(Ok(_)) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(err)) => {
            tracing::warn!(%err, "readiness check: the database did not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "The database is not answering, so Parley cannot serve requests.")
                .into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "The database did not answer within 3 seconds.").into_response(),
    }
}

/// The Prometheus exposition, for scrapers holding `PARLEY_METRICS_TOKEN`.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.services.config.metrics_token.as_deref() else {
        return (StatusCode::NOT_FOUND, "Metrics are off: set PARLEY_METRICS_TOKEN to turn them on.").into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map_or("", |(_, token)| token.trim());
    if !same_secret(expected, given) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "Send Authorization: Bearer with the PARLEY_METRICS_TOKEN.",
        )
            .into_response();
    }
    let body = state.services.metrics.render(&state.services.db);
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], body).into_response()
}
