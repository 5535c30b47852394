//! Hardening: CSRF by Origin, security headers, password limits, concurrent setup and
//! sign-in bursts. Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use support::{PASSWORD, TestApp};

#[tokio::test]
async fn state_changing_requests_need_parleys_own_origin_never_the_host_header() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let plain = reqwest::Client::new();
    let post = |origin: Option<&'static str>, host: Option<&'static str>| {
        let mut request =
            plain.post(format!("{}/api/list_conversations", app.base)).header("Cookie", operator.cookie());
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        if let Some(host) = host {
            request = request.header("Host", host);
        }
        request.send()
    };
    assert_eq!(post(None, None).await.unwrap().status(), 403, "no Origin");
    assert_eq!(post(Some("null"), None).await.unwrap().status(), 403, "Origin: null");
    assert_eq!(post(Some("http://evil.test"), Some("evil.test")).await.unwrap().status(), 403, "Host never counts");
    let own: &'static str = Box::leak(app.base.clone().into_boxed_str());
    assert_eq!(post(Some(own), None).await.unwrap().status(), 200);
    let refused = post(None, None).await.unwrap();
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
}

#[tokio::test]
async fn every_answer_is_nosniff_and_private_answers_are_not_stored() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let page = operator.client.get(format!("{}/w/acme/inbox", app.base)).send().await.unwrap();
    let api = operator.list_conversations().await;
    let visitor = reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/visitors", app.base, ws.key))
        .header("Origin", support::SITE)
        .send()
        .await
        .unwrap();
    let health = reqwest::Client::new().get(format!("{}/healthz", app.base)).send().await.unwrap();
    for (name, response) in [("page", &page), ("api", &api), ("visitor", &visitor), ("health", &health)] {
        assert_eq!(response.headers()["x-content-type-options"], "nosniff", "{name}");
        assert!(response.headers().contains_key("referrer-policy"), "{name}");
    }
    for (name, response) in [("page", &page), ("api", &api), ("visitor", &visitor)] {
        assert_eq!(response.headers()["cache-control"], "no-store", "{name} carries private data or a token");
    }
    assert_eq!(page.headers()["x-frame-options"], "DENY", "the app is never framed");
    assert!(!page.headers().contains_key("strict-transport-security"), "no HSTS on plain http");
}

/// The `'nonce-…'` of a page's Content-Security-Policy, after checking that the policy
/// allows no inline script without it.
fn page_nonce(policy: &str) -> String {
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    let script_src = policy.split(';').map(str::trim).find(|d| d.starts_with("script-src")).expect("script-src");
    let nonce = script_src.split(' ').find_map(|s| s.strip_prefix("'nonce-")).expect("a nonce").trim_end_matches('\'');
    assert!(nonce.len() >= 22, "128 bits at least: {nonce}");
    nonce.to_owned()
}

#[tokio::test]
async fn pages_run_only_scripts_carrying_their_own_nonce() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let mut nonces = Vec::new();
    for path in ["/login", "/w/acme/inbox", "/no-such-page"] {
        // Twice a CI run on PostgreSQL hung here rendering /inbox (not reproduced since):
        // fail with the path rather than wait for CI's limit.
        let request = operator.client.get(format!("{}{path}", app.base)).send();
        let page = tokio::time::timeout(std::time::Duration::from_secs(60), request)
            .await
            .unwrap_or_else(|_| panic!("rendering {path} took over 60 s"))
            .unwrap();
        let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
        let nonce = page_nonce(&policy);
        let html = page.text().await.unwrap();
        let scripts: Vec<&str> = html.split("<script").skip(1).map(|s| &s[..s.find('>').unwrap_or(s.len())]).collect();
        assert!(!scripts.is_empty(), "{path} hydrates");
        for attributes in scripts {
            assert!(
                attributes.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: a script without the nonce: {attributes}"
            );
        }
        nonces.push(nonce);
    }
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a fresh nonce for every page");
    let api = operator.list_conversations().await;
    assert_eq!(api.headers()["content-security-policy"], "frame-ancestors 'none'");
}

#[tokio::test]
async fn overlong_passwords_are_refused_before_any_hashing() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let anonymous = app.anonymous();
    let huge = "x".repeat(100_000);
    let response = anonymous.login(&ws.email, &huge).await;
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("at most 1024 bytes"), "{body}");
    // The owner is not locked out by it.
    let signed_in = anonymous.login(&ws.email, PASSWORD).await.status();
    assert!(signed_in.is_redirection() || signed_in.is_success(), "{signed_in}");
}

#[tokio::test]
async fn a_burst_of_concurrent_wrong_passwords_gets_only_the_free_attempts_evaluated() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let attempts = (0..40).map(|_| {
        let client = app.client().0;
        let url = format!("{}/api/login", app.base);
        let email = ws.email.clone();
        async move {
            let form = [("email", email), ("password", "wrong password".to_owned())];
            client.post(url).form(&form).send().await.unwrap().status().as_u16()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let evaluated = statuses.iter().filter(|s| **s == 400).count();
    assert_eq!(evaluated, 5, "only five guesses are checked: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 400 || *s == 429), "{statuses:?}");
}

#[tokio::test]
async fn an_oversized_or_non_utf8_socket_frame_closes_with_its_own_code() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send_raw(&"x".repeat(200_000)).await;
    assert_eq!(widget.close_code().await, Some(1009), "too large");

    let (widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    let mut inner = widget.into_inner();
    // Invalid UTF-8 in a text frame: tungstenite's client will not build one, so the
    // frame is sent as raw bytes through a Frame.
    let frame = tokio_tungstenite::tungstenite::protocol::frame::Frame::message(
        vec![0xff, 0xfe, 0xfd],
        tokio_tungstenite::tungstenite::protocol::frame::coding::OpCode::Data(
            tokio_tungstenite::tungstenite::protocol::frame::coding::Data::Text,
        ),
        true,
    );
    inner.send(Message::Frame(frame)).await.expect("send raw frame");
    let mut socket = support::Socket::<parley_types::VisitorEvent>::from_inner(inner);
    assert_eq!(socket.close_code().await, Some(1007), "not UTF-8");
}

#[tokio::test]
async fn an_oversized_request_body_is_413_with_a_sentence() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let text = "x".repeat(3 * 1024 * 1024);
    let response = operator.send_reply(parley_types::ConversationId(1), "c-1", &text).await;
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "payload_too_large", "{body}");

    let garbage = operator
        .client
        .post(format!("{}/api/send_reply", app.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(vec![0xff, 0xfe, b'=', 0x00])
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400, "undecodable bytes are the caller's mistake");
    let body: serde_json::Value = garbage.json().await.unwrap();
    assert_eq!(body["error"], "invalid", "{body}");
}
