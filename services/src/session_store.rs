//! Operator sessions for tower-sessions, stored in Parley's own database (SQLite or
//! PostgreSQL) so that they survive a restart.

use async_trait::async_trait;
use sea_orm::sea_query::OnConflict;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use crate::entities::session;

/// A `SessionStore` over SeaORM. Session writes go through the services' one write path,
/// so on SQLite they queue (and batch) with every other write.
#[derive(Clone)]
pub struct DbSessionStore {
    svc: crate::Services,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

impl DbSessionStore {
    pub fn new(svc: &crate::Services) -> Self {
        Self { svc: svc.clone() }
    }
}

/// Deletes expired sessions (the `sessions.sweep` job).
pub async fn delete_expired_in(db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(now)).exec(db).await?;
    Ok(())
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn to_row(record: &Record) -> session_store::Result<session::ActiveModel> {
    let data = serde_json::to_vec(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let key = |name: &str| record.data.get(name).and_then(serde_json::Value::as_i64);
    Ok(session::ActiveModel {
        id: Set(record.id.to_string()),
        data: Set(data),
        expires_at: Set(record.expiry_date.unix_timestamp()),
        user_id: Set(key(crate::auth::SESSION_USER_KEY)),
        workspace_id: Set(key(crate::auth::SESSION_WORKSPACE_KEY)),
    })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id collides with an existing one with negligible probability; if it
        // does, draw another instead of overwriting someone's session.
        let w = self.svc.begin().await.map_err(backend)?;
        loop {
            let inserted = session::Entity::insert(to_row(record)?)
                .on_conflict(OnConflict::column(session::Column::Id).do_nothing().to_owned())
                .exec_without_returning(w.txn())
                .await
                .map_err(backend)?;
            if inserted > 0 {
                return w.commit().await.map_err(backend);
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let w = self.svc.begin().await.map_err(backend)?;
        session::Entity::insert(to_row(record)?)
            .on_conflict(
                OnConflict::column(session::Column::Id)
                    .update_columns([
                        session::Column::Data,
                        session::Column::ExpiresAt,
                        session::Column::UserId,
                        session::Column::WorkspaceId,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(w.txn())
            .await
            .map_err(backend)?;
        w.commit().await.map_err(backend)
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let Some(row) = session::Entity::find_by_id(session_id.to_string())
            .filter(session::Column::ExpiresAt.gt(now))
            .one(&self.svc.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_slice(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *session_id, data, expiry_date }))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        let w = self.svc.begin().await.map_err(backend)?;
        session::Entity::delete_by_id(session_id.to_string()).exec(w.txn()).await.map_err(backend)?;
        w.commit().await.map_err(backend)
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let w = self.svc.begin().await.map_err(backend)?;
        delete_expired_in(w.txn()).await.map_err(backend)?;
        w.commit().await.map_err(backend)
    }
}

/// Ends a user's signed-in sessions inside `w` (in one workspace, or in all of them
/// with `None`), except `keep` (the session asking, for "sign out everywhere else"). Their
/// sockets close when `w` commits. Answers how many ended.
pub async fn end_user_sessions(
    w: &mut crate::write::Write,
    user_id: i64,
    workspace_id: Option<i64>,
    keep: Option<&str>,
) -> Result<usize, sea_orm::DbErr> {
    let mut query = session::Entity::find().filter(session::Column::UserId.eq(user_id));
    if let Some(workspace_id) = workspace_id {
        query = query.filter(session::Column::WorkspaceId.eq(workspace_id));
    }
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(keep));
    }
    let ids: Vec<String> = query.all(w.txn()).await?.into_iter().map(|row| row.id).collect();
    if !ids.is_empty() {
        session::Entity::delete_many().filter(session::Column::Id.is_in(ids.clone())).exec(w.txn()).await?;
    }
    let ended = ids.len();
    for session_id in ids {
        w.notify(crate::bus::Sockets, crate::bus::Control::SessionEnded { session_id });
    }
    Ok(ended)
}

/// Session key: when the operator signed in (Unix milliseconds).
pub const SIGNED_IN_AT: &str = "signed_in_at_ms";
/// Session key: when the session's end was last pushed back (Unix milliseconds).
pub const SEEN_AT: &str = "seen_at_ms";

/// How long a sign-in lasts: it ends after `idle` without a request, and `max` after it
/// began however active it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLifetime {
    pub idle: std::time::Duration,
    pub max: std::time::Duration,
}

/// What a request does to its session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renewal {
    /// Past its absolute lifetime: end it.
    Expired,
    /// Extended recently: leave the row alone.
    Unchanged,
    /// Push its end back to this moment and remember that it was seen now.
    ExtendUntil(OffsetDateTime),
}

impl SessionLifetime {
    pub fn new(config: &crate::Config) -> Self {
        Self { idle: config.session_idle, max: config.session_max }
    }

    /// How stale the stored end may get before a request writes a new one: a minute, or
    /// a quarter of the idle window if that is shorter, so a busy operator's session row
    /// is written at most once a minute.
    pub fn renew_every(&self) -> std::time::Duration {
        (self.idle / 4).min(std::time::Duration::from_secs(60))
    }

    /// When a session begun at `signed_in_ms` ends if nothing happens after `now_ms`.
    pub fn ends_at(&self, now_ms: i64, signed_in_ms: i64) -> OffsetDateTime {
        let until_ms = now_ms.saturating_add(millis(self.idle)).min(signed_in_ms.saturating_add(millis(self.max)));
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(until_ms) * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// Decides for a request at `now_ms` on a session begun at `signed_in_ms` and last
    /// extended at `seen_ms`. An idle session never gets here: its row has expired and
    /// does not load.
    pub fn renewal(&self, now_ms: i64, signed_in_ms: i64, seen_ms: i64) -> Renewal {
        if now_ms >= signed_in_ms.saturating_add(millis(self.max)) {
            return Renewal::Expired;
        }
        if now_ms.saturating_sub(seen_ms) < millis(self.renew_every()) {
            return Renewal::Unchanged;
        }
        Renewal::ExtendUntil(self.ends_at(now_ms, signed_in_ms))
    }
}

fn millis(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const WEEK_MS: i64 = 7 * 24 * 3600 * 1000;

    fn lifetime() -> SessionLifetime {
        SessionLifetime { idle: Duration::from_secs(7 * 24 * 3600), max: Duration::from_secs(30 * 24 * 3600) }
    }

    #[test]
    fn a_session_is_extended_at_most_once_a_minute() {
        let l = lifetime();
        assert_eq!(l.renew_every(), Duration::from_secs(60));
        assert_eq!(l.renewal(59_999, 0, 0), Renewal::Unchanged);
        let Renewal::ExtendUntil(until) = l.renewal(60_000, 0, 0) else { panic!("extended after a minute") };
        assert_eq!(until.unix_timestamp() * 1000, 60_000 + WEEK_MS);
    }

    #[test]
    fn no_extension_goes_past_the_absolute_lifetime_which_ends_the_session() {
        let l = lifetime();
        let max_ms = 30 * 24 * 3600 * 1000;
        let Renewal::ExtendUntil(until) = l.renewal(max_ms - 1000, 0, 0) else { panic!("still valid") };
        assert_eq!(until.unix_timestamp() * 1000, max_ms);
        assert_eq!(l.renewal(max_ms, 0, max_ms - 1), Renewal::Expired);
    }

    #[test]
    fn short_idle_windows_are_renewed_more_often() {
        let l = SessionLifetime { idle: Duration::from_secs(2), max: Duration::from_secs(60) };
        assert_eq!(l.renew_every(), Duration::from_millis(500));
    }
}
