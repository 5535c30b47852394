//! The platform's write path: the outbox (domain events written in the same transaction
//! as the change, read by consumers by cursor), consumers' positions, and durable jobs.

use sea_orm_migration::{prelude::*, schema::*};

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::m20261122_000001_create_workspaces_and_users::Workspaces;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .if_not_exists()
                    // Ids increase in commit order: writers of events serialise their
                    // last step (see services::write).
                    .col(big_pk_auto(Outbox::Id))
                    .col(big_integer(Outbox::WorkspaceId))
                    .col(string(Outbox::Kind))
                    .col(text(Outbox::Payload))
                    .col(big_integer(Outbox::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outbox::Table, Outbox::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OutboxConsumers::Table)
                    .if_not_exists()
                    .col(string(OutboxConsumers::Name).primary_key())
                    // The id of the last outbox row this consumer has handled.
                    .col(big_integer(OutboxConsumers::Position).default(0))
                    .col(big_integer(OutboxConsumers::UpdatedAtMs))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Jobs::Id))
                    .col(string(Jobs::Kind))
                    .col(text(Jobs::Payload))
                    .col(big_integer_null(Jobs::WorkspaceId))
                    // At most one pending job per key (e.g. "snooze:42").
                    .col(string_null(Jobs::UniqueKey).unique_key())
                    .col(string(Jobs::State).default("pending"))
                    .col(big_integer(Jobs::DueAtMs))
                    .col(integer(Jobs::Attempts).default(0))
                    .col(integer(Jobs::MaxAttempts).default(10))
                    .col(text_null(Jobs::LastError))
                    .col(big_integer_null(Jobs::LeaseUntilMs))
                    .col(string_null(Jobs::LeasedBy))
                    .col(big_integer(Jobs::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Jobs::Table, Jobs::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("jobs_state_due")
                    .table(Jobs::Table)
                    .col(Jobs::State)
                    .col(Jobs::DueAtMs)
                    .to_owned(),
            )
            .await?;
        // Extra capabilities granted to a member on top of their role (one per line).
        manager
            .alter_table(
                Table::alter().table(Memberships::Table).add_column(text(Memberships::Grants).default("")).to_owned(),
            )
            .await?;
        // Two first messages from two tabs must not open two conversations for one
        // contact: at most one conversation per contact is not closed.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX conversations_one_open_per_contact ON conversations (contact_id) \
                 WHERE status <> 'closed'",
            )
            .await?;
        add_message_workspace_key(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX conversations_one_open_per_contact").await?;
        manager.drop_table(Table::drop().table(Jobs::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(OutboxConsumers::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Outbox::Table).to_owned()).await
    }
}

/// Messages get the foreign key to their workspace that every tenant table carries.
/// PostgreSQL adds it in place; SQLite cannot add a constraint, so the table is rebuilt
/// with its rows and indexes.
async fn add_message_workspace_key(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DatabaseBackend::Sqlite => {
            db.execute_unprepared(
                "CREATE TABLE messages_new (
                    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
                    workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                    seq bigint NOT NULL,
                    author varchar NOT NULL,
                    author_user_id bigint NULL REFERENCES users (id) ON DELETE SET NULL,
                    body text NOT NULL,
                    client_id varchar NULL,
                    created_at_ms bigint NOT NULL
                );
                INSERT INTO messages_new (id, workspace_id, conversation_id, seq, author, author_user_id, body,
                    client_id, created_at_ms)
                SELECT id, workspace_id, conversation_id, seq, author, author_user_id, body, client_id, created_at_ms
                FROM messages;
                DROP TABLE messages;
                ALTER TABLE messages_new RENAME TO messages;
                CREATE UNIQUE INDEX messages_conversation_seq ON messages (conversation_id, seq);
                CREATE UNIQUE INDEX messages_conversation_client_id ON messages (conversation_id, client_id);",
            )
            .await?;
        }
        _ => {
            db.execute_unprepared(
                "ALTER TABLE messages ADD CONSTRAINT fk_messages_workspace FOREIGN KEY (workspace_id) \
                 REFERENCES workspaces (id) ON DELETE CASCADE",
            )
            .await?;
        }
    }
    Ok(())
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    WorkspaceId,
    Kind,
    Payload,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum OutboxConsumers {
    Table,
    Name,
    Position,
    UpdatedAtMs,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    WorkspaceId,
    UniqueKey,
    State,
    DueAtMs,
    Attempts,
    MaxAttempts,
    LastError,
    LeaseUntilMs,
    LeasedBy,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Grants,
}
