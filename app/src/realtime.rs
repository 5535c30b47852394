//! The operator app's WebSocket to `/ws/operator`: one per tab, reconnecting by itself
//! with backoff. Components register listeners for `OperatorEvent`s; the open
//! conversation is "watched", so every (re)connect asks the server for the messages
//! after the newest one shown and nothing is missed.
//!
//! On the server (SSR) every function here is a no-op: sockets exist only in the browser.

use leptos::prelude::*;
use parley_types::{ClientEvent, ConversationId, OperatorEvent};

/// The socket's state, as the UI shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Before the first connection (also what the server renders).
    Connecting,
    Live,
    /// The connection dropped; retrying with backoff.
    Reconnecting,
}

/// Opens the socket (once per tab) and reports its state into `connected`.
pub fn start(connected: RwSignal<Connection>) {
    #[cfg(feature = "hydrate")]
    client::start(connected);
    #[cfg(not(feature = "hydrate"))]
    let _ = connected;
}

/// Calls `listener` for every event until the calling component is cleaned up.
pub fn on_event(listener: impl Fn(&OperatorEvent) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let id = client::add_listener(client::Listener::Event(std::rc::Rc::new(listener)));
        on_cleanup(move || client::remove_listener(id));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = listener;
}

/// Calls `listener` after each reconnect (not the first connect).
pub fn on_reconnect(listener: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let id = client::add_listener(client::Listener::Reconnect(std::rc::Rc::new(listener)));
        on_cleanup(move || client::remove_listener(id));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = listener;
}

