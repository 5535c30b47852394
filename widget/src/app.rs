//! The controller: mounting the panel, wiring its DOM events and opening/closing it.
//! The rest of its behaviour lives in submodules, each an `impl App` block:
//! [`session`] owns the visitor session and the socket lifecycle (resume, resend, backoff,
//! incoming events); [`messages`] owns the conversation log, sending with pending messages,
//! the unread badge and the typing notices.
//!
//! Borrows of [`Inner`] are kept short and never held across a call that can run
//! another handler synchronously.

mod jsapi;
mod leads;
mod messages;
mod session;
mod voice;

use std::cell::{Ref, RefCell, RefMut};
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, KeyboardEvent, ShadowRoot};

use crate::dom::{Ui, listen};
use crate::socket::Socket;
use crate::state::{Conversation, TypingNotice};
use crate::storage::{self, Store};
use crate::{api, i18n};

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
    /// Imports `recorder.js` (the loader's function), called when the visitor first records.
    load_recorder: js_sys::Function,
    /// The loader's `emit(name, detail)`: tells the page's `Parley.on` listeners.
    emit: js_sys::Function,
    /// The loader's `configure(look)`: redraws the launcher and panel from new settings.
    configure: js_sys::Function,
    /// A form chat filling a host element: always open, never closed.
    inline: bool,
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
    /// The newest `seq` the server was told the visitor has displayed.
    reported_read: i64,
    /// How far the team has read (the visitor's "Seen").
    seen_seq: i64,
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
    /// A voice message being recorded.
    recording: Option<voice::Recording>,
    /// The contact the token names (from the session).
    contact_id: Option<i64>,
    /// The session is known good: JS API calls go out (until then they wait here).
    ready: bool,
    /// JS API calls made before the session was ready, in order.
    api_queue: Vec<(String, js_sys::Array)>,
    /// The socket's replay is done: messages arriving now are new (for `message` events).
    live: bool,
    /// The unread count last told to the page.
    told_unread: usize,
    /// The pre-chat form's fields while it shows: key, input, problem line, whether a
    /// checkbox, whether required.
    lead_inputs: Vec<(String, Element, web_sys::HtmlElement, bool, bool)>,
    /// Which form shows (`prechat`, or `offline` outside business hours).
    lead_form: String,
    /// Ask for an email this long after an unanswered message (`None`: never, or done).
    ask_email_after: Option<u32>,
    ask_timer: Option<i32>,
}

