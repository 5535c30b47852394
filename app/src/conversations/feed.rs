//! The workspace's conversations as the operator sees them: the list the server loaded,
//! overlaid with live changes. One feed per frame: it counts unread conversations for
//! the navigation badge on every page and gives the inbox its list.

use std::collections::HashMap;

use leptos::prelude::*;
use parley_types::{ConversationId, ConversationSummary, OperatorEvent};

use super::api::list_conversations;
use crate::ApiError;
use crate::frame::{Badge, use_frame};

/// The loaded list and what changed since.
#[derive(Debug, Clone, Copy)]
pub struct ConversationFeed {
    loaded: Resource<Result<Vec<ConversationSummary>, ApiError>>,
    live: RwSignal<HashMap<ConversationId, ConversationSummary>>,
}

impl ConversationFeed {
    /// Loads the list and follows changes. Create it in a first render pass (it creates
    /// a resource), inside the frame.
    pub fn load() -> Self {
        let loaded = Resource::new(|| (), |_| list_conversations());
        let live = RwSignal::new(HashMap::<ConversationId, ConversationSummary>::new());
        let realtime = use_frame().realtime;
        realtime.on_event(move |event| {
            if let OperatorEvent::ConversationChanged { conversation } = event {
                live.update(|m| {
                    m.insert(conversation.id, conversation.clone());
                });
            }
        });
        // After a reconnect, reload: the list may have changed while we were away.
        realtime.on_reconnect(move || {
            live.set(HashMap::new());
            loaded.refetch();
        });
        Self { loaded, live }
    }

    /// The feed the frame made, or a new one.
    pub fn use_feed() -> Self {
        use_context::<Self>().unwrap_or_else(Self::load)
    }

    /// The conversations, newest activity first; `None` while loading. Reads a
    /// resource: call it inside a `Suspense`/`Transition`.
    pub fn rows(&self) -> Option<Result<Vec<ConversationSummary>, ApiError>> {
        let loaded = self.loaded.get()?;
        Some(loaded.map(|rows| merge_summaries(rows, &self.live.read())))
    }

    /// How many conversations have unread messages (0 while loading).
    pub fn unread_conversations(&self) -> usize {
        match self.rows() {
            Some(Ok(rows)) => rows.iter().filter(|c| c.unread > 0).count(),
            _ => 0,
        }
    }
}

/// The Conversations entry's badge: makes the frame's feed (and provides it to the
/// inbox) and counts its unread conversations.
pub fn unread_badge() -> Badge {
    let feed = ConversationFeed::load();
    provide_context(feed);
    Signal::derive(move || feed.unread_conversations())
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use parley_types::{ContactId, ConversationStatus};

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
