//! Parley's server-only core: entities, the feature services (workspaces, auth,
//! visitors, conversations), the event bus and the session store.
//!
//! Everything here takes a workspace id from its caller (a session or a widget key) and
//! scopes every query to it.

pub mod auth;
pub mod bus;
pub mod clock;
pub mod config;
pub mod conversations;
pub mod db;
pub mod entities;
pub mod error;
pub mod metrics;
pub mod session_store;
pub mod tokens;
pub mod visitors;
pub mod workspaces;

use std::sync::Arc;

use parley_types::ServerEvent;
use sea_orm::DatabaseConnection;

pub use auth::{LoginThrottle, SignedIn};
pub use bus::{Envelope, EventBus, InProcessBus, Topic};
pub use config::Config;
pub use error::{ServiceError, ServiceResult};

/// What every request handler needs: the database, the bus and shared state.
#[derive(Clone)]
pub struct Services {
    pub db: DatabaseConnection,
    pub bus: Arc<dyn EventBus>,
    pub throttle: Arc<LoginThrottle>,
    pub config: Arc<Config>,
    /// This server's Prometheus metrics (`GET /metrics`).
    pub metrics: Arc<metrics::Metrics>,
    /// SQLite allows one writer at a time; queueing writers here is fairer and faster
    /// than letting them poll SQLite's busy handler. `None` on PostgreSQL.
    write_gate: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl Services {
    /// Connects to the configured database, migrates it and starts an in-process bus.
    pub async fn start(config: Config) -> Result<Self, sea_orm::DbErr> {
        if config.uses_sqlite() {
            std::fs::create_dir_all(&config.data_dir)
                .map_err(|err| sea_orm::DbErr::Custom(format!("cannot create {}: {err}", config.data_dir.display())))?;
        }
        let db = db::connect_and_migrate(&config.database_url).await?;
        if config.uses_sqlite() {
            db::spawn_checkpointer(db.clone());
        }
        Ok(Self::new(db, Arc::new(InProcessBus::new()), config))
    }

    /// Assembles services from parts (tests pass their own).
    pub fn new(db: DatabaseConnection, bus: Arc<dyn EventBus>, config: Config) -> Self {
        let write_gate = config.uses_sqlite().then(|| Arc::new(tokio::sync::Mutex::new(())));
        Services {
            db,
            bus,
            throttle: Arc::new(LoginThrottle::default()),
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::new()),
            write_gate,
        }
    }

    /// Publishes one event to several topics, serialising it once.
    pub fn publish(&self, topics: &[Topic], event: ServerEvent) {
        let envelope = Envelope::new(event);
        for topic in topics {
            self.bus.publish(*topic, envelope.clone());
        }
    }

    pub(crate) async fn write_gate(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.write_gate {
            Some(gate) => Some(gate.lock().await),
            None => None,
        }
    }
}
