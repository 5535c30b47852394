//! Durable jobs and outbox consumers: exactly once, across restarts. Runs on SQLite, and
//! on PostgreSQL when `DATABASE_URL` is set.

mod support;

use std::sync::Arc;
use std::time::Duration;

use parley_services::entities::job;
use parley_services::events::DomainEvent;
use parley_services::jobs::{JobError, JobHandler, NewJob};
use parley_services::outbox::{OutboxConsumer, StoredEvent};
use parley_services::{ServiceResult, Services, Write};
use parley_types::ClientEvent;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};
use support::{Setup, TestApp, WAIT};

/// Records each run of a `test.record` job in `test_job_runs`.
struct Record;

#[async_trait::async_trait]
impl JobHandler for Record {
    fn kind(&self) -> &'static str {
        "test.record"
    }

    async fn run(&self, _svc: &Services, w: &mut Write, job: &job::Model) -> Result<(), JobError> {
        let payload: serde_json::Value = serde_json::from_str(&job.payload)?;
        let n = payload["n"].as_i64().ok_or_else(|| JobError("no n".into()))?;
        exec(w.txn(), "INSERT INTO test_job_runs (n) VALUES ($1)", vec![n.into()]).await;
        Ok(())
    }
}

/// Fails its first two runs, then succeeds.
struct Flaky;

#[async_trait::async_trait]
impl JobHandler for Flaky {
    fn kind(&self) -> &'static str {
        "test.flaky"
    }

    async fn run(&self, _svc: &Services, w: &mut Write, job: &job::Model) -> Result<(), JobError> {
        if job.attempts < 3 {
            return Err(JobError(format!("attempt {} fails", job.attempts)));
        }
        exec(w.txn(), "INSERT INTO test_job_runs (n) VALUES ($1)", vec![job.attempts.into()]).await;
        Ok(())
    }
}

/// Records every outbox event it sees in `test_outbox_seen`, slowly.
struct Collect;

#[async_trait::async_trait]
impl OutboxConsumer for Collect {
    fn name(&self) -> &'static str {
        "test.collect"
    }

    async fn handle(&self, _svc: &Services, w: &mut Write, event: &StoredEvent) -> ServiceResult<()> {
        tokio::time::sleep(Duration::from_millis(5)).await;
        exec(w.txn(), "INSERT INTO test_outbox_seen (event_id) VALUES ($1)", vec![event.id.into()]).await;
        Ok(())
    }
}

/// Has work only for conversations' first events (`ConversationCreated`): records those
/// in `test_outbox_picked` and passes over everything else without a write.
struct Picky;

#[async_trait::async_trait]
impl OutboxConsumer for Picky {
    fn name(&self) -> &'static str {
        "test.picky"
    }

    async fn select<'a>(&self, _svc: &Services, batch: &'a [StoredEvent]) -> ServiceResult<Vec<&'a StoredEvent>> {
        Ok(batch.iter().filter(|e| matches!(e.event, DomainEvent::ConversationCreated { .. })).collect())
    }

    async fn handle(&self, _svc: &Services, w: &mut Write, event: &StoredEvent) -> ServiceResult<()> {
        assert!(matches!(event.event, DomainEvent::ConversationCreated { .. }), "only selected events are handled");
        exec(w.txn(), "INSERT INTO test_outbox_picked (event_id) VALUES ($1)", vec![event.id.into()]).await;
        Ok(())
    }
}

fn setup() -> Option<Setup> {
    Some(Arc::new(|svc: &Services| {
        svc.platform.register_job(Arc::new(Record));
        svc.platform.register_job(Arc::new(Flaky));
        svc.platform.register_consumer(Arc::new(Collect));
        svc.platform.register_consumer(Arc::new(Picky));
    }))
}

/// Runs SQL written with `$n` placeholders on either database.
async fn exec(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) {
    let backend = db.get_database_backend();
    let sql = if backend == DatabaseBackend::Sqlite { sql.replace('$', "?") } else { sql.to_owned() };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await.expect("test SQL");
}

async fn numbers(db: &impl ConnectionTrait, sql: &str) -> Vec<i64> {
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("query");
    rows.iter().map(|row| row.try_get_by_index::<i64>(0).expect("a number")).collect()
}

async fn create_test_tables(app: &TestApp) {
    let db = &app.services.db;
    exec(db, "CREATE TABLE test_job_runs (n BIGINT NOT NULL)", vec![]).await;
    exec(db, "CREATE TABLE test_outbox_seen (event_id BIGINT NOT NULL)", vec![]).await;
    exec(db, "CREATE TABLE test_outbox_picked (event_id BIGINT NOT NULL)", vec![]).await;
}

/// Polls until `check` holds, failing the test after `WAIT`.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + WAIT * 3;
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn enqueue(app: &TestApp, jobs: impl IntoIterator<Item = NewJob>) {
    let mut w = app.services.begin().await.expect("begin");
    for job in jobs {
        assert!(w.enqueue(job).await.expect("enqueue"));
    }
    w.commit().await.expect("commit");
}

