//! The panel's DOM inside the loader's shadow root.
//!
//! The static skeleton (markup, no user data) comes from `panel.html` in one `innerHTML`
//! assignment, which keeps the wasm much smaller than building it node by node. Its styles
//! (`panel.css`) are a constructed stylesheet adopted by the shadow root, which a host
//! page's Content-Security-Policy does not govern (an inline `<style>` would need the host
//! to allow `'unsafe-inline'` styles); browsers without constructed stylesheets get a
//! `<style>` element instead.
//! Everything a person wrote (messages, names, the workspace name) goes in through
//! `textContent` only, so markup in it is shown as text.

use crate::i18n;
use crate::wire::{self, Author, Message};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use web_sys::{CssStyleSheet, Document, Element, EventTarget, HtmlElement, HtmlTextAreaElement, ShadowRoot};

/// The panel's markup.
const PANEL: &str = include_str!("panel.html");
/// The panel's styles.
const PANEL_CSS: &str = include_str!("panel.css");

/// Adds `css` to `root` as a constructed stylesheet; false where the browser has none.
fn adopt_styles(root: &ShadowRoot, css: &str) -> bool {
    let Ok(sheet) = CssStyleSheet::new() else { return false };
    if sheet.replace_sync(css).is_err() {
        return false;
    }
    // A copy of the current list (the loader's launcher styles) plus the panel's.
    let sheets = js_sys::Array::from(&root.adopted_style_sheets());
    sheets.push(&sheet);
    root.set_adopted_style_sheets(&sheets);
    true
}

/// Handles on the widget's elements.
pub struct Ui {
    /// The widget's shadow root.
    pub root: ShadowRoot,
    /// Creates message nodes.
    pub doc: Document,
    /// The round launcher button (drawn by the loader).
    pub launcher: HtmlElement,
    /// The unread count on the launcher.
    pub badge: HtmlElement,
    /// The chat panel (`role="dialog"`).
    pub panel: HtmlElement,
    /// The "Close chat" button.
    pub close: HtmlElement,
    /// The "Connecting…" / "Reconnecting…" line.
    pub conn: HtmlElement,
    /// The message list (`role="log"`).
    pub log: HtmlElement,
    /// "Seen", moved under the newest visitor message the team has read.
    pub seen: HtmlElement,
    /// The operator-typing indicator.
    pub typing: HtmlElement,
    /// The error line (`role="alert"`).
    pub error: HtmlElement,
    /// The draft.
    pub input: HtmlTextAreaElement,
    /// The "Send" button.
    pub send: HtmlElement,
    /// The "Attach a file" button, and the file input it opens.
    pub attach: HtmlElement,
    pub picker: web_sys::HtmlInputElement,
    /// The microphone button, and the "Recording 0:03" line.
    pub voice: HtmlElement,
    pub rec: HtmlElement,
    /// An operator's new message shown beside the launcher while the panel is closed.
    pub popup: HtmlElement,
    /// The message box, its buttons and the send button (hidden behind the pre-chat form).
    pub compose: HtmlElement,
    /// The pre-chat form, its introduction, its fields' holder, the consent line (its
    /// checkbox and sentence) and the consent's problem.
    pub lead: HtmlElement,
    pub lead_intro: HtmlElement,
    pub lead_go: HtmlElement,
    pub lead_fields: HtmlElement,
    pub consent: HtmlElement,
    pub consent_box: web_sys::HtmlInputElement,
    pub consent_err: HtmlElement,
    /// The in-chat email capture, its sentence, its input row and the input's problem.
    pub ask: HtmlElement,
    pub ask_text: HtmlElement,
    pub ask_row: HtmlElement,
    pub ask_input: web_sys::HtmlInputElement,
    pub ask_err: HtmlElement,
}

