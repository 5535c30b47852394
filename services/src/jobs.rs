//! Durable jobs: work that must happen later or outside the request (snooze timers,
//! expiry, broadcasts, channel sends, webhooks, housekeeping) is a row in `jobs`.
//!
//! A command enqueues with [`Write::enqueue`], in its own transaction. The runner
//! ([`spawn_runner`]) claims due jobs with a lease (PostgreSQL: `FOR UPDATE SKIP
//! LOCKED`; SQLite: under the write gate), runs the kind's [`JobHandler`] inside a write
//! that also deletes the job row, and commits: a job's completion and its effects land
//! together or not at all. A failure rolls back, and the job is retried with exponential
//! backoff and jitter until `max_attempts`, then kept as `failed`. A job that came due
//! while the server was down runs once after the restart; a runner that died mid-job
//! leaves a lease that expires, and the job runs again (its earlier effects were never
//! committed).

use std::time::Duration;

use parley_types::WorkspaceId;
use rand::Rng;
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, Statement, Value};
use tokio::sync::watch;

use crate::Services;
use crate::clock::now_ms;
use crate::entities::job;
use crate::error::{ServiceError, ServiceResult};
use crate::write::Write;

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub payload: serde_json::Value,
    pub workspace_id: Option<WorkspaceId>,
    pub due_at_ms: i64,
    /// At most one pending job per key; enqueueing a taken key does nothing.
    pub unique_key: Option<String>,
    pub max_attempts: i32,
}

impl NewJob {
    /// A job of `kind` due now, tried up to 10 times.
    pub fn new(kind: &'static str, payload: serde_json::Value) -> Self {
        NewJob { kind, payload, workspace_id: None, due_at_ms: now_ms(), unique_key: None, max_attempts: 10 }
    }

    pub fn due_at(mut self, due_at_ms: i64) -> Self {
        self.due_at_ms = due_at_ms;
        self
    }

    pub fn unique(mut self, key: impl Into<String>) -> Self {
        self.unique_key = Some(key.into());
        self
    }

    pub fn in_workspace(mut self, workspace_id: WorkspaceId) -> Self {
        self.workspace_id = Some(workspace_id);
        self
    }
}

/// Why a job run failed; the text is kept in `last_error`.
#[derive(Debug)]
pub struct JobError(pub String);

impl<E: std::fmt::Display> From<E> for JobError {
    fn from(err: E) -> Self {
        JobError(err.to_string())
    }
}

/// Runs the jobs of one kind.
#[async_trait::async_trait]
pub trait JobHandler: Send + Sync + 'static {
    /// The `kind` this handler runs.
    fn kind(&self) -> &'static str;
    /// Does the job's work inside `w`; the job row is deleted in the same write.
    async fn run(&self, svc: &Services, w: &mut Write, job: &job::Model) -> Result<(), JobError>;
}

/// How long a claimed job is reserved for its runner.
const LEASE: Duration = Duration::from_secs(60);
/// Jobs claimed at once.
const CLAIM_BATCH: u64 = 20;
/// Longest idle wait between looks at the queue.
const IDLE_POLL: Duration = Duration::from_secs(2);
/// Longest retry delay.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

impl Write {
    /// Enqueues a job in this write's transaction. Returns `false` when its unique key is
    /// already taken (nothing enqueued).
    pub async fn enqueue(&mut self, job: NewJob) -> ServiceResult<bool> {
        let backend = self.txn().get_database_backend();
        let sql = match backend {
            DatabaseBackend::Postgres => {
                "INSERT INTO jobs (kind, payload, workspace_id, unique_key, state, due_at_ms, attempts, max_attempts, \
                 created_at_ms) VALUES ($1, $2, $3, $4, 'pending', $5, 0, $6, $7) ON CONFLICT (unique_key) DO NOTHING"
            }
            _ => {
                "INSERT INTO jobs (kind, payload, workspace_id, unique_key, state, due_at_ms, attempts, max_attempts, \
                 created_at_ms) VALUES (?, ?, ?, ?, 'pending', ?, 0, ?, ?) ON CONFLICT (unique_key) DO NOTHING"
            }
        };
        let values: Vec<Value> = vec![
            job.kind.into(),
            job.payload.to_string().into(),
            job.workspace_id.map(|w| w.0).into(),
            job.unique_key.into(),
            job.due_at_ms.into(),
            job.max_attempts.into(),
            now_ms().into(),
        ];
        let result = self.txn().execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
        let inserted = result.rows_affected() == 1;
        if inserted {
            self.wake_jobs();
        }
        Ok(inserted)
    }

