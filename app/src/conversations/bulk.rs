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
use crate::t;

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
    let done = t!("conv-bulk-changed", count = result.done.len());
    if result.failed.is_empty() {
        return (done, false);
    }
    let reasons: Vec<String> = result
        .failed
        .iter()
        .take(3)
        .map(|f| format!("#{}: {}", f.conversation_id, crate::i18n::Said::said(f)))
        .collect();
    let more = result.failed.len().saturating_sub(3);
    let (failed, reasons) = (result.failed.len(), reasons.join("; "));
    let text = if more > 0 {
        t!("conv-bulk-failed-more", changed = done, failed = failed, reasons = reasons, more_count = more)
    } else {
        t!("conv-bulk-failed", changed = done, failed = failed, reasons = reasons)
    };
    (text, true)
}

/// The checkbox at the start of a row.
#[component]
pub fn SelectBox(selection: Selection, id: ConversationId, name: String) -> impl IntoView {
    view! {
        <input
            type="checkbox"
            class="select"
            aria-label=t!("conv-select", name = name)
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
                {t!("conv-select-all-matching")}
            </button>
        </Show>
        <Show when=shown>
            <form class="bulk" role="toolbar" aria-label=t!("conv-bulk-actions") on:submit=apply>
                <span role="status">
                    {move || if selection.all_matching.get() { t!("conv-all-matching-selected") } else { t!("conv-selected-count", count = count()) }}
                </span>
                <select aria-label=t!("conv-bulk-action") on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="">{t!("conv-choose-action")}</option>
                    <option value="take">{t!("conv-assign-to-me")}</option>
                    <option value="unassign">{t!("conv-unassign")}</option>
                    <option value="resolve">{t!("conv-close-as-resolved")}</option>
                    <option value="abandon">{t!("conv-close-as-abandoned")}</option>
                    <option value="snooze">{t!("conv-snooze-until-customer-writes")}</option>
                    <option value="reopen">{t!("conv-reopen")}</option>
                    <option value="read">{t!("conv-mark-read")}</option>
                    // Shown only in the browser (rows are selected), so no server render reads it.
                    {move || feed.labels().into_iter().map(|l| view! {
                        <option value=format!("label:{}", l.id)>{t!("conv-add-label-named", name = l.name)}</option>
                    }).collect_view()}
                </select>
                <button type="submit" disabled=move || selection.run.pending().get()>{t!("conv-apply")}</button>
                <button type="button" on:click=move |_| selection.clear()>{t!("conv-clear-selection")}</button>
            </form>
        </Show>
    }
}
