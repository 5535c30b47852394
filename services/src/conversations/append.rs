//! Visitors' messages in their open conversations, written many per round trip.
//!
//! On SQLite each statement is a round trip to the database's worker thread, and the
//! write gate runs one write at a time, so a message written on its own costs about five
//! round trips inside the gate: that capped a server near 1,500 messages a second with
//! its CPUs 45 % idle. On PostgreSQL each write waits for its own commit to reach the
//! disk. The appender takes the common case, a visitor's text in their open conversation,
//! off that path. Messages that arrive while it writes wait in its queue and
//! go in together, in one write of a few statements whatever their number: one read of
//! the conversations and names, one `UPDATE` of the conversations, one `INSERT` of the
//! messages, one read of the read marks, and the outbox rows with the gate's batch.
//!
//! Anything else (no open conversation, files, a resend, a failure) is handed back to
//! `post_visitor_message`, whose general path writes it alone.

use std::collections::HashMap;

use parley_types::{Author, ContactId, ConversationStatus, OperatorEvent, VisitorEvent};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use tokio::sync::{mpsc, oneshot};

use super::commands::Posted;
use super::{preview_of, to_message, to_summary};
use crate::access::Scope;
use crate::bus::{Operators, VisitorTabs};
use crate::clock::now_ms;
use crate::entities::{contact, conversation, message};
use crate::error::ServiceResult;
use crate::events::DomainEvent;
use crate::{Services, Write};

/// Messages one write may take: enough to spread its round trips thin, few enough that
/// its burst of events (two per message) stays well inside an operator socket's queue.
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

/// The queue in front of the appender's task.
pub(crate) type Queue = mpsc::UnboundedSender<Request>;

/// Hands a visitor's text to the appender and waits for it: `Some` once stored and
/// committed (and published), `None` when the caller must take the general path.
pub(crate) async fn post(
    svc: &Services,
    scope: Scope,
    contact: ContactId,
    client_id: &str,
    text: &str,
) -> Option<Posted> {
    let queue = svc.appender();
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
    queue.send(request).ok()?;
    answered.await.ok().flatten()
}

/// Starts the appender's task; it ends when every [`Queue`] is dropped. Requests carry
/// the services they need, so the task holds none between batches.
pub(crate) fn spawn() -> Queue {
    let (queue, mut requests) = mpsc::unbounded_channel::<Request>();
    tokio::spawn(async move {
        while let Some(first) = requests.recv().await {
            let svc = first.svc.clone();
            let mut batch = vec![first];
            // Those that queued while the gate was awaited go in too.
            let begun = svc.begin().await;
            while batch.len() < MAX_BATCH
                && let Ok(next) = requests.try_recv()
            {
                batch.push(next);
            }
            let Ok(w) = begun else {
                answer_none(batch);
                continue;
            };
            if let Err(err) = write(&svc, w, &mut batch).await {
                tracing::debug!(%err, messages = batch.len(), "an appender batch failed; each message goes alone");
            }
            answer_none(batch);
        }
    });
    queue
}

/// Tells the requests still in `batch` to take the general path.
fn answer_none(batch: Vec<Request>) {
    for request in batch {
        let _ = request.answer.send(None);
    }
}

/// One conversation's share of a batch: its requests, in order.
struct Share {
    row: conversation::Model,
    name: String,
    requests: Vec<usize>,
}

