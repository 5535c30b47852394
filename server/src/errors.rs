//! Errors on the wire: every HTTP answer with an `ApiError` body carries the status its
//! code sets. Server functions' errors pass through [`status_from_error_code`], so a
//! server function cannot answer a "not found" body with a 500 status; the widget's
//! endpoints answer with [`error_response`].

use axum::Json;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use parley_services::phrases::api_error;
use parley_types::{ApiError, ErrorCode, phrase};

/// Largest error body inspected (errors are a code and a sentence).
const MAX_ERROR_BODY: usize = 64 * 1024;

/// An `ApiError` as an HTTP answer: its status, `Retry-After` when it has one, JSON body.
pub fn error_response(err: impl Into<ApiError>) -> Response {
    let err = err.into();
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let retry_after = err.retry_after;
    let mut response = (status, Json(err)).into_response();
    if let Some(secs) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// Largest request body a server function accepts (axum's default body limit).
pub const MAX_REQUEST_BODY: u64 = 2 * 1024 * 1024;

/// Refuses a declared body over [`MAX_REQUEST_BODY`] with 413 and a sentence before
/// anything reads it. (A body that only turns out too large while streaming is refused
/// by the body limit while decoding, and `ApiError` maps that to 413 as well.)
pub async fn refuse_oversized_bodies(request: Request, next: Next) -> Response {
    let declared =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_REQUEST_BODY) {
        return error_response(api_error(
            ErrorCode::PayloadTooLarge,
            phrase!("err-request-too-large", megabytes = MAX_REQUEST_BODY / (1024 * 1024)),
        ));
    }
    next.run(request).await
}

/// Sets the status of a server function's error answer from the `ApiError` code in its
/// body (server functions answer errors with 500 unless told otherwise).
pub async fn status_from_error_code(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || !(response.status().is_client_error() || response.status().is_server_error()) {
        return response;
    }
    let (mut parts, bytes) = match read_error_body(response).await {
        Ok(read) => read,
        Err(refusal) => return refusal,
    };
    if let Ok(err) = serde_json::from_slice::<ApiError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(secs) = err.retry_after {
            parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Writes the sentences of the widget's error answers in the visitor's language: the
/// widget names the language it speaks in `Accept-Language` (else the browser's list
/// counts). Only answers with an `ApiError` body that has phrases change.
pub async fn in_visitors_language(request: Request, next: Next) -> Response {
    // The first language of the list Parley speaks, as for pages (`language.rs`).
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(app::i18n::Lang::from_accept_language)
        .unwrap_or_default();
    let response = next.run(request).await;
    let is_error = response.status().is_client_error() || response.status().is_server_error();
    let is_json = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes() == b"application/json");
    if !is_error || !is_json || lang == app::i18n::Lang::En {
        return response;
    }
    let (mut parts, bytes) = match read_error_body(response).await {
        Ok(read) => read,
        Err(refusal) => return refusal,
    };
    let Ok(mut err) = serde_json::from_slice::<ApiError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parley_services::phrases::localize(&mut err, lang.code());
    let body = serde_json::to_vec(&err).unwrap_or_else(|_| bytes.to_vec());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// An error answer's head and body (errors are small: at most [`MAX_ERROR_BODY`]), or an
/// internal error when the body cannot be read.
async fn read_error_body(response: Response) -> Result<(axum::http::response::Parts, axum::body::Bytes), Response> {
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => Ok((parts, bytes)),
        Err(err) => {
            tracing::error!(%err, "could not read an error answer");
            Err(error_response(ApiError::internal()))
        }
    }
}
