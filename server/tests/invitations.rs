//! Invitations: without a mail server the answer is a link to copy; with one (a real SMTP
//! server, `aiosmtpd`, started here) the link arrives by email. A link works once, not
//! after 7 days, not once revoked or replaced by a resend. The mail password is stored
//! encrypted and never reaches the audit log. Runs on SQLite, and on PostgreSQL when
//! `DATABASE_URL` is set.

mod support;

use std::path::Path;

use parley_services::entities::{invitation, workspace};
use parley_types::{AuditAction, AuditPage, NewInvitation, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use support::smtp::SmtpServer;
use support::{Operator, TestApp};

async fn invite(admin: &Operator, email: &str, role: &str) -> reqwest::Response {
    admin.call("invite_member", &[("email", email), ("role", role)]).await
}

async fn invited(admin: &Operator, email: &str) -> NewInvitation {
    let response = invite(admin, email, "operator").await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    response.json().await.unwrap()
}

fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_owned()
}

async fn accept(app: &TestApp, token: &str, name: &str, password: &str) -> (Operator, reqwest::Response) {
    let stranger = app.anonymous();
    let response =
        stranger.call("accept_invitation", &[("token", token), ("name", name), ("password", password)]).await;
    (stranger, response)
}

async fn audit(admin: &Operator, action: AuditAction) -> AuditPage {
    admin.call("list_audit_entries", &[("filter[action]", action.as_str())]).await.json().await.unwrap()
}

#[tokio::test]
async fn without_a_mail_server_the_link_is_copied_and_works_once() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let op = app.member(&acme, Role::Operator).await;
    assert_eq!(invite(&op, "x@example.com", "operator").await.status(), 403, "operators invite nobody");
    let admin = app.member(&acme, Role::Admin).await;
    assert_eq!(invite(&admin, "boss@example.com", "owner").await.status(), 403, "admins invite no owner");
    let response = invite(&admin, "not an address", "operator").await;
    assert_eq!(response.status(), 400);

    let made = invited(&admin, "Grace@Example.com").await;
    assert!(!made.emailed && made.mail_error.is_none());
    assert_eq!(made.invitation.email, "grace@example.com");
    assert!(made.link.starts_with(&format!("{}/invite/", app.base)), "{}", made.link);
    let token = token_of(&made.link);
    assert!(token.len() >= 43, "32 random bytes");
    assert_eq!(invite(&admin, "grace@example.com", "operator").await.status(), 409, "already invited");

    // The page for the link shows what it is for.
    let preview = app.anonymous().call("get_invitation", &[("token", &token)]).await;
    assert_eq!(preview.status(), 200);
    let preview: parley_types::InvitationPreview = preview.json().await.unwrap();
    assert_eq!((preview.workspace_name.as_str(), preview.has_account), ("Acme", false));

    // Bad input: every problem listed, nothing used up.
    let (_, bad) = accept(&app, &token, " ", "short").await;
    assert_eq!(bad.status(), 400);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["fields"].as_array().unwrap().len(), 2, "{body}");

    let (grace, response) = accept(&app, &token, "Grace Hopper", "a long enough password").await;
    assert!(response.status().is_success() || response.status().is_redirection(), "{}", response.status());
    assert_eq!(grace.list_conversations().await.status(), 200, "signed in to Acme");
    let (_, again) = accept(&app, &token, "Grace Again", "a long enough password").await;
    assert_eq!(again.status(), 409, "single use");
    assert_eq!(app.anonymous().call("get_invitation", &[("token", &token)]).await.status(), 409);
    assert_eq!(app.anonymous().call("get_invitation", &[("token", "no-such-token")]).await.status(), 404);

    let members: Vec<parley_types::TeamMember> = owner.call("list_members", &[]).await.json().await.unwrap();
    assert!(members.iter().any(|m| m.email == "grace@example.com" && m.role == Role::Operator));
    let accepted = audit(&owner, AuditAction::InvitationAccepted).await;
    assert_eq!(accepted.entries[0].actor.name, "Grace Hopper");
    assert!(!audit(&owner, AuditAction::InvitationCreated).await.entries.is_empty());
    assert_eq!(invite(&admin, "grace@example.com", "operator").await.status(), 409, "already a member");
}

