//! Importing contacts from CSV: a dry run lists each bad row (line, column, reason) and
//! what would be made or updated; the import runs in the background, matching rows on
//! email or user id, and reports its progress live. Runs on SQLite, and on PostgreSQL
//! when `DATABASE_URL` is set.

mod support;

use std::time::{Duration, Instant};

use parley_types::{ContactFilter, ContactKind, FieldKind, ImportStatus, OperatorEvent, Role};
use support::{Operator, TestApp};

async fn import(op: &Operator, query: &str, csv: &str) -> (u16, serde_json::Value) {
    let response =
        op.client.post(format!("{}/imports/contacts?{query}", op.base)).body(csv.to_owned()).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

async fn wait_done(op: &Operator, id: i64) -> ImportStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status: ImportStatus = op.call("get_import", &[("id", &id.to_string())]).await.json().await.unwrap();
        if status.status == "done" {
            return status;
        }
        assert!(Instant::now() < deadline, "{status:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const FILE: &str = "Full name,Email,Phone,Tags,plan,Notes\r\n\
Ada Lovelace,ada@example.com,+44 20 7946 0958,VIP,Pro,first\r\n\
Bad Phone,bad@example.com,030 123,,Free,\r\n\
No Email,,,,,\r\n\
\"Roe, Jane\",jane@example.com,,Unknown tag,Gold,\r\n\
Grace,grace@example.com,'+1 212 555 0100,,,\r\n";

#[tokio::test]
async fn a_dry_run_lists_bad_rows_and_the_import_applies_the_rest() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    admin.define_field("plan", FieldKind::Select, "Free\nPro").await;
    admin.call("create_label", &[("name", "VIP"), ("colour", "#e03131")]).await;
    let op = app.member(&acme, Role::Operator).await;
    assert_eq!(import(&op, "dry_run=true", FILE).await.0, 403, "operators do not import");

    // Grace exists already: her row updates her.
    let grace = app.visitor(&acme).await.contact_id;
    let update =
        parley_types::ContactUpdate { name: "Grace".into(), email: "GRACE@example.com".into(), ..Default::default() };
    assert_eq!(admin.update_contact(grace, &update).await.status(), 200);

    let (status, body) = import(&admin, "dry_run=true&match=email", FILE).await;
    assert_eq!(status, 200, "{body}");
    let report: ImportStatus = serde_json::from_value(body).unwrap();
    assert_eq!((report.total, report.created, report.updated, report.failed), (5, 1, 1, 3), "{report:?}");
    let problems: Vec<(u64, &str)> = report.problems.iter().map(|p| (p.line, p.column.as_str())).collect();
    assert_eq!(problems, [(3, "Phone"), (4, "email"), (5, "Tags"), (5, "plan")], "{report:?}");
    assert!(report.problems.iter().all(|p| !p.reason.is_empty()));
    assert!(report.mapping.contains(&("Notes".into(), "skip".into())), "{:?}", report.mapping);
    assert_eq!(admin.contacts(&ContactFilter::default()).await.total, 1, "a dry run writes nothing");

    let mut socket = admin.socket().await;
    let (status, body) = import(&admin, "match=email", FILE).await;
    assert_eq!(status, 200, "{body}");
    let started: ImportStatus = serde_json::from_value(body).unwrap();
    let done = wait_done(&admin, started.id.unwrap()).await;
    assert_eq!((done.processed, done.created, done.updated, done.failed), (5, 1, 1, 3), "{done:?}");
    socket
        .wait_for(|e| matches!(e, OperatorEvent::ImportProgress { import } if import.status == "done").then_some(()))
        .await;
    let all = admin.contacts(&ContactFilter::default()).await;
    assert_eq!(all.total, 2);
    let ada = all.contacts.iter().find(|c| c.name == "Ada Lovelace").expect("Ada imported");
    assert_eq!((ada.kind, ada.phone.as_deref()), (ContactKind::Lead, Some("+442079460958")));
    assert_eq!(ada.custom.get("plan").map(String::as_str), Some("Pro"));
    assert_eq!(ada.labels.len(), 1);
    let grace_now = all.contacts.iter().find(|c| c.id == grace).unwrap();
    assert_eq!(grace_now.phone.as_deref(), Some("+12125550100"), "the export's ' before + comes off");
}

#[tokio::test]
async fn bad_files_are_refused_whole() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let admin = app.member(&acme, Role::Admin).await;
    for (query, csv, why) in [
        ("dry_run=true", "", "empty"),
        ("dry_run=true", "name,email\n\"Ada,ada@x.co\n", "an unclosed quote"),
        ("dry_run=true&match=user_id", "name,email\nAda,ada@x.co\n", "no user_id column"),
        ("dry_run=true&map=email:nonsense", "name,email\nAda,ada@x.co\n", "a mapping to no field"),
        ("dry_run=true&match=phone", "name,email\nAda,ada@x.co\n", "an unknown match"),
    ] {
        let (status, body) = import(&admin, query, csv).await;
        assert_eq!(status, 400, "{why}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{why}: {body}");
    }
    // Mapped by the admin: "Mail" goes to email; rows match on user id.
    let (status, body) =
        import(&admin, "match=user_id&map=Mail:email;Id:user_id", "Id,Mail\nu-1,u1@x.co\nu-1,again@x.co\n").await;
    assert_eq!(status, 200, "{body}");
    let done = wait_done(&admin, body["id"].as_i64().unwrap()).await;
    assert_eq!((done.created, done.updated), (1, 1), "the second row updates the first: {done:?}");
    let all = admin.contacts(&ContactFilter::default()).await;
    assert_eq!(all.total, 1);
    assert_eq!(all.contacts[0].email.as_deref(), Some("again@x.co"));
    assert_eq!((all.contacts[0].external_id.as_deref(), all.contacts[0].verified), (Some("u-1"), true));
}
