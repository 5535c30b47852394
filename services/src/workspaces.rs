//! Workspaces: first-run setup, the public key the widget carries, and the origins the
//! widget may be embedded on.

use parley_types::{Capability, Phrase, Role, UserId, WorkspaceId, phrase};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::auth::{check_new_password, normalize_email};
use crate::clock::now_ms;
use crate::entities::{membership, user, workspace};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::tokens::random_token;

/// What setup (the first-run page or the CLI) needs.
#[derive(Debug, Clone)]
pub struct CreateWorkspace {
    pub workspace_name: String,
    pub owner_name: String,
    pub owner_email: String,
    pub owner_password: String,
    /// Origins the widget may be embedded on, e.g. `https://shop.example`.
    pub allowed_origins: Vec<String>,
}

/// A workspace just created, with what is needed to install the widget.
#[derive(Debug, Clone)]
pub struct CreatedWorkspace {
    pub workspace_id: WorkspaceId,
    pub owner_id: UserId,
    pub public_key: String,
}

/// Whether any workspace exists yet (if not, the app shows the setup page).
pub async fn any_workspace_exists(db: &impl ConnectionTrait) -> ServiceResult<bool> {
    Ok(workspace::Entity::find().count(db).await? > 0)
}

/// Creates a workspace and its owner. An instance-level command, not a workspace's:
/// called by first-run setup (anyone, with `first_run_only`: refused once a workspace
/// exists, so the unauthenticated page is not reusable) and by the CLI (whoever runs
/// the machine).
pub async fn create_workspace(
    svc: &Services,
    input: CreateWorkspace,
    first_run_only: bool,
) -> ServiceResult<CreatedWorkspace> {
    let workspace_name = required(
        &input.workspace_name,
        phrase!("err-workspace-name-required"),
        phrase!("err-workspace-name-too-long"),
    )?;
    let owner_name = required(
        &input.owner_name,
        phrase!("err-workspace-owner-name-required"),
        phrase!("err-workspace-owner-name-too-long"),
    )?;
    let email = normalize_email(&input.owner_email)?;
    check_new_password(&input.owner_password)?;
    let origins = normalize_origins(&input.allowed_origins)?;
    // A cheap refusal before the expensive hash: setup is open only once.
    if first_run_only && any_workspace_exists(&svc.db).await? {
        return Err(ServiceError::Conflict(phrase!("err-workspace-set-up-already")));
    }
    let password_hash = crate::auth::hash_password_off_thread(&input.owner_password).await?;
    let now = now_ms();
    let public_key = format!("pk_{}", random_token(12));

    let mut w = svc.begin().await?;
    let txn = w.txn();
    if first_run_only && txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // Two concurrent setups would both see no workspace under READ COMMITTED:
        // serialise them (SQLite's write gate already does).
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7061726)").await?;
    }
    if first_run_only && any_workspace_exists(txn).await? {
        return Err(ServiceError::Conflict(phrase!("err-workspace-set-up-already")));
    }
    let owner = match user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(txn).await? {
        Some(existing) => existing,
        None => {
            user::ActiveModel {
                email: Set(email.clone()),
                name: Set(owner_name),
                password_hash: Set(password_hash),
                created_at_ms: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?
        }
    };
    let ws = insert_owned(&mut w, &workspace_name, &public_key, &origins, UserId(owner.id), now).await?;
    w.commit().await?;
    let created = CreatedWorkspace { workspace_id: WorkspaceId(ws.id), owner_id: UserId(owner.id), public_key };
    tracing::info!(workspace = %created.workspace_id, "workspace created");
    Ok(created)
}