    /// Removes the job holding `unique_key`, whatever its state, in this write (a snooze
    /// replaced or ended early). A run already under way finds its work gone stale: each
    /// handler checks that what it was due to do is still wanted.
    pub async fn cancel_job(&mut self, unique_key: &str) -> ServiceResult<u64> {
        use sea_orm::{ColumnTrait, QueryFilter};
        // unscoped: unique keys name one row of one workspace (e.g. "unsnooze:42").
        let deleted = job::Entity::delete_many().filter(job::Column::UniqueKey.eq(unique_key)).exec(self.txn()).await?;
        Ok(deleted.rows_affected)
    }
}

/// Claims up to `limit` due jobs for `runner`.
async fn claim(svc: &Services, runner: &str, limit: u64) -> ServiceResult<Vec<job::Model>> {
    let w = svc.begin().await?;
    let now = now_ms();
    let lease_until = now + LEASE.as_millis() as i64;
    let backend = w.txn().get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "UPDATE jobs SET lease_until_ms = $1, leased_by = $2, attempts = attempts + 1 WHERE id IN (\
             SELECT id FROM jobs WHERE state = 'pending' AND due_at_ms <= $3 \
             AND (lease_until_ms IS NULL OR lease_until_ms < $3) ORDER BY due_at_ms, id LIMIT $4 \
             FOR UPDATE SKIP LOCKED) RETURNING *"
        }
        _ => {
            "UPDATE jobs SET lease_until_ms = ?1, leased_by = ?2, attempts = attempts + 1 WHERE id IN (\
             SELECT id FROM jobs WHERE state = 'pending' AND due_at_ms <= ?3 \
             AND (lease_until_ms IS NULL OR lease_until_ms < ?3) ORDER BY due_at_ms, id LIMIT ?4) RETURNING *"
        }
    };
    let values: Vec<Value> = vec![lease_until.into(), runner.into(), now.into(), (limit as i64).into()];
    let mut jobs =
        // unscoped: the runner claims every workspace's due jobs.
        job::Entity::find().from_raw_sql(Statement::from_sql_and_values(backend, sql, values)).all(w.txn()).await?;
    w.commit().await?;
    jobs.sort_by_key(|j| (j.due_at_ms, j.id));
    Ok(jobs)
}

/// Runs one claimed job and records its outcome.
async fn run_one(svc: &Services, runner: &str, job: &job::Model) -> ServiceResult<()> {
    let handler = svc.platform.job_handler(&job.kind);
    let outcome = match handler {
        None => Err(JobError(format!("no handler for job kind {:?}", job.kind))),
        Some(handler) => {
            let mut w = svc.begin().await?;
            // The row goes first, in the same write as the effects: a handler may
            // enqueue the next run under the same unique key.
            let backend = w.txn().get_database_backend();
            let sql = match backend {
                DatabaseBackend::Postgres => "DELETE FROM jobs WHERE id = $1 AND leased_by = $2",
                _ => "DELETE FROM jobs WHERE id = ? AND leased_by = ?",
            };
            let deleted = w
                .txn()
                .execute_raw(Statement::from_sql_and_values(backend, sql, [job.id.into(), runner.into()]))
                .await?
                .rows_affected();
            if deleted != 1 {
                // The lease expired and another runner took it over.
                return Ok(());
            }
            match handler.run(svc, &mut w, job).await {
                Ok(()) => match w.commit().await {
                    Ok(()) => Ok(()),
                    Err(err) => Err(JobError(err.to_string())),
                },
                Err(err) => Err(err),
            }
        }
    };
    match outcome {
        Ok(()) => Ok(()),
        Err(JobError(message)) => record_failure(svc, runner, job, &message).await,
    }
}

