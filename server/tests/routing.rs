//! Departments and routing: admins describe departments, offer some in the widget's
//! pre-chat picker, give one its own hours, and order routing rules (page address,
//! language, channel, the visitor's pick, a contact label); a new conversation goes to
//! the first matching rule's department, else the picked one, else the default, else
//! Live. Bad rules are refused by position, nothing saved; deleting a department drops
//! its rules. Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{
    BusinessHours, ClientEvent, ConversationId, Department, DepartmentId, Role, RouteWhen, RoutingRule, WidgetSession,
};
use serde_json::{Value, json};
use support::{Operator, SITE, TestApp, TestWorkspace};

async fn department(owner: &Operator, name: &str, description: &str, in_picker: bool) -> DepartmentId {
    let form = [
        ("name", name),
        ("auto_assign", "false"),
        ("capacity", "10"),
        ("members", ""),
        ("is_default", "false"),
        ("description", description),
        ("in_picker", if in_picker { "true" } else { "false" }),
    ];
    let response = owner.call("create_department", &form).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let made: Department = response.json().await.unwrap();
    assert_eq!((made.description.as_str(), made.in_picker), (description, in_picker));
    made.id
}

async fn save_rules(who: &Operator, rules: &[RoutingRule]) -> reqwest::Response {
    who.client
        .post(format!("{}/api/save_routing_rules", who.base))
        .json(&json!({ "rules": rules }))
        .send()
        .await
        .unwrap()
}

fn rule(when: RouteWhen, value: &str, to: DepartmentId) -> RoutingRule {
    RoutingRule { when, value: value.into(), department_id: to }
}

/// A new visitor (with this browser language) who first shows `page`, then writes: the
/// department their conversation went to.
async fn first_conversation(
    app: &TestApp,
    ws: &TestWorkspace,
    language: &str,
    page: &str,
    before: impl AsyncFnOnce(&WidgetSession),
) -> Option<DepartmentId> {
    let response = reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/visitors", app.base, ws.key))
        .header("Origin", SITE)
        .header("Accept-Language", language)
        .send()
        .await
        .unwrap();
    let visitor: WidgetSession = response.json().await.unwrap();
    before(&visitor).await;
    let (mut socket, _) = app.visitor_socket(ws, &visitor, 0).await;
    socket.send(&ClientEvent::Page { url: page.into(), title: String::new(), referrer: String::new() }).await;
    // The page report is handled before the next frame (frames are read in order).
    socket.send(&ClientEvent::Send { client_id: "first-1".into(), text: "Hello".into(), attachments: vec![] }).await;
    let id: ConversationId = socket.wait_for_message("Hello").await.conversation_id;
    let owner = app.sign_in(&ws.email).await;
    owner.summary(id).await.department_id
}

#[tokio::test]
async fn new_conversations_follow_the_first_matching_rule() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let sales = department(&owner, "Sales", "Quotes and pricing", false).await;
    let spanish = department(&owner, "Español", "", false).await;
    let vip = department(&owner, "VIP", "", false).await;
    let general = department(&owner, "General", "", false).await;
    let label = owner.call("create_label", &[("name", "Gold"), ("colour", "#f59f00")]).await;
    assert_eq!(label.status(), 200);
    let rules = vec![
        rule(RouteWhen::PageUrl, "/pricing", sales),
        rule(RouteWhen::Language, "es", spanish),
        rule(RouteWhen::ContactTag, "gold", vip),
    ];
    assert_eq!(save_rules(&owner, &rules).await.status(), 200);
    let listed: Vec<RoutingRule> =
        app.member(&acme, Role::Operator).await.call("list_routing_rules", &[]).await.json().await.unwrap();
    assert_eq!(listed, rules);

    let nothing = async |_: &WidgetSession| {};
    assert_eq!(
        first_conversation(&app, &acme, "en-GB", "https://shop.test/", nothing).await,
        None,
        "no match, no default: Live"
    );
    assert_eq!(first_conversation(&app, &acme, "es-MX,es;q=0.9", "https://shop.test/", nothing).await, Some(spanish));
    // Earlier rules win.
    assert_eq!(
        first_conversation(&app, &acme, "es-ES", "https://shop.test/Pricing?plan=pro", nothing).await,
        Some(sales)
    );
    let gold = async |visitor: &WidgetSession| {
        let (status, body) = app.widget_call(&acme, &visitor.token, "labels", json!({ "labels": ["Gold"] })).await;
        assert_eq!(status, 200, "{body}");
    };
    assert_eq!(first_conversation(&app, &acme, "de", "https://shop.test/", gold).await, Some(vip));
    // Without a match: the default department.
    let form = [
        ("name", "General"),
        ("auto_assign", "false"),
        ("capacity", "10"),
        ("members", ""),
        ("is_default", "true"),
        ("id", &general.to_string()),
    ];
    assert_eq!(owner.call("update_department", &form).await.status(), 200);
    assert_eq!(first_conversation(&app, &acme, "fr", "https://shop.test/", nothing).await, Some(general));

    // Deleting a department drops the rules that send conversations there.
    assert_eq!(owner.call("delete_department", &[("id", &sales.to_string())]).await.status(), 200);
    let listed: Vec<RoutingRule> = owner.call("list_routing_rules", &[]).await.json().await.unwrap();
    assert_eq!(listed, rules[1..]);
}

