//! A thin owner of one `WebSocket` and its handlers.
//!
//! Every socket reports through one callback: [`SocketEvent::Open`], then any number of
//! [`SocketEvent::Text`], then exactly one [`SocketEvent::Closed`] (an `error` event is
//! always followed by `close`, so only `close` is handled). Dropping a [`Socket`] detaches
//! its handlers first and closes it, so a replaced socket can never report late.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use web_sys::{MessageEvent, WebSocket};

/// What a socket reports.
pub enum SocketEvent {
    /// The connection is up.
    Open,
    /// A frame arrived: its `data` (a string for text frames).
    Frame(JsValue),
    /// The connection is gone (or never came up).
    Closed,
}

/// An open (or opening) WebSocket.
pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(JsValue)>,
    _on_message: Closure<dyn FnMut(JsValue)>,
    _on_close: Closure<dyn FnMut(JsValue)>,
}

impl Socket {
    /// Starts connecting to `url`, offering Parley's subprotocol, the visitor token as
    /// `token.<token>` (a header, never the URL) and the widget's language as `lang.<code>`;
    /// `Err` when the browser refuses outright.
    pub fn open(url: &str, token: &str, report: Rc<dyn Fn(SocketEvent)>) -> Result<Socket, ()> {
        let mut offered = String::from("token.");
        offered.push_str(token);
        let protocols =
            js_sys::Array::of2(&JsValue::from_str(crate::api::SOCKET_PROTOCOL), &JsValue::from_str(&offered));
        // The language the widget speaks, for the sentences the server sends (refusals).
        if let Some(lang) = crate::i18n::chosen() {
            let mut offered = String::from("lang.");
            offered.push_str(lang);
            protocols.push(&JsValue::from_str(&offered));
        }
        let ws = WebSocket::new_with_str_sequence(url, &protocols).map_err(|_| ())?;
        let r = report.clone();
        // One closure signature for every handler keeps the glue to one closure shim.
        let on_open = Closure::<dyn FnMut(JsValue)>::own_aborting(move |_| r(SocketEvent::Open));
        let r = report.clone();
        let on_message = Closure::<dyn FnMut(JsValue)>::own_aborting(move |e: JsValue| {
            r(SocketEvent::Frame(e.unchecked_into::<MessageEvent>().data()));
        });
        let on_close = Closure::<dyn FnMut(JsValue)>::own_aborting(move |_| report(SocketEvent::Closed));
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket { ws, _on_open: on_open, _on_message: on_message, _on_close: on_close })
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