/// Finds the workspace a widget key belongs to.
pub async fn find_by_public_key(db: &DatabaseConnection, public_key: &str) -> ServiceResult<workspace::Model> {
    workspace::Entity::find()
        .filter(workspace::Column::PublicKey.eq(public_key))
        .filter(workspace::Column::DeletedAtMs.is_null())
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Loads a workspace (any actor may read the basics of their own: `actor.own_workspace()`).
pub async fn get(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<workspace::Model> {
    workspace::Entity::find_by_id(scope.workspace_id().0).one(db).await?.ok_or(ServiceError::NotFound)
}

/// Replaces the origins the widget may be embedded on. Needs `manage widget`.
pub async fn set_allowed_origins(svc: &Services, actor: &Actor, origins: &[String]) -> ServiceResult<Vec<String>> {
    let scope = actor.require(Capability::ManageWidget)?;
    let origins = normalize_origins(origins)?;
    let mut w = svc.begin().await?;
    let ws = get(w.txn(), scope).await?;
    let before = allowed_origins(&ws);
    let mut active: workspace::ActiveModel = ws.into();
    active.allowed_origins = Set(origins.join("\n"));
    active.update(w.txn()).await?;
    w.audit_change(actor, "widget: allowed origins", before, &origins).await?;
    w.record(scope.workspace_id(), DomainEvent::WidgetOriginsChanged { origins: origins.clone() });
    w.commit().await?;
    Ok(origins)
}

/// Longest expiry period: a year, in minutes.
pub const MAX_EXPIRE_MINUTES: i32 = 365 * 24 * 60;

/// Minutes without a message after which an open conversation closes as expired (0:
/// never). Needs `read conversations`.
pub async fn expire_after(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<i32> {
    let scope = actor.require(Capability::ReadConversations)?;
    Ok(get(db, scope).await?.expire_after_minutes)
}

/// Sets the expiry period (0 turns expiry off). Needs `manage inbox settings`.
pub async fn set_expire_after(svc: &Services, actor: &Actor, minutes: i32) -> ServiceResult<i32> {
    let scope = actor.require(Capability::ManageInboxSettings)?;
    if !(0..=MAX_EXPIRE_MINUTES).contains(&minutes) {
        return Err(ServiceError::Invalid(phrase!("err-workspace-expiry")));
    }
    let mut w = svc.begin().await?;
    let ws = get(w.txn(), scope).await?;
    let before = ws.expire_after_minutes;
    let mut active: workspace::ActiveModel = ws.into();
    active.expire_after_minutes = Set(minutes);
    active.update(w.txn()).await?;
    w.audit_change(actor, "inbox: expiry (minutes)", before, minutes).await?;
    w.record(scope.workspace_id(), DomainEvent::ExpiryChanged { minutes });
    w.commit().await?;
    Ok(minutes)
}

/// The origins stored for a workspace.
pub fn allowed_origins(ws: &workspace::Model) -> Vec<String> {
    ws.allowed_origins.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// Whether a page on `origin` may embed this workspace's widget.
pub fn origin_allowed(ws: &workspace::Model, origin: &str) -> bool {
    let Ok(origin) = normalize_origin(origin) else { return false };
    ws.allowed_origins.lines().any(|allowed| allowed == origin)
}

/// The script tag a customer pastes into their site.
pub fn embed_snippet(public_url: &str, public_key: &str) -> String {
    format!(r#"<script async src="{public_url}/embed.js" data-parley-key="{public_key}"></script>"#)
}

/// `value` trimmed, or `missing` when it is empty and `too_long` past 200 characters.
fn required(value: &str, missing: Phrase, too_long: Phrase) -> ServiceResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ServiceError::Invalid(missing));
    }
    if value.chars().count() > 200 {
        return Err(ServiceError::Invalid(too_long));
    }
    Ok(value.to_owned())
}

/// Normalises a list of origins, dropping blanks and duplicates.
pub fn normalize_origins(origins: &[String]) -> ServiceResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for origin in origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        let origin = normalize_origin(origin)?;
        if !out.contains(&origin) {
            out.push(origin);
        }
    }
    Ok(out)
}