#[tokio::test]
async fn bad_rules_are_refused_by_position_and_operators_may_not_save() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let other = app.workspace("Other").await;
    let owner = app.operator(&acme).await;
    let theirs = department(&app.operator(&other).await, "Theirs", "", false).await;
    let ours = department(&owner, "Ours", "", false).await;
    let good = rule(RouteWhen::Channel, "widget", ours);
    assert_eq!(save_rules(&owner, std::slice::from_ref(&good)).await.status(), 200);
    let bad = vec![
        rule(RouteWhen::PageUrl, "/ok", ours),
        rule(RouteWhen::PageUrl, "/theirs", theirs),
        rule(RouteWhen::Language, "not a language", ours),
        rule(RouteWhen::Channel, "fax", ours),
        rule(RouteWhen::ContactTag, "no such label", ours),
        rule(RouteWhen::Prechat, &theirs.to_string(), ours),
    ];
    let refused = save_rules(&owner, &bad).await;
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["rules.1", "rules.2", "rules.3", "rules.4", "rules.5"], "{body}");
    let listed: Vec<RoutingRule> = owner.call("list_routing_rules", &[]).await.json().await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&good), "nothing saved");
    let op = app.member(&acme, Role::Operator).await;
    assert_eq!(save_rules(&op, &[]).await.status(), 403);

    // A department's own hours are checked like the workspace's.
    let wrong = BusinessHours {
        timezone: "Mars/Olympus".into(),
        days: vec![vec![]; 7],
        holidays: vec![],
        reply_time: String::new(),
    };
    let response = owner
        .client
        .post(format!("{}/api/save_department_hours", owner.base))
        .json(&json!({ "id": ours, "hours": wrong }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let response = owner
        .client
        .post(format!("{}/api/save_department_hours", owner.base))
        .json(&json!({ "id": theirs, "hours": null }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404, "another workspace's department");
}

#[tokio::test]
async fn the_widget_offers_a_department_picker_and_the_pick_routes() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let billing = department(&owner, "Billing", "Invoices and refunds", true).await;
    let tech = department(&owner, "Tech", "", true).await;
    let tier2 = department(&owner, "Tier 2", "", false).await;
    // Picking Tech sends the conversation to Tier 2; picking Billing, to Billing itself.
    assert_eq!(save_rules(&owner, &[rule(RouteWhen::Prechat, &tech.to_string(), tier2)]).await.status(), 200);

    let visitor = app.visitor(&acme).await;
    let form = visitor.prechat.clone().expect("the picker shows as a pre-chat form");
    let picker = &form.fields[0];
    assert_eq!((picker.key.as_str(), picker.input.as_str(), picker.required), ("department", "select", true));
    assert_eq!(picker.options, ["Billing: Invoices and refunds", "Tech"]);
    // Not picked yet: the first message waits for the form.
    let (mut socket, _) = app.visitor_socket(&acme, &visitor, 0).await;
    socket.send(&ClientEvent::Send { client_id: "early-1".into(), text: "Hi".into(), attachments: vec![] }).await;
    let refused = socket.next_event().await;
    assert!(matches!(refused, parley_types::VisitorEvent::Error(_)), "{refused:?}");

    let (status, body) = app
        .widget_call(&acme, &visitor.token, "lead", json!({ "form": "prechat", "values": { "department": "Sales" } }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["fields"][0]["field"], "department");
    let (status, body) = app
        .widget_call(&acme, &visitor.token, "lead", json!({ "form": "prechat", "values": { "department": "Tech" } }))
        .await;
    assert_eq!(status, 200, "{body}");
    socket
        .send(&ClientEvent::Send { client_id: "first-1".into(), text: "My app crashes".into(), attachments: vec![] })
        .await;
    let id = socket.wait_for_message("My app crashes").await.conversation_id;
    assert_eq!(owner.summary(id).await.department_id, Some(tier2));

    let other = app.visitor(&acme).await;
    let pick = json!({ "form": "prechat", "values": { "department": "Billing: Invoices and refunds" } });
    assert_eq!(app.widget_call(&acme, &other.token, "lead", pick).await.0, 200);
    let (mut socket, _) = app.visitor_socket(&acme, &other, 0).await;
    socket
        .send(&ClientEvent::Send { client_id: "first-2".into(), text: "Refund please".into(), attachments: vec![] })
        .await;
    let id = socket.wait_for_message("Refund please").await.conversation_id;
    assert_eq!(owner.summary(id).await.department_id, Some(billing));

    // A picked department with its own hours, closed all week: the offline form.
    let closed = BusinessHours {
        timezone: "UTC".into(),
        days: vec![vec![]; 7],
        holidays: vec![],
        reply_time: "tomorrow".into(),
    };
    let response = owner
        .client
        .post(format!("{}/api/save_department_hours", owner.base))
        .json(&json!({ "id": billing, "hours": closed }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let third = app.visitor(&acme).await;
    let pick = json!({ "form": "prechat", "values": { "department": "Billing: Invoices and refunds" } });
    assert_eq!(app.widget_call(&acme, &third.token, "lead", pick).await.0, 200);
    let session: WidgetSession = reqwest::Client::new()
        .get(format!("{}/widget/v1/{}/session", app.base, acme.key))
        .header("Origin", SITE)
        .header("X-Parley-Token", &third.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(session.prechat.map(|f| f.form), Some(parley_types::LeadFormKind::Offline));
}