impl Ui {
    /// Adds the panel to `root` and finds the loader's launcher and badge (creating them if
    /// the loader did not). `None` when the document is unusable.
    pub fn build(root: &ShadowRoot) -> Option<Ui> {
        let doc = root.owner_document()?;
        let launcher: HtmlElement = match find(root, ".launcher") {
            Some(l) => l,
            None => {
                let l = doc.create_element("button").ok()?;
                l.set_class_name("launcher");
                l.set_attribute("data-ta", "open-chat").ok()?;
                l.set_text_content(Some(&i18n::t("launcher")));
                root.append_child(&l).ok()?;
                l.unchecked_into()
            }
        };
        let badge = match launcher.query_selector(".badge").ok().flatten() {
            Some(b) => b.unchecked_into(),
            None => {
                let b: HtmlElement = doc.create_element("span").ok()?.unchecked_into();
                b.set_class_name("badge");
                b.set_hidden(true);
                launcher.append_child(&b).ok()?;
                b
            }
        };
        let holder = doc.create_element("div").ok()?;
        if !adopt_styles(root, PANEL_CSS) {
            let style = doc.create_element("style").ok()?;
            style.set_text_content(Some(PANEL_CSS));
            root.append_child(&style).ok()?;
        }
        holder.set_inner_html(PANEL);
        root.append_child(&holder).ok()?;
        i18n::apply(root);
        Some(Ui {
            root: root.clone(),
            launcher,
            badge,
            panel: find(root, ".panel")?,
            close: find(root, ".close")?,
            conn: find(root, ".conn")?,
            log: find(root, ".log")?,
            seen: find(root, ".seen")?,
            typing: find(root, ".typing")?,
            error: find(root, ".error")?,
            input: find(root, "textarea")?,
            send: find(root, ".send")?,
            attach: find(root, ".attach")?,
            picker: find(root, ".pick")?,
            voice: find(root, ".voice")?,
            rec: find(root, ".rec")?,
            popup: find(root, ".popup")?,
            compose: find(root, ".compose")?,
            lead: find(root, ".lead")?,
            lead_intro: find(root, ".intro")?,
            lead_go: find(root, ".go")?,
            lead_fields: find(root, ".fields")?,
            consent: find(root, ".consent")?,
            consent_box: find(root, ".consent input")?,
            consent_err: find(root, ".lead > .ferr")?,
            ask: find(root, ".ask")?,
            ask_text: find(root, ".asktext")?,
            ask_row: find(root, ".askrow")?,
            ask_input: find(root, ".ask input")?,
            ask_err: find(root, ".ask .ferr")?,
            doc,
        })
    }

    /// Shows an operator's new message beside the launcher (`None` hides it). The text goes
    /// in as text.
    pub fn set_popup(&self, message: Option<(&str, &str)>) {
        let Some((author, text)) = message else {
            self.popup.set_hidden(true);
            return;
        };
        self.popup.set_text_content(None);
        if let Ok(name) = self.doc.create_element("b") {
            name.set_text_content(Some(author));
            let _ = self.popup.append_child(&name);
        }
        let short: String = text.chars().take(140).collect();
        let short = if short.len() < text.len() { format!("{short}…") } else { short };
        let _ = self.popup.append_with_str_1(&short);
        self.popup.set_hidden(false);
    }

    /// Shows the unread count on the launcher, hidden at 0.
    pub fn set_badge(&self, unread: usize) {
        self.badge.set_hidden(unread == 0);
        let count = i64::try_from(unread).unwrap_or(i64::MAX);
        let _ = self.badge.set_attribute("aria-label", &i18n::t_with("unread", &[("count", i18n::Arg::Number(count))]));
        if unread > 99 {
            self.badge.set_text_content(Some("99+"));
        } else {
            self.badge.set_text_content(Some(&wire::int(unread as i64)));
        }
    }

    /// Shows the message `id` on the connection line (kept in the language the widget
    /// speaks), or hides it for `None`.
    pub fn set_conn(&self, id: Option<&str>) {
        match id {
            Some(id) => {
                let _ = self.conn.set_attribute("data-t", id);
                show(&self.conn, Some(&i18n::t(id)));
            }
            None => show(&self.conn, None),
        }
    }

    /// Shows `text` on the error line, or hides it for `None`.
    pub fn set_error(&self, text: Option<&str>) {
        show(&self.error, text);
    }

    /// Whether the message list is scrolled (nearly) to its end.
    pub fn near_bottom(&self) -> bool {
        let log = &self.log;
        log.scroll_height() - log.scroll_top() - log.client_height() < 48
    }

    /// Scrolls the message list to its end.
    pub fn scroll_to_bottom(&self) {
        self.log.set_scroll_top(self.log.scroll_height());
    }

    /// A bubble for a stored message: the author's name for operators, the text, then
    /// its files (fetched with the visitor's token, from `files`).
    pub fn message_node(&self, message: &Message, files: &crate::files::Source) -> Option<Element> {
        let name = match message.author {
            Author::Operator => message.author_name.as_deref().filter(|n| !n.is_empty()),
            _ => None,
        };
        let node = self.bubble(message.author.as_str(), name, &message.text)?;
        let _ = node.set_attribute("data-seq", &wire::int(message.seq));
        crate::files::show(&self.doc, &node, &message.files, files);
        Some(node)
    }

    /// A dimmed bubble for a file on its way up, with its progress bar.
    pub fn upload_node(&self, name: &str) -> Option<(Element, Element)> {
        let node = self.bubble("visitor pending", None, name)?;
        let bar = self.doc.create_element("progress").ok()?;
        let _ = bar.set_attribute("max", "100");
        let _ = bar.set_attribute("aria-label", &i18n::t("uploading"));
        node.append_child(&bar).ok()?;
        Some((node, bar))
    }

    /// A dimmed bubble for a send the server has not confirmed yet.
    pub fn pending_node(&self, text: &str) -> Option<Element> {
        self.bubble("visitor pending", None, text)
    }

