//! Request checks shared by routes: same-origin enforcement for the operator app's
//! server functions and socket, and CORS for the widget's endpoints.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Whether a request comes from Parley's own pages (or from no browser at all). A
/// browser always sends `Origin` on cross-site POSTs and WebSocket handshakes, so a
/// missing header means a non-browser client, which cookies cannot be forged from.
pub fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    if headers.get("sec-fetch-site").is_some_and(|v| v == "cross-site") {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    if origin.eq_ignore_ascii_case(public_url) {
        return true;
    }
    // Also accept the host the request was addressed to, so Parley reached as
    // `localhost` or through a proxy that keeps `Host` still works.
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|host| origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host))
}

/// Refuses cross-site requests to server functions (CSRF) with 403.
pub async fn require_same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !same_origin(request.headers(), &state.services.config.public_url) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
        return (StatusCode::FORBIDDEN, "Cross-site requests are not allowed.").into_response();
    }
    next.run(request).await
}

/// Adds CORS headers that let `origin` (already checked against the workspace) read
/// the response.
pub fn allow_origin(mut response: Response, origin: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn pages_of_parley_itself_pass_and_other_sites_do_not() {
        let public = "http://127.0.0.1:3000";
        assert!(same_origin(&headers(&[("origin", "http://127.0.0.1:3000")]), public));
        assert!(same_origin(&headers(&[("origin", "http://localhost:3000"), ("host", "localhost:3000")]), public));
        assert!(same_origin(&headers(&[]), public), "non-browser clients send no Origin");
        assert!(!same_origin(&headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]), public));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), public));
    }
}
