//! Server-only helpers for server functions: the services, the session, the signed-in
//! member, and setting the HTTP status of an error.

use leptos::prelude::*;
use parley_services::{ServiceError, Services, SignedIn};
use parley_types::{UserId, WorkspaceId};
use tower_sessions::Session;

use crate::AppError;

/// Session keys.
pub const USER_KEY: &str = "user_id";
pub const WORKSPACE_KEY: &str = "workspace_id";

/// The services the server provided as context.
pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from the server function context");
        AppError::Internal
    })
}

/// Turns a service error into the app error and sets the response status to match.
pub fn fail(err: impl Into<AppError>) -> AppError {
    let err = err.into();
    set_status(err.status_code());
    err
}

/// Sets the HTTP status of the current server function or page response.
pub fn set_status(code: u16) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
}

/// The request's session.
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(%err, "no session layer");
        fail(AppError::Internal)
    })
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(%err, "session store failure");
    fail(AppError::Internal)
}

/// The signed-in member, or `Unauthorized` (HTTP 401).
pub async fn member() -> Result<SignedIn, AppError> {
    optional_member().await?.ok_or_else(|| fail(AppError::Unauthorized))
}

/// The signed-in member, if any.
pub async fn optional_member() -> Result<Option<SignedIn>, AppError> {
    let session = session().await?;
    let user = session.get::<i64>(USER_KEY).await.map_err(session_error)?;
    let workspace = session.get::<i64>(WORKSPACE_KEY).await.map_err(session_error)?;
    let (Some(user), Some(workspace)) = (user, workspace) else { return Ok(None) };
    let svc = services()?;
    match parley_services::auth::current_member(&svc.db, UserId(user), WorkspaceId(workspace)).await {
        Ok(member) => Ok(Some(member)),
        Err(ServiceError::Unauthorized) => Ok(None),
        Err(err) => Err(fail(err)),
    }
}

/// Starts a signed-in session under a new id (so a planted session id is worthless).
pub async fn start_session(member: &SignedIn) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    session.insert(USER_KEY, member.user_id.0).await.map_err(session_error)?;
    session.insert(WORKSPACE_KEY, member.workspace_id.0).await.map_err(session_error)?;
    Ok(())
}

/// Ends the session and deletes it from the store.
pub async fn end_session() -> Result<(), AppError> {
    session().await?.flush().await.map_err(session_error)
}
