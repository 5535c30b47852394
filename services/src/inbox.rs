//! Comments with @mentions and each member's personal Inbox.
//!
//! A comment belongs to an entity (type and id); a conversation's notes are comments (the
//! note is also a line of the conversation); a contact's notes mention members too.
//! Mentioning members puts an item in each one's Inbox, in the comment's own write; so does a conversation assigned to a member by
//! someone else (or by Parley's round robin). A member sees, reads, unreads and archives
//! only their own items; anyone else's item is "not found".

use parley_types::{
    Capability, EntityKind, InboxItem, InboxItemId, InboxItemKind, OperatorEvent, UserId, WorkspaceId, phrase,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::conversations::parse;
use crate::entities::{comment, comment_mention, inbox_item, membership, user};
use crate::error::{ServiceError, ServiceResult};
use crate::{Services, Write};

/// Longest excerpt kept on an Inbox item, in characters.
const EXCERPT_CHARS: usize = 200;
/// Most items listed at once (newest first).
const LIST_LIMIT: u64 = 200;

/// Checks that every id in `mentions` is a member of the workspace (before anything is
/// written); returns them without repeats.
pub(crate) async fn check_mentions(
    db: &impl ConnectionTrait,
    scope: Scope,
    mentions: &[UserId],
) -> ServiceResult<Vec<UserId>> {
    let mut ids: Vec<UserId> = mentions.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(ids);
    }
    let members = scope
        .find::<membership::Entity>()
        .filter(membership::Column::UserId.is_in(ids.iter().map(|u| u.0)))
        .count(db)
        .await?;
    if members != ids.len() as u64 {
        return Err(ServiceError::Invalid(phrase!("err-inbox-mention-not-member")));
    }
    Ok(ids)
}

/// Where a comment is: its entity and, for a conversation note, its line.
pub(crate) struct CommentAt {
    pub entity: EntityKind,
    pub entity_id: i64,
    pub message_id: Option<i64>,
    pub position: Option<i64>,
}

/// Stores a comment by `author` and an Inbox item for each mentioned member (not the
/// author), in `w`. `mentions` must have passed [`check_mentions`].
pub(crate) async fn add_comment(
    w: &mut Write,
    scope: Scope,
    author: UserId,
    at: CommentAt,
    body: &str,
    mentions: &[UserId],
) -> ServiceResult<()> {
    let now = now_ms();
    let row = comment::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        entity_type: Set(at.entity.as_str().to_owned()),
        entity_id: Set(at.entity_id),
        author_id: Set(Some(author.0)),
        body: Set(body.to_owned()),
        message_id: Set(at.message_id),
        created_at_ms: Set(now),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    for &user in mentions {
        comment_mention::ActiveModel {
            comment_id: Set(row.id),
            user_id: Set(user.0),
            workspace_id: Set(scope.workspace_id().0),
        }
        .insert(w.txn())
        .await?;
    }
    mention(w, scope, author, &at, Some(row.id), body, mentions).await
}

/// An Inbox item for each mentioned member but the author, in `w`: for a comment, or for
/// a text kept elsewhere (a contact's note, `comment: None`). `mentions` must have passed
/// [`check_mentions`].
pub(crate) async fn mention(
    w: &mut Write,
    scope: Scope,
    author: UserId,
    at: &CommentAt,
    comment: Option<i64>,
    body: &str,
    mentions: &[UserId],
) -> ServiceResult<()> {
    for &user in mentions.iter().filter(|u| **u != author) {
        let item = NewItem {
            user,
            kind: InboxItemKind::Mention,
            entity: at.entity,
            entity_id: at.entity_id,
            comment_id: comment,
            position: at.position,
            actor: Some(author),
            excerpt: body,
        };
        put(w, scope, item).await?;
    }
    Ok(())
}

/// An item to put in a member's Inbox.
pub(crate) struct NewItem<'a> {
    pub user: UserId,
    pub kind: InboxItemKind,
    pub entity: EntityKind,
    pub entity_id: i64,
    pub comment_id: Option<i64>,
    pub position: Option<i64>,
    pub actor: Option<UserId>,
    pub excerpt: &'a str,
}

