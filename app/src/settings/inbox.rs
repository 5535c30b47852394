//! `/settings/inbox`: how the inbox works for everyone: after how long an open
//! conversation nobody writes in closes as expired, and how large files may be.

use leptos::prelude::*;

use crate::i18n::Said;

use super::api::{UpdateAttachmentLimits, UpdateExpiry, get_attachment_limits, get_expiry};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn InboxSettingsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| get_expiry());
    let update = ServerAction::<UpdateExpiry>::new();
    let toasts = use_frame().toasts;
    toasts.report(update.value(), |hours| t!("settings-inbox-expiry-saved", hours = hours));
    view! {
        <section class="settings" aria-label=t!("settings-inbox-settings")>
            <h2>{t!("settings-inbox-title")}</h2>
            <Suspense fallback=|| view! { <p class="notice">{t!("settings-inbox-loading")}</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(hours) => view! {
                            <ActionForm action=update attr:aria-label=t!("settings-inbox-expiry")>
                                <label>
                                    {t!("settings-inbox-expiry-hours")}" "
                                    <input type="number" name="hours" min="0" max="8760" step="1" value=hours.to_string() required/>
                                </label>
                                <button type="submit" disabled=move || update.pending().get()>{t!("settings-inbox-save")}</button>
                            </ActionForm>
                        }.into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.said()}</p> }.into_any(),
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
    use_frame().toasts.report(update.value(), |_| t!("settings-inbox-limits-saved"));
    let mb = |bytes: u64| format!("{}", bytes as f64 / 1e6);
    view! {
        <h3>{t!("settings-inbox-files")}</h3>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(limits) => view! {
                        <ActionForm action=update attr:aria-label=t!("settings-inbox-limits") attr:class="limits">
                            <p>{t!("settings-inbox-limits-intro")}</p>
                            <label>{t!("settings-inbox-images")}" " <input type="number" name="image_mb" min="0.001" max="1000" step="any" value=mb(limits.image) required/></label>
                            <label>{t!("settings-inbox-video")}" " <input type="number" name="video_mb" min="0.001" max="1000" step="any" value=mb(limits.video) required/></label>
                            <label>{t!("settings-inbox-audio")}" " <input type="number" name="audio_mb" min="0.001" max="1000" step="any" value=mb(limits.audio) required/></label>
                            <label>{t!("settings-inbox-documents")}" " <input type="number" name="document_mb" min="0.001" max="1000" step="any" value=mb(limits.document) required/></label>
                            <button type="submit" disabled=move || update.pending().get()>{t!("settings-inbox-limits-save")}</button>
                        </ActionForm>
                    }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.said()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
