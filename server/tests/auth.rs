//! Sessions, sign-in and first-run setup. Runs on SQLite, and on PostgreSQL when
//! `DATABASE_URL` is set.

mod support;

use parley_types::OperatorEvent;
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
