//! Server functions for the inbox. Each is a public endpoint under `/api/`: it finds
//! the actor (a signed-in member, else 401) and calls the service, which checks the
//! capability and scopes everything to the member's workspace (another workspace's
//! conversation is 404). Who may call each is in `server/tests/permissions.rs`.

use leptos::prelude::*;
use parley_types::{
    BulkActionKind, BulkResult, ConversationId, ConversationOutcome, ConversationPriority, ConversationSummary,
    InboxCursor, InboxFilter, InboxItem, InboxItemId, InboxSort, InboxView, Label, LabelId, Message, QuickReply,
    QuickReplyId, SavedView, SavedViewId, SearchHit, Teammate, UserId, ViewCounts,
};
use serde::{Deserialize, Serialize};

use crate::ApiError;

/// A conversation with its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationDetail {
    pub summary: ConversationSummary,
    pub messages: Vec<Message>,
}

/// How many conversations one page of the inbox lists.
pub const INBOX_PAGE: u64 = 50;
/// How many messages one history load returns at most.
pub const HISTORY_LIMIT: u64 = 1000;

/// Members: one page of a view of the inbox (Live when not given), in `sort` order
/// (newest activity when not given); the next page starts `after` the last row's cursor.
#[server(endpoint = "list_conversations")]
pub async fn list_conversations(
    view: Option<InboxView>,
    sort: Option<InboxSort>,
    after: Option<InboxCursor>,
) -> Result<Vec<ConversationSummary>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let (view, sort) = (view.unwrap_or(InboxView::Live), sort.unwrap_or(InboxSort::Latest));
    Ok(parley_services::conversations::list_conversations(&svc.db, &actor, view, sort, after, INBOX_PAGE).await?)
}

/// Members: one page of the conversations matching `filter` (search words, status,
/// assignee, labels, ...), in `sort` order, each with a snippet where the words were found.
#[server(endpoint = "search_conversations")]
pub async fn search_conversations(
    #[server(default)] filter: InboxFilter,
    sort: Option<InboxSort>,
    after: Option<InboxCursor>,
) -> Result<Vec<SearchHit>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let sort = sort.unwrap_or(InboxSort::Latest);
    Ok(parley_services::conversations::search_conversations(&svc.db, &actor, &filter, sort, after, INBOX_PAGE).await?)
}

/// What a bulk action needs besides its kind: `assign` takes `assignee` (none:
/// unassign), `label`/`unlabel` take `label`, `snooze` takes `until_ms` (none: until the
/// customer writes), `close` takes `outcome` and an optional `comment`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkDetails {
    pub assignee: Option<UserId>,
    pub label: Option<LabelId>,
    pub until_ms: Option<i64>,
    pub outcome: Option<ConversationOutcome>,
    pub comment: Option<String>,
}

/// Members: one change to many conversations: those in `ids`, or all that `matching`
/// finds. Each is changed in its own transaction; the answer lists what was done and what
/// failed, with why.
#[server(endpoint = "bulk_conversations")]
pub async fn bulk_conversations(
    action: BulkActionKind,
    #[server(default)] ids: Vec<ConversationId>,
    matching: Option<InboxFilter>,
    #[server(default)] details: BulkDetails,
) -> Result<BulkResult, ApiError> {
    use parley_services::ServiceError;
    use parley_services::conversations::{BulkAction, BulkTarget, bulk};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let BulkDetails { assignee, label, until_ms, outcome, comment } = details;
    let name_the_label = || ServiceError::Invalid(parley_types::phrase!("err-conversations-bulk-label"));
    let action = match action {
        BulkActionKind::Assign => BulkAction::Assign(assignee),
        BulkActionKind::Label => BulkAction::Label { label: label.ok_or_else(name_the_label)?, on: true },
        BulkActionKind::Unlabel => BulkAction::Label { label: label.ok_or_else(name_the_label)?, on: false },
        BulkActionKind::Snooze => BulkAction::Snooze { until_ms },
        BulkActionKind::Close => BulkAction::Close {
            outcome: outcome
                .ok_or_else(|| ServiceError::Invalid(parley_types::phrase!("err-conversations-bulk-outcome")))?,
            comment,
        },
        BulkActionKind::Reopen => BulkAction::Reopen,
        BulkActionKind::MarkRead => BulkAction::MarkRead,
    };
    let target = match (matching, ids.is_empty()) {
        (Some(filter), true) => BulkTarget::Matching(Box::new(filter)),
        (None, _) => BulkTarget::Selected(ids),
        (Some(_), false) => {
            return Err(ServiceError::Invalid(parley_types::phrase!("err-conversations-bulk-target")).into());
        }
    };
    Ok(bulk(&svc, &actor, target, action).await?)
}

