use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub user_id: i64,
    pub role: String,
    /// Capabilities granted on top of the role, one per line.
    #[sea_orm(column_type = "Text")]
    pub grants: String,
    pub created_at_ms: i64,
    /// "online", "away" or "offline".
    pub availability: String,
    /// The current "away" was set by Parley (the member's last tab closed).
    pub availability_auto: bool,
    /// Desktop notifications on (the browser's permission is asked when turned on).
    pub notify_desktop: bool,
    /// A sound with each notification.
    pub notify_sound: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::UserId", to = "super::user::Column::Id")]
    User,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
