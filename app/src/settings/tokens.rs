//! `/settings/tokens`: API access tokens. Owners and admins make one (name, scopes,
//! expiry), copy its secret from the one answer that shows it, see who made each and
//! when it was last used, and revoke it. The list follows other admins' changes live.

use leptos::prelude::*;
use parley_types::{API_SCOPES, AccessToken, OperatorEvent};

use super::{CreateAccessToken, ListAccessTokens, RevokeAccessToken};
use crate::contacts::{FieldProblem, field_problem};
use crate::conversations::calendar_date;
use crate::frame::use_frame;

/// Lifetimes offered, in days (`None`: never expires).
const LIFETIMES: [(Option<u32>, &str); 5] =
    [(Some(7), "7 days"), (Some(30), "30 days"), (Some(90), "90 days"), (Some(365), "1 year"), (None, "Never")];
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
    frame.toasts.report(revoke.value(), |_| "Token revoked.".to_owned());
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
        <section class="settings" aria-label="Access tokens settings">
            <h2>"Access tokens"</h2>
            <p>
                "Tokens let your own programs call Parley's API ("
                <code>"Authorization: Bearer pat_…"</code>
                "). A token acts for you and never beyond your role: if you leave the workspace, it stops working."
            </p>
            <form class="token-form" aria-label="New token" novalidate on:submit=submit>
                <label>
                    "Name "
                    <input
                        aria-label="Token name"
                        maxlength="100"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <FieldProblem problem=problem("name")/>
                <fieldset>
                    <legend>"Scopes"</legend>
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
                    "Expires "
                    <select
                        aria-label="Expires"
                        prop:value=move || lifetime.get().to_string()
                        on:change=move |ev| lifetime.set(event_target_value(&ev).parse().unwrap_or(DEFAULT_LIFETIME))
                    >
                        {LIFETIMES
                            .iter()
                            .enumerate()
                            .map(|(i, (_, label))| view! { <option value=i.to_string()>{*label}</option> })
                            .collect_view()}
                    </select>
                </label>
                <FieldProblem problem=problem("expires_in_days")/>
                <button type="submit" disabled=move || create.pending().get()>"Make token"</button>
            </form>
            <Show when=move || secret().is_some()>
                <div class="new-secret" role="status">
                    <p>"Copy this token now: it will not be shown again."</p>
                    <input readonly aria-label="New token" class="secret" prop:value=move || secret().unwrap_or_default()/>
                </div>
            </Show>
            <table class="token-table" aria-label="Tokens">
                <thead>
                    <tr><th>"Name"</th><th>"Scopes"</th><th>"Made by"</th><th>"Made"</th><th>"Expires"</th><th>"Last used"</th><th></th></tr>
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
    let warning = format!("Revoke {}? Programs using it stop working at once.", token.name);
    view! {
        <tr>
            <td>{token.name.clone()}</td>
            <td>{token.scopes.join(", ")}</td>
            <td>{token.created_by.clone()}</td>
            <td>{calendar_date(token.created_at_ms)}</td>
            <td>{token.expires_at_ms.map_or_else(|| "Never".to_owned(), calendar_date)}</td>
            <td>{token.last_used_at_ms.map_or_else(|| "Not yet".to_owned(), calendar_date)}</td>
            <td>
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="button" on:click=move |_| confirming.set(true)>"Revoke"</button>
                }>
                    <span role="alert">{warning.clone()}</span>
                    <button type="button" on:click=move |_| { revoke.dispatch(RevokeAccessToken { id }); }>"Revoke for good"</button>
                    <button type="button" on:click=move |_| confirming.set(false)>"Keep"</button>
                </Show>
            </td>
        </tr>
    }
}
