//! Lead forms. The pre-chat form asks a new visitor for basic fields (name, email,
//! phone: each off, optional or required), the custom fields marked "ask in pre-chat
//! form" and, when set, a consent checkbox with a link, before the first message. The
//! email capture asks in the chat for an email when no one has answered within a wait
//! (2 minutes unless set otherwise). Owners and admins set both up (`manage widget`);
//! the widget learns in its session what this visitor should see; every submission is
//! checked here (required fields, types, consent), all problems listed at once and
//! nothing written; a valid one that gives an email or phone makes a guest a lead. The
//! server also refuses a first message before the pre-chat form, when one is asked.

use std::collections::{BTreeMap, BTreeSet};

use parley_types::{
    Ask, Capability, Consent, ContactKind, EMAIL_CAPTURE_SECS, FieldError, FieldKind, LeadFormKind, LeadFormSettings,
    LeadSubmission, MAX_CONSENT_TEXT, MAX_FORM_INTRO, OperatorEvent, Phrase, PrechatField, PrechatForm, phrase,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};

use super::commands::{announce, kind_after};
use super::fields::{self, check_value, options_of};
use super::identity::{duplicate_of, on_timeline};
use super::{check, row_in};
use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::entities::{contact, contact_field, conversation, workspace};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;

/// A workspace's lead form settings (the defaults until an admin saves them).
pub fn settings_of(ws: &workspace::Model) -> LeadFormSettings {
    if ws.lead_form.is_empty() {
        return LeadFormSettings::default();
    }
    serde_json::from_str(&ws.lead_form).unwrap_or_else(|err| {
        tracing::warn!(workspace = ws.id, %err, "unreadable lead form settings; using the defaults");
        LeadFormSettings::default()
    })
}

/// The workspace's lead forms. Needs `manage widget`.
pub async fn lead_form_settings(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<LeadFormSettings> {
    let scope = actor.require(Capability::ManageWidget)?;
    Ok(settings_of(&crate::workspaces::get(db, scope).await?))
}

/// Saves the workspace's lead forms; every wrong setting is listed at once and nothing
/// is written. Needs `manage widget`.
pub async fn save_lead_form_settings(
    svc: &Services,
    actor: &Actor,
    settings: LeadFormSettings,
) -> ServiceResult<LeadFormSettings> {
    let scope = actor.require(Capability::ManageWidget)?;
    let mut w = svc.begin().await?;
    let asks_custom = fields::rows(w.txn(), scope).await?.iter().any(|f| f.in_prechat);
    let settings = checked(settings, asks_custom)?;
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    w.audit_change(actor, "lead forms", settings_of(&ws), &settings).await?;
    let mut active: workspace::ActiveModel = ws.into();
    active.lead_form = Set(serde_json::to_string(&settings).map_err(|e| ServiceError::Internal(e.to_string()))?);
    active.update(w.txn()).await?;
    w.commit().await?;
    Ok(settings)
}

/// `settings` trimmed, or every problem with it.
fn checked(mut s: LeadFormSettings, asks_custom: bool) -> ServiceResult<LeadFormSettings> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: Phrase| problems.push(FieldError::new(field, message));
    s.intro = s.intro.trim().to_owned();
    s.consent_text = s.consent_text.trim().to_owned();
    s.consent_url = s.consent_url.trim().to_owned();
    if s.intro.chars().count() > MAX_FORM_INTRO || s.intro.chars().any(char::is_control) {
        problem("intro", phrase!("err-leads-intro-length", max = MAX_FORM_INTRO));
    }
    if s.consent_text.chars().count() > MAX_CONSENT_TEXT || s.consent_text.chars().any(char::is_control) {
        problem("consent_text", phrase!("err-leads-consent-length", max = MAX_CONSENT_TEXT));
    }
    if !s.consent_url.is_empty() {
        if let Err(message) = check_value(FieldKind::Url, &[], &s.consent_url) {
            problem("consent_url", message);
        } else if s.consent_text.is_empty() {
            problem("consent_text", phrase!("err-leads-consent-sentence"));
        }
    }
    if !EMAIL_CAPTURE_SECS.contains(&s.email_capture_after_secs) {
        problem(
            "email_capture_after_secs",
            phrase!("err-leads-capture-wait", min = *EMAIL_CAPTURE_SECS.start(), max = *EMAIL_CAPTURE_SECS.end()),
        );
    }
    let asks_basic = [s.name, s.email, s.phone].iter().any(|a| *a != Ask::Off);
    if s.prechat && !asks_basic && !asks_custom && s.consent_text.is_empty() {
        problem("prechat", phrase!("err-leads-asks-nothing"));
    }
    if problems.is_empty() { Ok(s) } else { Err(ServiceError::InvalidFields(problems)) }
}

