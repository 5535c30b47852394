//! `/settings/general`: the workspace's name, address, logo, language and time zone
//! (owners and admins); owners also give the workspace to another member or delete it
//! (typing its name; its data goes in a background job).

use leptos::prelude::*;
use parley_types::{APP_LANGUAGES, Capability, OperatorEvent, Role, WorkspaceGeneral};

use super::api::{DeleteWorkspace, ListMembers, SaveWorkspaceGeneral, TransferOwnership, get_workspace_general};
use crate::contacts::{FieldProblem, field_problem};
use crate::frame::use_frame;

#[component]
pub fn GeneralSettingsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| get_workspace_general());
    view! {
        <section class="settings" aria-label="General settings">
            <h2>"General"</h2>
            <Suspense fallback=|| view! { <p class="notice">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(general) => view! { <GeneralForm general/> <OwnerZone/> }.into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn GeneralForm(general: WorkspaceGeneral) -> impl IntoView {
    let frame = use_frame();
    let can_edit = frame.allows(Capability::ManageWorkspace);
    let form = RwSignal::new(general);
    let save = ServerAction::<SaveWorkspaceGeneral>::new();
    frame.toasts.report(save.value(), |g| format!("Saved: {} ({}).", g.name, g.slug));
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            form.set(saved);
        }
    });
    frame.realtime.on_event(move |event| {
        if let OperatorEvent::WorkspaceChanged { general } = event
            && !save.pending().get_untracked()
        {
            form.set(general.clone());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveWorkspaceGeneral { general: form.get_untracked() });
    };
    let text = move |label: &'static str,
                     field: &'static str,
                     get: fn(&WorkspaceGeneral) -> String,
                     set: fn(&mut WorkspaceGeneral, String)| {
        view! {
            <label>
                {label} " "
                <input
                    aria-label=label
                    readonly=move || !can_edit.get()
                    prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|g| set(g, event_target_value(&ev)))
                />
            </label>
            <FieldProblem problem=field_problem(save.value(), field)/>
        }
    };
    view! {
        <form class="general-form" aria-label="Workspace" novalidate on:submit=submit>
            {text("Name", "name", |g| g.name.clone(), |g, v| g.name = v)}
            {text("Address", "slug", |g| g.slug.clone(), |g, v| g.slug = v)}
            {text("Logo (https address)", "logo_url", |g| g.logo_url.clone(), |g, v| g.logo_url = v)}
            <label>
                "Language "
                <select
                    aria-label="Language"
                    disabled=move || !can_edit.get()
                    prop:value=move || form.with(|g| g.language.clone())
                    on:change=move |ev| form.update(|g| g.language = event_target_value(&ev))
                >
                    {APP_LANGUAGES.iter().map(|(code, name)| view! { <option value=*code>{*name}</option> }).collect_view()}
                </select>
            </label>
            {text("Time zone", "timezone", |g| g.timezone.clone(), |g, v| g.timezone = v)}
            {move || {
                save.value().get().and_then(Result::err).filter(|e| e.fields.is_empty()).map(|e| {
                    view! { <p class="error" role="alert">{e.to_string()}</p> }
                })
            }}
            <Show when=move || can_edit.get()>
                <button type="submit" disabled=move || save.pending().get()>"Save"</button>
            </Show>
        </form>
    }
}

/// Owners only: give the workspace away, or delete it.
#[component]
fn OwnerZone() -> impl IntoView {
    let frame = use_frame();
    let is_owner = frame.allows(Capability::OwnWorkspace);
    let members = ServerAction::<ListMembers>::new();
    Effect::new(move |_| {
        if is_owner.get() {
            members.dispatch(ListMembers {});
        }
    });
    let transfer = ServerAction::<TransferOwnership>::new();
    frame.toasts.report(transfer.value(), |()| "Ownership transferred: you are an admin now.".to_owned());
    let delete = ServerAction::<DeleteWorkspace>::new();
    let chosen = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign("/");
            }
        }
    });
    let me = move || frame.member().map(|m| m.user_id);
    let others = move || {
        members
            .value()
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|m| Some(m.user_id) != me() && m.role != Role::Owner)
            .collect::<Vec<_>>()
    };
    view! {
        <Show when=move || is_owner.get()>
            <h3>"Ownership"</h3>
            <form class="transfer-form" aria-label="Transfer ownership" on:submit=move |ev| {
                ev.prevent_default();
                if let Ok(id) = chosen.get_untracked().parse::<i64>() {
                    transfer.dispatch(TransferOwnership { user_id: parley_types::UserId(id) });
                }
            }>
                <label>
                    "Give the workspace to "
                    <select aria-label="New owner" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="">"Choose a member…"</option>
                        {move || others().into_iter().map(|m| view! { <option value=m.user_id.0.to_string()>{m.name}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" disabled=move || chosen.get().is_empty() || transfer.pending().get()>"Transfer ownership"</button>
                {move || transfer.value().get().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
            </form>
            <h3>"Delete the workspace"</h3>
            <form class="delete-form" aria-label="Delete the workspace" on:submit=move |ev| {
                ev.prevent_default();
                delete.dispatch(DeleteWorkspace { name: typed.get_untracked() });
            }>
                <p>"Every conversation, contact and file of this workspace is removed, and its members lose it. This cannot be undone."</p>
                <label>
                    "Type the workspace's name to confirm "
                    <input aria-label="Workspace name to delete" prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                </label>
                <FieldProblem problem=field_problem(delete.value(), "name")/>
                <button type="submit" class="danger" disabled=move || delete.pending().get()>"Delete this workspace"</button>
            </form>
        </Show>
    }
}
