//! Read receipts and unread counts per member: how far each member has read each
//! conversation (`conversation_reads`), how many messages the visitor wrote
//! (`conversations.visitor_messages`) and how far the visitor's widget displayed it
//! (`conversations.visitor_read_seq`). The team's shared `unread_count` is replaced: what
//! it said the team had read is kept as `read_floor`, which counts for every member until
//! they read the conversation themself.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::{Users, Workspaces};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Conversations::VisitorMessages, Conversations::ReadFloor, Conversations::VisitorReadSeq] {
            manager
                .alter_table(
                    Table::alter().table(Conversations::Table).add_column(big_integer(column).default(0)).to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE conversations SET visitor_messages = (SELECT COUNT(*) FROM messages \
             WHERE messages.conversation_id = conversations.id AND messages.author = 'visitor')",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE conversations SET read_floor = \
             CASE WHEN visitor_messages > unread_count THEN visitor_messages - unread_count ELSE 0 END",
        )
        .await?;
        manager
            .alter_table(Table::alter().table(Conversations::Table).drop_column(Conversations::UnreadCount).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConversationReads::Table)
                    .if_not_exists()
                    .col(big_integer(ConversationReads::ConversationId))
                    .col(big_integer(ConversationReads::UserId))
                    .col(big_integer(ConversationReads::WorkspaceId))
                    // The newest message the member has seen.
                    .col(big_integer(ConversationReads::LastReadSeq))
                    // How many of the visitor's messages were up to it.
                    .col(big_integer(ConversationReads::VisitorMessages))
                    .col(big_integer(ConversationReads::ReadAtMs))
                    .primary_key(Index::create().col(ConversationReads::ConversationId).col(ConversationReads::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConversationReads::Table, ConversationReads::ConversationId)
                            .to(Conversations::Table, Conversations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConversationReads::Table, ConversationReads::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConversationReads::Table, ConversationReads::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ConversationReads::Table).to_owned()).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Conversations::Table)
                    .add_column(big_integer(Conversations::UnreadCount).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("UPDATE conversations SET unread_count = visitor_messages - read_floor")
            .await?;
        for column in [Conversations::VisitorReadSeq, Conversations::ReadFloor, Conversations::VisitorMessages] {
            manager.alter_table(Table::alter().table(Conversations::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    Id,
    UnreadCount,
    VisitorMessages,
    ReadFloor,
    VisitorReadSeq,
}

#[derive(DeriveIden)]
enum ConversationReads {
    Table,
    ConversationId,
    UserId,
    WorkspaceId,
    LastReadSeq,
    VisitorMessages,
    ReadAtMs,
}
