//! The option "operators see only their departments' conversations and unrouted ones":
//! off, everyone sees everything; on, an operator sees their departments' conversations,
//! the unrouted ones and those assigned to them, through every path (lists, counts,
//! search, the conversation, its commands, the contact page, the socket), while owners
//! and admins still see all. Only owners and admins switch it, audited. Runs on SQLite,
//! and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use std::collections::BTreeSet;

use parley_types::{
    AuditAction, AuditPage, ClientEvent, ContactDetail, ConversationId, Department, DepartmentId, InboxFilter,
    InboxView, OperatorEvent, Role, UserId, ViewCounts,
};
use support::{Operator, TestApp, TestEvent, TestWorkspace};

/// A department without auto-assignment (conversations stay where the test puts them).
async fn department(owner: &Operator, name: &str, members: &[UserId]) -> DepartmentId {
    let members = members.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(",");
    let form =
        [("name", name), ("auto_assign", "false"), ("capacity", "10"), ("members", &members), ("is_default", "false")];
    let response = owner.call("create_department", &form).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    response.json::<Department>().await.unwrap().id
}

async fn set_option(who: &Operator, on: bool) -> u16 {
    who.call("set_own_departments_only", &[("on", if on { "true" } else { "false" })]).await.status().as_u16()
}

/// The conversations `who` finds with no filter (every status), by id.
async fn found(who: &Operator) -> BTreeSet<ConversationId> {
    who.found(&InboxFilter::default()).await.into_iter().map(|hit| hit.conversation.id).collect()
}

async fn live_ids(who: &Operator) -> BTreeSet<ConversationId> {
    let response = who.list_view(InboxView::Live, parley_types::InboxSort::Latest).await;
    assert_eq!(response.status(), 200);
    response.json::<Vec<parley_types::ConversationSummary>>().await.unwrap().into_iter().map(|c| c.id).collect()
}

async fn counts(who: &Operator) -> ViewCounts {
    who.inbox_counts().await.json().await.unwrap()
}

/// A workspace whose owner made two departments: Sales, with an operator in it, and
/// Support, with nobody.
struct Team {
    acme: TestWorkspace,
    owner: Operator,
    sales_op: Operator,
    sales: DepartmentId,
    support: DepartmentId,
}

impl Team {
    async fn new(app: &TestApp) -> Team {
        let acme = app.workspace("Acme").await;
        let owner = app.operator(&acme).await;
        let sales_op = app.member(&acme, Role::Operator).await;
        let (sales_id, _) = sales_op.me().await;
        let sales = department(&owner, "Sales", &[sales_id]).await;
        let support = department(&owner, "Support", &[]).await;
        Team { acme, owner, sales_op, sales, support }
    }
}

/// A new visitor's conversation, moved to `to` by the owner.
async fn conversation_in(
    app: &TestApp,
    ws: &TestWorkspace,
    owner: &Operator,
    text: &str,
    to: Option<DepartmentId>,
) -> ConversationId {
    let id = app.visitor_writes(ws, text).await;
    if to.is_some() {
        assert_eq!(owner.set_conversation_department(id, to).await.status(), 200);
    }
    id
}

fn set(ids: &[ConversationId]) -> BTreeSet<ConversationId> {
    ids.iter().copied().collect()
}

