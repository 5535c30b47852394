//! The audit log. A command that changes a workspace's setup adds its entry inside its own
//! write ([`Write::audit`]), so the entry exists exactly when the change does. Entries
//! name the actor (member, token, Parley, or someone not signed in), where the request
//! came from ([`Origin`], set per request by the server), the action, its target and
//! details (settings as before/after, secrets redacted by [`redact`]).
//!
//! Append-only: nothing here updates an entry (the database refuses it with a trigger),
//! and the one deletion is the retention job's, of entries older than the workspace's
//! retention period.

use parley_types::{
    AUDIT_PAGE_SIZE, AUDIT_RETENTION_MAX_DAYS, AUDIT_RETENTION_MIN_DAYS, AuditAction, AuditActor, AuditEntry,
    AuditFilter, AuditPage, Capability, OperatorEvent, Phrase, UserId, WorkspaceId, phrase,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Value, json};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{audit_entry, user, workspace};
use crate::error::{ServiceError, ServiceResult};
use crate::jobs::{JobError, JobHandler};
use crate::write::Write;

tokio::task_local! {
    static ORIGIN: Origin;
}

/// Where the request being served came from. The server sets it around each request
/// ([`Origin::scope`]); work outside a request (jobs) has none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Longest user agent kept, in characters.
const MAX_USER_AGENT: usize = 400;

impl Origin {
    pub fn new(ip: std::net::IpAddr, user_agent: Option<&str>) -> Self {
        Origin {
            ip: Some(ip.to_string()),
            user_agent: user_agent.map(|ua| ua.chars().take(MAX_USER_AGENT).collect::<String>()),
        }
    }

    /// Runs `work` with this origin as the current one.
    pub async fn scope<F: std::future::Future>(self, work: F) -> F::Output {
        ORIGIN.scope(self, work).await
    }

    /// The current request's origin (empty outside a request).
    pub fn current() -> Origin {
        ORIGIN.try_with(Clone::clone).unwrap_or_default()
    }
}

/// Key names whose values never reach the log.
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["password", "secret", "hash", "private_key", "api_key"].iter().any(|s| key.contains(s)) || key == "token"
}

