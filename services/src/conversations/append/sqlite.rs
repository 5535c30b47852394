//! The appender on SQLite: a connection of its own on which a batch of visitors'
//! messages is written in one go, by whichever of their tasks gets it first.
//!
//! Through sqlx every statement is a round trip to its SQLite worker thread (two thread
//! wake-ups each, about 130 µs on a small VM), and a message took seven of them (begin,
//! four statements, the outbox rows, commit): most of the time from a visitor's message
//! to the operators went to waking threads, not to SQLite. Here a visitor's task queues
//! its message and waits for the connection. The first to get it takes the write gate
//! ([`WriteGate::hold`], so its write and the gate's batches never overlap), takes
//! every message queued meanwhile, writes and commits them in place (tens of
//! microseconds in SQLite itself), publishes their events and answers their tasks. The
//! tasks behind it find their answer waiting. No thread is woken on the way; under load,
//! the queue makes the batches (group commit).
//!
//! The writer commits before it publishes or answers: an acknowledged message is
//! durable, as on the general path. Every statement names the workspace it works in. A
//! batch that fails is rolled back whole and its messages go the general path
//! (`post_visitor_message`), one by one; so do messages of contacts without an open
//! conversation, as with the pooled appender.
//!
//! [`WriteGate::hold`]: crate::gate::WriteGate::hold

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use parley_types::{
    Author, ContactId, ConversationStatus, ConversationSummary, Message, OperatorEvent, ReadMark, UserId, VisitorEvent,
    WorkspaceId,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};
use tokio::sync::oneshot;

use super::{MAX_BATCH, Request, answer_none};
use crate::bus::{Audience, Envelope, Operators, VisitorTabs};
use crate::clock::now_ms;
use crate::conversations::commands::Posted;
use crate::conversations::{preview_of, to_message, to_summary};
use crate::entities::{conversation, message};
use crate::events::DomainEvent;
use crate::gate::WriteGate;

/// The file behind a `sqlite:` database URL, read as sqlx reads it (percent-decoded,
/// options after `?`), or `None` for an in-memory database (which a second connection
/// cannot share).
pub(crate) fn database_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = percent_encoding::percent_decode_str(rest.split('?').next().unwrap_or_default()).decode_utf8().ok()?;
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(&*path))
}

/// Opens the appender's connection, set up as the pool's (`db.rs`): WAL, `NORMAL`
/// synchronous (a commit survives the process; the background checkpoint makes it
/// durable on disk), foreign keys, a busy timeout, no automatic checkpoints.
pub(crate) fn open(file: &std::path::Path) -> rusqlite::Result<Connection> {
    let connection =
        Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    connection.busy_timeout(Duration::from_secs(10))?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    connection.pragma_update(None, "wal_autocheckpoint", 0)?;
    connection.pragma_update(None, "cache_size", -16000)?;
    connection.set_prepared_statement_cache_capacity(32);
    Ok(connection)
}

/// The messages waiting to be written, and the connection that writes them.
pub(crate) struct Appender {
    waiting: std::sync::Mutex<Vec<Request>>,
    connection: tokio::sync::Mutex<Connection>,
    gate: Arc<WriteGate>,
}

impl Appender {
    pub(crate) fn new(connection: Connection, gate: Arc<WriteGate>) -> Self {
        Appender { waiting: std::sync::Mutex::default(), connection: tokio::sync::Mutex::new(connection), gate }
    }

