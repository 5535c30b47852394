//! A conversation's lifecycle: close with an outcome, snooze (until a time, through a
//! durable job, or until the customer writes), reopen, priority and assignment. Each
//! change is one write: the row, a line for the team in the conversation saying who
//! changed what from what to what, an outbox event, and realtime notices once committed.

use parley_types::{
    Author, Capability, ConversationId, ConversationOutcome, ConversationPriority, ConversationStatus,
    ConversationSummary, OperatorEvent, Phrase, UserId, VisitorEvent, phrase,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::queries::{readable_conversation, summary_of};
use super::{check_text, parse, to_message};
use crate::access::{Actor, Scope};
use crate::bus::{Operators, VisitorTabs};
use crate::clock::now_ms;
use crate::entities::{conversation, membership, message, user};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::jobs::NewJob;
use crate::{Services, Write};

/// What a member (or Parley) does to a conversation's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// Open again: back to Live if unassigned, else to its assignee.
    Reopen,
    /// Put aside until `until_ms`, or until the customer writes (`None`).
    Snooze { until_ms: Option<i64> },
    /// Done, with how it ended and an optional comment kept as an internal note.
    Close { outcome: ConversationOutcome, comment: Option<String> },
}

impl Transition {
    fn status(&self) -> ConversationStatus {
        match self {
            Transition::Reopen => ConversationStatus::Open,
            Transition::Snooze { .. } => ConversationStatus::Snoozed,
            Transition::Close { .. } => ConversationStatus::Closed,
        }
    }
}

/// The job that ends a timed snooze.
pub const UNSNOOZE_JOB: &str = "conversation.unsnooze";

/// The unique key of a conversation's snooze job: a new snooze replaces the old one.
fn unsnooze_key(conversation_id: i64) -> String {
    format!("unsnooze:{conversation_id}")
}

/// Who a line names: the member, the customer, or Parley itself for jobs.
struct Who {
    /// The phrases' `actor`: `member`, `customer` or `parley`.
    actor: &'static str,
    /// The phrases' `name`: the member's name (else the English word the line shows).
    name: String,
    /// The member who did it (`None`: the customer or Parley).
    by: Option<i64>,
}

fn who(actor: &Actor) -> Who {
    match actor {
        Actor::Member(m) | Actor::Token(crate::access::Token { member: m, .. }) => {
            Who { actor: "member", name: m.name.clone(), by: Some(m.user_id.0) }
        }
        Actor::Visitor(_) => Who { actor: "customer", name: "The customer".to_owned(), by: None },
        Actor::System(_) => Who { actor: "parley", name: "Parley".to_owned(), by: None },
    }
}

/// Changes a conversation's status. Members need `reply in conversations`; the system
/// (jobs) may too. Closing as `expired` is Parley's own: members choose resolved or
/// abandoned. A snooze must end in the future.
pub async fn change_status(
    svc: &Services,
    actor: &Actor,
    conversation_id: ConversationId,
    transition: Transition,
) -> ServiceResult<ConversationSummary> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let now = now_ms();
    match &transition {
        Transition::Close { outcome: ConversationOutcome::Expired, .. } if !matches!(actor, Actor::System(_)) => {
            return Err(ServiceError::Invalid(phrase!("err-conversations-close-expired")));
        }
        Transition::Close { comment: Some(comment), .. } if !comment.trim().is_empty() => check_text(comment)?,
        Transition::Snooze { until_ms: Some(until) } if *until <= now => {
            return Err(ServiceError::Invalid(phrase!("err-conversations-snooze-past")));
        }
        _ => {}
    }
    let mut w = svc.begin().await?;
    let row = readable_conversation(w.txn(), actor, conversation_id).await?;
    let summary = transition_in(&mut w, scope, actor, row, transition, now).await?;
    w.commit().await?;
    Ok(summary)
}

