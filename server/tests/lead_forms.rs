//! Lead forms: the pre-chat form (basic and custom fields, required flags, consent)
//! asked before a new visitor's first message, and the in-chat email capture. Admins set
//! them up; the widget's session says what this visitor should see; every submission is
//! checked on the server, all problems at once, nothing written; a valid one makes a
//! lead. Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{
    Ask, ClientEvent, ContactDetail, ContactId, ContactKind, FieldKind, LeadFormSettings, OperatorEvent, Role,
    VisitorEvent, WidgetSession,
};
use serde_json::{Value, json};
use support::{Operator, SITE, TestApp, TestWorkspace};

/// `POST /widget/v1/{key}/lead` with the visitor's token.
async fn submit(app: &TestApp, ws: &TestWorkspace, visitor: &WidgetSession, body: Value) -> (u16, Value) {
    app.widget_call(ws, &visitor.token, "lead", body).await
}

/// The session the widget gets for a stored token.
async fn session(app: &TestApp, ws: &TestWorkspace, visitor: &WidgetSession) -> WidgetSession {
    let response = reqwest::Client::new()
        .get(format!("{}/widget/v1/{}/session", app.base, ws.key))
        .header("Origin", SITE)
        .header("X-Parley-Token", &visitor.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn detail(op: &Operator, id: ContactId) -> ContactDetail {
    let response = op.get_contact(id).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The fields a refusal lists, in order.
fn fields(body: &Value) -> Vec<&str> {
    body["fields"].as_array().map(|f| f.iter().filter_map(|p| p["field"].as_str()).collect()).unwrap_or_default()
}

fn prechat_settings() -> LeadFormSettings {
    LeadFormSettings {
        prechat: true,
        intro: "Before we start".into(),
        name: Ask::Required,
        email: Ask::Required,
        phone: Ask::Optional,
        consent_text: "I agree to the privacy policy".into(),
        consent_url: "https://acme.test/privacy".into(),
        ..LeadFormSettings::default()
    }
}

#[tokio::test]
async fn admins_set_up_lead_forms_and_wrong_settings_are_listed() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;
    assert_eq!(op.call("get_lead_form_settings", &[]).await.status(), 403);
    assert_eq!(op.save_lead_forms(&prechat_settings()).await.status(), 403, "operators do not change the forms");

    let defaults: LeadFormSettings = admin.call("get_lead_form_settings", &[]).await.json().await.unwrap();
    assert_eq!(defaults, LeadFormSettings::default());
    assert!(!defaults.prechat && defaults.email_capture && defaults.email_capture_after_secs == 120);

    let wrong = LeadFormSettings {
        prechat: true,
        name: Ask::Off,
        email: Ask::Off,
        phone: Ask::Off,
        consent_text: String::new(),
        consent_url: "javascript:alert(1)".into(),
        email_capture_after_secs: 0,
        ..LeadFormSettings::default()
    };
    let response = admin.save_lead_forms(&wrong).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(fields(&body), ["consent_url", "email_capture_after_secs", "prechat"], "{body}");
    let unchanged: LeadFormSettings = admin.call("get_lead_form_settings", &[]).await.json().await.unwrap();
    assert_eq!(unchanged, LeadFormSettings::default(), "nothing was saved");

    let response = admin.save_lead_forms(&prechat_settings()).await;
    assert_eq!(response.status(), 200);
    let saved: LeadFormSettings = admin.call("get_lead_form_settings", &[]).await.json().await.unwrap();
    assert_eq!(saved, prechat_settings());
    // Another workspace keeps its own.
    let globex = app.workspace("Globex").await;
    let theirs: LeadFormSettings =
        app.member(&globex, Role::Admin).await.call("get_lead_form_settings", &[]).await.json().await.unwrap();
    assert!(!theirs.prechat);
}

#[tokio::test]
async fn the_prechat_form_is_checked_on_the_server_and_a_valid_one_makes_a_lead() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;
    let company = admin.define_field("company", FieldKind::Text, "").await;
    let seats = admin.define_field("seats", FieldKind::Number, "").await;
    admin.define_field("plan", FieldKind::Select, "Free\nPro").await;
    for (field, required) in [(&company, true), (&seats, false)] {
        let input = parley_types::ContactFieldInput {
            key: field.key.clone(),
            label: field.label.clone(),
            kind: Some(field.kind),
            in_prechat: true,
            required,
            ..Default::default()
        };
        assert_eq!(admin.update_contact_field(field.id, &input).await.status(), 200);
    }
    assert_eq!(admin.save_lead_forms(&prechat_settings()).await.status(), 200);
    let mut socket = op.socket().await;

    let visitor = app.visitor(&acme).await;
    let form = visitor.prechat.clone().expect("a new visitor gets the pre-chat form");
    let keys: Vec<(&str, &str, bool)> =
        form.fields.iter().map(|f| (f.key.as_str(), f.input.as_str(), f.required)).collect();
    assert_eq!(
        keys,
        [
            ("name", "text", true),
            ("email", "email", true),
            ("phone", "tel", false),
            ("company", "text", true),
            ("seats", "number", false)
        ]
    );
    assert_eq!(form.intro, "Before we start");
    assert_eq!(form.consent.as_ref().map(|c| c.url.as_str()), Some("https://acme.test/privacy"));

    // The first message waits for the form, whatever the widget does.
    let (mut widget, _) = app.visitor_socket(&acme, &visitor, 0).await;
    widget.send(&ClientEvent::Send { client_id: "c-1".into(), text: "hello".into(), attachments: vec![] }).await;
    let refused = widget.wait_for(|e| if let VisitorEvent::Error(e) = e { Some(e) } else { None }).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.message.contains("form"), "{}", refused.message);

    // Everything missing is listed at once.
    let (status, body) = submit(&app, &acme, &visitor, json!({"form": "prechat", "values": {}})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(fields(&body), ["name", "email", "company", "consent"]);
    // Wrong values, and a field this form does not ask (even a real one).
    let wrong = json!({"form": "prechat", "consent": true, "values": {
        "name": "Ada", "email": "ada@", "phone": "12", "company": "Acme", "seats": "many", "plan": "Pro"
    }});
    let (status, body) = submit(&app, &acme, &visitor, wrong).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(fields(&body), ["plan", "email", "phone", "seats"], "{body}");
    let guest = detail(&op, visitor.contact_id).await;
    assert_eq!((guest.contact.kind, guest.contact.email, guest.contact.name_given), (ContactKind::Guest, None, false));
    assert!(guest.contact.custom.is_empty() && guest.timeline.is_empty(), "nothing was written");

    let good = json!({"form": "prechat", "consent": true, "values": {
        "name": " Ada Lovelace ", "email": "Ada@Example.com", "company": "Analytical Engines", "seats": "12"
    }});
    let (status, body) = submit(&app, &acme, &visitor, good).await;
    assert_eq!((status, body["kind"].as_str()), (200, Some("lead")), "{body}");
    let changed = socket
        .wait_for(|e| match e {
            OperatorEvent::ContactChanged { contact, .. } if contact.id == visitor.contact_id => Some(contact),
            _ => None,
        })
        .await;
    assert_eq!(changed.kind, ContactKind::Lead, "operators see the lead live");
    let lead = detail(&op, visitor.contact_id).await;
    assert_eq!(lead.contact.name, "Ada Lovelace");
    assert_eq!(lead.contact.email.as_deref(), Some("Ada@Example.com"));
    assert_eq!(lead.contact.custom.get("company").map(String::as_str), Some("Analytical Engines"));
    assert_eq!(lead.contact.custom.get("seats").map(String::as_str), Some("12"));
    let entry = &lead.timeline[0];
    assert_eq!((entry.kind.as_str(), entry.name.as_str()), ("form", "Filled in the pre-chat form"));
    assert!(entry.data.contains("I agree to the privacy policy"), "the consent is kept word for word: {}", entry.data);

    // The form is done: the session no longer carries it, and the visitor may write.
    let again = session(&app, &acme, &visitor).await;
    assert_eq!((again.prechat, again.ask_email_after_secs), (None, None), "a lead with an email is not asked again");
    widget.send(&ClientEvent::Send { client_id: "c-2".into(), text: "hello again".into(), attachments: vec![] }).await;
    widget.wait_for_message("hello again").await;

    // Another workspace's visitor cannot use Acme's form, and Globex has none.
    let globex = app.workspace("Globex").await;
    let stranger = app.visitor(&globex).await;
    assert_eq!(stranger.prechat, None);
    let (status, _) = submit(&app, &globex, &stranger, json!({"form": "prechat", "values": {"name": "Eve"}})).await;
    assert_eq!(status, 403);
    let (status, _) = submit(&app, &acme, &stranger, json!({"form": "prechat", "values": {}})).await;
    assert_eq!(status, 401, "a token of another workspace is unknown here");
}

#[tokio::test]
async fn visitors_who_already_wrote_are_not_asked_and_operators_may_write_first() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let earlier = app.visitor(&acme).await;
    let (mut widget, _) = app.visitor_socket(&acme, &earlier, 0).await;
    widget
        .send(&ClientEvent::Send { client_id: "e-1".into(), text: "before the form".into(), attachments: vec![] })
        .await;
    widget.wait_for_message("before the form").await;
    assert_eq!(admin.save_lead_forms(&prechat_settings()).await.status(), 200);
    assert_eq!(session(&app, &acme, &earlier).await.prechat, None, "the form comes before a first message only");
    widget
        .send(&ClientEvent::Send { client_id: "e-2".into(), text: "still talking".into(), attachments: vec![] })
        .await;
    widget.wait_for_message("still talking").await;

    // An operator writes first to a new visitor: the form is not in the way of the answer.
    let op = app.member(&acme, Role::Operator).await;
    let newcomer = app.visitor(&acme).await;
    assert!(newcomer.prechat.is_some());
    let (mut widget, _) = app.visitor_socket(&acme, &newcomer, 0).await;
    let contact = newcomer.contact_id.to_string();
    let started =
        op.call("start_conversation", &[("contact", &contact), ("client_id", "s-1"), ("text", "Need a hand?")]).await;
    assert_eq!(started.status(), 200);
    widget.wait_for_message("Need a hand?").await;
    assert_eq!(session(&app, &acme, &newcomer).await.prechat, None, "a conversation exists now");
    widget.send(&ClientEvent::Send { client_id: "n-1".into(), text: "yes please".into(), attachments: vec![] }).await;
    widget.wait_for_message("yes please").await;
}

