//! The personal Inbox: each member's mentions and assignments, newest first, with an
//! unread badge in the navigation. Items open the conversation at the note or line they
//! are about; they can be marked read or unread and archived. Loaded in the browser once
//! hydrated and kept live by `InboxChanged`.

use leptos::prelude::*;
use leptos_router::components::A;
use parley_types::{EntityKind, InboxItem, InboxItemKind, OperatorEvent};

use crate::conversations::{ArchiveInboxItem, InboxUnreadCount, ListInboxItems, MarkInboxItem};
use crate::frame::{Badge, use_frame};
use crate::t;

/// The navigation entry: everyone, with the number of unread items.
pub const NAV: crate::frame::NavEntry =
    crate::frame::NavEntry::new(crate::msg!("nav-inbox"), "/my-inbox").badge(unread_badge);

/// Runs `reload` whenever the signed-in member's Inbox changed, and after a reconnect
/// (changes may have been missed).
fn on_my_inbox_change(reload: impl Fn() + Clone + Send + Sync + 'static) {
    let frame = use_frame();
    let on_change = reload.clone();
    frame.realtime.on_event(move |event| {
        if let OperatorEvent::InboxChanged { user_id, .. } = event
            && frame.member().is_some_and(|m| m.user_id == *user_id)
        {
            on_change();
        }
    });
    frame.realtime.on_reconnect(reload);
}

fn unread_badge() -> Badge {
    let count = ServerAction::<InboxUnreadCount>::new();
    Effect::new(move |_| {
        count.dispatch(InboxUnreadCount {});
    });
    on_my_inbox_change(move || {
        count.dispatch(InboxUnreadCount {});
    });
    Signal::derive(move || count.value().get().and_then(Result::ok).map_or(0, |n| n.max(0) as usize))
}

/// `/my-inbox`.
#[component]
pub fn MyInboxPage() -> impl IntoView {
    let archived = RwSignal::new(false);
    let items = ServerAction::<ListInboxItems>::new();
    let mark = ServerAction::<MarkInboxItem>::new();
    let archive = ServerAction::<ArchiveInboxItem>::new();
    let toasts = use_frame().toasts;
    Effect::new(move |_| {
        items.dispatch(ListInboxItems { archived: archived.get() });
    });
    on_my_inbox_change(move || {
        items.dispatch(ListInboxItems { archived: archived.get_untracked() });
    });
    Effect::new(move |_| {
        if let Some(Err(err)) = mark.value().get() {
            toasts.error(err);
        }
    });
    Effect::new(move |_| {
        if let Some(Err(err)) = archive.value().get() {
            toasts.error(err);
        }
    });
    let list = move || items.value().get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="my-inbox" aria-label=t!("inbox-my-inbox")>
            <h1>{t!("inbox-title")}</h1>
            <div class="views" role="tablist" aria-label=t!("inbox-items")>
                <button type="button" role="tab" aria-selected=move || (!archived.get()).to_string() on:click=move |_| archived.set(false)>
                    {t!("inbox-items-current")}
                </button>
                <button type="button" role="tab" aria-selected=move || archived.get().to_string() on:click=move |_| archived.set(true)>
                    {t!("inbox-items-archived")}
                </button>
            </div>
            <Show
                when=move || !list().is_empty()
                fallback=move || view! { <p class="empty">{move || if archived.get() { t!("inbox-nothing-archived") } else { t!("inbox-nothing-current") }}</p> }
            >
                <ul class="inbox-items">
                    <For each=list key=|item| (item.id, item.read, item.archived) let(item)>
                        <ItemRow item mark archive/>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn ItemRow(
    item: InboxItem,
    mark: ServerAction<MarkInboxItem>,
    archive: ServerAction<ArchiveInboxItem>,
) -> impl IntoView {
    let id = item.id;
    let who = item.actor_name.clone().unwrap_or_else(|| "Parley".to_owned());
    let what = match item.kind {
        InboxItemKind::Mention if item.entity == EntityKind::Contact => {
            t!("inbox-mentioned-you-on-contact", name = who)
        }
        InboxItemKind::Mention => t!("inbox-mentioned-you", name = who),
        InboxItemKind::Assignment => t!("inbox-assigned-you", name = who),
    };
    let href = match (item.entity, item.position) {
        (EntityKind::Contact, Some(note)) => format!("/contacts/{}#note-{note}", item.entity_id),
        (EntityKind::Contact, None) => format!("/contacts/{}", item.entity_id),
        (EntityKind::Conversation, Some(seq)) => format!("/inbox/{}#message-{seq}", item.entity_id),
        (EntityKind::Conversation, None) => format!("/inbox/{}", item.entity_id),
    };
    let href = crate::frame::ws_path(&href);
    let (read, archived) = (item.read, item.archived);
    view! {
        <li class="inbox-item" class:unread=!read>
            <A href=href on:click=move |_| if !read { mark.dispatch(MarkInboxItem { id, read: true }); }>
                <span class="what">{what}</span>
                <span class="time">{crate::conversations::clock_time(item.created_at_ms)}</span>
                // Text is always inserted as text.
                <span class="preview">{item.excerpt.clone()}</span>
            </A>
            <button type="button" class="link" on:click=move |_| { mark.dispatch(MarkInboxItem { id, read: !read }); }>
                {if read { t!("inbox-mark-unread") } else { t!("inbox-mark-read") }}
            </button>
            <button type="button" class="link" on:click=move |_| { archive.dispatch(ArchiveInboxItem { id, archived: !archived }); }>
                {if archived { t!("inbox-move-back") } else { t!("inbox-archive") }}
            </button>
        </li>
    }
}
