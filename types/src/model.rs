//! Domain values as they cross the wire: statuses, authors, roles, messages and
//! conversation summaries.

use serde::{Deserialize, Serialize};

use crate::ids::{ContactId, ConversationId, LabelId, MessageId, QuickReplyId, UserId};

/// The longest message text accepted, in characters.
pub const MAX_MESSAGE_CHARS: usize = 10_000;

/// A string that names no variant of the enum it was parsed into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    /// What was being parsed (`"status"`, `"role"`, ...).
    pub kind: &'static str,
    /// The rejected input.
    pub value: String,
}

impl std::fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} {:?}", self.kind, self.value)
    }
}

impl std::error::Error for ParseEnumError {}

/// Declares a lower-case string enum with `as_str` and `FromStr`, stored as text in the
/// database and sent as the same text on the wire.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident, $kind:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The text stored in the database and sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)*
                    other => Err($crate::model::ParseEnumError { kind: $kind, value: other.to_owned() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use text_enum;

text_enum! {
    /// Where a conversation stands. A visitor writing into a snoozed or closed
    /// conversation opens it again.
    ConversationStatus, "status" {
        /// Waiting for, or being handled by, an operator.
        Open = "open",
        /// Put aside for later.
        Snoozed = "snoozed",
        /// Done.
        Closed = "closed",
    }
}

text_enum! {
    /// How a closed conversation ended.
    ConversationOutcome, "outcome" {
        /// The customer's question was answered.
        Resolved = "resolved",
        /// The customer went away, or there was nothing to answer.
        Abandoned = "abandoned",
        /// Nobody wrote for the workspace's expiry period.
        Expired = "expired",
    }
}

text_enum! {
    /// How urgent a conversation is: critical ones carry a red badge and sort first.
    ConversationPriority, "priority" {
        Normal = "normal",
        Critical = "critical",
    }
}

text_enum! {
    /// Whether a member takes conversations now. An online member whose last tab closed
    /// becomes away by itself a few minutes later, and online again on return.
    Availability, "availability" {
        Online = "online",
        Away = "away",
        Offline = "offline",
    }
}

text_enum! {
    /// The inbox's views of the conversations.
    InboxView, "view" {
        /// Open and not assigned to anyone: waiting for someone to take it.
        Live = "live",
        /// Open and assigned to the member looking.
        Mine = "mine",
        /// Open and assigned to anyone.
        Assigned = "assigned",
        /// Put aside until a time or until the customer writes.
        Snoozed = "snoozed",
        /// Closed (resolved, abandoned or expired).
        Archived = "archived",
    }
}

text_enum! {
    /// What a comment (and an Inbox item) belongs to; articles, tickets, workflows and
    /// broadcasts join later.
    EntityKind, "entity" {
        Conversation = "conversation",
        /// A note on a contact.
        Contact = "contact",
    }
}

text_enum! {
    /// Why something is in a member's Inbox.
    InboxItemKind, "inbox item" {
        /// Someone mentioned them in a comment.
        Mention = "mention",
        /// A conversation was assigned to them.
        Assignment = "assignment",
    }
}

/// How a member is told about a new Live conversation, a message in Mine or a mention
/// (never about the conversation already in view).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    /// A desktop notification (the browser asks permission when this is turned on).
    pub desktop: bool,
    /// A short sound.
    pub sound: bool,
}

/// An item in a member's personal Inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: crate::ids::InboxItemId,
    pub kind: InboxItemKind,
    pub entity: EntityKind,
    pub entity_id: i64,
    /// Where in the entity (a conversation line's seq), to open it there.
    pub position: Option<i64>,
    /// Who mentioned or assigned (`None`: Parley).
    pub actor_name: Option<String>,
    pub excerpt: String,
    pub created_at_ms: i64,
    pub read: bool,
    pub archived: bool,
}

text_enum! {
    /// What a bulk action does to each conversation.
    BulkActionKind, "bulk action" {
        /// To a member (`assignee`), or unassigned without one.
        Assign = "assign",
        /// Puts `label` on.
        Label = "label",
        /// Takes `label` off.
        Unlabel = "unlabel",
        /// Until `until_ms`, or until the customer writes.
        Snooze = "snooze",
        /// With an `outcome` (and an optional `comment`).
        Close = "close",
        Reopen = "reopen",
        /// Read for the member acting.
        MarkRead = "mark_read",
    }
}

text_enum! {
    /// Where a conversation came from (external channels add theirs).
    Channel, "channel" {
        /// The website widget.
        Widget = "widget",
    }
}

text_enum! {
    /// What a contact is to the business.
    ContactKind, "contact type" {
        /// An anonymous visitor.
        Guest = "guest",
        /// Someone who left contact details.
        Lead = "lead",
        /// A known customer.
        Customer = "customer",
    }
}

