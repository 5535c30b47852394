//! The Visitors page: who is on the customer's site right now (name or guest name,
//! current page, where they came from, pages this visit, since when, browser, language,
//! open conversation), kept live by `VisitorsChanged` (at most one a second), with a
//! search and a filter; an operator can write first to anyone there (proactive start).

use leptos::prelude::*;
use leptos_router::components::A;
use parley_types::{ConversationId, OnlineVisitor, OperatorEvent};

use crate::ApiError;
use crate::conversations::clock_time;
use crate::frame::use_frame;
use crate::t;

/// The navigation entry: everyone.
pub const NAV: crate::frame::NavEntry = crate::frame::NavEntry::new(crate::msg!("nav-visitors"), "/visitors");

/// Members: who is on the site now, newest visit first.
#[server(endpoint = "list_online_visitors")]
pub async fn list_online_visitors() -> Result<Vec<OnlineVisitor>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::online::list_online(&svc, &actor).await?)
}

/// Members who reply: writes first to a contact (an online visitor); the conversation
/// is theirs. Answers the conversation it went into.
#[server(endpoint = "start_conversation")]
pub async fn start_conversation(
    contact: parley_types::ContactId,
    client_id: String,
    text: String,
) -> Result<ConversationId, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let posted = parley_services::conversations::start_conversation(&svc, &actor, contact, &client_id, &text).await?;
    Ok(posted.message.conversation_id)
}

/// Applies one batch of changes to the list.
fn apply(
    list: &mut Vec<OnlineVisitor>,
    joined: &[OnlineVisitor],
    moved: &[OnlineVisitor],
    left: &[parley_types::ContactId],
) {
    list.retain(|v| !left.contains(&v.contact_id));
    for visitor in joined.iter().chain(moved) {
        match list.iter_mut().find(|v| v.contact_id == visitor.contact_id) {
            Some(row) => *row = visitor.clone(),
            None => list.push(visitor.clone()),
        }
    }
    list.sort_by_key(|v| (std::cmp::Reverse(v.since_ms), v.contact_id));
}

#[component]
pub fn VisitorsPage() -> impl IntoView {
    let frame = use_frame();
    let load = ServerAction::<ListOnlineVisitors>::new();
    let list = RwSignal::new(Vec::<OnlineVisitor>::new());
    let loaded = RwSignal::new(false);
    let (query, only) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    Effect::new(move |_| {
        load.dispatch(ListOnlineVisitors {});
    });
    Effect::new(move |_| match load.value().get() {
        Some(Ok(visitors)) => {
            list.set(visitors);
            loaded.set(true);
        }
        Some(Err(err)) => frame.toasts.error(err),
        None => {}
    });
    frame.realtime.on_event(move |event| match event {
        OperatorEvent::VisitorsChanged { joined, moved, left } => list.update(|l| apply(l, joined, moved, left)),
        // A conversation started, or ended, for someone on the site.
        OperatorEvent::ConversationChanged { conversation } => list.update(|l| {
            if let Some(v) = l.iter_mut().find(|v| v.contact_id == conversation.contact_id) {
                if conversation.status != parley_types::ConversationStatus::Closed {
                    v.open_conversation = Some(conversation.id);
                } else if v.open_conversation == Some(conversation.id) {
                    v.open_conversation = None;
                }
            }
        }),
        _ => {}
    });
    frame.realtime.on_reconnect(move || {
        load.dispatch(ListOnlineVisitors {});
    });
    let shown = move || {
        let q = query.get().to_lowercase();
        let only = only.get();
        list.get()
            .into_iter()
            .filter(|v| {
                let page = v.page.as_ref().map(|p| format!("{} {}", p.url, p.title)).unwrap_or_default();
                q.is_empty() || v.name.to_lowercase().contains(&q) || page.to_lowercase().contains(&q)
            })
            .filter(|v| match only.as_str() {
                "chatting" => v.open_conversation.is_some(),
                "not_chatting" => v.open_conversation.is_none(),
                _ => true,
            })
            .collect::<Vec<_>>()
    };
    view! {
        <section class="visitors" aria-label=t!("visitors-title")>
            <h1>{t!("visitors-title")}</h1>
            <form class="visitor-filters" role="search" on:submit=|ev| ev.prevent_default()>
                <input
                    type="search"
                    aria-label=t!("visitors-search")
                    placeholder=t!("visitors-search-placeholder")
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <select aria-label=t!("visitors-conversation") on:change=move |ev| only.set(event_target_value(&ev))>
                    <option value="">{t!("visitors-everyone")}</option>
                    <option value="chatting">{t!("visitors-chatting")}</option>
                    <option value="not_chatting">{t!("visitors-not-chatting")}</option>
                </select>
            </form>
            <p class="count" role="status">
                {move || match (loaded.get(), list.read().len()) {
                    (false, _) => t!("visitors-loading"),
                    (true, n) => t!("visitors-online", count = n),
                }}
            </p>
            <table class="visitor-table">
                <thead>
                    <tr>
                        <th>{t!("visitors-visitor")}</th>
                        <th>{t!("visitors-page")}</th>
                        <th>{t!("visitors-from")}</th>
                        <th>{t!("visitors-pages")}</th>
                        <th>{t!("visitors-since")}</th>
                        <th>{t!("visitors-browser")}</th>
                        <th>{t!("visitors-language")}</th>
                        <th>{t!("visitors-conversation")}</th>
                    </tr>
                </thead>
                <tbody>
                    // Keyed by the visitor: a row keeps its draft while their page changes.
                    <For each=shown key=|v| v.contact_id let(visitor)>
                        <VisitorRow contact=visitor.contact_id list/>
                    </For>
                </tbody>
            </table>
        </section>
    }
}