async fn record_failure(svc: &Services, runner: &str, job: &job::Model, message: &str) -> ServiceResult<()> {
    let given_up = job.attempts >= job.max_attempts;
    if given_up {
        tracing::error!(job = job.id, kind = %job.kind, attempts = job.attempts, error = %message, "job failed for good");
    } else {
        tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, error = %message, "job failed; will retry");
    }
    svc.metrics.job_failed(&job.kind);
    let due = now_ms() + backoff(job.attempts).as_millis() as i64;
    let w = svc.begin().await?;
    let backend = w.txn().get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "UPDATE jobs SET state = $1, due_at_ms = $2, last_error = $3, lease_until_ms = NULL, leased_by = NULL, \
             unique_key = CASE WHEN $1 = 'failed' THEN NULL ELSE unique_key END WHERE id = $4 AND leased_by = $5"
        }
        _ => {
            "UPDATE jobs SET state = ?1, due_at_ms = ?2, last_error = ?3, lease_until_ms = NULL, leased_by = NULL, \
             unique_key = CASE WHEN ?1 = 'failed' THEN NULL ELSE unique_key END WHERE id = ?4 AND leased_by = ?5"
        }
    };
    let state = if given_up { "failed" } else { "pending" };
    let values: Vec<Value> =
        vec![state.into(), due.into(), truncate(message, 2000).into(), job.id.into(), runner.into()];
    w.txn().execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    w.commit().await
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// Retry delay after `attempts` failed runs: 2^attempts seconds, capped, times a random
/// factor in [0.5, 1.5) so that jobs failing together do not retry together.
pub fn backoff(attempts: i32) -> Duration {
    let base = Duration::from_secs(1u64 << attempts.clamp(0, 12)).min(MAX_BACKOFF);
    base.mul_f64(rand::thread_rng().gen_range(0.5..1.5))
}

/// Pending jobs (for metrics and tests).
pub async fn queue_depth(db: &impl ConnectionTrait) -> ServiceResult<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM jobs WHERE state = 'pending'",
        ))
        .await?
        .ok_or_else(|| ServiceError::Internal("count returned no row".into()))?;
    Ok(row.try_get::<i64>("", "n")?)
}

/// Runs jobs until shutdown.
pub fn spawn_runner(svc: Services, mut shutdown: watch::Receiver<bool>) {
    let runner = format!("runner-{}", crate::tokens::random_token(8));
    tokio::spawn(async move {
        loop {
            let wake = svc.jobs_wake.clone();
            let notified = wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let claimed = match claim(&svc, &runner, CLAIM_BATCH).await {
                Ok(jobs) => jobs,
                Err(err) => {
                    tracing::warn!(%err, "could not claim jobs");
                    Vec::new()
                }
            };
            let busy = !claimed.is_empty();
            for job in &claimed {
                if let Err(err) = run_one(&svc, &runner, job).await {
                    tracing::warn!(job = job.id, %err, "could not record a job's outcome; its lease will expire");
                }
            }
            if let Ok(depth) = queue_depth(&svc.db).await {
                svc.metrics.set_jobs_queue_depth(depth);
            }
            if busy {
                continue;
            }
            tokio::select! {
                () = &mut notified => {}
                () = tokio::time::sleep(IDLE_POLL) => {}
                _ = shutdown.changed() => return,
            }
            if *shutdown.borrow() {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped_with_jitter() {
        for attempts in 0..20 {
            let d = backoff(attempts);
            let base = Duration::from_secs(1u64 << attempts.clamp(0, 12)).min(MAX_BACKOFF);
            assert!(d >= base.mul_f64(0.5) && d < base.mul_f64(1.5), "{attempts}: {d:?}");
        }
        assert!(backoff(30) <= MAX_BACKOFF.mul_f64(1.5));
    }
}
