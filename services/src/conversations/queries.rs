//! Reading conversations and messages. Every function takes the actor, checks what it
//! may read, and reads through its scope: members of the workspace read the
//! conversations they see (`visibility`), a visitor only their own.

use std::collections::HashMap;

use parley_types::{
    Capability, ContactId, ConversationId, ConversationPriority, ConversationStatus, ConversationSummary, InboxCursor,
    InboxSort, InboxView, Message, ViewCounts,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, Select,
};

use super::visibility::visible_conversations;
use super::{to_message, to_summary};
use crate::access::{Actor, Scope};
use crate::entities::{contact, conversation, message, user};
use crate::error::{ServiceError, ServiceResult};

/// One page of an inbox view, in `sort` order: the first `limit` conversations, or those
/// after `after` (a cursor from the previous page's last row), so any number of
/// conversations can be paged through without skipping or repeating one. Needs `read
/// conversations`; "Mine" needs a member.
pub async fn list_conversations(
    db: &impl ConnectionTrait,
    actor: &Actor,
    view: InboxView,
    sort: InboxSort,
    after: Option<InboxCursor>,
    limit: u64,
) -> ServiceResult<Vec<ConversationSummary>> {
    page_of(db, actor, in_view(db, actor, view).await?, sort, after, limit).await
}

/// A contact's conversations, newest activity first (the contact page's list). Needs
/// `read conversations`.
pub async fn contact_conversations(
    db: &impl ConnectionTrait,
    actor: &Actor,
    contact_id: ContactId,
    limit: u64,
) -> ServiceResult<Vec<ConversationSummary>> {
    let query = visible_conversations(db, actor).await?.filter(conversation::Column::ContactId.eq(contact_id.0));
    page_of(db, actor, query, InboxSort::Latest, None, limit).await
}

