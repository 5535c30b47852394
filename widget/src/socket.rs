//! A thin owner of one `WebSocket` and its handlers.
//!
//! Every socket reports through one callback: [`SocketEvent::Open`], then any number of
//! [`SocketEvent::Text`], then exactly one [`SocketEvent::Closed`] (an `error` event is
//! always followed by `close`, so only `close` is handled). Dropping a [`Socket`] detaches
//! its handlers first and closes it, so a replaced socket can never report late.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, MessageEvent, WebSocket};

/// What a socket reports.
pub enum SocketEvent {
    /// The connection is up.
    Open,
    /// A text frame arrived.
    Text(String),
    /// The connection is gone (or never came up).
    Closed,
}

/// An open (or opening) WebSocket.
pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(Event)>,
}

impl Socket {
    /// Starts connecting to `url`; `Err` when the browser refuses the URL outright.
    pub fn open(url: &str, report: Rc<dyn Fn(SocketEvent)>) -> Result<Socket, ()> {
        let ws = WebSocket::new(url).map_err(|_| ())?;
        let r = report.clone();
        let on_open = Closure::<dyn FnMut(Event)>::own_aborting(move |_| r(SocketEvent::Open));
        let r = report.clone();
        let on_message =
            Closure::<dyn FnMut(MessageEvent)>::own_aborting(move |e: MessageEvent| {
                if let Some(text) = e.data().as_string() {
                    r(SocketEvent::Text(text));
                }
            });
        let on_close =
            Closure::<dyn FnMut(Event)>::own_aborting(move |_| report(SocketEvent::Closed));
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    /// Sends one text frame; `false` when the socket is not open or the send failed.
    pub fn send(&self, text: &str) -> bool {
        self.ws.ready_state() == WebSocket::OPEN && self.ws.send_with_str(text).is_ok()
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}
