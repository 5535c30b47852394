//! Per-socket bookkeeping that makes delivery exactly-once and in order.
//!
//! A socket subscribes to the bus first and then replays from the database, so a
//! message can arrive twice (in the replay and live) or, when two writers commit close
//! together, out of order. `Delivery` remembers the last sequence number sent for each
//! conversation the client resumed and classifies every live message.

use std::collections::HashMap;

use parley_types::{ConversationId, Message};

/// What to do with a live message.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    /// Send it.
    Send,
    /// Already sent (in a replay or earlier): drop it.
    Skip,
    /// Messages `after+1 .. seq` were not sent yet: fetch and send those first, then it.
    FillGap { after: i64 },
}

/// Cursors of one socket.
#[derive(Debug, Default)]
pub struct Delivery {
    sent: HashMap<ConversationId, i64>,
    /// Track conversations not yet seen as starting from 0 (a visitor who resumed owns
    /// every conversation of their contact; operators only those they resumed).
    track_new_from_zero: bool,
    /// Hold back (drop) live messages until the client's resume is done: they are in
    /// the replay, and sending them first would deliver them out of order.
    hold_until_resumed: bool,
}

impl Delivery {
    /// For a visitor socket: once resumed, every conversation is tracked.
    pub fn for_visitor() -> Self {
        Delivery { sent: HashMap::new(), track_new_from_zero: false, hold_until_resumed: true }
    }

    /// For an operator socket: only resumed conversations are tracked.
    pub fn for_operator() -> Self {
        Delivery::default()
    }

    /// Marks the visitor as resumed: new conversations start from 0, and live messages
    /// flow.
    pub fn track_all(&mut self) {
        self.track_new_from_zero = true;
        self.hold_until_resumed = false;
    }

    /// Records that everything up to `seq` in `conversation` has been sent.
    pub fn mark_sent(&mut self, conversation: ConversationId, seq: i64) {
        let entry = self.sent.entry(conversation).or_insert(seq);
        *entry = (*entry).max(seq);
    }

    /// The last sequence number sent for `conversation`, if it is tracked.
    pub fn last_sent(&self, conversation: ConversationId) -> Option<i64> {
        self.sent.get(&conversation).copied().or(self.track_new_from_zero.then_some(0))
    }

    /// Classifies a live message.
    pub fn classify(&self, message: &Message) -> Decision {
        if self.hold_until_resumed {
            return Decision::Skip;
        }
        match self.last_sent(message.conversation_id) {
            None => Decision::Send,
            Some(last) if message.seq <= last => Decision::Skip,
            Some(last) if message.seq == last + 1 => Decision::Send,
            Some(last) => Decision::FillGap { after: last },
        }
    }

    /// Records a sent live message (no-op for untracked conversations).
    pub fn record(&mut self, message: &Message) {
        if self.last_sent(message.conversation_id).is_some() {
            self.mark_sent(message.conversation_id, message.seq);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parley_types::{Author, MessageId};

    fn msg(conversation: i64, seq: i64) -> Message {
        Message {
            id: MessageId(seq),
            conversation_id: ConversationId(conversation),
            seq,
            author: Author::Visitor,
            author_name: None,
            text: String::new(),
            client_id: None,
            created_at_ms: 0,
        }
    }

    #[test]
    fn replayed_messages_are_not_sent_again() {
        let mut d = Delivery::for_operator();
        d.mark_sent(ConversationId(1), 3);
        assert_eq!(d.classify(&msg(1, 2)), Decision::Skip);
        assert_eq!(d.classify(&msg(1, 3)), Decision::Skip);
        assert_eq!(d.classify(&msg(1, 4)), Decision::Send);
    }

    #[test]
    fn a_message_ahead_of_the_cursor_asks_for_the_gap() {
        let mut d = Delivery::for_operator();
        d.mark_sent(ConversationId(1), 3);
        assert_eq!(d.classify(&msg(1, 6)), Decision::FillGap { after: 3 });
        d.record(&msg(1, 4));
        d.record(&msg(1, 5));
        d.record(&msg(1, 6));
        assert_eq!(d.classify(&msg(1, 5)), Decision::Skip, "the late original of a filled gap is dropped");
    }

    #[test]
    fn operators_get_untracked_conversations_as_they_come() {
        let mut d = Delivery::for_operator();
        assert_eq!(d.classify(&msg(9, 5)), Decision::Send);
        d.record(&msg(9, 5));
        assert_eq!(d.last_sent(ConversationId(9)), None);
    }

    #[test]
    fn a_resumed_visitor_tracks_a_new_conversation_from_its_first_message() {
        let mut d = Delivery::for_visitor();
        assert_eq!(d.classify(&msg(2, 2)), Decision::Skip, "before resuming live messages are held back");
        d.track_all();
        assert_eq!(d.classify(&msg(2, 1)), Decision::Send);
        assert_eq!(d.classify(&msg(2, 2)), Decision::FillGap { after: 0 });
    }
}
