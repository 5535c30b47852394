//! Conversations being made: a visitor's first message shown in the list as its new
//! conversation while the server stores it (`ConversationArriving`), placed where the
//! stored summary will be and taken away when that summary comes or the message is
//! withdrawn.

use parley_types::{
    Author, ContactId, ConversationId, ConversationPriority, ConversationStatus, ConversationSummary, InboxSort,
    InboxView, OperatorEvent, UserId,
};

/// A visitor's first message while the server makes their conversation: shown in the list
/// as that conversation, greyed, until its summary takes its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub contact_id: ContactId,
    pub contact_name: String,
    pub client_id: String,
    pub text: String,
    pub at_ms: i64,
}

impl Arrival {
    /// The summary the conversation will have once made, to place the row in views and
    /// orders as the stored one will be (its id, 0, is no conversation's).
    fn as_summary(&self) -> ConversationSummary {
        ConversationSummary {
            id: ConversationId(0),
            contact_id: self.contact_id,
            contact_name: self.contact_name.clone(),
            status: ConversationStatus::Open,
            assignee_id: None,
            visitor_messages: 1,
            read_floor: 0,
            reads: Vec::new(),
            visitor_read_seq: 0,
            last_message: Some(self.text.clone()),
            last_author: Some(Author::Visitor),
            last_seq: 1,
            last_activity_ms: self.at_ms,
            priority: ConversationPriority::Normal,
            outcome: None,
            snoozed_until_ms: None,
            waiting_since_ms: Some(self.at_ms),
            labels: Vec::new(),
            department_id: None,
        }
    }
}

/// What an event changes in the conversations arriving.
pub(super) enum ArrivalChange<'a> {
    Add(Arrival),
    /// Taken away: one contact's (its summary came), or only the one with that client id.
    Remove(ContactId, Option<&'a str>),
}

impl<'a> ArrivalChange<'a> {
    pub(super) fn of(event: &'a OperatorEvent) -> Option<Self> {
        Some(match event {
            OperatorEvent::ConversationArriving { contact_id, contact_name, client_id, text, created_at_ms } => {
                ArrivalChange::Add(Arrival {
                    contact_id: *contact_id,
                    contact_name: contact_name.clone(),
                    client_id: client_id.clone(),
                    text: text.clone(),
                    at_ms: *created_at_ms,
                })
            }
            OperatorEvent::ConversationArrivalWithdrawn { contact_id, client_id } => {
                ArrivalChange::Remove(*contact_id, Some(client_id))
            }
            OperatorEvent::ConversationChanged { conversation } => ArrivalChange::Remove(conversation.contact_id, None),
            _ => return None,
        })
    }

    /// Whether it changes `now` (most summaries are of contacts with nothing arriving).
    pub(super) fn matters_to(&self, now: &[Arrival]) -> bool {
        match self {
            ArrivalChange::Add(_) => true,
            ArrivalChange::Remove(contact, _) => now.iter().any(|a| a.contact_id == *contact),
        }
    }

    pub(super) fn apply(self, now: &mut Vec<Arrival>) {
        match self {
            // A contact makes one conversation at a time: a later first message (another
            // tab) shows in the same row.
            ArrivalChange::Add(arrival) => {
                now.retain(|a| a.contact_id != arrival.contact_id);
                now.push(arrival);
            }
            ArrivalChange::Remove(contact, client_id) => {
                now.retain(|a| a.contact_id != contact || client_id.is_some_and(|c| c != a.client_id))
            }
        }
    }
}

/// A row of the list: a stored conversation, or one being made.
#[derive(Debug, Clone, PartialEq)]
pub enum Listed {
    Stored(ConversationSummary),
    Arriving(Arrival),
}

