//! The event bus: features publish realtime events to typed audiences, sockets subscribe.
//!
//! `EventBus` is the seam for running several nodes later (a Redis or NATS
//! implementation forwards into the same local channels); features only see the trait.
//! The in-process implementation keeps one `tokio::sync::broadcast` channel per topic
//! that has subscribers and drops it when the last one leaves.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

use parley_types::{ContactId, OperatorEvent, VisitorEvent, WorkspaceId};
use serde::Serialize;
use tokio::sync::broadcast;

/// Who an event is for. Each audience accepts one event type, so an operator-only event
/// cannot be sent to a visitor: `svc.notify(VisitorTabs(id), OperatorEvent::..)` does not
/// compile.
pub trait Audience: Copy + Send + Sync + 'static {
    type Event: Serialize + Send + Sync + 'static;
    /// Hands the event to the bus.
    fn publish(self, bus: &dyn EventBus, event: Arc<Envelope<Self::Event>>);
}

/// Every signed-in operator socket of a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operators(pub WorkspaceId);

/// One visitor's open widgets (all their tabs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VisitorTabs(pub ContactId);

/// Every open widget of a workspace (all its visitors' tabs on this server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Widgets(pub WorkspaceId);

impl Audience for Widgets {
    type Event = VisitorEvent;
    fn publish(self, bus: &dyn EventBus, event: Arc<Envelope<VisitorEvent>>) {
        bus.publish_widgets(self, event);
    }
}

impl Audience for Operators {
    type Event = OperatorEvent;
    fn publish(self, bus: &dyn EventBus, event: Arc<Envelope<OperatorEvent>>) {
        bus.publish_operators(self, event);
    }
}

impl Audience for VisitorTabs {
    type Event = VisitorEvent;
    fn publish(self, bus: &dyn EventBus, event: Arc<Envelope<VisitorEvent>>) {
        bus.publish_visitor(self, event);
    }
}

/// What sockets must react to that is not an event for a screen (never sent to clients).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Control {
    /// An operator session ended (sign-out): its sockets close.
    SessionEnded { session_id: String },
    /// A member's role or grants changed, or they were removed: their sockets in that
    /// workspace close (a client reconnecting gets its new role, or is refused).
    MemberChanged { user_id: parley_types::UserId, workspace_id: parley_types::WorkspaceId },
}

/// Every operator socket of this node (control events are rare).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sockets;

impl Audience for Sockets {
    type Event = Control;
    fn publish(self, bus: &dyn EventBus, event: Arc<Envelope<Control>>) {
        bus.publish_control(event);
    }
}

/// How many events a slow operator socket may fall behind before it is told it lagged
/// (it then reconnects and resumes from its cursor, so nothing is lost). One channel per
/// workspace (about 40 bytes a slot), sized for a burst: the appender publishes a whole
/// write's messages at once, two events each.
const OPERATOR_CAPACITY: usize = 4096;
/// The same for a visitor's tabs. Small, because every visitor with an open socket has its
/// own channel and its slots are allocated up front (about 40 bytes each): a socket sends
/// the events a frame caused before it reads the next frame, so a visitor resending a
/// backlog queues one frame's events at a time.
const VISITOR_CAPACITY: usize = 16;

/// An event as it travels the bus: serialised at most once however many sockets send it.
#[derive(Debug)]
pub struct Envelope<E> {
    pub event: E,
    json: OnceLock<String>,
}

impl<E: Serialize> Envelope<E> {
    pub fn new(event: E) -> Arc<Self> {
        Arc::new(Envelope { event, json: OnceLock::new() })
    }

    /// The event as the JSON text frame sockets send.
    pub fn json(&self) -> &str {
        self.json.get_or_init(|| serde_json::to_string(&self.event).unwrap_or_default())
    }
}

