//! The `contacts` mode: contact search and segment counts at scale, in-process through
//! `parley-services` on a fresh database. Inserts `contacts` contacts (a third leads,
//! last seen spread over 90 days, emails `user{n}@example{n % 100}.com`), then times, over
//! `repeats` runs each (median and max):
//!
//! - `email_prefix_ms`: the contact list searched by an email's start (`user12345@`), the
//!   page and its total, as the Contacts page asks;
//! - `segment_count_ms`: a segment's count (leads seen in the last 30 days);
//! - `insert_per_sec`: how fast the contacts went in (multi-row inserts, 5,000 a write);
//! - `segment_plan`: the database's plan for the segment count's query (the same
//!   conditions written out by hand: `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on
//!   PostgreSQL);
//! - on SQLite, `checkpoint_ms` and `segment_count_after_checkpoint_ms`: the WAL
//!   checkpointed in full (`wal_checkpoint(TRUNCATE)`, as the server's background
//!   checkpointer eventually does), then the count timed again (the first timings may
//!   overlap that checkpointer copying the seeded rows);
//! - with `--try-index`: creates `contacts_workspace_kind_seen (workspace_id, kind,
//!   last_seen_at_ms)` on the seeded database and times the count and its plan again
//!   (`with_index`). This trial is how the index was chosen; migration 000025 now makes
//!   it, so on today's schema the flag fails ("already exists"): edit `TRIAL_INDEX` to
//!   try another one.

use std::time::Instant;

use parley_services::workspaces::{CreateWorkspace, create_workspace};
use parley_services::{Actor, Config, Services, auth, contacts};
use parley_types::{ContactFilter, ContactKind, WorkspaceId};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ContactsReport {
    pub mode: &'static str,
    pub database: &'static str,
    pub contacts: usize,
    pub insert_per_sec: f64,
    pub email_prefix_ms: Timing,
    pub segment_count_ms: Timing,
    pub segment_count: u64,
    pub segment_plan: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_count_after_checkpoint_ms: Option<Timing>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with_index: Option<IndexTrial>,
}

/// The segment count again with an index the schema does not have.
#[derive(Debug, Serialize)]
pub struct IndexTrial {
    pub ddl: &'static str,
    pub create_ms: f64,
    pub segment_count_ms: Timing,
    pub segment_count: u64,
    pub segment_plan: Vec<String>,
    /// The email-prefix search with the extra index (it must not get slower).
    pub email_prefix_ms: Timing,
}

/// The index `--try-index` creates.
const TRIAL_INDEX: &str = "CREATE INDEX contacts_workspace_kind_seen ON contacts (workspace_id, kind, last_seen_at_ms)";

