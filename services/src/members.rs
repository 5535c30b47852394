//! Workspace members: adding a user with a role (invitations and their UI come with the
//! administration issue; tests and the CLI use this to create admins and operators).

use parley_types::{
    Availability, Capability, NotificationSettings, OperatorEvent, Role, Teammate, UserId, WorkspaceId,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Services;
use crate::access::{Actor, Member};
use crate::auth::{check_new_password, normalize_email};
use crate::clock::now_ms;
use crate::entities::{membership, user};
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
        return Err(ServiceError::Invalid("A name of 1 to 200 characters is required.".into()));
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
                return Err(ServiceError::Conflict("The account changed meanwhile; try again.".into()));
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
        return Err(ServiceError::Conflict(format!("{} is already a member.", user.email)));
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
    w.commit().await?;
    Ok(Member {
        user_id: UserId(user.id),
        name: user.name,
        workspace_id: scope.workspace_id(),
        role: input.role,
        grants: vec![],
    })
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
