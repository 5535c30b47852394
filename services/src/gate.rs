//! SQLite's write gate, with group commit.
//!
//! SQLite allows one writer at a time, so writes queue here (fairer and faster than
//! polling SQLite's busy handler). Writes that arrive while others wait share one
//! transaction: the first opens a *batch* (`BEGIN IMMEDIATE`) and writes in it directly;
//! each later one runs inside its own `SAVEPOINT`, so a write that fails or is dropped
//! rolls back alone (the first, if it fails, still holds the gate and rolls the batch back,
//! which then holds only its own work). The batch commits once when nobody is waiting any
//! more, when it holds [`MAX_BATCH_WRITES`] writes, or when it is [`MAX_BATCH_AGE`] old. A
//! write is acknowledged ([`Write::commit`] returns) only after its batch committed, so
//! nothing acknowledged can be lost, and its realtime events are published only then.
//! Under load this turns one commit per message into one per batch; alone, a write commits
//! at once.
//!
//! Outbox rows travel with the write and are inserted by the batch, all at once, just
//! before it commits (one statement per batch instead of one per write). A write that
//! ends while others wait opens the next write's savepoint in the same round trip as it
//! releases its own: on SQLite's worker thread each statement is a round trip, and the
//! gate's throughput is how many of those fit in a second.
//!
//! The savepoints are plain SQL on the batch's transaction, not nested sqlx transactions:
//! sqlx tracks nesting by depth and rolls back lazily on drop, which loses track when a
//! write is dropped between two others. A dropped write's rollback is done by whoever
//! holds the gate next, before anything else.
//!
//! [`Write::commit`]: crate::Write::commit

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait};
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

use crate::entities::outbox;
use crate::error::{ServiceError, ServiceResult};

/// Writes one batch may hold before it commits although others wait.
pub const MAX_BATCH_WRITES: usize = 256;
/// How long a batch may stay open; also the deadline by which a batch whose writers all
/// went away is committed.
pub const MAX_BATCH_AGE: Duration = Duration::from_millis(5);

/// The outcome of a batch's commit, as its writes see it.
type Outcome = Option<Result<(), String>>;

/// The gate: a queue of writers and the batch they may join.
#[derive(Debug, Default)]
pub struct WriteGate {
    /// The connection every write uses (`db::connect_writer`); without one, the pool's.
    writer: Option<DatabaseConnection>,
    state: Arc<Mutex<GateState>>,
    /// Writers queued for the gate right now.
    waiting: AtomicUsize,
    next_batch: AtomicU64,
    /// Batches committed, and writes in them (for metrics and tests).
    batches: AtomicU64,
    batched_writes: AtomicU64,
}

#[derive(Debug, Default)]
struct GateState {
    batch: Option<Batch>,
}

/// An open batch: one transaction that several writes live in.
struct Batch {
    id: u64,
    txn: DatabaseTransaction,
    writes: usize,
    opened: Instant,
    /// A write in a savepoint was dropped: roll the savepoint back before anything else.
    rollback_pending: bool,
    /// The last write opened the next write's savepoint (see the module documentation).
    savepoint_open: bool,
    /// The outbox rows of the writes that ended, inserted just before the commit.
    outbox: Vec<outbox::ActiveModel>,
    done: watch::Sender<Outcome>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("id", &self.id).field("writes", &self.writes).finish()
    }
}

impl Batch {
    /// Rolls back a dropped write's savepoint, if one is pending.
    async fn settle(&mut self) -> Result<(), DbErr> {
        if self.rollback_pending {
            self.txn.execute_unprepared("ROLLBACK TO parley_write; RELEASE parley_write").await?;
            self.rollback_pending = false;
            self.savepoint_open = false;
        }
        Ok(())
    }

    /// Opens a savepoint for a joining write, unless the write before opened it already.
    async fn open_savepoint(&mut self) -> Result<(), DbErr> {
        self.settle().await?;
        if !std::mem::take(&mut self.savepoint_open) {
            self.txn.execute_unprepared("SAVEPOINT parley_write").await?;
        }
        Ok(())
    }

