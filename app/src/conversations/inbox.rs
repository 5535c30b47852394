//! The conversation list: the views with their counts, the order, and the frame's
//! conversation feed with who is typing.

use std::collections::HashSet;

use leptos::prelude::*;

use crate::i18n::Said;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use parley_types::{
    Author, ConversationId, ConversationPriority, ConversationStatus, ConversationSummary, InboxSort, InboxView,
    OperatorEvent,
};

use super::arrivals::{Arrival, Listed};
use super::bulk::{BulkBar, SelectBox, Selection};
use super::feed::ConversationFeed;
use super::finder::{Finder, FinderBar, FinderResults, status_name};
use super::keys::Shortcuts;
use crate::frame::use_frame;
use crate::t;

/// The inbox column.
#[component]
pub fn InboxList() -> impl IntoView {
    let feed = ConversationFeed::use_feed();
    let finder = Finder::new(feed);
    let selection = Selection::new();
    let typing = RwSignal::new(HashSet::<ConversationId>::new());
    let frame = use_frame();

    frame.realtime.on_event(move |event| match event {
        OperatorEvent::Typing { conversation_id, author: Author::Visitor, typing: is_typing, .. } => {
            typing.update(|set| {
                if *is_typing {
                    set.insert(*conversation_id)
                } else {
                    set.remove(conversation_id)
                };
            })
        }
        OperatorEvent::MessageCreated { message } if message.author == Author::Visitor => typing.update(|set| {
            set.remove(&message.conversation_id);
        }),
        _ => {}
    });

    let params = use_params_map();
    let selected =
        Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<i64>().ok()).map(ConversationId));
    // The rows with whether the visitor is typing there. Keyed by what a row shows, so a
    // change re-renders that row alone and the others stay as they are.
    let rows = move || {
        let typing = typing.read();
        let listed = feed.listed().and_then(Result::ok).unwrap_or_default();
        let me = frame.member().map(|m| m.user_id).unwrap_or(parley_types::UserId(0));
        listed.into_iter().map(|row| Row::of(row, &typing, me)).collect::<Vec<_>>()
    };

    view! {
        <nav class="inbox" aria-label=t!("inbox-conversations")>
            <h1>{t!("inbox-conversations")}</h1>
            <Shortcuts/>
            <FinderBar finder feed/>
            <ViewTabs feed finder/>
            <BulkBar selection finder feed/>
            <Show when=move || !finder.active() fallback=move || view! { <FinderResults finder selection/> }>
            <Transition fallback=|| view! { <p class="notice">{t!("inbox-loading")}</p> }>
                // Re-renders only when the first page (re)loads; rows update one by one.
                {move || feed.first_page().map(|loaded| match loaded {
                    Err(err) => view! { <p class="error" role="alert">{err.said()}</p> }.into_any(),
                    Ok(()) => view! {
                        <Show
                            when=move || !rows().is_empty()
                            fallback=move || view! { <p class="empty">{empty_text(feed.view().get())}</p> }
                        >
                            <ul class="conversations">
                                <For each=rows key=Row::key let(row)>
                                    {match row {
                                        Row::Stored { summary, typing, unread } => view! {
                                            <ConversationRow summary typing unread selected feed selection/>
                                        }.into_any(),
                                        Row::Arriving(arrival) => view! { <ArrivingRow arrival/> }.into_any(),
                                    }}
                                </For>
                            </ul>
                        </Show>
                        <Show when=move || feed.has_more()>
                            <button
                                type="button"
                                class="load-more"
                                on:click=move |_| feed.load_more()
                                disabled=move || feed.loading_more().get()
                            >
                                {t!("inbox-load-more")}
                            </button>
                        </Show>
                    }.into_any(),
                })}
            </Transition>
            </Show>
        </nav>
    }
}

/// A row of the list as shown.
#[derive(Clone)]
enum Row {
    Stored { summary: ConversationSummary, typing: bool, unread: i64 },
    Arriving(Arrival),
}

/// What a row shows, to re-render only the rows that changed.
#[derive(Clone, PartialEq, Eq, Hash)]
enum RowKey {
    Stored {
        id: ConversationId,
        typing: bool,
        unread: i64,
        last_seq: i64,
        last_activity_ms: i64,
        status: ConversationStatus,
        assignee: Option<parley_types::UserId>,
        priority: ConversationPriority,
        labels: Vec<parley_types::LabelId>,
    },
    Arriving(parley_types::ContactId, String),
}

impl Row {
    fn of(listed: Listed, typing: &HashSet<ConversationId>, me: parley_types::UserId) -> Row {
        match listed {
            Listed::Stored(summary) => {
                Row::Stored { typing: typing.contains(&summary.id), unread: summary.unread_for(me), summary }
            }
            Listed::Arriving(arrival) => Row::Arriving(arrival),
        }
    }

    fn key(&self) -> RowKey {
        match self {
            Row::Stored { summary: c, typing, unread } => RowKey::Stored {
                id: c.id,
                typing: *typing,
                unread: *unread,
                last_seq: c.last_seq,
                last_activity_ms: c.last_activity_ms,
                status: c.status,
                assignee: c.assignee_id,
                priority: c.priority,
                labels: c.labels.clone(),
            },
            Row::Arriving(a) => RowKey::Arriving(a.contact_id, a.client_id.clone()),
        }
    }
}

