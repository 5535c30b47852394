//! The signed-in frame: header, inbox list and the routed page beside it. Redirects to
//! sign-in (or setup) when there is no session.
//!
//! Every resource of the frame and its pages is created in the first render pass, never
//! inside a `Suspend` body: the server and the browser must create resources in the
//! same order for hydration to pick up the right data.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, Redirect};

use super::inbox::InboxList;
use crate::auth::{CurrentUser, Logout, SessionState, get_session_state};
use crate::realtime::Connection;

/// The frame around `/inbox` and `/settings` pages.
#[component]
pub fn InboxLayout() -> impl IntoView {
    let state = Resource::new(|| (), |_| get_session_state());
    let connected = RwSignal::new(Connection::Connecting);
    let logout = ServerAction::<Logout>::new();
    view! {
        <div class="app">
            <header class="topbar">
                <strong class="brand">"Parley"</strong>
                <nav aria-label="Main">
                    <A href="/inbox">"Inbox"</A>
                    <A href="/settings/widget">"Widget"</A>
                </nav>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match state.await {
                            Ok(SessionState::SignedIn(user)) => {
                                crate::realtime::start(connected);
                                view! { <UserBar user connected/> }.into_any()
                            }
                            Ok(SessionState::NeedsSetup) => view! { <Redirect path="/setup"/> }.into_any(),
                            Ok(SessionState::SignedOut) => view! { <Redirect path="/login"/> }.into_any(),
                            Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
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

/// Who is signed in, where, and whether realtime updates are flowing.
#[component]
fn UserBar(user: CurrentUser, connected: RwSignal<Connection>) -> impl IntoView {
    view! {
        <span class="workspace">{user.workspace_name}</span>
        <span class="conn" role="status" aria-label="Connection">
            {move || match connected.get() {
                Connection::Connecting => "Connecting…",
                Connection::Live => "Live",
                Connection::Reconnecting => "Offline",
            }}
        </span>
        <span class="who">{user.name}</span>
    }
}

/// `/inbox` with no conversation chosen.
#[component]
pub fn NoConversation() -> impl IntoView {
    view! { <p class="empty">"Choose a conversation."</p> }
}