    /// Queues `request` and waits for its answer on `answered`; writes the queue when
    /// this task gets the connection before its request was written.
    pub(crate) async fn post(
        &self,
        request: Request,
        mut answered: oneshot::Receiver<Option<Posted>>,
    ) -> Option<Posted> {
        self.waiting.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(request);
        loop {
            // Wait for the answer and the connection at once: a writer answers every
            // request it took before it lets go, and those it answered must not wait in
            // line for the connection one after another.
            let mut connection = tokio::select! {
                biased;
                answer = &mut answered => return answer.ok().flatten(),
                connection = self.connection.lock() => connection,
            };
            match answered.try_recv() {
                Ok(answer) => return answer,
                Err(oneshot::error::TryRecvError::Closed) => return None,
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
            let held = self.gate.hold().await;
            // Everything queued until now goes in this write (up to a batch).
            let mut batch: Vec<Request> = {
                let mut waiting = self.waiting.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let take = waiting.len().min(MAX_BATCH);
                waiting.drain(..take).collect()
            };
            // Ours was in the queue or answered: the queue is empty only if that broke.
            let svc = batch.first().map(|request| request.svc.clone())?;
            match write(&mut connection, &batch) {
                Ok(written) => {
                    held.wrote();
                    publish(&svc, &mut batch, written);
                }
                Err(err) => {
                    drop(held);
                    // Resends and conversations that are not open are left out before
                    // writing: a failure here is unexpected (and costs speed, not data).
                    tracing::warn!(%err, messages = batch.len(), "an appender batch failed; each message goes alone");
                }
            }
            answer_none(batch);
        }
    }
}

/// One conversation's part of a committed batch.
struct Written {
    workspace: WorkspaceId,
    contact: ContactId,
    /// The stored messages with the index of their request in the batch, in order.
    messages: Vec<(usize, Message)>,
    /// The conversation's summary after them.
    summary: ConversationSummary,
}

/// Stores what it can of `batch` in one transaction and commits. Requests left out
/// (no open conversation) are not in the result; an error stores nothing.
fn write(connection: &mut Connection, batch: &[Request]) -> Result<Vec<Written>, String> {
    let tx =
        connection.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|err| format!("begin: {err}"))?;
    let open = ConversationStatus::Open.as_str();
    let visitor = Author::Visitor.as_str();

    // Each contact's open conversation, and the requests that go into it, in order.
    let mut parts: Vec<(conversation::Model, String, Vec<usize>)> = Vec::new();
    let mut part_of: HashMap<(i64, i64), Option<usize>> = HashMap::new();
    {
        let mut find = tx
            .prepare_cached(
                "SELECT c.*, COALESCE(k.name, '') AS contact_name FROM conversations c \
                 LEFT JOIN contacts k ON k.id = c.contact_id AND k.workspace_id = c.workspace_id \
                 WHERE c.workspace_id = ?1 AND c.contact_id = ?2 AND c.status = ?3",
            )
            .map_err(|err| err.to_string())?;
        let mut stored_id = tx
            .prepare_cached(
                "SELECT 1 FROM messages WHERE workspace_id = ?1 AND conversation_id = ?2 AND client_id = ?3",
            )
            .map_err(|err| err.to_string())?;
        let mut client_ids = std::collections::HashSet::new();
        for (index, request) in batch.iter().enumerate() {
            let key = (request.scope.workspace_id().0, request.contact.0);
            let part = match part_of.get(&key) {
                Some(part) => *part,
                None => {
                    let found = find
                        .query_row(params![key.0, key.1, open], |row| {
                            Ok((conversation_of(row)?, row.get::<_, String>("contact_name")?))
                        })
                        .optional()
                        .map_err(|err| err.to_string())?;
                    let part = found.map(|(row, name)| {
                        parts.push((row, name, Vec::new()));
                        parts.len() - 1
                    });
                    part_of.insert(key, part);
                    part
                }
            };
            let Some(part) = part else { continue };
            // A resend (its id already stored, or earlier in this batch) is the general
            // path's to acknowledge, once its original has committed.
            let conversation_id = parts[part].0.id;
            let resent = !client_ids.insert((conversation_id, request.client_id.as_str()))
                || stored_id
                    .exists(params![request.scope.workspace_id().0, conversation_id, request.client_id])
                    .map_err(|err| err.to_string())?;
            if !resent {
                parts[part].2.push(index);
            }
        }
    }
    parts.retain(|(_, _, requests)| !requests.is_empty());