    /// A field of the pre-chat form in `self.lead_fields`: its input (or select) and the
    /// line for its problem. The label and options go in as text.
    pub fn form_field(
        &self,
        key: &str,
        label_text: &str,
        kind: &str,
        required: bool,
        options: Option<JsValue>,
    ) -> Option<(Element, HtmlElement)> {
        let doc = &self.doc;
        let label = doc.create_element("label").ok()?;
        let checkbox = kind == "checkbox";
        let tag = match kind {
            "select" => "select",
            "textarea" => "textarea",
            _ => "input",
        };
        let input = doc.create_element(tag).ok()?;
        input.set_attribute("name", key).ok()?;
        if kind == "select" {
            let blank = doc.create_element("option").ok()?;
            blank.set_attribute("value", "").ok()?;
            blank.set_text_content(Some(&i18n::t("choose")));
            input.append_child(&blank).ok()?;
            for option in options.as_ref().and_then(wire::Json::items).unwrap_or_default() {
                let Some(option) = option.as_string() else { continue };
                let o = doc.create_element("option").ok()?;
                o.set_attribute("value", &option).ok()?;
                o.set_text_content(Some(&option));
                input.append_child(&o).ok()?;
            }
        } else if kind == "textarea" {
            input.set_attribute("rows", "4").ok()?;
        } else {
            input.set_attribute("type", kind).ok()?;
        }
        if kind == "email" || kind == "tel" || key == "name" {
            let auto = if key == "name" { "name" } else { kind };
            input.set_attribute("autocomplete", auto).ok()?;
        }
        if required {
            input.set_attribute("aria-required", "true").ok()?;
        }
        let mut text = label_text.to_owned();
        if required && !checkbox {
            text.push_str(" *");
        }
        let caption = doc.create_element("span").ok()?;
        caption.set_text_content(Some(&text));
        if checkbox {
            label.set_class_name("check");
            label.append_child(&input).ok()?;
            label.append_child(&caption).ok()?;
        } else {
            label.append_child(&caption).ok()?;
            label.append_child(&input).ok()?;
        }
        let err: HtmlElement = doc.create_element("p").ok()?.unchecked_into();
        err.set_class_name("ferr");
        err.set_attribute("role", "alert").ok()?;
        err.set_hidden(true);
        self.lead_fields.append_child(&label).ok()?;
        self.lead_fields.append_child(&err).ok()?;
        Some((input, err))
    }

    /// The consent line: the sentence, a link when `url` is an http(s) address.
    pub fn set_consent(&self, consent: Option<&(String, String)>) {
        self.consent.set_hidden(consent.is_none());
        self.consent_box.set_checked(false);
        let Some((text, url)) = consent else { return };
        let Ok(Some(holder)) = self.consent.query_selector("span") else { return };
        holder.set_text_content(None);
        let linked = url.starts_with("https://") || url.starts_with("http://");
        let node = if linked { self.doc.create_element("a").ok() } else { self.doc.create_element("span").ok() };
        if let Some(node) = node {
            if linked {
                let _ = node.set_attribute("href", url);
                let _ = node.set_attribute("target", "_blank");
                let _ = node.set_attribute("rel", "noopener noreferrer");
            }
            node.set_text_content(Some(text));
            let _ = holder.append_child(&node);
        }
    }

    fn bubble(&self, class: &str, name: Option<&str>, text: &str) -> Option<Element> {
        let node = self.doc.create_element("div").ok()?;
        let mut classes = String::from("msg ");
        classes.push_str(class);
        node.set_class_name(&classes);
        if let Some(name) = name {
            self.child(&node, "who", name)?;
        }
        if !text.is_empty() {
            self.child(&node, "text", text)?;
        }
        Some(node)
    }

    fn child(&self, parent: &Element, class: &str, text: &str) -> Option<()> {
        let el = self.doc.create_element("div").ok()?;
        el.set_class_name(class);
        el.set_text_content(Some(text));
        parent.append_child(&el).ok()?;
        Some(())
    }
}

/// A problem line under a form field (`p.ferr`, hidden until [`show_problem`]).
pub fn show_problem(input: &Element, err: &HtmlElement, problem: Option<&str>) {
    show(err, problem);
    let _ = input.set_attribute("aria-invalid", if problem.is_some() { "true" } else { "false" });
}

/// The element matching `selector`. Unchecked casts (no `instanceof` glue): the selectors
/// only match elements of the expected kind in the loader's and `panel.html`'s markup.
fn find<T: JsCast>(root: &ShadowRoot, selector: &str) -> Option<T> {
    Some(root.query_selector(selector).ok().flatten()?.unchecked_into())
}

fn show(el: &HtmlElement, text: Option<&str>) {
    el.set_hidden(text.is_none());
    if let Some(text) = text {
        el.set_text_content(Some(text));
    }
}

/// Calls `handler` for every `event` on `target`, for the page's lifetime.
pub fn listen(target: &EventTarget, event: &str, handler: impl FnMut(JsValue) + 'static) {
    let closure = Closure::<dyn FnMut(JsValue)>::own_aborting(handler);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}
