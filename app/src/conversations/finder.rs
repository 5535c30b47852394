//! Finding conversations in the inbox column: a search box (Ctrl+K), filters, the
//! results with their snippets (found words marked), and saved views as tabs with their
//! counts. While a search or filter is active the results replace the view's list. Search
//! and views load in the browser once hydrated (server actions dispatched from effects),
//! and follow changes live.

use leptos::prelude::*;
use leptos_router::components::A;
use parley_types::{
    Assignee, Capability, Channel, ContactKind, ConversationOutcome, ConversationPriority, ConversationStatus,
    InboxFilter, OperatorEvent, SavedView, SavedViewId, SearchHit,
};

use super::api::{CreateSavedView, DeleteSavedView, INBOX_PAGE, ListDepartments, ListSavedViews, SearchConversations};
use super::bulk::{SelectBox, Selection};
use super::feed::ConversationFeed;
use crate::frame::use_frame;
use crate::t;

/// How long after a burst of changes the results and counts are asked for again.
#[cfg(feature = "hydrate")]
const SETTLE: std::time::Duration = std::time::Duration::from_millis(400);

/// What the inbox column searches for, and the saved views.
#[derive(Clone, Copy)]
pub struct Finder {
    pub filter: RwSignal<InboxFilter>,
    /// The saved view whose filter is applied, if any.
    pub active_view: RwSignal<Option<SavedViewId>>,
    search: ServerAction<SearchConversations>,
    /// Later pages of the results ("Load more"), and whether the last came back short.
    more: RwSignal<Vec<SearchHit>>,
    more_done: RwSignal<bool>,
    load_more: ServerAction<SearchConversations>,
    views: ServerAction<ListSavedViews>,
    create: ServerAction<CreateSavedView>,
    delete: ServerAction<DeleteSavedView>,
}

impl Finder {
    pub fn new(feed: ConversationFeed) -> Self {
        let finder = Finder {
            filter: RwSignal::new(InboxFilter::default()),
            active_view: RwSignal::new(None),
            search: ServerAction::new(),
            more: RwSignal::new(Vec::new()),
            more_done: RwSignal::new(false),
            load_more: ServerAction::new(),
            views: ServerAction::new(),
            create: ServerAction::new(),
            delete: ServerAction::new(),
        };
        let frame = use_frame();
        let toasts = frame.toasts;
        let sort = feed.sort();
        Effect::new(move |_| {
            finder.views.dispatch(ListSavedViews {});
        });
        // A new filter or order searches again, from the first page.
        Effect::new(move |_| {
            let filter = finder.filter.get();
            let sort = sort.get();
            finder.more.set(Vec::new());
            finder.more_done.set(false);
            if !filter.is_empty() {
                finder.search_again(SearchConversations { filter, sort: Some(sort), after: None });
            }
        });
        Effect::new(move |_| match finder.load_more.value().get() {
            Some(Ok(page)) => {
                finder.more_done.set((page.len() as u64) < INBOX_PAGE);
                finder.more.update(|rows| rows.extend(page));
            }
            Some(Err(err)) => toasts.error(err),
            None => {}
        });
        Effect::new(move |_| {
            if let Some(Err(err)) = finder.search.value().get() {
                toasts.error(err);
            }
        });
        Effect::new(move |_| match finder.create.value().get() {
            Some(Ok(view)) => {
                toasts.success(t!("inbox-view-saved", name = view.name.clone()));
                finder.active_view.set(Some(view.id));
                finder.views.dispatch(ListSavedViews {});
            }
            Some(Err(err)) => toasts.error(err),
            None => {}
        });
        Effect::new(move |_| match finder.delete.value().get() {
            Some(Ok(())) => {
                toasts.success(t!("inbox-view-deleted"));
                finder.clear();
                finder.views.dispatch(ListSavedViews {});
            }
            Some(Err(err)) => toasts.error(err),
            None => {}
        });
        // Results and counts may have changed: ask again once a burst of changes settles.
        #[cfg(feature = "hydrate")]
        let due = StoredValue::new(false);
        // The timer may fire after the inbox column is gone (the member went to another
        // page): its actions are disposed then and must not be used.
        #[cfg(feature = "hydrate")]
        let mounted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        #[cfg(feature = "hydrate")]
        on_cleanup({
            let mounted = mounted.clone();
            move || mounted.store(false, std::sync::atomic::Ordering::Relaxed)
        });
        let refresh = move || {
            #[cfg(feature = "hydrate")]
            if !due.get_value() {
                due.set_value(true);
                let mounted = mounted.clone();
                set_timeout(
                    move || {
                        if !mounted.load(std::sync::atomic::Ordering::Relaxed) {
                            return;
                        }
                        due.set_value(false);
                        finder.views.dispatch(ListSavedViews {});
                        let filter = finder.filter.get_untracked();
                        if !filter.is_empty() {
                            let sort = Some(sort.get_untracked());
                            finder.search_again(SearchConversations { filter, sort, after: None });
                        }
                    },
                    SETTLE,
                );
            }
        };
        frame.realtime.on_event(move |event| match event {
            OperatorEvent::SavedViewsChanged => {
                finder.views.dispatch(ListSavedViews {});
            }
            OperatorEvent::ConversationChanged { .. } | OperatorEvent::MemberRead { .. } => refresh(),
            _ => {}
        });
        finder
    }

