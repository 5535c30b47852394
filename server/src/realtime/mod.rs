//! The WebSocket endpoints: `/ws/operator` (session cookie) and
//! `/widget/v1/{key}/ws` (visitor token). Both subscribe to the event bus before they
//! replay anything, and deliver each conversation's messages in order, exactly once,
//! through a `Delivery`.

mod delivery;
mod operator;
mod visitor;

pub use delivery::{Decision, Delivery};
pub use operator::operator_socket;
pub use visitor::visitor_socket;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use parley_types::ServerEvent;

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

/// Sends one event as a JSON text frame.
async fn send_event(socket: &mut WebSocket, event: &ServerEvent) -> Result<(), axum::Error> {
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

/// Close code: the server is going away (restart); reconnect.
const CLOSE_GOING_AWAY: u16 = 1001;
/// Close code: fell too far behind; reconnect and resume from your cursor.
const CLOSE_TRY_AGAIN: u16 = 1013;

use parley_services::bus::{RecvError, Subscription};
use parley_services::{Envelope, ServiceResult, Services};
use parley_types::{ConversationId, WorkspaceId};
use tokio::sync::watch;

/// What differs between the operator and the visitor socket: who is on the other end and
/// how their events are handled.
trait Peer {
    fn workspace_id(&self) -> WorkspaceId;
    /// Handles one text frame from the client.
    async fn handle(
        &self,
        socket: &mut WebSocket,
        delivery: &mut Delivery,
        services: &Services,
        text: &str,
    ) -> Result<(), SocketEnd>;
}

/// Runs a socket until the client leaves, falls behind or the server shuts down:
/// client frames go to the peer, bus events go out through `forward`.
async fn run_socket<P: Peer>(
    mut socket: WebSocket,
    services: Services,
    peer: P,
    mut events: Subscription,
    mut delivery: Delivery,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let step = tokio::select! {
            incoming = socket.recv() => match incoming {
                // Boxed: handling a frame awaits database futures several KB large, and an
                // unboxed await would reserve that space in every idle socket's task.
                Some(Ok(Message::Text(text))) => Box::pin(peer.handle(&mut socket, &mut delivery, &services, &text)).await,
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => Err(SocketEnd::Gone),
                Some(Ok(_)) => Ok(()),
            },
            event = events.recv() => match event {
                Ok(envelope) => Box::pin(forward(&mut socket, &mut delivery, &services, peer.workspace_id(), &envelope)).await,
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
        if step.is_err() {
            break;
        }
    }
}

/// Why a socket loop stopped forwarding.
enum SocketEnd {
    /// The client went away or the write failed.
    Gone,
}

impl From<axum::Error> for SocketEnd {
    fn from(_: axum::Error) -> Self {
        SocketEnd::Gone
    }
}

impl From<parley_services::ServiceError> for SocketEnd {
    fn from(err: parley_services::ServiceError) -> Self {
        tracing::warn!(%err, "closing a socket after a service error");
        SocketEnd::Gone
    }
}

/// Sends every message of `conversation` after `after_seq`, in order, page by page, and
/// records them as sent. Returns the last sequence number sent (or `after_seq`).
async fn replay(
    socket: &mut WebSocket,
    delivery: &mut Delivery,
    services: &Services,
    workspace_id: WorkspaceId,
    conversation: ConversationId,
    after_seq: i64,
    up_to: Option<i64>,
) -> Result<i64, SocketEnd> {
    let mut last = after_seq.max(0);
    loop {
        let page = replay_page(services, workspace_id, conversation, last).await?;
        let done = (page.len() as u64) < REPLAY_PAGE;
        for message in page {
            if up_to.is_some_and(|limit| message.seq > limit) {
                delivery.mark_sent(conversation, last);
                return Ok(last);
            }
            last = message.seq;
            send_event(socket, &ServerEvent::MessageCreated { message }).await?;
        }
        if done {
            break;
        }
    }
    delivery.mark_sent(conversation, last);
    Ok(last)
}

async fn replay_page(
    services: &Services,
    workspace_id: WorkspaceId,
    conversation: ConversationId,
    after: i64,
) -> ServiceResult<Vec<parley_types::Message>> {
    parley_services::conversations::messages_after(&services.db, workspace_id, conversation, after, REPLAY_PAGE).await
}

/// Sends a live bus event, applying the socket's delivery cursors to messages.
async fn forward(
    socket: &mut WebSocket,
    delivery: &mut Delivery,
    services: &Services,
    workspace_id: WorkspaceId,
    envelope: &Envelope,
) -> Result<(), SocketEnd> {
    let ServerEvent::MessageCreated { message } = &envelope.event else {
        return Ok(send_json(socket, envelope.json()).await?);
    };
    match delivery.classify(message) {
        Decision::Skip => return Ok(()),
        Decision::Send => {}
        Decision::FillGap { after } => {
            replay(socket, delivery, services, workspace_id, message.conversation_id, after, Some(message.seq - 1))
                .await?;
        }
    }
    send_json(socket, envelope.json()).await?;
    delivery.record(message);
    Ok(())
}
