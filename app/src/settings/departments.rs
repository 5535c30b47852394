//! `/settings/departments`: teams of members that conversations are assigned to. Owners
//! and admins add them, choose their members, turn round-robin auto-assignment on or off
//! with a capacity per member, pick the department new conversations go to, describe
//! each, offer some in the widget's pre-chat picker, give one its own business hours, and
//! order the routing rules that choose a new conversation's department, and may let
//! operators see only their departments' conversations. Every open inbox and settings
//! page sees the change at once.

use leptos::prelude::*;
use parley_types::{
    BusinessHours, DEFAULT_CAPACITY, Department, DepartmentId, MAX_CAPACITY, OperatorEvent, RouteWhen, RoutingRule,
    Teammate, UserId,
};

use super::api::{
    CreateDepartment, DeleteDepartment, SaveDepartmentHours, SaveRoutingRules, SetOwnDepartmentsOnly, UpdateDepartment,
    get_own_departments_only, list_routing_rules,
};
use super::hours::ScheduleFields;
use crate::contacts::{FieldProblem, field_problem};
use crate::conversations::{list_departments, list_teammates};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn DepartmentsSettingsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| list_departments());
    let team = Resource::new(|| (), |_| list_teammates());
    let live = RwSignal::new(None::<Vec<Department>>);
    let frame = use_frame();
    frame.realtime.on_event(move |event| {
        if let OperatorEvent::DepartmentsChanged { departments } = event {
            live.set(Some(departments.clone()));
        }
    });
    let create = ServerAction::<CreateDepartment>::new();
    let update = ServerAction::<UpdateDepartment>::new();
    let delete = ServerAction::<DeleteDepartment>::new();
    frame.toasts.report(create.value(), |department| t!("settings-departments-added", name = department.name));
    frame.toasts.report(update.value(), |department| t!("settings-departments-saved", name = department.name));
    frame.toasts.report(delete.value(), |n| t!("settings-departments-deleted", count = n));
    let departments = move || live.get().or_else(|| loaded.get().and_then(Result::ok)).unwrap_or_default();
    let teammates = move || team.get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="settings" aria-label=t!("settings-departments-settings")>
            <h2>{t!("settings-departments-title")}</h2>
            <p>{t!("settings-departments-intro")}</p>
            <OwnDepartmentsOnly/>
            <Transition fallback=|| view! { <p class="notice">{t!("settings-departments-loading")}</p> }>
                <h3>{t!("settings-departments-new")}</h3>
                // Drawn afresh after each department added, so the form starts empty again.
                {move || {
                    create.version().get();
                    view! { <DepartmentForm department=None teammates=teammates() create update delete/> }
                }}
                <RoutingRules departments=Signal::derive(departments)/>
                <ul class="department-list" aria-label=t!("settings-departments-list")>
                    <For
                        each=departments
                        key=|d| format!("{d:?}")
                        let(department)
                    >
                        <li>{move || view! {
                            <DepartmentForm department=Some(department.clone()) teammates=teammates() create update delete/>
                        }}</li>
                    </For>
                </ul>
            </Transition>
        </section>
    }
}

