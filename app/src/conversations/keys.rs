//! Keyboard shortcuts of the inbox, so a day of triage needs no mouse: j/k move through
//! the list (Enter opens), r/n write a reply/note, e/s/a/l close, snooze, assign and
//! label, Ctrl+K searches, ? lists them all. A control takes part by carrying
//! `data-shortcut="<key>"`: a button is pressed (and the menu it opens gets the focus),
//! anything else gets the focus. Keys typed into a box are the box's.

use leptos::prelude::*;

use crate::{msg, t};

/// Every shortcut, as the help lists them: the keys, and the message id of what they do.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("j / k", msg!("conv-shortcut-move")),
    ("Enter", msg!("conv-shortcut-open")),
    ("r", msg!("conv-shortcut-reply")),
    ("n", msg!("conv-shortcut-note")),
    ("e", msg!("conv-shortcut-close")),
    ("s", msg!("conv-shortcut-snooze")),
    ("a", msg!("conv-shortcut-assign")),
    ("l", msg!("conv-shortcut-label")),
    ("Ctrl+K", msg!("conv-shortcut-search")),
    ("Esc", msg!("conv-shortcut-leave")),
    ("?", msg!("conv-shortcut-help")),
];

/// Listens for the shortcuts while the inbox is shown, and shows their list on `?`.
#[component]
pub fn Shortcuts() -> impl IntoView {
    let help = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
                return;
            }
            let key = ev.key();
            if key == "Escape" {
                help.set(false);
                dom::leave_box();
                return;
            }
            if dom::typing_in_a_box(&ev) {
                return;
            }
            let handled = match key.as_str() {
                "?" => {
                    help.update(|open| *open = !*open);
                    true
                }
                "j" => dom::move_in_list(1),
                "k" => dom::move_in_list(-1),
                "r" | "n" => dom::press(&key) && dom::focus("form.composer textarea"),
                "e" | "s" | "a" | "l" => dom::press(&key),
                _ => false,
            };
            if handled {
                ev.prevent_default();
            }
        });
        on_cleanup(move || handle.remove());
    }
    view! {
        <button type="button" class="shortcuts-hint" aria-keyshortcuts="?" on:click=move |_| help.update(|open| *open = !*open)>
            {t!("conv-keyboard-shortcuts")}
        </button>
        <Show when=move || help.get()>
            <div class="shortcuts" role="dialog" aria-label=t!("conv-keyboard-shortcuts")>
                <h2>{t!("conv-keyboard-shortcuts")}</h2>
                <dl>
                    {SHORTCUTS.iter().map(|(keys, what)| view! { <dt><kbd>{*keys}</kbd></dt><dd>{crate::i18n::message(what, None)}</dd> }).collect_view()}
                </dl>
                <button type="button" on:click=move |_| help.set(false)>{t!("conv-shortcuts-close")}</button>
            </div>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod dom {
    use wasm_bindgen::JsCast;
    use web_sys::HtmlElement;

    fn html(selector: &str) -> Option<HtmlElement> {
        leptos::prelude::document().query_selector(selector).ok().flatten()?.dyn_into::<HtmlElement>().ok()
    }

    /// Whether the key was typed into a text box, a select or an editable element.
    pub fn typing_in_a_box(ev: &web_sys::KeyboardEvent) -> bool {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
        matches!(target.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || target.get_attribute("contenteditable").is_some_and(|v| v != "false")
    }

    /// Escape leaves the box being typed in (for the next shortcut).
    pub fn leave_box() {
        if let Some(active) =
            leptos::prelude::document().active_element().and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = active.blur();
        }
    }

    /// Focuses the first element matching `selector`.
    pub fn focus(selector: &str) -> bool {
        html(selector).is_some_and(|el| el.focus().is_ok())
    }

    /// Presses (buttons) or focuses (anything else) the control with this shortcut; a
    /// menu the button opened gets the focus.
    pub fn press(key: &str) -> bool {
        let Some(el) = html(&format!("[data-shortcut=\"{key}\"]")) else { return false };
        if el.tag_name() != "BUTTON" {
            return el.focus().is_ok();
        }
        el.click();
        let _ = el.focus();
        // A menu button's menu renders after the click's effects: once it is open, its
        // first control takes the focus.
        if el.has_attribute("aria-expanded") {
            leptos::prelude::request_animation_frame(move || {
                if el.get_attribute("aria-expanded").as_deref() != Some("true") {
                    return;
                }
                let menu = el.parent_element();
                let first = menu.and_then(|m| m.query_selector(".menu-body input, .menu-body button").ok().flatten());
                if let Some(first) = first.and_then(|f| f.dyn_into::<HtmlElement>().ok()) {
                    let _ = first.focus();
                }
            });
        }
        true
    }

    /// Moves the focus `by` rows in the conversation list (or the search results), from
    /// the focused row, else the open one, else the top.
    pub fn move_in_list(by: i32) -> bool {
        let document = leptos::prelude::document();
        let Ok(links) = document.query_selector_all("nav.inbox li.conversation > a") else { return false };
        let links: Vec<HtmlElement> =
            (0..links.length()).filter_map(|i| links.item(i)?.dyn_into::<HtmlElement>().ok()).collect();
        if links.is_empty() {
            return false;
        }
        let active = document.active_element();
        let current =
            links.iter().position(|l| active.as_ref().is_some_and(|a| a.is_same_node(Some(l)))).or_else(|| {
                links.iter().position(|l| l.parent_element().is_some_and(|li| li.class_list().contains("selected")))
            });
        let next = match current {
            Some(i) => (i as i32 + by).clamp(0, links.len() as i32 - 1) as usize,
            None => 0,
        };
        links[next].focus().is_ok()
    }
}
