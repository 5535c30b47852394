//! Contacts as operators see them: the profile, notes, and the list's filter.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{ContactId, ConversationId, LabelId, UserId};
use crate::model::{ContactKind, ConversationSummary};

/// Longest contact name, in characters.
pub const MAX_CONTACT_NAME: usize = 100;
/// Longest note on a contact, in characters.
pub const MAX_CONTACT_NOTE: usize = 5_000;
/// Contacts in one page of the list.
pub const CONTACT_PAGE: u64 = 50;

/// A contact's profile: who they are and what the team knows of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub kind: ContactKind,
    /// Their name, or a generated "Guest 1A2B" until someone gives one.
    pub name: String,
    /// Whether a person gave the name (the widget's visitor, an operator, a form).
    pub name_given: bool,
    pub email: Option<String>,
    /// E.164, e.g. `+4930123456`.
    pub phone: Option<String>,
    /// IANA time zone, e.g. `Europe/Berlin`.
    pub timezone: Option<String>,
    /// BCP 47 language tag, e.g. `de-AT`.
    pub language: Option<String>,
    pub avatar_url: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    /// The workspace labels (tags) on the contact, by id.
    #[serde(default)]
    pub labels: Vec<LabelId>,
    /// Their open conversation, if any.
    #[serde(default)]
    pub open_conversation: Option<ConversationId>,
    /// Custom field values by the field's key, in their canonical text.
    #[serde(default)]
    pub custom: BTreeMap<String, String>,
    /// The id the customer's site gave this person (`setUser`).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Whether that id came with a valid hash.
    #[serde(default)]
    pub verified: bool,
    /// Another contact with the email this one typed, for an operator to look at.
    #[serde(default)]
    pub possible_duplicate_of: Option<ContactId>,
}

/// What an operator changes on a profile; every field is written as given (an empty
/// text clears it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactUpdate {
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub timezone: String,
    #[serde(default)]
    pub language: String,
    /// A new type, if the operator changes it (otherwise a guest becomes a lead once a
    /// name with an email or phone is known).
    #[serde(default)]
    pub kind: Option<ContactKind>,
    /// Custom field values to write, by key (keys not given stay as they are; an empty
    /// value clears one).
    #[serde(default)]
    pub custom: BTreeMap<String, String>,
}

/// A note the team keeps on a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactNote {
    pub id: i64,
    pub contact_id: ContactId,
    pub author_id: Option<UserId>,
    pub author_name: String,
    /// Plain text; every renderer escapes it.
    pub body: String,
    pub created_at_ms: i64,
}

/// Which contacts the list shows. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFilter {
    /// Part of a name, email, phone number (digits) or contact id.
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub kinds: Vec<ContactKind>,
    /// Contacts carrying this label.
    #[serde(default)]
    pub label: Option<LabelId>,
    /// Seen within this many days.
    #[serde(default)]
    pub seen_within_days: Option<u32>,
    /// Created within this many days.
    #[serde(default)]
    pub created_within_days: Option<u32>,
    /// Only those with an open conversation.
    #[serde(default)]
    pub open_conversation: bool,
    /// Conditions on custom fields, all of which must hold.
    #[serde(default)]
    pub fields: Vec<FieldCondition>,
}

/// A condition on a custom field's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCondition {
    /// The field's key.
    pub key: String,
    pub op: FieldOp,
    /// What to compare with (unused for `set` and `not_set`).
    #[serde(default)]
    pub value: String,
}

crate::model::text_enum! {
    /// How a [`FieldCondition`] compares.
    FieldOp, "field condition" {
        /// Equal (case-insensitive for text).
        Is = "is",
        /// Not equal, or no value.
        IsNot = "is_not",
        /// Contains the text.
        Contains = "contains",
        /// Greater than (numbers and dates).
        Gt = "gt",
        /// Less than (numbers and dates).
        Lt = "lt",
        /// Has a value.
        Set = "set",
        /// Has no value.
        NotSet = "not_set",
    }
}

crate::model::text_enum! {
    /// The type of a custom contact field.
    FieldKind, "field type" {
        Text = "text",
        Number = "number",
        Boolean = "boolean",
        /// A calendar date, `YYYY-MM-DD`.
        Date = "date",
        /// One of the field's options.
        Select = "select",
        Url = "url",
    }
}

