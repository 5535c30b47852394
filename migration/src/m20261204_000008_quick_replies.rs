//! Quick replies: saved answers an operator inserts with `/shortcut`. Shared ones belong
//! to the workspace (no owner); personal ones to one member. A shortcut is unique within
//! its scope (the workspace's shared ones, or one member's own).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::{Users, Workspaces};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(QuickReplies::Table)
                    .if_not_exists()
                    .col(big_pk_auto(QuickReplies::Id))
                    .col(big_integer(QuickReplies::WorkspaceId))
                    // NULL: shared with the workspace; else the member's own.
                    .col(big_integer_null(QuickReplies::OwnerUserId))
                    .col(string(QuickReplies::Title))
                    .col(string(QuickReplies::Shortcut))
                    .col(text(QuickReplies::Body))
                    .col(big_integer(QuickReplies::UsageCount).default(0))
                    .col(big_integer(QuickReplies::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(QuickReplies::Table, QuickReplies::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(QuickReplies::Table, QuickReplies::OwnerUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX quick_replies_scope_shortcut ON quick_replies \
                 (workspace_id, COALESCE(owner_user_id, 0), shortcut)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(QuickReplies::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum QuickReplies {
    Table,
    Id,
    WorkspaceId,
    OwnerUserId,
    Title,
    Shortcut,
    Body,
    UsageCount,
    CreatedAtMs,
}