text_enum! {
    /// The order of a view's conversations.
    InboxSort, "sort" {
        /// Newest activity first.
        Latest = "latest",
        /// The customer who has waited longest for an answer first.
        LongestWaiting = "longest_waiting",
        /// Critical first, then newest activity.
        Priority = "priority",
    }
}

text_enum! {
    /// Who wrote a message.
    Author, "author" {
        /// The contact, through the widget.
        Visitor = "visitor",
        /// A workspace member.
        Operator = "operator",
        /// Parley itself (status changes and notices).
        System = "system",
    }
}

text_enum! {
    /// A member's role in a workspace.
    Role, "role" {
        /// Created the workspace; can do everything.
        Owner = "owner",
        /// Manages settings and members.
        Admin = "admin",
        /// Answers conversations.
        Operator = "operator",
    }
}

/// One stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    /// Position in its conversation, from 1 without gaps: the cursor a reconnecting client
    /// sends to receive exactly what it missed.
    pub seq: i64,
    pub author: Author,
    /// The operator's display name, for operator messages.
    pub author_name: Option<String>,
    /// Plain text as the author wrote it; every renderer escapes it.
    pub text: String,
    /// The id the sending client chose, which makes a resend idempotent.
    pub client_id: Option<String>,
    pub created_at_ms: i64,
    /// A line for the team only (status changes, notes): never sent to a visitor, and
    /// left out of the wire when false so the widget's protocol does not change.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
    /// Files sent with the message (left out of the wire when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::Attachment>,
    /// A system line by message id, for the operator app to say in its language; `text`
    /// holds it in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<crate::Phrase>,
}

/// A conversation as the inbox lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub contact_id: ContactId,
    pub contact_name: String,
    pub status: ConversationStatus,
    pub assignee_id: Option<UserId>,
    /// How many messages the visitor wrote in it.
    #[serde(default)]
    pub visitor_messages: i64,
    /// Visitor messages a member without a read mark of their own counts as read (the
    /// team's shared count from before marks were per member; 0 for newer conversations).
    #[serde(default)]
    pub read_floor: i64,
    /// What each member who opened it has read.
    #[serde(default)]
    pub reads: Vec<ReadMark>,
    /// The newest message the visitor's widget displayed (their "Seen", 0: none).
    #[serde(default)]
    pub visitor_read_seq: i64,
    /// The newest message's text, shortened for the list.
    pub last_message: Option<String>,
    pub last_author: Option<Author>,
    /// The newest message's sequence number (0 when there is none).
    pub last_seq: i64,
    pub last_activity_ms: i64,
    pub priority: ConversationPriority,
    /// How it ended, once closed.
    pub outcome: Option<ConversationOutcome>,
    /// When a snooze ends (`None` while snoozed: when the customer writes).
    pub snoozed_until_ms: Option<i64>,
    /// Since when the customer has waited for an answer (`None`: answered).
    pub waiting_since_ms: Option<i64>,
    /// The workspace labels on it.
    #[serde(default)]
    pub labels: Vec<LabelId>,
    /// The department it is assigned to, if any.
    #[serde(default)]
    pub department_id: Option<crate::ids::DepartmentId>,
}

/// How far one member has read a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadMark {
    pub user_id: UserId,
    /// The newest message they have seen.
    pub seq: i64,
    /// How many of the visitor's messages were up to `seq`.
    pub visitor_messages: i64,
}

/// A saved answer an operator inserts with `/shortcut`. Its body may name variables
/// (`{{contact.name}}`, `{{operator.name}}`), filled in when it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    pub id: QuickReplyId,
    pub title: String,
    /// Letters, digits, `-` and `_`; typed after `/` in the composer.
    pub shortcut: String,
    pub body: String,
    /// Shared with the workspace (`false`: the member's own).
    pub shared: bool,
    pub usage_count: i64,
    /// Whether the member looking may change or delete it.
    pub can_edit: bool,
    /// Files sent with it each time it is used.
    #[serde(default)]
    pub attachments: Vec<crate::Attachment>,
}

/// A conversation label: a name and a colour (`#rrggbb`), managed by admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub id: LabelId,
    pub name: String,
    pub colour: String,
}

impl ConversationSummary {
    /// The visitor's messages that member `me` has not read yet.
    pub fn unread_for(&self, me: UserId) -> i64 {
        let read = self.reads.iter().find(|r| r.user_id == me).map_or(self.read_floor, |r| r.visitor_messages);
        (self.visitor_messages - read).max(0)
    }

    /// The newest message any member has read: what the visitor sees as "Seen".
    pub fn team_read_seq(&self) -> i64 {
        self.reads.iter().map(|r| r.seq).max().unwrap_or(0)
    }

