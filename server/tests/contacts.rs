//! Contacts: profiles with checked fields, the guest → lead → customer types, labels,
//! notes, search and filters, "Save contact" from a conversation; all inside the
//! caller's workspace, every change live for the team. Runs on SQLite, and on PostgreSQL
//! when `DATABASE_URL` is set.

mod support;

use parley_types::{
    ApiError, ClientEvent, Contact, ContactDetail, ContactFilter, ContactId, ContactKind, ContactNote, ContactUpdate,
    ConversationId, Label, OperatorEvent, Role, SaveContact, VisitorEvent,
};
use support::{Operator, TestApp, TestWorkspace};

/// A new visitor writes `text`: their contact and conversation.
async fn visitor_with_conversation(app: &TestApp, ws: &TestWorkspace, text: &str) -> (ContactId, ConversationId) {
    let visitor = app.visitor(ws).await;
    let (mut widget, _) = app.visitor_socket(ws, &visitor, 0).await;
    widget.send(&ClientEvent::Send { client_id: "v-1".into(), text: text.into(), attachments: vec![] }).await;
    (visitor.contact_id, widget.wait_for_message(text).await.conversation_id)
}

async fn detail(op: &Operator, id: ContactId) -> ContactDetail {
    let response = op.get_contact(id).await;
    let (status, text) = (response.status(), response.text().await.unwrap());
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn updated(op: &Operator, id: ContactId, update: &ContactUpdate) -> Contact {
    let response = op.update_contact(id, update).await;
    let (status, text) = (response.status(), response.text().await.unwrap());
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn refused(response: reqwest::Response, status: u16) -> ApiError {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

fn named(name: &str, email: &str) -> ContactUpdate {
    ContactUpdate { name: name.into(), email: email.into(), ..Default::default() }
}

#[tokio::test]
async fn wrong_fields_are_all_listed_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let (contact, _) = visitor_with_conversation(&app, &acme, "hello").await;
    let op = app.member(&acme, Role::Operator).await;
    let before = detail(&op, contact).await.contact;
    let wrong = ContactUpdate {
        name: "Ada".into(),
        email: "ada@example".into(),
        phone: "030 123456".into(),
        timezone: "Mars/Olympus".into(),
        language: "english!".into(),
        kind: None,
        custom: Default::default(),
    };
    let err = refused(op.update_contact(contact, &wrong).await, 400).await;
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["email", "phone", "timezone", "language"], "{err:?}");
    assert!(err.fields.iter().all(|f| !f.message.is_empty()));
    assert_eq!(detail(&op, contact).await.contact, before, "nothing changed");
    let err = refused(op.update_contact(contact, &named(" ", "")).await, 400).await;
    assert_eq!(err.fields[0].field, "name");
}

#[tokio::test]
async fn a_guest_becomes_a_lead_with_a_name_and_an_address_and_the_team_sees_it_live() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let (contact, conversation) = visitor_with_conversation(&app, &acme, "hello").await;
    let op = app.member(&acme, Role::Operator).await;
    let colleague = app.member(&acme, Role::Operator).await;
    let mut socket = colleague.socket().await;
    let guest = detail(&op, contact).await.contact;
    assert_eq!((guest.kind, guest.name_given), (ContactKind::Guest, false));
    assert!(guest.name.starts_with("Guest "));
    assert_eq!(guest.open_conversation, Some(conversation));

    // An address without a name given keeps a guest a guest.
    let same_name = ContactUpdate { name: guest.name.clone(), email: "x@example.com".into(), ..Default::default() };
    assert_eq!(updated(&op, contact, &same_name).await.kind, ContactKind::Guest);

    let update = ContactUpdate {
        name: "Ada Lovelace".into(),
        email: "Ada@Example.com".into(),
        phone: "+44 (20) 7946-0958".into(),
        timezone: "Europe/London".into(),
        language: "en_gb".into(),
        kind: None,
        custom: Default::default(),
    };
    let lead = updated(&op, contact, &update).await;
    assert_eq!(lead.kind, ContactKind::Lead);
    assert_eq!(lead.phone.as_deref(), Some("+442079460958"));
    assert_eq!(lead.language.as_deref(), Some("en-GB"));
    assert_eq!(lead.email.as_deref(), Some("Ada@Example.com"));
    // The colleague's inbox shows the new name, and the contact page the new profile.
    let summary = socket
        .wait_for(|e| match e {
            OperatorEvent::ConversationChanged { conversation: c } if c.contact_name == "Ada Lovelace" => Some(c),
            _ => None,
        })
        .await;
    assert_eq!(summary.id, conversation);
    let live = socket
        .wait_for(|e| match e {
            OperatorEvent::ContactChanged { contact: c, .. } if c.id == contact => Some(c),
            _ => None,
        })
        .await;
    assert_eq!(live, lead);

    // An operator may make them a customer; clearing the address never lowers the type.
    let customer = updated(&op, contact, &ContactUpdate { kind: Some(ContactKind::Customer), ..update.clone() }).await;
    assert_eq!(customer.kind, ContactKind::Customer);
    let cleared = updated(&op, contact, &named("Ada Lovelace", "")).await;
    assert_eq!((cleared.kind, cleared.email, cleared.phone), (ContactKind::Customer, None, None));
    // ... and may set it back by hand.
    let back = ContactUpdate { kind: Some(ContactKind::Guest), ..named("Ada Lovelace", "") };
    assert_eq!(updated(&op, contact, &back).await.kind, ContactKind::Guest);
}

