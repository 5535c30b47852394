//! The two HTTP calls the widget makes: create a visitor, and check a stored token.
//!
//! They use `XMLHttpRequest` because its single `loadend` callback fires exactly once
//! (success, error, abort or timeout alike), which needs no futures runtime and no
//! extra closures to keep alive: the wasm stays smaller than with `fetch` + futures.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::XmlHttpRequest;

use crate::wire;

/// A visitor session: the token and the workspace's name (`parley_types::WidgetSession`).
pub struct Session {
    /// The visitor token.
    pub token: String,
    /// The workspace name, for the header.
    pub workspace_name: String,
}

/// How long a request may take before it counts as a network failure, in milliseconds.
const TIMEOUT_MS: u32 = 15_000;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 401: the stored token is unknown; a new visitor must be created.
    Unauthorized,
    /// 403: this page's origin may not use the widget.
    Forbidden,
    /// 404: no workspace has this public key.
    NotFound,
    /// 429: too many requests from this network; the sentence to show and the seconds
    /// to wait before trying again.
    TooMany(String, u32),
    /// No answer, a timeout, a 5xx or an unreadable body: worth retrying.
    Retry,
}

/// `POST {base}/widget/v1/{key}/visitors`: creates an anonymous visitor.
pub const VISITORS: Route = Route { method: "POST", path: "/widget/v1/{key}/visitors" };
/// `GET {base}/widget/v1/{key}/session`: the session behind a token.
pub const SESSION: Route = Route { method: "GET", path: "/widget/v1/{key}/session" };
/// `GET {base}/widget/v1/{key}/ws`: the socket (a WebSocket upgrade).
pub const SOCKET: Route = Route { method: "GET", path: "/widget/v1/{key}/ws" };
/// Every server route the widget calls; `server/tests/widget.rs` checks each against the
/// server's router, so a route renamed on one side fails a test.
pub const ROUTES: [Route; 5] = [VISITORS, SESSION, SOCKET, crate::files::UPLOAD, crate::files::DOWNLOAD];

/// A server route the widget calls: its method and its path with a `{key}` placeholder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
}

impl Route {
    /// `base` + the path with `key` in place of `{key}` (`key` already encoded).
    pub fn url_with(&self, base: &str, encoded_key: &str) -> String {
        let mut url = String::from(base);
        url.push_str(&self.path.replacen("{key}", encoded_key, 1));
        url
    }

    /// The URL for the workspace `key`, percent-encoded.
    pub fn url(&self, base: &str, key: &str) -> String {
        self.url_with(base, &encode(key))
    }
}

/// [`VISITORS`]: a new anonymous visitor.
pub fn create_visitor(base: &str, key: &str, done: impl FnOnce(Result<Session, ApiError>) + 'static) {
    request(VISITORS.method, &VISITORS.url(base, key), None, done);
}

/// The header that carries the visitor token (never the URL, which proxies log).
pub const TOKEN_HEADER: &str = "x-parley-token";
/// The WebSocket subprotocol Parley speaks; the token travels as a second one,
/// `token.<token>`, in the handshake's `Sec-WebSocket-Protocol` header.
pub const SOCKET_PROTOCOL: &str = "parley.v1";

/// [`SESSION`] with the token in [`TOKEN_HEADER`]: the session behind a stored token.
pub fn get_session(base: &str, key: &str, token: &str, done: impl FnOnce(Result<Session, ApiError>) + 'static) {
    request(SESSION.method, &SESSION.url(base, key), Some(token), done);
}

/// Percent-encodes a query or path component.
pub fn encode(component: &str) -> String {
    String::from(js_sys::encode_uri_component(component))
}

fn request(method: &str, url: &str, token: Option<&str>, done: impl FnOnce(Result<Session, ApiError>) + 'static) {
    let Ok(xhr) = XmlHttpRequest::new() else {
        return done(Err(ApiError::Retry));
    };
    if xhr.open(method, url).is_err() {
        return done(Err(ApiError::Retry));
    }
    if let Some(token) = token
        && xhr.set_request_header(TOKEN_HEADER, token).is_err()
    {
        return done(Err(ApiError::Retry));
    }
    xhr.set_timeout(TIMEOUT_MS);
    let target = xhr.clone();
    let on_end = Closure::<dyn FnMut()>::once_aborting(move || done(outcome(&target)));
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    // The handler frees itself after its one call; JS keeps it alive until then.
    let on_end = on_end.into_js_value();
    if xhr.send().is_err() {
        xhr.set_onloadend(None);
        // `send` threw synchronously, so `loadend` will not fire: call it by hand.
        let _ = on_end.unchecked_ref::<js_sys::Function>().call0(&wasm_bindgen::JsValue::NULL);
    }
}

fn outcome(xhr: &XmlHttpRequest) -> Result<Session, ApiError> {
    match xhr.status().unwrap_or(0) {
        200 => {
            let body = xhr.response().ok().and_then(|r| wire::parse_json(&r).ok());
            let (token, workspace_name) = body.as_ref().and_then(wire::session).ok_or(ApiError::Retry)?;
            Ok(Session { token, workspace_name })
        }
        401 => Err(ApiError::Unauthorized),
        403 => Err(ApiError::Forbidden),
        404 => Err(ApiError::NotFound),
        429 => {
            // The wait comes from the body: a cross-origin page cannot read `Retry-After`.
            let body = xhr.response().ok().and_then(|r| wire::parse_json(&r).ok());
            let (message, wait) = body.as_ref().and_then(wire::refusal).ok_or(ApiError::Retry)?;
            Err(ApiError::TooMany(message, wait))
        }
        _ => Err(ApiError::Retry),
    }
}