    /// Takes a member's newer read mark (an older one, arriving late, changes nothing).
    pub fn apply_read(&mut self, mark: ReadMark) {
        match self.reads.iter_mut().find(|r| r.user_id == mark.user_id) {
            Some(r) if r.seq >= mark.seq => {}
            Some(r) => *r = mark,
            None => self.reads.push(mark),
        }
    }

    /// Whether the conversation belongs in `view` for the member `me`.
    pub fn in_view(&self, view: InboxView, me: UserId) -> bool {
        let open = self.status == ConversationStatus::Open;
        match view {
            InboxView::Live => open && self.assignee_id.is_none(),
            InboxView::Mine => open && self.assignee_id == Some(me),
            InboxView::Assigned => open && self.assignee_id.is_some(),
            InboxView::Snoozed => self.status == ConversationStatus::Snoozed,
            InboxView::Archived => self.status == ConversationStatus::Closed,
        }
    }
}

impl InboxSort {
    /// The sort's leading key of a conversation, compared ascending: how long the customer
    /// has waited (answered ones last), or critical first; constant for "latest".
    pub fn lead_key(self, c: &ConversationSummary) -> i64 {
        match self {
            InboxSort::Latest => 0,
            InboxSort::LongestWaiting => c.waiting_since_ms.unwrap_or(i64::MAX),
            InboxSort::Priority => i64::from(c.priority != ConversationPriority::Critical),
        }
    }

    /// Orders two conversations as the server's query does (the lead key ascending, then
    /// newest activity, then newest id), so a list kept live in the browser stays in the
    /// order it was loaded in.
    pub fn compare(self, a: &ConversationSummary, b: &ConversationSummary) -> std::cmp::Ordering {
        self.lead_key(a).cmp(&self.lead_key(b)).then(b.last_activity_ms.cmp(&a.last_activity_ms)).then(b.id.cmp(&a.id))
    }

    /// Where the next page starts: after `last`, the last conversation shown.
    pub fn cursor_after(self, last: &ConversationSummary) -> InboxCursor {
        InboxCursor { lead: self.lead_key(last), last_activity_ms: last.last_activity_ms, id: last.id.0 }
    }
}

/// A position in a sorted view: the next page holds the conversations after it. Sent as
/// `lead.activity.id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct InboxCursor {
    pub lead: i64,
    pub last_activity_ms: i64,
    pub id: i64,
}

impl From<InboxCursor> for String {
    fn from(c: InboxCursor) -> String {
        format!("{}.{}.{}", c.lead, c.last_activity_ms, c.id)
    }
}

impl TryFrom<String> for InboxCursor {
    type Error = ParseEnumError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let bad = || ParseEnumError { kind: "cursor", value: text.clone() };
        let mut parts = text.split('.').map(str::parse::<i64>);
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(Ok(lead)), Some(Ok(last_activity_ms)), Some(Ok(id)), None) => {
                Ok(InboxCursor { lead, last_activity_ms, id })
            }
            _ => Err(bad()),
        }
    }
}

/// A member of the workspace as teammates see them (to assign a conversation, or to
/// mention).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Teammate {
    pub user_id: UserId,
    pub name: String,
    pub role: Role,
    pub availability: Availability,
}

/// A team of members that conversations are assigned to. With `auto_assign` on, its
/// conversations waiting in Live go round-robin to its online members who have fewer than
/// `capacity` open conversations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: crate::ids::DepartmentId,
    pub name: String,
    pub auto_assign: bool,
    /// Open conversations a member may hold before auto-assignment passes them by.
    pub capacity: i64,
    pub members: Vec<UserId>,
    /// New conversations go to this department.
    pub is_default: bool,
    /// What it does, shown under its name in the widget's picker.
    #[serde(default)]
    pub description: String,
    /// Offered in the widget's pre-chat department picker.
    #[serde(default)]
    pub in_picker: bool,
    /// Its own business hours (`None`: the workspace's).
    #[serde(default)]
    pub hours: Option<crate::BusinessHours>,
}

/// Default open conversations per member for auto-assignment.
pub const DEFAULT_CAPACITY: i64 = 10;
/// Most open conversations per member a department may allow.
pub const MAX_CAPACITY: i64 = 1000;

/// Every view's count for the whole team, Mine per member: what the server pushes to
/// operators after conversations change (each picks their own Mine).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamViewCounts {
    pub live: i64,
    pub assigned: i64,
    pub snoozed: i64,
    pub archived: i64,
    /// Open conversations per assignee.
    pub mine: Vec<(UserId, i64)>,
}

impl TeamViewCounts {
    /// The counts as `me` sees them.
    pub fn for_member(&self, me: UserId) -> ViewCounts {
        ViewCounts {
            live: self.live,
            mine: self.mine.iter().find(|(user, _)| *user == me).map_or(0, |(_, n)| *n),
            assigned: self.assigned,
            snoozed: self.snoozed,
            archived: self.archived,
        }
    }
}

