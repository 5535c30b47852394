//! `/settings/departments`: teams of members that conversations are assigned to. Owners
//! and admins add them, choose their members, turn round-robin auto-assignment on or off
//! with a capacity per member, and pick the department new conversations go to. Every
//! open inbox sees the change at once.

use leptos::prelude::*;
use parley_types::{DEFAULT_CAPACITY, Department, DepartmentId, MAX_CAPACITY, OperatorEvent, Teammate, UserId};

use super::api::{CreateDepartment, DeleteDepartment, UpdateDepartment};
use crate::conversations::{list_departments, list_teammates};
use crate::frame::use_frame;

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
    frame.toasts.report(create.value(), |department| format!("Department {} added.", department.name));
    frame.toasts.report(update.value(), |department| format!("Department {} saved.", department.name));
    frame.toasts.report(delete.value(), |n| match n {
        0 => "Department deleted.".to_owned(),
        1 => "Department deleted; 1 conversation left it.".to_owned(),
        n => format!("Department deleted; {n} conversations left it."),
    });
    let departments = move || live.get().or_else(|| loaded.get().and_then(Result::ok)).unwrap_or_default();
    let teammates = move || team.get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="settings" aria-label="Departments settings">
            <h2>"Departments"</h2>
            <p>
                "A department that auto-assigns gives its conversations waiting in Live, oldest first, "
                "to its online members who hold fewer open conversations than its capacity, in turn."
            </p>
            <Transition fallback=|| view! { <p class="notice">"Loading…"</p> }>
                <h3>"New department"</h3>
                // Drawn afresh after each department added, so the form starts empty again.
                {move || {
                    create.version().get();
                    view! { <DepartmentForm department=None teammates=teammates() create update delete/> }
                }}
                <ul class="department-list" aria-label="Workspace departments">
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
    let title = department.as_ref().map_or_else(|| "New department".to_owned(), |d| format!("Department {}", d.name));
    let name = RwSignal::new(department.as_ref().map(|d| d.name.clone()).unwrap_or_default());
    let auto_assign = RwSignal::new(department.as_ref().is_none_or(|d| d.auto_assign));
    let capacity = RwSignal::new(department.as_ref().map_or(DEFAULT_CAPACITY, |d| d.capacity).to_string());
    let members = RwSignal::new(department.as_ref().map(|d| d.members.clone()).unwrap_or_default());
    let is_default = RwSignal::new(department.as_ref().is_some_and(|d| d.is_default));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let capacity = capacity.get_untracked().trim().parse::<i64>().unwrap_or(0);
        let members = members.get_untracked().iter().map(|u| u.0.to_string()).collect::<Vec<_>>().join(",");
        let (name, auto_assign, is_default) =
            (name.get_untracked(), auto_assign.get_untracked(), is_default.get_untracked());
        match id {
            Some(id) => {
                update.dispatch(UpdateDepartment { id, name, auto_assign, capacity, members, is_default });
            }
            None => {
                create.dispatch(CreateDepartment { name: name.clone(), auto_assign, capacity, members, is_default });
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
            <label>"Name " <input bind:value=name required maxlength="60"/></label>
            <label>
                <input type="checkbox" bind:checked=auto_assign/>
                " Assign automatically (round robin)"
            </label>
            <label>
                "Open conversations per member "
                <input type="number" min="1" max=MAX_CAPACITY.to_string() step="1" bind:value=capacity required/>
            </label>
            <label>
                <input type="checkbox" bind:checked=is_default/>
                " New conversations go here"
            </label>
            <fieldset>
                <legend>"Members"</legend>
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
                {if id.is_some() { "Save" } else { "Add department" }}
            </button>
            {id.map(|_| view! { <button type="button" class="link" on:click=remove>"Delete"</button> })}
        </form>
    }
}
