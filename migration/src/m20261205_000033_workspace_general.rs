//! A workspace's general settings: its address (`slug`, unique; existing workspaces get
//! `w<id>`), logo, language and time zone; and when its owner deleted it (its data goes
//! in a background job; until then it answers as not found).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        let add = |column: ColumnDef| Table::alter().table(Workspaces::Table).add_column(column).to_owned();
        for change in [
            add(text(Workspaces::Slug).default("").to_owned()),
            add(text(Workspaces::LogoUrl).default("").to_owned()),
            add(text(Workspaces::Language).default("en").to_owned()),
            add(text(Workspaces::Timezone).default("UTC").to_owned()),
            add(big_integer_null(Workspaces::DeletedAtMs).to_owned()),
        ] {
            manager.alter_table(change).await?;
        }
        manager.get_connection().execute_unprepared("UPDATE workspaces SET slug = 'w' || CAST(id AS TEXT)").await?;
        manager
            .create_index(
                Index::create()
                    .name("workspaces_slug")
                    .table(Workspaces::Table)
                    .col(Workspaces::Slug)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("workspaces_slug").table(Workspaces::Table).to_owned()).await?;
        for column in
            [Workspaces::DeletedAtMs, Workspaces::Timezone, Workspaces::Language, Workspaces::LogoUrl, Workspaces::Slug]
        {
            manager.alter_table(Table::alter().table(Workspaces::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    Slug,
    LogoUrl,
    Language,
    Timezone,
    DeletedAtMs,
}
