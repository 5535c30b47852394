//! `/profile`: the member's own account. Name and picture; a password change (the
//! current password first; every other session ends); signing out everywhere.

use leptos::prelude::*;

use crate::auth::{ChangePassword, GetProfile, SignOutEverywhere, UpdateProfile};
use crate::contacts::{FieldProblem, field_problem};
use crate::frame::use_frame;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let frame = use_frame();
    let load = ServerAction::<GetProfile>::new();
    let save = ServerAction::<UpdateProfile>::new();
    let password = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let name = RwSignal::new(String::new());
    let avatar = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    Effect::new(move |_| {
        load.dispatch(GetProfile {});
    });
    Effect::new(move |_| {
        if let Some(Ok(profile)) = load.value().get().or_else(|| save.value().get()) {
            name.set(profile.name);
            avatar.set(profile.avatar_url);
            email.set(profile.email);
        }
    });
    frame.toasts.report(save.value(), |_| "Profile saved.".to_owned());
    frame.toasts.report(password.value(), |ended| match ended {
        0 => "Password changed.".to_owned(),
        1 => "Password changed; 1 other session was signed out.".to_owned(),
        n => format!("Password changed; {n} other sessions were signed out."),
    });
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
        <section class="settings profile" aria-label="Your profile">
            <h2>"Your profile"</h2>
            <p>{move || email.get()}</p>
            <form aria-label="Profile" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                save.dispatch(UpdateProfile { name: name.get_untracked(), avatar_url: avatar.get_untracked() });
            }>
                <label>
                    "Name "
                    <input aria-label="Name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <FieldProblem problem=problem("name")/>
                <label>
                    "Picture (https address) "
                    <input
                        type="url"
                        aria-label="Picture address"
                        prop:value=move || avatar.get()
                        on:input=move |ev| avatar.set(event_target_value(&ev))
                    />
                </label>
                <FieldProblem problem=problem("avatar_url")/>
                <button type="submit" disabled=move || save.pending().get()>"Save profile"</button>
            </form>
            <h3>"Password"</h3>
            <form aria-label="Change password" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                password.dispatch(ChangePassword { current: current.get_untracked(), new: new.get_untracked() });
            }>
                <label>
                    "Current password "
                    <input
                        type="password"
                        aria-label="Current password"
                        autocomplete="current-password"
                        prop:value=move || current.get()
                        on:input=move |ev| current.set(event_target_value(&ev))
                    />
                </label>
                <FieldProblem problem=password_problem("current")/>
                <label>
                    "New password "
                    <input
                        type="password"
                        aria-label="New password"
                        autocomplete="new-password"
                        prop:value=move || new.get()
                        on:input=move |ev| new.set(event_target_value(&ev))
                    />
                </label>
                <FieldProblem problem=password_problem("new")/>
                <button type="submit" disabled=move || password.pending().get()>"Change password"</button>
            </form>
            <h3>"Quick replies"</h3>
            <p><a href=crate::frame::ws_path("/quick-replies")>"Your quick replies and the shared ones"</a></p>
            <h3>"Sessions"</h3>
            <p>"Signed in on a computer you no longer use? End every session, this one too."</p>
            <button type="button" on:click=move |_| { everywhere.dispatch(SignOutEverywhere {}); }>
                "Sign out everywhere"
            </button>
        </section>
    }
}
