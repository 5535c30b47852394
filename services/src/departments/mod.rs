//! Departments: teams of members that conversations are assigned to. Owners and admins
//! manage them (`manage departments`): name, members, auto-assignment on or off, and a
//! capacity per member (default 10); one may be the department new conversations go to
//! (the administration issue's routing rules come before that default).
//!
//! Auto-assignment lives in `dispatch.rs`.

use std::collections::HashMap;

use parley_types::{Capability, Department, DepartmentId, MAX_CAPACITY, OperatorEvent, UserId, phrase};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

mod dispatch;
mod routing;

pub use dispatch::DISPATCH_JOB;
pub(crate) use dispatch::queue_dispatch;
pub use dispatch::register;
pub(crate) use routing::route_new;
pub use routing::{list_rules, rules_of, save_rules};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{conversation, department, department_member, workspace};
use crate::error::{ServiceError, ServiceResult, conflict_on_unique};
use crate::events::DomainEvent;
use crate::write::Write;

/// Longest department name, in characters.
pub const MAX_DEPARTMENT_NAME: usize = 60;

/// What an admin sets on a department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentInput {
    pub name: String,
    pub auto_assign: bool,
    pub capacity: i64,
    pub members: Vec<UserId>,
    /// New conversations go here (unsetting it leaves new conversations without one).
    pub is_default: bool,
    /// What it does, shown in the widget's picker.
    pub description: String,
    /// Offered in the widget's pre-chat department picker.
    pub in_picker: bool,
}

/// Longest department description, in characters.
pub const MAX_DEPARTMENT_DESCRIPTION: usize = 300;

fn check(input: &DepartmentInput) -> ServiceResult<(String, String)> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > MAX_DEPARTMENT_NAME {
        return Err(ServiceError::Invalid(phrase!("err-departments-name", max = MAX_DEPARTMENT_NAME)));
    }
    if input.description.trim().chars().count() > MAX_DEPARTMENT_DESCRIPTION {
        return Err(ServiceError::Invalid(phrase!("err-departments-description", max = MAX_DEPARTMENT_DESCRIPTION)));
    }
    if !(1..=MAX_CAPACITY).contains(&input.capacity) {
        return Err(ServiceError::Invalid(phrase!("err-departments-capacity", max = MAX_CAPACITY)));
    }
    Ok((name.to_owned(), name.to_lowercase()))
}

fn taken(name: &str) -> ServiceError {
    ServiceError::Conflict(phrase!("err-departments-name-taken", value = name))
}