/// Applies `transition` to `row` inside `w`: the row, the snooze job, the team's line,
/// the outbox event and the notices. Shared by members' commands, the snooze job and
/// expiry.
pub(super) async fn transition_in(
    w: &mut Write,
    scope: Scope,
    actor: &Actor,
    row: conversation::Model,
    transition: Transition,
    now: i64,
) -> ServiceResult<ConversationSummary> {
    let id = row.id;
    let before: ConversationStatus = parse(&row.status)?;
    let to = transition.status();
    let previous_snooze = row.snoozed_until_ms;
    if before == to && !matches!(transition, Transition::Snooze { .. }) {
        return summary_of(w.txn(), scope, &row).await;
    }
    if before != to {
        super::counts::counts_changed(w, scope).await?;
    }
    let mut active: conversation::ActiveModel = row.into();
    active.status = Set(to.as_str().to_owned());
    active.last_activity_at_ms = Set(now);
    let mut note = None;
    let Who { actor: kind, name, by } = who(actor);
    let (from, to_word) = (before.as_str(), to.as_str());
    let line = match &transition {
        Transition::Reopen => {
            active.outcome = Set(None);
            active.snoozed_until_ms = Set(None);
            phrase!("line-status", actor = kind, name = name, from = from, to = to_word)
        }
        Transition::Snooze { until_ms } => {
            active.outcome = Set(None);
            active.snoozed_until_ms = Set(*until_ms);
            match (until_ms, before == to) {
                (Some(until), true) => {
                    let until = crate::clock::utc_minute(*until);
                    phrase!("line-snoozed-again-until", actor = kind, name = name, until = until)
                }
                (None, true) => phrase!("line-snoozed-again", actor = kind, name = name),
                (Some(until), false) => {
                    let until = crate::clock::utc_minute(*until);
                    phrase!("line-status-snoozed-until", actor = kind, name = name, from = from, until = until)
                }
                (None, false) => phrase!("line-status-snoozed", actor = kind, name = name, from = from),
            }
        }
        Transition::Close { outcome, comment } => {
            active.outcome = Set(Some(outcome.as_str().to_owned()));
            active.snoozed_until_ms = Set(None);
            note = comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
            let outcome = outcome.as_str();
            phrase!("line-status-closed", actor = kind, name = name, from = from, outcome = outcome)
        }
    };
    active.update(w.txn()).await?;
    // A snooze job, if any, is replaced (or removed): the row says what is current.
    if previous_snooze.is_some() || matches!(transition, Transition::Snooze { .. }) {
        w.cancel_job(&unsnooze_key(id)).await?;
    }
    if let Transition::Snooze { until_ms: Some(until) } = transition {
        let job = NewJob::new(UNSNOOZE_JOB, serde_json::json!({ "conversation_id": id, "until_ms": until }))
            .in_workspace(scope.workspace_id())
            .unique(unsnooze_key(id))
            .due_at(until);
        w.enqueue(job).await?;
    }
    add_system_line(w, scope, id, by, &line, now).await?;
    if let Some(note) = note {
        add_line(w, scope, id, Author::Operator, by, &note, now).await?;
    }
    let updated = reload(w.txn(), scope, id).await?;
    // An assignee's slot freed, or a conversation back in the queue: auto-assignment
    // looks again.
    if updated.assignee_id.is_some() || to == ConversationStatus::Open {
        crate::departments::queue_dispatch(w, scope).await?;
    }
    let summary = summary_of(w.txn(), scope, &updated).await?;
    let conversation_id = ConversationId(id);
    if before != to {
        w.record(
            scope.workspace_id(),
            DomainEvent::ConversationStatusChanged { conversation_id, from: before, to, by: by.map(UserId) },
        );
        w.notify(VisitorTabs(summary.contact_id), VisitorEvent::StatusChanged { conversation_id, status: to });
    }
    w.notify(Operators(scope.workspace_id()), OperatorEvent::ConversationChanged { conversation: summary.clone() });
    Ok(summary)
}

