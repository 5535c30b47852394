//! `/settings/lead-forms`: the pre-chat form a new visitor fills in before the first
//! message (basic fields off / optional / required, the custom fields marked "ask in
//! pre-chat form", a consent checkbox with a link) and the email the widget asks for
//! when no one has answered in time. Owners and admins.

use leptos::prelude::*;
use parley_types::{Ask, LeadFormSettings};

use super::{GetLeadFormSettings, SaveLeadFormSettings};
use crate::contacts::{FieldProblem, field_problem};
use crate::frame::use_frame;
use crate::t;

fn ask_label(ask: Ask) -> String {
    match ask {
        Ask::Off => t!("admin-lead-ask-off"),
        Ask::Optional => t!("admin-lead-ask-optional"),
        Ask::Required => t!("admin-lead-ask-required"),
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
    frame.toasts.report(save.value(), |_| t!("admin-lead-saved"));
    let problem = move |field: &'static str| field_problem(save.value(), field);
    let edit = move |change: &dyn Fn(&mut LeadFormSettings)| form.update(|f| f.iter_mut().for_each(change));
    let text = move |get: fn(&LeadFormSettings) -> String| move || form.read().as_ref().map(get).unwrap_or_default();
    let flag = move |get: fn(&LeadFormSettings) -> bool| move || form.read().as_ref().is_some_and(get);
    let ask_select = move |label: String, get: fn(&LeadFormSettings) -> Ask, set: fn(&mut LeadFormSettings, Ask)| {
        view! {
            <label>
                {label.clone()} " "
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
        <section class="settings" aria-label=t!("admin-lead-settings")>
            <h2>{t!("admin-lead-title")}</h2>
            <Show when=move || form.read().is_some() fallback=|| view! { <p>{t!("admin-loading")}</p> }>
                <form class="lead-forms" novalidate on:submit=submit>
                    <fieldset>
                        <legend>{t!("admin-lead-prechat")}</legend>
                        <label>
                            <input
                                type="checkbox"
                                prop:checked=flag(|f| f.prechat)
                                on:change=move |ev| { let on = event_target_checked(&ev); edit(&|f| f.prechat = on); }
                            />
                            " "{t!("admin-lead-prechat-ask")}
                        </label>
                        <FieldProblem problem=problem("prechat")/>
                        <label>
                            {t!("admin-lead-intro")}" "
                            <input
                                aria-label=t!("admin-lead-intro")
                                maxlength="300"
                                prop:value=text(|f| f.intro.clone())
                                on:input=move |ev| { let v = event_target_value(&ev); edit(&|f| f.intro = v.clone()); }
                            />
                        </label>
                        <FieldProblem problem=problem("intro")/>
                        {ask_select(t!("admin-lead-name"), |f| f.name, |f, a| f.name = a)}
                        {ask_select(t!("admin-lead-email"), |f| f.email, |f, a| f.email = a)}
                        {ask_select(t!("admin-lead-phone"), |f| f.phone, |f, a| f.phone = a)}
                        <p class="hint">
                            {t!("admin-lead-custom-fields-before")}" "
                            <a href=crate::frame::ws_path("/settings/contact-fields")>{t!("admin-lead-custom-fields-link")}</a>
                            {t!("admin-lead-custom-fields-after")}
                        </p>
                        <label>
                            {t!("admin-lead-consent")}" "
                            <input
                                aria-label=t!("admin-lead-consent-sentence")
                                maxlength="500"
                                placeholder=t!("admin-lead-consent-placeholder")
                                prop:value=text(|f| f.consent_text.clone())
                                on:input=move |ev| { let v = event_target_value(&ev); edit(&|f| f.consent_text = v.clone()); }
                            />
                        </label>
                        <FieldProblem problem=problem("consent_text")/>
                        <label>
                            {t!("admin-lead-consent-link")}" "
                            <input
                                type="url"
                                aria-label=t!("admin-lead-consent-link")
                                placeholder="https://example.com/privacy"
                                prop:value=text(|f| f.consent_url.clone())
                                on:input=move |ev| { let v = event_target_value(&ev); edit(&|f| f.consent_url = v.clone()); }
                            />
                        </label>
                        <FieldProblem problem=problem("consent_url")/>
                    </fieldset>
                    <fieldset>
                        <legend>{t!("admin-lead-email-capture")}</legend>
                        <label>
                            <input
                                type="checkbox"
                                prop:checked=flag(|f| f.email_capture)
                                on:change=move |ev| { let on = event_target_checked(&ev); edit(&|f| f.email_capture = on); }
                            />
                            " "{t!("admin-lead-email-capture-ask")}
                        </label>
                        <label>
                            {t!("admin-lead-within")}" "
                            <input
                                type="number"
                                min="5"
                                max="86400"
                                aria-label=t!("admin-lead-seconds-before")
                                prop:value=move || form.read().as_ref().map(|f| f.email_capture_after_secs.to_string()).unwrap_or_default()
                                on:input=move |ev| {
                                    let secs = event_target_value(&ev).trim().parse().unwrap_or(0);
                                    edit(&|f| f.email_capture_after_secs = secs);
                                }
                            />
                            " "{t!("admin-lead-seconds")}
                        </label>
                        <FieldProblem problem=problem("email_capture_after_secs")/>
                    </fieldset>
                    <button type="submit" disabled=move || save.pending().get()>{t!("admin-lead-save")}</button>
                </form>
            </Show>
        </section>
    }
}
