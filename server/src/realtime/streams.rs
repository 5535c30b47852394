//! Streams a socket can resume from a cursor, and how they are replayed.
//!
//! A stream is an ordered sequence of one feature's events with increasing sequence
//! numbers: a conversation's messages now; a ticket's public updates and an operator's
//! Inbox items later. A feature registers a [`StreamSource`] per socket kind (see
//! [`super::Realtime`]); the socket loop then, for every live event, asks the sources which
//! stream and position it belongs to, keeps a cursor per stream in its [`super::Delivery`],
//! and replays from the database what a client missed.

use std::future::Future;
use std::pin::Pin;

use axum::extract::ws::WebSocket;
use parley_services::{Actor, ServiceError, ServiceResult, Services};
use parley_types::ConversationId;

use super::{Delivery, SocketEnd, SocketEvent, send_event};

/// A boxed, sendable future: what registered (dynamically dispatched) features return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Entries read from the database per replay page. A page is read only after the previous
/// one has been written to the connection, so a client that does not read holds its
/// replay back instead of making the server buffer it.
pub const REPLAY_PAGE: u64 = 200;

/// Which stream: the feature and the id of the thing streamed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StreamKey {
    /// A conversation's messages, by `seq`.
    Messages(ConversationId),
}

/// One feature's stream kind, for the socket kind whose events are `E`.
pub trait StreamSource<E>: Send + Sync + 'static {
    /// The stream and position of a live event, if it is one of this source's entries.
    fn position(&self, event: &E) -> Option<(StreamKey, i64)>;
    /// Whether `key` is one of this source's streams.
    fn serves(&self, key: StreamKey) -> bool;
    /// Up to `limit` entries of `key` after position `after`, in order, as `actor` may
    /// read them (the service checks: another workspace's stream is "not found").
    fn page<'a>(
        &'a self,
        services: &'a Services,
        actor: &'a Actor,
        key: StreamKey,
        after: i64,
        limit: u64,
    ) -> BoxFuture<'a, ServiceResult<Vec<(i64, E)>>>;
}

/// The stream sources of one socket kind.
pub struct Streams<E> {
    sources: Vec<Box<dyn StreamSource<E>>>,
}

impl<E> Default for Streams<E> {
    fn default() -> Self {
        Streams { sources: Vec::new() }
    }
}

impl<E: SocketEvent> Streams<E> {
    /// Adds a feature's stream.
    pub fn register(&mut self, source: impl StreamSource<E>) {
        self.sources.push(Box::new(source));
    }

    /// The stream and position of a live event, if it belongs to one.
    pub fn position(&self, event: &E) -> Option<(StreamKey, i64)> {
        self.sources.iter().find_map(|source| source.position(event))
    }

    fn source(&self, key: StreamKey) -> Option<&dyn StreamSource<E>> {
        self.sources.iter().find(|source| source.serves(key)).map(|source| &**source)
    }
}

/// Where a replay writes and what it may read: one socket's state during a frame or a
/// live event.
pub struct ReplayTarget<'a, E> {
    pub socket: &'a mut WebSocket,
    pub delivery: &'a mut Delivery,
    pub services: &'a Services,
    pub actor: &'a Actor,
    pub streams: &'a Streams<E>,
}

impl<E: SocketEvent> ReplayTarget<'_, E> {
    /// Sends every entry of `key` after `after` (and up to `up_to`, when given), in order,
    /// page by page, awaiting each write, and moves the stream's cursor. Returns the last
    /// position sent (or `after`).
    pub async fn replay(&mut self, key: StreamKey, after: i64, up_to: Option<i64>) -> Result<i64, SocketEnd> {
        let source = self.streams.source(key).ok_or(SocketEnd::Refused(ServiceError::NotFound))?;
        let mut last = after.max(0);
        loop {
            let page = source.page(self.services, self.actor, key, last, REPLAY_PAGE).await?;
            let done = (page.len() as u64) < REPLAY_PAGE;
            for (position, event) in page {
                if up_to.is_some_and(|limit| position > limit) {
                    self.delivery.mark_sent(key, last);
                    return Ok(last);
                }
                // `send` flushes: with the connection's buffers full it waits for the client.
                send_event(self.socket, &event).await?;
                self.services.metrics.event_replayed();
                last = position;
            }
            if done {
                break;
            }
        }
        self.delivery.mark_sent(key, last);
        Ok(last)
    }

    /// Sends a live event that belongs to `key` at `position`: skipped when the client has
    /// it already, preceded by the missing entries when it is ahead of the cursor.
    pub async fn forward(&mut self, key: StreamKey, position: i64, json: &str) -> Result<(), SocketEnd> {
        match self.delivery.classify(key, position) {
            super::Decision::Skip => return Ok(()),
            super::Decision::Send => {}
            super::Decision::FillGap { after } => {
                self.replay(key, after, Some(position - 1)).await?;
            }
        }
        super::send_json(self.socket, json).await?;
        self.delivery.record(key, position);
        Ok(())
    }
}
