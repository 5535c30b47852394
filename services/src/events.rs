//! Domain events: what happened, as the outbox stores it for consumers (workflows,
//! webhooks, analytics). Realtime notifications to sockets are separate (`bus`): they
//! carry what a screen needs, these carry what a consumer needs.

use parley_types::{
    Availability, ContactId, ConversationId, ConversationPriority, ConversationStatus, DepartmentId, LabelId, Message,
    Role, UserId,
};
use serde::{Deserialize, Serialize};

/// One thing that happened in a workspace. Stored as JSON with its `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DomainEvent {
    /// A contact's first message opened a conversation.
    ConversationCreated { conversation_id: ConversationId, contact_id: ContactId },
    /// A message was stored.
    MessageCreated { message: Message },
    /// A member added a note for the team (never sent to the visitor).
    NoteAdded { message: Message },
    /// A conversation moved between open, snoozed and closed. `by` is the member, or
    /// `None` when the visitor's message reopened it.
    ConversationStatusChanged {
        conversation_id: ConversationId,
        from: ConversationStatus,
        to: ConversationStatus,
        by: Option<UserId>,
    },
    /// A conversation was assigned to a member (`to`), or unassigned (`None`).
    ConversationAssigned {
        conversation_id: ConversationId,
        from: Option<UserId>,
        to: Option<UserId>,
        by: Option<UserId>,
    },
    /// A conversation moved to a department (or out of any).
    ConversationDepartmentChanged {
        conversation_id: ConversationId,
        department: Option<DepartmentId>,
        by: Option<UserId>,
    },
    /// A department was created, changed (name, members, auto-assignment) or deleted.
    DepartmentChanged { department_id: DepartmentId, deleted: bool },
    /// A member set their availability, or Parley set it (`auto`: the last tab closed).
    AvailabilityChanged { user_id: UserId, availability: Availability, auto: bool },
    /// A conversation was marked critical or normal.
    ConversationPriorityChanged {
        conversation_id: ConversationId,
        from: ConversationPriority,
        to: ConversationPriority,
        by: Option<UserId>,
    },
    /// A label was put on a conversation (`on`) or taken off.
    ConversationLabelled { conversation_id: ConversationId, label_id: LabelId, on: bool, by: Option<UserId> },
    /// A member read a conversation's visitor messages.
    ConversationRead { conversation_id: ConversationId, by: UserId },
    /// A widget visitor appeared.
    VisitorCreated { contact_id: ContactId },
    /// A member was added to the workspace.
    MemberAdded { user_id: UserId, role: Role },
    /// A member's role or grants changed.
    MemberRoleChanged { user_id: UserId, role: Role, grants: Vec<parley_types::Capability> },
    /// A member was removed from the workspace.
    MemberRemoved { user_id: UserId },
    /// The period after which silent open conversations expire changed (0: never).
    ExpiryChanged { minutes: i32 },
    /// An item arrived in a member's Inbox (a mention, an assignment).
    InboxItemAdded {
        user_id: UserId,
        item: parley_types::InboxItemKind,
        /// The conversation it is about, when it is about one.
        conversation_id: Option<ConversationId>,
        /// Who caused it, by name.
        by: Option<String>,
        excerpt: String,
    },
    /// The upload limits per kind of file changed.
    AttachmentLimitsChanged { limits: parley_types::AttachmentLimits },
    /// The origins allowed to embed the widget changed.
    WidgetOriginsChanged { origins: Vec<String> },
    /// A contact's profile changed (`fields`: which, by name); `by` the member who
    /// changed it, `None` for the visitor or the system.
    ContactUpdated { contact_id: ContactId, fields: Vec<String>, by: Option<UserId> },
    /// A label (tag) was put on a contact or taken off.
    ContactLabelled { contact_id: ContactId, label_id: LabelId, on: bool, by: Option<UserId> },
    /// A member wrote a note on a contact.
    ContactNoteAdded { contact_id: ContactId, note_id: i64, by: UserId },
    /// Contact `merged` was merged into `primary` (and deleted).
    ContactsMerged { primary: ContactId, merged: ContactId },
    /// The customer's site said who the visitor is (`setUser`).
    ContactIdentified { contact_id: ContactId, verified: bool },
    /// A contact was deleted (with their conversations).
    ContactDeleted { contact_id: ContactId, by: Option<UserId> },
    /// The customer's site reported an action (`track`).
    ContactTracked { contact_id: ContactId, name: String },
}

