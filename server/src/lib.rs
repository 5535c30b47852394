//! The Parley server: assembles the axum router (operator app, server functions,
//! WebSockets, widget endpoints) around the services, and serves it.

pub mod assets;
pub mod attachments;
pub mod backup;
pub mod cli;
pub mod errors;
pub mod exports;
pub mod landing;
pub mod language;
pub mod observability;
pub mod public_api;
pub mod realtime;
pub mod routes;
pub mod security;
pub mod transcripts;
pub mod widget_api;
pub mod widget_identity;
pub mod workspace_path;

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
    /// The features' streams and socket frame handlers.
    pub realtime: Arc<realtime::Realtime>,
}

/// Serves until `shutdown` resolves, then closes sockets and finishes in-flight requests.
/// On SQLite it holds the data folder's lock (`backup::DataDirLock`) meanwhile, and fails
/// when another server holds it.
pub async fn serve(
    listener: tokio::net::TcpListener,
    services: Services,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    // Held until serving ends, so `parley restore` cannot replace the database meanwhile.
    let _data_dir_lock = if services.config.uses_sqlite() {
        Some(backup::DataDirLock::acquire(&services.config.data_dir).map_err(std::io::Error::other)?)
    } else {
        None
    };
    let (stop_tx, stop_rx) = watch::channel(false);
    parley_services::platform::spawn_workers(&services, stop_rx.clone())
        .await
        .map_err(|err| std::io::Error::other(format!("could not start the job runner: {err}")))?;
    let site = Arc::new(Site::load(&services.config.site_root));
    let state = AppState {
        leptos_options: site.leptos_options(addr),
        services,
        shutdown: stop_rx,
        site,
        realtime: Arc::new(realtime::Realtime::new()),
    };
    // Before routing: a tab's workspace address (`/w/{slug}/…`) chooses its workspace.
    let app = tower::ServiceBuilder::new().map_request(workspace_path::choose).service(router(state).await);
    tracing::info!(%addr, "Parley is listening");
    // TCP_NODELAY: a socket's small frames (a message, then the conversation's new summary)
    // go out at once instead of waiting for the client's delayed ACK (Nagle), which held
    // operator deliveries back by up to ~40 ms.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::warn!(%err, "could not set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<SocketAddr>(app),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        tracing::info!("shutting down");
        let _ = stop_tx.send(true);
    })
    .await
}
