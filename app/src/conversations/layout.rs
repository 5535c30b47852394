//! The signed-in frame: header, inbox list and the routed page beside it. Redirects to
//! sign-in (or setup) when there is no session.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, Redirect};

use super::inbox::InboxList;
use crate::auth::{CurrentUser, Logout, SessionState, get_session_state};
use crate::realtime::Connection;

/// The frame around `/inbox` and `/settings` pages.
#[component]
pub fn InboxLayout() -> impl IntoView {
    let state = Resource::new(|| (), |_| get_session_state());
    view! {
        <Suspense fallback=|| view! { <p class="notice">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(SessionState::SignedIn(user)) => view! { <Frame user/> }.into_any(),
                    Ok(SessionState::NeedsSetup) => view! { <Redirect path="/setup"/> }.into_any(),
                    Ok(SessionState::SignedOut) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Frame(user: CurrentUser) -> impl IntoView {
    let connected = RwSignal::new(Connection::Connecting);
    crate::realtime::start(connected);
    let logout = ServerAction::<Logout>::new();
    let workspace_name = user.workspace_name.clone();
    let user_name = user.name.clone();
    provide_context(user);
    view! {
        <div class="app">
            <header class="topbar">
                <strong class="brand">"Parley"</strong>
                <span class="workspace">{workspace_name}</span>
                <nav aria-label="Main">
                    <A href="/inbox">"Inbox"</A>
                    <A href="/settings/widget">"Widget"</A>
                </nav>
                <span class="conn" role="status" aria-label="Connection">
                    {move || match connected.get() {
                        Connection::Connecting => "Connecting…",
                        Connection::Live => "Live",
                        Connection::Reconnecting => "Offline",
                    }}
                </span>
                <span class="who">{user_name}</span>
                <ActionForm action=logout>
                    <button type="submit" class="link">"Sign out"</button>
                </ActionForm>
            </header>
            <Show when=move || connected.get() == Connection::Reconnecting>
                <p class="banner" role="status">"Reconnecting…"</p>
            </Show>
            <div class="columns">
                <InboxList/>
                <section class="pane">
                    <Outlet/>
                </section>
            </div>
        </div>
    }
}

/// `/inbox` with no conversation chosen.
#[component]
pub fn NoConversation() -> impl IntoView {
    view! { <p class="empty">"Choose a conversation."</p> }
}
