//! Server functions for contacts. Each finds the actor (a signed-in member, else 401)
//! and calls the service, which checks the capability and scopes everything to the
//! member's workspace (another workspace's contact is 404). Who may call each is in
//! `server/tests/permissions.rs`.

use leptos::prelude::*;
use parley_types::{
    Contact, ContactCursor, ContactDetail, ContactField, ContactFieldInput, ContactFilter, ContactId, ContactNote,
    ContactPage, ContactUpdate, ConversationId, LabelId, SaveContact,
};

use crate::ApiError;

/// Members: one page of the workspace's contacts matching `filter`, newest seen first.
#[server(endpoint = "list_contacts")]
pub async fn list_contacts(
    #[server(default)] filter: ContactFilter,
    after: Option<ContactCursor>,
) -> Result<ContactPage, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::list_contacts(&svc.db, &actor, &filter, after).await?)
}

/// Members: a contact's profile, notes and conversations.
#[server(endpoint = "get_contact")]
pub async fn get_contact(id: ContactId) -> Result<ContactDetail, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::contact_detail(&svc.db, &actor, id).await?)
}

/// Members (`edit contacts`): changes a contact's profile; every wrong field is listed.
#[server(endpoint = "update_contact")]
pub async fn update_contact(id: ContactId, update: ContactUpdate) -> Result<Contact, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::update_contact(&svc, &actor, id, update).await?)
}

/// Members (`edit contacts`): puts a label (tag) on a contact or takes it off.
#[server(endpoint = "label_contact")]
pub async fn label_contact(id: ContactId, label: LabelId, on: bool) -> Result<Contact, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::set_contact_label(&svc, &actor, id, label, on).await?)
}

/// Members (`edit contacts`): adds a note for the team on a contact, mentioning members.
#[server(endpoint = "add_contact_note")]
pub async fn add_contact_note(
    id: ContactId,
    body: String,
    #[server(default)] mentions: Vec<parley_types::UserId>,
) -> Result<ContactNote, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::add_note(&svc, &actor, id, &body, &mentions).await?)
}

/// The note's author, owners and admins: deletes a note on a contact.
#[server(endpoint = "delete_contact_note")]
pub async fn delete_contact_note(id: ContactId, note: i64) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::delete_note(&svc, &actor, id, note).await?)
}

/// Members (`edit contacts`): "Save contact" from a conversation: name, email or phone,
/// tags; a guest becomes a lead.
#[server(endpoint = "save_contact")]
pub async fn save_conversation_contact(
    conversation: ConversationId,
    contact: SaveContact,
) -> Result<Contact, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::save_contact(&svc, &actor, conversation, contact).await?)
}

/// Members: the workspace's custom contact fields, with how many values each has.
#[server(endpoint = "list_contact_fields")]
pub async fn list_contact_fields() -> Result<Vec<ContactField>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::list_fields(&svc.db, &actor).await?)
}

/// Owners and admins (`manage contacts`): defines a custom contact field.
#[server(endpoint = "create_contact_field")]
pub async fn create_contact_field(field: ContactFieldInput) -> Result<ContactField, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::create_field(&svc, &actor, field).await?)
}

/// Owners and admins (`manage contacts`): changes a field (its type only while it has
/// no values).
#[server(endpoint = "update_contact_field")]
pub async fn update_contact_field(id: i64, field: ContactFieldInput) -> Result<ContactField, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::update_field(&svc, &actor, id, field).await?)
}

/// Owners and admins (`manage contacts`): deletes a field; answers how many values went
/// with it.
#[server(endpoint = "delete_contact_field")]
pub async fn delete_contact_field(id: i64) -> Result<u64, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::delete_field(&svc, &actor, id).await?)
}

/// Owners and admins (`manage contacts`): the identity secret (made on first look) and
/// whether `setUser` needs a hash.
#[server(endpoint = "get_identity_settings")]
pub async fn get_identity_settings() -> Result<parley_types::IdentitySettings, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::identity::identity_settings(&svc, &actor).await?)
}

/// Owners and admins (`manage contacts`): a new identity secret (hashes made with the old
/// one stop verifying).
#[server(endpoint = "rotate_identity_secret")]
pub async fn rotate_identity_secret() -> Result<parley_types::IdentitySettings, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::identity::rotate_identity_secret(&svc, &actor).await?)
}

/// Owners and admins (`manage contacts`): requires a valid hash with every `setUser`.
#[server(endpoint = "set_require_verification")]
pub async fn set_require_verification(on: bool) -> Result<parley_types::IdentitySettings, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::identity::set_require_verification(&svc, &actor, on).await?)
}

/// Owners and admins (`manage contacts`): merges contact `other` into `primary`.
#[server(endpoint = "merge_contacts")]
pub async fn merge_contacts(primary: ContactId, other: ContactId) -> Result<Contact, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::merge_contacts(&svc, &actor, primary, other).await?)
}

/// Members: the workspace's segments (saved filters), each with its count now.
#[server(endpoint = "list_segments")]
pub async fn list_segments() -> Result<Vec<parley_types::Segment>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::segments::list_segments(&svc.db, &actor).await?)
}

/// Members (`edit contacts`): saves the current filter as a segment.
#[server(endpoint = "save_segment")]
pub async fn save_segment(
    name: String,
    #[server(default)] filter: ContactFilter,
) -> Result<parley_types::Segment, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::segments::save_segment(&svc, &actor, &name, filter).await?)
}

/// Members (`edit contacts`): deletes a segment.
#[server(endpoint = "delete_segment")]
pub async fn delete_segment(id: i64) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::segments::delete_segment(&svc, &actor, id).await?)
}

/// Members (`edit contacts`): puts a label on many contacts or takes it off; answers how
/// many changed.
#[server(endpoint = "bulk_label_contacts")]
pub async fn bulk_label_contacts(ids: Vec<ContactId>, label: LabelId, on: bool) -> Result<u64, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::segments::bulk_label(&svc, &actor, &ids, label, on).await?)
}

/// Owners and admins (`manage contacts`): deletes contacts with their conversations;
/// answers how many went.
#[server(endpoint = "delete_contacts")]
pub async fn delete_contacts(ids: Vec<ContactId>) -> Result<u64, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::segments::delete_contacts(&svc, &actor, &ids).await?)
}

/// Owners and admins (`manage contacts`): an import's progress and the rows it could not
/// take.
#[server(endpoint = "get_import")]
pub async fn get_import(id: i64) -> Result<parley_types::ImportStatus, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::import::get_import(&svc.db, &actor, id).await?)
}
