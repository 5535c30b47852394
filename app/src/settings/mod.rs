//! Workspace settings. For now: installing the widget and the origins allowed to embed it.

mod api;
mod widget;

pub use api::*;
pub use widget::WidgetSettingsPage;

/// The navigation entry: for those who may manage the workspace.
pub const NAV: crate::frame::NavEntry =
    crate::frame::NavEntry::new("Settings", "/settings/widget").visible_to(parley_types::Role::can_manage_workspace);
