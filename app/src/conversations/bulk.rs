//! Bulk actions in the inbox column: rows have a checkbox; with some selected (or, while
//! searching, "all N matching") a bar offers one action for all of them. The answer says
//! how many were changed and names each failure with its reason.

use std::collections::HashSet;

use leptos::prelude::*;
use parley_types::{BulkActionKind, BulkResult, ConversationId, ConversationOutcome};

use super::api::{BulkConversations, BulkDetails};
use super::feed::ConversationFeed;
use super::finder::Finder;
use crate::frame::use_frame;

/// The rows selected for a bulk action.
#[derive(Clone, Copy)]
pub struct Selection {
    pub ids: RwSignal<HashSet<ConversationId>>,
    /// "All N matching" the current search, instead of the rows.
    pub all_matching: RwSignal<bool>,
    run: ServerAction<BulkConversations>,
}

impl Selection {
    pub fn new() -> Self {
        let selection = Selection {
            ids: RwSignal::new(HashSet::new()),
            all_matching: RwSignal::new(false),
            run: ServerAction::new(),
        };
        let toasts = use_frame().toasts;
        Effect::new(move |_| match selection.run.value().get() {
            Some(Ok(result)) => {
                match summary(&result) {
                    (text, false) => toasts.success(text),
                    (text, true) => toasts.error(text),
                }
                selection.clear();
            }
            Some(Err(err)) => toasts.error(err),
            None => {}
        });
        selection
    }

    pub fn clear(&self) {
        self.ids.set(HashSet::new());
        self.all_matching.set(false);
    }

    pub fn toggle(&self, id: ConversationId, on: bool) {
        self.all_matching.set(false);
        self.ids.update(|ids| {
            if on {
                ids.insert(id);
            } else {
                ids.remove(&id);
            }
        });
    }
}

/// What the toast says, and whether anything failed.
fn summary(result: &BulkResult) -> (String, bool) {
    let done = match result.done.len() {
        1 => "1 conversation changed.".to_owned(),
        n => format!("{n} conversations changed."),
    };
    if result.failed.is_empty() {
        return (done, false);
    }
    let reasons: Vec<String> =
        result.failed.iter().take(3).map(|f| format!("#{}: {}", f.conversation_id, f.message)).collect();
    let more = result.failed.len().saturating_sub(3);
    let more = if more > 0 { format!(" (and {more} more)") } else { String::new() };
    (format!("{done} {} failed: {}{more}", result.failed.len(), reasons.join("; ")), true)
}

/// The checkbox at the start of a row.
#[component]
pub fn SelectBox(selection: Selection, id: ConversationId, name: String) -> impl IntoView {
    view! {
        <input
            type="checkbox"
            class="select"
            aria-label=format!("Select {name}")
            prop:checked=move || selection.all_matching.get() || selection.ids.with(|ids| ids.contains(&id))
            on:change=move |ev| selection.toggle(id, event_target_checked(&ev))
        />
    }
}

/// The bar of bulk actions, shown while rows are selected (or a search is active).
#[component]
pub fn BulkBar(selection: Selection, finder: Finder, feed: ConversationFeed) -> impl IntoView {
    let frame = use_frame();
    let chosen = RwSignal::new(String::new());
    let count = move || selection.ids.with(HashSet::len);
    let shown = move || count() > 0 || (finder.active() && selection.all_matching.get());
    let offer_all = move || finder.active() && count() > 0 && !selection.all_matching.get();
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let choice = chosen.get_untracked();
        let me = frame.member().map(|m| m.user_id);
        let mut args = BulkConversations {
            action: BulkActionKind::MarkRead,
            ids: Vec::new(),
            matching: None,
            details: BulkDetails::default(),
        };
        let details = &mut args.details;
        match choice.as_str() {
            "take" => (args.action, details.assignee) = (BulkActionKind::Assign, me),
            "unassign" => args.action = BulkActionKind::Assign,
            "resolve" => (args.action, details.outcome) = (BulkActionKind::Close, Some(ConversationOutcome::Resolved)),
            "abandon" => (args.action, details.outcome) = (BulkActionKind::Close, Some(ConversationOutcome::Abandoned)),
            "snooze" => args.action = BulkActionKind::Snooze,
            "reopen" => args.action = BulkActionKind::Reopen,
            "read" => args.action = BulkActionKind::MarkRead,
            label => match label.strip_prefix("label:").and_then(|id| id.parse().ok()) {
                Some(id) => (args.action, details.label) = (BulkActionKind::Label, Some(parley_types::LabelId(id))),
                None => return,
            },
        }
        if selection.all_matching.get_untracked() {
            args.matching = Some(finder.filter.get_untracked());
        } else {
            args.ids = selection.ids.get_untracked().into_iter().collect();
        }
        selection.run.dispatch(args);
    };
    view! {
        <Show when=offer_all>
            <button type="button" class="all-matching" on:click=move |_| selection.all_matching.set(true)>
                "Select all matching"
            </button>
        </Show>
        <Show when=shown>
            <form class="bulk" role="toolbar" aria-label="Bulk actions" on:submit=apply>
                <span role="status">
                    {move || if selection.all_matching.get() { "All matching selected".to_owned() } else { format!("{} selected", count()) }}
                </span>
                <select aria-label="Bulk action" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="">"Choose an action…"</option>
                    <option value="take">"Assign to me"</option>
                    <option value="unassign">"Unassign"</option>
                    <option value="resolve">"Close as resolved"</option>
                    <option value="abandon">"Close as abandoned"</option>
                    <option value="snooze">"Snooze until the customer writes"</option>
                    <option value="reopen">"Reopen"</option>
                    <option value="read">"Mark read"</option>
                    // Shown only in the browser (rows are selected), so no server render reads it.
                    {move || feed.labels().into_iter().map(|l| view! {
                        <option value=format!("label:{}", l.id)>{format!("Add label {}", l.name)}</option>
                    }).collect_view()}
                </select>
                <button type="submit" disabled=move || selection.run.pending().get()>"Apply"</button>
                <button type="button" on:click=move |_| selection.clear()>"Clear selection"</button>
            </form>
        </Show>
    }
}
