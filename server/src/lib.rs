//! The Parley server: assembles the axum router (operator app, server functions,
//! WebSockets, widget endpoints) around the services, and serves it.

pub mod assets;
pub mod cli;
pub mod realtime;
pub mod routes;
pub mod security;
pub mod widget_api;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use parley_services::Services;
use tokio::sync::watch;

use crate::assets::Site;

pub use routes::router;

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    /// The built site's file names, read once at start.
    pub site: Arc<Site>,
    /// Flips to `true` when the server shuts down, so sockets close cleanly.
    pub shutdown: watch::Receiver<bool>,
}

/// Serves until `shutdown` resolves, then closes sockets and finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    services: Services,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let site = Arc::new(Site::load(&services.config.site_root));
    let state = AppState { leptos_options: site.leptos_options(addr), services, shutdown: stop_rx, site };
    let app = router(state).await;
    tracing::info!(%addr, "Parley is listening");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down");
            let _ = stop_tx.send(true);
        })
        .await
}
