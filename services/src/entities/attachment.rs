use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub conversation_id: Option<i64>,
    /// `None` while the upload waits for the message that sends it.
    pub message_id: Option<i64>,
    /// Kept on a quick reply (copied into each message that uses it).
    pub quick_reply_id: Option<i64>,
    pub uploader_user_id: Option<i64>,
    pub uploader_contact_id: Option<i64>,
    /// Where the bytes are in the object store (several rows may share one).
    pub object_key: String,
    pub name: String,
    /// Sniffed from the bytes.
    pub mime: String,
    pub kind: String,
    pub size: i64,
    pub sha256: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub voice: bool,
    pub created_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
