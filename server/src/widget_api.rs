//! The widget's HTTP endpoints: the loader script, the wasm bundle, and issuing or
//! checking an anonymous visitor. Pages on origins the workspace did not list are refused.

use axum::Json;
use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parley_services::entities::workspace;
use parley_services::phrases::api_error;
use parley_services::{ServiceError, Services, visitors, workspaces};
use parley_types::{ErrorCode, phrase};

use crate::assets::{Encoding, WidgetFiles, preferred_encoding};
use crate::security::allow_origin;

/// The loader a host page includes with one script tag.
pub const LOADER_JS: &str = include_str!("../../widget/loader.js");

/// `/embed.js` as served: [`LOADER_JS`] pointing at the widget's current (content-hashed)
/// files, compressed once at start. Its own URL never changes, so browsers keep it only
/// five minutes: a new widget build reaches every host page that soon.
#[derive(Clone)]
pub struct Loader {
    identity: Bytes,
    brotli: Bytes,
    gzip: Bytes,
}

impl Loader {
    pub fn new(files: &WidgetFiles) -> Loader {
        let defaults = WidgetFiles::default();
        let js = slim(LOADER_JS)
            .replace(&format!("'{}'", defaults.js), &format!("'{}'", files.js))
            .replace(&format!("'{}'", defaults.wasm), &format!("'{}'", files.wasm))
            .replace(&format!("'{}'", defaults.recorder), &format!("'{}'", files.recorder))
            .into_bytes();
        // Compressing a few KB of static text cannot fail; fall back to identity if it does.
        let brotli = precompress::brotli(&js).unwrap_or_else(|_| js.clone());
        let gzip = precompress::gzip(&js).unwrap_or_else(|_| js.clone());
        Loader { identity: js.into(), brotli: brotli.into(), gzip: gzip.into() }
    }

    /// `GET /embed.js`, in the best encoding the page's browser accepts.
    pub fn respond(&self, headers: &HeaderMap) -> Response {
        let (body, encoding) = match preferred_encoding(headers) {
            Encoding::Brotli if self.brotli.len() < self.identity.len() => (self.brotli.clone(), Some("br")),
            Encoding::Gzip if self.gzip.len() < self.identity.len() => (self.gzip.clone(), Some("gzip")),
            _ => (self.identity.clone(), None),
        };
        let mut response = (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
                (header::VARY, "accept-encoding"),
            ],
            body,
        )
            .into_response();
        if let Some(encoding) = encoding {
            response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    }
}

