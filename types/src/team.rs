//! The team as owners and admins manage it: members with their role and grants.

use serde::{Deserialize, Serialize};

use crate::access::Capability;
use crate::ids::UserId;
use crate::model::{Availability, Role};

/// A member of the workspace as the team page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Capabilities granted on top of an operator's role (empty for owners and admins).
    pub grants: Vec<Capability>,
    pub availability: Availability,
    pub joined_at_ms: i64,
}

/// One row of the roles table: a capability and whether each role holds it (the same
/// `Role::can` the server checks), and whether admins may grant it to operators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRow {
    pub capability: Capability,
    pub label: String,
    pub owner: bool,
    pub admin: bool,
    pub operator: bool,
    pub grantable: bool,
}

/// The roles table, every capability a member may hold.
pub fn roles_table() -> Vec<RoleRow> {
    Capability::ALL
        .iter()
        .copied()
        .filter(|c| *c != Capability::ChatAsVisitor)
        .map(|c| RoleRow {
            capability: c,
            label: c.label().to_owned(),
            owner: Role::Owner.can(c),
            admin: Role::Admin.can(c),
            operator: Role::Operator.can(c),
            grantable: Capability::GRANTABLE.contains(&c),
        })
        .collect()
}

/// A pending invitation as owners and admins see it (never its link, which is shown
/// once when made or resent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub departments: Vec<crate::ids::DepartmentId>,
    /// Who invited, when they are still known.
    pub invited_by: Option<String>,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    /// When it was last mailed (`None`: the link was only copied).
    pub sent_at_ms: Option<i64>,
}

/// An invitation just made or resent: its link (shown this once) and whether it went by
/// email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvitation {
    pub invitation: Invitation,
    pub link: String,
    pub emailed: bool,
    /// Why mailing failed, when it was tried.
    pub mail_error: Option<String>,
}

/// What the invitation page shows before it is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub workspace_name: String,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<String>,
    /// The address has an account: accepting asks for its password, not a new one.
    pub has_account: bool,
}

/// How a workspace's mail leaves: plain (local relays), STARTTLS, or TLS from the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    None,
    #[default]
    Starttls,
    Tls,
}

/// A workspace's outgoing mail server. The password is write-only: reading answers it
/// empty with `password_set`; saving with an empty password keeps the stored one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    #[serde(default)]
    pub tls: SmtpTls,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_set: bool,
    /// `Name <address>` or an address.
    pub sender: String,
}

/// How long an invitation link is valid, in days.
pub const INVITATION_DAYS: i64 = 7;

/// A member's own profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    /// An https address of their picture (empty: initials).
    pub avatar_url: String,
    /// Their language for the operator app (`APP_LANGUAGES`; empty: the workspace's).
    #[serde(default)]
    pub language: String,
}

/// How long a password reset link is valid, in minutes.
pub const PASSWORD_RESET_MINUTES: i64 = 60;
