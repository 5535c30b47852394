//! Writing messages and changing conversations, each through the one write path
//! (`Services::begin` → rows + outbox events + notifications → `commit`).

use parley_types::{
    AttachmentId, Author, Capability, ContactId, ConversationId, ConversationStatus, OperatorEvent, VisitorEvent,
    phrase,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set, SqlErr};

use super::lifecycle::{LineError, Transition, add_line_with_id};
use super::queries::{latest_of_contact_named, readable_conversation, summary_of, visitor_conversation};
use super::{check_client_id, check_message, check_text, preview_of, to_message, to_summary};
use crate::access::{Actor, Member, Scope};
use crate::bus::{Operators, VisitorTabs};
use crate::clock::now_ms;
use crate::entities::{conversation, message};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::{Services, Write};

/// A message after posting: `duplicate` when the client id had already been stored, in
/// which case nothing was written or published and `message` is the stored one.
#[derive(Debug, Clone)]
pub struct Posted {
    pub message: parley_types::Message,
    pub duplicate: bool,
}

/// Stores a visitor's message in their conversation (creating it, or opening it again
/// when snoozed or closed) and tells the operators. Only the visitor themself may.
pub async fn post_visitor_message(
    svc: &Services,
    actor: &Actor,
    client_id: &str,
    text: &str,
    files: &[AttachmentId],
) -> ServiceResult<Posted> {
    super::arriving::post_visitor_message_shown(svc, actor, None, client_id, text, files).await
}

/// The storing part of [`post_visitor_message`], after its checks.
pub(super) async fn store_visitor_message(
    svc: &Services,
    actor: &Actor,
    scope: Scope,
    contact: ContactId,
    client_id: &str,
    text: &str,
    files: &[AttachmentId],
) -> ServiceResult<Posted> {
    // Text into an open conversation: with others, many per write (SQLite).
    if files.is_empty()
        && let Some(posted) = super::append::post(svc, scope, contact, client_id, text).await
    {
        return Ok(posted);
    }
    // Two tabs may post a first message at the same instant: the partial unique index
    // lets one create the conversation, and the other retries into it.
    for _ in 0..2 {
        let mut w = svc.begin().await?;
        let (conversation, name, created) = match latest_of_contact_named(w.txn(), scope, contact).await? {
            // Writing into a snoozed or closed conversation opens it again: to Live when
            // unassigned, else to its assignee (who keeps it).
            Some((existing, name)) if existing.status != ConversationStatus::Open.as_str() => {
                let now = now_ms();
                super::lifecycle::transition_in(&mut w, scope, actor, existing.clone(), Transition::Reopen, now)
                    .await?;
                let reopened = super::lifecycle::reload(w.txn(), scope, existing.id).await?;
                (reopened, Some(name), false)
            }
            Some((existing, name)) => (existing, Some(name), false),
            // New conversations go where the routing rules say (else the visitor's pick,
            // else the default department, else Live).
            None => {
                crate::contacts::lead_form::check_first_message(w.txn(), scope, contact).await?;
                let department =
                    crate::departments::route_new(svc, w.txn(), scope, contact, parley_types::Channel::Widget).await?;
                match create_conversation(&w, scope, contact, department).await {
                    Ok(row) => {
                        if row.department_id.is_some() {
                            crate::departments::queue_dispatch(&mut w, scope).await?;
                        }
                        (row, None, true)
                    }
                    Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => continue,
                    Err(err) => return Err(err.into()),
                }
            }
        };
        if created {
            super::counts::counts_changed(&mut w, scope).await?;
            w.record(
                scope.workspace_id(),
                DomainEvent::ConversationCreated {
                    conversation_id: ConversationId(conversation.id),
                    contact_id: contact,
                },
            );
        }
        return post(svc, w, scope, actor, conversation, name, client_id, text, files).await;
    }
    Err(ServiceError::Conflict(phrase!("err-conversations-changed")))
}

/// Stores a member's reply and tells the visitor and the other operators. Needs `reply
/// in conversations`.
pub async fn post_operator_message(
    svc: &Services,
    actor: &Actor,
    conversation_id: ConversationId,
    client_id: &str,
    text: &str,
    files: &[AttachmentId],
) -> ServiceResult<Posted> {
    let scope = actor.require(Capability::ReplyConversations)?;
    actor.member()?;
    check_client_id(client_id)?;
    check_message(text, files.len())?;
    let w = svc.begin().await?;
    let conversation = readable_conversation(w.txn(), actor, conversation_id).await?;
    post(svc, w, scope, actor, conversation, None, client_id, text, files).await
}