    /// Inserts the batch's outbox rows (before its commit).
    async fn write_outbox(&mut self) -> Result<(), DbErr> {
        // A few hundred rows per statement keeps under SQLite's bound-variable limit.
        while !self.outbox.is_empty() {
            let rows: Vec<_> = self.outbox.drain(..self.outbox.len().min(500)).collect();
            // unscoped: the rows carry their workspace id.
            outbox::Entity::insert_many(rows).exec_without_returning(&self.txn).await?;
        }
        Ok(())
    }
}

/// A write's place in a batch: it holds the gate until the write commits or is dropped.
pub struct Ticket {
    gate: Arc<WriteGate>,
    /// `None` once the write has committed.
    guard: Option<OwnedMutexGuard<GateState>>,
    done: watch::Receiver<Outcome>,
    /// The write opened the batch and works in its transaction, not in a savepoint.
    root: bool,
}

/// Counts a writer as waiting until it holds the gate (or gives up).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl WriteGate {
    /// A gate whose writes all go through `writer`, a connection of their own.
    pub fn with_writer(writer: DatabaseConnection) -> Self {
        WriteGate { writer: Some(writer), ..WriteGate::default() }
    }

    /// Batches committed so far, and the writes they held.
    pub fn batch_stats(&self) -> (u64, u64) {
        (self.batches.load(Ordering::Relaxed), self.batched_writes.load(Ordering::Relaxed))
    }

    /// Waits for the gate and returns the write's ticket: in a new batch it opens, or in
    /// a savepoint of the open one. The write reads and writes through
    /// [`Ticket::batch_txn`].
    pub async fn enter(self: &Arc<Self>, db: &DatabaseConnection) -> ServiceResult<Ticket> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let waiting = Waiting(&self.waiting);
        let mut guard = self.state.clone().lock_owned().await;
        drop(waiting);
        if let Some(batch) = guard.batch.as_mut() {
            if let Err(err) = batch.open_savepoint().await {
                // The batch's connection is unusable: end it (its writes learn the error).
                let batch = guard.batch.take().expect("checked");
                self.finish(batch, Some(err.to_string())).await;
                return Err(err.into());
            }
            batch.writes += 1;
            let done = batch.done.subscribe();
            return Ok(Ticket { gate: self.clone(), guard: Some(guard), done, root: false });
        }
        let txn = crate::db::begin_write(self.writer.as_ref().unwrap_or(db)).await?;
        let id = self.next_batch.fetch_add(1, Ordering::Relaxed);
        let (done, receiver) = watch::channel(None);
        guard.batch = Some(Batch {
            id,
            txn,
            writes: 1,
            opened: Instant::now(),
            rollback_pending: false,
            savepoint_open: false,
            outbox: Vec::new(),
            done,
        });
        self.flush_later(id);
        Ok(Ticket { gate: self.clone(), guard: Some(guard), done: receiver, root: true })
    }

    /// Commits batch `id` after [`MAX_BATCH_AGE`] unless it was committed before: a batch
    /// never stays open because the writers that would have committed it went away.
    fn flush_later(self: &Arc<Self>, id: u64) {
        let gate = Arc::downgrade(self);
        tokio::spawn(async move {
            tokio::time::sleep(MAX_BATCH_AGE).await;
            let Some(gate) = gate.upgrade() else { return };
            let mut guard = gate.state.clone().lock_owned().await;
            if guard.batch.as_ref().is_some_and(|batch| batch.id == id) {
                let batch = guard.batch.take().expect("checked");
                gate.finish(batch, None).await;
            }
        });
    }

    /// Commits (or, after `failed`, rolls back) a batch and tells its writes.
    async fn finish(&self, mut batch: Batch, failed: Option<String>) {
        let settled = match failed {
            Some(err) => Err(err),
            None => match batch.settle().await {
                Ok(()) => batch.write_outbox().await.map_err(|err| err.to_string()),
                Err(err) => Err(err.to_string()),
            },
        };
        let Batch { txn, writes, done, .. } = batch;
        let outcome = match settled {
            Ok(()) => txn.commit().await.map_err(|err: DbErr| err.to_string()),
            // Dropping the transaction rolls it back.
            Err(err) => Err(err),
        };
        if let Err(err) = &outcome {
            tracing::error!(%err, writes, "a write batch failed to commit");
        }
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.batched_writes.fetch_add(writes as u64, Ordering::Relaxed);
        let _ = done.send(Some(outcome));
    }
}

