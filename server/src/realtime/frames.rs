//! Client frames, handled by the feature they belong to.
//!
//! Each feature registers a [`FrameHandler`] per socket kind (see [`super::Realtime`]).
//! The socket loop parses a frame into a `ClientEvent` and offers it to the handlers in
//! turn; the first that takes it runs with a [`SocketCx`]: the socket, its cursors, the
//! services and the caller's actor (every service call checks what that actor may do).

use axum::extract::ws::WebSocket;
use parley_services::{Actor, ServiceError, Services};
use parley_types::ClientEvent;

use super::streams::{BoxFuture, ReplayTarget, StreamKey, Streams};
use super::{Delivery, SocketEnd, SocketEvent, send_event};

/// What a handler returns: the work for a frame it takes, or the event back.
pub type Handled<'a> = Result<BoxFuture<'a, Result<(), SocketEnd>>, ClientEvent>;

/// One feature's handling of client frames on the socket kind whose events are `E`.
pub trait FrameHandler<E>: Send + Sync + 'static {
    /// Takes `event` if it is this feature's (returning the work to do), or gives it back.
    fn handle<'a>(&'a self, cx: &'a mut SocketCx<'_, E>, event: ClientEvent) -> Handled<'a>;
}

/// A socket as a frame handler sees it.
pub struct SocketCx<'a, E> {
    target: ReplayTarget<'a, E>,
    socket_id: parley_services::presence::SocketId,
    lang: &'static str,
}

impl<'a, E: SocketEvent> SocketCx<'a, E> {
    pub fn new(
        socket: &'a mut WebSocket,
        delivery: &'a mut Delivery,
        services: &'a Services,
        actor: &'a Actor,
        streams: &'a Streams<E>,
        socket_id: parley_services::presence::SocketId,
        lang: &'static str,
    ) -> Self {
        SocketCx { target: ReplayTarget { socket, delivery, services, actor, streams }, socket_id, lang }
    }

    /// This socket, as presence knows it (which conversation it has open).
    pub fn socket_id(&self) -> parley_services::presence::SocketId {
        self.socket_id
    }

    /// Who is on the other end: the actor every service call is made for.
    pub fn actor(&self) -> &Actor {
        self.target.actor
    }

    pub fn services(&self) -> &Services {
        self.target.services
    }

    /// The socket's cursors.
    pub fn delivery(&mut self) -> &mut Delivery {
        self.target.delivery
    }

    /// The connection beside the services and the actor (for rate-limit refusals and
    /// closes, which need all three at once).
    pub fn split(&mut self) -> (&mut WebSocket, &Services, &Actor, &'static str) {
        (self.target.socket, self.target.services, self.target.actor, self.lang)
    }

    /// Sends one event.
    pub async fn send(&mut self, event: &E) -> Result<(), SocketEnd> {
        if let Some(said) = event.in_language(self.lang) {
            return Ok(send_event(self.target.socket, &said).await?);
        }
        Ok(send_event(self.target.socket, event).await?)
    }

    /// Replays `key` after `after` (bounded pages, in order) and moves its cursor; returns
    /// the last position sent.
    pub async fn replay(&mut self, key: StreamKey, after: i64) -> Result<i64, SocketEnd> {
        self.target.replay(key, after, None).await
    }
}

/// Handles one text frame: parses it and hands it to the first feature that takes it.
pub(super) async fn handle_frame<E: SocketEvent>(
    cx: &mut SocketCx<'_, E>,
    handlers: &[Box<dyn FrameHandler<E>>],
    text: &str,
) -> Result<(), SocketEnd> {
    let Ok(mut event) = serde_json::from_str::<ClientEvent>(text) else {
        return cx
            .send(&E::error(parley_services::phrases::api_error(
                parley_types::ErrorCode::Invalid,
                parley_types::phrase!("err-socket-unreadable"),
            )))
            .await;
    };
    for handler in handlers {
        match handler.handle(cx, event) {
            Ok(work) => return work.await,
            Err(back) => event = back,
        }
    }
    Err(SocketEnd::Refused(ServiceError::Invalid(parley_types::phrase!("err-socket-wrong-event"))))
}
