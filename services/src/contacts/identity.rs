//! Who a widget visitor is, as the customer's site says through the widget's JS API:
//! `setUser(id, attrs, hash)` with `hash` the hex HMAC-SHA256 of `id` under the
//! workspace's identity secret (made by the customer's server), `setAttributes`,
//! `setLabels` and `track`. A verified id makes a customer and merges the guest into the
//! known contact; an unverified one (allowed only while verification is not required)
//! never reaches a verified contact; a different id in the same browser starts a new
//! visitor token, so the next person on a shared computer sees nothing of the last. A
//! typed email never merges: it flags a possible duplicate for an operator.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use parley_types::{Capability, ContactId, ContactKind, FieldError, IdentitySettings, LabelId, OperatorEvent, phrase};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::Sha256;

use super::commands::{announce, kind_after};
use super::fields::{self, Writer};
use super::{check, merge::merge_into, row_in};
use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{contact, contact_event, label, workspace};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::visitors::{Device, add_token, new_contact};
use crate::write::Write;

/// Longest external id, in characters.
pub const MAX_EXTERNAL_ID: usize = 255;
/// Longest tracked action name, in characters.
pub const MAX_EVENT_NAME: usize = 100;
/// Largest tracked action data, as JSON bytes.
pub const MAX_EVENT_DATA: usize = 2_048;

/// What `setUser` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identified {
    /// A new token for this browser when it now speaks for another person (a different
    /// id than before): the widget replaces its own and starts afresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    pub contact_id: ContactId,
    pub verified: bool,
    pub kind: ContactKind,
    /// Attributes that were not applied, each with why.
    #[serde(default)]
    pub rejected: Vec<FieldError>,
}

/// Whether `hash` (hex) is the HMAC-SHA256 of `id` under `secret`, compared in constant
/// time (`verify_slice`).
pub fn verify(secret: &str, id: &str, hash: &str) -> bool {
    let (Ok(expected), false) = (hex::decode(hash.trim()), secret.is_empty()) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(id.as_bytes());
    mac.verify_slice(&expected).is_ok()
}

