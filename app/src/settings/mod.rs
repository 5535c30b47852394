//! Workspace settings. For now: installing the widget and the origins allowed to embed it.

mod api;
mod widget;

pub use api::*;
pub use widget::WidgetSettingsPage;