#[tokio::test]
async fn the_email_capture_takes_a_valid_email_and_makes_a_lead() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;
    let visitor = app.visitor(&acme).await;
    assert_eq!((visitor.prechat.as_ref(), visitor.ask_email_after_secs), (None, Some(120)), "on by default");

    for (email, why) in [("", "empty"), ("nope", "no @"), ("a@b", "no domain")] {
        let (status, body) = submit(&app, &acme, &visitor, json!({"form": "email", "values": {"email": email}})).await;
        assert_eq!((status, fields(&body)), (400, vec!["email"]), "{why}: {body}");
    }
    let (status, body) =
        submit(&app, &acme, &visitor, json!({"form": "email", "values": {"email": "x@y.test", "name": "X"}})).await;
    assert_eq!((status, fields(&body)), (400, vec!["name"]), "the capture asks the email only: {body}");

    let (status, body) =
        submit(&app, &acme, &visitor, json!({"form": "email", "values": {"email": "grace@navy.test"}})).await;
    assert_eq!((status, body["kind"].as_str()), (200, Some("lead")), "{body}");
    let lead = detail(&op, visitor.contact_id).await;
    assert_eq!(lead.contact.email.as_deref(), Some("grace@navy.test"));
    assert_eq!(lead.timeline[0].name, "Left an email in the chat");
    assert_eq!(session(&app, &acme, &visitor).await.ask_email_after_secs, None, "not asked again");

    // A typed email that another contact has is flagged, never merged.
    let twin = app.visitor(&acme).await;
    let (status, _) =
        submit(&app, &acme, &twin, json!({"form": "email", "values": {"email": "GRACE@navy.test"}})).await;
    assert_eq!(status, 200);
    let flagged = detail(&op, twin.contact_id).await.contact;
    assert_eq!(flagged.possible_duplicate_of, Some(visitor.contact_id));

    // Switched off: the widget is not told to ask, and the server refuses.
    let off = LeadFormSettings { email_capture: false, ..LeadFormSettings::default() };
    assert_eq!(admin.save_lead_forms(&off).await.status(), 200);
    let late = app.visitor(&acme).await;
    assert_eq!(late.ask_email_after_secs, None);
    let (status, _) = submit(&app, &acme, &late, json!({"form": "email", "values": {"email": "z@z.test"}})).await;
    assert_eq!(status, 403);
    let (status, body) = submit(&app, &acme, &late, json!({"form": "survey"})).await;
    assert_eq!(status, 400, "an unknown form is a clear error: {body}");
}
