//! Business hours: admins save a schedule (wrong ones refused, every problem at once);
//! outside it a new visitor's widget gets the offline form (name, email, message), whose
//! message opens a conversation; inside it, the chat as usual. Runs on SQLite, and on
//! PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{BusinessHours, ContactKind, Interval, LeadFormKind, Role, WidgetSession};
use serde_json::{Value, json};
use support::{SITE, TestApp, TestWorkspace};

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

fn schedule(days: Vec<Vec<Interval>>) -> BusinessHours {
    BusinessHours { timezone: "Europe/Berlin".into(), days, holidays: vec![], reply_time: "within a few hours".into() }
}

fn fields(body: &Value) -> Vec<&str> {
    body["fields"].as_array().map(|f| f.iter().filter_map(|p| p["field"].as_str()).collect()).unwrap_or_default()
}

#[tokio::test]
async fn admins_save_hours_and_wrong_ones_are_refused_whole() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let op = app.member(&acme, Role::Operator).await;
    // Through the app's own call (JSON): a week with closed days keeps its shape.
    let week = json!({ "hours": {
        "timezone": "Europe/Berlin",
        "days": [[{ "start": "09:00", "end": "17:00" }], [], [{ "start": "09:00", "end": "12:00" }, { "start": "13:00", "end": "17:00" }], [], [], [], []],
        "holidays": [{ "name": "Christmas", "from": "2026-12-24", "to": "2026-12-26", "yearly": true }],
        "reply_time": "within a day",
    }});
    let saved = owner.client.post(format!("{}/api/save_business_hours", owner.base)).json(&week).send().await.unwrap();
    assert_eq!(saved.status(), 200, "{:?}", saved.text().await);
    let stored: BusinessHours =
        op.call("get_business_hours", &[]).await.json::<Option<BusinessHours>>().await.unwrap().unwrap();
    assert_eq!(stored.days.len(), 7);
    assert!(stored.days[1].is_empty() && stored.days[2].len() == 2, "Tuesday closed, Wednesday split: {stored:?}");
    assert!(stored.holidays[0].yearly);
    let refused = owner
        .client
        .post(format!("{}/api/save_business_hours", owner.base))
        .json(&json!({ "hours": { "timezone": "UTC", "days": [[], []], "reply_time": "" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(fields(&body), vec!["days"], "{body}");

    let svc = &app.services;
    let owner_actor = parley_services::Actor::Member(
        parley_services::auth::sign_in(&svc.db, &svc.throttle, &acme.email, support::PASSWORD).await.unwrap(),
    );
    let nine = || vec![Interval { start: "09:00".into(), end: "17:00".into() }];
    let mut wrong = schedule(vec![nine(), nine(), nine(), nine(), nine(), vec![], vec![]]);
    wrong.timezone = "Mars/Olympus".into();
    wrong.days[5] = vec![
        Interval { start: "10:00".into(), end: "14:00".into() },
        Interval { start: "13:00".into(), end: "15:00".into() },
    ];
    wrong.holidays = vec![parley_types::Holiday {
        name: "Oops".into(),
        from: "2026-05-02".into(),
        to: "2026-05-01".into(),
        yearly: false,
    }];
    let Err(parley_services::ServiceError::InvalidFields(problems)) =
        parley_services::hours::save(svc, &owner_actor, Some(wrong)).await
    else {
        panic!("a wrong schedule must be refused");
    };
    let named: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(named, vec!["timezone", "days.5", "holidays.0"]);
    let stored: Option<BusinessHours> = owner.call("get_business_hours", &[]).await.json().await.unwrap();
    assert_eq!(stored.map(|h| h.timezone), Some("Europe/Berlin".into()), "nothing saved");

    let good = schedule(vec![nine(), nine(), nine(), nine(), nine(), vec![], vec![]]);
    parley_services::hours::save(svc, &owner_actor, Some(good.clone())).await.unwrap();
    let stored: Option<BusinessHours> = op.call("get_business_hours", &[]).await.json().await.unwrap();
    assert_eq!(stored, Some(good), "members read the hours");
    let post = |who: &support::Operator| {
        let (client, url) = (who.client.clone(), format!("{}/api/save_business_hours", who.base));
        async move { client.post(url).json(&json!({})).send().await.unwrap().status() }
    };
    assert_eq!(post(&op).await, 403, "operators change nothing");
    assert_eq!(post(&owner).await, 200, "no hours: always open");
    let stored: Option<BusinessHours> = op.call("get_business_hours", &[]).await.json().await.unwrap();
    assert_eq!(stored, None);
}

#[tokio::test]
async fn outside_hours_the_offline_form_opens_a_conversation() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let svc = &app.services;
    let owner_actor = parley_services::Actor::Member(
        parley_services::auth::sign_in(&svc.db, &svc.throttle, &acme.email, support::PASSWORD).await.unwrap(),
    );
    // Open all day, every day: the chat as usual.
    let all_day = || vec![Interval { start: "00:00".into(), end: "24:00".into() }];
    let always = schedule(vec![all_day(), all_day(), all_day(), all_day(), all_day(), all_day(), all_day()]);
    parley_services::hours::save(svc, &owner_actor, Some(always)).await.unwrap();
    let visitor = app.visitor(&acme).await;
    assert_eq!(session(&app, &acme, &visitor).await.prechat, None, "open: no form");

    // Closed every day (one interval a year away would do too): the offline form.
    let mut closed = schedule(vec![vec![], vec![], vec![], vec![], vec![], vec![], vec![]]);
    closed.reply_time = "within a day".into();
    parley_services::hours::save(svc, &owner_actor, Some(closed)).await.unwrap();
    let form = session(&app, &acme, &visitor).await.prechat.expect("the offline form");
    assert_eq!(form.form, LeadFormKind::Offline);
    assert!(form.intro.contains("away") && form.intro.contains("within a day"), "{}", form.intro);
    let keys: Vec<(&str, &str, bool)> =
        form.fields.iter().map(|f| (f.key.as_str(), f.input.as_str(), f.required)).collect();
    assert_eq!(keys, vec![("name", "text", false), ("email", "email", true), ("message", "textarea", true)]);

    // Every problem at once, nothing written.
    let (status, body) = app
        .widget_call(&acme, &visitor.token, "lead", json!({ "form": "offline", "values": { "email": "nope" } }))
        .await;
    assert_eq!(status, 400);
    assert_eq!(fields(&body), vec!["email", "message"], "{body}");
    assert!(owner.list_conversations().await.json::<Vec<Value>>().await.unwrap().is_empty());

    let submitted = json!({
        "form": "offline",
        "values": { "name": "Nora Night", "email": "nora@example.com", "message": "Is the shop open on Sunday?" },
    });
    let (status, body) = app.widget_call(&acme, &visitor.token, "lead", submitted).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["kind"], json!(ContactKind::Lead));
    let conversations: Vec<parley_types::ConversationSummary> = owner.list_conversations().await.json().await.unwrap();
    assert_eq!(conversations.len(), 1, "the message opened a conversation");
    assert_eq!(conversations[0].contact_name, "Nora Night");
    let conversation: Value = owner.get_conversation(conversations[0].id).await.json().await.unwrap();
    assert!(conversation.to_string().contains("Is the shop open on Sunday?"));
    // With the conversation open, the visitor sees the chat (and their message), not the form.
    assert_eq!(session(&app, &acme, &visitor).await.prechat, None);
}
