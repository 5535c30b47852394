//! Finding conversations: full-text search over messages and notes, kept up to date in
//! each message's own transaction (SQLite: an FTS5 index filled by triggers; PostgreSQL: a
//! generated `tsvector` column with a GIN index), so there is no index to rebuild or to
//! sync between nodes; the channel a conversation came from; and saved views (named
//! filters, a member's own or shared with the workspace).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261122_000001_create_workspaces_and_users::{Users, Workspaces};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// SQLite: the index holds each message's body under the message's id; triggers keep it in
/// step with every insert, change and delete (cascades included). `rebuild` indexes the
/// messages already stored.
const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='messages', content_rowid='id', \
     tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
    "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN \
     INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN \
     INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN \
     INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.id, old.body); \
     INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body); END",
];
const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER messages_fts_update",
    "DROP TRIGGER messages_fts_delete",
    "DROP TRIGGER messages_fts_insert",
    "DROP TABLE messages_fts",
];
/// PostgreSQL: words as they are (the `simple` configuration: no stemming, any language).
const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED",
    "CREATE INDEX messages_search ON messages USING GIN (search)",
];
const POSTGRES_DOWN: &[&str] = &["DROP INDEX messages_search", "ALTER TABLE messages DROP COLUMN search"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => SQLITE_UP,
            _ => POSTGRES_UP,
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Conversations::Table)
                    .add_column(string(Conversations::Channel).default("widget"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SavedViews::Table)
                    .if_not_exists()
                    .col(big_pk_auto(SavedViews::Id))
                    .col(big_integer(SavedViews::WorkspaceId))
                    // The member it belongs to; none: shared with the workspace.
                    .col(big_integer_null(SavedViews::OwnerId))
                    .col(string(SavedViews::Name))
                    // The filter as JSON (`parley_types::InboxFilter`).
                    .col(text(SavedViews::Filter))
                    .col(big_integer(SavedViews::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SavedViews::Table, SavedViews::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SavedViews::Table, SavedViews::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("saved_views_workspace")
                    .table(SavedViews::Table)
                    .col(SavedViews::WorkspaceId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SavedViews::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Conversations::Table).drop_column(Conversations::Channel).to_owned())
            .await?;
        let db = manager.get_connection();
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => SQLITE_DOWN,
            _ => POSTGRES_DOWN,
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    Channel,
}

#[derive(DeriveIden)]
enum SavedViews {
    Table,
    Id,
    WorkspaceId,
    OwnerId,
    Name,
    Filter,
    CreatedAtMs,
}