    /// Whether a search or filter is applied (the results replace the view's list).
    pub fn active(&self) -> bool {
        !self.filter.with(InboxFilter::is_empty)
    }

    /// Searches from the first page, cancelling the search still in flight (an action
    /// keeps whichever answer comes last, so an older answer arriving after a newer one
    /// would replace it). Runs in the browser only (from effects and timers).
    fn search_again(&self, input: SearchConversations) {
        thread_local! {
            static SEARCHING: std::cell::RefCell<Option<ActionAbortHandle>> = const { std::cell::RefCell::new(None) };
        }
        let handle = self.search.dispatch(input);
        if let Some(previous) = SEARCHING.with(|searching| searching.replace(Some(handle))) {
            previous.abort();
        }
    }

    fn clear(&self) {
        self.filter.set(InboxFilter::default());
        self.active_view.set(None);
    }

    /// Changes the filter by hand (it no longer is a saved view's).
    fn edit(&self, change: impl FnOnce(&mut InboxFilter)) {
        self.filter.update(change);
        self.active_view.set(None);
    }

    /// The results: the first page, then the pages loaded since (a conversation once).
    fn hits(&self) -> Vec<SearchHit> {
        let mut hits = self.search.value().get().and_then(Result::ok).unwrap_or_default();
        for hit in self.more.get() {
            if !hits.iter().any(|h| h.conversation.id == hit.conversation.id) {
                hits.push(hit);
            }
        }
        hits
    }

    /// Whether another page of results may exist.
    fn has_more(&self) -> bool {
        let first = self.search.value().with(|v| v.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, Vec::len));
        first as u64 >= INBOX_PAGE && !self.more_done.get()
    }

    /// Loads the page after the last result.
    fn load_next(&self, sort: parley_types::InboxSort) {
        if let Some(last) = self.hits().last() {
            let after = Some(sort.cursor_after(&last.conversation));
            self.load_more.dispatch(SearchConversations {
                filter: self.filter.get_untracked(),
                sort: Some(sort),
                after,
            });
        }
    }

    fn saved_views(&self) -> Vec<SavedView> {
        self.views.value().get().and_then(Result::ok).unwrap_or_default()
    }
}

