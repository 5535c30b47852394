//! Members' own profiles (an avatar picture's https address) and password resets (the
//! SHA-256 of a single-use link's token, valid one hour).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Users::Table).add_column(text(Added::AvatarUrl).default("")).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PasswordResets::Id))
                    .col(big_integer(PasswordResets::UserId))
                    .col(string_uniq(PasswordResets::TokenHash))
                    // The admin who made the link (`None`: asked for by email).
                    .col(big_integer_null(PasswordResets::CreatedBy))
                    .col(big_integer(PasswordResets::CreatedAtMs))
                    .col(big_integer(PasswordResets::ExpiresAtMs))
                    .col(big_integer_null(PasswordResets::UsedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PasswordResets::Table, PasswordResets::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PasswordResets::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Users::Table).drop_column(Added::AvatarUrl).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedBy,
    CreatedAtMs,
    ExpiresAtMs,
    UsedAtMs,
}

#[derive(DeriveIden)]
enum Added {
    AvatarUrl,
}
