//! The workspace's conversations as the operator sees them: one view of the inbox (Live,
//! Mine, Assigned, Snoozed, Archived) as the server loaded it, overlaid with live
//! changes, and every view's count. One feed per frame: it counts unread conversations
//! for the navigation badge on every page and gives the inbox its list.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use parley_types::{
    ConversationId, ConversationSummary, InboxSort, InboxView, Label, LabelId, OperatorEvent, UserId, ViewCounts,
};

use super::api::{INBOX_PAGE, ListConversations, inbox_counts, list_conversations, list_labels};
use super::arrivals::{Arrival, ArrivalChange, Listed, place_arrivals};
use crate::ApiError;
use crate::frame::{Badge, FrameContext, use_frame};

/// The loaded list and what changed since.
#[derive(Clone, Copy)]
pub struct ConversationFeed {
    view: RwSignal<InboxView>,
    sort: RwSignal<InboxSort>,
    loaded: Resource<Result<Vec<ConversationSummary>, ApiError>>,
    /// Later pages, in server order, loaded with "Load more".
    more: RwSignal<Vec<ConversationSummary>>,
    /// The last page came back short: there is nothing more to load.
    more_done: RwSignal<bool>,
    load_more: ServerAction<ListConversations>,
    counts: Resource<Result<ViewCounts, ApiError>>,
    /// The counts the server pushed since (`OperatorEvent::ViewCounts`), for the team.
    pushed: RwSignal<Option<parley_types::TeamViewCounts>>,
    live: RwSignal<HashMap<ConversationId, ConversationSummary>>,
    /// Conversations that left the member's view since (moved to a department they are
    /// not in), until they change into it again.
    gone: RwSignal<HashSet<ConversationId>>,
    /// New conversations being made (`ConversationArriving`), until their summary comes.
    arriving: RwSignal<Vec<Arrival>>,
    /// The workspace's labels as loaded, and as changed since.
    labels: Resource<Result<Vec<Label>, ApiError>>,
    labels_live: RwSignal<Option<Vec<Label>>>,
    frame: FrameContext,
}

impl ConversationFeed {
    /// Loads the Live view and the counts and follows changes. Create it in a first
    /// render pass (it creates resources), inside the frame.
    pub fn load() -> Self {
        let view = RwSignal::new(InboxView::Live);
        let sort = RwSignal::new(InboxSort::Latest);
        let loaded = Resource::new(
            move || (view.get(), sort.get()),
            |(view, sort)| list_conversations(Some(view), Some(sort), None),
        );
        let counts = Resource::new(|| (), |_| inbox_counts());
        let labels = Resource::new(|| (), |_| list_labels());
        let labels_live = RwSignal::new(None::<Vec<Label>>);
        let more = RwSignal::new(Vec::<ConversationSummary>::new());
        let more_done = RwSignal::new(false);
        let load_more = ServerAction::<ListConversations>::new();
        let toasts = use_frame().toasts;
        // Another view or order starts from its first page.
        Effect::new(move |_| {
            view.track();
            sort.track();
            more.set(Vec::new());
            more_done.set(false);
        });
        Effect::new(move |_| match load_more.value().get() {
            Some(Ok(page)) => {
                more_done.set((page.len() as u64) < INBOX_PAGE);
                more.update(|rows| rows.extend(page));
            }
            Some(Err(err)) => toasts.error(err),
            None => {}
        });
        let live = RwSignal::new(HashMap::<ConversationId, ConversationSummary>::new());
        let gone = RwSignal::new(HashSet::<ConversationId>::new());
        let arriving = RwSignal::new(Vec::<Arrival>::new());
        let frame = use_frame();
        let pushed = RwSignal::new(None::<parley_types::TeamViewCounts>);
        frame.realtime.on_event(move |event| {
            if let OperatorEvent::LabelsChanged { labels } = event {
                labels_live.set(Some(labels.clone()));
            }
            // The server counts once for the whole team after changes settle.
            if let OperatorEvent::ViewCounts { counts } = event {
                pushed.set(Some(counts.clone()));
            }
            // A read changes one row: the live copy, or a copy of the loaded one.
            let read = |id: ConversationId, apply: &dyn Fn(&mut ConversationSummary)| {
                live.update(|m| {
                    if let Some(row) = m.get_mut(&id) {
                        return apply(row);
                    }
                    let find = |rows: &Vec<ConversationSummary>| rows.iter().find(|c| c.id == id).cloned();
                    let loaded_row = loaded.with_untracked(|l| match l {
                        Some(Ok(rows)) => find(rows),
                        _ => None,
                    });
                    if let Some(mut row) = loaded_row.or_else(|| more.with_untracked(find)) {
                        apply(&mut row);
                        m.insert(id, row);
                    }
                })
            };
            match event {
                OperatorEvent::MemberRead { conversation_id, mark } => read(*conversation_id, &|c| c.apply_read(*mark)),
                OperatorEvent::VisitorRead { conversation_id, seq } => {
                    read(*conversation_id, &|c| c.visitor_read_seq = c.visitor_read_seq.max(*seq))
                }
                _ => {}
            }
            if let Some(change) = ArrivalChange::of(event)
                && arriving.with_untracked(|now| change.matters_to(now))
            {
                arriving.update(|now| change.apply(now));
            }
            if let OperatorEvent::ConversationChanged { conversation } = event {
                live.update(|m| {
                    m.insert(conversation.id, conversation.clone());
                });
                if gone.with_untracked(|g| g.contains(&conversation.id)) {
                    gone.update(|g| {
                        g.remove(&conversation.id);
                    });
                }
            }
            if let OperatorEvent::ConversationGone { conversation_id } = event {
                gone.update(|g| {
                    g.insert(*conversation_id);
                });
            }
        });
        // After a reconnect, reload: the list may have changed while we were away.
        frame.realtime.on_reconnect(move || {
            live.set(HashMap::new());
            gone.set(HashSet::new());
            // Not in any stream: what was arriving then is in the list reloaded now.
            arriving.set(Vec::new());
            loaded.refetch();
            pushed.set(None);
            counts.refetch();
            labels_live.set(None);
            labels.refetch();
        });
        Self {
            view,
            sort,
            loaded,
            more,
            more_done,
            load_more,
            counts,
            pushed,
            live,
            gone,
            arriving,
            labels,
            labels_live,
            frame,
        }
    }

