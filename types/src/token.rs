//! API access tokens: a name, scopes (read or write per area), an optional expiry. The
//! secret is shown once when made; Parley keeps only its SHA-256. A token acts for its
//! creator and never beyond: what it may do is what both its scopes and the creator's
//! role (now, not when it was made) allow, and it stops working when the creator leaves.

use serde::{Deserialize, Serialize};

use crate::access::Capability;

/// Every scope a token may hold: `<area>:read` or `<area>:write` (write includes read).
pub const API_SCOPES: [&str; 6] = [
    "conversations:read",
    "conversations:write",
    "contacts:read",
    "contacts:write",
    "workspace:read",
    "workspace:write",
];

/// Longest token name, in characters.
pub const MAX_TOKEN_NAME: usize = 100;

/// Longest lifetime a token may be given, in days (tokens may also never expire).
pub const MAX_TOKEN_DAYS: u32 = 3_650;

/// The scope a capability needs (`None`: no token may ever use it).
pub fn scope_for(capability: Capability) -> Option<(&'static str, bool)> {
    use Capability::*;
    Some(match capability {
        ReadConversations => ("conversations", false),
        ReplyConversations => ("conversations", true),
        ReadContacts | ExportContacts => ("contacts", false),
        ReadAuditLog => ("workspace", false),
        EditContacts | ManageContacts => ("contacts", true),
        ManageWidget
        | ManageMembers
        | ManageLabels
        | ManageSharedQuickReplies
        | ManageInboxSettings
        | ManageDepartments
        | ManageSharedViews
        | ManageWorkspace => ("workspace", true),
        // Tokens never make tokens, never speak for a visitor, and never act as an owner.
        ManageTokens | ChatAsVisitor | OwnWorkspace => return None,
        // Their modules add these areas' scopes.
        ManageKnowledge | ManageWorkflows | ManageBroadcasts | ViewAllAnalytics => return None,
    })
}

/// Whether `scopes` reach `area` (for writing when `write`).
pub fn scopes_allow(scopes: &[String], area: &str, write: bool) -> bool {
    scopes.iter().any(|s| match s.split_once(':') {
        Some((a, "write")) => a == area,
        Some((a, "read")) => a == area && !write,
        _ => false,
    })
}

/// An access token as admins see it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<String>,
    /// Who made it (the token acts for them).
    pub created_by: String,
    pub created_at_ms: i64,
    /// `None`: never expires.
    pub expires_at_ms: Option<i64>,
    /// The last request it made (to the minute).
    pub last_used_at_ms: Option<i64>,
}

/// A token just made: the secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccessToken {
    pub token: AccessToken,
    pub secret: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_includes_read_and_areas_stay_apart() {
        let scopes = vec!["contacts:write".to_owned(), "workspace:read".to_owned()];
        assert!(scopes_allow(&scopes, "contacts", false) && scopes_allow(&scopes, "contacts", true));
        assert!(scopes_allow(&scopes, "workspace", false) && !scopes_allow(&scopes, "workspace", true));
        assert!(!scopes_allow(&scopes, "conversations", false));
        assert!(!scopes_allow(&["contacts".to_owned(), ":write".to_owned()], "contacts", false));
        assert_eq!(scope_for(Capability::ManageTokens), None);
        for capability in Capability::ALL {
            if let Some((area, _)) = scope_for(*capability) {
                assert!(API_SCOPES.iter().any(|s| s.starts_with(area)), "{capability:?}");
            }
        }
    }
}
