//! Conversation labels: the workspace's list, which owners and admins manage (`manage
//! labels`), and the labels on each conversation, which anyone who replies adds and
//! removes. Every change to the list reaches every operator as `LabelsChanged`.

use parley_types::{Capability, Label, LabelId, OperatorEvent, phrase};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{conversation, conversation_label, label};
use crate::error::{ServiceError, ServiceResult, conflict_on_unique};
use crate::write::Write;

/// Longest label name, in characters.
pub const MAX_LABEL_NAME: usize = 50;

fn to_label(row: label::Model) -> Label {
    Label { id: LabelId(row.id), name: row.name, colour: row.colour }
}

/// Checks a name and colour; returns the trimmed name, its uniqueness key and the colour
/// in lower case.
fn check(name: &str, colour: &str) -> ServiceResult<(String, String, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_LABEL_NAME {
        return Err(ServiceError::Invalid(phrase!("err-labels-name", max = MAX_LABEL_NAME)));
    }
    let colour = colour.trim().to_ascii_lowercase();
    let hex = colour.strip_prefix('#').filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
    if hex.is_none() {
        return Err(ServiceError::Invalid(phrase!("err-labels-colour")));
    }
    Ok((name.to_owned(), name.to_lowercase(), colour))
}

fn taken(name: &str) -> ServiceError {
    ServiceError::Conflict(phrase!("err-labels-taken", name = name))
}

