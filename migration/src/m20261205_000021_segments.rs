//! Segments: a workspace's saved contact filters (broadcasts will target them).

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
                    .table(Segments::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Segments::Id))
                    .col(big_integer(Segments::WorkspaceId))
                    .col(string(Segments::Name))
                    // The name as compared for uniqueness (lower case, trimmed).
                    .col(string(Segments::NameKey))
                    // The `ContactFilter` as JSON.
                    .col(text(Segments::Filter))
                    .col(big_integer(Segments::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Segments::Table, Segments::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("segments_workspace_name")
                    .table(Segments::Table)
                    .col(Segments::WorkspaceId)
                    .col(Segments::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Segments::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Segments {
    Table,
    Id,
    WorkspaceId,
    Name,
    NameKey,
    Filter,
    CreatedAtMs,
}