/// What the widget should show the visitor `row` of `ws`: the pre-chat form (when the
/// workspace asks one and the visitor is a guest who has neither filled it in nor
/// written yet) and how long to wait before asking for an email (when the workspace
/// asks and the contact has none).
pub async fn visitor_forms(
    db: &impl ConnectionTrait,
    ws: &workspace::Model,
    row: &contact::Model,
) -> ServiceResult<(Option<PrechatForm>, Option<u32>)> {
    let settings = settings_of(ws);
    let lang = visitor_language(ws, row);
    let say = |phrase: Phrase| crate::phrases::in_language(&lang, &phrase);
    let scope = Scope::unchecked(parley_types::WorkspaceId(ws.id));
    let ask_email = (settings.email_capture && row.email.is_none()).then_some(settings.email_capture_after_secs);
    // The hours of the department the visitor picked, when it has its own.
    let own = match row.picked_department_id {
        Some(id) => scope
            .find::<crate::entities::department::Entity>()
            .filter(crate::entities::department::Column::Id.eq(id))
            .one(db)
            .await?
            .and_then(|d| crate::hours::parse_schedule(&d.hours)),
        None => None,
    };
    let schedule = match own {
        Some(hours) => crate::hours::check(&hours).ok().map(|schedule| (hours, schedule)),
        None => crate::hours::schedule_of(ws),
    };
    if let Some((hours, schedule)) = schedule
        && !schedule.is_open(now_ms())
        && !has_open_conversation(db, scope, row).await?
    {
        return Ok((Some(offline_form(&hours, &schedule, &say)), ask_email));
    }
    let picker = picker(db, scope).await?;
    let prechat = if (settings.prechat || !picker.is_empty()) && prechat_due(db, scope, row).await? {
        let mut form = if settings.prechat {
            prechat_form(db, scope, &settings, &say).await?
        } else {
            PrechatForm { form: LeadFormKind::Prechat, intro: String::new(), fields: Vec::new(), consent: None }
        };
        if !picker.is_empty() {
            form.fields.insert(
                0,
                PrechatField {
                    key: DEPARTMENT_FIELD.into(),
                    label: say(phrase!("form-picker")),
                    input: "select".into(),
                    options: picker.into_iter().map(|(_, choice)| choice).collect(),
                    required: true,
                },
            );
        }
        Some(form)
    } else {
        None
    };
    Ok((prechat, ask_email))
}

/// The pre-chat form's department picker field.
pub const DEPARTMENT_FIELD: &str = "department";

/// The departments the widget's picker offers, by name: each id with its choice as the
/// visitor reads it ("Sales: quotes and pricing").
async fn picker(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<Vec<(i64, String)>> {
    let rows = scope
        .find::<crate::entities::department::Entity>()
        .filter(crate::entities::department::Column::InPicker.eq(true))
        .order_by_asc(crate::entities::department::Column::NameKey)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|d| {
            let choice = if d.description.is_empty() { d.name } else { format!("{}: {}", d.name, d.description) };
            (d.id, choice)
        })
        .collect())
}

