//! Identity: visitor tokens of their own (one contact, several browsers), the external id
//! a customer's site gives a contact (verified by an HMAC under the workspace's identity
//! secret, or kept as unverified), a possible duplicate an operator should look at, and
//! the contact's timeline of site actions (`track`) and page visits.

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
                    .table(VisitorTokens::Table)
                    .if_not_exists()
                    .col(big_pk_auto(VisitorTokens::Id))
                    .col(string_uniq(VisitorTokens::TokenHash))
                    .col(big_integer(VisitorTokens::WorkspaceId))
                    .col(big_integer(VisitorTokens::ContactId))
                    .col(big_integer(VisitorTokens::CreatedAtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(VisitorTokens::Table, VisitorTokens::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(VisitorTokens::Table, VisitorTokens::ContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("visitor_tokens_contact")
                    .table(VisitorTokens::Table)
                    .col(VisitorTokens::ContactId)
                    .to_owned(),
            )
            .await?;
        // Every existing visitor keeps its token.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO visitor_tokens (token_hash, workspace_id, contact_id, created_at_ms) \
                 SELECT visitor_token_hash, workspace_id, id, created_at_ms FROM contacts",
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Contacts::Table).add_column(string_null(Added::ExternalId)).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(Contacts::Table).add_column(boolean(Added::Verified).default(false)).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Contacts::Table)
                    .add_column(big_integer_null(Added::PossibleDuplicateOf))
                    .to_owned(),
            )
            .await?;
        // One contact per external id and kind of trust in a workspace (an unverified id
        // never reaches the verified contact of the same id).
        manager
            .create_index(
                Index::create()
                    .name("contacts_workspace_external_id")
                    .table(Contacts::Table)
                    .col(Contacts::WorkspaceId)
                    .col(Added::ExternalId)
                    .col(Added::Verified)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Workspaces::Table)
                    .add_column(string(Added::IdentitySecret).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Workspaces::Table)
                    .add_column(boolean(Added::RequireVerification).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContactEvents::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ContactEvents::Id))
                    .col(big_integer(ContactEvents::WorkspaceId))
                    .col(big_integer(ContactEvents::ContactId))
                    // `event` (a site action) or `page` (a page visit).
                    .col(string(ContactEvents::Kind))
                    // The action's name, or the page's URL.
                    .col(text(ContactEvents::Name))
                    .col(text(ContactEvents::Title).default(""))
                    .col(text(ContactEvents::Referrer).default(""))
                    // The action's data as JSON.
                    .col(text(ContactEvents::Data).default(""))
                    .col(big_integer(ContactEvents::AtMs))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactEvents::Table, ContactEvents::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ContactEvents::Table, ContactEvents::ContactId)
                            .to(Contacts::Table, Contacts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("contact_events_contact_at")
                    .table(ContactEvents::Table)
                    .col(ContactEvents::ContactId)
                    .col(ContactEvents::AtMs)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ContactEvents::Table).to_owned()).await?;
        for column in [Added::IdentitySecret, Added::RequireVerification] {
            manager.alter_table(Table::alter().table(Workspaces::Table).drop_column(column).to_owned()).await?;
        }
        manager
            .drop_index(Index::drop().name("contacts_workspace_external_id").table(Contacts::Table).to_owned())
            .await?;
        for column in [Added::ExternalId, Added::Verified, Added::PossibleDuplicateOf] {
            manager.alter_table(Table::alter().table(Contacts::Table).drop_column(column).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(VisitorTokens::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Added {
    ExternalId,
    Verified,
    PossibleDuplicateOf,
    IdentitySecret,
    RequireVerification,
}

#[derive(DeriveIden)]
enum VisitorTokens {
    Table,
    Id,
    TokenHash,
    WorkspaceId,
    ContactId,
    CreatedAtMs,
}

#[derive(DeriveIden)]
enum ContactEvents {
    Table,
    Id,
    WorkspaceId,
    ContactId,
    Kind,
    Name,
    Title,
    Referrer,
    Data,
    AtMs,
}