/// The conversation `id` as it is now, read in the same transaction after an update.
pub(super) async fn reload(
    db: &impl sea_orm::ConnectionTrait,
    scope: Scope,
    id: i64,
) -> ServiceResult<conversation::Model> {
    scope
        .find::<conversation::Entity>()
        .filter(conversation::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Marks a conversation critical or normal. Needs `reply in conversations`.
pub async fn set_priority(
    svc: &Services,
    actor: &Actor,
    conversation_id: ConversationId,
    priority: ConversationPriority,
) -> ServiceResult<ConversationSummary> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let now = now_ms();
    let mut w = svc.begin().await?;
    let row = readable_conversation(w.txn(), actor, conversation_id).await?;
    if row.priority == priority.as_str() {
        return summary_of(w.txn(), scope, &row).await;
    }
    let from: ConversationPriority = parse(&row.priority)?;
    let Who { actor: kind, name, by } = who(actor);
    let (from_word, to_word) = (from.as_str(), priority.as_str());
    let line = phrase!("line-priority", actor = kind, name = name, from = from_word, to = to_word);
    // The line first: the row the update returns then carries its sequence number.
    add_system_line(&mut w, scope, row.id, by, &line, now).await?;
    let mut active: conversation::ActiveModel = row.into();
    active.priority = Set(priority.as_str().to_owned());
    let updated = active.update(w.txn()).await?;
    let summary = summary_of(w.txn(), scope, &updated).await?;
    w.record(
        scope.workspace_id(),
        DomainEvent::ConversationPriorityChanged { conversation_id, from, to: priority, by: by.map(UserId) },
    );
    w.notify(Operators(scope.workspace_id()), OperatorEvent::ConversationChanged { conversation: summary.clone() });
    w.commit().await?;
    Ok(summary)
}

/// Puts a workspace label on a conversation (`on`) or takes it off. Needs `reply in
/// conversations`; a label of another workspace is refused.
pub async fn set_label(
    svc: &Services,
    actor: &Actor,
    conversation_id: ConversationId,
    label_id: parley_types::LabelId,
    on: bool,
) -> ServiceResult<ConversationSummary> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let mut w = svc.begin().await?;
    let row = readable_conversation(w.txn(), actor, conversation_id).await?;
    let label = crate::labels::find_in(&w, scope, label_id).await?;
    if !crate::labels::set_on(&w, scope, row.id, label_id, on).await? {
        return summary_of(w.txn(), scope, &row).await;
    }
    let Who { actor: kind, name, by } = who(actor);
    let line = if on {
        phrase!("line-label-added", actor = kind, name = name, label = &label.name)
    } else {
        phrase!("line-label-removed", actor = kind, name = name, label = &label.name)
    };
    add_system_line(&mut w, scope, row.id, by, &line, now_ms()).await?;
    let updated = reload(w.txn(), scope, row.id).await?;
    let summary = summary_of(w.txn(), scope, &updated).await?;
    w.record(
        scope.workspace_id(),
        DomainEvent::ConversationLabelled { conversation_id, label_id, on, by: by.map(UserId) },
    );
    w.notify(Operators(scope.workspace_id()), OperatorEvent::ConversationChanged { conversation: summary.clone() });
    w.commit().await?;
    Ok(summary)
}

/// Assigns a conversation to a member of the workspace, or unassigns it (`None`).
/// "Take" is assigning it to oneself. Needs `reply in conversations`; the assignee must
/// be a member who may reply.
pub async fn assign(
    svc: &Services,
    actor: &Actor,
    conversation_id: ConversationId,
    assignee: Option<UserId>,
) -> ServiceResult<ConversationSummary> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let now = now_ms();
    let mut w = svc.begin().await?;
    let row = readable_conversation(w.txn(), actor, conversation_id).await?;
    let assignee_name = match assignee {
        None => None,
        Some(user_id) => Some(assignable_member(w.txn(), scope, user_id).await?),
    };
    if row.assignee_id == assignee.map(|u| u.0) {
        return summary_of(w.txn(), scope, &row).await;
    }
    let Who { actor: kind, name, by } = who(actor);
    let line = match (assignee_name, assignee.map(|u| u.0) == by) {
        (None, _) => phrase!("line-unassigned", actor = kind, name = name),
        (Some(_), true) => phrase!("line-took", actor = kind, name = name),
        (Some(to), false) => phrase!("line-assigned", actor = kind, name = name, assignee = to),
    };
    let had_assignee = row.assignee_id.is_some();
    let updated = assign_in(&mut w, scope, row, assignee, by, &line, now).await?;
    // The previous assignee has a free slot, or the conversation waits again.
    if had_assignee || assignee.is_none() {
        crate::departments::queue_dispatch(&mut w, scope).await?;
    }
    let summary = summary_of(w.txn(), scope, &updated).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::ConversationChanged { conversation: summary.clone() });
    w.commit().await?;
    Ok(summary)
}