async fn has_open_conversation(db: &impl ConnectionTrait, scope: Scope, row: &contact::Model) -> ServiceResult<bool> {
    let open = scope
        .find::<conversation::Entity>()
        .filter(conversation::Column::ContactId.eq(row.id))
        .filter(conversation::Column::Status.eq(parley_types::ConversationStatus::Open.as_str()))
        .count(db)
        .await?;
    Ok(open > 0)
}

/// The form outside business hours: who to answer, and the message that opens the
/// conversation. Its introduction says when the team is back (in the schedule's zone)
/// and how soon it usually replies.
fn offline_form(
    hours: &parley_types::BusinessHours,
    schedule: &crate::hours::Schedule,
    say: &(dyn Fn(Phrase) -> String + Sync),
) -> PrechatForm {
    // Whole sentences, each one message, one after another.
    let mut sentences = vec![say(phrase!("form-offline-away"))];
    if let Some(next) = schedule.next_open(now_ms())
        && let Ok(tz) = hours.timezone.parse::<chrono_tz::Tz>()
        && let Some(at) = chrono::TimeZone::timestamp_millis_opt(&tz, next).single()
    {
        let weekday = at.format("%a").to_string().to_lowercase();
        let time = at.format("%H:%M").to_string();
        sentences.push(say(phrase!("form-offline-back", weekday = weekday, time = time, zone = &hours.timezone)));
    }
    if !hours.reply_time.is_empty() {
        sentences.push(say(phrase!("form-offline-reply", reply_time = &hours.reply_time)));
    }
    sentences.push(say(phrase!("form-offline-leave")));
    let intro = sentences.join(" ");
    let field = |key: &str, label: &str, input: &str, required: bool| PrechatField {
        key: key.into(),
        label: label.into(),
        input: input.into(),
        options: Vec::new(),
        required,
    };
    PrechatForm {
        form: LeadFormKind::Offline,
        intro,
        fields: vec![
            field("name", &say(phrase!("form-field-name")), "text", false),
            field("email", &say(phrase!("form-field-email")), "email", true),
            field(OFFLINE_MESSAGE, &say(phrase!("form-field-message")), "textarea", true),
        ],
        consent: None,
    }
}

/// The offline form's message field.
const OFFLINE_MESSAGE: &str = "message";
/// Longest offline message, in characters.
const MAX_OFFLINE_MESSAGE: usize = 10_000;

/// A guest who has not filled in a lead form and has no conversation yet.
async fn prechat_due(db: &impl ConnectionTrait, scope: Scope, row: &contact::Model) -> ServiceResult<bool> {
    if row.kind != ContactKind::Guest.as_str() || row.lead_form_at_ms.is_some() {
        return Ok(false);
    }
    let conversations =
        scope.find::<conversation::Entity>().filter(conversation::Column::ContactId.eq(row.id)).count(db).await?;
    Ok(conversations == 0)
}

const BASIC: [(&str, &str); 3] = [("name", "text"), ("email", "email"), ("phone", "tel")];

/// The label of a basic field of [`BASIC`].
fn basic_label(key: &str) -> Phrase {
    match key {
        "name" => phrase!("form-field-name"),
        "email" => phrase!("form-field-email"),
        _ => phrase!("form-field-phone"),
    }
}

/// The language the visitor's widget speaks: the workspace's choice, else the one the
/// visitor's browser asked for first (kept on the contact), else English.
pub(crate) fn visitor_language(ws: &workspace::Model, row: &contact::Model) -> String {
    let chosen = crate::widget_config::config_of(ws).language;
    if chosen.is_empty() { row.language.clone().unwrap_or_default() } else { chosen }
}

