use sea_orm::entity::prelude::*;

/// An audit log entry. Written once, never updated (a trigger refuses it); deleted only
/// by the retention job.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub at_ms: i64,
    /// `user`, `token`, `system`, `visitor` or `anonymous`.
    pub actor_kind: String,
    pub actor_user_id: Option<i64>,
    pub actor_token_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub target: String,
    /// JSON, secrets redacted.
    pub details: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