/// Gives `row` to `assignee` (or nobody) inside `w`, with the team's `line` and the
/// outbox event; the caller tells the operators. `by`: the member who did it (`None`:
/// Parley).
pub(crate) async fn assign_in(
    w: &mut Write,
    scope: Scope,
    row: conversation::Model,
    assignee: Option<UserId>,
    by: Option<i64>,
    line: &Phrase,
    now: i64,
) -> ServiceResult<conversation::Model> {
    let conversation_id = ConversationId(row.id);
    let from = row.assignee_id.map(UserId);
    super::counts::counts_changed(w, scope).await?;
    // The line first: the row the update returns then carries its sequence number.
    let line = add_system_line(w, scope, row.id, by, line, now).await?.text;
    let mut active: conversation::ActiveModel = row.into();
    active.assignee_id = Set(assignee.map(|u| u.0));
    active.last_activity_at_ms = Set(now);
    let updated = active.update(w.txn()).await?;
    w.record(
        scope.workspace_id(),
        DomainEvent::ConversationAssigned { conversation_id, from, to: assignee, by: by.map(UserId) },
    );
    // Given to someone by someone else (or by Parley): it goes to their Inbox.
    if let Some(to) = assignee.filter(|to| Some(to.0) != by && from != Some(*to)) {
        let item = crate::inbox::NewItem {
            user: to,
            kind: parley_types::InboxItemKind::Assignment,
            entity: parley_types::EntityKind::Conversation,
            entity_id: updated.id,
            comment_id: None,
            position: Some(updated.last_seq),
            actor: by.map(UserId),
            excerpt: &line,
        };
        crate::inbox::put(w, scope, item).await?;
    }
    Ok(updated)
}

/// Moves a conversation to a department (or out of any). The assignee stays when they
/// belong to the new department; otherwise the conversation waits for the department
/// (auto-assignment gives it to a free member when the department does that). Needs
/// `reply in conversations`.
pub async fn set_department(
    svc: &Services,
    actor: &Actor,
    conversation_id: ConversationId,
    department: Option<parley_types::DepartmentId>,
) -> ServiceResult<ConversationSummary> {
    let scope = actor.require(Capability::ReplyConversations)?;
    let now = now_ms();
    let mut w = svc.begin().await?;
    let row = readable_conversation(w.txn(), actor, conversation_id).await?;
    let target = match department {
        Some(id) => Some(crate::departments::find_in(w.txn(), scope, id).await?),
        None => None,
    };
    if row.department_id == target.as_ref().map(|d| d.id) {
        return summary_of(w.txn(), scope, &row).await;
    }
    let keeps_assignee = match (&target, row.assignee_id) {
        (Some(dept), Some(user)) => crate::departments::is_member(w.txn(), scope, dept.id, user).await?,
        _ => true,
    };
    let Who { actor: kind, name, by } = who(actor);
    let line = match &target {
        Some(dept) => phrase!("line-department-moved", actor = kind, name = name, department = &dept.name),
        None => phrase!("line-department-removed", actor = kind, name = name),
    };
    // The line first: the row the update returns then carries its sequence number.
    add_system_line(&mut w, scope, row.id, by, &line, now).await?;
    let mut active: conversation::ActiveModel = row.into();
    active.department_id = Set(target.as_ref().map(|d| d.id));
    if !keeps_assignee {
        active.assignee_id = Set(None);
    }
    active.last_activity_at_ms = Set(now);
    let updated = active.update(w.txn()).await?;
    crate::departments::queue_dispatch(&mut w, scope).await?;
    let summary = summary_of(w.txn(), scope, &updated).await?;
    w.record(
        scope.workspace_id(),
        DomainEvent::ConversationDepartmentChanged { conversation_id, department, by: by.map(UserId) },
    );
    w.notify(Operators(scope.workspace_id()), OperatorEvent::ConversationChanged { conversation: summary.clone() });
    w.commit().await?;
    Ok(summary)
}

/// The name of `user_id` if they are a member of the workspace who may reply; else a
/// clear refusal (a user of another workspace is as unknown as a missing one).
pub(crate) async fn assignable_member(
    db: &impl sea_orm::ConnectionTrait,
    scope: Scope,
    user_id: UserId,
) -> ServiceResult<String> {
    let found = scope
        .find::<membership::Entity>()
        .filter(membership::Column::UserId.eq(user_id.0))
        .find_also_related(user::Entity)
        .one(db)
        .await?;
    let Some((membership, Some(user))) = found else {
        return Err(ServiceError::Invalid(phrase!("err-conversations-assignee-not-member")));
    };
    let role: parley_types::Role = parse(&membership.role)?;
    let grants: Vec<Capability> = membership.grants.lines().filter_map(Capability::parse).collect();
    if !(role.can(Capability::ReplyConversations) || grants.contains(&Capability::ReplyConversations)) {
        return Err(ServiceError::Invalid(phrase!("err-conversations-assignee-cannot-reply")));
    }
    Ok(user.name)
}

