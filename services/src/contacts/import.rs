//! Importing contacts from CSV (owners and admins, `manage contacts`). Columns map to
//! fields by their header (the export's headers, common aliases, custom field keys) or by
//! the admin's overrides; a row finds its contact by email or by user id (then updates
//! it) or makes a new one. A dry run lists each bad row (line, column, reason) and what
//! would be made and updated; the import itself runs as a background job, a chunk of
//! rows per write, telling operators its progress.

use std::collections::{BTreeMap, HashMap};

use parley_types::{
    Capability, ContactId, ContactKind, FieldError, FieldKind, ImportStatus, OperatorEvent, Phrase, RowProblem,
    WorkspaceId, phrase,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use super::{check, fields};
use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{contact, contact_import, job, label};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::jobs::{JobError, JobHandler, NewJob};
use crate::phrases::english;
use crate::tokens::{random_token, token_digest};
use crate::write::Write;

/// Most data rows one import takes.
pub const MAX_ROWS: usize = 100_000;
/// Rows applied per write.
const CHUNK: usize = 500;
/// Problems kept per import.
const MAX_PROBLEMS: usize = 100;
/// The import job's kind.
pub const IMPORT_JOB: &str = "contacts.import";

/// Parses CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows of cells.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, Phrase> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let (mut quoted, mut line) = (false, 1u64);
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                cell.push(c);
            }
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => {
                line += 1;
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err(phrase!("err-import-quote-not-closed", line = line));
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    // Blank lines carry nothing.
    rows.retain(|r| !(r.len() == 1 && r[0].trim().is_empty()));
    Ok(rows)
}

/// Where a column goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Name,
    Email,
    Phone,
    Kind,
    UserId,
    Timezone,
    Language,
    Labels,
    Custom(String),
    Skip,
}

impl Target {
    fn parse(text: &str, custom: &[String]) -> Option<Target> {
        let key = text.trim().to_lowercase().replace([' ', '-'], "_");
        Some(match key.as_str() {
            "name" | "full_name" | "fullname" => Target::Name,
            "email" | "e_mail" | "email_address" => Target::Email,
            "phone" | "mobile" | "phone_number" | "telephone" => Target::Phone,
            "type" | "kind" | "contact_type" => Target::Kind,
            "user_id" | "external_id" | "userid" => Target::UserId,
            "timezone" | "time_zone" | "tz" => Target::Timezone,
            "language" | "locale" => Target::Language,
            "labels" | "tags" => Target::Labels,
            "skip" | "" => Target::Skip,
            other => Target::Custom(custom.iter().find(|k| k.as_str() == other)?.clone()),
        })
    }

    fn name(&self) -> String {
        match self {
            Target::Name => "name".into(),
            Target::Email => "email".into(),
            Target::Phone => "phone".into(),
            Target::Kind => "type".into(),
            Target::UserId => "user_id".into(),
            Target::Timezone => "timezone".into(),
            Target::Language => "language".into(),
            Target::Labels => "labels".into(),
            Target::Custom(key) => key.clone(),
            Target::Skip => "skip".into(),
        }
    }
}

/// How rows find their contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchOn {
    Email,
    UserId,
}

/// What an admin asks of an import.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportRequest {
    pub match_on: MatchOn,
    /// Header → field name (`skip` leaves a column out); other headers map by name.
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
}

/// A row's checked values.
#[derive(Debug, Default)]
struct RowData {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    kind: Option<ContactKind>,
    user_id: Option<String>,
    timezone: Option<String>,
    language: Option<String>,
    labels: Vec<i64>,
    custom: Vec<fields::ValueWrite>,
}

/// Everything rows are checked against.
struct Plan {
    columns: Vec<(String, Target)>,
    labels: HashMap<String, i64>,
    fields: HashMap<String, (i64, FieldKind, Vec<String>)>,
}

/// The export marks formula-like cells with a leading `'`: take it off again.
fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

