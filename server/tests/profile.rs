//! A member's own account: profile, password change (other sessions end), signing out
//! everywhere, and password resets by email (a real SMTP server) or by an admin's link.
//! Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use std::time::Duration;

use parley_services::entities::password_reset;
use parley_types::{AuditAction, AuditPage, Profile, Role};
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;
use support::smtp::SmtpServer;
use support::{Operator, TestApp};

const NEW_PASSWORD: &str = "a brand new passphrase";

/// The status of a sign-in, 200 for any success (the server function redirects).
async fn login(app: &TestApp, email: &str, password: &str) -> u16 {
    let status = app.anonymous().call("login", &[("email", email), ("password", password)]).await.status();
    if status.is_success() || status.is_redirection() { 200 } else { status.as_u16() }
}

async fn audit(admin: &Operator, action: AuditAction) -> AuditPage {
    admin.call("list_audit_entries", &[("filter[action]", action.as_str())]).await.json().await.unwrap()
}

fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().trim().to_owned()
}

#[tokio::test]
async fn a_profile_is_edited_and_teammates_see_the_name() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let op = app.member(&acme, Role::Operator).await;
    let bad = op.call("update_profile", &[("name", " "), ("avatar_url", "http://pics.test/me.png")]).await;
    assert_eq!(bad.status(), 400);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["fields"].as_array().unwrap().len(), 2, "{body}");
    let mut owner_socket = owner.socket().await;
    let response =
        op.call("update_profile", &[("name", "Ada Renamed"), ("avatar_url", "https://pics.test/ada.png")]).await;
    assert_eq!(response.status(), 200);
    let profile: Profile = op.call("get_profile", &[]).await.json().await.unwrap();
    assert_eq!((profile.name.as_str(), profile.avatar_url.as_str()), ("Ada Renamed", "https://pics.test/ada.png"));
    owner_socket.wait_for(|e| matches!(e, parley_types::OperatorEvent::MembersChanged).then_some(())).await;
    let teammates: Vec<parley_types::Teammate> = owner.list_teammates().await.json().await.unwrap();
    assert!(teammates.iter().any(|t| t.name == "Ada Renamed"));
    assert!(!audit(&owner, AuditAction::ProfileChanged).await.entries.is_empty());
    assert_eq!(app.anonymous().call("get_profile", &[]).await.status(), 401);
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let here = app.operator(&acme).await;
    let elsewhere = app.operator(&acme).await;
    let mut elsewhere_socket = elsewhere.socket().await;

    let wrong = here.call("change_password", &[("current", "not my password"), ("new", NEW_PASSWORD)]).await;
    assert_eq!(wrong.status(), 400);
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "current");
    let short = here.call("change_password", &[("current", support::PASSWORD), ("new", "short")]).await;
    assert_eq!(short.status(), 400);
    assert_eq!(login(&app, &acme.email, support::PASSWORD).await, 200, "nothing changed yet");

    let response = here.call("change_password", &[("current", support::PASSWORD), ("new", NEW_PASSWORD)]).await;
    assert_eq!(response.status(), 200);
    assert!(response.json::<usize>().await.unwrap() >= 1, "the other session ended");
    tokio::time::timeout(Duration::from_secs(1), elsewhere_socket.close_code()).await.expect("its socket closes");
    assert_eq!(elsewhere.list_conversations().await.status(), 401);
    assert_eq!(here.list_conversations().await.status(), 200, "this session stays");
    assert_eq!(login(&app, &acme.email, support::PASSWORD).await, 400);
    assert_eq!(login(&app, &acme.email, NEW_PASSWORD).await, 200);
    let entry = &audit(&here, AuditAction::PasswordChanged).await.entries[0];
    assert!(!entry.details.contains(NEW_PASSWORD) && !entry.details.contains(support::PASSWORD));

    // Signing out everywhere ends this session too.
    assert_eq!(here.call("sign_out_everywhere", &[]).await.status(), 200);
    assert_eq!(here.list_conversations().await.status(), 401);
}

