//! The invitations part of `/settings/team`: invite an address with a role and
//! departments (mailed when the workspace has a mail server; the link is shown once
//! either way, to copy), and the pending invitations with resend and revoke.

use leptos::prelude::*;
use parley_types::{Capability, DepartmentId, Invitation, NewInvitation, OperatorEvent, Role};

use super::{InviteMember, ListInvitations, ResendInvitation, RevokeInvitation};
use crate::contacts::{FieldProblem, field_problem};
use crate::conversations::{ListDepartments, calendar_date, now_ms};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn Invitations() -> impl IntoView {
    let frame = use_frame();
    let list = ServerAction::<ListInvitations>::new();
    let departments = ServerAction::<ListDepartments>::new();
    let invite = ServerAction::<InviteMember>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    Effect::new(move |_| {
        list.dispatch(ListInvitations {});
        departments.dispatch(ListDepartments {});
    });
    frame.realtime.on_event(move |event| {
        if matches!(event, OperatorEvent::MembersChanged) {
            list.dispatch(ListInvitations {});
        }
    });
    frame.toasts.report(revoke.value(), |_| t!("admin-invitation-revoked"));
    let is_owner = frame.allows(Capability::OwnWorkspace);
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Operator);
    let chosen = RwSignal::new(Vec::<DepartmentId>::new());
    // The latest link made (by inviting or resending), shown once.
    let made = RwSignal::new(None::<NewInvitation>);
    Effect::new(move |_| {
        if let Some(Ok(new)) = invite.value().get() {
            email.set(String::new());
            chosen.set(Vec::new());
            made.set(Some(new));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(new)) = resend.value().get() {
            made.set(Some(new));
        }
    });
    frame.toasts.report(resend.value(), |n| t!("admin-invitation-new-link", email = n.invitation.email));
    let problem = move |field: &'static str| field_problem(invite.value(), field);
    let refused = move || match invite.value().get() {
        Some(Err(err)) if err.fields.is_empty() => Some(crate::i18n::Said::said(&err)),
        _ => None,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        invite.dispatch(InviteMember {
            email: email.get_untracked(),
            role: role.get_untracked(),
            departments: chosen.get_untracked(),
        });
    };
    let pending = move || list.value().get().and_then(Result::ok).unwrap_or_default();
    let all_departments = move || departments.value().get().and_then(Result::ok).unwrap_or_default();
    view! {
        <h3>{t!("admin-invite")}</h3>
        <form class="invite-form" aria-label=t!("admin-invite-form") novalidate on:submit=submit>
            <label>
                {t!("admin-invite-email")}" "
                <input
                    type="email"
                    aria-label=t!("admin-invite-email-to")
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev))
                />
            </label>
            <FieldProblem problem=problem("email")/>
            <label>
                {t!("admin-invite-role")}" "
                <select aria-label=t!("admin-invite-role-invited") on:change=move |ev| {
                    if let Ok(r) = event_target_value(&ev).parse() {
                        role.set(r);
                    }
                }>
                    {Role::ALL
                        .iter()
                        .rev()
                        .map(|r| {
                            let owner = *r == Role::Owner;
                            view! {
                                <option value=r.as_str() selected=*r == Role::Operator disabled=move || owner && !is_owner.get()>
                                    {super::team::role_name(*r)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <fieldset>
                <legend>{t!("admin-invite-departments")}</legend>
                <For each=all_departments key=|d| (d.id, d.name.clone()) let(d)>
                    {
                        let id = d.id;
                        view! {
                            <label>
                                <input
                                    type="checkbox"
                                    prop:checked=move || chosen.read().contains(&id)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            c.retain(|x| *x != id);
                                            if on {
                                                c.push(id);
                                            }
                                        });
                                    }
                                />
                                " "
                                {d.name}
                            </label>
                        }
                    }
                </For>
            </fieldset>
            <button type="submit" disabled=move || invite.pending().get()>{t!("admin-invite")}</button>
            <Show when=move || refused().is_some()>
                <p role="alert">{refused}</p>
            </Show>
        </form>
        <Show when=move || made.get().is_some()>
            {move || made.get().map(|new| {
                let said = match (&new.mail_error, new.emailed) {
                    (_, true) => t!("admin-invitation-emailed", email = new.invitation.email.clone()),
                    (Some(error), false) => {
                        t!("admin-invitation-mail-failed", email = new.invitation.email.clone(), error = error.clone())
                    }
                    (None, false) => t!("admin-invitation-no-mail-server", email = new.invitation.email.clone()),
                };
                view! {
                    <div class="new-secret" role="status">
                        <p>{said}</p>
                        <input readonly aria-label=t!("admin-invitation-link") class="secret" prop:value=new.link/>
                    </div>
                }
            })}
        </Show>
        <table class="invitation-table" aria-label=t!("admin-invitations-pending")>
            <thead>
                <tr>
                    <th>{t!("admin-invitation-email")}</th>
                    <th>{t!("admin-invitation-role")}</th>
                    <th>{t!("admin-invitation-invited-by")}</th>
                    <th>{t!("admin-invitation-expires")}</th>
                    <th>{t!("admin-invitation-sent")}</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>
                <For each=pending key=|i| (i.id, i.expires_at_ms, i.sent_at_ms) let(invitation)>
                    <InvitationRow invitation resend revoke/>
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn InvitationRow(
    invitation: Invitation,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let id = invitation.id;
    let expired = invitation.expires_at_ms <= now_ms();
    view! {
        <tr>
            <td>{invitation.email.clone()}</td>
            <td>{super::team::role_name(invitation.role)}</td>
            <td>{invitation.invited_by.clone().unwrap_or_default()}</td>
            <td>{if expired { t!("admin-invitation-expired") } else { calendar_date(invitation.expires_at_ms) }}</td>
            <td>{invitation.sent_at_ms.map_or_else(|| t!("admin-invitation-link-only"), calendar_date)}</td>
            <td>
                <button type="button" on:click=move |_| { resend.dispatch(ResendInvitation { id }); }>{t!("admin-invitation-resend")}</button>
                <button type="button" on:click=move |_| { revoke.dispatch(RevokeInvitation { id }); }>{t!("admin-invitation-revoke")}</button>
            </td>
        </tr>
    }
}
