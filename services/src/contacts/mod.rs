//! Contacts: the people who write to the workspace. Members read them (`read
//! contacts`), edit profiles, tags and notes (`edit contacts`); deleting, merging,
//! import and export come with `manage contacts`. Every change reaches the workspace's
//! operators as `ContactChanged` (and, when the name changed, the contact's conversations
//! as `ConversationChanged`, so inbox lists show the new name).

pub mod check;
mod commands;
pub mod export;
pub mod fields;
pub mod identity;
pub mod import;
pub mod lead_form;
mod merge;
pub mod segments;

use std::collections::HashMap;

use parley_types::{
    CONTACT_PAGE, Capability, Contact, ContactCursor, ContactDetail, ContactFilter, ContactId, ContactKind,
    ContactNote, ContactPage, ConversationId, ConversationStatus, FieldCondition, FieldKind, FieldOp, LabelId,
    TimelineEntry, UserId, phrase,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

pub use commands::{add_note, delete_note, save_contact, set_contact_label, update_contact};
pub use fields::{create_field, delete_field, list_fields, update_field};
pub use merge::merge_contacts;

use crate::access::{Actor, Scope};
use crate::clock::now_ms;
use crate::entities::{
    contact, contact_event, contact_field, contact_field_value, contact_label, contact_note, conversation,
};
use crate::error::{ServiceError, ServiceResult};

/// Longest search text, in characters.
const MAX_QUERY: usize = 100;

pub(crate) fn to_note(row: contact_note::Model) -> ContactNote {
    ContactNote {
        id: row.id,
        contact_id: ContactId(row.contact_id),
        author_id: row.author_id.map(UserId),
        author_name: row.author_name,
        body: row.body,
        created_at_ms: row.created_at_ms,
    }
}

/// The profiles of `rows`, with their labels and open conversations (two reads for all).
pub(crate) async fn to_contacts(
    db: &impl ConnectionTrait,
    scope: Scope,
    rows: Vec<contact::Model>,
) -> ServiceResult<Vec<Contact>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut custom = fields::values_of(db, scope, &ids).await?;
    let mut labels: HashMap<i64, Vec<LabelId>> = HashMap::new();
    let tagged = scope
        .find::<contact_label::Entity>()
        .filter(contact_label::Column::ContactId.is_in(ids.clone()))
        .order_by_asc(contact_label::Column::LabelId)
        .all(db)
        .await?;
    for row in tagged {
        labels.entry(row.contact_id).or_default().push(LabelId(row.label_id));
    }
    let open: HashMap<i64, i64> = scope
        .find::<conversation::Entity>()
        .select_only()
        .column(conversation::Column::ContactId)
        .column(conversation::Column::Id)
        .filter(conversation::Column::ContactId.is_in(ids))
        .filter(conversation::Column::Status.ne(ConversationStatus::Closed.as_str()))
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| Contact {
            id: ContactId(row.id),
            kind: row.kind.parse().unwrap_or(ContactKind::Guest),
            labels: labels.remove(&row.id).unwrap_or_default(),
            open_conversation: open.get(&row.id).copied().map(ConversationId),
            custom: custom.remove(&row.id).unwrap_or_default(),
            external_id: row.external_id,
            verified: row.verified,
            possible_duplicate_of: row.possible_duplicate_of.map(ContactId),
            name: row.name,
            name_given: row.name_given,
            email: row.email,
            phone: row.phone,
            timezone: row.timezone,
            language: row.language,
            avatar_url: row.avatar_url,
            browser: row.browser,
            os: row.os,
            created_at_ms: row.created_at_ms,
            last_seen_at_ms: row.last_seen_at_ms,
        })
        .collect())
}

/// The contact row `id` of the scope's workspace; another workspace's id is not found.
pub(crate) async fn row_in(db: &impl ConnectionTrait, scope: Scope, id: ContactId) -> ServiceResult<contact::Model> {
    scope.find::<contact::Entity>().filter(contact::Column::Id.eq(id.0)).one(db).await?.ok_or(ServiceError::NotFound)
}

/// One contact's profile. Needs `read contacts`.
pub async fn get_contact(db: &impl ConnectionTrait, actor: &Actor, id: ContactId) -> ServiceResult<Contact> {
    let scope = actor.require(Capability::ReadContacts)?;
    let row = row_in(db, scope, id).await?;
    Ok(to_contacts(db, scope, vec![row]).await?.remove(0))
}

