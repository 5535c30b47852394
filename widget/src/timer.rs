//! `setTimeout` helpers and randomness (jitter, `client_id`s).

use js_sys::Function;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Calls `f` once after `ms` milliseconds; returns the timer id.
pub fn once(ms: u32, f: impl FnOnce() + 'static) -> Option<i32> {
    let f = Closure::<dyn FnMut()>::once_aborting(f).into_js_value();
    start(f.unchecked_ref(), ms)
}

/// Calls a long-lived JS function after `ms` milliseconds; returns the timer id.
/// Use this for timers that are restarted often, so no closure is leaked per restart.
pub fn start(f: &Function, ms: u32) -> Option<i32> {
    let ms = i32::try_from(ms).unwrap_or(i32::MAX);
    web_sys::window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(f, ms)
        .ok()
}

/// Cancels a timer started by [`start`] (a cancelled [`once`] leaks its small closure).
pub fn cancel(id: Option<i32>) {
    if let (Some(id), Some(w)) = (id, web_sys::window()) {
        w.clear_timeout_with_handle(id);
    }
}

/// 16 random bytes from `crypto.getRandomValues`, or `Math.random` where it is missing.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}
