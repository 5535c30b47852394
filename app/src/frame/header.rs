//! The header: brand, navigation, workspace, member, connection status and sign out.
//! Sends the browser to sign-in (or setup) when there is no session.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::context::Realtime;
use super::entries::ENTRIES;
use super::nav::{Badge, Nav};
use crate::ApiError;
use crate::auth::{CurrentUser, Logout, SessionState};
use crate::realtime::Connection;

#[component]
pub fn Header(
    session: Resource<Result<SessionState, ApiError>>,
    realtime: Realtime,
    badges: Vec<Option<Badge>>,
) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <header class="topbar">
            <strong class="brand">"Parley"</strong>
            <Nav session entries=ENTRIES badges/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match session.await {
                        Ok(SessionState::SignedIn(user)) => view! { <MemberBar user realtime/> }.into_any(),
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
    }
}

/// Who is signed in, where, and whether realtime updates are flowing.
#[component]
fn MemberBar(user: CurrentUser, realtime: Realtime) -> impl IntoView {
    let status = realtime.status();
    view! {
        <span class="workspace">{user.workspace_name}</span>
        <span class="conn" role="status" aria-label="Connection">
            {move || match status.get() {
                Connection::Connecting => "Connecting…",
                Connection::Live => "Live",
                Connection::Reconnecting => "Offline",
            }}
        </span>
        <span class="who">{user.name}</span>
    }
}