/// The loader as sent: without its header comment, full-line `//` comments, indentation
/// and blank lines (the repository keeps them for people; host pages download every byte
/// on every page load). Lines stay lines, so automatic semicolons are unchanged.
pub fn slim(source: &str) -> String {
    let body = match source.trim_start().strip_prefix("/*").and_then(|rest| rest.split_once("*/")) {
        Some((_, after)) => after,
        None => source,
    };
    body.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An error as the widget receives it, with the widget's own wording for a refused
/// site and an unknown key.
pub fn error_response(err: ServiceError) -> Response {
    let api = match err {
        ServiceError::Forbidden => api_error(ErrorCode::Forbidden, phrase!("err-widget-site-refused")),
        ServiceError::NotFound => api_error(ErrorCode::NotFound, phrase!("err-widget-unknown-key")),
        other => other.into(),
    };
    crate::errors::error_response(api)
}

/// The workspace of `key`, if the request's `Origin` is one it allows.
pub async fn embedding_workspace(
    services: &Services,
    key: &str,
    headers: &HeaderMap,
) -> Result<(workspace::Model, String), ServiceError> {
    let ws = workspaces::find_by_public_key(&services.db, key).await?;
    let public_url = &services.config.public_url;
    let mut origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    // Parley's own pages (the landing chat) embed every workspace's widget. Browsers
    // leave `Origin` off same-origin GETs but say where the request comes from.
    if origin.is_empty() && headers.get("sec-fetch-site").is_some_and(|v| v == "same-origin") {
        origin = public_url.clone();
    }
    let own_page = crate::security::same_origin_value(&origin, headers, public_url);
    if !own_page && !workspaces::origin_allowed(&ws, &origin) {
        tracing::info!(workspace = ws.id, %origin, "refused widget from an origin that is not allowed");
        return Err(ServiceError::Forbidden);
    }
    Ok((ws, origin))
}

/// `GET /widget/v1/{key}/config`: how the widget looks (`parley_types::WidgetLook`), for
/// pages the workspace allows. Public: it holds nothing but what every visitor sees.
pub async fn get_config(State(services): State<Services>, Path(key): Path<String>, headers: HeaderMap) -> Response {
    let response = match embedding_workspace(&services, &key, &headers).await {
        Ok((ws, _)) => match parley_services::widget_config::look(&services.db, &ws).await {
            Ok(look) => Json(with_launcher_words(look)).into_response(),
            Err(err) => error_response(err),
        },
        Err(err) => error_response(err),
    };
    readable_by_caller(response, &headers)
}

/// The widget's catalogs other than English (built into the widget), by language code.
const LOCALES: [(&str, &str); 1] = [("es", include_str!("../../widget/locales/es.ftl"))];
/// The widget's English catalog.
const ENGLISH: &str = include_str!("../../widget/locales/en.ftl");

/// The look, with the launcher's name in each of the widget's languages (`open_chat`):
/// the loader names the launcher in the visitor's language before the widget has loaded.
fn with_launcher_words(look: parley_types::WidgetLook) -> serde_json::Value {
    let mut value = serde_json::to_value(look).unwrap_or_default();
    let words: serde_json::Map<String, serde_json::Value> = std::iter::once(("en", ENGLISH))
        .chain(LOCALES)
        .filter_map(|(lang, catalog)| Some((lang.to_owned(), catalog_text(catalog, "open-chat")?.into())))
        .collect();
    if let Some(object) = value.as_object_mut() {
        object.insert("open_chat".into(), words.into());
    }
    value
}

/// The text of a one-line message `id` of a Fluent catalog.
fn catalog_text<'a>(catalog: &'a str, id: &str) -> Option<&'a str> {
    catalog.lines().find_map(|line| line.strip_prefix(id)?.trim_start().strip_prefix('=').map(str::trim))
}

/// `GET /widget/v1/locales/{lang}`: the widget's words in `lang` (a Fluent catalog), which
/// a widget loads when it speaks a language other than English. Public and the same for
/// every workspace: any page may read it, and caches keep it for an hour.
pub async fn get_locale(Path(lang): Path<String>) -> Response {
    match LOCALES.iter().find(|(code, _)| *code == lang) {
        Some((_, catalog)) => {
            let mut response = (*catalog).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            response
        }
        None => {
            let refusal = api_error(ErrorCode::NotFound, phrase!("err-widget-no-language", lang = &lang));
            let mut refused = crate::errors::error_response(refusal);
            refused.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            refused
        }
    }
}

/// Lets the calling page read the response, errors included: a refused page should
/// learn why ("not allowed on this site") instead of seeing a network error. The answer
/// carries nothing but the refusal.
pub fn readable_by_caller(response: Response, headers: &HeaderMap) -> Response {
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => allow_origin(response, origin),
        None => response,
    }
}

/// The client's address: the connection's peer, or the client a trusted proxy names in
/// `X-Forwarded-For` (`PARLEY_TRUSTED_PROXIES`).
pub fn client_ip(services: &Services, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    services.config.client_ip(peer.ip(), Some(&forwarded.join(",")))
}

