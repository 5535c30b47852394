//! Realtime events on the WebSocket endpoints, one JSON object per text frame,
//! tagged by `"type"`.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::ids::{ContactId, ConversationId, UserId};
use crate::model::{Author, Availability, ConversationStatus, ConversationSummary, Message, ReadMark};

/// What the server sends to signed-in operators. May carry what only the team sees
/// (contact names, unread counts, summaries; notes later).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OperatorEvent {
    /// A message was stored.
    MessageCreated { message: Message },
    /// A visitor's message reached the server and is being stored: shown at once, in its
    /// conversation after the stored ones, until the `MessageCreated` with the same
    /// `client_id` takes its place (or `ArrivalWithdrawn` takes it away). Not in any
    /// stream: a socket that reconnects gets the stored message, never this again.
    MessageArriving { conversation_id: ConversationId, client_id: String, text: String, created_at_ms: i64 },
    /// A message shown as arriving will not be stored as such (it failed, or it was a
    /// resend of one stored before): take it off the screen.
    ArrivalWithdrawn { conversation_id: ConversationId, client_id: String },
    /// A visitor's first message reached the server and is making their first
    /// conversation: shown at once as a new conversation in Live, until that
    /// conversation's `ConversationChanged` (any summary of contact `contact_id`) takes
    /// its place, or `ConversationArrivalWithdrawn` takes it away. Sent only to the members
    /// who see every conversation: where routing sends it is decided as it is stored.
    ConversationArriving {
        contact_id: ContactId,
        contact_name: String,
        client_id: String,
        text: String,
        created_at_ms: i64,
    },
    /// A conversation shown as arriving will not be made by that message (it failed, or
    /// was a resend of one stored before): take it off the screen.
    ConversationArrivalWithdrawn { contact_id: ContactId, client_id: String },
    /// A conversation was created or changed: the summary after the change.
    ConversationChanged { conversation: ConversationSummary },
    /// The views' counts after conversations changed (sent at most a few times a second
    /// per workspace, however many changed).
    ViewCounts { counts: crate::TeamViewCounts },
    /// Someone started or stopped typing in a conversation: the visitor, or the member
    /// `by` ("Ada is replying").
    Typing {
        conversation_id: ConversationId,
        author: Author,
        typing: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<Viewer>,
    },
    /// The workspace's labels changed (created, renamed, recoloured or deleted): all of
    /// them now.
    LabelsChanged { labels: Vec<crate::model::Label> },
    /// The workspace's departments changed (created, edited, members, deleted): all of
    /// them now.
    DepartmentsChanged { departments: Vec<crate::model::Department> },
    /// The option "operators see only their departments' conversations" was turned on
    /// or off.
    VisibilityChanged { own_departments: bool },
    /// A conversation this socket's member saw is no longer theirs to see (it moved to
    /// another department): take it off the screen. Sent to that socket alone.
    ConversationGone { conversation_id: ConversationId },
    /// Saved views were created, changed or deleted: reload the list (each member sees
    /// the shared ones and their own).
    SavedViewsChanged,
    /// Member `user_id`'s Inbox changed (a mention, an assignment, read or archived):
    /// their pages reload it. Carries nothing else, so nobody learns another's items.
    InboxChanged {
        user_id: UserId,
        /// What kind of item arrived, if one did (`None`: one was read or archived).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        added: Option<crate::model::InboxItemKind>,
    },
    /// A contact's profile, tags or notes changed: the profile now (pages showing the
    /// contact reload its notes when `notes` is true).
    ContactChanged {
        contact: crate::contact::Contact,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        notes: bool,
    },
    /// Something happened on a contact's timeline (a tracked action, a page visit): pages
    /// showing the contact reload it.
    ContactActivity { contact_id: ContactId },
    /// Who is on the site changed (sent at most once a second per workspace): visitors
    /// who arrived, those whose page changed (both as they are now), and those who left.
    VisitorsChanged {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        joined: Vec<crate::contact::OnlineVisitor>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        moved: Vec<crate::contact::OnlineVisitor>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        left: Vec<ContactId>,
    },
    /// A contact import moved on (after each chunk, and when done).
    ImportProgress { import: crate::contact::ImportStatus },
    /// The workspace's segments changed (saved, deleted): reload them.
    SegmentsChanged,
    /// Contacts were deleted (by an admin).
    ContactsRemoved { ids: Vec<ContactId> },
    /// The workspace's custom contact fields changed: all of them now.
    ContactFieldsChanged { fields: Vec<crate::contact::ContactField> },
    /// A token was made or revoked: admins' token page reloads the list.
    AccessTokensChanged,
    /// A member was added, removed, or given another role or grants: the team page
    /// reloads its list (and teammate pickers theirs).
    MembersChanged,
    /// A quick reply was made, changed or deleted: quick reply lists reload (each member
    /// sees the shared ones and their own).
    QuickRepliesChanged,
    /// Something was added to the audit log: an open audit page shows it.
    AuditLogged,
    /// The widget settings were saved (this version): an open settings page reloads them.
    WidgetConfigChanged { version: i64 },
    /// The routing rules were saved: all of them now, in order.
    RoutingChanged { rules: Vec<crate::RoutingRule> },
    /// The workspace's general settings were saved: its name (shown in the header), address,
    /// logo, language and time zone now.
    WorkspaceChanged { general: crate::WorkspaceGeneral },
    /// A member became online, away or offline.
    AvailabilityChanged { user_id: UserId, availability: Availability },
    /// A member read a conversation up to `mark.seq` (their unread count follows from it).
    MemberRead { conversation_id: ConversationId, mark: ReadMark },
    /// The visitor's widget displayed the conversation up to `seq`.
    VisitorRead { conversation_id: ConversationId, seq: i64 },
    /// Who has a conversation open right now (every member once, by name).
    Viewers { conversation_id: ConversationId, viewers: Vec<Viewer> },
    /// A replay requested by `Resume` is complete; live events follow.
    Resumed { conversation_id: Option<ConversationId>, last_seq: i64 },
    /// A request on the socket was refused; the socket stays open.
    Error(ApiError),
}

