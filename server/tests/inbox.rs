//! The inbox's views and a conversation's lifecycle: Live / Mine / Assigned / Snoozed /
//! Archived with counts, sorting, closing with an outcome, snoozes that end through a
//! durable job, reopening, priority, assignment, expiry, and the lines for the team that
//! each change writes (never shown to the visitor). Runs on SQLite, and on PostgreSQL when
//! `DATABASE_URL` is set.

mod support;

use std::time::Duration;

use parley_services::entities::{message, workspace};
use parley_types::{
    Author, ClientEvent, ConversationId, ConversationOutcome, ConversationPriority, ConversationStatus,
    ConversationSummary, InboxSort, InboxView, OperatorEvent, Role, Teammate, UserId, ViewCounts,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use support::{Operator, Socket, TestApp, WAIT};

fn send(client_id: &str, text: &str) -> ClientEvent {
    ClientEvent::Send { client_id: client_id.into(), text: text.into(), attachments: vec![] }
}

/// A new visitor writes `text`; returns the conversation.
async fn summary(response: reqwest::Response) -> ConversationSummary {
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn counts(operator: &Operator) -> ViewCounts {
    operator.inbox_counts().await.json().await.unwrap()
}

async fn ids_in(operator: &Operator, view: InboxView, sort: InboxSort) -> Vec<ConversationId> {
    let list: Vec<ConversationSummary> = operator.list_view(view, sort).await.json().await.unwrap();
    list.iter().map(|s| s.id).collect()
}

/// The conversation's lines for the team, as operators load them.
async fn team_lines(operator: &Operator, id: ConversationId) -> Vec<(Author, String)> {
    let detail: serde_json::Value = operator.get_conversation(id).await.json().await.unwrap();
    let messages: Vec<parley_types::Message> = serde_json::from_value(detail["messages"].clone()).unwrap();
    messages.into_iter().filter(|m| m.internal).map(|m| (m.author, m.text)).collect()
}

/// Waits for the operators' summary of `id` that `pick` accepts.
async fn changed(
    inbox: &mut Socket<OperatorEvent>,
    id: ConversationId,
    pick: impl Fn(&ConversationSummary) -> bool,
) -> ConversationSummary {
    inbox
        .wait_for(|e| match e {
            OperatorEvent::ConversationChanged { conversation } if conversation.id == id && pick(&conversation) => {
                Some(conversation)
            }
            _ => None,
        })
        .await
}

#[tokio::test]
async fn a_conversation_moves_through_the_views_and_every_change_leaves_a_line_for_the_team() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let ana = app.member(&ws, Role::Operator).await;
    let bob = app.member(&ws, Role::Operator).await;
    let id = app.visitor_writes(&ws, "hello?").await;
    let mut bobs_inbox = bob.socket().await;
    assert_eq!(counts(&ana).await, ViewCounts { live: 1, ..ViewCounts::default() });
    assert_eq!(ids_in(&ana, InboxView::Live, InboxSort::Latest).await, [id]);

    // Ana takes it from Live: it is hers, and Bob sees it move without reloading.
    let (ana_id, ana_name) = ana.me().await;
    let team: Vec<Teammate> = ana.list_teammates().await.json().await.unwrap();
    assert_eq!(team.len(), 3, "owner, Ana and Bob: {team:?}");
    assert!(team.iter().any(|t| t.user_id == ana_id && t.role == Role::Operator), "{team:?}");
    let taken = summary(ana.assign_conversation(id, Some(ana_id)).await).await;
    assert_eq!(taken.assignee_id, Some(ana_id));
    let seen = changed(&mut bobs_inbox, id, |s| s.assignee_id.is_some()).await;
    assert!(seen.in_view(InboxView::Assigned, UserId(0)) && !seen.in_view(InboxView::Live, UserId(0)));
    assert_eq!(counts(&ana).await, ViewCounts { mine: 1, assigned: 1, ..ViewCounts::default() });
    assert_eq!(counts(&bob).await, ViewCounts { assigned: 1, ..ViewCounts::default() }, "Mine is per member");

    // Critical, snoozed until the customer writes, then closed with a comment.
    let critical = summary(ana.set_conversation_priority(id, "critical").await).await;
    assert_eq!(critical.priority, ConversationPriority::Critical);
    let snoozed = summary(ana.snooze_conversation(id, None).await).await;
    assert_eq!((snoozed.status, snoozed.snoozed_until_ms), (ConversationStatus::Snoozed, None));
    assert_eq!(counts(&ana).await, ViewCounts { snoozed: 1, ..ViewCounts::default() });
    let closed = summary(ana.close_conversation(id, "resolved", Some("Refund sent by mail.")).await).await;
    assert_eq!((closed.status, closed.outcome), (ConversationStatus::Closed, Some(ConversationOutcome::Resolved)));
    assert_eq!(counts(&ana).await, ViewCounts { archived: 1, ..ViewCounts::default() });
    assert_eq!(ids_in(&bob, InboxView::Archived, InboxSort::Latest).await, [id]);

    let lines = team_lines(&ana, id).await;
    let expected = [
        (Author::System, format!("{ana_name} took the conversation")),
        (Author::System, format!("{ana_name} changed the priority from normal to critical")),
        (Author::System, format!("{ana_name} changed the status from open to snoozed until the customer writes")),
        (Author::System, format!("{ana_name} changed the status from snoozed to closed (resolved)")),
        (Author::Operator, "Refund sent by mail.".to_owned()),
    ];
    assert_eq!(lines, expected);

    // A reopen (by hand) keeps the assignee: back to Ana, not to Live.
    let reopened = summary(ana.reopen_conversation(id).await).await;
    assert_eq!(
        (reopened.status, reopened.outcome, reopened.assignee_id),
        (ConversationStatus::Open, None, Some(ana_id))
    );
    // Unassigned, it waits in Live again.
    summary(bob.assign_conversation(id, None).await).await;
    assert_eq!(counts(&bob).await, ViewCounts { live: 1, ..ViewCounts::default() });
}

#[tokio::test]
async fn the_visitor_never_sees_the_teams_lines_and_writing_reopens_to_the_assignee() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let ana = app.member(&ws, Role::Operator).await;
    let (ana_id, _) = ana.me().await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("v-1", "hi")).await;
    let id = widget.wait_for_message("hi").await.conversation_id;
    summary(ana.assign_conversation(id, Some(ana_id)).await).await;
    summary(ana.close_conversation(id, "abandoned", Some("internal: customer seemed annoyed")).await).await;
    let mut inbox = ana.socket().await;

    widget.send(&send("v-2", "one more thing")).await;
    let reopened = changed(&mut inbox, id, |s| s.status == ConversationStatus::Open).await;
    assert_eq!(reopened.assignee_id, Some(ana_id), "back to its assignee, not to Live");
    assert_eq!(reopened.outcome, None);
    let lines = team_lines(&ana, id).await;
    assert_eq!(
        lines.last().map(|(_, text)| text.as_str()),
        Some("The customer changed the status from closed to open")
    );

    // A fresh load of the widget's history has the customer's and nothing of the team's.
    let (_, history) = app.visitor_socket(&ws, &visitor, 0).await;
    let texts: Vec<&str> = history.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["hi", "one more thing"]);
    assert!(history.iter().all(|m| !m.internal));
}

