use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_fields")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub key: String,
    pub label: String,
    pub kind: String,
    /// Select options, one per line.
    #[sea_orm(column_type = "Text")]
    pub options: String,
    pub widget_writable: bool,
    pub in_prechat: bool,
    pub required: bool,
    pub position: i32,
    pub created_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
