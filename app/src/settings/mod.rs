//! Workspace settings: installing the widget and the origins allowed to embed it, the
//! conversation labels, departments and auto-assignment, contact fields, identity, lead
//! forms, the inbox's expiry period, API access tokens, the team and its roles, and the
//! audit log.

mod api;
mod audit;
mod contact_fields;
mod departments;
mod general;
mod hours;
mod identity;
mod inbox;
mod invitations;
mod labels;
mod lead_forms;
mod mail;
mod team;
mod tokens;
mod widget;

pub use api::*;
pub use audit::AuditLogPage;
pub use contact_fields::ContactFieldsSettingsPage;
pub use departments::DepartmentsSettingsPage;
pub use general::GeneralSettingsPage;
pub use hours::HoursSettingsPage;
pub use identity::IdentitySettingsPage;
pub use inbox::InboxSettingsPage;
pub use labels::LabelsSettingsPage;
pub use lead_forms::LeadFormsSettingsPage;
pub use mail::MailSettingsPage;
pub use team::TeamSettingsPage;
pub use tokens::TokensSettingsPage;
pub use widget::WidgetSettingsPage;

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

/// The settings pages' own navigation beside the page.
#[component]
pub fn SettingsLayout() -> impl IntoView {
    view! {
        <div class="settings-layout">
            <nav class="settings-nav" aria-label="Settings">
                <A href=crate::frame::ws_path("/settings/general")>"General"</A>
                <A href=crate::frame::ws_path("/settings/widget")>"Widget"</A>
                <A href=crate::frame::ws_path("/settings/labels")>"Labels"</A>
                <A href=crate::frame::ws_path("/settings/departments")>"Departments"</A>
                <A href=crate::frame::ws_path("/settings/contact-fields")>"Contact fields"</A>
                <A href=crate::frame::ws_path("/settings/identity")>"Identity"</A>
                <A href=crate::frame::ws_path("/settings/lead-forms")>"Lead forms"</A>
                <A href=crate::frame::ws_path("/settings/inbox")>"Inbox"</A>
                <A href=crate::frame::ws_path("/settings/hours")>"Business hours"</A>
                <A href=crate::frame::ws_path("/quick-replies")>"Quick replies"</A>
                <A href=crate::frame::ws_path("/settings/tokens")>"Access tokens"</A>
                <A href=crate::frame::ws_path("/settings/team")>"Team"</A>
                <A href=crate::frame::ws_path("/settings/email")>"Email"</A>
                <A href=crate::frame::ws_path("/settings/audit")>"Audit log"</A>
            </nav>
            <Outlet/>
        </div>
    }
}

/// The navigation entry: for roles that may manage the widget (the table the server
/// checks, `Role::can`).
pub const NAV: crate::frame::NavEntry = crate::frame::NavEntry::new("Settings", "/settings").visible_to(manages_widget);

fn manages_widget(role: parley_types::Role) -> bool {
    role.can(parley_types::Capability::ManageWidget)
}
