//! Operator sessions for tower-sessions, stored in Parley's own database (SQLite or
//! PostgreSQL) so that they survive a restart.

use async_trait::async_trait;
use sea_orm::sea_query::OnConflict;
use std::sync::Arc;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use crate::entities::session;

/// A `SessionStore` over SeaORM.
#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    /// The services' SQLite write gate: session writes queue with every other write.
    gate: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl DbSessionStore {
    pub fn new(svc: &crate::Services) -> Self {
        Self { db: svc.db.clone(), gate: svc.write_gate.clone() }
    }

    async fn gate(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.gate {
            Some(gate) => Some(gate.lock().await),
            None => None,
        }
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
    Ok(session::ActiveModel {
        id: Set(record.id.to_string()),
        data: Set(data),
        expires_at: Set(record.expiry_date.unix_timestamp()),
    })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id collides with an existing one with negligible probability; if it
        // does, draw another instead of overwriting someone's session.
        let _gate = self.gate().await;
        loop {
            let inserted = session::Entity::insert(to_row(record)?)
                .on_conflict(OnConflict::column(session::Column::Id).do_nothing().to_owned())
                .exec_without_returning(&self.db)
                .await
                .map_err(backend)?;
            if inserted > 0 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let _gate = self.gate().await;
        session::Entity::insert(to_row(record)?)
            .on_conflict(
                OnConflict::column(session::Column::Id)
                    .update_columns([session::Column::Data, session::Column::ExpiresAt])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let Some(row) = session::Entity::find_by_id(session_id.to_string())
            .filter(session::Column::ExpiresAt.gt(now))
            .one(&self.db)
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
        let _gate = self.gate().await;
        session::Entity::delete_by_id(session_id.to_string()).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let _gate = self.gate().await;
        delete_expired_in(&self.db).await.map_err(backend)
    }
}