/// The search box, the filters and the saved views' tabs.
#[component]
pub fn FinderBar(finder: Finder, feed: ConversationFeed) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let draft = RwSignal::new(String::new());
    // Ctrl+K (or ⌘K) from anywhere goes to the search box.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k") {
            ev.prevent_default();
            if let Some(input) = input.get_untracked() {
                let _ = input.focus();
            }
        }
    });
    on_cleanup(move || handle.remove());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = draft.get_untracked();
        finder.edit(|f| f.text = (!text.trim().is_empty()).then_some(text));
    };
    let select = move |apply: fn(&mut InboxFilter, &str)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            finder.edit(|f| apply(f, &value));
        }
    };
    // The controls show the filter (a saved view's too).
    let status = move || finder.filter.with(|f| f.statuses.first().map(|s| s.as_str()).unwrap_or("").to_owned());
    let assignee = move || finder.filter.with(|f| f.assignee.map(String::from).unwrap_or_default());
    let label = move || finder.filter.with(|f| f.labels.first().map(|l| l.to_string()).unwrap_or_default());
    let outcome = move || finder.filter.with(|f| f.outcomes.first().map(|o| o.as_str()).unwrap_or("").to_owned());
    let department = move || finder.filter.with(|f| f.departments.first().map(|d| d.to_string()).unwrap_or_default());
    let channel = move || finder.filter.with(|f| f.channels.first().map(|c| c.as_str()).unwrap_or("").to_owned());
    let kind = move || finder.filter.with(|f| f.contact_kinds.first().map(|k| k.as_str()).unwrap_or("").to_owned());
    let created_from = move || finder.filter.with(|f| f.created_from_ms.map(day_of).unwrap_or_default());
    let created_to = move || finder.filter.with(|f| f.created_to_ms.map(|ms| day_of(ms - DAY_MS)).unwrap_or_default());
    let departments = ServerAction::<ListDepartments>::new();
    Effect::new(move |_| {
        departments.dispatch(ListDepartments {});
    });
    let critical = move || finder.filter.with(|f| f.priority == Some(ConversationPriority::Critical));
    let unread = move || finder.filter.with(|f| f.unread == Some(true));
    Effect::new(move |_| draft.set(finder.filter.with(|f| f.text.clone().unwrap_or_default())));
    // The label and department choices arrive in the browser: they are put into their
    // selects directly (see `fill_options`), never rendered by the view.
    let label_select = NodeRef::<leptos::html::Select>::new();
    let department_select = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        let options: Vec<(String, String)> = feed.labels().into_iter().map(|l| (l.id.to_string(), l.name)).collect();
        fill_options(label_select, &options, &label());
    });
    Effect::new(move |_| {
        let options: Vec<(String, String)> = departments
            .value()
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.id.to_string(), d.name))
            .collect();
        fill_options(department_select, &options, &department());
    });
    view! {
        <form class="finder" role="search" on:submit=submit>
            <input
                type="search"
                node_ref=input
                aria-label=t!("inbox-search-conversations")
                placeholder=t!("inbox-search-placeholder")
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
            />
            <button type="submit">{t!("inbox-search")}</button>
        </form>
        <div class="filters" role="group" aria-label=t!("inbox-filters")>
            <select aria-label=t!("inbox-status-filter") prop:value=status on:change=select(|f, v| f.statuses = v.parse().into_iter().collect())>
                <option value="">{t!("inbox-any-status")}</option>
                {ConversationStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{status_name(*s)}</option> }).collect_view()}
            </select>
            <select aria-label=t!("inbox-assignee-filter") prop:value=assignee on:change=select(|f, v| f.assignee = Assignee::try_from(v.to_owned()).ok())>
                <option value="">{t!("inbox-anyone")}</option>
                <option value="me">{t!("inbox-assignee-me")}</option>
                <option value="nobody">{t!("inbox-assignee-nobody")}</option>
            </select>
            <select aria-label=t!("inbox-label-filter") node_ref=label_select prop:value=label on:change=select(|f, v| f.labels = v.parse().into_iter().collect())>
                <option value="">{t!("inbox-any-label")}</option>
            </select>
            <select aria-label=t!("inbox-outcome-filter") prop:value=outcome on:change=select(|f, v| f.outcomes = v.parse().into_iter().collect())>
                <option value="">{t!("inbox-any-outcome")}</option>
                {ConversationOutcome::ALL.iter().map(|o| view! { <option value=o.as_str()>{outcome_name(*o)}</option> }).collect_view()}
            </select>
            <select aria-label=t!("inbox-department-filter") node_ref=department_select prop:value=department on:change=select(|f, v| f.departments = v.parse().into_iter().collect())>
                <option value="">{t!("inbox-any-department")}</option>
            </select>
            <select aria-label=t!("inbox-channel-filter") prop:value=channel on:change=select(|f, v| f.channels = v.parse().into_iter().collect())>
                <option value="">{t!("inbox-any-channel")}</option>
                {Channel::ALL.iter().map(|c| view! { <option value=c.as_str()>{channel_name(*c)}</option> }).collect_view()}
            </select>
            <select aria-label=t!("inbox-contact-type-filter") prop:value=kind on:change=select(|f, v| f.contact_kinds = v.parse().into_iter().collect())>
                <option value="">{t!("inbox-any-contact")}</option>
                {ContactKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{contact_kind_name(*k)}</option> }).collect_view()}
            </select>
            <label>
                {t!("inbox-created-from")}" "
                <input type="date" prop:value=created_from on:change=select(|f, v| f.created_from_ms = day_start(v))/>
            </label>
            <label>
                {t!("inbox-created-to")}" "
                <input type="date" prop:value=created_to on:change=select(|f, v| f.created_to_ms = day_start(v).map(|ms| ms + DAY_MS))/>
            </label>
            <label>
                <input
                    type="checkbox"
                    prop:checked=critical
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        finder.edit(|f| f.priority = on.then_some(ConversationPriority::Critical));
                    }
                />
                {t!("inbox-critical")}
            </label>
            <label>
                <input
                    type="checkbox"
                    prop:checked=unread
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        finder.edit(|f| f.unread = on.then_some(true));
                    }
                />
                {t!("inbox-unread")}
            </label>
        </div>
        <SavedViewTabs finder/>
    }
}

