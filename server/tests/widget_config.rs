//! Widget settings: admins save the look from the version they loaded (a stale version is
//! a conflict, bad values are refused whole), each save is audited and reaches open
//! widgets at once; the config endpoint serves the look to allowed pages only; the
//! landing chat page escapes what admins typed. Runs on SQLite, and on PostgreSQL when
//! `DATABASE_URL` is set.

mod support;

use std::time::Duration;

use parley_types::{AuditAction, AuditPage, Role, VisitorEvent, WidgetConfig, WidgetLook};
use serde_json::Value;
use support::{SITE, TestApp, TestWorkspace};

async fn config_from(app: &TestApp, ws: &TestWorkspace, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("{}/widget/v1/{}/config", app.base, ws.key));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn fields(body: &Value) -> Vec<&str> {
    body["fields"].as_array().map(|f| f.iter().filter_map(|p| p["field"].as_str()).collect()).unwrap_or_default()
}

#[tokio::test]
async fn admins_save_the_look_from_the_version_they_loaded() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;

    let first = owner.widget_config().await;
    assert_eq!(first, WidgetConfig::default(), "the defaults until first saved");
    let mine = WidgetConfig {
        color: " #0B7285 ".into(),
        greeting: "  Hola! Ask us anything.  ".into(),
        position: parley_types::WidgetPosition::Left,
        launcher_text: "Chat with us".into(),
        ..first.clone()
    };
    let response = owner.save_widget_config(&mine).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let saved: WidgetConfig = response.json().await.unwrap();
    assert_eq!(
        (saved.version, saved.color.as_str(), saved.greeting.as_str()),
        (1, "#0b7285", "Hola! Ask us anything.")
    );
    assert_eq!(op.widget_config().await, saved, "operators read the settings too");

    // The admin still holds version 0: their save would overwrite the owner's unseen.
    let theirs = WidgetConfig { color: "#c92a2a".into(), ..first };
    let conflict = admin.save_widget_config(&theirs).await;
    assert_eq!(conflict.status(), 409);
    let body: Value = conflict.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("Reload"), "{body}");
    assert_eq!(admin.widget_config().await.color, "#0b7285", "nothing overwritten");

    // Bad values: every one named, nothing saved.
    let bad = WidgetConfig {
        color: "blue".into(),
        text_color: "#fff".into(),
        offset_y: 900,
        landing_logo: "javascript:alert(1)".into(),
        language: "tlh".into(),
        ..saved.clone()
    };
    let refused = admin.save_widget_config(&bad).await;
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(fields(&body), ["color", "text_color", "offset_y", "language", "landing_logo"], "{body}");
    assert_eq!(owner.widget_config().await, saved);
    assert_eq!(op.save_widget_config(&saved).await.status(), 403);

    // The save is in the audit log with what changed.
    let log: AuditPage = owner
        .call("list_audit_entries", &[("filter[action]", AuditAction::SettingsChanged.as_str())])
        .await
        .json()
        .await
        .unwrap();
    let entry = log.entries.iter().find(|e| e.target == "widget settings").expect("audited");
    let details: Value = serde_json::from_str(&entry.details).unwrap();
    assert_eq!(details["before"]["color"], "#4f46e5");
    assert_eq!(details["after"]["color"], "#0b7285");
}

#[tokio::test]
async fn open_widgets_of_the_workspace_get_the_new_look_at_once() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let other = app.workspace("Other").await;
    let owner = app.operator(&acme).await;
    let visitor = app.visitor(&acme).await;
    let (mut widget, _) = app.visitor_socket(&acme, &visitor, 0).await;
    let (mut second_tab, _) = app.visitor_socket(&acme, &visitor, 0).await;
    let stranger = app.visitor(&other).await;
    let (mut elsewhere, _) = app.visitor_socket(&other, &stranger, 0).await;

    let config =
        WidgetConfig { color: "#2b8a3e".into(), team_name: "Acme Support".into(), ..owner.widget_config().await };
    assert_eq!(owner.save_widget_config(&config).await.status(), 200);
    for tab in [&mut widget, &mut second_tab] {
        let look = tab
            .wait_for(|event| match event {
                VisitorEvent::ConfigChanged { look } => Some(look),
                _ => None,
            })
            .await;
        assert_eq!(
            (look.config.version, look.config.color.as_str(), look.title.as_str()),
            (1, "#2b8a3e", "Acme Support")
        );
    }
    assert_eq!(
        elsewhere.raw_within(Duration::from_millis(300)).await,
        None,
        "another workspace's widget hears nothing"
    );
}

