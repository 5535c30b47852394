//! `/contacts`: the workspace's contacts, newest seen first: search by name, email, phone
//! or id; filter by type, label, last seen, created and open conversation; load more;
//! segments (saved filters with live counts); bulk labels; for admins, delete and a CSV
//! export of the current filter. Rows change live when a colleague edits a contact.

use leptos::prelude::*;
use leptos_router::components::A;
use parley_types::{Contact, ContactCursor, ContactFilter, ContactId, ContactKind, Label, LabelId, OperatorEvent};

use std::collections::BTreeSet;

use super::api::{BulkLabelContacts, DeleteContacts, DeleteSegment, ListContacts, ListSegments, SaveSegment};
use super::kind_label;
use crate::conversations::{LabelChip, ListLabels, clock_time};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn ContactsPage() -> impl IntoView {
    let frame = use_frame();
    let (query, kind, label, open_only) = (
        RwSignal::new(String::new()),
        RwSignal::new(None::<ContactKind>),
        RwSignal::new(None::<LabelId>),
        RwSignal::new(false),
    );
    let first = ServerAction::<ListContacts>::new();
    let more = ServerAction::<ListContacts>::new();
    let labels = ServerAction::<ListLabels>::new();
    let rows = RwSignal::new(Vec::<Contact>::new());
    let (total, next, loaded) = (RwSignal::new(0u64), RwSignal::new(None::<ContactCursor>), RwSignal::new(false));
    let (seen, created) = (RwSignal::new(None::<u32>), RwSignal::new(None::<u32>));
    let filter = move || ContactFilter {
        query: query.get(),
        kinds: kind.get().into_iter().collect(),
        label: label.get(),
        open_conversation: open_only.get(),
        seen_within_days: seen.get(),
        created_within_days: created.get(),
        ..Default::default()
    };
    let selected = RwSignal::new(BTreeSet::<parley_types::ContactId>::new());
    let segment_name = RwSignal::new(String::new());
    let segments = ServerAction::<ListSegments>::new();
    let save_segment = ServerAction::<SaveSegment>::new();
    let delete_segment = ServerAction::<DeleteSegment>::new();
    let bulk = ServerAction::<BulkLabelContacts>::new();
    let delete = ServerAction::<DeleteContacts>::new();
    Effect::new(move |_| {
        segments.dispatch(ListSegments {});
    });
    frame.toasts.report(save_segment.value(), |s| t!("contacts-segment-saved", name = s.name.clone(), count = s.count));
    frame.toasts.report(delete_segment.value(), |()| t!("contacts-segment-deleted"));
    frame.toasts.report(bulk.value(), |n| t!("contacts-bulk-labelled", count = n));
    frame.toasts.report(delete.value(), |n| t!("contacts-deleted", count = n));
    let admin = frame.allows(parley_types::Capability::ManageContacts);
    let exporter = frame.allows(parley_types::Capability::ExportContacts);
    // The export link carries the filter the list shows.
    let export_href = move || {
        let mut url = crate::frame::ws_path(&format!("/exports/contacts.csv?query={}", encode(&query.get())));
        if let Some(k) = kind.get() {
            url.push_str(&format!("&kind={k}"));
        }
        if let Some(l) = label.get() {
            url.push_str(&format!("&label={l}"));
        }
        if open_only.get() {
            url.push_str("&open=true");
        }
        if let Some(d) = seen.get() {
            url.push_str(&format!("&seen_days={d}"));
        }
        if let Some(d) = created.get() {
            url.push_str(&format!("&created_days={d}"));
        }
        url
    };
    // Loaded in the browser once hydrated, again whenever the filter changes.
    Effect::new(move |_| {
        first.dispatch(ListContacts { filter: filter(), after: None });
    });
    Effect::new(move |_| {
        labels.dispatch(ListLabels {});
    });
    Effect::new(move |_| match first.value().get() {
        Some(Ok(page)) => {
            rows.set(page.contacts);
            total.set(page.total);
            next.set(page.next);
            loaded.set(true);
        }
        Some(Err(err)) => frame.toasts.error(err),
        None => {}
    });
    Effect::new(move |_| match more.value().get() {
        Some(Ok(page)) => {
            rows.update(|r| r.extend(page.contacts));
            next.set(page.next);
        }
        Some(Err(err)) => frame.toasts.error(err),
        None => {}
    });
    frame.realtime.on_event(move |event| match event {
        OperatorEvent::ContactChanged { contact, .. } => {
            rows.update(|r| {
                if let Some(row) = r.iter_mut().find(|row| row.id == contact.id) {
                    *row = contact.clone();
                }
            });
            // Segment counts follow changes (one reload at a time).
            if !segments.pending().get_untracked() {
                segments.dispatch(ListSegments {});
            }
        }
        OperatorEvent::ContactsRemoved { ids } => {
            rows.update(|r| r.retain(|c| !ids.contains(&c.id)));
            selected.update(|s| s.retain(|c| !ids.contains(c)));
            segments.dispatch(ListSegments {});
        }
        OperatorEvent::SegmentsChanged => {
            segments.dispatch(ListSegments {});
        }
        _ => {}
    });
    frame.realtime.on_reconnect(move || {
        first.dispatch(ListContacts {
            filter: filter_untracked(query, kind, label, open_only, seen, created),
            after: None,
        });
    });
    let all_labels = move || labels.value().get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="contacts" aria-label=t!("contacts-title")>
            <h1>{t!("contacts-title")}</h1>
            <form class="contact-filters" role="search" on:submit=|ev| ev.prevent_default()>
                <input
                    type="search"
                    aria-label=t!("contacts-search")
                    placeholder=t!("contacts-search-placeholder")
                    maxlength="100"
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <select aria-label=t!("contacts-type") on:change=move |ev| kind.set(event_target_value(&ev).parse().ok())>
                    <option value="">{t!("contacts-all-types")}</option>
                    {ContactKind::ALL
                        .iter()
                        .map(|k| view! { <option value=k.as_str()>{kind_label(*k)}</option> })
                        .collect_view()}
                </select>
                <select aria-label=t!("contacts-label") on:change=move |ev| label.set(event_target_value(&ev).parse().ok().map(LabelId))>
                    <option value="">{t!("contacts-any-label")}</option>
                    <For each=all_labels key=|l| (l.id, l.name.clone()) let(l)>
                        <option value=l.id.to_string()>{l.name}</option>
                    </For>
                </select>
                <select aria-label=t!("contacts-last-seen") on:change=move |ev| seen.set(event_target_value(&ev).parse().ok())>
                    <option value="">{t!("contacts-seen-any-time")}</option>
                    <option value="1">{t!("contacts-seen-today")}</option>
                    <option value="7">{t!("contacts-seen-this-week")}</option>
                    <option value="30">{t!("contacts-seen-this-month")}</option>
                </select>
                <select aria-label=t!("contacts-created") on:change=move |ev| created.set(event_target_value(&ev).parse().ok())>
                    <option value="">{t!("contacts-created-any-time")}</option>
                    <option value="1">{t!("contacts-created-today")}</option>
                    <option value="7">{t!("contacts-created-this-week")}</option>
                    <option value="30">{t!("contacts-created-this-month")}</option>
                </select>
                <label>
                    <input type="checkbox" on:change=move |ev| open_only.set(event_target_checked(&ev))/>
                    " "{t!("contacts-with-open-conversation")}
                </label>
            </form>
            <nav class="segments" aria-label=t!("contacts-segments")>
                <For each=move || segments.value().get().and_then(Result::ok).unwrap_or_default() key=|s| (s.id, s.count) let(segment)>
                    {
                        let (id, applied) = (segment.id, segment.filter.clone());
                        view! {
                            <span class="segment">
                                <button type="button" class="link" on:click=move |_| {
                                    query.set(applied.query.clone());
                                    kind.set(applied.kinds.first().copied());
                                    label.set(applied.label);
                                    open_only.set(applied.open_conversation);
                                    seen.set(applied.seen_within_days);
                                    created.set(applied.created_within_days);
                                }>{format!("{} ({})", segment.name, segment.count)}</button>
                                <button type="button" class="link" aria-label=t!("contacts-segment-delete", name = segment.name.clone())
                                    on:click=move |_| { delete_segment.dispatch(DeleteSegment { id }); }>"×"</button>
                            </span>
                        }
                    }
                </For>
                <form class="save-segment" on:submit=move |ev| {
                    ev.prevent_default();
                    let name = segment_name.get_untracked();
                    save_segment.dispatch(SaveSegment { name, filter: filter_untracked(query, kind, label, open_only, seen, created) });
                }>
                    <input name="name" aria-label=t!("contacts-segment-name") placeholder=t!("contacts-segment-placeholder") maxlength="60" required
                        prop:value=move || segment_name.get() on:input=move |ev| segment_name.set(event_target_value(&ev))/>
                    <button type="submit">{t!("contacts-segment-save")}</button>
                </form>
            </nav>
            <div class="bulk" role="toolbar" aria-label=t!("contacts-selected-contacts")>
                {move || t!("contacts-selected", count = selected.read().len())}
                <select aria-label=t!("contacts-label-selected") disabled=move || selected.read().is_empty() on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let (on, id) = match value.strip_prefix('-') { Some(id) => (false, id), None => (true, value.as_str()) };
                    if let Ok(id) = id.parse::<i64>() {
                        bulk.dispatch(BulkLabelContacts { ids: selected.get_untracked().into_iter().collect(), label: LabelId(id), on });
                    }
                }>
                    <option value="" selected>{t!("contacts-bulk-label")}</option>
                    <For each=all_labels key=|l| (l.id, l.name.clone()) let(l)>
                        <option value=l.id.to_string()>{t!("contacts-bulk-add", name = l.name.clone())}</option>
                        <option value=format!("-{}", l.id)>{t!("contacts-bulk-remove", name = l.name.clone())}</option>
                    </For>
                </select>
                <Show when=move || admin.get()>
                    <button type="button" disabled=move || selected.read().is_empty() on:click=move |_| {
                        delete.dispatch(DeleteContacts { ids: selected.get_untracked().into_iter().collect() });
                    }>{t!("contacts-delete-selected")}</button>
                </Show>
                <Show when=move || exporter.get()>
                    <a href=export_href download>{t!("contacts-export-csv")}</a>
                </Show>
            </div>
            <Show when=move || admin.get()>
                <super::import::ImportPanel/>
            </Show>
            <p class="count" role="status">
                {move || match (loaded.get(), total.get()) {
                    (false, _) => t!("contacts-loading"),
                    (true, n) => t!("contacts-count", count = n),
                }}
            </p>
            <table class="contact-table">
                <thead>
                    <tr>
                        <th><span class="visually-hidden">{t!("contacts-select")}</span></th>
                        <th>{t!("contacts-name")}</th>
                        <th>{t!("contacts-type")}</th>
                        <th>{t!("contacts-email")}</th>
                        <th>{t!("contacts-phone")}</th>
                        <th>{t!("contacts-labels")}</th>
                        <th>{t!("contacts-last-seen")}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=row_key let(contact)>
                        <ContactRow contact all_labels=Signal::derive(all_labels) selected/>
                    </For>
                </tbody>
            </table>
            <Show when=move || next.get().is_some()>
                <button
                    type="button"
                    disabled=move || more.pending().get()
                    on:click=move |_| {
                        more.dispatch(ListContacts {
                            filter: filter_untracked(query, kind, label, open_only, seen, created),
                            after: next.get_untracked(),
                        });
                    }
                >
                    {t!("contacts-load-more")}
                </button>
            </Show>
        </section>
    }
}

