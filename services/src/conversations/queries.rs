//! Reading conversations and messages, always within one workspace.

use std::collections::HashMap;

use parley_types::{ContactId, ConversationId, ConversationSummary, Message, WorkspaceId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{to_message, to_summary};
use crate::entities::{contact, conversation, message, user};
use crate::error::{ServiceError, ServiceResult};

/// The inbox: newest activity first.
pub async fn list_conversations(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    limit: u64,
) -> ServiceResult<Vec<ConversationSummary>> {
    let rows = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(workspace_id.0))
        .order_by_desc(conversation::Column::LastActivityAtMs)
        .order_by_desc(conversation::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let contact_ids: Vec<i64> = rows.iter().map(|r| r.contact_id).collect();
    let names: HashMap<i64, String> = contact::Entity::find()
        .filter(contact::Column::WorkspaceId.eq(workspace_id.0))
        .filter(contact::Column::Id.is_in(contact_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    rows.iter().map(|row| to_summary(row, names.get(&row.contact_id).cloned().unwrap_or_default())).collect()
}

/// One conversation of the workspace, or `NotFound` (also for other workspaces' ids).
pub async fn find_conversation(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    id: ConversationId,
) -> ServiceResult<conversation::Model> {
    conversation::Entity::find_by_id(id.0)
        .filter(conversation::Column::WorkspaceId.eq(workspace_id.0))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// One conversation's summary.
pub async fn get_summary(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    id: ConversationId,
) -> ServiceResult<ConversationSummary> {
    let row = find_conversation(db, workspace_id, id).await?;
    summary_of(db, &row).await
}

pub(super) async fn summary_of(
    db: &impl ConnectionTrait,
    row: &conversation::Model,
) -> ServiceResult<ConversationSummary> {
    let name = contact::Entity::find_by_id(row.contact_id)
        .filter(contact::Column::WorkspaceId.eq(row.workspace_id))
        .one(db)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    to_summary(row, name)
}

/// The contact's current conversation (its newest), if it has one.
pub async fn conversation_for_contact(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    contact_id: ContactId,
) -> ServiceResult<Option<conversation::Model>> {
    Ok(conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(workspace_id.0))
        .filter(conversation::Column::ContactId.eq(contact_id.0))
        .order_by_desc(conversation::Column::Id)
        .one(db)
        .await?)
}

/// Messages with `seq` greater than `after_seq`, in order, at most `limit`.
pub async fn messages_after(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    conversation_id: ConversationId,
    after_seq: i64,
    limit: u64,
) -> ServiceResult<Vec<Message>> {
    let rows = message::Entity::find()
        .filter(message::Column::WorkspaceId.eq(workspace_id.0))
        .filter(message::Column::ConversationId.eq(conversation_id.0))
        .filter(message::Column::Seq.gt(after_seq))
        .order_by_asc(message::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    let mut user_ids: Vec<i64> = rows.iter().filter_map(|m| m.author_user_id).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    let names: HashMap<i64, String> = if user_ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(user_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    rows.into_iter()
        .map(|row| {
            let name = row.author_user_id.and_then(|id| names.get(&id).cloned());
            to_message(row, name)
        })
        .collect()
}