/// A contact's profile, notes and conversations. Needs `read contacts` (and `read
/// conversations` for the conversations).
pub async fn contact_detail(db: &impl ConnectionTrait, actor: &Actor, id: ContactId) -> ServiceResult<ContactDetail> {
    let scope = actor.require(Capability::ReadContacts)?;
    let contact = get_contact(db, actor, id).await?;
    let notes = scope
        .find::<contact_note::Entity>()
        .filter(contact_note::Column::ContactId.eq(id.0))
        .order_by_desc(contact_note::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_note)
        .collect();
    let conversations = crate::conversations::contact_conversations(db, actor, id, 50).await?;
    let timeline = scope
        .find::<contact_event::Entity>()
        .filter(contact_event::Column::ContactId.eq(id.0))
        .order_by_desc(contact_event::Column::AtMs)
        .order_by_desc(contact_event::Column::Id)
        .limit(100)
        .all(db)
        .await?
        .into_iter()
        .map(|e| TimelineEntry {
            id: e.id,
            kind: e.kind,
            name: e.name,
            title: e.title,
            referrer: e.referrer,
            data: e.data,
            at_ms: e.at_ms,
        })
        .collect();
    Ok(ContactDetail { contact, notes, conversations, timeline })
}

/// `text` with LIKE's wildcards taken literally (escaped with `\`).
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The filter as conditions on `contacts` (typed; no filter text reaches SQL as SQL).
pub(crate) fn conditions(
    scope: Scope,
    filter: &ContactFilter,
    defined: &[contact_field::Model],
    now: i64,
) -> ServiceResult<Condition> {
    use contact::Column as C;
    let mut all = Condition::all();
    let query = filter.query.trim();
    if query.chars().count() > MAX_QUERY {
        return Err(ServiceError::Invalid(phrase!("err-contacts-search-long", max = MAX_QUERY)));
    }
    if query.chars().any(char::is_control) {
        return Err(ServiceError::Invalid(phrase!("err-contacts-search-control")));
    }
    if query.find('@').is_some_and(|at| at > 0) {
        // An address (or its start): a prefix of the indexed lower-case email.
        let lower = query.to_lowercase();
        all = all.add(C::EmailKey.gte(lower.as_str())).add(C::EmailKey.lt(format!("{lower}\u{10ffff}")));
    } else if !query.is_empty() {
        let lower = query.to_lowercase();
        let contains = format!("%{}%", like_escaped(&lower));
        let mut any = Condition::any()
            .add(Expr::expr(Func::lower(Expr::col(C::Name))).like(LikeExpr::new(contains.clone()).escape('\\')))
            .add(C::EmailKey.like(LikeExpr::new(contains).escape('\\')));
        let digits: String = query.chars().filter(char::is_ascii_digit).collect();
        let phone_like = query.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if phone_like && digits.len() >= 3 {
            any = any.add(C::Phone.like(format!("%{digits}%")));
        }
        if let Ok(id) = query.trim_start_matches('#').parse::<i64>() {
            any = any.add(C::Id.eq(id));
        }
        // The user id the customer's site gave (`setUser`), exactly.
        any = any.add(C::ExternalId.eq(query));
        all = all.add(any);
    }
    if !filter.kinds.is_empty() {
        all = all.add(C::Kind.is_in(filter.kinds.iter().map(|k| k.as_str())));
    }
    if let Some(label) = filter.label {
        let tagged = Query::select()
            .column(contact_label::Column::ContactId)
            .from(contact_label::Entity)
            .and_where(contact_label::Column::WorkspaceId.eq(scope.workspace_id().0))
            .and_where(contact_label::Column::LabelId.eq(label.0))
            .to_owned();
        all = all.add(C::Id.in_subquery(tagged));
    }
    if let Some(days) = filter.seen_within_days {
        all = all.add(C::LastSeenAtMs.gte(now - i64::from(Ord::min(days, 36_500)) * 86_400_000));
    }
    if let Some(days) = filter.created_within_days {
        all = all.add(C::CreatedAtMs.gte(now - i64::from(Ord::min(days, 36_500)) * 86_400_000));
    }
    if filter.open_conversation {
        let open = Query::select()
            .column(conversation::Column::ContactId)
            .from(conversation::Entity)
            .and_where(conversation::Column::WorkspaceId.eq(scope.workspace_id().0))
            .and_where(conversation::Column::Status.ne(ConversationStatus::Closed.as_str()))
            .to_owned();
        all = all.add(C::Id.in_subquery(open));
    }
    if filter.fields.len() > MAX_FIELD_CONDITIONS {
        return Err(ServiceError::Invalid(phrase!("err-contacts-filter-fields-max", max = MAX_FIELD_CONDITIONS)));
    }
    for condition in &filter.fields {
        all = all.add(field_condition(scope, condition, defined)?);
    }
    Ok(all)
}

/// Most conditions on custom fields in one filter.
const MAX_FIELD_CONDITIONS: usize = 20;

