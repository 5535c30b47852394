//! `/settings/labels`: the workspace's conversation labels. Owners and admins add,
//! rename, recolour and delete them; every open inbox sees the change at once.

use leptos::prelude::*;
use parley_types::{Label, OperatorEvent};

use super::api::{CreateLabel, DeleteLabel, UpdateLabel};
use crate::conversations::{LabelChip, list_labels};
use crate::frame::use_frame;

#[component]
pub fn LabelsSettingsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| list_labels());
    let live = RwSignal::new(None::<Vec<Label>>);
    let frame = use_frame();
    frame.realtime.on_event(move |event| {
        if let OperatorEvent::LabelsChanged { labels } = event {
            live.set(Some(labels.clone()));
        }
    });
    let create = ServerAction::<CreateLabel>::new();
    let update = ServerAction::<UpdateLabel>::new();
    let delete = ServerAction::<DeleteLabel>::new();
    // Each answer changes the list (through `LabelsChanged`) or says why not.
    frame.toasts.report(create.value(), |label| format!("Label {} added.", label.name));
    frame.toasts.report(update.value(), |label| format!("Label {} saved.", label.name));
    frame.toasts.report(delete.value(), |n| match n {
        0 => "Label deleted.".to_owned(),
        1 => "Label deleted; it came off 1 conversation.".to_owned(),
        n => format!("Label deleted; it came off {n} conversations."),
    });
    let labels = move || live.get().or_else(|| loaded.get().and_then(Result::ok)).unwrap_or_default();
    view! {
        <section class="settings" aria-label="Labels settings">
            <h2>"Labels"</h2>
            <p>"Operators put labels on conversations from the conversation's header."</p>
            <ActionForm action=create attr:class="label-form" attr:aria-label="New label">
                <label>"Name " <input name="name" required maxlength="50"/></label>
                <label>"Colour " <input type="color" name="colour" value="#1c7ed6"/></label>
                <button type="submit" disabled=move || create.pending().get()>"Add label"</button>
            </ActionForm>
            <Transition fallback=|| view! { <p class="notice">"Loading…"</p> }>
                <ul class="label-list" aria-label="Workspace labels">
                    <For each=labels key=|l| (l.id, l.name.clone(), l.colour.clone()) let(label)>
                        <LabelRow label update delete/>
                    </For>
                </ul>
            </Transition>
        </section>
    }
}

/// One label with its edit and delete forms.
#[component]
fn LabelRow(label: Label, update: ServerAction<UpdateLabel>, delete: ServerAction<DeleteLabel>) -> impl IntoView {
    let (id, id_again) = (label.id.0.to_string(), label.id.0.to_string());
    let (edit, remove) = (format!("Edit {}", label.name), format!("Delete {}", label.name));
    let (name, colour) = (label.name.clone(), label.colour.clone());
    view! {
        <li>
            <LabelChip label/>
            <ActionForm action=update attr:class="label-form" attr:aria-label=edit>
                <input type="hidden" name="id" value=id/>
                <input name="name" aria-label="Name" value=name required maxlength="50"/>
                <input type="color" name="colour" aria-label="Colour" value=colour/>
                <button type="submit">"Save"</button>
            </ActionForm>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=id_again/>
                <button type="submit" aria-label=remove>"Delete"</button>
            </ActionForm>
        </li>
    }
}