/// The hash a customer's server computes for `id` (for tests and the settings page's
/// example).
pub fn sign(secret: &str, id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(id.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    hex::encode(bytes)
}

async fn workspace_row(w: &Write, scope: Scope) -> ServiceResult<workspace::Model> {
    crate::workspaces::get(w.txn(), scope).await
}

/// The identity secret (made on first look) and whether verification is required.
/// Needs `manage contacts`.
pub async fn identity_settings(svc: &Services, actor: &Actor) -> ServiceResult<IdentitySettings> {
    let scope = actor.require(Capability::ManageContacts)?;
    let mut w = svc.begin().await?;
    let ws = workspace_row(&w, scope).await?;
    if !ws.identity_secret.is_empty() {
        return Ok(IdentitySettings { secret: ws.identity_secret, require_verification: ws.require_verification });
    }
    let settings = store(&mut w, ws, Some(new_secret()), None).await?;
    w.commit().await?;
    Ok(settings)
}

/// Replaces the identity secret: hashes made with the old one stop verifying. Needs
/// `manage contacts`.
pub async fn rotate_identity_secret(svc: &Services, actor: &Actor) -> ServiceResult<IdentitySettings> {
    let scope = actor.require(Capability::ManageContacts)?;
    let mut w = svc.begin().await?;
    let ws = workspace_row(&w, scope).await?;
    let settings = store(&mut w, ws, Some(new_secret()), None).await?;
    w.audit(actor, parley_types::AuditAction::SecretRotated, "identity secret", serde_json::Value::Null).await?;
    w.commit().await?;
    Ok(settings)
}

/// Requires a valid hash on every `setUser` (or not). Needs `manage contacts`.
pub async fn set_require_verification(svc: &Services, actor: &Actor, on: bool) -> ServiceResult<IdentitySettings> {
    let scope = actor.require(Capability::ManageContacts)?;
    let mut w = svc.begin().await?;
    let ws = workspace_row(&w, scope).await?;
    let before = ws.require_verification;
    let secret = ws.identity_secret.is_empty().then(new_secret);
    let settings = store(&mut w, ws, secret, Some(on)).await?;
    let (before, after) = (json!({ "require_verification": before }), json!({ "require_verification": on }));
    w.audit_change(actor, "identity verification", before, after).await?;
    w.commit().await?;
    Ok(settings)
}

async fn store(
    w: &mut Write,
    ws: workspace::Model,
    secret: Option<String>,
    require: Option<bool>,
) -> ServiceResult<IdentitySettings> {
    let mut active: workspace::ActiveModel = ws.into();
    if let Some(secret) = secret {
        active.identity_secret = Set(secret);
    }
    if let Some(on) = require {
        active.require_verification = Set(on);
    }
    let ws = active.update(w.txn()).await?;
    Ok(IdentitySettings { secret: ws.identity_secret, require_verification: ws.require_verification })
}

/// `setUser(id, attrs, hash)` from the widget of the visitor `actor`. Refused (403,
/// nothing changes) when the hash does not verify, or when verification is required and
/// no hash came.
pub async fn identify(
    svc: &Services,
    actor: &Actor,
    id: &str,
    hash: Option<&str>,
    attributes: &BTreeMap<String, serde_json::Value>,
) -> ServiceResult<Identified> {
    let scope = actor.require(Capability::ChatAsVisitor)?;
    let visitor = actor.visitor()?;
    let id = id.trim();
    if id.is_empty() || id.chars().count() > MAX_EXTERNAL_ID || id.chars().any(char::is_control) {
        return Err(ServiceError::Invalid(phrase!("err-contacts-user-id", max = MAX_EXTERNAL_ID)));
    }
    let mut w = svc.begin().await?;
    let ws = workspace_row(&w, scope).await?;
    let verified = match hash.map(str::trim).filter(|h| !h.is_empty()) {
        Some(hash) if verify(&ws.identity_secret, id, hash) => true,
        Some(_) => {
            tracing::info!(workspace = ws.id, "refused setUser: the hash does not verify");
            return Err(ServiceError::Refused(phrase!("err-contacts-user-hash-mismatch")));
        }
        None if ws.require_verification => {
            return Err(ServiceError::Refused(phrase!("err-contacts-user-hash-required")));
        }
        None => false,
    };
    let current = row_in(w.txn(), scope, visitor.contact_id).await?;
    let known = scope
        .find::<contact::Entity>()
        .filter(contact::Column::ExternalId.eq(id))
        .filter(contact::Column::Verified.eq(verified))
        .one(w.txn())
        .await?;
    let (target, token) = match (&current.external_id, known) {
        // Already this person.
        (Some(mine), _) if mine == id && current.verified == verified => (current, None),
        // Another person in this browser: a new token for them; the last person's
        // conversations stay with the last person.
        (Some(_), known) => {
            let device = Device { browser: current.browser.clone(), os: current.os.clone(), language: None };
            match known {
                Some(known) => {
                    let token = crate::tokens::random_token(32);
                    add_token(&w, scope, known.id, &token).await?;
                    (known, Some(token))
                }
                None => {
                    let (row, token) = new_contact(&mut w, scope, device, Some((id, verified))).await?;
                    (row, Some(token))
                }
            }
        }
        // The anonymous guest is a known person: everything of the guest joins them.
        (None, Some(known)) => (merge_into(&mut w, scope, known, current).await?, None),
        // The guest gets the id.
        (None, None) => {
            let mut active: contact::ActiveModel = current.clone().into();
            active.external_id = Set(Some(id.to_owned()));
            active.verified = Set(verified);
            if verified {
                active.kind = Set(ContactKind::Customer.as_str().to_owned());
            }
            (active.update(w.txn()).await?, None)
        }
    };
    // A verified id makes a customer of a contact that was not one.
    let target = if verified && target.kind != ContactKind::Customer.as_str() {
        let mut active: contact::ActiveModel = target.into();
        active.kind = Set(ContactKind::Customer.as_str().to_owned());
        active.update(w.txn()).await?
    } else {
        target
    };
    let (target, rejected) = apply_attributes(&mut w, scope, target, attributes).await?;
    let contact_id = ContactId(target.id);
    w.record(scope.workspace_id(), DomainEvent::ContactIdentified { contact_id, verified });
    let kind = target.kind.parse().unwrap_or(ContactKind::Guest);
    announce(&mut w, scope, target, true, false).await?;
    w.commit().await?;
    Ok(Identified { token, contact_id, verified, kind, rejected })
}

/// `setAttributes({..})` from the visitor's widget: the basic fields (name, email, phone,
/// timezone, language, avatar) and custom fields marked writable from the widget; each
/// other key or wrong value is refused on its own (listed), the rest applied.
pub async fn set_attributes(
    svc: &Services,
    actor: &Actor,
    attributes: &BTreeMap<String, serde_json::Value>,
) -> ServiceResult<Vec<FieldError>> {
    let scope = actor.require(Capability::ChatAsVisitor)?;
    let visitor = actor.visitor()?;
    let mut w = svc.begin().await?;
    let row = row_in(w.txn(), scope, visitor.contact_id).await?;
    let before = row.clone();
    let (row, rejected) = apply_attributes(&mut w, scope, row, attributes).await?;
    if row != before {
        announce(&mut w, scope, row, true, false).await?;
        w.commit().await?;
    }
    Ok(rejected)
}

/// An attribute's value as text: strings as they are, numbers and booleans written out,
/// `null` clears; anything else is refused.
fn as_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Null => Some(String::new()),
        _ => None,
    }
}

