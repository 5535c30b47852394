//! `/contacts/:id`: a contact's editable profile, labels, the team's notes and their
//! conversations. Loaded once hydrated; kept live by `ContactChanged` and
//! `ConversationChanged`.

use std::collections::BTreeMap;

use leptos::html::{Input, Select};
use leptos::prelude::*;

use crate::i18n::Said;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use parley_types::{
    Contact, ContactField, ContactId, ContactKind, ContactNote, ContactUpdate, ConversationSummary, FieldKind, Label,
    LabelId, OperatorEvent, TimelineEntry,
};

use super::api::{
    AddContactNote, DeleteContactNote, GetContact, LabelContact, ListContactFields, MergeContacts, UpdateContact,
};
use super::{FieldProblem, field_problem, kind_label};
use crate::ApiError;
use crate::conversations::mentions::{MentionList, MentionPicker};
use crate::conversations::{LabelChip, ListLabels, clock_time};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn ContactPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<i64>().ok()).map(ContactId));
    let frame = use_frame();
    let detail = ServerAction::<GetContact>::new();
    let labels = ServerAction::<ListLabels>::new();
    let field_list = ServerAction::<ListContactFields>::new();
    let live_fields = RwSignal::new(None::<Vec<ContactField>>);
    let contact = RwSignal::new(None::<Contact>);
    let notes = RwSignal::new(Vec::<ContactNote>::new());
    let conversations = RwSignal::new(Vec::<ConversationSummary>::new());
    let timeline = RwSignal::new(Vec::<TimelineEntry>::new());
    let reload = move || {
        if let Some(id) = id.get_untracked() {
            detail.dispatch(GetContact { id });
        }
    };
    Effect::new(move |_| {
        if let Some(id) = id.get() {
            detail.dispatch(GetContact { id });
        }
    });
    Effect::new(move |_| {
        labels.dispatch(ListLabels {});
        field_list.dispatch(ListContactFields {});
    });
    Effect::new(move |_| {
        if let Some(Ok(d)) = detail.value().get() {
            contact.set(Some(d.contact));
            notes.set(d.notes);
            conversations.set(d.conversations);
            timeline.set(d.timeline);
        }
    });
    frame.realtime.on_event(move |event| match event {
        OperatorEvent::ContactChanged { contact: changed, notes: notes_changed }
            if Some(changed.id) == id.get_untracked() =>
        {
            contact.set(Some(changed.clone()));
            if *notes_changed {
                reload();
            }
        }
        OperatorEvent::ConversationChanged { conversation } if Some(conversation.contact_id) == id.get_untracked() => {
            conversations.update(|list| {
                list.retain(|c| c.id != conversation.id);
                list.push(conversation.clone());
                list.sort_by_key(|c| std::cmp::Reverse((c.last_activity_ms, c.id)));
            });
        }
        OperatorEvent::ContactActivity { contact_id } if Some(*contact_id) == id.get_untracked() => reload(),
        OperatorEvent::LabelsChanged { .. } => {
            labels.dispatch(ListLabels {});
        }
        OperatorEvent::ContactFieldsChanged { fields } => live_fields.set(Some(fields.clone())),
        _ => {}
    });
    frame.realtime.on_reconnect(reload);
    let all_labels = Signal::derive(move || labels.value().get().and_then(Result::ok).unwrap_or_default());
    let fields = Signal::derive(move || {
        live_fields.get().or_else(|| field_list.value().get().and_then(Result::ok)).unwrap_or_default()
    });
    let failed = move || detail.value().get().and_then(Result::err);
    view! {
        <section class="contact-page" aria-label=t!("contacts-contact")>
            <p><A href=crate::frame::ws_path("/contacts")>{t!("contacts-back")}</A></p>
            {move || failed().map(|err| view! { <p class="error" role="alert">{err.said()}</p> })}
            <Show when=move || contact.read().is_some() fallback=move || view! { <Show when=move || failed().is_none()><p class="notice">{t!("contacts-loading")}</p></Show> }>
                <Duplicate contact/>
                <Profile contact fields/>
                <ContactLabels contact all_labels/>
                <Notes contact notes/>
                <Conversations conversations/>
                <Timeline timeline/>
            </Show>
        </section>
    }
}