async fn plan(
    db: &impl ConnectionTrait,
    scope: Scope,
    header: &[String],
    request: &ImportRequest,
) -> ServiceResult<Plan> {
    let defined = fields::rows(db, scope).await?;
    let keys: Vec<String> = defined.iter().map(|f| f.key.clone()).collect();
    let mut columns = Vec::new();
    let mut problems = Vec::new();
    for h in header {
        let wanted = request.mapping.get(h).map(String::as_str).unwrap_or(h);
        match Target::parse(wanted, &keys) {
            Some(target) => columns.push((h.clone(), target)),
            None if request.mapping.contains_key(h) => {
                let why = phrase!("err-import-no-such-field", column = h, field = wanted);
                problems.push(FieldError::new(h.clone(), why));
            }
            // An unknown column is left out (the dry run shows it as `skip`).
            None => columns.push((h.clone(), Target::Skip)),
        }
    }
    if !problems.is_empty() {
        // Each mapping that names no field, by its header (the message says them all).
        return Err(ServiceError::InvalidFields(problems));
    }
    let matching = match request.match_on {
        MatchOn::Email => Target::Email,
        MatchOn::UserId => Target::UserId,
    };
    if !columns.iter().any(|(_, t)| *t == matching) {
        return Err(ServiceError::Invalid(phrase!("err-import-match-column", column = matching.name())));
    }
    let labels = scope.find::<label::Entity>().all(db).await?.into_iter().map(|l| (l.name_key, l.id)).collect();
    let fields = defined
        .into_iter()
        .map(|f| {
            let kind = f.kind.parse().unwrap_or(FieldKind::Text);
            let options = f.options.lines().map(str::to_owned).collect();
            (f.key, (f.id, kind, options))
        })
        .collect();
    Ok(Plan { columns, labels, fields })
}

/// A problem with `column` (empty for the whole row) of the row at `line`, in English and
/// by id.
fn row_problem(line: u64, column: &str, phrase: Phrase) -> RowProblem {
    RowProblem { line, column: column.to_owned(), reason: english(&phrase), phrase: Some(phrase) }
}

/// Checks one data row (`line` in the file).
fn check_row(plan: &Plan, line: u64, cells: &[String]) -> Result<RowData, Vec<RowProblem>> {
    let mut data = RowData::default();
    let mut problems = Vec::new();
    if cells.len() != plan.columns.len() {
        let reason = phrase!("err-import-cell-count", cell_count = cells.len(), column_count = plan.columns.len());
        return Err(vec![row_problem(line, "", reason)]);
    }
    for ((header, target), raw) in plan.columns.iter().zip(cells) {
        let text = unescape(raw.trim());
        let mut problem = |reason: Phrase| problems.push(row_problem(line, header, reason));
        match target {
            Target::Skip => {}
            Target::Name if text.is_empty() => {}
            Target::Name => match check::name(text) {
                Ok(name) => data.name = Some(name),
                Err(why) => problem(why),
            },
            Target::Email => match check::email(text) {
                Ok(email) => data.email = email,
                Err(why) => problem(why),
            },
            Target::Phone => match check::phone(text) {
                Ok(phone) => data.phone = phone,
                Err(why) => problem(why),
            },
            Target::Timezone => match check::timezone(text) {
                Ok(zone) => data.timezone = zone,
                Err(why) => problem(why),
            },
            Target::Language => match check::language(text) {
                Ok(tag) => data.language = tag,
                Err(why) => problem(why),
            },
            Target::Kind if text.is_empty() => {}
            Target::Kind => match text.to_lowercase().parse::<ContactKind>() {
                Ok(kind) => data.kind = Some(kind),
                Err(_) => problem(phrase!("err-import-kind")),
            },
            Target::UserId if text.is_empty() => {}
            Target::UserId if text.chars().count() > super::identity::MAX_EXTERNAL_ID => {
                problem(phrase!("err-import-user-id-length", max = super::identity::MAX_EXTERNAL_ID));
            }
            Target::UserId => data.user_id = Some(text.to_owned()),
            Target::Labels => {
                for name in text.split(';').map(str::trim).filter(|n| !n.is_empty()) {
                    match plan.labels.get(&name.to_lowercase()) {
                        Some(id) => data.labels.push(*id),
                        None => problem(phrase!("err-import-no-label", name = name)),
                    }
                }
            }
            Target::Custom(key) => {
                let Some((id, kind, options)) = plan.fields.get(key) else { continue };
                match fields::check_value(*kind, options, text) {
                    Ok(Some(value)) => data.custom.push((*id, Some(value))),
                    Ok(None) => {}
                    Err(why) => problem(why),
                }
            }
        }
    }
    if problems.is_empty() { Ok(data) } else { Err(problems) }
}

