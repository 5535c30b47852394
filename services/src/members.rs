//! Workspace members: adding a user with a role (invitations and their UI come with the
//! administration issue; tests and the CLI use this to create admins and operators).

use parley_types::{
    AuditAction, Availability, Capability, NotificationSettings, OperatorEvent, Phrase, Role, TeamMember, Teammate,
    UserId, WorkspaceId, phrase,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Services;
use crate::access::{Actor, Member};
use crate::auth::{check_new_password, normalize_email};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{access_token, conversation, department_member, membership, push_subscription, user};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;

/// A member to add.
#[derive(Debug, Clone)]
pub struct AddMember {
    pub email: String,
    pub name: String,
    /// Used only when the email has no account yet.
    pub password: String,
    pub role: Role,
}

/// Adds a user (created when the email is new) to the actor's workspace with a role.
/// Needs `manage members`; only owners may add owners.
pub async fn add_member(svc: &Services, actor: &Actor, input: AddMember) -> ServiceResult<Member> {
    let scope = actor.require(Capability::ManageMembers)?;
    if input.role == Role::Owner && !matches!(actor, Actor::Member(m) if m.role == Role::Owner) {
        return Err(ServiceError::Forbidden);
    }
    let email = normalize_email(&input.email)?;
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ServiceError::Invalid(phrase!("err-team-name-required")));
    }
    let existing = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&svc.db).await?;
    let password_hash = match existing {
        Some(_) => None,
        None => {
            check_new_password(&input.password)?;
            Some(crate::auth::hash_password_off_thread(&input.password).await?)
        }
    };
    let now = now_ms();
    let mut w = svc.begin().await?;
    let user = match user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(w.txn()).await? {
        Some(user) => user,
        None => {
            let Some(password_hash) = password_hash else {
                return Err(ServiceError::Conflict(phrase!("err-team-account-changed")));
            };
            user::ActiveModel {
                email: Set(email),
                name: Set(name),
                password_hash: Set(password_hash),
                created_at_ms: Set(now),
                ..Default::default()
            }
            .insert(w.txn())
            .await?
        }
    };
    let already =
        scope.find::<membership::Entity>().filter(membership::Column::UserId.eq(user.id)).one(w.txn()).await?;
    if already.is_some() {
        return Err(ServiceError::Conflict(phrase!("err-team-already-member", email = &user.email)));
    }
    membership::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        user_id: Set(user.id),
        role: Set(input.role.as_str().to_owned()),
        grants: Set(String::new()),
        created_at_ms: Set(now),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    w.record(scope.workspace_id(), DomainEvent::MemberAdded { user_id: UserId(user.id), role: input.role });
    let details = serde_json::json!({ "role": input.role });
    w.audit(actor, AuditAction::MemberAdded, format!("{} <{}>", user.name, user.email), details).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::MembersChanged);
    w.commit().await?;
    Ok(Member {
        user_id: UserId(user.id),
        name: user.name,
        workspace_id: scope.workspace_id(),
        role: input.role,
        grants: vec![],
    })
}