/// The saved views, each with its count for the member looking.
#[component]
fn SavedViewTabs(finder: Finder) -> impl IntoView {
    view! {
        <Show when=move || !finder.saved_views().is_empty()>
            <div class="views saved-views" role="tablist" aria-label=t!("inbox-saved-views")>
                <For each=move || finder.saved_views() key=|v| (v.id, v.name.clone(), v.count) let(view)>
                    {
                        let id = view.id;
                        let filter = view.filter.clone();
                        view! {
                            <button
                                type="button"
                                role="tab"
                                aria-selected=move || (finder.active_view.get() == Some(id)).to_string()
                                on:click=move |_| {
                                    finder.filter.set(filter.clone());
                                    finder.active_view.set(Some(id));
                                }
                            >
                                {view.name.clone()}
                                {view.shared.then(|| view! { <span class="shared" title=t!("inbox-shared-with-team")>" "{t!("inbox-team-mark")}</span> })}
                                <span class="count">{view.count}</span>
                            </button>
                        }
                    }
                </For>
            </div>
        </Show>
    }
}

/// What the search and filters found, or how to save them as a view.
#[component]
pub fn FinderResults(finder: Finder, selection: Selection) -> impl IntoView {
    let frame = use_frame();
    let may_share = frame.allows(Capability::ManageSharedViews);
    let name = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let hits = move || finder.hits();
    let sort = use_context::<ConversationFeed>().map(|feed| feed.sort());
    let active = move || finder.active_view.get().and_then(|id| finder.saved_views().into_iter().find(|v| v.id == id));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        finder.create.dispatch(CreateSavedView {
            name: name.get_untracked(),
            shared: shared.get_untracked(),
            filter: finder.filter.get_untracked(),
        });
    };
    view! {
        <section class="results" aria-label=t!("inbox-search-results")>
            <p class="results-head" role="status">
                {move || if finder.search.pending().get() {
                    t!("inbox-searching")
                } else {
                    t!("inbox-found", count = hits().len())
                }}
                " "
                <button type="button" on:click=move |_| finder.clear()>{t!("inbox-clear")}</button>
            </p>
            {move || match active() {
                Some(view) if view.can_edit => {
                    let id = view.id;
                    view! {
                        <button type="button" class="danger" on:click=move |_| { finder.delete.dispatch(DeleteSavedView { id }); }>
                            {t!("inbox-delete-view")}
                        </button>
                    }.into_any()
                }
                Some(_) => ().into_any(),
                None => view! {
                    <form class="save-view" on:submit=save>
                        <input
                            aria-label=t!("inbox-view-name")
                            placeholder=t!("inbox-name-this-view")
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))
                        />
                        <Show when=move || may_share.get()>
                            <label>
                                <input type="checkbox" prop:checked=move || shared.get() on:change=move |ev| shared.set(event_target_checked(&ev))/>
                                {t!("inbox-shared-with-team")}
                            </label>
                        </Show>
                        <button type="submit">{t!("inbox-save-view")}</button>
                    </form>
                }.into_any(),
            }}
            <ul class="conversations">
                <For each=hits key=|h| (h.conversation.id, h.conversation.last_seq, h.snippet.as_ref().map(|s| s.seq)) let(hit)>
                    <HitRow hit selection/>
                </For>
            </ul>
            <Show when=move || finder.has_more()>
                <button
                    type="button"
                    class="load-more"
                    disabled=move || finder.load_more.pending().get()
                    on:click=move |_| finder.load_next(sort.map(|s| s.get_untracked()).unwrap_or(parley_types::InboxSort::Latest))
                >
                    {t!("inbox-load-more")}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn HitRow(hit: SearchHit, selection: Selection) -> impl IntoView {
    let summary = hit.conversation;
    let id = summary.id;
    let href = crate::frame::ws_path(&format!("/inbox/{}", summary.id));
    let status = (summary.status != ConversationStatus::Open).then(|| status_name(summary.status));
    view! {
        <li class="conversation">
            <SelectBox selection id name=summary.contact_name.clone()/>
            <A href=href>
                <span class="name">{summary.contact_name.clone()}</span>
                {status.map(|s| view! { <span class="status">{s}</span> })}
                <span class="time">{super::time::clock_time(summary.last_activity_ms)}</span>
                {match hit.snippet {
                    // Text is always inserted as text; found words are marked.
                    Some(snippet) => view! {
                        <span class="preview snippet">
                            {snippet.internal.then(|| format!("{} ", t!("inbox-snippet-note")))}
                            {snippet.parts.into_iter().map(|part| if part.hit {
                                view! { <mark>{part.text}</mark> }.into_any()
                            } else {
                                part.text.into_any()
                            }).collect_view()}
                        </span>
                    }.into_any(),
                    None => view! { <span class="preview">{summary.last_message.clone().unwrap_or_default()}</span> }.into_any(),
                }}
            </A>
        </li>
    }
}

