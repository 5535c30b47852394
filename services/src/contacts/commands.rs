//! Changing contacts: profiles, tags, notes, and "Save contact" from a conversation.

use parley_types::{
    Capability, Contact, ContactId, ContactKind, ContactNote, ContactUpdate, ConversationId, FieldError, LabelId,
    MAX_CONTACT_NOTE, OperatorEvent, Phrase, SaveContact, UserId, phrase,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use super::{check, fields, row_in, to_contacts, to_note};
use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{contact, contact_label, contact_note, conversation};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::write::Write;

/// A profile's checked fields, or every field's problem at once.
struct Checked {
    name: String,
    email: Option<String>,
    phone: Option<String>,
    timezone: Option<String>,
    language: Option<String>,
}

fn checked(update: &ContactUpdate) -> ServiceResult<Checked> {
    let mut problems = Vec::new();
    let mut take = |field: &str, result: Result<Option<String>, Phrase>| {
        result.unwrap_or_else(|why| {
            problems.push(FieldError::new(field, why));
            None
        })
    };
    let name = take("name", check::name(&update.name).map(Some));
    let email = take("email", check::email(&update.email));
    let phone = take("phone", check::phone(&update.phone));
    let timezone = take("timezone", check::timezone(&update.timezone));
    let language = take("language", check::language(&update.language));
    match name {
        Some(name) if problems.is_empty() => Ok(Checked { name, email, phone, timezone, language }),
        _ => Err(ServiceError::InvalidFields(problems)),
    }
}

/// The type after a change: the operator's choice, else a guest whose name and email or
/// phone are known becomes a lead. Never lowered by itself.
pub(super) fn kind_after(current: ContactKind, chosen: Option<ContactKind>, row: &contact::Model) -> ContactKind {
    match chosen {
        Some(kind) => kind,
        None if current == ContactKind::Guest && row.name_given && (row.email.is_some() || row.phone.is_some()) => {
            ContactKind::Lead
        }
        None => current,
    }
}

/// Tells operators the contact's profile after a change (and its conversations' new
/// summaries when its name changed).
pub(super) async fn announce(
    w: &mut Write,
    scope: Scope,
    row: contact::Model,
    renamed: bool,
    notes: bool,
) -> ServiceResult<Contact> {
    let id = row.id;
    let contact = to_contacts(w.txn(), scope, vec![row]).await?.remove(0);
    if renamed {
        let rows = scope
            .find::<conversation::Entity>()
            .filter(conversation::Column::ContactId.eq(id))
            .order_by_desc(conversation::Column::Id)
            .limit(100)
            .all(w.txn())
            .await?;
        for row in rows {
            let summary = crate::conversations::summary_of(w.txn(), scope, &row).await?;
            w.notify(Operators(scope.workspace_id()), OperatorEvent::ConversationChanged { conversation: summary });
        }
    }
    w.notify(Operators(scope.workspace_id()), OperatorEvent::ContactChanged { contact: contact.clone(), notes });
    Ok(contact)
}

/// Writes `update` over the profile of contact `row` in `w`; returns the stored row and
/// the names of the fields that changed.
async fn apply(
    w: &mut Write,
    row: contact::Model,
    fields: Checked,
    chosen: Option<ContactKind>,
    by: Option<UserId>,
) -> ServiceResult<(contact::Model, Vec<String>)> {
    let mut changed = Vec::new();
    let mut next = row.clone();
    let mut set = |name: &str, old: &mut Option<String>, new: Option<String>| {
        if *old != new {
            *old = new;
            changed.push(name.to_owned());
        }
    };
    set("email", &mut next.email, fields.email);
    set("phone", &mut next.phone, fields.phone);
    set("timezone", &mut next.timezone, fields.timezone);
    set("language", &mut next.language, fields.language);
    if next.name != fields.name {
        next.name = fields.name;
        next.name_given = true;
        changed.push("name".into());
    }
    next.email_key = next.email.as_deref().map(str::to_lowercase);
    let current = row.kind.parse().unwrap_or(ContactKind::Guest);
    let kind = kind_after(current, chosen, &next);
    if kind != current {
        next.kind = kind.as_str().to_owned();
        changed.push("kind".into());
    }
    if changed.is_empty() {
        return Ok((row, changed));
    }
    let mut active: contact::ActiveModel = row.into();
    active.name = Set(next.name);
    active.name_given = Set(next.name_given);
    active.email = Set(next.email);
    active.email_key = Set(next.email_key);
    active.phone = Set(next.phone);
    active.timezone = Set(next.timezone);
    active.language = Set(next.language);
    active.kind = Set(next.kind);
    let stored = active.update(w.txn()).await?;
    let event = DomainEvent::ContactUpdated { contact_id: ContactId(stored.id), fields: changed.clone(), by };
    w.record(parley_types::WorkspaceId(stored.workspace_id), event);
    Ok((stored, changed))
}

/// Changes a contact's profile (every field as given; empty clears). Needs `edit
/// contacts`. Wrong fields are all listed at once and nothing is written.
pub async fn update_contact(
    svc: &Services,
    actor: &Actor,
    id: ContactId,
    update: ContactUpdate,
) -> ServiceResult<Contact> {
    let scope = actor.require(Capability::EditContacts)?;
    let base = checked(&update);
    let by = actor.member().ok().map(|m| m.user_id);
    let mut w = svc.begin().await?;
    let row = row_in(w.txn(), scope, id).await?;
    let (writes, refused) = fields::check_values(w.txn(), scope, &update.custom, fields::Writer::Team).await?;
    let refused: Vec<FieldError> =
        refused.into_iter().map(|f| FieldError { field: format!("custom.{}", f.field), ..f }).collect();
    let checked_fields = match base {
        Ok(fields) if refused.is_empty() => fields,
        Ok(_) => return Err(ServiceError::InvalidFields(refused)),
        Err(ServiceError::InvalidFields(mut problems)) => {
            problems.extend(refused);
            return Err(ServiceError::InvalidFields(problems));
        }
        Err(err) => return Err(err),
    };
    let (row, mut changed) = apply(&mut w, row, checked_fields, update.kind, by).await?;
    if fields::write_values(&w, scope, row.id, writes).await? {
        changed.push("custom".into());
        let event = DomainEvent::ContactUpdated { contact_id: id, fields: vec!["custom".into()], by };
        w.record(scope.workspace_id(), event);
    }
    if changed.is_empty() {
        return Ok(to_contacts(w.txn(), scope, vec![row]).await?.remove(0));
    }
    let contact = announce(&mut w, scope, row, changed.iter().any(|f| f == "name"), false).await?;
    w.commit().await?;
    Ok(contact)
}

/// Puts a workspace label on a contact or takes it off. Needs `edit contacts`.
pub async fn set_contact_label(
    svc: &Services,
    actor: &Actor,
    id: ContactId,
    label: LabelId,
    on: bool,
) -> ServiceResult<Contact> {
    let scope = actor.require(Capability::EditContacts)?;
    let mut w = svc.begin().await?;
    let row = row_in(w.txn(), scope, id).await?;
    crate::labels::find_in(&w, scope, label).await?;
    if !label_in(&w, scope, row.id, label, on).await? {
        return Ok(to_contacts(w.txn(), scope, vec![row]).await?.remove(0));
    }
    let by = actor.member().ok().map(|m| m.user_id);
    w.record(scope.workspace_id(), DomainEvent::ContactLabelled { contact_id: id, label_id: label, on, by });
    let contact = announce(&mut w, scope, row, false, false).await?;
    w.commit().await?;
    Ok(contact)
}

/// Puts `label` on contact `contact_id` or takes it off; whether anything changed.
pub(super) async fn label_in(
    w: &Write,
    scope: Scope,
    contact_id: i64,
    label: LabelId,
    on: bool,
) -> ServiceResult<bool> {
    Ok(if on {
        let row = contact_label::ActiveModel {
            contact_id: Set(contact_id),
            label_id: Set(label.0),
            workspace_id: Set(scope.workspace_id().0),
        };
        // unscoped: the row carries its workspace id.
        contact_label::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([contact_label::Column::ContactId, contact_label::Column::LabelId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(w.txn())
            .await?
            > 0
    } else {
        scope
            .delete_many::<contact_label::Entity>()
            .filter(contact_label::Column::ContactId.eq(contact_id))
            .filter(contact_label::Column::LabelId.eq(label.0))
            .exec(w.txn())
            .await?
            .rows_affected
            > 0
    })
}

/// Adds a note for the team on a contact; each member it mentions gets an item in their
/// Inbox (pointing at the contact). Needs `edit contacts` (and a member: notes have an
/// author); mentions name members of the workspace only.
pub async fn add_note(
    svc: &Services,
    actor: &Actor,
    id: ContactId,
    body: &str,
    mentions: &[UserId],
) -> ServiceResult<ContactNote> {
    let scope = actor.require(Capability::EditContacts)?;
    let member = actor.member()?;
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_CONTACT_NOTE {
        return Err(ServiceError::Invalid(phrase!("err-contacts-note", max = MAX_CONTACT_NOTE)));
    }
    let mut w = svc.begin().await?;
    let row = row_in(w.txn(), scope, id).await?;
    let mentions = crate::inbox::check_mentions(w.txn(), scope, mentions).await?;
    let note = contact_note::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        contact_id: Set(row.id),
        author_id: Set(Some(member.user_id.0)),
        author_name: Set(member.name.clone()),
        body: Set(body.to_owned()),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    let event = DomainEvent::ContactNoteAdded { contact_id: id, note_id: note.id, by: member.user_id };
    w.record(scope.workspace_id(), event);
    let at = crate::inbox::CommentAt {
        entity: parley_types::EntityKind::Contact,
        entity_id: row.id,
        message_id: None,
        position: Some(note.id),
    };
    crate::inbox::mention(&mut w, scope, member.user_id, &at, None, body, &mentions).await?;
    announce(&mut w, scope, row, false, true).await?;
    w.commit().await?;
    Ok(to_note(note))
}

/// Deletes a note: its author may, and owners and admins (`manage contacts`).
pub async fn delete_note(svc: &Services, actor: &Actor, contact: ContactId, note: i64) -> ServiceResult<()> {
    let scope = actor.require(Capability::EditContacts)?;
    let member = actor.member()?;
    let mut w = svc.begin().await?;
    let row = scope
        .find::<contact_note::Entity>()
        .filter(contact_note::Column::Id.eq(note))
        .filter(contact_note::Column::ContactId.eq(contact.0))
        .one(w.txn())
        .await?
        .ok_or(ServiceError::NotFound)?;
    if row.author_id != Some(member.user_id.0) && !actor.can(Capability::ManageContacts) {
        return Err(ServiceError::Forbidden);
    }
    scope.delete_many::<contact_note::Entity>().filter(contact_note::Column::Id.eq(note)).exec(w.txn()).await?;
    let contact_row = row_in(w.txn(), scope, contact).await?;
    announce(&mut w, scope, contact_row, false, true).await?;
    w.commit().await?;
    Ok(())
}

/// Saves the contact of a conversation with a name and an email or phone (and tags): a
/// guest becomes a lead. The conversation gets a line for the team saying so. Needs
/// `edit contacts` and `read conversations`.
pub async fn save_contact(
    svc: &Services,
    actor: &Actor,
    conversation_id: ConversationId,
    saved: SaveContact,
) -> ServiceResult<Contact> {
    let scope = actor.require(Capability::EditContacts)?;
    let member = actor.member()?;
    let conversation = crate::conversations::readable_conversation(&svc.db, actor, conversation_id).await?;
    let mut w = svc.begin().await?;
    let row = row_in(w.txn(), scope, ContactId(conversation.contact_id)).await?;
    // The rest of the profile stays as it is.
    let update = ContactUpdate {
        name: saved.name,
        email: saved.email,
        phone: saved.phone,
        timezone: row.timezone.clone().unwrap_or_default(),
        language: row.language.clone().unwrap_or_default(),
        kind: None,
        custom: Default::default(),
    };
    // Every problem at once: the profile's, then each custom value's.
    let (writes, refused) = fields::check_values(w.txn(), scope, &saved.custom, fields::Writer::Team).await?;
    let (profile, mut problems) = match checked(&update) {
        Ok(fields) if fields.email.is_none() && fields.phone.is_none() => {
            (None, vec![FieldError::new("email", phrase!("err-contacts-save-needs-address"))])
        }
        Ok(fields) => (Some(fields), Vec::new()),
        Err(ServiceError::InvalidFields(problems)) => (None, problems),
        Err(err) => return Err(err),
    };
    problems.extend(refused.into_iter().map(|f| FieldError { field: format!("custom.{}", f.field), ..f }));
    let Some(profile) = profile.filter(|_| problems.is_empty()) else {
        return Err(ServiceError::InvalidFields(problems));
    };
    for label in &saved.labels {
        crate::labels::find_in(&w, scope, *label).await?;
    }
    let (mut row, _) = apply(&mut w, row, profile, None, Some(member.user_id)).await?;
    if fields::write_values(&w, scope, row.id, writes).await? {
        let by = Some(member.user_id);
        let event = DomainEvent::ContactUpdated { contact_id: ContactId(row.id), fields: vec!["custom".into()], by };
        w.record(scope.workspace_id(), event);
    }
    if row.kind == ContactKind::Guest.as_str() {
        // A name that was given before, kept as it was: saving still makes a lead.
        let mut active: contact::ActiveModel = row.into();
        active.kind = Set(ContactKind::Lead.as_str().to_owned());
        active.name_given = Set(true);
        row = active.update(w.txn()).await?;
    }
    for label in &saved.labels {
        if label_in(&w, scope, row.id, *label, true).await? {
            let event = DomainEvent::ContactLabelled {
                contact_id: ContactId(row.id),
                label_id: *label,
                on: true,
                by: Some(member.user_id),
            };
            w.record(scope.workspace_id(), event);
        }
    }
    let line = phrase!("line-contact-saved", name = &member.name, contact = &row.name);
    crate::conversations::add_system_line(&mut w, scope, conversation.id, Some(member.user_id.0), &line, now_ms())
        .await?;
    let contact = announce(&mut w, scope, row, true, false).await?;
    w.commit().await?;
    Ok(contact)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name_given: bool, email: Option<&str>) -> contact::Model {
        contact::Model {
            id: 1,
            workspace_id: 1,
            kind: "guest".into(),
            name: "Ada".into(),
            visitor_token_hash: String::new(),
            created_at_ms: 0,
            last_seen_at_ms: 0,
            email: email.map(str::to_owned),
            email_key: None,
            phone: None,
            timezone: None,
            language: None,
            avatar_url: None,
            browser: None,
            os: None,
            name_given,
            external_id: None,
            verified: false,
            possible_duplicate_of: None,
            lead_form_at_ms: None,
            picked_department_id: None,
        }
    }

    #[test]
    fn a_guest_becomes_a_lead_with_a_name_and_an_address_and_is_never_lowered_by_itself() {
        use ContactKind::*;
        assert_eq!(kind_after(Guest, None, &row(true, Some("a@b.co"))), Lead);
        assert_eq!(kind_after(Guest, None, &row(false, Some("a@b.co"))), Guest, "a generated name is no name");
        assert_eq!(kind_after(Guest, None, &row(true, None)), Guest);
        assert_eq!(kind_after(Customer, None, &row(true, None)), Customer);
        assert_eq!(kind_after(Customer, Some(Guest), &row(true, None)), Guest, "an operator may change it");
    }
}