/// Adds a line for the team (a note) as the conversation's next message: internal, so
/// never sent to the visitor. Operators see it at once.
pub(crate) async fn add_line(
    w: &mut Write,
    scope: Scope,
    conversation_id: i64,
    author: Author,
    by: Option<i64>,
    text: &str,
    now: i64,
) -> ServiceResult<parley_types::Message> {
    add_line_with_id(w, scope, conversation_id, author, by, text, None, now).await.map_err(ServiceError::from)
}

/// Adds a system line (a status change, an assignment…) saying `line`: stored in English,
/// with the phrase itself so the operator app says it in its language. `by`: the member
/// who did it (`None`: the customer or Parley).
pub(crate) async fn add_system_line(
    w: &mut Write,
    scope: Scope,
    conversation_id: i64,
    by: Option<i64>,
    line: &Phrase,
    now: i64,
) -> ServiceResult<parley_types::Message> {
    let text = crate::phrases::english(line);
    insert_line(w, scope, conversation_id, Author::System, by, &text, None, Some(line), now)
        .await
        .map_err(ServiceError::from)
}

/// [`add_line`] with the client's id, which makes a resent note idempotent (the unique
/// `(conversation_id, client_id)` index refuses the second copy).
#[expect(clippy::too_many_arguments, reason = "one row's fields, kept flat")]
pub(super) async fn add_line_with_id(
    w: &mut Write,
    scope: Scope,
    conversation_id: i64,
    author: Author,
    by: Option<i64>,
    text: &str,
    client_id: Option<&str>,
    now: i64,
) -> Result<parley_types::Message, LineError> {
    insert_line(w, scope, conversation_id, author, by, text, client_id, None, now).await
}

/// Stores an internal line (`phrase`: a system line's sentence by id, as JSON) and tells
/// the operators.
#[expect(clippy::too_many_arguments, reason = "one row's fields, kept flat")]
async fn insert_line(
    w: &mut Write,
    scope: Scope,
    conversation_id: i64,
    author: Author,
    by: Option<i64>,
    text: &str,
    client_id: Option<&str>,
    phrase: Option<&Phrase>,
    now: i64,
) -> Result<parley_types::Message, LineError> {
    let updated = scope
        .update_many::<conversation::Entity>()
        .col_expr(conversation::Column::LastSeq, Expr::col(conversation::Column::LastSeq).add(1))
        .filter(conversation::Column::Id.eq(conversation_id))
        .exec_with_returning(w.txn())
        .await?
        .pop()
        .ok_or(LineError::Service(ServiceError::NotFound))?;
    let row = message::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        conversation_id: Set(conversation_id),
        seq: Set(updated.last_seq),
        author: Set(author.as_str().to_owned()),
        author_user_id: Set(by),
        body: Set(text.to_owned()),
        client_id: Set(client_id.map(str::to_owned)),
        created_at_ms: Set(now),
        internal: Set(true),
        phrase: Set(phrase.and_then(|p| serde_json::to_string(p).ok())),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    let name = match by {
        Some(id) => user::Entity::find_by_id(id).one(w.txn()).await?.map(|u| u.name),
        None => None,
    };
    let message = to_message(row, name)?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::MessageCreated { message: message.clone() });
    Ok(message)
}

/// Why a line was not added: the database refused it (a resent client id), or another
/// service error.
#[derive(Debug)]
pub(super) enum LineError {
    Db(sea_orm::DbErr),
    Service(ServiceError),
}

impl From<sea_orm::DbErr> for LineError {
    fn from(err: sea_orm::DbErr) -> Self {
        LineError::Db(err)
    }
}

impl From<ServiceError> for LineError {
    fn from(err: ServiceError) -> Self {
        LineError::Service(err)
    }
}

impl From<LineError> for ServiceError {
    fn from(err: LineError) -> Self {
        match err {
            LineError::Db(err) => err.into(),
            LineError::Service(err) => err,
        }
    }
}