    let mut written = Vec::with_capacity(parts.len());
    {
        let mut update = tx
            .prepare_cached(
                "UPDATE conversations SET last_seq = last_seq + ?3, visitor_messages = visitor_messages + ?3, \
                 last_message = ?4, last_author = ?5, last_activity_at_ms = ?6, \
                 waiting_since_ms = COALESCE(waiting_since_ms, ?7) \
                 WHERE id = ?1 AND workspace_id = ?2 AND status = ?8 RETURNING *",
            )
            .map_err(|err| err.to_string())?;
        let mut insert = tx
            .prepare_cached(
                "INSERT INTO messages (workspace_id, conversation_id, seq, author, author_user_id, body, \
                 client_id, created_at_ms, internal, attachments, phrase) \
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7, FALSE, NULL, NULL) RETURNING *",
            )
            .map_err(|err| err.to_string())?;
        let mut marks = tx
            .prepare_cached(
                "SELECT user_id, last_read_seq, visitor_messages FROM conversation_reads \
                 WHERE workspace_id = ?1 AND conversation_id = ?2",
            )
            .map_err(|err| err.to_string())?;
        for (row, contact_name, requests) in parts {
            let last = &batch[*requests.last().expect("a part has requests")];
            let first_at = requests.iter().map(|i| batch[*i].at_ms).min().unwrap_or(last.at_ms);
            let last_at = requests.iter().map(|i| batch[*i].at_ms).max().unwrap_or(last.at_ms);
            let row = update
                .query_row(
                    params![
                        row.id,
                        row.workspace_id,
                        requests.len() as i64,
                        preview_of(&last.text, &[]),
                        visitor,
                        last_at,
                        first_at,
                        open
                    ],
                    conversation_of,
                )
                .map_err(|err| format!("conversation {}: {err}", row.id))?;
            let first_seq = row.last_seq - requests.len() as i64 + 1;
            let mut messages = Vec::with_capacity(requests.len());
            for (offset, index) in requests.into_iter().enumerate() {
                let request = &batch[index];
                let stored = insert
                    .query_row(
                        params![
                            row.workspace_id,
                            row.id,
                            first_seq + offset as i64,
                            visitor,
                            request.text,
                            request.client_id,
                            request.at_ms
                        ],
                        message_of,
                    )
                    .map_err(|err| format!("message: {err}"))?;
                messages.push((index, to_message(stored, None).map_err(|err| err.to_string())?));
            }
            let reads = marks
                .query_map(params![row.workspace_id, row.id], |mark| {
                    Ok(ReadMark {
                        user_id: UserId(mark.get("user_id")?),
                        seq: mark.get("last_read_seq")?,
                        visitor_messages: mark.get("visitor_messages")?,
                    })
                })
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(|err| err.to_string())?;
            let summary = to_summary(&row, contact_name, reads).map_err(|err| err.to_string())?;
            written.push(Written {
                workspace: WorkspaceId(row.workspace_id),
                contact: ContactId(row.contact_id),
                messages,
                summary,
            });
        }
    }

    // The outbox rows, in the messages' order.
    {
        let mut outbox = tx
            .prepare_cached("INSERT INTO outbox (workspace_id, kind, payload, created_at_ms) VALUES (?1, ?2, ?3, ?4)")
            .map_err(|err| err.to_string())?;
        let now = now_ms();
        for part in &written {
            for (_, message) in &part.messages {
                let event = DomainEvent::MessageCreated { message: message.clone() };
                let payload = serde_json::to_string(&event).map_err(|err| err.to_string())?;
                outbox.execute(params![part.workspace.0, event.kind(), payload, now]).map_err(|err| err.to_string())?;
            }
        }
    }
    tx.commit().map_err(|err| format!("commit: {err}"))?;
    Ok(written)
}

