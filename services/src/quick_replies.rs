//! Quick replies: saved answers an operator inserts with `/shortcut`. Shared ones belong
//! to the workspace and are managed by owners and admins (`manage shared quick replies`);
//! every member who may reply manages their own personal ones. A body may name variables,
//! filled in for the conversation it is used in.

use parley_types::{Capability, ConversationId, OperatorEvent, QuickReply, QuickReplyId, phrase};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder, Set};

use crate::Services;
use crate::access::{Actor, Member, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::conversations::{get_summary, readable_conversation};
use crate::entities::quick_reply;
use crate::error::{ServiceError, ServiceResult, conflict_on_unique};

/// The variables a body may name, and what fills them.
pub const VARIABLES: &[&str] = &["contact.name", "operator.name"];
/// Longest title, in characters.
const MAX_TITLE: usize = 80;
/// Longest shortcut, in characters.
const MAX_SHORTCUT: usize = 32;

/// What a quick reply is made of, as a member writes it.
#[derive(Debug, Clone)]
pub struct QuickReplyInput {
    pub title: String,
    pub shortcut: String,
    pub body: String,
    pub shared: bool,
    /// The member's pending uploads to keep on it (creating only).
    pub files: Vec<parley_types::AttachmentId>,
}

fn to_quick_reply(row: quick_reply::Model, actor: &Actor, attachments: Vec<parley_types::Attachment>) -> QuickReply {
    let can_edit = may_edit(actor, row.owner_user_id);
    QuickReply {
        id: QuickReplyId(row.id),
        title: row.title,
        shortcut: row.shortcut,
        body: row.body,
        shared: row.owner_user_id.is_none(),
        usage_count: row.usage_count,
        can_edit,
        attachments,
    }
}

/// Shared ones need `manage shared quick replies`; personal ones are their owner's.
pub(crate) fn may_edit(actor: &Actor, owner: Option<i64>) -> bool {
    match (owner, actor) {
        (None, _) => actor.can(Capability::ManageSharedQuickReplies),
        (Some(owner), Actor::Member(m)) => m.user_id.0 == owner,
        (Some(_), _) => false,
    }
}

/// The `{{name}}` variables in `body`, or a refusal naming one that does not exist.
fn check_variables(body: &str) -> ServiceResult<()> {
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(ServiceError::Invalid(phrase!("err-quick-replies-unclosed")));
        };
        let name = after[..end].trim();
        if !VARIABLES.contains(&name) {
            return Err(ServiceError::Invalid(phrase!(
                "err-quick-replies-unknown-variable",
                name = name,
                variables = VARIABLES.iter().map(|v| format!("{{{{{v}}}}}")).collect::<Vec<_>>().join(", ")
            )));
        }
        rest = &after[end + 2..];
    }
    Ok(())
}

fn check(input: &QuickReplyInput) -> ServiceResult<QuickReplyInput> {
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(ServiceError::Invalid(phrase!("err-quick-replies-title", max = MAX_TITLE)));
    }
    let shortcut = input.shortcut.trim().trim_start_matches('/').to_lowercase();
    let valid = !shortcut.is_empty()
        && shortcut.chars().count() <= MAX_SHORTCUT
        && shortcut.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(ServiceError::Invalid(phrase!("err-quick-replies-shortcut", max = MAX_SHORTCUT)));
    }
    crate::conversations::check_text(&input.body)?;
    check_variables(&input.body)?;
    Ok(QuickReplyInput {
        title: title.to_owned(),
        shortcut,
        body: input.body.clone(),
        shared: input.shared,
        files: input.files.clone(),
    })
}

fn taken(shortcut: &str) -> ServiceError {
    ServiceError::Conflict(phrase!("err-quick-replies-taken", shortcut = shortcut))
}

