//! Attachment uploads and downloads over HTTP.
//!
//! Uploads send the raw bytes as the body (so they stream, with upload progress in the
//! browser), the file name percent-encoded in `X-Parley-Filename`, and `X-Parley-Voice: 1`
//! for a recorded voice message; the answer is the stored, pending attachment, which the
//! next message names. Members upload with their session (`POST
//! /attachments?conversation=ID` or `?quick_reply=ID`), visitors with their token
//! (`POST /widget/v1/{key}/attachments`). Downloads answer the bytes as they come from
//! the store, `nosniff`, never cached by others, inline only for raster images.

use crate::workspace_path::MemberSession;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parley_services::attachments::{self, UploadFor, UploadInput};
use parley_services::phrases::api_error;
use parley_services::{Actor, ServiceError, Services};
use parley_types::{ApiError, AttachmentId, ConversationId, ErrorCode, QuickReplyId, phrase};
use serde::Deserialize;

use crate::errors::error_response;
use crate::widget_api::{self, embedding_workspace, find_visitor_by, header_token};

/// The header naming the uploaded file (percent-encoded UTF-8).
pub const NAME_HEADER: &str = "x-parley-filename";
/// `1` when the upload is a voice message recorded in the browser.
pub const VOICE_HEADER: &str = "x-parley-voice";

fn upload_input(headers: &HeaderMap) -> Result<UploadInput, ApiError> {
    let raw = headers.get(NAME_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let name = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| api_error(ErrorCode::Invalid, phrase!("err-attachments-name-utf8")))?
        .into_owned();
    if name.trim().is_empty() {
        return Err(api_error(ErrorCode::Invalid, phrase!("err-attachments-name-header", header = NAME_HEADER)));
    }
    let voice = headers.get(VOICE_HEADER).is_some_and(|v| v.as_bytes() == b"1");
    let declared_len =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    Ok(UploadInput { name, voice, declared_len })
}

async fn member(services: &Services, session: &MemberSession) -> Result<Actor, ApiError> {
    match session.member(services).await {
        Ok(Some(member)) => Ok(Actor::Member(member)),
        Ok(None) => Err(ApiError::unauthorized()),
        Err(err) => Err(err.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    conversation: Option<i64>,
    quick_reply: Option<i64>,
}

/// `POST /attachments?conversation=ID|quick_reply=ID`: a member's upload.
pub async fn member_upload(
    State(services): State<Services>,
    session: MemberSession,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let actor = member(&services, &session).await?;
        let target = match (query.conversation, query.quick_reply) {
            (Some(id), None) => UploadFor::Conversation(ConversationId(id)),
            (None, Some(id)) => UploadFor::QuickReply(QuickReplyId(id)),
            _ => return Err(api_error(ErrorCode::Invalid, phrase!("err-attachments-target"))),
        };
        let input = upload_input(&headers)?;
        Ok(attachments::upload(&services, &actor, target, input, body.into_data_stream()).await?)
    }
    .await;
    match result {
        Ok(attachment) => (StatusCode::CREATED, axum::Json(attachment)).into_response(),
        Err(err) => refuse_upload(err),
    }
}

/// `DELETE /attachments/{id}`: removes a pending upload or a quick reply's file.
pub async fn member_remove(State(services): State<Services>, session: MemberSession, Path(id): Path<i64>) -> Response {
    let result = async {
        let actor = member(&services, &session).await?;
        Ok::<_, ApiError>(attachments::remove(&services, &actor, AttachmentId(id)).await?)
    }
    .await;
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => error_response(err),
    }
}

/// `GET /attachments/{id}`: a member downloads a file of their workspace.
pub async fn member_download(
    State(services): State<Services>,
    session: MemberSession,
    Path(id): Path<i64>,
) -> Response {
    let actor = match member(&services, &session).await {
        Ok(actor) => actor,
        Err(err) => return error_response(err),
    };
    download(&services, &actor, AttachmentId(id)).await
}

