//! Hydrates the server-rendered operator app in the browser.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::frame::choose_from_location();
    app::i18n::choose_from_document();
    leptos::mount::hydrate_body(app::App);
    // A mark that tests (and people debugging a page) can read: the app has hydrated.
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-hydrated", "");
    }
}