impl Ticket {
    /// The batch's transaction, which the write reads and writes through.
    pub fn batch_txn(&self) -> &DatabaseTransaction {
        &self.guard.as_ref().and_then(|guard| guard.batch.as_ref()).expect("the write holds an open batch").txn
    }

    /// Ends the write's part, keeping its changes and handing over its `outbox` rows, then
    /// commits the batch if nobody waits (or it is full or old) or leaves it to the
    /// writers behind, and waits until the batch has committed. The commit runs in a task
    /// of its own, so a caller that stops waiting cannot interrupt it halfway.
    pub async fn committed(self, outbox: Vec<outbox::ActiveModel>) -> ServiceResult<()> {
        self.end(Some(outbox)).await
    }

    /// Undoes the write's changes and waits until everything written before it in its
    /// batch has committed (a resend is acknowledged only once its original is durable).
    /// The batch's first write has nothing before it: it rolls the batch back.
    pub async fn undone(self) -> ServiceResult<()> {
        if self.root {
            drop(self);
            return Ok(());
        }
        self.end(None).await
    }

    /// `kept`: the write's outbox rows when it keeps its changes; `None` undoes them.
    async fn end(mut self, kept: Option<Vec<outbox::ActiveModel>>) -> ServiceResult<()> {
        let mut guard = self.guard.take().expect("a ticket ends once");
        let Some(batch) = guard.batch.as_mut() else {
            return Err(ServiceError::Internal("the write batch ended before the write".into()));
        };
        let flush_now = self.gate.waiting.load(Ordering::SeqCst) == 0
            || batch.writes >= MAX_BATCH_WRITES
            || batch.opened.elapsed() >= MAX_BATCH_AGE;
        // A write in a savepoint ends it; while the batch stays open, the next write's
        // savepoint opens in the same round trip (`ROLLBACK TO` leaves it open, empty).
        // Before the commit nothing needs releasing: `COMMIT` releases every savepoint.
        let savepoint_sql = match (self.root, kept.is_some(), flush_now) {
            (true, _, _) | (false, true, true) => None,
            (false, true, false) => Some("RELEASE parley_write; SAVEPOINT parley_write"),
            (false, false, true) => Some("ROLLBACK TO parley_write; RELEASE parley_write"),
            (false, false, false) => Some("ROLLBACK TO parley_write"),
        };
        if let Some(sql) = savepoint_sql {
            if let Err(err) = batch.txn.execute_unprepared(sql).await {
                // Leave the savepoint to be rolled back by the next holder of the gate.
                batch.rollback_pending = true;
                return Err(err.into());
            }
            batch.savepoint_open = !flush_now;
        }
        if let Some(rows) = kept {
            batch.outbox.extend(rows);
        }
        if flush_now {
            let batch = guard.batch.take().expect("checked");
            let gate = self.gate.clone();
            tokio::spawn(async move {
                gate.finish(batch, None).await;
                drop(guard);
            });
        } else {
            drop(guard);
        }
        loop {
            if let Some(outcome) = self.done.borrow_and_update().clone() {
                return outcome.map_err(|err| ServiceError::Internal(format!("commit: {err}")));
            }
            if self.done.changed().await.is_err() {
                return Err(ServiceError::Internal("the write batch ended without committing".into()));
            }
        }
    }
}

impl Drop for Ticket {
    /// A write dropped before committing. In a savepoint: the next holder of the gate
    /// rolls it back. The batch's first write: nobody else is in the batch yet (it held
    /// the gate throughout), so the batch is rolled back whole (dropping its transaction).
    fn drop(&mut self) {
        let Some(mut guard) = self.guard.take() else { return };
        if self.root {
            if let Some(batch) = guard.batch.take() {
                let _ = batch.done.send(Some(Err("rolled back".into())));
            }
        } else if let Some(batch) = guard.batch.as_mut() {
            batch.rollback_pending = true;
        }
    }
}
