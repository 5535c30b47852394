//! `/settings/lead-forms`: the pre-chat form a new visitor fills in before the first
//! message (basic fields off / optional / required, the custom fields marked "ask in
//! pre-chat form", a consent checkbox with a link) and the email the widget asks for
//! when no one has answered in time. Owners and admins.

use leptos::prelude::*;
use parley_types::{Ask, LeadFormSettings};

use super::{GetLeadFormSettings, SaveLeadFormSettings};
use crate::contacts::{FieldProblem, field_problem};
use crate::frame::use_frame;

fn ask_label(ask: Ask) -> &'static str {
    match ask {
        Ask::Off => "Not asked",
        Ask::Optional => "Optional",
        Ask::Required => "Required",
    }
}

#[component]
pub fn LeadFormsSettingsPage() -> impl IntoView {
    let frame = use_frame();
    let load = ServerAction::<GetLeadFormSettings>::new();
    let save = ServerAction::<SaveLeadFormSettings>::new();
    let form = RwSignal::new(None::<LeadFormSettings>);
    Effect::new(move |_| {
        load.dispatch(GetLeadFormSettings {});
    });
    Effect::new(move |_| {
        if let Some(Ok(settings)) = load.value().get() {
            form.set(Some(settings));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(settings)) = save.value().get() {
            form.set(Some(settings));
        }
    });
    frame.toasts.report(save.value(), |_| "Lead forms saved.".to_owned());
    let problem = move |field: &'static str| field_problem(save.value(), field);
    let edit = move |change: &dyn Fn(&mut LeadFormSettings)| form.update(|f| f.iter_mut().for_each(change));
    let text = move |get: fn(&LeadFormSettings) -> String| move || form.read().as_ref().map(get).unwrap_or_default();
    let flag = move |get: fn(&LeadFormSettings) -> bool| move || form.read().as_ref().is_some_and(get);
    let ask_select = move |label: &'static str,
                           get: fn(&LeadFormSettings) -> Ask,
                           set: fn(&mut LeadFormSettings, Ask)| {
        view! {
            <label>
                {label} " "
                <select
                    aria-label=label
                    prop:value=move || form.read().as_ref().map(get).unwrap_or_default().as_str()
                    on:change=move |ev| {
                        if let Some(ask) = Ask::parse(&event_target_value(&ev)) {
                            edit(&|f| set(f, ask));
                        }
                    }
                >
                    {Ask::ALL.iter().map(|a| view! { <option value=a.as_str()>{ask_label(*a)}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(settings) = form.get_untracked() {
            save.dispatch(SaveLeadFormSettings { settings });
        }
    };
    view! {
        <section class="settings" aria-label="Lead forms settings">
            <h2>"Lead forms"</h2>
            <Show when=move || form.read().is_some() fallback=|| view! { <p>"Loading…"</p> }>
                <form class="lead-forms" novalidate on:submit=submit>
                    <fieldset>
                        <legend>"Pre-chat form"</legend>
                        <label>
                            <input
                                type="checkbox"
                                prop:checked=flag(|f| f.prechat)
                                on:change=move |ev| { let on = event_target_checked(&ev); edit(&|f| f.prechat = on); }
                            />
                            " Ask new visitors before their first message"
                        </label>
                        <FieldProblem problem=problem("prechat")/>
                        <label>
                            "Introduction "
                            <input
                                aria-label="Introduction"
                                maxlength="300"
                                prop:value=text(|f| f.intro.clone())
                                on:input=move |ev| { let v = event_target_value(&ev); edit(&|f| f.intro = v.clone()); }
                            />
                        </label>
                        <FieldProblem problem=problem("intro")/>
                        {ask_select("Name", |f| f.name, |f, a| f.name = a)}
                        {ask_select("Email", |f| f.email, |f, a| f.email = a)}
                        {ask_select("Phone", |f| f.phone, |f, a| f.phone = a)}
                        <p class="hint">
                            "Custom fields join the form when marked “Ask in the pre-chat form” under "
                            <a href=crate::frame::ws_path("/settings/contact-fields")>"Contact fields"</a>"."
                        </p>
                        <label>
                            "Consent checkbox "
                            <input
                                aria-label="Consent sentence"
                                maxlength="500"
                                placeholder="I agree to the privacy policy"
                                prop:value=text(|f| f.consent_text.clone())
                                on:input=move |ev| { let v = event_target_value(&ev); edit(&|f| f.consent_text = v.clone()); }
                            />
                        </label>
                        <FieldProblem problem=problem("consent_text")/>
                        <label>
                            "Consent link "
                            <input
                                type="url"
                                aria-label="Consent link"
                                placeholder="https://example.com/privacy"
                                prop:value=text(|f| f.consent_url.clone())
                                on:input=move |ev| { let v = event_target_value(&ev); edit(&|f| f.consent_url = v.clone()); }
                            />
                        </label>
                        <FieldProblem problem=problem("consent_url")/>
                    </fieldset>
                    <fieldset>
                        <legend>"Email capture"</legend>
                        <label>
                            <input
                                type="checkbox"
                                prop:checked=flag(|f| f.email_capture)
                                on:change=move |ev| { let on = event_target_checked(&ev); edit(&|f| f.email_capture = on); }
                            />
                            " Ask for an email when no one has answered"
                        </label>
                        <label>
                            "within "
                            <input
                                type="number"
                                min="5"
                                max="86400"
                                aria-label="Seconds before asking for an email"
                                prop:value=move || form.read().as_ref().map(|f| f.email_capture_after_secs.to_string()).unwrap_or_default()
                                on:input=move |ev| {
                                    let secs = event_target_value(&ev).trim().parse().unwrap_or(0);
                                    edit(&|f| f.email_capture_after_secs = secs);
                                }
                            />
                            " seconds"
                        </label>
                        <FieldProblem problem=problem("email_capture_after_secs")/>
                    </fieldset>
                    <button type="submit" disabled=move || save.pending().get()>"Save lead forms"</button>
                </form>
            </Show>
        </section>
    }
}