#[tokio::test]
async fn search_and_filters_find_the_right_contacts_and_wildcards_are_text() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let op = app.member(&acme, Role::Operator).await;
    let (ada, _) = visitor_with_conversation(&app, &acme, "hi").await;
    let (bob, bobs) = visitor_with_conversation(&app, &acme, "hi").await;
    let (_guest, _) = visitor_with_conversation(&app, &acme, "hi").await;
    updated(&op, ada, &named("Ada Lovelace", "ada@analytical.example")).await;
    let bob_update =
        ContactUpdate { name: "Bob 100% Real".into(), phone: "+49 30 1234567".into(), ..Default::default() };
    updated(&op, bob, &bob_update).await;
    let find = |query: &str| ContactFilter { query: query.into(), ..Default::default() };
    let ids = |page: parley_types::ContactPage| {
        let mut ids: Vec<ContactId> = page.contacts.iter().map(|c| c.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(op.contacts(&ContactFilter::default()).await.total, 3);
    assert_eq!(ids(op.contacts(&find("lovelace")).await), [ada], "name, any case");
    assert_eq!(ids(op.contacts(&find("ANALYTICAL")).await), [ada], "email");
    assert_eq!(ids(op.contacts(&find("ADA@ana")).await), [ada], "an address's start");
    assert_eq!(op.contacts(&find("da@analytical")).await.total, 0, "an address matches from its start");
    assert_eq!(ids(op.contacts(&find("30 1234")).await), [bob], "phone digits");
    assert_eq!(ids(op.contacts(&find(&format!("#{bob}"))).await), [bob], "id");
    assert_eq!(ids(op.contacts(&find("100%")).await), [bob], "% is a character");
    assert_eq!(ids(op.contacts(&find("%")).await), [bob], "% alone matches only a literal %");
    assert_eq!(op.contacts(&find("_")).await.total, 0);
    let leads = ContactFilter { kinds: vec![ContactKind::Lead], ..Default::default() };
    let mut both = vec![ada, bob];
    both.sort();
    assert_eq!(ids(op.contacts(&leads).await), both, "a name with an email or a phone makes a lead");
    let guests = ContactFilter { kinds: vec![ContactKind::Guest], ..Default::default() };
    assert_eq!(op.contacts(&guests).await.total, 1);

    // A label filter, and only those with an open conversation.
    let admin = app.member(&acme, Role::Admin).await;
    let vip: Label = admin.call("create_label", &[("name", "VIP"), ("colour", "#e03131")]).await.json().await.unwrap();
    assert_eq!(op.label_contact(ada, vip.id, true).await.status(), 200);
    let tagged = ContactFilter { label: Some(vip.id), ..Default::default() };
    assert_eq!(ids(op.contacts(&tagged).await), [ada]);
    assert_eq!(op.close_conversation(bobs, "resolved", None).await.status(), 200);
    let open = ContactFilter { open_conversation: true, ..Default::default() };
    assert_eq!(op.contacts(&open).await.total, 2);
    let long = find(&"x".repeat(101));
    assert_eq!(op.list_contacts(&long).await.status(), 400);
}

#[tokio::test]
async fn another_workspaces_contact_is_not_found_and_not_listed() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let (contact, conversation) = visitor_with_conversation(&app, &acme, "hello").await;
    let admin = app.member(&acme, Role::Admin).await;
    let vip: Label = admin.call("create_label", &[("name", "VIP"), ("colour", "#e03131")]).await.json().await.unwrap();
    let outsider = app.member(&globex, Role::Admin).await;
    assert_eq!(outsider.get_contact(contact).await.status(), 404);
    assert_eq!(outsider.update_contact(contact, &named("Mallory", "m@evil.example")).await.status(), 404);
    assert_eq!(outsider.label_contact(contact, vip.id, true).await.status(), 404);
    assert_eq!(outsider.add_contact_note(contact, "mine now").await.status(), 404);
    let save = SaveContact { name: "Mallory".into(), email: "m@evil.example".into(), ..Default::default() };
    assert_eq!(outsider.save_contact(conversation, &save).await.status(), 404);
    assert_eq!(outsider.contacts(&ContactFilter::default()).await.total, 0);
    // Globex's own label cannot go on Acme's contact, nor Acme's on Globex's.
    let (theirs, _) = visitor_with_conversation(&app, &globex, "hi").await;
    let err = refused(outsider.label_contact(theirs, vip.id, true).await, 400).await;
    assert!(err.message.contains("label"), "{err:?}");
    assert!(!detail(&admin, contact).await.contact.name_given, "untouched");
}

