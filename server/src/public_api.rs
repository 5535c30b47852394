//! The public REST API under `/api/v1/`, for API access tokens (`Authorization: Bearer
//! pat_…`; Settings → Access tokens). JSON answers; every refusal is the one `ApiError`
//! with its status (401 with `WWW-Authenticate: Bearer` when the token is missing,
//! unknown, revoked, expired or its creator has left). Today it says who the token is
//! and which workspace it reaches; the public API issue adds the rest.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use parley_services::{Actor, ServiceError, Services, access_tokens, workspaces};
use serde::Serialize;

/// The actor of a request's bearer token.
async fn bearer(services: &Services, headers: &HeaderMap) -> Result<Actor, ServiceError> {
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or(ServiceError::Unauthorized)?;
    let (scheme, secret) = value.trim().split_once(' ').ok_or(ServiceError::Unauthorized)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ServiceError::Unauthorized);
    }
    access_tokens::authenticate(services, secret.trim()).await
}

fn refusal(err: ServiceError) -> Response {
    let unauthorized = matches!(err, ServiceError::Unauthorized);
    let mut response = crate::errors::error_response(err);
    if unauthorized {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

#[derive(Serialize)]
struct Me {
    token: TokenInfo,
    user: UserInfo,
    workspace_id: i64,
}

#[derive(Serialize)]
struct TokenInfo {
    id: i64,
    scopes: Vec<String>,
}

#[derive(Serialize)]
struct UserInfo {
    id: i64,
    name: String,
    role: parley_types::Role,
}

/// `GET /api/v1/me`: the token, the member it acts for (with their role now) and its
/// workspace. Any valid token.
pub async fn me(State(services): State<Services>, headers: HeaderMap) -> Response {
    match bearer(&services, &headers).await {
        Ok(Actor::Token(t)) => Json(Me {
            token: TokenInfo { id: t.token_id, scopes: t.scopes },
            user: UserInfo { id: t.member.user_id.0, name: t.member.name, role: t.member.role },
            workspace_id: t.member.workspace_id.0,
        })
        .into_response(),
        Ok(_) => refusal(ServiceError::Unauthorized),
        Err(err) => refusal(err),
    }
}

#[derive(Serialize)]
struct WorkspaceInfo {
    id: i64,
    name: String,
    /// The widget key (public: it is in every page that embeds the widget).
    public_key: String,
    created_at_ms: i64,
}

/// `GET /api/v1/workspace`: the token's workspace. Needs a `workspace` scope.
pub async fn workspace(State(services): State<Services>, headers: HeaderMap) -> Response {
    let actor = match bearer(&services, &headers).await {
        Ok(actor) => actor,
        Err(err) => return refusal(err),
    };
    if !access_tokens::may_read_workspace(&actor) {
        return refusal(ServiceError::Forbidden);
    }
    match workspaces::get(&services.db, actor.own_workspace()).await {
        Ok(ws) => {
            Json(WorkspaceInfo { id: ws.id, name: ws.name, public_key: ws.public_key, created_at_ms: ws.created_at_ms })
                .into_response()
        }
        Err(err) => refusal(err),
    }
}
