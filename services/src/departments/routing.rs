//! Routing rules: which department a new conversation goes to (see
//! `parley_types::routing`). Stored in order as JSON on the workspace; admins replace the
//! whole list at once (`manage departments`), checked against the workspace's
//! departments, labels and channels, audited, and shown to other admins live.

use parley_types::{Capability, Channel, ContactId, DepartmentId, OperatorEvent, RouteFacts, RoutingRule, check_rules};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::entities::{contact, contact_label, department, label, workspace};
use crate::error::{ServiceError, ServiceResult};

/// The rules stored on `ws`, in order.
pub fn rules_of(ws: &workspace::Model) -> Vec<RoutingRule> {
    serde_json::from_str(&ws.routing).unwrap_or_default()
}

/// The workspace's routing rules. Needs `read conversations` (every member sees where
/// conversations go).
pub async fn list_rules(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<RoutingRule>> {
    let scope = actor.require(Capability::ReadConversations)?;
    Ok(rules_of(&crate::workspaces::get(db, scope).await?))
}

/// Replaces the rules (in this order). Needs `manage departments`; every problem listed at
/// once, nothing saved.
pub async fn save_rules(svc: &Services, actor: &Actor, rules: Vec<RoutingRule>) -> ServiceResult<Vec<RoutingRule>> {
    let scope = actor.require(Capability::ManageDepartments)?;
    let rules: Vec<RoutingRule> =
        rules.into_iter().map(|r| RoutingRule { value: r.value.trim().to_owned(), ..r }).collect();
    let mut w = svc.begin().await?;
    let departments: Vec<DepartmentId> =
        scope.find::<department::Entity>().all(w.txn()).await?.into_iter().map(|d| DepartmentId(d.id)).collect();
    let labels: Vec<String> =
        scope.find::<label::Entity>().all(w.txn()).await?.into_iter().map(|l| l.name.to_lowercase()).collect();
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    let problems = check_rules(&rules, &departments, &labels, &channels);
    if !problems.is_empty() {
        return Err(ServiceError::InvalidFields(problems));
    }
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    w.audit_change(actor, "routing rules", rules_of(&ws), &rules).await?;
    store(&w, scope, &rules).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::RoutingChanged { rules: rules.clone() });
    w.commit().await?;
    Ok(rules)
}

async fn store(w: &crate::write::Write, scope: Scope, rules: &[RoutingRule]) -> ServiceResult<()> {
    let text = if rules.is_empty() {
        String::new()
    } else {
        serde_json::to_string(rules).map_err(|e| ServiceError::Internal(e.to_string()))?
    };
    // unscoped: the workspace row itself, by the scope's id.
    workspace::Entity::update_many()
        .col_expr(workspace::Column::Routing, Expr::value(text))
        .filter(workspace::Column::Id.eq(scope.workspace_id().0))
        .exec(w.txn())
        .await?;
    Ok(())
}

/// Drops the rules that send conversations to a department being deleted (in its write);
/// true when some did.
pub(super) async fn forget_department(w: &crate::write::Write, scope: Scope, id: DepartmentId) -> ServiceResult<bool> {
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    let rules = rules_of(&ws);
    let id_text = id.0.to_string();
    let kept: Vec<RoutingRule> = rules
        .iter()
        .filter(|r| r.department_id != id && !(r.when == parley_types::RouteWhen::Prechat && r.value == id_text))
        .cloned()
        .collect();
    if kept.len() == rules.len() {
        return Ok(false);
    }
    store(w, scope, &kept).await?;
    Ok(true)
}

/// The department a new conversation of `contact` goes to, on `channel`: the first rule
/// that matches, else the department the visitor picked, else the default; one that no
/// longer exists counts as none.
pub(crate) async fn route_new(
    svc: &Services,
    db: &impl ConnectionTrait,
    scope: Scope,
    contact_id: ContactId,
    channel: Channel,
) -> ServiceResult<Option<i64>> {
    let ws = crate::workspaces::get(db, scope).await?;
    let rules = rules_of(&ws);
    let default = ws.default_department_id.map(DepartmentId);
    let row = scope.find::<contact::Entity>().filter(contact::Column::Id.eq(contact_id.0)).one(db).await?;
    let picked = row.as_ref().and_then(|c| c.picked_department_id).map(DepartmentId);
    if rules.is_empty() && picked.is_none() {
        return Ok(ws.default_department_id);
    }
    let labels = if rules.iter().any(|r| r.when == parley_types::RouteWhen::ContactTag) {
        let ids: Vec<i64> = scope
            .find::<contact_label::Entity>()
            .filter(contact_label::Column::ContactId.eq(contact_id.0))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.label_id)
            .collect();
        scope
            .find::<label::Entity>()
            .filter(label::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.name.to_lowercase())
            .collect()
    } else {
        Vec::new()
    };
    let facts = RouteFacts {
        page_url: svc.online.page_of(scope.workspace_id(), contact_id),
        language: row.and_then(|c| c.language),
        channel: channel.as_str().to_owned(),
        picked,
        labels,
    };
    let Some(chosen) = parley_types::route(&rules, &facts, default) else { return Ok(None) };
    let exists =
        scope.find::<department::Entity>().filter(department::Column::Id.eq(chosen.0)).one(db).await?.is_some();
    Ok(if exists { Some(chosen.0) } else { ws.default_department_id })
}