/// The workspace's members with their email, role and grants, by name. Needs `manage
/// members`.
pub async fn list_members(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<TeamMember>> {
    let scope = actor.require(Capability::ManageMembers)?;
    let rows = scope
        .find::<membership::Entity>()
        .find_also_related(user::Entity)
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?;
    rows.into_iter()
        .filter_map(|(membership, user)| user.map(|user| (membership, user)))
        .map(|(membership, user)| {
            Ok(TeamMember {
                user_id: UserId(user.id),
                name: user.name,
                email: user.email,
                role: role_of(&membership)?,
                grants: grants_of(&membership),
                availability: availability_of(&membership),
                joined_at_ms: membership.created_at_ms,
            })
        })
        .collect()
}

fn role_of(row: &membership::Model) -> ServiceResult<Role> {
    row.role.parse().map_err(|err: parley_types::ParseEnumError| ServiceError::Internal(err.to_string()))
}

fn grants_of(row: &membership::Model) -> Vec<Capability> {
    row.grants.lines().filter_map(Capability::parse).collect()
}

/// The membership of `user` in the scope's workspace, with the account.
async fn membership_with_user(
    db: &impl ConnectionTrait,
    scope: crate::Scope,
    user: UserId,
) -> ServiceResult<(membership::Model, user::Model)> {
    let (row, account) = scope
        .find::<membership::Entity>()
        .filter(membership::Column::UserId.eq(user.0))
        .find_also_related(user::Entity)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok((row, account.ok_or(ServiceError::NotFound)?))
}

/// Refuses to leave the workspace without an owner, saying `refusal`.
async fn keep_an_owner(db: &impl ConnectionTrait, scope: crate::Scope, refusal: Phrase) -> ServiceResult<()> {
    use sea_orm::PaginatorTrait;
    let owners =
        scope.find::<membership::Entity>().filter(membership::Column::Role.eq(Role::Owner.as_str())).count(db).await?;
    if owners <= 1 {
        return Err(ServiceError::Conflict(refusal));
    }
    Ok(())
}

/// Gives a member another role and, for operators, grants (others hold them all by
/// role). Needs `manage members`; owners (becoming or ceasing to be one) need an owner.
/// The last owner cannot be demoted. Applies from the member's next request; their open
/// sockets close and reconnect with the new role.
pub async fn change_role(
    svc: &Services,
    actor: &Actor,
    user_id: UserId,
    role: Role,
    grants: &[Capability],
) -> ServiceResult<TeamMember> {
    let scope = actor.require(Capability::ManageMembers)?;
    if let Some(bad) = grants.iter().find(|g| !Capability::GRANTABLE.contains(g)) {
        return Err(ServiceError::InvalidFields(vec![parley_types::FieldError::new(
            "grants",
            phrase!("err-team-grant-not-grantable", capability = bad.label()),
        )]));
    }
    let mut grants: Vec<Capability> = if role == Role::Operator { grants.to_vec() } else { Vec::new() };
    grants.sort();
    grants.dedup();
    let mut w = svc.begin().await?;
    let (row, account) = membership_with_user(w.txn(), scope, user_id).await?;
    let before_role = role_of(&row)?;
    let before_grants = grants_of(&row);
    if (before_role == Role::Owner || role == Role::Owner) && !actor.can(Capability::OwnWorkspace) {
        return Err(ServiceError::Forbidden);
    }
    if before_role == Role::Owner && role != Role::Owner {
        keep_an_owner(w.txn(), scope, phrase!("err-team-last-owner-demoted")).await?;
    }
    let mut member = TeamMember {
        user_id,
        name: account.name.clone(),
        email: account.email.clone(),
        role,
        grants: grants.clone(),
        availability: availability_of(&row),
        joined_at_ms: row.created_at_ms,
    };
    if before_role == role && before_grants == grants {
        return Ok(member);
    }
    let mut active: membership::ActiveModel = row.into();
    active.role = Set(role.as_str().to_owned());
    active.grants = Set(grants.iter().map(|g| g.as_str()).collect::<Vec<_>>().join("\n"));
    let row = active.update(w.txn()).await?;
    member.grants = grants_of(&row);
    w.record(scope.workspace_id(), DomainEvent::MemberRoleChanged { user_id, role, grants: member.grants.clone() });
    let details = crate::audit::change(
        &serde_json::json!({ "role": before_role, "grants": before_grants }),
        &serde_json::json!({ "role": role, "grants": member.grants }),
    );
    w.audit(actor, AuditAction::MemberRoleChanged, format!("{} <{}>", account.name, account.email), details).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::MembersChanged);
    w.notify(crate::bus::Sockets, crate::bus::Control::MemberChanged { user_id, workspace_id: scope.workspace_id() });
    w.commit().await?;
    Ok(member)
}