#[tokio::test]
async fn the_look_is_served_to_allowed_pages_with_the_teams_faces() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let admin = app.member(&acme, Role::Admin).await;
    let pictured = owner.call("update_profile", &[("name", "Olga"), ("avatar_url", "https://cdn.test/olga.png")]).await;
    assert_eq!(pictured.status(), 200);

    let response = config_from(&app, &acme, &[("Origin", SITE)]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], SITE);
    let look: WidgetLook = response.json().await.unwrap();
    assert_eq!(look.title, "Acme", "no team name: the workspace's");
    assert_eq!(look.reply_sentence.as_deref(), Some("Usually replies in a few minutes"));
    assert_eq!(look.avatars.len(), 1, "only members with a picture: {:?}", look.avatars);
    assert_eq!((look.avatars[0].name.as_str(), look.avatars[0].url.as_str()), ("Olga", "https://cdn.test/olga.png"));

    let hidden = WidgetConfig {
        show_avatars: false,
        reply_time: parley_types::ReplyTime::Hidden,
        ..admin.widget_config().await
    };
    assert_eq!(admin.save_widget_config(&hidden).await.status(), 200);
    let body: Value = config_from(&app, &acme, &[("Origin", SITE)]).await.json().await.unwrap();
    assert!(body.get("avatars").is_none() && body.get("reply_sentence").is_none(), "{body}");
    // The launcher's name in each of the widget's languages, for the loader to use before
    // the widget has loaded.
    assert_eq!(body["open_chat"], serde_json::json!({ "en": "Open chat", "es": "Abrir el chat" }), "{body}");

    // Parley's own pages (the landing chat) may load it; other sites and bad keys may not.
    assert_eq!(config_from(&app, &acme, &[("Origin", &app.base)]).await.status(), 200);
    assert_eq!(config_from(&app, &acme, &[("Sec-Fetch-Site", "same-origin")]).await.status(), 200);
    let evil = config_from(&app, &acme, &[("Origin", "https://evil.example")]).await;
    assert_eq!(evil.status(), 403);
    let body: Value = evil.json().await.unwrap();
    assert_eq!(body["message"], "This site is not allowed to embed this chat.");
    assert_eq!(config_from(&app, &acme, &[]).await.status(), 403, "no origin, not same-origin");
    let unknown = reqwest::Client::new()
        .get(format!("{}/widget/v1/no-such-key/config", app.base))
        .header("Origin", SITE)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn the_landing_chat_page_escapes_what_admins_typed() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let config = WidgetConfig {
        landing_title: "<script>alert('x')</script> & Co".into(),
        landing_logo: "https://cdn.test/logo.png?a=1&b=2".into(),
        landing_background: "#102030".into(),
        ..owner.widget_config().await
    };
    assert_eq!(owner.save_widget_config(&config).await.status(), 200);

    let page = reqwest::get(format!("{}/chat/{}", app.base, acme.key)).await.unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let html = page.text().await.unwrap();
    assert!(html.contains("<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co</title>"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains(r#"<img class="logo" src="https://cdn.test/logo.png?a=1&amp;b=2" alt="">"#), "{html}");
    assert!(html.contains("background:#102030"));
    assert!(html.contains(&format!(r#"data-parley-key="{}""#, acme.key)));
    assert!(html.contains("<div data-parley-chat"));
    // The one inline style carries this response's nonce; nothing inline runs.
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a style nonce");
    assert!(html.contains(&format!(r#"<style nonce="{nonce}">"#)));
    assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"), "{policy}");

    // From the landing page (Parley's own origin) the widget gets a session.
    let visitor = reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/visitors", app.base, acme.key))
        .header("Origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(visitor.status(), 200);

    assert_eq!(reqwest::get(format!("{}/chat/no-such-key", app.base)).await.unwrap().status(), 404);
}