/// One condition on a custom field, as a condition on `contacts.id` (a subquery on the
/// values; every value from the filter is bound, never SQL text).
fn field_condition(
    scope: Scope,
    condition: &FieldCondition,
    defined: &[contact_field::Model],
) -> ServiceResult<Condition> {
    use contact_field_value::Column as V;
    let field = defined
        .iter()
        .find(|f| f.key == condition.key)
        .ok_or_else(|| ServiceError::Invalid(phrase!("err-contacts-no-field", key = &condition.key)))?;
    let kind: FieldKind = field.kind.parse().unwrap_or(FieldKind::Text);
    if condition.value.chars().count() > MAX_QUERY || condition.value.chars().any(char::is_control) {
        return Err(ServiceError::Invalid(phrase!(
            "err-contacts-filter-value-long",
            label = &field.label,
            max = MAX_QUERY
        )));
    }
    let options: Vec<String> = field.options.lines().map(str::to_owned).collect();
    let with = |extra: Option<SimpleExpr>| {
        let mut q = Query::select();
        q.column(V::ContactId)
            .from(contact_field_value::Entity)
            .and_where(V::WorkspaceId.eq(scope.workspace_id().0))
            .and_where(V::FieldId.eq(field.id));
        if let Some(extra) = extra {
            q.and_where(extra);
        }
        q.to_owned()
    };
    let canonical = || -> ServiceResult<(String, Option<f64>)> {
        fields::check_filter_value(kind, &options, &condition.value, &field.label)
            .map_err(ServiceError::Invalid)?
            .ok_or_else(|| ServiceError::Invalid(phrase!("err-contacts-filter-value-missing", label = &field.label)))
    };
    let equal = |value: String| -> SimpleExpr {
        if kind == FieldKind::Text {
            Expr::expr(Func::lower(Expr::col(V::Value))).eq(value.to_lowercase())
        } else {
            V::Value.eq(value)
        }
    };
    let id = contact::Column::Id;
    Ok(Condition::all().add(match condition.op {
        FieldOp::Set => id.in_subquery(with(None)),
        FieldOp::NotSet => id.not_in_subquery(with(None)),
        FieldOp::Is => id.in_subquery(with(Some(equal(canonical()?.0)))),
        FieldOp::IsNot => id.not_in_subquery(with(Some(equal(canonical()?.0)))),
        FieldOp::Contains => {
            if matches!(kind, FieldKind::Number | FieldKind::Boolean | FieldKind::Date) {
                return Err(ServiceError::Invalid(phrase!("err-contacts-filter-whole", label = &field.label)));
            }
            let text = condition.value.trim().to_lowercase();
            let pattern = format!("%{}%", like_escaped(&text));
            let like = Expr::expr(Func::lower(Expr::col(V::Value))).like(LikeExpr::new(pattern).escape('\\'));
            id.in_subquery(with(Some(like)))
        }
        op @ (FieldOp::Gt | FieldOp::Lt) => {
            let (text, number) = canonical()?;
            let compare: SimpleExpr = match (kind, op) {
                (FieldKind::Number, FieldOp::Gt) => V::Number.gt(number.unwrap_or_default()),
                (FieldKind::Number, _) => V::Number.lt(number.unwrap_or_default()),
                (FieldKind::Date, FieldOp::Gt) => V::Value.gt(text),
                (FieldKind::Date, _) => V::Value.lt(text),
                _ => {
                    return Err(ServiceError::Invalid(phrase!(
                        "err-contacts-filter-compare",
                        label = &field.label,
                        kind = kind.as_str()
                    )));
                }
            };
            id.in_subquery(with(Some(compare)))
        }
    }))
}

/// One page of the workspace's contacts matching `filter`, newest seen first, after
/// `after` (the previous page's `next`), with the total that match. Needs `read
/// contacts`.
pub async fn list_contacts(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &ContactFilter,
    after: Option<ContactCursor>,
) -> ServiceResult<ContactPage> {
    use contact::Column as C;
    let scope = actor.require(Capability::ReadContacts)?;
    let defined = if filter.fields.is_empty() { Vec::new() } else { fields::rows(db, scope).await? };
    let matching = scope.find::<contact::Entity>().filter(conditions(scope, filter, &defined, now_ms())?);
    let total = matching.clone().count(db).await?;
    let mut page = matching.order_by_desc(C::LastSeenAtMs).order_by_desc(C::Id);
    if let Some(cursor) = after {
        page = page.filter(
            Condition::any()
                .add(C::LastSeenAtMs.lt(cursor.last_seen_at_ms))
                .add(Condition::all().add(C::LastSeenAtMs.eq(cursor.last_seen_at_ms)).add(C::Id.lt(cursor.id.0))),
        );
    }
    let mut rows = page.limit(CONTACT_PAGE + 1).all(db).await?;
    let more = rows.len() as u64 > CONTACT_PAGE;
    rows.truncate(CONTACT_PAGE as usize);
    let next = rows
        .last()
        .filter(|_| more)
        .map(|row| ContactCursor { last_seen_at_ms: row.last_seen_at_ms, id: ContactId(row.id) });
    Ok(ContactPage { contacts: to_contacts(db, scope, rows).await?, total, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_cannot_use_like_wildcards() {
        assert_eq!(like_escaped(r"50%_off\"), r"50\%\_off\\");
    }
}