/// The workspace's labels by name. Needs `read conversations`.
pub async fn list_labels(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<Label>> {
    let scope = actor.require(Capability::ReadConversations)?;
    list_in(db, scope).await
}

async fn list_in(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<Vec<Label>> {
    let rows = scope.find::<label::Entity>().order_by_asc(label::Column::NameKey).all(db).await?;
    Ok(rows.into_iter().map(to_label).collect())
}

/// Tells the workspace's operators the labels after a change (once committed).
async fn announce(w: &mut Write, scope: Scope) -> ServiceResult<()> {
    let labels = list_in(w.txn(), scope).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::LabelsChanged { labels });
    Ok(())
}

/// Adds a label to the workspace. Needs `manage labels`; names are unique regardless of
/// case.
pub async fn create_label(svc: &Services, actor: &Actor, name: &str, colour: &str) -> ServiceResult<Label> {
    let scope = actor.require(Capability::ManageLabels)?;
    let (name, key, colour) = check(name, colour)?;
    let mut w = svc.begin().await?;
    let inserted = label::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        name: Set(name.clone()),
        name_key: Set(key),
        colour: Set(colour),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(w.txn())
    .await;
    let row = inserted.map_err(|err| conflict_on_unique(err, || taken(&name)))?;
    w.audit_change(actor, format!("label {}", row.name), (), to_label(row.clone())).await?;
    announce(&mut w, scope).await?;
    w.commit().await?;
    Ok(to_label(row))
}

/// Renames or recolours a label. Needs `manage labels`.
pub async fn update_label(
    svc: &Services,
    actor: &Actor,
    id: LabelId,
    name: &str,
    colour: &str,
) -> ServiceResult<Label> {
    let scope = actor.require(Capability::ManageLabels)?;
    let (name, key, colour) = check(name, colour)?;
    let mut w = svc.begin().await?;
    let row = scope
        .find::<label::Entity>()
        .filter(label::Column::Id.eq(id.0))
        .one(w.txn())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let before = to_label(row.clone());
    let mut active: label::ActiveModel = row.into();
    active.name = Set(name.clone());
    active.name_key = Set(key);
    active.colour = Set(colour);
    let row = active.update(w.txn()).await.map_err(|err| conflict_on_unique(err, || taken(&name)))?;
    w.audit_change(actor, format!("label {}", row.name), before, to_label(row.clone())).await?;
    announce(&mut w, scope).await?;
    w.commit().await?;
    Ok(to_label(row))
}

/// Deletes a label; it comes off every conversation that had it. Returns how many
/// conversations lost it. Needs `manage labels`.
pub async fn delete_label(svc: &Services, actor: &Actor, id: LabelId) -> ServiceResult<u64> {
    let scope = actor.require(Capability::ManageLabels)?;
    let mut w = svc.begin().await?;
    let row = scope
        .find::<label::Entity>()
        .filter(label::Column::Id.eq(id.0))
        .one(w.txn())
        .await?
        .ok_or(ServiceError::NotFound)?;
    w.audit_change(actor, format!("label {}", row.name), to_label(row), ()).await?;
    let carriers: Vec<i64> = scope
        .find::<conversation_label::Entity>()
        .filter(conversation_label::Column::LabelId.eq(id.0))
        .all(w.txn())
        .await?
        .into_iter()
        .map(|row| row.conversation_id)
        .collect();
    scope
        .delete_many::<conversation_label::Entity>()
        .filter(conversation_label::Column::LabelId.eq(id.0))
        .exec(w.txn())
        .await?;
    scope.delete_many::<label::Entity>().filter(label::Column::Id.eq(id.0)).exec(w.txn()).await?;
    for conversation_id in &carriers {
        refresh_label_ids(&w, scope, *conversation_id).await?;
    }
    announce(&mut w, scope).await?;
    w.commit().await?;
    Ok(carriers.len() as u64)
}

/// The label `id` of the workspace, or a clear refusal.
pub(crate) async fn find_in(w: &Write, scope: Scope, id: LabelId) -> ServiceResult<Label> {
    scope
        .find::<label::Entity>()
        .filter(label::Column::Id.eq(id.0))
        .one(w.txn())
        .await?
        .map(to_label)
        .ok_or_else(|| ServiceError::Invalid(phrase!("err-labels-unknown")))
}

/// Puts `label` on a conversation or takes it off (`on`); whether anything changed.
pub(crate) async fn set_on(
    w: &Write,
    scope: Scope,
    conversation_id: i64,
    label: LabelId,
    on: bool,
) -> ServiceResult<bool> {
    let changed = if on {
        let row = conversation_label::ActiveModel {
            conversation_id: Set(conversation_id),
            label_id: Set(label.0),
            workspace_id: Set(scope.workspace_id().0),
        };
        // unscoped: the row carries its workspace id.
        conversation_label::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([conversation_label::Column::ConversationId, conversation_label::Column::LabelId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(w.txn())
            .await?
            > 0
    } else {
        scope
            .delete_many::<conversation_label::Entity>()
            .filter(conversation_label::Column::ConversationId.eq(conversation_id))
            .filter(conversation_label::Column::LabelId.eq(label.0))
            .exec(w.txn())
            .await?
            .rows_affected
            > 0
    };
    if changed {
        refresh_label_ids(w, scope, conversation_id).await?;
    }
    Ok(changed)
}

/// Copies a conversation's labels onto its row, for the summaries.
async fn refresh_label_ids(w: &Write, scope: Scope, conversation_id: i64) -> ServiceResult<()> {
    let ids: Vec<String> = scope
        .find::<conversation_label::Entity>()
        .filter(conversation_label::Column::ConversationId.eq(conversation_id))
        .order_by_asc(conversation_label::Column::LabelId)
        .all(w.txn())
        .await?
        .into_iter()
        .map(|row| row.label_id.to_string())
        .collect();
    scope
        .update_many::<conversation::Entity>()
        .col_expr(conversation::Column::LabelIds, sea_orm::sea_query::Expr::value(ids.join(",")))
        .filter(conversation::Column::Id.eq(conversation_id))
        .exec(w.txn())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_colours_are_checked() {
        assert_eq!(check("  Billing ", "#2B8A3E").unwrap(), ("Billing".into(), "billing".into(), "#2b8a3e".into()));
        assert!(check(" ", "#2b8a3e").is_err());
        assert!(check(&"x".repeat(MAX_LABEL_NAME + 1), "#2b8a3e").is_err());
        for bad in ["2b8a3e", "#2b8a3", "#2b8a3g", "red", "#2b8a3e0"] {
            assert!(check("Billing", bad).is_err(), "{bad}");
        }
    }
}
