//! The `audit` mode: the audit log's pages at scale, in-process through `parley-services`
//! on a fresh database. One workspace (an owner and 9 more members) gets `entries` entries
//! (1M by default) spread evenly over the last 400 days, oldest first as a real log grows:
//! 10 actors (mostly signed in, some through an access token, some Parley itself, failed
//! sign-ins by nobody), every [`AuditAction`] (sign-ins and settings changes the most
//! common), details JSON of about 160 bytes, IPs and user agents. A second workspace gets a
//! tenth as many entries interleaved with them, so the workspace condition does real work.
//!
//! After a full WAL checkpoint (on SQLite; a server at that size has long checkpointed),
//! it times `audit::list` as the owner, `repeats` runs each (median and max, in ms):
//!
//! - `first_page_ms`: the first page, no filter;
//! - `action_ms`: the first page of one (rare) action;
//! - `actor_ms`: the first page of one member's entries;
//! - `date_range_ms`: the first page of a 7-day range in the middle of the 400 days;
//! - `page_100_ms`: the 100th page, through the cursor (`before`) of the 99th;
//! - `date_from_ms`: the first page from a day 300 days back on, no end (a wide range:
//!   the 7-day one's worst case).
//!
//! Every page is checked (50 entries, all matching, none from the other workspace, newest
//! first in `(at_ms, id)` order, the order `audit::list` pages in; the 100th page's entries
//! all after its cursor entry in that order), and so is the walk to the 100th page (each
//! page after the one before). `plans` holds the database's plan of each query (built as
//! `audit::list` builds it, with its values written in: `EXPLAIN QUERY PLAN` on SQLite,
//! `EXPLAIN` on PostgreSQL).

use std::time::Instant;

use parley_services::access::Scope;
use parley_services::entities::audit_entry;
use parley_services::members::{AddMember, add_member};
use parley_services::workspaces::{CreateWorkspace, create_workspace};
use parley_services::{Actor, Config, Services, audit, auth, clock};
use parley_types::{AUDIT_PAGE_SIZE, AuditAction, AuditFilter, AuditPage, Role, UserId};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use serde::Serialize;

use crate::contacts::{Timing, plan};
use crate::stats::round3;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const DAY_MS: i64 = 86_400_000;
/// Days the entries span, ending now.
const DAYS: i64 = 400;
/// Members acting in the benched workspace (the owner and 9 more).
const ACTORS: usize = 10;
/// Rows per INSERT statement.
const BATCH: usize = 2_000;
/// The benched workspace gets this many entries for each one of the other workspace.
const OTHER_EVERY: usize = 10;
/// Marks the other workspace's targets (no page may show one).
const OTHER_TARGET: &str = "other workspace";
const PASSWORD: &str = "audit bench password";
/// The filtered action: a rare one (about 1 entry in 50).
const RARE_ACTION: AuditAction = AuditAction::MemberRemoved;
/// The figure issue 8 asks for.
const TARGET_MS: f64 = 10.0;

