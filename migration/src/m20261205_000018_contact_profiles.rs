//! Contact profiles: basic info on the contact row (email, phone, timezone, language,
//! avatar, browser and OS), the team's notes on a contact, and the workspace's labels on
//! contacts (the same catalogue as conversations': one list of tags to learn).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_workspaces_and_users::{Users, Workspaces};
use crate::m20261122_000002_create_contacts::Contacts;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The optional text columns contacts gain, one `ALTER` each (SQLite takes one at a time).
const PROFILE: [Profile; 8] = [
    Profile::Email,
    Profile::EmailKey,
    Profile::Phone,
    Profile::Timezone,
    Profile::Language,
    Profile::AvatarUrl,
    Profile::Browser,
    Profile::Os,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in PROFILE {
            manager
                .alter_table(Table::alter().table(Contacts::Table).add_column(string_null(column)).to_owned())
                .await?;
        }
        // Whether a person gave the name (a generated "Guest 1A2B" is not a name).
        manager
            .alter_table(
                Table::alter().table(Contacts::Table).add_column(boolean(Profile::NameGiven).default(false)).to_owned(),
            )
            .await?;
        // Search by email (its lower-case key) and the list's order (newest seen first).
        manager
            .create_index(
                Index::create()
                    .name("contacts_workspace_email")
                    .table(Contacts::Table)
                    .col(Contacts::WorkspaceId)
                    .col(Profile::EmailKey)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("contacts_workspace_seen")
                    .table(Contacts::Table)
                    .col(Contacts::WorkspaceId)
                    .col(Contacts::LastSeenAtMs)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContactNotes::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ContactNotes::Id))
                    .col(big_integer(ContactNotes::WorkspaceId))
                    .col(big_integer(ContactNotes::ContactId))
                    .col(big_integer_null(ContactNotes::AuthorId))
                    .col(string(ContactNotes::AuthorName))
                    .col(text(ContactNotes::Body))
                    .col(big_integer(ContactNotes::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactNotes::Table, ContactNotes::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactNotes::Table, ContactNotes::ContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactNotes::Table, ContactNotes::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("contact_notes_contact")
                    .table(ContactNotes::Table)
                    .col(ContactNotes::ContactId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContactLabels::Table)
                    .if_not_exists()
                    .col(big_integer(ContactLabels::ContactId))
                    .col(big_integer(ContactLabels::LabelId))
                    .col(big_integer(ContactLabels::WorkspaceId))
                    .primary_key(Index::create().col(ContactLabels::ContactId).col(ContactLabels::LabelId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactLabels::Table, ContactLabels::ContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactLabels::Table, ContactLabels::LabelId)
                            .to(Labels::Table, Labels::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactLabels::Table, ContactLabels::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("contact_labels_label")
                    .table(ContactLabels::Table)
                    .col(ContactLabels::LabelId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ContactLabels::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ContactNotes::Table).to_owned()).await?;
        for name in ["contacts_workspace_email", "contacts_workspace_seen"] {
            manager.drop_index(Index::drop().name(name).table(Contacts::Table).to_owned()).await?;
        }
        for column in PROFILE.into_iter().chain([Profile::NameGiven]) {
            manager.alter_table(Table::alter().table(Contacts::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Profile {
    Email,
    EmailKey,
    Phone,
    Timezone,
    Language,
    AvatarUrl,
    Browser,
    Os,
    NameGiven,
}

#[derive(DeriveIden)]
enum ContactNotes {
    Table,
    Id,
    WorkspaceId,
    ContactId,
    AuthorId,
    AuthorName,
    Body,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum ContactLabels {
    Table,
    ContactId,
    LabelId,
    WorkspaceId,
}

#[derive(DeriveIden)]
enum Labels {
    Table,
    Id,
}
