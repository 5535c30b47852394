//! Realtime delivery: replay on reconnect, audiences, ordering. Runs on SQLite, and on
//! PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{ClientEvent, OperatorEvent, VisitorEvent};
use support::TestApp;

fn send(client_id: &str, text: &str) -> ClientEvent {
    ClientEvent::Send { client_id: client_id.into(), text: text.into(), attachments: vec![] }
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

    // Nothing is delivered twice: the next message is the next new one (receipts, the
    // team's "Seen", may come between).
    operator.send_reply(id, "op-9", "fifth").await;
    let next = loop {
        match widget.next_event().await {
            VisitorEvent::Seen { .. } => continue,
            other => break other,
        }
    };
    match next {
        VisitorEvent::MessageCreated { message } => assert_eq!((message.seq, message.text.as_str()), (5, "fifth")),
        other => panic!("expected the fifth message, got {other:?}"),
    }

    // A fresh page (cursor 0) gets the whole history.
    let (_, all) = app.visitor_socket(&ws, &visitor, 0).await;
    assert_eq!(all.len(), 5);
}

#[tokio::test]
async fn a_visitor_socket_never_receives_operator_only_events() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let protocols = support::visitor_protocols(&visitor.token);
    let mut raw = support::Socket::<VisitorEvent>::connect(
        &app.visitor_socket_url(&ws),
        &[("Origin", support::SITE), ("Sec-WebSocket-Protocol", &protocols)],
    )
    .await;
    raw.send(&ClientEvent::Resume { conversation_id: None, after_seq: 0 }).await;
    raw.send(&ClientEvent::Send { client_id: "v-1".into(), text: "hello".into(), attachments: vec![] }).await;
    raw.send(&ClientEvent::Typing { conversation_id: None, typing: true }).await;
    let mut types = Vec::new();
    // Every frame until the operator's reply, which is the last thing this test causes.
    let mut replied = false;
    while let Some(frame) = raw.raw_within(std::time::Duration::from_secs(2)).await {
        let value: serde_json::Value = serde_json::from_str(&frame).unwrap();
        types.push(value["type"].as_str().unwrap_or_default().to_owned());
        assert!(value.get("conversation").is_none(), "no summaries (contact names, unread counts): {frame}");
        assert!(value["message"]["author"] != "system", "no lines for the team: {frame}");
        if !replied && value["type"] == "message_created" {
            let id = value["message"]["conversation_id"].as_i64().unwrap();
            let id = parley_types::ConversationId(id);
            operator.mark_conversation_read(id).await;
            // A status change writes a line for the team into the conversation.
            operator.snooze_conversation(id, None).await;
            operator.send_reply(id, "op-1", "hi there").await;
            replied = true;
        }
        if value["message"]["text"] == "hi there" {
            break;
        }
    }
    let allowed = ["resumed", "message_created", "status_changed", "typing", "seen"];
    assert!(types.iter().all(|t| allowed.contains(&t.as_str())), "visitor frames: {types:?}");
    assert!(types.contains(&"status_changed".to_owned()), "{types:?}");
}

#[tokio::test]
async fn live_messages_wait_for_the_replay_so_a_reconnecting_visitor_sees_each_once_in_order() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&ClientEvent::Send { client_id: "v-1".into(), text: "first".into(), attachments: vec![] }).await;
    let id = widget.wait_for_message("first").await.conversation_id;
    widget.close().await;
    for n in 2..=4 {
        operator.send_reply(id, &format!("op-{n}"), &format!("missed {n}")).await;
    }
    // Connect, let live replies arrive before the resume frame, then resume from 1.
    let protocols = support::visitor_protocols(&visitor.token);
    let mut socket = support::Socket::<VisitorEvent>::connect(
        &app.visitor_socket_url(&ws),
        &[("Origin", support::SITE), ("Sec-WebSocket-Protocol", &protocols)],
    )
    .await;
    for n in 5..=7 {
        operator.send_reply(id, &format!("op-{n}"), &format!("live {n}")).await;
    }
    socket.send(&ClientEvent::Resume { conversation_id: None, after_seq: 1 }).await;
    operator.send_reply(id, "op-8", "after").await;
    let mut seqs = Vec::new();
    while seqs.last() != Some(&8) {
        if let VisitorEvent::MessageCreated { message } = socket.next_event().await {
            seqs.push(message.seq);
        }
    }
    assert_eq!(seqs, (2..=8).collect::<Vec<i64>>(), "each message once, in order");
}

