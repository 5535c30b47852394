//! `/settings/general`: the workspace's name, address, logo, language and time zone
//! (owners and admins); owners also give the workspace to another member or delete it
//! (typing its name; its data goes in a background job).

use leptos::prelude::*;

use crate::i18n::Said;
use parley_types::{APP_LANGUAGES, Capability, OperatorEvent, Role, WorkspaceGeneral};

use super::api::{DeleteWorkspace, ListMembers, SaveWorkspaceGeneral, TransferOwnership, get_workspace_general};
use crate::contacts::{FieldProblem, field_problem};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn GeneralSettingsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| get_workspace_general());
    view! {
        <section class="settings" aria-label=t!("settings-general-settings")>
            <h2>{t!("settings-general-title")}</h2>
            <Suspense fallback=|| view! { <p class="notice">{t!("settings-general-loading")}</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(general) => view! { <GeneralForm general/> <OwnerZone/> }.into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.said()}</p> }.into_any(),
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
    frame.toasts.report(save.value(), |g| t!("settings-general-saved", name = g.name, address = g.slug));
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
    let text = move |label: String,
                     field: &'static str,
                     get: fn(&WorkspaceGeneral) -> String,
                     set: fn(&mut WorkspaceGeneral, String)| {
        view! {
            <label>
                {label.clone()} " "
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
        <form class="general-form" aria-label=t!("settings-general-workspace") novalidate on:submit=submit>
            {text(t!("settings-general-name"), "name", |g| g.name.clone(), |g, v| g.name = v)}
            {text(t!("settings-general-address"), "slug", |g| g.slug.clone(), |g, v| g.slug = v)}
            {text(t!("settings-general-logo"), "logo_url", |g| g.logo_url.clone(), |g, v| g.logo_url = v)}
            <label>
                {t!("settings-general-language")}" "
                <select
                    aria-label=t!("settings-general-language")
                    disabled=move || !can_edit.get()
                    prop:value=move || form.with(|g| g.language.clone())
                    on:change=move |ev| form.update(|g| g.language = event_target_value(&ev))
                >
                    {APP_LANGUAGES.iter().map(|(code, name)| view! { <option value=*code>{*name}</option> }).collect_view()}
                </select>
            </label>
            {text(t!("settings-general-time-zone"), "timezone", |g| g.timezone.clone(), |g, v| g.timezone = v)}
            {move || {
                save.value().get().and_then(Result::err).filter(|e| e.fields.is_empty()).map(|e| {
                    view! { <p class="error" role="alert">{e.said()}</p> }
                })
            }}
            <Show when=move || can_edit.get()>
                <button type="submit" disabled=move || save.pending().get()>{t!("settings-general-save")}</button>
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
    frame.toasts.report(transfer.value(), |()| t!("settings-general-transferred"));
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
            <h3>{t!("settings-general-ownership")}</h3>
            <form class="transfer-form" aria-label=t!("settings-general-transfer") on:submit=move |ev| {
                ev.prevent_default();
                if let Ok(id) = chosen.get_untracked().parse::<i64>() {
                    transfer.dispatch(TransferOwnership { user_id: parley_types::UserId(id) });
                }
            }>
                <label>
                    {t!("settings-general-give-to")}" "
                    <select aria-label=t!("settings-general-new-owner") on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="">{t!("settings-general-choose-member")}</option>
                        {move || others().into_iter().map(|m| view! { <option value=m.user_id.0.to_string()>{m.name}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" disabled=move || chosen.get().is_empty() || transfer.pending().get()>{t!("settings-general-transfer")}</button>
                {move || transfer.value().get().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.said()}</p> })}
            </form>
            <h3>{t!("settings-general-delete")}</h3>
            <form class="delete-form" aria-label=t!("settings-general-delete") on:submit=move |ev| {
                ev.prevent_default();
                delete.dispatch(DeleteWorkspace { name: typed.get_untracked() });
            }>
                <p>{t!("settings-general-delete-warning")}</p>
                <label>
                    {t!("settings-general-type-name")}" "
                    <input aria-label=t!("settings-general-name-to-delete") prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                </label>
                <FieldProblem problem=field_problem(delete.value(), "name")/>
                <button type="submit" class="danger" disabled=move || delete.pending().get()>{t!("settings-general-delete-this")}</button>
            </form>
        </Show>
    }
}
