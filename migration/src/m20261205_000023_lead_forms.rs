//! Lead forms: a workspace's pre-chat form and email capture settings (JSON, empty until
//! an admin saves them: the defaults apply), and when a contact filled in a lead form.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::Workspaces;
use crate::m20261122_000002_create_contacts::Contacts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Workspaces::Table).add_column(text(Added::LeadForm).default("")).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Contacts::Table).add_column(big_integer_null(Added::LeadFormAtMs)).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Contacts::Table).drop_column(Added::LeadFormAtMs).to_owned()).await?;
        manager.alter_table(Table::alter().table(Workspaces::Table).drop_column(Added::LeadForm).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Added {
    LeadForm,
    LeadFormAtMs,
}
