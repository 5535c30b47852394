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

use parley_types::{Availability, ConversationStatus, OperatorEvent, UserId, phrase};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Services;
use crate::access::Scope;
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{conversation, department, department_member, job, membership, user};
use crate::error::ServiceResult;
use crate::jobs::{JobError, JobHandler, NewJob};
use crate::write::Write;

/// The job that hands waiting conversations to free members.
pub const DISPATCH_JOB: &str = "assignment.dispatch";

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
            let line = phrase!("line-assigned-round-robin", assignee = name, department = &dept.name);
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
