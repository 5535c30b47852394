//! Invitations: owners and admins invite an address with a role (and departments). The
//! link carries a token of 32 random bytes; Parley keeps its SHA-256, so the link is
//! shown (or mailed) once. It is valid for 7 days and works once: accepting creates the
//! account (or, for an address that has one, asks its password) and adds the membership.
//! Resending makes a new link (the old one stops working); revoking deletes it.

use parley_types::{
    AuditAction, Capability, DepartmentId, FieldError, INVITATION_DAYS, Invitation, InvitationPreview, NewInvitation,
    OperatorEvent, Role, UserId, phrase,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Services;
use crate::access::{Actor, Member, Scope};
use crate::auth::{new_password_problem, normalize_email, verify_password_off_thread};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{department, department_member, invitation, membership, user};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::tokens::{random_token, token_digest};

const DAY_MS: i64 = 24 * 3600 * 1000;

fn to_invitation(row: &invitation::Model, invited_by: Option<String>) -> ServiceResult<Invitation> {
    Ok(Invitation {
        id: row.id,
        email: row.email.clone(),
        role: row.role.parse().map_err(|e: parley_types::ParseEnumError| ServiceError::Internal(e.to_string()))?,
        departments: row.departments.lines().filter_map(|l| l.parse().ok()).map(DepartmentId).collect(),
        invited_by,
        created_at_ms: row.created_at_ms,
        expires_at_ms: row.expires_at_ms,
        sent_at_ms: row.sent_at_ms,
    })
}

async fn name_of(db: &impl ConnectionTrait, user_id: Option<i64>) -> ServiceResult<Option<String>> {
    let Some(id) = user_id else { return Ok(None) };
    Ok(user::Entity::find_by_id(id).one(db).await?.map(|u| u.name))
}

/// The pending invitations (not yet accepted), newest first. Needs `manage members`.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<Invitation>> {
    let scope = actor.require(Capability::ManageMembers)?;
    let rows = scope
        .find::<invitation::Entity>()
        .filter(invitation::Column::AcceptedAtMs.is_null())
        .order_by_desc(invitation::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(to_invitation(row, name_of(db, row.invited_by).await?)?);
    }
    Ok(out)
}

fn check_role(actor: &Actor, role: Role) -> ServiceResult<()> {
    if role == Role::Owner && !actor.can(Capability::OwnWorkspace) {
        return Err(ServiceError::Forbidden);
    }
    Ok(())
}

/// Invites `email` with `role` into `departments`. Refused when the address is already
/// a member or already invited (resend that invitation instead). Needs `manage members`;
/// inviting an owner needs an owner.
pub async fn invite(
    svc: &Services,
    actor: &Actor,
    email: &str,
    role: Role,
    departments: &[DepartmentId],
) -> ServiceResult<NewInvitation> {
    let scope = actor.require(Capability::ManageMembers)?;
    check_role(actor, role)?;
    let email = normalize_email(email)
        .map_err(|_| ServiceError::InvalidFields(vec![FieldError::new("email", phrase!("err-team-invite-email"))]))?;
    let mut departments = departments.to_vec();
    departments.sort();
    departments.dedup();
    let mut w = svc.begin().await?;
    for id in &departments {
        scope
            .find::<department::Entity>()
            .filter(department::Column::Id.eq(id.0))
            .one(w.txn())
            .await?
            .ok_or_else(|| ServiceError::Invalid(phrase!("err-team-department-gone")))?;
    }
    if let Some(account) = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(w.txn()).await? {
        let member =
            scope.find::<membership::Entity>().filter(membership::Column::UserId.eq(account.id)).one(w.txn()).await?;
        if member.is_some() {
            return Err(ServiceError::Conflict(phrase!("err-team-already-member", email = &email)));
        }
    }
    let pending = scope
        .find::<invitation::Entity>()
        .filter(invitation::Column::Email.eq(email.as_str()))
        .filter(invitation::Column::AcceptedAtMs.is_null())
        .one(w.txn())
        .await?;
    if pending.is_some() {
        return Err(ServiceError::Conflict(phrase!("err-team-already-invited", email = &email)));
    }
    let token = random_token(32);
    let now = now_ms();
    let row = invitation::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        email: Set(email.clone()),
        role: Set(role.as_str().to_owned()),
        departments: Set(departments.iter().map(|d| d.0.to_string()).collect::<Vec<_>>().join("\n")),
        token_hash: Set(token_digest(&token)),
        invited_by: Set(actor.member().ok().map(|m| m.user_id.0)),
        created_at_ms: Set(now),
        expires_at_ms: Set(now + INVITATION_DAYS * DAY_MS),
        sent_at_ms: Set(None),
        accepted_at_ms: Set(None),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    let details = serde_json::json!({ "role": role, "departments": departments });
    w.audit(actor, AuditAction::InvitationCreated, email, details).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::MembersChanged);
    w.commit().await?;
    deliver(svc, actor, scope, row, token).await
}

