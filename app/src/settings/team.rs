//! `/settings/team`: the workspace's members and the roles table. Owners and admins
//! change a member's role (owners for anything touching an owner) and grant operators
//! extra capabilities; they remove members, whose sessions end at once and whose
//! conversations go back to Live. The roles table below is `Role::can`, the very table
//! the server checks. The list follows other admins' changes live.

use leptos::prelude::*;

use crate::i18n::Said;
use parley_types::{Capability, OperatorEvent, Role, TeamMember, roles_table};

use super::{ChangeMemberRole, ListMembers, MakePasswordResetLink, RemoveMember};
use crate::conversations::calendar_date;
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn TeamSettingsPage() -> impl IntoView {
    let frame = use_frame();
    let list = ServerAction::<ListMembers>::new();
    let change = ServerAction::<ChangeMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    Effect::new(move |_| {
        list.dispatch(ListMembers {});
    });
    frame.realtime.on_event(move |event| {
        if matches!(event, OperatorEvent::MembersChanged) {
            list.dispatch(ListMembers {});
        }
    });
    frame.toasts.report(change.value(), |m| role_saved(&m.name, m.role));
    frame.toasts.report(remove.value(), |n| t!("admin-member-removed", count = n));
    // A refused change leaves the select showing what was picked: redraw every row from
    // a fresh list (the epoch is part of each row's key).
    let epoch = RwSignal::new(0_u32);
    Effect::new(move |_| {
        if let Some(Err(_)) = change.value().get() {
            epoch.update(|e| *e += 1);
            list.dispatch(ListMembers {});
        }
    });
    // Read as the rows draw (the signed-in member may load after this page).
    let me = Signal::derive(move || frame.member().map(|m| m.user_id));
    let is_owner = frame.allows(Capability::OwnWorkspace);
    let members = move || list.value().get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="settings" aria-label=t!("admin-team-settings")>
            <h2>{t!("admin-team-title")}</h2>
            <Show when=move || matches!(list.value().get(), Some(Err(_)))>
                <p role="alert">{move || list.value().get().and_then(Result::err).map(|e| e.said())}</p>
            </Show>
            <table class="team-table" aria-label=t!("admin-team-members")>
                <thead>
                    <tr>
                        <th>{t!("admin-team-name")}</th>
                        <th>{t!("admin-team-email")}</th>
                        <th>{t!("admin-team-role")}</th>
                        <th>{t!("admin-team-granted")}</th>
                        <th>{t!("admin-team-joined")}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=members key=move |m| (m.user_id, m.role, m.grants.clone(), m.name.clone(), epoch.get_untracked()) let(member)>
                        <MemberRow is_me=me.get_untracked() == Some(member.user_id) member change remove is_owner/>
                    </For>
                </tbody>
            </table>
            <super::invitations::Invitations/>
            <RolesTable/>
        </section>
    }
}

/// "Saved: Ada is an admin." (the article goes with the role, so one message per role).
fn role_saved(name: &str, role: Role) -> String {
    let name = name.to_owned();
    match role {
        Role::Owner => t!("admin-member-saved-owner", name = name),
        Role::Admin => t!("admin-member-saved-admin", name = name),
        Role::Operator => t!("admin-member-saved-operator", name = name),
    }
}

/// A role's name, as role pickers and tables show it.
pub(super) fn role_name(role: Role) -> String {
    match role {
        Role::Owner => t!("admin-role-owner"),
        Role::Admin => t!("admin-role-admin"),
        Role::Operator => t!("admin-role-operator"),
    }
}

