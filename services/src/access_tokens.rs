//! API access tokens. Owners and admins (`manage tokens`) make them with a name, scopes
//! and an optional expiry; the secret (`pat_` + 32 random bytes) is shown once and only
//! its SHA-256 is stored, so lookups go by digest and a leaked database holds no usable
//! token. A request with `Authorization: Bearer <secret>` acts as [`Actor::Token`]: its
//! creator as they are now (a removed creator's tokens stop working; a demoted one's
//! shrink), limited to the token's scopes. Expired and revoked tokens are refused alike.

use parley_types::{
    API_SCOPES, AccessToken, AuditAction, Capability, FieldError, MAX_TOKEN_DAYS, MAX_TOKEN_NAME, NewAccessToken,
    OperatorEvent, UserId, WorkspaceId, phrase,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Services;
use crate::access::{Actor, Scope, Token};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{access_token, user};
use crate::error::{ServiceError, ServiceResult};
use crate::tokens::{random_token, token_digest};

/// What every secret starts with, so scanners and people can tell one from other text.
pub const SECRET_PREFIX: &str = "pat_";
/// How stale `last_used_at_ms` may get before a request writes it again.
const LAST_USE_GRAIN_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;

/// The workspace's tokens, newest first (never their secrets). Needs `manage tokens`.
pub async fn list_tokens(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<AccessToken>> {
    let scope = actor.require(Capability::ManageTokens)?;
    let rows = scope.find::<access_token::Entity>().order_by_desc(access_token::Column::Id).all(db).await?;
    let mut creators: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    creators.sort_unstable();
    creators.dedup();
    let names: std::collections::HashMap<i64, String> = if creators.is_empty() {
        Default::default()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(creators))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let created_by = names.get(&row.user_id).cloned().unwrap_or_default();
            to_token(row, created_by)
        })
        .collect())
}

fn to_token(row: access_token::Model, created_by: String) -> AccessToken {
    AccessToken {
        id: row.id,
        name: row.name,
        scopes: row.scopes.split_whitespace().map(str::to_owned).collect(),
        created_by,
        created_at_ms: row.created_at_ms,
        expires_at_ms: row.expires_at_ms,
        last_used_at_ms: row.last_used_at_ms,
    }
}

/// Makes a token acting for the caller; the answer carries the secret, this once. Every
/// wrong input is listed at once. Needs `manage tokens` (so a token cannot make one).
pub async fn create_token(
    svc: &Services,
    actor: &Actor,
    name: &str,
    scopes: &[String],
    expires_in_days: Option<u32>,
) -> ServiceResult<NewAccessToken> {
    let scope = actor.require(Capability::ManageTokens)?;
    let member = actor.member()?.clone();
    let name = name.trim();
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > MAX_TOKEN_NAME || name.chars().any(char::is_control) {
        problems.push(FieldError::new("name", phrase!("err-tokens-name", max = MAX_TOKEN_NAME)));
    }
    let mut chosen: Vec<String> = Vec::new();
    for s in scopes {
        match API_SCOPES.iter().find(|known| **known == s.trim()) {
            Some(known) if !chosen.iter().any(|c| c == known) => chosen.push((*known).to_owned()),
            Some(_) => {}
            None => problems.push(FieldError::new("scopes", phrase!("err-tokens-scope-unknown", value = s))),
        }
    }
    if chosen.is_empty() && problems.iter().all(|p| p.field != "scopes") {
        problems.push(FieldError::new("scopes", phrase!("err-tokens-scope-none")));
    }
    if expires_in_days.is_some_and(|d| d == 0 || d > MAX_TOKEN_DAYS) {
        problems.push(FieldError::new("expires_in_days", phrase!("err-tokens-lifetime", max = MAX_TOKEN_DAYS)));
    }
    if !problems.is_empty() {
        return Err(ServiceError::InvalidFields(problems));
    }
    chosen.sort_by_key(|s| API_SCOPES.iter().position(|k| k == s));
    let secret = format!("{SECRET_PREFIX}{}", random_token(32));
    let now = now_ms();
    let mut w = svc.begin().await?;
    let row = access_token::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        user_id: Set(member.user_id.0),
        name: Set(name.to_owned()),
        token_hash: Set(token_digest(&secret)),
        scopes: Set(chosen.join(" ")),
        created_at_ms: Set(now),
        expires_at_ms: Set(expires_in_days.map(|d| now + i64::from(d) * DAY_MS)),
        last_used_at_ms: Set(None),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    let token = to_token(row, member.name);
    let details = serde_json::json!({ "id": token.id, "scopes": token.scopes, "expires_at_ms": token.expires_at_ms });
    w.audit(actor, AuditAction::TokenCreated, format!("token {}", token.name), details).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::AccessTokensChanged);
    w.commit().await?;
    Ok(NewAccessToken { token, secret })
}

