//! Reads the [`ServerEvent`](parley_types::ServerEvent)s a visitor receives.
//!
//! Deserializing the internally tagged `ServerEvent` itself makes serde buffer every event
//! into its generic `Content` tree first, which costs about 30 KB of wasm. Here the tag is
//! read first, then the one variant's fields straight into plain structs. The tests check
//! this against what `ServerEvent`'s own serializer produces, so the two cannot drift apart.

use parley_types::{Author, ConversationStatus, Message};
use serde::Deserialize;

/// A server event, as far as the widget acts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// `message_created`.
    Message(Message),
    /// `typing`.
    Typing {
        /// Who is typing.
        author: Author,
        /// Started (`true`) or stopped.
        typing: bool,
    },
    /// `status_changed`.
    Status(ConversationStatus),
    /// `resumed`: the replay is complete.
    Resumed,
    /// `error`: a refused request.
    Error(String),
    /// Any other event (operator-only ones, or ones added later).
    Other,
}

#[derive(Deserialize)]
struct Tag<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
}

#[derive(Deserialize)]
struct MessageCreated {
    message: Message,
}

#[derive(Deserialize)]
struct Typing {
    author: Author,
    typing: bool,
}

#[derive(Deserialize)]
struct StatusChanged {
    status: ConversationStatus,
}

#[derive(Deserialize)]
struct Error {
    message: String,
}

/// Parses one text frame; `None` when it is not a well-formed event.
pub fn parse(frame: &str) -> Option<Incoming> {
    let tag: Tag = serde_json::from_str(frame).ok()?;
    Some(match tag.kind {
        "message_created" => {
            Incoming::Message(serde_json::from_str::<MessageCreated>(frame).ok()?.message)
        }
        "typing" => {
            let t: Typing = serde_json::from_str(frame).ok()?;
            Incoming::Typing {
                author: t.author,
                typing: t.typing,
            }
        }
        "status_changed" => {
            Incoming::Status(serde_json::from_str::<StatusChanged>(frame).ok()?.status)
        }
        "resumed" => Incoming::Resumed,
        "error" => Incoming::Error(serde_json::from_str::<Error>(frame).ok()?.message),
        _ => Incoming::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use parley_types::{ContactId, ConversationId, ConversationSummary, MessageId, ServerEvent};

    fn round_trip(event: &ServerEvent) -> Option<Incoming> {
        parse(&serde_json::to_string(event).ok()?)
    }

    #[test]
    fn reads_every_event_the_server_serializes() {
        let message = Message {
            id: MessageId(9),
            conversation_id: ConversationId(1),
            seq: 3,
            author: Author::Operator,
            author_name: Some("Olga".into()),
            text: "<script>\"hi\"</script>".into(),
            client_id: None,
            created_at_ms: 1_700_000_000_000,
        };
        assert_eq!(
            round_trip(&ServerEvent::MessageCreated {
                message: message.clone()
            }),
            Some(Incoming::Message(message))
        );
        assert_eq!(
            round_trip(&ServerEvent::Typing {
                conversation_id: ConversationId(1),
                author: Author::Operator,
                typing: true
            }),
            Some(Incoming::Typing {
                author: Author::Operator,
                typing: true
            })
        );
        assert_eq!(
            round_trip(&ServerEvent::StatusChanged {
                conversation_id: ConversationId(1),
                status: ConversationStatus::Closed
            }),
            Some(Incoming::Status(ConversationStatus::Closed))
        );
        assert_eq!(
            round_trip(&ServerEvent::Resumed {
                conversation_id: None,
                last_seq: 4
            }),
            Some(Incoming::Resumed)
        );
        assert_eq!(
            round_trip(&ServerEvent::Error {
                message: "too long".into()
            }),
            Some(Incoming::Error("too long".into()))
        );
        let summary = ConversationSummary {
            id: ConversationId(1),
            contact_id: ContactId(2),
            contact_name: "Guest".into(),
            status: ConversationStatus::Open,
            assignee_id: None,
            unread: 0,
            last_message: None,
            last_author: None,
            last_seq: 0,
            last_activity_ms: 0,
        };
        assert_eq!(
            round_trip(&ServerEvent::ConversationChanged {
                conversation: summary
            }),
            Some(Incoming::Other)
        );
    }

    #[test]
    fn rejects_malformed_frames() {
        assert_eq!(parse("not json"), None);
        assert_eq!(parse(r#"{"no_type":1}"#), None);
        assert_eq!(parse(r#"{"type":"message_created"}"#), None);
        assert_eq!(
            parse(r#"{"type":"typing","author":"robot","typing":true}"#),
            None
        );
        assert_eq!(
            parse(r#"{"type":"something_new","x":1}"#),
            Some(Incoming::Other)
        );
    }
}
