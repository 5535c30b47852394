//! Online visitors: widget sockets count visitors online, page views move them, a closed
//! socket ends the visit after the grace period; operators get at most one batched event
//! a second and the full list on request; an operator writes first to a visitor. Runs on
//! SQLite, and on PostgreSQL when `DATABASE_URL` is set.

mod support;

use std::time::{Duration, Instant};

use parley_types::{ClientEvent, ContactDetail, ConversationId, OnlineVisitor, OperatorEvent, Role, VisitorEvent};
use support::{Operator, Socket, TestApp};

fn page(url: &str, title: &str) -> ClientEvent {
    ClientEvent::Page { url: url.into(), title: title.into(), referrer: "https://search.example/?q=shoes".into() }
}

async fn online(op: &Operator) -> Vec<OnlineVisitor> {
    let response = op.call("list_online_visitors", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Collects `VisitorsChanged` events until `done` holds, with when each arrived.
async fn batches(
    socket: &mut Socket<OperatorEvent>,
    mut done: impl FnMut(&[(Instant, OperatorEvent)]) -> bool,
) -> Vec<(Instant, OperatorEvent)> {
    let mut seen = Vec::new();
    while !done(&seen) {
        let event = socket.next_event().await;
        if matches!(event, OperatorEvent::VisitorsChanged { .. }) {
            seen.push((Instant::now(), event));
        }
    }
    seen
}

fn counts(seen: &[(Instant, OperatorEvent)]) -> (usize, usize, usize) {
    seen.iter().fold((0, 0, 0), |(j, m, l), (_, e)| match e {
        OperatorEvent::VisitorsChanged { joined, moved, left } => (j + joined.len(), m + moved.len(), l + left.len()),
        _ => (j, m, l),
    })
}

#[tokio::test]
async fn a_hundred_visitors_navigate_and_leave_and_operators_get_batches() {
    let app =
        TestApp::spawn_with_env(&[("PARLEY_VISITOR_GRACE_SECS", "1"), ("PARLEY_NEW_VISITORS_PER_MINUTE", "0")]).await;
    let acme = app.workspace("Acme").await;
    let op = app.member(&acme, Role::Operator).await;
    let mut events = op.socket().await;
    let mut sockets = Vec::new();
    let started = Instant::now();
    for i in 0..100 {
        let visitor = app.visitor(&acme).await;
        let (mut socket, _) = app.visitor_socket(&acme, &visitor, 0).await;
        socket.send(&page(&format!("https://shop.example/item/{i}"), &format!("Item {i}"))).await;
        sockets.push((visitor, socket));
    }
    let joined = batches(&mut events, |seen| counts(seen).0 >= 100).await;
    assert_eq!(counts(&joined).0, 100, "each visitor joins once");
    // Sent at most once a second (read here whenever the test gets to them).
    let seconds = started.elapsed().as_secs_f64().ceil() as usize;
    assert!(joined.len() <= seconds + 1, "{} batches in {seconds} s", joined.len());
    let list = online(&op).await;
    assert_eq!(list.len(), 100);
    let first = list.iter().find(|v| v.contact_id == sockets[0].0.contact_id).unwrap();
    let page0 = first.page.as_ref().expect("the page they see");
    assert_eq!((page0.url.as_str(), page0.title.as_str(), first.pages), ("https://shop.example/item/0", "Item 0", 1));
    assert_eq!(first.referrer, "https://search.example/?q=shoes");

    // Half of them move on; the same page again (a reconnect) is no new visit.
    for (_, socket) in sockets.iter_mut().take(50) {
        socket.send(&page("https://shop.example/cart", "Cart")).await;
    }
    sockets[99].1.send(&page("https://shop.example/item/99", "Item 99")).await;
    let moved = batches(&mut events, |seen| counts(seen).1 >= 50).await;
    assert_eq!(counts(&moved).1, 50);
    let list = online(&op).await;
    let carts = list.iter().filter(|v| v.page.as_ref().is_some_and(|p| p.url.ends_with("/cart"))).count();
    assert_eq!(carts, 50);
    assert!(list.iter().all(|v| v.pages == if v.page.as_ref().unwrap().url.ends_with("/cart") { 2 } else { 1 }));

    // Thirty leave: gone once the grace has passed.
    let leaving: Vec<_> = sockets.drain(..30).collect();
    for (_, socket) in leaving {
        socket.close().await;
    }
    let left = batches(&mut events, |seen| counts(seen).2 >= 30).await;
    assert_eq!(counts(&left).2, 30);
    assert_eq!(online(&op).await.len(), 70);

    // Each page is on the contact's timeline (visitor #30 is the first still here).
    let timeline = op.get_contact(sockets[0].0.contact_id).await.json::<ContactDetail>().await.unwrap().timeline;
    let urls: Vec<&str> = timeline.iter().filter(|e| e.kind == "page").map(|e| e.name.as_str()).collect();
    assert_eq!(urls, ["https://shop.example/cart", "https://shop.example/item/30"]);
}

#[tokio::test]
async fn pages_are_checked_and_a_navigation_within_the_grace_keeps_the_visit() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let op = app.member(&acme, Role::Operator).await;
    let visitor = app.visitor(&acme).await;
    let (mut socket, _) = app.visitor_socket(&acme, &visitor, 0).await;
    socket.send(&page("javascript:alert(1)", "x")).await;
    let refused = socket.wait_for(|e| if let VisitorEvent::Error(err) = e { Some(err) } else { None }).await;
    assert!(refused.message.contains("http"), "{refused:?}");
    let long_title = "T".repeat(1_000);
    socket.send(&page("https://shop.example/", &long_title)).await;
    socket.close().await;
    // The next page's socket opens at once: still the same visit.
    let (mut next, _) = app.visitor_socket(&acme, &visitor, 0).await;
    next.send(&page("https://shop.example/about", "About")).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let list = online(&op).await;
        if list.first().is_some_and(|v| v.pages == 2) {
            assert_eq!(list.len(), 1);
            break;
        }
        assert!(Instant::now() < deadline, "{list:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let timeline = op.get_contact(visitor.contact_id).await.json::<ContactDetail>().await.unwrap().timeline;
    assert_eq!(timeline[1].title.chars().count(), 300, "long titles are cut");
    // Operators never report pages.
    let mut operator_socket = op.socket().await;
    operator_socket.send(&page("https://shop.example/", "x")).await;
    operator_socket.wait_for(|e| matches!(e, OperatorEvent::Error(_)).then_some(())).await;
}

#[tokio::test]
async fn an_operator_writes_first_and_the_conversation_is_theirs() {
    let app = TestApp::spawn().await;
    let acme = app.workspace("Acme").await;
    let globex = app.workspace("Globex").await;
    let ana = app.member(&acme, Role::Operator).await;
    let (ana_id, _) = ana.me().await;
    let visitor = app.visitor(&acme).await;
    let (mut widget, _) = app.visitor_socket(&acme, &visitor, 0).await;
    let contact = visitor.contact_id.to_string();
    let response = ana
        .call("start_conversation", &[("contact", &contact), ("client_id", "start-1"), ("text", "Need a hand?")])
        .await;
    assert_eq!(response.status(), 200);
    let id: ConversationId = response.json().await.unwrap();
    let message = widget.wait_for_message("Need a hand?").await;
    assert_eq!(message.conversation_id, id);
    assert_eq!(ana.summary(id).await.assignee_id, Some(ana_id));
    // The visitor answers into the same conversation.
    widget.send(&ClientEvent::Send { client_id: "v-1".into(), text: "Yes please".into(), attachments: vec![] }).await;
    assert_eq!(widget.wait_for_message("Yes please").await.conversation_id, id);
    // Writing first again goes into the open conversation.
    let again: ConversationId = ana
        .call("start_conversation", &[("contact", &contact), ("client_id", "start-2"), ("text", "Great")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, id);
    let outsider = app.member(&globex, Role::Operator).await;
    let response =
        outsider.call("start_conversation", &[("contact", &contact), ("client_id", "x-1"), ("text", "Hi")]).await;
    assert_eq!(response.status(), 404);
}