#[tokio::test]
async fn a_timed_snooze_ends_through_its_job_once_even_across_a_restart() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let id = app.visitor_writes(&ws, "call me back").await;
    let until = parley_services::clock::now_ms() + 1500;
    let snoozed = summary(operator.snooze_conversation(id, Some(until)).await).await;
    assert_eq!(snoozed.snoozed_until_ms, Some(until));
    // Snoozing again replaces the first snooze's job rather than adding one.
    let until = parley_services::clock::now_ms() + 1500;
    summary(operator.snooze_conversation(id, Some(until)).await).await;

    // The server is down when the snooze ends, and runs the job once after the restart.
    let stopped = app.stop().await;
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let app = stopped.start_again().await;
    let operator = app.sign_in(&ws.email).await;
    let deadline = tokio::time::Instant::now() + WAIT * 2;
    loop {
        let list: Vec<ConversationSummary> =
            operator.list_view(InboxView::Live, InboxSort::Latest).await.json().await.unwrap();
        if list.iter().any(|s| s.id == id) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the snooze did not end");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ends = team_lines(&operator, id).await.into_iter().filter(|(_, t)| t.contains("from snoozed to open")).count();
    assert_eq!(ends, 1, "the snooze ended exactly once");
    let jobs = app
        .services
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.services.db.get_database_backend(),
            "SELECT id FROM jobs WHERE kind = 'conversation.unsnooze'",
        ))
        .await
        .unwrap();
    assert!(jobs.is_empty(), "no snooze job is left behind");
}