/// A department's fields: a new one (`department: None`) or an existing one, with Save and
/// Delete.
#[component]
fn DepartmentForm(
    department: Option<Department>,
    teammates: Vec<Teammate>,
    create: ServerAction<CreateDepartment>,
    update: ServerAction<UpdateDepartment>,
    delete: ServerAction<DeleteDepartment>,
) -> impl IntoView {
    let id: Option<DepartmentId> = department.as_ref().map(|d| d.id);
    let title = department
        .as_ref()
        .map_or_else(|| t!("settings-departments-new"), |d| t!("settings-departments-named", name = d.name.clone()));
    let name = RwSignal::new(department.as_ref().map(|d| d.name.clone()).unwrap_or_default());
    let auto_assign = RwSignal::new(department.as_ref().is_none_or(|d| d.auto_assign));
    let capacity = RwSignal::new(department.as_ref().map_or(DEFAULT_CAPACITY, |d| d.capacity).to_string());
    let members = RwSignal::new(department.as_ref().map(|d| d.members.clone()).unwrap_or_default());
    let is_default = RwSignal::new(department.as_ref().is_some_and(|d| d.is_default));
    let description = RwSignal::new(department.as_ref().map(|d| d.description.clone()).unwrap_or_default());
    let in_picker = RwSignal::new(department.as_ref().is_some_and(|d| d.in_picker));
    let own_hours = department.as_ref().map(|d| (d.id, d.hours.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let capacity = capacity.get_untracked().trim().parse::<i64>().unwrap_or(0);
        let members = members.get_untracked().iter().map(|u| u.0.to_string()).collect::<Vec<_>>().join(",");
        let (name, auto_assign, is_default) =
            (name.get_untracked(), auto_assign.get_untracked(), is_default.get_untracked());
        let (description, in_picker) = (description.get_untracked(), in_picker.get_untracked());
        match id {
            Some(id) => {
                update.dispatch(UpdateDepartment {
                    id,
                    name,
                    auto_assign,
                    capacity,
                    members,
                    is_default,
                    description,
                    in_picker,
                });
            }
            None => {
                create.dispatch(CreateDepartment {
                    name,
                    auto_assign,
                    capacity,
                    members,
                    is_default,
                    description,
                    in_picker,
                });
            }
        }
    };
    let remove = move |_| {
        if let Some(id) = id {
            delete.dispatch(DeleteDepartment { id });
        }
    };
    let toggle_member = move |user: UserId, on: bool| {
        members.update(|list| {
            list.retain(|u| *u != user);
            if on {
                list.push(user);
            }
        });
    };
    view! {
        <form class="department-form" aria-label=title on:submit=submit>
            <label>{t!("settings-departments-name")}" " <input bind:value=name required maxlength="60"/></label>
            <label>{t!("settings-departments-description")}" " <input aria-label=t!("settings-departments-description") bind:value=description maxlength="300"/></label>
            <label>
                <input type="checkbox" bind:checked=in_picker/>
                " "{t!("settings-departments-in-picker")}
            </label>
            <label>
                <input type="checkbox" bind:checked=auto_assign/>
                " "{t!("settings-departments-auto-assign")}
            </label>
            <label>
                {t!("settings-departments-capacity")}" "
                <input type="number" min="1" max=MAX_CAPACITY.to_string() step="1" bind:value=capacity required/>
            </label>
            <label>
                <input type="checkbox" bind:checked=is_default/>
                " "{t!("settings-departments-default")}
            </label>
            <fieldset>
                <legend>{t!("settings-departments-members")}</legend>
                {teammates.into_iter().map(|t| {
                    let user = t.user_id;
                    let checked = move || members.read().contains(&user);
                    view! {
                        <label>
                            <input
                                type="checkbox"
                                prop:checked=checked
                                on:change=move |ev| toggle_member(user, event_target_checked(&ev))
                            />
                            " " {t.name}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" disabled=move || create.pending().get() || update.pending().get()>
                {if id.is_some() { t!("settings-departments-save") } else { t!("settings-departments-add") }}
            </button>
            {id.map(|_| view! { <button type="button" class="link" on:click=remove>{t!("settings-departments-delete")}</button> })}
        </form>
        {own_hours.map(|(id, hours)| view! { <DepartmentHours id hours/> })}
    }
}

/// The option "operators see only their departments' conversations": saved as soon as
/// it is switched, and switched here when another admin changes it.
#[component]
fn OwnDepartmentsOnly() -> impl IntoView {
    let frame = use_frame();
    let loaded = Resource::new(|| (), |_| get_own_departments_only());
    let on = RwSignal::new(None::<bool>);
    Effect::new(move |_| {
        if let Some(Ok(stored)) = loaded.get() {
            on.set(Some(stored));
        }
    });
    frame.realtime.on_event(move |event| {
        if let OperatorEvent::VisibilityChanged { own_departments } = event {
            on.set(Some(*own_departments));
        }
    });
    let save = ServerAction::<SetOwnDepartmentsOnly>::new();
    frame.toasts.report(save.value(), |on| {
        if on { t!("settings-departments-own-on") } else { t!("settings-departments-own-off") }
    });
    view! {
        <label class="own-departments">
            <input
                type="checkbox"
                prop:checked=move || on.get().unwrap_or(false)
                disabled=move || on.get().is_none() || save.pending().get()
                on:change=move |ev| {
                    let wanted = event_target_checked(&ev);
                    on.set(Some(wanted));
                    save.dispatch(SetOwnDepartmentsOnly { on: wanted });
                }
            />
            " "{t!("settings-departments-own-only")}
        </label>
        <p class="hint">{t!("settings-departments-own-hint")}</p>
    }
}

/// A department's own business hours (off: the workspace's).
#[component]
fn DepartmentHours(id: DepartmentId, hours: Option<BusinessHours>) -> impl IntoView {
    let save = ServerAction::<SaveDepartmentHours>::new();
    use_frame().toasts.report(save.value(), |h| match h {
        Some(_) => t!("settings-departments-hours-saved"),
        None => t!("settings-departments-hours-off"),
    });
    let enabled = RwSignal::new(hours.is_some());
    let hours = RwSignal::new(hours.unwrap_or_else(super::hours::default_hours));
    let problem = move |field: String| Signal::derive(field_problem(save.value(), field));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveDepartmentHours { id, hours: enabled.get_untracked().then(|| hours.get_untracked()) });
    };
    view! {
        <details class="department-hours">
            <summary>{t!("settings-departments-hours-own")}</summary>
            <form class="hours-form" aria-label=t!("settings-departments-hours-form") novalidate on:submit=submit>
                <label>
                    <input type="checkbox" prop:checked=move || enabled.get() on:change=move |ev| enabled.set(event_target_checked(&ev))/>
                    " "{t!("settings-departments-hours-enabled")}
                </label>
                <Show when=move || enabled.get()>
                    <ScheduleFields hours problem/>
                </Show>
                <button type="submit" disabled=move || save.pending().get()>{t!("settings-departments-hours-save")}</button>
            </form>
        </details>
    }
}

/// The routing rules, in order: each sends new conversations that match it to a
/// department; the first match wins, then the visitor's pick, then the default.
#[component]
fn RoutingRules(departments: Signal<Vec<Department>>) -> impl IntoView {
    let frame = use_frame();
    let rules = RwSignal::new(Vec::<RoutingRule>::new());
    let loaded = Resource::new(|| (), |_| list_routing_rules());
    Effect::new(move |_| {
        if let Some(Ok(stored)) = loaded.get() {
            rules.set(stored);
        }
    });
    frame.realtime.on_event(move |event| {
        if let OperatorEvent::RoutingChanged { rules: stored } = event {
            rules.set(stored.clone());
        }
    });
    let save = ServerAction::<SaveRoutingRules>::new();
    frame.toasts.report(save.value(), |r| t!("settings-departments-rules-saved", count = r.len()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveRoutingRules { rules: rules.get_untracked() });
    };
    let add = move |_| {
        let first = departments.with_untracked(|d| d.first().map(|d| d.id));
        if let Some(department_id) = first {
            rules.update(|r| r.push(RoutingRule { when: RouteWhen::PageUrl, value: String::new(), department_id }));
        }
    };
    let count = move || rules.read().len();
    view! {
        <h3>{t!("settings-departments-rules")}</h3>
        <form class="routing-form" aria-label=t!("settings-departments-rules") novalidate on:submit=submit>
            <p>{t!("settings-departments-rules-intro")}</p>
            <ol class="routing-rules">
                {move || (0..count()).map(|i| view! { <RuleRow index=i rules departments problem=field_problem(save.value(), format!("rules.{i}"))/> }).collect_view()}
            </ol>
            <button type="button" on:click=add disabled=move || departments.with(Vec::is_empty)>{t!("settings-departments-rules-add")}</button>
            <button type="submit" disabled=move || save.pending().get()>{t!("settings-departments-rules-save")}</button>
        </form>
    }
}

/// A routing condition's name for people, in the page's language.
fn route_label(when: RouteWhen) -> String {
    match when {
        RouteWhen::PageUrl => t!("settings-departments-when-page-url"),
        RouteWhen::Language => t!("settings-departments-when-language"),
        RouteWhen::Channel => t!("settings-departments-when-channel"),
        RouteWhen::Prechat => t!("settings-departments-when-prechat"),
        RouteWhen::ContactTag => t!("settings-departments-when-contact-tag"),
    }
}

#[component]
fn RuleRow(
    index: usize,
    rules: RwSignal<Vec<RoutingRule>>,
    departments: Signal<Vec<Department>>,
    problem: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    let read = move |f: fn(&RoutingRule) -> String| rules.with(|r| r.get(index).map(f).unwrap_or_default());
    let edit = move |f: Box<dyn FnOnce(&mut RoutingRule)>| {
        rules.update(|r| {
            if let Some(rule) = r.get_mut(index) {
                f(rule);
            }
        })
    };
    let label = t!("settings-departments-rule", n = index + 1);
    let is_pick = move || rules.with(|r| r.get(index).is_some_and(|rule| rule.when == RouteWhen::Prechat));
    let options = move || {
        departments
            .get()
            .into_iter()
            .map(|d| view! { <option value=d.id.0.to_string()>{d.name}</option> })
            .collect_view()
    };
    view! {
        <li role="group" aria-label=label.clone()>
            <select
                aria-label=t!("settings-departments-rule-condition")
                prop:value=move || read(|r| r.when.as_str().to_owned())
                on:change=move |ev| {
                    let when = event_target_value(&ev).parse().unwrap_or(RouteWhen::PageUrl);
                    edit(Box::new(move |r| r.when = when));
                }
            >
                {RouteWhen::ALL.iter().map(|w| view! { <option value=w.as_str()>{route_label(*w)}</option> }).collect_view()}
            </select>
            {move || if is_pick() {
                view! {
                    <select
                        aria-label=t!("settings-departments-rule-picked")
                        prop:value=move || read(|r| r.value.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |r| r.value = v)); }
                    >
                        <option value="">{t!("settings-departments-rule-choose")}</option>
                        {options()}
                    </select>
                }.into_any()
            } else {
                view! {
                    <input
                        aria-label=t!("settings-departments-rule-value")
                        placeholder="/pricing, es, widget, VIP…"
                        prop:value=move || read(|r| r.value.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |r| r.value = v)); }
                    />
                }.into_any()
            }}
            " → "
            <select
                aria-label=t!("settings-departments-rule-department")
                prop:value=move || read(|r| r.department_id.0.to_string())
                on:change=move |ev| {
                    if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                        edit(Box::new(move |r| r.department_id = DepartmentId(id)));
                    }
                }
            >
                {options}
            </select>
            <button type="button" aria-label=t!("settings-departments-rule-up", n = index + 1) disabled=index == 0 on:click=move |_| rules.update(|r| if index > 0 && index < r.len() { r.swap(index - 1, index) })>"↑"</button>
            <button type="button" aria-label=t!("settings-departments-rule-remove", n = index + 1) on:click=move |_| rules.update(|r| if index < r.len() { r.remove(index); })>"×"</button>
            <FieldProblem problem/>
        </li>
    }
}