/// Writes what it can of `batch` in `w` and answers those requests (removing them from
/// `batch`); the others stay for the general path. An error leaves them all.
async fn write(svc: &Services, mut w: Write, batch: &mut Vec<Request>) -> ServiceResult<()> {
    // The open conversation and name of every contact in the batch, per workspace.
    let mut by_workspace: HashMap<i64, (Scope, Vec<i64>)> = HashMap::new();
    for request in batch.iter() {
        let entry = by_workspace.entry(request.scope.workspace_id().0).or_insert((request.scope, Vec::new()));
        entry.1.push(request.contact.0);
    }
    let mut shares: HashMap<i64, Share> = HashMap::new();
    let mut of_contact: HashMap<i64, i64> = HashMap::new();
    for (scope, contacts) in by_workspace.values() {
        let rows = scope
            .find::<conversation::Entity>()
            .filter(conversation::Column::ContactId.is_in(contacts.iter().copied()))
            .filter(conversation::Column::Status.eq(ConversationStatus::Open.as_str()))
            .find_also_related(contact::Entity)
            .all(w.txn())
            .await?;
        for (row, contact) in rows {
            of_contact.insert(row.contact_id, row.id);
            let name = contact.map(|c| c.name).unwrap_or_default();
            shares.insert(row.id, Share { row, name, requests: Vec::new() });
        }
    }
    for (index, request) in batch.iter().enumerate() {
        if let Some(share) = of_contact.get(&request.contact.0).and_then(|id| shares.get_mut(id)) {
            share.requests.push(index);
        }
    }
    shares.retain(|_, share| !share.requests.is_empty());
    if shares.is_empty() {
        return Ok(());
    }

    // Each conversation takes its next sequence numbers, in one statement per workspace.
    let mut updated: HashMap<i64, conversation::Model> = HashMap::new();
    for (scope, _) in by_workspace.values() {
        let mine: Vec<&Share> = shares.values().filter(|s| s.row.workspace_id == scope.workspace_id().0).collect();
        if mine.is_empty() {
            continue;
        }
        let (mut count, mut preview, mut last_at) = (CaseStatement::new(), CaseStatement::new(), 0);
        for share in &mine {
            let is = Expr::col(conversation::Column::Id).eq(share.row.id);
            count = count.case(is.clone(), share.requests.len() as i64);
            let last = &batch[*share.requests.last().expect("a share has requests")];
            preview = preview.case(is, preview_of(&last.text, &[]));
            last_at = share.requests.iter().map(|i| batch[*i].at_ms).fold(last_at, Ord::max);
        }
        let count: Expr = count.finally(0i64).into();
        let first_at = mine.iter().flat_map(|s| s.requests.iter()).map(|i| batch[*i].at_ms).min().unwrap_or(last_at);
        let rows = scope
            .update_many::<conversation::Entity>()
            .col_expr(conversation::Column::LastSeq, Expr::col(conversation::Column::LastSeq).add(count.clone()))
            .col_expr(
                conversation::Column::VisitorMessages,
                Expr::col(conversation::Column::VisitorMessages).add(count),
            )
            .col_expr(
                conversation::Column::LastMessage,
                preview.finally(Expr::col(conversation::Column::LastMessage)).into(),
            )
            .col_expr(conversation::Column::LastAuthor, Expr::value(Author::Visitor.as_str()))
            .col_expr(conversation::Column::LastActivityAtMs, Expr::value(last_at))
            .col_expr(
                conversation::Column::WaitingSinceMs,
                Func::coalesce([Expr::col(conversation::Column::WaitingSinceMs), Expr::value(first_at)]).into(),
            )
            .filter(conversation::Column::Id.is_in(mine.iter().map(|s| s.row.id)))
            .filter(conversation::Column::Status.eq(ConversationStatus::Open.as_str()))
            .exec_with_returning(w.txn())
            .await?;
        updated.extend(rows.into_iter().map(|row| (row.id, row)));
    }
    // A conversation closed since it was read (PostgreSQL: by another transaction; the
    // gate rules that out on SQLite) was not updated: its messages go the general path.
    shares.retain(|id, _| updated.contains_key(id));
    if shares.is_empty() {
        return Ok(());
    }

    // The messages, numbered after what each conversation held, in one statement.
    let mut rows = Vec::new();
    for share in shares.values() {
        let last_seq = updated[&share.row.id].last_seq;
        let first_seq = last_seq - share.requests.len() as i64 + 1;
        for (offset, index) in share.requests.iter().enumerate() {
            let request = &batch[*index];
            rows.push(message::ActiveModel {
                workspace_id: Set(share.row.workspace_id),
                conversation_id: Set(share.row.id),
                seq: Set(first_seq + offset as i64),
                author: Set(Author::Visitor.as_str().to_owned()),
                author_user_id: Set(None),
                body: Set(request.text.clone()),
                client_id: Set(Some(request.client_id.clone())),
                created_at_ms: Set(request.at_ms),
                attachments: Set(None),
                ..Default::default()
            });
        }
    }
    // unscoped: every row carries its conversation's workspace, read above through its scope.
    let stored = message::Entity::insert_many(rows).exec_with_returning(w.txn()).await?;
    let mut stored: HashMap<(i64, i64), message::Model> =
        stored.into_iter().map(|row| ((row.conversation_id, row.seq), row)).collect();

    // Read marks for the summaries, per workspace.
    let mut reads = HashMap::new();
    for (scope, _) in by_workspace.values() {
        let ids: Vec<i64> =
            shares.values().filter(|s| s.row.workspace_id == scope.workspace_id().0).map(|s| s.row.id).collect();
        reads.extend(super::reads::marks_of(w.txn(), *scope, &ids).await?);
    }

    // Events, in each conversation's order; then one summary per conversation.
    let mut answers: Vec<(usize, Posted)> = Vec::new();
    for share in shares.values() {
        let row = &updated[&share.row.id];
        let first_seq = row.last_seq - share.requests.len() as i64 + 1;
        let workspace = batch[share.requests[0]].scope.workspace_id();
        let operators = Operators(workspace);
        let tabs = VisitorTabs(ContactId(row.contact_id));
        for (offset, index) in share.requests.iter().enumerate() {
            let Some(stored) = stored.remove(&(row.id, first_seq + offset as i64)) else {
                return Err(crate::ServiceError::Internal("a stored message did not come back".into()));
            };
            let message = to_message(stored, None)?;
            w.record(workspace, DomainEvent::MessageCreated { message: message.clone() });
            w.notify(operators, OperatorEvent::MessageCreated { message: message.clone() });
            w.notify(tabs, VisitorEvent::MessageCreated { message: message.clone() });
            answers.push((*index, Posted { message, duplicate: false }));
        }
        let summary = to_summary(row, share.name.clone(), reads.remove(&row.id).unwrap_or_default())?;
        w.notify(operators, OperatorEvent::ConversationChanged { conversation: summary });
    }
    w.commit().await?;

    // Answer the stored ones; the rest stay in `batch` for the general path.
    answers.sort_by_key(|(index, _)| std::cmp::Reverse(*index));
    for (index, posted) in answers {
        let request = batch.swap_remove(index);
        svc.metrics.message_stored(Author::Visitor);
        let _ = request.answer.send(Some(posted));
    }
    Ok(())
}
