//! The home redirect, the sign-in page and the first-run setup page.

use leptos::prelude::*;

use crate::i18n::Said;
use leptos_router::components::Redirect;

use super::api::{Login, SessionState, Setup, get_session_state};
use crate::t;

/// `/`, and the addresses from before workspaces had their own (`/inbox/4`,
/// `/settings/team`): sends the browser where it belongs, the same page in the session's
/// workspace (`/` is its inbox: `/w/{slug}/inbox`), so old links and bookmarks keep working.
#[component]
pub fn HomePage() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let state = Resource::new(|| (), |_| get_session_state());
    view! {
        <Suspense fallback=|| view! { <p class="notice">{t!("auth-loading")}</p> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(SessionState::NeedsSetup) => view! { <Redirect path="/setup"/> }.into_any(),
                    Ok(SessionState::SignedIn(user)) => {
                        let path = location.pathname.get_untracked();
                        let path = if path == "/" { "/inbox".to_owned() } else { path };
                        let query = location.search.get_untracked();
                        let query = if query.is_empty() { String::new() } else { format!("?{}", query.trim_start_matches('?')) };
                        let to = format!("{}{}{path}{query}", crate::frame::WORKSPACE_PREFIX, user.workspace_slug);
                        view! { <Redirect path=to/> }.into_any()
                    }
                    Ok(SessionState::SignedOut | SessionState::NotAMember) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.said()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Shows a server action's error, if its last run failed.
#[component]
pub fn ActionError<E: Said + Clone + Send + Sync + 'static>(error: Signal<Option<E>>) -> impl IntoView {
    move || error.get().map(|err| view! { <p class="error" role="alert">{err.said()}</p> })
}

/// `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    view! {
        <main class="auth">
            <h1>{t!("auth-sign-in-title")}</h1>
            <ActionForm action=login>
                <label>{t!("auth-email")} <input type="email" name="email" autocomplete="username" required/></label>
                <label>{t!("auth-password")} <input type="password" name="password" autocomplete="current-password" required/></label>
                <ActionError error/>
                <button type="submit" disabled=move || login.pending().get()>{t!("auth-sign-in")}</button>
            </ActionForm>
            <p><a href="/forgot">{t!("auth-forgot")}</a></p>
        </main>
    }
}

/// `/setup`: creates the first workspace and its owner.
#[component]
pub fn SetupPage() -> impl IntoView {
    let setup = ServerAction::<Setup>::new();
    let error = Signal::derive(move || setup.value().get().and_then(Result::err));
    view! {
        <main class="auth">
            <h1>{t!("auth-setup-title")}</h1>
            <p>{t!("auth-setup-intro")}</p>
            <ActionForm action=setup>
                <label>{t!("auth-workspace-name")} <input name="workspace_name" required/></label>
                <label>{t!("auth-your-name")} <input name="name" autocomplete="name" required/></label>
                <label>{t!("auth-email")} <input type="email" name="email" autocomplete="username" required/></label>
                <label>{t!("auth-password")} <input type="password" name="password" autocomplete="new-password" minlength="8" required/></label>
                <label>
                    {t!("auth-setup-origins")}
                    <textarea name="origins" rows="3" placeholder="https://shop.example"></textarea>
                </label>
                <ActionError error/>
                <button type="submit" disabled=move || setup.pending().get()>{t!("auth-setup-create")}</button>
            </ActionForm>
        </main>
    }
}

