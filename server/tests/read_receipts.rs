//! Read receipts and unread counts per member: each member's read mark, the visitor's
//! "Seen" (how far the team read) and the operators' "Seen" (what the widget displayed).
//! Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use std::time::Duration;

use migration::MigratorTrait;
use parley_types::{ClientEvent, ConversationId, ConversationSummary, OperatorEvent, ReadMark, Role, VisitorEvent};
use sea_orm::{ConnectionTrait, Database};
use support::{Socket, TestApp};

fn send(client_id: &str, text: &str) -> ClientEvent {
    ClientEvent::Send { client_id: client_id.into(), text: text.into(), attachments: vec![] }
}

async fn seen(widget: &mut Socket<VisitorEvent>) -> i64 {
    widget
        .wait_for(|e| match e {
            VisitorEvent::Seen { seq, .. } => Some(seq),
            _ => None,
        })
        .await
}

async fn member_read(inbox: &mut Socket<OperatorEvent>) -> (ConversationId, ReadMark) {
    inbox
        .wait_for(|e| match e {
            OperatorEvent::MemberRead { conversation_id, mark } => Some((conversation_id, mark)),
            _ => None,
        })
        .await
}

/// Nothing arrives on the visitor's socket for a moment (a read that moved nothing).
async fn quiet(widget: &mut Socket<VisitorEvent>) {
    if let Some(frame) = widget.raw_within(Duration::from_millis(400)).await {
        panic!("expected nothing, got {frame}");
    }
}

#[tokio::test]
async fn unread_is_counted_per_member_and_the_visitor_sees_how_far_the_team_read() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let ada = app.operator(&ws).await;
    let ben = app.member(&ws, Role::Operator).await;
    let ((ada_id, _), (ben_id, _)) = (ada.me().await, ben.me().await);
    let mut ben_inbox = ben.socket().await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("v-1", "one")).await;
    let id = widget.wait_for_message("one").await.conversation_id;
    widget.send(&send("v-2", "two")).await;
    widget.wait_for_message("two").await;

    let list: Vec<ConversationSummary> = ben.list_conversations().await.json().await.unwrap();
    assert_eq!((list[0].unread_for(ada_id), list[0].unread_for(ben_id)), (2, 2));

    // Ada reads the first message: her count drops, Ben's does not, the visitor sees
    // "Seen" up to it and Ben's inbox hears of Ada's mark.
    let summary = ada.mark_read_up_to(id, 1).await;
    assert_eq!((summary.unread_for(ada_id), summary.unread_for(ben_id)), (1, 2));
    assert_eq!(seen(&mut widget).await, 1);
    assert_eq!(member_read(&mut ben_inbox).await, (id, ReadMark { user_id: ada_id, seq: 1, visitor_messages: 1 }));

    // Everything (a position past the newest message counts as the newest).
    let summary = ada.mark_read_up_to(id, 99).await;
    assert_eq!(summary.unread_for(ada_id), 0);
    assert_eq!(summary.reads.iter().find(|r| r.user_id == ada_id).map(|r| r.seq), Some(2));
    assert_eq!(seen(&mut widget).await, 2);
    assert_eq!(ben.summary(id).await.unread_for(ben_id), 2, "Ben has read nothing");

    // Going back changes nothing and tells nobody.
    let summary = ada.mark_read_up_to(id, 1).await;
    assert_eq!(summary.unread_for(ada_id), 0);
    quiet(&mut widget).await;

    // Ben reading behind Ada: his count drops, the visitor's "Seen" stays where it was.
    let summary = ben.mark_read_up_to(id, 1).await;
    assert_eq!((summary.unread_for(ben_id), summary.team_read_seq()), (1, 2));
    quiet(&mut widget).await;

    // A new visitor message is unread for both again.
    widget.send(&send("v-3", "three")).await;
    widget.wait_for_message("three").await;
    let summary = ben.summary(id).await;
    assert_eq!((summary.unread_for(ada_id), summary.unread_for(ben_id)), (1, 2));
}

#[tokio::test]
async fn answering_reads_the_conversation_for_the_one_who_answers() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let ada = app.operator(&ws).await;
    let ben = app.member(&ws, Role::Operator).await;
    let ((ada_id, _), (ben_id, _)) = (ada.me().await, ben.me().await);
    let mut inbox = ben.socket().await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("v-1", "hello")).await;
    let id = widget.wait_for_message("hello").await.conversation_id;

    assert_eq!(ada.send_reply(id, "op-1", "hi").await.status(), 200);
    assert_eq!(seen(&mut widget).await, 2, "the visitor's message is seen once answered");
    // The summary sent with the answer already carries Ada's mark.
    let changed = inbox
        .wait_for(|e| match e {
            OperatorEvent::ConversationChanged { conversation } if conversation.last_seq == 2 => Some(conversation),
            _ => None,
        })
        .await;
    assert_eq!((changed.unread_for(ada_id), changed.unread_for(ben_id)), (0, 1));
    let summary = ben.summary(id).await;
    assert_eq!((summary.unread_for(ada_id), summary.unread_for(ben_id)), (0, 1));
    let list: Vec<ConversationSummary> = ada.list_conversations().await.json().await.unwrap();
    assert_eq!(list[0].unread_for(ada_id), 0);
}