/// A member as colleagues see them in a conversation (viewing it, replying).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: UserId,
    pub name: String,
}

/// What the server sends to a widget visitor: only what the visitor may see of their
/// own conversation. A separate type from [`OperatorEvent`], so that an operator-only
/// event cannot be published to a visitor by mistake: that would not compile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorEvent {
    /// A message was stored (or, for the sender of a duplicate, was already stored).
    MessageCreated { message: Message },
    /// The conversation's status changed.
    StatusChanged { conversation_id: ConversationId, status: ConversationStatus },
    /// An operator started or stopped typing.
    Typing { conversation_id: ConversationId, author: Author, typing: bool },
    /// The team has read the conversation up to `seq` (the visitor's "Seen").
    Seen { conversation_id: ConversationId, seq: i64 },
    /// A replay requested by `Resume` is complete; live events follow.
    Resumed { conversation_id: Option<ConversationId>, last_seq: i64 },
    /// The workspace's widget settings were saved: the widget shows them at once.
    ConfigChanged { look: Box<crate::WidgetLook> },
    /// A request on the socket was refused; the socket stays open.
    Error(ApiError),
}

/// What a client sends on its socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientEvent {
    /// Replay every message after `after_seq`, in order, then continue live. Visitors leave
    /// `conversation_id` empty (the server knows their conversation); operators name the
    /// conversation they have open.
    Resume { conversation_id: Option<ConversationId>, after_seq: i64 },
    /// Send a message (visitors). A resend with the same `client_id` is stored once. The
    /// text may be empty when the message carries files uploaded before (their ids).
    Send {
        client_id: String,
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<crate::AttachmentId>,
    },
    /// Typing started or stopped. Operators name the conversation.
    Typing { conversation_id: Option<ConversationId>, typing: bool },
    /// The sender displayed the conversation up to `seq` (visitors; operators mark a
    /// conversation read through `/api/mark_conversation_read`).
    Read { seq: i64 },
    /// The conversation an operator has open now (`None`: none); `Resume` of a
    /// conversation also opens it. Operators only.
    Viewing { conversation_id: Option<ConversationId> },
    /// The page the visitor's browser shows now (on load and on each in-page
    /// navigation). Visitors only.
    Page {
        url: String,
        #[serde(default)]
        title: String,
        #[serde(default)]
        referrer: String,
    },
}

/// The widget's anonymous identity, issued by the server and kept in `localStorage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSession {
    pub token: String,
    pub contact_id: ContactId,
    pub workspace_name: String,
    /// The form to fill in before the first message, when the workspace asks one and
    /// this visitor has not written or filled it in yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prechat: Option<crate::PrechatForm>,
    /// Ask for an email this long after an unanswered message (the workspace asks and
    /// the contact has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask_email_after_secs: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged_by_type() {
        let json = serde_json::to_string(&VisitorEvent::Typing {
            conversation_id: ConversationId(7),
            author: Author::Visitor,
            typing: true,
        })
        .unwrap();
        assert_eq!(json, r#"{"type":"typing","conversation_id":7,"author":"visitor","typing":true}"#);

        let error = serde_json::to_string(&OperatorEvent::Error(ApiError::not_found())).unwrap();
        assert_eq!(error, r#"{"type":"error","error":"not_found","message":"Not found."}"#);

        let parsed: ClientEvent =
            serde_json::from_str(r#"{"type":"resume","conversation_id":null,"after_seq":3}"#).unwrap();
        assert_eq!(parsed, ClientEvent::Resume { conversation_id: None, after_seq: 3 });
    }
}