#[tokio::test]
async fn operators_see_only_their_departments_unrouted_and_assigned_conversations() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let admin = app.member(&acme, Role::Admin).await;
    let sales_op = app.member(&acme, Role::Operator).await;
    let support_op = app.member(&acme, Role::Operator).await;
    let (sales_id, _) = sales_op.me().await;
    let (support_id, _) = support_op.me().await;
    let sales = department(&owner, "Sales", &[sales_id]).await;
    let support = department(&owner, "Support", &[support_id]).await;

    let in_sales = conversation_in(&app, &acme, &owner, "buying", Some(sales)).await;
    let in_support = conversation_in(&app, &acme, &owner, "broken", Some(support)).await;
    let unrouted = conversation_in(&app, &acme, &owner, "hello", None).await;
    // Support's, but assigned to the sales operator by the owner.
    let assigned = conversation_in(&app, &acme, &owner, "refund", Some(support)).await;
    assert_eq!(owner.assign_conversation(assigned, Some(sales_id)).await.status(), 200);
    let everything = set(&[in_sales, in_support, unrouted, assigned]);

    // Off (the default): everyone sees everything.
    assert!(!owner.call("get_own_departments_only", &[]).await.json::<bool>().await.unwrap());
    assert_eq!(found(&sales_op).await, everything);

    // Operators cannot switch it; an admin can, and it is audited.
    assert_eq!(set_option(&sales_op, true).await, 403);
    assert_eq!(set_option(&admin, true).await, 200);
    assert!(sales_op.call("get_own_departments_only", &[]).await.json::<bool>().await.unwrap());
    let audit: AuditPage = owner
        .call("list_audit_entries", &[("filter[action]", AuditAction::SettingsChanged.as_str())])
        .await
        .json()
        .await
        .unwrap();
    let entry = audit.entries.iter().find(|e| e.target.contains("only their departments")).expect("audited");
    assert!(entry.details.contains("false") && entry.details.contains("true"), "{}", entry.details);

    // Each operator: their department's, the unrouted one, and what is assigned to them.
    assert_eq!(found(&sales_op).await, set(&[in_sales, unrouted, assigned]));
    assert_eq!(found(&support_op).await, set(&[in_support, unrouted, assigned]));
    assert_eq!(live_ids(&sales_op).await, set(&[in_sales, unrouted]));
    assert_eq!(live_ids(&support_op).await, set(&[in_support, unrouted]));
    // Owners and admins still see all of them.
    assert_eq!(found(&owner).await, everything);
    assert_eq!(found(&admin).await, everything);

    // Counts are the operator's own.
    let (team, mine) = (counts(&owner).await, counts(&sales_op).await);
    assert_eq!((team.live, team.assigned), (3, 1));
    assert_eq!((mine.live, mine.assigned, mine.mine), (2, 1, 1));
    let theirs = counts(&support_op).await;
    assert_eq!((theirs.live, theirs.assigned, theirs.mine), (2, 1, 0));

    // Another department's conversation is "not found", read or written.
    assert_eq!(sales_op.get_conversation(in_support).await.status(), 404);
    assert_eq!(sales_op.send_reply(in_support, "c-1", "hi").await.status(), 404);
    assert_eq!(sales_op.add_note(in_support, "c-2", "psst").await.status(), 404);
    assert_eq!(sales_op.close_conversation(in_support, "resolved", None).await.status(), 404);
    assert_eq!(sales_op.get_conversation(in_sales).await.status(), 200);
    assert_eq!(sales_op.get_conversation(assigned).await.status(), 200);
    assert_eq!(support_op.get_conversation(assigned).await.status(), 200, "still Support's");
    // A bulk action on it fails for that one alone.
    let bulk: parley_types::BulkResult = sales_op
        .call(
            "bulk_conversations",
            &[("ids[0]", &in_sales.to_string()), ("ids[1]", &in_support.to_string()), ("action", "mark_read")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bulk.done, vec![in_sales]);
    assert_eq!(bulk.failed.iter().map(|f| f.conversation_id).collect::<Vec<_>>(), vec![in_support]);

    // The contact page lists only the conversations the operator sees.
    let contact = owner.summary(in_support).await.contact_id;
    let detail: ContactDetail = sales_op.get_contact(contact).await.json().await.unwrap();
    assert!(detail.conversations.is_empty(), "{:?}", detail.conversations);
    let detail: ContactDetail = support_op.get_contact(contact).await.json().await.unwrap();
    assert_eq!(detail.conversations.iter().map(|c| c.id).collect::<Vec<_>>(), vec![in_support]);

    // Joining a department shows its conversations at once; switching it off shows all.
    let members = format!("{support_id},{sales_id}");
    let form = [
        ("id", support.to_string()),
        ("name", "Support".into()),
        ("auto_assign", "false".into()),
        ("capacity", "10".into()),
        ("members", members),
        ("is_default", "false".into()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(owner.call("update_department", &form).await.status(), 200);
    assert_eq!(found(&sales_op).await, everything);
    assert_eq!(set_option(&owner, false).await, 200);
    assert_eq!(found(&support_op).await, everything);
}

#[tokio::test]
async fn an_operators_socket_carries_only_what_they_see() {
    let app = TestApp::spawn().await;
    let Team { acme, owner, sales_op, sales, support } = Team::new(&app).await;
    let in_sales = conversation_in(&app, &acme, &owner, "buying", Some(sales)).await;
    let in_support = conversation_in(&app, &acme, &owner, "broken", Some(support)).await;
    let unrouted = conversation_in(&app, &acme, &owner, "hello", None).await;
    assert_eq!(set_option(&owner, true).await, 200);

    let mut socket = sales_op.socket().await;
    let mut team = owner.socket().await;
    // A note in Support's conversation, then one in Sales': the operator's socket carries
    // the second alone (messages, summaries and read marks of the first never arrive).
    assert_eq!(owner.add_note(in_support, "n-1", "support only").await.status(), 200);
    assert_eq!(owner.add_note(in_sales, "n-2", "for sales").await.status(), 200);
    let first = socket
        .wait_for(|event| match event {
            OperatorEvent::MessageCreated { message } => Some(message),
            OperatorEvent::ConversationChanged { conversation } => {
                assert_ne!(conversation.id, in_support, "a summary of Support's conversation");
                None
            }
            OperatorEvent::MemberRead { conversation_id, .. } | OperatorEvent::Typing { conversation_id, .. } => {
                assert_ne!(conversation_id, in_support);
                None
            }
            _ => None,
        })
        .await;
    assert_eq!((first.conversation_id, first.text.as_str()), (in_sales, "for sales"));
    team.wait_for_message("support only").await;

    // Counts pushed to the operator are their own; the owner's are the team's.
    let later = parley_services::clock::now_ms() + 3_600_000;
    assert_eq!(owner.snooze_conversation(in_support, Some(later)).await.status(), 200);
    let pushed = |e| if let OperatorEvent::ViewCounts { counts } = e { Some(counts) } else { None };
    let counts = socket.wait_for(pushed).await;
    assert_eq!((counts.live, counts.snoozed), (2, 0));
    let counts = team.wait_for(pushed).await;
    assert_eq!((counts.live, counts.snoozed), (2, 1));

    // Sales' conversation moves to Support: it leaves the operator's screen.
    assert_eq!(owner.set_conversation_department(in_sales, Some(support)).await.status(), 200);
    // (The line saying where it went is the last of it they get.)
    socket
        .wait_for(|e| {
            matches!(e, OperatorEvent::ConversationGone { conversation_id } if conversation_id == in_sales)
                .then_some(())
        })
        .await;
    assert_eq!(sales_op.get_conversation(in_sales).await.status(), 404);
    assert_eq!(owner.add_note(in_sales, "n-3", "after the move").await.status(), 200);
    assert_eq!(owner.add_note(unrouted, "n-4", "unrouted").await.status(), 200);
    let next = socket.wait_for(|e| e.message()).await;
    assert_eq!((next.conversation_id, next.text.as_str()), (unrouted, "unrouted"));

    // Switching the option off changes what they see: the socket closes to be reloaded.
    assert_eq!(set_option(&owner, false).await, 200);
    assert_eq!(socket.close_code().await, Some(1013));
    // The owner's socket stays, told of the change.
    team.wait_for(|e| matches!(e, OperatorEvent::VisibilityChanged { own_departments: false }).then_some(())).await;
    let mut socket = sales_op.socket().await;
    assert_eq!(owner.add_note(in_sales, "n-5", "everyone again").await.status(), 200);
    socket.wait_for_message("everyone again").await;
}

#[tokio::test]
async fn a_visitors_message_arriving_reaches_only_the_operators_who_see_its_conversation() {
    let app = TestApp::spawn().await;
    let Team { acme, owner, sales_op, sales, support } = Team::new(&app).await;
    let visitor = app.visitor(&acme).await;
    let (mut widget, _) = app.visitor_socket(&acme, &visitor, 0).await;
    let send = |client_id: &str, text: &str| ClientEvent::Send {
        client_id: client_id.into(),
        text: text.into(),
        attachments: vec![],
    };
    widget.send(&send("v-1", "broken")).await;
    let in_support = widget.wait_for_message("broken").await.conversation_id;
    assert_eq!(owner.set_conversation_department(in_support, Some(support)).await.status(), 200);
    let in_sales = conversation_in(&app, &acme, &owner, "buying", Some(sales)).await;
    assert_eq!(set_option(&owner, true).await, 200);

    let mut socket = sales_op.socket().await;
    let mut team = owner.socket().await;
    widget.send(&send("v-2", "still broken")).await;
    widget.wait_for_message("still broken").await;
    let arrival = team
        .wait_for(|e| match e {
            OperatorEvent::MessageArriving { conversation_id, text, .. } => Some((conversation_id, text)),
            _ => None,
        })
        .await;
    assert_eq!(arrival, (in_support, "still broken".to_owned()));
    // The Sales operator's socket carries their own conversation's note and nothing of
    // Support's before it.
    assert_eq!(owner.add_note(in_sales, "n-1", "for sales").await.status(), 200);
    let next = socket
        .wait_for(|e| match e {
            OperatorEvent::MessageArriving { conversation_id, .. } => panic!("an arrival in {conversation_id:?}"),
            e => e.message(),
        })
        .await;
    assert_eq!((next.conversation_id, next.text.as_str()), (in_sales, "for sales"));

    // A new conversation is shown arriving to the owner, who sees every conversation.
    // Where it goes is decided as it is stored: the Sales operator sees it then (it is
    // unrouted), and never before.
    let newcomer = app.visitor(&acme).await;
    let (mut new_widget, _) = app.visitor_socket(&acme, &newcomer, 0).await;
    new_widget.send(&send("n-1", "new here")).await;
    let made = new_widget.wait_for_message("new here").await.conversation_id;
    let arriving = team
        .wait_for(|e| match e {
            OperatorEvent::ConversationArriving { contact_id, text, .. } => Some((contact_id, text)),
            _ => None,
        })
        .await;
    assert_eq!(arriving, (newcomer.contact_id, "new here".to_owned()));
    let stored = socket
        .wait_for(|e| match e {
            OperatorEvent::ConversationArriving { .. } => panic!("shown arriving to a member limited to departments"),
            e => e.message(),
        })
        .await;
    assert_eq!((stored.conversation_id, stored.text.as_str()), (made, "new here"));
}