/// The contact's profile as a form: saved with every field at once; each wrong field
/// says why beside it.
#[component]
fn Profile(contact: RwSignal<Option<Contact>>, fields: Signal<Vec<ContactField>>) -> impl IntoView {
    let frame = use_frame();
    let update = ServerAction::<UpdateContact>::new();
    frame.toasts.report(update.value(), |c| t!("contacts-profile-saved", name = c.name));
    let (name, email, phone, timezone, language) = (
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
    );
    let kind = NodeRef::<Select>::new();
    // Custom values typed since the last save, by key.
    let edits = RwSignal::new(BTreeMap::<String, String>::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = update.value().get() {
            edits.set(BTreeMap::new());
        }
    });
    let field =
        move |get: fn(&Contact) -> Option<String>| move || contact.read().as_ref().and_then(get).unwrap_or_default();
    let value = |node: NodeRef<Input>| node.get().map(|i| i.value()).unwrap_or_default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = contact.get_untracked() else { return };
        let chosen = kind.get().and_then(|s| s.value().parse::<ContactKind>().ok());
        update.dispatch(UpdateContact {
            id: current.id,
            update: ContactUpdate {
                name: value(name),
                email: value(email),
                phone: value(phone),
                timezone: value(timezone),
                language: value(language),
                kind: chosen.filter(|k| *k != current.kind),
                custom: {
                    let mut custom = current.custom.clone();
                    custom.extend(edits.get_untracked());
                    custom
                },
            },
        });
    };
    let answer = update.value();
    let problem = move |field: &str| field_problem(answer, field.to_owned());
    let seen = move || contact.read().as_ref().map(|c| (c.created_at_ms, c.last_seen_at_ms));
    let device = move || contact.read().as_ref().map(|c| device_text(c.browser.clone(), c.os.clone()));
    view! {
        <form class="contact-profile" aria-label=t!("contacts-profile") on:submit=submit>
            <h1>{move || contact.read().as_ref().map(|c| c.name.clone()).unwrap_or_default()}</h1>
            <label>{t!("contacts-name")}" " <input node_ref=name name="name" required maxlength="100" prop:value=field(|c| Some(c.name.clone()))/></label>
            <FieldProblem problem=problem("name")/>
            <label>{t!("contacts-email")}" " <input node_ref=email name="email" type="email" prop:value=field(|c| c.email.clone())/></label>
            <FieldProblem problem=problem("email")/>
            <label>{t!("contacts-phone")}" " <input node_ref=phone name="phone" type="tel" placeholder="+49 30 123456" prop:value=field(|c| c.phone.clone())/></label>
            <FieldProblem problem=problem("phone")/>
            <label>{t!("contacts-timezone")}" " <input node_ref=timezone name="timezone" placeholder="Europe/Berlin" prop:value=field(|c| c.timezone.clone())/></label>
            <FieldProblem problem=problem("timezone")/>
            <label>{t!("contacts-language")}" " <input node_ref=language name="language" placeholder="en" prop:value=field(|c| c.language.clone())/></label>
            <FieldProblem problem=problem("language")/>
            <label>
                {t!("contacts-type")}" "
                <select node_ref=kind name="kind" prop:value=move || contact.read().as_ref().map(|c| c.kind.as_str()).unwrap_or_default()>
                    {ContactKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{kind_label(*k)}</option> }).collect_view()}
                </select>
            </label>
            <For each=move || fields.get() key=|f| format!("{f:?}") let(field)>
                <CustomInput field contact edits answer/>
            </For>
            {move || contact.read().as_ref().and_then(|c| c.external_id.clone().map(|id| (id, c.verified))).map(|(id, verified)| view! {
                <p class="contact-identity">
                    {t!("contacts-external-id")}" " <code>{id}</code>
                    " "{if verified { t!("contacts-verified") } else { t!("contacts-not-verified") }}
                </p>
            })}
            <p class="contact-meta">
                {move || seen().map(|(created, seen)| {
                    t!("contacts-first-last-seen", first = crate::i18n::date_time(created), last = crate::i18n::date_time(seen))
                })}
                {move || device().filter(|d| !d.is_empty()).map(|d| format!(" · {d}"))}
            </p>
            <button type="submit" disabled=move || update.pending().get()>{t!("contacts-save")}</button>
        </form>
    }
}

