//! Custom contact fields: typed definitions per workspace (owners and admins, `manage
//! contacts`), and each contact's values, checked against the field's type. A field
//! that has values keeps its type; deleting one removes its values (the list says how
//! many each has).

use std::collections::{BTreeMap, HashMap};

use parley_types::{Capability, ContactField, ContactFieldInput, FieldError, FieldKind, OperatorEvent, Phrase, phrase};
use sea_orm::sea_query::{Expr, Func, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{contact_field, contact_field_value};
use crate::error::{ServiceError, ServiceResult, conflict_on_unique};
use crate::write::Write;

/// Most fields a workspace defines.
pub const MAX_FIELDS: u64 = 100;
/// Longest text value, in characters.
pub const MAX_TEXT_VALUE: usize = 1_000;

fn to_field(row: contact_field::Model, values: u64) -> ContactField {
    ContactField {
        id: row.id,
        kind: row.kind.parse().unwrap_or(FieldKind::Text),
        options: options_of(&row.options),
        key: row.key,
        label: row.label,
        widget_writable: row.widget_writable,
        in_prechat: row.in_prechat,
        required: row.required,
        values,
    }
}

pub(crate) fn options_of(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// The workspace's field rows, in order.
pub(crate) async fn rows(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<Vec<contact_field::Model>> {
    Ok(scope
        .find::<contact_field::Entity>()
        .order_by_asc(contact_field::Column::Position)
        .order_by_asc(contact_field::Column::Id)
        .all(db)
        .await?)
}

/// The workspace's custom fields with how many values each has. Needs `read contacts`.
pub async fn list_fields(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Vec<ContactField>> {
    let scope = actor.require(Capability::ReadContacts)?;
    list_in(db, scope).await
}

async fn list_in(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<Vec<ContactField>> {
    let counts: HashMap<i64, i64> = scope
        .find::<contact_field_value::Entity>()
        .select_only()
        .column(contact_field_value::Column::FieldId)
        .column_as(Expr::expr(Func::count(Expr::col(contact_field_value::Column::ContactId))), "n")
        .group_by(contact_field_value::Column::FieldId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows(db, scope)
        .await?
        .into_iter()
        .map(|row| {
            let n = counts.get(&row.id).copied().unwrap_or(0).max(0) as u64;
            to_field(row, n)
        })
        .collect())
}

async fn announce(w: &mut Write, scope: Scope) -> ServiceResult<()> {
    let fields = list_in(w.txn(), scope).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::ContactFieldsChanged { fields });
    Ok(())
}

/// Keys the widget's forms use for their own fields (contact details, the offline
/// message, the department picker).
const RESERVED_KEYS: &[&str] = &["name", "email", "phone", "message", super::lead_form::DEPARTMENT_FIELD];

/// A definition's checked parts: key, label, kind and options (one per line).
fn check_definition(input: &ContactFieldInput) -> ServiceResult<(String, String, FieldKind, String)> {
    let mut problems = Vec::new();
    let key = input.key.trim().to_owned();
    let key_ok = (1..=40).contains(&key.len())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && key.starts_with(|c: char| c.is_ascii_lowercase());
    if !key_ok {
        problems.push(FieldError::new("key", phrase!("err-contacts-field-key")));
    }
    // The pre-chat form's own fields already use these keys.
    if key_ok && RESERVED_KEYS.contains(&key.as_str()) {
        problems.push(FieldError::new("key", phrase!("err-contacts-field-key-reserved", key = &key)));
    }
    let label = input.label.trim().to_owned();
    if label.is_empty() || label.chars().count() > 60 {
        problems.push(FieldError::new("label", phrase!("err-contacts-field-label")));
    }
    let options = options_of(&input.options);
    let kind = input.kind.unwrap_or(FieldKind::Text);
    if kind == FieldKind::Select {
        let mut seen = std::collections::HashSet::new();
        if options.is_empty() || options.len() > 100 || options.iter().any(|o| o.chars().count() > 100) {
            problems.push(FieldError::new("options", phrase!("err-contacts-field-options")));
        } else if !options.iter().all(|o| seen.insert(o.to_lowercase())) {
            problems.push(FieldError::new("options", phrase!("err-contacts-field-options-repeated")));
        }
    }
    if !problems.is_empty() {
        return Err(ServiceError::InvalidFields(problems));
    }
    let options = if kind == FieldKind::Select { options.join("\n") } else { String::new() };
    Ok((key, label, kind, options))
}

fn key_taken(key: &str) -> ServiceError {
    ServiceError::Conflict(phrase!("err-contacts-field-key-taken", key = key))
}

/// Defines a custom field. Needs `manage contacts`.
pub async fn create_field(svc: &Services, actor: &Actor, input: ContactFieldInput) -> ServiceResult<ContactField> {
    let scope = actor.require(Capability::ManageContacts)?;
    let (key, label, kind, options) = check_definition(&input)?;
    let mut w = svc.begin().await?;
    let count = scope.find::<contact_field::Entity>().count(w.txn()).await?;
    if count >= MAX_FIELDS {
        return Err(ServiceError::Invalid(phrase!("err-contacts-fields-max", max = MAX_FIELDS)));
    }
    let row = contact_field::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        key: Set(key.clone()),
        label: Set(label),
        kind: Set(kind.as_str().to_owned()),
        options: Set(options),
        widget_writable: Set(input.widget_writable),
        in_prechat: Set(input.in_prechat),
        required: Set(input.required && input.in_prechat),
        position: Set(i32::try_from(count).unwrap_or(i32::MAX)),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    }
    .insert(w.txn())
    .await
    .map_err(|err| conflict_on_unique(err, || key_taken(&key)))?;
    let field = to_field(row, 0);
    w.audit_change(actor, format!("contact field {}", field.key), (), &field).await?;
    announce(&mut w, scope).await?;
    w.commit().await?;
    Ok(field)
}

async fn field_in(db: &impl ConnectionTrait, scope: Scope, id: i64) -> ServiceResult<contact_field::Model> {
    scope
        .find::<contact_field::Entity>()
        .filter(contact_field::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)
}

async fn value_count(db: &impl ConnectionTrait, scope: Scope, id: i64) -> ServiceResult<u64> {
    Ok(scope
        .find::<contact_field_value::Entity>()
        .filter(contact_field_value::Column::FieldId.eq(id))
        .count(db)
        .await?)
}

/// Changes a field's definition. The type of a field that has values cannot change, and
/// a select option in use cannot go. Needs `manage contacts`.
pub async fn update_field(
    svc: &Services,
    actor: &Actor,
    id: i64,
    input: ContactFieldInput,
) -> ServiceResult<ContactField> {
    let scope = actor.require(Capability::ManageContacts)?;
    let (key, label, kind, options) = check_definition(&input)?;
    let mut w = svc.begin().await?;
    let row = field_in(w.txn(), scope, id).await?;
    let values = value_count(w.txn(), scope, id).await?;
    let old_kind: FieldKind = row.kind.parse().unwrap_or(FieldKind::Text);
    if old_kind != kind && values > 0 {
        return Err(ServiceError::Conflict(phrase!(
            "err-contacts-field-kind-kept",
            label = &row.label,
            count = values,
            kind = old_kind.as_str()
        )));
    }
    if kind == FieldKind::Select {
        let kept = options_of(&options);
        let used: Vec<String> = scope
            .find::<contact_field_value::Entity>()
            .select_only()
            .column(contact_field_value::Column::Value)
            .filter(contact_field_value::Column::FieldId.eq(id))
            .distinct()
            .into_tuple::<String>()
            .all(w.txn())
            .await?;
        if let Some(gone) = used.iter().find(|v| !kept.contains(v)) {
            return Err(ServiceError::Conflict(phrase!("err-contacts-field-option-used", option = gone)));
        }
    }
    let before = to_field(row.clone(), values);
    let mut active: contact_field::ActiveModel = row.into();
    active.key = Set(key.clone());
    active.label = Set(label);
    active.kind = Set(kind.as_str().to_owned());
    active.options = Set(options);
    active.widget_writable = Set(input.widget_writable);
    active.in_prechat = Set(input.in_prechat);
    active.required = Set(input.required && input.in_prechat);
    let row = active.update(w.txn()).await.map_err(|err| conflict_on_unique(err, || key_taken(&key)))?;
    let field = to_field(row, values);
    w.audit_change(actor, format!("contact field {}", field.key), before, &field).await?;
    announce(&mut w, scope).await?;
    w.commit().await?;
    Ok(field)
}

/// Deletes a field and its values; answers how many values went with it. Needs `manage
/// contacts`.
pub async fn delete_field(svc: &Services, actor: &Actor, id: i64) -> ServiceResult<u64> {
    let scope = actor.require(Capability::ManageContacts)?;
    let mut w = svc.begin().await?;
    let row = field_in(w.txn(), scope, id).await?;
    let values = value_count(w.txn(), scope, id).await?;
    let before = to_field(row, values);
    w.audit_change(
        actor,
        format!("contact field {}", before.key),
        &before,
        serde_json::json!({ "values_removed": values }),
    )
    .await?;
    let removed = scope
        .delete_many::<contact_field_value::Entity>()
        .filter(contact_field_value::Column::FieldId.eq(id))
        .exec(w.txn())
        .await?
        .rows_affected;
    scope.delete_many::<contact_field::Entity>().filter(contact_field::Column::Id.eq(id)).exec(w.txn()).await?;
    announce(&mut w, scope).await?;
    w.commit().await?;
    Ok(removed)
}

/// Why a value does not fit its field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ValueProblem {
    /// A text too long or with control characters.
    Text,
    Number,
    Boolean,
    Date,
    /// Not one of the options (listed, comma-separated).
    Select(String),
    Url,
}

impl ValueProblem {
    /// The problem said on its own (beside the field).
    fn phrase(&self) -> Phrase {
        match self {
            ValueProblem::Text => phrase!("err-contacts-value-text", max = MAX_TEXT_VALUE),
            ValueProblem::Number => phrase!("err-contacts-value-number"),
            ValueProblem::Boolean => phrase!("err-contacts-value-boolean"),
            ValueProblem::Date => phrase!("err-contacts-value-date"),
            ValueProblem::Select(options) => phrase!("err-contacts-value-select", options = options),
            ValueProblem::Url => phrase!("err-contacts-value-url"),
        }
    }

    /// The problem said after the field's `label` (a filter's value).
    fn labelled(&self, label: &str) -> Phrase {
        match self {
            ValueProblem::Text => phrase!("err-contacts-filter-text", label = label, max = MAX_TEXT_VALUE),
            ValueProblem::Number => phrase!("err-contacts-filter-number", label = label),
            ValueProblem::Boolean => phrase!("err-contacts-filter-boolean", label = label),
            ValueProblem::Date => phrase!("err-contacts-filter-date", label = label),
            ValueProblem::Select(options) => phrase!("err-contacts-filter-select", label = label, options = options),
            ValueProblem::Url => phrase!("err-contacts-filter-url", label = label),
        }
    }
}

/// Checks `text` against a field's type: the canonical text and, for numbers, the
/// number; `Ok(None)` for an empty value (which clears it).
pub fn check_value(kind: FieldKind, options: &[String], text: &str) -> Result<Option<Checked>, Phrase> {
    value_of(kind, options, text).map_err(|problem| problem.phrase())
}

/// [`check_value`] for a filter's value on the field labelled `label`: the problem says
/// the label first.
pub(super) fn check_filter_value(
    kind: FieldKind,
    options: &[String],
    text: &str,
    label: &str,
) -> Result<Option<Checked>, Phrase> {
    value_of(kind, options, text).map_err(|problem| problem.labelled(label))
}

fn value_of(kind: FieldKind, options: &[String], text: &str) -> Result<Option<Checked>, ValueProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let value = match kind {
        FieldKind::Text => {
            if text.chars().count() > MAX_TEXT_VALUE || text.chars().any(|c| c.is_control() && c != '\n') {
                return Err(ValueProblem::Text);
            }
            (text.to_owned(), None)
        }
        FieldKind::Number => {
            let n: f64 = text.parse().ok().filter(|n: &f64| n.is_finite()).ok_or(ValueProblem::Number)?;
            let canonical = if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() };
            (canonical, Some(n))
        }
        FieldKind::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "on" => ("true".to_owned(), None),
            "false" | "no" | "0" | "off" => ("false".to_owned(), None),
            _ => return Err(ValueProblem::Boolean),
        },
        FieldKind::Date => (date(text).ok_or(ValueProblem::Date)?, None),
        FieldKind::Select => {
            let option =
                options.iter().find(|o| o.eq_ignore_ascii_case(text) || o.to_lowercase() == text.to_lowercase());
            (option.cloned().ok_or_else(|| ValueProblem::Select(options.join(", ")))?, None)
        }
        FieldKind::Url => {
            let ok = (text.starts_with("https://") || text.starts_with("http://"))
                && text.len() <= 2_000
                && !text.chars().any(char::is_whitespace)
                && text.split("://").nth(1).is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
            if !ok {
                return Err(ValueProblem::Url);
            }
            (text.to_owned(), None)
        }
    };
    Ok(Some(value))
}