/// Publishing and subscribing, independent of where subscribers live.
pub trait EventBus: Send + Sync + 'static {
    /// Delivers to the workspace's operator sockets; never blocks.
    fn publish_operators(&self, to: Operators, event: Arc<Envelope<OperatorEvent>>);
    /// Delivers to one visitor's sockets; never blocks.
    fn publish_visitor(&self, to: VisitorTabs, event: Arc<Envelope<VisitorEvent>>);
    /// Delivers to every visitor subscribed in the workspace; never blocks.
    fn publish_widgets(&self, to: Widgets, event: Arc<Envelope<VisitorEvent>>);
    /// Delivers a control event to every subscribed socket; never blocks.
    fn publish_control(&self, event: Arc<Envelope<Control>>);
    /// Starts receiving control events from now on.
    fn subscribe_control(&self) -> Subscription<Control>;
    /// Starts receiving a workspace's operator events from now on.
    fn subscribe_operators(&self, to: Operators) -> Subscription<OperatorEvent>;
    /// Whether an operator socket may be receiving the workspace's events: false only
    /// when none is, so that work done only to tell them (describing online visitors) can
    /// be skipped. A bus that spans servers and cannot tell answers true.
    fn operators_listening(&self, to: Operators) -> bool;
    /// Starts receiving a visitor's events from now on, and their workspace's widget
    /// events (`site`).
    fn subscribe_visitor(&self, to: VisitorTabs, site: Widgets) -> Subscription<VisitorEvent>;
}

/// A live subscription; dropping it unsubscribes.
pub struct Subscription<E> {
    rx: Option<broadcast::Receiver<Arc<Envelope<E>>>>,
    on_drop: Option<Box<dyn FnOnce() + Send + Sync>>,
}

/// Why `Subscription::recv` returned no event.
#[derive(Debug, PartialEq, Eq)]
pub enum RecvError {
    /// The subscriber fell behind by this many events; it must resynchronise.
    Lagged(u64),
    /// The bus is gone (shutdown).
    Closed,
}

impl<E: Send + Sync + 'static> Subscription<E> {
    /// Waits for the next event.
    pub async fn recv(&mut self) -> Result<Arc<Envelope<E>>, RecvError> {
        let Some(rx) = self.rx.as_mut() else { return Err(RecvError::Closed) };
        rx.recv().await.map_err(|err| match err {
            broadcast::error::RecvError::Lagged(n) => RecvError::Lagged(n),
            broadcast::error::RecvError::Closed => RecvError::Closed,
        })
    }

    /// The next event if one is waiting already (`None`: none is).
    pub fn try_recv(&mut self) -> Option<Result<Arc<Envelope<E>>, RecvError>> {
        let Some(rx) = self.rx.as_mut() else { return Some(Err(RecvError::Closed)) };
        match rx.try_recv() {
            Ok(envelope) => Some(Ok(envelope)),
            Err(broadcast::error::TryRecvError::Empty) => None,
            Err(broadcast::error::TryRecvError::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
            Err(broadcast::error::TryRecvError::Closed) => Some(Err(RecvError::Closed)),
        }
    }
}

impl<E> Drop for Subscription<E> {
    fn drop(&mut self) {
        drop(self.rx.take());
        if let Some(hook) = self.on_drop.take() {
            hook();
        }
    }
}

type Senders<K, E> = HashMap<K, broadcast::Sender<Arc<Envelope<E>>>>;

/// One broadcast channel per key that has subscribers.
struct Channels<K, E> {
    map: Arc<Mutex<Senders<K, E>>>,
    capacity: usize,
}

impl<K, E> Clone for Channels<K, E> {
    fn clone(&self) -> Self {
        Channels { map: self.map.clone(), capacity: self.capacity }
    }
}

