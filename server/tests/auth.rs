//! Sessions, sign-in and first-run setup. Runs on SQLite, and on PostgreSQL when
//! `DATABASE_URL` is set.

mod support;

use parley_services::entities::session;
use parley_types::OperatorEvent;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use support::{PASSWORD, Socket, TestApp};

#[tokio::test]
async fn without_a_session_server_functions_and_the_operator_socket_answer_401() {
    let app = TestApp::spawn().await;
    app.workspace("Acme").await;
    let (client, _) = app.client();
    let response = client.post(format!("{}/api/list_conversations", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized");

    let url = format!("{}/ws/operator", app.base.replace("http", "ws"));
    let err = Socket::<OperatorEvent>::try_connect(&url, &[("Origin", &app.base)])
        .await
        .err()
        .expect("the socket must be refused");
    assert!(err.to_string().contains("401"), "{err}");
    let err = Socket::<OperatorEvent>::try_connect(&url, &[]).await.err().expect("no Origin is refused too");
    assert!(err.to_string().contains("403"), "{err}");
}

#[tokio::test]
async fn cross_site_calls_to_server_functions_are_refused() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let response = operator
        .client
        .post(format!("{}/api/list_conversations", app.base))
        .header("Origin", "https://evil.test")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let url = format!("{}/ws/operator", app.base.replace("http", "ws"));
    let err =
        Socket::<OperatorEvent>::try_connect(&url, &[("Origin", "https://evil.test"), ("Cookie", &operator.cookie())])
            .await
            .err()
            .expect("refused");
    assert!(err.to_string().contains("403"), "{err}");
}

#[tokio::test]
async fn signing_in_rotates_the_session_and_sessions_survive_a_restart() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let first = operator.cookie();
    assert!(first.contains("parley_session="), "{first}");
    let again = operator.login(&ws.email, PASSWORD).await;
    assert!(again.status().is_redirection() || again.status().is_success());
    assert_ne!(operator.cookie(), first, "a new session id at every sign-in");

    // Shutting down closes open sockets with "going away" (1001) so clients reconnect.
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    let app = app.restart().await;
    assert_eq!(widget.close_code().await, Some(1001));
    let client = app.client().0;
    let response = client
        .post(format!("{}/api/list_conversations", app.base))
        .header("Cookie", operator.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the session is still valid after the restart");

    let logout =
        client.post(format!("{}/api/logout", app.base)).header("Cookie", operator.cookie()).send().await.unwrap();
    assert!(logout.status().is_redirection() || logout.status().is_success());
    let after = client
        .post(format!("{}/api/list_conversations", app.base))
        .header("Cookie", operator.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401, "the session is gone after signing out");
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_slowed_down() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let (client, _) = app.client();
    let login = |password: &'static str| {
        client
            .post(format!("{}/api/login", app.base))
            .form(&[("email", ws.email.as_str()), ("password", password)])
            .send()
    };
    for _ in 0..5 {
        assert_eq!(login("wrong password").await.unwrap().status(), 400);
    }
    let locked = login(PASSWORD).await.unwrap();
    assert_eq!(locked.status(), 429, "even the right password waits once the email is locked");
}

