//! Each member's notification settings, per workspace: desktop notifications (off until
//! they turn them on, which asks the browser's permission) and a sound (on).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Memberships::Table)
                    .add_column(boolean(Memberships::NotifyDesktop).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Memberships::Table)
                    .add_column(boolean(Memberships::NotifySound).default(true))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Memberships::NotifySound, Memberships::NotifyDesktop] {
            manager.alter_table(Table::alter().table(Memberships::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    NotifyDesktop,
    NotifySound,
}
