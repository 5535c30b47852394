//! A workspace's business hours (JSON; empty: always open).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::Workspaces;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Workspaces::Table).add_column(text(Added::Hours).default("")).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Workspaces::Table).drop_column(Added::Hours).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Added {
    Hours,
}
