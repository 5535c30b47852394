//! The widget's HTTP endpoints and its allowed origins. Runs on SQLite, and on
//! PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::VisitorEvent;
use support::{SITE, Socket, TestApp, visitor_protocols};

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
    let url = app.visitor_socket_url(&ws);
    let token = visitor_protocols(&allowed.token);
    let err = Socket::<VisitorEvent>::try_connect(
        &url,
        &[("Origin", "https://evil.test"), ("Sec-WebSocket-Protocol", &token)],
    )
    .await
    .err()
    .expect("refused");
    assert!(err.to_string().contains("403"), "{err}");
    let forged = visitor_protocols("forged");
    for headers in [vec![("Origin", SITE), ("Sec-WebSocket-Protocol", forged.as_str())], vec![("Origin", SITE)]] {
        let err = Socket::<VisitorEvent>::try_connect(&url, &headers).await.err().expect("refused");
        assert!(err.to_string().contains("401"), "{err}");
    }
}

#[tokio::test]
async fn visitor_tokens_travel_in_headers_never_in_urls() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let visitor = app.visitor(&ws).await;
    let session = |token: Option<&str>, query: &str| {
        let mut request = reqwest::Client::new()
            .get(format!("{}/widget/v1/{}/session{query}", app.base, ws.key))
            .header("Origin", SITE);
        if let Some(token) = token {
            request = request.header("X-Parley-Token", token);
        }
        request.send()
    };
    let found = session(Some(&visitor.token), "").await.unwrap();
    assert_eq!(found.status(), 200);
    let body: serde_json::Value = found.json().await.unwrap();
    assert_eq!(body["contact_id"], visitor.contact_id.0);
    let in_url = session(None, &format!("?token={}", visitor.token)).await.unwrap();
    assert_eq!(in_url.status(), 401, "a token in the URL is not accepted");
    assert_eq!(session(Some("forged"), "").await.unwrap().status(), 401);

    // The preflight lets the page send the header.
    let preflight = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{}/widget/v1/{}/session", app.base, ws.key))
        .header("Origin", SITE)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "x-parley-token")
        .send()
        .await
        .unwrap();
    let allowed = preflight.headers()["access-control-allow-headers"].to_str().unwrap().to_owned();
    assert!(allowed.contains("x-parley-token"), "{allowed}");
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

#[tokio::test]
async fn every_route_the_widget_calls_is_served_as_it_calls_it() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let session = app.visitor(&ws).await;
    let client = reqwest::Client::new();
    // The download route fetches what the upload route stored (it comes first).
    let mut uploaded = 0;
    for route in widget::api::ROUTES {
        // The catalog route takes a language where the others take the workspace's key.
        let url = route.url_with(&app.base, if route == widget::api::LOCALE { "es" } else { &ws.key });
        if route == widget::api::SOCKET {
            let url = url.replacen("http", "ws", 1);
            let protocols = format!("{}, token.{}", widget::api::SOCKET_PROTOCOL, session.token);
            let socket =
                Socket::<VisitorEvent>::try_connect(&url, &[("Origin", SITE), ("Sec-WebSocket-Protocol", &protocols)])
                    .await;
            assert!(socket.is_ok(), "{url}: {:?}", socket.err());
            continue;
        }
        let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
        let url = url.replacen("{id}", &uploaded.to_string(), 1);
        let mut request =
            client.request(method, &url).header("Origin", SITE).header(widget::api::TOKEN_HEADER, &session.token);
        let mut expected = 200;
        if route == widget::files::UPLOAD {
            request = request.header("x-parley-filename", "notes.txt").body("route check");
            expected = 201;
        }
        // The JS API's calls, each with the smallest body it takes.
        let json = [
            (widget::api::IDENTIFY, r#"{"id":"route-check"}"#),
            (widget::api::ATTRIBUTES, r#"{"attributes":{}}"#),
            (widget::api::LABELS, r#"{"labels":[]}"#),
            (widget::api::EVENTS, r#"{"name":"route check"}"#),
            (widget::api::LEAD, r#"{"form":"email","values":{"email":"route@check.test"}}"#),
        ];
        if let Some((_, body)) = json.iter().find(|(r, _)| *r == route) {
            request = request.header("content-type", "application/json").body(*body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), expected, "{} {url}", route.method);
        if route == widget::files::UPLOAD {
            uploaded = response.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
        }
    }
}

#[tokio::test]
async fn a_widget_loads_only_its_own_languages_catalog() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let url = widget::api::LOCALE.url_with(&app.base, "es");
    let spanish = client.get(&url).header("Origin", SITE).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(spanish.status(), 200);
    assert_eq!(spanish.headers()["access-control-allow-origin"], "*", "any page with the widget may read it");
    assert_eq!(spanish.headers()["cache-control"], "public, max-age=3600");
    assert_eq!(spanish.headers()["content-encoding"], "gzip", "compressed on the wire");
    let plain = client.get(&url).header("Origin", SITE).send().await.unwrap();
    let text = plain.text().await.unwrap();
    assert_eq!(text, include_str!("../../widget/locales/es.ftl"));
    let catalog = widget::i18n::Catalog::parse("es", &text).expect("the served catalog reads");
    assert_eq!(catalog.format("send", &[]), "Enviar");
    // English is built into the widget; nothing else is served.
    for lang in ["en", "fr", "..%2Fsecrets"] {
        let refused = client.get(widget::api::LOCALE.url_with(&app.base, lang)).send().await.unwrap();
        assert_eq!(refused.status(), 404, "{lang}");
        let body: serde_json::Value = refused.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().starts_with("The widget does not speak"), "{body}");
    }
}
