//! Conversation labels: each workspace's list (name, colour), which conversations carry
//! which, and a copy of a conversation's label ids on its row for the inbox's summaries.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::Workspaces;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Labels::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Labels::Id))
                    .col(big_integer(Labels::WorkspaceId))
                    .col(string(Labels::Name))
                    // The name as compared for uniqueness (lower case, trimmed).
                    .col(string(Labels::NameKey))
                    .col(string(Labels::Colour))
                    .col(big_integer(Labels::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Labels::Table, Labels::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("labels_workspace_name")
                    .table(Labels::Table)
                    .col(Labels::WorkspaceId)
                    .col(Labels::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConversationLabels::Table)
                    .if_not_exists()
                    .col(big_integer(ConversationLabels::ConversationId))
                    .col(big_integer(ConversationLabels::LabelId))
                    .col(big_integer(ConversationLabels::WorkspaceId))
                    .primary_key(
                        Index::create().col(ConversationLabels::ConversationId).col(ConversationLabels::LabelId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConversationLabels::Table, ConversationLabels::ConversationId)
                            .to(Conversations::Table, Conversations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConversationLabels::Table, ConversationLabels::LabelId)
                            .to(Labels::Table, Labels::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConversationLabels::Table, ConversationLabels::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversation_labels_label")
                    .table(ConversationLabels::Table)
                    .col(ConversationLabels::LabelId)
                    .to_owned(),
            )
            .await?;
        // Label ids, comma-separated, as the summaries show them.
        manager
            .alter_table(
                Table::alter()
                    .table(Conversations::Table)
                    .add_column(string(Conversations::LabelIds).default(""))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Conversations::Table).drop_column(Conversations::LabelIds).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(ConversationLabels::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Labels::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Labels {
    Table,
    Id,
    WorkspaceId,
    Name,
    NameKey,
    Colour,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum ConversationLabels {
    Table,
    ConversationId,
    LabelId,
    WorkspaceId,
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    Id,
    LabelIds,
}
