//! The one write path under concurrency: on SQLite, writes queued at the gate share one
//! commit (group commit), each in its own savepoint, and visitors' messages queued
//! together share one write (the appender). Runs on SQLite, and on PostgreSQL
//! (where every write commits on its own) when `DATABASE_URL` is set.

mod support;

use parley_services::entities::outbox;
use parley_types::{ClientEvent, VisitorEvent};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use support::TestApp;

#[tokio::test]
async fn concurrent_visitors_messages_are_each_stored_once_in_order_sharing_commits() {
    const VISITORS: usize = 20;
    const EACH: i64 = 10;
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let mut sockets = Vec::new();
    for _ in 0..VISITORS {
        let visitor = app.visitor(&ws).await;
        sockets.push(app.visitor_socket(&ws, &visitor, 0).await.0);
    }
    let before = app.services.write_batches();

    // Every visitor sends all its messages without waiting, plus one resend.
    for socket in &mut sockets {
        for n in 1..=EACH {
            socket
                .send(&ClientEvent::Send {
                    client_id: format!("m-{n}"),
                    text: format!("message {n}"),
                    attachments: vec![],
                })
                .await;
        }
        socket
            .send(&ClientEvent::Send { client_id: "m-3".into(), text: "message 3".into(), attachments: vec![] })
            .await;
    }
    for socket in &mut sockets {
        let mut seqs = Vec::new();
        let mut resend_acknowledged = false;
        while seqs.len() < EACH as usize || !resend_acknowledged {
            match socket.next_event().await {
                VisitorEvent::MessageCreated { message } if seqs.contains(&message.seq) => {
                    assert_eq!(message.client_id.as_deref(), Some("m-3"), "only the resend comes twice");
                    resend_acknowledged = true;
                }
                VisitorEvent::MessageCreated { message } => {
                    assert_eq!(message.text, format!("message {}", message.seq));
                    seqs.push(message.seq);
                }
                _ => {}
            }
        }
        assert_eq!(seqs, (1..=EACH).collect::<Vec<_>>(), "each message once, in order");
        // The resend left no gap: the next message takes the next number.
        socket
            .send(&ClientEvent::Send {
                client_id: "after".into(),
                text: "after the resend".into(),
                attachments: vec![],
            })
            .await;
        assert_eq!(socket.wait_for_message("after the resend").await.seq, EACH + 1);
    }

    // Each conversation's summary counted every message once and shows the last one.
    let conversations = parley_services::entities::conversation::Entity::find().all(&app.services.db).await.unwrap();
    assert_eq!(conversations.len(), VISITORS);
    for row in conversations {
        assert_eq!((row.last_seq, row.visitor_messages), (EACH + 1, EACH + 1), "conversation {}", row.id);
        assert_eq!(row.last_message.as_deref(), Some("after the resend"));
        assert_eq!(row.last_author.as_deref(), Some("visitor"));
        assert!(row.waiting_since_ms.is_some(), "the visitor waits for an answer");
    }

    if let (Some((batches_before, writes_before)), Some((batches, writes))) = (before, app.services.write_batches()) {
        let (batches, writes) = (batches - batches_before, writes - writes_before);
        let messages = (VISITORS as u64) * (EACH as u64);
        eprintln!("{messages} messages in {writes} writes, {batches} commits");
        // Messages that queue together share writes (the appender) and writes share
        // commits (the gate): far fewer commits than messages.
        assert!(writes >= batches && batches * 2 < messages, "{messages} messages took {batches} commits");
    }
}

/// An outbox row of `kind` (a stand-in for any command's rows) in `w`.
async fn insert_row(w: &parley_services::Write, kind: &str) {
    outbox::ActiveModel {
        workspace_id: Set(1),
        kind: Set(kind.into()),
        payload: Set("{}".into()),
        created_at_ms: Set(0),
        ..Default::default()
    }
    .insert(w.txn())
    .await
    .unwrap();
}

/// A write of one row of `kind` from another task; `commit: false` gives up instead. It
/// queues behind whoever holds the gate.
fn spawn_write(app: &TestApp, kind: &'static str, commit: bool) -> tokio::task::JoinHandle<()> {
    let services = app.services.clone();
    tokio::spawn(async move {
        let w = services.begin().await.unwrap();
        insert_row(&w, kind).await;
        if commit {
            w.commit().await.unwrap();
        }
    })
}

/// Jobs due now (none once the start-up runs of the recurring jobs are done).
async fn due_jobs(app: &TestApp) -> usize {
    use sea_orm::{EntityTrait, PaginatorTrait};
    parley_services::entities::job::Entity::find()
        .filter(parley_services::entities::job::Column::DueAtMs.lte(parley_services::clock::now_ms()))
        .count(&app.services.db)
        .await
        .unwrap() as usize
}

