//! Voice messages: the microphone button records with the browser's `MediaRecorder`
//! (through `recorder.js`, which the loader imports only when the visitor first records),
//! then uploads the recording as a voice message and sends it.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::App;
use crate::i18n;
use crate::wire;

/// Where recording stands.
pub(super) enum Recording {
    /// Waiting for the recorder module and the microphone permission.
    Starting,
    /// Recording: the recorder's `{stop, cancel}` and the ticker it calls every second.
    Active(JsValue, Closure<dyn FnMut(JsValue)>),
}

/// Calls `ok` or `err` when `promise` settles.
fn then(promise: &JsValue, ok: impl FnOnce(JsValue) + 'static, err: impl FnOnce(JsValue) + 'static) {
    let ok = Closure::<dyn FnMut(JsValue)>::once_aborting(ok).into_js_value();
    let err = Closure::<dyn FnMut(JsValue)>::once_aborting(err).into_js_value();
    let then = js_sys::Reflect::get(promise, &JsValue::from_str("then")).ok();
    match then.and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        Some(then) => {
            let _ = then.call2(promise, &ok, &err);
        }
        None => {
            let _ = err.unchecked_ref::<js_sys::Function>().call1(&JsValue::NULL, &JsValue::NULL);
        }
    }
}

/// Calls the method `name` of `object` with `arg`.
fn call(object: &JsValue, name: &str, arg: &JsValue) -> Option<JsValue> {
    let f = js_sys::Reflect::get(object, &JsValue::from_str(name)).ok()?.dyn_into::<js_sys::Function>().ok()?;
    f.call1(object, arg).ok()
}

impl App {
    /// The microphone button: starts recording, or stops and sends the recording.
    pub(super) fn toggle_recording(self: &Rc<Self>) {
        let current = self.inner_mut().recording.take();
        match current {
            None => self.start_recording(),
            Some(Recording::Starting) => self.inner_mut().recording = Some(Recording::Starting),
            Some(Recording::Active(recorder, _ticker)) => {
                self.show_recording(None);
                let Some(stopped) = call(&recorder, "stop", &JsValue::UNDEFINED) else { return };
                let app = self.clone();
                then(&stopped, move |file| app.upload(file.unchecked_ref::<web_sys::File>(), true), |_| {});
            }
        }
    }

    fn start_recording(self: &Rc<Self>) {
        self.inner_mut().recording = Some(Recording::Starting);
        self.ui.set_error(None);
        let Ok(module) = self.load_recorder.call0(&JsValue::NULL) else { return self.no_microphone() };
        let app = self.clone();
        let failed = self.clone();
        then(
            &module,
            move |module| {
                let app2 = app.clone();
                let ticker = Closure::<dyn FnMut(JsValue)>::own_aborting(move |seconds: JsValue| {
                    app2.show_recording(Some(seconds.as_f64().unwrap_or(0.0) as i64));
                });
                let Some(started) = call(&module, "start", ticker.as_ref()) else { return app.no_microphone() };
                let failed = app.clone();
                then(
                    &started,
                    move |recorder| {
                        app.inner_mut().recording = Some(Recording::Active(recorder, ticker));
                        app.show_recording(Some(0));
                    },
                    move |_| failed.no_microphone(),
                );
            },
            move |_| failed.no_microphone(),
        );
    }

    fn no_microphone(&self) {
        self.inner_mut().recording = None;
        self.show_recording(None);
        self.ui.set_error(Some(&i18n::t("no-microphone")));
    }

    /// Shows the recording line with the time so far, or hides it.
    fn show_recording(&self, seconds: Option<i64>) {
        let recording = seconds.is_some();
        let _ = self.ui.voice.set_attribute("aria-pressed", if recording { "true" } else { "false" });
        let label = if recording { i18n::t("record-stop") } else { i18n::t("record") };
        let _ = self.ui.voice.set_attribute("aria-label", &label);
        self.ui.rec.set_hidden(!recording);
        if let Some(seconds) = seconds {
            let mut time = wire::int(seconds / 60);
            time.push(':');
            if seconds % 60 < 10 {
                time.push('0');
            }
            time.push_str(&wire::int(seconds % 60));
            self.ui.rec.set_text_content(Some(&i18n::t_with("recording", &[("time", i18n::Arg::Text(&time))])));
        }
    }

    /// Discards a recording in progress (the panel closed).
    pub(super) fn cancel_recording(&self) {
        if let Some(Recording::Active(recorder, _)) = self.inner_mut().recording.take() {
            call(&recorder, "cancel", &JsValue::UNDEFINED);
        }
        self.show_recording(None);
    }
}
