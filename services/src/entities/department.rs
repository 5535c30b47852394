use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "departments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    pub name_key: String,
    pub auto_assign: bool,
    pub capacity: i64,
    pub created_at_ms: i64,
    /// What the department does, shown in the widget's picker.
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Offered in the widget's pre-chat department picker.
    pub in_picker: bool,
    /// Its own business hours (`parley_types::BusinessHours` as JSON; empty: the workspace's).
    #[sea_orm(column_type = "Text")]
    pub hours: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
