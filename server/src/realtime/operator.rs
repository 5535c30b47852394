//! `GET /ws/operator`: a signed-in operator's socket, receiving every event of their
//! workspace.

use axum::extract::State;
use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use parley_services::metrics::SocketKind;
use parley_services::{Services, SignedIn, Topic, auth, conversations};
use parley_types::{Author, ClientEvent, ServerEvent, UserId, WorkspaceId};
use tower_sessions::Session;

use super::{Delivery, Peer, SocketEnd, configure, replay, run_socket, send_event};
use crate::AppState;
use crate::security::same_origin;

/// Checks the origin and the session, then upgrades.
pub async fn operator_socket(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let services = state.services.clone();
    if !same_origin(&headers, &services.config.public_url) {
        return (StatusCode::FORBIDDEN, "Cross-site sockets are not allowed.").into_response();
    }
    let user = session.get::<i64>(app::ssr::USER_KEY).await.ok().flatten();
    let workspace = session.get::<i64>(app::ssr::WORKSPACE_KEY).await.ok().flatten();
    let (Some(user), Some(workspace)) = (user, workspace) else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let member = match auth::current_member(&services.db, UserId(user), WorkspaceId(workspace)).await {
        Ok(member) => member,
        Err(_) => return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response(),
    };
    let shutdown = state.shutdown.clone();
    let events = services.bus.subscribe(Topic::Workspace(member.workspace_id));
    configure(upgrade)
        .on_upgrade(move |socket| {
            // `map` keeps the guard beside the socket's future without copying the future.
            let open = services.metrics.socket_opened(SocketKind::Operator);
            run_socket(socket, services, Operator(member), events, Delivery::for_operator(), shutdown)
                .map(move |()| drop(open))
        })
        .into_response()
}

/// The signed-in member on the other end of an operator socket.
struct Operator(SignedIn);

impl Peer for Operator {
    fn workspace_id(&self) -> WorkspaceId {
        self.0.workspace_id
    }

    async fn handle(
        &self,
        socket: &mut WebSocket,
        delivery: &mut Delivery,
        services: &Services,
        text: &str,
    ) -> Result<(), SocketEnd> {
        let member = &self.0;
        let event = match serde_json::from_str::<ClientEvent>(text) {
            Ok(event) => event,
            Err(_) => return Ok(send_event(socket, &ServerEvent::Error { message: "Unreadable event.".into() }).await?),
        };
        match event {
            ClientEvent::Resume { conversation_id: Some(id), after_seq } => {
                // Scoped to the member's workspace: another workspace's id is "not found".
                match conversations::get_summary(&services.db, member.workspace_id, id).await {
                    Ok(_) => {
                        let last_seq =
                            replay(socket, delivery, services, member.workspace_id, id, after_seq, None).await?;
                        send_event(socket, &ServerEvent::Resumed { conversation_id: Some(id), last_seq }).await?;
                    }
                    Err(parley_services::ServiceError::NotFound) => {
                        send_event(socket, &ServerEvent::Error { message: "Conversation not found.".into() }).await?;
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            ClientEvent::Typing { conversation_id: Some(id), typing } => {
                if let Ok(row) = conversations::find_conversation(&services.db, member.workspace_id, id).await {
                    conversations::publish_typing(services, member.workspace_id, &row, Author::Operator, typing);
                }
            }
            ClientEvent::Resume { conversation_id: None, .. } | ClientEvent::Typing { conversation_id: None, .. } => {
                send_event(socket, &ServerEvent::Error { message: "Name the conversation.".into() }).await?;
            }
            ClientEvent::Send { .. } => {
                send_event(socket, &ServerEvent::Error { message: "Operators reply through /api/send_reply.".into() })
                    .await?;
            }
        }
        Ok(())
    }
}
