//! End-to-end behaviour of a real Parley server over HTTP and WebSocket. Runs on SQLite,
//! and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{Author, ClientEvent, ConversationStatus, ConversationSummary, Message, ServerEvent};
use support::{PASSWORD, SITE, Socket, TestApp};

fn send(client_id: &str, text: &str) -> ClientEvent {
    ClientEvent::Send { client_id: client_id.into(), text: text.into() }
}

#[tokio::test]
async fn a_visitor_message_reaches_the_operator_and_the_reply_reaches_the_visitor() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let mut inbox = operator.socket().await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, history) = app.visitor_socket(&ws, &visitor, 0).await;
    assert!(history.is_empty());

    widget.send(&send("v-1", "Hello, is anyone there?")).await;
    let echoed = widget.wait_for_message("Hello, is anyone there?").await;
    assert_eq!((echoed.seq, echoed.client_id.as_deref()), (1, Some("v-1")));
    let seen = inbox.wait_for_message("Hello, is anyone there?").await;
    assert_eq!(seen.author, Author::Visitor);
    let summary = inbox
        .wait_for(|e| match e {
            ServerEvent::ConversationChanged { conversation } => Some(conversation),
            _ => None,
        })
        .await;
    assert_eq!((summary.unread, summary.last_message.as_deref()), (1, Some("Hello, is anyone there?")));

    let id = seen.conversation_id.to_string();
    let reply =
        operator.call("send_reply", &[("id", &id), ("client_id", "op-1"), ("text", "Yes! How can I help?")]).await;
    assert_eq!(reply.status(), 200);
    let stored: Message = reply.json().await.unwrap();
    assert_eq!((stored.seq, stored.author), (2, Author::Operator));

    let answer = widget.wait_for_message("Yes! How can I help?").await;
    assert_eq!(answer.author_name.as_deref(), Some("Acme Owner"));

    let list: Vec<ConversationSummary> = operator.call("list_conversations", &[]).await.json().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].last_seq, list[0].unread), (2, 0), "answering marks the conversation read");
}

#[tokio::test]
async fn a_reconnecting_visitor_receives_exactly_the_messages_it_missed_in_order() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("v-1", "first")).await;
    let first = widget.wait_for_message("first").await;
    widget.close().await;

    let id = first.conversation_id.to_string();
    for (n, text) in ["second", "third", "fourth"].iter().enumerate() {
        let client_id = format!("op-{n}");
        let response = operator.call("send_reply", &[("id", &id), ("client_id", &client_id), ("text", text)]).await;
        assert_eq!(response.status(), 200);
    }

    let (mut widget, missed) = app.visitor_socket(&ws, &visitor, first.seq).await;
    let texts: Vec<&str> = missed.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["second", "third", "fourth"]);
    assert_eq!(missed.iter().map(|m| m.seq).collect::<Vec<_>>(), [2, 3, 4]);

    // Nothing is delivered twice: the next event is the next new message.
    operator.call("send_reply", &[("id", &id), ("client_id", "op-9"), ("text", "fifth")]).await;
    match widget.next_event().await {
        ServerEvent::MessageCreated { message } => assert_eq!((message.seq, message.text.as_str()), (5, "fifth")),
        other => panic!("expected the fifth message, got {other:?}"),
    }

    // A fresh page (cursor 0) gets the whole history.
    let (_, all) = app.visitor_socket(&ws, &visitor, 0).await;
    assert_eq!(all.len(), 5);
}

#[tokio::test]
async fn a_message_resent_with_the_same_client_id_is_stored_once() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("same-id", "only once")).await;
    let original = widget.wait_for_message("only once").await;
    widget.send(&send("same-id", "only once")).await;
    let ack = widget.wait_for_message("only once").await;
    assert_eq!(ack.id, original.id, "the resend is acknowledged with the stored message");

    let id = original.conversation_id.to_string();
    for _ in 0..2 {
        let r = operator.call("send_reply", &[("id", &id), ("client_id", "op-same"), ("text", "reply once")]).await;
        assert_eq!(r.status(), 200);
    }
    let detail: serde_json::Value = operator.call("get_conversation", &[("id", &id)]).await.json().await.unwrap();
    let texts: Vec<&str> = detail["messages"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["only once", "reply once"]);
}

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
    let err = Socket::try_connect(&url, &[]).await.err().expect("the socket must be refused");
    assert!(err.to_string().contains("401"), "{err}");
}

#[tokio::test]
async fn another_workspaces_conversation_is_not_found() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let visitor = app.visitor(&acme).await;
    let (mut widget, _) = app.visitor_socket(&acme, &visitor, 0).await;
    widget.send(&send("v-1", "Acme's secret")).await;
    let message = widget.wait_for_message("Acme's secret").await;
    let id = message.conversation_id.to_string();

    let intruder = app.operator(&globex).await;
    for (name, form) in [
        ("get_conversation", vec![("id", id.as_str())]),
        ("send_reply", vec![("id", id.as_str()), ("client_id", "x"), ("text", "hi")]),
        ("set_conversation_status", vec![("id", id.as_str()), ("status", "closed")]),
    ] {
        let response = intruder.call(name, &form).await;
        assert_eq!(response.status(), 404, "{name}");
    }
    let list: Vec<ConversationSummary> = intruder.call("list_conversations", &[]).await.json().await.unwrap();
    assert!(list.is_empty());

    let mut socket = intruder.socket().await;
    socket.send(&ClientEvent::Resume { conversation_id: Some(message.conversation_id), after_seq: 0 }).await;
    assert!(
        matches!(socket.next_event().await, ServerEvent::Error { .. }),
        "replaying another workspace's messages is refused"
    );
}