#[tokio::test]
async fn the_widget_reports_what_it_displayed_and_operators_see_it() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let ada = app.operator(&ws).await;
    let mut inbox = ada.socket().await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    // Before there is a conversation, a read marks nothing and is not an error.
    widget.send(&ClientEvent::Read { seq: 5 }).await;
    quiet(&mut widget).await;

    widget.send(&send("v-1", "hello")).await;
    let id = widget.wait_for_message("hello").await.conversation_id;
    ada.send_reply(id, "op-1", "answer").await;
    widget.wait_for_message("answer").await;
    assert_eq!(ada.summary(id).await.visitor_read_seq, 0);

    widget.send(&ClientEvent::Read { seq: 99 }).await;
    let (read_id, seq) = inbox
        .wait_for(|e| match e {
            OperatorEvent::VisitorRead { conversation_id, seq } => Some((conversation_id, seq)),
            _ => None,
        })
        .await;
    assert_eq!((read_id, seq), (id, 2), "never past the newest message");
    assert_eq!(ada.summary(id).await.visitor_read_seq, 2);
    widget.send(&ClientEvent::Read { seq: 1 }).await;
    widget.send(&send("v-2", "later")).await;
    widget.wait_for_message("later").await;
    assert_eq!(ada.summary(id).await.visitor_read_seq, 2, "a read going back is ignored");

    // A widget coming back learns how far the team read, after its replay.
    widget.close().await;
    let (mut again, replayed) = app.visitor_socket(&ws, &visitor, 0).await;
    assert_eq!(replayed.len(), 3);
    assert_eq!(seen(&mut again).await, 2);

    // Operators mark through the API, not the socket.
    inbox.send(&ClientEvent::Read { seq: 1 }).await;
    let refusal = inbox
        .wait_for(|e| match e {
            OperatorEvent::Error(error) => Some(error),
            _ => None,
        })
        .await;
    assert!(refusal.message.contains("mark_conversation_read"), "{refusal:?}");
}

#[tokio::test]
async fn another_workspaces_conversation_cannot_be_marked_read() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let other = app.workspace("Other").await;
    let outsider = app.operator(&other).await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    widget.send(&send("v-1", "hello")).await;
    let id = widget.wait_for_message("hello").await.conversation_id;
    let response = outsider.mark_conversation_read(id).await;
    assert_eq!(response.status(), 404);
    quiet(&mut widget).await;
    let owner = app.operator(&ws).await;
    assert!(owner.summary(id).await.reads.is_empty(), "nothing was stored");
}

/// The migration keeps what the team-wide unread count said: visitor messages the team
/// had read count as read for every member until they read the conversation themself.
#[tokio::test]
async fn the_migration_keeps_the_teams_unread_count() {
    let dir = tempfile::tempdir().unwrap();
    let url = support::fresh_database_url(dir.path()).await;
    let db = Database::connect(&url).await.unwrap();
    migration::Migrator::up(&db, Some(10)).await.unwrap();
    for sql in [
        "INSERT INTO workspaces (id, name, public_key, created_at_ms) VALUES (1, 'Acme', 'k', 0)",
        "INSERT INTO contacts (id, workspace_id, name, visitor_token_hash, created_at_ms, last_seen_at_ms) \
         VALUES (1, 1, 'Guest', 'h', 0, 0)",
        // Three visitor messages and an answer; the last visitor message is unread.
        "INSERT INTO conversations (id, workspace_id, contact_id, status, last_seq, unread_count, \
         last_activity_at_ms, created_at_ms) VALUES (1, 1, 1, 'open', 4, 1, 0, 0)",
        "INSERT INTO messages (workspace_id, conversation_id, seq, author, body, created_at_ms) VALUES \
         (1, 1, 1, 'visitor', 'a', 0), (1, 1, 2, 'visitor', 'b', 0), (1, 1, 3, 'operator', 'c', 0), \
         (1, 1, 4, 'visitor', 'd', 0)",
    ] {
        db.execute_unprepared(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    migration::Migrator::up(&db, None).await.unwrap();
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT visitor_messages, read_floor, visitor_read_seq FROM conversations WHERE id = 1",
        ))
        .await
        .unwrap()
        .unwrap();
    let read = |column: &str| row.try_get::<i64>("", column).unwrap();
    assert_eq!((read("visitor_messages"), read("read_floor"), read("visitor_read_seq")), (3, 2, 0));
    assert_eq!(read("visitor_messages") - read("read_floor"), 1, "every member starts from the team's count");
}
