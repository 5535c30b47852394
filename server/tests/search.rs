//! Finding conversations: full-text search over messages and notes with snippets, typed
//! filters, saved views; all inside the caller's workspace, whatever the filter says.
//! Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{
    Assignee, ConversationId, ConversationPriority, ConversationStatus, InboxFilter, OperatorEvent, Role, SavedView,
    SearchHit,
};
use proptest::prelude::*;
use support::TestApp;

fn text(words: &str) -> InboxFilter {
    InboxFilter { text: Some(words.into()), ..Default::default() }
}

fn ids(hits: &[SearchHit]) -> Vec<ConversationId> {
    let mut ids: Vec<ConversationId> = hits.iter().map(|h| h.conversation.id).collect();
    ids.sort();
    ids
}

/// The snippet with found words in brackets.
fn marked(hit: &SearchHit) -> String {
    let snippet = hit.snippet.as_ref().expect("a snippet");
    snippet.parts.iter().map(|p| if p.hit { format!("[{}]", p.text) } else { p.text.clone() }).collect()
}

#[tokio::test]
async fn search_finds_words_in_messages_and_notes_of_the_workspace_only() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let other = app.workspace("Globex").await;
    let operator = app.operator(&ws).await;
    let outsider = app.operator(&other).await;
    let lisbon = app.visitor_writes(&ws, "Do you ship to Lisbon?").await;
    let refund = app.visitor_writes(&ws, "I want a refund <b>now</b>").await;
    let theirs = app.visitor_writes(&other, "Shipping to Lisbon please").await;
    operator.add_note(refund, "n-1", "Customer asked about shipping costs too").await;
    // A line Parley writes (status changes) is not searched.
    operator.snooze_conversation(refund, None).await;

    let found = operator.found(&text("lisb")).await;
    assert_eq!(ids(&found), [lisbon], "a word's start finds it");
    assert_eq!(marked(&found[0]), "Do you ship to [Lisbon]?");
    assert!(!found[0].snippet.as_ref().unwrap().internal);

    let found = operator.found(&text("SHIP")).await;
    assert_eq!(ids(&found), [lisbon, refund], "messages and notes, any case");
    let note = found.iter().find(|h| h.conversation.id == refund).unwrap();
    assert!(note.snippet.as_ref().unwrap().internal, "the note was found");
    assert_eq!(marked(note), "Customer asked about [shipping] costs too");

    // Every word must be in one message.
    assert_eq!(ids(&operator.found(&text("ship lisbon")).await), [lisbon]);
    assert!(operator.found(&text("refund lisbon")).await.is_empty());
    assert!(operator.found(&text("snoozed")).await.is_empty(), "system lines are not searched");
    // Markup is text: the snippet carries it as written for the app to escape.
    assert_eq!(marked(&operator.found(&text("refund")).await[0]), "I want a [refund] <b>now</b>");

    // The other workspace finds only its own.
    assert_eq!(ids(&outsider.found(&text("lisbon")).await), [theirs]);
    // Words and filters together.
    let open_only = InboxFilter { statuses: vec![ConversationStatus::Open], ..text("ship") };
    assert_eq!(ids(&operator.found(&open_only).await), [lisbon]);
}

