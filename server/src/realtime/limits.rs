//! The visitor socket's rate limits: a message over the limit is refused with a sentence
//! saying when to retry, a typing notice over it is dropped, and a socket that keeps
//! flooding after being refused is closed with 1008 (policy violation).

use axum::extract::ws::{Message, WebSocket};
pub(super) use parley_services::limits::FrameKind;
use parley_services::limits::FrameVerdict;
use parley_services::{Actor, Services};
use parley_types::VisitorEvent;

use super::{SocketEnd, close, send_event};

/// Close code: the client broke a policy (kept sending after being throttled).
const CLOSE_POLICY_VIOLATION: u16 = 1008;
/// How long a closed flooder's remaining frames are read before the connection is dropped.
const DRAIN_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// Reads (and ignores) what the flooder already sent until it answers the close, for at
/// most [`DRAIN_FOR`]: dropping a socket with unread frames resets the connection, and
/// the reset would destroy the close frame before the client reads why.
async fn drain_until_closed(socket: &mut WebSocket) {
    let drain = async {
        while let Some(Ok(frame)) = socket.recv().await {
            if matches!(frame, Message::Close(_)) {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_FOR, drain).await;
}

/// Whether the visitor's frame may be handled now. `Ok(false)`: it was refused (and the
/// visitor told) or dropped; `Err`: the socket was closed for flooding.
pub(super) async fn admit(
    socket: &mut WebSocket,
    services: &Services,
    actor: &Actor,
    kind: FrameKind,
    lang: &str,
) -> Result<bool, SocketEnd> {
    let Actor::Visitor(visitor) = actor else { return Ok(true) };
    match services.limits.visitor_frame(visitor.contact_id, kind) {
        FrameVerdict::Allow => Ok(true),
        FrameVerdict::Drop => Ok(false),
        FrameVerdict::Refuse(mut error) => {
            parley_services::phrases::localize(&mut error, lang);
            send_event(socket, &VisitorEvent::Error(error)).await?;
            Ok(false)
        }
        FrameVerdict::Close => {
            close(socket, CLOSE_POLICY_VIOLATION, "too many frames; slow down").await;
            drain_until_closed(socket).await;
            Err(SocketEnd::Gone)
        }
    }
}