/// The contact a row names, if there is one.
async fn existing(
    db: &impl ConnectionTrait,
    scope: Scope,
    match_on: MatchOn,
    data: &RowData,
) -> ServiceResult<Option<contact::Model>> {
    let query = match (match_on, &data.email, &data.user_id) {
        (MatchOn::Email, Some(email), _) => {
            scope.find::<contact::Entity>().filter(contact::Column::EmailKey.eq(email.to_lowercase()))
        }
        (MatchOn::UserId, _, Some(id)) => scope
            .find::<contact::Entity>()
            .filter(contact::Column::ExternalId.eq(id.as_str()))
            .filter(contact::Column::Verified.eq(true)),
        _ => return Ok(None),
    };
    Ok(query.one(db).await?)
}

fn match_problem(match_on: MatchOn, line: u64) -> RowProblem {
    let column = match match_on {
        MatchOn::Email => "email",
        MatchOn::UserId => "user_id",
    };
    row_problem(line, column, phrase!("err-import-match-empty"))
}

fn has_key(match_on: MatchOn, data: &RowData) -> bool {
    match match_on {
        MatchOn::Email => data.email.is_some(),
        MatchOn::UserId => data.user_id.is_some(),
    }
}

/// Reads the file: its header and data rows, refusing an empty or oversized one.
fn rows_of(csv: &str) -> ServiceResult<(Vec<String>, Vec<Vec<String>>)> {
    let mut rows = parse_csv(csv).map_err(ServiceError::Invalid)?;
    if rows.is_empty() {
        return Err(ServiceError::Invalid(phrase!("err-import-empty")));
    }
    let header = rows.remove(0);
    if rows.len() > MAX_ROWS {
        return Err(ServiceError::Invalid(phrase!("err-import-too-many-rows", max = MAX_ROWS)));
    }
    Ok((header, rows))
}

/// A dry run: every row checked, nothing written. Needs `manage contacts`.
pub async fn dry_run(svc: &Services, actor: &Actor, csv: &str, request: &ImportRequest) -> ServiceResult<ImportStatus> {
    let scope = actor.require(Capability::ManageContacts)?;
    let (header, rows) = rows_of(csv)?;
    let plan = plan(&svc.db, scope, &header, request).await?;
    let mut status = ImportStatus {
        status: "dry_run".into(),
        total: rows.len() as u64,
        mapping: plan.columns.iter().map(|(h, t)| (h.clone(), t.name())).collect(),
        ..Default::default()
    };
    for (i, cells) in rows.iter().enumerate() {
        let line = i as u64 + 2;
        let outcome = check_row(&plan, line, cells).and_then(|data| {
            if has_key(request.match_on, &data) { Ok(data) } else { Err(vec![match_problem(request.match_on, line)]) }
        });
        match outcome {
            Ok(data) => match existing(&svc.db, scope, request.match_on, &data).await? {
                Some(_) => status.updated += 1,
                None => status.created += 1,
            },
            Err(problems) => {
                status.failed += 1;
                let room = MAX_PROBLEMS.saturating_sub(status.problems.len());
                status.problems.extend(problems.into_iter().take(room));
            }
        }
        status.processed += 1;
    }
    Ok(status)
}

fn internal(err: serde_json::Error) -> ServiceError {
    ServiceError::Internal(err.to_string())
}

fn status_of(row: &contact_import::Model) -> ImportStatus {
    ImportStatus {
        id: Some(row.id),
        status: row.status.clone(),
        total: row.total.max(0) as u64,
        processed: row.processed.max(0) as u64,
        created: row.created.max(0) as u64,
        updated: row.updated.max(0) as u64,
        failed: row.failed.max(0) as u64,
        mapping: Vec::new(),
        problems: serde_json::from_str(&row.problems).unwrap_or_default(),
    }
}

#[derive(Serialize, Deserialize)]
struct ImportJob {
    import_id: i64,
}

