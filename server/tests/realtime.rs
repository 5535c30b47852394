//! Realtime delivery: replay on reconnect, audiences, ordering. Runs on SQLite, and on
//! PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{ClientEvent, VisitorEvent};
use support::TestApp;

fn send(client_id: &str, text: &str) -> ClientEvent {
    ClientEvent::Send { client_id: client_id.into(), text: text.into() }
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

    let id = first.conversation_id;
    for (n, text) in ["second", "third", "fourth"].iter().enumerate() {
        let client_id = format!("op-{n}");
        let response = operator.send_reply(id, &client_id, text).await;
        assert_eq!(response.status(), 200);
    }

    let (mut widget, missed) = app.visitor_socket(&ws, &visitor, first.seq).await;
    let texts: Vec<&str> = missed.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["second", "third", "fourth"]);
    assert_eq!(missed.iter().map(|m| m.seq).collect::<Vec<_>>(), [2, 3, 4]);

    // Nothing is delivered twice: the next event is the next new message.
    operator.send_reply(id, "op-9", "fifth").await;
    match widget.next_event().await {
        VisitorEvent::MessageCreated { message } => assert_eq!((message.seq, message.text.as_str()), (5, "fifth")),
        other => panic!("expected the fifth message, got {other:?}"),
    }

    // A fresh page (cursor 0) gets the whole history.
    let (_, all) = app.visitor_socket(&ws, &visitor, 0).await;
    assert_eq!(all.len(), 5);
}
