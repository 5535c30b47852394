//! Identity through the widget's JS API: `setUser` with a hash made under the
//! workspace's secret makes a customer and brings the person's history to any browser;
//! wrong hashes and unverified ids never reach a verified contact; a typed email never
//! merges; attributes, labels and tracked actions. Runs on SQLite, and on PostgreSQL
//! when `DATABASE_URL` is set.

mod support;

use parley_services::contacts::identity::sign;
use parley_types::{
    ApiError, ClientEvent, ContactDetail, ContactId, ContactKind, IdentitySettings, Role, WidgetSession,
};
use serde_json::{Value, json};
use support::{Operator, TestApp, TestWorkspace};

/// A widget call (`identify`, `attributes`, `labels`, `events`) with the visitor's token.
async fn call(app: &TestApp, ws: &TestWorkspace, token: &str, path: &str, body: Value) -> (u16, Value) {
    app.widget_call(ws, token, path, body).await
}

async fn secret(admin: &Operator) -> String {
    let settings: IdentitySettings = admin.call("get_identity_settings", &[]).await.json().await.unwrap();
    assert_eq!(settings.secret.len(), 64);
    settings.secret
}

async fn detail(op: &Operator, id: ContactId) -> ContactDetail {
    let response = op.get_contact(id).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The visitor writes `text` and waits for it.
async fn writes(app: &TestApp, ws: &TestWorkspace, visitor: &WidgetSession, text: &str) {
    let (mut widget, _) = app.visitor_socket(ws, visitor, 0).await;
    let client_id = text.replace(" ", "-");
    widget.send(&ClientEvent::Send { client_id, text: text.into(), attachments: vec![] }).await;
    widget.wait_for_message(text).await;
}

#[tokio::test]
async fn a_valid_hash_makes_a_customer_and_wrong_ones_are_refused() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let admin = app.member(&acme, Role::Admin).await;
    let secret = secret(&admin).await;
    let theirs = secret_of(&app, &globex).await;
    let op = app.member(&acme, Role::Operator).await;
    assert_eq!(op.call("get_identity_settings", &[]).await.status(), 403, "only admins hold the secret");

    let visitor = app.visitor(&acme).await;
    for (hash, why) in [
        (sign(&secret, "user-2"), "a hash for another id"),
        (sign(&theirs, "user-1"), "another workspace's secret"),
        ("00".repeat(32), "a made-up hash"),
        ("not hex".into(), "not even hex"),
    ] {
        let (status, body) = call(&app, &acme, &visitor.token, "identify", json!({"id": "user-1", "hash": hash})).await;
        assert_eq!(status, 403, "{why}: {body}");
        assert!(body["message"].as_str().unwrap().contains("hash"), "{body}");
    }
    let guest = detail(&op, visitor.contact_id).await.contact;
    assert_eq!((guest.kind, guest.external_id), (ContactKind::Guest, None), "nothing changed");

    let body = json!({"id": "user-1", "hash": sign(&secret, "user-1"), "attributes": {"name": "Ada", "email": "ada@example.com"}});
    let (status, answer) = call(&app, &acme, &visitor.token, "identify", body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!((answer["verified"].as_bool(), answer["kind"].as_str()), (Some(true), Some("customer")));
    assert!(answer.get("token").is_none(), "the same browser keeps its token");
    let customer = detail(&op, visitor.contact_id).await.contact;
    assert_eq!((customer.kind, customer.name.as_str()), (ContactKind::Customer, "Ada"));
    assert_eq!((customer.external_id.as_deref(), customer.verified), (Some("user-1"), true));
    // The list finds them by the id their site knows them by.
    let filter = parley_types::ContactFilter { query: "user-1".into(), ..Default::default() };
    let page: parley_types::ContactPage = op.list_contacts(&filter).await.json().await.unwrap();
    assert_eq!(page.contacts.iter().map(|c| c.id).collect::<Vec<_>>(), [visitor.contact_id]);

    // Rotating the secret: old hashes stop verifying.
    let rotated: IdentitySettings = admin.call("rotate_identity_secret", &[]).await.json().await.unwrap();
    assert_ne!(rotated.secret, secret);
    let other = app.visitor(&acme).await;
    let (status, _) =
        call(&app, &acme, &other.token, "identify", json!({"id": "user-1", "hash": sign(&secret, "user-1")})).await;
    assert_eq!(status, 403);
}

async fn secret_of(app: &TestApp, ws: &TestWorkspace) -> String {
    secret(&app.member(ws, Role::Admin).await).await
}

#[tokio::test]
async fn one_id_on_two_browsers_shares_the_history_and_a_new_person_starts_afresh() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let secret = secret(&admin).await;
    let hash = sign(&secret, "user-7");
    // The person writes from their laptop while signed in.
    let laptop = app.visitor(&acme).await;
    assert_eq!(call(&app, &acme, &laptop.token, "identify", json!({"id": "user-7", "hash": hash})).await.0, 200);
    writes(&app, &acme, &laptop, "from my laptop").await;
    // On their phone they chatted as a guest first; signing in merges the guest into them.
    let phone = app.visitor(&acme).await;
    writes(&app, &acme, &phone, "from my phone").await;
    let (status, answer) =
        call(&app, &acme, &phone.token, "identify", json!({"id": 7, "hash": sign(&secret, "7")})).await;
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = call(&app, &acme, &phone.token, "identify", json!({"id": "user-7", "hash": hash})).await;
    assert_eq!(status, 200, "{answer}");
    // A different id than before in this browser: a new token names the other person.
    let token = answer["token"].as_str().expect("a new token for another person").to_owned();
    let person = ContactId(answer["contact_id"].as_i64().unwrap());
    assert_eq!(person, laptop.contact_id);
    let on_phone = WidgetSession {
        token,
        contact_id: person,
        workspace_name: String::new(),
        prechat: None,
        ask_email_after_secs: None,
    };
    let (_socket, history) = app.visitor_socket(&acme, &on_phone, 0).await;
    let texts: Vec<&str> = history.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["from my laptop"], "their history, not the phone guest's");

    // A verified guest merge: a guest who chatted, then signs in as user-7.
    let tablet = app.visitor(&acme).await;
    writes(&app, &acme, &tablet, "from my tablet").await;
    let (status, answer) = call(&app, &acme, &tablet.token, "identify", json!({"id": "user-7", "hash": hash})).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.get("token").is_none(), "the guest's token now names the person");
    assert_eq!(ContactId(answer["contact_id"].as_i64().unwrap()), person);
    let op = app.member(&acme, Role::Operator).await;
    assert_eq!(op.get_contact(tablet.contact_id).await.status(), 404, "the guest is merged away");
    let merged = detail(&op, person).await;
    assert_eq!(merged.conversations.len(), 2, "the tablet's conversation moved: {:?}", merged.conversations);
    // Both had an open conversation: the one used last stays open, the other is closed.
    let statuses: Vec<_> =
        merged.conversations.iter().map(|c| (c.last_message.clone().unwrap_or_default(), c.status)).collect();
    assert!(statuses.contains(&("from my tablet".into(), parley_types::ConversationStatus::Open)), "{statuses:?}");
    assert!(statuses.contains(&("from my laptop".into(), parley_types::ConversationStatus::Closed)), "{statuses:?}");
    let (_socket, history) = app.visitor_socket(&acme, &tablet, 0).await;
    let texts: Vec<&str> = history.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["from my tablet"], "the tablet carries on where it was");
}