/// One visitor, kept current from `list`, with a box to write to them first.
#[component]
fn VisitorRow(contact: parley_types::ContactId, list: RwSignal<Vec<OnlineVisitor>>) -> impl IntoView {
    let frame = use_frame();
    let start = ServerAction::<StartConversation>::new();
    let writing = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    Effect::new(move |_| match start.value().get() {
        Some(Ok(_)) => {
            writing.set(false);
            text.set(String::new());
            frame.toasts.success(t!("visitors-message-sent"));
        }
        Some(Err(err)) => frame.toasts.error(err),
        None => {}
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let client_id = format!("start-{}-{}", contact, text.with_untracked(String::len));
        start.dispatch(StartConversation { contact, client_id: unique(client_id), text: text.get_untracked() });
    };
    let field = move |get: fn(&OnlineVisitor) -> String| {
        move || list.with(|l| l.iter().find(|v| v.contact_id == contact).map(get).unwrap_or_default())
    };
    let name = field(|v| v.name.clone());
    let title = field(|v| {
        v.page.as_ref().map(|p| if p.title.is_empty() { p.url.clone() } else { p.title.clone() }).unwrap_or_default()
    });
    let url = field(|v| v.page.as_ref().map(|p| p.url.clone()).unwrap_or_default());
    let device = field(|v| match (v.browser.clone(), v.os.clone()) {
        (Some(browser), Some(os)) => t!("visitors-device", browser = browser, os = os),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => String::new(),
    });
    let conversation =
        move || list.with(|l| l.iter().find(|v| v.contact_id == contact).and_then(|v| v.open_conversation));
    let label = move || t!("visitors-write-to", name = name());
    view! {
        <tr>
            // Text from the customer's site is always inserted as text.
            <td><A href=crate::frame::ws_path(&format!("/contacts/{contact}"))>{name}</A></td>
            <td class="page"><span class="title">{title}</span><br/><span class="url">{url}</span></td>
            <td class="url">{field(|v| v.referrer.clone())}</td>
            <td>{field(|v| v.pages.to_string())}</td>
            <td>{field(|v| clock_time(v.since_ms))}</td>
            <td>{device}</td>
            <td>{field(|v| v.language.clone().unwrap_or_default())}</td>
            <td>
                {move || conversation().map(|id| view! { <A href=crate::frame::ws_path(&format!("/inbox/{id}"))>{format!("#{id}")}</A> })}
                <Show when=move || writing.get() fallback=move || view! {
                    <button type="button" on:click=move |_| writing.set(true)>{t!("visitors-message")}</button>
                }>
                    <form class="start-conversation" aria-label=label on:submit=send>
                        <textarea aria-label=t!("visitors-first-message") required maxlength="10000" prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        <button type="submit" disabled=move || start.pending().get()>{t!("visitors-send")}</button>
                    </form>
                </Show>
            </td>
        </tr>
    }
}

/// A client id unique to this attempt (a resend of the same attempt keeps it).
fn unique(prefix: String) -> String {
    #[cfg(feature = "hydrate")]
    {
        format!("{prefix}-{}", js_sys::Date::now() as u64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        prefix
    }
}
