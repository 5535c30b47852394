//! The views' counts are pushed to operators after conversations change (one job per
//! workspace folds a burst into a few events), each operator reading their own Mine.
//! Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{OperatorEvent, TeamViewCounts};
use support::{Socket, TestApp};

async fn next_counts(socket: &mut Socket<OperatorEvent>) -> TeamViewCounts {
    socket
        .wait_for(|e| match e {
            OperatorEvent::ViewCounts { counts } => Some(counts),
            _ => None,
        })
        .await
}

#[tokio::test]
async fn counts_follow_new_and_taken_conversations_in_few_events() {
    let app = TestApp::spawn_with_env(&[("PARLEY_NEW_VISITORS_PER_MINUTE", "0")]).await;
    let ws = app.workspace("Acme").await;
    let other = app.workspace("Globex").await;
    let operator = app.operator(&ws).await;
    let outsider = app.operator(&other).await;
    let (me, _) = operator.me().await;
    let mut socket = operator.socket().await;
    let mut outsider_socket = outsider.socket().await;

    let id = app.visitor_writes(&ws, "hello").await;
    let counts = next_counts(&mut socket).await;
    assert_eq!((counts.live, counts.assigned, counts.for_member(me).mine), (1, 0, 0));

    assert_eq!(operator.assign_conversation(id, Some(me)).await.status(), 200);
    let counts = next_counts(&mut socket).await;
    assert_eq!((counts.live, counts.assigned, counts.for_member(me).mine), (0, 1, 1));

    // A burst of new conversations: the counts arrive settled, in far fewer events.
    for n in 0..20 {
        app.visitor_writes(&ws, &format!("burst {n}")).await;
    }
    let mut events = 0;
    let mut counts = next_counts(&mut socket).await;
    events += 1;
    while counts.live < 20 {
        counts = next_counts(&mut socket).await;
        events += 1;
    }
    assert_eq!(counts.live, 20);
    assert!(events < 20, "{events} count events for 20 conversations");

    // Another workspace hears nothing of Acme's counts.
    while let Some(frame) = outsider_socket.raw_within(std::time::Duration::from_millis(300)).await {
        assert!(!frame.contains("\"view_counts\""), "{frame}");
    }
}