/// Members: the saved views they see (shared ones and their own), with counts.
#[server(endpoint = "list_saved_views")]
pub async fn list_saved_views() -> Result<Vec<SavedView>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::saved_views::list_saved_views(&svc.db, &actor).await?)
}

/// Members: saves a filter as a view, their own or (owners, admins) shared.
#[server(endpoint = "create_saved_view")]
pub async fn create_saved_view(name: String, shared: bool, filter: InboxFilter) -> Result<SavedView, ApiError> {
    use parley_services::saved_views::{SavedViewInput, create_saved_view};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(create_saved_view(&svc, &actor, SavedViewInput { name, shared, filter }).await?)
}

/// Members: renames a view or changes its filter (shared ones: owners, admins).
#[server(endpoint = "update_saved_view")]
pub async fn update_saved_view(
    id: SavedViewId,
    name: String,
    shared: bool,
    filter: InboxFilter,
) -> Result<SavedView, ApiError> {
    use parley_services::saved_views::{SavedViewInput, update_saved_view};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(update_saved_view(&svc, &actor, id, SavedViewInput { name, shared, filter }).await?)
}

/// Members: deletes a view (shared ones: owners, admins).
#[server(endpoint = "delete_saved_view")]
pub async fn delete_saved_view(id: SavedViewId) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::saved_views::delete_saved_view(&svc, &actor, id).await?)
}

/// Members: how many conversations each view holds.
#[server(endpoint = "inbox_counts")]
pub async fn inbox_counts() -> Result<ViewCounts, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::view_counts(&svc.db, &actor).await?)
}

/// Members: the workspace's members, to assign conversations to.
#[server(endpoint = "list_teammates")]
pub async fn list_teammates() -> Result<Vec<Teammate>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::members::list_teammates(&svc.db, &actor).await?)
}

/// Members: one conversation and its messages.
#[server(endpoint = "get_conversation")]
pub async fn get_conversation(id: ConversationId) -> Result<ConversationDetail, ApiError> {
    use parley_services::conversations::{get_summary, messages_after};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let summary = get_summary(&svc.db, &actor, id).await?;
    let messages = messages_after(&svc.db, &actor, id, 0, HISTORY_LIMIT).await?;
    Ok(ConversationDetail { summary, messages })
}

/// Members: replies in a conversation, with files uploaded before (`POST
/// /api/attachments`) or kept on a quick reply. Resending the same `client_id` stores it
/// once.
#[server(endpoint = "send_reply")]
pub async fn send_reply(
    id: ConversationId,
    client_id: String,
    text: String,
    #[server(default)] attachments: Vec<parley_types::AttachmentId>,
) -> Result<Message, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let posted =
        parley_services::conversations::post_operator_message(&svc, &actor, id, &client_id, &text, &attachments)
            .await?;
    Ok(posted.message)
}

/// Members: adds a note for the team to a conversation (never sent to the visitor).
/// Resending the same `client_id` stores it once.
#[server(endpoint = "add_note")]
pub async fn add_note(
    id: ConversationId,
    client_id: String,
    text: String,
    #[server(default)] mentions: Vec<UserId>,
) -> Result<Message, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::add_note(&svc, &actor, id, &client_id, &text, &mentions).await?.message)
}

/// Members: their personal Inbox (mentions and assignments), newest first; the archived
/// items when `archived`.
#[server(endpoint = "list_inbox_items")]
pub async fn list_inbox_items(#[server(default)] archived: bool) -> Result<Vec<InboxItem>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::inbox::list_items(&svc.db, &actor, archived).await?)
}

/// Members: how many of their Inbox items are unread.
#[server(endpoint = "inbox_unread_count")]
pub async fn inbox_unread_count() -> Result<i64, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::inbox::unread_count(&svc.db, &actor).await?)
}

/// Members: marks one of their Inbox items read or unread.
#[server(endpoint = "mark_inbox_item")]
pub async fn mark_inbox_item(id: InboxItemId, read: bool) -> Result<InboxItem, ApiError> {
    use parley_services::inbox::{ItemChange, change_item};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(change_item(&svc, &actor, id, ItemChange::Read(read)).await?)
}

/// Members: archives one of their Inbox items (or brings it back).
#[server(endpoint = "archive_inbox_item")]
pub async fn archive_inbox_item(id: InboxItemId, archived: bool) -> Result<InboxItem, ApiError> {
    use parley_services::inbox::{ItemChange, change_item};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(change_item(&svc, &actor, id, ItemChange::Archived(archived)).await?)
}

/// Members: closes a conversation as resolved or abandoned; a comment is kept as an
/// internal note.
#[server(endpoint = "close_conversation")]
pub async fn close_conversation(
    id: ConversationId,
    outcome: ConversationOutcome,
    comment: Option<String>,
) -> Result<ConversationSummary, ApiError> {
    use parley_services::conversations::{Transition, change_status};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(change_status(&svc, &actor, id, Transition::Close { outcome, comment }).await?)
}