    /// Whether a next page may exist. Reads the first page: call it inside a
    /// `Suspense`/`Transition`.
    pub fn has_more(&self) -> bool {
        let first_full = self.loaded.with(|l| matches!(l, Some(Ok(rows)) if rows.len() as u64 >= INBOX_PAGE));
        first_full && !self.more_done.get()
    }

    /// Whether a next page is being loaded.
    pub fn loading_more(&self) -> Signal<bool> {
        self.load_more.pending().into()
    }

    /// Loads the page after the last row the server sent (in its order, so nothing is
    /// skipped or repeated whatever changed live meanwhile).
    pub fn load_more(&self) {
        let last = self.more.with_untracked(|more| more.last().cloned()).or_else(|| {
            self.loaded
                .with_untracked(|l| l.as_ref().and_then(|r| r.as_ref().ok()).and_then(|rows| rows.last().cloned()))
        });
        let Some(last) = last else { return };
        let (view, sort) = (self.view.get_untracked(), self.sort.get_untracked());
        self.load_more.dispatch(ListConversations {
            view: Some(view),
            sort: Some(sort),
            after: Some(sort.cursor_after(&last)),
        });
    }

    /// The feed the frame made, or a new one.
    pub fn use_feed() -> Self {
        use_context::<Self>().unwrap_or_else(Self::load)
    }

    /// The view shown.
    pub fn view(&self) -> RwSignal<InboxView> {
        self.view
    }

    /// The order it is shown in.
    pub fn sort(&self) -> RwSignal<InboxSort> {
        self.sort
    }

    /// The conversations of the view, in its order; `None` while loading. Reads
    /// resources: call it inside a `Suspense`/`Transition`.
    pub fn rows(&self) -> Option<Result<Vec<ConversationSummary>, ApiError>> {
        let loaded = self.loaded.get()?;
        let me = self.frame.member().map(|m| m.user_id).unwrap_or(UserId(0));
        let (view, sort) = (self.view.get(), self.sort.get());
        Some(loaded.map(|mut rows| {
            rows.extend(self.more.get());
            let mut rows = merge_summaries(rows, &self.live.read(), view, sort, me);
            self.gone.with(|gone| rows.retain(|c| !gone.contains(&c.id)));
            rows
        }))
    }