/// Starts an import in the background after checking the file's shape; its progress
/// comes as `ImportProgress` events and from [`get_import`]. Needs `manage contacts`.
pub async fn start_import(
    svc: &Services,
    actor: &Actor,
    csv: String,
    request: &ImportRequest,
) -> ServiceResult<ImportStatus> {
    let scope = actor.require(Capability::ManageContacts)?;
    let (header, rows) = rows_of(&csv)?;
    plan(&svc.db, scope, &header, request).await?;
    let mut w = svc.begin().await?;
    let row = contact_import::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        match_on: Set(match request.match_on {
            MatchOn::Email => "email".into(),
            MatchOn::UserId => "user_id".into(),
        }),
        mapping: Set(serde_json::to_string(&request.mapping).map_err(internal)?),
        csv: Set(csv),
        status: Set("queued".into()),
        total: Set(rows.len() as i64),
        processed: Set(0),
        created: Set(0),
        updated: Set(0),
        failed: Set(0),
        problems: Set("[]".into()),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    let details = serde_json::json!({ "import_id": row.id, "rows": row.total, "match_on": row.match_on });
    w.audit(actor, parley_types::AuditAction::ContactsImported, "contacts", details).await?;
    enqueue_next(&mut w, scope.workspace_id(), row.id, 0).await?;
    w.commit().await?;
    Ok(status_of(&row))
}

async fn enqueue_next(w: &mut Write, workspace: WorkspaceId, import_id: i64, processed: i64) -> ServiceResult<()> {
    let payload = serde_json::to_value(ImportJob { import_id }).map_err(internal)?;
    let job =
        NewJob::new(IMPORT_JOB, payload).in_workspace(workspace).unique(format!("import:{import_id}:{processed}"));
    if w.enqueue(job).await? {
        w.wake_jobs();
    }
    Ok(())
}

