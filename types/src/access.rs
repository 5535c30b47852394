//! Who may do what: the capabilities services check, and which roles hold them. The
//! server checks exactly this table; the app shows it (roles page, hidden buttons).

use serde::{Deserialize, Serialize};

use crate::model::Role;

/// Something an actor may be allowed to do inside a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// List and read conversations and their messages.
    ReadConversations,
    /// Write replies and change a conversation's status.
    ReplyConversations,
    /// Change the widget's settings (allowed origins, ...).
    ManageWidget,
    /// Add members and change their roles.
    ManageMembers,
    /// Create, rename and delete the workspace's conversation labels.
    ManageLabels,
    /// Create, change and delete the quick replies shared with the whole workspace (every
    /// member manages their own personal ones).
    ManageSharedQuickReplies,
    /// Change how the inbox works for everyone (e.g. when conversations expire).
    ManageInboxSettings,
    /// Create, change and delete departments, their members and auto-assignment.
    ManageDepartments,
    /// Create, change and delete the saved inbox views shared with the whole workspace
    /// (every member manages their own personal ones).
    ManageSharedViews,
    /// List and read contacts, their notes and visits.
    ReadContacts,
    /// Edit contacts' profiles, tags and notes, and save contacts from conversations.
    EditContacts,
    /// Delete, merge, import and export contacts, define their fields and hold the
    /// identity secret.
    ManageContacts,
    /// Write into one's own conversation as a widget visitor.
    ChatAsVisitor,
    /// Create, list and revoke the workspace's API access tokens.
    ManageTokens,
    /// Read and export the audit log, and set how long it is kept.
    ReadAuditLog,
    /// Write the knowledge base (grantable to operators).
    ManageKnowledge,
    /// Build and switch on workflows (grantable to operators).
    ManageWorkflows,
    /// Write and send broadcasts (grantable to operators).
    ManageBroadcasts,
    /// See every member's analytics, not only one's own (grantable to operators).
    ViewAllAnalytics,
    /// Export contacts as CSV (grantable to operators).
    ExportContacts,
    /// Add, demote and remove owners, transfer ownership and delete the workspace.
    OwnWorkspace,
    /// Change the workspace's name, address, logo, language and time zone.
    ManageWorkspace,
}

