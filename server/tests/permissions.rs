//! Who may call what: every endpoint × every kind of caller. Runs on SQLite, and on
//! PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{ClientEvent, ConversationSummary, OperatorEvent};
use support::TestApp;

fn send(client_id: &str, text: &str) -> ClientEvent {
    ClientEvent::Send { client_id: client_id.into(), text: text.into() }
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
        matches!(socket.next_event().await, OperatorEvent::Error(_)),
        "replaying another workspace's messages is refused"
    );
}
