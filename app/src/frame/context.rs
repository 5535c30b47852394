//! What the frame gives the pages inside it: the signed-in member and workspace, the
//! realtime connection (its status and its events) and the toast area.

use leptos::prelude::*;
use parley_types::{ClientEvent, ConversationId, OperatorEvent};

use super::toasts::Toasts;
use crate::ApiError;
use crate::auth::{CurrentUser, SessionState};
use crate::realtime::{self, Connection};

/// The frame's context; pages get it with [`use_frame`].
#[derive(Debug, Clone, Copy)]
pub struct FrameContext {
    /// The session as the frame loaded it (the first resource of every signed-in page).
    pub session: Resource<Result<SessionState, ApiError>>,
    /// Confirmations and errors for the person at the screen.
    pub toasts: Toasts,
    /// The tab's one socket: its status and its events.
    pub realtime: Realtime,
}

impl FrameContext {
    /// The signed-in member and their workspace, once the session is loaded. This reads
    /// a resource: call it inside a `Suspense`/`Transition` (or `.await` `session` in a
    /// `Suspend`) so the server and the browser render the same thing.
    pub fn member(&self) -> Option<CurrentUser> {
        self.session.with(|state| match state {
            Some(Ok(SessionState::SignedIn(user))) => Some(user.clone()),
            _ => None,
        })
    }

    /// Whether the signed-in member holds `capability` (by role or grant), for showing
    /// or hiding controls outside a `Suspense`: false while the server renders and the
    /// browser hydrates (so both draw the same thing), the member's answer right after.
    pub fn allows(&self, capability: parley_types::Capability) -> Signal<bool> {
        let allowed = RwSignal::new(false);
        let session = self.session;
        // Effects run in the browser only, once hydrated.
        Effect::new(move |_| {
            let can = session.with(|state| match state {
                Some(Ok(SessionState::SignedIn(user))) => user.can(capability),
                _ => false,
            });
            allowed.set(can);
        });
        allowed.into()
    }
}

/// The frame's context. Every signed-in page is rendered inside the frame.
pub fn use_frame() -> FrameContext {
    expect_context::<FrameContext>()
}

/// The realtime connection the frame opens once a member is signed in. Pages subscribe
/// to its events here instead of opening sockets of their own; subscriptions end when
/// the subscribing component is cleaned up.
#[derive(Debug, Clone, Copy)]
pub struct Realtime {
    status: RwSignal<Connection>,
}

impl Realtime {
    pub(super) fn new() -> Self {
        Self { status: RwSignal::new(Connection::Connecting) }
    }

    /// Opens the socket (once per tab; a later frame reuses it).
    pub(super) fn start(&self) {
        realtime::start(self.status);
    }

    /// Whether events are flowing.
    pub fn status(&self) -> Signal<Connection> {
        self.status.into()
    }

    /// Calls `listener` for every event.
    pub fn on_event(&self, listener: impl Fn(&OperatorEvent) + 'static) {
        realtime::on_event(listener);
    }

    /// Calls `listener` after each reconnect: what was loaded may be stale.
    pub fn on_reconnect(&self, listener: impl Fn() + 'static) {
        realtime::on_reconnect(listener);
    }

    /// Makes `conversation` the open one: each (re)connect asks for the messages after
    /// `last_seq()`.
    pub fn watch(&self, conversation: ConversationId, last_seq: impl Fn() -> i64 + 'static) {
        realtime::watch(conversation, last_seq);
    }

    /// Sends an event if the socket is open (best-effort, e.g. typing notices).
    pub fn send(&self, event: &ClientEvent) {
        realtime::send(event);
    }
}