/// Proactive start: a member writes first to a contact (an online visitor). The message
/// goes into the contact's open conversation, or a new one, which is assigned to the
/// member; the visitor's widget shows it at once. Needs `reply in conversations`.
pub async fn start_conversation(
    svc: &Services,
    actor: &Actor,
    contact: ContactId,
    client_id: &str,
    text: &str,
) -> ServiceResult<Posted> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let member = actor.member()?.clone();
    check_client_id(client_id)?;
    check_message(text, 0)?;
    for _ in 0..2 {
        let mut w = svc.begin().await?;
        // Another workspace's contact is "not found".
        crate::contacts::get_contact(w.txn(), &Actor::System(scope.workspace_id()), contact).await?;
        let open = scope
            .find::<conversation::Entity>()
            .filter(conversation::Column::ContactId.eq(contact.0))
            .filter(conversation::Column::Status.ne(ConversationStatus::Closed.as_str()))
            .one(w.txn())
            .await?;
        let conversation = match open {
            Some(open) => open,
            None => match create_conversation(&w, scope, contact, None).await {
                Ok(row) => {
                    super::counts::counts_changed(&mut w, scope).await?;
                    let event = DomainEvent::ConversationCreated {
                        conversation_id: ConversationId(row.id),
                        contact_id: contact,
                    };
                    w.record(scope.workspace_id(), event);
                    row
                }
                // The visitor wrote first at this very moment: write into theirs.
                Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => continue,
                Err(err) => return Err(err.into()),
            },
        };
        let conversation = if conversation.assignee_id.is_none() {
            let line = phrase!("line-started", name = &member.name);
            let by = Some(member.user_id.0);
            super::lifecycle::assign_in(&mut w, scope, conversation, Some(member.user_id), by, &line, now_ms()).await?
        } else {
            conversation
        };
        return post(svc, w, scope, actor, conversation, None, client_id, text, &[]).await;
    }
    Err(ServiceError::Conflict(phrase!("err-conversations-changed")))
}

