//! Workspace addresses. Every signed-in page lives under `/w/{slug}`, so a browser tab
//! shows one workspace and two tabs can show two. The tab's server functions, socket and
//! downloads go to the same prefix (`/w/{slug}/api/…`), which the server reads to pick
//! the member's workspace for the request and strips before routing. Links inside the app
//! are made with [`ws_path`].

use leptos::prelude::*;

/// The prefix of workspace addresses.
pub const PREFIX: &str = "/w/";

/// `/w/{slug}` when `path` is under a workspace's address.
pub fn base_of(path: &str) -> Option<&str> {
    let after = path.strip_prefix(PREFIX)?;
    let end = after.find('/').unwrap_or(after.len());
    (end > 0).then(|| &path[..PREFIX.len() + end])
}

/// The workspace the page being rendered belongs to (server side; the browser knows it
/// from the address it loaded).
#[derive(Clone, Debug)]
struct WorkspaceBase(String);

/// Called by the frame with its route's slug.
pub(crate) fn provide_base(slug: &str) {
    provide_context(WorkspaceBase(format!("{PREFIX}{slug}")));
}

/// The tab's workspace address (`/w/{slug}`), or "" outside a workspace: the frame's, or
/// (in the browser, where an event handler may run outside it) the one the tab loaded.
pub fn workspace_base() -> String {
    if let Some(base) = use_context::<WorkspaceBase>() {
        return base.0;
    }
    #[cfg(feature = "hydrate")]
    {
        leptos::server_fn::client::get_server_url().to_owned()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// `path` (such as `/inbox/4`) in the tab's workspace.
pub fn ws_path(path: &str) -> String {
    format!("{}{path}", workspace_base())
}

/// Called once by the hydrate entry before anything runs: this tab's server functions and
/// socket go to the workspace its address shows.
#[cfg(feature = "hydrate")]
pub fn choose_from_location() {
    let Some(window) = web_sys::window() else { return };
    let path = window.location().pathname().unwrap_or_default();
    if let Some(base) = base_of(&path) {
        let _ = leptos::server_fn::client::try_set_server_url(Box::leak(base.to_owned().into_boxed_str()));
    }
}

/// Keeps a tab's server calls, socket and links at the workspace its address shows: a tab
/// whose router moved to an address of another workspace, or between a workspace and the
/// pages outside one (signing in, signing out), loads that address afresh.
#[component]
pub fn AddressGuard() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        Effect::new(move |_| {
            let path = location.pathname.get();
            if base_of(&path).unwrap_or_default() != leptos::server_fn::client::get_server_url()
                && let Some(window) = web_sys::window()
            {
                let (search, hash) = (location.search.get_untracked(), location.hash.get_untracked());
                let search =
                    if search.is_empty() { String::new() } else { format!("?{}", search.trim_start_matches('?')) };
                let hash = if hash.is_empty() { String::new() } else { format!("#{}", hash.trim_start_matches('#')) };
                let _ = window.location().assign(&format!("{path}{search}{hash}"));
            }
        });
    }
}

/// Whether this tab's server calls go to the workspace `slug` (false after the app was
/// entered from a page outside any workspace, such as sign-in, and then the frame loads
/// the page afresh).
#[cfg(feature = "hydrate")]
pub fn serves(slug: &str) -> bool {
    leptos::server_fn::client::get_server_url() == format!("{PREFIX}{slug}")
}

/// Loads the page the tab shows at workspace `slug`'s address (its address changed).
#[cfg(feature = "hydrate")]
pub fn move_to(slug: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let rest = base_of(&path).map_or(path.as_str(), |base| &path[base.len()..]);
    let (search, hash) = (location.search().unwrap_or_default(), location.hash().unwrap_or_default());
    let _ = location.assign(&format!("{PREFIX}{slug}{rest}{search}{hash}"));
}

#[cfg(test)]
mod tests {
    use super::base_of;

    #[test]
    fn the_base_is_the_first_two_segments() {
        assert_eq!(base_of("/w/acme/inbox/4"), Some("/w/acme"));
        assert_eq!(base_of("/w/acme"), Some("/w/acme"));
        assert_eq!(base_of("/w/"), None);
        assert_eq!(base_of("/inbox"), None);
        assert_eq!(base_of("/login"), None);
    }
}