#[tokio::test]
async fn views_sort_by_longest_waiting_and_by_priority() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let first = app.visitor_writes(&ws, "first").await;
    let second = app.visitor_writes(&ws, "second").await;
    let third = app.visitor_writes(&ws, "third").await;
    // The first customer got an answer; the second has waited longest since.
    operator.send_reply(first, "op-1", "on it").await;
    assert_eq!(ids_in(&operator, InboxView::Live, InboxSort::Latest).await, [first, third, second]);
    assert_eq!(ids_in(&operator, InboxView::Live, InboxSort::LongestWaiting).await, [second, third, first]);
    summary(operator.set_conversation_priority(second, "critical").await).await;
    assert_eq!(ids_in(&operator, InboxView::Live, InboxSort::Priority).await, [second, first, third]);
}

#[tokio::test]
async fn an_open_conversation_nobody_wrote_in_for_the_period_closes_as_expired() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let stale = app.visitor_writes(&ws, "anyone there?").await;
    let fresh = app.visitor_writes(&ws, "just now").await;
    let db = &app.services.db;
    // The owner sets an hour (bad periods are refused); the first conversation's message
    // is two hours old.
    assert_eq!(operator.call("get_expiry", &[]).await.json::<i32>().await.unwrap(), 24, "24 h by default");
    for bad in ["-1", "8761", "soon"] {
        assert_eq!(operator.call("update_expiry", &[("hours", bad)]).await.status(), 400, "{bad}");
    }
    assert_eq!(operator.call("update_expiry", &[("hours", "1")]).await.json::<i32>().await.unwrap(), 1);
    let stored = workspace::Entity::find_by_id(ws.id.0).one(db).await.unwrap().unwrap();
    assert_eq!(stored.expire_after_minutes, 60);
    let two_hours_ago = parley_services::clock::now_ms() - 2 * 3600 * 1000;
    message::Entity::update_many()
        .col_expr(message::Column::CreatedAtMs, sea_orm::sea_query::Expr::value(two_hours_ago))
        .filter(message::Column::ConversationId.eq(stale.0))
        .exec(db)
        .await
        .unwrap();
    let mut inbox = operator.socket().await;
    // The sweep runs every minute; make its next run due now.
    db.execute_unprepared("UPDATE jobs SET due_at_ms = 0 WHERE kind = 'conversations.expire'").await.unwrap();

    let expired = changed(&mut inbox, stale, |s| s.status == ConversationStatus::Closed).await;
    assert_eq!(expired.outcome, Some(ConversationOutcome::Expired));
    let lines = team_lines(&operator, stale).await;
    assert_eq!(lines.last().unwrap().1, "Parley changed the status from open to closed (expired)");
    let live = ids_in(&operator, InboxView::Live, InboxSort::Latest).await;
    assert_eq!(live, [fresh], "the conversation with a recent message stays open");
}

