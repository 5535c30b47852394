use sea_orm::entity::prelude::*;

/// An item in a member's personal Inbox.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbox_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub user_id: i64,
    pub kind: String,
    pub entity_type: String,
    pub entity_id: i64,
    pub comment_id: Option<i64>,
    pub position: Option<i64>,
    pub actor_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub excerpt: String,
    pub created_at_ms: i64,
    pub read_at_ms: Option<i64>,
    pub archived_at_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