async fn apply_attributes(
    w: &mut Write,
    scope: Scope,
    row: contact::Model,
    attributes: &BTreeMap<String, serde_json::Value>,
) -> ServiceResult<(contact::Model, Vec<FieldError>)> {
    let mut rejected = Vec::new();
    let mut custom = BTreeMap::new();
    let mut next = row.clone();
    for (key, value) in attributes {
        let Some(text) = as_text(value) else {
            rejected.push(FieldError::new(key, phrase!("err-contacts-attribute-value")));
            continue;
        };
        let result = match key.as_str() {
            "name" if text.trim().is_empty() => Ok(()),
            "name" => check::name(&text).map(|name| {
                next.name_given = true;
                next.name = name;
            }),
            "email" => check::email(&text).map(|email| {
                next.email_key = email.as_deref().map(str::to_lowercase);
                next.email = email;
            }),
            "phone" => check::phone(&text).map(|phone| next.phone = phone),
            "timezone" => check::timezone(&text).map(|zone| next.timezone = zone),
            "language" => check::language(&text).map(|tag| next.language = tag),
            "avatar" => {
                let ok = text.is_empty()
                    || (text.starts_with("https://") && text.len() <= 2_000 && !text.contains(char::is_whitespace));
                if ok {
                    next.avatar_url = (!text.is_empty()).then_some(text);
                    Ok(())
                } else {
                    Err(phrase!("err-contacts-avatar"))
                }
            }
            _ => {
                custom.insert(key.clone(), text);
                Ok(())
            }
        };
        if let Err(why) = result {
            rejected.push(FieldError::new(key, why));
        }
    }
    let (writes, refused) = fields::check_values(w.txn(), scope, &custom, Writer::Widget).await?;
    rejected.extend(refused);
    let values_changed = fields::write_values(w, scope, row.id, writes).await?;
    // A typed email never merges: another contact with it is flagged for an operator.
    if next.email_key != row.email_key {
        next.possible_duplicate_of = duplicate_of(w.txn(), scope, row.id, next.email_key.as_deref()).await?;
    }
    let current = row.kind.parse().unwrap_or(ContactKind::Guest);
    next.kind = kind_after(current, None, &next).as_str().to_owned();
    next.last_seen_at_ms = now_ms().max(row.last_seen_at_ms);
    let mut changed: Vec<String> = Vec::new();
    for (name, differs) in [
        ("name", next.name != row.name),
        ("email", next.email != row.email),
        ("phone", next.phone != row.phone),
        ("timezone", next.timezone != row.timezone),
        ("language", next.language != row.language),
        ("avatar", next.avatar_url != row.avatar_url),
        ("kind", next.kind != row.kind),
        ("custom", values_changed),
    ] {
        if differs {
            changed.push(name.to_owned());
        }
    }
    if changed.is_empty() {
        return Ok((row, rejected));
    }
    let mut active: contact::ActiveModel = row.into();
    active.name = Set(next.name);
    active.name_given = Set(next.name_given);
    active.email = Set(next.email);
    active.email_key = Set(next.email_key);
    active.phone = Set(next.phone);
    active.timezone = Set(next.timezone);
    active.language = Set(next.language);
    active.avatar_url = Set(next.avatar_url);
    active.kind = Set(next.kind);
    active.possible_duplicate_of = Set(next.possible_duplicate_of);
    active.last_seen_at_ms = Set(next.last_seen_at_ms);
    let stored = active.update(w.txn()).await?;
    let event = DomainEvent::ContactUpdated { contact_id: ContactId(stored.id), fields: changed, by: None };
    w.record(scope.workspace_id(), event);
    Ok((stored, rejected))
}

/// Puts something the contact did (`kind`: `event` for a tracked action, `form` for a
/// lead form) on their timeline, in `w`.
pub(crate) async fn on_timeline(
    w: &Write,
    scope: Scope,
    contact_id: i64,
    kind: &str,
    name: &str,
    data: String,
    at_ms: i64,
) -> ServiceResult<()> {
    contact_event::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        contact_id: Set(contact_id),
        kind: Set(kind.into()),
        name: Set(name.to_owned()),
        title: Set(String::new()),
        referrer: Set(String::new()),
        data: Set(data),
        at_ms: Set(at_ms),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    Ok(())
}