/// Browser and operating system: "Firefox on Linux", or whichever of them is known.
fn device_text(browser: Option<String>, os: Option<String>) -> String {
    match (browser, os) {
        (Some(browser), Some(os)) => t!("contacts-device", browser = browser, os = os),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => String::new(),
    }
}

/// A contact that typed another contact's email: a link to it, and for admins a merge.
#[component]
fn Duplicate(contact: RwSignal<Option<Contact>>) -> impl IntoView {
    let frame = use_frame();
    let merge = ServerAction::<MergeContacts>::new();
    frame.toasts.report(merge.value(), |c| t!("contacts-merged", name = c.name));
    let pair = move || contact.read().as_ref().and_then(|c| c.possible_duplicate_of.map(|other| (c.id, other)));
    let admin = frame.allows(parley_types::Capability::ManageContacts);
    move || {
        pair().map(|(me, other)| {
            // One sentence with the link inside: split where the link goes.
            const LINK: &str = "\u{E000}";
            let sentence = t!("contacts-duplicate", contact = LINK);
            let (before, after) = sentence.split_once(LINK).unwrap_or((sentence.as_str(), ""));
            let (before, after) = (before.to_owned(), after.to_owned());
            view! {
                <p class="duplicate" role="note">
                    {before}
                    <A href=crate::frame::ws_path(&format!("/contacts/{other}"))>
                        {t!("contacts-duplicate-link", id = other.to_string())}
                    </A>
                    {after}
                    <Show when=move || admin.get()>
                        " "
                        <button type="button" on:click=move |_| { merge.dispatch(MergeContacts { primary: me, other }); }>
                            {t!("contacts-merge")}
                        </button>
                    </Show>
                </p>
            }
        })
    }
}

/// One custom field's input, typed by the field (its problem beside it).
#[component]
pub(super) fn CustomInput(
    field: ContactField,
    contact: RwSignal<Option<Contact>>,
    edits: RwSignal<BTreeMap<String, String>>,
    answer: MappedSignal<Option<Result<Contact, ApiError>>>,
) -> impl IntoView {
    let key = field.key.clone();
    let problem = field_problem(answer, format!("custom.{key}"));
    let current = {
        let key = key.clone();
        move || contact.read().as_ref().and_then(|c| c.custom.get(&key).cloned()).unwrap_or_default()
    };
    let on_input = {
        let key = key.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            edits.update(|e| {
                e.insert(key.clone(), value);
            });
        }
    };
    let control = match field.kind {
        FieldKind::Boolean => view! {
            <select aria-label=field.label.clone() prop:value=current on:change=on_input>
                <option value="">"—"</option>
                <option value="true">{t!("contacts-yes")}</option>
                <option value="false">{t!("contacts-no")}</option>
            </select>
        }
        .into_any(),
        FieldKind::Select => view! {
            <select aria-label=field.label.clone() prop:value=current on:change=on_input>
                <option value="">"—"</option>
                {field.options.iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
            </select>
        }
        .into_any(),
        kind => {
            let input_type = match kind {
                FieldKind::Number => "number",
                FieldKind::Date => "date",
                FieldKind::Url => "url",
                _ => "text",
            };
            view! { <input type=input_type step="any" aria-label=field.label.clone() prop:value=current on:input=on_input/> }
                .into_any()
        }
    };
    view! {
        <label class="custom-field">{format!("{} ", field.label)}{control}</label>
        <FieldProblem problem/>
    }
}

