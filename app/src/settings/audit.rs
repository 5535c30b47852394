//! `/settings/audit`: the audit log for owners and admins. Filters by member, action and
//! dates; pages of 50, newest first, with "Older entries"; the current filter as a CSV
//! download; how long entries are kept. New entries appear while the page is open.

use leptos::prelude::*;
use parley_types::{AuditAction, AuditEntry, AuditFilter, OperatorEvent, UserId};

use super::{ListAuditEntries, ListMembers, SetAuditRetention};
use crate::contacts::{FieldProblem, field_problem};
use crate::conversations::{calendar_date, clock_time};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let frame = use_frame();
    let members = ServerAction::<ListMembers>::new();
    let first = ServerAction::<ListAuditEntries>::new();
    let more = ServerAction::<ListAuditEntries>::new();
    let retention = ServerAction::<SetAuditRetention>::new();
    let actor = RwSignal::new(None::<UserId>);
    let action = RwSignal::new(None::<AuditAction>);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // Entries shown: the first page, then each older page appended.
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<i64>);
    let filter = move || AuditFilter {
        actor: actor.get(),
        action: action.get(),
        from: Some(from.get()).filter(|d| !d.is_empty()),
        to: Some(to.get()).filter(|d| !d.is_empty()),
        before: None,
    };
    Effect::new(move |_| {
        members.dispatch(ListMembers {});
    });
    // The first page follows the filter.
    Effect::new(move |_| {
        first.dispatch(ListAuditEntries { filter: filter() });
    });
    frame.realtime.on_event(move |event| {
        if matches!(event, OperatorEvent::AuditLogged) {
            first.dispatch(ListAuditEntries { filter: filter_untracked(actor, action, from, to) });
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = first.value().get() {
            entries.set(page.entries);
            next.set(page.next);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = more.value().get() {
            entries.update(|e| e.extend(page.entries));
            next.set(page.next);
        }
    });
    let kept_days = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(page)) = first.value().get()
            && kept_days.get_untracked().is_empty()
        {
            kept_days.set(page.retention_days.to_string());
        }
    });
    frame.toasts.report(retention.value(), |days| t!("settings-audit-kept", days = days));
    let export_href = move || {
        let mut url = crate::frame::ws_path("/exports/audit.csv?");
        let mut parts = Vec::new();
        if let Some(a) = actor.get() {
            parts.push(format!("actor={}", a.0));
        }
        if let Some(a) = action.get() {
            parts.push(format!("action={}", a.as_str()));
        }
        for (key, value) in [("from", from.get()), ("to", to.get())] {
            if !value.is_empty() {
                parts.push(format!("{key}={}", date_param(&value)));
            }
        }
        url.push_str(&parts.join("&"));
        url
    };
    let problem = move |field: &'static str| field_problem(first.value(), field);
    let retention_problem = move |field: &'static str| field_problem(retention.value(), field);
    view! {
        <section class="settings" aria-label=t!("settings-audit-log")>
            <h2>{t!("settings-audit-log")}</h2>
            <p>{t!("settings-audit-intro")}</p>
            <div class="audit-filters" role="search">
                <label>
                    {t!("settings-audit-member")}" "
                    <select aria-label=t!("settings-audit-member") on:change=move |ev| actor.set(event_target_value(&ev).parse().ok().map(UserId))>
                        <option value="">{t!("settings-audit-anyone")}</option>
                        {move || {
                            members
                                .value()
                                .get()
                                .and_then(Result::ok)
                                .unwrap_or_default()
                                .into_iter()
                                .map(|m| view! { <option value=m.user_id.0.to_string()>{m.name}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    {t!("settings-audit-action")}" "
                    <select aria-label=t!("settings-audit-action") on:change=move |ev| action.set(event_target_value(&ev).parse().ok())>
                        <option value="">{t!("settings-audit-any")}</option>
                        {AuditAction::ALL
                            .iter()
                            .map(|a| view! { <option value=a.as_str()>{action_label(*a)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>{t!("settings-audit-from")}" " <input type="date" aria-label=t!("settings-audit-from") on:change=move |ev| from.set(event_target_value(&ev))/></label>
                <FieldProblem problem=problem("from")/>
                <label>{t!("settings-audit-to")}" " <input type="date" aria-label=t!("settings-audit-to") on:change=move |ev| to.set(event_target_value(&ev))/></label>
                <FieldProblem problem=problem("to")/>
                <a href=export_href download>{t!("settings-audit-export-csv")}</a>
            </div>
            <table class="audit-table" aria-label=t!("settings-audit-entries")>
                <thead>
                    <tr>
                        <th>{t!("settings-audit-when")}</th>
                        <th>{t!("settings-audit-who")}</th>
                        <th>{t!("settings-audit-action")}</th>
                        <th>{t!("settings-audit-what")}</th>
                        <th>{t!("settings-audit-details")}</th>
                        <th>{t!("settings-audit-from")}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || entries.get() key=|e| e.id let(entry)>
                        <EntryRow entry/>
                    </For>
                </tbody>
            </table>
            <Show when=move || first.value().read().as_ref().is_some_and(|r| r.as_ref().is_ok_and(|p| p.entries.is_empty()))>
                <p>{t!("settings-audit-no-entries")}</p>
            </Show>
            <Show when=move || next.get().is_some()>
                <button type="button" disabled=move || more.pending().get() on:click=move |_| {
                    let mut f = filter_untracked(actor, action, from, to);
                    f.before = next.get_untracked();
                    more.dispatch(ListAuditEntries { filter: f });
                }>{t!("settings-audit-older")}</button>
            </Show>
            <form class="audit-retention" aria-label=t!("settings-audit-retention") novalidate on:submit=move |ev| {
                ev.prevent_default();
                if let Ok(days) = kept_days.get_untracked().trim().parse() {
                    retention.dispatch(SetAuditRetention { days });
                }
            }>
                <label>
                    {t!("settings-audit-keep-for")}" "
                    <input
                        type="number"
                        min="30"
                        max="3650"
                        aria-label=t!("settings-audit-days-kept")
                        prop:value=move || kept_days.get()
                        on:input=move |ev| kept_days.set(event_target_value(&ev))
                    />
                    " "{t!("settings-audit-days")}
                </label>
                <button type="submit">{t!("settings-audit-save")}</button>
                <FieldProblem problem=retention_problem("retention_days")/>
            </form>
        </section>
    }
}

fn filter_untracked(
    actor: RwSignal<Option<UserId>>,
    action: RwSignal<Option<AuditAction>>,
    from: RwSignal<String>,
    to: RwSignal<String>,
) -> AuditFilter {
    AuditFilter {
        actor: actor.get_untracked(),
        action: action.get_untracked(),
        from: Some(from.get_untracked()).filter(|d| !d.is_empty()),
        to: Some(to.get_untracked()).filter(|d| !d.is_empty()),
        before: None,
    }
}

/// A date from the date input (`YYYY-MM-DD`) needs no encoding; anything else is dropped
/// to its safe characters.
fn date_param(value: &str) -> String {
    value.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect()
}

/// An action's name for people, in the page's language.
fn action_label(action: AuditAction) -> String {
    match action {
        AuditAction::SignIn => t!("settings-audit-action-sign-in"),
        AuditAction::SignInFailed => t!("settings-audit-action-sign-in-failed"),
        AuditAction::SignOut => t!("settings-audit-action-sign-out"),
        AuditAction::PasswordChanged => t!("settings-audit-action-password-changed"),
        AuditAction::PasswordReset => t!("settings-audit-action-password-reset"),
        AuditAction::ProfileChanged => t!("settings-audit-action-profile-changed"),
        AuditAction::MemberAdded => t!("settings-audit-action-member-added"),
        AuditAction::MemberRoleChanged => t!("settings-audit-action-member-role-changed"),
        AuditAction::MemberRemoved => t!("settings-audit-action-member-removed"),
        AuditAction::InvitationCreated => t!("settings-audit-action-invitation-created"),
        AuditAction::InvitationRevoked => t!("settings-audit-action-invitation-revoked"),
        AuditAction::InvitationAccepted => t!("settings-audit-action-invitation-accepted"),
        AuditAction::TokenCreated => t!("settings-audit-action-token-created"),
        AuditAction::TokenRevoked => t!("settings-audit-action-token-revoked"),
        AuditAction::SettingsChanged => t!("settings-audit-action-settings-changed"),
        AuditAction::SecretRotated => t!("settings-audit-action-secret-rotated"),
        AuditAction::ContactsExported => t!("settings-audit-action-contacts-exported"),
        AuditAction::ContactsImported => t!("settings-audit-action-contacts-imported"),
        AuditAction::ContactsMerged => t!("settings-audit-action-contacts-merged"),
        AuditAction::ContactDeleted => t!("settings-audit-action-contact-deleted"),
        AuditAction::AuditExported => t!("settings-audit-action-audit-exported"),
    }
}

#[component]
fn EntryRow(entry: AuditEntry) -> impl IntoView {
    let who = match (entry.actor.kind.as_str(), entry.actor.token_id) {
        ("token", Some(token)) => {
            t!("settings-audit-actor-token", name = entry.actor.name.clone(), token = token.to_string())
        }
        _ => entry.actor.name.clone(),
    };
    let from = entry.ip.clone().unwrap_or_default();
    let agent = entry.user_agent.clone().unwrap_or_default();
    view! {
        <tr>
            <td>{calendar_date(entry.at_ms)} " " {clock_time(entry.at_ms)}</td>
            <td>{who}</td>
            <td>{action_label(entry.action)}</td>
            <td>{entry.target.clone()}</td>
            <td><code class="audit-details">{entry.details.clone()}</code></td>
            <td title=agent>{from}</td>
        </tr>
    }
}
