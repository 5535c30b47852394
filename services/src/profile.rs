//! A member's own account: name and picture, password change (the current password
//! first; the member's other sessions end), signing out everywhere, and password resets
//! (a single-use link valid one hour, asked for by email or made by an admin).

use parley_types::{
    AuditAction, Capability, FieldError, OperatorEvent, PASSWORD_RESET_MINUTES, Profile, Role, UserId, phrase,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::Services;
use crate::access::Actor;
use crate::auth::{new_password_problem, normalize_email, verify_password_off_thread};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{membership, password_reset, user};
use crate::error::{ServiceError, ServiceResult};
use crate::tokens::{random_token, token_digest};

async fn account(db: &impl ConnectionTrait, user_id: UserId) -> ServiceResult<user::Model> {
    user::Entity::find_by_id(user_id.0).one(db).await?.ok_or(ServiceError::Unauthorized)
}

fn to_profile(row: user::Model) -> Profile {
    Profile {
        user_id: UserId(row.id),
        name: row.name,
        email: row.email,
        avatar_url: row.avatar_url,
        language: row.language,
    }
}

/// The member's own profile. Any member (not a token).
pub async fn get(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Profile> {
    let Actor::Member(member) = actor else { return Err(ServiceError::Forbidden) };
    Ok(to_profile(account(db, member.user_id).await?))
}

/// Changes the member's name, picture (an https address, or empty) and language (one of
/// `APP_LANGUAGES`, or empty for the workspace's); every wrong field listed, nothing saved.
/// Teammates see the new name at once; the language applies from the member's next page.
pub async fn update(
    svc: &Services,
    actor: &Actor,
    name: &str,
    avatar_url: &str,
    language: &str,
) -> ServiceResult<Profile> {
    let Actor::Member(member) = actor else { return Err(ServiceError::Forbidden) };
    let name = name.trim();
    let avatar_url = avatar_url.trim();
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        problems.push(FieldError::new("name", phrase!("err-team-profile-name")));
    }
    if !avatar_url.is_empty()
        && (!avatar_url.starts_with("https://")
            || avatar_url.len() > 2_000
            || avatar_url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"'))
    {
        problems.push(FieldError::new("avatar_url", phrase!("err-team-profile-picture")));
    }
    if !language.is_empty() && !parley_types::APP_LANGUAGES.iter().any(|(code, _)| *code == language) {
        problems.push(FieldError::new("language", phrase!("err-team-profile-language", value = language)));
    }
    if !problems.is_empty() {
        return Err(ServiceError::InvalidFields(problems));
    }
    let mut w = svc.begin().await?;
    let row = account(w.txn(), member.user_id).await?;
    let before = json!({ "name": row.name, "avatar_url": row.avatar_url, "language": row.language });
    let mut active: user::ActiveModel = row.into();
    active.name = Set(name.to_owned());
    active.avatar_url = Set(avatar_url.to_owned());
    active.language = Set(language.to_owned());
    let row = active.update(w.txn()).await?;
    let after = json!({ "name": row.name, "avatar_url": row.avatar_url, "language": row.language });
    w.audit(actor, AuditAction::ProfileChanged, name, crate::audit::change(&before, &after)).await?;
    // Every workspace the member is in shows the new name.
    for workspace in crate::members::workspaces_of(w.txn(), member.user_id).await? {
        w.notify(Operators(parley_types::WorkspaceId(workspace)), OperatorEvent::MembersChanged);
    }
    w.commit().await?;
    Ok(to_profile(row))
}

/// Changes the member's password after checking the current one; their other sessions
/// (every workspace, every browser) end, `keep` (the session asking) stays.
pub async fn change_password(
    svc: &Services,
    actor: &Actor,
    keep: Option<&str>,
    current: &str,
    new: &str,
) -> ServiceResult<usize> {
    let Actor::Member(member) = actor else { return Err(ServiceError::Forbidden) };
    let row = account(&svc.db, member.user_id).await?;
    if !verify_password_off_thread(current, &row.password_hash).await? {
        return Err(ServiceError::InvalidFields(vec![FieldError::new(
            "current",
            phrase!("err-auth-not-current-password"),
        )]));
    }
    if let Some(problem) = new_password_problem(new) {
        return Err(ServiceError::InvalidFields(vec![FieldError::new("new", problem)]));
    }
    let hash = crate::auth::hash_password_off_thread(new).await?;
    let mut w = svc.begin().await?;
    let mut active: user::ActiveModel = account(w.txn(), member.user_id).await?.into();
    active.password_hash = Set(hash);
    active.update(w.txn()).await?;
    let ended = crate::session_store::end_user_sessions(&mut w, member.user_id.0, None, keep).await?;
    w.audit(actor, AuditAction::PasswordChanged, member.name.clone(), json!({ "other_sessions_ended": ended })).await?;
    w.commit().await?;
    Ok(ended)
}

/// Ends every session of the member, this one included, in every workspace.
pub async fn sign_out_everywhere(svc: &Services, actor: &Actor) -> ServiceResult<usize> {
    let Actor::Member(member) = actor else { return Err(ServiceError::Forbidden) };
    let mut w = svc.begin().await?;
    let ended = crate::session_store::end_user_sessions(&mut w, member.user_id.0, None, None).await?;
    w.audit(actor, AuditAction::SignOut, member.name.clone(), json!({ "everywhere": true, "sessions": ended })).await?;
    w.commit().await?;
    Ok(ended)
}

/// A new reset link for `user_id` (the token is in the link only).
async fn make_link(svc: &Services, user_id: i64, created_by: Option<i64>) -> ServiceResult<String> {
    let token = random_token(32);
    let now = now_ms();
    let w = svc.begin().await?;
    // Earlier links of this account stop working.
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAtMs, Expr::value(now))
        .filter(password_reset::Column::UserId.eq(user_id))
        .filter(password_reset::Column::UsedAtMs.is_null())
        .exec(w.txn())
        .await?;
    password_reset::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_digest(&token)),
        created_by: Set(created_by),
        created_at_ms: Set(now),
        expires_at_ms: Set(now + PASSWORD_RESET_MINUTES * 60_000),
        used_at_ms: Set(None),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    w.commit().await?;
    Ok(format!("{}/reset/{token}", svc.config.public_url.trim_end_matches('/')))
}

