//! `setTimeout` helpers and randomness (jitter, `client_id`s).
//!
//! The globals are bound directly (not through `web_sys::window()`), which keeps the
//! wasm-bindgen glue and the wasm smaller.

use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &Function, ms: u32) -> i32;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: i32);
    /// Throws where `crypto` is missing.
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(bytes: &mut [u8]) -> Result<JsValue, JsValue>;
}

/// Calls `f` once after `ms` milliseconds; returns the timer id.
pub fn once(ms: u32, f: impl FnOnce() + 'static) -> Option<i32> {
    let f = Closure::<dyn FnMut()>::once_aborting(f).into_js_value();
    start(f.unchecked_ref(), ms)
}

/// Calls a long-lived JS function after `ms` milliseconds; returns the timer id.
/// Use this for timers that are restarted often, so no closure is leaked per restart.
pub fn start(f: &Function, ms: u32) -> Option<i32> {
    Some(set_timeout(f, ms))
}

/// Cancels a timer started by [`start`] (a cancelled [`once`] leaks its small closure).
pub fn cancel(id: Option<i32>) {
    if let Some(id) = id {
        clear_timeout(id);
    }
}

/// 16 random bytes from `crypto.getRandomValues`, or `Math.random` where it is missing.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if get_random_values(&mut bytes).is_err() {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}
