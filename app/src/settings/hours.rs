//! `/settings/hours`: business hours. A time zone, intervals per weekday, holidays (a
//! date or a range, optionally every year) and the expected reply time. Outside them the
//! widget says when the team is back and offers the offline form.

use leptos::prelude::*;
use parley_types::{BusinessHours, Holiday, Interval};

use super::{GetBusinessHours, SaveBusinessHours};
use crate::contacts::{FieldProblem, field_problem};
use crate::forms::{LoadedFields, load_once, loaded};
use crate::frame::use_frame;
use crate::t;

/// Weekday names, Monday first, as the schedule lists them (`parley_types::WEEKDAYS`, in
/// the page's language).
const WEEKDAY_NAMES: [&str; 7] = [
    crate::msg!("settings-hours-monday"),
    crate::msg!("settings-hours-tuesday"),
    crate::msg!("settings-hours-wednesday"),
    crate::msg!("settings-hours-thursday"),
    crate::msg!("settings-hours-friday"),
    crate::msg!("settings-hours-saturday"),
    crate::msg!("settings-hours-sunday"),
];

/// Monday to Friday, nine to five, in UTC: where a new schedule starts.
pub(super) fn default_hours() -> BusinessHours {
    let day = || vec![Interval { start: "09:00".into(), end: "17:00".into() }];
    BusinessHours {
        timezone: "UTC".into(),
        days: vec![day(), day(), day(), day(), day(), vec![], vec![]],
        holidays: vec![],
        reply_time: "within a few hours".into(),
    }
}

#[component]
pub fn HoursSettingsPage() -> impl IntoView {
    let frame = use_frame();
    let load = load_once(GetBusinessHours {});
    let save = ServerAction::<SaveBusinessHours>::new();
    let enabled = RwSignal::new(false);
    let hours = RwSignal::new(default_hours());
    Effect::new(move |_| {
        if let Some(Ok(stored)) = load.value().get() {
            enabled.set(stored.is_some());
            hours.set(stored.unwrap_or_else(default_hours));
        }
    });
    frame.toasts.report(save.value(), |h| match h {
        Some(_) => t!("settings-hours-saved"),
        None => t!("settings-hours-off"),
    });
    let problem = move |field: String| Signal::derive(field_problem(save.value(), field));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveBusinessHours { hours: enabled.get_untracked().then(|| hours.get_untracked()) });
    };
    view! {
        <section class="settings" aria-label=t!("settings-hours-settings")>
            <h2>{t!("settings-hours-title")}</h2>
            <form class="hours-form" aria-label=t!("settings-hours-title") novalidate on:submit=submit>
                <LoadedFields ready=loaded(load)>
                <label>
                    <input type="checkbox" prop:checked=move || enabled.get() on:change=move |ev| enabled.set(event_target_checked(&ev))/>
                    " "{t!("settings-hours-enabled")}
                </label>
                <ScheduleFields hours problem/>
                <button type="submit" disabled=move || save.pending().get()>{t!("settings-hours-save")}</button>
                </LoadedFields>
            </form>
        </section>
    }
}

/// A schedule's fields: time zone, intervals per weekday, holidays, expected reply time.
/// `problem(field)` is the save's problem for a field (`days.0`, `holidays.1`, …). Also
/// used for a department's own hours.
#[component]
pub(super) fn ScheduleFields(
    hours: RwSignal<BusinessHours>,
    problem: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label>
            {t!("settings-hours-time-zone")}" "
            <input
                aria-label=t!("settings-hours-time-zone")
                placeholder="Europe/Berlin"
                prop:value=move || hours.read().timezone.clone()
                on:input=move |ev| hours.update(|h| h.timezone = event_target_value(&ev))
            />
        </label>
        <FieldProblem problem=move || problem("timezone".to_owned()).get()/>
        {WEEKDAY_NAMES
            .iter()
            .enumerate()
            .map(|(d, id)| {
                let name = crate::i18n::message(id, None);
                view! { <DayRow day=d name hours problem=problem(format!("days.{d}"))/> }
            })
            .collect_view()}
        <fieldset>
            <legend>{t!("settings-hours-holidays")}</legend>
            {move || {
                (0..hours.read().holidays.len())
                    .map(|i| view! { <HolidayRow index=i hours problem=problem(format!("holidays.{i}"))/> })
                    .collect_view()
            }}
            <button type="button" on:click=move |_| hours.update(|h| h.holidays.push(Holiday {
                name: String::new(),
                from: String::new(),
                to: String::new(),
                yearly: false,
            }))>{t!("settings-hours-add-holiday")}</button>
        </fieldset>
        <label>
            {t!("settings-hours-reply")}" "
            <input
                aria-label=t!("settings-hours-reply-time")
                prop:value=move || hours.read().reply_time.clone()
                on:input=move |ev| hours.update(|h| h.reply_time = event_target_value(&ev))
            />
        </label>
        <FieldProblem problem=move || problem("reply_time".to_owned()).get()/>
    }
}

