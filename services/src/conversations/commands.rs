//! Writing messages and changing conversations. Each command commits first, then
//! publishes its events, so a subscriber that sees an event can always read its row.

use parley_types::{Author, ContactId, ConversationId, ConversationStatus, Message, ServerEvent, WorkspaceId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set, SqlErr};

use super::queries::{conversation_for_contact, find_conversation, summary_of};
use super::{check_client_id, check_text, preview, to_message};
use crate::Services;
use crate::auth::SignedIn;
use crate::bus::Topic;
use crate::clock::now_ms;
use crate::entities::{contact, conversation, message};
use crate::error::{ServiceError, ServiceResult};

/// A message after posting: `duplicate` when the client id had already been stored, in
/// which case nothing was written or published and `message` is the stored one.
#[derive(Debug, Clone)]
pub struct Posted {
    pub message: Message,
    pub duplicate: bool,
}

/// Stores a visitor's message in their conversation (creating it, or opening it again
/// when snoozed or closed) and tells the operators.
pub async fn post_visitor_message(
    svc: &Services,
    visitor: &contact::Model,
    client_id: &str,
    text: &str,
) -> ServiceResult<Posted> {
    check_client_id(client_id)?;
    check_text(text)?;
    let workspace_id = WorkspaceId(visitor.workspace_id);
    let conversation = match conversation_for_contact(&svc.db, workspace_id, ContactId(visitor.id)).await? {
        Some(existing) => existing,
        None => create_conversation(svc, visitor).await?,
    };
    post(svc, conversation, Author::Visitor, None, client_id, text).await
}

/// Stores an operator's reply and tells the visitor and the other operators.
pub async fn post_operator_message(
    svc: &Services,
    member: &SignedIn,
    conversation_id: ConversationId,
    client_id: &str,
    text: &str,
) -> ServiceResult<Posted> {
    check_client_id(client_id)?;
    check_text(text)?;
    let conversation = find_conversation(&svc.db, member.workspace_id, conversation_id).await?;
    post(svc, conversation, Author::Operator, Some(member), client_id, text).await
}

async fn create_conversation(svc: &Services, visitor: &contact::Model) -> ServiceResult<conversation::Model> {
    let _gate = svc.write_gate().await;
    let now = now_ms();
    let row = conversation::ActiveModel {
        workspace_id: Set(visitor.workspace_id),
        contact_id: Set(visitor.id),
        status: Set(ConversationStatus::Open.as_str().to_owned()),
        assignee_id: Set(None),
        last_seq: Set(0),
        unread_count: Set(0),
        last_message: Set(None),
        last_author: Set(None),
        last_activity_at_ms: Set(now),
        created_at_ms: Set(now),
        ..Default::default()
    }
    .insert(&svc.db)
    .await?;
    Ok(row)
}

async fn post(
    svc: &Services,
    conversation: conversation::Model,
    author: Author,
    member: Option<&SignedIn>,
    client_id: &str,
    text: &str,
) -> ServiceResult<Posted> {
    let workspace_id = WorkspaceId(conversation.workspace_id);
    let now = now_ms();
    let reopen = author == Author::Visitor && conversation.status != ConversationStatus::Open.as_str();
    let inserted = {
        let _gate = svc.write_gate().await;
        let txn = crate::db::begin_write(&svc.db).await?;
        match insert_message(&txn, &conversation, author, member, client_id, text, now, reopen).await {
            Ok(rows) => {
                txn.commit().await?;
                Some(rows)
            }
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                txn.rollback().await?;
                None
            }
            Err(err) => return Err(err.into()),
        }
    };
    let Some((row, updated)) = inserted else {
        // The client id was stored before: this is a resend.
        let existing = message::Entity::find()
            .filter(message::Column::WorkspaceId.eq(workspace_id.0))
            .filter(message::Column::ConversationId.eq(conversation.id))
            .filter(message::Column::ClientId.eq(client_id))
            .one(&svc.db)
            .await?
            .ok_or_else(|| ServiceError::Internal("unique violation without a stored message".into()))?;
        let name = author_name(&existing, member);
        return Ok(Posted { message: to_message(existing, name)?, duplicate: true });
    };
    svc.metrics.message_stored(author);
    let name = author_name(&row, member);
    let message = to_message(row, name)?;
    let summary = summary_of(&svc.db, &updated).await?;
    let contact = ContactId(updated.contact_id);
    svc.publish(
        &[Topic::Workspace(workspace_id), Topic::Contact(contact)],
        ServerEvent::MessageCreated { message: message.clone() },
    );
    if reopen {
        svc.publish(
            &[Topic::Contact(contact)],
            ServerEvent::StatusChanged { conversation_id: summary.id, status: summary.status },
        );
    }
    svc.publish(&[Topic::Workspace(workspace_id)], ServerEvent::ConversationChanged { conversation: summary });
    Ok(Posted { message, duplicate: false })
}

