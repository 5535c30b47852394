//! Throttling and rate limits: sign-in bursts weighed by client address, concurrent
//! first-run setups, new visitors per address, and flooding visitor sockets. Runs on
//! SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use futures_util::{SinkExt, StreamExt};
use parley_types::{ClientEvent, ErrorCode, VisitorEvent};
use sea_orm::{EntityTrait, PaginatorTrait};
use support::{PASSWORD, SITE, TestApp, TestWorkspace};
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// Test servers that believe `X-Forwarded-For` from the test client (127.0.0.1), so a
/// test can speak from any address.
const BEHIND_PROXY: &[(&str, &str)] = &[("PARLEY_TRUSTED_PROXIES", "127.0.0.1")];

/// Signs in to `ws`'s owner from `from` (an `X-Forwarded-For` address), returning the status.
async fn login_from(app: &TestApp, ws: &TestWorkspace, password: &str, from: &str) -> reqwest::Response {
    app.client()
        .0
        .post(format!("{}/api/login", app.base))
        .header("X-Forwarded-For", from)
        .form(&[("email", ws.email.as_str()), ("password", password)])
        .send()
        .await
        .expect("login request")
}

/// Forty wrong passwords for `ws`'s owner at once from `from`; the statuses.
async fn burst_of_wrong_passwords(app: &TestApp, ws: &TestWorkspace, from: &str) -> Vec<reqwest::Response> {
    futures_util::future::join_all((0..40).map(|_| login_from(app, ws, "wrong password", from))).await
}

fn signed_in(response: &reqwest::Response) -> bool {
    response.status().is_success() || response.status().is_redirection()
}

#[tokio::test]
async fn forty_concurrent_wrong_passwords_get_five_evaluated_and_the_rest_429_with_retry_after() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let responses = burst_of_wrong_passwords(&app, &ws, "203.0.113.66").await;
    assert_eq!(app.services.throttle.evaluated(), 5, "exactly the free attempts reach argon2");
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 35, "{statuses:?}");
    for refused in responses.into_iter().filter(|r| r.status() == 429) {
        let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=15 * 60).contains(&wait), "Retry-After: {wait}");
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["error"], "too_many_requests");
        assert!(body["message"].as_str().unwrap().starts_with("Too many attempts. Try again in"), "{body}");
    }
    // Without a trusted proxy, X-Forwarded-For is the client's own word and changes nothing.
    let disguised = login_from(&app, &ws, PASSWORD, "198.51.100.7").await;
    assert_eq!(disguised.status(), 429, "the same connection address stays locked out");
}

#[tokio::test]
async fn after_a_strangers_burst_the_owner_still_signs_in_from_another_address() {
    let app = TestApp::spawn_with_env(BEHIND_PROXY).await;
    let ws = app.workspace("Acme").await;
    let burst = burst_of_wrong_passwords(&app, &ws, "203.0.113.66").await;
    assert!(burst.iter().all(|r| matches!(r.status().as_u16(), 400 | 429)));
    assert_eq!(login_from(&app, &ws, PASSWORD, "203.0.113.66").await.status(), 429, "the stranger is locked out");
    let owner = login_from(&app, &ws, PASSWORD, "198.51.100.7").await;
    assert!(signed_in(&owner), "the owner signs in from their own address: {}", owner.status());
    assert_eq!(app.services.throttle.evaluated(), 6);
}

#[tokio::test]
async fn ten_concurrent_setups_create_one_workspace_and_the_rest_get_409() {
    let app = TestApp::spawn().await;
    let attempts = (0..10).map(|n| {
        let client = app.client().0;
        let url = format!("{}/api/setup", app.base);
        async move {
            let form = [
                ("workspace_name", format!("Race {n}")),
                ("name", "Ana".to_owned()),
                ("email", format!("ana{n}@race.test")),
                ("password", "long enough password".to_owned()),
                ("origins", String::new()),
            ];
            client.post(url).form(&form).send().await.unwrap().status().as_u16()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|s| (200..400).contains(*s)).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 9, "{statuses:?}");
    let workspaces = parley_services::entities::workspace::Entity::find().count(&app.services.db).await.unwrap();
    assert_eq!(workspaces, 1);
}

/// Asks for a new visitor as the widget on `SITE` does, from `from` (`X-Forwarded-For`).
async fn new_visitor_from(app: &TestApp, ws: &TestWorkspace, from: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/visitors", app.base, ws.key))
        .header("Origin", SITE)
        .header("X-Forwarded-For", from)
        .send()
        .await
        .expect("visitor request")
}

#[tokio::test]
async fn too_many_new_visitors_from_one_address_get_429_with_retry_after_and_a_sentence() {
    let app = TestApp::spawn_with_env(BEHIND_PROXY).await;
    let ws = app.workspace("Acme").await;
    for n in 0..20 {
        assert_eq!(new_visitor_from(&app, &ws, "203.0.113.5").await.status(), 200, "visitor {n}");
    }
    let refused = new_visitor_from(&app, &ws, "203.0.113.5").await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3).contains(&wait), "one new visitor every 3 s after the burst: {wait}");
    assert_eq!(refused.headers()["access-control-allow-origin"], SITE, "the widget can read why");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
    assert_eq!(body["retry_after"], wait);
    assert!(body["message"].as_str().unwrap().contains("Please try again in"), "{body}");
    assert_eq!(new_visitor_from(&app, &ws, "198.51.100.7").await.status(), 200, "other addresses are not affected");
}

#[tokio::test]
async fn a_visitor_flooding_messages_is_refused_then_closed_and_a_normal_visitor_is_unaffected() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let flooder = app.visitor(&ws).await;
    let (socket, _) = app.visitor_socket(&ws, &flooder, 0).await;
    let mut raw = socket.into_inner();
    let frames = 500;
    for n in 0..frames {
        let frame = ClientEvent::Send { client_id: format!("f{n}"), text: format!("flood {n}"), attachments: vec![] };
        if raw.send(WsMessage::Text(serde_json::to_string(&frame).unwrap().into())).await.is_err() {
            break;
        }
    }
    let (mut stored, mut refusals, mut close_code) = (0, Vec::new(), None);
    while let Ok(Some(Ok(frame))) = tokio::time::timeout(support::WAIT, raw.next()).await {
        match frame {
            WsMessage::Text(text) => match serde_json::from_str::<VisitorEvent>(&text).unwrap() {
                VisitorEvent::MessageCreated { .. } => stored += 1,
                VisitorEvent::Error(error) => refusals.push(error),
                _ => {}
            },
            WsMessage::Close(frame) => {
                close_code = frame.map(|f| u16::from(f.code));
                break;
            }
            _ => {}
        }
    }
    assert_eq!(close_code, Some(1008), "a socket that keeps flooding is closed (policy violation)");
    assert!(!refusals.is_empty() && stored < frames, "stored {stored}, refused {}", refusals.len());
    for refusal in &refusals {
        assert_eq!(refusal.code, ErrorCode::TooManyRequests);
        assert!(refusal.retry_after.is_some() && refusal.message.contains("too fast"), "{refusal:?}");
    }

    let calm = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &calm, 0).await;
    widget.send(&ClientEvent::Send { client_id: "c1".into(), text: "hello".into(), attachments: vec![] }).await;
    widget.wait_for_message("hello").await;
    widget.send(&ClientEvent::Typing { conversation_id: None, typing: true }).await;
    widget.send(&ClientEvent::Send { client_id: "c2".into(), text: "still here".into(), attachments: vec![] }).await;
    widget.wait_for_message("still here").await;
}