#[tokio::test]
async fn expired_revoked_and_resent_links_are_refused() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.operator(&acme).await;

    let expired = invited(&admin, "late@example.com").await;
    invitation::Entity::update_many()
        .col_expr(invitation::Column::ExpiresAtMs, Expr::value(parley_services::clock::now_ms() - 1))
        .filter(invitation::Column::Id.eq(expired.invitation.id))
        .exec(&app.services.db)
        .await
        .unwrap();
    let (_, response) = accept(&app, &token_of(&expired.link), "Late", "a long enough password").await;
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("expired"), "{body}");

    // Resending makes a new link, valid again; the old one is gone.
    let resent: NewInvitation =
        admin.call("resend_invitation", &[("id", &expired.invitation.id.to_string())]).await.json().await.unwrap();
    assert_ne!(resent.link, expired.link);
    assert!(resent.invitation.expires_at_ms > parley_services::clock::now_ms() + 6 * 24 * 3600 * 1000);
    assert_eq!(app.anonymous().call("get_invitation", &[("token", &token_of(&expired.link))]).await.status(), 404);
    assert_eq!(app.anonymous().call("get_invitation", &[("token", &token_of(&resent.link))]).await.status(), 200);

    // Revoked: the link is gone, and the list no longer shows it.
    let revoked = invited(&admin, "nope@example.com").await;
    assert_eq!(admin.call("revoke_invitation", &[("id", &revoked.invitation.id.to_string())]).await.status(), 200);
    let (_, response) = accept(&app, &token_of(&revoked.link), "Nope", "a long enough password").await;
    assert_eq!(response.status(), 404);
    let pending: Vec<parley_types::Invitation> = admin.call("list_invitations", &[]).await.json().await.unwrap();
    assert_eq!(pending.iter().map(|i| i.email.as_str()).collect::<Vec<_>>(), vec!["late@example.com"]);
    assert!(!audit(&admin, AuditAction::InvitationRevoked).await.entries.is_empty());

    // Another workspace's admin cannot touch Acme's invitation.
    let other = app.workspace("Other").await;
    let stranger = app.operator(&other).await;
    let id = resent.invitation.id.to_string();
    assert_eq!(stranger.call("revoke_invitation", &[("id", &id)]).await.status(), 404);
    assert_eq!(stranger.call("resend_invitation", &[("id", &id)]).await.status(), 404);
}

fn stored_smtp(dir: &Path) -> bool {
    dir.join("instance.key").exists()
}

#[tokio::test]
async fn with_a_mail_server_the_invitation_arrives_by_email() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.operator(&acme).await;
    // Wrong settings: every field at once, nothing saved.
    let wrong = admin
        .call(
            "save_mail_settings",
            &[("settings[host]", "smtp example"), ("settings[port]", "0"), ("settings[sender]", "nobody")],
        )
        .await;
    assert_eq!(wrong.status(), 400);
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert_eq!(body["fields"].as_array().unwrap().len(), 3, "{body}");
    let response = smtp.configure(&admin, "smtp-secret-password").await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let shown: Option<parley_types::SmtpSettings> = admin.call("get_mail_settings", &[]).await.json().await.unwrap();
    let shown = shown.expect("settings");
    assert!(shown.password.is_empty() && shown.password_set, "the password is write-only");

    // Stored encrypted under the instance key in the data folder; never in the audit log.
    let ws = workspace::Entity::find_by_id(acme.id.0).one(&app.services.db).await.unwrap().unwrap();
    assert!(!ws.smtp.contains("smtp-secret-password") && ws.smtp.contains("v1:"), "{}", ws.smtp);
    assert!(stored_smtp(&app.config().data_dir));
    let log = serde_json::to_string(&audit(&admin, AuditAction::SettingsChanged).await).unwrap();
    assert!(!log.contains("smtp-secret-password") && log.contains("email (SMTP)"), "{log}");

    assert_eq!(admin.call("send_test_email", &[("to", "check@example.com")]).await.status(), 200);
    assert!(smtp.message_to("check@example.com").await.contains("Test email from Parley"));

    let made = invited(&admin, "ada@example.com").await;
    assert!(made.emailed, "{:?}", made.mail_error);
    assert!(made.invitation.sent_at_ms.is_some());
    let mail = smtp.message_to("ada@example.com").await;
    assert!(mail.contains("You are invited to Acme"), "{mail}");
    let link = mail.lines().find(|l| l.contains("/invite/")).expect("a link in the mail").trim().to_owned();
    assert_eq!(link, made.link);
    let (ada, response) = accept(&app, &token_of(&link), "Ada Lovelace", "a long enough password").await;
    assert!(response.status().is_success() || response.status().is_redirection());
    assert_eq!(ada.list_conversations().await.status(), 200);

    // A server that refuses: the invitation is made, the answer says why and gives the link.
    drop(smtp);
    let made = invited(&admin, "bob@example.com").await;
    assert!(!made.emailed && made.mail_error.is_some());
    assert!(made.link.contains("/invite/"));
}
