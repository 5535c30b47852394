//! Server functions for widget settings.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::AppError;

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
pub async fn get_widget_settings() -> Result<WidgetSettings, AppError> {
    use crate::ssr::{fail, member, services};
    use parley_services::workspaces;
    let member = member().await?;
    let svc = services()?;
    let ws = workspaces::get(&svc.db, member.workspace_id).await.map_err(fail)?;
    Ok(WidgetSettings {
        snippet: workspaces::embed_snippet(&svc.config.public_url, &ws.public_key),
        allowed_origins: workspaces::allowed_origins(&ws),
        public_key: ws.public_key,
        can_edit: member.role.can_manage_workspace(),
    })
}

/// Owners and admins: replaces the allowed origins (one per line).
#[server(endpoint = "update_allowed_origins")]
pub async fn update_allowed_origins(origins: String) -> Result<Vec<String>, AppError> {
    use crate::ssr::{fail, member, services};
    let member = member().await?;
    if !member.role.can_manage_workspace() {
        return Err(fail(AppError::Forbidden));
    }
    let svc = services()?;
    let list: Vec<String> = origins.lines().map(str::to_owned).collect();
    parley_services::workspaces::set_allowed_origins(&svc.db, member.workspace_id, &list).await.map_err(fail)
}
