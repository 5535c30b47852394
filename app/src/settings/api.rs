//! Server functions for widget settings.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ApiError;

/// What the widget settings page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSettings {
    pub public_key: String,
    pub snippet: String,
    pub allowed_origins: Vec<String>,
    /// Whether the member may change them (owners and admins).
    pub can_edit: bool,
}

/// Members: the embed snippet and allowed origins of their workspace.
#[server(endpoint = "get_widget_settings")]
pub async fn get_widget_settings() -> Result<WidgetSettings, ApiError> {
    use parley_services::workspaces;
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let ws = workspaces::get(&svc.db, actor.own_workspace()).await?;
    Ok(WidgetSettings {
        snippet: workspaces::embed_snippet(&svc.config.public_url, &ws.public_key),
        allowed_origins: workspaces::allowed_origins(&ws),
        public_key: ws.public_key,
        can_edit: actor.can(parley_types::Capability::ManageWidget),
    })
}

/// Members who may manage the widget (owners and admins): replaces the allowed origins
/// (one per line). The service checks the capability.
#[server(endpoint = "update_allowed_origins")]
pub async fn update_allowed_origins(origins: String) -> Result<Vec<String>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let list: Vec<String> = origins.lines().map(str::to_owned).collect();
    Ok(parley_services::workspaces::set_allowed_origins(&svc, &actor, &list).await?)
}

/// Owners and admins (`manage labels`): adds a conversation label.
#[server(endpoint = "create_label")]
pub async fn create_label(name: String, colour: String) -> Result<parley_types::Label, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::labels::create_label(&svc, &actor, &name, &colour).await?)
}

/// Owners and admins (`manage labels`): renames or recolours a label.
#[server(endpoint = "update_label")]
pub async fn update_label(
    id: parley_types::LabelId,
    name: String,
    colour: String,
) -> Result<parley_types::Label, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::labels::update_label(&svc, &actor, id, &name, &colour).await?)
}

/// Owners and admins (`manage labels`): deletes a label (it comes off every conversation);
/// answers how many conversations had it.
#[server(endpoint = "delete_label")]
pub async fn delete_label(id: parley_types::LabelId) -> Result<u64, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::labels::delete_label(&svc, &actor, id).await?)
}

/// Members: after how many hours without a message an open conversation expires (0:
/// never).
#[server(endpoint = "get_expiry")]
pub async fn get_expiry() -> Result<i32, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::workspaces::expire_after(&svc.db, &actor).await? / 60)
}

/// Owners and admins (`manage inbox settings`): sets the expiry period in hours (0: never).
#[server(endpoint = "update_expiry")]
pub async fn update_expiry(hours: i32) -> Result<i32, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let minutes = hours.checked_mul(60).ok_or_else(|| ApiError::invalid("That is too many hours."))?;
    Ok(parley_services::workspaces::set_expire_after(&svc, &actor, minutes).await? / 60)
}

/// Members: the workspace's upload limits per kind of file, in bytes.
#[server(endpoint = "get_attachment_limits")]
pub async fn get_attachment_limits() -> Result<parley_types::AttachmentLimits, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::attachments::get_limits(&svc.db, &actor).await?)
}

/// Owners and admins (`manage inbox settings`): sets the upload limits, in megabytes
/// (decimal, as people count file sizes; fractions allowed).
#[server(endpoint = "update_attachment_limits")]
pub async fn update_attachment_limits(
    image_mb: f64,
    video_mb: f64,
    audio_mb: f64,
    document_mb: f64,
) -> Result<parley_types::AttachmentLimits, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let bytes = |mb: f64| if mb.is_finite() && mb > 0.0 { (mb * 1e6).round().min(u64::MAX as f64) as u64 } else { 0 };
    let limits = parley_types::AttachmentLimits {
        image: bytes(image_mb),
        video: bytes(video_mb),
        audio: bytes(audio_mb),
        document: bytes(document_mb),
    };
    Ok(parley_services::attachments::set_limits(&svc, &actor, limits).await?)
}

/// The members of a department as the settings form sends them: user ids separated by
/// commas.
#[cfg(feature = "ssr")]
fn department_input(
    name: String,
    auto_assign: bool,
    capacity: i64,
    members: &str,
    is_default: bool,
) -> Result<parley_services::departments::DepartmentInput, ApiError> {
    let members = members
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(|id| id.parse().map_err(|_| ApiError::invalid("Members are given by their user ids.")))
        .collect::<Result<Vec<parley_types::UserId>, ApiError>>()?;
    Ok(parley_services::departments::DepartmentInput { name, auto_assign, capacity, members, is_default })
}

/// Owners and admins (`manage departments`): adds a department. `members`: user ids,
/// comma-separated.
#[server(endpoint = "create_department")]
pub async fn create_department(
    name: String,
    auto_assign: bool,
    capacity: i64,
    members: String,
    is_default: bool,
) -> Result<parley_types::Department, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let input = department_input(name, auto_assign, capacity, &members, is_default)?;
    Ok(parley_services::departments::create_department(&svc, &actor, input).await?)
}

/// Owners and admins (`manage departments`): changes a department.
#[server(endpoint = "update_department")]
pub async fn update_department(
    id: parley_types::DepartmentId,
    name: String,
    auto_assign: bool,
    capacity: i64,
    members: String,
    is_default: bool,
) -> Result<parley_types::Department, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let input = department_input(name, auto_assign, capacity, &members, is_default)?;
    Ok(parley_services::departments::update_department(&svc, &actor, id, input).await?)
}

/// Owners and admins (`manage departments`): deletes a department; answers how many
/// conversations left it.
#[server(endpoint = "delete_department")]
pub async fn delete_department(id: parley_types::DepartmentId) -> Result<u64, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::departments::delete_department(&svc, &actor, id).await?)
}

/// Owners and admins (`manage widget`): the pre-chat form and email capture.
#[server(endpoint = "get_lead_form_settings")]
pub async fn get_lead_form_settings() -> Result<parley_types::LeadFormSettings, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::lead_form::lead_form_settings(&svc.db, &actor).await?)
}

/// Owners and admins (`manage widget`): saves the pre-chat form and email capture (every
/// wrong setting listed in `fields`, nothing saved).
#[server(endpoint = "save_lead_form_settings")]
pub async fn save_lead_form_settings(
    settings: parley_types::LeadFormSettings,
) -> Result<parley_types::LeadFormSettings, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::lead_form::save_lead_form_settings(&svc, &actor, settings).await?)
}

/// Owners and admins (`manage tokens`): the workspace's API access tokens (never their
/// secrets).
#[server(endpoint = "list_access_tokens")]
pub async fn list_access_tokens() -> Result<Vec<parley_types::AccessToken>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::access_tokens::list_tokens(&svc.db, &actor).await?)
}

/// Owners and admins (`manage tokens`): makes a token acting for the caller; the answer
/// holds its secret, shown this once. `expires_in_days` empty: never expires.
#[server(endpoint = "create_access_token")]
pub async fn create_access_token(
    name: String,
    #[server(default)] scopes: Vec<String>,
    #[server(default)] expires_in_days: Option<u32>,
) -> Result<parley_types::NewAccessToken, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::access_tokens::create_token(&svc, &actor, &name, &scopes, expires_in_days).await?)
}

/// Owners and admins (`manage tokens`): revokes a token (its next request is refused).
#[server(endpoint = "revoke_access_token")]
pub async fn revoke_access_token(id: i64) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::access_tokens::revoke_token(&svc, &actor, id).await?)
}