/// The quick replies the member may use: the workspace's shared ones and their own, by
/// shortcut. Needs `reply in conversations`.
pub async fn list_quick_replies(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<QuickReply>> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let member = actor.member()?;
    let rows = scope
        .find::<quick_reply::Entity>()
        .filter(
            Condition::any()
                .add(quick_reply::Column::OwnerUserId.is_null())
                .add(quick_reply::Column::OwnerUserId.eq(member.user_id.0)),
        )
        .order_by_asc(quick_reply::Column::Shortcut)
        .order_by_asc(quick_reply::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let mut files: std::collections::HashMap<i64, Vec<parley_types::Attachment>> = Default::default();
    for (quick_reply, file) in crate::attachments::of_quick_replies(db, scope, &ids).await? {
        files.entry(quick_reply).or_default().push(file);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let kept = files.remove(&row.id).unwrap_or_default();
            to_quick_reply(row, actor, kept)
        })
        .collect())
}

/// Saves a new quick reply: shared (needs `manage shared quick replies`) or the member's
/// own (needs `reply in conversations`).
pub async fn create_quick_reply(svc: &Services, actor: &Actor, input: QuickReplyInput) -> ServiceResult<QuickReply> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let member = actor.member()?;
    let input = check(&input)?;
    if input.shared {
        actor.require(Capability::ManageSharedQuickReplies)?;
    }
    let mut w = svc.begin().await?;
    let inserted = quick_reply::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        owner_user_id: Set((!input.shared).then_some(member.user_id.0)),
        title: Set(input.title),
        shortcut: Set(input.shortcut.clone()),
        body: Set(input.body),
        usage_count: Set(0),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(w.txn())
    .await;
    let row = inserted.map_err(|err| conflict_on_unique(err, || taken(&input.shortcut)))?;
    let files = crate::attachments::keep(&w, scope, actor, QuickReplyId(row.id), &input.files).await?;
    audit_shared(&mut w, actor, None, Some(&row)).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::QuickRepliesChanged);
    w.commit().await?;
    Ok(to_quick_reply(row, actor, files))
}

/// The quick reply `id` the member may see (shared, or their own).
pub(crate) async fn visible(
    db: &impl ConnectionTrait,
    scope: Scope,
    member: &Member,
    id: QuickReplyId,
) -> ServiceResult<quick_reply::Model> {
    let row = scope
        .find::<quick_reply::Entity>()
        .filter(quick_reply::Column::Id.eq(id.0))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    match row.owner_user_id {
        Some(owner) if owner != member.user_id.0 => Err(ServiceError::NotFound),
        _ => Ok(row),
    }
}

/// The quick reply `id` if the actor may change it: not found unless they may see it,
/// forbidden unless they may change it.
async fn editable(
    w: &crate::Write,
    scope: Scope,
    actor: &Actor,
    id: QuickReplyId,
) -> ServiceResult<quick_reply::Model> {
    let row = visible(w.txn(), scope, actor.member()?, id).await?;
    if !may_edit(actor, row.owner_user_id) {
        return Err(ServiceError::Forbidden);
    }
    Ok(row)
}

/// Changes a quick reply's title, shortcut and body (its scope stays). Shared ones need
/// `manage shared quick replies`; personal ones are their owner's.
pub async fn update_quick_reply(
    svc: &Services,
    actor: &Actor,
    id: QuickReplyId,
    input: QuickReplyInput,
) -> ServiceResult<QuickReply> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let mut w = svc.begin().await?;
    let row = editable(&w, scope, actor, id).await?;
    let input = check(&QuickReplyInput { shared: row.owner_user_id.is_none(), ..input })?;
    let before = row.clone();
    let mut active: quick_reply::ActiveModel = row.into();
    active.title = Set(input.title);
    active.shortcut = Set(input.shortcut.clone());
    active.body = Set(input.body);
    let row = active.update(w.txn()).await.map_err(|err| conflict_on_unique(err, || taken(&input.shortcut)))?;
    let files = crate::attachments::of_quick_replies(w.txn(), scope, &[row.id]).await?;
    audit_shared(&mut w, actor, Some(&before), Some(&row)).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::QuickRepliesChanged);
    w.commit().await?;
    Ok(to_quick_reply(row, actor, files.into_iter().map(|(_, file)| file).collect()))
}

