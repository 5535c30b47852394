//! Assignment beyond the manual kind: members' availability (and "away" by itself once
//! their last tab closed), departments managed by admins, moving a conversation to a
//! department, and round-robin auto-assignment under a capacity, including many
//! simultaneous arrivals. Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use std::collections::HashMap;

use parley_services::entities::{conversation, workspace};
use parley_services::{Actor, Visitor};
use parley_types::{
    Availability, ConversationId, ConversationStatus, ConversationSummary, Department, DepartmentId, OperatorEvent,
    Role, Teammate, UserId,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use support::{Socket, TestApp, TestWorkspace, WAIT};

/// Waits until no auto-assignment is queued or running: its effects have committed.
async fn settled(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let row = app
            .services
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.services.db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM jobs WHERE kind = 'assignment.dispatch'",
            ))
            .await
            .unwrap()
            .unwrap();
        if row.try_get::<i64>("", "n").unwrap() == 0 {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "auto-assignment did not settle");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// A new visitor's first message, written the way the widget's socket writes it; returns
/// the conversation.
async fn arrival(app: &TestApp, ws: &TestWorkspace, text: &str) -> ConversationId {
    let row = workspace::Entity::find_by_id(ws.id.0).one(&app.services.db).await.unwrap().unwrap();
    let session = parley_services::visitors::create_visitor(&app.services, &row, Default::default()).await.unwrap();
    let actor = Actor::Visitor(Visitor { contact_id: session.contact_id, workspace_id: ws.id });
    let posted =
        parley_services::conversations::post_visitor_message(&app.services, &actor, "first", text, &[]).await.unwrap();
    posted.message.conversation_id
}

/// The open conversations of the workspace by assignee (`None`: waiting in Live), oldest first.
async fn open_by_assignee(app: &TestApp, ws: &TestWorkspace) -> HashMap<Option<i64>, Vec<ConversationId>> {
    let rows = conversation::Entity::find()
        .filter(conversation::Column::WorkspaceId.eq(ws.id.0))
        .filter(conversation::Column::Status.eq(ConversationStatus::Open.as_str()))
        .order_by_asc(conversation::Column::Id)
        .all(&app.services.db)
        .await
        .unwrap();
    let mut by = HashMap::<Option<i64>, Vec<ConversationId>>::new();
    for row in rows {
        by.entry(row.assignee_id).or_default().push(ConversationId(row.id));
    }
    by
}