#[component]
fn MemberRow(
    member: TeamMember,
    change: ServerAction<ChangeMemberRole>,
    remove: ServerAction<RemoveMember>,
    is_me: bool,
    is_owner: Signal<bool>,
) -> impl IntoView {
    let user_id = member.user_id;
    let role = member.role;
    let grants = RwSignal::new(member.grants.clone());
    // Only owners change anything about an owner, or make one.
    let may_change = move || is_owner.get() || role != Role::Owner;
    let confirming = RwSignal::new(false);
    let warning = if is_me {
        t!("admin-member-leave-warning")
    } else {
        t!("admin-member-remove-warning", name = member.name.clone())
    };
    let on_role = move |ev: leptos::ev::Event| {
        let Ok(new) = event_target_value(&ev).parse::<Role>() else { return };
        change.dispatch(ChangeMemberRole { user_id, role: new, grants: grants.get_untracked() });
    };
    let label = t!("admin-member-role-of", name = member.name.clone());
    let reset = ServerAction::<MakePasswordResetLink>::new();
    let reset_link = move || reset.value().get().and_then(Result::ok);
    let reset_label = t!("admin-member-reset-link-for", name = member.name.clone());
    view! {
        <tr>
            <td>{member.name.clone()}{is_me.then(|| format!(" {}", t!("admin-member-you")))}</td>
            <td>{member.email.clone()}</td>
            <td>
                <select aria-label=label disabled=move || !may_change() on:change=on_role>
                    {Role::ALL
                        .iter()
                        .map(|r| {
                            let owner_only = *r == Role::Owner && role != Role::Owner;
                            view! {
                                <option
                                    value=r.as_str()
                                    selected=*r == role
                                    disabled=move || owner_only && !is_owner.get()
                                >
                                    {role_name(*r)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </td>
            <td>
                {(role == Role::Operator)
                    .then(|| {
                        Capability::GRANTABLE
                            .iter()
                            .copied()
                            .map(|capability| {
                                let toggle = move |ev| {
                                    let on = event_target_checked(&ev);
                                    grants.update(|g| {
                                        g.retain(|c| *c != capability);
                                        if on {
                                            g.push(capability);
                                        }
                                    });
                                    change.dispatch(ChangeMemberRole { user_id, role, grants: grants.get_untracked() });
                                };
                                view! {
                                    <label class="grant">
                                        <input
                                            type="checkbox"
                                            prop:checked=move || grants.read().contains(&capability)
                                            on:change=toggle
                                        />
                                        " "
                                        {capability_name(capability)}
                                    </label>
                                }
                            })
                            .collect_view()
                    })}
            </td>
            <td>{calendar_date(member.joined_at_ms)}</td>
            <td>
                {(!is_me).then(|| view! {
                    <button type="button" disabled=move || !may_change() on:click=move |_| {
                        reset.dispatch(MakePasswordResetLink { user_id });
                    }>{t!("admin-member-reset-link")}</button>
                })}
                <Show when=move || reset_link().is_some()>
                    <input readonly aria-label=reset_label.clone() class="secret" prop:value=move || reset_link().unwrap_or_default()/>
                </Show>
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="button" disabled=move || !may_change() && !is_me on:click=move |_| confirming.set(true)>
                        {if is_me { t!("admin-member-leave") } else { t!("admin-member-remove") }}
                    </button>
                }>
                    <span role="alert">{warning.clone()}</span>
                    <button type="button" on:click=move |_| { remove.dispatch(RemoveMember { user_id }); }>
                        {if is_me { t!("admin-member-leave-for-good") } else { t!("admin-member-remove-for-good") }}
                    </button>
                    <button type="button" on:click=move |_| confirming.set(false)>{t!("admin-keep")}</button>
                </Show>
            </td>
        </tr>
    }
}

/// A capability's name for people, in the page's language (the roles table, grants).
pub fn capability_name(capability: Capability) -> String {
    match capability {
        Capability::ReadConversations => t!("admin-cap-read-conversations"),
        Capability::ReplyConversations => t!("admin-cap-reply-conversations"),
        Capability::ManageWidget => t!("admin-cap-manage-widget"),
        Capability::ManageMembers => t!("admin-cap-manage-members"),
        Capability::ManageLabels => t!("admin-cap-manage-labels"),
        Capability::ManageSharedQuickReplies => t!("admin-cap-manage-shared-quick-replies"),
        Capability::ManageInboxSettings => t!("admin-cap-manage-inbox-settings"),
        Capability::ManageDepartments => t!("admin-cap-manage-departments"),
        Capability::ManageSharedViews => t!("admin-cap-manage-shared-views"),
        Capability::ReadContacts => t!("admin-cap-read-contacts"),
        Capability::EditContacts => t!("admin-cap-edit-contacts"),
        Capability::ManageContacts => t!("admin-cap-manage-contacts"),
        Capability::ChatAsVisitor => t!("admin-cap-chat-as-visitor"),
        Capability::ManageTokens => t!("admin-cap-manage-tokens"),
        Capability::ReadAuditLog => t!("admin-cap-read-audit-log"),
        Capability::ManageKnowledge => t!("admin-cap-manage-knowledge"),
        Capability::ManageWorkflows => t!("admin-cap-manage-workflows"),
        Capability::ManageBroadcasts => t!("admin-cap-manage-broadcasts"),
        Capability::ViewAllAnalytics => t!("admin-cap-view-all-analytics"),
        Capability::ExportContacts => t!("admin-cap-export-contacts"),
        Capability::OwnWorkspace => t!("admin-cap-own-workspace"),
        Capability::ManageWorkspace => t!("admin-cap-manage-workspace"),
    }
}

/// Who may do what, straight from `Role::can`.
#[component]
fn RolesTable() -> impl IntoView {
    let mark = |yes: bool| if yes { "✓".to_owned() } else { "—".to_owned() };
    view! {
        <h3>{t!("admin-roles-title")}</h3>
        <p>{t!("admin-roles-hint")}</p>
        <table class="roles-table" aria-label=t!("admin-roles-title")>
            <thead>
                <tr>
                    <th>{t!("admin-roles-capability")}</th>
                    <th>{t!("admin-roles-owner")}</th>
                    <th>{t!("admin-roles-admin")}</th>
                    <th>{t!("admin-roles-operator")}</th>
                </tr>
            </thead>
            <tbody>
                {roles_table()
                    .into_iter()
                    .map(|row| {
                        let operator = if row.grantable { t!("admin-roles-grantable") } else { mark(row.operator) };
                        view! {
                            <tr>
                                <td>{capability_name(row.capability)}</td>
                                <td>{mark(row.owner)}</td>
                                <td>{mark(row.admin)}</td>
                                <td>{operator}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