impl<K: Eq + Hash + Copy + Send + Sync + 'static, E: Send + Sync + 'static> Channels<K, E> {
    fn new(capacity: usize) -> Self {
        Channels { map: Arc::default(), capacity }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Senders<K, E>> {
        // A panic while holding this lock cannot leave the map half-updated, so a
        // poisoned lock is still safe to use.
        self.map.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn publish(&self, key: K, event: Arc<Envelope<E>>) {
        if let Some(sender) = self.lock().get(&key) {
            // An error only means nobody is listening right now.
            let _ = sender.send(event);
        }
    }

    fn subscribe(&self, key: K) -> Subscription<E> {
        let rx = self.lock().entry(key).or_insert_with(|| broadcast::channel(self.capacity).0).subscribe();
        let channels = self.clone();
        Subscription {
            rx: Some(rx),
            on_drop: Some(Box::new(move || {
                let mut map = channels.lock();
                if map.get(&key).is_some_and(|sender| sender.receiver_count() == 0) {
                    map.remove(&key);
                }
            })),
        }
    }
}

/// Which visitors of each workspace have a subscription, and how many each.
type Sites = Arc<Mutex<HashMap<WorkspaceId, HashMap<ContactId, u32>>>>;

/// The single-node bus.
#[derive(Clone)]
pub struct InProcessBus {
    operators: Channels<Operators, OperatorEvent>,
    visitors: Channels<VisitorTabs, VisitorEvent>,
    control: Channels<Sockets, Control>,
    sites: Sites,
}

fn lock_sites(sites: &Sites) -> std::sync::MutexGuard<'_, HashMap<WorkspaceId, HashMap<ContactId, u32>>> {
    // As for `Channels::lock`: every update leaves the map whole.
    sites.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Default for InProcessBus {
    fn default() -> Self {
        InProcessBus {
            operators: Channels::new(OPERATOR_CAPACITY),
            visitors: Channels::new(VISITOR_CAPACITY),
            control: Channels::new(OPERATOR_CAPACITY),
            sites: Sites::default(),
        }
    }
}

impl InProcessBus {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keys that currently have subscribers (for tests and metrics).
    pub fn topic_count(&self) -> usize {
        self.operators.lock().len() + self.visitors.lock().len()
    }
}

impl EventBus for InProcessBus {
    fn publish_operators(&self, to: Operators, event: Arc<Envelope<OperatorEvent>>) {
        self.operators.publish(to, event);
    }

    fn publish_visitor(&self, to: VisitorTabs, event: Arc<Envelope<VisitorEvent>>) {
        self.visitors.publish(to, event);
    }

    fn subscribe_operators(&self, to: Operators) -> Subscription<OperatorEvent> {
        self.operators.subscribe(to)
    }

    fn operators_listening(&self, to: Operators) -> bool {
        // A channel lives while it has subscribers (`Channels::subscribe` removes it with
        // the last).
        self.operators.lock().contains_key(&to)
    }

    fn publish_control(&self, event: Arc<Envelope<Control>>) {
        self.control.publish(Sockets, event);
    }

    fn subscribe_control(&self) -> Subscription<Control> {
        self.control.subscribe(Sockets)
    }

    fn publish_widgets(&self, to: Widgets, event: Arc<Envelope<VisitorEvent>>) {
        let contacts: Vec<ContactId> =
            lock_sites(&self.sites).get(&to.0).map(|site| site.keys().copied().collect()).unwrap_or_default();
        for contact in contacts {
            self.visitors.publish(VisitorTabs(contact), event.clone());
        }
    }

    fn subscribe_visitor(&self, to: VisitorTabs, site: Widgets) -> Subscription<VisitorEvent> {
        let mut subscription = self.visitors.subscribe(to);
        *lock_sites(&self.sites).entry(site.0).or_default().entry(to.0).or_default() += 1;
        let (sites, unsubscribe) = (self.sites.clone(), subscription.on_drop.take());
        subscription.on_drop = Some(Box::new(move || {
            if let Some(unsubscribe) = unsubscribe {
                unsubscribe();
            }
            let mut map = lock_sites(&sites);
            if let Some(visitors) = map.get_mut(&site.0) {
                if let Some(count) = visitors.get_mut(&to.0) {
                    *count -= 1;
                    if *count == 0 {
                        visitors.remove(&to.0);
                    }
                }
                if visitors.is_empty() {
                    map.remove(&site.0);
                }
            }
        }));
        subscription
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parley_types::{Author, ConversationId};

    fn typing(id: i64) -> Arc<Envelope<OperatorEvent>> {
        Envelope::new(OperatorEvent::Typing {
            conversation_id: ConversationId(id),
            author: Author::Visitor,
            typing: true,
            by: None,
        })
    }

    #[test]
    fn a_workspace_has_operators_listening_while_one_is_subscribed() {
        let bus = InProcessBus::new();
        let acme = Operators(WorkspaceId(1));
        assert!(!bus.operators_listening(acme));
        let first = bus.subscribe_operators(acme);
        let second = bus.subscribe_operators(acme);
        assert!(bus.operators_listening(acme));
        assert!(!bus.operators_listening(Operators(WorkspaceId(2))), "another workspace's are not");
        drop(first);
        assert!(bus.operators_listening(acme), "one is left");
        drop(second);
        assert!(!bus.operators_listening(acme));
    }

    #[tokio::test]
    async fn subscribers_receive_only_their_topic() {
        let bus = InProcessBus::new();
        let mut operators = bus.subscribe_operators(Operators(WorkspaceId(1)));
        let mut other = bus.subscribe_operators(Operators(WorkspaceId(2)));
        bus.publish_operators(Operators(WorkspaceId(1)), typing(1));
        bus.publish_operators(Operators(WorkspaceId(2)), typing(2));
        assert_eq!(
            operators.recv().await.unwrap().json(),
            r#"{"type":"typing","conversation_id":1,"author":"visitor","typing":true}"#
        );
        assert!(matches!(
            other.recv().await.unwrap().event,
            OperatorEvent::Typing { conversation_id: ConversationId(2), .. }
        ));
    }

    #[tokio::test]
    async fn the_last_subscriber_leaving_frees_the_topic() {
        let bus = InProcessBus::new();
        let a = bus.subscribe_visitor(VisitorTabs(ContactId(5)), Widgets(WorkspaceId(1)));
        let b = bus.subscribe_visitor(VisitorTabs(ContactId(5)), Widgets(WorkspaceId(1)));
        assert_eq!(bus.topic_count(), 1);
        drop(a);
        assert_eq!(bus.topic_count(), 1);
        drop(b);
        assert_eq!(bus.topic_count(), 0);
        assert!(lock_sites(&bus.sites).is_empty());
    }

    #[tokio::test]
    async fn widget_events_reach_every_visitor_of_the_workspace_once() {
        let bus = InProcessBus::new();
        let (site, other) = (Widgets(WorkspaceId(1)), Widgets(WorkspaceId(2)));
        let mut ada = bus.subscribe_visitor(VisitorTabs(ContactId(5)), site);
        let mut ada_tab = bus.subscribe_visitor(VisitorTabs(ContactId(5)), site);
        let mut bob = bus.subscribe_visitor(VisitorTabs(ContactId(6)), site);
        let mut elsewhere = bus.subscribe_visitor(VisitorTabs(ContactId(7)), other);
        let seen = |seq| Envelope::new(VisitorEvent::Seen { conversation_id: ConversationId(1), seq });
        bus.publish_widgets(site, seen(1));
        bus.publish_visitor(VisitorTabs(ContactId(7)), seen(2));
        for tab in [&mut ada, &mut ada_tab, &mut bob] {
            assert!(matches!(tab.recv().await.unwrap().event, VisitorEvent::Seen { seq: 1, .. }));
        }
        // The other workspace's visitor got only its own event.
        assert!(matches!(elsewhere.recv().await.unwrap().event, VisitorEvent::Seen { seq: 2, .. }));
        drop(bob);
        bus.publish_widgets(site, seen(3));
        assert!(matches!(ada.recv().await.unwrap().event, VisitorEvent::Seen { seq: 3, .. }));
        assert_eq!(lock_sites(&bus.sites)[&WorkspaceId(1)].len(), 1);
    }

    #[tokio::test]
    async fn a_slow_subscriber_is_told_it_lagged() {
        let bus = InProcessBus::new();
        let mut slow = bus.subscribe_operators(Operators(WorkspaceId(1)));
        for i in 0..(OPERATOR_CAPACITY as i64 + 4) {
            bus.publish_operators(Operators(WorkspaceId(1)), typing(i));
        }
        assert_eq!(slow.recv().await.unwrap_err(), RecvError::Lagged(4));
    }
}
