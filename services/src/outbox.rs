//! Outbox consumers: features that react to domain events (workflows, webhooks,
//! analytics) register an [`OutboxConsumer`]. Each consumer reads the outbox by cursor,
//! picks the events it has work for (reading only), and handles them in a write in which
//! its position also moves: a restart loses no event, and a consumer never handles one
//! twice. Batches with nothing for a consumer cost it no write.

use std::sync::Arc;
use std::time::{Duration, Instant};

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
    /// The events of `batch` that [`handle`](Self::handle) has work for, chosen by
    /// reading outside any write, so a batch with nothing to do costs no write (on
    /// SQLite, holds no writer back). An event left out is passed over for good: leave
    /// out only events that need nothing. Default: every event.
    async fn select<'a>(&self, _svc: &Services, batch: &'a [StoredEvent]) -> ServiceResult<Vec<&'a StoredEvent>> {
        Ok(batch.iter().collect())
    }
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
/// How long a woken consumer gathers events before it reads them. Under load every
/// message wakes the consumers: reading each event on its own cost every message a few
/// database reads and thread wake-ups beside its delivery, where one read now takes the
/// events of this window together. Nothing a consumer does is in a hurry at this scale
/// (a push notification, a webhook).
const GATHER: Duration = Duration::from_millis(25);
/// How often a position that moved only over passed-over events is saved (a position
/// moves with the work in every write that handles events).
const SAVE_PASSED_OVER_EVERY: Duration = Duration::from_secs(1);

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

/// Where a consumer has read to, kept between batches. `read` runs ahead of the stored
/// position only over passed-over events (see [`OutboxConsumer::select`]), which are
/// saved at most once per [`SAVE_PASSED_OVER_EVERY`]: after a restart they are read and
/// passed over again, never handled twice.
pub struct Cursor {
    read: i64,
    saved: i64,
    saved_at: Instant,
}

impl Cursor {
    /// The consumer's stored position.
    pub async fn load(svc: &Services, name: &str) -> ServiceResult<Cursor> {
        let stored = position(&svc.db, name).await?;
        Ok(Cursor { read: stored, saved: stored, saved_at: Instant::now() })
    }

    /// Whether passed-over events wait to be saved.
    pub fn unsaved(&self) -> bool {
        self.read > self.saved
    }

    /// Saves the position over passed-over events if the last save is old enough (in a
    /// write of its own; a position another process moved further is left alone).
    async fn save_if_due(&mut self, svc: &Services, name: &str) -> ServiceResult<()> {
        if !self.unsaved() || self.saved_at.elapsed() < SAVE_PASSED_OVER_EVERY {
            return Ok(());
        }
        let w = svc.begin().await?;
        if locked_position(&w, name).await? < self.read {
            save_position(&w, name, self.read).await?;
        }
        w.commit().await?;
        self.saved = self.read;
        self.saved_at = Instant::now();
        Ok(())
    }
}

/// Handles every event after `cursor`; returns how many were handled. A batch's selected events are handled in one
/// write (the position saved with them); when that fails, they are handled one write
/// each, so one failing event holds back only itself and those after it. A batch with
/// nothing selected only moves the cursor.
pub async fn drain_from(svc: &Services, consumer: &dyn OutboxConsumer, cursor: &mut Cursor) -> ServiceResult<usize> {
    let mut handled = 0;
    loop {
        let batch = events_after(&svc.db, cursor.read, BATCH).await?;
        let Some(last) = batch.last().map(|event| event.id) else {
            cursor.save_if_due(svc, consumer.name()).await?;
            return Ok(handled);
        };
        let selected = consumer.select(svc, &batch).await?;
        if !selected.is_empty() {
            let saved = match handle_batch(svc, consumer, &selected, last).await {
                Ok(n) => {
                    handled += n;
                    last
                }
                Err(err) => {
                    tracing::debug!(consumer = consumer.name(), %err, "a batch failed; handling its events one by one");
                    for event in &selected {
                        handled += handle_batch(svc, consumer, std::slice::from_ref(event), event.id).await?;
                    }
                    selected.last().map_or(cursor.saved, |event| event.id)
                }
            };
            cursor.saved = cursor.saved.max(saved);
            cursor.saved_at = Instant::now();
        }
        cursor.read = last;
        cursor.save_if_due(svc, consumer.name()).await?;
        // A short batch was the end: the next commit wakes the consumer again.
        if (batch.len() as u64) < BATCH {
            return Ok(handled);
        }
    }
}

/// Handles `events` (those after the stored position) in one write that moves the
/// position to `upto`.
async fn handle_batch(
    svc: &Services,
    consumer: &dyn OutboxConsumer,
    events: &[&StoredEvent],
    upto: i64,
) -> ServiceResult<usize> {
    let mut w = svc.begin().await?;
    // Another server may have handled some (PostgreSQL: the row is locked until this
    // write ends, so two servers never handle the same event).
    let position = locked_position(&w, consumer.name()).await?;
    let mut handled = 0;
    for event in events.iter().filter(|e| e.id > position) {
        consumer.handle(svc, &mut w, event).await?;
        handled += 1;
    }
    if upto > position {
        save_position(&w, consumer.name(), upto).await?;
        w.commit().await?;
    }
    Ok(handled)
}

/// Runs `consumer` until `shutdown`: drains the outbox whenever a write recorded
/// events, and every [`IDLE_POLL`] in case a wake-up was missed.
pub fn spawn_consumer(svc: Services, consumer: Arc<dyn OutboxConsumer>, mut shutdown: watch::Receiver<bool>) {
    tokio::spawn(async move {
        let mut cursor: Option<Cursor> = None;
        loop {
            let wake = svc.outbox_wake.clone();
            let notified = wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let drained = match cursor.as_mut() {
                Some(cursor) => drain_from(&svc, consumer.as_ref(), cursor).await,
                None => match Cursor::load(&svc, consumer.name()).await {
                    Ok(loaded) => drain_from(&svc, consumer.as_ref(), cursor.insert(loaded)).await,
                    Err(err) => Err(err),
                },
            };
            let pause = match drained {
                // Passed-over events wait to be saved: look again when that is due.
                Ok(_) if cursor.as_ref().is_some_and(Cursor::unsaved) => SAVE_PASSED_OVER_EVERY,
                Ok(_) => IDLE_POLL,
                Err(err) => {
                    tracing::warn!(consumer = consumer.name(), %err, "outbox consumer failed; retrying");
                    // Start again from the stored position.
                    cursor = None;
                    RETRY_AFTER_FAILURE
                }
            };
            tokio::select! {
                () = &mut notified => tokio::select! {
                    () = tokio::time::sleep(GATHER) => {}
                    _ = shutdown.changed() => return,
                },
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
