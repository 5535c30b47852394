//! The controller: session bootstrap, the socket lifecycle (resume, resend, backoff),
//! and the panel's behaviour (open/close, send, typing, unread badge).
//!
//! Borrows of [`Inner`] are kept short and never held across a call that can run
//! another handler synchronously.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, KeyboardEvent, ShadowRoot};

use crate::api::{self, ApiError, Session};
use crate::dom::{Ui, listen};
use crate::socket::{Socket, SocketEvent};
use crate::state::{Conversation, DraftError, TypingNotice, backoff_ms, check_draft, hex_id};
use crate::storage::{self, Store};
use crate::timer;
use crate::wire::{self, Author, Incoming, Message};

/// Idle time after the last keystroke before "stopped typing" is sent, in milliseconds.
const TYPING_IDLE_MS: u32 = 2_000;
/// How long the operator-typing indicator stays without a fresh notice, in milliseconds.
const OPERATOR_TYPING_MS: u32 = 8_000;

const CONNECTING: &str = "Connecting…";
const RECONNECTING: &str = "Reconnecting…";
const TOO_LONG: &str = "This message is too long (at most 10,000 characters).";
const NOT_ALLOWED: &str = "Chat is not available on this website.";
const NOT_FOUND: &str = "This chat is not available.";

/// The running widget.
pub struct App {
    base: String,
    key: String,
    store: Store,
    ui: Ui,
    inner: RefCell<Inner>,
    /// Sends "stopped typing" once the visitor is idle.
    typing_idle: Closure<dyn FnMut(JsValue)>,
    /// Hides the operator-typing indicator when no notice renews it.
    operator_idle: Closure<dyn FnMut(JsValue)>,
}

#[derive(Default)]
struct Inner {
    conv: Conversation,
    /// DOM nodes of `conv.messages()`, same order.
    nodes: Vec<Element>,
    /// DOM nodes of `conv.pending()`, same order; always after `nodes` in the log.
    pending_nodes: Vec<Element>,
    token: Option<String>,
    open: bool,
    last_read: i64,
    socket: Option<Socket>,
    /// Bumped for every socket, so reports from an old one are ignored.
    generation: u32,
    connected: bool,
    ever_connected: bool,
    /// Consecutive failed attempts, for the backoff.
    attempt: u32,
    retry: Option<i32>,
    typing: TypingNotice,
    typing_timer: Option<i32>,
    operator_timer: Option<i32>,
    /// Set for good when the server refuses this page or key.
    stopped: bool,
}

impl App {
    /// Builds the panel in `root`, wires it up, and starts connecting.
    pub fn start(root: &ShadowRoot, base: String, key: String, open: bool) -> Option<Rc<App>> {
        let ui = Ui::build(root)?;
        let store = Store::new(&ui.doc, &key);
        let last_read = store.get(storage::LAST_READ).and_then(|s| s.parse().ok()).unwrap_or(0);
        let token = store.get(storage::TOKEN).filter(|t| !t.is_empty());
        if let Some(name) = store.get(storage::WORKSPACE_NAME) {
            ui.set_title(&name);
        }
        let app = Rc::new_cyclic(|weak: &Weak<App>| {
            let w = weak.clone();
            // Every long-lived closure takes one `JsValue`, so the glue needs one shim for all.
            let typing_idle = Closure::<dyn FnMut(JsValue)>::own_aborting(move |_| {
                if let Some(app) = w.upgrade() {
                    app.stop_typing();
                }
            });
            let w = weak.clone();
            let operator_idle = Closure::<dyn FnMut(JsValue)>::own_aborting(move |_| {
                if let Some(app) = w.upgrade() {
                    app.ui.typing.set_hidden(true);
                }
            });
            App {
                base,
                key,
                store,
                ui,
                inner: RefCell::new(Inner { token, last_read, ..Inner::default() }),
                typing_idle,
                operator_idle,
            }
        });
        app.wire();
        app.update_unread();
        if open {
            app.open_panel();
        }
        app.boot();
        Some(app)
    }

    fn wire(self: &Rc<Self>) {
        let ui = &self.ui;
        let app = self.clone();
        let toggle = Closure::<dyn FnMut(JsValue)>::own_aborting(move |_| {
            if app.inner.borrow().open {
                app.close_panel();
            } else {
                app.open_panel();
            }
        });
        // Replaces the loader's own click handler.
        ui.launcher.set_onclick(Some(toggle.as_ref().unchecked_ref()));
        toggle.forget();

        let app = self.clone();
        listen(&ui.close, "click", move |_| app.close_panel());
        let app = self.clone();
        listen(&ui.send, "click", move |_| app.send());
        let app = self.clone();
        listen(&ui.input, "input", move |_| app.on_input());
        let app = self.clone();
        listen(&ui.input, "keydown", move |e| {
            // `keydown` always carries a KeyboardEvent.
            let k = e.unchecked_ref::<KeyboardEvent>();
            if k.key() == "Enter" && !k.shift_key() && !k.is_composing() {
                e.unchecked_ref::<Event>().prevent_default();
                app.send();
            }
        });
        let app = self.clone();
        listen(&ui.panel, "keydown", move |e| {
            if e.unchecked_ref::<KeyboardEvent>().key() == "Escape" {
                app.close_panel();
            }
        });
    }

