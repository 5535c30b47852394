//! The `inbox` mode: the inbox at scale, in-process through `parley-services` (server
//! time, no HTTP), on a database it seeds itself:
//!
//! - **seed**: 20,000 contacts, 100,000 conversations (5 per contact; each contact's
//!   newest is open in Live, open and assigned to one of 10 operators, snoozed, or closed;
//!   the rest closed), 1,000,000 messages (10 per conversation, visitor and operator in
//!   turn, words from a 2,000-word vocabulary), written in bulk statements through the
//!   write path, so the full-text index is filled by its own triggers;
//! - the **first page** (50 rows) and the **count** of each view, as an operator sees them,
//!   and again with "operators see only their departments' conversations" on (four in five
//!   conversations are in one of four departments; the operator is in one);
//! - **search**: one vocabulary word at a time, p50/p95;
//! - **bulk close** of 1,000 selected conversations;
//! - **auto-assignment** at a steady rate of new conversations into a department whose
//!   members are online (the durable dispatch job does the assigning): how long until each
//!   is assigned;
//! - **memory** while a 100 MB document streams into the attachment store.
//!
//! `--database-url` runs on PostgreSQL (an empty database) instead of SQLite.

use std::time::{Duration, Instant};

use parley_services::attachments::{self, UploadFor, UploadInput};
use parley_services::conversations::{self, BulkAction, BulkTarget};
use parley_services::departments::{DepartmentInput, create_department};
use parley_services::members::set_availability;
use parley_services::members::{AddMember, add_member};
use parley_services::workspaces::{CreateWorkspace, create_workspace};
use parley_services::{Actor, Config, Services, auth, visitors};
use parley_types::{
    Availability, ConversationId, ConversationOutcome, InboxFilter, InboxSort, InboxView, Role, WorkspaceId,
};
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::stats::percentile;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const CONTACTS: i64 = 20_000;
const PER_CONTACT: i64 = 5;
const MESSAGES_PER: i64 = 10;
const OPERATORS: usize = 10;
const VOCABULARY: usize = 2_000;
const PASSWORD: &str = "inbox bench password";

#[derive(Debug, Serialize)]
pub struct InboxReport {
    pub mode: &'static str,
    pub database: &'static str,
    pub conversations: i64,
    pub messages: i64,
    pub contacts: i64,
    pub seed_secs: f64,
    /// Per view: p50 and p95 of its first page, in ms.
    pub first_page_ms: Vec<(String, f64, f64)>,
    /// All five counts together (one call), p50 and p95 in ms.
    pub counts_ms: (f64, f64),
    pub search_p50_ms: f64,
    pub search_p95_ms: f64,
    /// With "operators see only their departments' conversations" on: each view's first
    /// page, the counts and search (p50, p95 in ms), as operator 0 sees them.
    pub limited_first_page_ms: Vec<(String, f64, f64)>,
    pub limited_counts_ms: (f64, f64),
    pub limited_search_ms: (f64, f64),
    pub search_hits_median: usize,
    pub bulk_close_1000_ms: f64,
    pub bulk_close_failures: usize,
    pub assign_rate_per_sec: u32,
    pub assign_seconds: u32,
    /// The rate the arrivals were actually written at.
    pub assign_offered_per_sec: f64,
    pub assigned: usize,
    /// Assignments the live events did not show (timed when found in the database).
    pub assign_missed_events: usize,
    pub assign_p50_ms: f64,
    pub assign_p95_ms: f64,
    pub upload_mb: u64,
    pub upload_rss_growth_mb: f64,
    pub upload_secs: f64,
}

fn word(n: usize) -> String {
    const COMMON: [&str; 8] = ["order", "shipping", "refund", "invoice", "delivery", "account", "password", "discount"];
    if n.is_multiple_of(10) { COMMON[(n / 10) % COMMON.len()].to_owned() } else { format!("w{n}x") }
}