/// `POST /widget/v1/{key}/visitors`: issues a new anonymous visitor, a limited number
/// per client address (`PARLEY_NEW_VISITORS_PER_MINUTE`; 429 with `Retry-After` beyond).
pub async fn create_visitor(
    State(services): State<Services>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = services.limits.new_visitor(client_ip(&services, peer, &headers)) {
        return readable_by_caller(crate::errors::error_response(refused), &headers);
    }
    let response = match embedding_workspace(&services, &key, &headers).await {
        Ok((ws, _)) => match visitors::create_visitor(&services, &ws, device(&headers)).await {
            Ok(session) => Json(session).into_response(),
            Err(err) => error_response(err),
        },
        Err(err) => error_response(err),
    };
    readable_by_caller(response, &headers)
}

/// `POST /widget/v1/{key}/resume` (`{"link": "<token>"}`): the landing chat exchanges the
/// signed link from an email (`?resume=`) for a session as that contact. A link that is
/// forged, another workspace's or expired is a 401; issued tokens count against the same
/// per-address limit as new visitors.
pub async fn resume(
    State(services): State<Services>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = services.limits.new_visitor(client_ip(&services, peer, &headers)) {
        return readable_by_caller(crate::errors::error_response(refused), &headers);
    }
    let link = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["link"].as_str().map(str::to_owned))
        .unwrap_or_default();
    let response = match embedding_workspace(&services, &key, &headers).await {
        Ok((ws, _)) => match parley_services::conversations::resume(&services, &ws, &link).await {
            Ok(session) => Json(session).into_response(),
            Err(ServiceError::Unauthorized) => {
                crate::errors::error_response(api_error(ErrorCode::Unauthorized, phrase!("err-widget-link-expired")))
            }
            Err(err) => error_response(err),
        },
        Err(err) => error_response(err),
    };
    readable_by_caller(response, &headers)
}

/// The browser, OS and language a request's headers name.
fn device(headers: &HeaderMap) -> visitors::Device {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    visitors::Device::from_headers(text(header::USER_AGENT), text(header::ACCEPT_LANGUAGE))
}

/// The header that carries the visitor token on HTTP requests. Tokens never travel in
/// a URL, where proxies and servers log them.
pub const TOKEN_HEADER: &str = "x-parley-token";
/// The subprotocol of the visitor socket; the browser offers the token beside it as
/// `token.<token>` (WebSocket handshakes cannot carry other headers from a browser).
pub const SOCKET_PROTOCOL: &str = "parley.v1";

/// The visitor token of an HTTP request, from [`TOKEN_HEADER`].
pub fn header_token(headers: &HeaderMap) -> Option<String> {
    headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// The visitor token offered in a socket handshake's `Sec-WebSocket-Protocol`.
pub fn protocol_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|p| p.trim().strip_prefix("token."))
        .map(str::to_owned)
}

/// The language the widget offered in the handshake (`lang.es`), as one of the widget's
/// language codes; English when it offered none the server knows.
pub fn protocol_lang(headers: &HeaderMap) -> &'static str {
    let offered = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|p| p.trim().strip_prefix("lang."))
        .unwrap_or_default();
    parley_types::WIDGET_LANGUAGES
        .iter()
        .map(|(code, _)| *code)
        .find(|code| !code.is_empty() && *code == offered)
        .unwrap_or("en")
}

/// `GET /widget/v1/{key}/session` with the token in `X-Parley-Token`: checks a stored
/// token (401 if unknown or missing).
pub async fn get_session(State(services): State<Services>, Path(key): Path<String>, headers: HeaderMap) -> Response {
    let response = match embedding_workspace(&services, &key, &headers).await {
        Ok((ws, _)) => match find_visitor_by(&services, &ws, header_token(&headers)).await {
            Ok((contact, token)) => match visitors::session(&services.db, &ws, &contact, token).await {
                Ok(session) => Json(session).into_response(),
                Err(err) => error_response(err),
            },
            Err(err) => error_response(err),
        },
        Err(err) => error_response(err),
    };
    readable_by_caller(response, &headers)
}