/// Removes a member from the workspace (a member may also leave). Their sessions in it
/// end and their sockets close at once; the conversations assigned to them go back to
/// Live; their department places, devices and API tokens go. Needs `manage members` (or
/// being the member); removing an owner needs an owner; the last owner stays. Answers
/// how many conversations went back to Live.
pub async fn remove_member(svc: &Services, actor: &Actor, user_id: UserId) -> ServiceResult<u64> {
    let leaving = actor.member().is_ok_and(|m| m.user_id == user_id) && !matches!(actor, Actor::Token(_));
    let scope = if leaving { actor.own_workspace() } else { actor.require(Capability::ManageMembers)? };
    let mut w = svc.begin().await?;
    let (row, account) = membership_with_user(w.txn(), scope, user_id).await?;
    let role = role_of(&row)?;
    if role == Role::Owner {
        if !leaving && !actor.can(Capability::OwnWorkspace) {
            return Err(ServiceError::Forbidden);
        }
        keep_an_owner(w.txn(), scope, phrase!("err-team-last-owner-removed")).await?;
    }
    let target = format!("{} <{}>", account.name, account.email);
    let (kind, by_name) = match actor {
        Actor::Member(m) | Actor::Token(crate::access::Token { member: m, .. }) => ("member", m.name.clone()),
        _ => ("parley", "Parley".to_owned()),
    };
    let by = actor.member().ok().map(|m| m.user_id.0);
    // Their conversations wait for someone else.
    let assigned = scope
        .find::<conversation::Entity>()
        .filter(conversation::Column::AssigneeId.eq(user_id.0))
        .filter(conversation::Column::Status.ne(parley_types::ConversationStatus::Closed.as_str()))
        .all(w.txn())
        .await?;
    let released = assigned.len() as u64;
    let line = phrase!("line-member-removed", actor = kind, name = by_name, member = &account.name);
    let now = now_ms();
    for conversation in assigned {
        let updated = crate::conversations::assign_in(&mut w, scope, conversation, None, by, &line, now).await?;
        let summary = crate::conversations::summary_of(w.txn(), scope, &updated).await?;
        w.notify(Operators(scope.workspace_id()), OperatorEvent::ConversationChanged { conversation: summary });
    }
    scope
        .delete_many::<department_member::Entity>()
        .filter(department_member::Column::UserId.eq(user_id.0))
        .exec(w.txn())
        .await?;
    scope
        .delete_many::<access_token::Entity>()
        .filter(access_token::Column::UserId.eq(user_id.0))
        .exec(w.txn())
        .await?;
    scope
        .delete_many::<push_subscription::Entity>()
        .filter(push_subscription::Column::UserId.eq(user_id.0))
        .exec(w.txn())
        .await?;
    scope.delete_many::<membership::Entity>().filter(membership::Column::Id.eq(row.id)).exec(w.txn()).await?;
    crate::session_store::end_user_sessions(&mut w, user_id.0, Some(scope.workspace_id().0), None).await?;
    crate::departments::queue_dispatch(&mut w, scope).await?;
    w.record(scope.workspace_id(), DomainEvent::MemberRemoved { user_id });
    let details = serde_json::json!({ "role": role, "conversations_to_live": released, "left": leaving });
    w.audit(actor, AuditAction::MemberRemoved, target, details).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::MembersChanged);
    w.notify(Operators(scope.workspace_id()), OperatorEvent::AccessTokensChanged);
    w.notify(crate::bus::Sockets, crate::bus::Control::MemberChanged { user_id, workspace_id: scope.workspace_id() });
    w.commit().await?;
    Ok(released)
}

/// The workspaces `user_id` is a member of.
pub(crate) async fn workspaces_of(db: &impl ConnectionTrait, user_id: UserId) -> ServiceResult<Vec<i64>> {
    // unscoped: a member's own memberships, across workspaces.
    Ok(membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id.0))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.workspace_id)
        .collect())
}

