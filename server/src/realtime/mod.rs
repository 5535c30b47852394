//! The WebSocket endpoints: `/ws/operator` (session cookie) and
//! `/widget/v1/{key}/ws` (visitor token). Both subscribe to the event bus before they
//! replay anything, and deliver each stream's entries in order, exactly once, through a
//! `Delivery`.
//!
//! Features plug in through [`Realtime`]: each registers, per socket kind, the streams it
//! sends (`streams.rs`) and the client frames it handles (`frames.rs`);
//! `conversations.rs` is the conversation feature's registration, the one to copy.

mod conversations;
mod delivery;
pub mod frames;
mod limits;
mod operator;
pub mod streams;
mod visitor;
mod visitors;

pub use delivery::{Decision, Delivery};
pub use operator::operator_socket;
pub use visitor::visitor_socket;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use parley_types::{ApiError, OperatorEvent, VisitorEvent};
use serde::Serialize;

use frames::{FrameHandler, SocketCx};
use streams::{ReplayTarget, Streams};

/// What a socket's read buffer holds before it grows: tungstenite allocates it up front
/// beside a fixed 4 KiB read chunk, so it is most of an idle socket's memory. Client
/// frames are small (a message, a typing notice); a larger one grows it as needed.
/// (axum's default, 128 KiB, cost about 137 KB per idle socket.)
pub const SOCKET_READ_BUFFER_BYTES: usize = 512;
/// How much is written to the connection at once; the write buffer is not allocated up
/// front.
pub const SOCKET_WRITE_BUFFER_BYTES: usize = 4 * 1024;
/// A slow client may have this much unsent before its socket is dropped (it then
/// reconnects and resumes from its cursor).
pub const MAX_UNSENT_BYTES: usize = 1024 * 1024;
/// Largest frame a client may send (a 10,000-character message fits).
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 64 * 1024;

/// Applies Parley's socket limits to an upgrade.
pub fn configure(upgrade: WebSocketUpgrade) -> WebSocketUpgrade {
    upgrade
        .read_buffer_size(SOCKET_READ_BUFFER_BYTES)
        .write_buffer_size(SOCKET_WRITE_BUFFER_BYTES)
        .max_write_buffer_size(MAX_UNSENT_BYTES)
        .max_message_size(MAX_CLIENT_MESSAGE_BYTES)
        .max_frame_size(MAX_CLIENT_MESSAGE_BYTES)
}

/// The events a socket kind sends.
pub trait SocketEvent: Serialize + Send + Sync + 'static {
    /// A refusal the client can show.
    fn error(error: ApiError) -> Self;
    /// This event with its sentences in the language `lang`, when that changes it.
    fn in_language(&self, _lang: &str) -> Option<Self>
    where
        Self: Sized,
    {
        None
    }
}

impl SocketEvent for OperatorEvent {
    fn error(error: ApiError) -> Self {
        OperatorEvent::Error(error)
    }
}

impl SocketEvent for VisitorEvent {
    fn error(error: ApiError) -> Self {
        VisitorEvent::Error(error)
    }

    /// A refusal in the widget's language (the operator app says errors itself).
    fn in_language(&self, lang: &str) -> Option<Self> {
        match self {
            VisitorEvent::Error(error) if lang != "en" => {
                let mut error = error.clone();
                parley_services::phrases::localize(&mut error, lang);
                Some(VisitorEvent::Error(error))
            }
            _ => None,
        }
    }
}

/// What one socket kind carries for the features: their streams and frame handlers.
pub struct SocketFeatures<E> {
    pub streams: Streams<E>,
    handlers: Vec<Box<dyn FrameHandler<E>>>,
}

impl<E> Default for SocketFeatures<E> {
    fn default() -> Self {
        SocketFeatures { streams: Streams::default(), handlers: Vec::new() }
    }
}

impl<E: SocketEvent> SocketFeatures<E> {
    /// Adds a feature's frame handler (offered each frame after those registered before).
    pub fn frames(&mut self, handler: impl FrameHandler<E>) {
        self.handlers.push(Box::new(handler));
    }
}

/// Every feature's part of the sockets, built once at start.
#[derive(Default)]
pub struct Realtime {
    pub operator: SocketFeatures<OperatorEvent>,
    pub visitor: SocketFeatures<VisitorEvent>,
}

