//! `/settings/tokens`: API access tokens. Owners and admins make one (name, scopes,
//! expiry), copy its secret from the one answer that shows it, see who made each and
//! when it was last used, and revoke it. The list follows other admins' changes live.

use leptos::prelude::*;
use parley_types::{API_SCOPES, AccessToken, OperatorEvent};

use super::{CreateAccessToken, ListAccessTokens, RevokeAccessToken};
use crate::contacts::{FieldProblem, field_problem};
use crate::conversations::calendar_date;
use crate::frame::use_frame;
use crate::t;

/// Lifetimes offered, in days (`None`: never expires), with their names' message ids.
const LIFETIMES: [(Option<u32>, &str); 5] = [
    (Some(7), crate::msg!("admin-token-lifetime-7-days")),
    (Some(30), crate::msg!("admin-token-lifetime-30-days")),
    (Some(90), crate::msg!("admin-token-lifetime-90-days")),
    (Some(365), crate::msg!("admin-token-lifetime-1-year")),
    (None, crate::msg!("admin-never")),
];
/// The lifetime offered first: 90 days.
const DEFAULT_LIFETIME: usize = 2;

#[component]
pub fn TokensSettingsPage() -> impl IntoView {
    let frame = use_frame();
    let list = ServerAction::<ListAccessTokens>::new();
    let create = ServerAction::<CreateAccessToken>::new();
    let revoke = ServerAction::<RevokeAccessToken>::new();
    Effect::new(move |_| {
        list.dispatch(ListAccessTokens {});
    });
    frame.realtime.on_event(move |event| {
        if matches!(event, OperatorEvent::AccessTokensChanged) {
            list.dispatch(ListAccessTokens {});
        }
    });
    frame.toasts.report(revoke.value(), |_| t!("admin-token-revoked"));
    let name = RwSignal::new(String::new());
    let scopes = RwSignal::new(Vec::<String>::new());
    let lifetime = RwSignal::new(DEFAULT_LIFETIME);
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
            scopes.set(Vec::new());
        }
    });
    let problem = move |field: &'static str| field_problem(create.value(), field);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateAccessToken {
            name: name.get_untracked(),
            scopes: scopes.get_untracked(),
            expires_in_days: LIFETIMES[lifetime.get_untracked()].0,
        });
    };
    let secret = move || create.value().get().and_then(Result::ok).map(|t| t.secret);
    let tokens = move || list.value().get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="settings" aria-label=t!("admin-tokens-settings")>
            <h2>{t!("admin-tokens-title")}</h2>
            <p>
                {t!("admin-tokens-hint-before")}
                <code>"Authorization: Bearer pat_…"</code>
                {t!("admin-tokens-hint-after")}
            </p>
            <form class="token-form" aria-label=t!("admin-token-new") novalidate on:submit=submit>
                <label>
                    {t!("admin-token-name")}" "
                    <input
                        aria-label=t!("admin-token-name-field")
                        maxlength="100"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <FieldProblem problem=problem("name")/>
                <fieldset>
                    <legend>{t!("admin-token-scopes")}</legend>
                    {API_SCOPES
                        .iter()
                        .map(|scope| {
                            let scope = (*scope).to_owned();
                            let checked = {
                                let scope = scope.clone();
                                move || scopes.read().contains(&scope)
                            };
                            let toggle = {
                                let scope = scope.clone();
                                move |ev| {
                                    let on = event_target_checked(&ev);
                                    scopes.update(|s| {
                                        s.retain(|x| *x != scope);
                                        if on {
                                            s.push(scope.clone());
                                        }
                                    });
                                }
                            };
                            view! {
                                <label><input type="checkbox" prop:checked=checked on:change=toggle/>" " {scope}</label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <FieldProblem problem=problem("scopes")/>
                <label>
                    {t!("admin-token-expires")}" "
                    <select
                        aria-label=t!("admin-token-expires")
                        prop:value=move || lifetime.get().to_string()
                        on:change=move |ev| lifetime.set(event_target_value(&ev).parse().unwrap_or(DEFAULT_LIFETIME))
                    >
                        {LIFETIMES
                            .iter()
                            .enumerate()
                            .map(|(i, (_, label))| view! { <option value=i.to_string()>{crate::i18n::message(label, None)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <FieldProblem problem=problem("expires_in_days")/>
                <button type="submit" disabled=move || create.pending().get()>{t!("admin-token-make")}</button>
            </form>
            <Show when=move || secret().is_some()>
                <div class="new-secret" role="status">
                    <p>{t!("admin-token-copy-now")}</p>
                    <input readonly aria-label=t!("admin-token-new") class="secret" prop:value=move || secret().unwrap_or_default()/>
                </div>
            </Show>
            <table class="token-table" aria-label=t!("admin-tokens-list")>
                <thead>
                    <tr>
                        <th>{t!("admin-token-name")}</th>
                        <th>{t!("admin-token-scopes")}</th>
                        <th>{t!("admin-token-made-by")}</th>
                        <th>{t!("admin-token-made")}</th>
                        <th>{t!("admin-token-expires")}</th>
                        <th>{t!("admin-token-last-used")}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=tokens key=|t| (t.id, t.last_used_at_ms) let(token)>
                        <TokenRow token revoke/>
                    </For>
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn TokenRow(token: AccessToken, revoke: ServerAction<RevokeAccessToken>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let id = token.id;
    let warning = t!("admin-token-revoke-warning", name = token.name.clone());
    view! {
        <tr>
            <td>{token.name.clone()}</td>
            <td>{token.scopes.join(", ")}</td>
            <td>{token.created_by.clone()}</td>
            <td>{calendar_date(token.created_at_ms)}</td>
            <td>{token.expires_at_ms.map_or_else(|| t!("admin-never"), calendar_date)}</td>
            <td>{token.last_used_at_ms.map_or_else(|| t!("admin-token-not-yet"), calendar_date)}</td>
            <td>
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="button" on:click=move |_| confirming.set(true)>{t!("admin-token-revoke")}</button>
                }>
                    <span role="alert">{warning.clone()}</span>
                    <button type="button" on:click=move |_| { revoke.dispatch(RevokeAccessToken { id }); }>{t!("admin-token-revoke-for-good")}</button>
                    <button type="button" on:click=move |_| confirming.set(false)>{t!("admin-keep")}</button>
                </Show>
            </td>
        </tr>
    }
}