/// A conversation status's name (the filter's choices, a row's status).
pub(super) fn status_name(status: ConversationStatus) -> String {
    match status {
        ConversationStatus::Open => t!("inbox-status-open"),
        ConversationStatus::Snoozed => t!("inbox-status-snoozed"),
        ConversationStatus::Closed => t!("inbox-status-closed"),
    }
}

fn outcome_name(outcome: ConversationOutcome) -> String {
    match outcome {
        ConversationOutcome::Resolved => t!("inbox-outcome-resolved"),
        ConversationOutcome::Abandoned => t!("inbox-outcome-abandoned"),
        ConversationOutcome::Expired => t!("inbox-outcome-expired"),
    }
}

fn channel_name(channel: Channel) -> String {
    match channel {
        Channel::Widget => t!("inbox-channel-widget"),
    }
}

fn contact_kind_name(kind: ContactKind) -> String {
    match kind {
        ContactKind::Guest => t!("inbox-contact-guest"),
        ContactKind::Lead => t!("inbox-contact-lead"),
        ContactKind::Customer => t!("inbox-contact-customer"),
    }
}

/// A day in milliseconds.
const DAY_MS: i64 = 24 * 3600 * 1000;

/// The start of a `YYYY-MM-DD` day in the browser's timezone, as Unix ms (`None` when
/// empty or not a date; the server renders no value).
fn day_start(value: &str) -> Option<i64> {
    if value.is_empty() {
        return None;
    }
    #[cfg(feature = "hydrate")]
    {
        let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!("{value}T00:00:00"))).get_time();
        ms.is_finite().then_some(ms as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// The `YYYY-MM-DD` day (browser timezone) of a Unix ms time, for a date input.
fn day_of(ms: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        format!("{:04}-{:02}-{:02}", date.get_full_year(), date.get_month() + 1, date.get_date())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
        String::new()
    }
}

/// Puts `options` (value, text) into a `<select>` after its first option (the "any"
/// choice) and selects `value`. Done on the element once the options arrive, never in
/// the view: the server renders none, and options rendered by a closure whose data
/// arrived before the browser hydrated that part of the page made its tree differ from
/// the server's (an unrecoverable hydration error that left the inbox dead).
fn fill_options(select: NodeRef<leptos::html::Select>, options: &[(String, String)], value: &str) {
    #[cfg(feature = "hydrate")]
    {
        let (Some(select), Some(document)) = (select.get(), web_sys::window().and_then(|w| w.document())) else {
            return;
        };
        while select.length() > 1 {
            select.remove_with_index(select.length() as i32 - 1);
        }
        for (option_value, text) in options {
            if let Ok(option) = document.create_element("option") {
                let _ = option.set_attribute("value", option_value);
                option.set_text_content(Some(text));
                let _ = select.append_child(&option);
            }
        }
        select.set_value(value);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (select, options, value);
}
