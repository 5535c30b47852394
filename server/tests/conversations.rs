//! Conversations end to end: visitor and operator messages, idempotent resends,
//! escaping, status changes, typing and refused input. Runs on SQLite, and on
//! PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{
    Author, ClientEvent, ConversationStatus, ConversationSummary, Message, OperatorEvent, VisitorEvent,
};
use support::TestApp;

fn send(client_id: &str, text: &str) -> ClientEvent {
    ClientEvent::Send { client_id: client_id.into(), text: text.into(), attachments: vec![] }
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
            OperatorEvent::ConversationChanged { conversation } => Some(conversation),
            _ => None,
        })
        .await;
    let (me, _) = operator.me().await;
    assert_eq!((summary.unread_for(me), summary.last_message.as_deref()), (1, Some("Hello, is anyone there?")));

    let reply = operator.send_reply(seen.conversation_id, "op-1", "Yes! How can I help?").await;
    assert_eq!(reply.status(), 200);
    let stored: Message = reply.json().await.unwrap();
    assert_eq!((stored.seq, stored.author), (2, Author::Operator));

    let answer = widget.wait_for_message("Yes! How can I help?").await;
    assert_eq!(answer.author_name.as_deref(), Some("Acme Owner"));

    let list: Vec<ConversationSummary> = operator.list_conversations().await.json().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].last_seq, list[0].unread_for(me)), (2, 0), "answering marks the conversation read");
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

    let id = original.conversation_id;
    for _ in 0..2 {
        let r = operator.send_reply(id, "op-same", "reply once").await;
        assert_eq!(r.status(), 200);
    }
    let detail: serde_json::Value = operator.get_conversation(id).await.json().await.unwrap();
    let texts: Vec<&str> = detail["messages"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["only once", "reply once"]);
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

    let page =
        operator.client.get(format!("{}/w/acme/inbox/{}", app.base, message.conversation_id)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("&lt;script&gt;alert("), "the payload is rendered escaped");
    assert!(!html.contains("<script>alert("), "the payload is never rendered as markup");
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

    let closed: ConversationSummary = operator.close_conversation(id, "resolved", None).await.json().await.unwrap();
    assert_eq!(closed.status, ConversationStatus::Closed);
    let seen = widget
        .wait_for(|e| match e {
            VisitorEvent::StatusChanged { status, .. } => Some(status),
            _ => None,
        })
        .await;
    assert_eq!(seen, ConversationStatus::Closed);
    let changed = inbox
        .wait_for(|e| match e {
            OperatorEvent::ConversationChanged { conversation } => Some(conversation),
            _ => None,
        })
        .await;
    assert_eq!(changed.status, ConversationStatus::Closed);

    widget.send(&send("v-2", "one more thing")).await;
    let reopened = inbox
        .wait_for(|e| match e {
            OperatorEvent::ConversationChanged { conversation }
                if conversation.last_message.as_deref() == Some("one more thing") =>
            {
                Some(conversation)
            }
            _ => None,
        })
        .await;
    assert_eq!(reopened.status, ConversationStatus::Open, "a visitor writing reopens the conversation");

    let bad = operator.close_conversation(id, "deleted", None).await;
    assert_eq!(bad.status(), 400, "an unknown outcome is refused");
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
            OperatorEvent::Typing { author, typing, .. } => Some((author, typing)),
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
        VisitorEvent::Error(error) => assert_eq!(error.message, "A message cannot be empty."),
        other => panic!("expected an error, got {other:?}"),
    }
    widget.send(&send("v-2", &"x".repeat(10_001))).await;
    assert!(matches!(widget.next_event().await, VisitorEvent::Error(_)));
    let (_, history) = app.visitor_socket(&ws, &visitor, 0).await;
    assert!(history.is_empty());
}

#[tokio::test]
async fn two_first_messages_from_two_tabs_open_one_conversation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    for round in 0..10 {
        let visitor = app.visitor(&ws).await;
        let (mut tab_a, _) = app.visitor_socket(&ws, &visitor, 0).await;
        let (mut tab_b, _) = app.visitor_socket(&ws, &visitor, 0).await;
        let (a, b) = (format!("a{round}"), format!("b{round}"));
        // Both frames leave before either answer is read: the server handles them
        // concurrently on two sockets.
        let (frame_a, frame_b) = (send(&a, &a), send(&b, &b));
        tokio::join!(tab_a.send(&frame_a), tab_b.send(&frame_b));
        let from_a = tab_a.wait_for_message(&a).await;
        let from_b = tab_b.wait_for_message(&b).await;
        assert_eq!(from_a.conversation_id, from_b.conversation_id, "round {round}: one conversation");
        let mut seqs = [from_a.seq, from_b.seq];
        seqs.sort_unstable();
        assert_eq!(seqs, [1, 2], "round {round}");
    }
    let list: Vec<ConversationSummary> = operator.list_conversations().await.json().await.unwrap();
    assert_eq!(list.len(), 10, "one conversation per visitor");
}