/// Anyone: mails a reset link to `email` when it has an account and one of its
/// workspaces can send mail. The answer is the same either way (it does not tell which
/// addresses have accounts).
pub async fn request_reset(svc: &Services, email: &str) -> ServiceResult<()> {
    let Ok(email) = normalize_email(email) else {
        return Err(ServiceError::InvalidFields(vec![FieldError::new("email", phrase!("err-auth-reset-email"))]));
    };
    let Some(row) = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&svc.db).await? else {
        return Ok(());
    };
    for workspace in crate::members::workspaces_of(&svc.db, UserId(row.id)).await? {
        let scope = crate::Scope::unchecked(parley_types::WorkspaceId(workspace));
        if !crate::mail::configured(&svc.db, scope).await? {
            continue;
        }
        let link = make_link(svc, row.id, None).await?;
        let mail = crate::mail::Mail {
            to: row.email.clone(),
            subject: "Reset your Parley password".into(),
            body: format!(
                "Someone (hopefully you) asked to reset the password of {} on Parley.\n\nChoose a new one here (valid for {PASSWORD_RESET_MINUTES} minutes, once):\n{link}\n\nIf it was not you, ignore this message: your password stays as it is.\n",
                row.email
            ),
        };
        if let Err(err) = crate::mail::send(svc, scope, mail).await {
            tracing::warn!(%err, "a password reset could not be mailed");
        }
        return Ok(());
    }
    tracing::info!("a password reset was asked for an account whose workspaces send no mail");
    Ok(())
}

/// An admin makes a reset link for a member of their workspace (to hand over). Needs
/// `manage members`; an owner's link needs an owner.
pub async fn reset_link_for(svc: &Services, actor: &Actor, user_id: UserId) -> ServiceResult<String> {
    let scope = actor.require(Capability::ManageMembers)?;
    let Actor::Member(admin) = actor else { return Err(ServiceError::Forbidden) };
    let row = scope
        .find::<membership::Entity>()
        .filter(membership::Column::UserId.eq(user_id.0))
        .one(&svc.db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if row.role == Role::Owner.as_str() && !actor.can(Capability::OwnWorkspace) {
        return Err(ServiceError::Forbidden);
    }
    let target = account(&svc.db, user_id).await?;
    let link = make_link(svc, user_id.0, Some(admin.user_id.0)).await?;
    crate::audit::record(
        svc,
        actor,
        AuditAction::PasswordReset,
        format!("{} <{}>", target.name, target.email),
        json!({ "link_made_by_admin": true }),
    )
    .await?;
    Ok(link)
}

async fn usable(db: &impl ConnectionTrait, token: &str) -> ServiceResult<password_reset::Model> {
    let row = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_digest(token.trim())))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if row.used_at_ms.is_some() {
        return Err(ServiceError::Conflict(phrase!("err-auth-reset-link-used")));
    }
    if row.expires_at_ms <= now_ms() {
        return Err(ServiceError::Invalid(phrase!("err-auth-reset-link-expired")));
    }
    Ok(row)
}

/// Anyone with a reset link: the address it is for.
pub async fn reset_email(svc: &Services, token: &str) -> ServiceResult<String> {
    let row = usable(&svc.db, token).await?;
    Ok(account(&svc.db, UserId(row.user_id)).await?.email)
}

/// Anyone with a reset link, once: sets a new password and ends every session of the
/// account.
pub async fn reset_password(svc: &Services, token: &str, new: &str) -> ServiceResult<()> {
    let row = usable(&svc.db, token).await?;
    if let Some(problem) = new_password_problem(new) {
        return Err(ServiceError::InvalidFields(vec![FieldError::new("password", problem)]));
    }
    let hash = crate::auth::hash_password_off_thread(new).await?;
    let mut w = svc.begin().await?;
    let claimed = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAtMs, Expr::value(now_ms()))
        .filter(password_reset::Column::Id.eq(row.id))
        .filter(password_reset::Column::UsedAtMs.is_null())
        .exec(w.txn())
        .await?
        .rows_affected;
    if claimed == 0 {
        return Err(ServiceError::Conflict(phrase!("err-auth-reset-link-used")));
    }
    let target = account(w.txn(), UserId(row.user_id)).await?;
    let name = target.name.clone();
    let email = target.email.clone();
    let mut active: user::ActiveModel = target.into();
    active.password_hash = Set(hash);
    active.update(w.txn()).await?;
    crate::session_store::end_user_sessions(&mut w, row.user_id, None, None).await?;
    for workspace in crate::members::workspaces_of(w.txn(), UserId(row.user_id)).await? {
        let system = Actor::System(parley_types::WorkspaceId(workspace));
        let details = json!({ "by_link_from_admin": row.created_by.is_some() });
        w.audit(&system, AuditAction::PasswordReset, format!("{name} <{email}>"), details).await?;
    }
    w.commit().await
}
