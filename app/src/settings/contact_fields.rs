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

fn kind_label(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "Text",
        FieldKind::Number => "Number",
        FieldKind::Boolean => "Yes / no",
        FieldKind::Date => "Date",
        FieldKind::Select => "Choice",
        FieldKind::Url => "Link",
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
    frame.toasts.report(create.value(), |f| format!("Field {} added.", f.label));
    frame.toasts.report(update.value(), |f| format!("Field {} saved.", f.label));
    frame.toasts.report(delete.value(), |n| match n {
        0 => "Field deleted.".to_owned(),
        1 => "Field deleted with its 1 value.".to_owned(),
        n => format!("Field deleted with its {n} values."),
    });
    let fields = move || live.get().or_else(|| list.value().get().and_then(Result::ok)).unwrap_or_default();
    let problem = move |field: &'static str| field_problem(create.value(), field);
    view! {
        <section class="settings" aria-label="Contact fields settings">
            <h2>"Contact fields"</h2>
            <p>"Your own fields on every contact: operators fill them in on the contact's page, the widget's setAttributes may write those you allow."</p>
            <ActionForm action=create attr:class="field-form" attr:aria-label="New field">
                <label>"Label " <input name="field[label]" required maxlength="60"/></label>
                <FieldProblem problem=problem("label")/>
                <label>"Key " <input name="field[key]" required maxlength="40" placeholder="plan_name"/></label>
                <FieldProblem problem=problem("key")/>
                <label>
                    "Type "
                    <select name="field[kind]">
                        {FieldKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{kind_label(*k)}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Options (one per line, for a choice) " <textarea name="field[options]"></textarea></label>
                <FieldProblem problem=problem("options")/>
                <label><input type="checkbox" name="field[widget_writable]" value="true"/>" Writable from the widget"</label>
                <label><input type="checkbox" name="field[in_prechat]" value="true"/>" Ask in the pre-chat form"</label>
                <label><input type="checkbox" name="field[required]" value="true"/>" Required there"</label>
                <button type="submit" disabled=move || create.pending().get()>"Add field"</button>
            </ActionForm>
            <table class="field-table" aria-label="Contact fields">
                <thead><tr><th>"Label"</th><th>"Key"</th><th>"Type"</th><th>"Values"</th><th></th></tr></thead>
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
    let warning = match field.values {
        0 => format!("Delete {}? No contact has a value.", field.label),
        1 => format!("Delete {} and its 1 value?", field.label),
        n => format!("Delete {} and its {n} values?", field.label),
    };
    let edit = format!("Edit {}", field.label);
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
                    <input name="field[label]" aria-label="Label" value=field.label.clone() required maxlength="60"/>
                    <label><input type="checkbox" name="field[widget_writable]" value="true" checked=field.widget_writable/>" Widget"</label>
                    <label><input type="checkbox" name="field[in_prechat]" value="true" checked=field.in_prechat/>" Pre-chat"</label>
                    <label><input type="checkbox" name="field[required]" value="true" checked=field.required/>" Required"</label>
                    <button type="submit">"Save"</button>
                </ActionForm>
            </td>
            <td><code>{shown_key}</code></td>
            <td>{kind_label(kind)}{shown_options}</td>
            <td>{field.values}</td>
            <td>
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="button" on:click=move |_| confirming.set(true)>"Delete"</button>
                }>
                    <span role="alert">{warning.clone()}</span>
                    <button type="button" on:click=move |_| { delete.dispatch(DeleteContactField { id }); }>"Delete for good"</button>
                    <button type="button" on:click=move |_| confirming.set(false)>"Keep"</button>
                </Show>
            </td>
        </tr>
    }
}