    // --- session and socket ---------------------------------------------------------

    /// Checks the stored token (or creates a visitor), then connects.
    fn boot(self: &Rc<Self>) {
        let token = self.inner.borrow().token.clone();
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
                self.store.set(storage::WORKSPACE_NAME, &session.workspace_name);
                self.ui.set_title(&session.workspace_name);
                self.inner.borrow_mut().token = Some(session.token);
                self.connect();
            }
            Err(ApiError::Unauthorized) if had_token => {
                // The token is unknown (e.g. the visitor was deleted): start over as a new visitor.
                self.forget_visitor();
                self.boot();
            }
            Err(ApiError::Forbidden) => self.stop(NOT_ALLOWED),
            Err(ApiError::NotFound) => self.stop(NOT_FOUND),
            Err(_) => self.schedule_retry(false),
        }
    }

    fn forget_visitor(&self) {
        self.store.remove(storage::TOKEN);
        self.store.remove(storage::LAST_READ);
        let mut inner = self.inner.borrow_mut();
        inner.token = None;
        inner.last_read = 0;
        inner.conv.clear_messages();
        for node in inner.nodes.drain(..) {
            node.remove();
        }
    }

    fn connect(self: &Rc<Self>) {
        let (url, generation) = {
            let mut inner = self.inner.borrow_mut();
            let Some(token) = inner.token.as_deref() else {
                return;
            };
            let mut url = api::endpoint(&ws_base(&self.base), &self.key);
            url.push_str("/ws?token=");
            url.push_str(&api::encode(token));
            inner.generation = inner.generation.wrapping_add(1);
            (url, inner.generation)
        };
        let weak = Rc::downgrade(self);
        let report: Rc<dyn Fn(SocketEvent)> = Rc::new(move |event| {
            if let Some(app) = weak.upgrade() {
                app.on_socket(generation, event);
            }
        });
        match Socket::open(&url, report) {
            // Replacing the previous (closed) socket drops it; this never runs inside one
            // of its own handlers, since connect is only called from timers and XHR callbacks.
            Ok(socket) => self.inner.borrow_mut().socket = Some(socket),
            Err(()) => self.on_closed(),
        }
    }

    fn on_socket(self: &Rc<Self>, generation: u32, event: SocketEvent) {
        if generation != self.inner.borrow().generation {
            return;
        }
        match event {
            SocketEvent::Open => {
                let after_seq = {
                    let mut inner = self.inner.borrow_mut();
                    inner.connected = true;
                    inner.ever_connected = true;
                    inner.conv.last_seq()
                };
                self.ui.set_conn(None);
                self.send_frame(&wire::resume(after_seq));
            }
            SocketEvent::Frame(data) => {
                if let Some(event) = wire::parse_json(&data).ok().as_ref().and_then(wire::event) {
                    self.on_event(event);
                }
            }
            SocketEvent::Closed => self.on_closed(),
        }
    }

    fn on_closed(self: &Rc<Self>) {
        let (was_connected, ever) = {
            let mut inner = self.inner.borrow_mut();
            let was = std::mem::replace(&mut inner.connected, false);
            inner.typing.reset();
            (was, inner.ever_connected)
        };
        self.ui.typing.set_hidden(true);
        self.ui.set_conn(Some(if ever { RECONNECTING } else { CONNECTING }));
        // After a drop, reconnect straight away; after a socket that never opened, check
        // the session first (the token may have become unknown).
        self.schedule_retry(was_connected);
    }

    fn schedule_retry(self: &Rc<Self>, socket_only: bool) {
        let delay = {
            let mut inner = self.inner.borrow_mut();
            if inner.stopped {
                return;
            }
            timer::cancel(inner.retry.take());
            let delay = backoff_ms(inner.attempt, js_sys::Math::random());
            inner.attempt = inner.attempt.saturating_add(1);
            delay
        };
        let app = self.clone();
        let id = timer::once(delay, move || {
            app.inner.borrow_mut().retry = None;
            if socket_only { app.connect() } else { app.boot() }
        });
        self.inner.borrow_mut().retry = id;
    }

    /// Gives up for good, showing why (origin not allowed, unknown key).
    fn stop(&self, why: &str) {
        {
            let mut inner = self.inner.borrow_mut();
            inner.stopped = true;
            timer::cancel(inner.retry.take());
        }
        self.ui.set_conn(None);
        self.ui.set_error(Some(why));
        self.ui.input.set_disabled(true);
        let _ = self.ui.send.set_attribute("disabled", "");
    }

    fn send_frame(&self, json: &str) -> bool {
        let inner = self.inner.borrow();
        inner.connected && inner.socket.as_ref().is_some_and(|s| s.send(json))
    }

    fn on_event(self: &Rc<Self>, event: Incoming) {
        match event {
            Incoming::Message(message) => self.add_message(message),
            Incoming::Resumed => {
                let unsent = {
                    let mut inner = self.inner.borrow_mut();
                    inner.attempt = 0;
                    let generation = inner.generation;
                    inner.conv.take_unsent(generation)
                };
                for (client_id, text) in unsent {
                    self.send_frame(&wire::send(&client_id, &text));
                }
            }
            Incoming::Typing { author: Author::Operator, typing } => {
                let mut inner = self.inner.borrow_mut();
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

    // --- messages -------------------------------------------------------------------

    fn add_message(&self, message: Message) {
        let Some(node) = self.ui.message_node(&message) else {
            return;
        };
        let from_operator = message.author == Author::Operator;
        let stick = self.ui.near_bottom();
        {
            let mut inner = self.inner.borrow_mut();
            let done = inner.conv.insert(message);
            if let Some(i) = done.confirmed_pending {
                inner.pending_nodes.remove(i).remove();
            }
            if let Some(i) = done.index {
                let before = inner.nodes.get(i).or(inner.pending_nodes.first()).cloned();
                let before: Option<&web_sys::Node> = before.as_ref().map(|e| e.as_ref());
                let _ = self.ui.log.insert_before(&node, before);
                // Kept parallel to the conversation even if the DOM refused the node.
                inner.nodes.insert(i, node);
            }
        }
        if from_operator {
            self.ui.typing.set_hidden(true);
        }
        if stick {
            self.ui.scroll_to_bottom();
        }
        self.update_unread();
    }

    /// Marks everything read while the panel is open, and redraws the badge.
    fn update_unread(&self) {
        let unread = {
            let mut inner = self.inner.borrow_mut();
            let last = inner.conv.last_seq();
            if inner.open && last > inner.last_read {
                inner.last_read = last;
                self.store.set(storage::LAST_READ, &wire::int(last));
            }
            inner.conv.unread(inner.last_read)
        };
        self.ui.set_badge(unread);
    }

    fn send(&self) {
        if self.inner.borrow().stopped {
            return;
        }
        let draft = self.ui.input.value();
        let text = match check_draft(&draft) {
            Ok(text) => text.to_owned(),
            Err(DraftError::Empty) => return,
            Err(DraftError::TooLong) => return self.ui.set_error(Some(TOO_LONG)),
        };
        let Some(node) = self.ui.pending_node(&text) else {
            return;
        };
        self.ui.set_error(None);
        self.ui.input.set_value("");
        self.stop_typing();
        let _ = self.ui.log.append_child(&node);
        let client_id = hex_id(&timer::random_bytes());
        {
            let mut inner = self.inner.borrow_mut();
            inner.pending_nodes.push(node);
            inner.conv.add_pending(client_id.clone(), text.clone());
        }
        let generation = self.inner.borrow().generation;
        if self.send_frame(&wire::send(&client_id, &text)) {
            self.inner.borrow_mut().conv.mark_sent(&client_id, generation);
        }
        self.ui.scroll_to_bottom();
        let _ = self.ui.input.focus();
    }

    // --- typing ---------------------------------------------------------------------

    fn on_input(&self) {
        self.ui.set_error(None);
        if self.ui.input.value().trim().is_empty() {
            return self.stop_typing();
        }
        let start = {
            let mut inner = self.inner.borrow_mut();
            timer::cancel(inner.typing_timer.take());
            inner.typing_timer = timer::start(self.typing_idle.as_ref().unchecked_ref(), TYPING_IDLE_MS);
            inner.typing.keystroke()
        };
        if let Some(typing) = start {
            self.send_frame(&wire::typing(typing));
        }
    }

    fn stop_typing(&self) {
        let stop = {
            let mut inner = self.inner.borrow_mut();
            timer::cancel(inner.typing_timer.take());
            inner.typing.stop()
        };
        if let Some(typing) = stop {
            self.send_frame(&wire::typing(typing));
        }
    }

    // --- panel ----------------------------------------------------------------------

    fn open_panel(&self) {
        self.inner.borrow_mut().open = true;
        self.ui.panel.set_hidden(false);
        let _ = self.ui.launcher.set_attribute("aria-expanded", "true");
        self.update_unread();
        self.ui.scroll_to_bottom();
        let _ = self.ui.input.focus();
    }

    fn close_panel(&self) {
        self.inner.borrow_mut().open = false;
        self.stop_typing();
        self.ui.panel.set_hidden(true);
        let _ = self.ui.launcher.set_attribute("aria-expanded", "false");
        let _ = self.ui.launcher.focus();
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