/// The labels (tags) on the contact: each can be taken off; another added from the list.
#[component]
fn ContactLabels(contact: RwSignal<Option<Contact>>, all_labels: Signal<Vec<Label>>) -> impl IntoView {
    let frame = use_frame();
    let set = ServerAction::<LabelContact>::new();
    Effect::new(move |_| {
        if let Some(Err(err)) = set.value().get() {
            frame.toasts.error(err);
        }
    });
    let on_contact = move || contact.read().as_ref().map(|c| c.labels.clone()).unwrap_or_default();
    let id = move || contact.read_untracked().as_ref().map(|c| c.id);
    let (carried, others) = (
        move || all_labels.get().into_iter().filter(|l| on_contact().contains(&l.id)).collect::<Vec<_>>(),
        move || all_labels.get().into_iter().filter(|l| !on_contact().contains(&l.id)).collect::<Vec<_>>(),
    );
    view! {
        <section class="contact-labels" aria-label=t!("contacts-labels")>
            <h2>{t!("contacts-labels")}</h2>
            <ul>
                <For each=carried key=|l| (l.id, l.name.clone(), l.colour.clone()) let(label)>
                    {
                        let (label_id, remove) = (label.id, t!("contacts-label-remove", name = label.name.clone()));
                        view! {
                            <li>
                                <LabelChip label/>
                                <button type="button" class="link" aria-label=remove
                                    on:click=move |_| if let Some(id) = id() { set.dispatch(LabelContact { id, label: label_id, on: false }); }>
                                    "×"
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <select aria-label=t!("contacts-label-add") on:change=move |ev| {
                let value = event_target_value(&ev);
                if let (Some(id), Ok(label)) = (id(), value.parse::<i64>()) {
                    set.dispatch(LabelContact { id, label: LabelId(label), on: true });
                }
            }>
                <option value="" selected>{t!("contacts-label-add-placeholder")}</option>
                <For each=others key=|l| (l.id, l.name.clone()) let(l)>
                    <option value=l.id.to_string()>{l.name}</option>
                </For>
            </select>
        </section>
    }
}

/// The team's notes on the contact, newest first, and a box to add one.
#[component]
fn Notes(contact: RwSignal<Option<Contact>>, notes: RwSignal<Vec<ContactNote>>) -> impl IntoView {
    let frame = use_frame();
    let add = ServerAction::<AddContactNote>::new();
    let delete = ServerAction::<DeleteContactNote>::new();
    let body = RwSignal::new(String::new());
    let mentions = MentionPicker::new(body);
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => body.set(String::new()),
        Some(Err(err)) => frame.toasts.error(err),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(Err(err)) = delete.value().get() {
            frame.toasts.error(err);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(c) = contact.get_untracked() {
            let text = body.get_untracked();
            let mentions = mentions.take(&text);
            add.dispatch(AddContactNote { id: c.id, body: text, mentions });
        }
    };
    view! {
        <section class="contact-notes" aria-label=t!("contacts-notes")>
            <h2>{t!("contacts-notes")}</h2>
            <form on:submit=submit>
                <MentionList picker=mentions/>
                <textarea aria-label=t!("contacts-note-new") maxlength="5000" required prop:value=move || body.get()
                    placeholder=t!("contacts-note-placeholder")
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        mentions.follow(&value);
                        body.set(value);
                    }
                    on:keydown=move |ev| { mentions.key(&ev); }></textarea>
                <button type="submit" disabled=move || add.pending().get()>{t!("contacts-note-add")}</button>
            </form>
            <ul>
                <For each=move || notes.get() key=|n| n.id let(note)>
                    {
                        let (contact_id, note_id) = (note.contact_id, note.id);
                        view! {
                            <li class="contact-note" id=format!("note-{note_id}")>
                                <span class="author">{note.author_name}</span>
                                <span class="time">{clock_time(note.created_at_ms)}</span>
                                // Text is always inserted as text.
                                <p class="text">{note.body}</p>
                                <button type="button" class="link"
                                    on:click=move |_| { delete.dispatch(DeleteContactNote { id: contact_id, note: note_id }); }>
                                    {t!("contacts-note-delete")}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}

/// What the contact did on the site: tracked actions and page visits, newest first.
#[component]
fn Timeline(timeline: RwSignal<Vec<TimelineEntry>>) -> impl IntoView {
    view! {
        <section class="contact-timeline" aria-label=t!("contacts-activity")>
            <h2>{t!("contacts-activity")}</h2>
            <Show when=move || !timeline.read().is_empty() fallback=|| view! { <p class="empty">{t!("contacts-activity-empty")}</p> }>
                <ul>
                    <For each=move || timeline.get() key=|e| e.id let(e)>
                        <li class=format!("timeline-{}", e.kind)>
                            <span class="time">{clock_time(e.at_ms)}</span>
                            " "
                            // Text from the customer's site is always inserted as text.
                            <span class="what">{what_happened(&e)}</span>
                            {(!e.data.is_empty()).then(|| view! { " " <code class="data">{e.data.clone()}</code> })}
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

/// A timeline entry's line: a page visit or a form in the operator's words; an action the
/// customer's site tracked by its own name.
fn what_happened(e: &TimelineEntry) -> String {
    match (e.kind.as_str(), e.name.as_str()) {
        ("page", page) => t!("contacts-visited", page = page.to_owned()),
        // The names Parley stores for its own forms (`lead_form.rs`).
        ("form", "Left an email in the chat") => t!("contacts-form-email"),
        ("form", "Left a message outside business hours") => t!("contacts-form-offline"),
        ("form", "Filled in the pre-chat form") => t!("contacts-form-prechat"),
        ("email", name) => match emailed(name) {
            Some((count, email)) => t!("contacts-emailed", count = count, email = email),
            None => name.to_owned(),
        },
        (_, name) => name.to_owned(),
    }
}

/// The count and address of an "unseen replies emailed" entry, as Parley stores its name
/// (`conversations/continuity.rs`): "Emailed 2 unseen replies to ada@example.com".
fn emailed(name: &str) -> Option<(i64, String)> {
    let (count, rest) = name.strip_prefix("Emailed ")?.split_once(' ')?;
    let email = rest.strip_prefix("unseen reply to ").or_else(|| rest.strip_prefix("unseen replies to "))?;
    Some((count.parse().ok()?, email.to_owned()))
}

/// The contact's conversations, newest activity first.
#[component]
fn Conversations(conversations: RwSignal<Vec<ConversationSummary>>) -> impl IntoView {
    view! {
        <section class="contact-conversations" aria-label=t!("contacts-conversations")>
            <h2>{t!("contacts-conversations")}</h2>
            <Show when=move || !conversations.read().is_empty() fallback=|| view! { <p class="empty">{t!("contacts-conversations-empty")}</p> }>
                <ul>
                    <For each=move || conversations.get() key=|c| (c.id, c.status, c.last_seq, c.last_activity_ms) let(c)>
                        <li>
                            <A href=crate::frame::ws_path(&format!("/inbox/{}", c.id))>{t!("contacts-conversation-link", id = c.id.to_string(), status = c.status.as_str())}</A>
                            " "
                            <span class="time">{clock_time(c.last_activity_ms)}</span>
                            " "
                            <span class="preview">{c.last_message.clone().unwrap_or_default()}</span>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::emailed;

    #[test]
    fn emailed_entries_are_read_back_from_their_stored_name() {
        assert_eq!(emailed("Emailed 2 unseen replies to ada@example.com"), Some((2, "ada@example.com".into())));
        assert_eq!(emailed("Emailed 1 unseen reply to ada@example.com"), Some((1, "ada@example.com".into())));
        assert_eq!(emailed("Emailed the team"), None);
        assert_eq!(emailed("signed_up"), None);
    }
}