/// Revokes a token: its next request is refused. Needs `manage tokens`; another
/// workspace's token is not found.
pub async fn revoke_token(svc: &Services, actor: &Actor, id: i64) -> ServiceResult<()> {
    let scope = actor.require(Capability::ManageTokens)?;
    let mut w = svc.begin().await?;
    let row = scope
        .find::<access_token::Entity>()
        .filter(access_token::Column::Id.eq(id))
        .one(w.txn())
        .await?
        .ok_or(ServiceError::NotFound)?;
    scope.delete_many::<access_token::Entity>().filter(access_token::Column::Id.eq(id)).exec(w.txn()).await?;
    let details = serde_json::json!({ "id": id, "scopes": row.scopes, "made_by_user_id": row.user_id });
    w.audit(actor, AuditAction::TokenRevoked, format!("token {}", row.name), details).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::AccessTokensChanged);
    w.commit().await?;
    Ok(())
}

/// The actor for a bearer secret: `Unauthorized` when it is unknown, revoked, expired,
/// or its creator is no longer a member. Notes the use (to the minute).
pub async fn authenticate(svc: &Services, secret: &str) -> ServiceResult<Actor> {
    if !secret.starts_with(SECRET_PREFIX) || secret.len() > 200 {
        return Err(ServiceError::Unauthorized);
    }
    // unscoped: the secret names its workspace; nothing is known before it is found.
    let row = access_token::Entity::find()
        .filter(access_token::Column::TokenHash.eq(token_digest(secret)))
        .one(&svc.db)
        .await?
        .ok_or(ServiceError::Unauthorized)?;
    let now = now_ms();
    if row.expires_at_ms.is_some_and(|at| at <= now) {
        return Err(ServiceError::Unauthorized);
    }
    let member = crate::auth::current_member(&svc.db, UserId(row.user_id), WorkspaceId(row.workspace_id)).await?;
    if row.last_used_at_ms.is_none_or(|at| now - at >= LAST_USE_GRAIN_MS) {
        let w = svc.begin().await?;
        Scope::unchecked(WorkspaceId(row.workspace_id))
            .update_many::<access_token::Entity>()
            .col_expr(access_token::Column::LastUsedAtMs, Expr::value(now))
            .filter(access_token::Column::Id.eq(row.id))
            .exec(w.txn())
            .await?;
        w.commit().await?;
    }
    let scopes = row.scopes.split_whitespace().map(str::to_owned).collect();
    Ok(Actor::Token(Token { token_id: row.id, member, scopes }))
}

/// Whether the actor may read the workspace's basics: members, and tokens with a
/// `workspace` scope.
pub fn may_read_workspace(actor: &Actor) -> bool {
    match actor {
        Actor::Token(t) => parley_types::scopes_allow(&t.scopes, "workspace", false),
        Actor::Member(_) | Actor::System(_) => true,
        Actor::Visitor(_) => false,
    }
}
