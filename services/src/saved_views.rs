//! Saved views: named inbox filters, shown beside the built-in views with a count. Shared
//! ones belong to the workspace and are managed by owners and admins (`manage shared
//! views`); every member manages their own personal ones, which nobody else sees. A view
//! stores its filter; "me" and "unread" in it mean whoever looks.

use parley_types::{Capability, InboxFilter, OperatorEvent, SavedView, SavedViewId, phrase};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder, Set};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::conversations::count_matching;
use crate::entities::saved_view;
use crate::error::{ServiceError, ServiceResult};

/// Longest view name, in characters.
const MAX_NAME: usize = 60;

/// What a saved view is made of, as a member writes it.
#[derive(Debug, Clone)]
pub struct SavedViewInput {
    pub name: String,
    pub shared: bool,
    pub filter: InboxFilter,
}

/// Shared ones need `manage shared views`; personal ones are their owner's.
fn may_edit(actor: &Actor, owner: Option<i64>) -> bool {
    match (owner, actor) {
        (None, _) => actor.can(Capability::ManageSharedViews),
        (Some(owner), Actor::Member(m)) => m.user_id.0 == owner,
        (Some(_), _) => false,
    }
}

fn check(input: &SavedViewInput) -> ServiceResult<SavedViewInput> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ServiceError::Invalid(phrase!("err-views-name", max = MAX_NAME)));
    }
    if let Some(problem) = input.filter.problem() {
        return Err(ServiceError::Invalid(problem));
    }
    if input.filter.is_empty() {
        return Err(ServiceError::Invalid(phrase!("err-views-empty")));
    }
    Ok(SavedViewInput { name: name.to_owned(), ..input.clone() })
}

async fn to_saved_view(db: &impl ConnectionTrait, actor: &Actor, row: saved_view::Model) -> ServiceResult<SavedView> {
    // A stored filter always parsed when it was saved; one that no longer does (written by
    // a newer version) matches as far as it still reads.
    let filter: InboxFilter = serde_json::from_str(&row.filter).unwrap_or_default();
    let count = count_matching(db, actor, &filter).await?;
    Ok(SavedView {
        id: SavedViewId(row.id),
        name: row.name,
        shared: row.owner_id.is_none(),
        can_edit: may_edit(actor, row.owner_id),
        filter,
        count,
    })
}

fn changed(w: &mut crate::Write, scope: Scope) {
    // No payload: each member reloads what they may see (personal views stay private).
    w.notify(Operators(scope.workspace_id()), OperatorEvent::SavedViewsChanged);
}

/// The views the member sees (the workspace's shared ones, then their own, by name), each
/// with how many conversations match it now. Needs `read conversations`.
pub async fn list_saved_views(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<SavedView>> {
    let scope = actor.require(Capability::ReadConversations)?;
    let member = actor.member()?;
    let rows = scope
        .find::<saved_view::Entity>()
        .filter(
            Condition::any()
                .add(saved_view::Column::OwnerId.is_null())
                .add(saved_view::Column::OwnerId.eq(member.user_id.0)),
        )
        .order_by_asc(saved_view::Column::Name)
        .order_by_asc(saved_view::Column::Id)
        .all(db)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        views.push(to_saved_view(db, actor, row).await?);
    }
    views.sort_by_key(|v| !v.shared);
    Ok(views)
}

/// Saves a new view: shared (needs `manage shared views`) or the member's own.
pub async fn create_saved_view(svc: &Services, actor: &Actor, input: SavedViewInput) -> ServiceResult<SavedView> {
    let scope = actor.require(Capability::ReadConversations)?;
    let member = actor.member()?;
    let input = check(&input)?;
    if input.shared {
        actor.require(Capability::ManageSharedViews)?;
    }
    let mut w = svc.begin().await?;
    let row = saved_view::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        owner_id: Set((!input.shared).then_some(member.user_id.0)),
        name: Set(input.name),
        filter: Set(serde_json::to_string(&input.filter).map_err(|e| ServiceError::Internal(e.to_string()))?),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    changed(&mut w, scope);
    let view = to_saved_view(w.txn(), actor, row).await?;
    w.commit().await?;
    Ok(view)
}

/// The view `id` if the actor may change it: not found unless they may see it (shared, or
/// their own), forbidden unless they may change it.
async fn editable(w: &crate::Write, scope: Scope, actor: &Actor, id: SavedViewId) -> ServiceResult<saved_view::Model> {
    let member = actor.member()?;
    let row = scope
        .find::<saved_view::Entity>()
        .filter(saved_view::Column::Id.eq(id.0))
        .one(w.txn())
        .await?
        .ok_or(ServiceError::NotFound)?;
    match row.owner_id {
        Some(owner) if owner != member.user_id.0 => Err(ServiceError::NotFound),
        owner if !may_edit(actor, owner) => Err(ServiceError::Forbidden),
        _ => Ok(row),
    }
}

/// Renames a view, changes its filter, or moves it between personal and shared (either
/// way needs `manage shared views`).
pub async fn update_saved_view(
    svc: &Services,
    actor: &Actor,
    id: SavedViewId,
    input: SavedViewInput,
) -> ServiceResult<SavedView> {
    let scope = actor.require(Capability::ReadConversations)?;
    let member = actor.member()?;
    let input = check(&input)?;
    let mut w = svc.begin().await?;
    let row = editable(&w, scope, actor, id).await?;
    if input.shared != row.owner_id.is_none() {
        actor.require(Capability::ManageSharedViews)?;
    }
    let mut active: saved_view::ActiveModel = row.into();
    active.name = Set(input.name);
    active.owner_id = Set((!input.shared).then_some(member.user_id.0));
    active.filter = Set(serde_json::to_string(&input.filter).map_err(|e| ServiceError::Internal(e.to_string()))?);
    let row = active.update(w.txn()).await?;
    changed(&mut w, scope);
    let view = to_saved_view(w.txn(), actor, row).await?;
    w.commit().await?;
    Ok(view)
}

/// Deletes a view (shared: needs `manage shared views`; personal: its owner).
pub async fn delete_saved_view(svc: &Services, actor: &Actor, id: SavedViewId) -> ServiceResult<()> {
    let scope = actor.require(Capability::ReadConversations)?;
    let mut w = svc.begin().await?;
    let row = editable(&w, scope, actor, id).await?;
    scope.delete_many::<saved_view::Entity>().filter(saved_view::Column::Id.eq(row.id)).exec(w.txn()).await?;
    changed(&mut w, scope);
    w.commit().await
}
