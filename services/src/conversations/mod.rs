//! Conversations and messages: what visitors and operators write, in order, stored once,
//! and the realtime events that tell everyone else.

mod append;
mod arriving;
mod bulk;
mod commands;
mod continuity;
mod counts;
mod jobs;
mod lifecycle;
mod queries;
mod reads;
mod search;
mod transcript;
mod visibility;

pub(crate) use append::{Queue as AppendQueue, spawn as spawn_appender};
pub use arriving::{Shown, newcomer, post_visitor_message_shown, where_shown};
pub use bulk::{BulkAction, BulkTarget, bulk};
pub use commands::{Posted, add_note, post_operator_message, post_visitor_message, publish_typing, start_conversation};
pub use continuity::{RESUME_LINK_DAYS, UNSEEN_REPLY_JOB, resume, resume_token, resume_url};
pub(crate) use counts::counts_changed;
pub use counts::{COUNTS_JOB, member_counts, team_counts};
pub use jobs::{EXPIRE_JOB, register};
pub use lifecycle::{Transition, UNSNOOZE_JOB, assign, change_status, set_department, set_label, set_priority};
pub(crate) use lifecycle::{add_system_line, assign_in, assignable_member};
pub use queries::{
    contact_conversations, get_summary, list_conversations, messages_after, readable_conversation, view_counts,
    visitor_conversation,
};
pub(crate) use queries::{summary_of, summary_row};
pub use reads::{mark_read, mark_read_by_visitor, seen_by_team};
pub use search::{count_matching, search_conversations};
pub use transcript::{TranscriptFormat, escape as escape_html, transcript};
pub(crate) use visibility::members_seeing;
pub use visibility::{Visibility, own_departments_only, set_own_departments_only};

use parley_types::{
    Author, ContactId, ConversationId, ConversationStatus, ConversationSummary, MAX_MESSAGE_CHARS, Message, MessageId,
    UserId, phrase,
};

use crate::entities::{conversation, message};
use crate::error::{ServiceError, ServiceResult};

/// Longest preview of the last message kept on a conversation.
const PREVIEW_CHARS: usize = 140;
/// Longest client-chosen message id.
const MAX_CLIENT_ID: usize = 64;

/// Refuses message text that is empty (unless the message carries files) or oversized.
pub fn check_message(text: &str, files: usize) -> ServiceResult<()> {
    if files > 0 && text.trim().is_empty() {
        return Ok(());
    }
    check_text(text)
}

/// Refuses empty or oversized message text.
pub fn check_text(text: &str) -> ServiceResult<()> {
    if text.trim().is_empty() {
        return Err(ServiceError::Invalid(phrase!("err-conversations-message-empty")));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ServiceError::Invalid(phrase!("err-conversations-message-too-long", max = MAX_MESSAGE_CHARS)));
    }
    Ok(())
}

/// Refuses client ids that are not short URL-safe strings.
pub fn check_client_id(client_id: &str) -> ServiceResult<()> {
    let ok = !client_id.is_empty()
        && client_id.len() <= MAX_CLIENT_ID
        && client_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok { Ok(()) } else { Err(ServiceError::Invalid(phrase!("err-conversations-client-id", max = MAX_CLIENT_ID))) }
}

/// The list's preview of a message: its text, else what it carries.
fn preview_of(text: &str, files: &[parley_types::Attachment]) -> String {
    match files {
        [] => preview(text),
        [file, ..] if text.trim().is_empty() => {
            let what = if file.voice { "Voice message".to_owned() } else { format!("📎 {}", file.name) };
            match files.len() {
                1 => what,
                n => format!("{what} (+{})", n - 1),
            }
        }
        _ => preview(&format!("📎 {}", text.trim())),
    }
}

fn preview(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut out: String = chars.by_ref().take(PREVIEW_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// Reads a stored enum's text; an unknown value is an internal error.
pub(crate) fn parse<T: std::str::FromStr<Err = parley_types::ParseEnumError>>(value: &str) -> ServiceResult<T> {
    value.parse().map_err(|err: parley_types::ParseEnumError| ServiceError::Internal(err.to_string()))
}

fn to_summary(
    row: &conversation::Model,
    contact_name: String,
    reads: Vec<parley_types::ReadMark>,
) -> ServiceResult<ConversationSummary> {
    Ok(ConversationSummary {
        id: ConversationId(row.id),
        contact_id: ContactId(row.contact_id),
        contact_name,
        status: parse::<ConversationStatus>(&row.status)?,
        assignee_id: row.assignee_id.map(UserId),
        visitor_messages: row.visitor_messages,
        read_floor: row.read_floor,
        reads,
        visitor_read_seq: row.visitor_read_seq,
        last_message: row.last_message.clone(),
        last_author: row.last_author.as_deref().map(parse::<Author>).transpose()?,
        last_seq: row.last_seq,
        last_activity_ms: row.last_activity_at_ms,
        priority: parse(&row.priority)?,
        outcome: row.outcome.as_deref().map(parse).transpose()?,
        snoozed_until_ms: row.snoozed_until_ms,
        waiting_since_ms: row.waiting_since_ms,
        labels: row.label_ids.split(',').filter_map(|id| id.parse().ok()).map(parley_types::LabelId).collect(),
        department_id: row.department_id.map(parley_types::DepartmentId),
    })
}

fn to_message(row: message::Model, author_name: Option<String>) -> ServiceResult<Message> {
    Ok(Message {
        id: MessageId(row.id),
        conversation_id: ConversationId(row.conversation_id),
        seq: row.seq,
        author: parse(&row.author)?,
        author_name,
        text: row.body,
        client_id: row.client_id,
        created_at_ms: row.created_at_ms,
        internal: row.internal,
        attachments: match row.attachments.as_deref() {
            None | Some("") => Vec::new(),
            Some(json) => serde_json::from_str(json)
                .map_err(|err| ServiceError::Internal(format!("message {}: attachments: {err}", row.id)))?,
        },
        // A system line's sentence by id; one that does not read is shown in English.
        phrase: row.phrase.as_deref().and_then(|json| {
            serde_json::from_str(json)
                .inspect_err(|err| tracing::warn!(message = row.id, %err, "a system line's phrase does not read"))
                .ok()
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_oversized_text_is_refused() {
        assert!(check_text("hello").is_ok());
        assert!(check_text("  \n ").is_err());
        assert!(check_text(&"x".repeat(MAX_MESSAGE_CHARS + 1)).is_err());
        assert!(check_text(&"é".repeat(MAX_MESSAGE_CHARS)).is_ok(), "the limit counts characters, not bytes");
    }

    #[test]
    fn client_ids_are_short_and_url_safe() {
        assert!(check_client_id("c-1_a").is_ok());
        assert!(check_client_id("").is_err());
        assert!(check_client_id("a b").is_err());
        assert!(check_client_id(&"a".repeat(65)).is_err());
    }

    #[test]
    fn previews_are_shortened_with_an_ellipsis() {
        assert_eq!(preview("  hi  "), "hi");
        let long = preview(&"a".repeat(200));
        assert_eq!(long.chars().count(), PREVIEW_CHARS + 1);
        assert!(long.ends_with('…'));
    }
}