impl Realtime {
    /// The features' registrations. A new module that streams or takes socket frames adds
    /// its `register` call here.
    pub fn new() -> Self {
        let mut realtime = Realtime::default();
        conversations::register(&mut realtime);
        visitors::register(&mut realtime);
        realtime
    }

    /// The registrations of the socket kind whose events are `E`.
    fn features<E: SocketKindEvent>(&self) -> &SocketFeatures<E> {
        E::features(self)
    }
}

/// Finds a socket kind's features by its event type.
trait SocketKindEvent: SocketEvent + Sized {
    fn features(realtime: &Realtime) -> &SocketFeatures<Self>;
}

impl SocketKindEvent for OperatorEvent {
    fn features(realtime: &Realtime) -> &SocketFeatures<Self> {
        &realtime.operator
    }
}

impl SocketKindEvent for VisitorEvent {
    fn features(realtime: &Realtime) -> &SocketFeatures<Self> {
        &realtime.visitor
    }
}

/// Sends one event as a JSON text frame.
async fn send_event(socket: &mut WebSocket, event: &impl Serialize) -> Result<(), axum::Error> {
    let text = serde_json::to_string(event).unwrap_or_default();
    socket.send(Message::Text(text.into())).await
}

/// Queues already-serialised JSON: it goes out with the next flush (the socket loop
/// flushes after the events waiting together, a replay with its own sends).
async fn send_json(socket: &mut WebSocket, json: &str) -> Result<(), axum::Error> {
    futures_util::SinkExt::feed(socket, Message::Text(json.to_owned().into())).await
}

/// Closes with a code and reason the client can act on (e.g. 1012 → reconnect). Boxed: a
/// socket closes once, and a future awaited in place would reserve its room in every open
/// socket's task.
fn close<'a>(socket: &'a mut WebSocket, code: u16, reason: &'static str) -> futures_util::future::BoxFuture<'a, ()> {
    Box::pin(async move {
        let _ = socket.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
    })
}

/// Tells the client a request was refused, in its language; the socket stays open.
async fn refuse<E: SocketEvent>(
    socket: &mut WebSocket,
    err: parley_services::ServiceError,
    language: &'static str,
) -> Result<(), axum::Error> {
    let refusal = E::error(err.into());
    let refusal = refusal.in_language(language).unwrap_or(refusal);
    send_event(socket, &refusal).await
}

/// The close code and reason for a frame the client should not have sent: too large
/// (1009) or not UTF-8 (1007). Other read errors end the socket without a close frame.
fn close_code_for(err: axum::Error) -> Option<(u16, &'static str)> {
    match err.into_inner().downcast_ref::<tungstenite::Error>() {
        Some(tungstenite::Error::Capacity(_)) => Some((1009, "frame too large")),
        Some(tungstenite::Error::Utf8(_)) => Some((1007, "frames must be UTF-8 text")),
        _ => None,
    }
}

/// Close code: the server is going away (restart); reconnect.
const CLOSE_GOING_AWAY: u16 = 1001;
/// Close code: fell too far behind; reconnect and resume from your cursor.
const CLOSE_TRY_AGAIN: u16 = 1013;
/// Close code: the session behind the socket ended (signed out); do not reconnect.
const CLOSE_SIGNED_OUT: u16 = 1008;

use parley_services::bus::{Control, RecvError, Subscription};
use parley_services::{Actor, Envelope, Services};
use tokio::sync::watch;

/// What differs between the operator and the visitor socket: who is on the other end
/// and which events they receive (their frames go to the features registered for it).
trait Peer {
    type Event: SocketKindEvent;
    /// The actor service calls are made for.
    fn actor(&self) -> &Actor;
    /// Whether a control event ends this socket (e.g. its session was signed out).
    fn ends_on(&self, control: &Control) -> bool;
    /// When this socket must close at the latest (its session's absolute lifetime).
    fn deadline(&self) -> Option<tokio::time::Instant> {
        None
    }
    /// Called once per ping interval, `active` when the client sent frames since the last
    /// call: whether the socket may stay open (an operator's session may have ended
    /// elsewhere, or idled out; activity on the socket keeps it alive).
    async fn still_signed_in(&mut self, _services: &Services, _active: bool) -> bool {
        true
    }
    /// Called once when the socket opens (an operator's counts for their availability, a
    /// visitor's presence on the site).
    async fn opened(&mut self, _services: &Services, _socket: parley_services::presence::SocketId) {}
    /// Called once when the socket has ended.
    fn closed(&mut self, _services: &Services) {}
    /// The language the client speaks, for the sentences the server sends it.
    fn language(&self) -> &'static str {
        "en"
    }
    /// Whether this kind of socket looks at each live event ([`Peer::admit`]) before it
    /// goes out. Without, every event is sent and no per-event future is made (visitor
    /// sockets, the many).
    const FILTERS: bool = false;
    /// What happens to a live bus event before it goes out (asked when [`Peer::FILTERS`]).
    async fn admit(&mut self, _services: &Services, _event: &Self::Event) -> Admit<Self::Event> {
        Admit::Send
    }
}