/// Mails the invitation when the workspace has mail settings; the answer carries the
/// link either way.
async fn deliver(
    svc: &Services,
    actor: &Actor,
    scope: Scope,
    row: invitation::Model,
    token: String,
) -> ServiceResult<NewInvitation> {
    let link = format!("{}/invite/{token}", svc.config.public_url.trim_end_matches('/'));
    let inviter = actor.member().ok().map(|m| m.name.clone());
    let ws = crate::workspaces::get(&svc.db, scope).await?;
    let mail = crate::mail::Mail {
        to: row.email.clone(),
        subject: format!("You are invited to {} on Parley", ws.name),
        body: format!(
            "{} invited you to join {} on Parley.\n\nAccept the invitation (valid for {INVITATION_DAYS} days, once):\n{link}\n",
            inviter.clone().unwrap_or_else(|| "Someone".into()),
            ws.name,
        ),
    };
    let (emailed, mail_error, row) = match crate::mail::send(svc, scope, mail).await {
        Ok(true) => {
            let w = svc.begin().await?;
            let mut active: invitation::ActiveModel = row.into();
            active.sent_at_ms = Set(Some(now_ms()));
            let row = active.update(w.txn()).await?;
            w.commit().await?;
            (true, None, row)
        }
        Ok(false) => (false, None, row),
        Err(sentence) => {
            tracing::warn!(error = %sentence, "an invitation could not be mailed");
            (false, Some(sentence), row)
        }
    };
    Ok(NewInvitation { invitation: to_invitation(&row, inviter)?, link, emailed, mail_error })
}

async fn pending_in(db: &impl ConnectionTrait, scope: Scope, id: i64) -> ServiceResult<invitation::Model> {
    scope
        .find::<invitation::Entity>()
        .filter(invitation::Column::Id.eq(id))
        .filter(invitation::Column::AcceptedAtMs.is_null())
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Makes a new link for a pending invitation (the old one stops working), valid 7 days
/// from now, and mails it again. Needs `manage members`.
pub async fn resend(svc: &Services, actor: &Actor, id: i64) -> ServiceResult<NewInvitation> {
    let scope = actor.require(Capability::ManageMembers)?;
    let mut w = svc.begin().await?;
    let row = pending_in(w.txn(), scope, id).await?;
    check_role(actor, row.role.parse().unwrap_or(Role::Owner))?;
    let token = random_token(32);
    let email = row.email.clone();
    let mut active: invitation::ActiveModel = row.into();
    active.token_hash = Set(token_digest(&token));
    active.expires_at_ms = Set(now_ms() + INVITATION_DAYS * DAY_MS);
    let row = active.update(w.txn()).await?;
    w.audit(actor, AuditAction::InvitationCreated, email, serde_json::json!({ "resent": true })).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::MembersChanged);
    w.commit().await?;
    deliver(svc, actor, scope, row, token).await
}

/// Revokes a pending invitation: its link stops working. Needs `manage members`.
pub async fn revoke(svc: &Services, actor: &Actor, id: i64) -> ServiceResult<()> {
    let scope = actor.require(Capability::ManageMembers)?;
    let mut w = svc.begin().await?;
    let row = pending_in(w.txn(), scope, id).await?;
    check_role(actor, row.role.parse().unwrap_or(Role::Owner))?;
    scope.delete_many::<invitation::Entity>().filter(invitation::Column::Id.eq(id)).exec(w.txn()).await?;
    w.audit(actor, AuditAction::InvitationRevoked, row.email, serde_json::json!({ "role": row.role })).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::MembersChanged);
    w.commit().await
}

/// The usable invitation a link's token names: unknown or revoked is not found; used or
/// expired says so.
async fn usable(db: &impl ConnectionTrait, token: &str) -> ServiceResult<invitation::Model> {
    // unscoped: the token is the only thing a visitor of the link has; it names one row.
    let row = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_digest(token.trim())))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if row.accepted_at_ms.is_some() {
        return Err(ServiceError::Conflict(phrase!("err-team-invitation-used")));
    }
    if row.expires_at_ms <= now_ms() {
        return Err(ServiceError::Invalid(phrase!("err-team-invitation-expired")));
    }
    Ok(row)
}

