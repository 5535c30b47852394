//! Server functions for sessions and setup. Each is a public endpoint under `/api/`;
//! who may call it is said on each.

use leptos::prelude::*;
use parley_types::{Role, UserId, WorkspaceId};
use serde::{Deserialize, Serialize};

use crate::ApiError;

/// The signed-in operator as the UI knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub user_id: UserId,
    pub name: String,
    pub workspace_id: WorkspaceId,
    pub workspace_name: String,
    /// The workspace's address: its pages are under `/w/{slug}`.
    pub workspace_slug: String,
    pub role: Role,
    /// Capabilities granted on top of the role.
    #[serde(default)]
    pub grants: Vec<parley_types::Capability>,
}

impl CurrentUser {
    /// Whether the member holds `capability` by role or grant (the server checks the same).
    pub fn can(&self, capability: parley_types::Capability) -> bool {
        self.role.can(capability) || self.grants.contains(&capability)
    }
}

/// Where a visitor of the app stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionState {
    /// No workspace exists yet: show the setup page.
    NeedsSetup,
    SignedOut,
    SignedIn(CurrentUser),
    /// Signed in, but the workspace this address names is not one of the user's (or no
    /// longer exists).
    NotAMember,
}

/// Anyone: tells the app whether to show setup, sign-in or the inbox.
#[server(endpoint = "get_session_state")]
pub async fn get_session_state() -> Result<SessionState, ApiError> {
    use crate::ssr::{optional_member, services};
    let svc = services()?;
    if !parley_services::workspaces::any_workspace_exists(&svc.db).await? {
        return Ok(SessionState::NeedsSetup);
    }
    let Some(member) = optional_member().await? else {
        let signed_in = parley_services::auth::session_user(&crate::ssr::session().await?).await?.is_some();
        return Ok(if signed_in && crate::ssr::chosen_workspace().is_some() {
            SessionState::NotAMember
        } else {
            SessionState::SignedOut
        });
    };
    // The workspace a tab opens becomes the session's: where `/` and old addresses lead.
    if crate::ssr::chosen_workspace().is_some() {
        let session = crate::ssr::session().await?;
        let key = parley_services::auth::SESSION_WORKSPACE_KEY;
        if session.get::<i64>(key).await.ok().flatten() != Some(member.workspace_id.0) {
            session.insert(key, member.workspace_id.0).await.map_err(|_| ApiError::internal())?;
        }
    }
    let actor = parley_services::Actor::Member(member.clone());
    let workspace = parley_services::workspaces::get(&svc.db, actor.own_workspace()).await?;
    Ok(SessionState::SignedIn(CurrentUser {
        user_id: member.user_id,
        name: member.name,
        workspace_id: member.workspace_id,
        workspace_name: workspace.name,
        workspace_slug: workspace.slug,
        role: member.role,
        grants: member.grants,
    }))
}

/// Anyone: signs in with email and password. Attempts are throttled per client address
/// and per account (HTTP 429 with `Retry-After`; see `docs/SECURITY.md`).
#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), ApiError> {
    use crate::ssr::{client_ip, services, start_session};
    let svc = services()?;
    let client = client_ip().await?;
    let member = parley_services::auth::sign_in_from(&svc, &email, &password, client).await?;
    start_session(&member).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Anyone: ends the current session.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    use crate::ssr::{services, session};
    parley_services::auth::sign_out(&services()?, &session().await?).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Anyone, but only while no workspace exists: creates the first workspace and its
/// owner, and signs the owner in.
#[server(endpoint = "setup")]
pub async fn setup(
    workspace_name: String,
    name: String,
    email: String,
    password: String,
    origins: String,
) -> Result<(), ApiError> {
    use crate::ssr::{services, start_session};
    use parley_services::workspaces::{CreateWorkspace, create_workspace};
    let svc = services()?;
    let input = CreateWorkspace {
        workspace_name,
        owner_name: name,
        owner_email: email,
        owner_password: password,
        allowed_origins: origins.lines().map(str::to_owned).collect(),
    };
    let created = create_workspace(&svc, input, true).await?;
    // The password was just hashed; no need to verify it a second time.
    let member = parley_services::auth::current_member(&svc.db, created.owner_id, created.workspace_id).await?;
    start_session(&member).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Any member: their own availability (the header loads it once hydrated).
#[server(endpoint = "get_availability")]
pub async fn get_availability() -> Result<parley_types::Availability, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::members::availability(&svc.db, &actor).await?)
}