/// The visitor a token belongs to in `ws`; a missing token is `Unauthorized`.
pub async fn find_visitor_by(
    services: &Services,
    ws: &workspace::Model,
    token: Option<String>,
) -> Result<(parley_services::entities::contact::Model, String), ServiceError> {
    let token = token.ok_or(ServiceError::Unauthorized)?;
    let contact = visitors::find_visitor(&services.db, parley_types::WorkspaceId(ws.id), &token).await?;
    Ok((contact, token))
}

/// `OPTIONS` on widget endpoints: a CORS preflight, answered for allowed origins only.
pub async fn preflight(State(services): State<Services>, Path(key): Path<String>, headers: HeaderMap) -> Response {
    preflight_for(&services, &key, &headers).await
}

/// [`preflight`] for a path with more than the key in it.
pub async fn preflight_any(
    State(services): State<Services>,
    Path((key, _)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    preflight_for(&services, &key, &headers).await
}

async fn preflight_for(services: &Services, key: &str, headers: &HeaderMap) -> Response {
    match embedding_workspace(services, key, headers).await {
        Ok((_, origin)) => {
            let mut response = StatusCode::NO_CONTENT.into_response();
            let h = response.headers_mut();
            h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, header::HeaderValue::from_static("GET, POST"));
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                header::HeaderValue::from_static("content-type, x-parley-token, x-parley-filename, x-parley-voice"),
            );
            h.insert(header::ACCESS_CONTROL_MAX_AGE, header::HeaderValue::from_static("600"));
            allow_origin(response, &origin)
        }
        Err(err) => error_response(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn loader_body(loader: &Loader, accept: Option<&'static str>) -> (Option<String>, Vec<u8>) {
        let mut headers = HeaderMap::new();
        if let Some(accept) = accept {
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(accept));
        }
        let response = loader.respond(&headers);
        let encoding = response.headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_owned());
        let body = match encoding.as_deref() {
            Some("br") => loader.brotli.to_vec(),
            Some("gzip") => loader.gzip.to_vec(),
            _ => loader.identity.to_vec(),
        };
        (encoding, body)
    }

    #[test]
    fn the_loader_names_the_hashed_widget_files_in_every_encoding() {
        let files = WidgetFiles {
            js: "widget-0123abcd.js".into(),
            wasm: "widget_bg-4567ef89.wasm".into(),
            recorder: "recorder-89ab.js".into(),
        };
        let loader = Loader::new(&files);
        let text = String::from_utf8(loader.identity.to_vec()).unwrap();
        assert!(text.contains("'widget-0123abcd.js'") && text.contains("'widget_bg-4567ef89.wasm'"), "{text}");
        assert!(text.contains("'recorder-89ab.js'"), "{text}");
        assert!(!text.contains("'widget.js'") && !text.contains("'widget_bg.wasm'") && !text.contains("'recorder.js'"));

        let (encoding, br) = loader_body(&loader, Some("gzip, deflate, br"));
        assert_eq!(encoding.as_deref(), Some("br"));
        let mut back = Vec::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut back).unwrap();
        assert_eq!(back, loader.identity.to_vec());

        let (encoding, gz) = loader_body(&loader, Some("gzip"));
        assert_eq!(encoding.as_deref(), Some("gzip"));
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, loader.identity.to_vec());

        assert_eq!(loader_body(&loader, None).0, None);
    }

    #[test]
    fn without_a_manifest_the_loader_is_served_as_written_without_comments() {
        let served = Loader::new(&WidgetFiles::default()).identity;
        assert_eq!(served, slim(LOADER_JS).as_bytes());
        let text = String::from_utf8(served.to_vec()).unwrap();
        assert!(text.starts_with("(() => {") && text.ends_with("})();"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("//") || l.starts_with(' ')), "{text}");
        assert!(text.len() * 10 < LOADER_JS.len() * 8, "{} of {} bytes", text.len(), LOADER_JS.len());
        // Code that only looks like a comment stays: a regular expression and a URL.
        assert!(text.contains(r"/^https:\/\//") && text.contains("'parley:' + key"));
    }
}
