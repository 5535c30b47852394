//! The widget's HTTP endpoints and its allowed origins. Runs on SQLite, and on
//! PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::VisitorEvent;
use support::{SITE, Socket, TestApp};

#[tokio::test]
async fn the_widget_is_refused_on_origins_the_workspace_did_not_list() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let response = reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/visitors", app.base, ws.key))
        .header("Origin", "https://evil.test")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // The refusal is readable by the page, so the widget can say why it is unavailable.
    assert_eq!(response.headers()["access-control-allow-origin"], "https://evil.test");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
    assert!(body.get("token").is_none());

    let allowed = app.visitor(&ws).await;
    let url = format!("{}/widget/v1/{}/ws?token={}", app.base.replace("http", "ws"), ws.key, allowed.token);
    let err =
        Socket::<VisitorEvent>::try_connect(&url, &[("Origin", "https://evil.test")]).await.err().expect("refused");
    assert!(err.to_string().contains("403"), "{err}");
    let err = Socket::<VisitorEvent>::try_connect(&url.replace(&allowed.token, "forged"), &[("Origin", SITE)])
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("401"), "{err}");
}

#[tokio::test]
async fn the_owner_changes_the_allowed_origins_and_the_widget_follows() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor_from = |origin: &'static str| {
        reqwest::Client::new()
            .post(format!("{}/widget/v1/{}/visitors", app.base, ws.key))
            .header("Origin", origin)
            .send()
    };
    assert_eq!(visitor_from("https://new.test").await.unwrap().status(), 403);

    let bad = operator.update_allowed_origins("https://new.test\nnot an origin").await;
    assert_eq!(bad.status(), 400);
    assert_eq!(visitor_from(SITE).await.unwrap().status(), 200, "a refused update changes nothing");

    let saved: Vec<String> = operator.update_allowed_origins("HTTPS://New.test/\n\n").await.json().await.unwrap();
    assert_eq!(saved, ["https://new.test"]);
    let allowed = visitor_from("https://new.test").await.unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://new.test");
    assert_eq!(visitor_from(SITE).await.unwrap().status(), 403, "origins removed from the list are refused");

    let settings: serde_json::Value = operator.get_widget_settings().await.json().await.unwrap();
    assert!(settings["snippet"].as_str().unwrap().contains(&ws.key));
}
