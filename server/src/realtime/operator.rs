//! `GET /ws/operator`: a signed-in operator's socket, receiving the operator events of
//! their workspace that they may see.

use crate::workspace_path::MemberSession;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use parley_services::bus::Control;
use parley_services::conversations::{self, Visibility};
use parley_services::metrics::SocketKind;
use parley_services::{Actor, Operators, auth};
use parley_types::{ApiError, ConversationId, ErrorCode, OperatorEvent};
use std::collections::HashMap;

use super::{Admit, Delivery, Peer, configure, run_socket};
use crate::AppState;
use crate::errors::error_response;
use crate::security::same_origin;

/// Checks the origin and the session (the same lookup server functions use), then
/// upgrades.
pub async fn operator_socket(
    State(state): State<AppState>,
    session: MemberSession,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let services = state.services.clone();
    if !same_origin(&headers, &services.config.public_url) {
        return error_response(parley_services::phrases::api_error(
            ErrorCode::Forbidden,
            parley_types::phrase!("err-socket-cross-site"),
        ));
    }
    let member = match session.member(&services).await {
        Ok(Some(member)) => member,
        Ok(None) => return error_response(ApiError::unauthorized()),
        Err(err) => return error_response(err),
    };
    let shutdown = state.shutdown.clone();
    let realtime = state.realtime.clone();
    let events = services.bus.subscribe_operators(Operators(member.workspace_id));
    let control = Some(services.bus.subscribe_control());
    let deadline = auth::session_deadline_ms(&services, &session.session).await.map(|at| {
        let left = at.saturating_sub(parley_services::clock::now_ms()).max(0);
        tokio::time::Instant::now() + std::time::Duration::from_millis(left.unsigned_abs())
    });
    let signed_in_ms = session.session.get::<i64>(parley_services::session_store::SIGNED_IN_AT).await.ok().flatten();
    let actor = Actor::Member(member);
    let sees = match Visibility::of(&services.db, &actor).await {
        Ok(sees) => sees,
        Err(err) => return error_response(err),
    };
    let peer = Operator {
        sees,
        known: HashMap::new(),
        actor,
        session_id: session.session.id().map(|id| id.to_string()),
        signed_in_ms: signed_in_ms.unwrap_or_else(parley_services::clock::now_ms),
        deadline,
    };
    configure(upgrade)
        .on_upgrade(move |socket| {
            // `map` keeps the guard beside the socket's future without copying the future.
            let open = services.metrics.socket_opened(SocketKind::Operator);
            run_socket(socket, services, realtime, peer, events, Delivery::for_operator(), control, shutdown)
                .map(move |()| drop(open))
        })
        .into_response()
}

/// The signed-in member on the other end of an operator socket, and their session.
struct Operator {
    actor: Actor,
    /// Which conversations the member sees (their departments' only, when the workspace
    /// says so); live events of others are not sent.
    sees: Visibility,
    /// Whether the member sees each conversation an event was about (while `sees` is
    /// limited), so a stream of messages costs one lookup.
    known: HashMap<ConversationId, bool>,
    session_id: Option<String>,
    /// When the session began (its absolute lifetime counts from there).
    signed_in_ms: i64,
    /// The session's absolute end: the socket closes then, signed out.
    deadline: Option<tokio::time::Instant>,
}

/// How many conversations a socket remembers seeing or not before it starts afresh.
const KNOWN_CONVERSATIONS: usize = 4096;

impl Operator {
    /// Notes whether the member sees a conversation; answers what was noted before.
    fn remember(&mut self, id: ConversationId, sees: bool) -> Option<bool> {
        if self.known.len() >= KNOWN_CONVERSATIONS && !self.known.contains_key(&id) {
            self.known.clear();
        }
        self.known.insert(id, sees)
    }
}

impl Peer for Operator {
    type Event = OperatorEvent;

    fn actor(&self) -> &Actor {
        &self.actor
    }

    fn deadline(&self) -> Option<tokio::time::Instant> {
        self.deadline
    }

    /// Work in the socket counts as activity for the session's idle timeout, and a session
    /// that ended elsewhere (or idled out) closes the socket within a ping interval.
    async fn still_signed_in(&mut self, services: &parley_services::Services, active: bool) -> bool {
        let Some(session_id) = self.session_id.as_deref() else { return false };
        match auth::socket_session_alive(services, session_id, self.signed_in_ms, active).await {
            Ok(alive) => alive,
            // A database hiccup is not a sign-out: look again at the next ping.
            Err(err) => {
                tracing::warn!(%err, "could not check an operator socket's session");
                true
            }
        }
    }

