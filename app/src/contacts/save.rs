//! "Save contact" in a conversation's header: name, email, phone, labels and custom
//! fields of the person writing; a guest becomes a lead. The header's name links to the
//! contact page.

use leptos::html::Input;
use leptos::prelude::*;

use crate::i18n::Said;
use std::collections::BTreeMap;

use parley_types::{Contact, ConversationSummary, LabelId, SaveContact};

use super::api::{ListContactFields, SaveConversationContact as SaveContactAction};
use super::page::CustomInput;
use super::{FieldProblem, field_problem};
use crate::conversations::ListLabels;
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn SaveContactButton(summary: RwSignal<ConversationSummary>) -> impl IntoView {
    let frame = use_frame();
    let open = RwSignal::new(false);
    let save = ServerAction::<SaveContactAction>::new();
    let labels = ServerAction::<ListLabels>::new();
    let chosen = RwSignal::new(Vec::<LabelId>::new());
    let fields = ServerAction::<ListContactFields>::new();
    // Custom values typed in this form, by key (untouched fields are left as they are).
    let edits = RwSignal::new(BTreeMap::<String, String>::new());
    let unknown = RwSignal::new(None::<Contact>);
    let (name, email, phone) = (NodeRef::<Input>::new(), NodeRef::<Input>::new(), NodeRef::<Input>::new());
    Effect::new(move |_| {
        if open.get() {
            labels.dispatch(ListLabels {});
            fields.dispatch(ListContactFields {});
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(contact)) = save.value().get() {
            open.set(false);
            chosen.set(Vec::new());
            edits.set(BTreeMap::new());
            frame.toasts.success(t!("contacts-saved", name = contact.name.clone(), kind = contact.kind.as_str()));
        }
    });
    let value = |node: NodeRef<Input>| node.get().map(|i| i.value()).unwrap_or_default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveContactAction {
            conversation: summary.read_untracked().id,
            contact: SaveContact {
                name: value(name),
                email: value(email),
                phone: value(phone),
                labels: chosen.get_untracked(),
                custom: edits.get_untracked(),
            },
        });
    };
    let problem = move |field: &'static str| field_problem(save.value(), field);
    let other_error =
        move || save.value().get().and_then(Result::err).filter(|err| err.fields.is_empty()).map(|err| err.said());
    let profile = move || crate::frame::ws_path(&format!("/contacts/{}", summary.read().contact_id));
    // A generated guest name is no name: the field starts empty for guests.
    let initial_name = move || {
        let s = summary.read();
        if s.contact_name.starts_with("Guest ") { String::new() } else { s.contact_name.clone() }
    };
    view! {
        <a class="contact-link" href=profile>{t!("contacts-profile-link")}</a>
        <button type="button" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
            {t!("contacts-save-contact")}
        </button>
        <Show when=move || open.get()>
            <form class="save-contact" aria-label=t!("contacts-save-contact") on:submit=submit>
                <label>{t!("contacts-name")}" " <input node_ref=name required maxlength="100" prop:value=initial_name/></label>
                <FieldProblem problem=problem("name")/>
                <label>{t!("contacts-email")}" " <input node_ref=email type="email"/></label>
                <FieldProblem problem=problem("email")/>
                <label>{t!("contacts-phone")}" " <input node_ref=phone type="tel" placeholder="+49 30 123456"/></label>
                <FieldProblem problem=problem("phone")/>
                <fieldset>
                    <legend>{t!("contacts-save-labels")}</legend>
                    <For each=move || labels.value().get().and_then(Result::ok).unwrap_or_default() key=|l| (l.id, l.name.clone()) let(l)>
                        {
                            let id = l.id;
                            view! {
                                <label>
                                    <input type="checkbox" on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                                    }/>
                                    {l.name}
                                </label>
                            }
                        }
                    </For>
                </fieldset>
                <For each=move || fields.value().get().and_then(Result::ok).unwrap_or_default() key=|f| f.id let(field)>
                    <CustomInput field contact=unknown edits answer=save.value()/>
                </For>
                {move || other_error().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                <button type="submit" disabled=move || save.pending().get()>{t!("contacts-save")}</button>
                <span class="hint">{t!("contacts-save-hint")}</span>
            </form>
        </Show>
    }
}
