//! The conversations feature's background work, on the platform's durable jobs: a timed
//! snooze ends through its own job (a restart neither loses nor doubles it), and open
//! conversations nobody wrote in for the workspace's period close as expired.

use std::sync::Arc;

use parley_types::{ConversationOutcome, ConversationStatus, WorkspaceId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use serde::Deserialize;

use super::lifecycle::{Transition, UNSNOOZE_JOB, transition_in};
use crate::Services;
use crate::access::{Actor, Scope};
use crate::clock::now_ms;
use crate::entities::{conversation, job, workspace};
use crate::jobs::{JobError, JobHandler};
use crate::platform::{Platform, again_later};
use crate::write::Write;

/// The expiry sweep's kind.
pub const EXPIRE_JOB: &str = "conversations.expire";
/// How often the sweep looks for expired conversations.
const EXPIRE_EVERY_MS: i64 = 60 * 1000;
/// Conversations one sweep closes per workspace at most (the next sweep takes the rest).
const EXPIRE_BATCH: i64 = 200;

/// Registers the feature's jobs.
pub fn register(platform: &Platform) {
    super::counts::register(platform);
    super::continuity::register(platform);
    platform.register_job(Arc::new(EndSnooze));
    platform.register_recurring(Arc::new(ExpireConversations));
}

#[derive(Deserialize)]
struct SnoozePayload {
    conversation_id: i64,
    until_ms: i64,
}

/// Opens a snoozed conversation again when its snooze ends, unless the snooze it was
/// scheduled for has been replaced or ended meanwhile.
struct EndSnooze;

#[async_trait::async_trait]
impl JobHandler for EndSnooze {
    fn kind(&self) -> &'static str {
        UNSNOOZE_JOB
    }

    async fn run(&self, _svc: &Services, w: &mut Write, job: &job::Model) -> Result<(), JobError> {
        let payload: SnoozePayload = serde_json::from_str(&job.payload)?;
        let workspace =
            WorkspaceId(job.workspace_id.ok_or_else(|| JobError("a snooze job without a workspace".into()))?);
        // The job row carries its workspace; everything below is read through it.
        let scope = Scope::unchecked(workspace);
        let Some(row) = scope
            .find::<conversation::Entity>()
            .filter(conversation::Column::Id.eq(payload.conversation_id))
            .one(w.txn())
            .await?
        else {
            return Ok(());
        };
        let still_due =
            row.status == ConversationStatus::Snoozed.as_str() && row.snoozed_until_ms == Some(payload.until_ms);
        if still_due {
            transition_in(w, scope, &Actor::System(workspace), row, Transition::Reopen, now_ms()).await?;
        }
        Ok(())
    }
}

/// Closes, as expired, open conversations in which neither side wrote for the workspace's
/// expiry period (`expire_after_minutes`, 0 = never).
struct ExpireConversations;

#[async_trait::async_trait]
impl JobHandler for ExpireConversations {
    fn kind(&self) -> &'static str {
        EXPIRE_JOB
    }

    async fn run(&self, _svc: &Services, w: &mut Write, _job: &job::Model) -> Result<(), JobError> {
        let now = now_ms();
        let workspaces =
            workspace::Entity::find().filter(workspace::Column::ExpireAfterMinutes.gt(0)).all(w.txn()).await?;
        for ws in workspaces {
            let cutoff = now - i64::from(ws.expire_after_minutes) * 60_000;
            let workspace = WorkspaceId(ws.id);
            let scope = Scope::unchecked(workspace);
            for id in silent_since(w, workspace, cutoff).await? {
                let Some(row) =
                    scope.find::<conversation::Entity>().filter(conversation::Column::Id.eq(id)).one(w.txn()).await?
                else {
                    continue;
                };
                let expire = Transition::Close { outcome: ConversationOutcome::Expired, comment: None };
                transition_in(w, scope, &Actor::System(workspace), row, expire, now).await?;
            }
        }
        again_later(w, EXPIRE_JOB, EXPIRE_EVERY_MS).await
    }
}

/// Open conversations of a workspace whose newest message from either side (not the
/// team's internal lines) is older than `cutoff`; without messages, their creation.
async fn silent_since(w: &Write, workspace: WorkspaceId, cutoff: i64) -> Result<Vec<i64>, JobError> {
    let backend = w.txn().get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT c.id FROM conversations c WHERE c.workspace_id = $1 AND c.status = 'open' AND COALESCE(\
             (SELECT m.created_at_ms FROM messages m WHERE m.conversation_id = c.id AND m.internal = FALSE \
             ORDER BY m.seq DESC LIMIT 1), c.created_at_ms) < $2 ORDER BY c.id LIMIT $3"
        }
        _ => {
            "SELECT c.id FROM conversations c WHERE c.workspace_id = ?1 AND c.status = 'open' AND COALESCE(\
             (SELECT m.created_at_ms FROM messages m WHERE m.conversation_id = c.id AND m.internal = FALSE \
             ORDER BY m.seq DESC LIMIT 1), c.created_at_ms) < ?2 ORDER BY c.id LIMIT ?3"
        }
    };
    let rows = w
        .txn()
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [sea_orm::Value::from(workspace.0), cutoff.into(), EXPIRE_BATCH.into()],
        ))
        .await?;
    rows.iter().map(|row| row.try_get::<i64>("", "id").map_err(JobError::from)).collect()
}
