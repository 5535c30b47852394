use sea_orm::entity::prelude::*;

/// An invitation to join a workspace. Single use: accepting sets `accepted_at_ms`;
/// revoking deletes it; resending replaces the token.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub email: String,
    pub role: String,
    /// Department ids, one per line.
    pub departments: String,
    /// SHA-256 (hex) of the link's token.
    #[sea_orm(unique)]
    pub token_hash: String,
    pub invited_by: Option<i64>,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    /// When it was last mailed (`None`: never, the link was copied instead).
    pub sent_at_ms: Option<i64>,
    pub accepted_at_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