#[tokio::test]
async fn a_thousand_jobs_run_exactly_once_each_with_two_runners() {
    let app = TestApp::spawn_with(setup()).await;
    create_test_tables(&app).await;
    // A second runner competes with the server's own for the same rows.
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    parley_services::jobs::spawn_runner(app.services.clone(), stopped);
    enqueue(&app, (0..1000).map(|n| NewJob::new("test.record", serde_json::json!({ "n": n })))).await;

    let db = &app.services.db;
    eventually("every job ran", || async { numbers(db, "SELECT COUNT(*) FROM test_job_runs").await[0] >= 1000 }).await;
    eventually("the queue is empty", || async {
        numbers(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'test.record'").await[0] == 0
    })
    .await;
    let runs = numbers(db, "SELECT n FROM test_job_runs ORDER BY n").await;
    assert_eq!(runs, (0..1000).collect::<Vec<i64>>(), "each job ran once");
}

#[tokio::test]
async fn a_job_due_while_the_server_was_down_runs_once_after_the_restart() {
    let app = TestApp::spawn_with(setup()).await;
    create_test_tables(&app).await;
    let due = parley_services::clock::now_ms() + 1500;
    enqueue(&app, [NewJob::new("test.record", serde_json::json!({ "n": 7 })).due_at(due).unique("once")]).await;
    let stopped = app.stop().await;
    // The point of this test is time passing while nothing runs.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let app = stopped.start_again().await;
    let db = &app.services.db;
    eventually("the job ran", || async {
        numbers(db, "SELECT COUNT(*) FROM jobs WHERE unique_key = 'once'").await[0] == 0
    })
    .await;
    assert_eq!(numbers(db, "SELECT n FROM test_job_runs").await, [7], "it ran exactly once");
}

#[tokio::test]
async fn a_failing_job_is_retried_with_backoff_and_keeps_its_last_error() {
    let app = TestApp::spawn_with(setup()).await;
    create_test_tables(&app).await;
    enqueue(&app, [NewJob::new("test.flaky", serde_json::Value::Null)]).await;
    let db = &app.services.db;
    for attempt in [1, 2] {
        let failed = format!(
            "SELECT COUNT(*) FROM jobs WHERE kind = 'test.flaky' AND attempts = {attempt} \
             AND lease_until_ms IS NULL AND last_error = 'attempt {attempt} fails'"
        );
        eventually("the failure is recorded", || async { numbers(db, &failed).await[0] == 1 }).await;
        let due = numbers(db, "SELECT due_at_ms FROM jobs WHERE kind = 'test.flaky'").await[0];
        assert!(due > parley_services::clock::now_ms(), "the retry waits for its backoff");
        // Bring the retry forward instead of waiting for the backoff.
        exec(db, "UPDATE jobs SET due_at_ms = 0 WHERE kind = 'test.flaky'", vec![]).await;
    }
    eventually("the third attempt succeeded", || async { numbers(db, "SELECT n FROM test_job_runs").await == [3] })
        .await;
    assert_eq!(numbers(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'test.flaky'").await, [0]);
}

#[tokio::test]
async fn an_outbox_consumer_resumes_after_a_restart_without_gaps_or_repeats() {
    let app = TestApp::spawn_with(setup()).await;
    create_test_tables(&app).await;
    let ws = app.workspace("Acme").await;
    let send =
        |n: usize| ClientEvent::Send { client_id: format!("c-{n}"), text: format!("message {n}"), attachments: vec![] };
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    for n in 0..30 {
        widget.send(&send(n)).await;
        widget.wait_for_message(&format!("message {n}")).await;
    }
    // Stop while the (slow) consumer is still behind.
    let stopped = app.stop().await;
    let app = stopped.start_again().await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 30).await;
    for n in 30..40 {
        widget.send(&send(n)).await;
        widget.wait_for_message(&format!("message {n}")).await;
    }
    let db = &app.services.db;
    let all = numbers(db, "SELECT id FROM outbox ORDER BY id").await;
    assert!(all.len() >= 40, "every message wrote an outbox row: {}", all.len());
    eventually("the consumer caught up", || async {
        numbers(db, "SELECT COUNT(*) FROM test_outbox_seen").await[0] as usize >= all.len()
    })
    .await;
    let seen = numbers(db, "SELECT event_id FROM test_outbox_seen").await;
    assert_eq!(seen, all, "every event once, in order");
}

#[tokio::test]
async fn a_consumer_handles_only_the_events_it_selects_and_its_position_still_moves_past_the_rest() {
    let app = TestApp::spawn_with(setup()).await;
    create_test_tables(&app).await;
    let ws = app.workspace("Acme").await;
    let send =
        |n: usize| ClientEvent::Send { client_id: format!("p-{n}"), text: format!("hello {n}"), attachments: vec![] };
    for _ in 0..3 {
        let visitor = app.visitor(&ws).await;
        let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
        for n in 0..4 {
            widget.send(&send(n)).await;
            widget.wait_for_message(&format!("hello {n}")).await;
        }
    }
    let db = &app.services.db;
    let created = numbers(db, "SELECT id FROM outbox WHERE kind = 'conversation_created' ORDER BY id").await;
    assert_eq!(created.len(), 3, "three conversations");
    let newest = *numbers(db, "SELECT MAX(id) FROM outbox").await.first().expect("rows");
    // The passed-over messages cost no write, but the stored position still reaches the
    // newest event (saved within a second), so a restart does not read them all again.
    eventually("the picky consumer's position passed every event", || async {
        parley_services::outbox::position(db, "test.picky").await.unwrap() >= newest
    })
    .await;
    assert_eq!(numbers(db, "SELECT event_id FROM test_outbox_picked ORDER BY event_id").await, created);
}