    /// The view's rows with the new conversations being made placed among them, in the
    /// view's order; `None` while loading. Reads resources: call it inside a
    /// `Suspense`/`Transition`.
    pub fn listed(&self) -> Option<Result<Vec<Listed>, ApiError>> {
        let rows = self.rows()?;
        let me = self.frame.member().map(|m| m.user_id).unwrap_or(UserId(0));
        let (view, sort) = (self.view.get(), self.sort.get());
        Some(rows.map(|rows| self.arriving.with(|arriving| place_arrivals(rows, arriving, view, sort, me))))
    }

    /// Whether the view's first page loaded (or why not); `None` while loading. Reads a
    /// resource: call it inside a `Suspense`/`Transition`.
    pub fn first_page(&self) -> Option<Result<(), ApiError>> {
        self.loaded.with(|loaded| loaded.as_ref().map(|result| result.as_ref().map(|_| ()).map_err(Clone::clone)))
    }

    /// The workspace's labels, kept live (empty while loading). Reads a resource: call it
    /// inside a `Suspense`/`Transition`.
    pub fn labels(&self) -> Vec<Label> {
        if let Some(live) = self.labels_live.get() {
            return live;
        }
        self.labels.get().and_then(Result::ok).unwrap_or_default()
    }

    /// The labels `ids` name, in the workspace list's order (deleted ones left out).
    pub fn labels_of(&self, ids: &[LabelId]) -> Vec<Label> {
        self.labels().into_iter().filter(|l| ids.contains(&l.id)).collect()
    }

    /// How many conversations each view holds, as last pushed (else as loaded); `None`
    /// while loading.
    pub fn counts(&self) -> Option<ViewCounts> {
        let loaded = self.counts.get().and_then(Result::ok);
        match (self.pushed.get(), self.frame.member()) {
            (Some(team), Some(me)) => Some(team.for_member(me.user_id)),
            _ => loaded,
        }
    }

    /// How many conversations have unread messages (0 while loading).
    pub fn unread_conversations(&self) -> usize {
        match self.rows() {
            Some(Ok(rows)) => {
                let me = self.frame.member().map(|m| m.user_id).unwrap_or(UserId(0));
                rows.iter().filter(|c| c.unread_for(me) > 0).count()
            }
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
/// with the same id), keeps those that belong in `view` for member `me`, in `sort`
/// order.
pub fn merge_summaries(
    loaded: Vec<ConversationSummary>,
    live: &HashMap<ConversationId, ConversationSummary>,
    view: InboxView,
    sort: InboxSort,
    me: UserId,
) -> Vec<ConversationSummary> {
    let mut seen = std::collections::HashSet::new();
    // A row may come in two pages when it moved between their loads: keep one.
    let mut rows: Vec<ConversationSummary> =
        loaded.into_iter().filter(|c| !live.contains_key(&c.id) && seen.insert(c.id)).collect();
    rows.extend(live.values().cloned());
    rows.retain(|c| c.in_view(view, me));
    rows.sort_by(|a, b| sort.compare(a, b));
    rows
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use parley_types::{ContactId, ConversationStatus};

    /// An open conversation of contact `id`, last active at `at`.
    pub(in crate::conversations) fn summary(id: i64, at: i64) -> ConversationSummary {
        ConversationSummary {
            id: ConversationId(id),
            contact_id: ContactId(id),
            contact_name: format!("Guest {id}"),
            status: ConversationStatus::Open,
            assignee_id: None,
            visitor_messages: 0,
            read_floor: 0,
            reads: Vec::new(),
            visitor_read_seq: 0,
            last_message: None,
            last_author: None,
            last_seq: 0,
            last_activity_ms: at,
            priority: parley_types::ConversationPriority::Normal,
            outcome: None,
            snoozed_until_ms: None,
            waiting_since_ms: None,
            labels: Vec::new(),
            department_id: None,
        }
    }

    #[test]
    fn live_changes_replace_loaded_rows_and_reorder_the_list() {
        let loaded = vec![summary(1, 30), summary(2, 20)];
        let mut live = HashMap::new();
        live.insert(ConversationId(2), summary(2, 40));
        live.insert(ConversationId(3), summary(3, 10));
        let mut closed = summary(4, 50);
        closed.status = ConversationStatus::Closed;
        live.insert(ConversationId(4), closed);
        let ids = |view| -> Vec<i64> {
            merge_summaries(loaded.clone(), &live, view, InboxSort::Latest, UserId(1)).iter().map(|c| c.id.0).collect()
        };
        assert_eq!(ids(InboxView::Live), vec![2, 1, 3], "a conversation closed meanwhile leaves Live");
        assert_eq!(ids(InboxView::Archived), vec![4], "and shows in Archived");
    }
}
