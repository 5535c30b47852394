//! The event bus: features publish realtime events to topics, sockets subscribe.
//!
//! `EventBus` is the seam for running several nodes later (a Redis or NATS
//! implementation forwards into the same local channels); features only see the trait.
//! The in-process implementation keeps one `tokio::sync::broadcast` channel per topic
//! that has subscribers and drops it when the last one leaves.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use parley_types::{ContactId, ServerEvent, WorkspaceId};
use tokio::sync::broadcast;

/// Who an event is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Every signed-in operator of a workspace.
    Workspace(WorkspaceId),
    /// One visitor's open widgets (all their tabs).
    Contact(ContactId),
}

impl Topic {
    /// How many events a slow subscriber may fall behind before it is told it lagged
    /// (it then reconnects and resumes from its cursor, so nothing is lost).
    fn capacity(self) -> usize {
        match self {
            Topic::Workspace(_) => 1024,
            Topic::Contact(_) => 16,
        }
    }
}

/// An event as it travels the bus: serialised at most once however many sockets send it.
#[derive(Debug)]
pub struct Envelope {
    pub event: ServerEvent,
    json: OnceLock<String>,
}

impl Envelope {
    pub fn new(event: ServerEvent) -> Arc<Self> {
        Arc::new(Envelope { event, json: OnceLock::new() })
    }

    /// The event as the JSON text frame sockets send.
    pub fn json(&self) -> &str {
        self.json.get_or_init(|| serde_json::to_string(&self.event).unwrap_or_default())
    }
}

/// Publishing and subscribing, independent of where subscribers live.
pub trait EventBus: Send + Sync + 'static {
    /// Delivers `event` to the topic's current subscribers; never blocks.
    fn publish(&self, topic: Topic, event: Arc<Envelope>);
    /// Starts receiving the topic's events from now on.
    fn subscribe(&self, topic: Topic) -> Subscription;
}

/// A live subscription; dropping it unsubscribes.
pub struct Subscription {
    rx: Option<broadcast::Receiver<Arc<Envelope>>>,
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

impl Subscription {
    /// Waits for the next event.
    pub async fn recv(&mut self) -> Result<Arc<Envelope>, RecvError> {
        let Some(rx) = self.rx.as_mut() else { return Err(RecvError::Closed) };
        rx.recv().await.map_err(|err| match err {
            broadcast::error::RecvError::Lagged(n) => RecvError::Lagged(n),
            broadcast::error::RecvError::Closed => RecvError::Closed,
        })
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        drop(self.rx.take());
        if let Some(hook) = self.on_drop.take() {
            hook();
        }
    }
}

type Channels = Arc<Mutex<HashMap<Topic, broadcast::Sender<Arc<Envelope>>>>>;

/// The single-node bus.
#[derive(Clone, Default)]
pub struct InProcessBus {
    channels: Channels,
}

impl InProcessBus {
    pub fn new() -> Self {
        Self::default()
    }

    /// Topics that currently have subscribers (for tests and metrics).
    pub fn topic_count(&self) -> usize {
        lock(&self.channels).len()
    }
}

fn lock(channels: &Channels) -> std::sync::MutexGuard<'_, HashMap<Topic, broadcast::Sender<Arc<Envelope>>>> {
    // A panic while holding this lock cannot leave the map half-updated, so a poisoned
    // lock is still safe to use.
    channels.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl EventBus for InProcessBus {
    fn publish(&self, topic: Topic, event: Arc<Envelope>) {
        if let Some(sender) = lock(&self.channels).get(&topic) {
            // An error only means nobody is listening right now.
            let _ = sender.send(event);
        }
    }

    fn subscribe(&self, topic: Topic) -> Subscription {
        let rx =
            lock(&self.channels).entry(topic).or_insert_with(|| broadcast::channel(topic.capacity()).0).subscribe();
        let channels = self.channels.clone();
        Subscription {
            rx: Some(rx),
            on_drop: Some(Box::new(move || {
                let mut map = lock(&channels);
                if map.get(&topic).is_some_and(|sender| sender.receiver_count() == 0) {
                    map.remove(&topic);
                }
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parley_types::{Author, ConversationId};

    fn typing(id: i64) -> Arc<Envelope> {
        Envelope::new(ServerEvent::Typing {
            conversation_id: ConversationId(id),
            author: Author::Visitor,
            typing: true,
        })
    }

    #[tokio::test]
    async fn subscribers_receive_only_their_topic() {
        let bus = InProcessBus::new();
        let mut operators = bus.subscribe(Topic::Workspace(WorkspaceId(1)));
        let mut other = bus.subscribe(Topic::Workspace(WorkspaceId(2)));
        bus.publish(Topic::Workspace(WorkspaceId(1)), typing(1));
        bus.publish(Topic::Workspace(WorkspaceId(2)), typing(2));
        assert_eq!(
            operators.recv().await.unwrap().json(),
            r#"{"type":"typing","conversation_id":1,"author":"visitor","typing":true}"#
        );
        assert!(matches!(
            other.recv().await.unwrap().event,
            ServerEvent::Typing { conversation_id: ConversationId(2), .. }
        ));
    }

    #[tokio::test]
    async fn the_last_subscriber_leaving_frees_the_topic() {
        let bus = InProcessBus::new();
        let a = bus.subscribe(Topic::Contact(ContactId(5)));
        let b = bus.subscribe(Topic::Contact(ContactId(5)));
        assert_eq!(bus.topic_count(), 1);
        drop(a);
        assert_eq!(bus.topic_count(), 1);
        drop(b);
        assert_eq!(bus.topic_count(), 0);
    }

    #[tokio::test]
    async fn a_slow_subscriber_is_told_it_lagged() {
        let bus = InProcessBus::new();
        let mut slow = bus.subscribe(Topic::Contact(ContactId(1)));
        for i in 0..20 {
            bus.publish(Topic::Contact(ContactId(1)), typing(i));
        }
        assert_eq!(slow.recv().await.unwrap_err(), RecvError::Lagged(4));
    }
}
