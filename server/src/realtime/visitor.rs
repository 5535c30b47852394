//! `GET /widget/v1/{key}/ws`: one visitor's socket. The token comes in the handshake's
//! `Sec-WebSocket-Protocol` (`parley.v1, token.<token>`), never in the URL.

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use parley_services::bus::Control;
use parley_services::metrics::SocketKind;
use parley_services::{Actor, VisitorTabs, Widgets, visitors};
use parley_types::{ContactId, VisitorEvent};

use super::{Delivery, Peer, configure, run_socket};
use crate::AppState;
use crate::widget_api::{
    SOCKET_PROTOCOL, embedding_workspace, error_response, find_visitor_by, protocol_lang, protocol_token,
};

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
    let realtime = state.realtime.clone();
    // Subscribe before anything is replayed, so nothing falls between the two.
    let events =
        services.bus.subscribe_visitor(VisitorTabs(ContactId(visitor.id)), Widgets(parley_types::WorkspaceId(ws.id)));
    let peer = Visitor(visitors::actor(&visitor), protocol_lang(&headers));
    configure(upgrade)
        .protocols([SOCKET_PROTOCOL])
        .on_upgrade(move |socket| {
            // `map` keeps the guard beside the socket's future without copying the future.
            let open = services.metrics.socket_opened(SocketKind::Visitor);
            run_socket(socket, services, realtime, peer, events, Delivery::for_visitor(), None, shutdown)
                .map(move |()| drop(open))
        })
        .into_response()
}

/// The visitor on the other end of a widget socket, and the language their widget speaks.
struct Visitor(Actor, &'static str);

impl Peer for Visitor {
    type Event = VisitorEvent;

    fn actor(&self) -> &Actor {
        &self.0
    }

    fn ends_on(&self, _control: &Control) -> bool {
        false
    }

    async fn opened(&mut self, services: &parley_services::Services, _socket: parley_services::presence::SocketId) {
        parley_services::online::socket_opened(services, &self.0);
    }

    fn closed(&mut self, services: &parley_services::Services) {
        parley_services::online::socket_closed(services, &self.0);
    }

    fn language(&self) -> &'static str {
        self.1
    }
}
