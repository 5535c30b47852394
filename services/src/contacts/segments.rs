//! Segments (saved contact filters with live counts; broadcasts will target them), bulk
//! tagging, and deleting contacts.

use parley_types::{Capability, ContactFilter, ContactId, LabelId, OperatorEvent, Segment, phrase};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

use super::{commands, conditions, fields};
use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{contact, segment};
use crate::error::{ServiceError, ServiceResult, conflict_on_unique};
use crate::events::DomainEvent;

/// Most contacts one bulk action or delete names.
pub const MAX_BULK_CONTACTS: usize = 500;

/// How many contacts match `filter` now (the filter checked as the list checks it).
pub async fn count_matching(db: &impl ConnectionTrait, scope: Scope, filter: &ContactFilter) -> ServiceResult<u64> {
    let defined = if filter.fields.is_empty() { Vec::new() } else { fields::rows(db, scope).await? };
    let query = scope.find::<contact::Entity>().filter(conditions(scope, filter, &defined, now_ms())?);
    Ok(query.count(db).await?)
}

/// The workspace's segments by name, each with its count now. Needs `read contacts`.
pub async fn list_segments(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<Segment>> {
    let scope = actor.require(Capability::ReadContacts)?;
    let rows = scope.find::<segment::Entity>().order_by_asc(segment::Column::NameKey).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        // A filter that no longer holds (a field deleted since) counts nothing.
        let filter: ContactFilter = serde_json::from_str(&row.filter).unwrap_or_default();
        let count = count_matching(db, scope, &filter).await.unwrap_or(0);
        out.push(Segment { id: row.id, name: row.name, filter, count });
    }
    Ok(out)
}

/// Saves `filter` as a segment named `name` (unique regardless of case). The filter is
/// checked as the list checks it. Needs `edit contacts`.
pub async fn save_segment(svc: &Services, actor: &Actor, name: &str, filter: ContactFilter) -> ServiceResult<Segment> {
    let scope = actor.require(Capability::EditContacts)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ServiceError::Invalid(phrase!("err-contacts-segment-name")));
    }
    let count = count_matching(&svc.db, scope, &filter).await?;
    let json = serde_json::to_string(&filter).map_err(|err| ServiceError::Internal(err.to_string()))?;
    let mut w = svc.begin().await?;
    let row = segment::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        name: Set(name.to_owned()),
        name_key: Set(name.to_lowercase()),
        filter: Set(json),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(w.txn())
    .await
    .map_err(|err| {
        conflict_on_unique(err, || ServiceError::Conflict(phrase!("err-contacts-segment-taken", name = name)))
    })?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::SegmentsChanged);
    w.commit().await?;
    Ok(Segment { id: row.id, name: row.name, filter, count })
}

/// Deletes a segment. Needs `edit contacts`.
pub async fn delete_segment(svc: &Services, actor: &Actor, id: i64) -> ServiceResult<()> {
    let scope = actor.require(Capability::EditContacts)?;
    let mut w = svc.begin().await?;
    let deleted =
        scope.delete_many::<segment::Entity>().filter(segment::Column::Id.eq(id)).exec(w.txn()).await?.rows_affected;
    if deleted == 0 {
        return Err(ServiceError::NotFound);
    }
    w.notify(Operators(scope.workspace_id()), OperatorEvent::SegmentsChanged);
    w.commit().await?;
    Ok(())
}

fn check_bulk(ids: &[ContactId]) -> ServiceResult<()> {
    if ids.is_empty() || ids.len() > MAX_BULK_CONTACTS {
        return Err(ServiceError::Invalid(phrase!("err-contacts-bulk-count", max = MAX_BULK_CONTACTS)));
    }
    Ok(())
}

/// Puts a label on many contacts or takes it off; answers how many changed. Contacts of
/// other workspaces are not touched (nor counted). Needs `edit contacts`.
pub async fn bulk_label(
    svc: &Services,
    actor: &Actor,
    ids: &[ContactId],
    label: LabelId,
    on: bool,
) -> ServiceResult<u64> {
    check_bulk(ids)?;
    let mut changed = 0;
    for id in ids {
        let before = super::get_contact(&svc.db, actor, *id).await;
        let Ok(before) = before else { continue };
        let after = commands::set_contact_label(svc, actor, *id, label, on).await?;
        if after.labels != before.labels {
            changed += 1;
        }
    }
    Ok(changed)
}

/// Deletes contacts with their conversations, notes and timeline; answers how many went.
/// Needs `manage contacts` (owners and admins).
pub async fn delete_contacts(svc: &Services, actor: &Actor, ids: &[ContactId]) -> ServiceResult<u64> {
    let scope = actor.require(Capability::ManageContacts)?;
    check_bulk(ids)?;
    let mut w = svc.begin().await?;
    let rows =
        scope.find::<contact::Entity>().filter(contact::Column::Id.is_in(ids.iter().map(|c| c.0))).all(w.txn()).await?;
    if rows.is_empty() {
        return Err(ServiceError::NotFound);
    }
    for row in &rows {
        let details = serde_json::json!({ "id": row.id, "email": row.email, "kind": row.kind });
        w.audit(actor, parley_types::AuditAction::ContactDeleted, format!("{} #{}", row.name, row.id), details).await?;
    }
    let found: Vec<i64> = rows.into_iter().map(|c| c.id).collect();
    // Their conversations, messages, notes, labels, values, visits and tokens go with
    // them (foreign keys cascade).
    scope.delete_many::<contact::Entity>().filter(contact::Column::Id.is_in(found.clone())).exec(w.txn()).await?;
    let by = actor.member().ok().map(|m| m.user_id);
    for id in &found {
        w.record(scope.workspace_id(), DomainEvent::ContactDeleted { contact_id: ContactId(*id), by });
    }
    crate::conversations::counts_changed(&mut w, scope).await?;
    let ids: Vec<ContactId> = found.iter().copied().map(ContactId).collect();
    w.notify(Operators(scope.workspace_id()), OperatorEvent::ContactsRemoved { ids });
    w.commit().await?;
    Ok(found.len() as u64)
}