    async fn opened(&mut self, services: &parley_services::Services, socket: parley_services::presence::SocketId) {
        if let Err(err) = parley_services::presence::operator_connected(services, &self.actor, socket).await {
            tracing::warn!(%err, "could not record an operator's connection");
        }
    }

    const FILTERS: bool = true;

    /// A member who sees only some conversations gets live events of those alone, their
    /// own counts instead of the team's, and word when one they saw leaves their view; a
    /// change in what they see reloads the client.
    async fn admit(&mut self, services: &parley_services::Services, event: &OperatorEvent) -> Admit<OperatorEvent> {
        use OperatorEvent as E;
        if let E::VisibilityChanged { .. } | E::DepartmentsChanged { .. } | E::MembersChanged = event {
            return match Visibility::of(&services.db, &self.actor).await {
                Ok(now) if now != self.sees => Admit::Reload,
                Ok(_) => Admit::Send,
                Err(err) => {
                    tracing::warn!(%err, "could not check what an operator sees; reloading their socket");
                    Admit::Reload
                }
            };
        }
        if self.sees == Visibility::All {
            return Admit::Send;
        }
        let conversation_id = match event {
            E::ConversationChanged { conversation } => {
                let sees = self.sees.sees_summary(conversation);
                let saw = self.remember(conversation.id, sees);
                return match (sees, saw) {
                    (true, _) => Admit::Send,
                    (false, Some(true)) => Admit::Instead(E::ConversationGone { conversation_id: conversation.id }),
                    (false, _) => Admit::Skip,
                };
            }
            E::ViewCounts { .. } => {
                return match conversations::member_counts(&services.db, &self.actor).await {
                    Ok(counts) => Admit::Instead(E::ViewCounts { counts }),
                    Err(err) => {
                        tracing::warn!(%err, "could not count an operator's conversations");
                        Admit::Skip
                    }
                };
            }
            E::MessageCreated { message } => message.conversation_id,
            E::MessageArriving { conversation_id, .. }
            | E::ArrivalWithdrawn { conversation_id, .. }
            | E::Typing { conversation_id, .. }
            | E::MemberRead { conversation_id, .. }
            | E::VisitorRead { conversation_id, .. }
            | E::Viewers { conversation_id, .. } => *conversation_id,
            // A new conversation goes where routing sends it, decided as it is stored:
            // until then only those who see every conversation may see it.
            E::ConversationArriving { .. } | E::ConversationArrivalWithdrawn { .. } => return Admit::Skip,
            // Not about one conversation. Named one by one, so that a new event must be
            // placed here (with the conversations above, or here) before it compiles.
            E::ConversationGone { .. }
            | E::VisibilityChanged { .. }
            | E::DepartmentsChanged { .. }
            | E::MembersChanged
            | E::LabelsChanged { .. }
            | E::SavedViewsChanged
            | E::InboxChanged { .. }
            | E::ContactChanged { .. }
            | E::ContactActivity { .. }
            | E::ContactsRemoved { .. }
            | E::ContactFieldsChanged { .. }
            | E::SegmentsChanged
            | E::VisitorsChanged { .. }
            | E::ImportProgress { .. }
            | E::AvailabilityChanged { .. }
            | E::QuickRepliesChanged
            | E::RoutingChanged { .. }
            | E::WidgetConfigChanged { .. }
            | E::WorkspaceChanged { .. }
            | E::AccessTokensChanged
            | E::AuditLogged
            | E::Resumed { .. }
            | E::Error(_) => return Admit::Send,
        };
        let sees = match self.known.get(&conversation_id) {
            Some(sees) => *sees,
            None => match conversations::readable_conversation(&services.db, &self.actor, conversation_id).await {
                Ok(_) => true,
                Err(parley_services::ServiceError::NotFound) => false,
                Err(err) => {
                    tracing::warn!(%err, "could not check whether an operator sees a conversation");
                    return Admit::Skip;
                }
            },
        };
        self.remember(conversation_id, sees);
        if sees { Admit::Send } else { Admit::Skip }
    }

    fn ends_on(&self, control: &Control) -> bool {
        match control {
            Control::SessionEnded { session_id } => self.session_id.as_deref() == Some(session_id.as_str()),
            Control::MemberChanged { user_id, workspace_id } => {
                self.actor.member().is_ok_and(|m| m.user_id == *user_id && m.workspace_id == *workspace_id)
            }
        }
    }
}