impl DomainEvent {
    /// The `kind` stored beside the payload (for filtering without parsing).
    pub fn kind(&self) -> &'static str {
        match self {
            DomainEvent::ConversationCreated { .. } => "conversation_created",
            DomainEvent::MessageCreated { .. } => "message_created",
            DomainEvent::NoteAdded { .. } => "note_added",
            DomainEvent::ConversationStatusChanged { .. } => "conversation_status_changed",
            DomainEvent::ConversationAssigned { .. } => "conversation_assigned",
            DomainEvent::ConversationPriorityChanged { .. } => "conversation_priority_changed",
            DomainEvent::ConversationDepartmentChanged { .. } => "conversation_department_changed",
            DomainEvent::DepartmentChanged { .. } => "department_changed",
            DomainEvent::AvailabilityChanged { .. } => "availability_changed",
            DomainEvent::ConversationLabelled { .. } => "conversation_labelled",
            DomainEvent::ConversationRead { .. } => "conversation_read",
            DomainEvent::VisitorCreated { .. } => "visitor_created",
            DomainEvent::MemberAdded { .. } => "member_added",
            DomainEvent::MemberRoleChanged { .. } => "member_role_changed",
            DomainEvent::MemberRemoved { .. } => "member_removed",
            DomainEvent::ExpiryChanged { .. } => "expiry_changed",
            DomainEvent::AttachmentLimitsChanged { .. } => "attachment_limits_changed",
            DomainEvent::InboxItemAdded { .. } => "inbox_item_added",
            DomainEvent::WidgetOriginsChanged { .. } => "widget_origins_changed",
            DomainEvent::ContactUpdated { .. } => "contact_updated",
            DomainEvent::ContactLabelled { .. } => "contact_labelled",
            DomainEvent::ContactNoteAdded { .. } => "contact_note_added",
            DomainEvent::ContactsMerged { .. } => "contacts_merged",
            DomainEvent::ContactIdentified { .. } => "contact_identified",
            DomainEvent::ContactTracked { .. } => "contact_tracked",
            DomainEvent::ContactDeleted { .. } => "contact_deleted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_kind_is_the_serde_tag() {
        let events = [
            DomainEvent::ConversationCreated { conversation_id: ConversationId(1), contact_id: ContactId(2) },
            DomainEvent::ConversationRead { conversation_id: ConversationId(1), by: UserId(3) },
            DomainEvent::VisitorCreated { contact_id: ContactId(2) },
            DomainEvent::ConversationAssigned {
                conversation_id: ConversationId(1),
                from: None,
                to: Some(UserId(3)),
                by: Some(UserId(3)),
            },
            DomainEvent::ConversationPriorityChanged {
                conversation_id: ConversationId(1),
                from: ConversationPriority::Normal,
                to: ConversationPriority::Critical,
                by: None,
            },
            DomainEvent::MemberAdded { user_id: UserId(3), role: Role::Admin },
            DomainEvent::MemberRoleChanged {
                user_id: UserId(3),
                role: Role::Operator,
                grants: vec![parley_types::Capability::ExportContacts],
            },
            DomainEvent::MemberRemoved { user_id: UserId(3) },
            DomainEvent::ConversationDepartmentChanged {
                conversation_id: ConversationId(1),
                department: Some(DepartmentId(4)),
                by: None,
            },
            DomainEvent::DepartmentChanged { department_id: DepartmentId(4), deleted: true },
            DomainEvent::AvailabilityChanged { user_id: UserId(3), availability: Availability::Away, auto: true },
            DomainEvent::WidgetOriginsChanged { origins: vec![] },
            DomainEvent::ContactUpdated { contact_id: ContactId(2), fields: vec!["email".into()], by: None },
            DomainEvent::ContactLabelled { contact_id: ContactId(2), label_id: LabelId(5), on: true, by: None },
            DomainEvent::ContactNoteAdded { contact_id: ContactId(2), note_id: 6, by: UserId(3) },
            DomainEvent::ContactsMerged { primary: ContactId(2), merged: ContactId(7) },
            DomainEvent::ContactIdentified { contact_id: ContactId(2), verified: true },
            DomainEvent::ContactTracked { contact_id: ContactId(2), name: "cart".into() },
            DomainEvent::ContactDeleted { contact_id: ContactId(2), by: None },
            DomainEvent::ConversationStatusChanged {
                conversation_id: ConversationId(1),
                from: ConversationStatus::Open,
                to: ConversationStatus::Closed,
                by: None,
            },
        ];
        for event in events {
            let json: serde_json::Value = serde_json::to_value(&event).unwrap();
            assert_eq!(json["kind"], event.kind());
            assert_eq!(serde_json::from_value::<DomainEvent>(json).unwrap(), event);
        }
    }
}
