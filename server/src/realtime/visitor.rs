//! `GET /widget/v1/{key}/ws`: one visitor's socket. The token comes in the handshake's
//! `Sec-WebSocket-Protocol` (`parley.v1, token.<token>`), never in the URL.

use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use parley_services::bus::Control;
use parley_services::metrics::SocketKind;
use parley_services::{Actor, ServiceError, Services, VisitorTabs, conversations, visitors};
use parley_types::{ApiError, ClientEvent, ContactId, ConversationId, VisitorEvent};

use super::{Delivery, Peer, SocketEnd, configure, limits, replay, run_socket, send_event};
use crate::AppState;
use crate::widget_api::{SOCKET_PROTOCOL, embedding_workspace, error_response, find_visitor_by, protocol_token};

/// Checks the page's origin and the visitor token, then upgrades.
pub async fn visitor_socket(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let services = state.services.clone();
    let (ws, _origin) = match embedding_workspace(&services, &key, &headers).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    let visitor = match find_visitor_by(&services, &ws, protocol_token(&headers)).await {
        Ok((visitor, _)) => visitor,
        Err(err) => return error_response(err),
    };
    let shutdown = state.shutdown.clone();
    // Subscribe before anything is replayed, so nothing falls between the two.
    let events = services.bus.subscribe_visitor(VisitorTabs(ContactId(visitor.id)));
    let peer = Visitor(visitors::actor(&visitor));
    configure(upgrade)
        .protocols([SOCKET_PROTOCOL])
        .on_upgrade(move |socket| {
            // `map` keeps the guard beside the socket's future without copying the future.
            let open = services.metrics.socket_opened(SocketKind::Visitor);
            run_socket(socket, services, peer, events, Delivery::for_visitor(), None, shutdown)
                .map(move |()| drop(open))
        })
        .into_response()
}

/// The visitor on the other end of a widget socket.
struct Visitor(Actor);

impl Peer for Visitor {
    type Event = VisitorEvent;

    fn actor(&self) -> &Actor {
        &self.0
    }

    fn ends_on(&self, _control: &Control) -> bool {
        false
    }

    async fn handle(
        &self,
        socket: &mut WebSocket,
        delivery: &mut Delivery,
        services: &Services,
        text: &str,
    ) -> Result<(), SocketEnd> {
        let actor = &self.0;
        let event = match serde_json::from_str::<ClientEvent>(text) {
            Ok(event) => event,
            Err(_) => {
                return Ok(send_event(socket, &VisitorEvent::Error(ApiError::invalid("Unreadable event."))).await?);
            }
        };
        let outcome = match event {
            ClientEvent::Resume { after_seq, .. } => {
                let current = conversations::visitor_conversation(&services.db, actor).await?;
                let (conversation_id, last_seq) = match current {
                    Some(c) => {
                        let id = ConversationId(c.id);
                        (
                            Some(id),
                            replay::<VisitorEvent>(socket, delivery, services, actor, id, after_seq, None).await?,
                        )
                    }
                    None => (None, 0),
                };
                // Live messages were held back until now (they are in the replay).
                delivery.track_all();
                send_event(socket, &VisitorEvent::Resumed { conversation_id, last_seq }).await?;
                Ok(())
            }
            ClientEvent::Send { client_id, text } => {
                if !limits::admit(socket, services, actor, limits::FrameKind::Message).await? {
                    return Ok(());
                }
                match conversations::post_visitor_message(services, actor, &client_id, &text).await {
                    // A fresh message reaches this socket through the bus; a duplicate is
                    // acknowledged here so the client can stop resending it.
                    Ok(posted) if posted.duplicate => {
                        send_event(socket, &VisitorEvent::MessageCreated { message: posted.message }).await?;
                        Ok(())
                    }
                    Ok(_) => Ok(()),
                    Err(err) => Err(err),
                }
            }
            ClientEvent::Typing { typing, .. } => {
                if !limits::admit(socket, services, actor, limits::FrameKind::Typing).await? {
                    return Ok(());
                }
                conversations::publish_typing(services, actor, None, typing).await
            }
        };
        match outcome {
            Ok(()) => Ok(()),
            Err(ServiceError::Internal(cause)) => Err(SocketEnd::from(ServiceError::Internal(cause))),
            Err(err) => Ok(send_event(socket, &VisitorEvent::Error(err.into())).await?),
        }
    }
}