/// What a row shows: it is drawn again when any of it changes.
fn row_key(c: &Contact) -> (ContactId, String, ContactKind, Option<String>, Option<String>, Vec<LabelId>, i64) {
    (c.id, c.name.clone(), c.kind, c.email.clone(), c.phone.clone(), c.labels.clone(), c.last_seen_at_ms)
}

fn filter_untracked(
    query: RwSignal<String>,
    kind: RwSignal<Option<ContactKind>>,
    label: RwSignal<Option<LabelId>>,
    open_only: RwSignal<bool>,
    seen: RwSignal<Option<u32>>,
    created: RwSignal<Option<u32>>,
) -> ContactFilter {
    ContactFilter {
        query: query.get_untracked(),
        kinds: kind.get_untracked().into_iter().collect(),
        label: label.get_untracked(),
        open_conversation: open_only.get_untracked(),
        seen_within_days: seen.get_untracked(),
        created_within_days: created.get_untracked(),
        ..Default::default()
    }
}

/// A query-string value, percent-encoded.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
fn ContactRow(
    contact: Contact,
    all_labels: Signal<Vec<Label>>,
    selected: RwSignal<BTreeSet<parley_types::ContactId>>,
) -> impl IntoView {
    let href = crate::frame::ws_path(&format!("/contacts/{}", contact.id));
    let id = contact.id;
    let pick = t!("contacts-select-row", name = contact.name.clone());
    let ids = contact.labels.clone();
    let chips = move || {
        all_labels
            .get()
            .into_iter()
            .filter(|l| ids.contains(&l.id))
            .map(|label| view! { <LabelChip label/> })
            .collect_view()
    };
    view! {
        <tr>
            <td>
                <input type="checkbox" aria-label=pick prop:checked=move || selected.read().contains(&id)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| if on { s.insert(id); } else { s.remove(&id); });
                    }/>
            </td>
            // Text is always inserted as text.
            <td><A href=href>{contact.name}</A></td>
            <td>{kind_label(contact.kind)}</td>
            <td>{contact.email.unwrap_or_default()}</td>
            <td>{contact.phone.unwrap_or_default()}</td>
            <td class="labels">{chips}</td>
            <td>{clock_time(contact.last_seen_at_ms)}</td>
        </tr>
    }
}
