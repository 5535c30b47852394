//! The signed-in frame around every module's pages: the header with the navigation each
//! module adds its entry to, the member and workspace, the realtime connection and its
//! status, and a toast area. Pages reach all of it through [`use_frame`].
//!
//! Every resource of the frame and its pages is created in the first render pass, never
//! inside a `Suspend` body: the server and the browser must create resources in the
//! same order for hydration to pick up the right data. That is why entries' badges are
//! made here, before anything renders.

mod address;
mod context;
mod entries;
mod header;
mod nav;
mod notify;
mod toasts;

use leptos::prelude::*;
use leptos_router::components::Outlet;

#[cfg(feature = "hydrate")]
pub use address::choose_from_location;
pub use address::{AddressGuard, PREFIX as WORKSPACE_PREFIX, base_of, ws_path};
pub use context::{FrameContext, Realtime, use_frame};
pub use entries::{CANONICAL_ORDER, ENTRIES};
pub use nav::{Badge, NavEntry};
pub use toasts::{ToastKind, Toasts};

use crate::auth::{SessionState, get_session_state};
use crate::realtime::Connection;

/// The frame of a workspace's pages (`/w/{slug}/…`); the routed page renders in its
/// `<Outlet/>`.
#[component]
pub fn Frame() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let slug = params.with_untracked(|p| p.get("slug").unwrap_or_default());
    address::provide_base(&slug);
    let session = Resource::new(|| (), |_| get_session_state());
    let frame = FrameContext { session, toasts: Toasts::new(), realtime: Realtime::new() };
    provide_context(frame);
    let badges: Vec<Option<Badge>> = ENTRIES.iter().map(|entry| entry.badge.map(|make| make())).collect();

    // The socket opens in the browser once a member is known to be signed in (and not in
    // a tab about to load its address afresh).
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        let here = address::serves(&slug);
        #[cfg(not(feature = "hydrate"))]
        let here = true;
        if here && session.with(|s| matches!(s, Some(Ok(SessionState::SignedIn(_))))) {
            frame.realtime.start();
        }
    });
    // A new address for the workspace (General settings): every tab of it follows.
    #[cfg(feature = "hydrate")]
    frame.realtime.on_event(move |event| {
        if let parley_types::OperatorEvent::WorkspaceChanged { general } = event
            && !address::serves(&general.slug)
        {
            address::move_to(&general.slug);
        }
    });
    let status = frame.realtime.status();

    view! {
        <div class="app">
            <header::Header session realtime=frame.realtime badges/>
            <Show when=move || status.get() == Connection::Reconnecting>
                <p class="banner" role="status">{crate::t!("frame-reconnecting")}</p>
            </Show>
            <toasts::ToastRegion toasts=frame.toasts/>
            <main class="page">
                <Outlet/>
            </main>
        </div>
    }
}
