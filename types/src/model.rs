//! Domain values as they cross the wire: statuses, authors, roles, messages and
//! conversation summaries.

use serde::{Deserialize, Serialize};

use crate::ids::{ContactId, ConversationId, MessageId, UserId};

/// The longest message text accepted, in characters.
pub const MAX_MESSAGE_CHARS: usize = 10_000;

/// A string that names no variant of the enum it was parsed into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    /// What was being parsed (`"status"`, `"role"`, ...).
    pub kind: &'static str,
    /// The rejected input.
    pub value: String,
}

impl std::fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} {:?}", self.kind, self.value)
    }
}

impl std::error::Error for ParseEnumError {}

/// Declares a lower-case string enum with `as_str` and `FromStr`, stored as text in the
/// database and sent as the same text on the wire.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident, $kind:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The text stored in the database and sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl std::str::FromStr for $name {
            type Err = ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)*
                    other => Err(ParseEnumError { kind: $kind, value: other.to_owned() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// Where a conversation stands. A visitor writing into a snoozed or closed
    /// conversation opens it again.
    ConversationStatus, "status" {
        /// Waiting for, or being handled by, an operator.
        Open = "open",
        /// Put aside for later.
        Snoozed = "snoozed",
        /// Done.
        Closed = "closed",
    }
}

text_enum! {
    /// Who wrote a message.
    Author, "author" {
        /// The contact, through the widget.
        Visitor = "visitor",
        /// A workspace member.
        Operator = "operator",
        /// Parley itself (status changes and notices).
        System = "system",
    }
}

text_enum! {
    /// A member's role in a workspace.
    Role, "role" {
        /// Created the workspace; can do everything.
        Owner = "owner",
        /// Manages settings and members.
        Admin = "admin",
        /// Answers conversations.
        Operator = "operator",
    }
}

/// One stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    /// Position in its conversation, from 1 without gaps: the cursor a reconnecting client
    /// sends to receive exactly what it missed.
    pub seq: i64,
    pub author: Author,
    /// The operator's display name, for operator messages.
    pub author_name: Option<String>,
    /// Plain text as the author wrote it; every renderer escapes it.
    pub text: String,
    /// The id the sending client chose, which makes a resend idempotent.
    pub client_id: Option<String>,
    pub created_at_ms: i64,
}

/// A conversation as the inbox lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub contact_id: ContactId,
    pub contact_name: String,
    pub status: ConversationStatus,
    pub assignee_id: Option<UserId>,
    /// Visitor messages that no operator has read yet.
    pub unread: i64,
    /// The newest message's text, shortened for the list.
    pub last_message: Option<String>,
    pub last_author: Option<Author>,
    /// The newest message's sequence number (0 when there is none).
    pub last_seq: i64,
    pub last_activity_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_parses_back_from_its_text() {
        for status in ConversationStatus::ALL {
            assert_eq!(status.as_str().parse::<ConversationStatus>(), Ok(*status));
        }
        let err = "pending".parse::<ConversationStatus>().unwrap_err();
        assert_eq!(err.to_string(), "unknown status \"pending\"");
    }
}