/// `YYYY-MM-DD` if it names a real calendar day.
fn date(text: &str) -> Option<String> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()?;
    Some(text.to_owned())
}

/// A checked value: its canonical text and, for numbers, the number.
pub type Checked = (String, Option<f64>);
/// A value to write on a field (by id); `None` clears it.
pub type ValueWrite = (i64, Option<Checked>);

/// Who is writing values: only fields marked writable from the widget accept a
/// visitor's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    Team,
    Widget,
}

/// Checks `values` (key → text) against the workspace's fields: the writes to make
/// (field id → value, `None` to clear) and each refused key with why.
pub(crate) async fn check_values(
    db: &impl ConnectionTrait,
    scope: Scope,
    values: &BTreeMap<String, String>,
    writer: Writer,
) -> ServiceResult<(Vec<ValueWrite>, Vec<FieldError>)> {
    if values.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let fields: HashMap<String, contact_field::Model> =
        rows(db, scope).await?.into_iter().map(|f| (f.key.clone(), f)).collect();
    let (mut writes, mut refused) = (Vec::new(), Vec::new());
    for (key, text) in values {
        let Some(field) = fields.get(key) else {
            refused.push(FieldError::new(key, phrase!("err-contacts-no-field", key = key)));
            continue;
        };
        if writer == Writer::Widget && !field.widget_writable {
            refused.push(FieldError::new(key, phrase!("err-contacts-widget-readonly", key = key)));
            continue;
        }
        let kind = field.kind.parse().unwrap_or(FieldKind::Text);
        match check_value(kind, &options_of(&field.options), text) {
            Ok(value) => writes.push((field.id, value)),
            Err(why) => refused.push(FieldError::new(key, why)),
        }
    }
    Ok((writes, refused))
}

