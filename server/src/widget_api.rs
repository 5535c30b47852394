//! The widget's HTTP endpoints: the loader script, the wasm bundle, and issuing or
//! checking an anonymous visitor. Pages on origins the workspace did not list are refused.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use parley_services::entities::workspace;
use parley_services::{ServiceError, Services, visitors, workspaces};
use parley_types::WidgetSession;
use serde::Deserialize;

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
        let js = LOADER_JS
            .replace(&format!("'{}'", defaults.js), &format!("'{}'", files.js))
            .replace(&format!("'{}'", defaults.wasm), &format!("'{}'", files.wasm))
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

/// An error as the widget receives it: `{"error": "...", "message": "..."}`.
pub fn error_response(err: ServiceError) -> Response {
    let (status, code) = match &err {
        ServiceError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        ServiceError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
        ServiceError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        ServiceError::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid"),
        ServiceError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        ServiceError::TooManyAttempts { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
        ServiceError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    };
    let message = match &err {
        ServiceError::Forbidden => "This site is not allowed to embed this chat.".to_owned(),
        ServiceError::NotFound => "Unknown widget key.".to_owned(),
        other => other.to_string(),
    };
    (status, Json(serde_json::json!({ "error": code, "message": message }))).into_response()
}

/// The workspace of `key`, if the request's `Origin` is one it allows.
pub async fn embedding_workspace(
    services: &Services,
    key: &str,
    headers: &HeaderMap,
) -> Result<(workspace::Model, String), ServiceError> {
    let ws = workspaces::find_by_public_key(&services.db, key).await?;
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if !workspaces::origin_allowed(&ws, &origin) {
        tracing::info!(workspace = ws.id, %origin, "refused widget from an origin that is not allowed");
        return Err(ServiceError::Forbidden);
    }
    Ok((ws, origin))
}

/// Lets the calling page read the response, errors included: a refused page should
/// learn why ("not allowed on this site") instead of seeing a network error. The answer
/// carries nothing but the refusal.
fn readable_by_caller(response: Response, headers: &HeaderMap) -> Response {
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => allow_origin(response, origin),
        None => response,
    }
}

/// `POST /widget/v1/{key}/visitors`: issues a new anonymous visitor.
pub async fn create_visitor(State(services): State<Services>, Path(key): Path<String>, headers: HeaderMap) -> Response {
    let response = match embedding_workspace(&services, &key, &headers).await {
        Ok((ws, _)) => match visitors::create_visitor(&services.db, &ws).await {
            Ok(session) => Json(session).into_response(),
            Err(err) => error_response(err),
        },
        Err(err) => error_response(err),
    };
    readable_by_caller(response, &headers)
}

/// The `?token=` of widget requests.
#[derive(Deserialize)]
pub struct TokenQuery {
    pub token: String,
}

/// `GET /widget/v1/{key}/session?token=`: checks a stored token (401 if unknown).
pub async fn get_session(
    State(services): State<Services>,
    Path(key): Path<String>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
) -> Response {
    let response = match embedding_workspace(&services, &key, &headers).await {
        Ok((ws, _)) => match visitors::find_visitor(&services.db, parley_types::WorkspaceId(ws.id), &q.token).await {
            Ok(contact) => Json(WidgetSession {
                token: q.token,
                contact_id: parley_types::ContactId(contact.id),
                workspace_name: ws.name,
            })
            .into_response(),
            Err(err) => error_response(err),
        },
        Err(err) => error_response(err),
    };
    readable_by_caller(response, &headers)
}

/// `OPTIONS` on widget endpoints: a CORS preflight, answered for allowed origins only.
pub async fn preflight(State(services): State<Services>, Path(key): Path<String>, headers: HeaderMap) -> Response {
    match embedding_workspace(&services, &key, &headers).await {
        Ok((_, origin)) => {
            let mut response = StatusCode::NO_CONTENT.into_response();
            let h = response.headers_mut();
            h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, header::HeaderValue::from_static("GET, POST"));
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, header::HeaderValue::from_static("content-type"));
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
        let files = WidgetFiles { js: "widget-0123abcd.js".into(), wasm: "widget_bg-4567ef89.wasm".into() };
        let loader = Loader::new(&files);
        let text = String::from_utf8(loader.identity.to_vec()).unwrap();
        assert!(text.contains("'widget-0123abcd.js'") && text.contains("'widget_bg-4567ef89.wasm'"), "{text}");
        assert!(!text.contains("'widget.js'") && !text.contains("'widget_bg.wasm'"));

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
    fn without_a_manifest_the_loader_is_served_as_written() {
        assert_eq!(Loader::new(&WidgetFiles::default()).identity, LOADER_JS.as_bytes());
    }
}
