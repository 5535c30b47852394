//! Web Push against a push service this test starts on loopback: it checks each
//! request's VAPID signature and decrypts the payload with the device's own keys (as a
//! browser would). A new Live conversation reaches every member who turned notifications
//! on, on each of their devices (who see it: not operators outside its department when
//! the workspace says so); a member with them off gets nothing; a device the push service
//! answers 410 for is removed. Runs on SQLite, and on PostgreSQL when
//! `DATABASE_URL` is set.

mod support;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use p256::SecretKey;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use parley_services::push::crypto::{b64, decrypt, verify_authorization};
use parley_types::Role;
use support::{Operator, TestApp, WAIT};

/// A device: its keys, as the browser keeps them.
struct Device {
    name: &'static str,
    secret: SecretKey,
    auth: [u8; 16],
}

impl Device {
    fn new(name: &'static str) -> Device {
        let mut auth = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut auth);
        Device { name, secret: SecretKey::random(&mut rand::rngs::OsRng), auth }
    }

    fn p256dh(&self) -> String {
        b64(self.secret.public_key().to_encoded_point(false).as_bytes())
    }
}

/// What the push service received: (device, decrypted payload, VAPID subject).
type Received = Arc<Mutex<Vec<(String, serde_json::Value, String)>>>;

struct PushService {
    base: String,
    received: Received,
}

async fn start_push_service(devices: Vec<Device>) -> PushService {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let received: Received = Arc::default();
    let state = (Arc::new(devices), received.clone(), base.clone());
    let app = axum::Router::new()
        .route(
            "/push/{device}",
            axum::routing::post(
                |State((devices, received, base)): State<(Arc<Vec<Device>>, Received, String)>,
                 Path(name): Path<String>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    if name == "gone" {
                        return StatusCode::GONE;
                    }
                    let Some(device) = devices.iter().find(|d| d.name == name) else { return StatusCode::NOT_FOUND };
                    let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
                    let Some(claims) = verify_authorization(authorization, &base) else {
                        return StatusCode::UNAUTHORIZED;
                    };
                    if headers.get("content-encoding").map(|v| v.as_bytes()) != Some(b"aes128gcm") {
                        return StatusCode::BAD_REQUEST;
                    }
                    let Some(plain) = decrypt(&device.secret, &device.auth, &body) else {
                        return StatusCode::BAD_REQUEST;
                    };
                    let payload = serde_json::from_slice(&plain).unwrap_or_default();
                    let subject = claims["sub"].as_str().unwrap_or_default().to_owned();
                    received.lock().unwrap().push((name, payload, subject));
                    StatusCode::CREATED
                },
            ),
        )
        .with_state(state);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    PushService { base, received }
}

async fn subscribe(member: &Operator, endpoint: &str, p256dh: &str, auth: &str) -> reqwest::Response {
    member.call("subscribe_push", &[("endpoint", endpoint), ("p256dh", p256dh), ("auth", auth)]).await
}