#[tokio::test]
async fn signing_out_closes_the_operator_socket_within_a_second() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let other_tab = app.operator(&ws).await;
    let mut socket = operator.socket().await;
    let mut unaffected = other_tab.socket().await;
    let started = std::time::Instant::now();
    assert!(operator.logout().await.status().is_redirection() || operator.logout().await.status().is_success());
    assert_eq!(socket.close_code().await, Some(1008), "the signed-out session's socket closes");
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
    // Another session of the same person stays connected.
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&ClientEvent::Send { client_id: "v-1".into(), text: "still there?".into(), attachments: vec![] }).await;
    unaffected.wait_for_message("still there?").await;
}

#[tokio::test]
async fn a_socket_that_goes_silent_is_closed_and_one_that_answers_pings_is_not() {
    let app = TestApp::spawn_with_env(&[("PARLEY_SOCKET_PING_SECS", "1"), ("PARLEY_SOCKET_IDLE_SECS", "2")]).await;
    let ws = app.workspace("Acme").await;
    let visitor = app.visitor(&ws).await;
    let (mut silent, _) = app.visitor_socket(&ws, &visitor, 0).await;
    let (mut alive, _) = app.visitor_socket(&ws, &visitor, 0).await;
    // Reading answers the server's pings (tungstenite replies with pongs); the silent
    // socket is not read, so it never answers.
    let kept = tokio::spawn(async move { alive.raw_within(std::time::Duration::from_secs(4)).await });
    // Reading would answer the pings: this test is about time passing unanswered.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    // The server closes it as idle (1001); the close frame may be lost to a reset, since
    // the silent client never read anything.
    let code = silent.close_code().await;
    assert!(matches!(code, Some(1001) | None), "closed as idle, got {code:?}");
    assert_eq!(kept.await.unwrap(), None, "the answering socket received no close within 4 s");
}

#[tokio::test]
async fn a_resume_of_20000_messages_waits_for_the_client_instead_of_buffering_them() {
    use parley_services::entities::message;
    use sea_orm::{EntityTrait, Set};

    const MORE: i64 = 20_000;
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("v-1", "first")).await;
    let first = widget.wait_for_message("first").await;
    widget.close().await;

    // 20,000 more messages of about 2 KB (40 MB), written straight to the database.
    let body = "x".repeat(2_000);
    // Through the write path: background writers (the push consumer) share the database.
    let w = app.services.begin().await.unwrap();
    let txn = w.txn();
    for chunk in (2..=MORE + 1).collect::<Vec<i64>>().chunks(1_000) {
        let rows = chunk.iter().map(|&seq| message::ActiveModel {
            workspace_id: Set(ws.id.0),
            conversation_id: Set(first.conversation_id.0),
            seq: Set(seq),
            author: Set("visitor".into()),
            author_user_id: Set(None),
            body: Set(format!("{seq} {body}")),
            client_id: Set(Some(format!("bulk-{seq}"))),
            created_at_ms: Set(first.created_at_ms + seq),
            ..Default::default()
        });
        message::Entity::insert_many(rows).exec_without_returning(txn).await.unwrap();
    }
    w.commit().await.unwrap();

    // A client asks for everything and then reads nothing: the server sends what the
    // connection's buffers take and waits.
    let protocols = support::visitor_protocols(&visitor.token);
    let mut socket = support::Socket::<VisitorEvent>::connect(
        &app.visitor_socket_url(&ws),
        &[("Origin", support::SITE), ("Sec-WebSocket-Protocol", &protocols)],
    )
    .await;
    let before = app.services.metrics.replayed_events();
    socket.send(&ClientEvent::Resume { conversation_id: None, after_seq: 0 }).await;
    let mut sent = 0;
    for _ in 0..60 {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let now = app.services.metrics.replayed_events() - before;
        if now > 0 && now == sent {
            break;
        }
        sent = now;
    }
    eprintln!("the replay waited after {sent} of {} messages", MORE + 1);
    assert!(sent > 0, "the replay started");
    assert!(sent < 10_000, "the server stopped at {sent} of {} while the client did not read", MORE + 1);

    // Reading, the client gets every message once, in order, then the end of the replay.
    let mut next = 1;
    loop {
        match socket.next_event().await {
            VisitorEvent::MessageCreated { message } => {
                assert_eq!(message.seq, next);
                next += 1;
            }
            VisitorEvent::Resumed { last_seq, .. } => {
                assert_eq!(last_seq, MORE + 1);
                break;
            }
            other => panic!("unexpected event during the replay: {other:?}"),
        }
    }
    assert_eq!(next, MORE + 2);
}

