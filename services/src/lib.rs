//! Parley's server-only core: entities, the feature services (workspaces, members,
//! auth, visitors, conversations), and the platform they share: actors and scopes
//! (`access`), the write path with its outbox (`write`, `events`, `outbox`), durable
//! jobs (`jobs`, `platform`), the typed realtime bus (`bus`) and the session store.
//!
//! Every service function takes an `Actor`, checks a capability and reads and writes
//! tenant tables through the `Scope` the check returns.

pub mod access;
pub mod access_tokens;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod bus;
pub mod clock;
pub mod config;
pub mod contacts;
pub mod conversations;
pub mod db;
pub mod departments;
pub mod entities;
pub mod error;
pub mod events;
pub mod gate;
pub mod hours;
pub mod inbox;
pub mod invitations;
pub mod jobs;
pub mod labels;
pub mod limits;
pub mod mail;
pub mod members;
pub mod metrics;
pub mod online;
pub mod outbox;
pub mod phrases;
pub mod platform;
pub mod presence;
pub mod profile;
pub mod push;
pub mod quick_replies;
pub mod saved_views;
pub mod session_store;
pub mod tokens;
pub mod visitors;
pub mod widget_config;
pub mod workspace_admin;
pub mod workspaces;
pub mod write;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

pub use access::{Actor, Member, Scope, Token, Visitor};
pub use auth::LoginThrottle;
pub use bus::{Audience, Envelope, EventBus, InProcessBus, Operators, VisitorTabs, Widgets};
pub use config::Config;
pub use error::{ServiceError, ServiceResult};
pub use events::DomainEvent;
pub use write::Write;

/// What every request handler needs: the database, the bus and shared state.
#[derive(Clone)]
pub struct Services {
    pub db: DatabaseConnection,
    pub bus: Arc<dyn EventBus>,
    pub throttle: Arc<LoginThrottle>,
    /// Rate limits on anonymous widget traffic (new visitors, messages, typing).
    pub limits: Arc<limits::RateLimits>,
    pub config: Arc<Config>,
    /// Job handlers and outbox consumers.
    pub platform: Arc<platform::Platform>,
    /// This server's Prometheus metrics (`GET /metrics`).
    pub metrics: Arc<metrics::Metrics>,
    /// Who has which conversation open (this server's sockets).
    pub presence: Arc<presence::Presence>,
    /// Which visitors are on the site now (this server's widget sockets).
    pub online: Arc<online::Online>,
    /// Where attachment bytes live.
    pub files: attachments::Files,
    /// SQLite allows one writer at a time: writers queue here and those queued together
    /// commit as one batch (`gate.rs`). `None` on PostgreSQL.
    pub(crate) write_gate: Option<Arc<gate::WriteGate>>,
    /// Woken after a commit that wrote outbox rows.
    pub(crate) outbox_wake: Arc<tokio::sync::Notify>,
    /// Woken after a commit that enqueued a job.
    pub(crate) jobs_wake: Arc<tokio::sync::Notify>,
    /// The queue of visitors' messages written many per write (`conversations/append.rs`),
    /// its task started on first use.
    pub(crate) appender: Arc<std::sync::OnceLock<conversations::AppendQueue>>,
}

impl Services {
    /// Connects to the configured database, migrates it and starts an in-process bus.
    pub async fn start(config: Config) -> Result<Self, sea_orm::DbErr> {
        if config.uses_sqlite() {
            std::fs::create_dir_all(&config.data_dir)
                .map_err(|err| sea_orm::DbErr::Custom(format!("cannot create {}: {err}", config.data_dir.display())))?;
        }
        let files = attachments::Files::open(&config).map_err(sea_orm::DbErr::Custom)?;
        let db = db::connect_and_migrate(&config.database_url).await?;
        let writer = if config.uses_sqlite() {
            db::spawn_checkpointer(db.clone());
            Some(db::connect_writer(&config.database_url).await?)
        } else {
            None
        };
        let mut services = Self::new(db, Arc::new(InProcessBus::new()), config, files);
        if let Some(writer) = writer {
            services.write_gate = Some(Arc::new(gate::WriteGate::with_writer(writer)));
        }
        Ok(services)
    }

    /// Assembles services from parts.
    pub fn new(db: DatabaseConnection, bus: Arc<dyn EventBus>, config: Config, files: attachments::Files) -> Self {
        let write_gate = config.uses_sqlite().then(|| Arc::new(gate::WriteGate::default()));
        let services = Services {
            db,
            bus,
            throttle: Arc::new(LoginThrottle::default()),
            limits: Arc::new(limits::RateLimits::new(&config)),
            config: Arc::new(config),
            platform: Arc::default(),
            write_gate,
            outbox_wake: Arc::default(),
            jobs_wake: Arc::default(),
            appender: Arc::default(),
            metrics: Arc::new(metrics::Metrics::new()),
            presence: Arc::default(),
            online: Arc::default(),
            files,
        };
        platform::register_builtin(&services);
        services
    }

    /// On SQLite, the write batches committed so far and the writes they held (`None` on
    /// PostgreSQL, where every write commits on its own).
    pub fn write_batches(&self) -> Option<(u64, u64)> {
        self.write_gate.as_ref().map(|gate| gate.batch_stats())
    }

    /// The appender's queue (started on first use).
    pub(crate) fn appender(&self) -> &conversations::AppendQueue {
        self.appender.get_or_init(conversations::spawn_appender)
    }

    /// Publishes an event that no write precedes (typing), right away.
    pub fn notify<A: Audience>(&self, audience: A, event: A::Event) {
        audience.publish(self.bus.as_ref(), Envelope::new(event));
    }
}
