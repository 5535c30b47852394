//! The WebSocket endpoints: `/ws/operator` (session cookie) and
//! `/widget/v1/{key}/ws` (visitor token). Both subscribe to the event bus before they
//! replay anything, and deliver each conversation's messages in order, exactly once,
//! through a `Delivery`.

mod delivery;
mod limits;
mod operator;
mod visitor;

pub use delivery::{Decision, Delivery};
pub use operator::operator_socket;
pub use visitor::visitor_socket;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use parley_types::{ApiError, Message as ChatMessage, OperatorEvent, VisitorEvent};
use serde::Serialize;

/// Read and write buffer size per socket. axum's defaults (128 KiB each) cost about
/// 137 KB per idle socket; 4 KiB costs about 6 KB.
pub const SOCKET_BUFFER_BYTES: usize = 4 * 1024;
/// A slow client may have this much unsent before its socket is dropped (it then
/// reconnects and resumes from its cursor).
pub const MAX_UNSENT_BYTES: usize = 1024 * 1024;
/// Largest frame a client may send (a 10,000-character message fits).
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 64 * 1024;
/// Messages replayed per database page on resume.
const REPLAY_PAGE: u64 = 500;

/// Applies Parley's socket limits to an upgrade.
pub fn configure(upgrade: WebSocketUpgrade) -> WebSocketUpgrade {
    upgrade
        .read_buffer_size(SOCKET_BUFFER_BYTES)
        .write_buffer_size(SOCKET_BUFFER_BYTES)
        .max_write_buffer_size(MAX_UNSENT_BYTES)
        .max_message_size(MAX_CLIENT_MESSAGE_BYTES)
        .max_frame_size(MAX_CLIENT_MESSAGE_BYTES)
}

/// The events a socket kind sends: what replay and delivery need to know of them.
trait SocketEvent: Serialize + Send + Sync + 'static {
    fn message_created(message: ChatMessage) -> Self;
    fn error(error: ApiError) -> Self;
    /// The message, when this is `message_created`.
    fn as_message(&self) -> Option<&ChatMessage>;
}

impl SocketEvent for OperatorEvent {
    fn message_created(message: ChatMessage) -> Self {
        OperatorEvent::MessageCreated { message }
    }
    fn error(error: ApiError) -> Self {
        OperatorEvent::Error(error)
    }
    fn as_message(&self) -> Option<&ChatMessage> {
        match self {
            OperatorEvent::MessageCreated { message } => Some(message),
            _ => None,
        }
    }
}

impl SocketEvent for VisitorEvent {
    fn message_created(message: ChatMessage) -> Self {
        VisitorEvent::MessageCreated { message }
    }
    fn error(error: ApiError) -> Self {
        VisitorEvent::Error(error)
    }
    fn as_message(&self) -> Option<&ChatMessage> {
        match self {
            VisitorEvent::MessageCreated { message } => Some(message),
            _ => None,
        }
    }
}

/// Sends one event as a JSON text frame.
async fn send_event(socket: &mut WebSocket, event: &impl Serialize) -> Result<(), axum::Error> {
    let text = serde_json::to_string(event).unwrap_or_default();
    socket.send(Message::Text(text.into())).await
}

/// Sends already-serialised JSON.
async fn send_json(socket: &mut WebSocket, json: &str) -> Result<(), axum::Error> {
    socket.send(Message::Text(json.to_owned().into())).await
}