/// Seeds the workspace with contacts, conversations and messages in bulk statements.
async fn seed(svc: &Services, ws: WorkspaceId, operators: &[i64], departments: &[i64]) -> Result<(), BoxError> {
    let now = parley_services::clock::now_ms();
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let sqlite = svc.db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
    let batch_contacts = 500;
    for start in (0..CONTACTS).step_by(batch_contacts as usize) {
        let w = svc.begin().await?;
        let txn = w.txn();
        let mut sql = String::from(
            "INSERT INTO contacts (workspace_id, kind, name, visitor_token_hash, created_at_ms, last_seen_at_ms) VALUES ",
        );
        for c in start..start + batch_contacts {
            if c > start {
                sql.push(',');
            }
            sql.push_str(&format!(
                "({}, 'guest', 'Guest {c}', 'bench-{c}', {}, {})",
                ws.0,
                now - 90 * 86_400_000 + c,
                now
            ));
        }
        sql.push_str(" RETURNING id");
        let ids: Vec<i64> = txn
            .query_all_raw(sea_orm::Statement::from_string(txn.get_database_backend(), sql))
            .await?
            .iter()
            .map(|row| row.try_get::<i64>("", "id"))
            .collect::<Result<_, _>>()?;
        let mut conversations = Vec::new();
        for (i, &contact) in ids.iter().enumerate() {
            for k in 0..PER_CONTACT {
                let newest = k == PER_CONTACT - 1;
                let roll = next() % 10;
                let (status, assignee, outcome, snoozed) = match (newest, roll) {
                    (true, 0..=1) => ("open", None, None, None),
                    (true, 2..=3) => ("open", Some(operators[(next() as usize) % operators.len()]), None, None),
                    (true, 4) => {
                        ("snoozed", Some(operators[(next() as usize) % operators.len()]), None, Some(now + 3_600_000))
                    }
                    _ => ("closed", Some(operators[(next() as usize) % operators.len()]), Some("resolved"), None),
                };
                let activity = now - ((start + i as i64) * PER_CONTACT + (PER_CONTACT - k)) * 20_000;
                let priority = if next() % 20 == 0 { "critical" } else { "normal" };
                // In one of the departments, or (one in five) in none.
                let department = departments.get((next() as usize) % (departments.len() + 1)).copied();
                conversations.push((contact, status, assignee, outcome, snoozed, activity, priority, department));
            }
        }
        let mut sql = String::from(
            "INSERT INTO conversations (workspace_id, contact_id, status, assignee_id, last_seq, last_message, last_author, \
             last_activity_at_ms, created_at_ms, priority, outcome, snoozed_until_ms, waiting_since_ms, label_ids, \
             department_id, visitor_messages, read_floor, visitor_read_seq, channel) VALUES ",
        );
        for (n, (contact, status, assignee, outcome, snoozed, activity, priority, department)) in
            conversations.iter().enumerate()
        {
            if n > 0 {
                sql.push(',');
            }
            let opt = |v: Option<i64>| v.map_or("NULL".to_owned(), |v| v.to_string());
            let waiting = if *status == "open" && assignee.is_none() { activity.to_string() } else { "NULL".into() };
            sql.push_str(&format!(
                "({}, {contact}, '{status}', {}, {MESSAGES_PER}, 'Thanks, that helps', 'operator', {activity}, {}, '{priority}', {}, {}, {waiting}, '', {}, {}, {}, 0, 'widget')",
                ws.0,
                opt(*assignee),
                activity - 600_000,
                outcome.map_or("NULL".to_owned(), |o| format!("'{o}'")),
                opt(*snoozed),
                opt(*department),
                MESSAGES_PER / 2,
                if *status == "closed" { MESSAGES_PER / 2 } else { 0 },
            ));
        }
        sql.push_str(" RETURNING id, created_at_ms");
        let rows = txn.query_all_raw(sea_orm::Statement::from_string(txn.get_database_backend(), sql)).await?;
        let conversation_ids: Vec<(i64, i64)> = rows
            .iter()
            .map(|row| {
                Ok::<_, sea_orm::DbErr>((row.try_get::<i64>("", "id")?, row.try_get::<i64>("", "created_at_ms")?))
            })
            .collect::<Result<_, _>>()?;
        // Messages, 1,000 rows per statement (SQLite's limit on terms is generous, but
        // statements this size keep the parser's work small).
        let mut values = Vec::with_capacity(conversation_ids.len() * MESSAGES_PER as usize);
        for &(conversation, created) in &conversation_ids {
            for seq in 1..=MESSAGES_PER {
                let visitor = seq % 2 == 1;
                let words: Vec<String> = (0..8).map(|_| word((next() as usize) % VOCABULARY)).collect();
                let (author, user) = if visitor {
                    ("visitor", "NULL".to_owned())
                } else {
                    ("operator", operators[(next() as usize) % operators.len()].to_string())
                };
                values.push(format!(
                    "({}, {conversation}, {seq}, '{author}', {user}, '{}', 'seed-{conversation}-{seq}', {}, {})",
                    ws.0,
                    words.join(" "),
                    created + seq * 1_000,
                    if sqlite { "0" } else { "false" },
                ));
            }
        }
        for chunk in values.chunks(1_000) {
            let sql = format!(
                "INSERT INTO messages (workspace_id, conversation_id, seq, author, author_user_id, body, client_id, created_at_ms, internal) VALUES {}",
                chunk.join(",")
            );
            txn.execute_unprepared(&sql).await?;
        }
        w.commit().await?;
        if start % 5_000 == 0 {
            eprintln!("inbox: seeded {} of {CONTACTS} contacts", start + batch_contacts);
        }
    }
    // Fresh statistics for the planner (both databases spell it the same).
    svc.db.execute_unprepared("ANALYZE").await?;
    Ok(())
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// The nearest-rank percentile `q` (0–1) of `samples` in ms, from microsecond ranks.
fn p(samples: &mut [f64], q: f64) -> f64 {
    let mut micros: Vec<u64> = samples.iter().map(|ms| (ms * 1000.0).round() as u64).collect();
    micros.sort_unstable();
    percentile(&micros, q * 100.0).map_or(0.0, |us| us as f64 / 1000.0)
}

fn vm_rss_mb() -> f64 {
    crate::rss::self_rss_kb().map_or(0.0, |kb| kb as f64 / 1024.0)
}

pub async fn run(data_dir: &str, database_url: Option<&str>, rate: u32, seconds: u32) -> Result<InboxReport, BoxError> {
    let config = Config::from_lookup(|name| match name {
        "PARLEY_DATA_DIR" => Some(data_dir.to_owned()),
        "DATABASE_URL" => database_url.map(str::to_owned),
        "PARLEY_ADDR" => Some("127.0.0.1:0".into()),
        "PARLEY_NEW_VISITORS_PER_MINUTE" => Some("0".into()),
        _ => None,
    })?;
    let database = if config.uses_sqlite() { "sqlite" } else { "postgres" };
    let svc = Services::start(config).await?;
    let (_stop, shutdown) = tokio::sync::watch::channel(false);
    parley_services::platform::spawn_workers(&svc, shutdown).await?;
    let created = create_workspace(
        &svc,
        CreateWorkspace {
            workspace_name: "Inbox bench".into(),
            owner_name: "Owner".into(),
            owner_email: "owner@inbox.test".into(),
            owner_password: PASSWORD.into(),
            allowed_origins: vec!["http://bench.local".into()],
        },
        false,
    )
    .await?;
    let ws = created.workspace_id;
    let owner = Actor::Member(auth::sign_in(&svc.db, &svc.throttle, "owner@inbox.test", PASSWORD).await?);
    let mut operators = Vec::new();
    for n in 0..OPERATORS {
        let input = AddMember {
            email: format!("op{n}@inbox.test"),
            name: format!("Operator {n}"),
            password: PASSWORD.into(),
            role: Role::Operator,
        };
        operators.push(add_member(&svc, &owner, input).await?.user_id.0);
    }
    let operator = Actor::Member(auth::sign_in(&svc.db, &svc.throttle, "op0@inbox.test", PASSWORD).await?);

    // Four departments without auto-assignment, operator n in department n % 4, for the
    // limited view (the option "operators see only their departments' conversations").
    let mut departments = Vec::new();
    for d in 0..4 {
        let input = DepartmentInput {
            name: format!("Team {d}"),
            auto_assign: false,
            capacity: 10,
            members: operators.iter().skip(d).step_by(4).map(|id| parley_types::UserId(*id)).collect(),
            is_default: false,
            description: String::new(),
            in_picker: false,
        };
        departments.push(create_department(&svc, &owner, input).await?.id.0);
    }

    let started = Instant::now();
    seed(&svc, ws, &operators, &departments).await?;
    let seed_secs = (started.elapsed().as_secs_f64() * 10.0).round() / 10.0;
    eprintln!("inbox: seeded in {seed_secs} s");

    // First page and counts of each view, and search, as operator 0 sees them.
    let reads = time_reads(&svc, &operator).await?;
    let (first_page_ms, counts_ms, mut hits) = (reads.first_page_ms, reads.counts_ms, reads.hits);
    let (search_p50_ms, search_p95_ms) = reads.search_ms;
    hits.sort_unstable();

    // The same as operator 0 with the option on: their department's conversations, the
    // unrouted ones and theirs.
    conversations::set_own_departments_only(&svc, &owner, true).await?;
    let limited = time_reads(&svc, &operator).await?;
    let (limited_first_page_ms, limited_counts_ms, limited_search_ms) =
        (limited.first_page_ms, limited.counts_ms, limited.search_ms);
    conversations::set_own_departments_only(&svc, &owner, false).await?;

    // Bulk close of 1,000 open or snoozed conversations.
    let open = InboxFilter { statuses: vec![parley_types::ConversationStatus::Open], ..InboxFilter::default() };
    let ids: Vec<ConversationId> =
        conversations::search_conversations(&svc.db, &owner, &open, InboxSort::Latest, None, 1_000)
            .await?
            .into_iter()
            .map(|hit| hit.conversation.id)
            .collect();
    let t = Instant::now();
    let closed = conversations::bulk(
        &svc,
        &owner,
        BulkTarget::Selected(ids),
        BulkAction::Close { outcome: ConversationOutcome::Resolved, comment: None },
    )
    .await?;
    let bulk_close_1000_ms = ms(t.elapsed());

    // Auto-assignment: new conversations arrive into an auto-assigning department whose
    // 10 members are online with room for all of them.
    for n in 0..OPERATORS {
        let member =
            Actor::Member(auth::sign_in(&svc.db, &svc.throttle, &format!("op{n}@inbox.test"), PASSWORD).await?);
        set_availability(&svc, &member, Availability::Online).await?;
    }
    let department = create_department(
        &svc,
        &owner,
        DepartmentInput {
            name: "Support".into(),
            auto_assign: true,
            capacity: 1_000,
            members: operators.iter().map(|id| parley_types::UserId(*id)).collect(),
            is_default: true,
            description: String::new(),
            in_picker: false,
        },
    )
    .await?;
    let _ = department;
    let total = (rate * seconds) as usize;
    let ws_row = parley_services::workspaces::find_by_public_key(&svc.db, &created.public_key).await?;
    // When each conversation was seen assigned, from the operators' live events (as an
    // operator's page learns it).
    let seen: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<ConversationId, Instant>>> =
        std::sync::Arc::default();
    let mut events = svc.bus.subscribe_operators(parley_services::Operators(ws));
    let listener = {
        let seen = seen.clone();
        tokio::spawn(async move {
            while let Ok(envelope) = events.recv().await {
                if let parley_types::OperatorEvent::ConversationChanged { conversation } = &envelope.event
                    && conversation.assignee_id.is_some()
                {
                    seen.lock().unwrap().entry(conversation.id).or_insert_with(Instant::now);
                }
            }
        })
    };
    let mut arrivals = Vec::with_capacity(total);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..total {
        let due = started + Duration::from_secs_f64(n as f64 / rate as f64);
        tokio::time::sleep_until(due.into()).await;
        let (svc, ws_row) = (svc.clone(), ws_row.clone());
        tasks.spawn(async move {
            let session = visitors::create_visitor(&svc, &ws_row, Default::default()).await?;
            let contact = visitors::find_visitor(&svc.db, ws_row_id(&ws_row), &session.token).await?;
            let actor = visitors::actor(&contact);
            let at = Instant::now();
            let posted = conversations::post_visitor_message(&svc, &actor, "first", "Hello, I need help", &[]).await?;
            Ok::<_, parley_services::ServiceError>((posted.message.conversation_id, at))
        });
        while let Some(done) = tasks.try_join_next() {
            arrivals.push(done??);
        }
    }
    while let Some(done) = tasks.join_next().await {
        arrivals.push(done??);
    }
    let offered_secs = started.elapsed().as_secs_f64();
    // Wait until every one is assigned (in the database), then take the times the events
    // showed; one the events missed (a lagging subscriber) counts from when it was found.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut pending: Vec<(ConversationId, Instant)> = arrivals.clone();
    let mut found_late = std::collections::HashMap::new();
    while !pending.is_empty() && Instant::now() < deadline {
        let mut still = Vec::new();
        for (id, at) in pending {
            if seen.lock().unwrap().contains_key(&id) {
                continue;
            }
            let summary = conversations::get_summary(&svc.db, &owner, id).await?;
            if summary.assignee_id.is_some() {
                found_late.insert(id, Instant::now());
            } else {
                still.push((id, at));
            }
        }
        pending = still;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    listener.abort();
    let seen = seen.lock().unwrap().clone();
    let mut waits: Vec<f64> = arrivals
        .iter()
        .filter_map(|(id, at)| seen.get(id).or(found_late.get(id)).map(|done| ms(done.saturating_duration_since(*at))))
        .collect();
    let assigned = waits.len();
    let assign_missed_events = found_late.len();
    let (assign_p50_ms, assign_p95_ms) =
        if waits.is_empty() { (0.0, 0.0) } else { (p(&mut waits, 0.5), p(&mut waits, 0.95)) };
    let assign_offered_per_sec = ((total as f64 / offered_secs) * 10.0).round() / 10.0;

    // Memory while a 100 MB document streams into the store.
    let upload_mb = 100;
    let id = conversations::search_conversations(&svc.db, &owner, &InboxFilter::default(), InboxSort::Latest, None, 1)
        .await?
        .first()
        .map(|hit| hit.conversation.id)
        .ok_or("no conversation")?;
    let chunk = bytes::Bytes::from(vec![b'x'; 64 * 1024]);
    let mut first = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    first.resize(64 * 1024, b'x');
    let first = bytes::Bytes::from(first);
    let parts = (upload_mb * 1_000_000 / (64 * 1024)) as usize;
    let stream = futures_util::stream::iter(
        (0..parts).map(move |i| Ok::<_, std::io::Error>(if i == 0 { first.clone() } else { chunk.clone() })),
    );
    let before = vm_rss_mb();
    let peak = std::sync::Arc::new(std::sync::Mutex::new(before));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                let now = vm_rss_mb();
                {
                    let mut p = peak.lock().unwrap();
                    *p = p.max(now);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let t = Instant::now();
    // A document limit of 100 MB is the default; the upload is just under it.
    let uploaded = attachments::upload(
        &svc,
        &owner,
        UploadFor::Conversation(id),
        UploadInput { name: "big.pdf".into(), voice: false, declared_len: None },
        stream,
    )
    .await?;
    let upload_secs = (t.elapsed().as_secs_f64() * 100.0).round() / 100.0;
    sampler.abort();
    let upload_rss_growth_mb = ((*peak.lock().unwrap() - before) * 10.0).round() / 10.0;
    eprintln!("inbox: uploaded {} bytes", uploaded.size);

    Ok(InboxReport {
        mode: "inbox",
        database,
        conversations: CONTACTS * PER_CONTACT,
        messages: CONTACTS * PER_CONTACT * MESSAGES_PER,
        contacts: CONTACTS,
        seed_secs,
        first_page_ms,
        counts_ms,
        search_p50_ms,
        search_p95_ms,
        limited_first_page_ms,
        limited_counts_ms,
        limited_search_ms,
        search_hits_median: hits[hits.len() / 2],
        bulk_close_1000_ms,
        bulk_close_failures: closed.failed.len(),
        assign_rate_per_sec: rate,
        assign_seconds: seconds,
        assign_offered_per_sec,
        assigned,
        assign_missed_events,
        assign_p50_ms,
        assign_p95_ms,
        upload_mb,
        upload_rss_growth_mb,
        upload_secs,
    })
}

fn ws_row_id(ws: &parley_services::entities::workspace::Model) -> WorkspaceId {
    WorkspaceId(ws.id)
}

/// What [`time_reads`] measured: per view the first page's p50 and p95, the counts' and
/// search's p50 and p95 (ms), and how many conversations each search found.
struct Reads {
    first_page_ms: Vec<(String, f64, f64)>,
    counts_ms: (f64, f64),
    search_ms: (f64, f64),
    hits: Vec<usize>,
}

/// Times the inbox's reads as `actor`: each view's first page and the counts 60 times,
/// and 200 searches of one vocabulary word.
async fn time_reads(svc: &Services, actor: &Actor) -> Result<Reads, BoxError> {
    let mut first_page_ms = Vec::new();
    for view in [InboxView::Live, InboxView::Mine, InboxView::Assigned, InboxView::Snoozed, InboxView::Archived] {
        let mut samples = Vec::new();
        for _ in 0..60 {
            let t = Instant::now();
            let page = conversations::list_conversations(&svc.db, actor, view, InboxSort::Latest, None, 50).await?;
            samples.push(ms(t.elapsed()));
            assert!(!page.is_empty() || view == InboxView::Mine, "{view:?} is empty");
        }
        first_page_ms.push((view.as_str().to_owned(), p(&mut samples, 0.5), p(&mut samples, 0.95)));
    }
    let mut samples = Vec::new();
    for _ in 0..60 {
        let t = Instant::now();
        conversations::view_counts(&svc.db, actor).await?;
        samples.push(ms(t.elapsed()));
    }
    let counts_ms = (p(&mut samples, 0.5), p(&mut samples, 0.95));
    let mut samples = Vec::new();
    let mut hits = Vec::new();
    for n in 0..200usize {
        let filter = InboxFilter { text: Some(word((n * 37 + 1) % VOCABULARY)), ..InboxFilter::default() };
        let t = Instant::now();
        let found = conversations::search_conversations(&svc.db, actor, &filter, InboxSort::Latest, None, 50).await?;
        samples.push(ms(t.elapsed()));
        hits.push(found.len());
    }
    Ok(Reads { first_page_ms, counts_ms, search_ms: (p(&mut samples, 0.5), p(&mut samples, 0.95)), hits })
}
