//! Parley's schema as ordered migration steps. Steps never import entities: each one
//! describes the tables as they were when it was written.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_workspaces_and_users;
mod m20261122_000002_create_contacts;
mod m20261122_000003_create_conversations_and_messages;
mod m20261122_000004_create_sessions;
mod m20261122_000005_create_outbox_and_jobs;
mod m20261204_000006_inbox_lifecycle;
mod m20261204_000007_labels;
mod m20261204_000008_quick_replies;
mod m20261204_000009_availability;
mod m20261204_000010_departments;
mod m20261204_000011_read_marks;
mod m20261204_000012_search_and_saved_views;
mod m20261204_000013_comments_and_inbox;
mod m20261204_000014_notification_settings;
mod m20261205_000015_attachments;
mod m20261205_000016_web_push;
mod m20261205_000017_view_counts_index;
mod m20261205_000018_contact_profiles;
mod m20261205_000019_contact_fields;
mod m20261205_000020_identity;
mod m20261205_000021_segments;
mod m20261205_000022_contact_imports;
mod m20261205_000023_lead_forms;
mod m20261205_000024_access_tokens;
mod m20261205_000025_contacts_kind_seen_index;
mod m20261205_000026_audit_log;
mod m20261205_000027_invitations_and_mail;
mod m20261205_000028_profiles_and_password_resets;
mod m20261205_000029_business_hours;
mod m20261205_000030_widget_config;
mod m20261205_000031_unseen_reply_email;
mod m20261205_000032_routing;
mod m20261205_000033_workspace_general;
mod m20261205_000034_user_language;
mod m20261206_000035_department_visibility;
mod m20261206_000036_visibility_counts_index;
mod m20261206_000037_message_phrases;

/// Every migration, oldest first. The server runs the pending ones at start.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_workspaces_and_users::Migration),
            Box::new(m20261122_000002_create_contacts::Migration),
            Box::new(m20261122_000003_create_conversations_and_messages::Migration),
            Box::new(m20261122_000004_create_sessions::Migration),
            Box::new(m20261122_000005_create_outbox_and_jobs::Migration),
            Box::new(m20261204_000006_inbox_lifecycle::Migration),
            Box::new(m20261204_000007_labels::Migration),
            Box::new(m20261204_000008_quick_replies::Migration),
            Box::new(m20261204_000009_availability::Migration),
            Box::new(m20261204_000010_departments::Migration),
            Box::new(m20261204_000011_read_marks::Migration),
            Box::new(m20261204_000012_search_and_saved_views::Migration),
            Box::new(m20261204_000013_comments_and_inbox::Migration),
            Box::new(m20261204_000014_notification_settings::Migration),
            Box::new(m20261205_000015_attachments::Migration),
            Box::new(m20261205_000016_web_push::Migration),
            Box::new(m20261205_000017_view_counts_index::Migration),
            Box::new(m20261205_000018_contact_profiles::Migration),
            Box::new(m20261205_000019_contact_fields::Migration),
            Box::new(m20261205_000020_identity::Migration),
            Box::new(m20261205_000021_segments::Migration),
            Box::new(m20261205_000022_contact_imports::Migration),
            Box::new(m20261205_000023_lead_forms::Migration),
            Box::new(m20261205_000024_access_tokens::Migration),
            Box::new(m20261205_000025_contacts_kind_seen_index::Migration),
            Box::new(m20261205_000026_audit_log::Migration),
            Box::new(m20261205_000027_invitations_and_mail::Migration),
            Box::new(m20261205_000028_profiles_and_password_resets::Migration),
            Box::new(m20261205_000029_business_hours::Migration),
            Box::new(m20261205_000030_widget_config::Migration),
            Box::new(m20261205_000031_unseen_reply_email::Migration),
            Box::new(m20261205_000032_routing::Migration),
            Box::new(m20261205_000033_workspace_general::Migration),
            Box::new(m20261205_000034_user_language::Migration),
            Box::new(m20261206_000035_department_visibility::Migration),
            Box::new(m20261206_000036_visibility_counts_index::Migration),
            Box::new(m20261206_000037_message_phrases::Migration),
        ]
    }
}
