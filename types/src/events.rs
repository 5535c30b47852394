//! Realtime events on the WebSocket endpoints, one JSON object per text frame,
//! tagged by `"type"`.

use serde::{Deserialize, Serialize};

use crate::ids::{ContactId, ConversationId};
use crate::model::{Author, ConversationStatus, ConversationSummary, Message};

/// What the server sends to operators and visitors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerEvent {
    /// A message was stored (or, for the sender of a duplicate, was already stored).
    MessageCreated { message: Message },
    /// A conversation was created or changed (operators only): the summary after the change.
    ConversationChanged { conversation: ConversationSummary },
    /// A conversation's status changed (sent to the visitor).
    StatusChanged { conversation_id: ConversationId, status: ConversationStatus },
    /// Someone started or stopped typing.
    Typing { conversation_id: ConversationId, author: Author, typing: bool },
    /// A replay requested by `Resume` is complete; live events follow.
    Resumed { conversation_id: Option<ConversationId>, last_seq: i64 },
    /// A request on the socket was refused; the socket stays open.
    Error { message: String },
}

/// What a client sends on its socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientEvent {
    /// Replay every message after `after_seq`, in order, then continue live. Visitors leave
    /// `conversation_id` empty (the server knows their conversation); operators name the
    /// conversation they have open.
    Resume { conversation_id: Option<ConversationId>, after_seq: i64 },
    /// Send a message (visitors). A resend with the same `client_id` is stored once.
    Send { client_id: String, text: String },
    /// Typing started or stopped. Operators name the conversation.
    Typing { conversation_id: Option<ConversationId>, typing: bool },
}

/// The widget's anonymous identity, issued by the server and kept in `localStorage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSession {
    pub token: String,
    pub contact_id: ContactId,
    pub workspace_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged_by_type() {
        let json = serde_json::to_string(&ServerEvent::Typing {
            conversation_id: ConversationId(7),
            author: Author::Visitor,
            typing: true,
        })
        .unwrap();
        assert_eq!(json, r#"{"type":"typing","conversation_id":7,"author":"visitor","typing":true}"#);

        let parsed: ClientEvent =
            serde_json::from_str(r#"{"type":"resume","conversation_id":null,"after_seq":3}"#).unwrap();
        assert_eq!(parsed, ClientEvent::Resume { conversation_id: None, after_seq: 3 });
    }
}
