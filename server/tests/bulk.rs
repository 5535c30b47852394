//! Bulk actions: one change to selected conversations or to all a filter finds, one
//! transaction per conversation, and an answer that lists each failure with its reason.
//! Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use parley_types::{BulkResult, ConversationId, ConversationStatus, ConversationSummary, InboxFilter, Role};
use support::{Operator, TestApp};

/// Calls the bulk endpoint with `fields` besides the selected `ids`.
async fn bulk(who: &Operator, ids: &[ConversationId], fields: &[(&str, String)]) -> reqwest::Response {
    let mut form: Vec<(String, String)> =
        ids.iter().enumerate().map(|(i, id)| (format!("ids[{i}]"), id.to_string())).collect();
    form.extend(fields.iter().map(|(k, v)| (k.to_string(), v.clone())));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    who.call("bulk_conversations", &pairs).await
}

async fn done(response: reqwest::Response) -> BulkResult {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn summary(who: &Operator, id: ConversationId) -> ConversationSummary {
    who.summary(id).await
}

#[tokio::test]
async fn each_conversation_changes_alone_and_failures_are_listed_with_why() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let other = app.workspace("Globex").await;
    let ada = app.operator(&ws).await;
    let ben = app.member(&ws, Role::Operator).await;
    let outsider = app.operator(&other).await;
    let ((_, _), (ben_id, _), (outsider_id, _)) = (ada.me().await, ben.me().await, outsider.me().await);
    let first = app.visitor_writes(&ws, "first order").await;
    let second = app.visitor_writes(&ws, "second order").await;
    let third = app.visitor_writes(&ws, "question").await;
    let theirs = app.visitor_writes(&other, "their order").await;

    // Assigning: another workspace's conversation fails alone, as "not found".
    let result = done(
        bulk(&ada, &[first, second, theirs], &[("action", "assign".into()), ("details[assignee]", ben_id.to_string())])
            .await,
    )
    .await;
    assert_eq!(result.done, [first, second]);
    assert_eq!(result.failed.len(), 1);
    assert_eq!((result.failed[0].conversation_id, result.failed[0].message.as_str()), (theirs, "Not found."));
    assert_eq!(summary(&ada, first).await.assignee_id, Some(ben_id));
    assert_eq!(summary(&outsider, theirs).await.assignee_id, None, "theirs is untouched");
    // Someone who is not a member: every one fails, each saying why; nothing changes.
    let result = done(
        bulk(&ada, &[first, third], &[("action", "assign".into()), ("details[assignee]", outsider_id.to_string())])
            .await,
    )
    .await;
    assert!(result.done.is_empty());
    assert_eq!(result.failed.len(), 2);
    assert!(result.failed.iter().all(|f| !f.message.is_empty()), "{result:?}");
    assert_eq!(summary(&ada, first).await.assignee_id, Some(ben_id));

    // Labels on and off.
    let label: parley_types::Label =
        ada.call("create_label", &[("name", "Orders"), ("colour", "#1c7ed6")]).await.json().await.unwrap();
    let result = done(
        bulk(&ada, &[first, second], &[("action", "label".into()), ("details[label]", label.id.to_string())]).await,
    )
    .await;
    assert_eq!(result.done.len(), 2);
    assert_eq!(summary(&ada, second).await.labels, [label.id]);
    done(bulk(&ada, &[second], &[("action", "unlabel".into()), ("details[label]", label.id.to_string())]).await).await;
    assert!(summary(&ada, second).await.labels.is_empty());

    // All N matching: close every open conversation about orders, with a comment.
    let orders = InboxFilter { text: Some("order".into()), ..Default::default() };
    let mut fields: Vec<(String, String)> = support::filter_form("matching", &orders);
    fields.extend([
        ("action".into(), "close".into()),
        ("details[outcome]".into(), "resolved".into()),
        ("details[comment]".into(), "Shipped".into()),
    ]);
    let fields: Vec<(&str, String)> = fields.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let result = done(bulk(&ada, &[], &fields).await).await;
    assert_eq!(result.done, [first, second]);
    for id in [first, second] {
        let s = summary(&ada, id).await;
        assert_eq!(
            (s.status, s.outcome),
            (ConversationStatus::Closed, Some(parley_types::ConversationOutcome::Resolved))
        );
    }
    assert_eq!(summary(&ada, third).await.status, ConversationStatus::Open);
    // Reopening them, and marking read.
    let result = done(bulk(&ada, &[first, second], &[("action", "reopen".into())]).await).await;
    assert_eq!(result.done.len(), 2);
    assert_eq!(summary(&ada, first).await.status, ConversationStatus::Open);
    let (ada_id, _) = ada.me().await;
    done(bulk(&ada, &[first, second, third], &[("action", "mark_read".into())]).await).await;
    assert!(ada.found(&InboxFilter { unread: Some(true), ..Default::default() }).await.is_empty());
    assert_eq!(summary(&ben, third).await.unread_for(ada_id), 0);
    // Snoozing until the customer writes.
    let result = done(bulk(&ada, &[third], &[("action", "snooze".into())]).await).await;
    assert_eq!(result.done, [third]);
    assert_eq!(summary(&ada, third).await.status, ConversationStatus::Snoozed);
}

#[tokio::test]
async fn a_bulk_action_that_cannot_work_is_refused_whole_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;
    let ada = app.operator(&ws).await;
    let id = app.visitor_writes(&ws, "hello").await;
    let past = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64) - 1000;
    for (fields, why) in [
        (vec![("action", "snooze".to_owned()), ("details[until_ms]", past.to_string())], "in the future"),
        (vec![("action", "close".to_owned())], "needs an outcome"),
        (vec![("action", "label".to_owned())], "Name the label"),
        (vec![("action", "close".to_owned()), ("details[outcome]", "expired".to_owned())], "resolved or abandoned"),
    ] {
        let response = bulk(&ada, &[id], &fields).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        if why == "resolved or abandoned" {
            // Refused for each conversation, listed.
            assert_eq!(status, 200, "{body}");
            assert!(body.contains(why), "{body}");
        } else {
            assert_eq!(status, 400, "{body}");
            assert!(body.contains(why), "{why}: {body}");
        }
    }
    assert_eq!(bulk(&ada, &[], &[("action", "reopen".into())]).await.status(), 400, "nothing selected");
    assert_eq!(bulk(&ada, &[id], &[("action", "explode".into())]).await.status(), 400);
    assert_eq!(bulk(&app.anonymous(), &[id], &[("action", "reopen".into())]).await.status(), 401);
    let s = ada.summary(id).await;
    assert_eq!(s.status, ConversationStatus::Open);
    assert!(s.labels.is_empty());
}