#[derive(Debug, Serialize)]
pub struct AuditReport {
    pub mode: &'static str,
    pub database: &'static str,
    /// Entries of the benched workspace (besides the few its setup wrote).
    pub entries: usize,
    pub other_workspace_entries: usize,
    pub days: i64,
    pub actors: usize,
    pub details_bytes_mean: f64,
    pub insert_per_sec: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint_ms: Option<f64>,
    pub first_page_ms: Timing,
    pub action_ms: Timing,
    pub action: AuditAction,
    pub actor_ms: Timing,
    pub actor_user_id: i64,
    pub date_range_ms: Timing,
    /// `from` and `to` of the range, both days included.
    pub date_range: (String, String),
    pub page_100_ms: Timing,
    /// The cursor of the 100th page (the 99th page's `next`).
    pub page_100_before: i64,
    pub date_from_ms: Timing,
    /// `from` of the wide range (no `to`).
    pub date_from: String,
    pub target_ms: f64,
    /// The figures whose median is over the target.
    pub over_target: Vec<&'static str>,
    /// Each query's plan, one line per row.
    pub plans: Vec<(&'static str, Vec<String>)>,
}

pub async fn run(
    count: usize,
    repeats: usize,
    data_dir: &str,
    database_url: Option<&str>,
) -> Result<AuditReport, BoxError> {
    let config = Config::from_lookup(|name| match name {
        "PARLEY_DATA_DIR" => Some(data_dir.to_owned()),
        "DATABASE_URL" => database_url.map(str::to_owned),
        "PARLEY_ADDR" => Some("127.0.0.1:0".into()),
        _ => None,
    })?;
    let database = if config.uses_sqlite() { "sqlite" } else { "postgres" };
    let svc = Services::start(config).await?;
    let owner = workspace_with_owner(&svc, "Audit", "owner@audit.test").await?;
    // Entries as old as the seeded ones are kept (the prune job does not run here anyway).
    audit::set_retention(&svc, &owner, 730).await?;
    let mut actors = vec![owner.member()?.user_id.0];
    for n in 1..ACTORS {
        let role = if n < 3 { Role::Admin } else { Role::Operator };
        let input = AddMember {
            email: format!("member{n}@audit.test"),
            name: format!("Member {n}"),
            password: PASSWORD.into(),
            role,
        };
        actors.push(add_member(&svc, &owner, input).await?.user_id.0);
    }
    let other = workspace_with_owner(&svc, "Other", "owner@other.test").await?;
    let seed = Seed {
        now: clock::now_ms(),
        workspace: owner.workspace_id().0,
        actors,
        other_workspace: other.workspace_id().0,
        other_actor: other.member()?.user_id.0,
    };
    eprintln!("audit: seeding {count} entries (+{} in another workspace)", count / OTHER_EVERY);
    let seeded = seed.insert(&svc, count + count / OTHER_EVERY).await?;
    eprintln!("audit: {:.0} entries/s", seeded.per_sec);
    let checkpoint_ms = if database == "sqlite" {
        let started = Instant::now();
        svc.db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        Some(round3(started.elapsed().as_secs_f64() * 1000.0))
    } else {
        svc.db.execute_unprepared("ANALYZE audit_entries").await?;
        None
    };

    let actor = seed.actors[3];
    let middle_day = clock::now_ms() / DAY_MS - DAYS / 2;
    let day = |d: i64| clock::utc_minute(d * DAY_MS)[..10].to_owned();
    let (from, to) = (day(middle_day), day(middle_day + 6));
    if at_range(&AuditFilter { from: Some(from.clone()), to: Some(to.clone()), ..Default::default() })
        != (Some(middle_day * DAY_MS), Some((middle_day + 7) * DAY_MS))
    {
        return Err(format!("{from} is not day {middle_day}").into());
    }
    let wide_from = day(clock::now_ms() / DAY_MS - 300);

    // The 99th page's cursor, walked to untimed; each page must go on after the last one's
    // last entry in (time, id) order. `cursor` is that entry: (at_ms, id).
    let mut before = None;
    let mut cursor: Option<(i64, i64)> = None;
    for n in 1..=99 {
        let page = audit::list(&svc.db, &owner, &AuditFilter { before, ..Default::default() }).await?;
        let keys = page.entries.iter().map(|e| (e.at_ms, e.id)).collect::<Vec<_>>();
        if keys.windows(2).any(|w| w[0] <= w[1]) {
            return Err(format!("page {n} is not newest first by (time, id)").into());
        }
        if let (Some(last), Some(first)) = (cursor, keys.first())
            && *first >= last
        {
            return Err(format!("page {n} starts at {first:?}, not after the cursor entry {last:?}").into());
        }
        let next = page.next.ok_or("the log ended before page 100")?;
        let last = *keys.last().ok_or("an empty page before page 100")?;
        if last.1 != next {
            return Err(format!("page {n}: next is {next}, its last entry {}", last.1).into());
        }
        before = Some(next);
        cursor = Some(last);
    }
    let page_100_before = before.unwrap_or_default();

    let queries = [
        ("first_page", AuditFilter::default()),
        ("action", AuditFilter { action: Some(RARE_ACTION), ..Default::default() }),
        ("actor", AuditFilter { actor: Some(UserId(actor)), ..Default::default() }),
        ("date_range", AuditFilter { from: Some(from.clone()), to: Some(to.clone()), ..Default::default() }),
        ("page_100", AuditFilter { before, ..Default::default() }),
        ("date_from", AuditFilter { from: Some(wide_from.clone()), ..Default::default() }),
    ];
    let mut timings = Vec::new();
    let mut plans = Vec::new();
    for (name, filter) in &queries {
        let (start, end) = at_range(filter);
        let check = |page: &AuditPage| -> Result<(), String> {
            if page.entries.len() as u64 != AUDIT_PAGE_SIZE || page.next.is_none() {
                return Err(format!("{name}: {} entries, next {:?}", page.entries.len(), page.next));
            }
            let wrong = page.entries.iter().find(|e| {
                e.target.starts_with(OTHER_TARGET)
                    || filter.action.is_some_and(|a| e.action != a)
                    || filter.actor.is_some_and(|a| e.actor.user_id != Some(a))
                    || start.is_some_and(|start| e.at_ms < start)
                    || end.is_some_and(|end| e.at_ms >= end)
                    || (filter.before.is_some() && cursor.is_some_and(|c| (e.at_ms, e.id) >= c))
            });
            if let Some(entry) = wrong {
                return Err(format!("{name}: an entry that does not match: {entry:?}"));
            }
            if page.entries.windows(2).any(|w| (w[0].at_ms, w[0].id) <= (w[1].at_ms, w[1].id)) {
                return Err(format!("{name}: not newest first by (time, id)"));
            }
            Ok(())
        };
        let mut samples = Vec::with_capacity(repeats);
        for _ in 0..repeats.max(1) {
            let started = Instant::now();
            let page = audit::list(&svc.db, &owner, filter).await?;
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
            check(&page)?;
        }
        let timing = median_max(samples);
        eprintln!("audit: {name}: median {:.3} ms, max {:.3} ms", timing.median, timing.max);
        timings.push((*name, timing));
        let sql = list_sql(&svc.db, owner.own_workspace(), filter, cursor.map(|c| c.0));
        plans.push((*name, plan(&svc.db, &sql).await?));
    }
    let over_target = timings.iter().filter(|(_, t)| t.median > TARGET_MS).map(|(name, _)| *name).collect();
    let mut timings = timings.into_iter().map(|(_, t)| t);
    let mut next = || timings.next().ok_or("a timing is missing");
    Ok(AuditReport {
        mode: "audit",
        database,
        entries: seeded.entries,
        other_workspace_entries: seeded.other_entries,
        days: DAYS,
        actors: ACTORS,
        details_bytes_mean: seeded.details_bytes_mean,
        insert_per_sec: seeded.per_sec,
        checkpoint_ms,
        first_page_ms: next()?,
        action_ms: next()?,
        action: RARE_ACTION,
        actor_ms: next()?,
        actor_user_id: actor,
        date_range_ms: next()?,
        date_range: (from, to),
        page_100_ms: next()?,
        page_100_before,
        date_from_ms: next()?,
        date_from: wide_from,
        target_ms: TARGET_MS,
        over_target,
        plans,
    })
}

/// Creates a workspace and signs its owner in.
async fn workspace_with_owner(svc: &Services, name: &str, email: &str) -> Result<Actor, BoxError> {
    let input = CreateWorkspace {
        workspace_name: name.into(),
        owner_name: format!("{name} Owner"),
        owner_email: email.into(),
        owner_password: PASSWORD.into(),
        allowed_origins: vec!["http://bench.local".into()],
    };
    create_workspace(svc, input, false).await?;
    Ok(Actor::Member(auth::sign_in(&svc.db, &svc.throttle, email, PASSWORD).await?))
}

/// Median and max of samples in ms, to the microsecond.
fn median_max(mut samples: Vec<f64>) -> Timing {
    samples.sort_by(f64::total_cmp);
    Timing { median: round3(samples[samples.len() / 2]), max: round3(samples[samples.len() - 1]) }
}

/// The SQL `audit::list` runs for `filter`'s entries, with its values written in (the
/// lookup of the cursor entry's time before it, `cursor_at`, and the workspace's retention,
/// read after it, are left out).
fn list_sql(db: &DatabaseConnection, scope: Scope, filter: &AuditFilter, cursor_at: Option<i64>) -> String {
    use audit_entry::Column;
    let mut query = scope.find::<audit_entry::Entity>();
    if let Some(actor) = filter.actor {
        query = query.filter(Column::ActorUserId.eq(actor.0));
    }
    if let Some(action) = filter.action {
        query = query.filter(Column::Action.eq(action.as_str()));
    }
    let (start, end) = at_range(filter);
    if let Some(start) = start {
        query = query.filter(Column::AtMs.gte(start));
    }
    if let Some(end) = end {
        query = query.filter(Column::AtMs.lt(end));
    }
    if let (Some(before), Some(at)) = (filter.before, cursor_at) {
        // After the cursor entry in (time, id) order, spelled as `audit::list` spells it.
        query = query
            .filter(Column::AtMs.lte(at))
            .filter(sea_orm::Condition::any().add(Column::AtMs.lt(at)).add(Column::Id.lt(before)));
    }
    query
        .order_by_desc(Column::AtMs)
        .order_by_desc(Column::Id)
        .limit(AUDIT_PAGE_SIZE + 1)
        .build(db.get_database_backend())
        .to_string()
}

/// The times `filter`'s days cover, as `audit::list` reads them: from the start of `from`
/// to the end of `to` (excluded).
fn at_range(filter: &AuditFilter) -> (Option<i64>, Option<i64>) {
    let day_ms = |day: &Option<String>| day.as_deref().and_then(day_start_ms);
    (day_ms(&filter.from), day_ms(&filter.to).map(|to| to + DAY_MS))
}

/// Unix milliseconds of `YYYY-MM-DD`'s midnight UTC (days from the civil date).
fn day_start_ms(day: &str) -> Option<i64> {
    let mut parts = day.splitn(3, '-').map(str::parse::<i64>);
    let (y, m, d) = (parts.next()?.ok()?, parts.next()?.ok()?, parts.next()?.ok()?);
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * DAY_MS)
}

