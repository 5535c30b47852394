//! The option "operators see only their departments' conversations and unrouted ones"
//! (off: every member sees every conversation).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Workspaces::Table)
                    .add_column(boolean(Workspaces::OperatorsOwnDepartments).default(false).to_owned())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Workspaces::Table).drop_column(Workspaces::OperatorsOwnDepartments).to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    OperatorsOwnDepartments,
}