/// Any member: their own notification settings (desktop, sound).
#[server(endpoint = "get_notification_settings")]
pub async fn get_notification_settings() -> Result<parley_types::NotificationSettings, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::members::notification_settings(&svc.db, &actor).await?)
}

/// Any member: changes their own notification settings.
#[server(endpoint = "set_notification_settings")]
pub async fn set_notification_settings(
    desktop: bool,
    sound: bool,
) -> Result<parley_types::NotificationSettings, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let settings = parley_types::NotificationSettings { desktop, sound };
    Ok(parley_services::members::set_notification_settings(&svc, &actor, settings).await?)
}

/// Members: the key this Parley's Web Push notifications are signed with (VAPID, the
/// browser's `applicationServerKey`).
#[server(endpoint = "get_push_key")]
pub async fn get_push_key() -> Result<String, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::push::public_key(&svc, &actor).await?)
}

/// Members: this device receives Web Push notifications for them (as its
/// `PushSubscription` says: the push service's endpoint and the browser's keys).
#[server(endpoint = "subscribe_push")]
pub async fn subscribe_push(endpoint: String, p256dh: String, auth: String) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let subscription = parley_services::push::Subscription { endpoint, p256dh, auth };
    Ok(parley_services::push::subscribe(&svc, &actor, subscription).await?)
}

/// Members: this device no longer receives their Web Push notifications.
#[server(endpoint = "unsubscribe_push")]
pub async fn unsubscribe_push(endpoint: String) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::push::unsubscribe(&svc, &actor, &endpoint).await?)
}

/// Members who reply: sets their own availability (online, away, offline).
#[server(endpoint = "set_availability")]
pub async fn set_availability(
    availability: parley_types::Availability,
) -> Result<parley_types::Availability, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::members::set_availability(&svc, &actor, availability).await?)
}

/// Anyone with the link: what an invitation is for (workspace, role, whether the address
/// has an account). Unknown or revoked: 404; used: 409; expired: 400.
#[server(endpoint = "get_invitation")]
pub async fn get_invitation(token: String) -> Result<parley_types::InvitationPreview, ApiError> {
    let svc = crate::ssr::services()?;
    Ok(parley_services::invitations::preview(&svc, &token).await?)
}

/// Anyone with the link, once: accepts the invitation (a new account with `name` and
/// `password`, or the existing account's password) and signs in to that workspace.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    #[server(default)] name: String,
    password: String,
) -> Result<(), ApiError> {
    let svc = crate::ssr::services()?;
    let member = parley_services::invitations::accept(&svc, &token, &name, &password).await?;
    crate::ssr::start_session(&member).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Anyone: mails a password reset link when the address has an account whose workspace
/// sends mail. The answer never tells whether it has one.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), ApiError> {
    parley_services::profile::request_reset(&crate::ssr::services()?, &email).await?;
    // The page says so from its address too: a form sent before the app came to life (or
    // without JavaScript) lands there rather than on a blank form.
    leptos_axum::redirect("/forgot?sent=1");
    Ok(())
}

/// Anyone with a reset link: the address it is for (unknown: 404, used: 409, expired: 400).
#[server(endpoint = "get_password_reset")]
pub async fn get_password_reset(token: String) -> Result<String, ApiError> {
    Ok(parley_services::profile::reset_email(&crate::ssr::services()?, &token).await?)
}

/// Anyone with a reset link, once: sets the new password and ends every session of the
/// account; then the sign-in page.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), ApiError> {
    parley_services::profile::reset_password(&crate::ssr::services()?, &token, &password).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Any member: their own profile.
#[server(endpoint = "get_profile")]
pub async fn get_profile() -> Result<parley_types::Profile, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::profile::get(&svc.db, &actor).await?)
}

/// Any member: changes their own name, picture and language.
#[server(endpoint = "update_profile")]
pub async fn update_profile(
    name: String,
    #[server(default)] avatar_url: String,
    #[server(default)] language: String,
) -> Result<parley_types::Profile, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::profile::update(&svc, &actor, &name, &avatar_url, &language).await?)
}

/// Any member: changes their password (the current one first); their other sessions end.
/// Answers how many did.
#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<usize, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let keep = crate::ssr::session().await?.id().map(|id| id.to_string());
    Ok(parley_services::profile::change_password(&svc, &actor, keep.as_deref(), &current, &new).await?)
}

/// Any member: ends every one of their sessions, this one too; then the sign-in page.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<usize, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let ended = parley_services::profile::sign_out_everywhere(&svc, &actor).await?;
    leptos_axum::redirect("/login");
    Ok(ended)
}
