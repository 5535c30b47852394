//! Workspace addresses (`/w/{slug}/…`): one signed-in session works in two workspaces at
//! once, one per tab. Server functions, the operator socket and downloads under an address
//! act in that workspace only; an address of someone else's workspace is refused; old
//! addresses lead to the session's workspace, which is the one last opened. Runs on SQLite,
//! and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{OperatorEvent, WorkspaceChoice, WorkspaceGeneral};
use serde_json::Value;
use support::TestApp;

async fn general_in(who: &support::Operator, slug: &str) -> reqwest::Response {
    who.call_in(slug, "get_workspace_general", &[]).await
}

async fn name_in(who: &support::Operator, slug: &str) -> String {
    let response = general_in(who, slug).await;
    assert_eq!(response.status(), 200, "{slug}");
    response.json::<WorkspaceGeneral>().await.unwrap().name
}

fn location(response: &reqwest::Response) -> &str {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[tokio::test]
async fn two_tabs_work_in_two_workspaces_of_one_session() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let owner = app.operator(&acme).await;
    let made: WorkspaceChoice = owner.call("create_my_workspace", &[("name", "Acme Labs")]).await.json().await.unwrap();
    assert_eq!(made.slug, "acme-labs");

    // Each address acts in its own workspace, whatever the session's last choice.
    assert_eq!(name_in(&owner, "acme").await, "Acme");
    assert_eq!(name_in(&owner, "acme-labs").await, "Acme Labs");
    assert_eq!(name_in(&owner, "acme").await, "Acme");

    // Someone else's workspace, or none at that address: refused, and the app says so.
    assert_eq!(general_in(&owner, "globex").await.status(), 401);
    assert_eq!(general_in(&owner, "no-such-place").await.status(), 401);
    let state: Value = owner.call_in("globex", "get_session_state", &[]).await.json().await.unwrap();
    assert_eq!(state, Value::String("NotAMember".into()));
    let state: Value = owner.call_in("acme-labs", "get_session_state", &[]).await.json().await.unwrap();
    assert_eq!(state["SignedIn"]["workspace_slug"], "acme-labs");

    // Each tab's socket hears its own workspace only.
    let mut acme_tab = owner.socket_in("acme").await;
    let mut labs_tab = owner.socket_in("acme-labs").await;
    let conversation = app.visitor_writes(&acme, "Hello Acme").await;
    acme_tab.wait_for_message("Hello Acme").await;
    let renamed = WorkspaceGeneral {
        name: "Acme Research".into(),
        slug: "acme-labs".into(),
        logo_url: String::new(),
        language: "en".into(),
        timezone: "UTC".into(),
    };
    let saved = owner
        .client
        .post(format!("{}/w/acme-labs/api/save_workspace_general", owner.base))
        .json(&serde_json::json!({ "general": renamed }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200, "{:?}", saved.text().await);
    let mut heard_acme = false;
    let seen = labs_tab
        .wait_for(|event| match event {
            OperatorEvent::WorkspaceChanged { general } => Some(general),
            OperatorEvent::MessageCreated { .. } | OperatorEvent::ConversationChanged { .. } => {
                heard_acme = true;
                None
            }
            _ => None,
        })
        .await;
    assert_eq!(seen.name, "Acme Research");
    assert!(!heard_acme, "the Acme Labs tab heard nothing of Acme's conversation");
    assert_eq!(name_in(&owner, "acme").await, "Acme", "the rename stayed in its workspace");

    // Downloads under an address are that workspace's.
    let transcript = |slug: &'static str| {
        owner.client.get(format!("{}/w/{slug}/transcripts/{}?format=text", owner.base, conversation.0)).send()
    };
    let ok = transcript("acme").await.unwrap();
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("Hello Acme"));
    assert_eq!(transcript("acme-labs").await.unwrap().status(), 404, "not a conversation of Acme Labs");

    // Another workspace's member gets nothing from Acme's address.
    let stranger = app.operator(&globex).await;
    assert_eq!(general_in(&stranger, "acme").await.status(), 401);
    let refused = stranger.client.get(format!("{}/w/acme/transcripts/{}", stranger.base, conversation.0)).send();
    assert_eq!(refused.await.unwrap().status(), 401);
}

#[tokio::test]
async fn old_addresses_lead_to_the_workspace_last_opened() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let made: WorkspaceChoice = owner.call("create_my_workspace", &[("name", "Acme Labs")]).await.json().await.unwrap();
    // As a browser asks for a page (only then is a redirect a 302).
    let get = |path: String| owner.client.get(format!("{}{path}", owner.base)).header("accept", "text/html").send();

    // Creating made Acme Labs the session's workspace; opening Acme's address makes it Acme.
    assert_eq!(location(&get("/inbox".into()).await.unwrap()), format!("/w/{}/inbox", made.slug));
    let page = get("/w/acme/inbox".into()).await.unwrap();
    assert_eq!(page.status(), 200);
    let redirected = get("/inbox/7?tab=notes".into()).await.unwrap();
    assert!(redirected.status().is_redirection(), "{}", redirected.status());
    assert_eq!(location(&redirected), "/w/acme/inbox/7?tab=notes");
    assert_eq!(location(&get("/settings/team".into()).await.unwrap()), "/w/acme/settings/team");
    assert_eq!(location(&get("/".into()).await.unwrap()), "/w/acme/inbox");
    // Unprefixed server calls act in it too.
    let general: WorkspaceGeneral = owner.call("get_workspace_general", &[]).await.json().await.unwrap();
    assert_eq!(general.name, "Acme");

    // Signed out, an old address leads to sign-in.
    let anonymous = app.anonymous();
    let page = anonymous.client.get(format!("{}/inbox", anonymous.base)).header("accept", "text/html").send();
    let page = page.await.unwrap();
    assert!(page.status().is_redirection());
    assert_eq!(location(&page), "/login");
}

#[tokio::test]
async fn a_deleted_workspace_leaves_the_session_in_another() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let made: WorkspaceChoice = owner.call("create_my_workspace", &[("name", "Side")]).await.json().await.unwrap();
    assert_eq!(owner.call_in(&made.slug, "delete_workspace", &[("name", "Side")]).await.status(), 200);
    assert_eq!(general_in(&owner, &made.slug).await.status(), 401, "its address is gone");
    // Once its data is gone too, the session still works.
    for _ in 0..200 {
        let row = parley_services::workspaces::get(&app.services.db, parley_services::Scope::unchecked(made.id)).await;
        if row.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        parley_services::workspaces::get(&app.services.db, parley_services::Scope::unchecked(made.id)).await.is_err()
    );
    let general: WorkspaceGeneral = owner.call("get_workspace_general", &[]).await.json().await.unwrap();
    assert_eq!(general.name, "Acme", "the session carries on in the user's other workspace");
}
