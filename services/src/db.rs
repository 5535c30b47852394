//! Opening the database and bringing its schema up to date.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

use crate::config::redact_url;

/// `PARLEY_LOG_SQL=1` logs every statement (target `sqlx::query`, level info): for
/// finding out what a request costs, never on in production.
fn log_sql() -> bool {
    std::env::var_os("PARLEY_LOG_SQL").is_some_and(|v| v == "1")
}

/// Connects to `url` (SQLite or PostgreSQL) and runs pending migrations.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(log_sql()).acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // One writer at a time is SQLite's model; WAL lets readers proceed meanwhile, and
        // a busy timeout makes concurrent writers wait instead of failing.
        // SQLite checkpoints the WAL inside whichever commit crosses the threshold, which
        // stalls that writer (and everyone queued behind it) for the fsyncs. Parley turns
        // that off and checkpoints from a background task instead (`spawn_checkpointer`).
        options.max_connections(8).map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("wal_autocheckpoint", "0")
        });
    } else {
        options.max_connections(16);
    }
    tracing::info!(database = %redact_url(url), "connecting to the database");
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// A second connection to the SQLite database `url`, for writes only (the write gate's).
/// SQLite discards a connection's page cache whenever another connection changed the
/// database, so writes spread over a pool re-read their pages from disk each time; one
/// connection that makes every change keeps its cache (16 MB here) warm.
pub async fn connect_writer(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(log_sql())
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("wal_autocheckpoint", "0")
                .pragma("cache_size", "-16000")
                .thread_name(|_| WRITER_THREAD.to_owned())
        });
    let db = Database::connect(options).await?;
    lower_writer_priority();
    Ok(db)
}

/// The name of the writer connection's thread (at most 15 bytes: Linux keeps no more).
const WRITER_THREAD: &str = "parley-writer";
/// How far below the rest of the server the writer thread runs (`nice`, 0 to 19).
const WRITER_NICENESS: i32 = 5;

/// Lowers the OS priority of the writer connection's thread. On two cores the thread that
/// writes a message to disk competes with the sockets that show the next one to operators;
/// a lower priority lets a woken socket task run first (a write waits microseconds; group
/// commit takes what queued meanwhile). Linux only; elsewhere threads keep one priority.
fn lower_writer_priority() {
    #[cfg(target_os = "linux")]
    for (tid, _) in threads_named(WRITER_THREAD) {
        // SAFETY: setpriority reads its three integer arguments and touches no memory.
        if unsafe { libc::setpriority(libc::PRIO_PROCESS, tid, WRITER_NICENESS) } != 0 {
            tracing::warn!(error = %std::io::Error::last_os_error(), "could not lower the writer thread's priority");
        }
    }
}

/// This process's threads named `name`: their ids and `/proc` folders.
#[cfg(target_os = "linux")]
fn threads_named(name: &str) -> Vec<(libc::id_t, std::path::PathBuf)> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return Vec::new() };
    tasks
        .flatten()
        .filter(|task| std::fs::read_to_string(task.path().join("comm")).is_ok_and(|n| n.trim_end() == name))
        .filter_map(|task| Some((task.file_name().to_str()?.parse().ok()?, task.path())))
        .collect()
}

/// Checkpoints SQLite's WAL into the database file once a second, off the request path.
/// A passive checkpoint never blocks readers or writers.
pub fn spawn_checkpointer(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut every_second = tokio::time::interval(Duration::from_secs(1));
        every_second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every_second.tick().await;
            if let Err(err) = db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await {
                tracing::warn!(%err, "WAL checkpoint failed");
            }
        }
    });
}

/// Begins a transaction that will write. On SQLite it takes the write lock at `BEGIN`
/// (`IMMEDIATE`): a deferred transaction that reads first and writes later fails with
/// "database is locked" when another connection wrote in between, without waiting.
pub async fn begin_write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The `nice` of each thread of this process named `name` (field 19 of its stat).
    fn niceness_of(name: &str) -> Vec<i32> {
        threads_named(name)
            .iter()
            .map(|(_, dir)| nice_in(&std::fs::read_to_string(dir.join("stat")).unwrap()))
            .collect()
    }

    /// Field 19 of a `/proc/…/stat` line (the fields after "pid (comm) " start at the third).
    fn nice_in(stat: &str) -> i32 {
        stat.rsplit_once(") ").unwrap().1.split(' ').nth(19 - 3).unwrap().parse().unwrap()
    }

    #[tokio::test]
    async fn the_writer_thread_runs_below_the_rest_of_the_server() {
        let dir = std::env::temp_dir().join(format!("parley-writer-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("writer.db").display());
        let writer = connect_writer(&url).await.unwrap();
        writer.execute_unprepared("CREATE TABLE t (x INTEGER)").await.unwrap();
        assert_eq!(niceness_of(WRITER_THREAD), vec![WRITER_NICENESS], "one writer thread, lowered");
        assert!(niceness_of("parley-writer-x").is_empty());
        let main = std::fs::read_to_string("/proc/self/stat").unwrap();
        assert_eq!(nice_in(&main), 0, "the process keeps its priority");
        writer.close().await.unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
