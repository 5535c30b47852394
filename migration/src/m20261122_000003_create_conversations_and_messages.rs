//! Conversations and their messages. `last_seq` on the conversation hands out each
//! message's per-conversation sequence number inside the inserting transaction;
//! `(conversation_id, seq)` and `(conversation_id, client_id)` are unique, which makes
//! ordering gap-free and a resend idempotent.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::{Users, Workspaces};
use crate::m20261122_000002_create_contacts::Contacts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Conversations::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Conversations::Id))
                    .col(big_integer(Conversations::WorkspaceId))
                    .col(big_integer(Conversations::ContactId))
                    .col(string(Conversations::Status))
                    .col(big_integer_null(Conversations::AssigneeId))
                    .col(big_integer(Conversations::LastSeq).default(0))
                    .col(big_integer(Conversations::UnreadCount).default(0))
                    .col(text_null(Conversations::LastMessage))
                    .col(string_null(Conversations::LastAuthor))
                    .col(big_integer(Conversations::LastActivityAtMs))
                    .col(big_integer(Conversations::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conversations::Table, Conversations::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conversations::Table, Conversations::ContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conversations::Table, Conversations::AssigneeId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversations_workspace_activity")
                    .table(Conversations::Table)
                    .col(Conversations::WorkspaceId)
                    .col(Conversations::LastActivityAtMs)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversations_contact")
                    .table(Conversations::Table)
                    .col(Conversations::ContactId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Messages::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Messages::Id))
                    .col(big_integer(Messages::WorkspaceId))
                    .col(big_integer(Messages::ConversationId))
                    .col(big_integer(Messages::Seq))
                    .col(string(Messages::Author))
                    .col(big_integer_null(Messages::AuthorUserId))
                    .col(text(Messages::Body))
                    .col(string_null(Messages::ClientId))
                    .col(big_integer(Messages::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Messages::Table, Messages::ConversationId)
                            .to(Conversations::Table, Conversations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Messages::Table, Messages::AuthorUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("messages_conversation_seq")
                    .table(Messages::Table)
                    .col(Messages::ConversationId)
                    .col(Messages::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("messages_conversation_client_id")
                    .table(Messages::Table)
                    .col(Messages::ConversationId)
                    .col(Messages::ClientId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Messages::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Conversations::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    Id,
    WorkspaceId,
    ContactId,
    Status,
    AssigneeId,
    LastSeq,
    UnreadCount,
    LastMessage,
    LastAuthor,
    LastActivityAtMs,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    WorkspaceId,
    ConversationId,
    Seq,
    Author,
    AuthorUserId,
    Body,
    ClientId,
    CreatedAtMs,
}
