//! The widget's settings: how it looks and where it shows (see `parley_types::WidgetConfig`).
//!
//! Stored as JSON on the workspace with a version that counts saves. A save names the
//! version it started from and is refused when someone saved since (nothing is
//! overwritten unseen); it is audited with before and after, and reaches every open widget
//! of the workspace at once (`VisitorEvent::ConfigChanged` to [`Widgets`]) and every
//! open settings page (`OperatorEvent::WidgetConfigChanged`).

use parley_types::{
    Capability, OperatorEvent, VisitorEvent, WidgetAvatar, WidgetConfig, WidgetLook, WorkspaceId, phrase,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::{Operators, Widgets};
use crate::entities::{membership, user, workspace};
use crate::error::{ServiceError, ServiceResult};

/// How many teammates' faces the widget shows.
pub const MAX_AVATARS: u64 = 3;

/// The settings stored on `ws` (the defaults until first saved), with their version.
pub fn config_of(ws: &workspace::Model) -> WidgetConfig {
    let mut config: WidgetConfig = if ws.widget.is_empty() {
        WidgetConfig::default()
    } else {
        // Written only by `save`, so it parses; a hand-edited row falls back to the defaults.
        serde_json::from_str(&ws.widget).unwrap_or_default()
    };
    config.version = ws.widget_version;
    config
}

/// Any member: the workspace's widget settings (operators see them read-only).
pub async fn settings(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<WidgetConfig> {
    let ws = crate::workspaces::get(db, actor.own_workspace()).await?;
    Ok(config_of(&ws))
}

/// What the widget of `ws` loads: its settings, the panel's title and up to
/// [`MAX_AVATARS`] teammates' faces (members with a picture, oldest members first).
pub async fn look(db: &impl ConnectionTrait, ws: &workspace::Model) -> ServiceResult<WidgetLook> {
    let config = config_of(ws);
    let avatars = if config.show_avatars {
        Scope::unchecked(WorkspaceId(ws.id))
            .find::<membership::Entity>()
            .find_also_related(user::Entity)
            .filter(user::Column::AvatarUrl.ne(""))
            .order_by_asc(membership::Column::CreatedAtMs)
            .order_by_asc(membership::Column::UserId)
            .limit(MAX_AVATARS)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|(_, user)| user)
            .map(|user| WidgetAvatar { name: user.name, url: user.avatar_url })
            .collect()
    } else {
        Vec::new()
    };
    let title = if config.team_name.is_empty() { ws.name.clone() } else { config.team_name.clone() };
    let reply_sentence = config.reply_time.sentence().map(str::to_owned);
    Ok(WidgetLook { config, title, reply_sentence, avatars })
}

/// Saves the widget settings (`manage widget`): every problem listed at once and nothing
/// saved, or a conflict when they were saved since `config.version`. Returns them as
/// stored, with the new version.
pub async fn save(svc: &Services, actor: &Actor, config: WidgetConfig) -> ServiceResult<WidgetConfig> {
    let scope = actor.require(Capability::ManageWidget)?;
    let mut config = config.trimmed();
    let problems = config.check();
    if !problems.is_empty() {
        return Err(ServiceError::InvalidFields(problems));
    }
    let mut w = svc.begin().await?;
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    let before = config_of(&ws);
    if config.version != before.version {
        return Err(ServiceError::Conflict(phrase!("err-widget-saved-since")));
    }
    config.version = before.version + 1;
    let text = serde_json::to_string(&config).map_err(|e| ServiceError::Internal(e.to_string()))?;
    // Only from the version this save started from: of two saves at once, one wins.
    let updated = workspace::Entity::update_many()
        .col_expr(workspace::Column::Widget, Expr::value(text.clone()))
        .col_expr(workspace::Column::WidgetVersion, Expr::value(config.version))
        .filter(workspace::Column::Id.eq(ws.id))
        .filter(workspace::Column::WidgetVersion.eq(before.version))
        .exec(w.txn())
        .await?;
    if updated.rows_affected != 1 {
        return Err(ServiceError::Conflict(phrase!("err-widget-saved-meanwhile")));
    }
    w.audit_change(actor, "widget settings", &before, &config).await?;
    let stored = workspace::Model { widget: text, widget_version: config.version, ..ws };
    let look = look(w.txn(), &stored).await?;
    w.notify(Widgets(scope.workspace_id()), VisitorEvent::ConfigChanged { look: Box::new(look) });
    w.notify(Operators(scope.workspace_id()), OperatorEvent::WidgetConfigChanged { version: config.version });
    w.commit().await?;
    Ok(config)
}
