//! Workspace addresses: `/w/{slug}/…` names the workspace a browser tab works in, so two
//! tabs can show two workspaces of one signed-in user. Every request under such an address
//! carries the [`ChosenWorkspace`]; the member's endpoints below it (server functions, the
//! operator socket, attachments, transcripts, exports and imports) are answered by the same
//! handlers as without the prefix, which is stripped before routing. Pages keep their
//! address: the app's router reads the slug from it.

use axum::extract::{FromRequestParts, Request};
use http::request::Parts;
use parley_services::auth::{self, ChosenWorkspace};
use parley_services::{Member, ServiceResult, Services};
use tower_sessions::Session;

/// The address prefix of a workspace.
pub const PREFIX: &str = "/w/";

/// Paths under a workspace's address that are endpoints rather than pages.
const ENDPOINTS: [&str; 6] = ["/api/", "/ws/", "/attachments", "/transcripts/", "/exports/", "/imports/"];

/// `/w/{slug}{rest}` → (`slug`, `rest`); `rest` is empty or starts with `/`.
pub fn split(path: &str) -> Option<(&str, &str)> {
    let after = path.strip_prefix(PREFIX)?;
    let (slug, rest) = after.find('/').map_or((after, ""), |at| after.split_at(at));
    (!slug.is_empty()).then_some((slug, rest))
}

/// Marks a request under a workspace's address with the workspace it chose, and sends its
/// endpoint requests to the unprefixed routes. Runs before routing.
pub fn choose(mut request: Request) -> Request {
    let path = request.uri().path();
    let Some((slug, rest)) = split(path) else { return request };
    let Ok(slug) = percent_decode(slug) else { return request };
    let endpoint = ENDPOINTS.iter().any(|prefix| rest.starts_with(prefix) || rest == prefix.trim_end_matches('/'));
    if endpoint {
        let rest = rest.to_owned();
        let mut parts = request.uri().clone().into_parts();
        let path_and_query = match request.uri().query() {
            Some(query) => format!("{rest}?{query}"),
            None => rest,
        };
        if let Ok(rewritten) = path_and_query.parse() {
            parts.path_and_query = Some(rewritten);
            if let Ok(uri) = http::Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
    }
    request.extensions_mut().insert(ChosenWorkspace(slug));
    request
}

/// A member endpoint's session with the workspace its request chose: `member` is the one
/// lookup of who is signed in, the same one server functions use.
pub struct MemberSession {
    pub session: Session,
    pub chosen: Option<ChosenWorkspace>,
}

impl MemberSession {
    /// The signed-in member in the chosen workspace, if any.
    pub async fn member(&self, services: &Services) -> ServiceResult<Option<Member>> {
        auth::member_from_session(services, &self.session, self.chosen.as_ref()).await
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MemberSession {
    type Rejection = <Session as FromRequestParts<S>>::Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state).await?;
        Ok(Self { session, chosen: parts.extensions.get::<ChosenWorkspace>().cloned() })
    }
}

/// Workspace slugs are lowercase letters, digits and dashes; anything else in the address
/// is refused by the lookup, but an escaped one is still read as written.
fn percent_decode(raw: &str) -> Result<String, ()> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = raw.get(at + 1..at + 3).ok_or(())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(uri: &str) -> (String, Option<String>) {
        let request = choose(Request::builder().uri(uri).body(axum::body::Body::empty()).unwrap());
        (request.uri().to_string(), request.extensions().get::<ChosenWorkspace>().map(|c| c.0.clone()))
    }

    #[test]
    fn endpoints_lose_the_prefix_and_keep_the_choice() {
        assert_eq!(chosen("/w/acme/api/list_conversations"), ("/api/list_conversations".into(), Some("acme".into())));
        assert_eq!(chosen("/w/acme/ws/operator"), ("/ws/operator".into(), Some("acme".into())));
        assert_eq!(
            chosen("/w/acme/attachments?conversation=4"),
            ("/attachments?conversation=4".into(), Some("acme".into()))
        );
        assert_eq!(chosen("/w/acme/attachments/9"), ("/attachments/9".into(), Some("acme".into())));
        assert_eq!(
            chosen("/w/b-2/exports/audit.csv?action=x"),
            ("/exports/audit.csv?action=x".into(), Some("b-2".into()))
        );
    }

    #[test]
    fn pages_keep_their_address() {
        assert_eq!(chosen("/w/acme/inbox/4"), ("/w/acme/inbox/4".into(), Some("acme".into())));
        assert_eq!(chosen("/w/acme"), ("/w/acme".into(), Some("acme".into())));
        assert_eq!(chosen("/w/acme/apiary"), ("/w/acme/apiary".into(), Some("acme".into())));
    }

    #[test]
    fn other_addresses_choose_nothing() {
        assert_eq!(chosen("/inbox"), ("/inbox".into(), None));
        assert_eq!(chosen("/w/"), ("/w/".into(), None));
        assert_eq!(chosen("/api/login"), ("/api/login".into(), None));
        assert_eq!(chosen("/what/acme/api/x"), ("/what/acme/api/x".into(), None));
    }
}
