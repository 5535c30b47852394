//! `/settings/audit`: the audit log for owners and admins. Filters by member, action and
//! dates; pages of 50, newest first, with "Older entries"; the current filter as a CSV
//! download; how long entries are kept. New entries appear while the page is open.

use leptos::prelude::*;
use parley_types::{AuditAction, AuditEntry, AuditFilter, OperatorEvent, UserId};

use super::{ListAuditEntries, ListMembers, SetAuditRetention};
use crate::contacts::{FieldProblem, field_problem};
use crate::conversations::{calendar_date, clock_time};
use crate::frame::use_frame;

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
    frame.toasts.report(retention.value(), |days| format!("Entries are kept {days} days."));
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
        <section class="settings" aria-label="Audit log">
            <h2>"Audit log"</h2>
            <p>"Who changed what in this workspace, from where and when. Entries cannot be edited or deleted; they are removed only once older than the retention period."</p>
            <div class="audit-filters" role="search">
                <label>
                    "Member "
                    <select aria-label="Member" on:change=move |ev| actor.set(event_target_value(&ev).parse().ok().map(UserId))>
                        <option value="">"Anyone"</option>
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
                    "Action "
                    <select aria-label="Action" on:change=move |ev| action.set(event_target_value(&ev).parse().ok())>
                        <option value="">"Any"</option>
                        {AuditAction::ALL
                            .iter()
                            .map(|a| view! { <option value=a.as_str()>{a.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>"From " <input type="date" aria-label="From" on:change=move |ev| from.set(event_target_value(&ev))/></label>
                <FieldProblem problem=problem("from")/>
                <label>"To " <input type="date" aria-label="To" on:change=move |ev| to.set(event_target_value(&ev))/></label>
                <FieldProblem problem=problem("to")/>
                <a href=export_href download>"Export CSV"</a>
            </div>
            <table class="audit-table" aria-label="Audit entries">
                <thead>
                    <tr><th>"When"</th><th>"Who"</th><th>"Action"</th><th>"What"</th><th>"Details"</th><th>"From"</th></tr>
                </thead>
                <tbody>
                    <For each=move || entries.get() key=|e| e.id let(entry)>
                        <EntryRow entry/>
                    </For>
                </tbody>
            </table>
            <Show when=move || first.value().read().as_ref().is_some_and(|r| r.as_ref().is_ok_and(|p| p.entries.is_empty()))>
                <p>"No entries match."</p>
            </Show>
            <Show when=move || next.get().is_some()>
                <button type="button" disabled=move || more.pending().get() on:click=move |_| {
                    let mut f = filter_untracked(actor, action, from, to);
                    f.before = next.get_untracked();
                    more.dispatch(ListAuditEntries { filter: f });
                }>"Older entries"</button>
            </Show>
            <form class="audit-retention" aria-label="Retention" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if let Ok(days) = kept_days.get_untracked().trim().parse() {
                    retention.dispatch(SetAuditRetention { days });
                }
            }>
                <label>
                    "Keep entries for "
                    <input
                        type="number"
                        min="30"
                        max="3650"
                        aria-label="Days kept"
                        prop:value=move || kept_days.get()
                        on:input=move |ev| kept_days.set(event_target_value(&ev))
                    />
                    " days"
                </label>
                <button type="submit">"Save"</button>
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

#[component]
fn EntryRow(entry: AuditEntry) -> impl IntoView {
    let who = match (entry.actor.kind.as_str(), entry.actor.token_id) {
        ("token", Some(token)) => format!("{} (token #{token})", entry.actor.name),
        _ => entry.actor.name.clone(),
    };
    let from = entry.ip.clone().unwrap_or_default();
    let agent = entry.user_agent.clone().unwrap_or_default();
    view! {
        <tr>
            <td>{calendar_date(entry.at_ms)} " " {clock_time(entry.at_ms)}</td>
            <td>{who}</td>
            <td>{entry.action.label()}</td>
            <td>{entry.target.clone()}</td>
            <td><code class="audit-details">{entry.details.clone()}</code></td>
            <td title=agent>{from}</td>
        </tr>
    }
}
