//! Operating a Parley server: `/metrics`, request ids, `/readyz`, and `parley backup` /
//! `parley restore`. Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set
//! (backup and restore are SQLite-only and say so there).

mod support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use parley_types::{ClientEvent, Message};
use support::{TestApp, WAIT, sqlite_url, test_config};

const TOKEN: &str = "metrics-token-for-tests";

fn send(client_id: &str, text: &str) -> ClientEvent {
    ClientEvent::Send { client_id: client_id.into(), text: text.into(), attachments: vec![] }
}

fn on_postgres() -> bool {
    std::env::var("DATABASE_URL").is_ok_and(|url| url.starts_with("postgres"))
}

/// Scrapes `/metrics` with the token.
async fn scrape(app: &TestApp) -> String {
    let response = reqwest::Client::new()
        .get(format!("{}/metrics", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("metrics request");
    assert_eq!(response.status(), 200);
    response.text().await.expect("metrics body")
}

/// The value of the sample `series` (name and labels exactly as exposed), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
}

/// Scrapes until `series` has `value` (the server updates some gauges a moment after
/// the client sees its side done), failing after `WAIT`.
async fn wait_for_sample(app: &TestApp, series: &str, value: f64) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let text = scrape(app).await;
        if sample(&text, series) == Some(value) {
            return text;
        }
        assert!(Instant::now() < deadline, "{series} never became {value}; last scrape:\n{text}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn metrics_count_requests_by_route_open_sockets_and_stored_messages() {
    let app = TestApp::spawn_with_env(&[("PARLEY_METRICS_TOKEN", TOKEN)]).await;
    let ws = app.workspace("Acme").await;
    let client = reqwest::Client::new();
    for _ in 0..2 {
        assert_eq!(client.get(format!("{}/healthz", app.base)).send().await.unwrap().status(), 200);
    }
    let missing = client.get(format!("{}/no/such/page.png", app.base)).send().await.unwrap();
    assert_eq!(missing.status(), 404);

    let metrics_url = format!("{}/metrics", app.base);
    assert_eq!(client.get(&metrics_url).send().await.unwrap().status(), 401, "no token");
    assert_eq!(client.get(&metrics_url).bearer_auth("wrong-token-of-some-length").send().await.unwrap().status(), 401);
    let response = client.get(&metrics_url).bearer_auth(TOKEN).send().await.unwrap();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("application/openmetrics-text"), "{content_type}");

    // Sockets: a visitor's and an operator's count while open.
    let operator = app.operator(&ws).await;
    let inbox = operator.socket().await;
    let visitor = app.visitor(&ws).await;
    let (mut widget, _) = app.visitor_socket(&ws, &visitor, 0).await;
    wait_for_sample(&app, r#"parley_open_sockets{kind="operator"}"#, 1.0).await;
    wait_for_sample(&app, r#"parley_open_sockets{kind="visitor"}"#, 1.0).await;

    // Messages: two stored, and a resend of the first is not counted again.
    widget.send(&send("m-1", "first")).await;
    let first: Message = widget.wait_for_message("first").await;
    widget.send(&send("m-1", "first")).await;
    widget.wait_for_message("first").await;
    let reply = operator.send_reply(first.conversation_id, "op-1", "answer").await;
    assert_eq!(reply.status(), 200);

    widget.close().await;
    inbox.close().await;
    wait_for_sample(&app, r#"parley_open_sockets{kind="visitor"}"#, 0.0).await;
    let text = wait_for_sample(&app, r#"parley_open_sockets{kind="operator"}"#, 0.0).await;

    assert_eq!(sample(&text, r#"parley_messages_stored_total{author="visitor"}"#), Some(1.0), "{text}");
    assert_eq!(sample(&text, r#"parley_messages_stored_total{author="operator"}"#), Some(1.0), "{text}");
    assert_eq!(sample(&text, r#"parley_http_requests_total{method="GET",route="/healthz",status="200"}"#), Some(2.0));
    assert_eq!(sample(&text, r#"parley_http_requests_total{method="GET",route="/metrics",status="401"}"#), Some(2.0));
    assert_eq!(
        sample(&text, r#"parley_http_requests_total{method="POST",route="/widget/v1/{key}/visitors",status="200"}"#),
        Some(1.0),
        "routes are labelled by template:\n{text}"
    );
    assert_eq!(
        sample(&text, r#"parley_http_requests_total{method="GET",route="/widget/v1/{key}/ws",status="101"}"#),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, r#"parley_http_requests_total{method="POST",route="/api/send_reply",status="200"}"#),
        Some(1.0)
    );
    assert_eq!(sample(&text, r#"parley_http_requests_total{method="GET",route="fallback",status="404"}"#), Some(1.0));
    assert!(!text.contains(&ws.key) && !text.contains("page.png"), "no raw path reaches a label:\n{text}");
    assert_eq!(
        sample(&text, r#"parley_http_request_duration_seconds_count{method="GET",route="/healthz"}"#),
        Some(2.0),
        "{text}"
    );
    assert!(text.contains(r#"parley_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz"}"#));
    assert!(sample(&text, r#"parley_db_connections{state="idle"}"#).is_some_and(|idle| idle >= 1.0), "{text}");
    assert!(sample(&text, r#"parley_db_connections{state="in_use"}"#).is_some(), "{text}");
    assert_eq!(sample(&text, "parley_socket_lag_closes_total"), Some(0.0));
    // At least the recurring jobs (outbox pruning, session sweeping, conversation expiry,
    // the sweep of unsent uploads) wait; others may too (a closed operator socket's
    // "away", the views' counts after the new conversation).
    let depth = sample(&text, "parley_jobs_queue_depth").unwrap_or_default();
    assert!(depth >= 4.0, "queue depth {depth}:\n{text}");

    // Failures are counted by kind. (The depth is not set by hand here: the running job
    // runner overwrites it at any moment, which made such a check flaky.)
    app.services.metrics.job_failed("email");
    let text = scrape(&app).await;
    assert_eq!(sample(&text, r#"parley_job_failures_total{kind="email"}"#), Some(1.0), "{text}");
}

#[tokio::test]
async fn metrics_are_off_without_a_token() {
    let app = TestApp::spawn().await;
    let response = reqwest::Client::new().get(format!("{}/metrics", app.base)).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("PARLEY_METRICS_TOKEN"));
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_clients_own_id_is_kept() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let id_of = |response: &reqwest::Response| {
        response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned)
    };
    let mut ids = HashSet::new();
    for path in ["/healthz", "/healthz", "/no/such/file.css", "/embed.js"] {
        let response = client.get(format!("{}{path}", app.base)).send().await.unwrap();
        let id = id_of(&response).unwrap_or_else(|| panic!("{path} answered without x-request-id"));
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id} is not a UUID");
        ids.insert(id);
    }
    assert_eq!(ids.len(), 4, "each request gets its own id");

    let response = client.get(format!("{}/healthz", app.base)).header("x-request-id", "edge-proxy-42").send().await;
    assert_eq!(id_of(&response.unwrap()).as_deref(), Some("edge-proxy-42"));
    let refused = client
        .post(format!("{}/api/list_conversations", app.base))
        .header("Origin", &app.base)
        .header("x-request-id", "mine")
        .send();
    let refused = refused.await.unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(id_of(&refused).as_deref(), Some("mine"), "errors carry the id too");
}

#[tokio::test]
async fn readyz_answers_200_while_the_database_answers_and_503_once_it_is_gone() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let ready = client.get(format!("{}/readyz", app.base)).send().await.unwrap();
    assert_eq!((ready.status().as_u16(), ready.text().await.unwrap().as_str()), (200, "ready"));

    // The server shares this pool: closing it takes the database away from the server.
    app.services.db.close_by_ref().await.expect("close the pool");
    let gone = client.get(format!("{}/readyz", app.base)).send().await.unwrap();
    assert_eq!(gone.status(), 503);
    assert!(gone.text().await.unwrap().contains("database"));
    let alive = client.get(format!("{}/healthz", app.base)).send().await.unwrap();
    assert_eq!(alive.status(), 200, "liveness does not depend on the database");
}

/// One visitor writing messages one after another through its socket until `stop`,
/// reporting each acknowledged (echoed, hence committed) message with when it arrived.
async fn write_until_stopped(
    mut socket: support::Socket<parley_types::VisitorEvent>,
    writer: usize,
    acks: tokio::sync::mpsc::UnboundedSender<(usize, String, Instant)>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> support::Socket<parley_types::VisitorEvent> {
    for n in 0..2_000 {
        if *stop.borrow_and_update() {
            break;
        }
        let text = format!("writer {writer} message {n}");
        socket.send(&send(&format!("w{writer}-{n}"), &text)).await;
        socket.wait_for_message(&text).await;
        let _ = acks.send((writer, text, Instant::now()));
    }
    socket
}

#[tokio::test]
async fn a_backup_taken_under_write_load_holds_every_acknowledged_message_and_restores() {
    if on_postgres() {
        println!("skipped: parley backup is for SQLite (PostgreSQL uses pg_dump)");
        return;
    }
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let mut visitors = Vec::new();
    let (ack_tx, mut ack_rx) = tokio::sync::mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut writers = Vec::new();
    for writer in 0..4 {
        let visitor = app.visitor(&ws).await;
        let (socket, _) = app.visitor_socket(&ws, &visitor, 0).await;
        visitors.push(visitor);
        writers.push(tokio::spawn(write_until_stopped(socket, writer, ack_tx.clone(), stop_rx.clone())));
    }
    drop(ack_tx);

    let mut acked: Vec<(usize, String, Instant)> = Vec::new();
    while acked.len() < 60 {
        acked.push(tokio::time::timeout(WAIT, ack_rx.recv()).await.expect("writers stalled").expect("writer ended"));
    }
    // Everything acknowledged up to here must be in the backup.
    while let Ok(ack) = ack_rx.try_recv() {
        acked.push(ack);
    }
    let before_backup: Vec<(usize, String)> = acked.iter().map(|(w, text, _)| (*w, text.clone())).collect();
    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("parley-backup.db");
    let started = Instant::now();
    let bytes = server::backup::backup(app.config(), &file).await.expect("backup");
    let finished = Instant::now();
    assert!(bytes > 0);

    // The writers carry on after the backup; then stop them.
    let mut after = 0;
    while after < 20 {
        let ack = tokio::time::timeout(WAIT, ack_rx.recv()).await.expect("writers stalled").expect("writer ended");
        after += 1;
        acked.push(ack);
    }
    let _ = stop_tx.send(true);
    for writer in writers {
        writer.await.expect("writer").close().await;
    }
    while let Some(ack) = ack_rx.recv().await {
        acked.push(ack);
    }
    let during = acked.iter().filter(|(_, _, at)| *at > started && *at < finished).count();
    println!(
        "backup of {bytes} bytes in {:?}; {} messages acknowledged before it, {during} while it ran, {} in all",
        finished - started,
        before_backup.len(),
        acked.len()
    );

    let again = server::backup::backup(app.config(), &file).await.expect_err("a second backup to the same file");
    assert!(again.contains("already exists"), "{again}");

    // Restore into a fresh data folder and serve it.
    let fresh = tempfile::tempdir().unwrap();
    let url = sqlite_url(fresh.path());
    let restored = server::backup::restore(&test_config("127.0.0.1:0", fresh.path(), &url, &[]), &file)
        .await
        .expect("restore into a fresh data folder");
    assert!(restored.previous.is_none());
    let second = TestApp::spawn_on(fresh, url, &[]).await;
    for (writer, visitor) in visitors.iter().enumerate() {
        let (socket, history) = second.visitor_socket(&ws, visitor, 0).await;
        socket.close().await;
        let texts: HashSet<&str> = history.iter().map(|m| m.text.as_str()).collect();
        for (_, text) in before_backup.iter().filter(|(w, _)| *w == writer) {
            assert!(texts.contains(text.as_str()), "{text:?} was acknowledged before the backup but is missing");
        }
        let seqs: Vec<i64> = history.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>(), "the restored conversation has no gaps");
    }
}

#[tokio::test]
async fn restore_is_refused_while_a_server_holds_the_data_folder_and_checks_the_file() {
    if on_postgres() {
        println!("skipped: parley restore is for SQLite (PostgreSQL uses pg_restore)");
        return;
    }
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("backup.db");
    server::backup::backup(app.config(), &file).await.expect("backup");

    let refused = server::backup::restore(app.config(), &file).await.expect_err("restore under a running server");
    assert!(refused.contains("a running Parley"), "{refused}");
    assert!(refused.contains(&std::process::id().to_string()), "names the process holding the folder: {refused}");

    // A second server on the same folder is refused the same way.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let second = server::serve(listener, app.services.clone(), std::future::ready(())).await;
    assert!(second.is_err_and(|err| err.to_string().contains("a running Parley")));

    // Into a folder no server holds, a file that is not a Parley backup is refused and
    // the database in place is left alone.
    let fresh = tempfile::tempdir().unwrap();
    let url = sqlite_url(fresh.path());
    let config = test_config("127.0.0.1:0", fresh.path(), &url, &[]);
    server::backup::restore(&config, &file).await.expect("first restore");
    let junk = backups.path().join("notes.txt");
    std::fs::write(&junk, "not a database at all, just some words to fill a page or two").unwrap();
    let junk_refused = server::backup::restore(&config, &junk).await.expect_err("junk refused");
    assert!(junk_refused.contains("not a readable SQLite database"), "{junk_refused}");
    let replaced = server::backup::restore(&config, &file).await.expect("second restore");
    let previous = replaced.previous.expect("the replaced database is kept");
    assert!(previous.is_file());
    let leftovers: Vec<String> = std::fs::read_dir(fresh.path())
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no scratch files remain: {leftovers:?}");

    let restored = TestApp::spawn_on(fresh, url, &[]).await;
    let visitor = restored.visitor(&ws).await;
    assert!(!visitor.token.is_empty(), "the restored workspace serves its widget");
}

#[tokio::test]
async fn on_postgresql_backup_and_restore_point_to_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let config = test_config("127.0.0.1:0", dir.path(), "postgres://parley@127.0.0.1:1/none", &[]);
    let backup = server::backup::backup(&config, &dir.path().join("b.db")).await.expect_err("no SQLite");
    assert!(backup.contains("pg_dump"), "{backup}");
    let restore = server::backup::restore(&config, &dir.path().join("b.db")).await.expect_err("no SQLite");
    assert!(restore.contains("pg_restore"), "{restore}");
}
