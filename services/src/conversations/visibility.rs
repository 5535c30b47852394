//! Which of the workspace's conversations a member sees. By default every member with
//! `read conversations` sees all of them. With the workspace's option "operators see only
//! their departments' conversations" on, a member who cannot manage departments sees
//! those of their departments, the unrouted ones (no department) and those assigned to
//! them; anything else is "not found" to them, like another workspace's conversation.
//!
//! Every read and write of a conversation for a member goes through
//! [`visible_conversations`] (lists, counts, search, the conversation itself, and so
//! every command on it); sockets filter live events with [`Visibility::sees`].

use std::collections::HashSet;

use parley_types::{Capability, ConversationSummary, DepartmentId, OperatorEvent, Role, UserId};
use sea_orm::sea_query::Query;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, QueryFilter, Select, Set};

use crate::Services;
use crate::access::{Actor, Member, Scope};
use crate::bus::Operators;
use crate::entities::{conversation, department_member, membership, workspace};
use crate::error::ServiceResult;

/// What one member sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Every conversation of the workspace.
    All,
    /// Those of `departments`, the unrouted ones, and those assigned to `user`.
    Limited { user: UserId, departments: Vec<DepartmentId> },
}

impl Visibility {
    /// What `actor` sees now (read once, for a socket's filter). The system sees
    /// everything; a visitor only their own conversation, which other paths decide (so
    /// `All` here).
    pub async fn of(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Visibility> {
        let Some(member) = limited_member(actor) else { return Ok(Visibility::All) };
        let scope = Scope::unchecked(member.workspace_id);
        if !own_departments_only_in(db, scope).await? {
            return Ok(Visibility::All);
        }
        let mut departments: Vec<DepartmentId> = scope
            .find::<department_member::Entity>()
            .filter(department_member::Column::UserId.eq(member.user_id.0))
            .all(db)
            .await?
            .into_iter()
            .map(|row| DepartmentId(row.department_id))
            .collect();
        departments.sort_unstable();
        Ok(Visibility::Limited { user: member.user_id, departments })
    }

    /// Whether a conversation in `department`, assigned to `assignee`, is seen.
    pub fn sees(&self, department: Option<DepartmentId>, assignee: Option<UserId>) -> bool {
        match self {
            Visibility::All => true,
            Visibility::Limited { user, departments } => {
                department.is_none_or(|d| departments.contains(&d)) || assignee == Some(*user)
            }
        }
    }

    /// [`Visibility::sees`] for a summary.
    pub fn sees_summary(&self, conversation: &ConversationSummary) -> bool {
        self.sees(conversation.department_id, conversation.assignee_id)
    }
}

/// The workspace's conversations `actor` sees: needs `read conversations`. For a member
/// who cannot manage departments, the workspace's option is read first (one row by its
/// key); when it is on, the rule joins the query, their departments read by a subquery.
/// (Left in the query while off, the rule's extra columns cost the counts their
/// index-only scan: 5 → 45 ms at 100k conversations.)
pub(crate) async fn visible_conversations(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> ServiceResult<Select<conversation::Entity>> {
    let scope = actor.require(Capability::ReadConversations)?;
    let query = scope.find::<conversation::Entity>();
    Ok(match limited_member(actor) {
        Some(member) if own_departments_only_in(db, scope).await? => query.filter(seen_by(member)),
        _ => query,
    })
}

/// The member whose view the option may limit: one who cannot manage departments.
fn limited_member(actor: &Actor) -> Option<&Member> {
    match actor {
        Actor::Member(member) => Some(member),
        Actor::Token(token) => Some(&token.member),
        Actor::Visitor(_) | Actor::System(_) => None,
    }
    .filter(|member| !member.can(Capability::ManageDepartments))
}

/// [`Visibility::sees`] as a condition on conversations, for `member`, while the option
/// is on.
fn seen_by(member: &Member) -> Condition {
    use conversation::Column as C;
    let their_departments = Query::select()
        .column(department_member::Column::DepartmentId)
        .from(department_member::Entity)
        .and_where(department_member::Column::WorkspaceId.eq(member.workspace_id.0))
        .and_where(department_member::Column::UserId.eq(member.user_id.0))
        .to_owned();
    Condition::any()
        .add(C::DepartmentId.is_null())
        .add(C::AssigneeId.eq(member.user_id.0))
        .add(C::DepartmentId.in_subquery(their_departments))
}

/// Who sees a conversation of one department while the option is on: that department's
/// members and whoever manages departments.
pub(crate) struct Seeing {
    department_members: HashSet<i64>,
}

impl Seeing {
    /// Whether the member of this membership row sees the conversation.
    pub(crate) fn sees(&self, member: &membership::Model) -> bool {
        let manages = |role: Role| role.can(Capability::ManageDepartments);
        self.department_members.contains(&member.user_id)
            || member.role.parse::<Role>().is_ok_and(manages)
            || member.grants.lines().any(|grant| Capability::parse(grant) == Some(Capability::ManageDepartments))
    }
}

/// Who of workspace `ws` sees a conversation in `department`: `None` when every member
/// does (the option is off, or the conversation is unrouted). For notifications meant for
/// "everyone".
pub(crate) async fn members_seeing(
    db: &impl ConnectionTrait,
    ws: &workspace::Model,
    department: Option<i64>,
) -> ServiceResult<Option<Seeing>> {
    let Some(department) = department.filter(|_| ws.operators_own_departments) else { return Ok(None) };
    let department_members = Scope::unchecked(parley_types::WorkspaceId(ws.id))
        .find::<department_member::Entity>()
        .filter(department_member::Column::DepartmentId.eq(department))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.user_id)
        .collect();
    Ok(Some(Seeing { department_members }))
}

async fn own_departments_only_in(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<bool> {
    Ok(crate::workspaces::get(db, scope).await?.operators_own_departments)
}

/// Whether operators see only their departments' conversations (and unrouted ones).
/// Needs `read conversations` (every member's inbox follows it).
pub async fn own_departments_only(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<bool> {
    let scope = actor.require(Capability::ReadConversations)?;
    own_departments_only_in(db, scope).await
}

/// Turns the option on or off; audited, and every operator's pages follow at once.
/// Needs `manage departments`.
pub async fn set_own_departments_only(svc: &Services, actor: &Actor, on: bool) -> ServiceResult<bool> {
    let scope = actor.require(Capability::ManageDepartments)?;
    let mut w = svc.begin().await?;
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    let before = ws.operators_own_departments;
    if before != on {
        let mut active: workspace::ActiveModel = ws.into();
        active.operators_own_departments = Set(on);
        active.update(w.txn()).await?;
        w.audit_change(actor, "departments: operators see only their departments", before, on).await?;
        w.notify(Operators(scope.workspace_id()), OperatorEvent::VisibilityChanged { own_departments: on });
    }
    w.commit().await?;
    Ok(on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{DbBackend, QueryTrait};

    #[test]
    fn a_limited_member_sees_their_departments_unrouted_and_assigned_conversations() {
        let (me, other) = (UserId(7), UserId(8));
        let sees = Visibility::Limited { user: me, departments: vec![DepartmentId(1)] };
        assert!(sees.sees(Some(DepartmentId(1)), None), "their department's");
        assert!(sees.sees(None, Some(other)), "an unrouted one");
        assert!(sees.sees(Some(DepartmentId(2)), Some(me)), "another's, assigned to them");
        assert!(!sees.sees(Some(DepartmentId(2)), None), "another department's");
        assert!(!sees.sees(Some(DepartmentId(2)), Some(other)));
        assert!(Visibility::All.sees(Some(DepartmentId(2)), Some(other)));
        let nowhere = Visibility::Limited { user: me, departments: vec![] };
        assert!(nowhere.sees(None, None) && !nowhere.sees(Some(DepartmentId(1)), None));
    }

    #[test]
    fn the_condition_asks_for_the_same() {
        let member = Member {
            user_id: UserId(7),
            name: "Ann".into(),
            workspace_id: parley_types::WorkspaceId(3),
            role: Role::Operator,
            grants: vec![],
        };
        let query = Scope::unchecked(member.workspace_id).find::<conversation::Entity>().filter(seen_by(&member));
        let sql = query.build(DbBackend::Sqlite).to_string();
        let expected = r#"("conversations"."department_id" IS NULL OR "conversations"."assignee_id" = 7 OR "conversations"."department_id" IN (SELECT "department_id" FROM "department_members" WHERE "department_members"."workspace_id" = 3 AND "department_members"."user_id" = 7))"#;
        assert!(sql.contains(expected), "{sql}");
    }

    #[test]
    fn only_members_who_cannot_manage_departments_are_limited() {
        let member = |role| Member {
            user_id: UserId(7),
            name: "Ann".into(),
            workspace_id: parley_types::WorkspaceId(3),
            role,
            grants: vec![],
        };
        assert!(limited_member(&Actor::Member(member(Role::Operator))).is_some());
        assert!(limited_member(&Actor::Member(member(Role::Admin))).is_none());
        assert!(limited_member(&Actor::Member(member(Role::Owner))).is_none());
        assert!(limited_member(&Actor::System(parley_types::WorkspaceId(3))).is_none());
    }
}