#[tokio::test]
async fn a_visitor_resending_a_backlog_in_one_burst_is_not_closed_for_lagging() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    // 60 messages (the burst the rate limit allows) written at once without reading:
    // each causes an echo on the visitor's own bus queue, which holds 32.
    for n in 1..=60 {
        widget.send(&send(&format!("backlog-{n}"), &format!("queued {n}"))).await;
    }
    let mut seqs = Vec::new();
    while seqs.len() < 60 {
        if let VisitorEvent::MessageCreated { message } = widget.next_event().await {
            seqs.push(message.seq);
        }
    }
    assert_eq!(seqs, (1..=60).collect::<Vec<_>>());
    // (A lagging socket would have been closed with 1013, failing `next_event`.)
    let metrics = app.services.metrics.render(&app.services.db);
    assert!(metrics.contains("parley_socket_lag_closes_total 0"), "no socket lagged");
}

#[tokio::test]
async fn operators_see_a_visitors_message_as_it_arrives_and_the_stored_one_takes_its_place() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    // The first message makes the conversation: shown as a new one arriving, then its
    // summary and the stored message.
    let mut team = operator.socket().await;
    widget.send(&send("v-1", "first")).await;
    let id = widget.wait_for_message("first").await.conversation_id;
    let arriving = team
        .wait_for(|event| match event {
            OperatorEvent::ConversationArriving { contact_id, client_id, text, .. } => {
                Some((contact_id, client_id, text))
            }
            OperatorEvent::ConversationChanged { .. } | OperatorEvent::MessageCreated { .. } => {
                panic!("stored before it was shown arriving: {event:?}")
            }
            _ => None,
        })
        .await;
    assert_eq!(arriving, (visitor.contact_id, "v-1".to_owned(), "first".to_owned()));
    let (mut summary, mut first) = (None, None);
    while summary.is_none() || first.is_none() {
        match team.next_event().await {
            OperatorEvent::ConversationChanged { conversation } => summary = Some(conversation),
            OperatorEvent::MessageCreated { message } => first = Some(message),
            _ => {}
        }
    }
    let (summary, first) = (summary.unwrap(), first.unwrap());
    assert_eq!((summary.id, summary.contact_id), (id, visitor.contact_id), "the summary that takes its place");
    assert_eq!((first.conversation_id, first.text.as_str()), (id, "first"));

    // The next is shown as it arrives, then stored in its place (same client id).
    widget.send(&send("v-2", "second")).await;
    let mut arrived = false;
    let stored = team
        .wait_for(|event| match event {
            OperatorEvent::MessageArriving { conversation_id, client_id, text, .. } => {
                assert_eq!((conversation_id, client_id.as_str(), text.as_str()), (id, "v-2", "second"));
                arrived = true;
                None
            }
            OperatorEvent::MessageCreated { message } => Some(message),
            _ => None,
        })
        .await;
    assert!(arrived, "the arrival comes before the stored message");
    assert_eq!((stored.seq, stored.client_id.as_deref(), stored.text.as_str()), (2, Some("v-2"), "second"));
    assert_eq!(widget.wait_for_message("second").await.seq, 2, "the visitor's acknowledgement is the stored one");

    // A resend of a stored message is shown, then withdrawn: nothing new is stored.
    widget.send(&send("v-2", "second")).await;
    let withdrawn = team
        .wait_for(|event| match event {
            OperatorEvent::MessageCreated { message } => panic!("a resend was stored again: {message:?}"),
            OperatorEvent::ArrivalWithdrawn { conversation_id, client_id } => Some((conversation_id, client_id)),
            _ => None,
        })
        .await;
    assert_eq!(withdrawn, (id, "v-2".to_owned()));
    let ack = widget.wait_for_message("second").await;
    assert_eq!(ack.seq, 2);
    let history = operator.get_conversation(id).await.json::<serde_json::Value>().await.unwrap();
    assert_eq!(history["messages"].as_array().map(Vec::len), Some(2), "{history}");

    // A widget that did not resume its conversation (a new tab that had it already) is
    // shown in the contact's latest conversation, not as a new one.
    let (mut tab, replayed) = app.visitor_socket(&ws, &visitor, 2).await;
    assert!(replayed.is_empty());
    tab.send(&send("v-3", "from another tab")).await;
    let shown_in = team
        .wait_for(|event| match event {
            OperatorEvent::ConversationArriving { .. } => panic!("shown as a new conversation: {event:?}"),
            OperatorEvent::MessageArriving { conversation_id, client_id, .. } => Some((conversation_id, client_id)),
            _ => None,
        })
        .await;
    assert_eq!(shown_in, (id, "v-3".to_owned()));
    assert_eq!(tab.wait_for_message("from another tab").await.conversation_id, id);
}

