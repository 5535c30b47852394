//! The audit log (append-only: a trigger refuses any UPDATE of an entry, on SQLite and
//! PostgreSQL alike), how long each workspace keeps it, and whose each operator session
//! is (so removing a member can end their sessions at once).

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::Workspaces;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEntries::Table)
                    .if_not_exists()
                    .col(big_pk_auto(AuditEntries::Id))
                    .col(big_integer(AuditEntries::WorkspaceId))
                    .col(big_integer(AuditEntries::AtMs))
                    // user, token, system, visitor, anonymous
                    .col(string(AuditEntries::ActorKind))
                    .col(big_integer_null(AuditEntries::ActorUserId))
                    .col(big_integer_null(AuditEntries::ActorTokenId))
                    .col(string(AuditEntries::ActorName))
                    .col(string(AuditEntries::Action))
                    .col(text(AuditEntries::Target))
                    .col(text(AuditEntries::Details))
                    .col(string_null(AuditEntries::Ip))
                    .col(text_null(AuditEntries::UserAgent))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditEntries::Table, AuditEntries::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Pages are newest first by time (then id): per workspace, per action and per
        // actor, each with the time so a date range needs no sort.
        for (name, column) in [
            ("audit_entries_workspace_at", None),
            ("audit_entries_workspace_action_at", Some(AuditEntries::Action)),
            ("audit_entries_workspace_actor_at", Some(AuditEntries::ActorUserId)),
        ] {
            let mut index = Index::create();
            index.name(name).table(AuditEntries::Table).col(AuditEntries::WorkspaceId);
            if let Some(column) = column {
                index.col(column);
            }
            manager.create_index(index.col(AuditEntries::AtMs).col(AuditEntries::Id).to_owned()).await?;
        }
        let append_only = match manager.get_database_backend() {
            DatabaseBackend::Postgres => vec![
                "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$"
                    .to_owned(),
                "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries \
                 FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()"
                    .to_owned(),
            ],
            _ => vec![
                "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries \
                 BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"
                    .to_owned(),
            ],
        };
        for statement in append_only {
            manager.get_connection().execute_unprepared(&statement).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Workspaces::Table)
                    .add_column(integer(Added::AuditRetentionDays).default(365))
                    .to_owned(),
            )
            .await?;
        // Whose session: filled from the session's data on every save.
        manager
            .alter_table(Table::alter().table(Sessions::Table).add_column(big_integer_null(Added::UserId)).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(Sessions::Table).add_column(big_integer_null(Added::WorkspaceId)).to_owned(),
            )
            .await?;
        // Sessions signed in before this migration.
        let backfill = match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                "UPDATE sessions SET user_id = (convert_from(data, 'UTF8')::jsonb ->> 'user_id')::bigint, \
                 workspace_id = (convert_from(data, 'UTF8')::jsonb ->> 'workspace_id')::bigint"
            }
            _ => {
                "UPDATE sessions SET user_id = json_extract(CAST(data AS TEXT), '$.user_id'), \
                 workspace_id = json_extract(CAST(data AS TEXT), '$.workspace_id')"
            }
        };
        manager.get_connection().execute_unprepared(backfill).await?;
        manager
            .create_index(Index::create().name("sessions_user").table(Sessions::Table).col(Added::UserId).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("sessions_user").table(Sessions::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Sessions::Table).drop_column(Added::WorkspaceId).to_owned()).await?;
        manager.alter_table(Table::alter().table(Sessions::Table).drop_column(Added::UserId).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Workspaces::Table).drop_column(Added::AuditRetentionDays).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(AuditEntries::Table).to_owned()).await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager.get_connection().execute_unprepared("DROP FUNCTION IF EXISTS audit_entries_append_only()").await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum AuditEntries {
    Table,
    Id,
    WorkspaceId,
    AtMs,
    ActorKind,
    ActorUserId,
    ActorTokenId,
    ActorName,
    Action,
    Target,
    Details,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
}

#[derive(DeriveIden)]
enum Added {
    AuditRetentionDays,
    UserId,
    WorkspaceId,
}
