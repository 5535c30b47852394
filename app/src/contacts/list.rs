//! `/contacts`: the workspace's contacts, newest seen first: search by name, email, phone
//! or id; filter by type, label and open conversation; load more. Rows change live when a
//! colleague edits a contact.

use leptos::prelude::*;
use leptos_router::components::A;
use parley_types::{Contact, ContactCursor, ContactFilter, ContactId, ContactKind, Label, LabelId, OperatorEvent};

use super::api::ListContacts;
use super::kind_label;
use crate::conversations::{LabelChip, ListLabels, clock_time};
use crate::frame::use_frame;

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
    let filter = move || ContactFilter {
        query: query.get(),
        kinds: kind.get().into_iter().collect(),
        label: label.get(),
        open_conversation: open_only.get(),
        ..Default::default()
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
    frame.realtime.on_event(move |event| {
        if let OperatorEvent::ContactChanged { contact, .. } = event {
            rows.update(|r| {
                if let Some(row) = r.iter_mut().find(|row| row.id == contact.id) {
                    *row = contact.clone();
                }
            });
        }
    });
    frame.realtime.on_reconnect(move || {
        first.dispatch(ListContacts { filter: filter_untracked(query, kind, label, open_only), after: None });
    });
    let all_labels = move || labels.value().get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="contacts" aria-label="Contacts">
            <h1>"Contacts"</h1>
            <form class="contact-filters" role="search" on:submit=|ev| ev.prevent_default()>
                <input
                    type="search"
                    aria-label="Search contacts"
                    placeholder="Name, email, phone or #id"
                    maxlength="100"
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <select aria-label="Type" on:change=move |ev| kind.set(event_target_value(&ev).parse().ok())>
                    <option value="">"All types"</option>
                    {ContactKind::ALL
                        .iter()
                        .map(|k| view! { <option value=k.as_str()>{kind_label(*k)}</option> })
                        .collect_view()}
                </select>
                <select aria-label="Label" on:change=move |ev| label.set(event_target_value(&ev).parse().ok().map(LabelId))>
                    <option value="">"Any label"</option>
                    <For each=all_labels key=|l| (l.id, l.name.clone()) let(l)>
                        <option value=l.id.to_string()>{l.name}</option>
                    </For>
                </select>
                <label>
                    <input type="checkbox" on:change=move |ev| open_only.set(event_target_checked(&ev))/>
                    " With an open conversation"
                </label>
            </form>
            <p class="count" role="status">
                {move || match (loaded.get(), total.get()) {
                    (false, _) => "Loading…".to_owned(),
                    (true, 1) => "1 contact".to_owned(),
                    (true, n) => format!("{n} contacts"),
                }}
            </p>
            <table class="contact-table">
                <thead>
                    <tr><th>"Name"</th><th>"Type"</th><th>"Email"</th><th>"Phone"</th><th>"Labels"</th><th>"Last seen"</th></tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=row_key let(contact)>
                        <ContactRow contact all_labels=Signal::derive(all_labels)/>
                    </For>
                </tbody>
            </table>
            <Show when=move || next.get().is_some()>
                <button
                    type="button"
                    disabled=move || more.pending().get()
                    on:click=move |_| {
                        more.dispatch(ListContacts {
                            filter: filter_untracked(query, kind, label, open_only),
                            after: next.get_untracked(),
                        });
                    }
                >
                    "Load more"
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
) -> ContactFilter {
    ContactFilter {
        query: query.get_untracked(),
        kinds: kind.get_untracked().into_iter().collect(),
        label: label.get_untracked(),
        open_conversation: open_only.get_untracked(),
        ..Default::default()
    }
}

#[component]
fn ContactRow(contact: Contact, all_labels: Signal<Vec<Label>>) -> impl IntoView {
    let href = format!("/contacts/{}", contact.id);
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