/// Adds a note for the team to a conversation: operators see it apart from the messages;
/// it is never sent to the visitor (nor, later, to a channel), does not count as an answer
/// and leaves the list's preview alone. Resending the same `client_id` stores it once.
/// A note is a comment on the conversation: each member in `mentions` (who must all be
/// members) gets an item in their Inbox. Needs `reply in conversations`.
pub async fn add_note(
    svc: &Services,
    actor: &Actor,
    conversation_id: ConversationId,
    client_id: &str,
    text: &str,
    mentions: &[parley_types::UserId],
) -> ServiceResult<Posted> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let member = actor.member()?;
    check_client_id(client_id)?;
    check_text(text)?;
    let mut w = svc.begin().await?;
    let conversation = readable_conversation(w.txn(), actor, conversation_id).await?;
    let mentions = crate::inbox::check_mentions(w.txn(), scope, mentions).await?;
    let by = Some(member.user_id.0);
    match add_line_with_id(&mut w, scope, conversation.id, Author::Operator, by, text, Some(client_id), now_ms()).await
    {
        Ok(message) => {
            let at = crate::inbox::CommentAt {
                entity: parley_types::EntityKind::Conversation,
                entity_id: conversation.id,
                message_id: Some(message.id.0),
                position: Some(message.seq),
            };
            crate::inbox::add_comment(&mut w, scope, member.user_id, at, text, &mentions).await?;
            w.record(scope.workspace_id(), DomainEvent::NoteAdded { message: message.clone() });
            w.commit().await?;
            Ok(Posted { message, duplicate: false })
        }
        Err(LineError::Db(err)) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            stored_duplicate(svc, w, scope, &conversation, Some(member), client_id).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn create_conversation(
    w: &Write,
    scope: Scope,
    contact: ContactId,
    department_id: Option<i64>,
) -> Result<conversation::Model, sea_orm::DbErr> {
    let now = now_ms();
    conversation::ActiveModel {
        department_id: Set(department_id),
        workspace_id: Set(scope.workspace_id().0),
        contact_id: Set(contact.0),
        status: Set(ConversationStatus::Open.as_str().to_owned()),
        assignee_id: Set(None),
        last_seq: Set(0),
        visitor_messages: Set(0),
        read_floor: Set(0),
        visitor_read_seq: Set(0),
        channel: Set(parley_types::Channel::Widget.as_str().to_owned()),
        last_message: Set(None),
        last_author: Set(None),
        last_activity_at_ms: Set(now),
        created_at_ms: Set(now),
        ..Default::default()
    }
    .insert(w.txn())
    .await
}

/// `contact_name`, when the caller read it already, saves reading the contact again.
#[expect(clippy::too_many_arguments, reason = "the one message path, kept flat for the transaction")]
async fn post(
    svc: &Services,
    mut w: Write,
    scope: Scope,
    actor: &Actor,
    conversation: conversation::Model,
    contact_name: Option<String>,
    client_id: &str,
    text: &str,
    files: &[AttachmentId],
) -> ServiceResult<Posted> {
    let member = actor.member().ok();
    let author = if member.is_some() { Author::Operator } else { Author::Visitor };
    let now = now_ms();
    // A resend finds its files taken already: the stored message answers it (below).
    let files = match crate::attachments::claim(&w, scope, actor, conversation.id, files).await {
        Ok(files) => files,
        Err(err) if !files.is_empty() && resent(&w, scope, &conversation, client_id).await? => {
            return stored_duplicate(svc, w, scope, &conversation, member, client_id).await.or(Err(err));
        }
        Err(err) => return Err(err),
    };
    let (row, updated) =
        match insert_message(&w, scope, &conversation, author, member, client_id, text, &files, now).await {
            Ok(rows) => rows,
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                return stored_duplicate(svc, w, scope, &conversation, member, client_id).await;
            }
            Err(err) => return Err(err.into()),
        };
    crate::attachments::bind(&w, scope, row.id, &files).await?;
    let message = to_message(row, member.map(|m| m.name.clone()))?;
    let contact = VisitorTabs(ContactId(updated.contact_id));
    let operators = Operators(scope.workspace_id());
    w.record(scope.workspace_id(), DomainEvent::MessageCreated { message: message.clone() });
    w.notify(operators, OperatorEvent::MessageCreated { message: message.clone() });
    w.notify(contact, VisitorEvent::MessageCreated { message: message.clone() });
    // A member answering has read the conversation up to their answer (after the message,
    // so the visitor's "Seen" follows it, and before the summary, which carries it).
    if let Some(member) = member {
        super::reads::advance_member_mark(&mut w, scope, &updated, member.user_id, updated.last_seq).await?;
        // Emailed to the contact unless the visitor sees it in time.
        super::continuity::schedule(svc, &mut w, scope, &updated).await?;
    }
    let summary = match contact_name {
        Some(name) => {
            let reads = super::reads::marks_of(w.txn(), scope, &[updated.id]).await?.remove(&updated.id);
            to_summary(&updated, name, reads.unwrap_or_default())?
        }
        None => summary_of(w.txn(), scope, &updated).await?,
    };
    w.notify(operators, OperatorEvent::ConversationChanged { conversation: summary });
    w.commit().await?;
    svc.metrics.message_stored(author);
    Ok(Posted { message, duplicate: false })
}

/// The message a resend's client id already stored. On SQLite the original may still be
/// in the open write batch: it is read in this write's transaction (a failed statement
/// does not end an SQLite transaction), this write is undone, and the resend acknowledged
/// only once the batch holding the original has committed. On
/// PostgreSQL the failed statement ended the transaction, and the original has committed
/// (the unique index made this insert wait for it).
async fn stored_duplicate(
    svc: &Services,
    w: Write,
    scope: Scope,
    conversation: &conversation::Model,
    member: Option<&Member>,
    client_id: &str,
) -> ServiceResult<Posted> {
    let find = scope
        .find::<message::Entity>()
        .filter(message::Column::ConversationId.eq(conversation.id))
        .filter(message::Column::ClientId.eq(client_id));
    let existing = if w.txn().get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        let existing = find.one(w.txn()).await?;
        // Undo this write's sequence number, and answer once the original is durable.
        w.rollback_and_wait().await?;
        existing
    } else {
        drop(w);
        find.one(&svc.db).await?
    };
    let existing =
        existing.ok_or_else(|| ServiceError::Internal("unique violation without a stored message".into()))?;
    let name = member.filter(|m| Some(m.user_id.0) == existing.author_user_id).map(|m| m.name.clone());
    Ok(Posted { message: to_message(existing, name)?, duplicate: true })
}

