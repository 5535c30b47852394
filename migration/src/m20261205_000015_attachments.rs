//! Attachments: files sent in conversations (and kept on quick replies). The bytes live in
//! the object store under `object_key`; a row records what Parley found in them (the type
//! sniffed from the content, size, SHA-256, an image's dimensions). An upload is pending
//! (no message yet) until the message that carries it is sent; a quick reply's attachments
//! are copied (a new row, the same object) into each message that uses them. A message
//! keeps the public part of its attachments as JSON (`messages.attachments`), so reading
//! history needs no join. Workspaces gain their upload limits per kind of file.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::Users;
use crate::m20261122_000002_create_contacts::Contacts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Attachments::Id))
                    .col(big_integer(Attachments::WorkspaceId))
                    .col(big_integer_null(Attachments::ConversationId))
                    .col(big_integer_null(Attachments::MessageId))
                    .col(big_integer_null(Attachments::QuickReplyId))
                    .col(big_integer_null(Attachments::UploaderUserId))
                    .col(big_integer_null(Attachments::UploaderContactId))
                    .col(string(Attachments::ObjectKey))
                    .col(string(Attachments::Name))
                    .col(string(Attachments::Mime))
                    .col(string(Attachments::Kind))
                    .col(big_integer(Attachments::Size))
                    .col(string(Attachments::Sha256))
                    .col(integer_null(Attachments::Width))
                    .col(integer_null(Attachments::Height))
                    .col(boolean(Attachments::Voice).default(false))
                    .col(big_integer(Attachments::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::ConversationId)
                            .to(Conversations::Table, Conversations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::MessageId)
                            .to(Messages::Table, Messages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::QuickReplyId)
                            .to(QuickReplies::Table, QuickReplies::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::UploaderUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::UploaderContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("attachments_message", vec![Attachments::WorkspaceId, Attachments::MessageId]),
            ("attachments_quick_reply", vec![Attachments::QuickReplyId]),
            ("attachments_object", vec![Attachments::ObjectKey]),
            ("attachments_pending", vec![Attachments::CreatedAtMs]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Attachments::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .alter_table(Table::alter().table(Messages::Table).add_column(text_null(Messages::Attachments)).to_owned())
            .await?;
        for (column, default) in [
            (Workspaces::MaxImageBytes, 5_000_000_i64),
            (Workspaces::MaxVideoBytes, 16_000_000),
            (Workspaces::MaxAudioBytes, 16_000_000),
            (Workspaces::MaxDocumentBytes, 100_000_000),
        ] {
            manager
                .alter_table(
                    Table::alter().table(Workspaces::Table).add_column(big_integer(column).default(default)).to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Workspaces::MaxDocumentBytes,
            Workspaces::MaxAudioBytes,
            Workspaces::MaxVideoBytes,
            Workspaces::MaxImageBytes,
        ] {
            manager.alter_table(Table::alter().table(Workspaces::Table).drop_column(column).to_owned()).await?;
        }
        manager
            .alter_table(Table::alter().table(Messages::Table).drop_column(Messages::Attachments).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(Attachments::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    WorkspaceId,
    ConversationId,
    MessageId,
    QuickReplyId,
    UploaderUserId,
    UploaderContactId,
    ObjectKey,
    Name,
    Mime,
    Kind,
    Size,
    Sha256,
    Width,
    Height,
    Voice,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    Attachments,
}

#[derive(DeriveIden)]
enum QuickReplies {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    Id,
    MaxImageBytes,
    MaxVideoBytes,
    MaxAudioBytes,
    MaxDocumentBytes,
}