#[tokio::test]
async fn filters_combine_and_mean_the_member_looking() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let ada = app.operator(&ws).await;
    let ben = app.member(&ws, Role::Operator).await;
    let ((ada_id, _), (ben_id, _)) = (ada.me().await, ben.me().await);
    let first = app.visitor_writes(&ws, "first").await;
    let second = app.visitor_writes(&ws, "second").await;
    let third = app.visitor_writes(&ws, "third").await;
    ada.assign_conversation(first, Some(ada_id)).await;
    ada.assign_conversation(second, Some(ben_id)).await;
    ada.set_conversation_priority(second, "critical").await;
    assert_eq!(ada.close_conversation(third, "resolved", None).await.status(), 200);
    ada.mark_conversation_read(second).await;
    let label: parley_types::Label =
        ada.call("create_label", &[("name", "VIP"), ("colour", "#e03131")]).await.json().await.unwrap();
    let form = [("id", first.to_string()), ("label", label.id.to_string()), ("on", "true".into())];
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(ada.call("label_conversation", &pairs).await.status(), 200);

    let all = InboxFilter::default();
    let find = |filter: InboxFilter| {
        let ada = &ada;
        async move { ids(&ada.found(&filter).await) }
    };
    assert_eq!(find(all.clone()).await, [first, second, third]);
    assert_eq!(find(InboxFilter { assignee: Some(Assignee::Me), ..all.clone() }).await, [first]);
    assert_eq!(ids(&ben.found(&InboxFilter { assignee: Some(Assignee::Me), ..all.clone() }).await), [second]);
    assert_eq!(find(InboxFilter { assignee: Some(Assignee::Member(ben_id)), ..all.clone() }).await, [second]);
    assert_eq!(find(InboxFilter { assignee: Some(Assignee::Nobody), ..all.clone() }).await, [third]);
    assert_eq!(find(InboxFilter { priority: Some(ConversationPriority::Critical), ..all.clone() }).await, [second]);
    assert_eq!(find(InboxFilter { statuses: vec![ConversationStatus::Closed], ..all.clone() }).await, [third]);
    let resolved = InboxFilter { outcomes: vec![parley_types::ConversationOutcome::Resolved], ..all.clone() };
    assert_eq!(find(resolved).await, [third]);
    assert_eq!(find(InboxFilter { labels: vec![label.id], ..all.clone() }).await, [first]);
    assert_eq!(
        find(InboxFilter { contact_kinds: vec![parley_types::ContactKind::Guest], ..all.clone() }).await.len(),
        3
    );
    assert!(
        find(InboxFilter { contact_kinds: vec![parley_types::ContactKind::Customer], ..all.clone() }).await.is_empty()
    );
    assert_eq!(find(InboxFilter { channels: vec![parley_types::Channel::Widget], ..all.clone() }).await.len(), 3);
    // Unread for Ada: she read the second only (and answered nothing).
    assert_eq!(find(InboxFilter { unread: Some(true), ..all.clone() }).await, [first, third]);
    assert_eq!(find(InboxFilter { unread: Some(false), ..all.clone() }).await, [second]);
    assert_eq!(ids(&ben.found(&InboxFilter { unread: Some(true), ..all.clone() }).await).len(), 3);
    // Dates: nothing was created in the future; everything since a minute ago.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    assert!(find(InboxFilter { created_from_ms: Some(now + 60_000), ..all.clone() }).await.is_empty());
    assert_eq!(find(InboxFilter { active_from_ms: Some(now - 60_000), ..all.clone() }).await.len(), 3);
    // Paging through results by cursor.
    let sort = parley_types::InboxSort::Latest;
    let first_page = ada.found(&all).await;
    let cursor = String::from(sort.cursor_after(&first_page[0].conversation));
    let rest = ada.call("search_conversations", &[("after", &cursor)]).await;
    let rest: Vec<SearchHit> = rest.json().await.unwrap();
    assert_eq!(rest.len(), 2);
    assert!(rest.iter().all(|h| h.conversation.id != first_page[0].conversation.id));
}

