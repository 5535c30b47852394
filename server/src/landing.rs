//! `GET /chat/{key}`: the landing chat, a full page Parley serves for a workspace, to link
//! to from anywhere (an email, a QR code, a social profile). Its title, logo and
//! background come from the widget settings; the chat itself is the widget in form-chat
//! mode, filling the page's `<div data-parley-chat>`.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use parley_services::conversations::escape_html;
use parley_services::{Services, widget_config, workspaces};

/// `?resume=<token>`: the signed link of an email about unseen replies; the loader
/// exchanges it for a session as the contact (`widget_api::resume`).
#[derive(serde::Deserialize)]
pub struct LandingQuery {
    #[serde(default)]
    resume: String,
}

/// The page, or a plain "not found" page for an unknown key.
pub async fn landing_page(
    State(services): State<Services>,
    Path(key): Path<String>,
    Query(query): Query<LandingQuery>,
) -> Response {
    let ws = match workspaces::find_by_public_key(&services.db, &key).await {
        Ok(ws) => ws,
        Err(parley_services::ServiceError::NotFound) => {
            return (
                StatusCode::NOT_FOUND,
                Html("<!doctype html><title>Not found</title><p>There is no chat here.</p>"),
            )
                .into_response();
        }
        Err(err) => return crate::errors::error_response(parley_types::ApiError::from(err)),
    };
    let look = match widget_config::look(&services.db, &ws).await {
        Ok(look) => look,
        Err(err) => return crate::errors::error_response(parley_types::ApiError::from(err)),
    };
    let nonce = parley_services::tokens::random_token(16);
    let public_url = services.config.public_url.trim_end_matches('/');
    let config = &look.config;
    let title = if config.landing_title.is_empty() { &look.title } else { &config.landing_title };
    let logo = if config.landing_logo.is_empty() {
        String::new()
    } else {
        format!(r#"<img class="logo" src="{}" alt="">"#, escape_html(&config.landing_logo))
    };
    // Colours are `#rrggbb` (checked when saved), so they go into the style as they are.
    let html = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="/favicon.svg">
<style nonce="{nonce}">
html,body{{height:100%;margin:0}}
body{{display:flex;flex-direction:column;align-items:center;background:{background};font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328}}
header{{display:flex;align-items:center;gap:12px;width:100%;max-width:720px;box-sizing:border-box;padding:20px 16px 12px}}
.logo{{max-height:40px;max-width:160px}}
h1{{margin:0;font-size:22px}}
main{{flex:1;display:flex;width:100%;max-width:720px;box-sizing:border-box;padding:0 16px 20px;min-height:0}}
main>[data-parley-chat]{{flex:1;min-height:420px;border-radius:14px;overflow:hidden;box-shadow:0 8px 30px rgba(0,0,0,.12)}}
</style>
</head>
<body>
<header>{logo}<h1>{title}</h1></header>
<main><div data-parley-chat aria-label="Chat"></div></main>
<script async src="{public_url}/embed.js" data-parley-key="{key}"{resume}></script>
</body>
</html>
"#,
        title = escape_html(title),
        background = config.landing_background,
        key = escape_html(&ws.public_key),
        resume = if query.resume.is_empty() {
            String::new()
        } else {
            format!(r#" data-parley-resume="{}""#, escape_html(&query.resume))
        },
    );
    let socket_origin = public_url.replacen("http", "ws", 1);
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'nonce-{nonce}'; \
         img-src 'self' https: blob:; media-src blob:; connect-src 'self' {socket_origin}; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    let mut response = Html(html).into_response();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}
