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

use crate::t;

/// The settings pages' own navigation beside the page.
#[component]
pub fn SettingsLayout() -> impl IntoView {
    view! {
        <div class="settings-layout">
            <nav class="settings-nav" aria-label=t!("admin-nav-label")>
                <A href=crate::frame::ws_path("/settings/general")>{t!("admin-nav-general")}</A>
                <A href=crate::frame::ws_path("/settings/widget")>{t!("admin-nav-widget")}</A>
                <A href=crate::frame::ws_path("/settings/labels")>{t!("admin-nav-labels")}</A>
                <A href=crate::frame::ws_path("/settings/departments")>{t!("admin-nav-departments")}</A>
                <A href=crate::frame::ws_path("/settings/contact-fields")>{t!("admin-nav-contact-fields")}</A>
                <A href=crate::frame::ws_path("/settings/identity")>{t!("admin-nav-identity")}</A>
                <A href=crate::frame::ws_path("/settings/lead-forms")>{t!("admin-nav-lead-forms")}</A>
                <A href=crate::frame::ws_path("/settings/inbox")>{t!("admin-nav-inbox")}</A>
                <A href=crate::frame::ws_path("/settings/hours")>{t!("admin-nav-hours")}</A>
                <A href=crate::frame::ws_path("/quick-replies")>{t!("admin-nav-quick-replies")}</A>
                <A href=crate::frame::ws_path("/settings/tokens")>{t!("admin-nav-tokens")}</A>
                <A href=crate::frame::ws_path("/settings/team")>{t!("admin-nav-team")}</A>
                <A href=crate::frame::ws_path("/settings/email")>{t!("admin-nav-email")}</A>
                <A href=crate::frame::ws_path("/settings/audit")>{t!("admin-nav-audit")}</A>
            </nav>
            <Outlet/>
        </div>
    }
}

/// The navigation entry: for roles that may manage the widget (the table the server
/// checks, `Role::can`).
pub const NAV: crate::frame::NavEntry =
    crate::frame::NavEntry::new(crate::msg!("nav-settings"), "/settings").visible_to(manages_widget);

fn manages_widget(role: parley_types::Role) -> bool {
    role.can(parley_types::Capability::ManageWidget)
}