#[tokio::test]
async fn bad_filters_are_refused_with_a_sentence() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let operator = app.operator(&ws).await;
    for (filter, why) in [
        (text("*** ???"), "letter or digit"),
        (text(&"x".repeat(201)), "200 characters"),
        (InboxFilter { created_from_ms: Some(10), created_to_ms: Some(5), ..Default::default() }, "creation dates"),
    ] {
        let response = operator.search(&filter).await;
        assert_eq!(response.status(), 400);
        let body = response.text().await.unwrap();
        assert!(body.contains(why), "{why}: {body}");
    }
    let unknown = operator.call("search_conversations", &[("filter[statuses][0]", "gone")]).await;
    assert_eq!(unknown.status(), 400);
    let anonymous = app.anonymous().search(&text("hi")).await;
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn saved_views_are_personal_or_shared_with_counts() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let owner = app.operator(&ws).await;
    let ada = app.member(&ws, Role::Operator).await;
    let ben = app.member(&ws, Role::Operator).await;
    let other = app.workspace("Globex").await;
    let outsider = app.operator(&other).await;
    let mut inbox = ben.socket().await;
    app.visitor_writes(&ws, "where is my parcel").await;
    app.visitor_writes(&ws, "parcel damaged").await;
    app.visitor_writes(&ws, "hello").await;

    let parcels = text("parcel");
    let saved = ada.save_view(None, " Parcels ", false, &parcels).await;
    assert_eq!(saved.status(), 200);
    let mine: SavedView = saved.json().await.unwrap();
    assert_eq!((mine.name.as_str(), mine.shared, mine.count, mine.can_edit), ("Parcels", false, 2, true));
    // Ben hears that views changed, but sees none of Ada's.
    inbox.wait_for(|e| matches!(e, OperatorEvent::SavedViewsChanged).then_some(())).await;
    assert!(ben.list_saved_views().await.is_empty());
    assert_eq!(ben.save_view(Some(mine.id), "Mine now", false, &parcels).await.status(), 404);
    assert_eq!(outsider.save_view(Some(mine.id), "Mine now", false, &parcels).await.status(), 404);
    assert_eq!(ben.call("delete_saved_view", &[("id", &mine.id.to_string())]).await.status(), 404);

    // Shared views: owners and admins only; everyone sees them with their own count.
    assert_eq!(ada.save_view(None, "Team", true, &parcels).await.status(), 403);
    assert_eq!(ada.save_view(Some(mine.id), "Parcels", true, &parcels).await.status(), 403, "not by sharing");
    let unread = InboxFilter { unread: Some(true), ..Default::default() };
    let team: SavedView = owner.save_view(None, "Unread", true, &unread).await.json().await.unwrap();
    let ben_views = ben.list_saved_views().await;
    assert_eq!(ben_views.len(), 1);
    assert_eq!((ben_views[0].count, ben_views[0].can_edit), (3, false));
    assert_eq!(ben.save_view(Some(team.id), "Renamed", true, &unread).await.status(), 403);
    let ada_views = ada.list_saved_views().await;
    assert_eq!(ada_views.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["Unread", "Parcels"], "shared first");

    // Counts follow the member: Ben reads one, his "Unread" drops, Ada's does not.
    let hello = ben.found(&text("hello")).await[0].conversation.id;
    ben.mark_conversation_read(hello).await;
    assert_eq!(ben.list_saved_views().await[0].count, 2);
    assert_eq!(ada.list_saved_views().await[0].count, 3);

    // Bad input changes nothing.
    assert_eq!(ada.save_view(None, "", false, &parcels).await.status(), 400);
    assert_eq!(ada.save_view(None, "Everything", false, &InboxFilter::default()).await.status(), 400);
    assert_eq!(ada.save_view(Some(mine.id), "Parcels", false, &text("!!!")).await.status(), 400);
    assert_eq!(ada.list_saved_views().await.len(), 2);

    // Editing and deleting one's own.
    let renamed: SavedView =
        ada.save_view(Some(mine.id), "Deliveries", false, &text("damaged")).await.json().await.unwrap();
    assert_eq!((renamed.name.as_str(), renamed.count), ("Deliveries", 1));
    assert_eq!(ada.call("delete_saved_view", &[("id", &mine.id.to_string())]).await.status(), 200);
    assert_eq!(ada.list_saved_views().await.len(), 1);
}