/// Whether `client_id` already stored a message in this conversation (a resend).
async fn resent(w: &Write, scope: Scope, conversation: &conversation::Model, client_id: &str) -> ServiceResult<bool> {
    use sea_orm::PaginatorTrait;
    let stored = scope
        .find::<message::Entity>()
        .filter(message::Column::ConversationId.eq(conversation.id))
        .filter(message::Column::ClientId.eq(client_id))
        .count(w.txn())
        .await?;
    Ok(stored > 0)
}

/// Takes the next sequence number and inserts the message, in the write's transaction.
/// The `UPDATE` comes first so the row lock (PostgreSQL) or write lock (SQLite) is held
/// from the start, which makes sequence numbers gap-free and ordered.
#[expect(clippy::too_many_arguments, reason = "one private step of `post`, kept flat for the transaction")]
async fn insert_message(
    w: &Write,
    scope: Scope,
    conversation: &conversation::Model,
    author: Author,
    member: Option<&Member>,
    client_id: &str,
    text: &str,
    files: &[parley_types::Attachment],
    now: i64,
) -> Result<(message::Model, conversation::Model), sea_orm::DbErr> {
    let mut update = scope
        .update_many::<conversation::Entity>()
        .col_expr(conversation::Column::LastSeq, Expr::col(conversation::Column::LastSeq).add(1))
        .col_expr(conversation::Column::LastMessage, Expr::value(preview_of(text, files)))
        .col_expr(conversation::Column::LastAuthor, Expr::value(author.as_str()))
        .col_expr(conversation::Column::LastActivityAtMs, Expr::value(now));
    update = match author {
        // The customer waits for an answer from their first unanswered message on.
        Author::Visitor => update
            .col_expr(conversation::Column::VisitorMessages, Expr::col(conversation::Column::VisitorMessages).add(1))
            .col_expr(
                conversation::Column::WaitingSinceMs,
                Func::coalesce([Expr::col(conversation::Column::WaitingSinceMs), Expr::value(now)]).into(),
            ),
        // An operator answering has answered (and read: see `post`).
        Author::Operator | Author::System => {
            update.col_expr(conversation::Column::WaitingSinceMs, Expr::value(Option::<i64>::None))
        }
    };
    // `RETURNING` gives the new sequence number and the summary's fields without reading
    // the row again.
    let updated = update
        .filter(conversation::Column::Id.eq(conversation.id))
        .exec_with_returning(w.txn())
        .await?
        .pop()
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("conversation".into()))?;
    let row = message::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        conversation_id: Set(conversation.id),
        seq: Set(updated.last_seq),
        author: Set(author.as_str().to_owned()),
        author_user_id: Set(member.map(|m| m.user_id.0)),
        body: Set(text.to_owned()),
        client_id: Set(Some(client_id.to_owned())),
        created_at_ms: Set(now),
        attachments: Set((!files.is_empty()).then(|| serde_json::to_string(files).unwrap_or_default())),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    Ok((row, updated))
}

/// Tells the other side that someone is typing. A visitor types in their own
/// conversation (`conversation_id` is ignored) and reaches the operators; a member
/// with `reply in conversations` reaches the visitor and the other operators.
pub async fn publish_typing(
    svc: &Services,
    actor: &Actor,
    conversation_id: Option<ConversationId>,
    typing: bool,
) -> ServiceResult<()> {
    let operators = Operators(actor.workspace_id());
    match actor {
        Actor::Visitor(_) => {
            if let Some(row) = visitor_conversation(&svc.db, actor).await? {
                let conversation_id = ConversationId(row.id);
                svc.notify(
                    operators,
                    OperatorEvent::Typing { conversation_id, author: Author::Visitor, typing, by: None },
                );
            }
        }
        _ => {
            actor.require(Capability::ReplyConversations)?;
            let id = conversation_id.ok_or_else(|| ServiceError::Invalid(phrase!("err-conversations-which")))?;
            let row = readable_conversation(&svc.db, actor, id).await?;
            let contact = VisitorTabs(ContactId(row.contact_id));
            svc.notify(contact, VisitorEvent::Typing { conversation_id: id, author: Author::Operator, typing });
            let by = actor.member().ok().map(|m| parley_types::Viewer { user_id: m.user_id, name: m.name.clone() });
            svc.notify(operators, OperatorEvent::Typing { conversation_id: id, author: Author::Operator, typing, by });
        }
    }
    Ok(())
}
