//! `/settings/labels`: the workspace's conversation labels. Owners and admins add,
//! rename, recolour and delete them; every open inbox sees the change at once.

use leptos::prelude::*;
use parley_types::{Label, OperatorEvent};

use super::api::{CreateLabel, DeleteLabel, UpdateLabel};
use crate::conversations::{LabelChip, list_labels};
use crate::frame::use_frame;
use crate::t;

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
    frame.toasts.report(create.value(), |label| t!("admin-label-added", name = label.name.clone()));
    frame.toasts.report(update.value(), |label| t!("admin-label-saved", name = label.name.clone()));
    frame.toasts.report(delete.value(), |n| t!("admin-label-deleted", count = n));
    let labels = move || live.get().or_else(|| loaded.get().and_then(Result::ok)).unwrap_or_default();
    view! {
        <section class="settings" aria-label=t!("admin-labels-settings")>
            <h2>{t!("admin-labels-title")}</h2>
            <p>{t!("admin-labels-hint")}</p>
            <ActionForm action=create attr:class="label-form" attr:aria-label=t!("admin-label-new")>
                <label>{t!("admin-label-name")}" " <input name="name" required maxlength="50"/></label>
                <label>{t!("admin-label-colour")}" " <input type="color" name="colour" value="#1c7ed6"/></label>
                <button type="submit" disabled=move || create.pending().get()>{t!("admin-label-add")}</button>
            </ActionForm>
            <Transition fallback=|| view! { <p class="notice">{t!("admin-loading")}</p> }>
                <ul class="label-list" aria-label=t!("admin-labels-list")>
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
    let (edit, remove) =
        (t!("admin-label-edit", name = label.name.clone()), t!("admin-label-delete-named", name = label.name.clone()));
    let (name, colour) = (label.name.clone(), label.colour.clone());
    view! {
        <li>
            <LabelChip label/>
            <ActionForm action=update attr:class="label-form" attr:aria-label=edit>
                <input type="hidden" name="id" value=id/>
                <input name="name" aria-label=t!("admin-label-name") value=name required maxlength="50"/>
                <input type="color" name="colour" aria-label=t!("admin-label-colour") value=colour/>
                <button type="submit">{t!("admin-save")}</button>
            </ActionForm>
            <ActionForm action=delete>
                <input type="hidden" name="id" value=id_again/>
                <button type="submit" aria-label=remove>{t!("admin-delete")}</button>
            </ActionForm>
        </li>
    }
}
