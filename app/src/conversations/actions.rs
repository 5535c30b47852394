//! The conversation header's actions: take, assign or unassign; priority; snooze (an
//! hour, tomorrow 9:00 in the operator's timezone, a chosen time, or until the customer
//! writes); close with an outcome and a comment kept as an internal note; reopen. Each
//! answers with the new summary (errors go to the frame's toasts); other operators see
//! the change through the realtime feed.

use leptos::prelude::*;
use parley_types::{
    Availability, ConversationOutcome, ConversationPriority, ConversationStatus, ConversationSummary, DepartmentId,
    OperatorEvent, UserId,
};

use super::api::{
    AssignConversation, CloseConversation, ListDepartments, ListTeammates, ReopenConversation,
    SetConversationDepartment, SetConversationPriority, SnoozeConversation,
};
use super::time::now_ms;
use crate::ApiError;
use crate::frame::use_frame;
use crate::t;

const HOUR_MS: i64 = 3600 * 1000;

/// Tomorrow at 9:00 in the operator's own timezone (the browser's).
fn tomorrow_nine_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new_0();
        date.set_date(date.get_date() + 1);
        date.set_hours(9);
        date.set_minutes(0);
        date.set_seconds(0);
        date.set_milliseconds(0);
        date.get_time() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        now_ms() + 24 * HOUR_MS
    }
}

