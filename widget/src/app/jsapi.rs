//! `window.Parley`'s calls, as the loader hands them over (calls made before the widget
//! arrived were queued there; those made before the visitor's session is ready wait
//! here), and the events the page can listen to (`ready`, `open`, `close`, `message`,
//! `sent`, `unread`, `error`). The loader checks the arguments' shapes; the server checks
//! their content and answers per key what it refused.

use std::rc::Rc;

use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::JsValue;

use super::App;
use crate::api::{self, Route};
use crate::storage;
use crate::wire::Json;

impl App {
    /// Runs one call of the JS API.
    pub(crate) fn api_call(self: &Rc<Self>, name: &str, args: Array) {
        match name {
            "open" => return self.open_panel(),
            "close" => return self.close_panel(),
            "toggle" => {
                let open = self.inner().open;
                return if open { self.close_panel() } else { self.open_panel() };
            }
            "reset" => return self.reset_visitor(),
            "page" => return self.send_page(),
            _ => {}
        }
        let token = {
            let mut inner = self.inner_mut();
            match inner.token.clone().filter(|_| inner.ready) {
                Some(token) => token,
                None => {
                    inner.api_queue.push((name.to_owned(), args));
                    return;
                }
            }
        };
        let arg = |i: u32| args.get(i);
        let (route, body): (Route, Object) = match name {
            "setUser" => (api::IDENTIFY, object(&[("id", arg(0)), ("attributes", arg(1)), ("hash", arg(2))])),
            "setAttributes" => (api::ATTRIBUTES, object(&[("attributes", arg(0))])),
            "setLocale" => (api::ATTRIBUTES, object(&[("attributes", object(&[("language", arg(0))]).into())])),
            "setLabels" => (api::LABELS, object(&[("labels", arg(0))])),
            "track" => (api::EVENTS, object(&[("name", arg(0)), ("data", arg(1))])),
            _ => return,
        };
        let Some(text) = JSON::stringify(&body).ok().and_then(|t| t.as_string()) else { return };
        let app = self.clone();
        let identify = name == "setUser";
        let done = move |status, answer: JsValue| {
            if status != 200 {
                let detail = if answer.is_object() { answer } else { error("network", "Parley could not be reached.") };
                return app.emit("error", &detail);
            }
            if answer.field("rejected").and_then(|r| r.items()).is_some_and(|r| !r.is_empty()) {
                let detail = error("invalid", "Some values were not accepted.");
                let _ = Reflect::set(&detail, &"fields".into(), &answer.field("rejected").unwrap_or(JsValue::NULL));
                app.emit("error", &detail);
            }
            if identify {
                app.identified(&answer);
            }
        };
        api::post_json(route, &self.base, &self.key, &token, &text, Box::new(done));
    }

    /// After `setUser`: a new token means another person in this browser; a different
    /// contact means the guest joined a known person. Either way the panel starts afresh
    /// from the server's history.
    fn identified(self: &Rc<Self>, answer: &JsValue) {
        let token = answer.field("token").and_then(|t| t.string());
        let contact = answer.field("contact_id").and_then(|c| c.number()).map(|n| n as i64);
        if token.is_none() && contact == self.inner().contact_id {
            return;
        }
        let token = token.or_else(|| self.inner().token.clone());
        self.forget_visitor();
        if let Some(token) = token {
            self.store.set(storage::TOKEN, &token);
            let mut inner = self.inner_mut();
            inner.token = Some(token);
            inner.contact_id = contact;
        }
        // The session again: the lead forms this person should see (a customer has none).
        self.boot();
    }

    /// `reset()`: forgets this browser's visitor and starts a new one, so the next person
    /// on a shared computer sees nothing of the last.
    fn reset_visitor(self: &Rc<Self>) {
        self.forget_visitor();
        {
            let mut inner = self.inner_mut();
            inner.socket = None;
            inner.ready = false;
            inner.contact_id = None;
        }
        self.boot();
    }

    /// Tells the server which page the browser shows (after each connect and in-page
    /// navigation; the server counts a page once however often it hears of it).
    pub(super) fn send_page(&self) {
        let Ok(url) = self.ui.doc.url() else { return };
        let frame = object(&[
            ("type", JsValue::from_str("page")),
            ("url", JsValue::from_str(&url)),
            ("title", JsValue::from_str(&self.ui.doc.title())),
            ("referrer", JsValue::from_str(&self.ui.doc.referrer())),
        ]);
        if let Some(json) = JSON::stringify(&frame).ok().and_then(|t| t.as_string()) {
            self.send_frame(&json);
        }
    }

    /// Tells the page's listeners (`Parley.on(name, fn)`).
    pub(super) fn emit(&self, name: &str, detail: &JsValue) {
        let _ = self.emit.call2(&JsValue::NULL, &JsValue::from_str(name), detail);
    }

    /// The session is ready: tells the page once, then runs the calls that waited for it.
    pub(super) fn session_ready(self: &Rc<Self>) {
        let waiting = {
            let mut inner = self.inner_mut();
            if inner.ready {
                return;
            }
            inner.ready = true;
            std::mem::take(&mut inner.api_queue)
        };
        self.emit("ready", &JsValue::UNDEFINED);
        for (name, args) in waiting {
            self.api_call(&name, args);
        }
    }
}

/// `{key: value, ..}`, leaving out `undefined` values.
fn object(fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in fields {
        if !value.is_undefined() {
            let _ = Reflect::set(&object, &JsValue::from_str(key), value);
        }
    }
    object
}

/// `{error, message}`, as the server's refusals are shaped.
fn error(code: &str, message: &str) -> JsValue {
    object(&[("error", JsValue::from_str(code)), ("message", JsValue::from_str(message))]).into()
}