/// The visitor of a widget request: the page's origin must be allowed, and the token
/// (in `X-Parley-Token`) known in that workspace. Answers the origin for CORS.
async fn visitor(services: &Services, key: &str, headers: &HeaderMap) -> Result<(Actor, String), ServiceError> {
    let (ws, origin) = embedding_workspace(services, key, headers).await?;
    let (contact, _) = find_visitor_by(services, &ws, header_token(headers)).await?;
    let actor = Actor::Visitor(parley_services::Visitor {
        contact_id: parley_types::ContactId(contact.id),
        workspace_id: parley_types::WorkspaceId(ws.id),
    });
    Ok((actor, origin))
}

/// `POST /widget/v1/{key}/attachments`: a visitor's upload, for their next message.
pub async fn visitor_upload(
    State(services): State<Services>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (actor, origin) = match visitor(&services, &key, &headers).await {
        Ok(found) => found,
        Err(err) => return readable(widget_api::error_response(err), &headers),
    };
    let result = async {
        let input = upload_input(&headers)?;
        Ok::<_, ApiError>(
            attachments::upload(&services, &actor, UploadFor::Visitor, input, body.into_data_stream()).await?,
        )
    }
    .await;
    let response = match result {
        Ok(attachment) => (StatusCode::CREATED, axum::Json(attachment)).into_response(),
        Err(err) => refuse_upload(err),
    };
    crate::security::allow_origin(response, &origin)
}

/// `GET /widget/v1/{key}/attachments/{id}`: a visitor downloads a file of their own
/// conversation (the widget fetches it with its token and shows it from memory).
pub async fn visitor_download(
    State(services): State<Services>,
    Path((key, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Response {
    match visitor(&services, &key, &headers).await {
        Ok((actor, origin)) => {
            crate::security::allow_origin(download(&services, &actor, AttachmentId(id)).await, &origin)
        }
        Err(err) => readable(widget_api::error_response(err), &headers),
    }
}

fn readable(response: Response, headers: &HeaderMap) -> Response {
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => crate::security::allow_origin(response, origin),
        None => response,
    }
}

/// A refused upload. The client may still be sending: the connection is closed after
/// this answer rather than the rest of the body being read.
fn refuse_upload(err: ApiError) -> Response {
    tracing::info!(reason = %err.message, "refused an upload");
    let mut response = error_response(err);
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

async fn download(services: &Services, actor: &Actor, id: AttachmentId) -> Response {
    let found = match attachments::download(&services.db, actor, id).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    let stream = match services.files.read(&found.object_key).await {
        Ok(stream) => stream,
        Err(err) => {
            tracing::error!(%err, key = found.object_key, "an attachment's bytes are missing");
            return error_response(ApiError::not_found());
        }
    };
    let file = &found.attachment;
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    // Only raster images show in the page; everything else is a download (audio plays
    // through `<audio>`, which ignores the disposition).
    let content_type = if file.inline_image() || file.playable_audio() || file.mime == "text/plain" {
        file.mime.clone()
    } else {
        "application/octet-stream".to_owned()
    };
    let content_type = if content_type == "text/plain" { "text/plain; charset=utf-8".to_owned() } else { content_type };
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        h.insert(header::CONTENT_TYPE, value);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
    let disposition = if file.inline_image() { "inline" } else { "attachment" };
    if let Ok(value) = HeaderValue::from_str(&format!(
        "{disposition}; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_name(&file.name),
        percent_encoding::utf8_percent_encode(&file.name, percent_encoding::NON_ALPHANUMERIC)
    )) {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Private: browsers may keep it, shared caches never.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    // Opened on its own, the file runs nothing.
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    response
}

/// The name with anything outside printable ASCII (and quotes) replaced, for the
/// plain `filename=` of `Content-Disposition`.
fn ascii_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect()
}
