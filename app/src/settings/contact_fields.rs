//! `/settings/contact-fields`: the workspace's custom contact fields. Owners and admins
//! define them (key, label, type, options; writable from the widget, asked in the
//! pre-chat form); a field with values keeps its type, and deleting one says how many
//! values go with it.

use leptos::prelude::*;
use parley_types::{ContactField, FieldKind, OperatorEvent};

use crate::contacts::{
    CreateContactField, DeleteContactField, FieldProblem, ListContactFields, UpdateContactField, field_problem,
};
use crate::frame::use_frame;
use crate::t;

fn kind_label(kind: FieldKind) -> String {
    match kind {
        FieldKind::Text => t!("settings-fields-kind-text"),
        FieldKind::Number => t!("settings-fields-kind-number"),
        FieldKind::Boolean => t!("settings-fields-kind-boolean"),
        FieldKind::Date => t!("settings-fields-kind-date"),
        FieldKind::Select => t!("settings-fields-kind-select"),
        FieldKind::Url => t!("settings-fields-kind-url"),
    }
}

#[component]
pub fn ContactFieldsSettingsPage() -> impl IntoView {
    let frame = use_frame();
    let list = ServerAction::<ListContactFields>::new();
    let live = RwSignal::new(None::<Vec<ContactField>>);
    let create = ServerAction::<CreateContactField>::new();
    let update = ServerAction::<UpdateContactField>::new();
    let delete = ServerAction::<DeleteContactField>::new();
    Effect::new(move |_| {
        list.dispatch(ListContactFields {});
    });
    frame.realtime.on_event(move |event| {
        if let OperatorEvent::ContactFieldsChanged { fields } = event {
            live.set(Some(fields.clone()));
        }
    });
    frame.toasts.report(create.value(), |f| t!("settings-fields-added", name = f.label));
    frame.toasts.report(update.value(), |f| t!("settings-fields-saved", name = f.label));
    frame.toasts.report(delete.value(), |n| t!("settings-fields-deleted", count = n));
    let fields = move || live.get().or_else(|| list.value().get().and_then(Result::ok)).unwrap_or_default();
    let problem = move |field: &'static str| field_problem(create.value(), field);
    view! {
        <section class="settings" aria-label=t!("settings-fields-settings")>
            <h2>{t!("settings-fields-title")}</h2>
            <p>{t!("settings-fields-intro")}</p>
            <ActionForm action=create attr:class="field-form" attr:aria-label=t!("settings-fields-new")>
                <label>{t!("settings-fields-label")}" " <input name="field[label]" required maxlength="60"/></label>
                <FieldProblem problem=problem("label")/>
                <label>{t!("settings-fields-key")}" " <input name="field[key]" required maxlength="40" placeholder="plan_name"/></label>
                <FieldProblem problem=problem("key")/>
                <label>
                    {t!("settings-fields-type")}" "
                    <select name="field[kind]">
                        {FieldKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{kind_label(*k)}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t!("settings-fields-options")}" " <textarea name="field[options]"></textarea></label>
                <FieldProblem problem=problem("options")/>
                <label><input type="checkbox" name="field[widget_writable]" value="true"/>" "{t!("settings-fields-widget-writable")}</label>
                <label><input type="checkbox" name="field[in_prechat]" value="true"/>" "{t!("settings-fields-in-prechat")}</label>
                <label><input type="checkbox" name="field[required]" value="true"/>" "{t!("settings-fields-required-there")}</label>
                <button type="submit" disabled=move || create.pending().get()>{t!("settings-fields-add")}</button>
            </ActionForm>
            <table class="field-table" aria-label=t!("settings-fields-title")>
                <thead>
                    <tr>
                        <th>{t!("settings-fields-label")}</th>
                        <th>{t!("settings-fields-key")}</th>
                        <th>{t!("settings-fields-type")}</th>
                        <th>{t!("settings-fields-values")}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=fields key=|f| format!("{f:?}") let(field)>
                        <FieldRow field update delete/>
                    </For>
                </tbody>
            </table>
        </section>
    }
}

/// One field: its definition, editable, and a delete that first says what it removes.
#[component]
fn FieldRow(
    field: ContactField,
    update: ServerAction<UpdateContactField>,
    delete: ServerAction<DeleteContactField>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let id = field.id;
    let warning = t!("settings-fields-delete-warning", name = field.label.clone(), count = field.values);
    let edit = t!("settings-fields-edit", name = field.label.clone());
    let kind = field.kind;
    let (key, shown_key, options) = (field.key.clone(), field.key.clone(), field.options.join("\n"));
    let shown_options = (!field.options.is_empty()).then(|| format!(": {}", field.options.join(", ")));
    view! {
        <tr>
            <td>
                <ActionForm action=update attr:class="field-edit" attr:aria-label=edit>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="field[key]" value=key/>
                    <input type="hidden" name="field[kind]" value=kind.as_str()/>
                    <input type="hidden" name="field[options]" value=options/>
                    <input name="field[label]" aria-label=t!("settings-fields-label") value=field.label.clone() required maxlength="60"/>
                    <label><input type="checkbox" name="field[widget_writable]" value="true" checked=field.widget_writable/>" "{t!("settings-fields-widget")}</label>
                    <label><input type="checkbox" name="field[in_prechat]" value="true" checked=field.in_prechat/>" "{t!("settings-fields-prechat")}</label>
                    <label><input type="checkbox" name="field[required]" value="true" checked=field.required/>" "{t!("settings-fields-required")}</label>
                    <button type="submit">{t!("settings-fields-save")}</button>
                </ActionForm>
            </td>
            <td><code>{shown_key}</code></td>
            <td>{kind_label(kind)}{shown_options}</td>
            <td>{field.values}</td>
            <td>
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="button" on:click=move |_| confirming.set(true)>{t!("settings-fields-delete")}</button>
                }>
                    <span role="alert">{warning.clone()}</span>
                    <button type="button" on:click=move |_| { delete.dispatch(DeleteContactField { id }); }>{t!("settings-fields-delete-for-good")}</button>
                    <button type="button" on:click=move |_| confirming.set(false)>{t!("settings-fields-keep")}</button>
                </Show>
            </td>
        </tr>
    }
}
