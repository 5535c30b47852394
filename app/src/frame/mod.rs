//! The signed-in frame around every module's pages: the header with the navigation each
//! module adds its entry to, the member and workspace, the realtime connection and its
//! status, and a toast area. Pages reach all of it through [`use_frame`].
//!
//! Every resource of the frame and its pages is created in the first render pass, never
//! inside a `Suspend` body: the server and the browser must create resources in the
//! same order for hydration to pick up the right data. That is why entries' badges are
//! made here, before anything renders.

mod context;
mod entries;
mod header;
mod nav;
mod notify;
mod toasts;

use leptos::prelude::*;
use leptos_router::components::Outlet;

pub use context::{FrameContext, Realtime, use_frame};
pub use entries::{CANONICAL_ORDER, ENTRIES};
pub use nav::{Badge, NavEntry};
pub use toasts::{ToastKind, Toasts};

use crate::auth::{SessionState, get_session_state};
use crate::realtime::Connection;

/// The frame; the routed page renders in its `<Outlet/>`.
#[component]
pub fn Frame() -> impl IntoView {
    let session = Resource::new(|| (), |_| get_session_state());
    let frame = FrameContext { session, toasts: Toasts::new(), realtime: Realtime::new() };
    provide_context(frame);
    let badges: Vec<Option<Badge>> = ENTRIES.iter().map(|entry| entry.badge.map(|make| make())).collect();

    // The socket opens in the browser once a member is known to be signed in.
    Effect::new(move |_| {
        if session.with(|s| matches!(s, Some(Ok(SessionState::SignedIn(_))))) {
            frame.realtime.start();
        }
    });
    let status = frame.realtime.status();

    view! {
        <div class="app">
            <header::Header session realtime=frame.realtime badges/>
            <Show when=move || status.get() == Connection::Reconnecting>
                <p class="banner" role="status">"Reconnecting…"</p>
            </Show>
            <toasts::ToastRegion toasts=frame.toasts/>
            <main class="page">
                <Outlet/>
            </main>
        </div>
    }
}