/// Who writes the seeded entries, and when.
struct Seed {
    /// The newest entry's time.
    now: i64,
    workspace: i64,
    /// User ids: the owner first.
    actors: Vec<i64>,
    other_workspace: i64,
    other_actor: i64,
}

/// SplitMix64: a well-spread pseudo-random number for `n`.
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const USER_AGENTS: [&str; 5] = [
    concat!(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ",
        "Chrome/131.0.0.0 Safari/537.36"
    ),
    concat!(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) ",
        "Version/18.1 Safari/605.1.15"
    ),
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "curl/8.5.0",
];

/// An SQL string literal.
fn text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The action of an entry (`r` random): sign-ins and settings changes the most common,
/// every other action (of [`AuditAction::ALL`]) equally often, about 1 in 50 each.
fn action_of(r: u64) -> AuditAction {
    use AuditAction::*;
    const COMMON: [AuditAction; 4] = [SignIn, SignOut, SignInFailed, SettingsChanged];
    match r % 100 {
        0..30 => SignIn,
        30..45 => SignOut,
        45..50 => SignInFailed,
        50..70 => SettingsChanged,
        _ => {
            let mut others = AuditAction::ALL.iter().copied().filter(|a| !COMMON.contains(a));
            let nth = (r / 100) as usize % (AuditAction::ALL.len() - COMMON.len());
            others.nth(nth).unwrap_or(SettingsChanged)
        }
    }
}

