//! `GET /exports/contacts.csv?query=&kind=&label=&open=&seen_days=&created_days=`: the
//! contact list's current filter as a CSV download, for owners, admins and operators
//! granted `export contacts` (others 403, signed out 401).

use crate::workspace_path::MemberSession;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use parley_services::Actor;
use parley_services::contacts::export::export_csv;
use parley_services::phrases::api_error;
use parley_types::{ApiError, ContactFilter, ContactKind, ErrorCode, LabelId, phrase};
use serde::Deserialize;

use crate::AppState;
use crate::errors::error_response;

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    query: String,
    kind: Option<ContactKind>,
    label: Option<i64>,
    #[serde(default)]
    open: bool,
    seen_days: Option<u32>,
    created_days: Option<u32>,
}

pub async fn contacts_csv(
    State(state): State<AppState>,
    session: MemberSession,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(query)) = query else {
        return error_response(api_error(ErrorCode::Invalid, phrase!("err-export-filter")));
    };
    let services = &state.services;
    let member = match signed_in(services, &session).await {
        Ok(member) => member,
        Err(refused) => return refused,
    };
    let filter = ContactFilter {
        query: query.query,
        kinds: query.kind.into_iter().collect(),
        label: query.label.map(LabelId),
        open_conversation: query.open,
        seen_within_days: query.seen_days,
        created_within_days: query.created_days,
        ..Default::default()
    };
    match export_csv(services, &Actor::Member(member), &filter).await {
        Ok(csv) => csv_download(csv, "contacts.csv"),
        Err(err) => error_response(err),
    }
}

#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    /// Check only: every row's problems and what would be made or updated.
    #[serde(default)]
    dry_run: bool,
    /// `email` (default) or `user_id`.
    #[serde(rename = "match")]
    match_on: Option<String>,
    /// Overrides, `Header:field;Other header:skip`.
    #[serde(default)]
    map: String,
}

/// Largest CSV an import takes.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

/// `POST /imports/contacts?dry_run=true&match=email&map=..` with the CSV as the body:
/// owners and admins (`manage contacts`) check a file, or start importing it.
pub async fn import_contacts(
    State(state): State<AppState>,
    session: MemberSession,
    query: Result<Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
    body: axum::body::Body,
) -> Response {
    use parley_services::contacts::import::{ImportRequest, MatchOn, dry_run, start_import};
    let Ok(Query(query)) = query else {
        return error_response(api_error(ErrorCode::Invalid, phrase!("err-import-options")));
    };
    let services = &state.services;
    let member = match signed_in(services, &session).await {
        Ok(member) => member,
        Err(refused) => return refused,
    };
    let match_on = match query.match_on.as_deref().unwrap_or("email") {
        "email" => MatchOn::Email,
        "user_id" => MatchOn::UserId,
        other => return error_response(api_error(ErrorCode::Invalid, phrase!("err-import-match-on", value = other))),
    };
    let mapping = query
        .map
        .split(';')
        .filter(|pair| !pair.trim().is_empty())
        .filter_map(|pair| pair.rsplit_once(':').map(|(h, f)| (h.trim().to_owned(), f.trim().to_owned())))
        .collect();
    let bytes = match axum::body::to_bytes(body, MAX_IMPORT_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return error_response(api_error(
                ErrorCode::PayloadTooLarge,
                phrase!("err-import-file-too-large", megabytes = MAX_IMPORT_BYTES / (1024 * 1024)),
            ));
        }
    };
    let Ok(csv) = String::from_utf8(bytes.to_vec()) else {
        return error_response(api_error(ErrorCode::Invalid, phrase!("err-import-not-utf8")));
    };
    let request = ImportRequest { match_on, mapping };
    let actor = Actor::Member(member);
    let answer = if query.dry_run {
        dry_run(services, &actor, &csv, &request).await
    } else {
        start_import(services, &actor, csv, &request).await
    };
    match answer {
        Ok(status) => axum::Json(status).into_response(),
        Err(err) => error_response(err),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    actor: Option<i64>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// `GET /exports/audit.csv?actor=&action=&from=&to=`: the audit log's current filter as a
/// CSV download, for owners and admins (others 403, signed out 401). The export is itself
/// audited.
pub async fn audit_csv(
    State(state): State<AppState>,
    session: MemberSession,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(query)) = query else {
        return error_response(api_error(ErrorCode::Invalid, phrase!("err-export-filter")));
    };
    let services = &state.services;
    let member = match signed_in(services, &session).await {
        Ok(member) => member,
        Err(refused) => return refused,
    };
    let action = match query.action.as_deref().filter(|a| !a.is_empty()).map(str::parse::<parley_types::AuditAction>) {
        None => None,
        Some(Ok(action)) => Some(action),
        Some(Err(_)) => return error_response(api_error(ErrorCode::Invalid, phrase!("err-export-no-such-action"))),
    };
    let filter = parley_types::AuditFilter {
        actor: query.actor.map(parley_types::UserId),
        action,
        from: query.from,
        to: query.to,
        before: None,
    };
    match parley_services::audit::export_csv(services, &Actor::Member(member), &filter).await {
        Ok(csv) => csv_download(csv, "audit-log.csv"),
        Err(err) => error_response(err),
    }
}

/// The session's member, or the answer to send instead (401 signed out).
async fn signed_in(
    services: &parley_services::Services,
    session: &MemberSession,
) -> Result<parley_services::Member, Response> {
    match session.member(services).await {
        Ok(Some(member)) => Ok(member),
        Ok(None) => Err(error_response(ApiError::unauthorized())),
        Err(err) => Err(error_response(err)),
    }
}

/// A CSV body as a private download named `filename`.
fn csv_download(csv: String, filename: &'static str) -> Response {
    let mut response = csv.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    // Private data: never kept by a cache.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
