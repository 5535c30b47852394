//! An index that answers every view's count from the index alone: conversations by
//! workspace, status and assignee (the closed ones counted, the open and snoozed ones
//! grouped by assignee).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("conversations_workspace_status_assignee")
                    .table(Conversations::Table)
                    .col(Conversations::WorkspaceId)
                    .col(Conversations::Status)
                    .col(Conversations::AssigneeId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop().name("conversations_workspace_status_assignee").table(Conversations::Table).to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    WorkspaceId,
    Status,
    AssigneeId,
}