#[tokio::test]
async fn an_admins_reset_link_works_once_within_the_hour() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;
    let members: Vec<parley_types::TeamMember> = owner.call("list_members", &[]).await.json().await.unwrap();
    let id_of = |role: Role| members.iter().find(|m| m.role == role).unwrap().clone();
    let (op_member, owner_member) = (id_of(Role::Operator), id_of(Role::Owner));
    let for_user = |who: &Operator, id: parley_types::UserId| {
        let id = id.to_string();
        let (client, base) = (who.client.clone(), who.base.clone());
        async move {
            client.post(format!("{base}/api/make_password_reset_link")).form(&[("user_id", id)]).send().await.unwrap()
        }
    };
    assert_eq!(for_user(&op, owner_member.user_id).await.status(), 403, "operators make no links");
    assert_eq!(for_user(&admin, owner_member.user_id).await.status(), 403, "admins make no owner's link");
    let response = for_user(&admin, op_member.user_id).await;
    assert_eq!(response.status(), 200);
    let link: String = response.json().await.unwrap();
    assert!(link.starts_with(&format!("{}/reset/", app.base)));
    let token = token_of(&link);

    let email: String = app.anonymous().call("get_password_reset", &[("token", &token)]).await.json().await.unwrap();
    assert_eq!(email, op_member.email);
    let short = app.anonymous().call("reset_password", &[("token", &token), ("password", "short")]).await;
    assert_eq!(short.status(), 400, "refused, the link still usable");
    let done = app.anonymous().call("reset_password", &[("token", &token), ("password", NEW_PASSWORD)]).await;
    assert_eq!(done.status(), 200);
    assert_eq!(op.list_conversations().await.status(), 401, "signed out everywhere");
    assert_eq!(login(&app, &op_member.email, NEW_PASSWORD).await, 200);
    assert_eq!(
        app.anonymous().call("reset_password", &[("token", &token), ("password", NEW_PASSWORD)]).await.status(),
        409
    );
    assert!(!audit(&owner, AuditAction::PasswordReset).await.entries.is_empty());

    // An hour later a fresh link no longer works.
    let link: String = for_user(&admin, op_member.user_id).await.json().await.unwrap();
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::ExpiresAtMs, Expr::value(parley_services::clock::now_ms() - 1))
        .exec(&app.services.db)
        .await
        .unwrap();
    let expired = app.anonymous().call("get_password_reset", &[("token", &token_of(&link))]).await;
    assert_eq!(expired.status(), 400);
    assert_eq!(app.anonymous().call("get_password_reset", &[("token", "nothing")]).await.status(), 404);
}

#[tokio::test]
async fn a_reset_link_arrives_by_email() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let port = smtp.port.to_string();
    let saved = owner
        .call(
            "save_mail_settings",
            &[
                ("settings[host]", "127.0.0.1"),
                ("settings[port]", port.as_str()),
                ("settings[tls]", "none"),
                ("settings[sender]", "support@acme.test"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200);
    // An unknown address gets the same answer, and no mail.
    assert_eq!(app.anonymous().call("request_password_reset", &[("email", "nobody@acme.test")]).await.status(), 200);
    assert_eq!(app.anonymous().call("request_password_reset", &[("email", &acme.email)]).await.status(), 200);
    let mail = smtp.message_to(&acme.email).await;
    assert!(mail.contains("Reset your Parley password"), "{mail}");
    let link = mail.lines().find(|l| l.contains("/reset/")).expect("a link").trim().to_owned();
    let done = app.anonymous().call("reset_password", &[("token", &token_of(&link)), ("password", NEW_PASSWORD)]).await;
    assert_eq!(done.status(), 200);
    assert_eq!(login(&app, &acme.email, NEW_PASSWORD).await, 200);
}
