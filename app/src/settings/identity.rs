//! `/settings/identity`: how a customer's site tells Parley who its signed-in user is.
//! Owners and admins see the identity secret, rotate it, and may require every `setUser`
//! to carry a valid hash.

use leptos::prelude::*;

use crate::contacts::{GetIdentitySettings, RotateIdentitySecret, SetRequireVerification};
use crate::frame::use_frame;

#[component]
pub fn IdentitySettingsPage() -> impl IntoView {
    let frame = use_frame();
    let load = ServerAction::<GetIdentitySettings>::new();
    let rotate = ServerAction::<RotateIdentitySecret>::new();
    let require = ServerAction::<SetRequireVerification>::new();
    Effect::new(move |_| {
        load.dispatch(GetIdentitySettings {});
    });
    frame.toasts.report(rotate.value(), |_| "New secret made: update your servers.".to_owned());
    frame.toasts.report(require.value(), |s| {
        if s.require_verification {
            "setUser now needs a valid hash."
        } else {
            "setUser works without a hash (unverified)."
        }
        .to_owned()
    });
    let settings = move || {
        [require.value().get(), rotate.value().get(), load.value().get()].into_iter().flatten().find_map(Result::ok)
    };
    let secret = move || settings().map(|s| s.secret).unwrap_or_default();
    let required = move || settings().is_some_and(|s| s.require_verification);
    view! {
        <section class="settings" aria-label="Identity settings">
            <h2>"Identity"</h2>
            <p>
                "Your site tells the widget who is signed in with "
                <code>"Parley.setUser(id, attributes, hash)"</code>
                ". Make "<code>"hash"</code>" on your server: the hex HMAC-SHA256 of the user's id under this secret. Never put the secret in a page."
            </p>
            <label>"Identity secret " <input readonly aria-label="Identity secret" class="secret" prop:value=secret/></label>
            <button type="button" on:click=move |_| { rotate.dispatch(RotateIdentitySecret {}); }>"Make a new secret"</button>
            <label>
                <input
                    type="checkbox"
                    prop:checked=required
                    on:change=move |ev| { require.dispatch(SetRequireVerification { on: event_target_checked(&ev) }); }
                />
                " Require verification: refuse setUser without a valid hash"
            </label>
            <pre class="example">{"// Node.js\ncrypto.createHmac('sha256', SECRET).update(String(user.id)).digest('hex')"}</pre>
        </section>
    }
}
