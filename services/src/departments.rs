//! Departments: teams of members that conversations are assigned to. Owners and admins
//! manage them (`manage departments`): name, members, auto-assignment on or off, and a
//! capacity per member (default 10); one may be the department new conversations go to
//! (the administration issue's routing rules come before that default).
//!
//! Auto-assignment: a department that auto-assigns gives its conversations waiting in
//! Live (open, nobody assigned), oldest first, to its *online* members who hold fewer
//! open conversations than the capacity, round-robin (whoever got one longest ago goes
//! next). With nobody free a conversation waits until someone comes online or frees a
//! slot. The work is one durable job per workspace ([`DISPATCH_JOB`], unique key
//! `dispatch:{workspace}`), queued in the same write as whatever may have changed the
//! answer: a new or reopened conversation, a member coming online, a slot freed by a
//! close, snooze or reassignment, a department's settings. One key per workspace means
//! two dispatches never run at once (a second is queued only once the running one's
//! write has committed), so simultaneous arrivals cannot push anyone past a capacity.

use std::collections::HashMap;
use std::sync::Arc;

use parley_types::{
    Availability, Capability, ConversationStatus, Department, DepartmentId, MAX_CAPACITY, OperatorEvent, UserId,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{conversation, department, department_member, job, membership, user, workspace};
use crate::error::{ServiceError, ServiceResult, conflict_on_unique};
use crate::events::DomainEvent;
use crate::jobs::{JobError, JobHandler, NewJob};
use crate::write::Write;

/// Longest department name, in characters.
pub const MAX_DEPARTMENT_NAME: usize = 60;

/// The job that hands waiting conversations to free members.
pub const DISPATCH_JOB: &str = "assignment.dispatch";

/// What an admin sets on a department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentInput {
    pub name: String,
    pub auto_assign: bool,
    pub capacity: i64,
    pub members: Vec<UserId>,
    /// New conversations go here (unsetting it leaves new conversations without one).
    pub is_default: bool,
}

fn check(input: &DepartmentInput) -> ServiceResult<(String, String)> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > MAX_DEPARTMENT_NAME {
        return Err(ServiceError::Invalid(format!(
            "A department needs a name of 1 to {MAX_DEPARTMENT_NAME} characters."
        )));
    }
    if !(1..=MAX_CAPACITY).contains(&input.capacity) {
        return Err(ServiceError::Invalid(format!(
            "Capacity is the number of open conversations per member: 1 to {MAX_CAPACITY}."
        )));
    }
    Ok((name.to_owned(), name.to_lowercase()))
}

fn taken(name: &str) -> ServiceError {
    ServiceError::Conflict(format!("A department named {name:?} exists already."))
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
            name: row.name,
            auto_assign: row.auto_assign,
            capacity: row.capacity,
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
        ..Default::default()
    }
    .insert(w.txn())
    .await
    .map_err(|err| conflict_on_unique(err, || taken(&name)))?;
    apply(w, scope, row.id, &input).await
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
    let row = find_in(w.txn(), scope, id).await?;
    let mut active: department::ActiveModel = row.into();
    active.name = Set(name.clone());
    active.name_key = Set(key);
    active.auto_assign = Set(input.auto_assign);
    active.capacity = Set(input.capacity);
    active.update(w.txn()).await.map_err(|err| conflict_on_unique(err, || taken(&name)))?;
    apply(w, scope, id.0, &input).await
}

/// The members and the default of a department just written; then the event, the
/// notice to operators, a dispatch, and the commit.
async fn apply(mut w: Write, scope: Scope, id: i64, input: &DepartmentInput) -> ServiceResult<Department> {
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
    find_in(w.txn(), scope, id).await?;
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

/// Queues the workspace's dispatch in `w`, when it has a department that auto-assigns
/// (else there is nothing to do). A dispatch already queued and not yet started covers
/// this write too.
pub(crate) async fn queue_dispatch(w: &mut Write, scope: Scope) -> ServiceResult<()> {
    let auto =
        scope.find::<department::Entity>().filter(department::Column::AutoAssign.eq(true)).count(w.txn()).await?;
    if auto == 0 {
        return Ok(());
    }
    let workspace = scope.workspace_id();
    let job = NewJob::new(DISPATCH_JOB, serde_json::json!({})).in_workspace(workspace).unique(dispatch_key(scope));
    if w.enqueue(job).await? {
        w.wake_jobs();
    }
    Ok(())
}

fn dispatch_key(scope: Scope) -> String {
    format!("dispatch:{}", scope.workspace_id())
}

/// Registers auto-assignment's job.
pub fn register(platform: &crate::platform::Platform) {
    platform.register_job(Arc::new(Dispatch));
}

struct Dispatch;

#[async_trait::async_trait]
impl JobHandler for Dispatch {
    fn kind(&self) -> &'static str {
        DISPATCH_JOB
    }

    async fn run(&self, _svc: &Services, w: &mut Write, job: &job::Model) -> Result<(), JobError> {
        let workspace = job.workspace_id.ok_or_else(|| JobError("a dispatch without a workspace".into()))?;
        dispatch(w, Scope::unchecked(parley_types::WorkspaceId(workspace))).await?;
        Ok(())
    }
}

