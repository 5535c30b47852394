//! A workspace's widget settings (JSON; empty: the defaults) and how many times they were
//! saved (a save names the version it started from).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::Workspaces;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(Table::alter().table(Workspaces::Table).add_column(text(Added::Widget).default("")).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Workspaces::Table)
                    .add_column(big_integer(Added::WidgetVersion).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Workspaces::Table).drop_column(Added::WidgetVersion).to_owned())
            .await?;
        manager.alter_table(Table::alter().table(Workspaces::Table).drop_column(Added::Widget).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Added {
    Widget,
    WidgetVersion,
}
