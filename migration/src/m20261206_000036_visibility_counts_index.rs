//! The view counts' index gains the department, so the counts of a member who sees only
//! their departments' conversations are read from the index alone too (the team's still
//! are: the old columns lead it).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const BEFORE: &str = "conversations_workspace_status_assignee";
const AFTER: &str = "conversations_workspace_status_assignee_department";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let index = Index::create()
            .name(AFTER)
            .table(Conversations::Table)
            .col(Conversations::WorkspaceId)
            .col(Conversations::Status)
            .col(Conversations::AssigneeId)
            .col(Conversations::DepartmentId)
            .to_owned();
        manager.create_index(index).await?;
        manager.drop_index(Index::drop().name(BEFORE).table(Conversations::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let index = Index::create()
            .name(BEFORE)
            .table(Conversations::Table)
            .col(Conversations::WorkspaceId)
            .col(Conversations::Status)
            .col(Conversations::AssigneeId)
            .to_owned();
        manager.create_index(index).await?;
        manager.drop_index(Index::drop().name(AFTER).table(Conversations::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    WorkspaceId,
    Status,
    AssigneeId,
    DepartmentId,
}
