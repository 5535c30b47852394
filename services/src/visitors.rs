//! Widget visitors: each browser holds a bearer token (only its SHA-256 is stored, in
//! `visitor_tokens`) that names a contact. A new visitor is a "guest" contact; several
//! browsers may name the same contact once the customer's site identifies the person
//! (`contacts::identity`).

use parley_types::{ContactId, WidgetSession, WorkspaceId};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set};

use crate::Services;
use crate::access::{Actor, Scope, Visitor};
use crate::clock::now_ms;
use crate::entities::{contact, visitor_token, workspace};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::tokens::{random_token, token_digest};
use crate::write::Write;

/// What a browser tells about itself when a visitor starts: from its `User-Agent` and
/// `Accept-Language` headers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Device {
    pub browser: Option<String>,
    pub os: Option<String>,
    pub language: Option<String>,
}

impl Device {
    /// Reads the browser and OS names from a `User-Agent` and the first language of an
    /// `Accept-Language` header (unknown or malformed values are left out).
    pub fn from_headers(user_agent: Option<&str>, accept_language: Option<&str>) -> Device {
        let ua = user_agent.unwrap_or_default();
        let browser = [
            ("Edg/", "Edge"),
            ("OPR/", "Opera"),
            ("SamsungBrowser/", "Samsung Internet"),
            ("Firefox/", "Firefox"),
            ("FxiOS/", "Firefox"),
            ("CriOS/", "Chrome"),
            ("Chrome/", "Chrome"),
            ("Chromium/", "Chromium"),
            ("Safari/", "Safari"),
        ]
        .iter()
        .find(|(marker, _)| ua.contains(marker))
        .map(|(_, name)| (*name).to_owned());
        let os = [
            ("iPhone", "iOS"),
            ("iPad", "iPadOS"),
            ("Android", "Android"),
            ("CrOS", "ChromeOS"),
            ("Windows", "Windows"),
            ("Mac OS X", "macOS"),
            ("Macintosh", "macOS"),
            ("Linux", "Linux"),
        ]
        .iter()
        .find(|(marker, _)| ua.contains(marker))
        .map(|(_, name)| (*name).to_owned());
        let first = accept_language.unwrap_or_default().split(',').next().unwrap_or_default();
        let tag = first.split(';').next().unwrap_or_default().trim();
        let language = (tag != "*").then(|| crate::contacts::check::language(tag).ok().flatten()).flatten();
        Device { browser, os, language }
    }
}

/// Issues a new anonymous visitor in `ws`, the workspace of a widget key whose page
/// origin the caller has checked. Anyone on an allowed site may become a visitor.
pub async fn create_visitor(svc: &Services, ws: &workspace::Model, device: Device) -> ServiceResult<WidgetSession> {
    let mut w = svc.begin().await?;
    let (contact, token) = new_contact(&mut w, Scope::unchecked(WorkspaceId(ws.id)), device, None).await?;
    w.commit().await?;
    session(&svc.db, ws, &contact, token).await
}

/// The session the widget holding `token` gets: who it is, and the lead forms this
/// visitor should see.
pub async fn session(
    db: &impl ConnectionTrait,
    ws: &workspace::Model,
    contact: &contact::Model,
    token: String,
) -> ServiceResult<WidgetSession> {
    let (prechat, ask_email_after_secs) = crate::contacts::lead_form::visitor_forms(db, ws, contact).await?;
    Ok(WidgetSession {
        token,
        contact_id: ContactId(contact.id),
        workspace_name: ws.name.clone(),
        prechat,
        ask_email_after_secs,
    })
}

/// A new guest contact in `w` with a token for this browser; `identity` gives it an
/// external id (verified or not) from the start.
pub(crate) async fn new_contact(
    w: &mut Write,
    scope: Scope,
    device: Device,
    identity: Option<(&str, bool)>,
) -> ServiceResult<(contact::Model, String)> {
    let token = random_token(32);
    let now = now_ms();
    let kind = match identity {
        Some((_, true)) => parley_types::ContactKind::Customer,
        _ => parley_types::ContactKind::Guest,
    };
    let contact = contact::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        kind: Set(kind.as_str().into()),
        name: Set(format!("Guest {}", &token_digest(&token)[..4].to_uppercase())),
        // The first browser's token, kept for the column's uniqueness; lookups go through
        // `visitor_tokens`.
        visitor_token_hash: Set(token_digest(&token)),
        created_at_ms: Set(now),
        last_seen_at_ms: Set(now),
        browser: Set(device.browser),
        os: Set(device.os),
        language: Set(device.language),
        external_id: Set(identity.map(|(id, _)| id.to_owned())),
        verified: Set(identity.is_some_and(|(_, verified)| verified)),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    add_token(w, scope, contact.id, &token).await?;
    w.record(scope.workspace_id(), DomainEvent::VisitorCreated { contact_id: ContactId(contact.id) });
    Ok((contact, token))
}

/// Lets the browser holding `token` act as contact `contact_id`.
pub(crate) async fn add_token(w: &Write, scope: Scope, contact_id: i64, token: &str) -> ServiceResult<()> {
    visitor_token::ActiveModel {
        token_hash: Set(token_digest(token)),
        workspace_id: Set(scope.workspace_id().0),
        contact_id: Set(contact_id),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    Ok(())
}

/// The visitor a token belongs to, in this workspace only.
pub async fn find_visitor(
    db: &impl ConnectionTrait,
    workspace_id: WorkspaceId,
    token: &str,
) -> ServiceResult<contact::Model> {
    let scope = Scope::unchecked(workspace_id);
    let row = scope
        .find::<visitor_token::Entity>()
        .filter(visitor_token::Column::TokenHash.eq(token_digest(token)))
        .one(db)
        .await?
        .ok_or(ServiceError::Unauthorized)?;
    scope
        .find::<contact::Entity>()
        .filter(contact::Column::Id.eq(row.contact_id))
        .one(db)
        .await?
        .ok_or(ServiceError::Unauthorized)
}

/// The actor for a visitor found by [`find_visitor`].
pub fn actor(contact: &contact::Model) -> Actor {
    Actor::Visitor(Visitor { contact_id: ContactId(contact.id), workspace_id: WorkspaceId(contact.workspace_id) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_systems_and_languages_are_read_from_headers() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1";
        let edge =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0";
        let d = Device::from_headers(Some(chrome), Some("de-AT,de;q=0.9,en;q=0.8"));
        assert_eq!(
            (d.browser.as_deref(), d.os.as_deref(), d.language.as_deref()),
            (Some("Chrome"), Some("Windows"), Some("de-AT"))
        );
        let d = Device::from_headers(Some(safari), Some("*"));
        assert_eq!((d.browser.as_deref(), d.os.as_deref(), d.language), (Some("Safari"), Some("iOS"), None));
        let d = Device::from_headers(Some(edge), Some("<script>"));
        assert_eq!((d.browser.as_deref(), d.os.as_deref(), d.language), (Some("Edge"), Some("macOS"), None));
        assert_eq!(Device::from_headers(None, None), Device::default());
    }
}
