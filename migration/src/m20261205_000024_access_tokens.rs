//! API access tokens: the SHA-256 of the secret (never the secret), the member it acts
//! for, its scopes and expiry, and when it was last used.

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
                    .table(AccessTokens::Table)
                    .if_not_exists()
                    .col(big_pk_auto(AccessTokens::Id))
                    .col(big_integer(AccessTokens::WorkspaceId))
                    .col(big_integer(AccessTokens::UserId))
                    .col(string(AccessTokens::Name))
                    .col(string_uniq(AccessTokens::TokenHash))
                    // Space-separated, e.g. `contacts:read workspace:write`.
                    .col(string(AccessTokens::Scopes))
                    .col(big_integer(AccessTokens::CreatedAtMs))
                    .col(big_integer_null(AccessTokens::ExpiresAtMs))
                    .col(big_integer_null(AccessTokens::LastUsedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccessTokens::Table, AccessTokens::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccessTokens::Table, AccessTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("access_tokens_workspace")
                    .table(AccessTokens::Table)
                    .col(AccessTokens::WorkspaceId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AccessTokens::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum AccessTokens {
    Table,
    Id,
    WorkspaceId,
    UserId,
    Name,
    TokenHash,
    Scopes,
    CreatedAtMs,
    ExpiresAtMs,
    LastUsedAtMs,
}