#[component]
fn DayRow(day: usize, name: String, hours: RwSignal<BusinessHours>, problem: Signal<Option<String>>) -> impl IntoView {
    let count = move || hours.read().days.get(day).map_or(0, Vec::len);
    let edit = move |i: usize, end: bool, value: String| {
        hours.update(|h| {
            if let Some(interval) = h.days.get_mut(day).and_then(|d| d.get_mut(i)) {
                if end { interval.end = value } else { interval.start = value }
            }
        })
    };
    let from_label = t!("settings-hours-day-from", weekday = name.clone());
    let to_label = t!("settings-hours-day-to", weekday = name.clone());
    let remove_label = t!("settings-hours-day-remove", weekday = name.clone());
    let add_label = t!("settings-hours-day-add", weekday = name.clone());
    let group_label = name.clone();
    view! {
        <div class="hours-day" role="group" aria-label=group_label>
            <strong>{name}</strong>
            {move || {
                (0..count())
                    .map(|i| {
                        let value = move |end: bool| {
                            hours.read().days.get(day).and_then(|d| d.get(i)).map(|v| if end { v.end.clone() } else { v.start.clone() }).unwrap_or_default()
                        };
                        view! {
                            <span class="interval">
                                <input type="time" aria-label=from_label.clone() prop:value=move || value(false) on:change=move |ev| edit(i, false, event_target_value(&ev))/>
                                "–"
                                <input type="time" aria-label=to_label.clone() prop:value=move || value(true) on:change=move |ev| edit(i, true, event_target_value(&ev))/>
                                <button type="button" aria-label=remove_label.clone() on:click=move |_| hours.update(|h| {
                                    if let Some(d) = h.days.get_mut(day) && i < d.len() {
                                        d.remove(i);
                                    }
                                })>"×"</button>
                            </span>
                        }
                    })
                    .collect_view()
            }}
            <Show when=move || count() == 0>" "{t!("settings-hours-closed")}" "</Show>
            <button type="button" on:click=move |_| hours.update(|h| {
                if let Some(d) = h.days.get_mut(day) {
                    d.push(Interval { start: "09:00".into(), end: "17:00".into() });
                }
            })>{add_label}</button>
            <FieldProblem problem=move || problem.get()/>
        </div>
    }
}

#[component]
fn HolidayRow(index: usize, hours: RwSignal<BusinessHours>, problem: Signal<Option<String>>) -> impl IntoView {
    let get = move |f: fn(&Holiday) -> String| hours.read().holidays.get(index).map(f).unwrap_or_default();
    let set = move |f: fn(&mut Holiday, String), value: String| {
        hours.update(|h| {
            if let Some(holiday) = h.holidays.get_mut(index) {
                f(holiday, value);
            }
        })
    };
    view! {
        <div class="holiday" role="group" aria-label=t!("settings-hours-holiday", n = index + 1)>
            <input aria-label=t!("settings-hours-holiday-name") prop:value=move || get(|h| h.name.clone()) on:input=move |ev| set(|h, v| h.name = v, event_target_value(&ev))/>
            <input type="date" aria-label=t!("settings-hours-holiday-from") prop:value=move || get(|h| h.from.clone()) on:change=move |ev| set(|h, v| h.from = v, event_target_value(&ev))/>
            <input type="date" aria-label=t!("settings-hours-holiday-to") prop:value=move || get(|h| h.to.clone()) on:change=move |ev| set(|h, v| h.to = v, event_target_value(&ev))/>
            <label>
                <input
                    type="checkbox"
                    prop:checked=move || hours.read().holidays.get(index).is_some_and(|h| h.yearly)
                    on:change=move |ev| hours.update(|h| if let Some(x) = h.holidays.get_mut(index) { x.yearly = event_target_checked(&ev) })
                />
                " "{t!("settings-hours-yearly")}
            </label>
            <button type="button" on:click=move |_| hours.update(|h| if index < h.holidays.len() { h.holidays.remove(index); })>{t!("settings-hours-remove")}</button>
            <FieldProblem problem=move || problem.get()/>
        </div>
    }
}
