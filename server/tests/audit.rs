//! The audit log: an entry for each audited action with its actor, address and user
//! agent, settings as before/after with no secret in them, filters and CSV export for
//! owners and admins only, retention, and no way to change an entry. Runs on SQLite, and
//! on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_services::entities::audit_entry;
use parley_types::{AuditAction, AuditPage, Role};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use support::{Operator, TestApp};

async fn page(admin: &Operator, form: &[(&str, &str)]) -> AuditPage {
    let response = admin.call("list_audit_entries", form).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    response.json().await.unwrap()
}

async fn of(admin: &Operator, action: AuditAction) -> AuditPage {
    page(admin, &[("filter[action]", action.as_str())]).await
}

#[tokio::test]
async fn sign_ins_tokens_and_settings_are_recorded_without_secrets() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;

    // A failed sign-in, from a browser that says who it is.
    let (client, _) = app.client();
    let failed = client
        .post(format!("{}/api/login", app.base))
        .header("User-Agent", "AuditTest/1.0")
        .form(&[("email", acme.email.as_str()), ("password", "not the password at all")])
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 400);
    let owner = app.operator(&acme).await;

    let entry = &of(&owner, AuditAction::SignInFailed).await.entries[0];
    assert_eq!(entry.actor.kind, "anonymous");
    assert!(entry.target.contains(&acme.email));
    assert_eq!(entry.ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(entry.user_agent.as_deref(), Some("AuditTest/1.0"));
    assert!(!entry.details.contains("not the password"), "{}", entry.details);
    let signed_in = of(&owner, AuditAction::SignIn).await;
    assert!(!signed_in.entries.is_empty() && signed_in.entries[0].actor.name == "Acme Owner");

    // A token: its secret appears nowhere in the log.
    let made: parley_types::NewAccessToken = owner
        .call("create_access_token", &[("name", "Backups"), ("scopes[0]", "contacts:read")])
        .await
        .json()
        .await
        .unwrap();
    // A settings change: before and after; an open audit page hears of it.
    let mut socket = owner.socket().await;
    assert_eq!(owner.update_allowed_origins("https://shop.test\nhttps://blog.shop.test").await.status(), 200);
    socket.wait_for(|e| matches!(e, parley_types::OperatorEvent::AuditLogged).then_some(())).await;
    // The identity secret is rotated: the entry says so, and never holds it.
    let identity: serde_json::Value = owner.call("rotate_identity_secret", &[]).await.json().await.unwrap();
    let secret = identity["secret"].as_str().unwrap().to_owned();

    let all = page(&owner, &[]).await;
    let text = serde_json::to_string(&all).unwrap();
    assert!(!text.contains(&made.secret) && !text.contains(&secret), "no secret in the log");
    let token_entry = all.entries.iter().find(|e| e.action == AuditAction::TokenCreated).expect("token entry");
    assert!(token_entry.details.contains("contacts:read"));
    let origins = all.entries.iter().find(|e| e.action == AuditAction::SettingsChanged).expect("settings entry");
    let details: serde_json::Value = serde_json::from_str(&origins.details).unwrap();
    assert_eq!(details["before"], serde_json::json!([support::SITE]));
    assert_eq!(details["after"], serde_json::json!(["https://shop.test", "https://blog.shop.test"]));
    assert!(all.entries.iter().any(|e| e.action == AuditAction::SecretRotated));
    assert!(all.entries.windows(2).all(|w| w[0].id > w[1].id), "newest first");

    // Signing out is recorded too.
    owner.logout().await;
    let again = app.operator(&acme).await;
    assert!(!of(&again, AuditAction::SignOut).await.entries.is_empty());
}