/// What the invitation page shows. Anyone with the link.
pub async fn preview(svc: &Services, token: &str) -> ServiceResult<InvitationPreview> {
    let row = usable(&svc.db, token).await?;
    let ws = crate::workspaces::get(&svc.db, Scope::unchecked(parley_types::WorkspaceId(row.workspace_id))).await?;
    let has_account =
        user::Entity::find().filter(user::Column::Email.eq(row.email.as_str())).one(&svc.db).await?.is_some();
    Ok(InvitationPreview {
        workspace_name: ws.name,
        email: row.email.clone(),
        role: row.role.parse().map_err(|e: parley_types::ParseEnumError| ServiceError::Internal(e.to_string()))?,
        invited_by: name_of(&svc.db, row.invited_by).await?,
        has_account,
    })
}

/// Accepts an invitation, once: a new address gets an account with `name` and
/// `password`; an address with an account proves it with its password. Answers the new
/// member (the caller starts their session). Anyone with the link.
pub async fn accept(svc: &Services, token: &str, name: &str, password: &str) -> ServiceResult<Member> {
    let row = usable(&svc.db, token).await?;
    let existing = user::Entity::find().filter(user::Column::Email.eq(row.email.as_str())).one(&svc.db).await?;
    let new_hash = match &existing {
        Some(account) => {
            if !verify_password_off_thread(password, &account.password_hash).await? {
                return Err(ServiceError::InvalidFields(vec![FieldError::new(
                    "password",
                    phrase!("err-auth-not-password-of", email = &row.email),
                )]));
            }
            None
        }
        None => {
            let mut problems = Vec::new();
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                problems.push(FieldError::new("name", phrase!("err-team-name-required")));
            }
            if let Some(problem) = new_password_problem(password) {
                problems.push(FieldError::new("password", problem));
            }
            if !problems.is_empty() {
                return Err(ServiceError::InvalidFields(problems));
            }
            Some(crate::auth::hash_password_off_thread(password).await?)
        }
    };
    let scope = Scope::unchecked(parley_types::WorkspaceId(row.workspace_id));
    let now = now_ms();
    let mut w = svc.begin().await?;
    // Single use, even when two tabs accept at once: only one update finds it unused.
    let claimed = scope
        .update_many::<invitation::Entity>()
        .col_expr(invitation::Column::AcceptedAtMs, Expr::value(now))
        .filter(invitation::Column::Id.eq(row.id))
        .filter(invitation::Column::AcceptedAtMs.is_null())
        .exec(w.txn())
        .await?
        .rows_affected;
    if claimed == 0 {
        return Err(ServiceError::Conflict(phrase!("err-team-invitation-used")));
    }
    let account = match (existing, new_hash) {
        (Some(account), _) => account,
        (None, Some(password_hash)) => user::ActiveModel {
            email: Set(row.email.clone()),
            name: Set(name.trim().to_owned()),
            password_hash: Set(password_hash),
            created_at_ms: Set(now),
            ..Default::default()
        }
        .insert(w.txn())
        .await
        .map_err(|_| ServiceError::Conflict(phrase!("err-team-account-made-elsewhere")))?,
        (None, None) => return Err(ServiceError::Internal("no password hash for a new account".into())),
    };
    let already =
        scope.find::<membership::Entity>().filter(membership::Column::UserId.eq(account.id)).one(w.txn()).await?;
    if already.is_some() {
        return Err(ServiceError::Conflict(phrase!("err-team-already-member", email = &account.email)));
    }
    let role: Role =
        row.role.parse().map_err(|e: parley_types::ParseEnumError| ServiceError::Internal(e.to_string()))?;
    membership::ActiveModel {
        workspace_id: Set(row.workspace_id),
        user_id: Set(account.id),
        role: Set(role.as_str().to_owned()),
        grants: Set(String::new()),
        created_at_ms: Set(now),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    for department_id in row.departments.lines().filter_map(|l| l.parse::<i64>().ok()) {
        let exists =
            scope.find::<department::Entity>().filter(department::Column::Id.eq(department_id)).one(w.txn()).await?;
        if exists.is_some() {
            department_member::ActiveModel {
                department_id: Set(department_id),
                user_id: Set(account.id),
                workspace_id: Set(row.workspace_id),
                last_assigned_at_ms: Set(None),
            }
            .insert(w.txn())
            .await?;
        }
    }
    let member = Member {
        user_id: UserId(account.id),
        name: account.name.clone(),
        workspace_id: scope.workspace_id(),
        role,
        grants: vec![],
    };
    w.record(scope.workspace_id(), DomainEvent::MemberAdded { user_id: member.user_id, role });
    let target = format!("{} <{}>", account.name, account.email);
    w.audit(
        &Actor::Member(member.clone()),
        AuditAction::InvitationAccepted,
        target,
        serde_json::json!({ "role": role }),
    )
    .await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::MembersChanged);
    w.commit().await?;
    Ok(member)
}
