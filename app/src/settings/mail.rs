//! `/settings/email`: the workspace's outgoing mail server (invitations go through it).
//! The password is write-only: the page says whether one is stored, and an empty field
//! keeps it. "Send test email" sends through the saved settings and reports the server's
//! answer.

use leptos::prelude::*;
use parley_types::{SmtpSettings, SmtpTls};

use super::{GetMailSettings, SaveMailSettings, SendTestEmail};
use crate::contacts::{FieldProblem, field_problem};
use crate::forms::{LoadedFields, load_once, loaded};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn MailSettingsPage() -> impl IntoView {
    let frame = use_frame();
    let load = load_once(GetMailSettings {});
    let save = ServerAction::<SaveMailSettings>::new();
    let test = ServerAction::<SendTestEmail>::new();
    let form = RwSignal::new(SmtpSettings { port: 587, ..Default::default() });
    Effect::new(move |_| {
        if let Some(Ok(Some(settings))) = load.value().get() {
            form.set(settings);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            form.set(saved.unwrap_or(SmtpSettings { port: 587, ..Default::default() }));
        }
    });
    frame.toasts.report(save.value(), |s| match s {
        Some(_) => t!("admin-mail-saved"),
        None => t!("admin-mail-removed"),
    });
    frame.toasts.report(test.value(), |_| t!("admin-mail-test-sent"));
    let to = RwSignal::new(String::new());
    let problem = move |field: &'static str| field_problem(save.value(), field);
    let test_problem = move |field: &'static str| field_problem(test.value(), field);
    let text = move |get: fn(&SmtpSettings) -> String, set: fn(&mut SmtpSettings, String)| {
        (move || get(&form.read()), move |ev| form.update(|f| set(f, event_target_value(&ev))))
    };
    let (host, on_host) = text(|f| f.host.clone(), |f, v| f.host = v);
    let (user, on_user) = text(|f| f.username.clone(), |f, v| f.username = v);
    let (password, on_password) = text(|f| f.password.clone(), |f, v| f.password = v);
    let (sender, on_sender) = text(|f| f.sender.clone(), |f, v| f.sender = v);
    view! {
        <section class="settings" aria-label=t!("admin-mail-settings")>
            <h2>{t!("admin-mail-title")}</h2>
            <p>{t!("admin-mail-hint")}</p>
            <form class="mail-form" aria-label=t!("admin-mail-server") novalidate on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SaveMailSettings { settings: form.get_untracked() });
            }>
                <LoadedFields ready=loaded(load)>
                <label>{t!("admin-mail-host")}" " <input aria-label=t!("admin-mail-host") prop:value=host on:input=on_host placeholder="smtp.example.com"/></label>
                <FieldProblem problem=problem("host")/>
                <label>
                    {t!("admin-mail-port")}" "
                    <input
                        type="number"
                        aria-label=t!("admin-mail-port")
                        min="1"
                        max="65535"
                        prop:value=move || form.read().port.to_string()
                        on:input=move |ev| form.update(|f| f.port = event_target_value(&ev).parse().unwrap_or(0))
                    />
                </label>
                <FieldProblem problem=problem("port")/>
                <label>
                    {t!("admin-mail-security")}" "
                    <select aria-label=t!("admin-mail-security") on:change=move |ev| form.update(|f| f.tls = match event_target_value(&ev).as_str() {
                        "none" => SmtpTls::None,
                        "tls" => SmtpTls::Tls,
                        _ => SmtpTls::Starttls,
                    })>
                        <option value="starttls" selected=move || form.read().tls == SmtpTls::Starttls>"STARTTLS"</option>
                        <option value="tls" selected=move || form.read().tls == SmtpTls::Tls>"TLS"</option>
                        <option value="none" selected=move || form.read().tls == SmtpTls::None>{t!("admin-mail-security-none")}</option>
                    </select>
                </label>
                <label>{t!("admin-mail-user")}" " <input aria-label=t!("admin-mail-user") autocomplete="off" prop:value=user on:input=on_user/></label>
                <FieldProblem problem=problem("username")/>
                <label>
                    {t!("admin-mail-password")}" "
                    <input
                        type="password"
                        aria-label=t!("admin-mail-password")
                        autocomplete="new-password"
                        placeholder=move || if form.read().password_set { t!("admin-mail-password-stored") } else { String::new() }
                        prop:value=password
                        on:input=on_password
                    />
                </label>
                <label>{t!("admin-mail-sender")}" " <input aria-label=t!("admin-mail-sender") prop:value=sender on:input=on_sender placeholder="Acme Support <support@acme.example>"/></label>
                <FieldProblem problem=problem("sender")/>
                <button type="submit" disabled=move || save.pending().get()>{t!("admin-save")}</button>
                </LoadedFields>
            </form>
            <form class="mail-test" aria-label=t!("admin-mail-test") novalidate on:submit=move |ev| {
                ev.prevent_default();
                test.dispatch(SendTestEmail { to: to.get_untracked() });
            }>
                <label>{t!("admin-mail-send-test-to")}" " <input type="email" aria-label=t!("admin-mail-test-recipient") prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/></label>
                <button type="submit" disabled=move || test.pending().get()>{t!("admin-mail-send-test")}</button>
                <FieldProblem problem=test_problem("to")/>
            </form>
        </section>
    }
}
