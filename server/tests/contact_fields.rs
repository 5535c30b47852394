//! Custom contact fields: typed definitions (owners and admins), values checked against
//! the type, a type that cannot change under values, deletes that say what they remove,
//! and filters on values, hostile ones included. Runs on SQLite, and on PostgreSQL when
//! `DATABASE_URL` is set.

mod support;

use std::collections::BTreeMap;

use parley_types::{
    ApiError, Contact, ContactFieldInput, ContactFilter, ContactId, ContactPage, ContactUpdate, FieldCondition,
    FieldKind, FieldOp, OperatorEvent, Role,
};
use proptest::prelude::*;
use support::{Operator, TestApp};

fn with_custom(name: &str, values: &[(&str, &str)]) -> ContactUpdate {
    let custom: BTreeMap<String, String> = values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    ContactUpdate { name: name.into(), custom, ..Default::default() }
}

async fn write(op: &Operator, id: ContactId, update: &ContactUpdate) -> Result<Contact, ApiError> {
    let response = op.update_contact(id, update).await;
    let ok = response.status() == 200;
    let text = response.text().await.unwrap();
    if ok { Ok(serde_json::from_str(&text).unwrap()) } else { Err(serde_json::from_str(&text).unwrap()) }
}

fn on(key: &str, op: FieldOp, value: &str) -> ContactFilter {
    ContactFilter { fields: vec![FieldCondition { key: key.into(), op, value: value.into() }], ..Default::default() }
}