/// A pre-chat form that asks for a name before the first message.
fn name_first() -> parley_types::LeadFormSettings {
    parley_types::LeadFormSettings {
        prechat: true,
        name: parley_types::Ask::Required,
        ..parley_types::LeadFormSettings::default()
    }
}

/// The next refusal the widget's socket says.
async fn refusal(widget: &mut support::Socket<VisitorEvent>) -> parley_types::ApiError {
    widget
        .wait_for(|event| match event {
            VisitorEvent::Error(error) => Some(error),
            _ => None,
        })
        .await
}

#[tokio::test]
async fn a_first_message_the_form_must_come_before_is_never_shown_arriving() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let form = name_first();
    assert_eq!(operator.save_lead_forms(&form).await.status(), 200);
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    let mut team = operator.socket().await;
    widget.send(&send("v-1", "before the form")).await;
    let refused = refusal(&mut widget).await;
    assert_eq!(refused.status(), 403, "{refused:?}");
    // The next thing the team hears of is a conversation made after the form: nothing
    // of the refused message came before it.
    let other = app.visitor(&ws).await;
    assert_eq!(operator.save_lead_forms(&parley_types::LeadFormSettings::default()).await.status(), 200);
    let (mut other_widget, _) = app.visitor_socket(&ws, &other, 0).await;
    other_widget.send(&send("o-1", "hello")).await;
    let next = team
        .wait_for(|event| match event {
            OperatorEvent::ConversationArriving { contact_id, text, .. } => Some((contact_id, text)),
            OperatorEvent::MessageArriving { .. } | OperatorEvent::ConversationArrivalWithdrawn { .. } => {
                panic!("the refused message was shown: {event:?}")
            }
            _ => None,
        })
        .await;
    assert_eq!(next, (other.contact_id, "hello".to_owned()));
}

#[tokio::test]
async fn a_first_message_shown_arriving_and_then_refused_is_withdrawn() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    // A refused frame is answered after the resume's work is done: the socket knows now
    // that a first message will be shown as a new conversation.
    widget.send(&send("v-0", "")).await;
    refusal(&mut widget).await;
    let mut team = operator.socket().await;
    // The form is switched on after the socket resumed: the text is shown, then refused.
    let form = name_first();
    assert_eq!(operator.save_lead_forms(&form).await.status(), 200);
    widget.send(&send("v-1", "too early")).await;
    let refused = refusal(&mut widget).await;
    assert_eq!(refused.status(), 403, "{refused:?}");
    let shown = team
        .wait_for(|event| match event {
            OperatorEvent::ConversationArriving { contact_id, client_id, .. } => Some((contact_id, client_id)),
            _ => None,
        })
        .await;
    assert_eq!(shown, (visitor.contact_id, "v-1".to_owned()));
    let withdrawn = team
        .wait_for(|event| match event {
            OperatorEvent::ConversationArrivalWithdrawn { contact_id, client_id } => Some((contact_id, client_id)),
            OperatorEvent::ConversationChanged { .. } => panic!("a refused message made a conversation: {event:?}"),
            _ => None,
        })
        .await;
    assert_eq!(withdrawn, shown, "the row is taken away");
}
