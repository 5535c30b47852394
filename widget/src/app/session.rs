//! The visitor session and the socket lifecycle: checking or creating the visitor,
//! connecting, resuming after a drop, resending unsent messages, backing off between
//! attempts, giving up when the server refuses, and dispatching incoming events.

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};

use super::App;
use crate::api::{self, ApiError, Session};
use crate::i18n;
use crate::socket::{Socket, SocketEvent};
use crate::state::backoff_ms;
use crate::storage;
use crate::timer;
use crate::wire::{self, Author, Incoming, Json};

/// How long the operator-typing indicator stays without a fresh notice, in milliseconds.
const OPERATOR_TYPING_MS: u32 = 8_000;

impl App {
    /// Checks the stored token (or creates a visitor), then connects.
    pub(super) fn boot(self: &Rc<Self>) {
        let token = self.inner().token.clone();
        let app = self.clone();
        match token {
            Some(token) => api::get_session(&self.base, &self.key, &token, move |r| app.on_session(r, true)),
            None => api::create_visitor(&self.base, &self.key, move |r| app.on_session(r, false)),
        }
    }

    fn on_session(self: &Rc<Self>, result: Result<Session, ApiError>, had_token: bool) {
        match result {
            Ok(session) => {
                self.store.set(storage::TOKEN, &session.token);
                {
                    let mut inner = self.inner_mut();
                    inner.token = Some(session.token);
                    inner.contact_id = session.contact_id;
                }
                self.ui.set_error(None);
                self.apply_forms(session.prechat, session.ask_email_after);
                self.connect();
                self.session_ready();
            }
            Err(ApiError::Unauthorized) if had_token => {
                // The token is unknown (e.g. the visitor was deleted): start over as a new visitor.
                self.forget_visitor();
                self.boot();
            }
            Err(ApiError::Forbidden) => self.stop(&i18n::t("not-allowed")),
            Err(ApiError::NotFound) => self.stop(&i18n::t("not-found")),
            Err(ApiError::TooMany(message, wait_secs)) => {
                self.ui.set_error(Some(&message));
                self.schedule_retry_in(wait_secs.saturating_mul(1000));
            }
            Err(_) => self.schedule_retry(false),
        }
    }

    pub(super) fn forget_visitor(&self) {
        self.store.remove(storage::TOKEN);
        self.store.remove(storage::LAST_READ);
        let mut inner = self.inner_mut();
        inner.token = None;
        inner.last_read = 0;
        inner.reported_read = 0;
        inner.seen_seq = 0;
        inner.conv.clear_messages();
        for node in inner.nodes.drain(..) {
            node.remove();
        }
        inner.ask_email_after = None;
        timer::cancel(inner.ask_timer.take());
        drop(inner);
        self.ui.seen.set_hidden(true);
        self.ui.ask.set_hidden(true);
        self.hide_prechat();
    }

    pub(super) fn connect(self: &Rc<Self>) {
        let (url, token, generation) = {
            let mut inner = self.inner_mut();
            let Some(token) = inner.token.clone() else {
                return;
            };
            let url = api::SOCKET.url(&ws_base(&self.base), &self.key);
            inner.generation = inner.generation.wrapping_add(1);
            inner.live = false;
            (url, token, inner.generation)
        };
        let weak = Rc::downgrade(self);
        let report: Rc<dyn Fn(SocketEvent)> = Rc::new(move |event| {
            if let Some(app) = weak.upgrade() {
                app.on_socket(generation, event);
            }
        });
        match Socket::open(&url, &token, report) {
            // Replacing the previous (closed) socket drops it; this never runs inside one
            // of its own handlers, since connect is only called from timers and XHR callbacks.
            Ok(socket) => self.inner_mut().socket = Some(socket),
            Err(()) => self.on_closed(),
        }
    }

    fn on_socket(self: &Rc<Self>, generation: u32, event: SocketEvent) {
        if generation != self.inner().generation {
            return;
        }
        match event {
            SocketEvent::Open => {
                let after_seq = {
                    let mut inner = self.inner_mut();
                    inner.connected = true;
                    inner.ever_connected = true;
                    inner.conv.last_seq()
                };
                self.ui.set_conn(None);
                self.send_frame(&wire::resume(after_seq));
            }
            SocketEvent::Frame(data) => {
                let Ok(value) = wire::parse_json(&data) else { return };
                match wire::event(&value) {
                    // The loader redraws the launcher and panel from the new look.
                    Some(Incoming::Config) => {
                        let look = value.field("look").unwrap_or_default();
                        self.speak(&look.field("language").and_then(|l| l.string()).unwrap_or_default());
                        let _ = self.configure.call1(&JsValue::NULL, &look);
                    }
                    Some(event) => self.on_event(event),
                    None => {}
                }
            }
            SocketEvent::Closed => self.on_closed(),
        }
    }