fn author_name(row: &message::Model, member: Option<&SignedIn>) -> Option<String> {
    member.filter(|m| Some(m.user_id.0) == row.author_user_id).map(|m| m.name.clone())
}

/// Takes the next sequence number and inserts the message, in one transaction. The
/// `UPDATE` comes first so the row lock (PostgreSQL) or write lock (SQLite) is held from
/// the start, which makes sequence numbers gap-free and ordered.
#[expect(clippy::too_many_arguments, reason = "one private step of `post`, kept flat for the transaction")]
async fn insert_message(
    txn: &DatabaseTransaction,
    conversation: &conversation::Model,
    author: Author,
    member: Option<&SignedIn>,
    client_id: &str,
    text: &str,
    now: i64,
    reopen: bool,
) -> Result<(message::Model, conversation::Model), sea_orm::DbErr> {
    let mut update = conversation::Entity::update_many()
        .col_expr(conversation::Column::LastSeq, Expr::col(conversation::Column::LastSeq).add(1))
        .col_expr(conversation::Column::LastMessage, Expr::value(preview(text)))
        .col_expr(conversation::Column::LastAuthor, Expr::value(author.as_str()))
        .col_expr(conversation::Column::LastActivityAtMs, Expr::value(now));
    update = match author {
        Author::Visitor => {
            update.col_expr(conversation::Column::UnreadCount, Expr::col(conversation::Column::UnreadCount).add(1))
        }
        // An operator answering has read the conversation.
        Author::Operator | Author::System => update.col_expr(conversation::Column::UnreadCount, Expr::value(0i64)),
    };
    if reopen {
        update = update.col_expr(conversation::Column::Status, Expr::value(ConversationStatus::Open.as_str()));
    }
    update
        .filter(conversation::Column::Id.eq(conversation.id))
        .filter(conversation::Column::WorkspaceId.eq(conversation.workspace_id))
        .exec(txn)
        .await?;
    let updated = conversation::Entity::find_by_id(conversation.id)
        .one(txn)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("conversation".into()))?;
    let row = message::ActiveModel {
        workspace_id: Set(conversation.workspace_id),
        conversation_id: Set(conversation.id),
        seq: Set(updated.last_seq),
        author: Set(author.as_str().to_owned()),
        author_user_id: Set(member.map(|m| m.user_id.0)),
        body: Set(text.to_owned()),
        client_id: Set(Some(client_id.to_owned())),
        created_at_ms: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok((row, updated))
}

/// Opens, snoozes or closes a conversation.
pub async fn set_status(
    svc: &Services,
    member: &SignedIn,
    conversation_id: ConversationId,
    status: ConversationStatus,
) -> ServiceResult<parley_types::ConversationSummary> {
    let row = find_conversation(&svc.db, member.workspace_id, conversation_id).await?;
    if row.status == status.as_str() {
        return summary_of(&svc.db, &row).await;
    }
    let updated = {
        let _gate = svc.write_gate().await;
        let mut active: conversation::ActiveModel = row.into();
        active.status = Set(status.as_str().to_owned());
        active.last_activity_at_ms = Set(now_ms());
        active.update(&svc.db).await?
    };
    let summary = summary_of(&svc.db, &updated).await?;
    svc.publish(&[Topic::Contact(summary.contact_id)], ServerEvent::StatusChanged { conversation_id, status });
    svc.publish(
        &[Topic::Workspace(member.workspace_id)],
        ServerEvent::ConversationChanged { conversation: summary.clone() },
    );
    Ok(summary)
}

/// Marks a conversation's visitor messages as read by the team.
pub async fn mark_read(
    svc: &Services,
    member: &SignedIn,
    conversation_id: ConversationId,
) -> ServiceResult<parley_types::ConversationSummary> {
    let row = find_conversation(&svc.db, member.workspace_id, conversation_id).await?;
    if row.unread_count == 0 {
        return summary_of(&svc.db, &row).await;
    }
    let updated = {
        let _gate = svc.write_gate().await;
        let mut active: conversation::ActiveModel = row.into();
        active.unread_count = Set(0);
        active.update(&svc.db).await?
    };
    let summary = summary_of(&svc.db, &updated).await?;
    svc.publish(
        &[Topic::Workspace(member.workspace_id)],
        ServerEvent::ConversationChanged { conversation: summary.clone() },
    );
    Ok(summary)
}

/// Tells the other side that someone is typing. Visitors reach the workspace's
/// operators; operators reach the visitor and the other operators.
pub fn publish_typing(
    svc: &Services,
    workspace_id: WorkspaceId,
    conversation: &conversation::Model,
    author: Author,
    typing: bool,
) {
    let event = ServerEvent::Typing { conversation_id: ConversationId(conversation.id), author, typing };
    match author {
        Author::Visitor => svc.publish(&[Topic::Workspace(workspace_id)], event),
        Author::Operator | Author::System => {
            svc.publish(&[Topic::Contact(ContactId(conversation.contact_id)), Topic::Workspace(workspace_id)], event)
        }
    }
}
