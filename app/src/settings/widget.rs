//! `/settings/widget`: the snippet to paste and the origins allowed to embed it.

use leptos::prelude::*;

use super::api::{UpdateAllowedOrigins, WidgetSettings, get_widget_settings};

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
    let saved = move || match update.value().get() {
        Some(Ok(list)) => {
            Some(view! { <p class="ok" role="status">{format!("Saved {} origin(s).", list.len())}</p> }.into_any())
        }
        Some(Err(err)) => Some(view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any()),
        None => None,
    };
    let origins = settings.allowed_origins.join("\n");
    view! {
        <p>"Paste this before " <code>"</body>"</code> " on every page that should show the chat:"</p>
        <pre class="snippet" aria-label="Embed snippet">{settings.snippet}</pre>
        <ActionForm action=update>
            <label>
                "Allowed origins (one per line; pages elsewhere cannot load the widget)"
                <textarea name="origins" rows="4" readonly=!settings.can_edit>{origins}</textarea>
            </label>
            {saved}
            <Show when=move || settings.can_edit>
                <button type="submit">"Save origins"</button>
            </Show>
        </ActionForm>
    }
}
