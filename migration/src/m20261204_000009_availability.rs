//! Members' availability in each workspace (online, away, offline) and whether Parley set
//! the current "away" by itself (the member's last tab closed), so it can undo it.

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
                    .add_column(string(Memberships::Availability).default("online"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Memberships::Table)
                    .add_column(boolean(Memberships::AvailabilityAuto).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Memberships::AvailabilityAuto, Memberships::Availability] {
            manager.alter_table(Table::alter().table(Memberships::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Availability,
    AvailabilityAuto,
}