/// A `datetime-local` input's value (the operator's local time) as Unix milliseconds.
fn local_input_ms(value: &str) -> Option<i64> {
    if value.is_empty() {
        return None;
    }
    #[cfg(feature = "hydrate")]
    {
        let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
        (!at.is_nan()).then_some(at as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

#[component]
pub fn ConversationActions(summary: RwSignal<ConversationSummary>) -> impl IntoView {
    let frame = use_frame();
    let assign = ServerAction::<AssignConversation>::new();
    let priority = ServerAction::<SetConversationPriority>::new();
    let snooze = ServerAction::<SnoozeConversation>::new();
    let close = ServerAction::<CloseConversation>::new();
    let reopen = ServerAction::<ReopenConversation>::new();
    // Loaded in the browser once hydrated (an effect never runs on the server): a
    // resource first created inside the page's `Suspend` can fail to hydrate.
    let teammates = ServerAction::<ListTeammates>::new();
    let departments = ServerAction::<ListDepartments>::new();
    Effect::new(move |_| {
        teammates.dispatch(ListTeammates {});
        departments.dispatch(ListDepartments {});
    });
    // Teammates' availability and the departments, as they change.
    let departments_live = RwSignal::new(None::<Vec<parley_types::Department>>);
    let availability = RwSignal::new(std::collections::HashMap::<UserId, Availability>::new());
    frame.realtime.on_event(move |event| match event {
        OperatorEvent::DepartmentsChanged { departments } => departments_live.set(Some(departments.clone())),
        OperatorEvent::AvailabilityChanged { user_id, availability: now } => {
            availability.update(|known| {
                known.insert(*user_id, *now);
            });
        }
        _ => {}
    });
    let department_list =
        move || departments_live.get().or_else(|| departments.value().get().and_then(Result::ok)).unwrap_or_default();
    let move_to = ServerAction::<SetConversationDepartment>::new();
    // Which menu is open; a change of one's own that went through closes both.
    let (snooze_open, close_open) = (RwSignal::new(false), RwSignal::new(false));
    let apply = move |result: Option<Result<ConversationSummary, ApiError>>| match result {
        Some(Ok(changed)) => {
            // A later change may have arrived over the socket first (auto-assignment
            // right after a move to a department): keep the newer one. Every change
            // writes a line, so the newer summary has the higher sequence number.
            if changed.last_seq >= summary.read_untracked().last_seq {
                summary.set(changed);
            }
            snooze_open.set(false);
            close_open.set(false);
        }
        Some(Err(err)) => frame.toasts.error(err),
        None => {}
    };
    Effect::new(move |_| apply(assign.value().get()));
    Effect::new(move |_| apply(move_to.value().get()));
    Effect::new(move |_| apply(priority.value().get()));
    Effect::new(move |_| apply(snooze.value().get()));
    Effect::new(move |_| apply(reopen.value().get()));
    Effect::new(move |_| match close.value().get() {
        Some(Ok(changed)) => {
            apply(Some(Ok(changed)));
            frame.toasts.success(t!("conv-closed-toast"));
        }
        other => apply(other),
    });

    let id = move || summary.read_untracked().id;
    let status = move || summary.read().status;
    let busy = move || {
        assign.pending().get()
            || move_to.pending().get()
            || priority.pending().get()
            || snooze.pending().get()
            || close.pending().get()
            || reopen.pending().get()
    };
    let me = move || frame.member().map(|m| m.user_id);

    let take = move |_| {
        if let Some(me) = me() {
            assign.dispatch(AssignConversation { id: id(), assignee: Some(me) });
        }
    };
    let choose_assignee = move |ev: leptos::ev::Event| {
        let assignee = event_target_value(&ev).parse::<i64>().ok().map(UserId);
        assign.dispatch(AssignConversation { id: id(), assignee });
    };
    let choose_department = move |ev: leptos::ev::Event| {
        let department = event_target_value(&ev).parse::<i64>().ok().map(DepartmentId);
        move_to.dispatch(SetConversationDepartment { id: id(), department });
    };
    let toggle_priority = move |_| {
        let next = match summary.read_untracked().priority {
            ConversationPriority::Critical => ConversationPriority::Normal,
            ConversationPriority::Normal => ConversationPriority::Critical,
        };
        priority.dispatch(SetConversationPriority { id: id(), priority: next });
    };
    let snooze_until = move |until_ms: Option<i64>| {
        snooze.dispatch(SnoozeConversation { id: id(), until_ms });
    };
    let chosen = RwSignal::new(String::new());
    let outcome = RwSignal::new(ConversationOutcome::Resolved);
    let comment = RwSignal::new(String::new());
    let submit_close = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = comment.get_untracked();
        let comment_text = (!text.trim().is_empty()).then_some(text);
        close.dispatch(CloseConversation { id: id(), outcome: outcome.get_untracked(), comment: comment_text });
        comment.set(String::new());
    };

    view! {
        <div class="conversation-actions">
            <Show when=move || summary.read().assignee_id.is_none() && status() == ConversationStatus::Open>
                <button type="button" on:click=take disabled=busy>{t!("conv-take")}</button>
            </Show>
            <Transition fallback=|| ()>
                {move || teammates.value().get().and_then(Result::ok).map(|team| {
                    let current = summary.read().assignee_id;
                    view! {
                        <select aria-label=t!("conv-assignee") data-shortcut="a" on:change=choose_assignee disabled=busy>
                            <option value="" selected=current.is_none()>{t!("conv-unassigned")}</option>
                            {team.into_iter().map(|t| {
                                let selected = current == Some(t.user_id);
                                let now = availability.read().get(&t.user_id).copied().unwrap_or(t.availability);
                                let label = match now {
                                    Availability::Online => t.name,
                                    Availability::Away => t!("conv-teammate-away", name = t.name),
                                    Availability::Offline => t!("conv-teammate-offline", name = t.name),
                                };
                                view! { <option value=t.user_id.0.to_string() selected=selected>{label}</option> }
                            }).collect_view()}
                        </select>
                    }
                })}
            </Transition>
            <Show when=move || !department_list().is_empty()>
                <select aria-label=t!("conv-department") on:change=choose_department disabled=busy>
                    <option value="" selected=move || summary.read().department_id.is_none()>{t!("conv-no-department")}</option>
                    <For each=department_list key=|d| (d.id, d.name.clone()) let(department)>
                        <option
                            value=department.id.0.to_string()
                            selected=move || summary.read().department_id == Some(department.id)
                        >
                            {department.name.clone()}
                        </option>
                    </For>
                </select>
            </Show>
            <button type="button" class="priority-toggle" on:click=toggle_priority disabled=busy>
                {move || match summary.read().priority {
                    ConversationPriority::Critical => t!("conv-mark-normal"),
                    ConversationPriority::Normal => t!("conv-mark-critical"),
                }}
            </button>
            <Show
                when=move || status() == ConversationStatus::Open
                fallback=move || view! {
                    <button type="button" on:click=move |_| { reopen.dispatch(ReopenConversation { id: id() }); } disabled=busy>
                        {t!("conv-reopen")}
                    </button>
                }
            >
                <div class="menu">
                    <button type="button" data-shortcut="s" aria-expanded=move || snooze_open.get().to_string() on:click=move |_| {
                        close_open.set(false);
                        snooze_open.update(|open| *open = !*open);
                    }>
                        {t!("conv-snooze")}
                    </button>
                    <Show when=move || snooze_open.get()>
                    <div class="menu-body" role="group" aria-label=t!("conv-snooze-until")>
                        <button type="button" on:click=move |_| snooze_until(Some(now_ms() + HOUR_MS))>{t!("conv-snooze-hour")}</button>
                        <button type="button" on:click=move |_| snooze_until(Some(tomorrow_nine_ms()))>{t!("conv-snooze-tomorrow")}</button>
                        <button type="button" on:click=move |_| snooze_until(None)>{t!("conv-snooze-until-customer")}</button>
                        <label>
                            {t!("conv-until")}" "
                            <input type="datetime-local" aria-label=t!("conv-snooze-until-time") bind:value=chosen/>
                        </label>
                        <button
                            type="button"
                            on:click=move |_| match local_input_ms(&chosen.get_untracked()) {
                                Some(at) => snooze_until(Some(at)),
                                None => frame.toasts.error(t!("conv-choose-time-first")),
                            }
                        >
                            {t!("conv-snooze-until-then")}
                        </button>
                    </div>
                    </Show>
                </div>
                <div class="menu">
                    <button type="button" data-shortcut="e" aria-expanded=move || close_open.get().to_string() on:click=move |_| {
                        snooze_open.set(false);
                        close_open.update(|open| *open = !*open);
                    }>
                        {t!("conv-close")}
                    </button>
                    <Show when=move || close_open.get()>
                    <form class="menu-body" on:submit=submit_close aria-label=t!("conv-close-form")>
                        <fieldset>
                            <legend>{t!("conv-outcome")}</legend>
                            {[ConversationOutcome::Resolved, ConversationOutcome::Abandoned].into_iter().map(|choice| view! {
                                <label>
                                    <input
                                        type="radio"
                                        name="outcome"
                                        value=choice.as_str()
                                        checked=move || outcome.get() == choice
                                        on:change=move |_| outcome.set(choice)
                                    />
                                    " "{if choice == ConversationOutcome::Resolved { t!("conv-close-resolved") } else { t!("conv-close-abandoned") }}
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <label>
                            {t!("conv-close-comment")}
                            <textarea name="comment" rows="2" bind:value=comment></textarea>
                        </label>
                        <button type="submit" disabled=busy>{t!("conv-close-conversation")}</button>
                    </form>
                    </Show>
                </div>
            </Show>
        </div>
    }
}
