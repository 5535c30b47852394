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
    pub role: Role,
}

/// Where a visitor of the app stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionState {
    /// No workspace exists yet: show the setup page.
    NeedsSetup,
    SignedOut,
    SignedIn(CurrentUser),
}

/// Anyone: tells the app whether to show setup, sign-in or the inbox.
#[server(endpoint = "get_session_state")]
pub async fn get_session_state() -> Result<SessionState, ApiError> {
    use crate::ssr::{optional_member, services};
    let svc = services()?;
    if !parley_services::workspaces::any_workspace_exists(&svc.db).await? {
        return Ok(SessionState::NeedsSetup);
    }
    let Some(member) = optional_member().await? else { return Ok(SessionState::SignedOut) };
    let actor = parley_services::Actor::Member(member.clone());
    let workspace = parley_services::workspaces::get(&svc.db, actor.own_workspace()).await?;
    Ok(SessionState::SignedIn(CurrentUser {
        user_id: member.user_id,
        name: member.name,
        workspace_id: member.workspace_id,
        workspace_name: workspace.name,
        role: member.role,
    }))
}

/// Anyone: signs in with email and password. Repeated failures for one email are
/// refused for a growing while (HTTP 429).
#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), ApiError> {
    use crate::ssr::{services, start_session};
    let svc = services()?;
    let member = parley_services::auth::sign_in(&svc.db, &svc.throttle, &email, &password).await?;
    start_session(&member).await?;
    leptos_axum::redirect("/inbox");
    Ok(())
}

/// Anyone: ends the current session.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    crate::ssr::end_session().await?;
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
        owner_email: email.clone(),
        owner_password: password.clone(),
        allowed_origins: origins.lines().map(str::to_owned).collect(),
    };
    create_workspace(&svc, input, true).await?;
    let member = parley_services::auth::sign_in(&svc.db, &svc.throttle, &email, &password).await?;
    start_session(&member).await?;
    leptos_axum::redirect("/inbox");
    Ok(())
}
