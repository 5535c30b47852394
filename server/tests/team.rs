//! The team: owners and admins change roles and grants, remove members (whose sessions,
//! sockets and tokens end at once and whose conversations go back to Live), and the
//! workspace always keeps an owner. Runs on SQLite, and on PostgreSQL when `DATABASE_URL`
//! is set.

mod support;

use std::time::Duration;

use parley_types::{AuditAction, AuditPage, OperatorEvent, Role, TeamMember, UserId};
use support::{Operator, TestApp};

async fn members(admin: &Operator) -> Vec<TeamMember> {
    let response = admin.call("list_members", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn id_of(admin: &Operator, role: Role) -> UserId {
    members(admin).await.into_iter().find(|m| m.role == role).map(|m| m.user_id).expect("a member with that role")
}

async fn change(by: &Operator, user: UserId, role: &str, grants: &[&str]) -> reqwest::Response {
    let user = user.to_string();
    let mut form = vec![("user_id".to_owned(), user), ("role".to_owned(), role.to_owned())];
    for (i, g) in grants.iter().enumerate() {
        form.push((format!("grants[{i}]"), (*g).to_owned()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    by.call("change_member_role", &pairs).await
}

async fn export_status(member: &Operator) -> u16 {
    member.client.get(format!("{}/exports/contacts.csv", member.base)).send().await.unwrap().status().as_u16()
}

async fn audit(admin: &Operator, action: AuditAction) -> AuditPage {
    let response = admin.call("list_audit_entries", &[("filter[action]", action.as_str())]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn roles_and_grants_follow_the_table_and_the_last_owner_stays() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;
    let op_id = id_of(&owner, Role::Operator).await;
    let owner_id = id_of(&owner, Role::Owner).await;
    let admin_id = id_of(&owner, Role::Admin).await;
    assert_eq!(op.call("list_members", &[]).await.status(), 403, "operators do not manage the team");
    assert_eq!(change(&op, op_id, "admin", &[]).await.status(), 403, "nor promote themselves");

    // A grant lets an operator export contacts; only grantable capabilities are given.
    assert_eq!(export_status(&op).await, 403);
    let refused = change(&admin, op_id, "operator", &["manage_widget"]).await;
    assert_eq!(refused.status(), 400);
    let granted: TeamMember = {
        let response = change(&admin, op_id, "operator", &["export_contacts"]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    };
    assert_eq!(granted.grants, vec![parley_types::Capability::ExportContacts]);
    assert_eq!(export_status(&op).await, 200, "the grant applies on the next request");
    let entry = &audit(&owner, AuditAction::MemberRoleChanged).await.entries[0];
    assert!(entry.details.contains("export_contacts") && entry.details.contains("before"), "{}", entry.details);

    // Owners are the owners' business.
    assert_eq!(change(&admin, op_id, "owner", &[]).await.status(), 403, "admins make no owners");
    assert_eq!(change(&admin, owner_id, "admin", &[]).await.status(), 403, "admins demote no owner");
    assert_eq!(admin.call("remove_member", &[("user_id", &owner_id.to_string())]).await.status(), 403);

    // The last owner can be neither demoted nor removed, not even by themselves.
    let last = change(&owner, owner_id, "admin", &[]).await;
    assert_eq!(last.status(), 409);
    let body: serde_json::Value = last.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("last owner"), "{body}");
    assert_eq!(owner.call("remove_member", &[("user_id", &owner_id.to_string())]).await.status(), 409);
    assert_eq!(members(&owner).await.iter().filter(|m| m.role == Role::Owner).count(), 1, "nothing changed");

    // With a second owner, the first may step down.
    assert_eq!(change(&owner, admin_id, "owner", &[]).await.status(), 200);
    assert_eq!(change(&owner, owner_id, "admin", &[]).await.status(), 200);
    assert_eq!(id_of(&admin, Role::Owner).await, admin_id);

    // Promoting the operator closes their socket; it reconnects with the new role.
    let mut op_socket = op.socket().await;
    let mut admin_socket = admin.socket().await;
    assert_eq!(change(&admin, op_id, "admin", &["export_contacts"]).await.status(), 200);
    admin_socket.wait_for(|e| matches!(e, OperatorEvent::MembersChanged).then_some(())).await;
    tokio::time::timeout(Duration::from_secs(2), op_socket.close_code()).await.expect("the socket closes");
    let promoted = members(&op).await.into_iter().find(|m| m.user_id == op_id).unwrap();
    assert_eq!((promoted.role, promoted.grants), (Role::Admin, vec![]), "admins hold grants by role");

    // Another workspace's member is not found.
    let other = app.workspace("Other").await;
    let other_owner = app.operator(&other).await;
    assert_eq!(change(&other_owner, op_id, "operator", &[]).await.status(), 404);
    assert_eq!(other_owner.call("remove_member", &[("user_id", &op_id.to_string())]).await.status(), 404);
}

#[tokio::test]
async fn removing_a_member_ends_their_sessions_and_frees_their_conversations() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let op = app.member(&acme, Role::Operator).await;
    let op_id = id_of(&owner, Role::Operator).await;
    let conversation = app.visitor_writes(&acme, "Hello, anyone?").await;
    assert_eq!(op.assign_conversation(conversation, Some(op_id)).await.status(), 200);
    let token: parley_types::NewAccessToken = {
        // An admin's token (operators make none): promote, make it, demote again.
        assert_eq!(change(&owner, op_id, "admin", &[]).await.status(), 200);
        let response = op.call("create_access_token", &[("name", "Script"), ("scopes[0]", "workspace:read")]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    };
    let api = |secret: String| {
        let base = app.base.clone();
        async move {
            reqwest::Client::new()
                .get(format!("{base}/api/v1/me"))
                .bearer_auth(secret)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(api(token.secret.clone()).await, 200);
    let mut op_socket = op.socket().await;
    let mut owner_socket = owner.socket().await;

    let response = owner.call("remove_member", &[("user_id", &op_id.to_string())]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<u64>().await.unwrap(), 1, "one conversation went back to Live");
    tokio::time::timeout(Duration::from_secs(1), op_socket.close_code()).await.expect("closed within a second");
    assert_eq!(op.list_conversations().await.status(), 401, "signed out at once");
    assert_eq!(api(token.secret).await, 401, "their token died with the membership");
    let summary = owner_socket
        .wait_for(|e| match e {
            OperatorEvent::ConversationChanged { conversation: c } if c.id == conversation => Some(c),
            _ => None,
        })
        .await;
    assert_eq!(summary.assignee_id, None, "back to Live");
    assert!(members(&owner).await.iter().all(|m| m.user_id != op_id));
    let entry = &audit(&owner, AuditAction::MemberRemoved).await.entries[0];
    assert!(entry.details.contains("\"conversations_to_live\":1"), "{}", entry.details);
    assert_eq!(entry.actor.kind, "user");

    // Removing them again: they are not found.
    assert_eq!(owner.call("remove_member", &[("user_id", &op_id.to_string())]).await.status(), 404);
}

#[tokio::test]
async fn a_member_may_leave_but_not_as_the_last_owner() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let op = app.member(&acme, Role::Operator).await;
    let op_id = id_of(&owner, Role::Operator).await;
    assert_eq!(op.call("remove_member", &[("user_id", &op_id.to_string())]).await.status(), 200, "leaving");
    assert_eq!(op.list_conversations().await.status(), 401);
    let entry = &audit(&owner, AuditAction::MemberRemoved).await.entries[0];
    assert!(entry.details.contains("\"left\":true"), "{}", entry.details);
}