#[tokio::test]
async fn bad_lifecycle_requests_are_refused_with_a_sentence_and_change_nothing() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let operator = app.operator(&acme).await;
    let stranger = app.member(&globex, Role::Operator).await;
    let (stranger_id, _) = stranger.me().await;
    let id = app.visitor_writes(&acme, "hi").await;

    for (what, response) in [
        ("expired is Parley's", operator.close_conversation(id, "expired", None).await),
        ("an unknown outcome", operator.close_conversation(id, "deleted", None).await),
        ("no outcome", operator.call("close_conversation", &[("id", &id.to_string())]).await),
        ("a snooze in the past", operator.snooze_conversation(id, Some(1000)).await),
        ("an unknown priority", operator.set_conversation_priority(id, "urgent").await),
        ("another workspace's member", operator.assign_conversation(id, Some(stranger_id)).await),
    ] {
        assert_eq!(response.status(), 400, "{what}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {body}");
    }
    let after: ConversationSummary =
        operator.list_view(InboxView::Live, InboxSort::Latest).await.json::<Vec<_>>().await.unwrap().remove(0);
    assert_eq!(
        (after.status, after.priority, after.assignee_id),
        (ConversationStatus::Open, ConversationPriority::Normal, None)
    );
    assert!(team_lines(&operator, id).await.is_empty(), "no line was written");
}

#[tokio::test]
async fn notes_reach_the_team_only_and_are_neither_an_answer_nor_the_preview() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let ana = app.member(&ws, Role::Operator).await;
    let bob = app.member(&ws, Role::Operator).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("v-1", "my order is late")).await;
    let id = widget.wait_for_message("my order is late").await.conversation_id;
    let mut bobs_inbox = bob.socket().await;

    let response = ana.add_note(id, "note-1", "Carrier says Tuesday; don't promise Monday.").await;
    assert_eq!(response.status(), 200);
    let note: parley_types::Message = response.json().await.unwrap();
    assert!(note.internal && note.author == Author::Operator);
    // Bob sees it live; a resend stores nothing new.
    let seen = bobs_inbox.wait_for(|e| match e {
        OperatorEvent::MessageCreated { message } if message.internal => Some(message),
        _ => None,
    });
    assert_eq!(seen.await.text, note.text);
    let again: parley_types::Message =
        ana.add_note(id, "note-1", "Carrier says Tuesday; don't promise Monday.").await.json().await.unwrap();
    assert_eq!(again.id, note.id);

    // Still waiting for an answer, and the list's preview is the customer's message.
    let live: Vec<ConversationSummary> = ana.list_view(InboxView::Live, InboxSort::Latest).await.json().await.unwrap();
    assert_eq!(live[0].last_message.as_deref(), Some("my order is late"));
    assert!(live[0].waiting_since_ms.is_some(), "a note is not an answer");

    // The visitor's socket got nothing of it, live or in a fresh history.
    assert!(widget.raw_within(Duration::from_millis(300)).await.is_none(), "no frame reaches the widget");
    let (_, history) = app.visitor_socket(&ws, &visitor, 0).await;
    assert!(history.iter().all(|m| !m.internal && !m.text.contains("Carrier")), "{history:?}");
    assert_eq!(ana.add_note(id, "note-2", "   ").await.status(), 400, "an empty note is refused");
}

