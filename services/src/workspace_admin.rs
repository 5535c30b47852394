//! Running workspaces: their general settings (name, address, logo, language, time zone),
//! the workspaces a user belongs to and switching between them, creating another one,
//! transferring ownership, and deleting one (its members lose it at once; its data and
//! files go in a background job).

use std::sync::Arc;

use parley_types::{
    Capability, ConversationStatus, Role, UserId, WorkspaceChoice, WorkspaceGeneral, WorkspaceId, phrase,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
    Statement,
};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::{Control, Operators, Sockets};
use crate::clock::now_ms;
use crate::entities::{conversation, membership, user, workspace};
use crate::error::{ServiceError, ServiceResult, conflict_on_unique};
use crate::jobs::{JobError, JobHandler, NewJob};
use crate::platform::Platform;
use crate::write::Write;

/// The deletion job's kind.
pub const DELETE_JOB: &str = "workspace.delete";

/// Registers the deletion job.
pub fn register(platform: &Platform) {
    platform.register_job(Arc::new(DeleteWorkspace));
}

fn general_of(ws: &workspace::Model) -> WorkspaceGeneral {
    WorkspaceGeneral {
        name: ws.name.clone(),
        slug: ws.slug.clone(),
        logo_url: ws.logo_url.clone(),
        language: ws.language.clone(),
        timezone: ws.timezone.clone(),
    }
}

/// Any member: the workspace's general settings.
pub async fn general(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<WorkspaceGeneral> {
    Ok(general_of(&crate::workspaces::get(db, actor.own_workspace()).await?))
}

/// Saves the general settings (`manage the workspace`); every problem at once, a taken
/// address is a conflict. Audited; every member's app shows the new name at once.
pub async fn save_general(svc: &Services, actor: &Actor, input: WorkspaceGeneral) -> ServiceResult<WorkspaceGeneral> {
    let scope = actor.require(Capability::ManageWorkspace)?;
    let input = WorkspaceGeneral {
        name: input.name.trim().to_owned(),
        slug: input.slug.trim().to_owned(),
        logo_url: input.logo_url.trim().to_owned(),
        language: input.language,
        timezone: input.timezone.trim().to_owned(),
    };
    let mut problems = input.check();
    if input.timezone.parse::<chrono_tz::Tz>().is_err() {
        problems.push(parley_types::FieldError::new("timezone", phrase!("err-workspace-timezone")));
    }
    if !problems.is_empty() {
        return Err(ServiceError::InvalidFields(problems));
    }
    let mut w = svc.begin().await?;
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    let before = general_of(&ws);
    w.audit_change(actor, "workspace", &before, &input).await?;
    let mut active: workspace::ActiveModel = ws.into();
    active.name = Set(input.name.clone());
    active.slug = Set(input.slug.clone());
    active.logo_url = Set(input.logo_url.clone());
    active.language = Set(input.language.clone());
    active.timezone = Set(input.timezone.clone());
    let slug = input.slug.clone();
    active.update(w.txn()).await.map_err(|err| {
        conflict_on_unique(err, || ServiceError::Conflict(phrase!("err-workspace-slug-taken", value = &slug)))
    })?;
    w.notify(Operators(scope.workspace_id()), parley_types::OperatorEvent::WorkspaceChanged { general: input.clone() });
    w.commit().await?;
    Ok(input)
}

/// The workspaces `user` belongs to, by name, with how many conversations wait in Live in
/// each; `current` marks the session's.
pub async fn workspaces_of_user(
    db: &impl ConnectionTrait,
    user: UserId,
    current: WorkspaceId,
) -> ServiceResult<Vec<WorkspaceChoice>> {
    // unscoped: a user's memberships span workspaces, which is what this lists.
    let ids: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.0))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.workspace_id)
        .collect();
    let rows = workspace::Entity::find()
        .filter(workspace::Column::Id.is_in(ids))
        .filter(workspace::Column::DeletedAtMs.is_null())
        .all(db)
        .await?;
    // What waits in Live in each, in one grouped query.
    // unscoped: the user's own workspaces, listed above from their memberships.
    let waiting: std::collections::HashMap<i64, i64> = conversation::Entity::find()
        .select_only()
        .column(conversation::Column::WorkspaceId)
        .column_as(conversation::Column::Id.count(), "n")
        .filter(conversation::Column::WorkspaceId.is_in(rows.iter().map(|ws| ws.id)))
        .filter(conversation::Column::Status.eq(ConversationStatus::Open.as_str()))
        .filter(conversation::Column::AssigneeId.is_null())
        .group_by(conversation::Column::WorkspaceId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut out: Vec<WorkspaceChoice> = rows
        .into_iter()
        .map(|ws| WorkspaceChoice {
            id: WorkspaceId(ws.id),
            current: ws.id == current.0,
            waiting: waiting.get(&ws.id).copied().unwrap_or(0),
            name: ws.name,
            slug: ws.slug,
        })
        .collect();
    out.sort_by_key(|w| w.name.to_lowercase());
    Ok(out)
}