#[tokio::test]
async fn notes_have_authors_and_only_they_or_admins_delete_them() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let (contact, _) = visitor_with_conversation(&app, &acme, "hello").await;
    let ana = app.member(&acme, Role::Operator).await;
    let ben = app.member(&acme, Role::Operator).await;
    let admin = app.member(&acme, Role::Admin).await;
    let mut socket = ben.socket().await;
    assert_eq!(ana.add_contact_note(contact, "  ").await.status(), 400);
    let note: ContactNote = ana.add_contact_note(contact, "Prefers <b>email</b>").await.json().await.unwrap();
    assert_eq!(note.body, "Prefers <b>email</b>", "stored as typed; rendered as text");
    socket
        .wait_for(|e| {
            matches!(e, OperatorEvent::ContactChanged { contact: c, notes: true } if c.id == contact).then_some(())
        })
        .await;
    let second: ContactNote = ana.add_contact_note(contact, "Second").await.json().await.unwrap();
    let notes = detail(&ben, contact).await.notes;
    assert_eq!(notes.iter().map(|n| n.id).collect::<Vec<_>>(), [second.id, note.id], "newest first");
    assert_eq!(ben.delete_contact_note(contact, note.id).await.status(), 403, "not Ben's note");
    assert_eq!(admin.delete_contact_note(contact, note.id).await.status(), 200);
    assert_eq!(ana.delete_contact_note(contact, second.id).await.status(), 200);
    assert_eq!(ana.delete_contact_note(contact, second.id).await.status(), 404);
    assert!(detail(&ben, contact).await.notes.is_empty());
}

#[tokio::test]
async fn saving_a_contact_from_a_conversation_makes_a_lead_and_tells_only_the_team() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let visitor = app.visitor(&acme).await;
    let (mut widget, _) = app.visitor_socket(&acme, &visitor, 0).await;
    widget.send(&ClientEvent::Send { client_id: "v-1".into(), text: "hello".into(), attachments: vec![] }).await;
    let conversation = widget.wait_for_message("hello").await.conversation_id;
    let op = app.member(&acme, Role::Operator).await;
    let admin = app.member(&acme, Role::Admin).await;
    let vip: Label = admin.call("create_label", &[("name", "VIP"), ("colour", "#e03131")]).await.json().await.unwrap();

    admin.define_field("plan", parley_types::FieldKind::Select, "Free\nPro").await;

    let no_address = SaveContact {
        name: "Jane Roe".into(),
        custom: [("plan".to_owned(), "Gold".to_owned())].into(),
        ..Default::default()
    };
    let err = refused(op.save_contact(conversation, &no_address).await, 400).await;
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["email", "custom.plan"], "every problem at once");
    let save = SaveContact {
        name: "Jane Roe".into(),
        email: "jane@example.com".into(),
        labels: vec![vip.id],
        custom: [("plan".to_owned(), "pro".to_owned())].into(),
        ..Default::default()
    };
    let response = op.save_contact(conversation, &save).await;
    let (status, text) = (response.status(), response.text().await.unwrap());
    assert_eq!(status, 200, "{text}");
    let saved: Contact = serde_json::from_str(&text).unwrap();
    assert_eq!((saved.id, saved.kind, saved.name.as_str()), (visitor.contact_id, ContactKind::Lead, "Jane Roe"));
    assert_eq!(saved.labels, [vip.id]);
    assert_eq!(saved.custom.get("plan").map(String::as_str), Some("Pro"), "a custom field, as the field spells it");
    // The team's history says so; the visitor's widget hears nothing of it.
    let detail = detail(&op, saved.id).await;
    assert_eq!(detail.conversations[0].contact_name, "Jane Roe");
    let history: serde_json::Value = op.get_conversation(conversation).await.json().await.unwrap();
    let line = history["messages"].as_array().unwrap().last().unwrap().clone();
    assert!(line["text"].as_str().unwrap().ends_with("saved the contact as Jane Roe"), "{line}");
    assert_eq!(line["internal"], true);
    widget.send(&ClientEvent::Send { client_id: "v-2".into(), text: "still here".into(), attachments: vec![] }).await;
    let next = widget
        .wait_for(|e| match e {
            VisitorEvent::MessageCreated { message } => Some(message),
            _ => None,
        })
        .await;
    assert_eq!(next.text, "still here", "the internal line never reached the widget");
}