/// Members: snoozes a conversation until `until_ms` (Unix milliseconds), or until the
/// customer writes when not given.
#[server(endpoint = "snooze_conversation")]
pub async fn snooze_conversation(id: ConversationId, until_ms: Option<i64>) -> Result<ConversationSummary, ApiError> {
    use parley_services::conversations::{Transition, change_status};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(change_status(&svc, &actor, id, Transition::Snooze { until_ms }).await?)
}

/// Members: opens a snoozed or closed conversation again.
#[server(endpoint = "reopen_conversation")]
pub async fn reopen_conversation(id: ConversationId) -> Result<ConversationSummary, ApiError> {
    use parley_services::conversations::{Transition, change_status};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(change_status(&svc, &actor, id, Transition::Reopen).await?)
}

/// Members: marks a conversation critical or normal.
#[server(endpoint = "set_conversation_priority")]
pub async fn set_conversation_priority(
    id: ConversationId,
    priority: ConversationPriority,
) -> Result<ConversationSummary, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::set_priority(&svc, &actor, id, priority).await?)
}

/// Members: the workspace's labels.
#[server(endpoint = "list_labels")]
pub async fn list_labels() -> Result<Vec<Label>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::labels::list_labels(&svc.db, &actor).await?)
}

/// Members: puts a label on a conversation (`on`) or takes it off.
#[server(endpoint = "label_conversation")]
pub async fn label_conversation(id: ConversationId, label: LabelId, on: bool) -> Result<ConversationSummary, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::set_label(&svc, &actor, id, label, on).await?)
}

/// Members who reply: the quick replies they may use (shared and their own).
#[server(endpoint = "list_quick_replies")]
pub async fn list_quick_replies() -> Result<Vec<QuickReply>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::quick_replies::list_quick_replies(&svc.db, &actor).await?)
}

/// Members who reply: saves a quick reply, their own or (`shared`, owners and admins)
/// the workspace's.
#[server(endpoint = "create_quick_reply")]
pub async fn create_quick_reply(
    title: String,
    shortcut: String,
    body: String,
    shared: Option<bool>,
    #[server(default)] attachments: Vec<parley_types::AttachmentId>,
) -> Result<QuickReply, ApiError> {
    use parley_services::quick_replies::{QuickReplyInput, create_quick_reply};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let input = QuickReplyInput { title, shortcut, body, shared: shared.unwrap_or(false), files: attachments };
    Ok(create_quick_reply(&svc, &actor, input).await?)
}

/// Members who may change it: edits a quick reply's title, shortcut and body.
#[server(endpoint = "update_quick_reply")]
pub async fn update_quick_reply(
    id: QuickReplyId,
    title: String,
    shortcut: String,
    body: String,
) -> Result<QuickReply, ApiError> {
    use parley_services::quick_replies::{QuickReplyInput, update_quick_reply};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let input = QuickReplyInput { title, shortcut, body, shared: false, files: Vec::new() };
    Ok(update_quick_reply(&svc, &actor, id, input).await?)
}

/// Members who may change it: deletes a quick reply.
#[server(endpoint = "delete_quick_reply")]
pub async fn delete_quick_reply(id: QuickReplyId) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::quick_replies::delete_quick_reply(&svc, &actor, id).await?)
}

/// Members who reply: a quick reply's text for a conversation, variables filled in.
#[server(endpoint = "use_quick_reply")]
pub async fn use_quick_reply(id: QuickReplyId, conversation: ConversationId) -> Result<String, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::quick_replies::use_quick_reply(&svc, &actor, id, conversation).await?)
}

/// Members: assigns a conversation to a teammate (oneself: "Take"), or unassigns it when
/// no assignee is given.
#[server(endpoint = "assign_conversation")]
pub async fn assign_conversation(
    id: ConversationId,
    assignee: Option<UserId>,
) -> Result<ConversationSummary, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::assign(&svc, &actor, id, assignee).await?)
}

/// Members: marks a conversation read by the caller up to message `seq` (everything when
/// absent): their unread count drops, and the visitor sees "Seen".
#[server(endpoint = "mark_conversation_read")]
pub async fn mark_conversation_read(id: ConversationId, seq: Option<i64>) -> Result<ConversationSummary, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::mark_read(&svc, &actor, id, seq).await?)
}

/// Members: the workspace's departments, with their members.
#[server(endpoint = "list_departments")]
pub async fn list_departments() -> Result<Vec<parley_types::Department>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::departments::list_departments(&svc.db, &actor).await?)
}

/// Members: moves a conversation to a department (`None`: out of any).
#[server(endpoint = "set_conversation_department")]
pub async fn set_conversation_department(
    id: ConversationId,
    department: Option<parley_types::DepartmentId>,
) -> Result<ConversationSummary, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::set_department(&svc, &actor, id, department).await?)
}