    fn on_closed(self: &Rc<Self>) {
        let (was_connected, ever) = {
            let mut inner = self.inner_mut();
            let was = std::mem::replace(&mut inner.connected, false);
            inner.typing.reset();
            (was, inner.ever_connected)
        };
        self.ui.typing.set_hidden(true);
        self.ui.set_conn(Some(if ever { i18n::id("reconnecting") } else { i18n::id("connecting") }));
        // After a drop, reconnect straight away; after a socket that never opened, check
        // the session first (the token may have become unknown).
        self.schedule_retry(was_connected);
    }

    fn schedule_retry(self: &Rc<Self>, socket_only: bool) {
        self.schedule(socket_only, None);
    }

    /// Checks the session again after the wait the server asked for (or the usual
    /// backoff, whichever is longer).
    fn schedule_retry_in(self: &Rc<Self>, wait_ms: u32) {
        self.schedule(false, Some(wait_ms));
    }

    fn schedule(self: &Rc<Self>, socket_only: bool, at_least_ms: Option<u32>) {
        let delay = {
            let mut inner = self.inner_mut();
            if inner.stopped {
                return;
            }
            timer::cancel(inner.retry.take());
            let delay = backoff_ms(inner.attempt, js_sys::Math::random()).max(at_least_ms.unwrap_or(0));
            inner.attempt = inner.attempt.saturating_add(1);
            delay
        };
        let app = self.clone();
        let id = timer::once(delay, move || {
            app.inner_mut().retry = None;
            if socket_only { app.connect() } else { app.boot() }
        });
        self.inner_mut().retry = id;
    }

    /// Gives up for good, showing why (origin not allowed, unknown key).
    fn stop(&self, why: &str) {
        {
            let mut inner = self.inner_mut();
            inner.stopped = true;
            timer::cancel(inner.retry.take());
        }
        self.ui.set_conn(None);
        self.ui.set_error(Some(why));
        let detail = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&detail, &"error".into(), &"unavailable".into());
        let _ = js_sys::Reflect::set(&detail, &"message".into(), &why.into());
        self.emit("error", &detail);
        self.ui.input.set_disabled(true);
        let _ = self.ui.send.set_attribute("disabled", "");
    }

    pub(super) fn send_frame(&self, json: &str) -> bool {
        let inner = self.inner();
        inner.connected && inner.socket.as_ref().is_some_and(|s| s.send(json))
    }

    fn on_event(self: &Rc<Self>, event: Incoming) {
        match event {
            Incoming::Message(message) => {
                self.add_message(message);
                // A conversation exists now (an operator may have written first).
                self.hide_prechat();
                self.schedule_ask();
            }
            Incoming::Resumed => {
                let unsent = {
                    let mut inner = self.inner_mut();
                    inner.attempt = 0;
                    inner.live = true;
                    let generation = inner.generation;
                    inner.conv.take_unsent(generation)
                };
                for p in unsent {
                    self.send_frame(&wire::send(&p.client_id, &p.text, &p.files));
                }
                self.send_page();
                self.report_read();
            }
            Incoming::Seen(seq) => self.seen(seq),
            Incoming::Typing { author: Author::Operator, typing } => {
                let mut inner = self.inner_mut();
                timer::cancel(inner.operator_timer.take());
                if typing {
                    inner.operator_timer =
                        timer::start(self.operator_idle.as_ref().unchecked_ref(), OPERATOR_TYPING_MS);
                }
                drop(inner);
                self.ui.typing.set_hidden(!typing);
            }
            Incoming::Status(status) => {
                let _ = self.ui.panel.set_attribute("data-status", status);
            }
            Incoming::Error(message) => self.ui.set_error(Some(&message)),
            _ => {}
        }
    }
}

/// `http(s)://…` → `ws(s)://…`.
fn ws_base(base: &str) -> String {
    let mut url = String::from("ws");
    match base.strip_prefix("http") {
        Some(rest) => url.push_str(rest),
        None => return base.to_owned(),
    }
    url
}
