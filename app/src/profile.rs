//! `/profile`: the member's own account. Name, picture and language; a password change
//! (the current password first; every other session ends); signing out everywhere.

use leptos::prelude::*;

use crate::auth::{ChangePassword, GetProfile, SignOutEverywhere, UpdateProfile};
use crate::contacts::{FieldProblem, field_problem};
use crate::forms::{LoadedFields, load_once, loaded};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let frame = use_frame();
    let load = load_once(GetProfile {});
    let save = ServerAction::<UpdateProfile>::new();
    let password = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let name = RwSignal::new(String::new());
    let avatar = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let language = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(profile)) = load.value().get().or_else(|| save.value().get()) {
            name.set(profile.name);
            avatar.set(profile.avatar_url);
            email.set(profile.email);
            language.set(profile.language);
        }
    });
    // A new language applies to the whole app: the page loads again in it.
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            let before = load.value().get_untracked().and_then(Result::ok).map(|p| p.language);
            #[cfg(feature = "hydrate")]
            if before.is_some_and(|before| before != saved.language)
                && let Some(window) = web_sys::window()
            {
                let _ = window.location().reload();
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (before, saved);
        }
    });
    frame.toasts.report(save.value(), |_| t!("profile-saved"));
    frame.toasts.report(password.value(), |ended| t!("profile-password-changed", count = ended));
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = password.value().get() {
            current.set(String::new());
            new.set(String::new());
        }
    });
    let problem = move |field: &'static str| field_problem(save.value(), field);
    let password_problem = move |field: &'static str| field_problem(password.value(), field);
    view! {
        <section class="settings profile" aria-label=t!("profile-title")>
            <h2>{t!("profile-title")}</h2>
            <p>{move || email.get()}</p>
            <form aria-label=t!("profile-form") novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save.dispatch(UpdateProfile {
                    name: name.get_untracked(),
                    avatar_url: avatar.get_untracked(),
                    language: language.get_untracked(),
                });
            }>
                <LoadedFields ready=loaded(load)>
                <label>
                    {t!("profile-name")}" "
                    <input aria-label=t!("profile-name") prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <FieldProblem problem=problem("name")/>
                <label>
                    {t!("profile-picture")}" "
                    <input
                        type="url"
                        aria-label=t!("profile-picture-address")
                        prop:value=move || avatar.get()
                        on:input=move |ev| avatar.set(event_target_value(&ev))
                    />
                </label>
                <FieldProblem problem=problem("avatar_url")/>
                <label>
                    {t!("profile-language")}" "
                    <select
                        aria-label=t!("profile-language")
                        prop:value=move || language.get()
                        on:change=move |ev| language.set(event_target_value(&ev))
                    >
                        <option value="" selected=move || language.get().is_empty()>{t!("profile-language-workspace")}</option>
                        {parley_types::APP_LANGUAGES.iter().map(|(code, name)| view! {
                            <option value=*code selected=move || language.get() == *code>{*name}</option>
                        }).collect_view()}
                    </select>
                </label>
                <FieldProblem problem=problem("language")/>
                <button type="submit" disabled=move || save.pending().get()>{t!("profile-save")}</button>
                </LoadedFields>
            </form>
            <h3>{t!("profile-password")}</h3>
            <form aria-label=t!("profile-change-password") novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                password.dispatch(ChangePassword { current: current.get_untracked(), new: new.get_untracked() });
            }>
                <label>
                    {t!("profile-current-password")}" "
                    <input
                        type="password"
                        aria-label=t!("profile-current-password")
                        autocomplete="current-password"
                        prop:value=move || current.get()
                        on:input=move |ev| current.set(event_target_value(&ev))
                    />
                </label>
                <FieldProblem problem=password_problem("current")/>
                <label>
                    {t!("profile-new-password")}" "
                    <input
                        type="password"
                        aria-label=t!("profile-new-password")
                        autocomplete="new-password"
                        prop:value=move || new.get()
                        on:input=move |ev| new.set(event_target_value(&ev))
                    />
                </label>
                <FieldProblem problem=password_problem("new")/>
                <button type="submit" disabled=move || password.pending().get()>{t!("profile-change-password")}</button>
            </form>
            <h3>{t!("profile-quick-replies")}</h3>
            <p><a href=crate::frame::ws_path("/quick-replies")>{t!("profile-quick-replies-link")}</a></p>
            <h3>{t!("profile-sessions")}</h3>
            <p>{t!("profile-sessions-hint")}</p>
            <button type="button" on:click=move |_| { everywhere.dispatch(SignOutEverywhere {}); }>
                {t!("profile-sign-out-everywhere")}
            </button>
        </section>
    }
}
