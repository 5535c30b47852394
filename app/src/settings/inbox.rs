//! `/settings/inbox`: how the inbox works for everyone: after how long an open
//! conversation nobody writes in closes as expired.

use leptos::prelude::*;

use super::api::{UpdateExpiry, get_expiry};
use crate::frame::use_frame;

#[component]
pub fn InboxSettingsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| get_expiry());
    let update = ServerAction::<UpdateExpiry>::new();
    let toasts = use_frame().toasts;
    toasts.report(update.value(), |hours| match hours {
        0 => "Saved: conversations never expire.".to_owned(),
        hours => format!("Saved: open conversations expire after {hours} h without a message."),
    });
    view! {
        <section class="settings" aria-label="Inbox settings">
            <h2>"Inbox"</h2>
            <Suspense fallback=|| view! { <p class="notice">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(hours) => view! {
                            <ActionForm action=update attr:aria-label="Expiry">
                                <label>
                                    "Close an open conversation as expired after this many hours without a message (0: never) "
                                    <input type="number" name="hours" min="0" max="8760" step="1" value=hours.to_string() required/>
                                </label>
                                <button type="submit" disabled=move || update.pending().get()>"Save"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
