//! Departments: teams of members that conversations are assigned to, with round-robin
//! auto-assignment under a capacity per member; which department a conversation is in;
//! and the department new conversations go to.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::{Users, Workspaces as Tenants};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Departments::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Departments::Id))
                    .col(big_integer(Departments::WorkspaceId))
                    .col(string(Departments::Name))
                    // The name as compared for uniqueness (lower case, trimmed).
                    .col(string(Departments::NameKey))
                    .col(boolean(Departments::AutoAssign).default(true))
                    // Open conversations per member before auto-assignment passes them by.
                    .col(big_integer(Departments::Capacity).default(10))
                    .col(big_integer(Departments::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Departments::Table, Departments::WorkspaceId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("departments_workspace_name")
                    .table(Departments::Table)
                    .col(Departments::WorkspaceId)
                    .col(Departments::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DepartmentMembers::Table)
                    .if_not_exists()
                    .col(big_integer(DepartmentMembers::DepartmentId))
                    .col(big_integer(DepartmentMembers::UserId))
                    .col(big_integer(DepartmentMembers::WorkspaceId))
                    // When round-robin last gave this member a conversation of the
                    // department (the longest ago goes next).
                    .col(big_integer_null(DepartmentMembers::LastAssignedAtMs))
                    .primary_key(Index::create().col(DepartmentMembers::DepartmentId).col(DepartmentMembers::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DepartmentMembers::Table, DepartmentMembers::DepartmentId)
                            .to(Departments::Table, Departments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DepartmentMembers::Table, DepartmentMembers::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DepartmentMembers::Table, DepartmentMembers::WorkspaceId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Added columns carry no foreign key (SQLite cannot add one to an existing
        // table): deleting a department clears them in the same write.
        manager
            .alter_table(
                Table::alter()
                    .table(Conversations::Table)
                    .add_column(big_integer_null(Conversations::DepartmentId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Workspaces::Table)
                    .add_column(big_integer_null(Workspaces::DefaultDepartmentId))
                    .to_owned(),
            )
            .await?;
        // Auto-assignment's question: a department's open, unassigned conversations.
        manager
            .create_index(
                Index::create()
                    .name("conversations_department_queue")
                    .table(Conversations::Table)
                    .col(Conversations::DepartmentId)
                    .col(Conversations::Status)
                    .col(Conversations::AssigneeId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("conversations_department_queue").table(Conversations::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(Workspaces::Table).drop_column(Workspaces::DefaultDepartmentId).to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Conversations::Table).drop_column(Conversations::DepartmentId).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(DepartmentMembers::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Departments::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
    WorkspaceId,
    Name,
    NameKey,
    AutoAssign,
    Capacity,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum DepartmentMembers {
    Table,
    DepartmentId,
    UserId,
    WorkspaceId,
    LastAssignedAtMs,
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    DepartmentId,
    Status,
    AssigneeId,
}

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    DefaultDepartmentId,
}
