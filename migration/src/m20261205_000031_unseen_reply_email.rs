//! How far a conversation's operator replies were emailed to the contact because the
//! visitor had not seen them (0: none yet).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Conversations::Table)
                    .add_column(big_integer(Added::EmailedSeq).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Conversations::Table).drop_column(Added::EmailedSeq).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
}

#[derive(DeriveIden)]
enum Added {
    EmailedSeq,
}
