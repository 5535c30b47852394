//! Who is acting, and what they may do: every service function takes an [`Actor`] and
//! checks a [`Capability`] itself, so a server function, socket handler, CLI command or
//! future REST route cannot skip the check by calling the service directly.
//!
//! A successful check yields a [`Scope`]: the workspace the actor may act in. Tenant
//! tables are read and written through it (`scope.find::<conversation::Entity>()`), so a
//! query without a workspace filter has to be written on purpose and stands out (a test
//! below lists every place that does).

use parley_types::{Capability, ContactId, Role, UserId, WorkspaceId};
use sea_orm::sea_query::IntoCondition;
use sea_orm::{ColumnTrait, DeleteMany, EntityTrait, QueryFilter, Select, UpdateMany};

use crate::entities::{
    access_token, attachment, audit_entry, comment, comment_mention, contact, contact_event, contact_field,
    contact_field_value, contact_import, contact_label, contact_note, conversation, conversation_label,
    conversation_read, department, department_member, inbox_item, invitation, job, label, membership, message, outbox,
    push_subscription, quick_reply, saved_view, segment, visitor_token,
};
use crate::error::{ServiceError, ServiceResult};

/// A signed-in member of a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: UserId,
    pub name: String,
    pub workspace_id: WorkspaceId,
    pub role: Role,
    /// Capabilities granted on top of the role.
    pub grants: Vec<Capability>,
}

impl Member {
    /// Whether the member holds `capability` (by role or grant).
    pub fn can(&self, capability: Capability) -> bool {
        self.role.can(capability) || self.grants.contains(&capability)
    }
}

/// A widget visitor, identified by their token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visitor {
    pub contact_id: ContactId,
    pub workspace_id: WorkspaceId,
}

/// An API access token, acting for the member who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub token_id: i64,
    /// The creator as they are now (their current role and grants).
    pub member: Member,
    /// What the token was given (`contacts:read`, ...).
    pub scopes: Vec<String>,
}

/// Whoever a service call is made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in workspace member.
    Member(Member),
    /// An API access token: never more than its scopes, nor than its creator's role.
    Token(Token),
    /// A widget visitor.
    Visitor(Visitor),
    /// Parley itself acting in one workspace: durable jobs, outbox consumers.
    System(WorkspaceId),
}

impl Actor {
    /// The workspace this actor belongs to.
    pub fn workspace_id(&self) -> WorkspaceId {
        match self {
            Actor::Member(m) => m.workspace_id,
            Actor::Token(t) => t.member.workspace_id,
            Actor::Visitor(v) => v.workspace_id,
            Actor::System(w) => *w,
        }
    }

    /// Whether the actor holds `capability`.
    pub fn can(&self, capability: Capability) -> bool {
        match self {
            Actor::Member(m) => m.can(capability),
            Actor::Token(t) => {
                t.member.can(capability)
                    && parley_types::scope_for(capability)
                        .is_some_and(|(area, write)| parley_types::scopes_allow(&t.scopes, area, write))
            }
            Actor::Visitor(_) => capability == Capability::ChatAsVisitor,
            // Jobs act on behalf of the workspace, but never pretend to be a visitor.
            Actor::System(_) => capability != Capability::ChatAsVisitor,
        }
    }

    /// Checks `capability` and returns the workspace to act in, or `Forbidden`.
    pub fn require(&self, capability: Capability) -> ServiceResult<Scope> {
        if self.can(capability) {
            Ok(Scope(self.workspace_id()))
        } else {
            tracing::info!(actor = %self.describe(), capability = capability.label(), "refused");
            Err(ServiceError::Forbidden)
        }
    }

    /// The actor's own workspace, which every actor may read the basics of (name,
    /// widget key); anything more needs [`Actor::require`].
    pub fn own_workspace(&self) -> Scope {
        Scope(self.workspace_id())
    }

    /// The member (for a token, the member it acts for), or `Forbidden` for anyone else.
    pub fn member(&self) -> ServiceResult<&Member> {
        match self {
            Actor::Member(m) => Ok(m),
            Actor::Token(t) => Ok(&t.member),
            _ => Err(ServiceError::Forbidden),
        }
    }

    /// The visitor, or `Forbidden` for anyone else.
    pub fn visitor(&self) -> ServiceResult<Visitor> {
        match self {
            Actor::Visitor(v) => Ok(*v),
            _ => Err(ServiceError::Forbidden),
        }
    }

    fn describe(&self) -> String {
        match self {
            Actor::Member(m) => format!("user {} ({}) in workspace {}", m.user_id, m.role, m.workspace_id),
            Actor::Token(t) => {
                format!("token {} of user {} in workspace {}", t.token_id, t.member.user_id, t.member.workspace_id)
            }
            Actor::Visitor(v) => format!("visitor {} in workspace {}", v.contact_id, v.workspace_id),
            Actor::System(w) => format!("system in workspace {w}"),
        }
    }
}

/// The one workspace a checked actor may read and write. Only [`Actor::require`] makes
/// one (and [`Scope::unchecked`], for code that already holds a row's workspace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope(WorkspaceId);

impl Scope {
    /// A scope for a workspace the caller has from a row it already loaded through a
    /// scope or a token (e.g. the widget key's workspace). Grep-able on purpose.
    pub fn unchecked(workspace_id: WorkspaceId) -> Scope {
        Scope(workspace_id)
    }

    pub fn workspace_id(self) -> WorkspaceId {
        self.0
    }