fn ids(page: ContactPage) -> Vec<ContactId> {
    let mut ids: Vec<ContactId> = page.contacts.iter().map(|c| c.id).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn admins_define_fields_and_values_are_checked_against_their_type() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;
    let mut socket = op.socket().await;
    let plan = ContactFieldInput {
        key: "plan".into(),
        label: "Plan".into(),
        kind: Some(FieldKind::Select),
        options: "Free\nPro".into(),
        ..Default::default()
    };
    assert_eq!(op.create_contact_field(&plan).await.status(), 403, "operators do not define fields");
    admin.define_field("plan", FieldKind::Select, "Free\nPro").await;
    assert_eq!(admin.create_contact_field(&plan).await.status(), 409, "keys are unique");
    socket
        .wait_for(|e| matches!(e, OperatorEvent::ContactFieldsChanged { fields } if fields.len() == 1).then_some(()))
        .await;
    admin.define_field("seats", FieldKind::Number, "").await;
    admin.define_field("renews", FieldKind::Date, "").await;
    admin.define_field("trial", FieldKind::Boolean, "").await;
    admin.define_field("site", FieldKind::Url, "").await;

    let visitor = app.visitor(&acme).await;
    let id = visitor.contact_id;
    let wrong = with_custom(
        "Ada",
        &[
            ("plan", "Gold"),
            ("seats", "many"),
            ("renews", "2026-02-30"),
            ("trial", "perhaps"),
            ("site", "ftp://x"),
            ("nope", "1"),
        ],
    );
    let err = write(&op, id, &wrong).await.unwrap_err();
    let mut keys: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    keys.sort();
    assert_eq!(keys, ["custom.nope", "custom.plan", "custom.renews", "custom.seats", "custom.site", "custom.trial"]);
    let right = with_custom(
        "Ada",
        &[
            ("plan", "pro"),
            ("seats", "12.0"),
            ("renews", "2027-01-31"),
            ("trial", "yes"),
            ("site", "https://ada.example"),
        ],
    );
    let contact = write(&op, id, &right).await.unwrap();
    let expected: BTreeMap<String, String> = [
        ("plan", "Pro"),
        ("renews", "2027-01-31"),
        ("seats", "12"),
        ("site", "https://ada.example"),
        ("trial", "true"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(contact.custom, expected, "stored in canonical form");
    // Keys not given stay; an empty value clears one.
    let cleared = write(&op, id, &with_custom("Ada", &[("site", "")])).await.unwrap();
    assert!(!cleared.custom.contains_key("site"));
    assert_eq!(cleared.custom.len(), 4);

    // A field with values keeps its type; an option in use stays.
    let fields = admin.list_contact_fields().await;
    let seats = fields.iter().find(|f| f.key == "seats").unwrap();
    assert_eq!(seats.values, 1);
    let as_text = ContactFieldInput {
        key: "seats".into(),
        label: "Seats".into(),
        kind: Some(FieldKind::Text),
        ..Default::default()
    };
    assert_eq!(admin.update_contact_field(seats.id, &as_text).await.status(), 409);
    let plan_field = fields.iter().find(|f| f.key == "plan").unwrap();
    let fewer = ContactFieldInput { options: "Free".into(), ..plan.clone() };
    let err: ApiError = admin.update_contact_field(plan_field.id, &fewer).await.json().await.unwrap();
    assert!(err.message.contains("Pro"), "{err:?}");
    let site = fields.iter().find(|f| f.key == "site").unwrap();
    assert_eq!(site.values, 0);
    let site_as_text = ContactFieldInput {
        key: "site".into(),
        label: "Site".into(),
        kind: Some(FieldKind::Text),
        ..Default::default()
    };
    assert_eq!(
        admin.update_contact_field(site.id, &site_as_text).await.status(),
        200,
        "no values: the type may change"
    );

    // Deleting says how many values went, and they are gone.
    assert_eq!(op.call("delete_contact_field", &[("id", &seats.id.to_string())]).await.status(), 403);
    let removed: u64 = admin.call("delete_contact_field", &[("id", &seats.id.to_string())]).await.json().await.unwrap();
    assert_eq!(removed, 1);
    let detail: serde_json::Value = op.get_contact(id).await.json().await.unwrap();
    assert!(detail["contact"]["custom"].get("seats").is_none(), "{detail}");
}

#[tokio::test]
async fn filters_compare_values_by_type() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    admin.define_field("plan", FieldKind::Select, "Free\nPro").await;
    admin.define_field("seats", FieldKind::Number, "").await;
    admin.define_field("renews", FieldKind::Date, "").await;
    admin.define_field("company", FieldKind::Text, "").await;
    let mut people = Vec::new();
    for (name, plan, seats, renews, company) in [
        ("Ada", "Pro", "9", "2027-01-31", "Analytical Engines"),
        ("Bob", "Free", "10", "2026-06-01", "Bob's 100% Burgers"),
        ("Cy", "Pro", "100", "", ""),
    ] {
        let id = app.visitor(&acme).await.contact_id;
        let values = [("plan", plan), ("seats", seats), ("renews", renews), ("company", company)];
        write(&admin, id, &with_custom(name, &values)).await.unwrap();
        people.push(id);
    }
    let (ada, bob, cy) = (people[0], people[1], people[2]);
    assert_eq!(ids(admin.contacts(&on("plan", FieldOp::Is, "pro")).await), [ada, cy]);
    assert_eq!(ids(admin.contacts(&on("plan", FieldOp::IsNot, "Pro")).await), [bob]);
    // Numbers compare as numbers ("9" < "10"), dates as dates.
    assert_eq!(ids(admin.contacts(&on("seats", FieldOp::Gt, "9.5")).await), [bob, cy]);
    assert_eq!(ids(admin.contacts(&on("seats", FieldOp::Lt, "10")).await), [ada]);
    assert_eq!(ids(admin.contacts(&on("renews", FieldOp::Lt, "2027-01-01")).await), [bob]);
    assert_eq!(ids(admin.contacts(&on("company", FieldOp::Contains, "engine")).await), [ada]);
    assert_eq!(ids(admin.contacts(&on("company", FieldOp::Contains, "100%")).await), [bob], "% is text");
    assert_eq!(ids(admin.contacts(&on("company", FieldOp::NotSet, "")).await), [cy]);
    assert_eq!(ids(admin.contacts(&on("renews", FieldOp::Set, "")).await), [ada, bob]);
    for (filter, why) in [
        (on("nope", FieldOp::Set, ""), "unknown key"),
        (on("company", FieldOp::Gt, "a"), "text does not compare"),
        (on("seats", FieldOp::Gt, "lots"), "not a number"),
        (on("seats", FieldOp::Contains, "1"), "numbers are not searched in"),
        (on("company", FieldOp::Contains, "\0"), "control characters (once a 500)"),
        (ContactFilter { query: "a\0b".into(), ..Default::default() }, "control characters in the search"),
    ] {
        assert_eq!(admin.list_contacts(&filter).await.status(), 400, "{why}");
    }
}

/// Whatever a filter holds (hostile text, unknown keys, any operator), the list answers
/// 200 or 400 and never shows another workspace's contact.
#[test]
fn hostile_filters_stay_in_the_workspace() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (app, admin, theirs) = runtime.block_on(async {
        let app = TestApp::spawn().await;
        let acme = app.workspace("Acme").await;
        let globex = app.workspace("Globex").await;
        let admin = app.member(&acme, Role::Admin).await;
        admin.define_field("plan", FieldKind::Select, "Free\nPro").await;
        admin.define_field("seats", FieldKind::Number, "").await;
        admin.define_field("note", FieldKind::Text, "").await;
        let ours = app.visitor(&acme).await.contact_id;
        write(&admin, ours, &with_custom("Ours", &[("plan", "Pro"), ("seats", "3"), ("note", "theirs?")]))
            .await
            .unwrap();
        let other = app.member(&globex, Role::Admin).await;
        other.define_field("plan", FieldKind::Select, "Free\nPro").await;
        let theirs = app.visitor(&globex).await.contact_id;
        write(&other, theirs, &with_custom("Theirs", &[("plan", "Pro")])).await.unwrap();
        (app, admin, theirs)
    });
    let texts = prop::sample::select(vec![
        "",
        "Pro",
        "pro",
        "3",
        "-1e308",
        "1e999",
        "NaN",
        "2027-01-31",
        "'; DROP TABLE contacts; --",
        "%",
        "_",
        "\\",
        "\"",
        "theirs",
        "Theirs",
        "😀",
        "\u{0}",
        "OR 1=1",
        "*",
    ]);
    let keys = prop::sample::select(vec!["plan", "seats", "note", "nope", "", "PLAN", "plan'--"]);
    let ops = prop::sample::select(FieldOp::ALL.to_vec());
    let strategy = (texts.clone(), prop::collection::vec((keys, ops, texts), 0..4));
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config::with_cases(48));
    runner
        .run(&strategy, |(query, conditions)| {
            let filter = ContactFilter {
                query: query.to_owned(),
                fields: conditions
                    .into_iter()
                    .map(|(key, op, value)| FieldCondition { key: key.into(), op, value: value.into() })
                    .collect(),
                ..Default::default()
            };
            runtime.block_on(async {
                let response = admin.list_contacts(&filter).await;
                let status = response.status().as_u16();
                let body = response.text().await.unwrap();
                prop_assert!(status == 200 || status == 400, "{status} for {filter:?}: {body}");
                if status == 200 {
                    let page: ContactPage = serde_json::from_str(&body).unwrap();
                    prop_assert!(page.contacts.iter().all(|c| c.id != theirs), "{filter:?}");
                    prop_assert!(page.total <= 1, "{filter:?}");
                }
                Ok(())
            })
        })
        .unwrap();
    drop(app);
}