/// Closes with a code and reason the client can act on (e.g. 1012 → reconnect).
async fn close(socket: &mut WebSocket, code: u16, reason: &'static str) {
    let _ = socket.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
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
use parley_types::ConversationId;
use tokio::sync::watch;

/// What differs between the operator and the visitor socket: who is on the other end,
/// which events they receive, and how their frames are handled.
trait Peer {
    type Event: SocketEvent;
    /// The actor service calls are made for.
    fn actor(&self) -> &Actor;
    /// Whether a control event ends this socket (e.g. its session was signed out).
    fn ends_on(&self, control: &Control) -> bool;
    /// Handles one text frame from the client.
    fn handle(
        &self,
        socket: &mut WebSocket,
        delivery: &mut Delivery,
        services: &Services,
        text: &str,
    ) -> impl std::future::Future<Output = Result<(), SocketEnd>> + Send;
}

/// Runs a socket until the client leaves, falls behind or the server shuts down:
/// client frames go to the peer, bus events go out through `forward`.
async fn run_socket<P: Peer>(
    mut socket: WebSocket,
    services: Services,
    peer: P,
    mut events: Subscription<P::Event>,
    mut delivery: Delivery,
    mut control: Option<Subscription<Control>>,
    mut shutdown: watch::Receiver<bool>,
) {
    let (ping_every, idle_after) = (services.config.socket_ping, services.config.socket_idle);
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
    let mut last_heard = tokio::time::Instant::now();
    loop {
        let step = tokio::select! {
            incoming = socket.recv() => {
                last_heard = tokio::time::Instant::now();
                match incoming {
                    // Boxed: handling a frame awaits database futures several KB large, and
                    // an unboxed await would reserve that space in every idle socket's task.
                    Some(Ok(Message::Text(text))) => {
                        Box::pin(peer.handle(&mut socket, &mut delivery, &services, &text)).await
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
            _ = ping.tick() => {
                if last_heard.elapsed() >= idle_after {
                    close(&mut socket, CLOSE_GOING_AWAY, "idle").await;
                    Err(SocketEnd::Gone)
                } else {
                    socket.send(Message::Ping(Default::default())).await.map_err(SocketEnd::from)
                }
            },
            Some(signal) = async { match control.as_mut() { Some(c) => c.recv().await.ok(), None => None } } => {
                if peer.ends_on(&signal.event) {
                    close(&mut socket, CLOSE_SIGNED_OUT, "signed out").await;
                    Err(SocketEnd::Gone)
                } else {
                    Ok(())
                }
            },
            event = events.recv() => match event {
                Ok(envelope) => Box::pin(forward(&mut socket, &mut delivery, &services, peer.actor(), &envelope)).await,
                Err(RecvError::Lagged(_)) => {
                    services.metrics.socket_lagged();
                    close(&mut socket, CLOSE_TRY_AGAIN, "fell behind; resume").await;
                    Err(SocketEnd::Gone)
                }
                Err(RecvError::Closed) => Err(SocketEnd::Gone),
            },
            _ = shutdown.changed() => {
                close(&mut socket, CLOSE_GOING_AWAY, "server restarting").await;
                Err(SocketEnd::Gone)
            }
        };
        match step {
            Ok(()) => {}
            Err(SocketEnd::Refused(err)) => {
                if send_event(&mut socket, &P::Event::error(err.into())).await.is_err() {
                    break;
                }
            }
            Err(SocketEnd::Gone) => break,
        }
    }
}

/// Why a socket loop stopped forwarding.
enum SocketEnd {
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

/// Sends every message of `conversation` after `after_seq`, in order, page by page, and
/// records them as sent. Returns the last sequence number sent (or `after_seq`).
async fn replay<E: SocketEvent>(
    socket: &mut WebSocket,
    delivery: &mut Delivery,
    services: &Services,
    actor: &Actor,
    conversation: ConversationId,
    after_seq: i64,
    up_to: Option<i64>,
) -> Result<i64, SocketEnd> {
    let mut last = after_seq.max(0);
    loop {
        let page = parley_services::conversations::messages_after(&services.db, actor, conversation, last, REPLAY_PAGE)
            .await?;
        let done = (page.len() as u64) < REPLAY_PAGE;
        for message in page {
            if up_to.is_some_and(|limit| message.seq > limit) {
                delivery.mark_sent(conversation, last);
                return Ok(last);
            }
            last = message.seq;
            send_event(socket, &E::message_created(message)).await?;
        }
        if done {
            break;
        }
    }
    delivery.mark_sent(conversation, last);
    Ok(last)
}

/// Sends a live bus event, applying the socket's delivery cursors to messages.
async fn forward<E: SocketEvent>(
    socket: &mut WebSocket,
    delivery: &mut Delivery,
    services: &Services,
    actor: &Actor,
    envelope: &Envelope<E>,
) -> Result<(), SocketEnd> {
    let Some(message) = envelope.event.as_message() else {
        return Ok(send_json(socket, envelope.json()).await?);
    };
    match delivery.classify(message) {
        Decision::Skip => return Ok(()),
        Decision::Send => {}
        Decision::FillGap { after } => {
            replay::<E>(socket, delivery, services, actor, message.conversation_id, after, Some(message.seq - 1))
                .await?;
        }
    }
    send_json(socket, envelope.json()).await?;
    delivery.record(message);
    Ok(())
}