/// Writes checked values on a contact; whether any changed.
pub(crate) async fn write_values(
    w: &Write,
    scope: Scope,
    contact_id: i64,
    writes: Vec<ValueWrite>,
) -> ServiceResult<bool> {
    let mut changed = false;
    let current: HashMap<i64, String> = scope
        .find::<contact_field_value::Entity>()
        .filter(contact_field_value::Column::ContactId.eq(contact_id))
        .all(w.txn())
        .await?
        .into_iter()
        .map(|v| (v.field_id, v.value))
        .collect();
    for (field_id, value) in writes {
        match value {
            None if current.contains_key(&field_id) => {
                scope
                    .delete_many::<contact_field_value::Entity>()
                    .filter(contact_field_value::Column::ContactId.eq(contact_id))
                    .filter(contact_field_value::Column::FieldId.eq(field_id))
                    .exec(w.txn())
                    .await?;
                changed = true;
            }
            Some((text, number)) if current.get(&field_id) != Some(&text) => {
                let row = contact_field_value::ActiveModel {
                    contact_id: Set(contact_id),
                    field_id: Set(field_id),
                    workspace_id: Set(scope.workspace_id().0),
                    value: Set(text),
                    number: Set(number),
                };
                // unscoped: the row carries its workspace id.
                contact_field_value::Entity::insert(row)
                    .on_conflict(
                        OnConflict::columns([
                            contact_field_value::Column::ContactId,
                            contact_field_value::Column::FieldId,
                        ])
                        .update_columns([contact_field_value::Column::Value, contact_field_value::Column::Number])
                        .to_owned(),
                    )
                    .exec_without_returning(w.txn())
                    .await?;
                changed = true;
            }
            _ => {}
        }
    }
    Ok(changed)
}

