//! `GET /transcripts/{id}?format=html|text&notes=true`: a conversation's transcript as a
//! download, for signed-in members who may read it (another workspace's is 404). The
//! team's notes and status lines are in it only with `notes=true`.

use crate::workspace_path::MemberSession;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use parley_services::Actor;
use parley_services::conversations::{TranscriptFormat, transcript};
use parley_types::{ApiError, ConversationId};
use serde::Deserialize;

use crate::AppState;
use crate::errors::error_response;

#[derive(Debug, Deserialize)]
pub struct TranscriptQuery {
    /// `html` (default) or `text`.
    format: Option<String>,
    /// Include the team's notes and status lines.
    #[serde(default)]
    notes: bool,
}

pub async fn download(
    State(state): State<AppState>,
    session: MemberSession,
    Path(id): Path<i64>,
    Query(query): Query<TranscriptQuery>,
) -> Response {
    let services = &state.services;
    let member = match session.member(services).await {
        Ok(Some(member)) => member,
        Ok(None) => return error_response(ApiError::unauthorized()),
        Err(err) => return error_response(err),
    };
    let format = match TranscriptFormat::parse(query.format.as_deref().unwrap_or("html")) {
        Ok(format) => format,
        Err(err) => return error_response(err),
    };
    let actor = Actor::Member(member);
    match transcript(&services.db, &actor, ConversationId(id), format, query.notes).await {
        Ok(body) => {
            let disposition = format!("attachment; filename=\"conversation-{id}.{}\"", format.extension());
            let mut response = body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            // Private data: never kept by a cache.
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(err) => error_response(err),
    }
}