/// Places the conversations arriving among `rows` (a view in `sort` order), where their
/// stored summaries will be; those that will not be in `view` are left out.
pub fn place_arrivals(
    rows: Vec<ConversationSummary>,
    arriving: &[Arrival],
    view: InboxView,
    sort: InboxSort,
    me: UserId,
) -> Vec<Listed> {
    let mut placed: Vec<(ConversationSummary, Arrival)> =
        arriving.iter().map(|a| (a.as_summary(), a.clone())).filter(|(summary, _)| summary.in_view(view, me)).collect();
    placed.sort_by(|a, b| sort.compare(&a.0, &b.0));
    let mut placed = placed.into_iter().peekable();
    let mut listed = Vec::with_capacity(rows.len() + placed.len());
    for row in rows {
        while let Some((_, arrival)) = placed.next_if(|(s, _)| sort.compare(s, &row).is_lt()) {
            listed.push(Listed::Arriving(arrival));
        }
        listed.push(Listed::Stored(row));
    }
    listed.extend(placed.map(|(_, arrival)| Listed::Arriving(arrival)));
    listed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversations::feed::tests::summary;

    fn arrival(contact: i64, client_id: &str, at: i64) -> Arrival {
        Arrival {
            contact_id: ContactId(contact),
            contact_name: format!("Guest {contact}"),
            client_id: client_id.into(),
            text: "hello".into(),
            at_ms: at,
        }
    }

    fn arriving_event(contact: i64, client_id: &str, at: i64) -> OperatorEvent {
        let a = arrival(contact, client_id, at);
        OperatorEvent::ConversationArriving {
            contact_id: a.contact_id,
            contact_name: a.contact_name,
            client_id: a.client_id,
            text: a.text,
            created_at_ms: a.at_ms,
        }
    }

    fn apply(now: &mut Vec<Arrival>, event: &OperatorEvent) {
        if let Some(change) = ArrivalChange::of(event) {
            change.apply(now);
        }
    }

    #[test]
    fn an_arriving_conversation_is_placed_where_its_summary_will_be_and_leaves_when_it_comes() {
        let mut now = Vec::new();
        apply(&mut now, &arriving_event(7, "a", 100));
        apply(&mut now, &arriving_event(8, "b", 25));
        let mut assigned = summary(2, 20);
        assigned.assignee_id = Some(UserId(1));
        let rows = vec![summary(1, 30), summary(3, 10)];
        let order = |view, sort, rows: Vec<ConversationSummary>| -> Vec<String> {
            place_arrivals(rows, &now, view, sort, UserId(1))
                .into_iter()
                .map(|l| match l {
                    Listed::Stored(c) => format!("c{}", c.id.0),
                    Listed::Arriving(a) => format!("new{}", a.contact_id.0),
                })
                .collect()
        };
        assert_eq!(order(InboxView::Live, InboxSort::Latest, rows.clone()), ["new7", "c1", "new8", "c3"]);
        assert!(order(InboxView::Mine, InboxSort::Latest, vec![assigned]).iter().all(|r| !r.starts_with("new")));
        let mut waiting = rows.clone();
        waiting[0].waiting_since_ms = Some(5);
        assert_eq!(
            order(InboxView::Live, InboxSort::LongestWaiting, waiting),
            ["c1", "new8", "new7", "c3"],
            "after those waiting longer, before those answered"
        );

        let changed = |id: i64, contact: i64| {
            let mut conversation = summary(id, 40);
            conversation.contact_id = ContactId(contact);
            OperatorEvent::ConversationChanged { conversation }
        };
        let withdrawn = |contact: i64, client_id: &str| OperatorEvent::ConversationArrivalWithdrawn {
            contact_id: ContactId(contact),
            client_id: client_id.into(),
        };
        // Another contact's summary leaves the rows; a withdrawal of another message too.
        apply(&mut now, &changed(9, 9));
        apply(&mut now, &withdrawn(7, "x"));
        assert_eq!(now.len(), 2);
        // The stored conversation's summary takes the place of its arrival.
        apply(&mut now, &changed(12, 7));
        apply(&mut now, &withdrawn(8, "b"));
        assert!(now.is_empty());
    }
}