/// A new conversation while the server makes it: the visitor's name and first message,
/// greyed and marked as being saved, and not yet a link (there is nothing to open). Its
/// stored summary takes its place.
#[component]
fn ArrivingRow(arrival: Arrival) -> impl IntoView {
    view! {
        <li class="conversation arriving" aria-busy="true">
            <div class="row">
                <span class="name">{arrival.contact_name}</span>
                <span class="time">{super::time::clock_time(arrival.at_ms)}</span>
                <span class="preview">{arrival.text}</span>
                <span class="arriving-mark">{t!("conv-arriving")}</span>
            </div>
        </li>
    }
}

/// A label as a coloured dot and its name. The colour is an SVG fill (a presentation
/// attribute), so the page's CSP needs no inline styles.
#[component]
pub fn LabelChip(label: parley_types::Label) -> impl IntoView {
    view! {
        <span class="label-chip">
            <svg class="dot" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
                <circle cx="5" cy="5" r="5" fill=label.colour/>
            </svg>
            {label.name}
        </span>
    }
}

fn view_label(view: InboxView) -> String {
    match view {
        InboxView::Live => t!("inbox-view-live"),
        InboxView::Mine => t!("inbox-view-mine"),
        InboxView::Assigned => t!("inbox-view-assigned"),
        InboxView::Snoozed => t!("inbox-view-snoozed"),
        InboxView::Archived => t!("inbox-view-archived"),
    }
}

fn empty_text(view: InboxView) -> String {
    match view {
        InboxView::Live => t!("inbox-empty-live"),
        InboxView::Mine => t!("inbox-empty-mine"),
        InboxView::Assigned => t!("inbox-empty-assigned"),
        InboxView::Snoozed => t!("inbox-empty-snoozed"),
        InboxView::Archived => t!("inbox-empty-archived"),
    }
}

fn sort_label(sort: InboxSort) -> String {
    match sort {
        InboxSort::Latest => t!("inbox-sort-latest"),
        InboxSort::LongestWaiting => t!("inbox-sort-longest-waiting"),
        InboxSort::Priority => t!("inbox-sort-priority"),
    }
}

/// The views, each with its live count, and the order.
#[component]
fn ViewTabs(feed: ConversationFeed, finder: Finder) -> impl IntoView {
    let current = feed.view();
    let sort = feed.sort();
    view! {
        <div class="views" role="tablist" aria-label=t!("inbox-views")>
            {InboxView::ALL.iter().copied().map(|view| view! {
                <button
                    type="button"
                    role="tab"
                    aria-selected=move || (!finder.active() && current.get() == view).to_string()
                    on:click=move |_| {
                        finder.filter.set(Default::default());
                        finder.active_view.set(None);
                        current.set(view);
                    }
                >
                    {view_label(view)}
                    <Transition fallback=|| ()>
                        {move || feed.counts().map(|counts| view! { <span class="count">{counts.of(view)}</span> })}
                    </Transition>
                </button>
            }).collect_view()}
        </div>
        <label class="sort">
            {t!("inbox-sort")}" "
            <select
                aria-label=t!("inbox-sort")
                on:change=move |ev| {
                    if let Ok(value) = event_target_value(&ev).parse::<InboxSort>() {
                        sort.set(value);
                    }
                }
            >
                {InboxSort::ALL.iter().copied().map(|option| view! {
                    <option value=option.as_str() selected=move || sort.get() == option>{sort_label(option)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn ConversationRow(
    summary: ConversationSummary,
    typing: bool,
    /// The visitor's messages the member looking has not read.
    unread: i64,
    selected: Memo<Option<ConversationId>>,
    feed: ConversationFeed,
    selection: Selection,
) -> impl IntoView {
    let label_ids = summary.labels.clone();
    let href = crate::frame::ws_path(&format!("/inbox/{}", summary.id));
    let id = summary.id;
    let is_selected = move || selected.get() == Some(id);
    let preview = if typing {
        t!("inbox-typing")
    } else {
        let last = summary.last_message.clone().unwrap_or_default();
        if summary.last_author == Some(Author::Operator) { t!("inbox-preview-reply", text = last) } else { last }
    };
    let status = (summary.status != ConversationStatus::Open).then(|| status_name(summary.status));
    let critical = summary.priority == ConversationPriority::Critical;
    view! {
        <li class="conversation" class:selected=is_selected class:unread={unread > 0}>
            <SelectBox selection id name=summary.contact_name.clone()/>
            <A href=href>
                <span class="name">{summary.contact_name.clone()}</span>
                {critical.then(|| view! { <span class="priority">{t!("inbox-critical")}</span> })}
                <span class="labels">
                    {move || feed.labels_of(&label_ids).into_iter().map(|label| view! { <LabelChip label/> }).collect_view()}
                </span>
                {status.map(|s| view! { <span class="status">{s}</span> })}
                <span class="time">{super::time::clock_time(summary.last_activity_ms)}</span>
                <span class="preview">{preview}</span>
                {(unread > 0).then(|| view! {
                    <span class="badge" role="img" aria-label=t!("inbox-unread-count", count = unread)>{unread}</span>
                })}
            </A>
        </li>
    }
}
