//! Bulk actions: one change (assign, label, snooze, close, reopen, mark read) applied to
//! selected conversations or to all that match a filter. Each conversation is its own
//! write through the same command a single change uses (its checks, line for the team,
//! events), so one that cannot be changed fails alone and the answer lists it with the
//! reason; the others are done.

use futures_util::StreamExt;
use parley_types::phrase;
use parley_types::{
    BulkFailure, BulkResult, Capability, ConversationId, ConversationOutcome, InboxFilter, LabelId, MAX_BULK, UserId,
};
use sea_orm::{ConnectionTrait, QuerySelect};

use super::lifecycle::{Transition, assign, change_status, set_label};
use super::reads::mark_read;
use super::search::filtered;
use crate::Services;
use crate::access::Actor;
use crate::clock::now_ms;
use crate::entities::conversation;
use crate::error::{ServiceError, ServiceResult};

/// How many conversations are changed at once (their writes share commits on SQLite).
const AT_ONCE: usize = 16;

/// Which conversations.
#[derive(Debug, Clone)]
pub enum BulkTarget {
    Selected(Vec<ConversationId>),
    /// Every conversation the filter finds now ("all N matching").
    Matching(Box<InboxFilter>),
}

/// What to do to each.
#[derive(Debug, Clone)]
pub enum BulkAction {
    Assign(Option<UserId>),
    Label { label: LabelId, on: bool },
    Snooze { until_ms: Option<i64> },
    Close { outcome: ConversationOutcome, comment: Option<String> },
    Reopen,
    MarkRead,
}

/// Applies `action` to each conversation of `target`. Needs `reply in conversations`
/// (marking read: `read conversations`); refuses at once what would fail for every
/// conversation (a snooze into the past, more than [`MAX_BULK`] conversations).
pub async fn bulk(svc: &Services, actor: &Actor, target: BulkTarget, action: BulkAction) -> ServiceResult<BulkResult> {
    match action {
        BulkAction::MarkRead => actor.require(Capability::ReadConversations)?,
        _ => actor.require(Capability::ReplyConversations)?,
    };
    if let BulkAction::Snooze { until_ms: Some(until) } = action
        && until <= now_ms()
    {
        return Err(ServiceError::Invalid(phrase!("err-conversations-snooze-past")));
    }
    let ids = match target {
        BulkTarget::Selected(mut ids) => {
            ids.sort();
            ids.dedup();
            ids
        }
        BulkTarget::Matching(filter) => matching(&svc.db, actor, &filter).await?,
    };
    if ids.is_empty() {
        return Err(ServiceError::Invalid(phrase!("err-conversations-bulk-empty")));
    }
    if ids.len() > MAX_BULK {
        return Err(ServiceError::Invalid(phrase!("err-conversations-bulk-too-many", max = MAX_BULK)));
    }
    let results: Vec<(ConversationId, ServiceResult<()>)> = futures_util::stream::iter(ids)
        .map(|id| {
            let action = action.clone();
            async move { (id, apply(svc, actor, id, action).await) }
        })
        .buffer_unordered(AT_ONCE)
        .collect()
        .await;
    let mut result = BulkResult::default();
    for (id, outcome) in results {
        match outcome {
            Ok(()) => result.done.push(id),
            Err(err) => {
                let err = parley_types::ApiError::from(err);
                result.failed.push(BulkFailure { conversation_id: id, message: err.message, phrase: err.phrase });
            }
        }
    }
    result.done.sort();
    result.failed.sort_by_key(|f| f.conversation_id);
    Ok(result)
}

async fn apply(svc: &Services, actor: &Actor, id: ConversationId, action: BulkAction) -> ServiceResult<()> {
    match action {
        BulkAction::Assign(to) => assign(svc, actor, id, to).await.map(drop),
        BulkAction::Label { label, on } => set_label(svc, actor, id, label, on).await.map(drop),
        BulkAction::Snooze { until_ms } => {
            change_status(svc, actor, id, Transition::Snooze { until_ms }).await.map(drop)
        }
        BulkAction::Close { outcome, comment } => {
            change_status(svc, actor, id, Transition::Close { outcome, comment }).await.map(drop)
        }
        BulkAction::Reopen => change_status(svc, actor, id, Transition::Reopen).await.map(drop),
        BulkAction::MarkRead => mark_read(svc, actor, id, None).await.map(drop),
    }
}

/// The ids of the conversations `filter` finds, at most one more than [`MAX_BULK`].
async fn matching(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &InboxFilter,
) -> ServiceResult<Vec<ConversationId>> {
    let ids: Vec<i64> = filtered(db, actor, filter)
        .await?
        .select_only()
        .column(conversation::Column::Id)
        .limit(MAX_BULK as u64 + 1)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().map(ConversationId).collect())
}