#[tokio::test]
async fn a_script_payload_is_stored_as_text_and_rendered_escaped() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    let payload = "<script>alert('pwned')</script>";
    widget.send(&send("v-1", payload)).await;
    let message = widget.wait_for_message(payload).await;
    assert_eq!(message.text, payload, "stored exactly as written");

    let page = operator.client.get(format!("{}/inbox/{}", app.base, message.conversation_id)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("&lt;script&gt;alert("), "the payload is rendered escaped");
    assert!(!html.contains("<script>alert("), "the payload is never rendered as markup");
}

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
    let err = Socket::try_connect(&url, &[("Origin", "https://evil.test")]).await.err().expect("refused");
    assert!(err.to_string().contains("403"), "{err}");
    let err =
        Socket::try_connect(&url.replace(&allowed.token, "forged"), &[("Origin", SITE)]).await.err().expect("refused");
    assert!(err.to_string().contains("401"), "{err}");
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
    let err = Socket::try_connect(&url, &[("Origin", "https://evil.test"), ("Cookie", &operator.cookie())])
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
    let again = operator.call("login", &[("email", &ws.email), ("password", PASSWORD)]).await;
    assert!(again.status().is_redirection() || again.status().is_success());
    assert_ne!(operator.cookie(), first, "a new session id at every sign-in");

    // Shutting down closes open sockets with "going away" (1001) so clients reconnect.
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    let app = app.restart().await;
    assert_eq!(widget.close_code().await, Some(1001));
    let client = reqwest::Client::new();
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
async fn closing_and_reopening_and_a_visitor_writing_into_a_closed_conversation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("v-1", "hi")).await;
    let id = widget.wait_for_message("hi").await.conversation_id;
    let mut inbox = operator.socket().await;

    let closed: ConversationSummary = operator
        .call("set_conversation_status", &[("id", &id.to_string()), ("status", "closed")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed.status, ConversationStatus::Closed);
    let seen = widget
        .wait_for(|e| match e {
            ServerEvent::StatusChanged { status, .. } => Some(status),
            _ => None,
        })
        .await;
    assert_eq!(seen, ConversationStatus::Closed);
    let changed = inbox
        .wait_for(|e| match e {
            ServerEvent::ConversationChanged { conversation } => Some(conversation),
            _ => None,
        })
        .await;
    assert_eq!(changed.status, ConversationStatus::Closed);

    widget.send(&send("v-2", "one more thing")).await;
    let reopened = inbox
        .wait_for(|e| match e {
            ServerEvent::ConversationChanged { conversation } if conversation.last_seq == 2 => Some(conversation),
            _ => None,
        })
        .await;
    assert_eq!(reopened.status, ConversationStatus::Open, "a visitor writing reopens the conversation");

    let bad = operator.call("set_conversation_status", &[("id", &id.to_string()), ("status", "deleted")]).await;
    assert_eq!(bad.status(), 400, "an unknown status is refused");
}

#[tokio::test]
async fn operators_see_the_visitor_typing() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("v-1", "hi")).await;
    widget.wait_for_message("hi").await;
    let mut inbox = operator.socket().await;
    widget.send(&ClientEvent::Typing { conversation_id: None, typing: true }).await;
    let (author, typing) = inbox
        .wait_for(|e| match e {
            ServerEvent::Typing { author, typing, .. } => Some((author, typing)),
            _ => None,
        })
        .await;
    assert_eq!((author, typing), (Author::Visitor, true));
}

#[tokio::test]
async fn bad_messages_are_refused_with_a_clear_error_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("v-1", "   ")).await;
    match widget.next_event().await {
        ServerEvent::Error { message } => assert_eq!(message, "A message cannot be empty."),
        other => panic!("expected an error, got {other:?}"),
    }
    widget.send(&send("v-2", &"x".repeat(10_001))).await;
    assert!(matches!(widget.next_event().await, ServerEvent::Error { .. }));
    let (_, history) = app.visitor_socket(&ws, &visitor, 0).await;
    assert!(history.is_empty());
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

    let bad = operator.call("update_allowed_origins", &[("origins", "https://new.test\nnot an origin")]).await;
    assert_eq!(bad.status(), 400);
    assert_eq!(visitor_from(SITE).await.unwrap().status(), 200, "a refused update changes nothing");

    let saved: Vec<String> =
        operator.call("update_allowed_origins", &[("origins", "HTTPS://New.test/\n\n")]).await.json().await.unwrap();
    assert_eq!(saved, ["https://new.test"]);
    let allowed = visitor_from("https://new.test").await.unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://new.test");
    assert_eq!(visitor_from(SITE).await.unwrap().status(), 403, "origins removed from the list are refused");

    let settings: serde_json::Value = operator.call("get_widget_settings", &[]).await.json().await.unwrap();
    assert!(settings["snippet"].as_str().unwrap().contains(&ws.key));
}
