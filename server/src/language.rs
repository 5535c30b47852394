//! The language each page of the operator app is rendered in: the signed-in member's own
//! choice (profile), else their workspace's (General settings), else the first language of
//! the browser's `Accept-Language` that the app speaks, else English. The page says it in
//! `<html lang>`, which the browser reads back before hydrating (`app::i18n`).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{Method, header};
use tower_sessions::Session;

use app::i18n::Lang;
use parley_services::Member;
use parley_services::auth::{ChosenWorkspace, SignedIn, member_from_session, page_language};

use crate::AppState;

/// Puts the page's [`Lang`] on a page request (a GET that accepts HTML) for the renderer,
/// with the member the session is signed in as ([`SignedIn`], so the render does not look
/// them up again).
pub async fn choose(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let page = request.method() == Method::GET
        && request.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if page {
        let (browser, session, chosen) = facts(&request);
        // `None` when the lookup failed: the render looks again and reports it.
        let signed_in = match session {
            Some(session) => match member_from_session(&state.services, &session, chosen.as_ref()).await {
                Ok(member) => Some(SignedIn(member)),
                Err(err) => {
                    tracing::warn!("page member: {err}");
                    None
                }
            },
            None => Some(SignedIn(None)),
        };
        let language = match signed_in.as_ref().and_then(|signed_in| signed_in.0.as_ref()) {
            Some(member) => member_language(&state, member).await,
            None => None,
        };
        if let Some(signed_in) = signed_in {
            request.extensions_mut().insert(signed_in);
        }
        request.extensions_mut().insert(language.unwrap_or(browser));
    }
    next.run(request).await
}

/// The browser's language, and the session and workspace the request carries (taken out of
/// the request: its body cannot be held across an await).
fn facts(request: &Request) -> (Lang, Option<Session>, Option<ChosenWorkspace>) {
    let browser = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or_default();
    (browser, request.extensions().get::<Session>().cloned(), request.extensions().get::<ChosenWorkspace>().cloned())
}

async fn member_language(state: &AppState, member: &Member) -> Option<Lang> {
    match page_language(&state.services, member).await {
        Ok(code) => Lang::parse(&code),
        Err(err) => {
            tracing::warn!("page language: {err}");
            None
        }
    }
}