fn basic_asks(s: &LeadFormSettings) -> [(&'static str, Ask); 3] {
    [("name", s.name), ("email", s.email), ("phone", s.phone)]
}

async fn prechat_form(
    db: &impl ConnectionTrait,
    scope: Scope,
    s: &LeadFormSettings,
    say: &(dyn Fn(Phrase) -> String + Sync),
) -> ServiceResult<PrechatForm> {
    let mut form_fields: Vec<PrechatField> = BASIC
        .iter()
        .zip(basic_asks(s))
        .filter(|(_, (_, ask))| *ask != Ask::Off)
        .map(|((key, input), (_, ask))| PrechatField {
            key: (*key).into(),
            label: say(basic_label(key)),
            input: (*input).into(),
            options: Vec::new(),
            required: ask == Ask::Required,
        })
        .collect();
    for field in fields::rows(db, scope).await?.into_iter().filter(|f| f.in_prechat) {
        let kind = field.kind.parse().unwrap_or(FieldKind::Text);
        form_fields.push(PrechatField {
            input: input_of(kind).into(),
            options: options_of(&field.options),
            required: field.required,
            key: field.key,
            label: field.label,
        });
    }
    let consent =
        (!s.consent_text.is_empty()).then(|| Consent { text: s.consent_text.clone(), url: s.consent_url.clone() });
    Ok(PrechatForm { form: LeadFormKind::Prechat, intro: s.intro.clone(), fields: form_fields, consent })
}

/// The widget's input for a custom field's type.
fn input_of(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "text",
        FieldKind::Number => "number",
        FieldKind::Boolean => "checkbox",
        FieldKind::Date => "date",
        FieldKind::Select => "select",
        FieldKind::Url => "url",
    }
}

/// What a submission did: the contact's type now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    pub kind: ContactKind,
}

