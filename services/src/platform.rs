//! Where features plug in their background work: job handlers by kind and outbox
//! consumers, registered before the server starts; [`spawn_workers`] runs them. Parley's
//! own housekeeping (outbox pruning, expired sessions) is registered here too.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tokio::sync::watch;

use crate::Services;
use crate::clock::now_ms;
use crate::entities::job;
use crate::jobs::{JobError, JobHandler, NewJob};
use crate::outbox::OutboxConsumer;
use crate::write::Write;

/// Registered handlers and consumers.
#[derive(Default)]
pub struct Platform {
    handlers: RwLock<HashMap<&'static str, Arc<dyn JobHandler>>>,
    /// Job kinds that run again and again; one is enqueued at start if none is pending.
    recurring: RwLock<Vec<&'static str>>,
    consumers: RwLock<Vec<Arc<dyn OutboxConsumer>>>,
}

impl Platform {
    /// Registers the handler of one job kind (a later one replaces an earlier one).
    pub fn register_job(&self, handler: Arc<dyn JobHandler>) {
        self.handlers.write().unwrap_or_else(|p| p.into_inner()).insert(handler.kind(), handler);
    }

    /// Registers the handler of a job that runs again and again: the workers enqueue its
    /// first run (once, by its kind as unique key) and each run schedules the next
    /// ([`again_later`]).
    pub fn register_recurring(&self, handler: Arc<dyn JobHandler>) {
        self.recurring.write().unwrap_or_else(|p| p.into_inner()).push(handler.kind());
        self.register_job(handler);
    }

    /// Registers an outbox consumer; it starts with the workers.
    pub fn register_consumer(&self, consumer: Arc<dyn OutboxConsumer>) {
        self.consumers.write().unwrap_or_else(|p| p.into_inner()).push(consumer);
    }

    pub fn job_handler(&self, kind: &str) -> Option<Arc<dyn JobHandler>> {
        self.handlers.read().unwrap_or_else(|p| p.into_inner()).get(kind).cloned()
    }

    pub fn consumers(&self) -> Vec<Arc<dyn OutboxConsumer>> {
        self.consumers.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// How long handled outbox rows are kept (for late consumers and inspection).
pub const OUTBOX_RETENTION_MS: i64 = 7 * 24 * 3600 * 1000;
/// How often housekeeping runs.
pub const HOUSEKEEPING_EVERY_MS: i64 = 3600 * 1000;

/// Registers Parley's own jobs, and each feature's.
pub fn register_builtin(svc: &Services) {
    svc.platform.register_recurring(Arc::new(PruneOutbox));
    svc.platform.register_recurring(Arc::new(SweepSessions));
    svc.platform.register_recurring(Arc::new(crate::attachments::SweepPending));
    svc.platform.register_recurring(Arc::new(crate::audit::PruneAudit));
    crate::conversations::register(&svc.platform);
    crate::presence::register(&svc.platform);
    crate::departments::register(&svc.platform);
    crate::workspace_admin::register(&svc.platform);
    crate::push::register(&svc.platform);
    crate::online::register(&svc.platform);
    crate::contacts::import::register(&svc.platform);
}

/// Schedules the recurring housekeeping jobs (once each), starts the job runner and
/// every registered outbox consumer. They stop when `shutdown` turns true.
pub async fn spawn_workers(svc: &Services, shutdown: watch::Receiver<bool>) -> crate::ServiceResult<()> {
    // This instance's VAPID keys for Web Push, generated on the first start.
    crate::push::vapid(&svc.db).await?;
    let mut w = svc.begin().await?;
    let recurring = svc.platform.recurring.read().unwrap_or_else(|p| p.into_inner()).clone();
    for kind in recurring {
        w.enqueue(NewJob::new(kind, serde_json::Value::Null).unique(kind)).await?;
    }
    crate::presence::away_unless_back(&mut w, svc).await?;
    w.commit().await?;
    crate::jobs::spawn_runner(svc.clone(), shutdown.clone());
    for consumer in svc.platform.consumers() {
        crate::outbox::spawn_consumer(svc.clone(), consumer, shutdown.clone());
    }
    Ok(())
}

/// Re-enqueues a recurring job for its next run `every_ms` from now, in the same write.
pub async fn again_later(w: &mut Write, kind: &'static str, every_ms: i64) -> Result<(), JobError> {
    w.enqueue(NewJob::new(kind, serde_json::Value::Null).unique(kind).due_at(now_ms() + every_ms)).await?;
    Ok(())
}

/// Deletes outbox rows every consumer has handled, after the retention period.
struct PruneOutbox;

impl PruneOutbox {
    const KIND: &'static str = "outbox.prune";
}

#[async_trait::async_trait]
impl JobHandler for PruneOutbox {
    fn kind(&self) -> &'static str {
        Self::KIND
    }

    async fn run(&self, svc: &Services, w: &mut Write, _job: &job::Model) -> Result<(), JobError> {
        let pruned = crate::outbox::prune(svc, w, OUTBOX_RETENTION_MS).await?;
        if pruned > 0 {
            tracing::info!(pruned, "pruned handled outbox rows");
        }
        again_later(w, Self::KIND, HOUSEKEEPING_EVERY_MS).await
    }
}

/// Deletes expired operator sessions.
struct SweepSessions;

impl SweepSessions {
    const KIND: &'static str = "sessions.sweep";
}

#[async_trait::async_trait]
impl JobHandler for SweepSessions {
    fn kind(&self) -> &'static str {
        Self::KIND
    }

    async fn run(&self, _svc: &Services, w: &mut Write, _job: &job::Model) -> Result<(), JobError> {
        crate::session_store::delete_expired_in(w.txn()).await?;
        again_later(w, Self::KIND, HOUSEKEEPING_EVERY_MS).await
    }
}