    /// `SELECT` from a tenant table, limited to this workspace.
    pub fn find<E: TenantEntity>(self) -> Select<E> {
        E::find().filter(self.condition::<E>())
    }

    /// `UPDATE` of a tenant table, limited to this workspace.
    pub fn update_many<E: TenantEntity>(self) -> UpdateMany<E> {
        E::update_many().filter(self.condition::<E>())
    }

    /// `DELETE` from a tenant table, limited to this workspace.
    pub fn delete_many<E: TenantEntity>(self) -> DeleteMany<E> {
        E::delete_many().filter(self.condition::<E>())
    }

    fn condition<E: TenantEntity>(self) -> impl IntoCondition {
        E::workspace_column().eq(self.0.0)
    }
}

/// A table whose rows belong to one workspace.
pub trait TenantEntity: EntityTrait {
    fn workspace_column() -> Self::Column;
}

macro_rules! tenant {
    ($($module:ident),*) => {$(
        impl TenantEntity for $module::Entity {
            fn workspace_column() -> Self::Column {
                $module::Column::WorkspaceId
            }
        }
    )*};
}

tenant!(
    access_token,
    audit_entry,
    attachment,
    comment,
    comment_mention,
    inbox_item,
    invitation,
    contact,
    contact_event,
    contact_field,
    contact_field_value,
    contact_import,
    contact_label,
    contact_note,
    conversation,
    conversation_label,
    conversation_read,
    department,
    department_member,
    label,
    message,
    membership,
    outbox,
    job,
    push_subscription,
    quick_reply,
    saved_view,
    segment,
    visitor_token
);

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: Role) -> Actor {
        Actor::Member(Member {
            user_id: UserId(1),
            name: "Ada".into(),
            workspace_id: WorkspaceId(7),
            role,
            grants: vec![],
        })
    }

    #[test]
    fn capabilities_follow_the_role_and_grants() {
        assert!(member(Role::Admin).require(Capability::ManageWidget).is_ok());
        assert!(matches!(member(Role::Operator).require(Capability::ManageWidget), Err(ServiceError::Forbidden)));
        let mut granted = member(Role::Operator);
        if let Actor::Member(m) = &mut granted {
            m.grants.push(Capability::ManageWidget);
        }
        assert_eq!(granted.require(Capability::ManageWidget).unwrap().workspace_id(), WorkspaceId(7));
    }

    #[test]
    fn a_token_never_exceeds_its_scopes_nor_its_creators_role() {
        let token = |role: Role, scopes: &[&str]| {
            let Actor::Member(member) = member(role) else { unreachable!() };
            Actor::Token(Token { token_id: 1, member, scopes: scopes.iter().map(|s| s.to_string()).collect() })
        };
        let admin_all = token(Role::Admin, &parley_types::API_SCOPES);
        assert!(admin_all.require(Capability::ManageWidget).is_ok());
        assert!(admin_all.require(Capability::ManageTokens).is_err(), "tokens never make tokens");
        assert!(admin_all.require(Capability::ChatAsVisitor).is_err());
        let operator_all = token(Role::Operator, &parley_types::API_SCOPES);
        assert!(operator_all.require(Capability::ReplyConversations).is_ok());
        assert!(operator_all.require(Capability::ManageWidget).is_err(), "not beyond the creator's role");
        let read_only = token(Role::Admin, &["contacts:read"]);
        assert!(read_only.require(Capability::ReadContacts).is_ok());
        assert!(read_only.require(Capability::EditContacts).is_err());
        assert!(read_only.require(Capability::ReadConversations).is_err());
    }

    #[test]
    fn visitors_only_chat_and_the_system_never_chats() {
        let visitor = Actor::Visitor(Visitor { contact_id: ContactId(3), workspace_id: WorkspaceId(7) });
        assert!(visitor.require(Capability::ChatAsVisitor).is_ok());
        assert!(visitor.require(Capability::ReadConversations).is_err());
        assert!(Actor::System(WorkspaceId(7)).require(Capability::ReplyConversations).is_ok());
        assert!(Actor::System(WorkspaceId(7)).require(Capability::ChatAsVisitor).is_err());
    }

    /// Tenant tables are read and written through `Scope`. A direct `Entity::find()`,
    /// `update_many()` or `delete_many()` on one of them anywhere else in `services`
    /// must carry an `// unscoped:` comment on the line before, saying why.
    #[test]
    fn tenant_tables_are_only_queried_through_a_scope() {
        let tenant = [
            "access_token",
            "audit_entry",
            "invitation",
            "attachment",
            "contact",
            "contact_event",
            "contact_field",
            "contact_field_value",
            "contact_import",
            "contact_label",
            "contact_note",
            "conversation",
            "conversation_label",
            "department",
            "department_member",
            "label",
            "message",
            "membership",
            "outbox",
            "job",
            "quick_reply",
            "segment",
            "visitor_token",
        ];
        let calls = ["::Entity::find", "::Entity::update", "::Entity::delete", "::Entity::insert"];
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut offences = Vec::new();
        for path in rust_files(std::path::Path::new(root)) {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let hit = tenant.iter().any(|t| calls.iter().any(|c| line.contains(&format!("{t}{c}"))));
                let excused = i > 0 && lines[i - 1].contains("// unscoped:");
                if hit && !excused {
                    offences.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                }
            }
        }
        assert!(offences.is_empty(), "unscoped tenant queries:\n{}", offences.join("\n"));
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        out
    }
}