/// The audit entry of a change to a shared quick reply (personal ones are their owner's
/// business, not the workspace's setup).
async fn audit_shared(
    w: &mut crate::Write,
    actor: &Actor,
    before: Option<&quick_reply::Model>,
    after: Option<&quick_reply::Model>,
) -> ServiceResult<()> {
    let Some(row) = after.or(before).filter(|r| r.owner_user_id.is_none()) else { return Ok(()) };
    let shown =
        |r: &quick_reply::Model| serde_json::json!({ "title": r.title, "shortcut": r.shortcut, "body": r.body });
    w.audit_change(actor, format!("shared quick reply /{}", row.shortcut), before.map(shown), after.map(shown)).await
}

/// Deletes a quick reply, on the same terms as changing it.
/// Its files go with it (their rows by cascade; their bytes once no message refers to
/// them).
pub async fn delete_quick_reply(svc: &Services, actor: &Actor, id: QuickReplyId) -> ServiceResult<()> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let mut w = svc.begin().await?;
    let row = editable(&w, scope, actor, id).await?;
    audit_shared(&mut w, actor, Some(&row), None).await?;
    let files = crate::attachments::object_keys_of_quick_reply(w.txn(), scope, row.id).await?;
    scope.delete_many::<quick_reply::Entity>().filter(quick_reply::Column::Id.eq(row.id)).exec(w.txn()).await?;
    let unused = crate::attachments::unreferenced(w.txn(), scope, files).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::QuickRepliesChanged);
    w.commit().await?;
    crate::attachments::delete_objects(svc, &unused).await;
    Ok(())
}

/// A quick reply's body for a conversation, its variables filled in (the contact's name,
/// the member's), and its use counted. The text goes into the composer; sending it is
/// up to the member.
pub async fn use_quick_reply(
    svc: &Services,
    actor: &Actor,
    id: QuickReplyId,
    conversation_id: ConversationId,
) -> ServiceResult<String> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let member = actor.member()?;
    readable_conversation(&svc.db, actor, conversation_id).await?;
    let summary = get_summary(&svc.db, actor, conversation_id).await?;
    let w = svc.begin().await?;
    let row = visible(w.txn(), scope, member, id).await?;
    scope
        .update_many::<quick_reply::Entity>()
        .col_expr(quick_reply::Column::UsageCount, Expr::col(quick_reply::Column::UsageCount).add(1))
        .filter(quick_reply::Column::Id.eq(row.id))
        .exec(w.txn())
        .await?;
    w.commit().await?;
    Ok(fill(&row.body, &summary.contact_name, &member.name))
}

/// Fills the variables in `body`.
fn fill(body: &str, contact_name: &str, operator_name: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        match after[..end].trim() {
            "contact.name" => out.push_str(contact_name),
            "operator.name" => out.push_str(operator_name),
            other => out.push_str(&format!("{{{{{other}}}}}")),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_checked_and_filled() {
        assert!(check_variables("Hi {{contact.name}}, {{ operator.name }} here.").is_ok());
        let err = check_variables("Hi {{contact.email}}").unwrap_err().to_string();
        assert!(err.contains("contact.email") && err.contains("{{contact.name}}"), "{err}");
        assert!(check_variables("Hi {{contact.name").is_err());
        assert_eq!(fill("Hi {{contact.name}}, {{ operator.name }} here.", "Lea", "Ada"), "Hi Lea, Ada here.");
        assert_eq!(fill("No variables", "Lea", "Ada"), "No variables");
    }

    #[test]
    fn shortcuts_are_short_plain_and_lower_case() {
        let input = |shortcut: &str| QuickReplyInput {
            title: "Refunds".into(),
            shortcut: shortcut.into(),
            body: "We refund within 5 days.".into(),
            shared: false,
            files: vec![],
        };
        assert_eq!(check(&input("/Refund")).unwrap().shortcut, "refund");
        for bad in ["", "/", "two words", "ünï", &"x".repeat(MAX_SHORTCUT + 1)] {
            assert!(check(&input(bad)).is_err(), "{bad:?}");
        }
    }
}