/// A lead form from the visitor `actor`'s widget: checked against the workspace's form
/// (every problem listed at once, nothing written), then the values go on the contact,
/// a guest who gave an email or phone becomes a lead, the form (and the consent the
/// visitor gave, word for word) goes on the timeline, and operators see the change.
pub async fn submit(svc: &Services, actor: &Actor, submission: &LeadSubmission) -> ServiceResult<Submitted> {
    let scope = actor.require(Capability::ChatAsVisitor)?;
    let visitor = actor.visitor()?;
    let mut w = svc.begin().await?;
    let settings = settings_of(&crate::workspaces::get(w.txn(), scope).await?);
    let picker = if submission.form == LeadFormKind::Prechat { picker(w.txn(), scope).await? } else { Vec::new() };
    let (basic, custom, consent): (Vec<(&str, Ask)>, Vec<contact_field::Model>, Option<Consent>) = match submission.form
    {
        // Only the department picker.
        LeadFormKind::Prechat if !settings.prechat && !picker.is_empty() => (Vec::new(), Vec::new(), None),
        LeadFormKind::Prechat if settings.prechat => {
            let custom = fields::rows(w.txn(), scope).await?.into_iter().filter(|f| f.in_prechat).collect();
            let consent = (!settings.consent_text.is_empty())
                .then(|| Consent { text: settings.consent_text.clone(), url: settings.consent_url.clone() });
            (basic_asks(&settings).into_iter().filter(|(_, a)| *a != Ask::Off).collect(), custom, consent)
        }
        LeadFormKind::Prechat => return Err(ServiceError::Refused(phrase!("err-leads-no-prechat"))),
        LeadFormKind::Email if settings.email_capture => (vec![("email", Ask::Required)], Vec::new(), None),
        LeadFormKind::Offline => (vec![("name", Ask::Optional), ("email", Ask::Required)], Vec::new(), None),
        LeadFormKind::Email => return Err(ServiceError::Refused(phrase!("err-leads-no-email-capture"))),
    };
    let row = row_in(w.txn(), scope, visitor.contact_id).await?;
    let mut problems = Vec::new();
    let offline = submission.form == LeadFormKind::Offline;
    let asked: BTreeSet<&str> = basic
        .iter()
        .map(|(k, _)| *k)
        .chain(custom.iter().map(|f| f.key.as_str()))
        .chain(offline.then_some(OFFLINE_MESSAGE))
        .chain((!picker.is_empty()).then_some(DEPARTMENT_FIELD))
        .collect();
    for key in submission.values.keys().filter(|k| !asked.contains(k.as_str())) {
        problems.push(FieldError::new(key.clone(), phrase!("err-leads-not-asked", key = key)));
    }
    let value = |key: &str| submission.values.get(key).map(|v| v.trim()).unwrap_or_default();
    let required = |field: &str| FieldError::new(field, phrase!("err-leads-required"));
    let mut next = row.clone();
    for (key, ask) in basic {
        let text = value(key);
        if text.is_empty() {
            if ask == Ask::Required {
                problems.push(required(key));
            }
            continue;
        }
        let result = match key {
            "name" => check::name(text).map(|name| {
                next.name = name;
                next.name_given = true;
            }),
            "email" => check::email(text).map(|email| {
                next.email_key = email.as_deref().map(str::to_lowercase);
                next.email = email;
            }),
            _ => check::phone(text).map(|phone| next.phone = phone),
        };
        if let Err(message) = result {
            problems.push(FieldError::new(key, message));
        }
    }
    let mut picked = row.picked_department_id;
    if !picker.is_empty() {
        let choice = value(DEPARTMENT_FIELD);
        match picker.iter().find(|(_, text)| text == choice) {
            Some((id, _)) => picked = Some(*id),
            None if choice.is_empty() => problems.push(required(DEPARTMENT_FIELD)),
            None => problems.push(FieldError::new(DEPARTMENT_FIELD, phrase!("err-leads-choose-topic"))),
        }
    }
    let mut writes = Vec::new();
    for field in &custom {
        let kind = field.kind.parse().unwrap_or(FieldKind::Text);
        match check_value(kind, &options_of(&field.options), value(&field.key)) {
            Ok(None) if field.required => problems.push(required(&field.key)),
            Ok(None) => {}
            Ok(Some(checked)) => writes.push((field.id, Some(checked))),
            Err(message) => problems.push(FieldError::new(field.key.clone(), message)),
        }
    }
    let message = value(OFFLINE_MESSAGE).to_owned();
    if offline && message.is_empty() {
        problems.push(required(OFFLINE_MESSAGE));
    } else if message.chars().count() > MAX_OFFLINE_MESSAGE {
        problems.push(FieldError::new(OFFLINE_MESSAGE, phrase!("err-leads-message-length", max = MAX_OFFLINE_MESSAGE)));
    }
    if consent.is_some() && !submission.consent {
        problems.push(FieldError::new("consent", phrase!("err-leads-consent-needed")));
    }
    if !problems.is_empty() {
        return Err(ServiceError::InvalidFields(problems));
    }

    let now = now_ms();
    if next.email_key != row.email_key {
        next.possible_duplicate_of = duplicate_of(w.txn(), scope, row.id, next.email_key.as_deref()).await?;
    }
    let current: ContactKind = row.kind.parse().unwrap_or(ContactKind::Guest);
    let kind = if current == ContactKind::Guest && (next.email.is_some() || next.phone.is_some()) {
        ContactKind::Lead
    } else {
        kind_after(current, None, &next)
    };
    let mut changed: Vec<String> = [
        ("name", next.name != row.name),
        ("email", next.email != row.email),
        ("phone", next.phone != row.phone),
        ("kind", kind != current),
    ]
    .into_iter()
    .filter(|(_, differs)| *differs)
    .map(|(name, _)| name.to_owned())
    .collect();
    if fields::write_values(&w, scope, row.id, writes).await? {
        changed.push("custom".into());
    }
    let renamed = next.name != row.name;
    let mut active: contact::ActiveModel = row.into();
    active.name = Set(next.name);
    active.name_given = Set(next.name_given);
    active.email = Set(next.email);
    active.email_key = Set(next.email_key);
    active.phone = Set(next.phone);
    active.kind = Set(kind.as_str().to_owned());
    active.possible_duplicate_of = Set(next.possible_duplicate_of);
    active.lead_form_at_ms = Set(Some(now));
    active.picked_department_id = Set(picked);
    active.last_seen_at_ms = Set(now.max(next.last_seen_at_ms));
    let stored = active.update(w.txn()).await?;

    // Stored names the operator app says in its own words (`what_happened` in
    // app/src/contacts/page.rs): keep them as they are.
    let (name, data) = match (submission.form, consent) {
        (LeadFormKind::Email, _) => ("Left an email in the chat", String::new()),
        (LeadFormKind::Offline, _) => ("Left a message outside business hours", String::new()),
        (LeadFormKind::Prechat, None) => ("Filled in the pre-chat form", String::new()),
        (LeadFormKind::Prechat, Some(consent)) => {
            let mut given = BTreeMap::new();
            given.insert("consented_to", consent.text);
            if !consent.url.is_empty() {
                given.insert("consent_url", consent.url);
            }
            ("Filled in the pre-chat form", serde_json::to_string(&given).unwrap_or_default())
        }
    };
    on_timeline(&w, scope, stored.id, "form", name, data, now).await?;
    if !changed.is_empty() {
        let event = DomainEvent::ContactUpdated { contact_id: visitor.contact_id, fields: changed, by: None };
        w.record(scope.workspace_id(), event);
    }
    announce(&mut w, scope, stored, renamed, false).await?;
    w.notify(Operators(scope.workspace_id()), OperatorEvent::ContactActivity { contact_id: visitor.contact_id });
    w.commit().await?;
    if offline {
        // The message opens the conversation, as if written in the chat.
        let client_id = format!("offline-{now}");
        crate::conversations::post_visitor_message(svc, actor, &client_id, &message, &[]).await?;
    }
    Ok(Submitted { kind })
}