/// One page of `query`'s conversations in `sort` order, after `after`, as summaries.
pub(super) async fn page_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    mut query: Select<conversation::Entity>,
    sort: InboxSort,
    after: Option<InboxCursor>,
    limit: u64,
) -> ServiceResult<Vec<ConversationSummary>> {
    use conversation::Column as C;
    // The sort's leading key, ascending, as `InboxSort::lead_key` computes it.
    let lead: Option<Expr> = match sort {
        InboxSort::Latest => None,
        // Waiting customers first, the longest waiting at the top; answered ones last.
        InboxSort::LongestWaiting => Some(Func::coalesce([Expr::col(C::WaitingSinceMs), Expr::value(i64::MAX)]).into()),
        InboxSort::Priority => Some(
            Expr::case(Expr::col(C::Priority).eq(ConversationPriority::Critical.as_str()), 0i64).finally(1i64).into(),
        ),
    };
    if let Some(lead) = &lead {
        query = query.order_by(lead.clone(), Order::Asc);
    }
    query = query.order_by_desc(C::LastActivityAtMs).order_by_desc(C::Id);
    if let Some(cursor) = after {
        let newer_first = Condition::any()
            .add(C::LastActivityAtMs.lt(cursor.last_activity_ms))
            .add(Condition::all().add(C::LastActivityAtMs.eq(cursor.last_activity_ms)).add(C::Id.lt(cursor.id)));
        let after_cursor = match &lead {
            None => newer_first,
            Some(lead) => Condition::any()
                .add(lead.clone().gt(cursor.lead))
                .add(Condition::all().add(lead.clone().eq(cursor.lead)).add(newer_first)),
        };
        query = query.filter(after_cursor);
    }
    let rows = query.limit(limit).all(db).await?;
    let scope = actor.require(Capability::ReadConversations)?;
    let contact_ids: Vec<i64> = rows.iter().map(|r| r.contact_id).collect();
    let names: HashMap<i64, String> = scope
        .find::<contact::Entity>()
        .filter(contact::Column::Id.is_in(contact_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut reads = super::reads::marks_of(db, scope, &ids).await?;
    rows.iter()
        .map(|row| {
            let name = names.get(&row.contact_id).cloned().unwrap_or_default();
            to_summary(row, name, reads.remove(&row.id).unwrap_or_default())
        })
        .collect()
}

/// How many conversations each view holds, for the member looking. Needs `read
/// conversations`.
pub async fn view_counts(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<ViewCounts> {
    let me = actor.member().map(|m| m.user_id).unwrap_or(parley_types::UserId(0));
    Ok(super::counts::member_counts(db, actor).await?.for_member(me))
}

/// The workspace's conversations in `view` that the actor sees (the filter
/// [`ConversationSummary::in_view`] applies to one summary, as a query).
async fn in_view(
    db: &impl ConnectionTrait,
    actor: &Actor,
    view: InboxView,
) -> ServiceResult<Select<conversation::Entity>> {
    use conversation::Column as C;
    let open = C::Status.eq(ConversationStatus::Open.as_str());
    let query = visible_conversations(db, actor).await?;
    Ok(match view {
        InboxView::Live => query.filter(open).filter(C::AssigneeId.is_null()),
        InboxView::Mine => query.filter(open).filter(C::AssigneeId.eq(actor.member()?.user_id.0)),
        InboxView::Assigned => query.filter(open).filter(C::AssigneeId.is_not_null()),
        InboxView::Snoozed => query.filter(C::Status.eq(ConversationStatus::Snoozed.as_str())),
        InboxView::Archived => query.filter(C::Status.eq(ConversationStatus::Closed.as_str())),
    })
}

/// A conversation the actor may read: any of the workspace's that a member with `read
/// conversations` sees (see `visibility`) or the system, only their own for a visitor.
/// Anything else, including other workspaces' ids, is `NotFound`.
pub async fn readable_conversation(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: ConversationId,
) -> ServiceResult<conversation::Model> {
    let query = match actor {
        Actor::Visitor(visitor) => actor
            .own_workspace()
            .find::<conversation::Entity>()
            .filter(conversation::Column::ContactId.eq(visitor.contact_id.0)),
        _ => visible_conversations(db, actor).await?,
    };
    query.filter(conversation::Column::Id.eq(id.0)).one(db).await?.ok_or(ServiceError::NotFound)
}

/// One conversation's summary (for members).
pub async fn get_summary(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: ConversationId,
) -> ServiceResult<ConversationSummary> {
    let scope = actor.require(Capability::ReadConversations)?;
    let row = readable_conversation(db, actor, id).await?;
    summary_of(db, scope, &row).await
}

pub(crate) async fn summary_of(
    db: &impl ConnectionTrait,
    scope: Scope,
    row: &conversation::Model,
) -> ServiceResult<ConversationSummary> {
    let name = scope
        .find::<contact::Entity>()
        .filter(contact::Column::Id.eq(row.contact_id))
        .one(db)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let reads = super::reads::marks_of(db, scope, &[row.id]).await?.remove(&row.id).unwrap_or_default();
    to_summary(row, name, reads)
}

/// The visitor's current conversation (the newest), if they have written yet.
pub async fn visitor_conversation(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> ServiceResult<Option<conversation::Model>> {
    let visitor = actor.visitor()?;
    latest_of_contact(db, actor.own_workspace(), visitor.contact_id).await
}

pub(super) async fn latest_of_contact(
    db: &impl ConnectionTrait,
    scope: Scope,
    contact_id: ContactId,
) -> ServiceResult<Option<conversation::Model>> {
    Ok(scope
        .find::<conversation::Entity>()
        .filter(conversation::Column::ContactId.eq(contact_id.0))
        .order_by_desc(conversation::Column::Id)
        .one(db)
        .await?)
}

/// [`latest_of_contact`] with the contact's name, in one query (the message path builds
/// the operators' summary from it without reading the contact again).
pub(super) async fn latest_of_contact_named(
    db: &impl ConnectionTrait,
    scope: Scope,
    contact_id: ContactId,
) -> ServiceResult<Option<(conversation::Model, String)>> {
    Ok(scope
        .find::<conversation::Entity>()
        .filter(conversation::Column::ContactId.eq(contact_id.0))
        .order_by_desc(conversation::Column::Id)
        .find_also_related(contact::Entity)
        .one(db)
        .await?
        .map(|(row, contact)| (row, contact.map(|c| c.name).unwrap_or_default())))
}

/// A conversation of the workspace with its contact's name (for jobs and consumers,
/// which act for the workspace).
pub(crate) async fn summary_row(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: ConversationId,
) -> ServiceResult<Option<(conversation::Model, String)>> {
    Ok(scope
        .find::<conversation::Entity>()
        .filter(conversation::Column::Id.eq(id.0))
        .find_also_related(contact::Entity)
        .one(db)
        .await?
        .map(|(row, contact)| (row, contact.map(|c| c.name).unwrap_or_default())))
}

/// Messages with `seq` greater than `after_seq`, in order, at most `limit`, of a
/// conversation the actor may read.
pub async fn messages_after(
    db: &impl ConnectionTrait,
    actor: &Actor,
    conversation_id: ConversationId,
    after_seq: i64,
    limit: u64,
) -> ServiceResult<Vec<Message>> {
    let conversation = readable_conversation(db, actor, conversation_id).await?;
    let mut query =
        actor.own_workspace().find::<message::Entity>().filter(message::Column::ConversationId.eq(conversation.id));
    // Lines for the team (status changes, notes) never reach a visitor.
    if matches!(actor, Actor::Visitor(_)) {
        query = query.filter(message::Column::Internal.eq(false));
    }
    let rows = query
        .filter(message::Column::Seq.gt(after_seq))
        .order_by_asc(message::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    let names = author_names(db, &rows).await?;
    rows.into_iter()
        .map(|row| {
            let name = row.author_user_id.and_then(|id| names.get(&id).cloned());
            to_message(row, name)
        })
        .collect()
}

/// The names of the members who wrote `rows` (one query; none when only visitors wrote).
pub(crate) async fn author_names(
    db: &impl ConnectionTrait,
    rows: &[message::Model],
) -> ServiceResult<HashMap<i64, String>> {
    let mut user_ids: Vec<i64> = rows.iter().filter_map(|m| m.author_user_id).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    if user_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}