/// A custom contact field of a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactField {
    pub id: i64,
    /// Lower-case letters, digits and `_`; what the JS API and CSV columns use.
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    /// For `select`: the choices, in order.
    #[serde(default)]
    pub options: Vec<String>,
    /// The widget's `setAttributes` may write it.
    #[serde(default)]
    pub widget_writable: bool,
    /// Asked in the pre-chat form.
    #[serde(default)]
    pub in_prechat: bool,
    /// Required in the pre-chat form.
    #[serde(default)]
    pub required: bool,
    /// How many contacts have a value (what deleting the field removes).
    #[serde(default)]
    pub values: u64,
}

/// A field definition as an admin writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFieldInput {
    pub key: String,
    pub label: String,
    pub kind: Option<FieldKind>,
    /// For `select`: one option per line.
    #[serde(default)]
    pub options: String,
    #[serde(default)]
    pub widget_writable: bool,
    #[serde(default)]
    pub in_prechat: bool,
    #[serde(default)]
    pub required: bool,
}

/// Where the next page of the list starts: after this contact, newest seen first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactCursor {
    pub last_seen_at_ms: i64,
    pub id: ContactId,
}

/// One page of the contact list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPage {
    pub contacts: Vec<Contact>,
    /// How many contacts match the filter in all.
    pub total: u64,
    /// Where the next page starts, when there is one.
    pub next: Option<ContactCursor>,
}

/// A contact with what the contact page shows beside the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDetail {
    pub contact: Contact,
    /// Newest first.
    pub notes: Vec<ContactNote>,
    /// Newest activity first (up to 50).
    pub conversations: Vec<ConversationSummary>,
    /// Site actions and page visits, newest first (up to 100).
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
}

/// Something the contact did on the customer's site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub id: i64,
    /// `event` (a tracked action) or `page` (a page visit).
    pub kind: String,
    /// The action's name, or the page's URL.
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub referrer: String,
    /// The action's data as JSON text (empty when none).
    #[serde(default)]
    pub data: String,
    pub at_ms: i64,
}

/// "Save contact" from a conversation's menu: who the person writing is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveContact {
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// Labels (tags) to put on the contact.
    #[serde(default)]
    pub labels: Vec<LabelId>,
    /// Custom field values by key (only those typed; empty clears).
    #[serde(default)]
    pub custom: BTreeMap<String, String>,
}

/// The workspace's identity settings, as owners and admins see them: the secret its
/// servers sign users' ids with (HMAC-SHA256, hex), and whether `setUser` needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentitySettings {
    pub secret: String,
    pub require_verification: bool,
}

/// A page a visitor's browser shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageView {
    pub url: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub referrer: String,
}

/// A visitor on the site right now, as the Visitors page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlineVisitor {
    pub contact_id: ContactId,
    /// Their name, or "Guest #id" style generated one.
    pub name: String,
    pub kind: ContactKind,
    /// The page shown now (`None` until the widget reported one).
    #[serde(default)]
    pub page: Option<PageView>,
    /// The first page of this visit's referrer (where they came from).
    #[serde(default)]
    pub referrer: String,
    /// Pages seen in this visit.
    #[serde(default)]
    pub pages: u32,
    /// When this visit started.
    pub since_ms: i64,
    #[serde(default)]
    pub browser: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    /// Their open conversation, if any.
    #[serde(default)]
    pub open_conversation: Option<ConversationId>,
}

/// A saved contact filter, with how many contacts match it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub id: i64,
    pub name: String,
    pub filter: ContactFilter,
    pub count: u64,
}

/// A row of an import that cannot be taken, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The line in the file (the header is line 1).
    pub line: u64,
    /// The column's header (empty for the row as a whole).
    pub column: String,
    /// What is wrong, in English.
    pub reason: String,
    /// What is wrong, by message id (see [`Phrase`](crate::Phrase)); absent in imports
    /// stored before phrases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<crate::Phrase>,
}

/// An import: a dry run's findings, or a running or finished import's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStatus {
    /// `None` for a dry run.
    pub id: Option<i64>,
    /// `dry_run`, `queued`, `running` or `done`.
    pub status: String,
    /// Data rows in the file.
    pub total: u64,
    pub processed: u64,
    /// Contacts made (or, in a dry run, that would be).
    pub created: u64,
    /// Contacts updated (or that would be).
    pub updated: u64,
    /// Rows not taken.
    pub failed: u64,
    /// Which column goes to which field (`skip`: not imported).
    #[serde(default)]
    pub mapping: Vec<(String, String)>,
    /// The rows not taken, each with its line, column and reason (the first 100).
    #[serde(default)]
    pub problems: Vec<RowProblem>,
}
