//! Email continuity: an operator's reply the visitor has not seen within the delay goes to
//! the contact by email (through a real SMTP server, `aiosmtpd`) with a signed link that
//! opens the conversation again; a reply seen in time, or a contact without an address,
//! gets no email; each reply is emailed once; a forged, another workspace's or expired link
//! is refused. Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use std::time::Duration;

use parley_services::conversations::{resume_token, resume_url};
use parley_types::{ClientEvent, ContactId, VisitorEvent, WidgetSession};
use serde_json::{Value, json};
use support::smtp::SmtpServer;
use support::{TestApp, TestWorkspace};

/// A visitor who left `email` and wrote `text`: their session and conversation.
async fn visitor_with_email(app: &TestApp, ws: &TestWorkspace, email: &str, text: &str) -> (WidgetSession, i64) {
    let visitor = app.visitor(ws).await;
    let (status, body) =
        app.widget_call(ws, &visitor.token, "attributes", json!({ "attributes": { "email": email } })).await;
    assert_eq!(status, 200, "{body}");
    let (mut socket, _) = app.visitor_socket(ws, &visitor, 0).await;
    socket
        .send(&ClientEvent::Send { client_id: format!("c-{}", email.len()), text: text.into(), attachments: vec![] })
        .await;
    let id = socket.wait_for_message(text).await.conversation_id.0;
    (visitor, id)
}

async fn resume(app: &TestApp, ws: &TestWorkspace, link: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/resume", app.base, ws.key))
        .header("Origin", &app.base)
        .json(&json!({ "link": link }))
        .send()
        .await
        .unwrap()
}

/// The `resume` parameter of the landing chat link in a mail (lines joined first: a long
/// line may be folded by the transfer encoding).
fn link_in(mail: &str) -> String {
    let body = mail.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
    let start = body.find("/chat/").expect("a landing chat link in the mail");
    let link: String = body[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    link.split("resume=").nth(1).expect("a resume token").to_owned()
}

#[tokio::test]
async fn an_unseen_reply_is_emailed_once_with_a_link_that_opens_the_conversation() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_with_env(&[("PARLEY_UNSEEN_REPLY_EMAIL_SECS", "1")]).await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    assert_eq!(smtp.configure(&owner, "").await.status(), 200);

    let (visitor, id) = visitor_with_email(&app, &acme, "nora@example.com", "Do you ship to Norway?").await;
    let id = parley_types::ConversationId(id);
    assert_eq!(owner.send_reply(id, "r-1", "Yes, in 3 days.").await.status(), 200);
    assert_eq!(owner.send_reply(id, "r-2", "Shipping is free over 50 €.").await.status(), 200);
    let mail = smtp.message_to("nora@example.com").await;
    assert!(mail.contains("Subject: New reply from Acme"), "{mail}");
    assert!(
        mail.contains("Yes, in 3 days.") && mail.contains("Shipping is free over 50"),
        "both replies in one: {mail}"
    );

    // The link gives a new browser a session as the same contact, with the conversation.
    let token = link_in(&mail);
    let response = resume(&app, &acme, &token).await;
    assert_eq!(response.status(), 200);
    let session: WidgetSession = response.json().await.unwrap();
    assert_eq!(session.contact_id, visitor.contact_id);
    assert_ne!(session.token, visitor.token, "a token of its own for this browser");
    let (_, history) = app.visitor_socket(&acme, &session, 0).await;
    assert_eq!(
        history.iter().map(|m| m.text.as_str()).collect::<Vec<_>>()[..3],
        ["Do you ship to Norway?", "Yes, in 3 days.", "Shipping is free over 50 €."]
    );

    // The contact's activity says so.
    let detail: Value =
        owner.call("get_contact", &[("id", &visitor.contact_id.to_string())]).await.json().await.unwrap();
    let timeline = detail["timeline"].as_array().unwrap();
    assert!(
        timeline.iter().any(|e| e["kind"] == "email" && e["name"] == "Emailed 2 unseen replies to nora@example.com"),
        "{detail}"
    );

    // Emailed replies are not emailed again: a third reply makes a second mail with it alone.
    assert_eq!(owner.send_reply(id, "r-3", "Anything else?").await.status(), 200);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let mails = smtp.messages_to("nora@example.com").await;
    assert_eq!(mails.len(), 2, "{mails:?}");
    let second = mails.iter().find(|m| m.contains("Anything else?")).expect("the third reply's mail");
    assert!(!second.contains("Yes, in 3 days."), "{second}");

    // Another workspace's widget key does not take the link; a changed one is forged.
    let other = app.workspace("Other").await;
    assert_eq!(resume(&app, &other, &token).await.status(), 401);
    let (contact, rest) = token.split_once('.').unwrap();
    let forged = format!("{}.{rest}", contact.parse::<i64>().unwrap() + 1);
    let refused = resume(&app, &acme, &forged).await;
    assert_eq!(refused.status(), 401);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["message"], "This link has expired or is not valid. Start a new chat instead.");
    assert_eq!(resume(&app, &acme, "").await.status(), 401);
    // Expired: signed correctly, but a minute ago.
    let ws = parley_services::workspaces::find_by_public_key(&app.services.db, &acme.key).await.unwrap();
    let past = parley_services::clock::now_ms() - 60_000;
    let expired = resume_token(&app.services, acme.id, visitor.contact_id, past).unwrap();
    assert_eq!(resume(&app, &acme, &expired).await.status(), 401);
    let url = resume_url(&app.services, &ws, ContactId(visitor.contact_id.0), past).unwrap();
    assert!(url.starts_with(&format!("{}/chat/{}?resume=", app.base, acme.key)), "{url}");
}

#[tokio::test]
async fn a_reply_seen_in_time_or_without_an_address_is_not_emailed() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::spawn_with_env(&[("PARLEY_UNSEEN_REPLY_EMAIL_SECS", "1")]).await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    assert_eq!(smtp.configure(&owner, "").await.status(), 200);

    // The visitor's widget shows the reply and says so.
    let (visitor, id) = visitor_with_email(&app, &acme, "seen@example.com", "Hello?").await;
    let (mut socket, _) = app.visitor_socket(&acme, &visitor, 0).await;
    assert_eq!(owner.send_reply(parley_types::ConversationId(id), "r-1", "Hi! Looking now.").await.status(), 200);
    let seq = socket
        .wait_for(|e| match e {
            VisitorEvent::MessageCreated { message } if message.text == "Hi! Looking now." => Some(message.seq),
            _ => None,
        })
        .await;
    socket.send(&ClientEvent::Read { seq }).await;

    // A guest with no email.
    let id = app.visitor_writes(&acme, "No email here").await;
    assert_eq!(owner.send_reply(id, "r-2", "Hello guest").await.status(), 200);

    // A third conversation whose reply does get emailed marks when the jobs have run.
    let (_, id) = visitor_with_email(&app, &acme, "later@example.com", "Ping").await;
    assert_eq!(owner.send_reply(parley_types::ConversationId(id), "r-3", "Pong").await.status(), 200);
    smtp.message_to("later@example.com").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(smtp.messages_to("seen@example.com").await.is_empty());
    assert_eq!(smtp.count().await, 1, "only the unseen reply with an address was emailed");
}
