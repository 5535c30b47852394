//! API access tokens: owners and admins make them (the secret shown once, only its
//! SHA-256 stored), the public API answers a bearer token with what both its scopes and
//! its creator's current role allow, and refuses it once revoked, expired or its creator
//! has left. Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_services::entities::{access_token, membership};
use parley_types::{AccessToken, NewAccessToken, OperatorEvent, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use support::{Operator, TestApp};

async fn make(admin: &Operator, name: &str, scopes: &[&str], days: Option<u32>) -> reqwest::Response {
    let mut form = vec![("name".to_owned(), name.to_owned())];
    for (i, s) in scopes.iter().enumerate() {
        form.push((format!("scopes[{i}]"), (*s).to_owned()));
    }
    if let Some(days) = days {
        form.push(("expires_in_days".into(), days.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    admin.call("create_access_token", &pairs).await
}

async fn made(admin: &Operator, name: &str, scopes: &[&str]) -> NewAccessToken {
    let response = make(admin, name, scopes, Some(30)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// `GET {path}` with `Authorization: Bearer {secret}`: status and JSON.
async fn get(app: &TestApp, path: &str, secret: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", app.base))
        .header("Authorization", format!("Bearer {secret}"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    if status == 401 {
        assert_eq!(response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"));
    }
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_token_is_shown_once_and_answers_the_api_within_its_scopes() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let other_admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;
    assert_eq!(make(&op, "Mine", &["contacts:read"], None).await.status(), 403, "operators make no tokens");
    assert_eq!(op.call("list_access_tokens", &[]).await.status(), 403);

    // Every wrong input at once, nothing made.
    let response = make(&admin, " ", &["contacts:delete"], Some(0)).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "scopes", "expires_in_days"], "{body}");

    let mut socket = other_admin.socket().await;
    let full = made(&admin, "CRM sync", &["workspace:read", "contacts:write"]).await;
    assert!(full.secret.starts_with("pat_") && full.secret.len() > 40);
    assert_eq!(full.token.scopes, ["contacts:write", "workspace:read"]);
    socket.wait_for(|e| matches!(e, OperatorEvent::AccessTokensChanged).then_some(())).await;
    // The list never holds the secret, and the database only its digest.
    let listed = other_admin.call("list_access_tokens", &[]).await.text().await.unwrap();
    assert!(!listed.contains(&full.secret));
    let tokens: Vec<AccessToken> = serde_json::from_str(&listed).unwrap();
    assert_eq!((tokens.len(), tokens[0].last_used_at_ms), (1, None));
    let stored = access_token::Entity::find().all(&app.services.db).await.unwrap();
    assert!(stored.iter().all(|t| t.token_hash != full.secret && !t.token_hash.contains("pat_")));

    let (status, me) = get(&app, "/api/v1/me", &full.secret).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!((me["user"]["role"].as_str(), me["workspace_id"].as_i64()), (Some("admin"), Some(acme.id.0)));
    let (status, ws) = get(&app, "/api/v1/workspace", &full.secret).await;
    assert_eq!((status, ws["name"].as_str()), (200, Some("Acme")), "{ws}");
    let tokens: Vec<AccessToken> = admin.call("list_access_tokens", &[]).await.json().await.unwrap();
    assert!(tokens[0].last_used_at_ms.is_some(), "the use shows");

    // Without a workspace scope, the workspace is refused.
    let narrow = made(&admin, "Contacts only", &["contacts:read"]).await;
    assert_eq!(get(&app, "/api/v1/me", &narrow.secret).await.0, 200);
    assert_eq!(get(&app, "/api/v1/workspace", &narrow.secret).await.0, 403);

    // Unknown, malformed and missing tokens.
    assert_eq!(get(&app, "/api/v1/me", "pat_not-a-real-token").await.0, 401);
    assert_eq!(get(&app, "/api/v1/me", "").await.0, 401);
    let response = reqwest::Client::new().get(format!("{}/api/v1/me", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 401);

    // Revoked: refused at once. Another workspace's admin cannot revoke it.
    let globex = app.workspace("Globex").await;
    let stranger = app.member(&globex, Role::Admin).await;
    let id = narrow.token.id.to_string();
    assert_eq!(stranger.call("revoke_access_token", &[("id", &id)]).await.status(), 404);
    assert_eq!(other_admin.call("revoke_access_token", &[("id", &id)]).await.status(), 200);
    assert_eq!(get(&app, "/api/v1/me", &narrow.secret).await.0, 401);
    assert_eq!(get(&app, "/api/v1/me", &full.secret).await.0, 200, "the other token still works");
}

#[tokio::test]
async fn a_token_follows_its_creator_and_its_expiry() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let (admin_id, _) = admin.me().await;
    let token = made(&admin, "Reports", &["workspace:write"]).await;
    let expiring = made(&admin, "Short", &["workspace:read"]).await;
    assert_eq!(get(&app, "/api/v1/me", &token.secret).await.1["user"]["role"], "admin");

    // Demoted: the token's role shrinks with the creator's on the next request.
    membership::Entity::update_many()
        .col_expr(membership::Column::Role, Expr::value("operator"))
        .filter(membership::Column::UserId.eq(admin_id.0))
        .exec(&app.services.db)
        .await
        .unwrap();
    assert_eq!(get(&app, "/api/v1/me", &token.secret).await.1["user"]["role"], "operator");

    // Expired: refused.
    access_token::Entity::update_many()
        .col_expr(access_token::Column::ExpiresAtMs, Expr::value(1_i64))
        .filter(access_token::Column::Id.eq(expiring.token.id))
        .exec(&app.services.db)
        .await
        .unwrap();
    assert_eq!(get(&app, "/api/v1/workspace", &expiring.secret).await.0, 401);

    // The creator leaves the workspace: their tokens die with the membership.
    membership::Entity::delete_many()
        .filter(membership::Column::UserId.eq(admin_id.0))
        .exec(&app.services.db)
        .await
        .unwrap();
    assert_eq!(get(&app, "/api/v1/me", &token.secret).await.0, 401);
}