/// After the commit: publishes each conversation's messages and new summary, answers
/// their requests (taking them out of `batch`) and wakes the outbox's consumers.
fn publish(svc: &crate::Services, batch: &mut Vec<Request>, written: Vec<Written>) {
    let bus = svc.bus.as_ref();
    let mut answers: Vec<(usize, Posted)> = Vec::new();
    for part in written {
        let operators = Operators(part.workspace);
        let tabs = VisitorTabs(part.contact);
        for (index, message) in part.messages {
            operators.publish(bus, Envelope::new(OperatorEvent::MessageCreated { message: message.clone() }));
            tabs.publish(bus, Envelope::new(VisitorEvent::MessageCreated { message: message.clone() }));
            svc.metrics.message_stored(Author::Visitor);
            svc.metrics.message_appended();
            answers.push((index, Posted { message, duplicate: false }));
        }
        operators.publish(bus, Envelope::new(OperatorEvent::ConversationChanged { conversation: part.summary }));
    }
    if !answers.is_empty() {
        svc.outbox_wake.notify_waiters();
    }
    answers.sort_by_key(|(index, _)| std::cmp::Reverse(*index));
    for (index, posted) in answers {
        let request = batch.swap_remove(index);
        let _ = request.answer.send(Some(posted));
    }
}

/// A `conversations` row (selected with `*`).
fn conversation_of(row: &Row<'_>) -> rusqlite::Result<conversation::Model> {
    Ok(conversation::Model {
        id: row.get("id")?,
        workspace_id: row.get("workspace_id")?,
        contact_id: row.get("contact_id")?,
        status: row.get("status")?,
        assignee_id: row.get("assignee_id")?,
        last_seq: row.get("last_seq")?,
        last_message: row.get("last_message")?,
        last_author: row.get("last_author")?,
        last_activity_at_ms: row.get("last_activity_at_ms")?,
        created_at_ms: row.get("created_at_ms")?,
        priority: row.get("priority")?,
        outcome: row.get("outcome")?,
        snoozed_until_ms: row.get("snoozed_until_ms")?,
        waiting_since_ms: row.get("waiting_since_ms")?,
        label_ids: row.get("label_ids")?,
        department_id: row.get("department_id")?,
        visitor_messages: row.get("visitor_messages")?,
        read_floor: row.get("read_floor")?,
        visitor_read_seq: row.get("visitor_read_seq")?,
        channel: row.get("channel")?,
        emailed_seq: row.get("emailed_seq")?,
    })
}

/// A `messages` row (selected with `*`).
fn message_of(row: &Row<'_>) -> rusqlite::Result<message::Model> {
    Ok(message::Model {
        id: row.get("id")?,
        workspace_id: row.get("workspace_id")?,
        conversation_id: row.get("conversation_id")?,
        seq: row.get("seq")?,
        author: row.get("author")?,
        author_user_id: row.get("author_user_id")?,
        body: row.get("body")?,
        client_id: row.get("client_id")?,
        created_at_ms: row.get("created_at_ms")?,
        internal: row.get("internal")?,
        attachments: row.get("attachments")?,
        phrase: row.get("phrase")?,
    })
}

#[cfg(test)]
mod tests {
    use super::database_file;
    use std::path::PathBuf;

    #[test]
    fn the_appender_opens_the_file_the_database_url_names() {
        assert_eq!(database_file("sqlite://data/parley.db?mode=rwc"), Some(PathBuf::from("data/parley.db")));
        assert_eq!(database_file("sqlite:///var/lib/parley/parley.db"), Some(PathBuf::from("/var/lib/parley/parley.db")));
        assert_eq!(database_file("sqlite:parley.db"), Some(PathBuf::from("parley.db")));
        assert_eq!(database_file("sqlite://my%20data/a%3Fb.db"), Some(PathBuf::from("my data/a?b.db")));
        // An in-memory database is the pool's alone: the appender writes through it.
        assert_eq!(database_file("sqlite::memory:"), None);
        assert_eq!(database_file("sqlite://:memory:?cache=shared"), None);
        assert_eq!(database_file("postgres://parley@localhost/parley"), None);
    }
}
