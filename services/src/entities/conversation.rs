use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub contact_id: i64,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub last_seq: i64,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_message: Option<String>,
    pub last_author: Option<String>,
    pub last_activity_at_ms: i64,
    pub created_at_ms: i64,
    pub priority: String,
    pub outcome: Option<String>,
    pub snoozed_until_ms: Option<i64>,
    pub waiting_since_ms: Option<i64>,
    /// The labels' ids, comma-separated (a copy of `conversation_labels` for summaries).
    pub label_ids: String,
    /// The department it is assigned to.
    pub department_id: Option<i64>,
    /// How many messages the visitor wrote.
    pub visitor_messages: i64,
    /// Visitor messages a member without a read mark counts as read.
    pub read_floor: i64,
    /// The newest message the visitor's widget displayed.
    pub visitor_read_seq: i64,
    /// Where it came from (`widget`, later external channels).
    pub channel: String,
    /// The newest operator reply emailed to the contact because the visitor had not seen
    /// it (0: none).
    pub emailed_seq: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::contact::Entity", from = "Column::ContactId", to = "super::contact::Column::Id")]
    Contact,
}

impl Related<super::contact::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Contact.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
