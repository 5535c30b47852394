//! Workspaces: general settings (checked, a taken address refused, shown live), a member's
//! workspaces and switching between them, creating one (an instance setting may keep that
//! to owners), transferring ownership, and deleting one (its members lose it at once, its
//! data goes in a job, other workspaces keep theirs). Runs on SQLite, and on PostgreSQL
//! when `DATABASE_URL` is set.

mod support;

use std::time::Duration;

use parley_types::{OperatorEvent, Role, WorkspaceChoice, WorkspaceGeneral};
use serde_json::{Value, json};
use support::{Operator, SITE, TestApp};

async fn save(who: &Operator, general: &WorkspaceGeneral) -> reqwest::Response {
    who.client
        .post(format!("{}/api/save_workspace_general", who.base))
        .json(&json!({ "general": general }))
        .send()
        .await
        .unwrap()
}

async fn general(who: &Operator) -> WorkspaceGeneral {
    who.call("get_workspace_general", &[]).await.json().await.unwrap()
}

async fn mine(who: &Operator) -> Vec<WorkspaceChoice> {
    who.call("list_my_workspaces", &[]).await.json().await.unwrap()
}

#[tokio::test]
async fn admins_keep_the_general_settings_and_addresses_stay_unique() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    app.workspace("Globex").await;
    let owner = app.operator(&acme).await;
    let admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;
    let mut socket = op.socket().await;

    let first = general(&op).await;
    assert_eq!((first.slug.as_str(), first.language.as_str(), first.timezone.as_str()), ("acme", "en", "UTC"));
    let next = WorkspaceGeneral {
        name: "Acme Europe".into(),
        slug: "acme-eu".into(),
        logo_url: "https://cdn.test/acme.png".into(),
        language: "es".into(),
        timezone: "Europe/Madrid".into(),
    };
    let response = save(&admin, &next).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let shown = socket
        .wait_for(|e| match e {
            OperatorEvent::WorkspaceChanged { general } => Some(general),
            _ => None,
        })
        .await;
    assert_eq!(shown, next);
    assert_eq!(general(&owner).await, next);

    let taken = save(&admin, &WorkspaceGeneral { slug: "globex".into(), ..next.clone() }).await;
    assert_eq!(taken.status(), 409);
    let bad =
        save(&admin, &WorkspaceGeneral { slug: "No Spaces".into(), timezone: "Mars/Olympus".into(), ..next.clone() })
            .await;
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["slug", "timezone"]);
    assert_eq!(save(&op, &next).await.status(), 403);
    assert_eq!(general(&owner).await, next, "nothing changed by the refusals");
}

#[tokio::test]
async fn members_create_and_switch_workspaces() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let owner = app.operator(&acme).await;
    let visitor = app.visitor(&acme).await;
    let _ = visitor;

    let made = owner.call("create_my_workspace", &[("name", "Acme Labs")]).await;
    assert_eq!(made.status(), 200, "{:?}", made.text().await);
    let made: WorkspaceChoice = made.json().await.unwrap();
    assert_eq!(made.slug, "acme-labs");
    // The session works in the new one now; both are listed.
    assert_eq!(general(&owner).await.name, "Acme Labs");
    let listed = mine(&owner).await;
    let names: Vec<(&str, bool)> = listed.iter().map(|w| (w.name.as_str(), w.current)).collect();
    assert_eq!(names, [("Acme", false), ("Acme Labs", true)]);
    assert_eq!(listed[0].waiting, 0);
    app.visitor_writes(&acme, "Anyone there?").await;
    assert_eq!(mine(&owner).await[0].waiting, 1, "what waits in Live in the other workspace");

    assert_eq!(owner.call("switch_workspace", &[("slug", "acme")]).await.status(), 200);
    assert_eq!(general(&owner).await.name, "Acme");
    // Not a member there.
    let globex_slug = app.operator(&globex).await;
    let theirs = general(&globex_slug).await.slug;
    assert_eq!(owner.call("switch_workspace", &[("slug", &theirs)]).await.status(), 404);
    assert_eq!(general(&owner).await.name, "Acme");
}

#[tokio::test]
async fn an_instance_may_keep_creating_workspaces_to_owners() {
    let app = TestApp::spawn_with_env(&[("PARLEY_RESTRICT_WORKSPACE_CREATION", "1")]).await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let op = app.member(&acme, Role::Operator).await;
    let refused = op.call("create_my_workspace", &[("name", "Side project")]).await;
    assert!(refused.status().is_client_error(), "{}", refused.status());
    let body: Value = refused.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("only owners"), "{body}");
    assert_eq!(owner.call("create_my_workspace", &[("name", "Side project")]).await.status(), 200);
}

#[tokio::test]
async fn owners_transfer_ownership_and_delete_the_workspace() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let owner = app.operator(&acme).await;
    let admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;
    app.visitor_writes(&acme, "Hello Acme").await;
    app.visitor_writes(&globex, "Hello Globex").await;

    let me: Value = admin.call("get_session_state", &[]).await.json().await.unwrap();
    let admin_id = me["SignedIn"]["user_id"].as_i64().unwrap();
    assert_eq!(owner.call("transfer_ownership", &[("user_id", &admin_id.to_string())]).await.status(), 200);
    let members: Vec<parley_types::TeamMember> = admin.call("list_members", &[]).await.json().await.unwrap();
    let roles: Vec<(String, Role)> = members.iter().map(|m| (m.email.clone(), m.role)).collect();
    assert!(roles.contains(&(acme.email.clone(), Role::Admin)), "the old owner is an admin: {roles:?}");
    assert!(members.iter().any(|m| m.user_id.0 == admin_id && m.role == Role::Owner));
    // The old owner may no longer delete it; the new one may, with the exact name.
    assert_eq!(owner.call("delete_workspace", &[("name", "Acme")]).await.status(), 403);
    assert_eq!(admin.call("delete_workspace", &[("name", "acme")]).await.status(), 400);
    assert_eq!(admin.call("delete_workspace", &[("name", "Acme")]).await.status(), 200);

    // At once: sessions in it end, the widget key is unknown.
    assert_eq!(op.call("list_conversations", &[]).await.status(), 401);
    assert_eq!(admin.call("list_conversations", &[]).await.status(), 401);
    let widget = reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/visitors", app.base, acme.key))
        .header("Origin", SITE)
        .send()
        .await
        .unwrap();
    assert_eq!(widget.status(), 404);
    // The job removes its rows; Globex keeps its own.
    use parley_services::entities::{conversation, workspace};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    for _ in 0..100 {
        if workspace::Entity::find_by_id(acme.id.0).one(&app.services.db).await.unwrap().is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        workspace::Entity::find_by_id(acme.id.0).one(&app.services.db).await.unwrap().is_none(),
        "deleted by the job"
    );
    let left =
        |id: i64| conversation::Entity::find().filter(conversation::Column::WorkspaceId.eq(id)).count(&app.services.db);
    assert_eq!(left(acme.id.0).await.unwrap(), 0);
    assert_eq!(left(globex.id.0).await.unwrap(), 1);
}
