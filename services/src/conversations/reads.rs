//! Read receipts and unread counts. Each member has a read mark per conversation (the
//! newest message they have seen, and how many of the visitor's messages were up to it):
//! their unread count is the visitor's messages past it, and the newest mark of the team
//! is the visitor's "Seen". The visitor's widget reports what it displayed, which is the
//! operators' "Seen". Marks only move forward: a late or repeated report changes nothing
//! and tells nobody.

use std::collections::HashMap;

use parley_types::{
    Author, Capability, ContactId, ConversationId, ConversationSummary, OperatorEvent, ReadMark, UserId, VisitorEvent,
};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::queries::{readable_conversation, summary_of, visitor_conversation};
use crate::access::{Actor, Scope};
use crate::bus::{Operators, VisitorTabs};
use crate::clock::now_ms;
use crate::entities::{conversation, conversation_read, message};
use crate::error::ServiceResult;
use crate::events::DomainEvent;
use crate::{Services, Write};

/// The read marks of `conversations`, by conversation.
pub(crate) async fn marks_of(
    db: &impl ConnectionTrait,
    scope: Scope,
    conversations: &[i64],
) -> ServiceResult<HashMap<i64, Vec<ReadMark>>> {
    let mut marks: HashMap<i64, Vec<ReadMark>> = HashMap::new();
    if conversations.is_empty() {
        return Ok(marks);
    }
    let rows = scope
        .find::<conversation_read::Entity>()
        .filter(conversation_read::Column::ConversationId.is_in(conversations.iter().copied()))
        .all(db)
        .await?;
    for row in rows {
        marks.entry(row.conversation_id).or_default().push(ReadMark {
            user_id: UserId(row.user_id),
            seq: row.last_read_seq,
            visitor_messages: row.visitor_messages,
        });
    }
    Ok(marks)
}

/// Marks a conversation read by the member up to `seq` (everything when `None`; never
/// past its newest message). Needs `read conversations`, as a member. Returns the
/// summary as the member now sees it.
pub async fn mark_read(
    svc: &Services,
    actor: &Actor,
    conversation_id: ConversationId,
    seq: Option<i64>,
) -> ServiceResult<ConversationSummary> {
    let scope = actor.require(Capability::ReadConversations)?;
    let by = actor.member()?.user_id;
    let mut w = svc.begin().await?;
    let row = readable_conversation(w.txn(), actor, conversation_id).await?;
    let seq = Ord::min(seq.unwrap_or(row.last_seq), row.last_seq);
    advance_member_mark(&mut w, scope, &row, by, seq).await?;
    let summary = summary_of(w.txn(), scope, &row).await?;
    w.commit().await?;
    Ok(summary)
}

/// Moves member `by`'s mark on `conversation` (as it is in this write) to `seq`, in the
/// write, and tells the operators and, when the team's newest mark moved, the visitor.
/// Does nothing when the mark is already there.
pub(crate) async fn advance_member_mark(
    w: &mut Write,
    scope: Scope,
    conversation: &conversation::Model,
    by: UserId,
    seq: i64,
) -> ServiceResult<()> {
    use conversation_read::Column as R;
    if seq <= 0 {
        return Ok(());
    }
    let team_before = seen_by_team(w.txn(), scope, ConversationId(conversation.id)).await?;
    let visitor_messages = if seq >= conversation.last_seq {
        conversation.visitor_messages
    } else {
        let up_to = scope
            .find::<message::Entity>()
            .filter(message::Column::ConversationId.eq(conversation.id))
            .filter(message::Column::Author.eq(Author::Visitor.as_str()))
            .filter(message::Column::Seq.lte(seq))
            .count(w.txn())
            .await?;
        i64::try_from(up_to).unwrap_or(i64::MAX)
    };
    let mark = conversation_read::ActiveModel {
        conversation_id: Set(conversation.id),
        user_id: Set(by.0),
        workspace_id: Set(scope.workspace_id().0),
        last_read_seq: Set(seq),
        visitor_messages: Set(visitor_messages),
        read_at_ms: Set(now_ms()),
    };
    // One statement whatever was there before: a newer mark wins, an older one is left.
    let on_conflict = OnConflict::columns([R::ConversationId, R::UserId])
        .update_columns([R::LastReadSeq, R::VisitorMessages, R::ReadAtMs])
        .action_and_where(Expr::col((conversation_read::Entity, R::LastReadSeq)).lt(seq))
        .to_owned();
    let moved =
        conversation_read::Entity::insert(mark).on_conflict(on_conflict).exec_without_returning(w.txn()).await? > 0;
    if !moved {
        return Ok(());
    }
    let conversation_id = ConversationId(conversation.id);
    let mark = ReadMark { user_id: by, seq, visitor_messages };
    w.record(scope.workspace_id(), DomainEvent::ConversationRead { conversation_id, by });
    w.notify(Operators(scope.workspace_id()), OperatorEvent::MemberRead { conversation_id, mark });
    if seq > team_before {
        w.notify(VisitorTabs(ContactId(conversation.contact_id)), VisitorEvent::Seen { conversation_id, seq });
    }
    Ok(())
}

/// The visitor's widget displayed their conversation up to `seq` (never past its newest
/// message): the operators see "Seen". Only the visitor themself may; without a
/// conversation yet there is nothing to mark.
pub async fn mark_read_by_visitor(svc: &Services, actor: &Actor, seq: i64) -> ServiceResult<()> {
    actor.require(Capability::ChatAsVisitor)?;
    let Some(row) = visitor_conversation(&svc.db, actor).await? else { return Ok(()) };
    let seq = Ord::min(seq, row.last_seq);
    if seq <= row.visitor_read_seq {
        return Ok(());
    }
    let scope = actor.own_workspace();
    let mut w = svc.begin().await?;
    let moved = scope
        .update_many::<conversation::Entity>()
        .col_expr(conversation::Column::VisitorReadSeq, Expr::value(seq))
        .filter(conversation::Column::Id.eq(row.id))
        .filter(conversation::Column::VisitorReadSeq.lt(seq))
        .exec(w.txn())
        .await?
        .rows_affected
        > 0;
    if moved {
        let conversation_id = ConversationId(row.id);
        w.notify(Operators(scope.workspace_id()), OperatorEvent::VisitorRead { conversation_id, seq });
        w.commit().await?;
    }
    Ok(())
}

/// How far the team has read the visitor's conversation (their "Seen"; 0: not at all).
pub async fn seen_by_team(
    db: &impl ConnectionTrait,
    scope: Scope,
    conversation_id: ConversationId,
) -> ServiceResult<i64> {
    Ok(marks_of(db, scope, &[conversation_id.0])
        .await?
        .remove(&conversation_id.0)
        .unwrap_or_default()
        .iter()
        .map(|m| m.seq)
        .max()
        .unwrap_or(0))
}
