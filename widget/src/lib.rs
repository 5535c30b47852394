//! Parley's chat widget: the part of the embed that loads when a visitor opens the chat
//! (or, for a returning visitor, when the page is idle).
//!
//! `loader.js` (served as `/embed.js`) draws the launcher in an open shadow root, then
//! imports this crate's wasm-bindgen glue and calls [`mount`] with that shadow root. From
//! then on the widget owns the launcher's clicks, the panel, the visitor session and the
//! WebSocket. See `docs/WIDGET.md`.
//!
//! Pure logic lives in [`state`] and [`wire`] and is unit-tested on the host; the other modules talk
//! to the browser through `web-sys`.

pub mod api;
mod app;
mod dom;
pub mod files;
pub mod heap;
pub mod i18n;
mod socket;
pub mod state;
mod storage;
mod timer;
pub mod wire;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::ShadowRoot;

// Starts the widget in `root`, the loader's shadow root, for the workspace whose public
// key is `key`, talking to the Parley server at `base` (an origin, plus a path prefix if
// Parley is served under one, without a trailing slash). `open` shows the panel at once.
// `load_recorder` imports the voice recorder module (called only when the visitor records).
// `emit(name, detail)` tells the page's `Parley.on` listeners; `configure(look)` redraws
// the launcher and panel when the settings change. `inline`: a form chat filling a host
// element (always open). `language` is the workspace's choice of language (empty: the
// visitor's browser's). Returns `call(name, args)`,
// through which the loader hands over `window.Parley`'s calls, or `false` when the page
// offers no usable DOM; it never throws.
// (A `//` comment: wasm-bindgen copies `///` docs into the shipped glue.)
// The loader's handles come one per argument: an options object would cost a lookup each.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(skip_typescript)]
pub fn mount(
    root: ShadowRoot,
    base: String,
    key: String,
    open: bool,
    load_recorder: js_sys::Function,
    emit: js_sys::Function,
    configure: js_sys::Function,
    inline: bool,
    language: String,
) -> JsValue {
    match app::App::start(&root, base, key, open, load_recorder, emit, configure, inline, &language) {
        Some(app) => {
            let call = Closure::<dyn Fn(JsValue, JsValue)>::new(move |name: JsValue, args: JsValue| {
                if let Some(name) = name.as_string() {
                    app.api_call(&name, args.dyn_into().unwrap_or_default());
                }
            });
            call.into_js_value()
        }
        None => JsValue::FALSE,
    }
}