/// The workspace's members by name, as teammates see them (to assign a conversation).
/// Needs `read conversations`.
pub async fn list_teammates(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<Teammate>> {
    let scope = actor.require(Capability::ReadConversations)?;
    let rows = scope
        .find::<membership::Entity>()
        .find_also_related(user::Entity)
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?;
    rows.into_iter()
        .filter_map(|(membership, user)| user.map(|user| (membership, user)))
        .map(|(membership, user)| {
            let role = membership
                .role
                .parse()
                .map_err(|err: parley_types::ParseEnumError| ServiceError::Internal(err.to_string()))?;
            let availability = availability_of(&membership);
            Ok(Teammate { user_id: UserId(user.id), name: user.name, role, availability })
        })
        .collect()
}

/// The member's availability. Needs a member.
pub async fn availability(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Availability> {
    let member = actor.member()?;
    let row = membership_of(db, member.workspace_id, member.user_id).await?;
    Ok(availability_of(&row))
}

/// The member's own notification settings. Any member.
pub async fn notification_settings(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<NotificationSettings> {
    let member = actor.member()?;
    let row = membership_of(db, member.workspace_id, member.user_id).await?;
    Ok(NotificationSettings { desktop: row.notify_desktop, sound: row.notify_sound })
}

/// Changes the member's own notification settings (nobody else's). Any member.
pub async fn set_notification_settings(
    svc: &Services,
    actor: &Actor,
    settings: NotificationSettings,
) -> ServiceResult<NotificationSettings> {
    let member = actor.member()?;
    let w = svc.begin().await?;
    let row = membership_of(w.txn(), member.workspace_id, member.user_id).await?;
    let mut active: membership::ActiveModel = row.into();
    active.notify_desktop = Set(settings.desktop);
    active.notify_sound = Set(settings.sound);
    active.update(w.txn()).await?;
    w.commit().await?;
    Ok(settings)
}

/// A membership's stored availability (an unknown value, from a newer version, reads as
/// offline: nobody is given conversations by mistake).
pub(crate) fn availability_of(row: &membership::Model) -> Availability {
    row.availability.parse().unwrap_or(Availability::Offline)
}

/// Sets the member's own availability; teammates see it at once. Needs `reply in
/// conversations`.
pub async fn set_availability(
    svc: &Services,
    actor: &Actor,
    availability: Availability,
) -> ServiceResult<Availability> {
    actor.require(Capability::ReplyConversations)?;
    let member = actor.member()?;
    let mut w = svc.begin().await?;
    change_availability(&mut w, member.workspace_id, member.user_id, availability, false).await?;
    w.commit().await?;
    Ok(availability)
}

/// Stores a member's availability (`auto`: Parley set it, not the member) and tells the
/// workspace's operators, in `w`.
pub(crate) async fn change_availability(
    w: &mut crate::Write,
    workspace: WorkspaceId,
    user: UserId,
    availability: Availability,
    auto: bool,
) -> ServiceResult<()> {
    let row = membership_of(w.txn(), workspace, user).await?;
    let mut active: membership::ActiveModel = row.into();
    active.availability = Set(availability.as_str().to_owned());
    active.availability_auto = Set(auto);
    active.update(w.txn()).await?;
    w.record(workspace, crate::events::DomainEvent::AvailabilityChanged { user_id: user, availability, auto });
    w.notify(crate::bus::Operators(workspace), OperatorEvent::AvailabilityChanged { user_id: user, availability });
    // Someone came online: conversations waiting for a department may go to them now.
    if availability == Availability::Online {
        crate::departments::queue_dispatch(w, crate::access::Scope::unchecked(workspace)).await?;
    }
    Ok(())
}

/// A member's row in a workspace.
pub(crate) async fn membership_of(
    db: &impl ConnectionTrait,
    workspace: WorkspaceId,
    user: UserId,
) -> ServiceResult<membership::Model> {
    crate::access::Scope::unchecked(workspace)
        .find::<membership::Entity>()
        .filter(membership::Column::UserId.eq(user.0))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}