#[tokio::test]
async fn every_sort_pages_through_a_view_by_cursor_without_skipping_or_repeating() {
    use parley_services::conversations::list_conversations;
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(app.visitor_writes(&ws, &format!("question {n}")).await);
    }
    // Mixed keys: some answered (not waiting), some critical.
    operator.send_reply(ids[1], "op-1", "answered").await;
    operator.send_reply(ids[4], "op-2", "answered").await;
    summary(operator.set_conversation_priority(ids[2], "critical").await).await;
    summary(operator.set_conversation_priority(ids[5], "critical").await).await;

    let system = parley_services::Actor::System(ws.id);
    for sort in InboxSort::ALL.iter().copied() {
        let db = &app.services.db;
        let all = list_conversations(db, &system, InboxView::Live, sort, None, 100).await.unwrap();
        assert_eq!(all.len(), 7);
        let mut expected = all.clone();
        expected.sort_by(|a, b| sort.compare(a, b));
        assert_eq!(all, expected, "{sort}: the server's order is the one the browser keeps");
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let page = list_conversations(db, &system, InboxView::Live, sort, after, 2).await.unwrap();
            let Some(last) = page.last() else { break };
            after = Some(sort.cursor_after(last));
            paged.extend(page.iter().map(|s| s.id));
        }
        assert_eq!(paged, all.iter().map(|s| s.id).collect::<Vec<_>>(), "{sort}");
    }
    let bad = operator.call("list_conversations", &[("after", "not-a-cursor")]).await;
    assert_eq!(bad.status(), 400, "a malformed cursor is refused");
}

#[tokio::test]
async fn a_transcript_downloads_as_html_or_text_with_notes_only_on_request() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let operator = app.operator(&acme).await;
    let id = app.visitor_writes(&acme, "<script>alert(1)</script> where is my order?").await;
    operator.send_reply(id, "op-1", "It ships today.").await;
    operator.add_note(id, "note-1", "VIP customer").await;
    let get = |who: &Operator, query: &str| {
        let url = format!("{}/transcripts/{id}{query}", app.base);
        let request = who.client.get(url);
        async move { request.send().await.unwrap() }
    };

    let text = get(&operator, "?format=text").await;
    assert_eq!(text.status(), 200);
    assert_eq!(text.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(text.headers()["content-disposition"], format!("attachment; filename=\"conversation-{id}.txt\""));
    assert_eq!(text.headers()["cache-control"], "no-store");
    let body = text.text().await.unwrap();
    assert!(
        body.contains("<script>alert(1)</script> where is my order?") && body.contains("It ships today."),
        "{body}"
    );
    assert!(!body.contains("VIP customer"), "notes only on request");

    let html = get(&operator, "?notes=true").await;
    assert_eq!(html.headers()["content-type"], "text/html; charset=utf-8");
    let body = html.text().await.unwrap();
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !body.contains("<script>alert"), "escaped");
    assert!(body.contains("VIP customer") && body.contains("Note by"), "{body}");

    assert_eq!(get(&operator, "?format=pdf").await.status(), 400);
    let stranger = app.member(&globex, Role::Operator).await;
    assert_eq!(get(&stranger, "").await.status(), 404, "another workspace's conversation");
    assert_eq!(get(&app.anonymous(), "").await.status(), 401);
}

/// Waits for who has `id` open, as `inbox` hears it, until `pick` accepts it.
async fn viewers_of(
    inbox: &mut Socket<OperatorEvent>,
    id: ConversationId,
    pick: impl Fn(&[parley_types::Viewer]) -> bool,
) -> Vec<String> {
    inbox
        .wait_for(|e| match e {
            OperatorEvent::Viewers { conversation_id, viewers } if conversation_id == id && pick(&viewers) => {
                Some(viewers.into_iter().map(|v| v.name).collect())
            }
            _ => None,
        })
        .await
}

