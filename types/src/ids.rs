//! Newtype ids, so a conversation id can never be passed where a contact id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

id_type! {
    /// A workspace: the tenant every other row belongs to.
    WorkspaceId,
    /// An operator account (may be a member of several workspaces).
    UserId,
    /// A contact: for now an anonymous widget visitor ("guest").
    ContactId,
    /// A conversation between one contact and the workspace's operators.
    ConversationId,
    /// A stored message.
    MessageId,
    /// A conversation label of a workspace.
    LabelId,
    /// A saved answer (quick reply).
    QuickReplyId,
    /// A department (team) of a workspace's members.
    DepartmentId,
    /// A saved inbox view (a named filter), personal or shared.
    SavedViewId,
    /// An item in a member's personal Inbox.
    InboxItemId,
    /// A file sent in a conversation or kept on a quick reply.
    AttachmentId,
}
