//! SQLite's write gate, with group commit.
//!
//! SQLite allows one writer at a time, so writes queue here (fairer and faster than
//! polling SQLite's busy handler). Writes that arrive while others wait share one
//! transaction: the first opens a *batch* (`BEGIN IMMEDIATE`) and writes in it directly,
//! each later one runs in its own savepoint inside it (so a write that fails rolls back
//! alone; the first, if it fails, still holds the gate and rolls the batch back), and the
//! batch commits
//! once when nobody is waiting any more, when it holds [`MAX_BATCH_WRITES`] writes, or
//! when it is [`MAX_BATCH_AGE`] old. A write is acknowledged ([`Write::commit`] returns)
//! only after its batch committed, so nothing acknowledged can be lost, and its realtime
//! events are published only then. Under load this turns one commit per message into one
//! per batch; alone, a write commits at once.
//!
//! [`Write::commit`]: crate::Write::commit

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

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

/// An open batch: one transaction that several writes' savepoints live in.
struct Batch {
    id: u64,
    txn: DatabaseTransaction,
    writes: usize,
    opened: Instant,
    done: watch::Sender<Outcome>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("id", &self.id).field("writes", &self.writes).finish()
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

    /// Waits for the gate and returns the write's ticket, and its own savepoint when it
    /// joins an open batch (`None`: it opened the batch and writes in its transaction,
    /// [`Ticket::batch_txn`]).
    pub async fn enter(
        self: &Arc<Self>,
        db: &DatabaseConnection,
    ) -> ServiceResult<(Option<DatabaseTransaction>, Ticket)> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let waiting = Waiting(&self.waiting);
        let mut guard = self.state.clone().lock_owned().await;
        drop(waiting);
        if guard.batch.is_none() {
            let txn = crate::db::begin_write(self.writer.as_ref().unwrap_or(db)).await?;
            let id = self.next_batch.fetch_add(1, Ordering::Relaxed);
            let (done, receiver) = watch::channel(None);
            guard.batch = Some(Batch { id, txn, writes: 1, opened: Instant::now(), done });
            self.flush_later(id);
            return Ok((None, Ticket { gate: self.clone(), guard: Some(guard), done: receiver, root: true }));
        }
        let batch = guard.batch.as_mut().expect("a batch is open");
        let savepoint = match batch.txn.begin().await {
            Ok(savepoint) => savepoint,
            Err(err) => {
                // The batch's connection is unusable: end it (its writes learn the error).
                if let Some(batch) = guard.batch.take() {
                    self.finish(batch, Some(err.to_string())).await;
                }
                return Err(err.into());
            }
        };
        batch.writes += 1;
        let done = batch.done.subscribe();
        Ok((Some(savepoint), Ticket { gate: self.clone(), guard: Some(guard), done, root: false }))
    }

    /// Batches committed so far, and the writes they held.
    pub fn batch_stats(&self) -> (u64, u64) {
        (self.batches.load(Ordering::Relaxed), self.batched_writes.load(Ordering::Relaxed))
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
    async fn finish(&self, batch: Batch, failed: Option<String>) {
        let Batch { txn, writes, done, .. } = batch;
        let outcome = match failed {
            Some(err) => Err(err),
            None => txn.commit().await.map_err(|err: DbErr| err.to_string()),
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
    /// The batch's transaction (what the write that opened the batch writes through).
    pub fn batch_txn(&self) -> &DatabaseTransaction {
        &self.guard.as_ref().and_then(|guard| guard.batch.as_ref()).expect("the write holds an open batch").txn
    }

    /// After the write's savepoint was released (or, for the batch's first write, its work
    /// done): commits the batch now if nobody waits (or it is full or old), else leaves it
    /// to the writers behind; then waits until the batch has committed.
    pub async fn committed(mut self) -> ServiceResult<()> {
        let mut guard = self.guard.take().expect("a ticket commits once");
        let flush_now = self.gate.waiting.load(Ordering::SeqCst) == 0
            || guard
                .batch
                .as_ref()
                .is_none_or(|batch| batch.writes >= MAX_BATCH_WRITES || batch.opened.elapsed() >= MAX_BATCH_AGE);
        if flush_now && let Some(batch) = guard.batch.take() {
            self.gate.finish(batch, None).await;
        }
        drop(guard);
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
    /// A write dropped before committing: a savepoint rolls back by itself; the batch's
    /// first write still holds the gate, so nobody else is in the batch: it is rolled back
    /// whole (dropping an uncommitted transaction rolls it back).
    fn drop(&mut self) {
        if let Some(mut guard) = self.guard.take()
            && self.root
            && let Some(batch) = guard.batch.take()
        {
            let _ = batch.done.send(Some(Err("rolled back".into())));
        }
    }
}