/// Replaces every value under a secret-looking key with `"[redacted]"`, at any depth.
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if is_secret_key(key) {
                    *inner = Value::String("[redacted]".into());
                } else {
                    redact(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// `{"before": …, "after": …}` of a settings change.
pub fn change(before: &impl serde::Serialize, after: &impl serde::Serialize) -> Value {
    json!({ "before": before, "after": after })
}

/// Who `actor` is, for an entry.
fn actor_of(actor: &Actor) -> AuditActor {
    match actor {
        Actor::Member(m) => {
            AuditActor { kind: "user".into(), user_id: Some(m.user_id), token_id: None, name: m.name.clone() }
        }
        Actor::Token(t) => AuditActor {
            kind: "token".into(),
            user_id: Some(t.member.user_id),
            token_id: Some(t.token_id),
            name: t.member.name.clone(),
        },
        Actor::Visitor(v) => AuditActor {
            kind: "visitor".into(),
            user_id: None,
            token_id: None,
            name: format!("Visitor #{}", v.contact_id),
        },
        Actor::System(_) => AuditActor { kind: "system".into(), user_id: None, token_id: None, name: "Parley".into() },
    }
}

/// An entry to add.
struct NewEntry {
    workspace_id: WorkspaceId,
    actor: AuditActor,
    action: AuditAction,
    target: String,
    details: Value,
}

async fn insert(db: &impl ConnectionTrait, entry: NewEntry) -> ServiceResult<()> {
    let NewEntry { workspace_id, actor, action, target, mut details } = entry;
    redact(&mut details);
    let origin = Origin::current();
    audit_entry::ActiveModel {
        id: NotSet,
        workspace_id: Set(workspace_id.0),
        at_ms: Set(now_ms()),
        actor_kind: Set(actor.kind),
        actor_user_id: Set(actor.user_id.map(|u| u.0)),
        actor_token_id: Set(actor.token_id),
        actor_name: Set(actor.name),
        action: Set(action.as_str().to_owned()),
        target: Set(target),
        details: Set(if details.is_null() { String::new() } else { details.to_string() }),
        ip: Set(origin.ip),
        user_agent: Set(origin.user_agent),
    }
    .insert(db)
    .await?;
    Ok(())
}

impl Write {
    /// Adds an audit entry for what `actor` did in their workspace, in this write.
    pub async fn audit(
        &mut self,
        actor: &Actor,
        action: AuditAction,
        target: impl Into<String>,
        details: Value,
    ) -> ServiceResult<()> {
        let workspace_id = actor.workspace_id();
        let entry = NewEntry { workspace_id, actor: actor_of(actor), action, target: target.into(), details };
        insert(self.txn(), entry).await?;
        // An open audit page shows the entry without a reload.
        self.notify(Operators(workspace_id), OperatorEvent::AuditLogged);
        Ok(())
    }
}

impl Write {
    /// Adds a "settings changed" entry with `before` and `after` (`null` for something
    /// created or deleted), in this write.
    pub async fn audit_change(
        &mut self,
        actor: &Actor,
        target: impl Into<String>,
        before: impl serde::Serialize,
        after: impl serde::Serialize,
    ) -> ServiceResult<()> {
        self.audit(actor, AuditAction::SettingsChanged, target, change(&before, &after)).await
    }
}

/// Adds one entry in a write of its own (for actions that write nothing else: exports).
pub async fn record(
    svc: &Services,
    actor: &Actor,
    action: AuditAction,
    target: impl Into<String>,
    details: Value,
) -> ServiceResult<()> {
    let mut w = svc.begin().await?;
    w.audit(actor, action, target, details).await?;
    w.commit().await
}

/// A failed sign-in for `account`: an entry in each workspace it belongs to (an address
/// without an account belongs to no workspace and is only logged, by the caller).
pub async fn sign_in_failed(svc: &Services, account: &user::Model, reason: &str) -> ServiceResult<()> {
    let workspaces = crate::members::workspaces_of(&svc.db, UserId(account.id)).await?;
    if workspaces.is_empty() {
        return Ok(());
    }
    let mut w = svc.begin().await?;
    for workspace_id in workspaces {
        w.notify(Operators(WorkspaceId(workspace_id)), OperatorEvent::AuditLogged);
        let entry = NewEntry {
            workspace_id: WorkspaceId(workspace_id),
            actor: AuditActor { kind: "anonymous".into(), user_id: None, token_id: None, name: "Someone".into() },
            action: AuditAction::SignInFailed,
            target: format!("{} <{}>", account.name, account.email),
            details: json!({ "reason": reason }),
        };
        insert(w.txn(), entry).await?;
    }
    w.commit().await
}

fn invalid(field: &str, problem: Phrase) -> ServiceError {
    ServiceError::InvalidFields(vec![parley_types::FieldError::new(field, problem)])
}

/// Unix milliseconds of midnight UTC starting `day` (`YYYY-MM-DD`).
fn day_start_ms(day: &str, field: &str) -> ServiceResult<i64> {
    let parsed = (|| {
        let mut parts = day.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
        time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
    })();
    let date = parsed.ok_or_else(|| invalid(field, phrase!("err-audit-date")))?;
    Ok(date.midnight().assume_utc().unix_timestamp() * 1000)
}

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The query of `filter` (without its cursor), newest first.
fn query(scope: Scope, filter: &AuditFilter) -> ServiceResult<sea_orm::Select<audit_entry::Entity>> {
    let mut query = scope.find::<audit_entry::Entity>();
    if let Some(actor) = filter.actor {
        query = query.filter(audit_entry::Column::ActorUserId.eq(actor.0));
    }
    if let Some(action) = filter.action {
        query = query.filter(audit_entry::Column::Action.eq(action.as_str()));
    }
    let from = filter.from.as_deref().filter(|d| !d.trim().is_empty()).map(|d| day_start_ms(d, "from")).transpose()?;
    let to = filter.to.as_deref().filter(|d| !d.trim().is_empty()).map(|d| day_start_ms(d, "to")).transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(invalid("to", phrase!("err-audit-range")));
    }
    if let Some(from) = from {
        query = query.filter(audit_entry::Column::AtMs.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(audit_entry::Column::AtMs.lt(to + DAY_MS));
    }
    // Newest first by time, then id: each index holds the time, so a date range is read
    // in order and the page stops after 50 (ordering by id alone made SQLite sort the
    // whole range).
    Ok(query.order_by_desc(audit_entry::Column::AtMs).order_by_desc(audit_entry::Column::Id))
}

fn to_entry(row: audit_entry::Model) -> ServiceResult<AuditEntry> {
    Ok(AuditEntry {
        id: row.id,
        at_ms: row.at_ms,
        actor: AuditActor {
            kind: row.actor_kind,
            user_id: row.actor_user_id.map(UserId),
            token_id: row.actor_token_id,
            name: row.actor_name,
        },
        action: row
            .action
            .parse()
            .map_err(|err: parley_types::ParseEnumError| ServiceError::Internal(err.to_string()))?,
        target: row.target,
        details: row.details,
        ip: row.ip,
        user_agent: row.user_agent,
    })
}

/// A page of the workspace's audit log, newest first. Owners and admins (`read the audit
/// log`).
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, filter: &AuditFilter) -> ServiceResult<AuditPage> {
    let scope = actor.require(Capability::ReadAuditLog)?;
    let mut query = query(scope, filter)?;
    if let Some(before) = filter.before {
        // After the cursor entry in (time, id) order; spelled out so the index is used.
        let at = scope
            .find::<audit_entry::Entity>()
            .filter(audit_entry::Column::Id.eq(before))
            .one(db)
            .await?
            .map(|row| row.at_ms)
            .ok_or_else(|| invalid("before", phrase!("err-audit-page-gone")))?;
        query = query.filter(audit_entry::Column::AtMs.lte(at)).filter(
            sea_orm::Condition::any().add(audit_entry::Column::AtMs.lt(at)).add(audit_entry::Column::Id.lt(before)),
        );
    }
    let mut rows = query.limit(AUDIT_PAGE_SIZE + 1).all(db).await?;
    let next = if rows.len() as u64 > AUDIT_PAGE_SIZE {
        rows.truncate(AUDIT_PAGE_SIZE as usize);
        rows.last().map(|r| r.id)
    } else {
        None
    };
    let entries = rows.into_iter().map(to_entry).collect::<ServiceResult<Vec<_>>>()?;
    Ok(AuditPage { entries, next, retention_days: retention_days(db, scope).await? })
}

async fn retention_days(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<u32> {
    let ws = crate::workspaces::get(db, scope).await?;
    Ok(u32::try_from(ws.audit_retention_days).unwrap_or(parley_types::AUDIT_RETENTION_DEFAULT_DAYS))
}

/// Most entries one export holds.
pub const MAX_EXPORT: u64 = 100_000;

/// The entries matching `filter` as CSV, newest first (the export itself is audited).
/// Owners and admins.
pub async fn export_csv(svc: &Services, actor: &Actor, filter: &AuditFilter) -> ServiceResult<String> {
    let scope = actor.require(Capability::ReadAuditLog)?;
    let rows = query(scope, filter)?.limit(MAX_EXPORT).all(&svc.db).await?;
    let mut out = crate::contacts::export::line(
        &["id", "time", "actor", "actor_type", "token_id", "action", "target", "details", "ip", "user_agent"]
            .map(str::to_owned),
    );
    let count = rows.len();
    for row in rows {
        out.push_str(&crate::contacts::export::line(&[
            row.id.to_string(),
            crate::contacts::export::time(row.at_ms),
            row.actor_name,
            row.actor_kind,
            row.actor_token_id.map(|t| t.to_string()).unwrap_or_default(),
            row.action,
            row.target,
            row.details,
            row.ip.unwrap_or_default(),
            row.user_agent.unwrap_or_default(),
        ]));
    }
    record(svc, actor, AuditAction::AuditExported, "audit log", json!({ "entries": count, "filter": filter })).await?;
    Ok(out)
}

/// Sets how many days entries are kept (30 to 3,650). Owners and admins.
pub async fn set_retention(svc: &Services, actor: &Actor, days: u32) -> ServiceResult<u32> {
    let scope = actor.require(Capability::ReadAuditLog)?;
    if !(AUDIT_RETENTION_MIN_DAYS..=AUDIT_RETENTION_MAX_DAYS).contains(&days) {
        let problem = phrase!("err-audit-retention", min = AUDIT_RETENTION_MIN_DAYS, max = AUDIT_RETENTION_MAX_DAYS);
        return Err(invalid("retention_days", problem));
    }
    let mut w = svc.begin().await?;
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    let before = ws.audit_retention_days;
    if before == days as i32 {
        return Ok(days);
    }
    let mut active: workspace::ActiveModel = ws.into();
    active.audit_retention_days = Set(days as i32);
    active.update(w.txn()).await?;
    w.audit(
        actor,
        AuditAction::SettingsChanged,
        "audit log retention",
        change(&json!({ "retention_days": before }), &json!({ "retention_days": days })),
    )
    .await?;
    w.commit().await?;
    Ok(days)
}

/// Deletes each workspace's entries older than its retention period, daily.
pub(crate) struct PruneAudit;

impl PruneAudit {
    const KIND: &'static str = "audit.prune";
}

/// How often old entries are pruned.
const PRUNE_EVERY_MS: i64 = DAY_MS;

#[async_trait::async_trait]
impl JobHandler for PruneAudit {
    fn kind(&self) -> &'static str {
        Self::KIND
    }

    async fn run(&self, _svc: &Services, w: &mut Write, _job: &crate::entities::job::Model) -> Result<(), JobError> {
        let pruned = prune(w, now_ms()).await?;
        if pruned > 0 {
            tracing::info!(pruned, "pruned audit entries past their retention");
        }
        crate::platform::again_later(w, Self::KIND, PRUNE_EVERY_MS).await
    }
}

/// Deletes every workspace's entries older than its retention at `now`; answers how many.
pub async fn prune(w: &mut Write, now: i64) -> ServiceResult<u64> {
    // unscoped: housekeeping over every workspace, each by its own retention.
    let workspaces = workspace::Entity::find().all(w.txn()).await?;
    let mut pruned = 0;
    for ws in workspaces {
        let days =
            i64::from(ws.audit_retention_days.clamp(AUDIT_RETENTION_MIN_DAYS as i32, AUDIT_RETENTION_MAX_DAYS as i32));
        pruned += Scope::unchecked(WorkspaceId(ws.id))
            .delete_many::<audit_entry::Entity>()
            .filter(audit_entry::Column::AtMs.lt(now - days * DAY_MS))
            .exec(w.txn())
            .await?
            .rows_affected;
    }
    Ok(pruned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_at_any_depth() {
        let mut details = json!({
            "before": { "host": "smtp.acme.test", "password": "hunter2", "identity_secret": "abc" },
            "after": [{ "token": "pat_x", "token_hash": "ff", "name": "CI token" }],
        });
        redact(&mut details);
        let text = details.to_string();
        for secret in ["hunter2", "abc", "pat_x", "\"ff\""] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert!(text.contains("smtp.acme.test") && text.contains("CI token"), "{text}");
    }

    #[test]
    fn days_parse_to_utc_midnight_and_bad_ones_name_the_field() {
        assert_eq!(day_start_ms("1970-01-02", "from").unwrap(), DAY_MS);
        for bad in ["02/01/1970", "1970-13-01", "1970-02-30", "70-01-01", ""] {
            let Err(ServiceError::InvalidFields(fields)) = day_start_ms(bad, "to") else { panic!("{bad} parsed") };
            assert_eq!(fields[0].field, "to");
        }
    }
}
