//! The views' counts, pushed: a write that moves a conversation between views (created,
//! status changed, assigned) queues one `conversations.counts` job per workspace, due a
//! moment later (a unique key folds a burst into one run); the job counts every view for
//! the team in one grouped query and publishes `OperatorEvent::ViewCounts`. Operators'
//! pages apply it instead of each asking for their counts after every change (a member
//! who sees only their departments' conversations gets their own counts instead: the
//! socket asks [`member_counts`]).

use std::sync::Arc;

use parley_types::{ConversationStatus, OperatorEvent, TeamViewCounts, UserId, WorkspaceId};
use sea_orm::{ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter, QuerySelect, Select};

use super::visibility::visible_conversations;
use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{conversation, job};
use crate::error::ServiceResult;
use crate::jobs::{JobError, JobHandler, NewJob};
use crate::platform::Platform;
use crate::write::Write;

/// The job's kind.
pub const COUNTS_JOB: &str = "conversations.counts";
/// How long a change waits for others before the counts go out.
const SETTLE_MS: i64 = 250;

pub fn register(platform: &Platform) {
    platform.register_job(Arc::new(PublishCounts));
}

/// Queues the workspace's counts to be pushed shortly (once, however many writes ask).
pub(crate) async fn counts_changed(w: &mut Write, scope: Scope) -> ServiceResult<()> {
    let workspace = scope.workspace_id();
    let job = NewJob::new(COUNTS_JOB, serde_json::Value::Null)
        .in_workspace(workspace)
        .unique(format!("counts:{workspace}"))
        .due_at(now_ms() + SETTLE_MS);
    if w.enqueue(job).await? {
        w.wake_jobs();
    }
    Ok(())
}

/// Every view's count for the workspace: the open and snoozed conversations grouped by
/// status and assignee, and the closed ones counted, both from the index
/// `conversations_workspace_status_assignee_department` alone.
pub async fn team_counts(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<TeamViewCounts> {
    counts_of(db, || scope.find::<conversation::Entity>()).await
}

/// [`team_counts`] over the conversations `actor` sees: the team's when they see all of
/// them. Needs `read conversations`.
pub async fn member_counts(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<TeamViewCounts> {
    let conversations = visible_conversations(db, actor).await?;
    counts_of(db, || conversations.clone()).await
}

async fn counts_of(
    db: &impl ConnectionTrait,
    conversations: impl Fn() -> Select<conversation::Entity>,
) -> ServiceResult<TeamViewCounts> {
    use conversation::Column as C;
    let (open, snoozed, closed) =
        (ConversationStatus::Open.as_str(), ConversationStatus::Snoozed.as_str(), ConversationStatus::Closed.as_str());
    let groups: Vec<(String, Option<i64>, i64)> = conversations()
        .select_only()
        .column(C::Status)
        .column(C::AssigneeId)
        .column_as(C::Id.count(), "n")
        .filter(C::Status.is_in([open, snoozed]))
        .group_by(C::Status)
        .group_by(C::AssigneeId)
        .into_tuple()
        .all(db)
        .await?;
    let archived = conversations().filter(C::Status.eq(closed)).count(db).await?;
    let mut counts = TeamViewCounts { archived: i64::try_from(archived).unwrap_or(i64::MAX), ..Default::default() };
    for (status, assignee, n) in groups {
        match (status == open, assignee) {
            (true, None) => counts.live += n,
            (true, Some(user)) => {
                counts.assigned += n;
                counts.mine.push((UserId(user), n));
            }
            (false, _) => counts.snoozed += n,
        }
    }
    counts.mine.sort_unstable();
    Ok(counts)
}

struct PublishCounts;

#[async_trait::async_trait]
impl JobHandler for PublishCounts {
    fn kind(&self) -> &'static str {
        COUNTS_JOB
    }

    async fn run(&self, _svc: &Services, w: &mut Write, job: &job::Model) -> Result<(), JobError> {
        let workspace =
            WorkspaceId(job.workspace_id.ok_or_else(|| JobError("a counts job without a workspace".into()))?);
        let counts = team_counts(w.txn(), Scope::unchecked(workspace)).await?;
        w.notify(Operators(workspace), OperatorEvent::ViewCounts { counts });
        Ok(())
    }
}
