//! The audit log: an append-only record of who did what to a workspace's setup (sign-ins,
//! members, tokens, settings with their before and after, exports, merges, deletions),
//! from where (IP, user agent) and when. Owners and admins read it.

use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::model::text_enum;

text_enum! {
    /// What an audit entry records.
    AuditAction, "audit action" {
        SignIn = "sign_in",
        SignInFailed = "sign_in_failed",
        SignOut = "sign_out",
        PasswordChanged = "password_changed",
        PasswordReset = "password_reset",
        ProfileChanged = "profile_changed",
        MemberAdded = "member_added",
        MemberRoleChanged = "member_role_changed",
        MemberRemoved = "member_removed",
        InvitationCreated = "invitation_created",
        InvitationRevoked = "invitation_revoked",
        InvitationAccepted = "invitation_accepted",
        TokenCreated = "token_created",
        TokenRevoked = "token_revoked",
        SettingsChanged = "settings_changed",
        SecretRotated = "secret_rotated",
        ContactsExported = "contacts_exported",
        ContactsImported = "contacts_imported",
        ContactsMerged = "contacts_merged",
        ContactDeleted = "contact_deleted",
        AuditExported = "audit_exported",
    }
}

impl AuditAction {
    /// A label for people ("Member removed").
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::SignIn => "Signed in",
            AuditAction::SignInFailed => "Sign-in failed",
            AuditAction::SignOut => "Signed out",
            AuditAction::PasswordChanged => "Password changed",
            AuditAction::PasswordReset => "Password reset",
            AuditAction::ProfileChanged => "Profile changed",
            AuditAction::MemberAdded => "Member added",
            AuditAction::MemberRoleChanged => "Role changed",
            AuditAction::MemberRemoved => "Member removed",
            AuditAction::InvitationCreated => "Invitation sent",
            AuditAction::InvitationRevoked => "Invitation revoked",
            AuditAction::InvitationAccepted => "Invitation accepted",
            AuditAction::TokenCreated => "Access token created",
            AuditAction::TokenRevoked => "Access token revoked",
            AuditAction::SettingsChanged => "Settings changed",
            AuditAction::SecretRotated => "Secret rotated",
            AuditAction::ContactsExported => "Contacts exported",
            AuditAction::ContactsImported => "Contacts imported",
            AuditAction::ContactsMerged => "Contacts merged",
            AuditAction::ContactDeleted => "Contact deleted",
            AuditAction::AuditExported => "Audit log exported",
        }
    }
}

/// Who acted: a member (signed in, or through one of their access tokens), Parley
/// itself, or someone who is not signed in (a failed sign-in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditActor {
    /// `user`, `token`, `system`, `visitor` or `anonymous`.
    pub kind: String,
    pub user_id: Option<UserId>,
    pub token_id: Option<i64>,
    /// The name when it happened (kept when the member leaves).
    pub name: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at_ms: i64,
    pub actor: AuditActor,
    pub action: AuditAction,
    /// What it was done to, for people ("Maria Lopez <maria@acme.test>", "widget").
    pub target: String,
    /// JSON: `{"before": …, "after": …}` for changes, other facts otherwise. Secrets are
    /// never in it.
    pub details: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Which entries to list. Every part is optional; `before` is the cursor (entries with a
/// smaller id, newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor: Option<UserId>,
    pub action: Option<AuditAction>,
    /// From this day on (`YYYY-MM-DD`, in the workspace's time zone: UTC for now).
    pub from: Option<String>,
    /// Up to and including this day.
    pub to: Option<String>,
    pub before: Option<i64>,
}

/// A page of entries, newest first; `next` is the cursor of the following page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next: Option<i64>,
    /// How many days entries are kept.
    pub retention_days: u32,
}

/// Entries per page.
pub const AUDIT_PAGE_SIZE: u64 = 50;
/// Default, shortest and longest retention, in days.
pub const AUDIT_RETENTION_DEFAULT_DAYS: u32 = 365;
pub const AUDIT_RETENTION_MIN_DAYS: u32 = 30;
pub const AUDIT_RETENTION_MAX_DAYS: u32 = 3_650;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_parse_back_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            assert_eq!(action.as_str().parse::<AuditAction>(), Ok(*action));
            assert!(seen.insert(action.as_str()), "{} twice", action.as_str());
            let json = serde_json::to_string(action).unwrap();
            assert_eq!(json, format!("\"{}\"", action.as_str()), "the wire name is the stored name");
        }
        assert!("sign_in ".parse::<AuditAction>().is_err());
    }
}
