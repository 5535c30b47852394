//! `/settings/widget`: the snippet to paste and the origins allowed to embed it.

use leptos::prelude::*;

use super::api::{UpdateAllowedOrigins, WidgetSettings, get_widget_settings};
use crate::frame::use_frame;

#[component]
pub fn WidgetSettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_widget_settings());
    view! {
        <section class="settings" aria-label="Widget settings">
            <h2>"Widget"</h2>
            <Suspense fallback=|| view! { <p class="notice">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <WidgetSettingsForm settings/> }.into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn WidgetSettingsForm(settings: WidgetSettings) -> impl IntoView {
    let update = ServerAction::<UpdateAllowedOrigins>::new();
    let toasts = use_frame().toasts;
    toasts.report(update.value(), |list| saved_message(list.len()));
    // The refusal also stays beside the field until the next save.
    let error = move || update.value().get().and_then(Result::err);
    let origins = settings.allowed_origins.join("\n");
    view! {
        <p>"Paste this before " <code>"</body>"</code> " on every page that should show the chat:"</p>
        <pre class="snippet" aria-label="Embed snippet">{settings.snippet}</pre>
        <ActionForm action=update>
            <label>
                "Allowed origins (one per line; pages elsewhere cannot load the widget)"
                <textarea
                    name="origins"
                    rows="4"
                    readonly=!settings.can_edit
                    aria-invalid=move || error().is_some().then_some("true")
                    aria-describedby=move || error().is_some().then_some("origins-error")
                >{origins}</textarea>
            </label>
            {move || error().map(|err| view! { <p class="error" id="origins-error">{err.to_string()}</p> })}
            <Show when=move || settings.can_edit>
                <button type="submit" disabled=move || update.pending().get()>"Save origins"</button>
            </Show>
        </ActionForm>
    }
}

fn saved_message(count: usize) -> String {
    match count {
        0 => "Saved: no site may embed the widget.".to_owned(),
        1 => "Saved 1 allowed origin.".to_owned(),
        n => format!("Saved {n} allowed origins."),
    }
}
