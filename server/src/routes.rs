//! The route table.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use parley_services::session_store::DbSessionStore;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::{AppState, errors, observability, realtime, security, widget_api};

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
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::days(14)));

    let routes = generate_route_list(app::App);
    let context_services = services.clone();
    let leptos_options = state.leptos_options.clone();
    let site_root = leptos_options.site_root.to_string();

    let widget_files = Router::new()
        .nest_service("/widget/pkg", ServeDir::new(format!("{site_root}/widget/pkg")))
        .layer(SetResponseHeaderLayer::overriding(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*")));

    let widget_api = Router::new()
        .route(
            "/widget/v1/{key}/visitors",
            axum::routing::post(widget_api::create_visitor).options(widget_api::preflight),
        )
        .route("/widget/v1/{key}/session", get(widget_api::get_session).options(widget_api::preflight))
        .route("/widget/v1/{key}/ws", get(realtime::visitor_socket))
        .route("/embed.js", get(widget_api::loader));

    let app = Router::new()
        .route("/ws/operator", get(realtime::operator_socket))
        .leptos_routes_with_context(&state, routes, move || provide_context(context_services.clone()), {
            let options = leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(middleware::from_fn(errors::status_from_error_code))
        .layer(middleware::from_fn(errors::refuse_oversized_bodies))
        .layer(middleware::from_fn_with_state(state.clone(), security::require_same_origin))
        .layer(sessions)
        .merge(widget_api)
        .merge(widget_files)
        .merge(observability::routes())
        .layer(middleware::from_fn_with_state(state.clone(), security::security_headers))
        .with_state(state.clone());
    observability::layer(app, state)
}
