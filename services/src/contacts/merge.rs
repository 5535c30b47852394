//! Merging two contacts into one: the primary's non-empty values win, its empty ones are
//! filled from the other; conversations, notes, labels, custom values, timeline and the
//! other's browsers (visitor tokens) move; the other is deleted. Used when a verified
//! `setUser` names a known person, and by admins merging duplicates.

use parley_types::{Capability, ContactId, ContactKind, ConversationStatus, phrase};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::row_in;
use crate::Services;
use crate::access::{Actor, Scope};
use crate::entities::{
    contact, contact_event, contact_field_value, contact_label, contact_note, conversation, visitor_token,
};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::write::Write;

fn rank(kind: &str) -> u8 {
    match kind.parse().unwrap_or(ContactKind::Guest) {
        ContactKind::Guest => 0,
        ContactKind::Lead => 1,
        ContactKind::Customer => 2,
    }
}

/// Merges `other` into `primary` in `w`; returns the primary as stored after.
pub(crate) async fn merge_into(
    w: &mut Write,
    scope: Scope,
    primary: contact::Model,
    other: contact::Model,
) -> ServiceResult<contact::Model> {
    let (p, o) = (primary.id, other.id);
    // At most one conversation per contact is not closed: when both have one, the one
    // with the older activity is closed before the move (its history moves with it), so
    // the person carries on in the conversation they used last.
    let open_of = |id: i64| {
        scope
            .find::<conversation::Entity>()
            .filter(conversation::Column::ContactId.eq(id))
            .filter(conversation::Column::Status.ne(ConversationStatus::Closed.as_str()))
            .one(w.txn())
    };
    if let (Some(mine), Some(theirs)) = (open_of(p).await?, open_of(o).await?) {
        let older =
            if (mine.last_activity_at_ms, mine.id) < (theirs.last_activity_at_ms, theirs.id) { mine } else { theirs };
        scope
            .update_many::<conversation::Entity>()
            .col_expr(conversation::Column::Status, Expr::value(ConversationStatus::Closed.as_str()))
            .col_expr(conversation::Column::SnoozedUntilMs, Expr::value(Option::<i64>::None))
            .col_expr(conversation::Column::WaitingSinceMs, Expr::value(Option::<i64>::None))
            .filter(conversation::Column::Id.eq(older.id))
            .exec(w.txn())
            .await?;
        crate::conversations::counts_changed(w, scope).await?;
    }
    scope
        .update_many::<conversation::Entity>()
        .col_expr(conversation::Column::ContactId, Expr::value(p))
        .filter(conversation::Column::ContactId.eq(o))
        .exec(w.txn())
        .await?;
    scope
        .update_many::<contact_note::Entity>()
        .col_expr(contact_note::Column::ContactId, Expr::value(p))
        .filter(contact_note::Column::ContactId.eq(o))
        .exec(w.txn())
        .await?;
    scope
        .update_many::<contact_event::Entity>()
        .col_expr(contact_event::Column::ContactId, Expr::value(p))
        .filter(contact_event::Column::ContactId.eq(o))
        .exec(w.txn())
        .await?;
    scope
        .update_many::<visitor_token::Entity>()
        .col_expr(visitor_token::Column::ContactId, Expr::value(p))
        .filter(visitor_token::Column::ContactId.eq(o))
        .exec(w.txn())
        .await?;
    let labels =
        scope.find::<contact_label::Entity>().filter(contact_label::Column::ContactId.eq(o)).all(w.txn()).await?;
    for label in labels {
        super::commands::label_in(w, scope, p, parley_types::LabelId(label.label_id), true).await?;
    }
    let values = scope
        .find::<contact_field_value::Entity>()
        .filter(contact_field_value::Column::ContactId.eq(o))
        .all(w.txn())
        .await?;
    for value in values {
        let row = contact_field_value::ActiveModel {
            contact_id: Set(p),
            field_id: Set(value.field_id),
            workspace_id: Set(scope.workspace_id().0),
            value: Set(value.value),
            number: Set(value.number),
        };
        // unscoped: the row carries its workspace id; the primary's own values win.
        contact_field_value::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([contact_field_value::Column::ContactId, contact_field_value::Column::FieldId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(w.txn())
            .await?;
    }
    scope
        .update_many::<contact::Entity>()
        .col_expr(contact::Column::PossibleDuplicateOf, Expr::value(Option::<i64>::None))
        .filter(contact::Column::PossibleDuplicateOf.eq(o))
        .exec(w.txn())
        .await?;
    scope.delete_many::<contact::Entity>().filter(contact::Column::Id.eq(o)).exec(w.txn()).await?;

    let fill = |mine: &Option<String>, theirs: &Option<String>| mine.clone().or_else(|| theirs.clone());
    let mut active: contact::ActiveModel = primary.clone().into();
    if !primary.name_given && other.name_given {
        active.name = Set(other.name.clone());
        active.name_given = Set(true);
    }
    let email = fill(&primary.email, &other.email);
    active.email_key = Set(email.as_deref().map(str::to_lowercase));
    active.email = Set(email);
    active.phone = Set(fill(&primary.phone, &other.phone));
    active.timezone = Set(fill(&primary.timezone, &other.timezone));
    active.language = Set(fill(&primary.language, &other.language));
    active.avatar_url = Set(fill(&primary.avatar_url, &other.avatar_url));
    active.browser = Set(fill(&primary.browser, &other.browser));
    active.os = Set(fill(&primary.os, &other.os));
    if rank(&other.kind) > rank(&primary.kind) {
        active.kind = Set(other.kind.clone());
    }
    active.created_at_ms = Set(primary.created_at_ms.min(other.created_at_ms));
    active.last_seen_at_ms = Set(primary.last_seen_at_ms.max(other.last_seen_at_ms));
    if primary.possible_duplicate_of == Some(o) {
        active.possible_duplicate_of = Set(None);
    }
    let stored = active.update(w.txn()).await?;
    w.record(scope.workspace_id(), DomainEvent::ContactsMerged { primary: ContactId(p), merged: ContactId(o) });
    Ok(stored)
}

/// Merges contact `other` into `primary` (admins: `manage contacts`). The team sees the
/// primary's new profile and its conversations at once.
pub async fn merge_contacts(
    svc: &Services,
    actor: &Actor,
    primary: ContactId,
    other: ContactId,
) -> ServiceResult<parley_types::Contact> {
    let scope = actor.require(Capability::ManageContacts)?;
    if primary == other {
        return Err(ServiceError::Invalid(phrase!("err-contacts-merge-same")));
    }
    let mut w = svc.begin().await?;
    let primary_row = row_in(w.txn(), scope, primary).await?;
    let other_row = row_in(w.txn(), scope, other).await?;
    if primary_row.verified && other_row.verified && primary_row.external_id != other_row.external_id {
        return Err(ServiceError::Conflict(phrase!("err-contacts-merge-verified")));
    }
    let details = serde_json::json!({
        "kept": { "id": primary_row.id, "name": primary_row.name, "email": primary_row.email },
        "merged": { "id": other_row.id, "name": other_row.name, "email": other_row.email },
    });
    let target = format!("{} #{} ← #{}", primary_row.name, primary_row.id, other_row.id);
    let merged = merge_into(&mut w, scope, primary_row, other_row).await?;
    w.audit(actor, parley_types::AuditAction::ContactsMerged, target, details).await?;
    let contact = super::commands::announce(&mut w, scope, merged, true, true).await?;
    w.commit().await?;
    Ok(contact)
}
