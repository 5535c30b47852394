use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "push_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub user_id: i64,
    /// The push service's URL for this browser (unique).
    pub endpoint: String,
    /// The browser's P-256 public key and auth secret (base64url), for RFC 8291.
    pub p256dh: String,
    pub auth: String,
    pub created_at_ms: i64,
    pub last_sent_at_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
