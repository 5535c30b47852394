//! Comments with @mentions and the personal Inbox: a mention or an assignment puts an item
//! in that member's Inbox (live), only they see and change it, and mentioning someone who
//! is not a member is refused with nothing stored. Runs on SQLite, and on PostgreSQL when
//! `DATABASE_URL` is set.

mod support;

use parley_types::{EntityKind, InboxItemKind, OperatorEvent, Role};
use support::TestApp;

#[tokio::test]
async fn a_mention_lands_in_the_mentioned_members_inbox_only() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let other = app.workspace("Globex").await;
    let ada = app.operator(&ws).await;
    let ben = app.member(&ws, Role::Operator).await;
    let cy = app.member(&ws, Role::Operator).await;
    let outsider = app.operator(&other).await;
    let ((ada_id, ada_name), (ben_id, _), (outsider_id, _)) = (ada.me().await, ben.me().await, outsider.me().await);
    let mut ben_socket = ben.socket().await;
    let id = app.visitor_writes(&ws, "my order is late").await;

    // Mentioning someone outside the workspace is refused and stores nothing.
    let refused = ada.add_note_mentioning(id, "n-0", "@Eve look", &[outsider_id]).await;
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("Only members"));
    let detail: serde_json::Value = ada.get_conversation(id).await.json().await.unwrap();
    assert!(!detail.to_string().contains("@Eve look"), "the note was not stored");

    let note = ada.add_note_mentioning(id, "n-1", "@Ben please check the carrier", &[ben_id, ada_id]).await;
    assert_eq!(note.status(), 200);
    let seq = note.json::<parley_types::Message>().await.unwrap().seq;
    ben_socket
        .wait_for(|e| matches!(e, OperatorEvent::InboxChanged { user_id, added: Some(InboxItemKind::Mention) } if user_id == ben_id).then_some(()))
        .await;
    let items = ben.inbox_items(false).await;
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(
        (item.kind, item.entity, item.entity_id, item.position),
        (InboxItemKind::Mention, EntityKind::Conversation, id.0, Some(seq))
    );
    assert_eq!(
        (item.actor_name.as_deref(), item.excerpt.as_str(), item.read),
        (Some(ada_name.as_str()), "@Ben please check the carrier", false)
    );
    assert_eq!(ben.inbox_unread().await, 1);
    assert!(ada.inbox_items(false).await.is_empty(), "mentioning oneself puts nothing in one's Inbox");
    assert!(cy.inbox_items(false).await.is_empty());

    // Only Ben reads, unreads and archives it; for anyone else it is not there.
    let item_id = item.id.to_string();
    for who in [&ada, &cy, &outsider] {
        let response = who.call("mark_inbox_item", &[("id", &item_id), ("read", "true")]).await;
        assert_eq!(response.status(), 404);
    }
    assert_eq!(ben.call("mark_inbox_item", &[("id", &item_id), ("read", "true")]).await.status(), 200);
    assert_eq!(ben.inbox_unread().await, 0);
    assert_eq!(ben.call("mark_inbox_item", &[("id", &item_id), ("read", "false")]).await.status(), 200);
    assert_eq!(ben.inbox_unread().await, 1);
    assert_eq!(ben.call("archive_inbox_item", &[("id", &item_id), ("archived", "true")]).await.status(), 200);
    assert!(ben.inbox_items(false).await.is_empty());
    let archived = ben.inbox_items(true).await;
    assert_eq!((archived.len(), archived[0].read), (1, true), "archiving reads it");
    assert_eq!(ben.inbox_unread().await, 0);
}

#[tokio::test]
async fn a_conversation_assigned_to_someone_else_lands_in_their_inbox() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let ada = app.operator(&ws).await;
    let ben = app.member(&ws, Role::Operator).await;
    let ((ada_id, _), (ben_id, _)) = (ada.me().await, ben.me().await);
    let id = app.visitor_writes(&ws, "refund please").await;

    // Taking it oneself is no news; being given it is.
    assert_eq!(ada.assign_conversation(id, Some(ada_id)).await.status(), 200);
    assert!(ada.inbox_items(false).await.is_empty());
    assert_eq!(ada.assign_conversation(id, Some(ben_id)).await.status(), 200);
    let items = ben.inbox_items(false).await;
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].kind, items[0].entity_id), (InboxItemKind::Assignment, id.0));
    assert!(items[0].excerpt.contains("assigned the conversation"), "{:?}", items[0]);
    // Assigning again to the same member adds nothing.
    ada.assign_conversation(id, Some(ben_id)).await;
    assert_eq!(ben.inbox_items(false).await.len(), 1);
}

#[tokio::test]
async fn notification_settings_are_each_members_own() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let ada = app.operator(&ws).await;
    let ben = app.member(&ws, Role::Operator).await;
    async fn get(who: &support::Operator) -> parley_types::NotificationSettings {
        who.call("get_notification_settings", &[]).await.json().await.unwrap()
    }
    let defaults = parley_types::NotificationSettings { desktop: false, sound: true };
    assert_eq!(get(&ada).await, defaults, "desktop waits for the member to turn it on; sound is on");
    let saved = ada.call("set_notification_settings", &[("desktop", "true"), ("sound", "false")]).await;
    assert_eq!(saved.status(), 200);
    assert_eq!(get(&ada).await, parley_types::NotificationSettings { desktop: true, sound: false });
    assert_eq!(get(&ben).await, defaults, "Ben's are his own");
    assert_eq!(ada.call("set_notification_settings", &[("desktop", "maybe"), ("sound", "true")]).await.status(), 400);
    assert_eq!(app.anonymous().call("get_notification_settings", &[]).await.status(), 401);
}

#[tokio::test]
async fn a_note_on_a_contact_mentions_a_teammate_in_their_inbox() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let other = app.workspace("Globex").await;
    let ada = app.operator(&ws).await;
    let ben = app.member(&ws, Role::Operator).await;
    let outsider = app.operator(&other).await;
    let ((ada_id, ada_name), (ben_id, _), (outsider_id, _)) = (ada.me().await, ben.me().await, outsider.me().await);
    let contact = app.visitor(&ws).await.contact_id;
    let mut ben_socket = ben.socket().await;

    let refused = ada.add_contact_note_mentioning(contact, "@Eve see this", &[outsider_id]).await;
    assert_eq!(refused.status(), 400);
    let detail: parley_types::ContactDetail = ada.get_contact(contact).await.json().await.unwrap();
    assert!(detail.notes.is_empty(), "nothing was stored");

    let note = ada.add_contact_note_mentioning(contact, "@Ben call them back", &[ben_id, ada_id]).await;
    assert_eq!(note.status(), 200);
    let note: parley_types::ContactNote = note.json().await.unwrap();
    ben_socket
        .wait_for(|e| matches!(e, OperatorEvent::InboxChanged { user_id, added: Some(InboxItemKind::Mention) } if user_id == ben_id).then_some(()))
        .await;
    let items = ben.inbox_items(false).await;
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(
        (item.kind, item.entity, item.entity_id, item.position),
        (InboxItemKind::Mention, EntityKind::Contact, contact.0, Some(note.id))
    );
    assert_eq!((item.actor_name.as_deref(), item.excerpt.as_str()), (Some(ada_name.as_str()), "@Ben call them back"));
    assert!(ada.inbox_items(false).await.is_empty(), "mentioning oneself puts nothing in one's Inbox");
}
