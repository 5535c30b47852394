use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub kind: String,
    pub name: String,
    #[sea_orm(unique)]
    pub visitor_token_hash: String,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    pub email: Option<String>,
    /// `email` in lower case, for search and matching.
    pub email_key: Option<String>,
    /// E.164 (`+4930123456`).
    pub phone: Option<String>,
    /// IANA name (`Europe/Berlin`).
    pub timezone: Option<String>,
    /// BCP 47 tag (`de-AT`).
    pub language: Option<String>,
    pub avatar_url: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    /// Whether a person gave `name` (false for a generated "Guest 1A2B").
    pub name_given: bool,
    /// The id the customer's site gives this person (`setUser`).
    pub external_id: Option<String>,
    /// Whether `external_id` came with a valid HMAC.
    pub verified: bool,
    /// Another contact with the email this one typed: for an operator to look at (a
    /// typed email never merges by itself).
    pub possible_duplicate_of: Option<i64>,
    /// When the contact filled in a lead form (the pre-chat form or the email capture).
    pub lead_form_at_ms: Option<i64>,
    /// The department the visitor picked in the widget's pre-chat picker.
    pub picked_department_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
