//! The route table.

use axum::Router;
use axum::http::HeaderMap;
use axum::middleware;
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use parley_services::session_store::DbSessionStore;
use tower_http::compression::CompressionLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::{
    AppState, attachments, errors, exports, landing, language, observability, public_api, realtime, security,
    transcripts, widget_api, widget_identity,
};

/// Name of the operator session cookie.
pub const SESSION_COOKIE: &str = "parley_session";

/// Builds the whole application.
pub async fn router(state: AppState) -> Router {
    let services = state.services.clone();
    // Expired sessions are deleted by the `sessions.sweep` job.
    let store = DbSessionStore::new(&services);
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(services.config.public_url.starts_with("https://"))
        .with_expiry(Expiry::OnInactivity(
            // A signed-in session's end is set by `auth::start_session` and pushed back as
            // it is used, up to its absolute lifetime (`auth::member_from_session`).
            tower_sessions::cookie::time::Duration::try_from(services.config.session_idle)
                .unwrap_or(tower_sessions::cookie::time::Duration::days(7)),
        ));

    let routes = generate_route_list(app::App);
    let context_services = services.clone();
    let leptos_options = state.leptos_options.clone();

    // HTML pages, server functions and the widget's JSON are compressed per response
    // (brotli 4 / gzip 6); static files come precompressed (`Site::router`) and sockets
    // stay outside this layer.
    let compression = || CompressionLayer::new();

    // The public REST API: bearer tokens, no cookies (so outside the session and
    // same-origin layers).
    let rest_api = Router::new()
        .route("/api/v1/me", get(public_api::me))
        .route("/api/v1/workspace", get(public_api::workspace))
        .layer(compression());

    let loader = widget_api::Loader::new(&state.site.widget);
    let widget_api = Router::new()
        .route(
            "/widget/v1/{key}/visitors",
            axum::routing::post(widget_api::create_visitor).options(widget_api::preflight),
        )
        .route("/widget/v1/{key}/session", get(widget_api::get_session).options(widget_api::preflight))
        .route("/widget/v1/{key}/config", get(widget_api::get_config))
        .route("/widget/v1/locales/{lang}", get(widget_api::get_locale))
        .route("/widget/v1/{key}/resume", post(widget_api::resume).options(widget_api::preflight))
        .route("/chat/{key}", get(landing::landing_page))
        .route("/widget/v1/{key}/identify", post(widget_identity::identify).options(widget_api::preflight))
        .route("/widget/v1/{key}/attributes", post(widget_identity::attributes).options(widget_api::preflight))
        .route("/widget/v1/{key}/labels", post(widget_identity::labels).options(widget_api::preflight))
        .route("/widget/v1/{key}/events", post(widget_identity::track).options(widget_api::preflight))
        .route("/widget/v1/{key}/lead", post(widget_identity::lead).options(widget_api::preflight))
        .route(
            "/widget/v1/{key}/attachments/{id}",
            get(attachments::visitor_download).options(widget_api::preflight_any),
        )
        .layer(compression())
        // Uploads stream uncompressed, each limited by its kind (`attachments`).
        .route(
            "/widget/v1/{key}/attachments",
            axum::routing::post(attachments::visitor_upload).options(widget_api::preflight),
        )
        .route("/widget/v1/{key}/ws", get(realtime::visitor_socket))
        .layer(middleware::from_fn(errors::in_visitors_language))
        .route("/embed.js", get(move |headers: HeaderMap| async move { loader.respond(&headers) }));

    // Every render gets the services and its Content-Security-Policy (with its nonce).
    let render_context = move || {
        provide_context(context_services.clone());
        security::provide_page_policy();
    };
    let app = Router::new()
        .leptos_routes_with_context(&state, routes, render_context.clone(), {
            let options = leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(render_context, app::shell))
        .route("/transcripts/{id}", get(transcripts::download))
        .route("/exports/contacts.csv", get(exports::contacts_csv))
        .route("/exports/audit.csv", get(exports::audit_csv))
        .layer(middleware::from_fn(errors::status_from_error_code))
        .layer(middleware::from_fn(errors::refuse_oversized_bodies))
        // Outside the error-status middleware, which reads the uncompressed body.
        .layer(compression())
        // Uploads stream, each limited by its kind rather than the 2 MB of other requests.
        .route("/attachments", axum::routing::post(attachments::member_upload))
        .route("/imports/contacts", axum::routing::post(exports::import_contacts))
        .route("/attachments/{id}", get(attachments::member_download).delete(attachments::member_remove))
        .route("/ws/operator", get(realtime::operator_socket))
        .layer(middleware::from_fn_with_state(state.clone(), security::require_same_origin))
        .layer(middleware::from_fn_with_state(state.clone(), language::choose))
        .layer(sessions)
        .merge(widget_api)
        .merge(rest_api)
        .merge(state.site.router())
        .merge(observability::routes())
        .layer(middleware::from_fn_with_state(state.clone(), security::security_headers))
        .layer(middleware::from_fn_with_state(state.clone(), security::request_origin))
        .with_state(state.clone());
    observability::layer(app, state)
}
