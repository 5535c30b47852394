//! Server functions for the inbox. Each is a public endpoint under `/api/`: it finds
//! the actor (a signed-in member, else 401) and calls the service, which checks the
//! capability and scopes everything to the member's workspace (another workspace's
//! conversation is 404). Who may call each is in `server/tests/permissions.rs`.

use leptos::prelude::*;
use parley_types::{ConversationId, ConversationStatus, ConversationSummary, Message};
use serde::{Deserialize, Serialize};

use crate::ApiError;

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
pub async fn list_conversations() -> Result<Vec<ConversationSummary>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::list_conversations(&svc.db, &actor, INBOX_LIMIT).await?)
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

/// Members: replies in a conversation. Resending the same `client_id` stores it once.
#[server(endpoint = "send_reply")]
pub async fn send_reply(id: ConversationId, client_id: String, text: String) -> Result<Message, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let posted = parley_services::conversations::post_operator_message(&svc, &actor, id, &client_id, &text).await?;
    Ok(posted.message)
}

/// Members: opens, snoozes or closes a conversation.
#[server(endpoint = "set_conversation_status")]
pub async fn set_conversation_status(
    id: ConversationId,
    status: ConversationStatus,
) -> Result<ConversationSummary, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::set_status(&svc, &actor, id, status).await?)
}

/// Members: marks a conversation's visitor messages as read.
#[server(endpoint = "mark_conversation_read")]
pub async fn mark_conversation_read(id: ConversationId) -> Result<ConversationSummary, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::mark_read(&svc, &actor, id).await?)
}