#[tokio::test]
async fn colleagues_see_who_has_a_conversation_open_and_who_is_replying() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let ana = app.member(&ws, Role::Operator).await;
    let bob = app.member(&ws, Role::Admin).await;
    let (_, ana_name) = ana.me().await;
    let (_, bob_name) = bob.me().await;
    let id = app.visitor_writes(&ws, "hello").await;
    let mut anas = ana.socket().await;
    let mut bobs = bob.socket().await;
    let resume = |id| ClientEvent::Resume { conversation_id: Some(id), after_seq: 0 };

    // Ana opens it: Bob hears that she is there.
    anas.send(&resume(id)).await;
    assert_eq!(viewers_of(&mut bobs, id, |v| v.len() == 1).await, vec![ana_name.clone()]);
    // Bob opens it too; Ana hears both, each once.
    bobs.send(&resume(id)).await;
    let mut both = vec![ana_name.clone(), bob_name.clone()];
    both.sort();
    assert_eq!(viewers_of(&mut anas, id, |v| v.len() == 2).await, both);

    // Bob types a reply: Ana hears who it is.
    bobs.send(&ClientEvent::Typing { conversation_id: Some(id), typing: true }).await;
    let by = anas
        .wait_for(|e| match e {
            OperatorEvent::Typing { author: Author::Operator, typing: true, by, .. } => by,
            _ => None,
        })
        .await;
    assert_eq!(by.name, bob_name);

    // Bob leaves the conversation, then Ana's socket closes: each time, the rest hear it.
    bobs.send(&ClientEvent::Viewing { conversation_id: None }).await;
    assert_eq!(viewers_of(&mut anas, id, |v| v.len() == 1).await, vec![ana_name.clone()]);
    anas.close().await;
    assert_eq!(viewers_of(&mut bobs, id, |v| v.is_empty()).await, Vec::<String>::new());

    // Another workspace's member cannot announce themself in it, nor hear about it.
    let stranger = app.member(&globex, Role::Operator).await;
    let mut strangers = stranger.socket().await;
    strangers.send(&ClientEvent::Viewing { conversation_id: Some(id) }).await;
    assert!(matches!(strangers.next_event().await, OperatorEvent::Error(e) if e.status() == 404));
    // And a visitor's socket may not use the operators' frame.
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&ClientEvent::Viewing { conversation_id: Some(id) }).await;
    assert!(matches!(widget.next_event().await, parley_types::VisitorEvent::Error(e) if e.status() == 403));
}

#[tokio::test]
async fn admins_manage_labels_and_operators_put_them_on_conversations_live() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let admin = app.member(&ws, Role::Admin).await;
    let operator = app.member(&ws, Role::Operator).await;
    let id = app.visitor_writes(&ws, "refund please").await;
    let mut inbox = operator.socket().await;
    let create = |who: &Operator, name: &str, colour: &str| {
        let form = [("name", name.to_owned()), ("colour", colour.to_owned())];
        let request = who.client.post(format!("{}/api/create_label", who.base)).form(&form);
        async move { request.send().await.unwrap() }
    };

    let created = create(&admin, "Billing", "#E03131").await;
    assert_eq!(created.status(), 200);
    let billing: parley_types::Label = created.json().await.unwrap();
    assert_eq!(billing.colour, "#e03131");
    let labels = inbox
        .wait_for(|e| match e {
            OperatorEvent::LabelsChanged { labels } => Some(labels),
            _ => None,
        })
        .await;
    assert_eq!(labels, vec![billing.clone()], "every operator hears the new list");
    assert_eq!(create(&admin, " billing ", "#000000").await.status(), 409, "names are unique whatever the case");
    assert_eq!(create(&admin, "Sales", "red").await.status(), 400, "colours are #rrggbb");
    assert_eq!(create(&operator, "Sales", "#1c7ed6").await.status(), 403, "operators do not manage labels");

    // The operator puts it on the conversation: a line for the team, and the summary.
    let on = |label: parley_types::LabelId, on: bool| {
        let form = [("id", id.to_string()), ("label", label.to_string()), ("on", on.to_string())];
        operator.client.post(format!("{}/api/label_conversation", operator.base)).form(&form).send()
    };
    let labelled: ConversationSummary = on(billing.id, true).await.unwrap().json().await.unwrap();
    assert_eq!(labelled.labels, [billing.id]);
    changed(&mut inbox, id, |s| s.labels == [billing.id]).await;
    let lines = team_lines(&operator, id).await;
    assert!(lines.last().unwrap().1.ends_with("added the label Billing"), "{lines:?}");
    // Another workspace's label cannot be used here.
    let theirs = parley_services::labels::create_label(
        &app.services,
        &parley_services::Actor::System(globex.id),
        "Theirs",
        "#123456",
    )
    .await
    .unwrap();
    assert_eq!(on(theirs.id, true).await.unwrap().status(), 400);

    // Deleting the label takes it off the conversation.
    let deleted = admin.call("delete_label", &[("id", &billing.id.to_string())]).await;
    assert_eq!(deleted.json::<u64>().await.unwrap(), 1, "one conversation had it");
    let list: Vec<ConversationSummary> =
        operator.list_view(InboxView::Live, InboxSort::Latest).await.json().await.unwrap();
    assert!(list[0].labels.is_empty());
}

