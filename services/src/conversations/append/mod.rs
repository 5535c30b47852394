//! Visitors' messages in their open conversations, written many per round trip.
//!
//! The common case, a visitor's text in their open conversation, is taken off the general
//! write path: messages that arrive while one write is under way wait and go in together,
//! in one write whatever their number.
//! - On SQLite (`sqlite.rs`) the write runs on a connection of the appender's own, in
//!   the task of whichever visitor gets to it first: no round trips to a database thread.
//! - On PostgreSQL (`pooled.rs`) a task writes each batch through the pool in a few
//!   statements, waiting once for the commit to reach the disk instead of once per
//!   message.
//!
//! Anything else (no open conversation, files, a resend, a failure) is handed back to
//! `post_visitor_message`, whose general path writes it alone.

mod pooled;
mod sqlite;

use std::sync::Arc;

use parley_types::ContactId;
use tokio::sync::{mpsc, oneshot};

use super::commands::Posted;
use crate::Services;
use crate::access::Scope;
use crate::clock::now_ms;

/// Messages one write may take: enough to spread its cost thin, few enough that its
/// burst of events (two per message) stays well inside an operator socket's queue.
const MAX_BATCH: usize = 128;

/// A message waiting for the appender. The answer is `None` when the general path must
/// write it instead (nothing of it was stored).
pub(crate) struct Request {
    svc: Services,
    scope: Scope,
    contact: ContactId,
    client_id: String,
    text: String,
    at_ms: i64,
    answer: oneshot::Sender<Option<Posted>>,
}

/// Where the appender takes its requests.
pub(crate) enum Appender {
    /// A task writing through the pool (PostgreSQL).
    Pooled(mpsc::UnboundedSender<Request>),
    /// A connection of its own, written on by the visitors' tasks (SQLite).
    Sqlite(sqlite::Appender),
}

impl Appender {
    /// The appender for `svc`'s database: on SQLite, on a connection of its own to the
    /// database file (the pooled one if it cannot be opened).
    pub(crate) fn start(svc: &Services) -> Self {
        if let Some(gate) = &svc.write_gate
            && let Some(file) = sqlite::database_file(&svc.config.database_url)
        {
            match sqlite::open(&file) {
                Ok(connection) => return Appender::Sqlite(sqlite::Appender::new(connection, Arc::clone(gate))),
                Err(err) => tracing::warn!(%err, "the appender's connection did not open; it writes through the pool"),
            }
        }
        Appender::Pooled(pooled::spawn())
    }
}

/// Hands a visitor's text to the appender and waits for it: `Some` once stored and
/// committed (and published), `None` when the caller must take the general path.
pub(crate) async fn post(
    svc: &Services,
    scope: Scope,
    contact: ContactId,
    client_id: &str,
    text: &str,
) -> Option<Posted> {
    let (answer, answered) = oneshot::channel();
    let request = Request {
        svc: svc.clone(),
        scope,
        contact,
        client_id: client_id.to_owned(),
        text: text.to_owned(),
        at_ms: now_ms(),
        answer,
    };
    match svc.appender() {
        Appender::Pooled(queue) => {
            queue.send(request).ok()?;
            answered.await.ok().flatten()
        }
        Appender::Sqlite(appender) => appender.post(request, answered).await,
    }
}

/// Tells the requests still in `batch` to take the general path.
fn answer_none(batch: Vec<Request>) {
    for request in batch {
        let _ = request.answer.send(None);
    }
}
