//! Outbox consumers: features that react to domain events (workflows, webhooks,
//! analytics) register an [`OutboxConsumer`]. Each consumer reads the outbox by cursor
//! and handles every event in its own write, in which its position also moves: a
//! restart loses no event, and a consumer never sees one twice.

use std::sync::Arc;
use std::time::Duration;

use parley_types::WorkspaceId;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use tokio::sync::watch;

use crate::Services;
use crate::clock::now_ms;
use crate::entities::{outbox, outbox_consumer};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::write::Write;

/// An outbox row, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Increasing, in commit order.
    pub id: i64,
    pub workspace_id: WorkspaceId,
    pub event: DomainEvent,
    pub created_at_ms: i64,
}

/// A feature that reacts to domain events.
#[async_trait::async_trait]
pub trait OutboxConsumer: Send + Sync + 'static {
    /// Unique, stable name: the key of the stored position.
    fn name(&self) -> &'static str;
    /// Handles one event inside `w`; the consumer's position moves in the same write.
    /// An error rolls both back and the event is retried.
    async fn handle(&self, svc: &Services, w: &mut Write, event: &StoredEvent) -> ServiceResult<()>;
}

/// Events read per batch.
const BATCH: u64 = 100;
/// How long an idle consumer waits before looking again without being woken.
const IDLE_POLL: Duration = Duration::from_secs(5);
/// How long after a failure a consumer tries the same event again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// The consumer's stored position (0 before its first event).
pub async fn position(db: &impl ConnectionTrait, name: &str) -> ServiceResult<i64> {
    Ok(outbox_consumer::Entity::find_by_id(name.to_owned()).one(db).await?.map_or(0, |row| row.position))
}

/// Outbox rows after `after`, oldest first.
pub async fn events_after(db: &impl ConnectionTrait, after: i64, limit: u64) -> ServiceResult<Vec<StoredEvent>> {
    // unscoped: consumers serve every workspace; each event carries its workspace.
    let rows = outbox::Entity::find()
        .filter(outbox::Column::Id.gt(after))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let event = serde_json::from_str(&row.payload)
                .map_err(|err| ServiceError::Internal(format!("outbox row {} does not decode: {err}", row.id)))?;
            Ok(StoredEvent {
                id: row.id,
                workspace_id: WorkspaceId(row.workspace_id),
                event,
                created_at_ms: row.created_at_ms,
            })
        })
        .collect()
}

/// The consumer's position, with its row locked until the write ends (PostgreSQL;
/// SQLite's write gate already serialises writes).
async fn locked_position(w: &Write, name: &str) -> ServiceResult<i64> {
    let row =
        outbox_consumer::ActiveModel { name: Set(name.to_owned()), position: Set(0), updated_at_ms: Set(now_ms()) };
    outbox_consumer::Entity::insert(row)
        .on_conflict(OnConflict::column(outbox_consumer::Column::Name).do_nothing().to_owned())
        .exec_without_returning(w.txn())
        .await?;
    let mut query = outbox_consumer::Entity::find_by_id(name.to_owned());
    if w.txn().get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    Ok(query.one(w.txn()).await?.map_or(0, |row| row.position))
}

async fn save_position(w: &Write, name: &str, position: i64) -> ServiceResult<()> {
    let row = outbox_consumer::ActiveModel {
        name: Set(name.to_owned()),
        position: Set(position),
        updated_at_ms: Set(now_ms()),
    };
    outbox_consumer::Entity::insert(row)
        .on_conflict(
            OnConflict::column(outbox_consumer::Column::Name)
                .update_columns([outbox_consumer::Column::Position, outbox_consumer::Column::UpdatedAtMs])
                .to_owned(),
        )
        .exec(w.txn())
        .await?;
    Ok(())
}

/// Handles every event after the consumer's position; returns how many were handled.
/// A batch is handled in one write (its position saved once); when that fails, its events
/// are handled one write each, so one failing event holds back only itself and those
/// after it.
pub async fn drain(svc: &Services, consumer: &dyn OutboxConsumer) -> ServiceResult<usize> {
    let mut handled = 0;
    loop {
        let after = position(&svc.db, consumer.name()).await?;
        let batch = events_after(&svc.db, after, BATCH).await?;
        if batch.is_empty() {
            return Ok(handled);
        }
        match handle_batch(svc, consumer, &batch).await {
            Ok(n) => handled += n,
            Err(err) => {
                tracing::debug!(consumer = consumer.name(), %err, "a batch failed; handling its events one by one");
                for event in &batch {
                    handled += handle_batch(svc, consumer, std::slice::from_ref(event)).await?;
                }
            }
        }
    }
}

/// Handles the events of `batch` the consumer has not handled yet, in one write.
async fn handle_batch(svc: &Services, consumer: &dyn OutboxConsumer, batch: &[StoredEvent]) -> ServiceResult<usize> {
    let mut w = svc.begin().await?;
    // Re-read inside the write, holding the position row: another runner (a node, or a
    // server that is still shutting down) may be handling the same events.
    let position = locked_position(&w, consumer.name()).await?;
    let mut last = None;
    for event in batch.iter().filter(|e| e.id > position) {
        consumer.handle(svc, &mut w, event).await?;
        last = Some(event.id);
    }
    let Some(last) = last else { return Ok(0) };
    save_position(&w, consumer.name(), last).await?;
    w.commit().await?;
    Ok(batch.iter().filter(|e| e.id > position).count())
}

/// Runs a consumer until shutdown: drains, then waits for new events.
pub fn spawn_consumer(svc: Services, consumer: Arc<dyn OutboxConsumer>, mut shutdown: watch::Receiver<bool>) {
    tokio::spawn(async move {
        loop {
            let wake = svc.outbox_wake.clone();
            let notified = wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let pause = match drain(&svc, consumer.as_ref()).await {
                Ok(_) => IDLE_POLL,
                Err(err) => {
                    tracing::warn!(consumer = consumer.name(), %err, "outbox consumer failed; retrying");
                    RETRY_AFTER_FAILURE
                }
            };
            tokio::select! {
                () = &mut notified => {}
                () = tokio::time::sleep(pause) => {}
                _ = shutdown.changed() => return,
            }
            if *shutdown.borrow() {
                return;
            }
        }
    });
}

/// Deletes outbox rows every registered consumer has handled and that are older than
/// `retention_ms`. Returns how many were deleted.
pub async fn prune(svc: &Services, w: &Write, retention_ms: i64) -> ServiceResult<u64> {
    let names: Vec<&'static str> = svc.platform.consumers().iter().map(|c| c.name()).collect();
    let mut upto = i64::MAX;
    for name in names {
        upto = upto.min(position(w.txn(), name).await?);
    }
    // unscoped: pruning is instance-wide housekeeping.
    let result = outbox::Entity::delete_many()
        .filter(outbox::Column::Id.lte(upto))
        .filter(outbox::Column::CreatedAtMs.lt(now_ms() - retention_ms))
        .exec(w.txn())
        .await?;
    Ok(result.rows_affected)
}