/// Target and details (JSON) of an entry (`r` random).
fn target_and_details(action: AuditAction, n: u64, r: u64) -> (String, String) {
    use AuditAction::*;
    use serde_json::json;
    let request = format!("req_{:016x}", mix(r));
    let member = format!("Member {} <member{}@audit.test>", r % 40, r % 40);
    let (target, mut details) = match action {
        SignIn | SignOut => {
            let session = format!("s_{:012x}", r >> 16);
            (
                member,
                json!({ "method": "password", "session": session, "remember": r.is_multiple_of(2), "request": request }),
            )
        }
        SignInFailed => (
            member,
            json!({ "reason": "wrong password", "attempt": r % 5 + 1, "throttled": false, "request": request }),
        ),
        SettingsChanged => (
            "widget".to_owned(),
            json!({
                "before": { "greeting": "Hi! How can we help?", "color": "#2f6fed" },
                "after": { "greeting": format!("Hello, ask us anything ({n})"), "color": "#1a7f37" },
            }),
        ),
        MemberAdded | MemberRoleChanged | MemberRemoved | InvitationCreated | InvitationRevoked
        | InvitationAccepted => (
            member,
            json!({
                "before": { "role": "operator" },
                "after": { "role": "admin" },
                "departments": ["Sales", "Support"],
                "request": request,
            }),
        ),
        TokenCreated | TokenRevoked | SecretRotated => (
            format!("CI token {}", r % 7),
            json!({
                "scopes": ["conversations:read", "contacts:write"],
                "expires_in_days": 90,
                "request": request,
            }),
        ),
        _ => (
            format!("{} contacts", r % 5_000),
            json!({
                "rows": r % 5_000,
                "format": "csv",
                "filter": { "kinds": ["lead"], "seen_within_days": 30 },
                "request": request,
            }),
        ),
    };
    details["client"] = json!({ "app": "operator", "version": "2026.12.1" });
    (target, details.to_string())
}