/// Makes `conversation` the watched one; `last_seq` tells the newest message shown.
pub fn watch(conversation: ConversationId, last_seq: impl Fn() -> i64 + 'static) {
    #[cfg(feature = "hydrate")]
    {
        client::watch(Some((conversation, std::rc::Rc::new(last_seq))));
        on_cleanup(move || client::unwatch(conversation));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (conversation, last_seq);
}

/// Sends an event if the socket is open (typing notices are best-effort).
pub fn send(event: &ClientEvent) {
    #[cfg(feature = "hydrate")]
    client::send(event);
    #[cfg(not(feature = "hydrate"))]
    let _ = event;
}

/// Reconnect delay after `attempt` consecutive failures: 0.5 s doubling to 15 s.
pub fn backoff_ms(attempt: u32) -> u32 {
    500u32.saturating_mul(1 << attempt.min(5)).min(15_000)
}

#[cfg(feature = "hydrate")]
mod client {
    use std::cell::RefCell;
    use std::rc::Rc;

    use leptos::prelude::*;
    use parley_types::{ClientEvent, ConversationId, OperatorEvent};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{MessageEvent, WebSocket};

    pub enum Listener {
        Event(EventListener),
        Reconnect(Rc<dyn Fn()>),
    }

    type Watch = (ConversationId, Rc<dyn Fn() -> i64>);
    type EventListener = Rc<dyn Fn(&OperatorEvent)>;

    #[derive(Default)]
    struct State {
        started: bool,
        socket: Option<WebSocket>,
        open: bool,
        connected_once: bool,
        attempts: u32,
        next_id: u64,
        listeners: Vec<(u64, Listener)>,
        watch: Option<Watch>,
        connected: Option<RwSignal<super::Connection>>,
        // Kept alive while the socket they belong to is.
        handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
        on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    }

    thread_local! {
        static STATE: RefCell<State> = RefCell::new(State::default());
    }

    pub fn start(connected: RwSignal<super::Connection>) {
        let (first, open, connected_once) = STATE.with_borrow_mut(|s| {
            s.connected = Some(connected);
            (!std::mem::replace(&mut s.started, true), s.open, s.connected_once)
        });
        if first {
            connect();
        } else if open {
            // A new frame (another page) reuses the tab's socket.
            connected.set(super::Connection::Live);
        } else if connected_once {
            connected.set(super::Connection::Reconnecting);
        }
    }

    pub fn add_listener(listener: Listener) -> u64 {
        STATE.with_borrow_mut(|s| {
            s.next_id += 1;
            s.listeners.push((s.next_id, listener));
            s.next_id
        })
    }

    pub fn remove_listener(id: u64) {
        STATE.with_borrow_mut(|s| s.listeners.retain(|(i, _)| *i != id));
    }

    pub fn watch(watch: Option<Watch>) {
        let resume =
            watch.as_ref().map(|(id, last)| ClientEvent::Resume { conversation_id: Some(*id), after_seq: last() });
        STATE.with_borrow_mut(|s| s.watch = watch);
        if let Some(resume) = resume {
            send(&resume);
        }
    }

    pub fn unwatch(conversation: ConversationId) {
        let left = STATE.with_borrow_mut(|s| {
            let watched = s.watch.as_ref().is_some_and(|(id, _)| *id == conversation);
            if watched {
                s.watch = None;
            }
            watched
        });
        // Colleagues stop seeing this operator in the conversation.
        if left {
            send(&ClientEvent::Viewing { conversation_id: None });
        }
    }

    pub fn send(event: &ClientEvent) {
        let Ok(text) = serde_json::to_string(event) else { return };
        STATE.with_borrow(|s| {
            if let (true, Some(socket)) = (s.open, &s.socket) {
                let _ = socket.send_with_str(&text);
            }
        });
    }

    fn socket_url() -> Option<String> {
        let location = web_sys::window()?.location();
        let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
        Some(format!("{scheme}://{}{}/ws/operator", location.host().ok()?, crate::frame::ws_path("")))
    }

    fn connect() {
        let Some(url) = socket_url() else { return };
        let socket = match WebSocket::new(&url) {
            Ok(socket) => socket,
            Err(_) => return schedule_reconnect(),
        };
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| opened());
        let on_close = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| closed());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(event) =
                ev.data().as_string().and_then(|text| serde_json::from_str::<OperatorEvent>(&text).ok())
            {
                dispatch(&event);
            }
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        STATE.with_borrow_mut(|s| {
            s.socket = Some(socket);
            s.handlers = vec![on_open, on_close];
            s.on_message = Some(on_message);
        });
    }

    fn opened() {
        let (reconnected, connected, resume) = STATE.with_borrow_mut(|s| {
            s.open = true;
            s.attempts = 0;
            let reconnected = std::mem::replace(&mut s.connected_once, true);
            let resume = s.watch.as_ref().map(|(id, last)| (*id, last.clone()));
            (reconnected, s.connected, resume)
        });
        if let Some(connected) = connected {
            connected.set(super::Connection::Live);
        }
        if let Some((id, last)) = resume {
            send(&ClientEvent::Resume { conversation_id: Some(id), after_seq: last() });
        }
        if reconnected {
            let listeners: Vec<Rc<dyn Fn()>> = STATE.with_borrow(|s| {
                s.listeners
                    .iter()
                    .filter_map(|(_, l)| if let Listener::Reconnect(f) = l { Some(f.clone()) } else { None })
                    .collect()
            });
            listeners.iter().for_each(|f| f());
        }
    }

    fn closed() {
        let connected = STATE.with_borrow_mut(|s| {
            s.open = false;
            s.socket = None;
            s.connected
        });
        if let Some(connected) = connected {
            connected.set(super::Connection::Reconnecting);
        }
        schedule_reconnect();
    }

    fn schedule_reconnect() {
        let attempt = STATE.with_borrow_mut(|s| {
            s.attempts += 1;
            s.attempts
        });
        let jitter = (js_sys::Math::random() * 250.0) as i32;
        let delay = super::backoff_ms(attempt - 1) as i32 + jitter;
        let retry = Closure::once_into_js(connect);
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(retry.unchecked_ref(), delay);
        }
    }

    fn dispatch(event: &OperatorEvent) {
        // Collect first: a listener may register or remove listeners while it runs.
        let listeners: Vec<EventListener> = STATE.with_borrow(|s| {
            s.listeners
                .iter()
                .filter_map(|(_, l)| if let Listener::Event(f) = l { Some(f.clone()) } else { None })
                .collect()
        });
        listeners.iter().for_each(|f| f(event));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_from_half_a_second_up_to_fifteen() {
        let delays: Vec<u32> = (0..8).map(super::backoff_ms).collect();
        assert_eq!(delays, vec![500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    }
}