/// What a socket does with one live event ([`Peer::admit`]).
pub enum Admit<E> {
    /// Send it as it is.
    Send,
    /// Not for this socket's member (a conversation they do not see).
    Skip,
    /// Send this instead (the member's own counts, a conversation gone from view).
    Instead(E),
    /// What the member sees changed: close so the client reconnects and reloads.
    Reload,
}

/// Runs a socket until the client leaves, falls behind or the server shuts down:
/// client frames go to the features' handlers, bus events go out through `forward`.
#[allow(clippy::too_many_arguments, clippy::manual_async_fn)] // async fn: see the block below
fn run_socket<P: Peer>(
    mut socket: WebSocket,
    services: Services,
    realtime: std::sync::Arc<Realtime>,
    mut peer: P,
    mut events: Subscription<P::Event>,
    mut delivery: Delivery,
    mut control: Option<Subscription<Control>>,
    mut shutdown: watch::Receiver<bool>,
) -> impl std::future::Future<Output = ()> {
    // An `async move` block, not an `async fn`: an async fn moves its arguments into locals
    // as it starts, and its future keeps room for both copies (840 bytes in every socket's
    // task). The block uses what it captured where it lies.
    async move {
        let features = realtime.features::<P::Event>();
        let socket_id = services.presence.new_socket();
        // Boxed, like the close below: these run once, but a future awaited in place sizes the
        // whole socket task for its life (their writes made every idle socket ~7 KB larger).
        Box::pin(peer.opened(&services, socket_id)).await;
        let (ping_every, idle_after) = (services.config.socket_ping, services.config.socket_idle);
        let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
        let mut last_heard = tokio::time::Instant::now();
        // A client frame since the last ping: the person is working in this socket.
        let mut active = false;
        // Boxed and only when there is one: visitor sockets, the many, carry no timer.
        let mut expiry = peer.deadline().map(|at| Box::pin(tokio::time::sleep_until(at)));
        loop {
            // Biased, frames last: the events a frame caused (a visitor's own echo) go out
            // before the next frame is read, so a client resending a backlog never fills its
            // bus queue; the bus, control and shutdown come first for the same reason.
            let step = tokio::select! {
                biased;
                () = async { match expiry.as_mut() { Some(sleep) => sleep.await, None => std::future::pending().await } } => {
                    close(&mut socket, CLOSE_SIGNED_OUT, "session expired").await;
                    Err(SocketEnd::Gone)
                },
                Some(signal) = async { match control.as_mut() { Some(c) => c.recv().await.ok(), None => None } } => {
                    if peer.ends_on(&signal.event) {
                        close(&mut socket, CLOSE_SIGNED_OUT, "signed out").await;
                        Err(SocketEnd::Gone)
                    } else {
                        Ok(())
                    }
                },
                // Events already waiting behind this one go out with it, in one write: a
                // commit publishes a message and its conversation's summary together.
                event = events.recv() => {
                    let mut event = Some(event);
                    let mut step = Ok(());
                    let mut passed = 0;
                    while let Some(next) = event.take() {
                        step = match next {
                            Ok(envelope) => {
                                Box::pin(pass_on(&mut socket, &services, &mut peer, &mut delivery, &features.streams, &envelope)).await
                            }
                            Err(RecvError::Lagged(_)) => {
                                services.metrics.socket_lagged();
                                close(&mut socket, CLOSE_TRY_AGAIN, "fell behind; resume").await;
                                Err(SocketEnd::Gone)
                            }
                            Err(RecvError::Closed) => Err(SocketEnd::Gone),
                        };
                        passed += 1;
                        if step.is_ok() && passed < PASS_AT_ONCE {
                            event = events.try_recv();
                        }
                    }
                    match step {
                        Ok(()) => futures_util::SinkExt::flush(&mut socket).await.map_err(SocketEnd::from),
                        end => end,
                    }
                },
                _ = shutdown.changed() => {
                    close(&mut socket, CLOSE_GOING_AWAY, "server restarting").await;
                    Err(SocketEnd::Gone)
                }
                _ = ping.tick() => {
                    if last_heard.elapsed() >= idle_after {
                        close(&mut socket, CLOSE_GOING_AWAY, "idle").await;
                        Err(SocketEnd::Gone)
                    } else if !peer.still_signed_in(&services, std::mem::take(&mut active)).await {
                        close(&mut socket, CLOSE_SIGNED_OUT, "signed out").await;
                        Err(SocketEnd::Gone)
                    } else {
                        socket.send(Message::Ping(Default::default())).await.map_err(SocketEnd::from)
                    }
                },
                incoming = socket.recv() => {
                    last_heard = tokio::time::Instant::now();
                    match incoming {
                        // Boxed: handling a frame awaits database futures several KB large, and
                        // an unboxed await would reserve that space in every idle socket's task.
                        Some(Ok(Message::Text(text))) => {
                            active = true;
                            let mut cx = SocketCx::new(
                                &mut socket,
                                &mut delivery,
                                &services,
                                peer.actor(),
                                &features.streams,
                                socket_id,
                                peer.language(),
                            );
                            Box::pin(frames::handle_frame(&mut cx, &features.handlers, &text)).await
                        }
                        Some(Err(err)) => {
                            if let Some((code, reason)) = close_code_for(err) {
                                close(&mut socket, code, reason).await;
                            }
                            Err(SocketEnd::Gone)
                        }
                        Some(Ok(Message::Close(_))) | None => Err(SocketEnd::Gone),
                        Some(Ok(_)) => Ok(()),
                    }
                },
            };
            match step {
                Ok(()) => {}
                Err(SocketEnd::Refused(err)) => {
                    if Box::pin(refuse::<P::Event>(&mut socket, err, peer.language())).await.is_err() {
                        break;
                    }
                }
                Err(SocketEnd::Gone) => break,
            }
        }
        // Whatever the socket had open, it has no longer.
        peer.closed(&services);
        Box::pin(parley_services::presence::socket_closed(&services, socket_id)).await;
    }
}

