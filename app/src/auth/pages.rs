//! The home redirect, the sign-in page and the first-run setup page.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::api::{Login, SessionState, Setup, get_session_state};

/// `/`: sends the browser where it belongs.
#[component]
pub fn HomePage() -> impl IntoView {
    let state = Resource::new(|| (), |_| get_session_state());
    view! {
        <Suspense fallback=|| view! { <p class="notice">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(SessionState::NeedsSetup) => view! { <Redirect path="/setup"/> }.into_any(),
                    Ok(SessionState::SignedIn(_)) => view! { <Redirect path="/inbox"/> }.into_any(),
                    Ok(SessionState::SignedOut) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Shows a server action's error, if its last run failed.
#[component]
pub fn ActionError<E: std::fmt::Display + Clone + Send + Sync + 'static>(error: Signal<Option<E>>) -> impl IntoView {
    move || error.get().map(|err| view! { <p class="error" role="alert">{err.to_string()}</p> })
}

/// `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    view! {
        <main class="auth">
            <h1>"Sign in to Parley"</h1>
            <ActionForm action=login>
                <label>"Email" <input type="email" name="email" autocomplete="username" required/></label>
                <label>"Password" <input type="password" name="password" autocomplete="current-password" required/></label>
                <ActionError error/>
                <button type="submit" disabled=move || login.pending().get()>"Sign in"</button>
            </ActionForm>
        </main>
    }
}

/// `/setup`: creates the first workspace and its owner.
#[component]
pub fn SetupPage() -> impl IntoView {
    let setup = ServerAction::<Setup>::new();
    let error = Signal::derive(move || setup.value().get().and_then(Result::err));
    view! {
        <main class="auth">
            <h1>"Set up Parley"</h1>
            <p>"Create your workspace and its owner account."</p>
            <ActionForm action=setup>
                <label>"Workspace name" <input name="workspace_name" required/></label>
                <label>"Your name" <input name="name" autocomplete="name" required/></label>
                <label>"Email" <input type="email" name="email" autocomplete="username" required/></label>
                <label>"Password" <input type="password" name="password" autocomplete="new-password" minlength="8" required/></label>
                <label>
                    "Websites that embed the widget (one origin per line)"
                    <textarea name="origins" rows="3" placeholder="https://shop.example"></textarea>
                </label>
                <ActionError error/>
                <button type="submit" disabled=move || setup.pending().get()>"Create workspace"</button>
            </ActionForm>
        </main>
    }
}
