//! The labels on a conversation: chips that can be taken off, and a picker for the
//! workspace's other labels. The list stays live (`LabelsChanged`).

use leptos::prelude::*;
use parley_types::{ConversationSummary, LabelId};

use super::api::LabelConversation;
use super::feed::ConversationFeed;
use super::inbox::LabelChip;
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn ConversationLabels(summary: RwSignal<ConversationSummary>) -> impl IntoView {
    let feed = ConversationFeed::use_feed();
    let toasts = use_frame().toasts;
    let label = ServerAction::<LabelConversation>::new();
    Effect::new(move |_| match label.value().get() {
        Some(Ok(changed)) => summary.set(changed),
        Some(Err(err)) => toasts.error(err),
        None => {}
    });
    let set = move |id: LabelId, on: bool| {
        label.dispatch(LabelConversation { id: summary.read_untracked().id, label: id, on });
    };
    let on_it = move || feed.labels_of(&summary.read().labels);
    let others = move || {
        let ids = summary.read().labels.clone();
        feed.labels().into_iter().filter(|l| !ids.contains(&l.id)).collect::<Vec<_>>()
    };
    view! {
        <div class="conversation-labels" role="group" aria-label=t!("inbox-labels")>
            <Transition fallback=|| ()>
                {move || on_it().into_iter().map(|l| {
                    let (id, name) = (l.id, l.name.clone());
                    view! {
                        <span class="label-on">
                            <LabelChip label=l/>
                            <button
                                type="button"
                                class="remove"
                                aria-label=t!("inbox-remove-label", name = name.clone())
                                on:click=move |_| set(id, false)
                            >"×"</button>
                        </span>
                    }
                }).collect_view()}
                <Show when=move || !others().is_empty()>
                    <select
                        aria-label=t!("inbox-add-label")
                        data-shortcut="l"
                        disabled=move || label.pending().get()
                        on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                                set(LabelId(id), true);
                            }
                        }
                    >
                        <option value="" selected=true>{t!("inbox-add-label-option")}</option>
                        {move || others().into_iter().map(|l| view! {
                            <option value=l.id.0.to_string()>{l.name}</option>
                        }).collect_view()}
                    </select>
                </Show>
            </Transition>
        </div>
    }
}