/// Whatever a filter holds (hostile text, strange ids, extreme dates), a search answers
/// 200 or 400 and never finds another workspace's conversation.
#[test]
fn hostile_filters_stay_in_the_workspace() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (app, operator, theirs) = runtime.block_on(async {
        let app = TestApp::spawn().await;
        let ws = app.workspace("Acme").await;
        let other = app.workspace("Globex").await;
        app.visitor_writes(&ws, "ours: ship order 42 o'clock \"quoted\"").await;
        let theirs = app.visitor_writes(&other, "theirs: ship order 42 o'clock \"quoted\"").await;
        let operator = app.operator(&ws).await;
        (app, operator, theirs)
    });
    let words = prop::sample::select(vec![
        "ship",
        "order",
        "42",
        "o'clock",
        "\"quoted\"",
        "OR",
        "NOT",
        "NEAR(",
        "*",
        "'; DROP TABLE messages; --",
        ":*",
        "&",
        "|",
        "!",
        "\\",
        "%",
        "_",
        "é",
        "😀",
        "\u{0}",
        "theirs",
    ]);
    let strategy = (
        prop::collection::vec(words, 0..6),
        any::<Option<i64>>(),
        any::<Option<i64>>(),
        prop::collection::vec(any::<i64>(), 0..4),
        any::<Option<i64>>(),
    );
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config::with_cases(48));
    runner
        .run(&strategy, |(words, from, to, labels, assignee)| {
            let filter = InboxFilter {
                text: (!words.is_empty()).then(|| words.join(" ")),
                created_from_ms: from,
                created_to_ms: to,
                labels: labels.into_iter().map(parley_types::LabelId).collect(),
                assignee: assignee.map(|id| Assignee::Member(parley_types::UserId(id))),
                ..Default::default()
            };
            runtime.block_on(async {
                let response = operator.search(&filter).await;
                let status = response.status().as_u16();
                let body = response.text().await.unwrap();
                prop_assert!(status == 200 || status == 400, "{status} for {filter:?}: {body}");
                if status == 200 {
                    let hits: Vec<SearchHit> = serde_json::from_str(&body).unwrap();
                    prop_assert!(hits.iter().all(|h| h.conversation.id != theirs), "{filter:?}");
                }
                Ok(())
            })
        })
        .unwrap();
    drop(app);
}

/// A word in thousands of messages is searched by walking conversations in order and
/// probing each (SQLite); the page is the same as collecting every match would give, and
/// still only the workspace's.
#[tokio::test]
async fn a_common_word_pages_the_same_whichever_way_it_is_searched() {
    use parley_services::entities::message;
    use sea_orm::{EntityTrait, Set};

    let app = TestApp::spawn_with_env(&[("PARLEY_NEW_VISITORS_PER_MINUTE", "0")]).await;
    let ws = app.workspace("Acme").await;
    let other = app.workspace("Globex").await;
    let operator = app.operator(&ws).await;
    let outsider = app.operator(&other).await;
    let mut conversations = Vec::new();
    for n in 0..60 {
        conversations.push(app.visitor_writes(&ws, &format!("question {n}")).await);
    }
    let theirs = app.visitor_writes(&other, "parcel please").await;
    // 2,400 more messages saying "parcel" (over the probing threshold), 40 per
    // conversation, in the first 60 conversations.
    let w = app.services.begin().await.unwrap();
    for (n, id) in conversations.iter().enumerate() {
        let rows = (2..42).map(|seq| message::ActiveModel {
            workspace_id: Set(ws.id.0),
            conversation_id: Set(id.0),
            seq: Set(seq),
            author: Set("visitor".into()),
            body: Set(format!("my parcel {n} {seq}")),
            client_id: Set(Some(format!("bulk-{seq}"))),
            created_at_ms: Set(seq),
            ..Default::default()
        });
        message::Entity::insert_many(rows).exec_without_returning(w.txn()).await.unwrap();
    }
    w.commit().await.unwrap();

    let found: Vec<SearchHit> = operator.search(&text("parcel")).await.json().await.unwrap();
    assert_eq!(found.len(), 50, "one page");
    // Newest activity first: the last 50 conversations written to.
    let mut newest: Vec<ConversationId> = conversations[10..].to_vec();
    newest.sort();
    assert_eq!(ids(&found), newest);
    assert!(found.iter().all(|hit| marked(hit).contains("[parcel]")));
    let theirs_found: Vec<SearchHit> = outsider.search(&text("parcel")).await.json().await.unwrap();
    assert_eq!(ids(&theirs_found), vec![theirs]);
}
