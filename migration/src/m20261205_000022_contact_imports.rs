//! Contact imports: a CSV an admin uploaded, applied by a background job in chunks, with
//! its progress and the rows it could not take.

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
                    .table(ContactImports::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ContactImports::Id))
                    .col(big_integer(ContactImports::WorkspaceId))
                    // `email` or `user_id`: how a row finds an existing contact.
                    .col(string(ContactImports::MatchOn))
                    // Column overrides as JSON (header → field).
                    .col(text(ContactImports::Mapping))
                    .col(text(ContactImports::Csv))
                    // `queued`, `running` or `done`.
                    .col(string(ContactImports::Status))
                    .col(big_integer(ContactImports::Total))
                    .col(big_integer(ContactImports::Processed).default(0))
                    .col(big_integer(ContactImports::Created).default(0))
                    .col(big_integer(ContactImports::Updated).default(0))
                    .col(big_integer(ContactImports::Failed).default(0))
                    // The first problems as JSON (line, column, reason).
                    .col(text(ContactImports::Problems).default("[]"))
                    .col(big_integer(ContactImports::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactImports::Table, ContactImports::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ContactImports::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum ContactImports {
    Table,
    Id,
    WorkspaceId,
    MatchOn,
    Mapping,
    Csv,
    Status,
    Total,
    Processed,
    Created,
    Updated,
    Failed,
    Problems,
    CreatedAtMs,
}
