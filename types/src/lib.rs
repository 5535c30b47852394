//! Wire types that the Parley server, the operator app and the widget all speak.
//!
//! This crate compiles to `wasm32-unknown-unknown` and depends on `serde` alone, so the
//! widget and the hydrated app can use it without pulling anything server-only.
//! Times cross the wire as Unix milliseconds (`i64`), so no date crate is needed here.

mod access;
mod attachment;
mod audit;
mod contact;
mod error;
mod events;
mod filter;
mod hours;
mod ids;
mod lead_form;
mod model;
mod phrase;
mod routing;
mod team;
mod token;
mod widget;
mod workspace;

pub use access::Capability;
pub use attachment::{Attachment, AttachmentKind, AttachmentLimits, MAX_ATTACHMENTS, MAX_IMAGE_PIXELS, human_size};
pub use audit::{
    AUDIT_PAGE_SIZE, AUDIT_RETENTION_DEFAULT_DAYS, AUDIT_RETENTION_MAX_DAYS, AUDIT_RETENTION_MIN_DAYS, AuditAction,
    AuditActor, AuditEntry, AuditFilter, AuditPage,
};
pub use contact::{
    CONTACT_PAGE, Contact, ContactCursor, ContactDetail, ContactField, ContactFieldInput, ContactFilter, ContactNote,
    ContactPage, ContactUpdate, FieldCondition, FieldKind, FieldOp, IdentitySettings, ImportStatus, MAX_CONTACT_NAME,
    MAX_CONTACT_NOTE, OnlineVisitor, PageView, RowProblem, SaveContact, Segment, TimelineEntry,
};
pub use error::{ApiError, ErrorCode, FieldError};
pub use events::{ClientEvent, OperatorEvent, Viewer, VisitorEvent, WidgetSession};
pub use filter::{
    Assignee, BulkFailure, BulkResult, InboxFilter, MAX_BULK, MAX_FILTER_VALUES, MAX_SEARCH_CHARS, MAX_SEARCH_WORDS,
    SavedView, SearchHit, Snippet, SnippetPart, search_words,
};
pub use hours::{BusinessHours, Holiday, HoursStatus, Interval, WEEKDAYS};
pub use ids::{
    AttachmentId, ContactId, ConversationId, DepartmentId, InboxItemId, LabelId, MessageId, QuickReplyId, SavedViewId,
    UserId, WorkspaceId,
};
pub use lead_form::{
    Ask, Consent, EMAIL_CAPTURE_SECS, LeadFormKind, LeadFormSettings, LeadSubmission, MAX_CONSENT_TEXT, MAX_FORM_INTRO,
    PrechatField, PrechatForm,
};
pub use model::{
    Author, Availability, BulkActionKind, Channel, ContactKind, ConversationOutcome, ConversationPriority,
    ConversationStatus, ConversationSummary, DEFAULT_CAPACITY, Department, EntityKind, InboxCursor, InboxItem,
    InboxItemKind, InboxSort, InboxView, Label, MAX_CAPACITY, MAX_MESSAGE_CHARS, Message, NotificationSettings,
    ParseEnumError, QuickReply, ReadMark, Role, TeamViewCounts, Teammate, ViewCounts,
};
pub use phrase::{PHRASE_CATALOGS, Phrase, PhraseArg};
pub use routing::{MAX_ROUTING_RULES, MAX_ROUTING_VALUE, RouteFacts, RouteWhen, RoutingRule, check_rules, route};
pub use team::{
    INVITATION_DAYS, Invitation, InvitationPreview, NewInvitation, PASSWORD_RESET_MINUTES, Profile, RoleRow,
    SmtpSettings, SmtpTls, TeamMember, roles_table,
};
pub use token::{API_SCOPES, AccessToken, MAX_TOKEN_DAYS, MAX_TOKEN_NAME, NewAccessToken, scope_for, scopes_allow};
pub use widget::{
    MAX_GREETING, MAX_LANDING_TITLE, MAX_LAUNCHER_TEXT, MAX_LOGO_URL, MAX_OFFSET, MAX_TEAM_NAME, ReplyTime,
    WCAG_AA_CONTRAST, WIDGET_LANGUAGES, WidgetAvatar, WidgetConfig, WidgetLook, WidgetPosition, contrast_ratio,
    is_https_url, parse_hex_color,
};
pub use workspace::{APP_LANGUAGES, MAX_WORKSPACE_NAME, WorkspaceChoice, WorkspaceGeneral, is_slug, slug_of};
