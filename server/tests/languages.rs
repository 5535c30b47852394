//! The operator app's language: a page is rendered in the member's own language (profile),
//! else their workspace's, and signed-out pages in the browser's `Accept-Language`; the
//! page says which in `<html lang>` (the browser hydrates in the same one). Runs on SQLite,
//! and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{Profile, Role, WorkspaceGeneral};
use serde_json::json;
use support::{Operator, TestApp};

/// The HTML of `path` as a browser asking in `accept_language` gets it.
async fn page(who: &Operator, path: &str, accept_language: &str) -> String {
    let response = who
        .client
        .get(format!("{}{path}", who.base))
        .header("accept", "text/html")
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

fn lang_of(html: &str) -> &str {
    let at = html.find("<html lang=\"").expect("an <html lang>") + "<html lang=\"".len();
    &html[at..at + html[at..].find('"').unwrap()]
}

async fn set_language(who: &Operator, name: &str, language: &str) -> reqwest::Response {
    who.call("update_profile", &[("name", name), ("avatar_url", ""), ("language", language)]).await
}

#[tokio::test]
async fn signed_out_pages_follow_the_browser() {
    let app = TestApp::spawn().await;
    app.workspace("Acme").await;
    let anonymous = app.anonymous();
    assert_eq!(lang_of(&page(&anonymous, "/login", "es-MX,es;q=0.9,en;q=0.5").await), "es");
    assert_eq!(lang_of(&page(&anonymous, "/login", "fr-FR, de;q=0.8").await), "en");
    assert_eq!(lang_of(&page(&anonymous, "/login", "fr-FR, es;q=0.2, en;q=0.1").await), "es");
}

#[tokio::test]
async fn a_member_sees_their_own_language_else_the_workspaces() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let op = app.member(&acme, Role::Operator).await;
    let inbox = "/w/acme/inbox";

    // The workspace speaks English: the browser's Spanish does not matter once signed in.
    let html = page(&op, inbox, "es").await;
    assert_eq!(lang_of(&html), "en");
    assert!(html.contains("Sign out"));

    // The member picks Spanish in their profile.
    assert_eq!(set_language(&op, "Ada", "es").await.status(), 200);
    let profile: Profile = op.call("get_profile", &[]).await.json().await.unwrap();
    assert_eq!(profile.language, "es");
    let html = page(&op, inbox, "en").await;
    assert_eq!(lang_of(&html), "es");
    assert!(html.contains("Cerrar sesión"), "the frame in Spanish");
    assert!(!html.contains("Sign out"));
    // Their teammate still sees English.
    assert_eq!(lang_of(&page(&owner, inbox, "es").await), "en");

    // A language Parley does not speak is refused, and the saved one stays.
    let refused = set_language(&op, "Ada", "xx").await;
    assert_eq!(refused.status(), 400);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "language", "{body}");
    assert_eq!(lang_of(&page(&op, inbox, "en").await), "es");

    // Back to the workspace's language, which the owner then sets to Spanish.
    assert_eq!(set_language(&op, "Ada", "").await.status(), 200);
    assert_eq!(lang_of(&page(&op, inbox, "es").await), "en");
    let mut general: WorkspaceGeneral = owner.call("get_workspace_general", &[]).await.json().await.unwrap();
    general.language = "es".into();
    let saved = owner
        .client
        .post(format!("{}/api/save_workspace_general", owner.base))
        .json(&json!({ "general": general }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    assert_eq!(lang_of(&page(&op, inbox, "en").await), "es");
    assert_eq!(lang_of(&page(&owner, "/w/acme/settings/general", "en").await), "es");
}

#[tokio::test]
async fn another_workspaces_language_does_not_show_to_strangers() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let globex_owner = app.operator(&globex).await;
    let mut general: WorkspaceGeneral = globex_owner.call("get_workspace_general", &[]).await.json().await.unwrap();
    general.language = "es".into();
    let saved = globex_owner
        .client
        .post(format!("{}/api/save_workspace_general", globex_owner.base))
        .json(&json!({ "general": general }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    // Acme's member opening Globex's address: not theirs, so nothing of Globex decides.
    let op = app.operator(&acme).await;
    assert_eq!(lang_of(&page(&op, "/w/globex/inbox", "en").await), "en");
    assert_eq!(lang_of(&page(&globex_owner, "/w/globex/inbox", "en").await), "es");
}