impl Capability {
    /// Every capability, in a stable order.
    pub const ALL: &'static [Capability] = &[
        Capability::ReadConversations,
        Capability::ReplyConversations,
        Capability::ManageWidget,
        Capability::ManageMembers,
        Capability::ManageLabels,
        Capability::ManageSharedQuickReplies,
        Capability::ManageInboxSettings,
        Capability::ManageDepartments,
        Capability::ManageSharedViews,
        Capability::ReadContacts,
        Capability::EditContacts,
        Capability::ManageContacts,
        Capability::ChatAsVisitor,
        Capability::ManageTokens,
        Capability::ReadAuditLog,
        Capability::ManageKnowledge,
        Capability::ManageWorkflows,
        Capability::ManageBroadcasts,
        Capability::ViewAllAnalytics,
        Capability::ExportContacts,
        Capability::OwnWorkspace,
        Capability::ManageWorkspace,
    ];

    /// What admins may grant an operator on top of the role.
    pub const GRANTABLE: &'static [Capability] = &[
        Capability::ManageKnowledge,
        Capability::ManageWorkflows,
        Capability::ManageBroadcasts,
        Capability::ViewAllAnalytics,
        Capability::ExportContacts,
    ];

    /// A short label for people ("manage widget").
    pub fn label(self) -> &'static str {
        match self {
            Capability::ReadConversations => "read conversations",
            Capability::ReplyConversations => "reply in conversations",
            Capability::ManageWidget => "manage widget",
            Capability::ManageMembers => "manage members",
            Capability::ManageLabels => "manage labels",
            Capability::ManageSharedQuickReplies => "manage shared quick replies",
            Capability::ManageInboxSettings => "manage inbox settings",
            Capability::ManageDepartments => "manage departments",
            Capability::ManageSharedViews => "manage shared views",
            Capability::ReadContacts => "read contacts",
            Capability::EditContacts => "edit contacts",
            Capability::ManageContacts => "manage contacts",
            Capability::ChatAsVisitor => "chat as a visitor",
            Capability::ManageTokens => "manage access tokens",
            Capability::ReadAuditLog => "read the audit log",
            Capability::ManageKnowledge => "manage knowledge",
            Capability::ManageWorkflows => "manage workflows",
            Capability::ManageBroadcasts => "manage broadcasts",
            Capability::ViewAllAnalytics => "view all analytics",
            Capability::ExportContacts => "export contacts",
            Capability::OwnWorkspace => "manage owners and delete the workspace",
            Capability::ManageWorkspace => "manage the workspace's general settings",
        }
    }

    /// Stored text of a capability granted on top of a role.
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::ReadConversations => "read_conversations",
            Capability::ReplyConversations => "reply_conversations",
            Capability::ManageWidget => "manage_widget",
            Capability::ManageMembers => "manage_members",
            Capability::ManageLabels => "manage_labels",
            Capability::ManageSharedQuickReplies => "manage_shared_quick_replies",
            Capability::ManageInboxSettings => "manage_inbox_settings",
            Capability::ManageDepartments => "manage_departments",
            Capability::ManageSharedViews => "manage_shared_views",
            Capability::ReadContacts => "read_contacts",
            Capability::EditContacts => "edit_contacts",
            Capability::ManageContacts => "manage_contacts",
            Capability::ChatAsVisitor => "chat_as_visitor",
            Capability::ManageTokens => "manage_tokens",
            Capability::ReadAuditLog => "read_audit_log",
            Capability::ManageKnowledge => "manage_knowledge",
            Capability::ManageWorkflows => "manage_workflows",
            Capability::ManageBroadcasts => "manage_broadcasts",
            Capability::ViewAllAnalytics => "view_all_analytics",
            Capability::ExportContacts => "export_contacts",
            Capability::OwnWorkspace => "own_workspace",
            Capability::ManageWorkspace => "manage_workspace",
        }
    }

    /// Parses the stored text; unknown names give `None` (a grant from a newer version).
    pub fn parse(text: &str) -> Option<Capability> {
        Capability::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl Role {
    /// Whether members with this role hold `capability` without any extra grant.
    pub fn can(self, capability: Capability) -> bool {
        use Capability::*;
        match capability {
            ReadConversations | ReplyConversations | ReadContacts | EditContacts => true,
            ManageWidget
            | ManageMembers
            | ManageLabels
            | ManageSharedQuickReplies
            | ManageInboxSettings
            | ManageDepartments
            | ManageSharedViews
            | ManageContacts
            | ManageTokens
            | ReadAuditLog
            | ManageKnowledge
            | ManageWorkflows
            | ManageBroadcasts
            | ViewAllAnalytics
            | ExportContacts
            | ManageWorkspace => {
                matches!(self, Role::Owner | Role::Admin)
            }
            OwnWorkspace => self == Role::Owner,
            ChatAsVisitor => false,
        }
    }

    /// The capabilities this role holds, for the roles table.
    pub fn capabilities(self) -> Vec<Capability> {
        Capability::ALL.iter().copied().filter(|c| self.can(*c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_work_conversations_and_admins_also_manage() {
        assert!(Role::Operator.can(Capability::ReplyConversations));
        assert!(!Role::Operator.can(Capability::ManageWidget));
        assert!(!Role::Operator.can(Capability::ManageMembers));
        for role in [Role::Owner, Role::Admin] {
            assert!(role.can(Capability::ManageWidget) && role.can(Capability::ManageMembers));
        }
        assert!(Role::ALL.iter().all(|r| !r.can(Capability::ChatAsVisitor)), "members never act as visitors");
        assert!(Role::Owner.can(Capability::OwnWorkspace) && !Role::Admin.can(Capability::OwnWorkspace));
    }

    #[test]
    fn grants_add_only_what_operators_lack_and_admins_have() {
        for c in Capability::GRANTABLE {
            assert!(!Role::Operator.can(*c), "{} is not already an operator's", c.label());
            assert!(Role::Admin.can(*c), "{} is an admin's", c.label());
        }
    }

    #[test]
    fn stored_names_parse_back() {
        for c in Capability::ALL {
            assert_eq!(Capability::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Capability::parse("fly"), None);
    }
}
