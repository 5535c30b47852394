//! Contacts: for now anonymous widget visitors ("guest"), identified by a server-issued
//! token of which only the SHA-256 hash is stored.

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
                    .table(Contacts::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Contacts::Id))
                    .col(big_integer(Contacts::WorkspaceId))
                    .col(string(Contacts::Kind).default("guest"))
                    .col(string(Contacts::Name))
                    .col(string_uniq(Contacts::VisitorTokenHash))
                    .col(big_integer(Contacts::CreatedAtMs))
                    .col(big_integer(Contacts::LastSeenAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Contacts::Table, Contacts::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("contacts_workspace").table(Contacts::Table).col(Contacts::WorkspaceId).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Contacts::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Contacts {
    Table,
    Id,
    WorkspaceId,
    Kind,
    Name,
    VisitorTokenHash,
    CreatedAtMs,
    LastSeenAtMs,
}