#[tokio::test]
async fn first_run_shows_setup_and_health_answers() {
    let app = TestApp::spawn().await;
    let (client, _) = app.client();
    assert_eq!(client.get(format!("{}/healthz", app.base)).send().await.unwrap().text().await.unwrap(), "ok");
    let home = client.get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(home.headers().get("location").and_then(|v| v.to_str().ok()), Some("/setup"));

    let setup = client
        .post(format!("{}/api/setup", app.base))
        .form(&[
            ("workspace_name", "First"),
            ("name", "Ana"),
            ("email", "ana@first.test"),
            ("password", "long enough password"),
            ("origins", "https://first.test"),
        ])
        .send()
        .await
        .unwrap();
    assert!(setup.status().is_redirection() || setup.status().is_success(), "{}", setup.status());
    let list = client.post(format!("{}/api/list_conversations", app.base)).send().await.unwrap();
    assert_eq!(list.status(), 200, "setup signs the owner in");

    let again = app
        .client()
        .0
        .post(format!("{}/api/setup", app.base))
        .form(&[
            ("workspace_name", "Second"),
            ("name", "Eve"),
            ("email", "eve@x.test"),
            ("password", "long enough password"),
            ("origins", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409, "setup works only once");
}

/// The one session row in the database.
async fn only_session(app: &TestApp) -> session::Model {
    let rows = session::Entity::find().all(&app.services.db).await.unwrap();
    assert_eq!(rows.len(), 1, "one signed-in session");
    rows.into_iter().next().unwrap()
}

/// Moves a session in time: its data keys (`signed_in_at_ms`, `seen_at_ms`) and its end.
async fn rewrite_session(app: &TestApp, row: &session::Model, data: &[(&str, i64)], expires_at: i64) {
    let mut map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&row.data).unwrap();
    for (key, value) in data {
        assert!(map.contains_key(*key), "the session records {key}");
        map.insert((*key).to_owned(), (*value).into());
    }
    let mut active: session::ActiveModel = row.clone().into();
    active.data = Set(serde_json::to_vec(&map).unwrap());
    active.expires_at = Set(expires_at);
    active.update(&app.services.db).await.unwrap();
}

fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test]
async fn using_a_session_pushes_its_end_back_and_an_idle_one_ends() {
    let app =
        TestApp::spawn_with_env(&[("PARLEY_SESSION_IDLE_MINUTES", "30"), ("PARLEY_SESSION_MAX_HOURS", "2")]).await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let row = only_session(&app).await;
    let ends_in = |row: &session::Model| row.expires_at - now_secs();
    assert!((1790..=1800).contains(&ends_in(&row)), "signed in for one idle window: {}", ends_in(&row));

    // Last extended ten minutes ago, twenty minutes left: a request pushes the end back
    // to thirty minutes from now.
    let now = now_secs();
    rewrite_session(&app, &row, &[("seen_at_ms", (now - 600) * 1000)], now + 1200).await;
    assert_eq!(operator.list_conversations().await.status(), 200);
    let row = only_session(&app).await;
    assert!((1790..=1800).contains(&ends_in(&row)), "activity extends the session: {}", ends_in(&row));

    // Extended a moment ago: a request does not write the row again.
    rewrite_session(&app, &row, &[], now + 1500).await;
    assert_eq!(operator.list_conversations().await.status(), 200);
    assert_eq!(only_session(&app).await.expires_at, now + 1500, "at most one write a minute");

    // Unused past its end: signed out.
    rewrite_session(&app, &row, &[("seen_at_ms", (now - 1900) * 1000)], now - 1).await;
    assert_eq!(operator.list_conversations().await.status(), 401);
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_active() {
    let app =
        TestApp::spawn_with_env(&[("PARLEY_SESSION_IDLE_MINUTES", "30"), ("PARLEY_SESSION_MAX_HOURS", "2")]).await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let row = only_session(&app).await;
    let now = now_secs();
    // Signed in 1 h 59 min ago and in use: still valid, but extended only up to 2 h.
    rewrite_session(
        &app,
        &row,
        &[("signed_in_at_ms", (now - 7140) * 1000), ("seen_at_ms", (now - 120) * 1000)],
        now + 600,
    )
    .await;
    assert_eq!(operator.list_conversations().await.status(), 200);
    let row = only_session(&app).await;
    assert!((55..=60).contains(&(row.expires_at - now)), "never past the absolute lifetime: {}", row.expires_at - now);

    // Two hours after sign-in: signed out, however recently used, and the row is gone.
    rewrite_session(&app, &row, &[("signed_in_at_ms", (now - 7201) * 1000)], now + 600).await;
    assert_eq!(operator.list_conversations().await.status(), 401);
    assert!(session::Entity::find().all(&app.services.db).await.unwrap().is_empty(), "the session is deleted");
}

#[tokio::test]
async fn an_open_operator_socket_closes_when_its_session_reaches_its_absolute_lifetime() {
    let app = TestApp::spawn_with_env(&[("PARLEY_SESSION_MAX_HOURS", "1")]).await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let row = only_session(&app).await;
    // Signed in 59 min 58 s ago: the socket opens and must close about 2 s later.
    let now_ms = now_secs() * 1000;
    rewrite_session(&app, &row, &[("signed_in_at_ms", now_ms - 3_598_000)], now_secs() + 600).await;
    let mut socket = operator.socket().await;
    let started = std::time::Instant::now();
    assert_eq!(socket.close_code().await, Some(1008), "closed as signed out");
    let after = started.elapsed();
    assert!(after < std::time::Duration::from_secs(5), "closed {after:?} after opening");
}

#[tokio::test]
async fn work_in_an_open_operator_socket_keeps_its_session_alive_and_an_idle_one_closes() {
    let app = TestApp::spawn_with_env(&[("PARLEY_SESSION_IDLE_MINUTES", "30"), ("PARLEY_SOCKET_PING_SECS", "1")]).await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let mut socket = operator.socket().await;
    // The session is about to idle out (its end in 3 s, last extended long ago)...
    let now = now_secs();
    rewrite_session(&app, &only_session(&app).await, &[("seen_at_ms", (now - 1700) * 1000)], now + 3).await;
    // ... but the operator works in the socket for longer than that, without a request.
    let resume = parley_types::ClientEvent::Resume { conversation_id: None, after_seq: 0 };
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < until {
        socket.send(&resume).await;
        // Reads the answers (and answers pings) until the socket is quiet for 300 ms.
        while socket.raw_within(std::time::Duration::from_millis(300)).await.is_some() {}
    }
    let row = only_session(&app).await;
    assert!(
        row.expires_at - now_secs() > 1700,
        "work in the socket extends the session: {}",
        row.expires_at - now_secs()
    );
    assert_eq!(operator.list_conversations().await.status(), 200, "still signed in after 5 s");

    // Left alone past the session's end, the socket closes as signed out.
    let now = now_secs();
    rewrite_session(&app, &only_session(&app).await, &[], now + 2).await;
    let started = std::time::Instant::now();
    assert_eq!(socket.close_code().await, Some(1008), "closed as signed out");
    assert!(started.elapsed() < std::time::Duration::from_secs(6), "closed {:?} after the end", started.elapsed());
    assert_eq!(operator.list_conversations().await.status(), 401);
}
