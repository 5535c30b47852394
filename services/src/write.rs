//! The one write path. Every command runs the same way:
//!
//! 1. `svc.begin().await?` begins a transaction; on SQLite it first takes the write gate
//!    (one writer at a time) and the transaction is the write's savepoint in a batch
//!    that commits once for all the writes queued together (`gate.rs`);
//! 2. the command reads and writes through `w.txn()`, [`Write::record`]s domain events
//!    for the outbox and [`Write::notify`]s realtime audiences;
//! 3. `w.commit().await?` inserts the outbox rows in the same transaction, commits (on
//!    SQLite: releases the savepoint and waits for the batch's commit), and only then
//!    publishes the notifications, so a subscriber that sees an event can always read its
//!    rows. Dropping a `Write` without committing rolls everything back and publishes
//!    nothing.

use std::sync::Arc;

use parley_types::WorkspaceId;
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, DatabaseTransaction, EntityTrait, Set};

use crate::Services;
use crate::bus::{Audience, Envelope, EventBus};
use crate::clock::now_ms;
use crate::entities::outbox;
use crate::error::ServiceResult;
use crate::events::DomainEvent;

/// A realtime notification waiting for the commit.
type Notice = Box<dyn FnOnce(&dyn EventBus) + Send + Sync>;

/// An open write: a transaction, the events it produced, and the gate it holds.
pub struct Write {
    /// The write's own transaction (PostgreSQL); `None` on SQLite, where it writes in its
    /// batch's transaction (`gate.rs`).
    txn: Option<DatabaseTransaction>,
    records: Vec<(WorkspaceId, DomainEvent)>,
    notices: Vec<Notice>,
    bus: Arc<dyn EventBus>,
    wake_consumers: Arc<tokio::sync::Notify>,
    jobs_wake: Arc<tokio::sync::Notify>,
    wake_jobs: bool,
    // Dropped last: the gate is released after the savepoint ends.
    ticket: Option<crate::gate::Ticket>,
}

/// PostgreSQL advisory lock key that serialises the last step of event-producing
/// transactions, so outbox ids become visible in increasing order (a consumer reading
/// by cursor then never skips a row that commits late).
const OUTBOX_LOCK: i64 = 0x7061_726c_6579; // "parley"

impl Services {
    /// Starts a write (see the module documentation).
    pub async fn begin(&self) -> ServiceResult<Write> {
        let (txn, ticket) = match &self.write_gate {
            Some(gate) => {
                let ticket = gate.enter(&self.db).await?;
                (None, Some(ticket))
            }
            None => (Some(crate::db::begin_write(&self.db).await?), None),
        };
        Ok(Write {
            txn,
            records: Vec::new(),
            notices: Vec::new(),
            bus: self.bus.clone(),
            wake_consumers: self.outbox_wake.clone(),
            jobs_wake: self.jobs_wake.clone(),
            wake_jobs: false,
            ticket,
        })
    }
}

impl Write {
    /// The transaction to read and write through.
    pub fn txn(&self) -> &DatabaseTransaction {
        match (&self.txn, &self.ticket) {
            (Some(txn), _) => txn,
            (None, Some(ticket)) => ticket.batch_txn(),
            (None, None) => unreachable!("a write has a transaction or a batch"),
        }
    }

    /// Adds a domain event to the outbox, in this transaction.
    pub fn record(&mut self, workspace_id: WorkspaceId, event: DomainEvent) {
        self.records.push((workspace_id, event));
    }

    /// Publishes `event` to `audience` once the transaction has committed.
    pub fn notify<A: Audience>(&mut self, audience: A, event: A::Event) {
        let envelope = Envelope::new(event);
        self.notices.push(Box::new(move |bus| audience.publish(bus, envelope)));
    }

    /// Wakes the job runner after the commit (a job was enqueued).
    pub(crate) fn wake_jobs(&mut self) {
        self.wake_jobs = true;
    }

    /// Undoes this write (publishing nothing) and returns once everything written before
    /// it has committed: for a command that found its work already done by an earlier
    /// write that may still be in the open SQLite batch (a resend).
    pub async fn rollback_and_wait(mut self) -> ServiceResult<()> {
        if let Some(txn) = self.txn.take() {
            txn.rollback().await?;
        }
        match self.ticket.take() {
            Some(ticket) => ticket.undone().await,
            None => Ok(()),
        }
    }

    /// Writes the outbox rows, commits, then publishes. On SQLite the rows go with the
    /// write's ticket: its batch inserts them all just before it commits.
    pub async fn commit(mut self) -> ServiceResult<()> {
        let records = std::mem::take(&mut self.records);
        let had_records = !records.is_empty();
        let now = now_ms();
        let rows = records
            .into_iter()
            .map(|(workspace_id, event)| outbox::ActiveModel {
                id: NotSet,
                workspace_id: Set(workspace_id.0),
                kind: Set(event.kind().to_owned()),
                payload: Set(serde_json::to_string(&event).unwrap_or_default()),
                created_at_ms: Set(now),
            })
            .collect::<Vec<_>>();
        let Write { txn, records: _, notices, bus, wake_consumers, jobs_wake, wake_jobs, ticket } = self;
        if let Some(txn) = txn {
            if had_records {
                if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
                    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({OUTBOX_LOCK})")).await?;
                }
                // unscoped: the rows carry their workspace id.
                outbox::Entity::insert_many(rows).exec_without_returning(&txn).await?;
            }
            txn.commit().await?;
        } else if let Some(ticket) = ticket {
            ticket.committed(rows).await?;
        }
        for notice in notices {
            notice(bus.as_ref());
        }
        if had_records {
            wake_consumers.notify_waiters();
        }
        if wake_jobs {
            jobs_wake.notify_waiters();
        }
        Ok(())
    }
}
