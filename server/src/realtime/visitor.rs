//! `GET /widget/v1/{key}/ws?token=`: one visitor's socket.

use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use parley_services::entities::contact;
use parley_services::metrics::SocketKind;
use parley_services::{Services, Topic, conversations, visitors};
use parley_types::{Author, ClientEvent, ContactId, ConversationId, ServerEvent, WorkspaceId};

use super::{Delivery, Peer, SocketEnd, configure, replay, run_socket, send_event};
use crate::AppState;
use crate::widget_api::{TokenQuery, embedding_workspace, error_response};

/// Checks the page's origin and the visitor token, then upgrades.
pub async fn visitor_socket(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let services = state.services.clone();
    let (ws, _origin) = match embedding_workspace(&services, &key, &headers).await {
        Ok(found) => found,
        Err(err) => return error_response(err),
    };
    let visitor = match visitors::find_visitor(&services.db, WorkspaceId(ws.id), &query.token).await {
        Ok(visitor) => visitor,
        Err(err) => return error_response(err),
    };
    let shutdown = state.shutdown.clone();
    // Subscribe before anything is replayed, so nothing falls between the two.
    let events = services.bus.subscribe(Topic::Contact(ContactId(visitor.id)));
    configure(upgrade)
        .on_upgrade(move |socket| {
            // `map` keeps the guard beside the socket's future without copying the future.
            let open = services.metrics.socket_opened(SocketKind::Visitor);
            run_socket(socket, services, Visitor(visitor), events, Delivery::for_visitor(), shutdown)
                .map(move |()| drop(open))
        })
        .into_response()
}

/// The visitor on the other end of a widget socket.
struct Visitor(contact::Model);

impl Peer for Visitor {
    fn workspace_id(&self) -> WorkspaceId {
        WorkspaceId(self.0.workspace_id)
    }

    async fn handle(
        &self,
        socket: &mut WebSocket,
        delivery: &mut Delivery,
        services: &Services,
        text: &str,
    ) -> Result<(), SocketEnd> {
        let visitor = &self.0;
        let workspace_id = WorkspaceId(visitor.workspace_id);
        let event = match serde_json::from_str::<ClientEvent>(text) {
            Ok(event) => event,
            Err(_) => return Ok(send_event(socket, &ServerEvent::Error { message: "Unreadable event.".into() }).await?),
        };
        match event {
            ClientEvent::Resume { after_seq, .. } => {
                delivery.track_all();
                let current =
                    conversations::conversation_for_contact(&services.db, workspace_id, ContactId(visitor.id)).await?;
                let (conversation_id, last_seq) = match current {
                    Some(c) => {
                        let id = ConversationId(c.id);
                        (Some(id), replay(socket, delivery, services, workspace_id, id, after_seq, None).await?)
                    }
                    None => (None, 0),
                };
                send_event(socket, &ServerEvent::Resumed { conversation_id, last_seq }).await?;
            }
            ClientEvent::Send { client_id, text } => {
                match conversations::post_visitor_message(services, visitor, &client_id, &text).await {
                    // A fresh message reaches this socket through the bus; a duplicate is
                    // acknowledged here so the client can stop resending it.
                    Ok(posted) if posted.duplicate => {
                        send_event(socket, &ServerEvent::MessageCreated { message: posted.message }).await?
                    }
                    Ok(_) => {}
                    Err(parley_services::ServiceError::Invalid(message)) => {
                        send_event(socket, &ServerEvent::Error { message }).await?
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            ClientEvent::Typing { typing, .. } => {
                if let Some(c) =
                    conversations::conversation_for_contact(&services.db, workspace_id, ContactId(visitor.id)).await?
                {
                    conversations::publish_typing(services, workspace_id, &c, Author::Visitor, typing);
                }
            }
        }
        Ok(())
    }
}
