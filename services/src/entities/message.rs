use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub conversation_id: i64,
    pub seq: i64,
    pub author: String,
    pub author_user_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub client_id: Option<String>,
    pub created_at_ms: i64,
    /// A status line or note for the team: never sent to the visitor.
    pub internal: bool,
    /// The public part of the message's attachments, as JSON (`Vec<Attachment>`): rows
    /// never change once sent, so history is read without a join.
    #[sea_orm(column_type = "Text", nullable)]
    pub attachments: Option<String>,
    /// A system line's sentence by message id, as JSON (`parley_types::Phrase`): the
    /// operator app says it in its language; `body` holds it in English.
    #[sea_orm(column_type = "Text", nullable)]
    pub phrase: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
