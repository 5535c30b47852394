//! The main navigation: one entry per module, shown to the roles it is for, each with
//! an optional badge (e.g. unread conversations).

use leptos::prelude::*;
use leptos_router::components::A;
use parley_types::Role;

use crate::ApiError;
use crate::auth::SessionState;

/// A live count shown beside an entry (hidden at zero).
pub type Badge = Signal<usize>;

/// One module's entry in the navigation. A module declares its entry as a constant
/// (`pub const NAV: NavEntry = NavEntry::new(msg!("nav-tickets"), "/tickets");`, the label
/// a message id of the catalogs) and adds it to
/// [`super::entries::ENTRIES`].
#[derive(Debug, Clone, Copy)]
pub struct NavEntry {
    /// The message id of the entry's label.
    pub label: &'static str,
    pub href: &'static str,
    /// Who sees the entry.
    pub visible_to: fn(Role) -> bool,
    /// Makes the entry's badge. Called once per page load by the frame, in its first
    /// render pass, so a badge may create resources.
    pub badge: Option<fn() -> Badge>,
}

impl NavEntry {
    /// An entry every member sees, without a badge.
    pub const fn new(label: &'static str, href: &'static str) -> Self {
        Self { label, href, visible_to: everyone, badge: None }
    }

    /// Shows the entry only to roles for which `visible_to` is true.
    pub const fn visible_to(self, visible_to: fn(Role) -> bool) -> Self {
        Self { visible_to, ..self }
    }

    /// Gives the entry a badge.
    pub const fn badge(self, badge: fn() -> Badge) -> Self {
        Self { badge: Some(badge), ..self }
    }
}

fn everyone(_: Role) -> bool {
    true
}

/// The header's navigation, for the signed-in member's role. `badges` are the entries'
/// badges, in the order of `entries`.
#[component]
pub fn Nav(
    session: Resource<Result<SessionState, ApiError>>,
    entries: &'static [NavEntry],
    badges: Vec<Option<Badge>>,
) -> impl IntoView {
    let role = move || {
        session.with(|state| match state {
            Some(Ok(SessionState::SignedIn(user))) => Some(user.role),
            _ => None,
        })
    };
    view! {
        <nav class="main-nav" aria-label=crate::t!("nav-main")>
            // A transition, not a suspense: a badge refreshing after a reconnect keeps
            // the navigation on screen.
            <Transition fallback=|| ()>
                {move || {
                    role().map(|role| {
                        let links = entries
                            .iter()
                            .zip(badges.iter().copied())
                            .filter(|(entry, _)| (entry.visible_to)(role))
                            .map(|(entry, badge)| view! { <NavLink entry=*entry badge/> })
                            .collect_view();
                        view! { <ul>{links}</ul> }
                    })
                }}
            </Transition>
        </nav>
    }
}

#[component]
fn NavLink(entry: NavEntry, badge: Option<Badge>) -> impl IntoView {
    view! {
        <li>
            // `A` marks the entry of the current page with `aria-current="page"`.
            <A href=super::ws_path(entry.href)>
                {crate::i18n::message(entry.label, None)}
                {badge.map(|count| view! { <CountBadge count/> })}
            </A>
        </li>
    }
}

/// The number, read out as "3 unread" (`nav-unread`).
#[component]
fn CountBadge(count: Badge) -> impl IntoView {
    move || {
        let n = count.get();
        (n > 0)
            .then(|| view! { <span class="badge" role="img" aria-label=crate::t!("nav-unread", count = n)>{n}</span> })
    }
}
