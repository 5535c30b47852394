//! The header: brand, navigation, workspace, member, connection status and sign out.
//! Sends the browser to sign-in (or setup) when there is no session.

use leptos::prelude::*;

use crate::i18n::Said;
use leptos_router::components::Redirect;

use super::context::Realtime;
use super::entries::ENTRIES;
use super::nav::{Badge, Nav};
use crate::ApiError;
use crate::auth::{CurrentUser, GetAvailability, Logout, SessionState, SetAvailability};
use crate::realtime::Connection;
use crate::t;
use parley_types::Availability;

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
                        Ok(SessionState::NotAMember) => view! {
                            <p class="error" role="alert">
                                {t!("frame-not-a-member")}" "
                                <a href="/" rel="external">{t!("frame-open-your-workspace")}</a>
                            </p>
                        }.into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.said()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <ActionForm action=logout>
                <button type="submit" class="link">{t!("frame-sign-out")}</button>
            </ActionForm>
        </header>
    }
}

/// Who is signed in, where, and whether realtime updates are flowing.
#[component]
fn MemberBar(user: CurrentUser, realtime: Realtime) -> impl IntoView {
    let status = realtime.status();
    view! {
        <WorkspaceMenu name=user.workspace_name.clone() realtime/>
        <span class="conn" role="status" aria-label=t!("frame-connection")>
            {move || match status.get() {
                Connection::Connecting => t!("frame-connecting"),
                Connection::Live => t!("frame-live"),
                Connection::Reconnecting => t!("frame-offline"),
            }}
        </span>
        <a class="who" href=super::ws_path("/profile") title=t!("frame-your-profile")>{user.name}</a>
        <AvailabilityPicker user_id=user.user_id realtime/>
        <super::notify::NotificationSettingsMenu user_id=user.user_id realtime/>
    }
}

/// The member's own availability: theirs to set, and Parley's to change when their last
/// tab closes (another tab's change shows here too).
#[component]
fn AvailabilityPicker(user_id: parley_types::UserId, realtime: Realtime) -> impl IntoView {
    let current = RwSignal::new(None::<Availability>);
    let set = ServerAction::<SetAvailability>::new();
    // Loaded once hydrated (not with the page: the header renders before the member's
    // data matters, and the picker is useless without the browser anyway).
    let load = ServerAction::<GetAvailability>::new();
    Effect::new(move |_| {
        load.dispatch(GetAvailability {});
    });
    Effect::new(move |_| {
        if let Some(Ok(availability)) = load.value().get() {
            current.set(Some(availability));
        }
    });
    realtime.on_event(move |event| {
        if let parley_types::OperatorEvent::AvailabilityChanged { user_id: who, availability } = event
            && *who == user_id
        {
            current.set(Some(*availability));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(availability)) = set.value().get() {
            current.set(Some(availability));
        }
    });
    view! {
        <select
            class="availability"
            aria-label=t!("frame-availability")
            disabled=move || current.get().is_none()
            on:change=move |ev| {
                if let Ok(availability) = event_target_value(&ev).parse::<Availability>() {
                    set.dispatch(SetAvailability { availability });
                }
            }
        >
            {Availability::ALL.iter().copied().map(|a| view! {
                <option value=a.as_str() selected=move || current.get() == Some(a)>{availability_label(a)}</option>
            }).collect_view()}
        </select>
    }
}

fn availability_label(availability: Availability) -> String {
    match availability {
        Availability::Online => t!("frame-availability-online"),
        Availability::Away => t!("frame-availability-away"),
        Availability::Offline => t!("frame-availability-offline"),
    }
}

/// The workspace this tab works in, and a menu of the member's others (with what waits
/// in each) to open, here or in another tab, or a new one to create. Opening one loads the
/// app at its address and makes it where signing in or `/` lead next time.
#[component]
fn WorkspaceMenu(name: String, realtime: Realtime) -> impl IntoView {
    use crate::settings::{CreateMyWorkspace, ListMyWorkspaces};
    let name = RwSignal::new(name);
    realtime.on_event(move |event| {
        if let parley_types::OperatorEvent::WorkspaceChanged { general } = event {
            name.set(general.name.clone());
        }
    });
    let list = ServerAction::<ListMyWorkspaces>::new();
    let create = ServerAction::<CreateMyWorkspace>::new();
    let new_name = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(made)) = create.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign(&format!("{}{}/inbox", super::WORKSPACE_PREFIX, made.slug));
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = made;
        }
    });
    let choices = move || list.value().get().and_then(Result::ok).unwrap_or_default();
    view! {
        <details class="workspace-menu" on:toggle=move |_| { list.dispatch(ListMyWorkspaces {}); }>
            <summary class="workspace" aria-label=t!("frame-workspaces")>{move || name.get()}</summary>
            <div class="menu-body">
                <ul aria-label=t!("frame-your-workspaces")>
                    {move || choices().into_iter().map(|w| {
                        let label = t!("frame-workspace-waiting", name = w.name.clone(), count = w.waiting);
                        // A real link (`rel="external"`: a full load, not the router), so
                        // it also opens in a new tab.
                        view! {
                            <li>
                                <a
                                    rel="external"
                                    href=format!("{}{}/inbox", super::WORKSPACE_PREFIX, w.slug)
                                    aria-label=label
                                    aria-current=w.current.then_some("true")
                                >
                                    {w.name.clone()}
                                    <span class="count">{w.waiting}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <form aria-label=t!("frame-new-workspace") on:submit=move |ev| {
                    ev.prevent_default();
                    create.dispatch(CreateMyWorkspace { name: new_name.get_untracked() });
                }>
                    <input aria-label=t!("frame-new-workspace-name") placeholder=t!("frame-new-workspace") prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/>
                    <button type="submit" disabled=move || create.pending().get()>{t!("frame-create")}</button>
                    {move || create.value().get().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.said()}</p> })}
                </form>
            </div>
        </details>
    }
}