#[tokio::test]
async fn only_owners_and_admins_read_their_own_workspace_log() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let admin = app.member(&acme, Role::Admin).await;
    let op = app.member(&acme, Role::Operator).await;
    assert_eq!(op.call("list_audit_entries", &[]).await.status(), 403);
    let csv = |who: &Operator| {
        let client = who.client.clone();
        let base = who.base.clone();
        async move { client.get(format!("{base}/exports/audit.csv")).send().await.unwrap() }
    };
    assert_eq!(csv(&op).await.status(), 403);
    assert_eq!(csv(&app.anonymous()).await.status(), 401);
    assert!(!page(&admin, &[]).await.entries.is_empty());

    // The other workspace's log holds nothing of Acme's.
    let other = app.workspace("Other").await;
    let stranger = app.operator(&other).await;
    let theirs = page(&stranger, &[]).await;
    assert!(theirs.entries.iter().all(|e| !e.target.contains("Acme") && e.actor.name != "Acme Owner"));

    // The CSV export holds the filter's entries, and is itself recorded.
    let response = csv(&owner).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let body = response.text().await.unwrap();
    assert!(body.starts_with("id,time,actor,actor_type,token_id,action,target,details,ip,user_agent\r\n"));
    assert!(body.contains("member_added"), "{body}");
    assert!(!of(&owner, AuditAction::AuditExported).await.entries.is_empty());
    let filtered = owner.client.get(format!("{}/exports/audit.csv?action=nope", owner.base)).send().await.unwrap();
    assert_eq!(filtered.status(), 400);
}

#[tokio::test]
async fn filters_page_and_refuse_bad_dates() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    for i in 0..55 {
        assert_eq!(
            owner.call("create_label", &[("name", &format!("L{i}")), ("colour", "#336699")]).await.status(),
            200
        );
    }
    let first = of(&owner, AuditAction::SettingsChanged).await;
    assert_eq!(first.entries.len(), 50);
    let next = first.next.expect("a second page").to_string();
    let second = page(&owner, &[("filter[action]", "settings_changed"), ("filter[before]", &next)]).await;
    assert_eq!(second.entries.len(), 5);
    assert_eq!(second.next, None);
    assert!(second.entries[0].id < first.entries[49].id);

    let recent = page(&owner, &[("filter[from]", "2000-01-01"), ("filter[to]", "2999-12-31")]).await;
    assert_eq!(recent.entries.len(), 50, "this century's entries, a page of them");
    let none = page(&owner, &[("filter[to]", "2000-01-01")]).await;
    assert!(none.entries.is_empty());
    let response =
        owner.call("list_audit_entries", &[("filter[from]", "2026-02-01"), ("filter[to]", "2026-01-01")]).await;
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "to");
    let response = owner.call("list_audit_entries", &[("filter[from]", "yesterday")]).await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn entries_cannot_be_changed_and_old_ones_go_after_the_retention() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let owner = app.operator(&acme).await;
    let admin = app.member(&acme, Role::Admin).await;
    let db = &app.services.db;

    // The database refuses to change an entry, whoever asks.
    let refused = db.execute_unprepared("UPDATE audit_entries SET target = 'nothing happened'").await;
    assert!(refused.is_err(), "an UPDATE must fail");
    assert!(format!("{:?}", refused.unwrap_err()).contains("append-only"));

    // Retention: 30 to 3,650 days; shorter is refused with nothing changed.
    let response = owner.call("set_audit_retention", &[("days", "7")]).await;
    assert_eq!(response.status(), 400);
    assert_eq!(page(&owner, &[]).await.retention_days, 365);
    assert_eq!(admin.call("set_audit_retention", &[("days", "90")]).await.status(), 200);
    assert_eq!(page(&owner, &[]).await.retention_days, 90);

    // An entry older than 90 days goes at the next prune; a recent one stays.
    let old = audit_entry::ActiveModel {
        workspace_id: Set(acme.id.0),
        at_ms: Set(parley_services::clock::now_ms() - 91 * 24 * 3600 * 1000),
        actor_kind: Set("user".into()),
        actor_name: Set("Someone long ago".into()),
        action: Set("settings_changed".into()),
        target: Set("widget".into()),
        details: Set(String::new()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let mut w = app.services.begin().await.unwrap();
    let pruned = parley_services::audit::prune(&mut w, parley_services::clock::now_ms()).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(pruned, 1);
    assert!(audit_entry::Entity::find_by_id(old.id).one(db).await.unwrap().is_none());
    assert!(page(&owner, &[]).await.entries.len() > 1, "recent entries stay");
}
