//! Lead forms in the widget. The pre-chat form (when the session carries one) stands in
//! for the chat until it is filled in: required fields and the consent are checked here
//! first, then by the server, whose problems show beside each field. The email capture
//! asks for an email once the visitor's oldest unanswered message is older than the
//! workspace's wait (and the contact has no email); an operator's answer takes it away.

use std::rc::Rc;

use js_sys::{JSON, Object, Reflect};
use wasm_bindgen::JsValue;

use super::App;
use crate::api;
use crate::dom::show_problem;
use crate::i18n;
use crate::timer;
use crate::wire::{self, Author, Json};

impl App {
    /// After a session: the pre-chat form when the server asks one (and nothing has been
    /// written yet), else the chat; and when to ask for an email.
    pub(super) fn apply_forms(self: &Rc<Self>, prechat: Option<JsValue>, ask_after: Option<u32>) {
        self.inner_mut().ask_email_after = ask_after;
        let quiet = self.inner().conv.messages().is_empty();
        match prechat {
            Some(form) if quiet => self.show_prechat(&form),
            _ => self.hide_prechat(),
        }
        if ask_after.is_none() {
            self.ui.ask.set_hidden(true);
        }
        self.schedule_ask();
    }

    fn show_prechat(&self, form: &JsValue) {
        let ui = &self.ui;
        ui.lead_intro.set_text_content(Some(&wire::text(form, "intro")));
        ui.lead_fields.set_text_content(None);
        let mut inputs = Vec::new();
        for field in form.field("fields").and_then(|f| f.items()).unwrap_or_default() {
            let Some((key, label, input, required)) = wire::form_field(&field) else { continue };
            let checkbox = input == "checkbox";
            if let Some((el, err)) = ui.form_field(&key, &label, &input, required, field.field("options")) {
                inputs.push((key, el, err, checkbox, required));
            }
        }
        let consent = form.field("consent").map(|c| (wire::text(&c, "text"), wire::text(&c, "url")));
        ui.set_consent(consent.as_ref());
        show_problem(&ui.consent_box, &ui.consent_err, None);
        self.inner_mut().lead_inputs = inputs;
        let kind = wire::form_kind(form);
        // Outside business hours the form sends the visitor's message itself.
        let (label, go) = if kind == "offline" {
            (i18n::id("leave-message"), i18n::id("send"))
        } else {
            (i18n::id("before-we-start"), i18n::id("start-chat"))
        };
        let _ = ui.lead.set_attribute("data-ta", label);
        let _ = ui.lead.set_attribute("aria-label", &i18n::t(label));
        let _ = ui.lead_go.set_attribute("data-t", go);
        ui.lead_go.set_text_content(Some(&i18n::t(go)));
        self.inner_mut().lead_form = kind;
        ui.lead.set_hidden(false);
        ui.log.set_hidden(true);
        ui.compose.set_hidden(true);
    }

    /// Back to the chat (the form was filled in, or a conversation began without it).
    pub(super) fn hide_prechat(&self) {
        if self.inner().lead_inputs.is_empty() && self.ui.lead.hidden() {
            return;
        }
        self.inner_mut().lead_inputs.clear();
        self.ui.lead.set_hidden(true);
        self.ui.log.set_hidden(false);
        self.ui.compose.set_hidden(false);
    }

