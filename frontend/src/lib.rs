//! Hydrates the server-rendered operator app in the browser.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::frame::choose_from_location();
    leptos::mount::hydrate_body(app::App);
}
