//! Server functions for the inbox. All require a signed-in member and act only inside
//! the member's workspace (another workspace's conversation is 404).

use leptos::prelude::*;
use parley_types::{ConversationId, ConversationStatus, ConversationSummary, Message};
use serde::{Deserialize, Serialize};

use crate::AppError;

/// A conversation with its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationDetail {
    pub summary: ConversationSummary,
    pub messages: Vec<Message>,
}

/// How many conversations the inbox lists.
pub const INBOX_LIMIT: u64 = 200;
/// How many messages one history load returns at most.
pub const HISTORY_LIMIT: u64 = 1000;

/// Members: the inbox, newest activity first.
#[server(endpoint = "list_conversations")]
pub async fn list_conversations() -> Result<Vec<ConversationSummary>, AppError> {
    use crate::ssr::{fail, member, services};
    let member = member().await?;
    let svc = services()?;
    parley_services::conversations::list_conversations(&svc.db, member.workspace_id, INBOX_LIMIT).await.map_err(fail)
}

/// Members: one conversation and its messages.
#[server(endpoint = "get_conversation")]
pub async fn get_conversation(id: ConversationId) -> Result<ConversationDetail, AppError> {
    use crate::ssr::{fail, member, services};
    let member = member().await?;
    let svc = services()?;
    let summary = parley_services::conversations::get_summary(&svc.db, member.workspace_id, id).await.map_err(fail)?;
    let messages = parley_services::conversations::messages_after(&svc.db, member.workspace_id, id, 0, HISTORY_LIMIT)
        .await
        .map_err(fail)?;
    Ok(ConversationDetail { summary, messages })
}

/// Members: replies in a conversation. Resending the same `client_id` stores it once.
#[server(endpoint = "send_reply")]
pub async fn send_reply(id: ConversationId, client_id: String, text: String) -> Result<Message, AppError> {
    use crate::ssr::{fail, member, services};
    let member = member().await?;
    let svc = services()?;
    let posted = parley_services::conversations::post_operator_message(&svc, &member, id, &client_id, &text)
        .await
        .map_err(fail)?;
    Ok(posted.message)
}

/// Members: opens, snoozes or closes a conversation.
#[server(endpoint = "set_conversation_status")]
pub async fn set_conversation_status(
    id: ConversationId,
    status: ConversationStatus,
) -> Result<ConversationSummary, AppError> {
    use crate::ssr::{fail, member, services};
    let member = member().await?;
    let svc = services()?;
    parley_services::conversations::set_status(&svc, &member, id, status).await.map_err(fail)
}

/// Members: marks a conversation's visitor messages as read.
#[server(endpoint = "mark_conversation_read")]
pub async fn mark_conversation_read(id: ConversationId) -> Result<ConversationSummary, AppError> {
    use crate::ssr::{fail, member, services};
    let member = member().await?;
    let svc = services()?;
    parley_services::conversations::mark_read(&svc, &member, id).await.map_err(fail)
}
