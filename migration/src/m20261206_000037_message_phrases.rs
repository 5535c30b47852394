//! A system line's sentence by message id (a `Phrase` as JSON), so the operator app says
//! it in the operator's language; `body` keeps it in English. Null for every other message.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Messages::Table).add_column(text_null(Added::Phrase)).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Messages::Table).drop_column(Added::Phrase).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Messages {
    Table,
}

#[derive(DeriveIden)]
enum Added {
    Phrase,
}