#[tokio::test]
async fn quick_replies_are_shared_or_personal_and_fill_in_their_variables() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let admin = app.member(&ws, Role::Admin).await;
    let ana = app.member(&ws, Role::Operator).await;
    let bob = app.member(&ws, Role::Operator).await;
    let (_, ana_name) = ana.me().await;
    let id = app.visitor_writes(&ws, "hello").await;
    let create = |who: &Operator, shortcut: &str, body: &str, shared: bool| {
        let mut form =
            vec![("title", "Greeting".to_owned()), ("shortcut", shortcut.to_owned()), ("body", body.to_owned())];
        if shared {
            form.push(("shared", "true".to_owned()));
        }
        let request = who.client.post(format!("{}/api/create_quick_reply", who.base)).form(&form);
        async move { request.send().await.unwrap() }
    };
    let list = |who: &Operator| {
        let request = who.client.post(format!("{}/api/list_quick_replies", who.base));
        async move { request.send().await.unwrap().json::<Vec<parley_types::QuickReply>>().await.unwrap() }
    };

    assert_eq!(create(&admin, "/Hello", "Hi {{contact.name}}, this is {{operator.name}}.", true).await.status(), 200);
    assert_eq!(create(&ana, "thanks", "Thanks!", false).await.status(), 200);
    // Bob may use the same shortcut for his own; Ana may not twice; operators share nothing.
    assert_eq!(create(&bob, "thanks", "Cheers!", false).await.status(), 200);
    assert_eq!(create(&ana, "THANKS", "Again", false).await.status(), 409);
    assert_eq!(create(&ana, "team", "For all", true).await.status(), 403);
    let bad = create(&ana, "mail", "Write to {{contact.email}}", false).await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("contact.email"));

    let anas = list(&ana).await;
    let shortcuts: Vec<(&str, bool, bool)> = anas.iter().map(|r| (r.shortcut.as_str(), r.shared, r.can_edit)).collect();
    assert_eq!(shortcuts, [("hello", true, false), ("thanks", false, true)], "shared and her own, not Bob's");
    let hello = anas[0].id;

    // Used in a conversation: the variables are filled in and the use counted.
    let filled = ana.call("use_quick_reply", &[("id", &hello.to_string()), ("conversation", &id.to_string())]).await;
    let text: String = filled.json().await.unwrap();
    let contact: Vec<ConversationSummary> =
        ana.list_view(InboxView::Live, InboxSort::Latest).await.json().await.unwrap();
    assert_eq!(text, format!("Hi {}, this is {ana_name}.", contact[0].contact_name));
    assert_eq!(list(&admin).await.iter().find(|r| r.id == hello).unwrap().usage_count, 1);
    // Bob's own is nobody else's business.
    let bobs = list(&bob).await.into_iter().find(|r| r.shortcut == "thanks").unwrap().id;
    let theirs = ana.call("use_quick_reply", &[("id", &bobs.to_string()), ("conversation", &id.to_string())]).await;
    assert_eq!(theirs.status(), 404);
}