#[derive(Debug, Serialize)]
pub struct Timing {
    pub median: f64,
    pub max: f64,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn timing(mut samples: Vec<f64>) -> Timing {
    samples.sort_by(f64::total_cmp);
    Timing { median: samples[samples.len() / 2], max: samples[samples.len() - 1] }
}

pub async fn run(
    count: usize,
    repeats: usize,
    data_dir: &str,
    database_url: Option<&str>,
    try_index: bool,
) -> Result<ContactsReport, BoxError> {
    let config = Config::from_lookup(|name| match name {
        "PARLEY_DATA_DIR" => Some(data_dir.to_owned()),
        "DATABASE_URL" => database_url.map(str::to_owned),
        "PARLEY_ADDR" => Some("127.0.0.1:0".into()),
        _ => None,
    })?;
    let database = if config.uses_sqlite() { "sqlite" } else { "postgres" };
    let svc = Services::start(config).await?;
    let input = CreateWorkspace {
        workspace_name: "Contacts".into(),
        owner_name: "Owner".into(),
        owner_email: "owner@contacts.test".into(),
        owner_password: "contacts bench password".into(),
        allowed_origins: vec!["http://bench.local".into()],
    };
    let created = create_workspace(&svc, input, false).await?;
    let owner =
        Actor::Member(auth::sign_in(&svc.db, &svc.throttle, "owner@contacts.test", "contacts bench password").await?);
    let inserted = insert(&svc, created.workspace_id, count).await?;

    let workspace = owner.own_workspace();
    let prefix = time_prefix(&svc, &owner, count, repeats).await?;
    let segment = ContactFilter { kinds: vec![ContactKind::Lead], seen_within_days: Some(30), ..Default::default() };
    let (counts, segment_count) = time_count(&svc, workspace, &segment, repeats).await?;
    let plan_sql = format!(
        "SELECT COUNT(*) FROM contacts WHERE workspace_id = {} AND kind IN ('lead') AND last_seen_at_ms >= {}",
        created.workspace_id.0,
        parley_services::clock::now_ms() - 30 * 86_400_000
    );
    let segment_plan = plan(&svc.db, &plan_sql).await?;
    let (mut checkpoint_ms, mut after_checkpoint) = (None, None);
    if database == "sqlite" {
        let started = Instant::now();
        svc.db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        checkpoint_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
        after_checkpoint = Some(time_count(&svc, workspace, &segment, repeats).await?.0);
    }
    let with_index = if try_index {
        let started = Instant::now();
        svc.db.execute_unprepared(TRIAL_INDEX).await?;
        let create_ms = started.elapsed().as_secs_f64() * 1000.0;
        if database == "postgres" {
            svc.db.execute_unprepared("ANALYZE contacts").await?;
        }
        let (timing, segment_count) = time_count(&svc, workspace, &segment, repeats).await?;
        Some(IndexTrial {
            ddl: TRIAL_INDEX,
            create_ms,
            segment_count_ms: timing,
            segment_count,
            segment_plan: plan(&svc.db, &plan_sql).await?,
            email_prefix_ms: time_prefix(&svc, &owner, count, repeats).await?,
        })
    } else {
        None
    };
    Ok(ContactsReport {
        mode: "contacts",
        database,
        contacts: count,
        insert_per_sec: inserted,
        email_prefix_ms: prefix,
        segment_count_ms: counts,
        segment_count,
        segment_plan,
        checkpoint_ms,
        segment_count_after_checkpoint_ms: after_checkpoint,
        with_index,
    })
}

/// The contact list searched by an email's start, `repeats` times.
async fn time_prefix(svc: &Services, owner: &Actor, count: usize, repeats: usize) -> Result<Timing, BoxError> {
    let mut prefix = Vec::with_capacity(repeats);
    for i in 0..repeats {
        let n = (i * 7919 + 12_345) % count.max(1);
        let filter = ContactFilter { query: format!("user{n}@"), ..Default::default() };
        let started = Instant::now();
        let page = contacts::list_contacts(&svc.db, owner, &filter, None).await?;
        prefix.push(started.elapsed().as_secs_f64() * 1000.0);
        if page.contacts.is_empty() {
            return Err(format!("the search for user{n}@ found nobody").into());
        }
    }
    Ok(timing(prefix))
}

/// The segment's count, `repeats` times; the timing and the count.
async fn time_count(
    svc: &Services,
    workspace: parley_services::access::Scope,
    segment: &ContactFilter,
    repeats: usize,
) -> Result<(Timing, u64), BoxError> {
    let mut counts = Vec::with_capacity(repeats);
    let mut segment_count = 0;
    for _ in 0..repeats {
        let started = Instant::now();
        segment_count = contacts::segments::count_matching(&svc.db, workspace, segment).await?;
        counts.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok((timing(counts), segment_count))
}

/// The database's plan for `sql`, one line per row.
pub(crate) async fn plan(db: &DatabaseConnection, sql: &str) -> Result<Vec<String>, BoxError> {
    let backend = db.get_database_backend();
    let (explain, column) = match backend {
        DbBackend::Sqlite => (format!("EXPLAIN QUERY PLAN {sql}"), "detail"),
        _ => (format!("EXPLAIN {sql}"), "QUERY PLAN"),
    };
    let rows = db.query_all_raw(Statement::from_string(backend, explain)).await?;
    Ok(rows.iter().filter_map(|row| row.try_get::<String>("", column).ok()).collect())
}

/// Inserts `count` contacts, 5,000 per write; answers contacts per second.
async fn insert(svc: &Services, workspace: WorkspaceId, count: usize) -> Result<f64, BoxError> {
    let now = parley_services::clock::now_ms();
    let day = 86_400_000_i64;
    let started = Instant::now();
    for chunk in (0..count).collect::<Vec<_>>().chunks(5_000) {
        let mut sql = String::from(
            "INSERT INTO contacts (workspace_id, kind, name, visitor_token_hash, created_at_ms, last_seen_at_ms, \
             email, email_key, name_given, verified) VALUES ",
        );
        for (i, n) in chunk.iter().enumerate() {
            let kind = if n % 3 == 0 { "lead" } else { "guest" };
            let seen = now - (*n as i64 * 7_919 % (90 * day));
            let email = format!("user{n}@example{}.com", n % 100);
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "({}, '{kind}', 'Contact {n}', 'bench-{n}', {seen}, {seen}, '{email}', '{email}', TRUE, FALSE)",
                workspace.0
            ));
        }
        let w = svc.begin().await?;
        w.txn().execute_unprepared(&sql).await?;
        w.commit().await?;
    }
    Ok(count as f64 / started.elapsed().as_secs_f64())
}