async fn department(response: reqwest::Response) -> Department {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn error_text(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status(), status);
    let body: serde_json::Value = response.json().await.unwrap();
    body["message"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn members_set_their_availability_and_become_away_after_their_last_tab_closes() {
    async fn changed_to(socket: &mut Socket<OperatorEvent>, of: UserId) -> Availability {
        socket
            .wait_for(|e| match e {
                OperatorEvent::AvailabilityChanged { user_id, availability } if user_id == of => Some(availability),
                _ => None,
            })
            .await
    }
    let app = TestApp::spawn_with_env(&[("PARLEY_AWAY_AFTER_SECS", "1")]).await;
    let ws = app.workspace("Acme").await;
    let ana = app.member(&ws, Role::Operator).await;
    let bob = app.member(&ws, Role::Operator).await;
    let (ana_id, _) = ana.me().await;
    let mut bobs = bob.socket().await;

    // Ana sets herself away and back; Bob sees each change.
    assert_eq!(ana.set_availability("away").await.status(), 200);
    assert_eq!(changed_to(&mut bobs, ana_id).await, Availability::Away);
    assert_eq!(ana.set_availability("busy").await.status(), 400);
    ana.set_availability("online").await;
    assert_eq!(changed_to(&mut bobs, ana_id).await, Availability::Online);

    // Her only tab closes: a moment later she is away by herself; she comes back online
    // when a tab opens again.
    let anas = ana.socket().await;
    anas.close().await;
    assert_eq!(changed_to(&mut bobs, ana_id).await, Availability::Away);
    let team: Vec<Teammate> = bob.list_teammates().await.json().await.unwrap();
    assert_eq!(team.into_iter().find(|t| t.user_id == ana_id).unwrap().availability, Availability::Away);
    let _again = ana.socket().await;
    assert_eq!(changed_to(&mut bobs, ana_id).await, Availability::Online);
}

#[tokio::test]
async fn admins_manage_departments_and_bad_input_changes_nothing() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let owner = app.operator(&ws).await;
    let ana = app.member(&ws, Role::Operator).await;
    let (ana_id, _) = ana.me().await;
    let other = app.workspace("Globex").await;
    let stranger = app.member(&other, Role::Operator).await;
    let (stranger_id, _) = stranger.me().await;
    let mut anas_inbox = ana.socket().await;

    let billing = department(owner.save_department(None, "Billing", 3, &[ana_id], true).await).await;
    assert_eq!((billing.capacity, billing.members.clone(), billing.is_default), (3, vec![ana_id], true));
    // Every operator hears of it.
    let heard = anas_inbox
        .wait_for(|e| match e {
            OperatorEvent::DepartmentsChanged { departments } => Some(departments),
            _ => None,
        })
        .await;
    assert_eq!(heard, vec![billing.clone()]);

    // Refusals, each with a sentence; nothing changes.
    assert!(error_text(owner.save_department(None, " ", 3, &[], false).await, 400).await.contains("name"));
    assert!(error_text(owner.save_department(None, "Sales", 0, &[], false).await, 400).await.contains("Capacity"));
    assert!(error_text(owner.save_department(None, "billing", 3, &[], false).await, 409).await.contains("exists"));
    let foreign = owner.save_department(Some(billing.id), "Billing", 3, &[stranger_id], true).await;
    assert!(error_text(foreign, 400).await.contains("not a member"));
    assert_eq!(ana.save_department(None, "Sales", 3, &[], false).await.status(), 403);
    let listed: Vec<Department> = ana.list_departments().await.json().await.unwrap();
    assert_eq!(listed, vec![billing.clone()]);
    // Another workspace's department is as unknown as a missing one.
    let globex_owner = app.operator(&other).await;
    assert_eq!(globex_owner.save_department(Some(billing.id), "Mine", 3, &[], false).await.status(), 404);
    assert_eq!(globex_owner.delete_department(billing.id).await.status(), 404);

    // New conversations go to the default department; moving one elsewhere keeps an
    // assignee who belongs there and clears one who does not.
    let id = arrival(&app, &ws, "Where is my invoice?").await;
    settled(&app).await;
    let detail: serde_json::Value = owner.get_conversation(id).await.json().await.unwrap();
    let summary: ConversationSummary = serde_json::from_value(detail["summary"].clone()).unwrap();
    assert_eq!((summary.department_id, summary.assignee_id), (Some(billing.id), Some(ana_id)));
    // What operators were told carries the assignment's own line (a screen keeps the
    // summary with the highest sequence number).
    let told = anas_inbox
        .wait_for(|e| match e {
            OperatorEvent::ConversationChanged { conversation } if conversation.assignee_id == Some(ana_id) => {
                Some(conversation)
            }
            _ => None,
        })
        .await;
    let messages: Vec<parley_types::Message> = serde_json::from_value(detail["messages"].clone()).unwrap();
    assert_eq!(told.last_seq, messages.last().unwrap().seq);
    assert!(messages.last().unwrap().text.contains("round robin"));
    let sales = department(owner.save_department(None, "Sales", 5, &[], false).await).await;
    let moved: ConversationSummary = owner.set_conversation_department(id, Some(sales.id)).await.json().await.unwrap();
    assert_eq!((moved.department_id, moved.assignee_id), (Some(sales.id), None));
    let back: ConversationSummary = owner.set_conversation_department(id, Some(billing.id)).await.json().await.unwrap();
    assert_eq!(back.department_id, Some(billing.id));
    assert_eq!(stranger.set_conversation_department(id, None).await.status(), 404);
    let globex_dept = department(globex_owner.save_department(None, "Theirs", 5, &[], false).await).await;
    assert_eq!(owner.set_conversation_department(id, Some(globex_dept.id)).await.status(), 404);

    // Deleting a department takes its conversations out of it and unsets the default.
    assert_eq!(owner.delete_department(billing.id).await.json::<u64>().await.unwrap(), 1);
    let listed: Vec<Department> = ana.list_departments().await.json().await.unwrap();
    assert_eq!(listed.iter().map(|d| d.id).collect::<Vec<DepartmentId>>(), vec![sales.id]);
    let row = conversation::Entity::find_by_id(id.0).one(&app.services.db).await.unwrap().unwrap();
    assert_eq!(row.department_id, None);
    let later = arrival(&app, &ws, "Hello?").await;
    let row = conversation::Entity::find_by_id(later.0).one(&app.services.db).await.unwrap().unwrap();
    assert_eq!(row.department_id, None);
}

#[tokio::test]
async fn auto_assignment_goes_round_robin_to_online_members_under_capacity() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let owner = app.operator(&ws).await;
    let ana = app.member(&ws, Role::Operator).await;
    let bob = app.member(&ws, Role::Operator).await;
    let (ana_id, bob_id) = (ana.me().await.0, bob.me().await.0);
    department(owner.save_department(None, "Support", 2, &[ana_id, bob_id], true).await).await;

    // Bob is offline: everything goes to Ana, up to her capacity; the third waits.
    bob.set_availability("offline").await;
    let first = [arrival(&app, &ws, "one").await, arrival(&app, &ws, "two").await, arrival(&app, &ws, "three").await];
    settled(&app).await;
    let open = open_by_assignee(&app, &ws).await;
    assert_eq!(open[&Some(ana_id.0)], first[..2].to_vec());
    assert_eq!(open[&None], vec![first[2]]);
    assert!(!open.contains_key(&Some(bob_id.0)));

    // Bob comes online: the waiting one goes to him at once.
    bob.set_availability("online").await;
    settled(&app).await;
    assert_eq!(open_by_assignee(&app, &ws).await[&Some(bob_id.0)], vec![first[2]]);

    // Bob got one most recently, Ana is full: the next goes to Bob, then both are full
    // and new ones wait in Live, oldest first.
    let (four, five, six) =
        (arrival(&app, &ws, "four").await, arrival(&app, &ws, "five").await, arrival(&app, &ws, "six").await);
    settled(&app).await;
    let open = open_by_assignee(&app, &ws).await;
    assert_eq!(open[&Some(bob_id.0)], vec![first[2], four]);
    assert_eq!(open[&None], vec![five, six]);

    // Ana closes one: the oldest waiting takes her slot. Bob snoozes one: the next
    // takes his.
    assert_eq!(ana.close_conversation(first[0], "resolved", None).await.status(), 200);
    settled(&app).await;
    assert_eq!(open_by_assignee(&app, &ws).await[&Some(ana_id.0)], vec![first[1], five]);
    assert_eq!(bob.snooze_conversation(four, None).await.status(), 200);
    settled(&app).await;
    let open = open_by_assignee(&app, &ws).await;
    assert_eq!(open[&Some(bob_id.0)], vec![first[2], six]);
    assert!(!open.contains_key(&None));

    // Turned off, a department leaves new conversations in Live.
    let support: Vec<Department> = owner.list_departments().await.json().await.unwrap();
    let form = [
        ("id", support[0].id.to_string()),
        ("name", "Support".to_owned()),
        ("auto_assign", "false".to_owned()),
        ("capacity", "20".to_owned()),
        ("members", format!("{ana_id},{bob_id}")),
        ("is_default", "true".to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(owner.call("update_department", &form).await.status(), 200);
    let seven = arrival(&app, &ws, "seven").await;
    settled(&app).await;
    assert_eq!(open_by_assignee(&app, &ws).await[&None], vec![seven]);
}

#[tokio::test]
async fn fifty_simultaneous_arrivals_never_push_anyone_past_the_capacity() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let owner = app.operator(&ws).await;
    let mut members = Vec::new();
    for _ in 0..3 {
        members.push(app.member(&ws, Role::Operator).await.me().await.0);
    }
    department(owner.save_department(None, "Support", 3, &members, true).await).await;

    let row = workspace::Entity::find_by_id(ws.id.0).one(&app.services.db).await.unwrap().unwrap();
    let mut visitors = Vec::new();
    for _ in 0..50 {
        visitors.push(
            parley_services::visitors::create_visitor(&app.services, &row, Default::default())
                .await
                .unwrap()
                .contact_id,
        );
    }
    let mut arrivals = tokio::task::JoinSet::new();
    for (n, contact_id) in visitors.into_iter().enumerate() {
        let services = app.services.clone();
        let actor = Actor::Visitor(Visitor { contact_id, workspace_id: ws.id });
        arrivals.spawn(async move {
            parley_services::conversations::post_visitor_message(&services, &actor, "first", &format!("hi {n}"), &[])
                .await
                .unwrap()
        });
    }
    while let Some(posted) = arrivals.join_next().await {
        posted.unwrap();
    }
    settled(&app).await;
    let open = open_by_assignee(&app, &ws).await;
    for member in &members {
        assert_eq!(open.get(&Some(member.0)).map_or(0, Vec::len), 3, "member {member} holds exactly the capacity");
    }
    assert_eq!(open[&None].len(), 50 - 9, "the rest wait in Live");
}

#[tokio::test]
async fn members_still_online_after_a_restart_become_away_unless_a_tab_comes_back() {
    use parley_services::entities::membership;
    let app = TestApp::spawn_with_env(&[("PARLEY_AWAY_AFTER_SECS", "1")]).await;
    let ws = app.workspace("Acme").await;
    let ana = app.member(&ws, Role::Operator).await;
    let (ana_id, _) = ana.me().await;
    // Neither has a socket that closed: nothing is scheduled, as after a crash.
    let app = app.restart().await;
    let owner = app.sign_in(&ws.email).await;
    let (owner_id, _) = owner.me().await;
    let mut owners_inbox = owner.socket().await;

    let changed = owners_inbox
        .wait_for(|e| match e {
            OperatorEvent::AvailabilityChanged { user_id, availability } if user_id == ana_id => Some(availability),
            _ => None,
        })
        .await;
    assert_eq!(changed, Availability::Away, "Ana never came back");
    let rows = membership::Entity::find()
        .filter(membership::Column::WorkspaceId.eq(ws.id.0))
        .all(&app.services.db)
        .await
        .unwrap();
    let of = |user: UserId| rows.iter().find(|m| m.user_id == user.0).unwrap().availability.clone();
    assert_eq!((of(ana_id).as_str(), of(owner_id).as_str()), ("away", "online"), "the owner's tab came back");
}