/// Another contact than `id` with the email `key` (lower case): a possible duplicate
/// for an operator to look at.
pub(super) async fn duplicate_of(
    db: &impl sea_orm::ConnectionTrait,
    scope: Scope,
    id: i64,
    key: Option<&str>,
) -> ServiceResult<Option<i64>> {
    let Some(key) = key else { return Ok(None) };
    let other = scope
        .find::<contact::Entity>()
        .filter(contact::Column::EmailKey.eq(key))
        .filter(contact::Column::Id.ne(id))
        .one(db)
        .await?;
    Ok(other.map(|other| other.id))
}

/// `setLabels([..])` from the visitor's widget: puts the workspace's labels with those
/// names on the contact (never takes any off); unknown names are refused, listed.
pub async fn set_labels(svc: &Services, actor: &Actor, names: &[String]) -> ServiceResult<Vec<FieldError>> {
    let scope = actor.require(Capability::ChatAsVisitor)?;
    let visitor = actor.visitor()?;
    if names.len() > 50 {
        return Err(ServiceError::Invalid(phrase!("err-contacts-labels-max")));
    }
    let mut w = svc.begin().await?;
    let row = row_in(w.txn(), scope, visitor.contact_id).await?;
    let keys: Vec<String> = names.iter().map(|n| n.trim().to_lowercase()).collect();
    let found = scope.find::<label::Entity>().filter(label::Column::NameKey.is_in(keys.clone())).all(w.txn()).await?;
    let mut rejected = Vec::new();
    let mut added = false;
    for (name, key) in names.iter().zip(&keys) {
        let Some(label) = found.iter().find(|l| &l.name_key == key) else {
            rejected.push(FieldError::new(name, phrase!("err-contacts-no-label", name = name)));
            continue;
        };
        if super::commands::label_in(&w, scope, row.id, LabelId(label.id), true).await? {
            added = true;
            let event = DomainEvent::ContactLabelled {
                contact_id: ContactId(row.id),
                label_id: LabelId(label.id),
                on: true,
                by: None,
            };
            w.record(scope.workspace_id(), event);
        }
    }
    if added {
        announce(&mut w, scope, row, false, false).await?;
        w.commit().await?;
    }
    Ok(rejected)
}

/// `track(name, data)` from the visitor's widget: an action on the contact's timeline
/// (for segments and workflows).
pub async fn track(svc: &Services, actor: &Actor, name: &str, data: Option<&serde_json::Value>) -> ServiceResult<()> {
    let scope = actor.require(Capability::ChatAsVisitor)?;
    let visitor = actor.visitor()?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_EVENT_NAME || name.chars().any(char::is_control) {
        return Err(ServiceError::Invalid(phrase!("err-contacts-action-name", max = MAX_EVENT_NAME)));
    }
    let data = match data {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(value @ serde_json::Value::Object(_)) => value.to_string(),
        Some(_) => return Err(ServiceError::Invalid(phrase!("err-contacts-action-data"))),
    };
    if data.len() > MAX_EVENT_DATA {
        return Err(ServiceError::Invalid(phrase!("err-contacts-action-data-size", max = MAX_EVENT_DATA)));
    }
    let now = now_ms();
    let mut w = svc.begin().await?;
    on_timeline(&w, scope, visitor.contact_id.0, "event", name, data, now).await?;
    scope
        .update_many::<contact::Entity>()
        .col_expr(contact::Column::LastSeenAtMs, Expr::value(now))
        .filter(contact::Column::Id.eq(visitor.contact_id.0))
        .exec(w.txn())
        .await?;
    w.record(
        scope.workspace_id(),
        DomainEvent::ContactTracked { contact_id: visitor.contact_id, name: name.to_owned() },
    );
    w.notify(Operators(scope.workspace_id()), OperatorEvent::ContactActivity { contact_id: visitor.contact_id });
    w.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_for_their_id_and_secret() {
        let secret = "s3cret";
        let hash = sign(secret, "user-42");
        assert!(verify(secret, "user-42", &hash));
        assert!(verify(secret, "user-42", &hash.to_uppercase()), "hex in any case");
        assert!(!verify(secret, "user-43", &hash), "another id");
        assert!(!verify("other", "user-42", &hash), "another secret");
        assert!(!verify("", "user-42", &sign("", "user-42")), "no secret, no verification");
        assert!(!verify(secret, "user-42", "not hex"));
        assert!(!verify(secret, "user-42", &hash[..10]));
    }
}