/// An import's progress. Needs `manage contacts`.
pub async fn get_import(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> ServiceResult<ImportStatus> {
    let scope = actor.require(Capability::ManageContacts)?;
    let row = scope
        .find::<contact_import::Entity>()
        .filter(contact_import::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(status_of(&row))
}

/// Applies the next chunk of an import's rows in the job's write.
struct RunImport;

#[async_trait::async_trait]
impl JobHandler for RunImport {
    fn kind(&self) -> &'static str {
        IMPORT_JOB
    }

    async fn run(&self, _svc: &Services, w: &mut Write, job: &job::Model) -> Result<(), JobError> {
        let payload: ImportJob = serde_json::from_str(&job.payload)?;
        let workspace =
            WorkspaceId(job.workspace_id.ok_or_else(|| JobError("an import job without a workspace".into()))?);
        // The job row carries its workspace; everything below is read through it.
        let scope = Scope::unchecked(workspace);
        let Some(row) = scope
            .find::<contact_import::Entity>()
            .filter(contact_import::Column::Id.eq(payload.import_id))
            .one(w.txn())
            .await?
        else {
            return Ok(());
        };
        if row.status == "done" {
            return Ok(());
        }
        let request = ImportRequest {
            match_on: serde_json::from_value(serde_json::Value::String(row.match_on.clone()))?,
            mapping: serde_json::from_str(&row.mapping)?,
        };
        let (header, rows) = rows_of(&row.csv).map_err(|e| JobError(e.to_string()))?;
        let plan = plan(w.txn(), scope, &header, &request).await.map_err(|e| JobError(e.to_string()))?;
        let start = usize::try_from(row.processed).unwrap_or(0);
        let mut counts = (row.created, row.updated, row.failed);
        let mut problems: Vec<RowProblem> = serde_json::from_str(&row.problems).unwrap_or_default();
        for (i, cells) in rows.iter().enumerate().skip(start).take(CHUNK) {
            let line = i as u64 + 2;
            let outcome = check_row(&plan, line, cells).and_then(|data| {
                if has_key(request.match_on, &data) {
                    Ok(data)
                } else {
                    Err(vec![match_problem(request.match_on, line)])
                }
            });
            match outcome {
                Ok(data) => {
                    let created = apply(w, scope, request.match_on, data).await.map_err(|e| JobError(e.to_string()))?;
                    if created { counts.0 += 1 } else { counts.1 += 1 }
                }
                Err(found) => {
                    counts.2 += 1;
                    let room = MAX_PROBLEMS.saturating_sub(problems.len());
                    problems.extend(found.into_iter().take(room));
                }
            }
        }
        let processed = (start + CHUNK).min(rows.len()) as i64;
        let done = processed as usize >= rows.len();
        let mut active: contact_import::ActiveModel = row.into();
        active.processed = Set(processed);
        active.created = Set(counts.0);
        active.updated = Set(counts.1);
        active.failed = Set(counts.2);
        active.problems = Set(serde_json::to_string(&problems)?);
        active.status = Set(if done { "done" } else { "running" }.into());
        let stored = active.update(w.txn()).await?;
        if !done {
            enqueue_next(w, workspace, stored.id, processed).await.map_err(|e| JobError(e.to_string()))?;
        }
        w.notify(Operators(workspace), OperatorEvent::ImportProgress { import: status_of(&stored) });
        Ok(())
    }
}

/// Writes one checked row: updates the contact it names (given values replace, labels
/// are added) or makes a new one. Whether it made one.
async fn apply(w: &mut Write, scope: Scope, match_on: MatchOn, data: RowData) -> ServiceResult<bool> {
    let found = existing(w.txn(), scope, match_on, &data).await?;
    let created = found.is_none();
    let now = now_ms();
    let mut active: contact::ActiveModel = match found {
        Some(row) => row.into(),
        None => {
            // Nobody's browser holds this token: the contact gets one when they write.
            let token = random_token(32);
            contact::ActiveModel {
                workspace_id: Set(scope.workspace_id().0),
                kind: Set(ContactKind::Guest.as_str().into()),
                name: Set(format!("Guest {}", &token_digest(&token)[..4].to_uppercase())),
                visitor_token_hash: Set(token_digest(&token)),
                created_at_ms: Set(now),
                last_seen_at_ms: Set(now),
                ..Default::default()
            }
        }
    };
    if let Some(name) = data.name {
        active.name = Set(name);
        active.name_given = Set(true);
    }
    if let Some(email) = data.email {
        active.email_key = Set(Some(email.to_lowercase()));
        active.email = Set(Some(email));
    }
    if let Some(phone) = data.phone {
        active.phone = Set(Some(phone));
    }
    if let Some(zone) = data.timezone {
        active.timezone = Set(Some(zone));
    }
    if let Some(tag) = data.language {
        active.language = Set(Some(tag));
    }
    if let Some(id) = data.user_id {
        // An admin's file speaks for their own system: its ids count as verified.
        active.external_id = Set(Some(id));
        active.verified = Set(true);
    }
    let row = if created { active.insert(w.txn()).await? } else { active.update(w.txn()).await? };
    // The type: as the file says, else a guest with a name and an address is a lead.
    let current: ContactKind = row.kind.parse().unwrap_or(ContactKind::Guest);
    let kind = data.kind.unwrap_or_else(|| super::commands::kind_after(current, None, &row));
    let row = if kind != current {
        let mut active: contact::ActiveModel = row.into();
        active.kind = Set(kind.as_str().into());
        active.update(w.txn()).await?
    } else {
        row
    };
    for label_id in data.labels {
        super::commands::label_in(w, scope, row.id, parley_types::LabelId(label_id), true).await?;
    }
    fields::write_values(w, scope, row.id, data.custom).await?;
    let event = if created {
        DomainEvent::VisitorCreated { contact_id: ContactId(row.id) }
    } else {
        DomainEvent::ContactUpdated { contact_id: ContactId(row.id), fields: vec!["import".into()], by: None }
    };
    w.record(scope.workspace_id(), event);
    Ok(created)
}

/// Registers the import job.
pub fn register(platform: &crate::platform::Platform) {
    platform.register_job(std::sync::Arc::new(RunImport));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_quotes_and_line_ends() {
        let rows =
            parse_csv("\u{feff}name,email\r\n\"Roe, Jane\",jane@x.co\n\"Say \"\"hi\"\"\",\"two\nlines\"\n\n").unwrap();
        assert_eq!(rows, [vec!["name", "email"], vec!["Roe, Jane", "jane@x.co"], vec!["Say \"hi\"", "two\nlines"]]);
        assert!(parse_csv("a,\"b\n").is_err());
        assert_eq!(parse_csv("a,b").unwrap(), [vec!["a", "b"]]);
    }

    #[test]
    fn exported_formula_escapes_come_off() {
        assert_eq!(unescape("'+4930123456"), "+4930123456");
        assert_eq!(unescape("'quoted"), "'quoted");
    }
}