/// Refuses a contact's first message while the workspace asks the pre-chat form and the
/// contact (a guest) has not filled it in.
pub(crate) async fn check_first_message(
    db: &impl ConnectionTrait,
    scope: Scope,
    contact_id: parley_types::ContactId,
) -> ServiceResult<()> {
    if !form_before_chat(db, scope).await? {
        return Ok(());
    }
    form_filled(&row_in(db, scope, contact_id).await?)
}

/// [`check_first_message`] for a contact row the caller read already.
pub(crate) async fn check_first_message_of(
    db: &impl ConnectionTrait,
    scope: Scope,
    row: &contact::Model,
) -> ServiceResult<()> {
    if !form_before_chat(db, scope).await? {
        return Ok(());
    }
    form_filled(row)
}

/// Whether the workspace asks the form before a first message: the pre-chat form is on,
/// or visitors pick a department.
async fn form_before_chat(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<bool> {
    Ok(settings_of(&crate::workspaces::get(db, scope).await?).prechat || !picker(db, scope).await?.is_empty())
}

fn form_filled(row: &contact::Model) -> ServiceResult<()> {
    if row.kind == ContactKind::Guest.as_str() && row.lead_form_at_ms.is_none() {
        return Err(ServiceError::Refused(phrase!("err-leads-form-first")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_all_at_once() {
        let bad = LeadFormSettings {
            prechat: true,
            name: Ask::Off,
            email: Ask::Off,
            phone: Ask::Off,
            intro: "x".repeat(MAX_FORM_INTRO + 1),
            consent_url: "javascript:alert(1)".into(),
            email_capture_after_secs: 1,
            ..LeadFormSettings::default()
        };
        let Err(ServiceError::InvalidFields(problems)) = checked(bad, false) else { panic!("accepted") };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["intro", "consent_url", "email_capture_after_secs", "prechat"]);

        let link_alone = LeadFormSettings { consent_url: "https://example.com/privacy".into(), ..Default::default() };
        let Err(ServiceError::InvalidFields(problems)) = checked(link_alone, false) else { panic!("accepted") };
        assert_eq!(problems[0].field, "consent_text");

        let only_custom = LeadFormSettings { prechat: true, name: Ask::Off, email: Ask::Off, ..Default::default() };
        assert!(checked(only_custom, true).is_ok());
        let trimmed = checked(LeadFormSettings { intro: "  Hi  ".into(), ..Default::default() }, false).unwrap();
        assert_eq!(trimmed.intro, "Hi");
    }
}
