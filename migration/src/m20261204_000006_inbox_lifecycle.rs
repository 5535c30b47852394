//! The inbox's conversation lifecycle: priority, the outcome a closed conversation ended
//! with, snoozes (until a time, or until the customer writes), how long the customer has
//! been waiting for an answer; internal lines in a conversation (status changes, notes)
//! that never reach the visitor; and each workspace's expiry period.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let conversations = [
            // "normal" or "critical" (sorts first, red badge).
            string(Conversations::Priority).default("normal").to_owned(),
            // "resolved", "abandoned" or "expired" once closed; NULL otherwise.
            string_null(Conversations::Outcome),
            // When a snooze ends; NULL while snoozed means "until the customer writes".
            big_integer_null(Conversations::SnoozedUntilMs),
            // The customer's oldest message no operator has answered yet.
            big_integer_null(Conversations::WaitingSinceMs),
        ];
        for mut column in conversations {
            manager.alter_table(Table::alter().table(Conversations::Table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter().table(Messages::Table).add_column(boolean(Messages::Internal).default(false)).to_owned(),
            )
            .await?;
        // Minutes without a message from either side after which an open conversation
        // closes as expired; 0 turns expiry off.
        manager
            .alter_table(
                Table::alter()
                    .table(Workspaces::Table)
                    .add_column(integer(Workspaces::ExpireAfterMinutes).default(24 * 60))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversations_workspace_status")
                    .table(Conversations::Table)
                    .col(Conversations::WorkspaceId)
                    .col(Conversations::Status)
                    .col(Conversations::LastActivityAtMs)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("conversations_workspace_status").table(Conversations::Table).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Workspaces::Table).drop_column(Workspaces::ExpireAfterMinutes).to_owned())
            .await?;
        manager.alter_table(Table::alter().table(Messages::Table).drop_column(Messages::Internal).to_owned()).await?;
        for column in [
            Conversations::WaitingSinceMs,
            Conversations::SnoozedUntilMs,
            Conversations::Outcome,
            Conversations::Priority,
        ] {
            manager.alter_table(Table::alter().table(Conversations::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    WorkspaceId,
    Status,
    LastActivityAtMs,
    Priority,
    Outcome,
    SnoozedUntilMs,
    WaitingSinceMs,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Internal,
}

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    ExpireAfterMinutes,
}