impl Seed {
    /// One `VALUES` tuple: the `n`th entry (of `total`, oldest first) of the benched
    /// workspace, or of the other one.
    fn row(&self, n: u64, total: u64, other: bool, details_bytes: &mut usize) -> String {
        let at =
            self.now - DAYS * DAY_MS + (i128::from(DAYS * DAY_MS) * i128::from(n) / i128::from(total.max(1))) as i64;
        let r = mix(n);
        let action = action_of(r);
        let who = self.actors[(r >> 20) as usize % self.actors.len()];
        // kind, user id, token id, name
        let (kind, user, token, name) = if other {
            ("user", Some(self.other_actor), None, "Other Owner".to_owned())
        } else if action == AuditAction::SignInFailed {
            ("anonymous", None, None, "Someone".to_owned())
        } else {
            match (r >> 40) % 100 {
                0..8 => ("token", Some(who), Some((r >> 8) as i64 % 20 + 1), format!("Member {who}")),
                8..13 => ("system", None, None, "Parley".to_owned()),
                _ => ("user", Some(who), None, format!("Member {who}")),
            }
        };
        let (mut target, details) = target_and_details(action, n, r);
        if other {
            target = format!("{OTHER_TARGET} {target}");
        }
        *details_bytes += details.len();
        let ip = if r.is_multiple_of(10) {
            format!("2001:db8:{:x}::{:x}", r % 0xffff, (r >> 16) % 0xffff)
        } else {
            format!("203.0.{}.{}", (r >> 8) % 256, (r >> 16) % 254 + 1)
        };
        let null = || "NULL".to_owned();
        format!(
            "({}, {at}, '{kind}', {}, {}, {}, '{}', {}, {}, '{ip}', {})",
            if other { self.other_workspace } else { self.workspace },
            user.map_or_else(null, |u| u.to_string()),
            token.map_or_else(null, |t| t.to_string()),
            text(&name),
            action.as_str(),
            text(&target),
            text(&details),
            text(USER_AGENTS[(r >> 32) as usize % USER_AGENTS.len()]),
        )
    }

    /// Inserts `total` entries, the other workspace's interleaved (one in `OTHER_EVERY + 1`),
    /// `BATCH` per statement.
    async fn insert(&self, svc: &Services, total: usize) -> Result<Seeded, BoxError> {
        let mut details_bytes = 0;
        let mut other_entries = 0;
        let started = Instant::now();
        let mut n = 0;
        while n < total {
            let end = (n + BATCH).min(total);
            let mut sql = String::from(
                "INSERT INTO audit_entries (workspace_id, at_ms, actor_kind, actor_user_id, actor_token_id, \
                 actor_name, action, target, details, ip, user_agent) VALUES ",
            );
            for i in n..end {
                if i > n {
                    sql.push(',');
                }
                // Every (OTHER_EVERY + 1)th row is the other workspace's.
                let other = i % (OTHER_EVERY + 1) == OTHER_EVERY;
                other_entries += usize::from(other);
                sql.push_str(&self.row(i as u64, total as u64, other, &mut details_bytes));
            }
            let w = svc.begin().await?;
            w.txn().execute_unprepared(&sql).await?;
            w.commit().await?;
            n = end;
        }
        Ok(Seeded {
            entries: total - other_entries,
            other_entries,
            per_sec: (total as f64 / started.elapsed().as_secs_f64()).round(),
            details_bytes_mean: (details_bytes as f64 / total.max(1) as f64).round(),
        })
    }
}

/// What [`Seed::insert`] wrote.
struct Seeded {
    entries: usize,
    other_entries: usize,
    per_sec: f64,
    details_bytes_mean: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_look_real() {
        let mut seen = std::collections::HashSet::new();
        let mut bytes = 0;
        for n in 0..10_000 {
            let r = mix(n);
            let action = action_of(r);
            seen.insert(action);
            let (_, details) = target_and_details(action, n, r);
            assert!(serde_json::from_str::<serde_json::Value>(&details).is_ok(), "{details}");
            bytes += details.len();
        }
        assert_eq!(seen.len(), AuditAction::ALL.len(), "every action occurs");
        let mean = bytes / 10_000;
        assert!((120..=180).contains(&mean), "details of {mean} bytes on average");
    }

    #[test]
    fn days_start_at_utc_midnight() {
        assert_eq!(day_start_ms("1970-01-02"), Some(DAY_MS));
        assert_eq!(day_start_ms("2025-12-04"), Some(1_764_806_400_000));
        let today = clock::now_ms() / DAY_MS;
        assert_eq!(day_start_ms(&clock::utc_minute(today * DAY_MS)[..10]), Some(today * DAY_MS));
    }
}
