//! Workspace settings. For now: installing the widget and the origins allowed to embed it.

mod api;
mod widget;

pub use api::*;
pub use widget::WidgetSettingsPage;

/// The navigation entry: for roles that may manage the widget (the table the server
/// checks, `Role::can`).
pub const NAV: crate::frame::NavEntry =
    crate::frame::NavEntry::new("Settings", "/settings/widget").visible_to(manages_widget);

fn manages_widget(role: parley_types::Role) -> bool {
    role.can(parley_types::Capability::ManageWidget)
}
