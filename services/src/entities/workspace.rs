use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workspaces")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[sea_orm(unique)]
    pub public_key: String,
    pub allowed_origins: String,
    pub created_at_ms: i64,
    /// Minutes without a message after which an open conversation expires; 0 = never.
    pub expire_after_minutes: i32,
    /// The department new conversations go to.
    pub default_department_id: Option<i64>,
    /// Upload limits per kind of file, in bytes.
    pub max_image_bytes: i64,
    pub max_video_bytes: i64,
    pub max_audio_bytes: i64,
    pub max_document_bytes: i64,
    /// The key customers' servers sign their users' ids with (hex; empty until first
    /// shown).
    pub identity_secret: String,
    /// Whether `setUser` needs a valid hash.
    pub require_verification: bool,
    /// The lead forms' settings (`parley_types::LeadFormSettings` as JSON; empty until
    /// saved: the defaults).
    #[sea_orm(column_type = "Text")]
    pub lead_form: String,
    /// How many days audit entries are kept.
    pub audit_retention_days: i32,
    /// Outgoing mail settings (JSON, empty: none); the password in it is encrypted.
    pub smtp: String,
    /// Business hours (JSON, empty: always open).
    pub hours: String,
    /// The widget settings (`parley_types::WidgetConfig` as JSON, empty: the defaults).
    #[sea_orm(column_type = "Text")]
    pub widget: String,
    /// How many times the widget settings were saved.
    pub widget_version: i64,
    /// Routing rules (`Vec<parley_types::RoutingRule>` as JSON, in order; empty: none).
    #[sea_orm(column_type = "Text")]
    pub routing: String,
    /// The workspace's short address (unique).
    pub slug: String,
    pub logo_url: String,
    /// The workspace's language (`parley_types::APP_LANGUAGES`) and IANA time zone.
    pub language: String,
    pub timezone: String,
    /// When the owner deleted it; its data goes in the `workspace.delete` job.
    pub deleted_at_ms: Option<i64>,
    /// Whether members who cannot manage departments see only their departments'
    /// conversations, the unrouted ones and those assigned to them.
    pub operators_own_departments: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
