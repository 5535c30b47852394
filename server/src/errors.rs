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
use parley_types::ApiError;

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
        return error_response(ApiError::with_message(
            parley_types::ErrorCode::PayloadTooLarge,
            format!("The request is too large ({} MB at most).", MAX_REQUEST_BODY / (1024 * 1024)),
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
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(%err, "could not read a server function's error answer");
            return error_response(ApiError::internal());
        }
    };
    if let Ok(err) = serde_json::from_slice::<ApiError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(secs) = err.retry_after {
            parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
