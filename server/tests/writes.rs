//! The one write path under concurrency: on SQLite, writes queued at the gate share one
//! commit (group commit), each in its own savepoint. Runs on SQLite, and on PostgreSQL
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
            socket.send(&ClientEvent::Send { client_id: format!("m-{n}"), text: format!("message {n}") }).await;
        }
        socket.send(&ClientEvent::Send { client_id: "m-3".into(), text: "message 3".into() }).await;
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
    }

    if let (Some((batches_before, writes_before)), Some((batches, writes))) = (before, app.services.write_batches()) {
        let (batches, writes) = (batches - batches_before, writes - writes_before);
        eprintln!("{writes} writes in {batches} commits");
        assert!(writes >= (VISITORS as u64) * (EACH as u64), "{writes} writes");
        assert!(batches < writes, "queued writes share commits: {batches} commits for {writes} writes");
    }
}

/// An outbox row written by its own write (a stand-in for any command's rows).
async fn write_row(app: &TestApp, kind: &str, commit: bool) {
    let w = app.services.begin().await.unwrap();
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
    if commit {
        w.commit().await.unwrap();
    }
}

#[tokio::test]
async fn a_write_that_fails_rolls_back_alone_and_the_writes_queued_behind_it_commit() {
    let app = TestApp::spawn().await;
    app.workspace("Acme").await;
    // The first write holds the gate while the second queues behind it, then gives up:
    // on SQLite the second joins the same batch.
    let first = app.services.begin().await.unwrap();
    outbox::ActiveModel {
        workspace_id: Set(1),
        kind: Set("test.abandoned".into()),
        payload: Set("{}".into()),
        created_at_ms: Set(0),
        ..Default::default()
    }
    .insert(first.txn())
    .await
    .unwrap();
    let second = tokio::spawn({
        let app_services = app.services.clone();
        async move {
            let w = app_services.begin().await.unwrap();
            outbox::ActiveModel {
                workspace_id: Set(1),
                kind: Set("test.kept".into()),
                payload: Set("{}".into()),
                created_at_ms: Set(0),
                ..Default::default()
            }
            .insert(w.txn())
            .await
            .unwrap();
            w.commit().await.unwrap();
        }
    });
    tokio::task::yield_now().await;
    drop(first);
    second.await.unwrap();
    write_row(&app, "test.after", true).await;
    write_row(&app, "test.dropped", false).await;

    let kinds = |kind: &'static str| {
        let db = app.services.db.clone();
        async move { outbox::Entity::find().filter(outbox::Column::Kind.eq(kind)).all(&db).await.unwrap().len() }
    };
    assert_eq!(kinds("test.abandoned").await, 0, "the abandoned write left nothing");
    assert_eq!(kinds("test.kept").await, 1, "the write queued behind it committed");
    assert_eq!(kinds("test.after").await, 1);
    // A write dropped with nobody behind it is rolled back too (its batch still commits,
    // within a few milliseconds, so the next writer is not kept waiting).
    assert_eq!(kinds("test.dropped").await, 0);
    write_row(&app, "test.last", true).await;
    assert_eq!(kinds("test.last").await, 1);
}
