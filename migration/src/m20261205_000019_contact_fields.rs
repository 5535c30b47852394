//! Custom contact fields: each workspace's typed definitions, and each contact's values
//! (the canonical text, and the number for number fields so filters compare numbers).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::Workspaces;
use crate::m20261122_000002_create_contacts::Contacts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContactFields::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ContactFields::Id))
                    .col(big_integer(ContactFields::WorkspaceId))
                    .col(string(ContactFields::Key))
                    .col(string(ContactFields::Label))
                    .col(string(ContactFields::Kind))
                    // Select options, one per line.
                    .col(text(ContactFields::Options).default(""))
                    .col(boolean(ContactFields::WidgetWritable).default(false))
                    .col(boolean(ContactFields::InPrechat).default(false))
                    .col(boolean(ContactFields::Required).default(false))
                    .col(integer(ContactFields::Position).default(0))
                    .col(big_integer(ContactFields::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactFields::Table, ContactFields::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("contact_fields_workspace_key")
                    .table(ContactFields::Table)
                    .col(ContactFields::WorkspaceId)
                    .col(ContactFields::Key)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContactFieldValues::Table)
                    .if_not_exists()
                    .col(big_integer(ContactFieldValues::ContactId))
                    .col(big_integer(ContactFieldValues::FieldId))
                    .col(big_integer(ContactFieldValues::WorkspaceId))
                    .col(text(ContactFieldValues::Value))
                    .col(double_null(ContactFieldValues::Number))
                    .primary_key(Index::create().col(ContactFieldValues::ContactId).col(ContactFieldValues::FieldId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactFieldValues::Table, ContactFieldValues::ContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactFieldValues::Table, ContactFieldValues::FieldId)
                            .to(ContactFields::Table, ContactFields::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactFieldValues::Table, ContactFieldValues::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("contact_field_values_field")
                    .table(ContactFieldValues::Table)
                    .col(ContactFieldValues::FieldId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ContactFieldValues::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ContactFields::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum ContactFields {
    Table,
    Id,
    WorkspaceId,
    Key,
    Label,
    Kind,
    Options,
    WidgetWritable,
    InPrechat,
    Required,
    Position,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum ContactFieldValues {
    Table,
    ContactId,
    FieldId,
    WorkspaceId,
    Value,
    Number,
}
