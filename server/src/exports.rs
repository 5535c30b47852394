//! `GET /exports/contacts.csv?query=&kind=&label=&open=&seen_days=&created_days=`: the
//! contact list's current filter as a CSV download, for owners and admins (`manage
//! contacts`; others 403, signed out 401).

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use parley_services::contacts::export::export_csv;
use parley_services::{Actor, auth};
use parley_types::{ApiError, ContactFilter, ContactKind, LabelId};
use serde::Deserialize;
use tower_sessions::Session;

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
    session: Session,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(query)) = query else {
        return error_response(ApiError::invalid("The export's filter is not understood."));
    };
    let services = &state.services;
    let member = match auth::member_from_session(services, &session).await {
        Ok(Some(member)) => member,
        Ok(None) => return error_response(ApiError::unauthorized()),
        Err(err) => return error_response(err),
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
    match export_csv(&services.db, &Actor::Member(member), &filter).await {
        Ok(csv) => {
            let mut response = csv.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
            headers
                .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"contacts.csv\""));
            // Private data: never kept by a cache.
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(err) => error_response(err),
    }
}
