//! Invitations to a workspace (the SHA-256 of a single-use link's token, never the token)
//! and each workspace's outgoing mail settings (JSON; the SMTP password in it encrypted
//! with the instance key).

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
                    .table(Invitations::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Invitations::Id))
                    .col(big_integer(Invitations::WorkspaceId))
                    .col(string(Invitations::Email))
                    .col(string(Invitations::Role))
                    // Department ids, one per line.
                    .col(text(Invitations::Departments))
                    .col(string_uniq(Invitations::TokenHash))
                    .col(big_integer_null(Invitations::InvitedBy))
                    .col(big_integer(Invitations::CreatedAtMs))
                    .col(big_integer(Invitations::ExpiresAtMs))
                    .col(big_integer_null(Invitations::SentAtMs))
                    .col(big_integer_null(Invitations::AcceptedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::InvitedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("invitations_workspace_email")
                    .table(Invitations::Table)
                    .col(Invitations::WorkspaceId)
                    .col(Invitations::Email)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Workspaces::Table).add_column(text(Added::Smtp).default("")).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Workspaces::Table).drop_column(Added::Smtp).to_owned()).await?;
        manager.drop_table(Table::drop().table(Invitations::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Invitations {
    Table,
    Id,
    WorkspaceId,
    Email,
    Role,
    Departments,
    TokenHash,
    InvitedBy,
    CreatedAtMs,
    ExpiresAtMs,
    SentAtMs,
    AcceptedAtMs,
}

#[derive(DeriveIden)]
enum Added {
    Smtp,
}
