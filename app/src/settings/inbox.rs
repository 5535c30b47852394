//! `/settings/inbox`: how the inbox works for everyone: after how long an open
//! conversation nobody writes in closes as expired, and how large files may be.

use leptos::prelude::*;

use super::api::{UpdateAttachmentLimits, UpdateExpiry, get_attachment_limits, get_expiry};
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
            <AttachmentLimitsForm/>
        </section>
    }
}

/// The upload limits per kind of file, in MB.
#[component]
fn AttachmentLimitsForm() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| get_attachment_limits());
    let update = ServerAction::<UpdateAttachmentLimits>::new();
    use_frame().toasts.report(update.value(), |_| "Saved the file size limits.".to_owned());
    let mb = |bytes: u64| format!("{}", bytes as f64 / 1e6);
    view! {
        <h3>"Files"</h3>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(limits) => view! {
                        <ActionForm action=update attr:aria-label="File size limits" attr:class="limits">
                            <p>"Largest file people may send, in MB. The type is read from the file's content, never its name."</p>
                            <label>"Images " <input type="number" name="image_mb" min="0.001" max="1000" step="any" value=mb(limits.image) required/></label>
                            <label>"Video " <input type="number" name="video_mb" min="0.001" max="1000" step="any" value=mb(limits.video) required/></label>
                            <label>"Audio and voice " <input type="number" name="audio_mb" min="0.001" max="1000" step="any" value=mb(limits.audio) required/></label>
                            <label>"Documents " <input type="number" name="document_mb" min="0.001" max="1000" step="any" value=mb(limits.document) required/></label>
                            <button type="submit" disabled=move || update.pending().get()>"Save limits"</button>
                        </ActionForm>
                    }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