#[tokio::test]
async fn segments_count_live_bulk_labels_and_admins_delete_and_export() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let op = app.member(&acme, Role::Operator).await;
    let admin = app.member(&acme, Role::Admin).await;
    let (ada, _) = visitor_with_conversation(&app, &acme, "hi").await;
    let (bob, _) = visitor_with_conversation(&app, &acme, "hi").await;
    let (cy, _) = visitor_with_conversation(&app, &acme, "hi").await;
    updated(&op, ada, &named("=HYPERLINK(\"http://evil\")", "ada@example.com")).await;

    // A segment of leads: its count follows the contacts.
    let leads = ContactFilter { kinds: vec![ContactKind::Lead], ..Default::default() };
    let mut form = support::api::filter_form("filter", &leads);
    form.push(("name".into(), "Leads".into()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(op.call("save_segment", &pairs).await.status(), 200);
    assert_eq!(op.call("save_segment", &pairs).await.status(), 409, "names are unique");
    let count = |segments: Vec<parley_types::Segment>| segments.iter().find(|s| s.name == "Leads").map(|s| s.count);
    let segments: Vec<parley_types::Segment> = op.call("list_segments", &[]).await.json().await.unwrap();
    assert_eq!(count(segments), Some(1));
    updated(&op, bob, &named("Bob", "bob@example.com")).await;
    let segments: Vec<parley_types::Segment> = op.call("list_segments", &[]).await.json().await.unwrap();
    assert_eq!(count(segments), Some(2));

    // Bulk labels: all three at once.
    let vip: Label = admin.call("create_label", &[("name", "VIP"), ("colour", "#e03131")]).await.json().await.unwrap();
    let ids = [ada, bob, cy].map(|c| c.to_string());
    let label = vip.id.to_string();
    let form =
        [("ids[0]", ids[0].as_str()), ("ids[1]", &ids[1]), ("ids[2]", &ids[2]), ("label", &label), ("on", "true")];
    let changed: u64 = op.call("bulk_label_contacts", &form).await.json().await.unwrap();
    assert_eq!(changed, 3);
    let tagged = ContactFilter { label: Some(vip.id), ..Default::default() };
    assert_eq!(op.contacts(&tagged).await.total, 3);

    // The export: admins only; formula cells are neutralised.
    let url = format!("{}/exports/contacts.csv?kind=lead", app.base);
    assert_eq!(op.client.get(&url).send().await.unwrap().status(), 403);
    let response = admin.client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("contacts.csv"));
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "a header and the two leads: {csv}");
    assert!(lines[0].starts_with("id,name,email,phone,type"), "{csv}");
    assert!(csv.contains(r#""'=HYPERLINK(""http://evil"")""#), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
    assert!(lines.iter().skip(1).all(|l| l.contains("VIP")), "{csv}");

    // Deleting: admins only; the contact and their conversation go.
    let one = [("ids[0]", ids[2].as_str())];
    assert_eq!(op.call("delete_contacts", &one).await.status(), 403);
    let mut socket = op.socket().await;
    let gone: u64 = admin.call("delete_contacts", &one).await.json().await.unwrap();
    assert_eq!(gone, 1);
    socket.wait_for(|e| matches!(e, OperatorEvent::ContactsRemoved { ids } if ids == [cy]).then_some(())).await;
    assert_eq!(op.get_contact(cy).await.status(), 404);
    assert_eq!(op.contacts(&ContactFilter::default()).await.total, 2);
}
