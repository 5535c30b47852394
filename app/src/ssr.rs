//! Server-only helpers for server functions: the services, the session, and the actor
//! making the request. Errors are `ApiError`s; the server sets the HTTP status from
//! their code (`server::errors`), so no helper has to be remembered here.

use leptos::prelude::*;
use parley_services::{Actor, Member, Services};
use parley_types::ApiError;
use tower_sessions::Session;

/// The services the server provided as context.
pub fn services() -> Result<Services, ApiError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from the server function context");
        ApiError::internal()
    })
}

/// The request's session.
pub async fn session() -> Result<Session, ApiError> {
    leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(%err, "no session layer");
        ApiError::internal()
    })
}

/// The client's address: the connection's peer, or the client a trusted proxy names
/// in `X-Forwarded-For` (`PARLEY_TRUSTED_PROXIES`).
pub async fn client_ip() -> Result<std::net::IpAddr, ApiError> {
    use axum::extract::ConnectInfo;
    let peer = leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>().await.map_err(|err| {
        tracing::error!(%err, "no client address: serve with into_make_service_with_connect_info");
        ApiError::internal()
    })?;
    let headers = leptos_axum::extract::<http::HeaderMap>().await.unwrap_or_default();
    let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    Ok(services()?.config.client_ip(peer.0.ip(), Some(&forwarded.join(","))))
}

/// The workspace the request's address chose (`/w/{slug}/…`, read by the server before
/// routing), if any.
pub fn chosen_workspace() -> Option<parley_services::auth::ChosenWorkspace> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<parley_services::auth::ChosenWorkspace>().cloned())
}

/// The signed-in member in the workspace the request chose, if any (the same lookup the
/// operator socket uses; a page's render takes the one the server's page middleware
/// found).
pub async fn optional_member() -> Result<Option<Member>, ApiError> {
    let found = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<parley_services::auth::SignedIn>().cloned());
    if let Some(parley_services::auth::SignedIn(member)) = found {
        return Ok(member);
    }
    let session = session().await?;
    let svc = services()?;
    Ok(parley_services::auth::member_from_session(&svc, &session, chosen_workspace().as_ref()).await?)
}

/// The signed-in member as the actor of a service call, or `unauthorized` (401).
pub async fn actor() -> Result<Actor, ApiError> {
    optional_member().await?.map(Actor::Member).ok_or_else(ApiError::unauthorized)
}

/// Starts a signed-in session under a new id (so a planted session id is worthless).
pub async fn start_session(member: &Member) -> Result<(), ApiError> {
    Ok(parley_services::auth::start_session(&services()?, &session().await?, member).await?)
}
