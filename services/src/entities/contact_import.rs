use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    /// `email` or `user_id`.
    pub match_on: String,
    /// Column overrides as JSON (header → field).
    #[sea_orm(column_type = "Text")]
    pub mapping: String,
    #[sea_orm(column_type = "Text")]
    pub csv: String,
    /// `queued`, `running` or `done`.
    pub status: String,
    pub total: i64,
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub failed: i64,
    /// The first problems as JSON.
    #[sea_orm(column_type = "Text")]
    pub problems: String,
    pub created_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