/// The workspace's departments by name, with their members. Needs `read conversations`.
pub async fn list_departments(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<Department>> {
    let scope = actor.require(Capability::ReadConversations)?;
    list_in(db, scope).await
}

async fn list_in(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<Vec<Department>> {
    let rows = scope.find::<department::Entity>().order_by_asc(department::Column::NameKey).all(db).await?;
    let mut members: HashMap<i64, Vec<UserId>> = HashMap::new();
    let links =
        scope.find::<department_member::Entity>().order_by_asc(department_member::Column::UserId).all(db).await?;
    for link in links {
        members.entry(link.department_id).or_default().push(UserId(link.user_id));
    }
    let default = default_department(db, scope).await?;
    Ok(rows
        .into_iter()
        .map(|row| Department {
            id: DepartmentId(row.id),
            members: members.remove(&row.id).unwrap_or_default(),
            is_default: default == Some(row.id),
            hours: crate::hours::parse_schedule(&row.hours),
            name: row.name,
            auto_assign: row.auto_assign,
            capacity: row.capacity,
            description: row.description,
            in_picker: row.in_picker,
        })
        .collect())
}

/// The department new conversations of the workspace go to.
pub(crate) async fn default_department(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<Option<i64>> {
    // unscoped: the workspace row itself, by the scope's id.
    let row = workspace::Entity::find_by_id(scope.workspace_id().0).one(db).await?.ok_or(ServiceError::NotFound)?;
    Ok(row.default_department_id)
}

/// The department `id` of the workspace, or not found.
pub(crate) async fn find_in(
    db: &impl ConnectionTrait,
    scope: Scope,
    id: DepartmentId,
) -> ServiceResult<department::Model> {
    scope
        .find::<department::Entity>()
        .filter(department::Column::Id.eq(id.0))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Whether `user` belongs to the department.
pub(crate) async fn is_member(
    db: &impl ConnectionTrait,
    scope: Scope,
    department: i64,
    user: i64,
) -> ServiceResult<bool> {
    let count = scope
        .find::<department_member::Entity>()
        .filter(department_member::Column::DepartmentId.eq(department))
        .filter(department_member::Column::UserId.eq(user))
        .count(db)
        .await?;
    Ok(count > 0)
}

/// Creates a department. Needs `manage departments`; names are unique regardless of case.
pub async fn create_department(svc: &Services, actor: &Actor, input: DepartmentInput) -> ServiceResult<Department> {
    let scope = actor.require(Capability::ManageDepartments)?;
    let (name, key) = check(&input)?;
    let w = svc.begin().await?;
    let row = department::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        name: Set(name.clone()),
        name_key: Set(key),
        auto_assign: Set(input.auto_assign),
        capacity: Set(input.capacity),
        created_at_ms: Set(now_ms()),
        description: Set(input.description.trim().to_owned()),
        in_picker: Set(input.in_picker),
        hours: Set(String::new()),
        ..Default::default()
    }
    .insert(w.txn())
    .await
    .map_err(|err| conflict_on_unique(err, || taken(&name)))?;
    apply(w, actor, scope, row.id, &input, None).await
}

/// Changes a department's name, members, auto-assignment, capacity or whether new
/// conversations go to it. Needs `manage departments`.
pub async fn update_department(
    svc: &Services,
    actor: &Actor,
    id: DepartmentId,
    input: DepartmentInput,
) -> ServiceResult<Department> {
    let scope = actor.require(Capability::ManageDepartments)?;
    let (name, key) = check(&input)?;
    let w = svc.begin().await?;
    let before = list_in(w.txn(), scope).await?.into_iter().find(|d| d.id == id);
    let row = find_in(w.txn(), scope, id).await?;
    let mut active: department::ActiveModel = row.into();
    active.name = Set(name.clone());
    active.name_key = Set(key);
    active.auto_assign = Set(input.auto_assign);
    active.capacity = Set(input.capacity);
    active.description = Set(input.description.trim().to_owned());
    active.in_picker = Set(input.in_picker);
    active.update(w.txn()).await.map_err(|err| conflict_on_unique(err, || taken(&name)))?;
    apply(w, actor, scope, id.0, &input, before).await
}

/// The members and the default of a department just written; then the event, the
/// notice to operators, the audit entry, a dispatch, and the commit.
async fn apply(
    mut w: Write,
    actor: &Actor,
    scope: Scope,
    id: i64,
    input: &DepartmentInput,
    before: Option<Department>,
) -> ServiceResult<Department> {
    let mut wanted = input.members.clone();
    wanted.sort();
    wanted.dedup();
    for user in &wanted {
        crate::conversations::assignable_member(w.txn(), scope, *user).await?;
    }
    let current: Vec<department_member::Model> = scope
        .find::<department_member::Entity>()
        .filter(department_member::Column::DepartmentId.eq(id))
        .all(w.txn())
        .await?;
    let gone: Vec<i64> = current.iter().map(|m| m.user_id).filter(|u| !wanted.iter().any(|w| w.0 == *u)).collect();
    if !gone.is_empty() {
        scope
            .delete_many::<department_member::Entity>()
            .filter(department_member::Column::DepartmentId.eq(id))
            .filter(department_member::Column::UserId.is_in(gone))
            .exec(w.txn())
            .await?;
    }
    for user in wanted.iter().filter(|u| !current.iter().any(|m| m.user_id == u.0)) {
        department_member::ActiveModel {
            department_id: Set(id),
            user_id: Set(user.0),
            workspace_id: Set(scope.workspace_id().0),
            last_assigned_at_ms: Set(None),
        }
        .insert(w.txn())
        .await?;
    }
    let default = default_department(w.txn(), scope).await?;
    let new_default = match (input.is_default, default == Some(id)) {
        (true, false) => Some(Some(id)),
        (false, true) => Some(None),
        _ => None,
    };
    if let Some(new_default) = new_default {
        set_default(&w, scope, new_default).await?;
    }
    w.record(scope.workspace_id(), DomainEvent::DepartmentChanged { department_id: DepartmentId(id), deleted: false });
    let departments = announce(&mut w, scope).await?;
    queue_dispatch(&mut w, scope).await?;
    let department = departments.into_iter().find(|d| d.id.0 == id).ok_or(ServiceError::NotFound)?;
    w.audit_change(actor, format!("department {}", department.name), before, &department).await?;
    w.commit().await?;
    Ok(department)
}

async fn set_default(w: &Write, scope: Scope, department: Option<i64>) -> ServiceResult<()> {
    // unscoped: the workspace row itself, by the scope's id.
    workspace::Entity::update_many()
        .col_expr(workspace::Column::DefaultDepartmentId, Expr::value(department))
        .filter(workspace::Column::Id.eq(scope.workspace_id().0))
        .exec(w.txn())
        .await?;
    Ok(())
}

/// Deletes a department: its conversations keep their assignee and leave the department;
/// new conversations no longer go to it. Returns how many conversations left it. Needs
/// `manage departments`.
pub async fn delete_department(svc: &Services, actor: &Actor, id: DepartmentId) -> ServiceResult<u64> {
    let scope = actor.require(Capability::ManageDepartments)?;
    let mut w = svc.begin().await?;
    let before = list_in(w.txn(), scope).await?.into_iter().find(|d| d.id == id);
    find_in(w.txn(), scope, id).await?;
    if let Some(before) = &before {
        w.audit_change(actor, format!("department {}", before.name), before, ()).await?;
    }
    let moved = scope
        .update_many::<conversation::Entity>()
        .col_expr(conversation::Column::DepartmentId, Expr::value(None::<i64>))
        .filter(conversation::Column::DepartmentId.eq(id.0))
        .exec(w.txn())
        .await?
        .rows_affected;
    if default_department(w.txn(), scope).await? == Some(id.0) {
        set_default(&w, scope, None).await?;
    }
    if routing::forget_department(&w, scope, id).await? {
        let rules = rules_of(&crate::workspaces::get(w.txn(), scope).await?);
        w.notify(Operators(scope.workspace_id()), OperatorEvent::RoutingChanged { rules });
    }
    scope
        .delete_many::<department_member::Entity>()
        .filter(department_member::Column::DepartmentId.eq(id.0))
        .exec(w.txn())
        .await?;
    scope.delete_many::<department::Entity>().filter(department::Column::Id.eq(id.0)).exec(w.txn()).await?;
    w.record(scope.workspace_id(), DomainEvent::DepartmentChanged { department_id: id, deleted: true });
    announce(&mut w, scope).await?;
    w.commit().await?;
    Ok(moved)
}

/// Tells the workspace's operators the departments after a change (once committed);
/// returns them.
async fn announce(w: &mut Write, scope: Scope) -> ServiceResult<Vec<Department>> {
    let departments = list_in(w.txn(), scope).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::DepartmentsChanged { departments: departments.clone() });
    Ok(departments)
}

/// Gives a department its own business hours (`None`: the workspace's); every problem at
/// once. Needs `manage departments`.
pub async fn save_department_hours(
    svc: &Services,
    actor: &Actor,
    id: DepartmentId,
    hours: Option<parley_types::BusinessHours>,
) -> ServiceResult<Option<parley_types::BusinessHours>> {
    let scope = actor.require(Capability::ManageDepartments)?;
    let hours = crate::hours::checked(hours)?;
    let mut w = svc.begin().await?;
    let row = find_in(w.txn(), scope, id).await?;
    let before = crate::hours::parse_schedule(&row.hours);
    w.audit_change(actor, format!("department {} business hours", row.name), before, &hours).await?;
    let mut active: department::ActiveModel = row.into();
    active.hours = Set(crate::hours::stored_text(&hours)?);
    active.update(w.txn()).await?;
    w.record(scope.workspace_id(), DomainEvent::DepartmentChanged { department_id: id, deleted: false });
    announce(&mut w, scope).await?;
    w.commit().await?;
    Ok(hours)
}