async fn rows_of(app: &TestApp, kind: &str) -> usize {
    outbox::Entity::find().filter(outbox::Column::Kind.eq(kind)).all(&app.services.db).await.unwrap().len()
}

#[tokio::test]
async fn a_write_that_fails_inside_a_batch_rolls_back_alone() {
    let app = TestApp::spawn().await;
    app.workspace("Acme").await;
    // The recurring jobs' first runs (due at start) write too: let them finish first.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while due_jobs(&app).await > 0 {
        assert!(std::time::Instant::now() < deadline, "the start-up jobs did not run");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before = app.services.write_batches();
    // The first write opens a batch and, while it holds the gate, two more queue behind
    // it (the test runtime runs one task at a time, so they queue on `yield_now`).
    let first = app.services.begin().await.unwrap();
    insert_row(&first, "test.first").await;
    let failing = spawn_write(&app, "test.failed", false);
    let last = spawn_write(&app, "test.last", true);
    tokio::task::yield_now().await;
    // Others wait: the first write leaves the batch open for them and is acknowledged
    // when the last one commits it.
    first.commit().await.unwrap();
    failing.await.unwrap();
    last.await.unwrap();

    assert_eq!(rows_of(&app, "test.first").await, 1);
    assert_eq!(rows_of(&app, "test.failed").await, 0, "the failed write left nothing");
    assert_eq!(rows_of(&app, "test.last").await, 1);
    if let (Some((b0, w0)), Some((b1, w1))) = (before, app.services.write_batches()) {
        // The three writes shared one batch: at least two fewer batches than writes. (A
        // background write, such as a job's, may have committed meanwhile, alone or in
        // the same batch; CI once counted (1, 4).)
        assert!(w1 - w0 >= 3 && b1 - b0 + 2 <= w1 - w0, "the three writes shared one batch: {:?}", (b1 - b0, w1 - w0));
    }
}

#[tokio::test]
async fn the_first_write_of_a_batch_that_fails_rolls_the_batch_back_and_the_next_write_commits() {
    let app = TestApp::spawn().await;
    app.workspace("Acme").await;
    let first = app.services.begin().await.unwrap();
    insert_row(&first, "test.abandoned").await;
    let next = spawn_write(&app, "test.kept", true);
    tokio::task::yield_now().await;
    drop(first);
    next.await.unwrap();
    assert_eq!(rows_of(&app, "test.abandoned").await, 0, "the abandoned write left nothing");
    assert_eq!(rows_of(&app, "test.kept").await, 1, "the write queued behind it committed");
}

/// A write that inserts a row and records an event, both marked with `id`, then commits
/// (or, with `commit: false`, gives up); from another task, queued behind the gate's
/// holder.
fn spawn_recording_write(app: &TestApp, id: i64, commit: bool) -> tokio::task::JoinHandle<()> {
    let services = app.services.clone();
    tokio::spawn(async move {
        let mut w = services.begin().await.unwrap();
        insert_row(&w, &format!("test.row-{id}")).await;
        w.record(
            parley_types::WorkspaceId(1),
            parley_services::DomainEvent::ConversationRead {
                conversation_id: parley_types::ConversationId(id),
                by: parley_types::UserId(1),
            },
        );
        if commit {
            w.commit().await.unwrap();
        }
    })
}

async fn read_events(app: &TestApp) -> Vec<i64> {
    use sea_orm::QueryOrder;
    let rows = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("conversation_read"))
        .order_by_asc(outbox::Column::Id)
        .all(&app.services.db)
        .await
        .unwrap();
    rows.into_iter()
        .filter_map(|row| match serde_json::from_str(&row.payload).unwrap() {
            parley_services::DomainEvent::ConversationRead { conversation_id, .. } => Some(conversation_id.0),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_outbox_rows_of_a_batch_are_those_of_its_committed_writes_in_order() {
    let app = TestApp::spawn().await;
    app.workspace("Acme").await;
    // Five writes queue behind a holder; the third records its event and gives up.
    let holder = app.services.begin().await.unwrap();
    let writes: Vec<_> = (1..=5).map(|id| spawn_recording_write(&app, id, id != 3)).collect();
    tokio::task::yield_now().await;
    holder.commit().await.unwrap();
    for write in writes {
        write.await.unwrap();
    }
    // And a write alone afterwards.
    spawn_recording_write(&app, 6, true).await.unwrap();
    let mut events = read_events(&app).await;
    if app.services.write_batches().is_none() {
        // PostgreSQL: no gate, so the five writes commit in whatever order they finish.
        events.sort_unstable();
    }
    assert_eq!(events, vec![1, 2, 4, 5, 6], "each committed write's event, in commit order");
    for id in 1..=6 {
        let expected = usize::from(id != 3);
        assert_eq!(rows_of(&app, &format!("test.row-{id}")).await, expected, "write {id}'s row");
    }
}
