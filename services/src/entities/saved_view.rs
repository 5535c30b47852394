use sea_orm::entity::prelude::*;

/// A named inbox filter: a member's own (`owner_id`) or shared (no owner).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_views")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub owner_id: Option<i64>,
    pub name: String,
    /// `parley_types::InboxFilter` as JSON.
    #[sea_orm(column_type = "Text")]
    pub filter: String,
    pub created_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
