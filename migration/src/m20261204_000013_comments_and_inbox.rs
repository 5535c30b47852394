//! Comments with @mentions, and each member's personal Inbox. A comment belongs to an
//! entity (type and id), so contacts, articles, tickets, workflows and broadcasts can take
//! comments later; a conversation's notes are comments (the note itself stays a line of
//! the conversation, `message_id`). A mention, or a conversation assigned to a member,
//! puts an item in that member's Inbox.

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
                    .table(Comments::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Comments::Id))
                    .col(big_integer(Comments::WorkspaceId))
                    .col(string(Comments::EntityType))
                    .col(big_integer(Comments::EntityId))
                    .col(big_integer_null(Comments::AuthorId))
                    .col(text(Comments::Body))
                    // The conversation line showing it (conversation notes).
                    .col(big_integer_null(Comments::MessageId))
                    .col(big_integer(Comments::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Comments::Table, Comments::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Comments::Table, Comments::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Comments::Table, Comments::MessageId)
                            .to(Messages::Table, Messages::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("comments_entity")
                    .table(Comments::Table)
                    .col(Comments::WorkspaceId)
                    .col(Comments::EntityType)
                    .col(Comments::EntityId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CommentMentions::Table)
                    .if_not_exists()
                    .col(big_integer(CommentMentions::CommentId))
                    .col(big_integer(CommentMentions::UserId))
                    .col(big_integer(CommentMentions::WorkspaceId))
                    .primary_key(Index::create().col(CommentMentions::CommentId).col(CommentMentions::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommentMentions::Table, CommentMentions::CommentId)
                            .to(Comments::Table, Comments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommentMentions::Table, CommentMentions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommentMentions::Table, CommentMentions::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(InboxItems::Table)
                    .if_not_exists()
                    .col(big_pk_auto(InboxItems::Id))
                    .col(big_integer(InboxItems::WorkspaceId))
                    // Whose Inbox.
                    .col(big_integer(InboxItems::UserId))
                    // `mention` or `assignment`.
                    .col(string(InboxItems::Kind))
                    .col(string(InboxItems::EntityType))
                    .col(big_integer(InboxItems::EntityId))
                    .col(big_integer_null(InboxItems::CommentId))
                    // Where in the entity (a conversation line's seq).
                    .col(big_integer_null(InboxItems::Position))
                    // Who mentioned or assigned (none: Parley).
                    .col(big_integer_null(InboxItems::ActorId))
                    .col(text(InboxItems::Excerpt))
                    .col(big_integer(InboxItems::CreatedAtMs))
                    .col(big_integer_null(InboxItems::ReadAtMs))
                    .col(big_integer_null(InboxItems::ArchivedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(InboxItems::Table, InboxItems::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(InboxItems::Table, InboxItems::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(InboxItems::Table, InboxItems::CommentId)
                            .to(Comments::Table, Comments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("inbox_items_member")
                    .table(InboxItems::Table)
                    .col(InboxItems::WorkspaceId)
                    .col(InboxItems::UserId)
                    .col(InboxItems::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(InboxItems::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(CommentMentions::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Comments::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    WorkspaceId,
    EntityType,
    EntityId,
    AuthorId,
    Body,
    MessageId,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum CommentMentions {
    Table,
    CommentId,
    UserId,
    WorkspaceId,
}

#[derive(DeriveIden)]
enum InboxItems {
    Table,
    Id,
    WorkspaceId,
    UserId,
    Kind,
    EntityType,
    EntityId,
    CommentId,
    Position,
    ActorId,
    Excerpt,
    CreatedAtMs,
    ReadAtMs,
    ArchivedAtMs,
}