async fn notifications_on(member: &Operator, on: bool) {
    let on = on.to_string();
    let response = member.call("set_notification_settings", &[("desktop", &on), ("sound", "true")]).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_new_conversation_is_pushed_encrypted_to_each_device_of_members_who_want_it() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let (phone, laptop, colleague_phone) = (Device::new("phone"), Device::new("laptop"), Device::new("colleague"));
    let keys: Vec<(String, String)> =
        [&phone, &laptop, &colleague_phone].iter().map(|d| (d.p256dh(), b64(&d.auth))).collect();
    let push = start_push_service(vec![phone, laptop, colleague_phone]).await;

    let owner = app.operator(&ws).await;
    let colleague = app.member(&ws, Role::Operator).await;
    notifications_on(&colleague, false).await;
    notifications_on(&owner, true).await;
    // The public key is this instance's VAPID key, the same on every call.
    let key: String = owner.call("get_push_key", &[]).await.json().await.unwrap();
    let again: String = colleague.call("get_push_key", &[]).await.json().await.unwrap();
    assert_eq!((key.len(), &key), (87, &again));

    for (device, (p256dh, auth)) in ["phone", "laptop"].iter().zip(&keys) {
        let endpoint = format!("{}/push/{device}", push.base);
        assert_eq!(subscribe(&owner, &endpoint, p256dh, auth).await.status(), 200);
    }
    let gone = format!("{}/push/gone", push.base);
    assert_eq!(subscribe(&owner, &gone, &keys[0].0, &keys[0].1).await.status(), 200);
    let endpoint = format!("{}/push/colleague", push.base);
    assert_eq!(subscribe(&colleague, &endpoint, &keys[2].0, &keys[2].1).await.status(), 200);

    let id = app.visitor_writes(&ws, "Is my order on its way?").await;

    // Both of the owner's devices get it, decrypted with their own keys; the colleague
    // (notifications off) gets nothing.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if push.received.lock().unwrap().len() >= 2 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "pushes: {:?}", push.received.lock().unwrap());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let received = push.received.lock().unwrap().clone();
    let mut devices: Vec<&str> = received.iter().map(|(d, _, _)| d.as_str()).collect();
    devices.sort();
    assert_eq!(devices, ["laptop", "phone"]);
    for (_, payload, subject) in &received {
        assert!(payload["title"].as_str().unwrap().starts_with("New conversation: "), "{payload}");
        assert_eq!(payload["body"], "Is my order on its way?");
        assert_eq!(payload["url"], format!("/w/acme/inbox/{id}"), "the conversation at its workspace's address");
        assert_eq!(subject, &app.services.config.public_url);
    }

    // The device whose push service answered 410 is forgotten.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        use parley_services::entities::push_subscription as sub;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        // unscoped: the test looks for one endpoint.
        let left = sub::Entity::find().filter(sub::Column::Endpoint.eq(&gone)).count(&app.services.db).await.unwrap();
        if left == 0 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the 410 device is still subscribed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(push.received.lock().unwrap().len(), 2, "the colleague got nothing");

    // Each member reads it in their own language: the colleague works in Spanish.
    let spanish = colleague.call("update_profile", &[("name", "Colega"), ("avatar_url", ""), ("language", "es")]).await;
    assert_eq!(spanish.status(), 200);
    notifications_on(&colleague, true).await;
    app.visitor_writes(&ws, "¿Dónde está mi pedido?").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    let titles = loop {
        let received = push.received.lock().unwrap().clone();
        if received.len() >= 5 {
            break received[2..]
                .iter()
                .map(|(d, p, _)| (d.clone(), p["title"].clone(), p["body"].clone()))
                .collect::<Vec<_>>();
        }
        assert!(tokio::time::Instant::now() < deadline, "pushes: {received:?}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    for (device, title, body) in titles {
        let (title, body) = (title.as_str().unwrap().to_owned(), body.as_str().unwrap().to_owned());
        if device == "colleague" {
            assert!(title.starts_with("Nueva conversación: "), "{title}");
        } else {
            assert!(title.starts_with("New conversation: "), "{title}");
        }
        assert_eq!(body, "¿Dónde está mi pedido?");
    }
}

#[tokio::test]
async fn bad_subscriptions_are_refused_and_unsubscribing_stops_pushes() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let owner = app.operator(&ws).await;
    let device = Device::new("phone");
    let (p256dh, auth) = (device.p256dh(), b64(&device.auth));
    for (endpoint, key, secret) in [
        ("ftp://push.example/x", p256dh.as_str(), auth.as_str()),
        ("http://push.example.net/x", p256dh.as_str(), auth.as_str()),
        ("not a url", p256dh.as_str(), auth.as_str()),
        ("https://push.example.net/x", "AAAA", auth.as_str()),
        ("https://push.example.net/x", p256dh.as_str(), "short"),
    ] {
        let response = subscribe(&owner, endpoint, key, secret).await;
        assert_eq!(response.status(), 400, "{endpoint} {key} {secret}");
    }
    assert_eq!(subscribe(&app.anonymous(), "https://push.example.net/x", &p256dh, &auth).await.status(), 401);

    let push = start_push_service(vec![device]).await;
    notifications_on(&owner, true).await;
    let endpoint = format!("{}/push/phone", push.base);
    assert_eq!(subscribe(&owner, &endpoint, &p256dh, &auth).await.status(), 200);
    assert_eq!(owner.call("unsubscribe_push", &[("endpoint", endpoint.as_str())]).await.status(), 200);
    app.visitor_writes(&ws, "anyone?").await;
    // The consumer has handled the message once its position passed it; nothing was sent.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let handled = parley_services::outbox::position(&app.services.db, "push").await.unwrap();
        let newest = parley_services::outbox::events_after(&app.services.db, handled, 1).await.unwrap();
        if newest.is_empty() && handled > 0 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the push consumer did not catch up");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(push.received.lock().unwrap().is_empty());
}

/// Waits until the push consumer has handled every event and every push it queued went
/// out (a sent push's job is deleted).
async fn pushes_settled(app: &TestApp) {
    use parley_services::entities::job;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let handled = parley_services::outbox::position(&app.services.db, "push").await.unwrap();
        let newest = parley_services::outbox::events_after(&app.services.db, handled, 1).await.unwrap();
        // unscoped: the test looks at every queued push.
        let queued =
            job::Entity::find().filter(job::Column::Kind.eq("push.send")).count(&app.services.db).await.unwrap();
        if newest.is_empty() && handled > 0 && queued == 0 {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "pushes did not settle");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_new_conversation_in_a_department_is_pushed_only_to_members_who_see_it() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let (phone, colleague_phone) = (Device::new("phone"), Device::new("colleague"));
    let keys: Vec<(String, String)> = [&phone, &colleague_phone].iter().map(|d| (d.p256dh(), b64(&d.auth))).collect();
    let push = start_push_service(vec![phone, colleague_phone]).await;
    let owner = app.operator(&ws).await;
    let colleague = app.member(&ws, Role::Operator).await;
    for (member, (device, (p256dh, auth))) in
        [&owner, &colleague].into_iter().zip(["phone", "colleague"].iter().zip(&keys))
    {
        notifications_on(member, true).await;
        let endpoint = format!("{}/push/{device}", push.base);
        assert_eq!(subscribe(member, &endpoint, p256dh, auth).await.status(), 200);
    }
    // New conversations go to Sales, which the colleague is not in; operators see only
    // their departments' conversations.
    let form =
        [("name", "Sales"), ("auto_assign", "false"), ("capacity", "10"), ("members", ""), ("is_default", "true")];
    assert_eq!(owner.call("create_department", &form).await.status(), 200);
    assert_eq!(owner.call("set_own_departments_only", &[("on", "true")]).await.status(), 200);

    app.visitor_writes(&ws, "For sales").await;
    pushes_settled(&app).await;
    let devices = |received: &Received| received.lock().unwrap().iter().map(|(d, _, _)| d.clone()).collect::<Vec<_>>();
    assert_eq!(devices(&push.received), ["phone"], "the owner alone sees it");

    // With the option off, the colleague's device gets the next one too.
    assert_eq!(owner.call("set_own_departments_only", &[("on", "false")]).await.status(), 200);
    app.visitor_writes(&ws, "For sales again").await;
    pushes_settled(&app).await;
    let mut all = devices(&push.received);
    all.sort();
    assert_eq!(all, ["colleague", "phone", "phone"]);
}
