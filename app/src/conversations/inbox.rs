//! The conversation list: what the server rendered, overlaid with realtime changes.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use parley_types::{Author, ConversationId, ConversationStatus, ConversationSummary, OperatorEvent};

use super::api::list_conversations;
use crate::realtime;

/// Merges live summaries into the loaded list (a live summary replaces the loaded one
/// with the same id) and orders the result newest activity first.
pub fn merge_summaries(
    loaded: Vec<ConversationSummary>,
    live: &HashMap<ConversationId, ConversationSummary>,
) -> Vec<ConversationSummary> {
    let mut rows: Vec<ConversationSummary> = loaded.into_iter().filter(|c| !live.contains_key(&c.id)).collect();
    rows.extend(live.values().cloned());
    rows.sort_by(|a, b| b.last_activity_ms.cmp(&a.last_activity_ms).then(b.id.cmp(&a.id)));
    rows
}

/// The inbox column.
#[component]
pub fn InboxList() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| list_conversations());
    let live = RwSignal::new(HashMap::<ConversationId, ConversationSummary>::new());
    let typing = RwSignal::new(HashSet::<ConversationId>::new());

    realtime::on_event(move |event| match event {
        OperatorEvent::ConversationChanged { conversation } => live.update(|m| {
            m.insert(conversation.id, conversation.clone());
        }),
        OperatorEvent::Typing { conversation_id, author: Author::Visitor, typing: is_typing } => typing.update(|set| {
            if *is_typing {
                set.insert(*conversation_id)
            } else {
                set.remove(conversation_id)
            };
        }),
        OperatorEvent::MessageCreated { message } if message.author == Author::Visitor => typing.update(|set| {
            set.remove(&message.conversation_id);
        }),
        _ => {}
    });
    // After a reconnect, reload the list: it may have changed while we were away.
    realtime::on_reconnect(move || {
        live.set(HashMap::new());
        loaded.refetch();
    });

    let params = use_params_map();
    let selected = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()).map(ConversationId);

    view! {
        <nav class="inbox" aria-label="Conversations">
            <h2>"Conversations"</h2>
            <Transition fallback=|| view! { <p class="notice">"Loading…"</p> }>
                {move || {
                    loaded.get().map(|result| match result {
                        Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                        Ok(rows) => {
                            let rows = merge_summaries(rows, &live.read());
                            if rows.is_empty() {
                                return view! { <p class="empty">"No conversations yet. They appear here as visitors write."</p> }.into_any();
                            }
                            let typing = typing.read();
                            let current = selected();
                            view! {
                                <ul class="conversations">
                                    {rows.into_iter().map(|c| {
                                        let is_typing = typing.contains(&c.id);
                                        view! { <ConversationRow summary=c typing=is_typing selected=current/> }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    })
                }}
            </Transition>
        </nav>
    }
}

#[component]
fn ConversationRow(summary: ConversationSummary, typing: bool, selected: Option<ConversationId>) -> impl IntoView {
    let href = format!("/inbox/{}", summary.id);
    let is_selected = selected == Some(summary.id);
    let unread = summary.unread;
    let preview = if typing {
        "typing…".to_owned()
    } else {
        let prefix = if summary.last_author == Some(Author::Operator) { "Reply: " } else { "" };
        format!("{prefix}{}", summary.last_message.clone().unwrap_or_default())
    };
    let status = (summary.status != ConversationStatus::Open).then(|| summary.status.as_str());
    view! {
        <li class="conversation" class:selected=is_selected class:unread={unread > 0}>
            <A href=href>
                <span class="name">{summary.contact_name.clone()}</span>
                {status.map(|s| view! { <span class="status">{s}</span> })}
                <span class="time">{super::time::clock_time(summary.last_activity_ms)}</span>
                <span class="preview">{preview}</span>
                {(unread > 0).then(|| view! {
                    <span class="badge" aria-label=format!("{unread} unread")>{unread}</span>
                })}
            </A>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parley_types::ContactId;

    fn summary(id: i64, at: i64) -> ConversationSummary {
        ConversationSummary {
            id: ConversationId(id),
            contact_id: ContactId(id),
            contact_name: format!("Guest {id}"),
            status: ConversationStatus::Open,
            assignee_id: None,
            unread: 0,
            last_message: None,
            last_author: None,
            last_seq: 0,
            last_activity_ms: at,
        }
    }

    #[test]
    fn live_changes_replace_loaded_rows_and_reorder_the_list() {
        let loaded = vec![summary(1, 30), summary(2, 20)];
        let mut live = HashMap::new();
        live.insert(ConversationId(2), summary(2, 40));
        live.insert(ConversationId(3), summary(3, 10));
        let ids: Vec<i64> = merge_summaries(loaded, &live).iter().map(|c| c.id.0).collect();
        assert_eq!(ids, vec![2, 1, 3]);
    }
}