/// The member `actor` lists their workspaces.
pub async fn my_workspaces(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<WorkspaceChoice>> {
    let member = actor.member()?;
    workspaces_of_user(db, member.user_id, member.workspace_id).await
}

/// The workspace with address `slug` that `user` belongs to (for switching), or not found.
pub async fn membership_by_slug(db: &impl ConnectionTrait, user: UserId, slug: &str) -> ServiceResult<WorkspaceId> {
    let ws = workspace::Entity::find()
        .filter(workspace::Column::Slug.eq(slug.trim()))
        .filter(workspace::Column::DeletedAtMs.is_null())
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let member = Scope::unchecked(WorkspaceId(ws.id))
        .find::<membership::Entity>()
        .filter(membership::Column::UserId.eq(user.0))
        .one(db)
        .await?;
    member.map(|_| WorkspaceId(ws.id)).ok_or(ServiceError::NotFound)
}

/// A signed-in member makes a new workspace and owns it. With
/// `PARLEY_RESTRICT_WORKSPACE_CREATION` set, only owners of a workspace may.
pub async fn create_own(svc: &Services, actor: &Actor, name: &str) -> ServiceResult<WorkspaceChoice> {
    let member = actor.member()?.clone();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > parley_types::MAX_WORKSPACE_NAME {
        return Err(ServiceError::InvalidFields(vec![parley_types::FieldError::new(
            "name",
            phrase!("err-workspace-name", max = parley_types::MAX_WORKSPACE_NAME),
        )]));
    }
    if svc.config.restrict_workspace_creation && member.role != Role::Owner {
        return Err(ServiceError::Refused(phrase!("err-workspace-create-owners-only")));
    }
    let mut w = svc.begin().await?;
    let public_key = format!("pk_{}", crate::tokens::random_token(12));
    let ws = crate::workspaces::insert_owned(&mut w, name, &public_key, &[], member.user_id, now_ms()).await?;
    w.commit().await?;
    Ok(WorkspaceChoice { id: WorkspaceId(ws.id), name: ws.name, slug: ws.slug, current: false, waiting: 0 })
}

/// Makes member `to` an owner and the actor (an owner) an admin, in one write; both
/// members' sockets reconnect with their new role.
pub async fn transfer_ownership(svc: &Services, actor: &Actor, to: UserId) -> ServiceResult<()> {
    let scope = actor.require(Capability::OwnWorkspace)?;
    let me = actor.member()?.user_id;
    if to == me {
        return Err(ServiceError::Invalid(phrase!("err-workspace-transfer-self")));
    }
    let mut w = svc.begin().await?;
    let target = scope
        .find::<membership::Entity>()
        .filter(membership::Column::UserId.eq(to.0))
        .one(w.txn())
        .await?
        .ok_or(ServiceError::NotFound)?;
    // unscoped: the user row of a member just found in this workspace.
    let name = user::Entity::find_by_id(target.user_id).one(w.txn()).await?.map(|u| u.name).unwrap_or_default();
    for (user, role) in [(to, Role::Owner), (me, Role::Admin)] {
        scope
            .update_many::<membership::Entity>()
            .col_expr(membership::Column::Role, Expr::value(role.as_str()))
            .filter(membership::Column::UserId.eq(user.0))
            .exec(w.txn())
            .await?;
        w.notify(Sockets, Control::MemberChanged { user_id: user, workspace_id: scope.workspace_id() });
    }
    w.audit(actor, parley_types::AuditAction::MemberRoleChanged, name, serde_json::json!({ "transfer": "ownership" }))
        .await?;
    w.notify(Operators(scope.workspace_id()), parley_types::OperatorEvent::MembersChanged);
    w.commit().await?;
    Ok(())
}

/// Deletes the workspace (owners), once `typed` is its name: at once it answers as not
/// found and its members lose it (their sockets in it close; the sessions of those with no
/// other workspace end); its data and files go in the `workspace.delete` job.
pub async fn delete_workspace(svc: &Services, actor: &Actor, typed: &str) -> ServiceResult<()> {
    let scope = actor.require(Capability::OwnWorkspace)?;
    let mut w = svc.begin().await?;
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    if typed.trim() != ws.name {
        return Err(ServiceError::InvalidFields(vec![parley_types::FieldError::new(
            "name",
            phrase!("err-workspace-delete-name"),
        )]));
    }
    // unscoped: the workspace row itself, by the scope's id.
    workspace::Entity::update_many()
        .col_expr(workspace::Column::DeletedAtMs, Expr::value(now_ms()))
        .filter(workspace::Column::Id.eq(ws.id))
        .exec(w.txn())
        .await?;
    let members = scope.find::<membership::Entity>().all(w.txn()).await?;
    for member in &members {
        // Whether the member belongs to another workspace, where their session carries on
        // (it works in their first other one); otherwise it ends.
        // unscoped: the member's memberships across workspaces.
        let elsewhere = membership::Entity::find()
            .filter(membership::Column::UserId.eq(member.user_id))
            .filter(membership::Column::WorkspaceId.ne(ws.id))
            .count(w.txn())
            .await?;
        if elsewhere == 0 {
            crate::session_store::end_user_sessions(&mut w, member.user_id, Some(ws.id), None).await?;
        }
        w.notify(
            Sockets,
            Control::MemberChanged { user_id: UserId(member.user_id), workspace_id: scope.workspace_id() },
        );
    }
    scope.delete_many::<membership::Entity>().exec(w.txn()).await?;
    w.enqueue(
        NewJob::new(DELETE_JOB, serde_json::json!({ "workspace_id": ws.id }))
            .unique(format!("delete-workspace:{}", ws.id)),
    )
    .await?;
    tracing::info!(workspace = ws.id, "workspace deleted; its data goes in a job");
    w.commit().await?;
    Ok(())
}

/// Tables holding a workspace's rows, children before parents. Not `sessions`: a session is a
/// user's sign-in, which carries on in their other workspaces (those of members with none
/// ended when the workspace was deleted).
const TENANT_TABLES: &[&str] = &[
    "comment_mentions",
    "inbox_items",
    "comments",
    "conversation_labels",
    "conversation_reads",
    "attachments",
    "messages",
    "conversations",
    "contact_labels",
    "contact_field_values",
    "contact_notes",
    "contact_events",
    "visitor_tokens",
    "contacts",
    "contact_fields",
    "contact_imports",
    "segments",
    "department_members",
    "departments",
    "labels",
    "quick_replies",
    "saved_views",
    "push_subscriptions",
    "access_tokens",
    "invitations",
    "memberships",
    "audit_entries",
    "outbox",
    "jobs",
];

struct DeleteWorkspace;

#[async_trait::async_trait]
impl JobHandler for DeleteWorkspace {
    fn kind(&self) -> &'static str {
        DELETE_JOB
    }

    async fn run(&self, svc: &Services, w: &mut Write, job: &crate::entities::job::Model) -> Result<(), JobError> {
        let payload: serde_json::Value = serde_json::from_str(&job.payload)?;
        let id = payload["workspace_id"].as_i64().ok_or_else(|| JobError("no workspace in the job".into()))?;
        // unscoped: the workspace being deleted, by the job's id.
        let Some(ws) = workspace::Entity::find_by_id(id).one(w.txn()).await? else { return Ok(()) };
        if ws.deleted_at_ms.is_none() {
            return Ok(()); // never deleted (nothing to do)
        }
        // Files first: a failure leaves the rows, and the job runs again.
        for key in svc.files.keys(&format!("{id}/")).await {
            svc.files.delete(&key).await.map_err(|e| JobError(format!("file {key}: {e}")))?;
        }
        let backend = w.txn().get_database_backend();
        let placeholder = if backend == sea_orm::DatabaseBackend::Postgres { "$1" } else { "?" };
        // unscoped: the workspace row itself.
        workspace::Entity::update_many()
            .col_expr(workspace::Column::DefaultDepartmentId, Expr::value(None::<i64>))
            .filter(workspace::Column::Id.eq(id))
            .exec(w.txn())
            .await?;
        for table in TENANT_TABLES {
            let sql = format!("DELETE FROM {table} WHERE workspace_id = {placeholder}");
            w.txn().execute_raw(Statement::from_sql_and_values(backend, sql, [id.into()])).await?;
        }
        // unscoped: the workspace row itself.
        workspace::Entity::delete_by_id(id).exec(w.txn()).await?;
        tracing::info!(workspace = id, "workspace data removed");
        Ok(())
    }
}
