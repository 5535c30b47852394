//! Who may call what: every endpoint × every kind of caller → expected outcome. Every
//! server function the app registers must have a row, so a new module cannot add one
//! without saying who may call it. Runs on SQLite, and on PostgreSQL when
//! `DATABASE_URL` is set.

mod support;

use parley_types::{
    Capability, ClientEvent, ConversationId, ConversationSummary, DepartmentId, LabelId, OperatorEvent, QuickReplyId,
    Role, SavedViewId,
};
use support::{Operator, SITE, Socket, TestApp};

/// The callers every endpoint is tried with.
const CALLERS: [&str; 6] = ["owner", "admin", "operator", "granted operator", "other workspace", "anonymous"];

/// What a caller gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Any 2xx or 3xx answer (or a socket upgrade).
    Ok,
    /// Exactly this status.
    Status(u16),
}

use Outcome::{Ok as OK, Status};

const UNAUTHORIZED: Outcome = Status(401);
const FORBIDDEN: Outcome = Status(403);
const NOT_FOUND: Outcome = Status(404);

/// Server functions (`/api/...`) and other HTTP / socket endpoints, with the outcome for
/// owner, admin, operator, an operator granted every grantable capability, a member of
/// another workspace, and anonymous. Server functions
/// are called with arguments naming a conversation of the owner's workspace.
const TABLE: &[(&str, [Outcome; 6])] = &[
    ("/api/get_session_state", [OK, OK, OK, OK, OK, OK]),
    ("/api/set_availability", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // Each member's own settings.
    ("/api/get_notification_settings", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/set_notification_settings", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/get_availability", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // Each member's own devices.
    ("/api/get_push_key", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/subscribe_push", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/unsubscribe_push", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/list_departments", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/set_conversation_department", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    // Managing departments needs owner or admin ("other workspace" is an operator there).
    ("/api/create_department", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/update_department", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The owner deletes the spare department; for the admin after that it is gone.
    ("/api/delete_department", [OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // A department's own hours and the routing rules: owners and admins; every member
    // reads the rules.
    ("/api/save_department_hours", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/list_routing_rules", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // "Operators see only their departments' conversations": every member reads it,
    // owners and admins turn it on or off (called with off, so nothing else changes).
    ("/api/get_own_departments_only", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/set_own_departments_only", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The workspace's general settings: every member reads them, owners and admins save.
    ("/api/get_workspace_general", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/save_workspace_general", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // Each member's workspaces; switching to Acme is for its members (another's: 404);
    // any member may create one (the caller switches back afterwards).
    ("/api/list_my_workspaces", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/switch_workspace", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/create_my_workspace", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // Owners only; called with the owner's own id and a wrong name, so the owner's call
    // passes the check and is refused as bad input (workspace_admin.rs tests the real ones).
    ("/api/transfer_ownership", [Status(400), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/delete_workspace", [Status(400), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/save_routing_rules", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // A wrong password is refused the same way for everyone.
    ("/api/login", [Status(400), Status(400), Status(400), Status(400), Status(400), Status(400)]),
    // Setup only works while no workspace exists.
    ("/api/setup", [Status(409), Status(409), Status(409), Status(409), Status(409), Status(409)]),
    ("/api/list_conversations", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // Everyone searches their own workspace ("other workspace" finds nothing of Acme's).
    ("/api/search_conversations", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/list_saved_views", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // Everyone has their own Inbox.
    ("/api/list_inbox_items", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/inbox_unread_count", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // The owner's item (an assignment): nobody else's Inbox holds it.
    ("/api/mark_inbox_item", [OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED]),
    ("/api/archive_inbox_item", [OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED]),
    // A bulk answer lists each conversation it could not change: for the other workspace,
    // Acme's conversation is "not found" in that list (bulk.rs checks it).
    ("/api/bulk_conversations", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // Everyone saves personal views; shared ones need owner or admin (below).
    ("/api/create_saved_view", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // The shared view: owners and admins change it; it is not the other workspace's.
    ("/api/update_saved_view", [OK, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, UNAUTHORIZED]),
    // The owner deletes the spare shared view; for everyone after that it is gone.
    ("/api/delete_saved_view", [OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED]),
    ("/api/inbox_counts", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/list_teammates", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/get_conversation", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/send_reply", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/add_note", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/list_labels", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/get_expiry", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/update_expiry", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/list_quick_replies", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // Everyone who replies saves their own ("other workspace" in theirs).
    ("/api/create_quick_reply", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/use_quick_reply", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    // A shared one: owners and admins change it.
    ("/api/update_quick_reply", [OK, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, UNAUTHORIZED]),
    // The owner deletes the spare shared one; for everyone after that it is gone.
    ("/api/delete_quick_reply", [OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED]),
    ("/api/label_conversation", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    // Managing labels needs owner or admin ("other workspace" is an operator there).
    ("/api/create_label", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/update_label", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The owner deletes the spare label; for the admin after that it is gone.
    ("/api/delete_label", [OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/close_conversation", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/snooze_conversation", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/reopen_conversation", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/set_conversation_priority", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/assign_conversation", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/mark_conversation_read", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    // Contacts: every member reads and edits their own workspace's (another's is 404).
    ("/api/list_contacts", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/get_contact", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/update_contact", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/label_contact", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/add_contact_note", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    // The owner's note: the owner deletes it; after that it is gone for everyone (an
    // operator deleting someone else's note is 403: contacts.rs).
    ("/api/delete_contact_note", [OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED]),
    ("/api/save_contact", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    ("/api/list_contact_fields", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/list_online_visitors", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/list_segments", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // Everyone saves segments in their own workspace.
    ("/api/save_segment", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // The owner deletes the spare segment; for everyone after that it is gone.
    ("/api/delete_segment", [OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED]),
    // A bulk answer counts what changed: Acme's contact is not found for the other
    // workspace, which changes nothing (0).
    ("/api/bulk_label_contacts", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // Deleting contacts: owners and admins; the owner deletes the spare one first.
    ("/api/delete_contacts", [OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // Owners and admins, and operators granted `export contacts`.
    ("GET /exports/contacts.csv", [OK, OK, FORBIDDEN, OK, FORBIDDEN, UNAUTHORIZED]),
    // A dry run of an import (with no body: an empty file is 400 for those allowed).
    ("POST /imports/contacts", [Status(400), Status(400), FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The owner's import: another workspace's id is 404.
    ("/api/get_import", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // Writing first to the visitor's contact (another workspace's is 404).
    ("/api/start_conversation", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    // Defining fields needs owner or admin ("other workspace" is an operator there).
    ("/api/create_contact_field", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/update_contact_field", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The owner deletes the spare field; for the admin after that it is gone.
    ("/api/delete_contact_field", [OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The identity secret and contact merges: owners and admins.
    ("/api/get_identity_settings", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/rotate_identity_secret", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/set_require_verification", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The pre-chat form and the email capture: owners and admins (`manage widget`).
    ("/api/get_lead_form_settings", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/save_lead_form_settings", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // API access tokens: owners and admins; the owner revokes the spare one first.
    ("/api/list_access_tokens", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/create_access_token", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/revoke_access_token", [OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The team: owners and admins. The owner removes the spare member; for the admin after
    // that they are gone ("other workspace" is an operator there: refused first).
    ("/api/list_members", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/change_member_role", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/remove_member", [OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // Invitations and the mail server: owners and admins. The owner revokes the spare
    // invitation; for the admin after that it is gone. A test email without a mail server
    // is refused with a sentence.
    ("/api/invite_member", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/list_invitations", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/resend_invitation", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/revoke_invitation", [OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/get_mail_settings", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/save_mail_settings", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/send_test_email", [Status(400), Status(400), FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // Anyone with a link; an unknown token is not found for everyone.
    ("/api/get_invitation", [NOT_FOUND; 6]),
    ("/api/accept_invitation", [NOT_FOUND; 6]),
    // Each member's own account (the password row is refused: wrong current password).
    ("/api/get_profile", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/update_profile", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/change_password", [Status(400), Status(400), Status(400), Status(400), Status(400), UNAUTHORIZED]),
    // Password resets: anyone may ask (the same answer for every address); an unknown link
    // is not found; admins make links for members (the spare member is gone by then for
    // the admin; "other workspace" is refused first).
    ("/api/request_password_reset", [OK; 6]),
    ("/api/get_password_reset", [NOT_FOUND; 6]),
    ("/api/reset_password", [NOT_FOUND; 6]),
    ("/api/make_password_reset_link", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // Business hours: every member reads them; owners and admins save them (no hours:
    // always open).
    ("/api/get_business_hours", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/save_business_hours", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The audit log: owners and admins (`read the audit log`).
    ("/api/list_audit_entries", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/set_audit_retention", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("GET /exports/audit.csv", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The public REST API answers bearer tokens only: a session cookie is no token
    // (access_tokens.rs tests the tokens themselves).
    ("GET /api/v1/me", [UNAUTHORIZED; 6]),
    ("GET /api/v1/workspace", [UNAUTHORIZED; 6]),
    // Merging the spare contact into the visitor's: for the admin after that it is gone.
    ("/api/merge_contacts", [OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("/api/get_widget_settings", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    // "Other workspace" is an operator there: managing the widget needs owner or admin.
    ("/api/update_allowed_origins", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // The widget's look: owners and admins save it (`manage widget`), each from the
    // version they loaded, so each caller's save names the current one.
    ("/api/save_widget_config", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    ("GET /ws/operator", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("GET /transcripts/{id}", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    // Members upload to a conversation of their workspace (another's is 404).
    ("POST /attachments", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    // A file sent in one of the workspace's conversations.
    ("GET /attachments/{id}", [OK, OK, OK, OK, NOT_FOUND, UNAUTHORIZED]),
    // The owner's pending upload: only they remove it (then it is gone for everyone).
    ("DELETE /attachments/{id}", [OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, UNAUTHORIZED]),
    ("/api/get_attachment_limits", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/update_attachment_limits", [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNAUTHORIZED]),
    // Widget endpoints authenticate the page's origin and the visitor token, not the
    // operator session: the same for every caller.
    ("POST /widget/v1/{key}/visitors", [OK, OK, OK, OK, OK, OK]),
    // An operator's session is no visitor token.
    ("GET /widget/v1/{key}/session", [UNAUTHORIZED; 6]),
    // The look and the landing chat are public: every visitor sees them (from an allowed
    // page; widget_config.rs tests the refusals).
    ("GET /widget/v1/{key}/config", [OK; 6]),
    ("GET /chat/{key}", [OK; 6]),
    // The widget's words in a language: the same for everyone.
    ("GET /widget/v1/locales/{lang}", [OK; 6]),
    // A link from an email about unseen replies; without a valid one, nobody gets a session.
    ("POST /widget/v1/{key}/resume", [UNAUTHORIZED; 6]),
    ("GET /widget/v1/{key}/ws", [UNAUTHORIZED; 6]),
    ("POST /widget/v1/{key}/identify", [UNAUTHORIZED; 6]),
    ("POST /widget/v1/{key}/attributes", [UNAUTHORIZED; 6]),
    ("POST /widget/v1/{key}/labels", [UNAUTHORIZED; 6]),
    ("POST /widget/v1/{key}/events", [UNAUTHORIZED; 6]),
    ("POST /widget/v1/{key}/lead", [UNAUTHORIZED; 6]),
    ("POST /widget/v1/{key}/attachments", [UNAUTHORIZED; 6]),
    ("GET /widget/v1/{key}/attachments/{id}", [UNAUTHORIZED; 6]),
    // Public files: the same answer for everyone (here a name no build produces).
    ("GET /pkg/{file}", [NOT_FOUND; 6]),
    ("GET /widget/pkg/{file}", [NOT_FOUND; 6]),
    ("GET /embed.js", [OK, OK, OK, OK, OK, OK]),
    ("GET /healthz", [OK, OK, OK, OK, OK, OK]),
    ("GET /readyz", [OK, OK, OK, OK, OK, OK]),
    // Off unless PARLEY_METRICS_TOKEN is set; then only for its bearer (operating.rs).
    ("GET /metrics", [NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    // Last: they end the caller's session(s).
    ("/api/sign_out_everywhere", [OK, OK, OK, OK, OK, UNAUTHORIZED]),
    ("/api/logout", [OK, OK, OK, OK, OK, OK]),
];

/// Rows of the owner's workspace the endpoints name: a label and a shared quick reply to
/// use and change, and a spare of each to delete.
#[derive(Clone, Copy)]
struct Fixtures {
    kept: LabelId,
    spare: LabelId,
    reply: QuickReplyId,
    spare_reply: QuickReplyId,
    department: DepartmentId,
    spare_department: DepartmentId,
    view: SavedViewId,
    spare_view: SavedViewId,
    /// An item in the owner's Inbox.
    inbox_item: parley_types::InboxItemId,
    /// A file the owner sent in the conversation, and one of theirs not sent yet.
    file: parley_types::AttachmentId,
    pending: parley_types::AttachmentId,
    /// The visitor's contact, and a note the owner wrote on it.
    contact: parley_types::ContactId,
    note: i64,
    /// A custom contact field, and a spare one to delete.
    field: i64,
    spare_field: i64,
    /// A contact to merge into the visitor's, and one to delete.
    spare_contact: parley_types::ContactId,
    doomed_contact: parley_types::ContactId,
    /// A segment the owner saved, to delete.
    spare_segment: i64,
    /// An import the owner started.
    import: i64,
    /// An access token the owner made, to revoke.
    token: i64,
    /// An operator to change the role of, and one to remove.
    teammate: parley_types::UserId,
    spare_member: parley_types::UserId,
    /// An invitation to resend, and one to revoke.
    invitation: i64,
    spare_invitation: i64,
}

fn args(endpoint: &str, caller: &str, id: ConversationId, fx: Fixtures) -> Vec<(&'static str, String)> {
    let id = id.to_string();
    let suffix = caller.replace(' ', "-");
    match endpoint {
        "/api/login" => {
            vec![("email", format!("nobody-{}@x.test", caller.replace(' ', "-"))), ("password", "wrong one".into())]
        }
        "/api/setup" => vec![
            ("workspace_name", "Again".into()),
            ("name", "Eve".into()),
            ("email", "eve@again.test".into()),
            ("password", "long enough password".into()),
            ("origins", String::new()),
        ],
        "/api/get_conversation"
        | "/api/mark_conversation_read"
        | "/api/snooze_conversation"
        | "/api/reopen_conversation"
        | "/api/assign_conversation" => vec![("id", id)],
        "/api/close_conversation" => vec![("id", id), ("outcome", "resolved".into())],
        "/api/set_conversation_priority" => vec![("id", id), ("priority", "critical".into())],
        "/api/send_reply" | "/api/add_note" => {
            vec![("id", id), ("client_id", format!("perm-{}", caller.replace(' ', "-"))), ("text", "hi".into())]
        }
        "/api/update_allowed_origins" => vec![("origins", SITE.into())],
        "/api/label_conversation" => vec![("id", id), ("label", fx.kept.to_string()), ("on", "true".into())],
        "/api/create_label" => vec![("name", format!("New {suffix}")), ("colour", "#1c7ed6".into())],
        "/api/update_label" => {
            vec![("id", fx.kept.to_string()), ("name", format!("Billing {suffix}")), ("colour", "#2b8a3e".into())]
        }
        "/api/delete_label" => vec![("id", fx.spare.to_string())],
        "/api/update_expiry" => vec![("hours", "48".into())],
        "/api/update_attachment_limits" => vec![
            ("image_mb", "5".into()),
            ("video_mb", "16".into()),
            ("audio_mb", "16".into()),
            ("document_mb", "100".into()),
        ],
        "/api/set_availability" => vec![("availability", "online".into())],
        "/api/set_notification_settings" => vec![("desktop", "true".into()), ("sound", "false".into())],
        "/api/subscribe_push" => vec![
            // Nothing listens there: a push to it fails and is retried, unseen here.
            ("endpoint", format!("https://127.0.0.1:9/push/{suffix}")),
            (
                "p256dh",
                "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4".into(),
            ),
            ("auth", "BTBZMqHH6r4Tts7J_aSIgg".into()),
        ],
        "/api/unsubscribe_push" => vec![("endpoint", format!("https://127.0.0.1:9/push/{suffix}"))],
        "/api/set_conversation_department" => vec![("id", id), ("department", fx.department.to_string())],
        "/api/set_own_departments_only" => vec![("on", "false".into())],
        "/api/create_department" | "/api/update_department" => {
            let verb = if endpoint == "/api/update_department" { "Renamed" } else { "New" };
            let mut form = vec![
                ("name", format!("{verb} team {suffix}")),
                ("auto_assign", "true".into()),
                ("capacity", "10".into()),
                ("members", String::new()),
                ("is_default", "false".into()),
            ];
            if endpoint == "/api/update_department" {
                form.push(("id", fx.department.to_string()));
            }
            form
        }
        "/api/delete_department" => vec![("id", fx.spare_department.to_string())],
        "/api/create_quick_reply" => {
            vec![
                ("title", "Hello".into()),
                ("shortcut", format!("hi-{suffix}")),
                ("body", "Hi {{contact.name}}!".into()),
            ]
        }
        "/api/use_quick_reply" => vec![("id", fx.reply.to_string()), ("conversation", id)],
        "/api/update_quick_reply" => vec![
            ("id", fx.reply.to_string()),
            ("title", format!("Thanks {suffix}")),
            ("shortcut", "thanks".into()),
            ("body", "Thank you!".into()),
        ],
        "/api/delete_quick_reply" => vec![("id", fx.spare_reply.to_string())],
        "/api/search_conversations" => vec![("filter[text]", "hello".into())],
        "/api/bulk_conversations" => vec![("ids[0]", id), ("action", "mark_read".into())],
        "/api/create_saved_view" | "/api/update_saved_view" => {
            let mut form = vec![
                ("name", format!("Unread {suffix}")),
                ("shared", (endpoint == "/api/update_saved_view").to_string()),
                ("filter[unread]", "true".into()),
            ];
            if endpoint == "/api/update_saved_view" {
                form.push(("id", fx.view.to_string()));
            }
            form
        }
        "/api/delete_saved_view" => vec![("id", fx.spare_view.to_string())],
        "/api/list_contacts" => vec![("filter[query]", "guest".into())],
        "/api/get_contact" | "/api/add_contact_note" => {
            vec![("id", fx.contact.to_string()), ("body", format!("Note by {suffix}"))]
        }
        "/api/update_contact" => vec![
            ("id", fx.contact.to_string()),
            ("update[name]", format!("Ada {suffix}")),
            ("update[email]", "ada@example.com".into()),
        ],
        "/api/label_contact" => {
            vec![("id", fx.contact.to_string()), ("label", fx.kept.to_string()), ("on", "true".into())]
        }
        "/api/delete_contact_note" => vec![("id", fx.contact.to_string()), ("note", fx.note.to_string())],
        "/api/save_contact" => vec![
            ("conversation", id),
            ("contact[name]", format!("Jane {suffix}")),
            ("contact[phone]", "+49 30 123456".into()),
        ],
        "/api/create_contact_field" | "/api/update_contact_field" => {
            let key = if endpoint == "/api/update_contact_field" {
                "plan".into()
            } else {
                format!("k_{}", suffix.replace('-', "_"))
            };
            let mut form =
                vec![("field[key]", key), ("field[label]", format!("Field {suffix}")), ("field[kind]", "text".into())];
            if endpoint == "/api/update_contact_field" {
                form.push(("id", fx.field.to_string()));
            }
            form
        }
        "/api/start_conversation" => {
            vec![("contact", fx.contact.to_string()), ("client_id", format!("start-{suffix}")), ("text", "Hi".into())]
        }
        "/api/save_segment" => vec![("name", format!("Leads {suffix}")), ("filter[kinds][0]", "lead".into())],
        "/api/delete_segment" => vec![("id", fx.spare_segment.to_string())],
        "/api/bulk_label_contacts" => {
            vec![("ids[0]", fx.contact.to_string()), ("label", fx.kept.to_string()), ("on", "true".into())]
        }
        "/api/delete_contacts" => vec![("ids[0]", fx.doomed_contact.to_string())],
        "/api/get_import" => vec![("id", fx.import.to_string())],
        "/api/set_require_verification" => vec![("on", "false".into())],
        "/api/save_lead_form_settings" => vec![("settings[prechat]", "false".into())],
        "/api/create_access_token" => vec![("name", format!("Token {suffix}")), ("scopes[0]", "contacts:read".into())],
        "/api/revoke_access_token" => vec![("id", fx.token.to_string())],
        "/api/change_member_role" => vec![("user_id", fx.teammate.to_string()), ("role", "operator".into())],
        "/api/remove_member" => vec![("user_id", fx.spare_member.to_string())],
        "/api/set_audit_retention" => vec![("days", "365".into())],
        "/api/update_profile" => vec![("name", format!("Renamed {suffix}"))],
        "/api/change_password" => vec![("current", "not the password".into()), ("new", "another long password".into())],
        "/api/request_password_reset" => vec![("email", "nobody@example.com".into())],
        "/api/get_password_reset" | "/api/reset_password" => {
            vec![("token", "no-such-reset".into()), ("password", "another long password".into())]
        }
        "/api/make_password_reset_link" => vec![("user_id", fx.teammate.to_string())],
        "/api/invite_member" => vec![("email", format!("invitee-{suffix}@example.com")), ("role", "operator".into())],
        "/api/resend_invitation" => vec![("id", fx.invitation.to_string())],
        "/api/revoke_invitation" => vec![("id", fx.spare_invitation.to_string())],
        "/api/save_mail_settings" => {
            vec![
                ("settings[host]", String::new()),
                ("settings[port]", "587".into()),
                ("settings[sender]", String::new()),
            ]
        }
        "/api/send_test_email" => vec![("to", "check@example.com".into())],
        "/api/get_invitation" => vec![("token", "no-such-invitation".into())],
        "/api/accept_invitation" => {
            vec![("token", "no-such-invitation".into()), ("password", "a long enough password".into())]
        }
        "/api/merge_contacts" => vec![("primary", fx.contact.to_string()), ("other", fx.spare_contact.to_string())],
        "/api/delete_contact_field" => vec![("id", fx.spare_field.to_string())],
        "/api/mark_inbox_item" => vec![("id", fx.inbox_item.to_string()), ("read", "true".into())],
        "/api/archive_inbox_item" => vec![("id", fx.inbox_item.to_string()), ("archived", "false".into())],
        _ => vec![],
    }
}

async fn outcome(
    app: &TestApp,
    key: &str,
    caller: &Operator,
    endpoint: &str,
    (id, fx): (ConversationId, Fixtures),
    name: &str,
) -> u16 {
    if let Some(path) = endpoint.strip_prefix("GET /widget/v1/{key}/ws") {
        let url = format!("{}/widget/v1/{key}/ws{path}", app.base.replace("http", "ws"));
        let cookie = caller.cookie();
        let socket =
            Socket::<parley_types::VisitorEvent>::try_connect(&url, &[("Origin", SITE), ("Cookie", &cookie)]).await;
        return match socket {
            Ok(_) => 101,
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
            Err(err) => panic!("{endpoint}: {err}"),
        };
    }
    if let Some(path) = endpoint.strip_prefix("GET /ws/") {
        let url = format!("{}/ws/{path}", app.base.replace("http", "ws"));
        let cookie = caller.cookie();
        let socket =
            Socket::<OperatorEvent>::try_connect(&url, &[("Origin", app.base.as_str()), ("Cookie", &cookie)]).await;
        return match socket {
            Ok(_) => 101,
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
            Err(err) => panic!("{endpoint}: {err}"),
        };
    }
    match endpoint {
        // Sent as JSON, as the app sends it (no hours: always open).
        "/api/save_business_hours" => {
            let url = format!("{}{endpoint}", app.base);
            return caller
                .client
                .post(url)
                .json(&serde_json::json!({}))
                .send()
                .await
                .expect("request")
                .status()
                .as_u16();
        }
        // Acme's settings as they are, as JSON.
        "/api/save_workspace_general" => {
            let ws = parley_services::workspaces::find_by_public_key(&app.services.db, key).await.expect("workspace");
            let general = serde_json::json!({ "general": {
                "name": ws.name, "slug": ws.slug, "logo_url": "", "language": "en", "timezone": "UTC",
            }});
            let url = format!("{}{endpoint}", app.base);
            return caller.client.post(url).json(&general).send().await.expect("request").status().as_u16();
        }
        "/api/switch_workspace" => {
            let ws = parley_services::workspaces::find_by_public_key(&app.services.db, key).await.expect("workspace");
            return caller.call(endpoint.trim_start_matches("/api/"), &[("slug", &ws.slug)]).await.status().as_u16();
        }
        // Creating switches the session: the caller switches back to where they were.
        "/api/create_my_workspace" => {
            let before: Vec<parley_types::WorkspaceChoice> =
                caller.call("list_my_workspaces", &[]).await.json().await.unwrap_or_default();
            let status =
                caller.call("create_my_workspace", &[("name", &format!("Made by {name}"))]).await.status().as_u16();
            if let Some(current) = before.iter().find(|w| w.current) {
                assert_eq!(caller.call("switch_workspace", &[("slug", &current.slug)]).await.status(), 200);
            }
            return status;
        }
        "/api/transfer_ownership" => {
            let me: serde_json::Value = caller.call("get_session_state", &[]).await.json().await.unwrap_or_default();
            let id = me["signed_in"]["user_id"].as_i64().or_else(|| me["SignedIn"]["user_id"].as_i64()).unwrap_or(0);
            return caller.call("transfer_ownership", &[("user_id", &id.to_string())]).await.status().as_u16();
        }
        "/api/delete_workspace" => {
            return caller.call("delete_workspace", &[("name", "not the name")]).await.status().as_u16();
        }
        // Sent as JSON, as the app sends them (no hours: the workspace's; no rules).
        "/api/save_department_hours" | "/api/save_routing_rules" => {
            let body = if endpoint == "/api/save_routing_rules" {
                serde_json::json!({ "rules": [] })
            } else {
                serde_json::json!({ "id": fx.department, "hours": null })
            };
            let url = format!("{}{endpoint}", app.base);
            return caller.client.post(url).json(&body).send().await.expect("request").status().as_u16();
        }
        // Sent as JSON, as the app sends it, from the version stored now.
        "/api/save_widget_config" => {
            let settings = app.services.db.clone();
            let ws = parley_services::workspaces::find_by_public_key(&settings, key).await.expect("workspace");
            let mut config = parley_services::widget_config::config_of(&ws);
            config.greeting = format!("Hello from {name}");
            let url = format!("{}{endpoint}", app.base);
            return caller
                .client
                .post(url)
                .json(&serde_json::json!({ "config": config }))
                .send()
                .await
                .expect("request")
                .status()
                .as_u16();
        }
        "POST /imports/contacts" => {
            let url = format!("{}/imports/contacts?dry_run=true", app.base);
            return caller.client.post(url).send().await.expect("request").status().as_u16();
        }
        "POST /attachments" => {
            let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nperm".to_vec();
            return caller.upload(&format!("conversation={id}"), "perm.pdf", pdf).await.status().as_u16();
        }
        "GET /attachments/{id}" => return caller.download(fx.file).await.status().as_u16(),
        "DELETE /attachments/{id}" => {
            let url = format!("{}/attachments/{}", app.base, fx.pending);
            return caller.client.delete(url).send().await.expect("request").status().as_u16();
        }
        _ => {}
    }
    let response = match endpoint.split_once(' ') {
        Some(("GET", path)) => {
            let path = path
                .replace("{key}", key)
                .replace("{file}", "no-such-file.js")
                .replace("{id}", &id.to_string())
                .replace("{lang}", "es");
            caller.client.get(format!("{}{path}", app.base)).header("Origin", SITE).send().await
        }
        Some(("POST", path)) => {
            let path = path.replace("{key}", key);
            caller.client.post(format!("{}{path}", app.base)).header("Origin", SITE).send().await
        }
        _ => {
            let form: Vec<(&str, String)> = args(endpoint, name, id, fx);
            caller.client.post(format!("{}{endpoint}", app.base)).form(&form).send().await
        }
    };
    response.expect("request").status().as_u16()
}

#[tokio::test]
async fn every_endpoint_answers_each_kind_of_caller_as_the_table_says() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let visitor = app.visitor(&acme).await;
    let (mut widget, _) = app.visitor_socket(&acme, &visitor, 0).await;
    widget.send(&ClientEvent::Send { client_id: "v-1".into(), text: "hello".into(), attachments: vec![] }).await;
    let id = widget.wait_for_message("hello").await.conversation_id;
    let system = parley_services::Actor::System(acme.id);
    let label = |name: &'static str| {
        let (services, system) = (app.services.clone(), system.clone());
        async move { parley_services::labels::create_label(&services, &system, name, "#e03131").await.unwrap().id }
    };
    let owner = parley_services::Actor::Member(
        parley_services::auth::sign_in(&app.services.db, &app.services.throttle, &acme.email, support::PASSWORD)
            .await
            .unwrap(),
    );
    let reply = |shortcut: &'static str| {
        let (services, owner) = (app.services.clone(), owner.clone());
        let input = parley_services::quick_replies::QuickReplyInput {
            title: shortcut.into(),
            shortcut: shortcut.into(),
            body: "Thanks, {{contact.name}}!".into(),
            shared: true,
            files: vec![],
        };
        async move { parley_services::quick_replies::create_quick_reply(&services, &owner, input).await.unwrap().id }
    };
    let department = |name: &'static str| {
        let (services, owner) = (app.services.clone(), owner.clone());
        let input = parley_services::departments::DepartmentInput {
            name: name.into(),
            auto_assign: false,
            capacity: 10,
            members: vec![],
            is_default: false,
            description: String::new(),
            in_picker: false,
        };
        async move { parley_services::departments::create_department(&services, &owner, input).await.unwrap().id }
    };
    let field = |key: &'static str| {
        let (services, owner) = (app.services.clone(), owner.clone());
        let input = parley_types::ContactFieldInput { key: key.into(), label: key.into(), ..Default::default() };
        async move { parley_services::contacts::create_field(&services, &owner, input).await.unwrap().id }
    };
    let view = |name: &'static str| {
        let (services, owner) = (app.services.clone(), owner.clone());
        let input = parley_services::saved_views::SavedViewInput {
            name: name.into(),
            shared: true,
            filter: parley_types::InboxFilter { unread: Some(true), ..Default::default() },
        };
        async move { parley_services::saved_views::create_saved_view(&services, &owner, input).await.unwrap().id }
    };
    // One signed-in owner for the fixtures (every sign-in counts against the address's
    // sign-in allowance).
    let owner_client = app.operator(&acme).await;
    // An admin assigns the conversation to the owner: an item in the owner's Inbox.
    let admin = app.member(&acme, Role::Admin).await;
    let inbox_item = {
        let (owner_id, _) = owner_client.me().await;
        assert_eq!(admin.assign_conversation(id, Some(owner_id)).await.status(), 200);
        let items = owner_client.inbox_items(false).await;
        items[0].id
    };
    let fx = Fixtures {
        kept: label("Billing").await,
        spare: label("Spare").await,
        reply: reply("thanks").await,
        spare_reply: reply("spare").await,
        department: department("Support").await,
        spare_department: department("Spare").await,
        view: view("Unread").await,
        spare_view: view("Spare").await,
        inbox_item,
        file: {
            let owner = &owner_client;
            let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nfixture".to_vec();
            let file: parley_types::Attachment =
                owner.upload(&format!("conversation={id}"), "fixture.pdf", pdf).await.json().await.unwrap();
            assert_eq!(owner.send_reply_with(id, "fixture", "a file", &[file.id]).await.status(), 200);
            file.id
        },
        pending: {
            let owner = &owner_client;
            let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\npending".to_vec();
            let file: parley_types::Attachment =
                owner.upload(&format!("conversation={id}"), "pending.pdf", pdf).await.json().await.unwrap();
            file.id
        },
        contact: visitor.contact_id,
        note: parley_services::contacts::add_note(&app.services, &owner, visitor.contact_id, "fixture", &[])
            .await
            .unwrap()
            .id,
        field: field("plan").await,
        spare_field: field("spare").await,
        spare_contact: app.visitor(&acme).await.contact_id,
        doomed_contact: app.visitor(&acme).await.contact_id,
        import: {
            let request = parley_services::contacts::import::ImportRequest {
                match_on: parley_services::contacts::import::MatchOn::Email,
                mapping: Default::default(),
            };
            let csv = "email\nimported@example.com\n".to_owned();
            parley_services::contacts::import::start_import(&app.services, &owner, csv, &request)
                .await
                .unwrap()
                .id
                .unwrap()
        },
        spare_segment: parley_services::contacts::segments::save_segment(
            &app.services,
            &owner,
            "Spare",
            parley_types::ContactFilter::default(),
        )
        .await
        .unwrap()
        .id,
        token: parley_services::access_tokens::create_token(
            &app.services,
            &owner,
            "Spare",
            &["contacts:read".into()],
            None,
        )
        .await
        .unwrap()
        .token
        .id,
        teammate: add_operator(&app, &owner, "teammate").await,
        spare_member: add_operator(&app, &owner, "spare").await,
        invitation: invite(&app, &owner, "kept-invitee@example.com").await,
        spare_invitation: invite(&app, &owner, "spare-invitee@example.com").await,
    };

    let granted = app.member(&acme, Role::Operator).await;
    let (granted_id, _) = granted.me().await;
    parley_services::members::change_role(&app.services, &owner, granted_id, Role::Operator, Capability::GRANTABLE)
        .await
        .unwrap();
    let callers = [
        owner_client,
        admin,
        app.member(&acme, Role::Operator).await,
        granted,
        app.member(&globex, Role::Operator).await,
        app.anonymous(),
    ];

    let mut failures = Vec::new();
    for (endpoint, expected) in TABLE {
        for ((caller, name), want) in callers.iter().zip(CALLERS).zip(expected) {
            let got = outcome(&app, &acme.key, caller, endpoint, (id, fx), name).await;
            let ok = match want {
                Outcome::Ok => (100..400).contains(&got),
                Outcome::Status(status) => got == *status,
            };
            if !ok {
                failures.push(format!("{endpoint} as {name}: expected {want:?}, got {got}"));
            }
        }
    }
    assert!(failures.is_empty(), "permission table mismatches:\n{}", failures.join("\n"));
}

/// Adds an operator named `name` to the owner's workspace; their user id.
async fn add_operator(app: &TestApp, owner: &parley_services::Actor, name: &str) -> parley_types::UserId {
    let input = parley_services::members::AddMember {
        email: format!("{name}@acme.test"),
        name: name.into(),
        password: support::PASSWORD.into(),
        role: Role::Operator,
    };
    parley_services::members::add_member(&app.services, owner, input).await.unwrap().user_id
}

/// Invites `email` to the owner's workspace as an operator; the invitation's id.
async fn invite(app: &TestApp, owner: &parley_services::Actor, email: &str) -> i64 {
    parley_services::invitations::invite(&app.services, owner, email, Role::Operator, &[]).await.unwrap().invitation.id
}

#[test]
fn every_server_function_has_a_row_in_the_table() {
    // Server functions register themselves when `app` is linked (the harness starts
    // the server, which links it).
    let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    assert!(paths.len() >= 11, "the inventory of server functions looks empty: {paths:?}");
    let missing: Vec<&str> =
        paths.into_iter().filter(|path| !TABLE.iter().any(|(endpoint, _)| endpoint == path)).collect();
    assert!(missing.is_empty(), "server functions without a row in the permission table: {missing:?}");
}
/// The paths the server's source mounts (`.route("…"` and `.nest_service("…"`): every one
/// needs a row, so a module's new endpoint cannot skip the table.
fn mounted_paths() -> Vec<String> {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                for call in [".route(", ".nest_service(", ".route_service("] {
                    for (at, _) in source.match_indices(call) {
                        let rest = source[at + call.len()..].trim_start();
                        if let Some(literal) = rest.strip_prefix('"') {
                            found.push(literal[..literal.find('"').unwrap()].to_owned());
                        }
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut found);
    found
}

#[test]
fn every_mounted_endpoint_has_a_row_in_the_table() {
    let mounted = mounted_paths();
    assert!(mounted.len() >= 8, "found too few routes in server/src: {mounted:?}");
    let rows: Vec<&str> =
        TABLE.iter().map(|(endpoint, _)| endpoint.split_once(' ').map_or(*endpoint, |(_, p)| p)).collect();
    let missing: Vec<&String> = mounted
        .iter()
        .filter(|path| !rows.iter().any(|row| row == path || row.starts_with(&format!("{path}/"))))
        .collect();
    assert!(missing.is_empty(), "endpoints without a row in the permission table: {missing:?}");
}

#[tokio::test]
async fn another_workspaces_conversation_is_not_found() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let visitor = app.visitor(&acme).await;
    let (mut widget, _) = app.visitor_socket(&acme, &visitor, 0).await;
    widget
        .send(&ClientEvent::Send { client_id: "v-1".into(), text: "Acme's secret".into(), attachments: vec![] })
        .await;
    let message = widget.wait_for_message("Acme's secret").await;
    let id = message.conversation_id.to_string();

    let intruder = app.operator(&globex).await;
    for (name, form) in [
        ("get_conversation", vec![("id", id.as_str())]),
        ("send_reply", vec![("id", id.as_str()), ("client_id", "x"), ("text", "hi")]),
        ("add_note", vec![("id", id.as_str()), ("client_id", "x"), ("text", "hi")]),
        ("close_conversation", vec![("id", id.as_str()), ("outcome", "resolved")]),
        ("snooze_conversation", vec![("id", id.as_str())]),
        ("reopen_conversation", vec![("id", id.as_str())]),
        ("set_conversation_priority", vec![("id", id.as_str()), ("priority", "critical")]),
        ("assign_conversation", vec![("id", id.as_str())]),
        ("label_conversation", vec![("id", id.as_str()), ("label", "1"), ("on", "true")]),
        ("use_quick_reply", vec![("id", "1"), ("conversation", id.as_str())]),
    ] {
        let response = intruder.call(name, &form).await;
        assert_eq!(response.status(), 404, "{name}");
    }
    for view in parley_types::InboxView::ALL {
        let list: Vec<ConversationSummary> =
            intruder.call("list_conversations", &[("view", view.as_str())]).await.json().await.unwrap();
        assert!(list.is_empty(), "{view}");
    }
    let counts: parley_types::ViewCounts = intruder.call("inbox_counts", &[]).await.json().await.unwrap();
    assert_eq!(counts, parley_types::ViewCounts::default());

    let mut socket = intruder.socket().await;
    socket.send(&ClientEvent::Resume { conversation_id: Some(message.conversation_id), after_seq: 0 }).await;
    assert!(
        matches!(socket.next_event().await, OperatorEvent::Error(_)),
        "replaying another workspace's messages is refused"
    );
}
