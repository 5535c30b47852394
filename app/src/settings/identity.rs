//! `/settings/identity`: how a customer's site tells Parley who its signed-in user is.
//! Owners and admins see the identity secret, rotate it, and may require every `setUser`
//! to carry a valid hash.

use leptos::prelude::*;

use crate::contacts::{GetIdentitySettings, RotateIdentitySecret, SetRequireVerification};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn IdentitySettingsPage() -> impl IntoView {
    let frame = use_frame();
    let load = ServerAction::<GetIdentitySettings>::new();
    let rotate = ServerAction::<RotateIdentitySecret>::new();
    let require = ServerAction::<SetRequireVerification>::new();
    Effect::new(move |_| {
        load.dispatch(GetIdentitySettings {});
    });
    frame.toasts.report(rotate.value(), |_| t!("settings-identity-rotated"));
    frame.toasts.report(require.value(), |s| {
        if s.require_verification { t!("settings-identity-required") } else { t!("settings-identity-not-required") }
    });
    let settings = move || {
        [require.value().get(), rotate.value().get(), load.value().get()].into_iter().flatten().find_map(Result::ok)
    };
    let secret = move || settings().map(|s| s.secret).unwrap_or_default();
    let required = move || settings().is_some_and(|s| s.require_verification);
    view! {
        <section class="settings" aria-label=t!("settings-identity-settings")>
            <h2>{t!("settings-identity-title")}</h2>
            <p>
                {t!("settings-identity-intro")}" "
                <code>"Parley.setUser(id, attributes, hash)"</code>
                ". "{t!("settings-identity-make")}" "<code>"hash"</code>" "{t!("settings-identity-on-server")}
            </p>
            <label>{t!("settings-identity-secret")}" " <input readonly aria-label=t!("settings-identity-secret") class="secret" prop:value=secret/></label>
            <button type="button" on:click=move |_| { rotate.dispatch(RotateIdentitySecret {}); }>{t!("settings-identity-rotate")}</button>
            <label>
                <input
                    type="checkbox"
                    prop:checked=required
                    on:change=move |ev| { require.dispatch(SetRequireVerification { on: event_target_checked(&ev) }); }
                />
                " "{t!("settings-identity-require")}
            </label>
            <pre class="example">{"// Node.js\ncrypto.createHmac('sha256', SECRET).update(String(user.id)).digest('hex')"}</pre>
        </section>
    }
}