/// A member auto-assignment may give conversations to.
struct Candidate {
    user_id: i64,
    name: String,
    last_assigned_at_ms: Option<i64>,
}

/// Hands each auto-assigning department's waiting conversations, oldest first, to its
/// online members under capacity, round-robin.
async fn dispatch(w: &mut Write, scope: Scope) -> ServiceResult<()> {
    let departments = scope
        .find::<department::Entity>()
        .filter(department::Column::AutoAssign.eq(true))
        .order_by_asc(department::Column::Id)
        .all(w.txn())
        .await?;
    if departments.is_empty() {
        return Ok(());
    }
    // Who is online (by name), and how many open conversations each member holds.
    let online: HashMap<i64, String> = scope
        .find::<membership::Entity>()
        .filter(membership::Column::Availability.eq(Availability::Online.as_str()))
        .find_also_related(user::Entity)
        .all(w.txn())
        .await?
        .into_iter()
        .filter_map(|(m, u)| u.map(|u| (m.user_id, u.name)))
        .collect();
    let mut load: HashMap<i64, i64> = scope
        .find::<conversation::Entity>()
        .select_only()
        .column(conversation::Column::AssigneeId)
        .column_as(conversation::Column::Id.count(), "open")
        .filter(conversation::Column::Status.eq(ConversationStatus::Open.as_str()))
        .filter(conversation::Column::AssigneeId.is_not_null())
        .group_by(conversation::Column::AssigneeId)
        .into_tuple::<(Option<i64>, i64)>()
        .all(w.txn())
        .await?
        .into_iter()
        .filter_map(|(user, open)| user.map(|u| (u, open)))
        .collect();
    for dept in departments {
        let mut candidates: Vec<Candidate> = scope
            .find::<department_member::Entity>()
            .filter(department_member::Column::DepartmentId.eq(dept.id))
            .all(w.txn())
            .await?
            .into_iter()
            .filter_map(|m| {
                online.get(&m.user_id).map(|name| Candidate {
                    user_id: m.user_id,
                    name: name.clone(),
                    last_assigned_at_ms: m.last_assigned_at_ms,
                })
            })
            .collect();
        let free: i64 =
            candidates.iter().map(|c| Ord::max(dept.capacity - load.get(&c.user_id).copied().unwrap_or(0), 0)).sum();
        if free == 0 {
            continue;
        }
        let mut waiting = scope
            .find::<conversation::Entity>()
            .filter(conversation::Column::DepartmentId.eq(dept.id))
            .filter(conversation::Column::Status.eq(ConversationStatus::Open.as_str()))
            .filter(conversation::Column::AssigneeId.is_null())
            .order_by_asc(Expr::cust("COALESCE(waiting_since_ms, created_at_ms)"))
            .order_by_asc(conversation::Column::Id)
            .limit(free as u64);
        if w.txn().get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // A member taking one of them meanwhile waits for this write, and one taken
            // just before is skipped (SQLite's writes run one at a time anyway).
            waiting = waiting
                .lock_with_behavior(sea_orm::sea_query::LockType::Update, sea_orm::sea_query::LockBehavior::SkipLocked);
        }
        let waiting = waiting.all(w.txn()).await?;
        // Round-robin stamps only grow, even within one millisecond.
        let newest = candidates.iter().filter_map(|c| c.last_assigned_at_ms).max().unwrap_or(0);
        let mut stamp = Ord::max(newest, now_ms());
        for row in waiting {
            let Some(next) = candidates
                .iter_mut()
                .filter(|c| load.get(&c.user_id).copied().unwrap_or(0) < dept.capacity)
                .min_by_key(|c| (c.last_assigned_at_ms.is_some(), c.last_assigned_at_ms, c.user_id))
            else {
                break;
            };
            stamp += 1;
            next.last_assigned_at_ms = Some(stamp);
            *load.entry(next.user_id).or_default() += 1;
            let (user_id, name) = (next.user_id, next.name.clone());
            let line = format!("Parley assigned the conversation to {name} (department {}, round robin)", dept.name);
            let updated =
                crate::conversations::assign_in(w, scope, row, Some(UserId(user_id)), None, &line, now_ms()).await?;
            scope
                .update_many::<department_member::Entity>()
                .col_expr(department_member::Column::LastAssignedAtMs, Expr::value(stamp))
                .filter(department_member::Column::DepartmentId.eq(dept.id))
                .filter(department_member::Column::UserId.eq(user_id))
                .exec(w.txn())
                .await?;
            let summary = crate::conversations::summary_of(w.txn(), scope, &updated).await?;
            w.notify(Operators(scope.workspace_id()), OperatorEvent::ConversationChanged { conversation: summary });
        }
    }
    Ok(())
}