#[tokio::test]
async fn without_a_hash_an_id_is_unverified_and_never_reaches_the_verified_contact() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let secret = secret(&admin).await;
    let real = app.visitor(&acme).await;
    call(&app, &acme, &real.token, "identify", json!({"id": "boss", "hash": sign(&secret, "boss")})).await;
    writes(&app, &acme, &real, "salary details").await;

    let impostor = app.visitor(&acme).await;
    let (status, answer) = call(&app, &acme, &impostor.token, "identify", json!({"id": "boss"})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["verified"], false);
    assert_ne!(ContactId(answer["contact_id"].as_i64().unwrap()), real.contact_id);
    let (_socket, history) = app.visitor_socket(&acme, &impostor, 0).await;
    assert!(history.is_empty(), "{history:?}");

    // Mandatory mode: no hash, no identity.
    let on: IdentitySettings = admin.call("set_require_verification", &[("on", "true")]).await.json().await.unwrap();
    assert!(on.require_verification);
    let (status, body) = call(&app, &acme, &impostor.token, "identify", json!({"id": "boss"})).await;
    assert_eq!(status, 403, "{body}");
    let err: ApiError = serde_json::from_value(body).unwrap();
    assert!(err.message.contains("requires"), "{err:?}");
}

#[tokio::test]
async fn attributes_labels_and_actions_from_the_page() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    admin.define_field("plan", parley_types::FieldKind::Select, "Free\nPro").await;
    let internal = parley_types::ContactFieldInput {
        key: "score".into(),
        label: "Score".into(),
        kind: Some(parley_types::FieldKind::Number),
        ..Default::default()
    };
    assert_eq!(admin.create_contact_field(&internal).await.status(), 200);
    // `plan` may be written by the widget; `score` may not.
    let fields = admin.list_contact_fields().await;
    let plan = fields.iter().find(|f| f.key == "plan").unwrap();
    let writable = parley_types::ContactFieldInput {
        key: "plan".into(),
        label: "Plan".into(),
        kind: Some(parley_types::FieldKind::Select),
        options: "Free\nPro".into(),
        widget_writable: true,
        ..Default::default()
    };
    assert_eq!(admin.update_contact_field(plan.id, &writable).await.status(), 200);
    let vip: parley_types::Label =
        admin.call("create_label", &[("name", "VIP"), ("colour", "#e03131")]).await.json().await.unwrap();

    let visitor = app.visitor(&acme).await;
    let attrs = json!({"attributes": {
        "name": "Grace", "email": "grace@example.com", "plan": "pro", "score": 99, "nope": "x", "phone": "123", "timezone": ["x"]
    }});
    let (status, answer) = call(&app, &acme, &visitor.token, "attributes", attrs).await;
    assert_eq!(status, 200, "{answer}");
    let mut rejected: Vec<&str> =
        answer["rejected"].as_array().unwrap().iter().map(|r| r["field"].as_str().unwrap()).collect();
    rejected.sort();
    assert_eq!(rejected, ["nope", "phone", "score", "timezone"]);
    let op = app.member(&acme, Role::Operator).await;
    let contact = detail(&op, visitor.contact_id).await.contact;
    assert_eq!((contact.name.as_str(), contact.kind), ("Grace", ContactKind::Lead), "a name and an email: a lead");
    assert_eq!(contact.custom.get("plan").map(String::as_str), Some("Pro"));
    assert!(!contact.custom.contains_key("score"));

    let (status, answer) = call(&app, &acme, &visitor.token, "labels", json!({"labels": ["vip", "Nope"]})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["rejected"][0]["field"], "Nope");
    assert_eq!(detail(&op, visitor.contact_id).await.contact.labels, [vip.id]);

    let mut socket = op.socket().await;
    let (status, _) =
        call(&app, &acme, &visitor.token, "events", json!({"name": "added to cart", "data": {"sku": "A1"}})).await;
    assert_eq!(status, 200);
    socket
        .wait_for(|e| {
            matches!(e, parley_types::OperatorEvent::ContactActivity { contact_id } if contact_id == visitor.contact_id)
                .then_some(())
        })
        .await;
    let timeline = detail(&op, visitor.contact_id).await.timeline;
    assert_eq!((timeline[0].name.as_str(), timeline[0].data.as_str()), ("added to cart", r#"{"sku":"A1"}"#));
    for bad in [json!({"name": ""}), json!({"name": "x", "data": [1]}), json!({"nom": "x"}), json!("[")] {
        assert_eq!(call(&app, &acme, &visitor.token, "events", bad.clone()).await.0, 400, "{bad}");
    }
    let (status, body) = call(&app, &acme, "not-a-token", "events", json!({"name": "x"})).await;
    assert_eq!(status, 401, "{body}");
}

#[tokio::test]
async fn a_typed_email_never_merges_but_flags_a_possible_duplicate() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let op = app.member(&acme, Role::Operator).await;
    let known = app.visitor(&acme).await;
    writes(&app, &acme, &known, "I am the real Linus").await;
    let update =
        parley_types::ContactUpdate { name: "Linus".into(), email: "linus@example.com".into(), ..Default::default() };
    assert_eq!(op.update_contact(known.contact_id, &update).await.status(), 200);

    let stranger = app.visitor(&acme).await;
    let attrs = json!({"attributes": {"email": "LINUS@example.com"}});
    assert_eq!(call(&app, &acme, &stranger.token, "attributes", attrs).await.0, 200);
    let flagged = detail(&op, stranger.contact_id).await.contact;
    assert_eq!(flagged.possible_duplicate_of, Some(known.contact_id));
    let (_socket, history) = app.visitor_socket(&acme, &stranger, 0).await;
    assert!(history.is_empty(), "nothing of Linus's");

    // An admin merges them on purpose; an operator may not.
    assert_eq!(
        op.call(
            "merge_contacts",
            &[("primary", &known.contact_id.to_string()), ("other", &stranger.contact_id.to_string())]
        )
        .await
        .status(),
        403
    );
    let admin = app.member(&acme, Role::Admin).await;
    let response = admin
        .call(
            "merge_contacts",
            &[("primary", &known.contact_id.to_string()), ("other", &stranger.contact_id.to_string())],
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(op.get_contact(stranger.contact_id).await.status(), 404);
    // The stranger's browser now names the merged contact.
    let (_socket, history) = app.visitor_socket(&acme, &stranger, 0).await;
    assert_eq!(history.len(), 1);
}