    pub(super) fn submit_prechat(self: &Rc<Self>) {
        let Some(token) = self.inner().token.clone() else { return };
        let values = Object::new();
        let mut missing = false;
        for (key, input, err, checkbox, required) in &self.inner().lead_inputs {
            let value = if *checkbox {
                let on = Reflect::get(input, &"checked".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
                String::from(if on { "true" } else { "false" })
            } else {
                Reflect::get(input, &"value".into()).ok().and_then(|v| v.as_string()).unwrap_or_default()
            };
            let empty = value.trim().is_empty();
            show_problem(input, err, (empty && *required).then(|| i18n::t("required")).as_deref());
            missing |= empty && *required;
            if !empty {
                let _ = Reflect::set(&values, &key.as_str().into(), &value.into());
            }
        }
        let ui = &self.ui;
        let consented = ui.consent_box.checked();
        let consent_missing = !ui.consent.hidden() && !consented;
        show_problem(&ui.consent_box, &ui.consent_err, consent_missing.then(|| i18n::t("consent-needed")).as_deref());
        if missing || consent_missing {
            return;
        }
        let body = Object::new();
        let kind = self.inner().lead_form.clone();
        let _ = Reflect::set(&body, &"form".into(), &kind.as_str().into());
        let _ = Reflect::set(&body, &"values".into(), &values);
        let _ = Reflect::set(&body, &"consent".into(), &consented.into());
        let app = self.clone();
        self.post_lead(&token, &body, Box::new(move |status, answer| app.prechat_answered(status, &answer)));
    }

    fn prechat_answered(&self, status: u16, answer: &JsValue) {
        match status {
            200 => {
                self.hide_prechat();
                self.ui.set_error(None);
                let _ = self.ui.input.focus();
            }
            400 => {
                let problems = answer.field("fields").and_then(|f| f.items()).unwrap_or_default();
                let inner = self.inner();
                for (key, input, err, ..) in &inner.lead_inputs {
                    let problem =
                        problems.iter().find(|p| p.field("field").and_then(|f| f.string()).as_deref() == Some(key));
                    show_problem(input, err, problem.and_then(|p| p.field("message")?.string()).as_deref());
                }
                let consent =
                    problems.iter().find(|p| p.field("field").and_then(|f| f.string()).as_deref() == Some("consent"));
                show_problem(
                    &self.ui.consent_box,
                    &self.ui.consent_err,
                    consent.map(|_| i18n::t("consent-needed")).as_deref(),
                );
                if problems.is_empty() {
                    let message = answer.field("message").and_then(|m| m.string());
                    self.ui.set_error(Some(&message.unwrap_or_else(|| i18n::t("form-not-sent"))));
                }
            }
            // The workspace stopped asking the form meanwhile: on to the chat.
            403 => self.hide_prechat(),
            _ => self.ui.set_error(Some(&i18n::t("form-not-sent"))),
        }
    }

    /// Waits for the visitor's oldest unanswered message to be old enough, then asks for
    /// an email; hides the question once an operator has answered.
    pub(super) fn schedule_ask(self: &Rc<Self>) {
        let due = {
            let mut inner = self.inner_mut();
            timer::cancel(inner.ask_timer.take());
            let Some(secs) = inner.ask_email_after else { return };
            let messages = inner.conv.messages();
            let answered = messages.iter().rposition(|m| m.author == Author::Operator).map_or(0, |i| i + 1);
            messages[answered..].iter().find(|m| m.author == Author::Visitor).map(|m| m.at_ms + i64::from(secs) * 1000)
        };
        let Some(due) = due else {
            self.ui.ask.set_hidden(true);
            return;
        };
        let wait = (due - js_sys::Date::now() as i64).clamp(0, i64::from(u32::MAX)) as u32;
        let app = self.clone();
        let id = timer::once(wait, move || {
            app.inner_mut().ask_timer = None;
            app.ui.ask.set_hidden(false);
            app.ui.ask_row.set_hidden(false);
            if app.ui.near_bottom() {
                app.ui.scroll_to_bottom();
            }
        });
        self.inner_mut().ask_timer = id;
    }

    pub(super) fn submit_email(self: &Rc<Self>) {
        let Some(token) = self.inner().token.clone() else { return };
        let email = self.ui.ask_input.value();
        let email = email.trim();
        show_problem(&self.ui.ask_input, &self.ui.ask_err, email.is_empty().then(|| i18n::t("required")).as_deref());
        if email.is_empty() {
            return;
        }
        let values = Object::new();
        let _ = Reflect::set(&values, &"email".into(), &email.into());
        let body = Object::new();
        let _ = Reflect::set(&body, &"form".into(), &"email".into());
        let _ = Reflect::set(&body, &"values".into(), &values);
        let app = self.clone();
        let email = email.to_owned();
        self.post_lead(
            &token,
            &body,
            Box::new(move |status, answer| {
                let ui = &app.ui;
                if status == 200 {
                    {
                        let mut inner = app.inner_mut();
                        inner.ask_email_after = None;
                        timer::cancel(inner.ask_timer.take());
                    }
                    show_problem(&ui.ask_input, &ui.ask_err, None);
                    ui.ask_row.set_hidden(true);
                    let thanks = i18n::t_with("email-thanks", &[("email", i18n::Arg::Text(&email))]);
                    let _ = ui.ask_text.remove_attribute("data-t");
                    ui.ask_text.set_text_content(Some(&thanks));
                    return;
                }
                let problem = answer
                    .field("fields")
                    .and_then(|f| f.items())
                    .and_then(|f| f.first()?.field("message")?.string())
                    .or_else(|| answer.field("message").and_then(|m| m.string()));
                show_problem(&ui.ask_input, &ui.ask_err, Some(&problem.unwrap_or_else(|| i18n::t("form-not-sent"))));
            }),
        );
    }

    fn post_lead(&self, token: &str, body: &Object, done: Box<dyn FnOnce(u16, JsValue)>) {
        let Some(text) = JSON::stringify(body).ok().and_then(|t| t.as_string()) else { return };
        api::post_json(api::LEAD, &self.base, &self.key, token, &text, done);
    }
}