/// Puts an item in a member's Inbox, in `w`, and tells their pages.
pub(crate) async fn put(w: &mut Write, scope: Scope, item: NewItem<'_>) -> ServiceResult<()> {
    let mut excerpt: String = item.excerpt.trim().chars().take(EXCERPT_CHARS).collect();
    if item.excerpt.trim().chars().count() > EXCERPT_CHARS {
        excerpt.push('…');
    }
    // For consumers (push notifications): who caused it, by name.
    let by = match item.actor {
        Some(actor) => crate::entities::user::Entity::find_by_id(actor.0).one(w.txn()).await?.map(|u| u.name),
        None => None,
    };
    w.record(
        scope.workspace_id(),
        crate::events::DomainEvent::InboxItemAdded {
            user_id: item.user,
            item: item.kind,
            conversation_id: (item.entity == EntityKind::Conversation)
                .then_some(parley_types::ConversationId(item.entity_id)),
            by,
            excerpt: excerpt.clone(),
        },
    );
    inbox_item::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        user_id: Set(item.user.0),
        kind: Set(item.kind.as_str().to_owned()),
        entity_type: Set(item.entity.as_str().to_owned()),
        entity_id: Set(item.entity_id),
        comment_id: Set(item.comment_id),
        position: Set(item.position),
        actor_id: Set(item.actor.map(|a| a.0)),
        excerpt: Set(excerpt),
        created_at_ms: Set(now_ms()),
        read_at_ms: Set(None),
        archived_at_ms: Set(None),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    changed(w, scope.workspace_id(), item.user, Some(item.kind));
    Ok(())
}

fn changed(w: &mut Write, workspace: WorkspaceId, user: UserId, added: Option<InboxItemKind>) {
    w.notify(Operators(workspace), OperatorEvent::InboxChanged { user_id: user, added });
}

async fn to_items(db: &impl ConnectionTrait, rows: Vec<inbox_item::Model>) -> ServiceResult<Vec<InboxItem>> {
    let mut actor_ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let names: std::collections::HashMap<i64, String> = if actor_ids.is_empty() {
        Default::default()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    rows.into_iter()
        .map(|row| {
            Ok(InboxItem {
                id: InboxItemId(row.id),
                kind: parse(&row.kind)?,
                entity: parse(&row.entity_type)?,
                entity_id: row.entity_id,
                position: row.position,
                actor_name: row.actor_id.and_then(|id| names.get(&id).cloned()),
                excerpt: row.excerpt,
                created_at_ms: row.created_at_ms,
                read: row.read_at_ms.is_some(),
                archived: row.archived_at_ms.is_some(),
            })
        })
        .collect()
}

/// The member's Inbox, newest first: the current items, or the archived ones. Needs
/// `read conversations`, as a member.
pub async fn list_items(db: &impl ConnectionTrait, actor: &Actor, archived: bool) -> ServiceResult<Vec<InboxItem>> {
    let scope = actor.require(Capability::ReadConversations)?;
    let me = actor.member()?.user_id;
    let column = inbox_item::Column::ArchivedAtMs;
    let rows = scope
        .find::<inbox_item::Entity>()
        .filter(inbox_item::Column::UserId.eq(me.0))
        .filter(if archived { column.is_not_null() } else { column.is_null() })
        .order_by_desc(inbox_item::Column::Id)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    to_items(db, rows).await
}

/// How many of the member's current items are unread (their navigation badge).
pub async fn unread_count(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<i64> {
    let scope = actor.require(Capability::ReadConversations)?;
    let me = actor.member()?.user_id;
    let n = scope
        .find::<inbox_item::Entity>()
        .filter(inbox_item::Column::UserId.eq(me.0))
        .filter(inbox_item::Column::ArchivedAtMs.is_null())
        .filter(inbox_item::Column::ReadAtMs.is_null())
        .count(db)
        .await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// What to change on an item.
#[derive(Debug, Clone, Copy)]
pub enum ItemChange {
    Read(bool),
    Archived(bool),
}

/// Marks one of the member's items read or unread, archives or restores it. Anyone
/// else's item is "not found".
pub async fn change_item(
    svc: &Services,
    actor: &Actor,
    id: InboxItemId,
    change: ItemChange,
) -> ServiceResult<InboxItem> {
    let scope = actor.require(Capability::ReadConversations)?;
    let me = actor.member()?.user_id;
    let mut w = svc.begin().await?;
    let row = scope
        .find::<inbox_item::Entity>()
        .filter(inbox_item::Column::Id.eq(id.0))
        .filter(inbox_item::Column::UserId.eq(me.0))
        .one(w.txn())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let now = now_ms();
    let mut active: inbox_item::ActiveModel = row.into();
    match change {
        ItemChange::Read(read) => active.read_at_ms = Set(read.then_some(now)),
        // Archiving reads it too: it is dealt with.
        ItemChange::Archived(true) => {
            active.archived_at_ms = Set(Some(now));
            if active.read_at_ms.as_ref().is_none() {
                active.read_at_ms = Set(Some(now));
            }
        }
        ItemChange::Archived(false) => active.archived_at_ms = Set(None),
    }
    let row = active.update(w.txn()).await?;
    changed(&mut w, scope.workspace_id(), me, None);
    let item = to_items(w.txn(), vec![row]).await?.remove(0);
    w.commit().await?;
    Ok(item)
}
