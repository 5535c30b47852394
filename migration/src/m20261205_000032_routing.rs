//! Departments and routing: a department's description, whether the widget's pre-chat
//! picker offers it, and its own business hours (JSON; empty: the workspace's); the
//! workspace's routing rules (JSON, in order); the department a visitor picked.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        let add = |table: DynIden, column: ColumnDef| Table::alter().table(table).add_column(column).to_owned();
        let changes = [
            add(Departments::Table.into_iden(), text(Departments::Description).default("").to_owned()),
            add(Departments::Table.into_iden(), boolean(Departments::InPicker).default(false).to_owned()),
            add(Departments::Table.into_iden(), text(Departments::Hours).default("").to_owned()),
            add(Workspaces::Table.into_iden(), text(Workspaces::Routing).default("").to_owned()),
            add(Contacts::Table.into_iden(), big_integer_null(Contacts::PickedDepartmentId).to_owned()),
        ];
        for change in changes {
            manager.alter_table(change).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drop = |table: DynIden, column: DynIden| Table::alter().table(table).drop_column(column).to_owned();
        let changes = [
            drop(Contacts::Table.into_iden(), Contacts::PickedDepartmentId.into_iden()),
            drop(Workspaces::Table.into_iden(), Workspaces::Routing.into_iden()),
            drop(Departments::Table.into_iden(), Departments::Hours.into_iden()),
            drop(Departments::Table.into_iden(), Departments::InPicker.into_iden()),
            drop(Departments::Table.into_iden(), Departments::Description.into_iden()),
        ];
        for change in changes {
            manager.alter_table(change).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Description,
    InPicker,
    Hours,
}

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    Routing,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    PickedDepartmentId,
}
