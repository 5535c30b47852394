//! The widget's HTTP calls: create a visitor, check a stored token, and the JS API's
//! calls (`setUser`, `setAttributes`, `setLabels`, `track`) with a JSON body.
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
    /// The contact the token names.
    pub contact_id: Option<i64>,
    /// The pre-chat form to fill in before the first message.
    pub prechat: Option<wasm_bindgen::JsValue>,
    /// Ask for an email this long after an unanswered message.
    pub ask_email_after: Option<u32>,
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
/// `POST {base}/widget/v1/{key}/identify`: `setUser`.
pub const IDENTIFY: Route = Route { method: "POST", path: "/widget/v1/{key}/identify" };
/// `POST {base}/widget/v1/{key}/attributes`: `setAttributes` (and `setLocale`).
pub const ATTRIBUTES: Route = Route { method: "POST", path: "/widget/v1/{key}/attributes" };
/// `POST {base}/widget/v1/{key}/labels`: `setLabels`.
pub const LABELS: Route = Route { method: "POST", path: "/widget/v1/{key}/labels" };
/// `POST {base}/widget/v1/{key}/events`: `track`.
pub const EVENTS: Route = Route { method: "POST", path: "/widget/v1/{key}/events" };
/// `POST {base}/widget/v1/{key}/lead`: the pre-chat form or the email capture.
pub const LEAD: Route = Route { method: "POST", path: "/widget/v1/{key}/lead" };
/// Every server route the widget calls; `server/tests/widget.rs` checks each against the
/// server's router, so a route renamed on one side fails a test.
pub const ROUTES: [Route; 11] = [
    VISITORS,
    LOCALE,
    SESSION,
    SOCKET,
    crate::files::UPLOAD,
    crate::files::DOWNLOAD,
    IDENTIFY,
    ATTRIBUTES,
    LABELS,
    EVENTS,
    LEAD,
];

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

/// `GET {base}/widget/v1/locales/{lang}`: a language's catalog of the widget's words (the
/// same for every workspace; `{key}` is the language code).
pub const LOCALE: Route = Route { method: "GET", path: "/widget/v1/locales/{key}" };

/// [`LOCALE`]: the catalog text of `lang`, or `None` when it could not be loaded.
pub fn get_locale(base: &str, lang: &str, done: impl FnOnce(Option<String>) + 'static) {
    xhr(
        LOCALE.method,
        &LOCALE.url(base, lang),
        None,
        None,
        Box::new(move |answer| {
            let ok = answer.filter(|xhr| xhr.status().unwrap_or(0) == 200);
            done(ok.and_then(|xhr| xhr.response_text().ok().flatten()))
        }),
    );
}

/// [`VISITORS`]: a new anonymous visitor.
pub fn create_visitor(base: &str, key: &str, done: impl FnOnce(Result<Session, ApiError>) + 'static) {
    request(VISITORS.method, &VISITORS.url(base, key), None, done);
}

/// The header that carries the visitor token (never the URL, which proxies log).
pub const TOKEN_HEADER: &str = "x-parley-token";

/// Asks the server to write its sentences (errors, field problems) in the language the
/// widget speaks, which may be the workspace's rather than the browser's.
pub fn speak_my_language(xhr: &XmlHttpRequest) -> bool {
    crate::i18n::chosen().is_none_or(|lang| xhr.set_request_header("Accept-Language", lang).is_ok())
}
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
    xhr(
        method,
        url,
        token,
        None,
        Box::new(move |answer| done(answer.map_or(Err(ApiError::Retry), |xhr| outcome(&xhr)))),
    );
}

/// A JS API call: `POST` `body` (JSON text) to `route` with the token. `done` gets the
/// status (0 when there was no answer) and the answer's JSON (`null` when unreadable).
/// Boxed, so every caller shares one copy of the request code.
pub fn post_json(
    route: Route,
    base: &str,
    key: &str,
    token: &str,
    body: &str,
    done: Box<dyn FnOnce(u16, wasm_bindgen::JsValue)>,
) {
    xhr(
        route.method,
        &route.url(base, key),
        Some(token),
        Some(body),
        Box::new(move |answer| match answer {
            Some(xhr) => {
                let json = xhr.response().ok().and_then(|r| wire::parse_json(&r).ok());
                done(xhr.status().unwrap_or(0), json.unwrap_or(wasm_bindgen::JsValue::NULL))
            }
            None => done(0, wasm_bindgen::JsValue::NULL),
        }),
    );
}

/// Sends one request; `done` runs once with the finished request (`None` when it could
/// not even be sent). Boxed: one copy of this code serves every caller.
fn xhr(
    method: &str,
    url: &str,
    token: Option<&str>,
    json: Option<&str>,
    done: Box<dyn FnOnce(Option<XmlHttpRequest>)>,
) {
    let Ok(xhr) = XmlHttpRequest::new() else {
        return done(None);
    };
    let headers_ok = xhr.open(method, url).is_ok()
        && token.is_none_or(|t| xhr.set_request_header(TOKEN_HEADER, t).is_ok())
        && json.is_none_or(|_| xhr.set_request_header("Content-Type", "application/json").is_ok())
        && speak_my_language(&xhr);
    if !headers_ok {
        return done(None);
    }
    xhr.set_timeout(TIMEOUT_MS);
    let target = xhr.clone();
    let on_end = Closure::<dyn FnMut()>::once_aborting(move || done(Some(target)));
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    // The handler frees itself after its one call; JS keeps it alive until then.
    let on_end = on_end.into_js_value();
    let sent = match json {
        Some(body) => xhr.send_with_opt_str(Some(body)),
        None => xhr.send(),
    };
    if sent.is_err() {
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
            let contact_id = body.as_ref().and_then(|b| wire::Json::field(b, "contact_id")).and_then(|v| v.as_f64());
            Ok(Session {
                token,
                workspace_name,
                contact_id: contact_id.map(|n| n as i64),
                prechat: body.as_ref().and_then(|b| wire::Json::field(b, "prechat")).filter(|f| f.is_object()),
                ask_email_after: body.as_ref().and_then(wire::ask_email_after),
            })
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