impl App {
    /// Builds the panel in `root`, wires it up, and starts connecting.
    #[allow(clippy::too_many_arguments)] // the loader's handles, as `mount` takes them
    pub fn start(
        root: &ShadowRoot,
        base: String,
        key: String,
        open: bool,
        load_recorder: js_sys::Function,
        emit: js_sys::Function,
        configure: js_sys::Function,
        inline: bool,
        language: &str,
    ) -> Option<Rc<App>> {
        let ui = Ui::build(root)?;
        let store = Store::new(&ui.doc, &key);
        let last_read = store.get(storage::LAST_READ).and_then(|s| s.parse().ok()).unwrap_or(0);
        let token = store.get(storage::TOKEN).filter(|t| !t.is_empty());
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
                load_recorder,
                emit,
                configure,
                inline,
            }
        });
        app.speak(language);
        app.wire();
        app.update_unread();
        if open || inline {
            app.open_panel();
        }
        app.boot();
        Some(app)
    }

    /// Every shared borrow of [`Inner`] goes through here, so the wasm holds one panic
    /// location for them rather than one per call site.
    fn inner(&self) -> Ref<'_, Inner> {
        self.inner.borrow()
    }

    /// Every mutable borrow of [`Inner`] goes through here (see [`App::inner`]).
    fn inner_mut(&self) -> RefMut<'_, Inner> {
        self.inner.borrow_mut()
    }

    /// Speaks the language the workspace set (`setting`; empty: the visitor's browser's
    /// first one the widget knows): English at once, another once its catalog arrives.
    pub(crate) fn speak(&self, setting: &str) {
        let preferred: Vec<String> = web_sys::window()
            .map(|w| w.navigator().languages().iter().filter_map(|l| l.as_string()).collect())
            .unwrap_or_default();
        let lang = i18n::choose(setting, preferred.iter().map(String::as_str));
        i18n::choose_now(lang);
        if lang == i18n::lang() {
            return;
        }
        let root = self.ui.root.clone();
        let configure = self.configure.clone();
        let done = move |catalog: i18n::Catalog| {
            i18n::set(catalog);
            i18n::apply(&root);
            // The loader redraws what it draws from the new words (the default title).
            let _ = configure.call0(&JsValue::NULL);
        };
        if lang == "en" {
            return done(i18n::english());
        }
        api::get_locale(&self.base, lang, move |text| {
            // Unreachable or unreadable: the widget stays in English.
            if let Some(catalog) = text.and_then(|text| i18n::Catalog::parse(lang, &text).ok()) {
                done(catalog);
            }
        });
    }

    fn wire(self: &Rc<Self>) {
        let ui = &self.ui;
        let app = self.clone();
        let toggle = Closure::<dyn FnMut(JsValue)>::own_aborting(move |_| {
            if app.inner().open {
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
        listen(&ui.popup, "click", move |_| app.open_panel());
        let app = self.clone();
        listen(&ui.send, "click", move |_| app.send());
        let app = self.clone();
        listen(&ui.lead, "submit", move |e| {
            e.unchecked_ref::<Event>().prevent_default();
            app.submit_prechat();
        });
        let app = self.clone();
        listen(&ui.ask, "submit", move |e| {
            e.unchecked_ref::<Event>().prevent_default();
            app.submit_email();
        });
        let app = self.clone();
        listen(&ui.input, "input", move |_| app.on_input());
        // Files: the button's picker, a drop on the panel, or a paste into the box.
        let picker = ui.picker.clone();
        listen(&ui.attach, "click", move |_| picker.click());
        let app = self.clone();
        listen(&ui.voice, "click", move |_| app.toggle_recording());
        let app = self.clone();
        listen(&ui.picker, "change", move |_| {
            app.upload_all(app.ui.picker.files());
            app.ui.picker.set_value("");
        });
        let panel = ui.panel.clone();
        listen(&ui.panel, "dragover", move |e| {
            e.unchecked_ref::<Event>().prevent_default();
            let _ = panel.set_attribute("data-drag", "");
        });
        let panel = ui.panel.clone();
        listen(&ui.panel, "dragleave", move |_| {
            let _ = panel.remove_attribute("data-drag");
        });
        let app = self.clone();
        listen(&ui.panel, "drop", move |e| {
            e.unchecked_ref::<Event>().prevent_default();
            let _ = app.ui.panel.remove_attribute("data-drag");
            app.upload_all(e.unchecked_ref::<web_sys::DragEvent>().data_transfer().and_then(|d| d.files()));
        });
        let app = self.clone();
        listen(&ui.input, "paste", move |e| {
            let files = e.unchecked_ref::<web_sys::ClipboardEvent>().clipboard_data().and_then(|d| d.files());
            if files.as_ref().is_some_and(|f| f.length() > 0) {
                e.unchecked_ref::<Event>().prevent_default();
                app.upload_all(files);
            }
        });
        let app = self.clone();
        listen(&ui.input, "keydown", move |e| {
            // `keydown` always carries a KeyboardEvent.
            let k = e.unchecked_ref::<KeyboardEvent>();
            if k.key() == "Enter" && !k.shift_key() && !k.is_composing() {
                e.unchecked_ref::<Event>().prevent_default();
                app.send();
            }
        });
        // Coming back to the tab reads what arrived meanwhile.
        let app = self.clone();
        listen(&ui.doc, "visibilitychange", move |_| app.update_unread());
        let app = self.clone();
        listen(&ui.panel, "keydown", move |e| {
            if e.unchecked_ref::<KeyboardEvent>().key() == "Escape" {
                app.close_panel();
            }
        });
    }

    // --- panel ----------------------------------------------------------------------

    fn open_panel(&self) {
        self.inner_mut().open = true;
        self.ui.set_popup(None);
        self.ui.panel.set_hidden(false);
        let _ = self.ui.launcher.set_attribute("aria-expanded", "true");
        self.update_unread();
        self.ui.scroll_to_bottom();
        let _ = self.ui.input.focus();
        self.emit("open", &JsValue::UNDEFINED);
    }

    fn close_panel(&self) {
        if self.inline {
            return;
        }
        self.inner_mut().open = false;
        self.stop_typing();
        self.cancel_recording();
        self.ui.panel.set_hidden(true);
        let _ = self.ui.launcher.set_attribute("aria-expanded", "false");
        let _ = self.ui.launcher.focus();
        self.emit("close", &JsValue::UNDEFINED);
    }
}