/// How many conversations each view holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewCounts {
    pub live: i64,
    pub mine: i64,
    pub assigned: i64,
    pub snoozed: i64,
    pub archived: i64,
}

impl ViewCounts {
    pub fn of(&self, view: InboxView) -> i64 {
        match view {
            InboxView::Live => self.live,
            InboxView::Mine => self.mine,
            InboxView::Assigned => self.assigned,
            InboxView::Snoozed => self.snoozed,
            InboxView::Archived => self.archived,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: i64, at: i64) -> ConversationSummary {
        ConversationSummary {
            id: ConversationId(id),
            contact_id: ContactId(id),
            contact_name: String::new(),
            status: ConversationStatus::Open,
            assignee_id: None,
            visitor_messages: 0,
            read_floor: 0,
            reads: Vec::new(),
            visitor_read_seq: 0,
            last_message: None,
            last_author: None,
            last_seq: 0,
            last_activity_ms: at,
            priority: ConversationPriority::Normal,
            outcome: None,
            snoozed_until_ms: None,
            waiting_since_ms: None,
            labels: Vec::new(),
            department_id: None,
        }
    }

    fn order(sort: InboxSort, mut rows: Vec<ConversationSummary>) -> Vec<i64> {
        rows.sort_by(|a, b| sort.compare(a, b));
        rows.iter().map(|r| r.id.0).collect()
    }

    #[test]
    fn sorts_put_the_newest_the_longest_waiting_or_the_critical_first() {
        let mut waiting_long = summary(1, 10);
        waiting_long.waiting_since_ms = Some(5);
        let mut waiting = summary(2, 20);
        waiting.waiting_since_ms = Some(15);
        let mut critical = summary(3, 5);
        critical.priority = ConversationPriority::Critical;
        let answered = summary(4, 30);
        let rows = vec![waiting_long, waiting, critical, answered];
        assert_eq!(order(InboxSort::Latest, rows.clone()), [4, 2, 1, 3]);
        assert_eq!(order(InboxSort::LongestWaiting, rows.clone()), [1, 2, 4, 3]);
        assert_eq!(order(InboxSort::Priority, rows), [3, 4, 2, 1]);
    }

    #[test]
    fn cursors_travel_as_text_and_bad_ones_are_refused() {
        let cursor = InboxCursor { lead: i64::MAX, last_activity_ms: 12, id: 3 };
        let text = String::from(cursor);
        assert_eq!(InboxCursor::try_from(text), Ok(cursor));
        for bad in ["", "1.2", "1.2.3.4", "a.b.c", "1..3"] {
            assert!(InboxCursor::try_from(bad.to_owned()).is_err(), "{bad}");
        }
    }

    #[test]
    fn unread_counts_per_member_from_their_mark_or_the_floor() {
        let (ada, ben, cy) = (UserId(1), UserId(2), UserId(3));
        let mut row = summary(1, 0);
        row.visitor_messages = 5;
        row.read_floor = 1;
        row.apply_read(ReadMark { user_id: ada, seq: 6, visitor_messages: 3 });
        row.apply_read(ReadMark { user_id: ben, seq: 9, visitor_messages: 5 });
        assert_eq!((row.unread_for(ada), row.unread_for(ben), row.unread_for(cy)), (2, 0, 4));
        assert_eq!(row.team_read_seq(), 9);
        // A late, older mark does not move Ben back; a newer one moves Ada on.
        row.apply_read(ReadMark { user_id: ben, seq: 4, visitor_messages: 2 });
        row.apply_read(ReadMark { user_id: ada, seq: 9, visitor_messages: 5 });
        assert_eq!((row.unread_for(ada), row.unread_for(ben)), (0, 0));
    }

    #[test]
    fn a_summary_is_in_the_views_its_status_and_assignee_say() {
        let me = UserId(7);
        let mut row = summary(1, 0);
        assert!(row.in_view(InboxView::Live, me) && !row.in_view(InboxView::Assigned, me));
        row.assignee_id = Some(me);
        assert!(row.in_view(InboxView::Mine, me) && row.in_view(InboxView::Assigned, me));
        assert!(!row.in_view(InboxView::Mine, UserId(8)) && !row.in_view(InboxView::Live, me));
        row.status = ConversationStatus::Snoozed;
        assert!(row.in_view(InboxView::Snoozed, me) && !row.in_view(InboxView::Mine, me));
        row.status = ConversationStatus::Closed;
        assert!(row.in_view(InboxView::Archived, me));
    }

    #[test]
    fn every_status_parses_back_from_its_text() {
        for status in ConversationStatus::ALL {
            assert_eq!(status.as_str().parse::<ConversationStatus>(), Ok(*status));
        }
        let err = "pending".parse::<ConversationStatus>().unwrap_err();
        assert_eq!(err.to_string(), "unknown status \"pending\"");
    }
}