/// The custom values of `contacts`, by contact, keyed by field key.
pub(crate) async fn values_of(
    db: &impl ConnectionTrait,
    scope: Scope,
    contacts: &[i64],
) -> ServiceResult<HashMap<i64, BTreeMap<String, String>>> {
    let values = scope
        .find::<contact_field_value::Entity>()
        .filter(contact_field_value::Column::ContactId.is_in(contacts.iter().copied()))
        .all(db)
        .await?;
    if values.is_empty() {
        return Ok(HashMap::new());
    }
    let keys: HashMap<i64, String> = rows(db, scope).await?.into_iter().map(|f| (f.id, f.key)).collect();
    let mut out: HashMap<i64, BTreeMap<String, String>> = HashMap::new();
    for v in values {
        if let Some(key) = keys.get(&v.field_id) {
            out.entry(v.contact_id).or_default().insert(key.clone(), v.value);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_against_the_type_and_stored_canonically() {
        let none: &[String] = &[];
        let ok = |kind, text| check_value(kind, none, text).unwrap().unwrap().0;
        assert_eq!(ok(FieldKind::Number, " 42.0 "), "42");
        assert_eq!(ok(FieldKind::Number, "3.5"), "3.5");
        assert_eq!(check_value(FieldKind::Number, none, "-7").unwrap().unwrap().1, Some(-7.0));
        assert_eq!(ok(FieldKind::Boolean, "Yes"), "true");
        assert_eq!(ok(FieldKind::Date, "2024-02-29"), "2024-02-29");
        assert_eq!(ok(FieldKind::Url, "https://example.com/a?b=1"), "https://example.com/a?b=1");
        for (kind, bad) in [
            (FieldKind::Number, "forty"),
            (FieldKind::Number, "NaN"),
            (FieldKind::Number, "inf"),
            (FieldKind::Boolean, "maybe"),
            (FieldKind::Date, "2023-02-29"),
            (FieldKind::Date, "05/12/2026"),
            (FieldKind::Url, "javascript:alert(1)"),
            (FieldKind::Url, "https://"),
            (FieldKind::Url, "https://exa mple.com"),
        ] {
            assert!(check_value(kind, none, bad).is_err(), "{kind} {bad}");
        }
        let plans = ["Free".to_owned(), "Pro".to_owned()];
        assert_eq!(check_value(FieldKind::Select, &plans, "pro").unwrap().unwrap().0, "Pro");
        assert!(check_value(FieldKind::Select, &plans, "Gold").is_err());
        assert_eq!(check_value(FieldKind::Text, none, "  ").unwrap(), None, "empty clears");
    }

    #[test]
    fn definitions_need_a_key_a_label_and_options_for_selects() {
        let input = |key: &str, kind, options: &str| ContactFieldInput {
            key: key.into(),
            label: "Plan".into(),
            kind: Some(kind),
            options: options.into(),
            ..Default::default()
        };
        assert!(check_definition(&input("plan_name", FieldKind::Text, "")).is_ok());
        for bad in ["Plan", "1plan", "plan-name", "", &"p".repeat(41), "email", "department"] {
            assert!(check_definition(&input(bad, FieldKind::Text, "")).is_err(), "{bad}");
        }
        assert!(check_definition(&input("plan", FieldKind::Select, " \n ")).is_err());
        assert!(check_definition(&input("plan", FieldKind::Select, "Pro\npro")).is_err());
        assert_eq!(check_definition(&input("plan", FieldKind::Select, " Free \nPro\n")).unwrap().3, "Free\nPro");
    }
}