/// `/invite/{token}`: accepting an invitation. A new address chooses a name and a
/// password; an address with an account gives its password. Once accepted, the browser
/// is signed in to that workspace.
#[component]
pub fn InvitationPage() -> impl IntoView {
    use super::api::{AcceptInvitation, get_invitation};
    let params = leptos_router::hooks::use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let preview = Resource::new(token, get_invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = Signal::derive(move || accept.value().get().and_then(Result::err));
    view! {
        <main class="auth">
            <Suspense fallback=|| view! { <p class="notice">{t!("auth-loading")}</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(invitation) => {
                            let title = t!("auth-invitation-join", name = invitation.workspace_name.clone());
                            let (email, role) = (invitation.email.clone(), invitation.role.as_str());
                            let by = match invitation.invited_by.clone() {
                                Some(name) => t!("auth-invitation-invited-by", name = name, email = email, role = role),
                                None => t!("auth-invitation-invited", email = email, role = role),
                            };
                            let has_account = invitation.has_account;
                            view! {
                                <h1>{title}</h1>
                                <p>{by}</p>
                                <ActionForm action=accept>
                                    <input type="hidden" name="token" value=token()/>
                                    <Show when=move || !has_account>
                                        <label>{t!("auth-your-name")} <input name="name" autocomplete="name" required/></label>
                                    </Show>
                                    <label>
                                        {if has_account { t!("auth-invitation-your-password") } else { t!("auth-invitation-choose-password") }}
                                        <input
                                            type="password"
                                            name="password"
                                            autocomplete=if has_account { "current-password" } else { "new-password" }
                                            required
                                        />
                                    </label>
                                    <ActionError error/>
                                    <button type="submit" disabled=move || accept.pending().get()>{t!("auth-invitation-accept")}</button>
                                </ActionForm>
                            }
                            .into_any()
                        }
                        Err(err) => view! {
                            <h1>{t!("auth-invitation")}</h1>
                            <p class="error" role="alert">
                                {if err.code == parley_types::ErrorCode::NotFound {
                                    t!("auth-invitation-not-found")
                                } else {
                                    crate::i18n::Said::said(&err)
                                }}
                            </p>
                            <p><a href="/login">{t!("auth-sign-in")}</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// `/forgot`: asks for a password reset link by email.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    use super::api::RequestPasswordReset;
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = Signal::derive(move || request.value().get().and_then(Result::err));
    let query = leptos_router::hooks::use_query_map();
    let sent = move || matches!(request.value().get(), Some(Ok(()))) || query.read().get("sent").is_some();
    view! {
        <main class="auth">
            <h1>{t!("auth-forgot-title")}</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p>{t!("auth-forgot-intro")}</p>
                    <ActionForm action=request>
                        <label>{t!("auth-email")} <input type="email" name="email" autocomplete="username" required/></label>
                        <ActionError error/>
                        <button type="submit" disabled=move || request.pending().get()>{t!("auth-forgot-send")}</button>
                    </ActionForm>
                }
            >
                <p role="status">
                    {t!("auth-forgot-sent")}
                </p>
            </Show>
            <p><a href="/login">{t!("auth-back-to-sign-in")}</a></p>
        </main>
    }
}

/// `/reset/{token}`: chooses a new password with a reset link; every session of the
/// account ends.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    use super::api::{ResetPassword, get_password_reset};
    let params = leptos_router::hooks::use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let email = Resource::new(token, get_password_reset);
    let reset = ServerAction::<ResetPassword>::new();
    let error = Signal::derive(move || reset.value().get().and_then(Result::err));
    view! {
        <main class="auth">
            <h1>{t!("auth-reset-title")}</h1>
            <Suspense fallback=|| view! { <p class="notice">{t!("auth-loading")}</p> }>
                {move || Suspend::new(async move {
                    match email.await {
                        Ok(email) => view! {
                            <p>{t!("auth-reset-intro", email = email)}</p>
                            <ActionForm action=reset>
                                <input type="hidden" name="token" value=token()/>
                                <label>
                                    {t!("auth-reset-new-password")}
                                    <input type="password" name="password" autocomplete="new-password" minlength="8" required/>
                                </label>
                                <ActionError error/>
                                <button type="submit" disabled=move || reset.pending().get()>{t!("auth-reset-save")}</button>
                            </ActionForm>
                        }
                        .into_any(),
                        Err(err) => view! {
                            <p class="error" role="alert">
                                {if err.code == parley_types::ErrorCode::NotFound {
                                    t!("auth-reset-not-found")
                                } else {
                                    crate::i18n::Said::said(&err)
                                }}
                            </p>
                            <p><a href="/forgot">{t!("auth-reset-ask-again")}</a></p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}