/// Why a socket loop stopped forwarding.
pub enum SocketEnd {
    /// The client went away or the write failed.
    Gone,
    /// A service refused a request (not found, forbidden, ...): the socket says so and
    /// stays open.
    Refused(parley_services::ServiceError),
}

impl From<axum::Error> for SocketEnd {
    fn from(_: axum::Error) -> Self {
        SocketEnd::Gone
    }
}

impl From<parley_services::ServiceError> for SocketEnd {
    fn from(err: parley_services::ServiceError) -> Self {
        match err {
            parley_services::ServiceError::Internal(_) => {
                tracing::warn!(%err, "closing a socket after a service error");
                SocketEnd::Gone
            }
            refused => SocketEnd::Refused(refused),
        }
    }
}

/// Bus events a socket passes on before it flushes them in one write.
const PASS_AT_ONCE: usize = 16;

/// Queues one bus event for the client if the peer admits it (the caller flushes).
async fn pass_on<P: Peer>(
    socket: &mut WebSocket,
    services: &Services,
    peer: &mut P,
    delivery: &mut Delivery,
    streams: &Streams<P::Event>,
    envelope: &Envelope<P::Event>,
) -> Result<(), SocketEnd> {
    let admitted = if P::FILTERS { Box::pin(peer.admit(services, &envelope.event)).await } else { Admit::Send };
    match admitted {
        Admit::Send => {
            let mut target = ReplayTarget { socket, delivery, services, actor: peer.actor(), streams };
            Box::pin(forward(&mut target, envelope)).await
        }
        Admit::Skip => Ok(()),
        Admit::Instead(event) => send_event(socket, &event).await.map_err(SocketEnd::from),
        Admit::Reload => {
            close(socket, CLOSE_TRY_AGAIN, "what you see changed; resume").await;
            Err(SocketEnd::Gone)
        }
    }
}

/// Sends a live bus event; an entry of a stream goes through the socket's cursors.
async fn forward<E: SocketEvent>(target: &mut ReplayTarget<'_, E>, envelope: &Envelope<E>) -> Result<(), SocketEnd> {
    match target.streams.position(&envelope.event) {
        Some((key, position)) => target.forward(key, position, envelope.json()).await,
        None => Ok(send_json(target.socket, envelope.json()).await?),
    }
}
