//! The route table.

use axum::Router;
use axum::http::HeaderMap;
use axum::middleware;
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use parley_services::session_store::DbSessionStore;
use tower_http::compression::CompressionLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::{AppState, realtime, security, widget_api};

/// Name of the operator session cookie.
pub const SESSION_COOKIE: &str = "parley_session";

/// Builds the whole application.
pub async fn router(state: AppState) -> Router {
    let services = state.services.clone();
    let store = DbSessionStore::new(services.db.clone());
    let sweeper = store.clone();
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            if let Err(err) = sweeper.delete_expired().await {
                tracing::warn!(%err, "could not delete expired sessions");
            }
        }
    });
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(services.config.public_url.starts_with("https://"))
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::days(14)));

    let routes = generate_route_list(app::App);
    let context_services = services.clone();
    let leptos_options = state.leptos_options.clone();

    // HTML pages, server functions and the widget's JSON are compressed per response
    // (brotli 4 / gzip 6); static files come precompressed (`Site::router`) and sockets
    // stay outside this layer.
    let compression = || CompressionLayer::new();

    let loader = widget_api::Loader::new(&state.site.widget);
    let widget_api = Router::new()
        .route(
            "/widget/v1/{key}/visitors",
            axum::routing::post(widget_api::create_visitor).options(widget_api::preflight),
        )
        .route("/widget/v1/{key}/session", get(widget_api::get_session).options(widget_api::preflight))
        .layer(compression())
        .route("/widget/v1/{key}/ws", get(realtime::visitor_socket))
        .route("/embed.js", get(move |headers: HeaderMap| async move { loader.respond(&headers) }));

    Router::new()
        .leptos_routes_with_context(&state, routes, move || provide_context(context_services.clone()), {
            let options = leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(compression())
        .route("/healthz", get(|| async { "ok" }))
        .route("/ws/operator", get(realtime::operator_socket))
        .layer(middleware::from_fn_with_state(state.clone(), security::require_same_origin))
        .layer(sessions)
        .merge(widget_api)
        .merge(state.site.router())
        .with_state(state)
}
