//! The conversation as the visitor sees it: placing incoming messages in the log, sending
//! a draft as a pending message until the server confirms it, the unread badge, and the
//! visitor's typing notices.

use std::rc::Rc;

use wasm_bindgen::JsCast;

use super::App;
use crate::i18n;
use crate::state::{DraftError, check_draft, hex_id};
use crate::storage;
use crate::timer;
use crate::wire::{self, Author, Message};

/// Idle time after the last keystroke before "stopped typing" is sent, in milliseconds.
const TYPING_IDLE_MS: u32 = 2_000;

impl App {
    pub(super) fn add_message(&self, message: Message) {
        let files = crate::files::Source {
            base: self.base.clone(),
            key: self.key.clone(),
            token: self.inner().token.as_deref().unwrap_or_default().into(),
        };
        let Some(node) = self.ui.message_node(&message, &files) else {
            return;
        };
        let from_operator = message.author == Author::Operator;
        let stick = self.ui.near_bottom();
        // What the page's `message` / `sent` listeners get.
        let detail = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&detail, &"text".into(), &message.text.as_str().into());
        if let Some(name) = &message.author_name {
            let _ = js_sys::Reflect::set(&detail, &"author".into(), &name.as_str().into());
        }
        let tell = {
            let mut inner = self.inner_mut();
            let live = inner.live;
            let done = inner.conv.insert(message);
            let tell = match (&done.index, &done.confirmed_pending) {
                (_, Some(_)) => Some("sent"),
                (Some(_), None) if from_operator && live => Some("message"),
                _ => None,
            };
            if let Some(i) = done.confirmed_pending {
                inner.pending_nodes.remove(i).remove();
            }
            if let Some(i) = done.index {
                let before = inner.nodes.get(i).or(inner.pending_nodes.first()).cloned();
                let before: Option<&web_sys::Node> = before.as_ref().map(|e| e.as_ref());
                let _ = self.ui.log.insert_before(&node, before);
                // Kept parallel to the conversation even if the DOM refused the node.
                inner.nodes.insert(i, node);
            }
            tell
        };
        if let Some(name) = tell {
            // A new answer while the panel is closed shows beside the launcher.
            if name == "message" && !self.inner().open {
                let author = js_sys::Reflect::get(&detail, &"author".into()).ok().and_then(|a| a.as_string());
                let text = js_sys::Reflect::get(&detail, &"text".into()).ok().and_then(|t| t.as_string());
                self.ui.set_popup(Some((
                    &author.unwrap_or_else(|| i18n::t("new-message")),
                    text.as_deref().unwrap_or_default(),
                )));
            }
            self.emit(name, &detail);
        }
        if from_operator {
            self.ui.typing.set_hidden(true);
        }
        if stick {
            self.ui.scroll_to_bottom();
        }
        self.show_seen();
        self.update_unread();
    }

    /// Marks everything read while the panel is open on a visible page, tells the server
    /// (the operators' "Seen"), and redraws the badge.
    pub(super) fn update_unread(&self) {
        let (unread, report) = {
            let mut inner = self.inner_mut();
            let last = inner.conv.last_seq();
            let shown = inner.open && !self.ui.doc.hidden();
            if shown && last > inner.last_read {
                inner.last_read = last;
                self.store.set(storage::LAST_READ, &wire::int(last));
            }
            (inner.conv.unread(inner.last_read), shown && last > inner.reported_read)
        };
        self.ui.set_badge(unread);
        let changed = std::mem::replace(&mut self.inner_mut().told_unread, unread) != unread;
        if changed {
            self.emit("unread", &wasm_bindgen::JsValue::from(unread as u32));
        }
        if report {
            self.report_read();
        }
    }

    /// Tells the server how far the visitor has displayed the conversation, once per
    /// position (again after a reconnect, when it was not delivered).
    pub(super) fn report_read(&self) {
        let last = self.inner().last_read;
        if last > self.inner().reported_read && self.send_frame(&wire::read(last)) {
            self.inner_mut().reported_read = last;
        }
    }

    /// The team read up to `seq`: "Seen" goes under the newest visitor message up to it.
    pub(super) fn seen(&self, seq: i64) {
        let moved = {
            let mut inner = self.inner_mut();
            let moved = seq > inner.seen_seq;
            inner.seen_seq = inner.seen_seq.max(seq);
            moved
        };
        if moved {
            self.show_seen();
        }
    }

    fn show_seen(&self) {
        let inner = self.inner();
        match inner.conv.seen_index(inner.seen_seq).and_then(|i| inner.nodes.get(i)) {
            Some(node) => {
                let _ = self.ui.log.insert_before(&self.ui.seen, node.next_sibling().as_ref());
                self.ui.seen.set_hidden(false);
            }
            None => self.ui.seen.set_hidden(true),
        }
    }

    pub(super) fn send(&self) {
        if self.inner().stopped {
            return;
        }
        let draft = self.ui.input.value();
        let text = match check_draft(&draft) {
            Ok(text) => text.to_owned(),
            Err(DraftError::Empty) => return,
            Err(DraftError::TooLong) => return self.ui.set_error(Some(&i18n::t("too-long"))),
        };
        self.ui.input.set_value("");
        self.stop_typing();
        self.post(text, Vec::new(), "");
        let _ = self.ui.input.focus();
    }

    /// Sends a message (text, uploaded files or both) as pending until the server echoes
    /// it; `label` stands in the pending bubble for a message without text.
    fn post(&self, text: String, files: Vec<i64>, label: &str) {
        let Some(node) = self.ui.pending_node(if text.is_empty() { label } else { &text }) else {
            return;
        };
        self.ui.set_error(None);
        let _ = self.ui.log.append_child(&node);
        let client_id = hex_id(&timer::random_bytes());
        let frame = wire::send(&client_id, &text, &files);
        {
            let mut inner = self.inner_mut();
            inner.pending_nodes.push(node);
            inner.conv.add_pending(client_id.clone(), text, files);
        }
        let generation = self.inner().generation;
        if self.send_frame(&frame) {
            self.inner_mut().conv.mark_sent(&client_id, generation);
        }
        self.ui.scroll_to_bottom();
    }

    /// Uploads each file of a list (the button, a drop or a paste), then sends it.
    pub(super) fn upload_all(self: &Rc<Self>, list: Option<web_sys::FileList>) {
        let Some(list) = list else { return };
        for i in 0..list.length() {
            if let Some(file) = list.get(i) {
                self.upload(&file, false);
            }
        }
    }

    /// Uploads `file` with a progress bar in the log; once stored, sends it as a message.
    pub(super) fn upload(self: &Rc<Self>, file: &web_sys::File, voice: bool) {
        let Some(token) = self.inner().token.clone() else {
            return self.ui.set_error(Some(&i18n::t("not-connected")));
        };
        let name = file.name();
        let Some((node, bar)) = self.ui.upload_node(&name) else { return };
        self.ui.set_error(None);
        let _ = self.ui.log.append_child(&node);
        self.ui.scroll_to_bottom();
        let url = crate::files::UPLOAD.url(&self.base, &self.key);
        let app = self.clone();
        crate::files::upload(
            &url,
            &token,
            file,
            voice,
            move |done| {
                // In whole percent: formatting a float would pull float printing into the wasm.
                let _ = bar.set_attribute("value", &wire::int((done * 100.0) as i64));
            },
            move |result| {
                node.remove();
                match result {
                    Ok(id) => app.post(String::new(), vec![id], &name),
                    Err(message) => app.ui.set_error(Some(&message)),
                }
            },
        );
    }

    // --- typing ---------------------------------------------------------------------

    pub(super) fn on_input(&self) {
        self.ui.set_error(None);
        if self.ui.input.value().trim().is_empty() {
            return self.stop_typing();
        }
        let start = {
            let mut inner = self.inner_mut();
            timer::cancel(inner.typing_timer.take());
            inner.typing_timer = timer::start(self.typing_idle.as_ref().unchecked_ref(), TYPING_IDLE_MS);
            inner.typing.keystroke()
        };
        if let Some(typing) = start {
            self.send_frame(&wire::typing(typing));
        }
    }

    pub(super) fn stop_typing(&self) {
        let stop = {
            let mut inner = self.inner_mut();
            timer::cancel(inner.typing_timer.take());
            inner.typing.stop()
        };
        if let Some(typing) = stop {
            self.send_frame(&wire::typing(typing));
        }
    }
}
