//! Request checks shared by routes: same-origin enforcement for the operator app's
//! server functions and socket, and CORS for the widget's endpoints.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// Whether a request comes from Parley's own pages: its `Origin` is exactly the
/// configured public URL. A missing `Origin` or `Origin: null` is refused (browsers send
/// `Origin` on every POST and WebSocket handshake; scripts can send it too), and the
/// request's own `Host` never counts, since an attacker's page chooses it.
pub fn same_origin(headers: &HeaderMap, public_url: &str) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).unwrap_or_default();
    same_origin_value(origin, headers, public_url)
}

/// [`same_origin`] for an origin already read from the request.
pub fn same_origin_value(origin: &str, headers: &HeaderMap, public_url: &str) -> bool {
    if headers.get("sec-fetch-site").is_some_and(|v| v == "cross-site") {
        return false;
    }
    !origin.is_empty() && origin != "null" && origin.eq_ignore_ascii_case(public_url)
}

/// Refuses cross-site requests to server functions (CSRF) with 403.
pub async fn require_same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !same_origin(request.headers(), &state.services.config.public_url) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
        return crate::errors::error_response(parley_services::phrases::api_error(
            parley_types::ErrorCode::Forbidden,
            parley_types::phrase!("err-request-cross-site"),
        ));
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

/// The operator app's Content-Security-Policy for a page rendered with `nonce`: scripts
/// only from Parley itself or inline with this response's nonce (leptos puts it on the
/// hydration scripts), wasm allowed to compile, connections only to Parley (its socket
/// included), never framed. No `'unsafe-inline'` anywhere.
pub fn app_content_security_policy(nonce: &str, public_url: &str) -> String {
    let socket_origin = public_url.replacen("http", "ws", 1);
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self' {socket_origin}; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy for HTML Parley answers without rendering the app (a nonce-less page such
/// as the not-found one): nothing inline runs.
const STATIC_PAGE_POLICY: &str =
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The nonce of the page a request renders, handed from the render to
/// [`security_headers`], which writes the page's policy with it. (It first went through
/// leptos's `ResponseOptions`; now and then, under load, a rendered page went out without
/// it, with the nonce-less static policy instead, and its hydration scripts were blocked:
/// the page never came alive. The request's own extension cannot be lost that way.)
#[derive(Clone, Default)]
pub struct PageNonce(std::sync::Arc<std::sync::OnceLock<String>>);

/// Leptos's render context: records the nonce leptos generated for this response, for
/// [`security_headers`]. Called from the server's per-render context closure.
pub fn provide_page_policy() {
    use leptos::prelude::use_context;
    let Some(nonce) = leptos::nonce::use_nonce() else { return };
    let slot = use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<PageNonce>().cloned());
    if let Some(PageNonce(slot)) = slot {
        let _ = slot.set(nonce.to_string());
    }
}

/// Security headers on every answer:
/// - everywhere: `X-Content-Type-Options: nosniff`, a `Referrer-Policy`, and HSTS when
///   the public URL is https;
/// - the operator app (pages and `/api/*`): never framed (`X-Frame-Options: DENY`,
///   `frame-ancestors 'none'`), pages under a Content-Security-Policy (rendered ones with
///   their nonce, [`app_content_security_policy`]), and `Cache-Control: no-store` except for its static
///   files under `/pkg/`;
/// - the widget's endpoints (`/widget/v1/*`), which carry visitor tokens: `no-store` (not
///   its word catalogs, `/widget/v1/locales/*`, which are the same for everyone).
pub async fn security_headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let nonce = PageNonce::default();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if state.services.config.public_url.starts_with("https://") {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    // The widget's word catalogs are the same for everyone and carry no token: cacheable.
    let catalog = path.starts_with("/widget/v1/locales/");
    let widget_api = path.starts_with("/widget/v1/") && !catalog;
    let widget_files = path.starts_with("/widget/pkg/") || path == "/embed.js" || catalog;
    let static_file = path.starts_with("/pkg/") || path.starts_with("/favicon");
    if !widget_api && !widget_files {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        let html = headers.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        let rendered = nonce.0.get().map(|nonce| app_content_security_policy(nonce, &state.services.config.public_url));
        match rendered.and_then(|policy| HeaderValue::from_str(&policy).ok()) {
            Some(policy) => {
                headers.insert(header::CONTENT_SECURITY_POLICY, policy);
            }
            // Not a rendered page: its handler's own policy, else a static one.
            None if headers.contains_key(header::CONTENT_SECURITY_POLICY) => {}
            None => {
                let policy = if html { STATIC_PAGE_POLICY } else { "frame-ancestors 'none'" };
                headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
                if html && !path.ends_with(".html") {
                    // Every page of the app is rendered with a nonce; without one its
                    // hydration scripts are blocked.
                    tracing::warn!(%path, "an HTML answer without a rendered page's nonce");
                }
            }
        }
    }
    if widget_api || !(widget_files || static_file) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Records where each request comes from (client address, user agent) for the audit
/// entries its commands write (`parley_services::audit::Origin`).
pub async fn request_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0);
    let Some(peer) = peer else { return next.run(request).await };
    let ip = crate::widget_api::client_ip(&state.services, peer, request.headers());
    let user_agent = request.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    let origin = parley_services::audit::Origin::new(ip, user_agent);
    origin.scope(next.run(request)).await
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
        assert!(
            !same_origin(&headers(&[("origin", "http://evil.test"), ("host", "evil.test")]), public),
            "Host never counts"
        );
        assert!(!same_origin(&headers(&[]), public), "no Origin is refused");
        assert!(!same_origin(&headers(&[("origin", "null")]), public));
        assert!(!same_origin(&headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]), public));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), public));
    }
}