/// `HTTPS://Shop.Example:443/` → `https://shop.example`; anything but an http(s) origin
/// is refused.
pub fn normalize_origin(origin: &str) -> ServiceResult<String> {
    let invalid = || ServiceError::Invalid(phrase!("err-workspace-origin", value = origin));
    let lower = origin.trim().to_lowercase();
    let (scheme, rest) = lower.split_once("://").ok_or_else(invalid)?;
    let default_port = match scheme {
        "http" => ":80",
        "https" => ":443",
        _ => return Err(invalid()),
    };
    let host_port = rest.strip_suffix('/').unwrap_or(rest);
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, _)| h);
    let valid_port = host_port.rsplit_once(':').is_none_or(|(_, p)| p.parse::<u16>().is_ok());
    if host.is_empty() || !valid_port || host_port.contains(['/', '?', '#', '@', ' ']) {
        return Err(invalid());
    }
    let host_port = host_port.strip_suffix(default_port).unwrap_or(host_port);
    Ok(format!("{scheme}://{host_port}"))
}

/// A new workspace (with a free address made from its name) owned by `owner`, in `w`:
/// the workspace row, the owner's membership and the `MemberAdded` event.
pub(crate) async fn insert_owned(
    w: &mut crate::write::Write,
    name: &str,
    public_key: &str,
    origins: &[String],
    owner: UserId,
    now: i64,
) -> ServiceResult<workspace::Model> {
    let slug = free_slug(w.txn(), name).await?;
    let ws = workspace::ActiveModel {
        slug: Set(slug),
        name: Set(name.to_owned()),
        public_key: Set(public_key.to_owned()),
        allowed_origins: Set(origins.join("\n")),
        created_at_ms: Set(now),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    membership::ActiveModel {
        workspace_id: Set(ws.id),
        user_id: Set(owner.0),
        role: Set(Role::Owner.as_str().to_owned()),
        grants: Set(String::new()),
        created_at_ms: Set(now),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    w.record(WorkspaceId(ws.id), DomainEvent::MemberAdded { user_id: owner, role: Role::Owner });
    Ok(ws)
}

/// An unused address made from `name` (`acme`, else `acme-2`, `acme-3`, …).
pub(crate) async fn free_slug(db: &impl ConnectionTrait, name: &str) -> ServiceResult<String> {
    let base = parley_types::slug_of(name);
    for n in 1..1000 {
        let slug = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        let taken = workspace::Entity::find().filter(workspace::Column::Slug.eq(slug.as_str())).one(db).await?;
        if taken.is_none() {
            return Ok(slug);
        }
    }
    Ok(format!("{base}-{}", random_token(4).to_lowercase().replace(['_', '-'], "x")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        assert_eq!(normalize_origin("HTTPS://Shop.Example:443/").unwrap(), "https://shop.example");
        assert_eq!(normalize_origin("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        for bad in ["shop.example", "ftp://x", "https://x/path", "https://:99", "https://x:port", "https://u@x"] {
            assert!(normalize_origin(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn only_listed_origins_may_embed() {
        let ws = workspace::Model {
            id: 1,
            name: "Acme".into(),
            public_key: "pk".into(),
            allowed_origins: "https://shop.example\nhttp://localhost:8080".into(),
            created_at_ms: 0,
            expire_after_minutes: 0,
            default_department_id: None,
            max_image_bytes: 1,
            max_video_bytes: 1,
            max_audio_bytes: 1,
            max_document_bytes: 1,
            identity_secret: String::new(),
            require_verification: false,
            lead_form: String::new(),
            audit_retention_days: 365,
            smtp: String::new(),
            hours: String::new(),
            widget: String::new(),
            widget_version: 0,
            routing: String::new(),
            slug: "acme".into(),
            logo_url: String::new(),
            language: "en".into(),
            timezone: "UTC".into(),
            deleted_at_ms: None,
            operators_own_departments: false,
        };
        assert!(origin_allowed(&ws, "https://shop.example"));
        assert!(origin_allowed(&ws, "http://localhost:8080"));
        assert!(!origin_allowed(&ws, "https://evil.example"));
        assert!(!origin_allowed(&ws, "null"));
    }
}
