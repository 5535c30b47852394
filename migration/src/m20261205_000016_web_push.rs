//! Web Push: each member's push subscriptions (one per browser or installed app, removed
//! when the push service says it is gone), and the instance's secrets generated on first
//! start (the VAPID key pair that identifies this Parley to push services).

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
                    .table(InstanceSecrets::Table)
                    .if_not_exists()
                    .col(string(InstanceSecrets::Name).primary_key())
                    .col(text(InstanceSecrets::Value))
                    .col(big_integer(InstanceSecrets::CreatedAtMs))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PushSubscriptions::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PushSubscriptions::Id))
                    .col(big_integer(PushSubscriptions::WorkspaceId))
                    .col(big_integer(PushSubscriptions::UserId))
                    .col(string_len(PushSubscriptions::Endpoint, 2048).unique_key())
                    .col(string(PushSubscriptions::P256dh))
                    .col(string(PushSubscriptions::Auth))
                    .col(big_integer(PushSubscriptions::CreatedAtMs))
                    .col(big_integer_null(PushSubscriptions::LastSentAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PushSubscriptions::Table, PushSubscriptions::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PushSubscriptions::Table, PushSubscriptions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("push_subscriptions_member")
                    .table(PushSubscriptions::Table)
                    .col(PushSubscriptions::WorkspaceId)
                    .col(PushSubscriptions::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PushSubscriptions::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(InstanceSecrets::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum InstanceSecrets {
    Table,
    Name,
    Value,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum PushSubscriptions {
    Table,
    Id,
    WorkspaceId,
    UserId,
    Endpoint,
    P256dh,
    Auth,
    CreatedAtMs,
    LastSentAtMs,
}
