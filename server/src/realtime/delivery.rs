//! Per-socket bookkeeping that makes delivery exactly-once and in order.
//!
//! A socket subscribes to the bus first and then replays from the database, so an entry
//! of a stream can arrive twice (in the replay and live) or, when two writers commit
//! close together, out of order. `Delivery` keeps a cursor (the last position sent) for
//! each stream the client resumed and classifies every live entry.

use std::collections::HashMap;

use super::streams::StreamKey;

/// What to do with a live stream entry.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    /// Send it.
    Send,
    /// Already sent (in a replay or earlier): drop it.
    Skip,
    /// Entries `after+1 .. position` were not sent yet: fetch and send those first, then it.
    FillGap { after: i64 },
}

/// Cursors of one socket.
#[derive(Debug, Default)]
pub struct Delivery {
    sent: HashMap<StreamKey, i64>,
    /// Track streams not yet seen as starting from 0 (a visitor who resumed owns every
    /// stream sent to them; operators only those they resumed).
    track_new_from_zero: bool,
    /// Hold back (drop) live entries until the client's resume is done: they are in the
    /// replay, and sending them first would deliver them out of order.
    hold_until_resumed: bool,
    /// The stream an entry was last sent or replayed in (a visitor's: the conversation
    /// they write in).
    latest: Option<StreamKey>,
    /// For a visitor who resumed with no conversation: how their first message is shown
    /// to operators while it is stored (read at the resume, so sending reads nothing).
    newcomer: Option<parley_services::conversations::Shown>,
}

impl Delivery {
    /// For a visitor socket: once resumed, every conversation is tracked.
    pub fn for_visitor() -> Self {
        Delivery {
            sent: HashMap::new(),
            track_new_from_zero: false,
            hold_until_resumed: true,
            latest: None,
            newcomer: None,
        }
    }

    /// For an operator socket: only resumed conversations are tracked.
    pub fn for_operator() -> Self {
        Delivery::default()
    }

    /// Marks the visitor as resumed: new streams start from 0, and live entries flow.
    pub fn track_all(&mut self) {
        self.track_new_from_zero = true;
        self.hold_until_resumed = false;
    }

    /// Records that everything up to `position` in `stream` has been sent.
    pub fn mark_sent(&mut self, stream: StreamKey, position: i64) {
        let entry = self.sent.entry(stream).or_insert(position);
        *entry = (*entry).max(position);
        self.latest = Some(stream);
    }

    /// Where operators are shown the visitor's next message before it is stored: in the
    /// conversation they last received a message of, else as they were told at the resume.
    pub fn shown(&self) -> Option<parley_services::conversations::Shown> {
        use parley_services::conversations::Shown;
        match self.latest {
            Some(StreamKey::Messages(id)) => Some(Shown::In(id)),
            None => self.newcomer.clone(),
        }
    }

    /// Keeps how a visitor who resumed with no conversation has their first message shown.
    pub fn set_newcomer(&mut self, shown: Option<parley_services::conversations::Shown>) {
        self.newcomer = shown;
    }

    /// The last position sent in `stream`, if it is tracked.
    pub fn last_sent(&self, stream: StreamKey) -> Option<i64> {
        self.sent.get(&stream).copied().or(self.track_new_from_zero.then_some(0))
    }

    /// Classifies a live entry of `stream` at `position`.
    pub fn classify(&self, stream: StreamKey, position: i64) -> Decision {
        if self.hold_until_resumed {
            return Decision::Skip;
        }
        match self.last_sent(stream) {
            None => Decision::Send,
            Some(last) if position <= last => Decision::Skip,
            Some(last) if position == last + 1 => Decision::Send,
            Some(last) => Decision::FillGap { after: last },
        }
    }

    /// Records a sent live entry (no-op for untracked streams).
    pub fn record(&mut self, stream: StreamKey, position: i64) {
        if self.last_sent(stream).is_some() {
            self.mark_sent(stream, position);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parley_types::ConversationId;

    fn conv(id: i64) -> StreamKey {
        StreamKey::Messages(ConversationId(id))
    }

    #[test]
    fn replayed_entries_are_not_sent_again() {
        let mut d = Delivery::for_operator();
        d.mark_sent(conv(1), 3);
        assert_eq!(d.classify(conv(1), 2), Decision::Skip);
        assert_eq!(d.classify(conv(1), 3), Decision::Skip);
        assert_eq!(d.classify(conv(1), 4), Decision::Send);
        assert_eq!(d.classify(conv(2), 9), Decision::Send, "cursors are per stream");
    }

    #[test]
    fn an_entry_ahead_of_the_cursor_asks_for_the_gap() {
        let mut d = Delivery::for_operator();
        d.mark_sent(conv(1), 3);
        assert_eq!(d.classify(conv(1), 6), Decision::FillGap { after: 3 });
        d.record(conv(1), 4);
        d.record(conv(1), 5);
        d.record(conv(1), 6);
        assert_eq!(d.classify(conv(1), 5), Decision::Skip, "the late original of a filled gap is dropped");
    }

    #[test]
    fn a_message_is_shown_in_the_stream_last_resumed_or_sent_else_as_the_resume_said() {
        use parley_services::conversations::Shown;
        let mut d = Delivery::for_visitor();
        assert_eq!(d.shown(), None);
        let new = Shown::New { contact_name: "Ada".into() };
        d.set_newcomer(Some(new.clone()));
        assert_eq!(d.shown(), Some(new), "a visitor in no conversation makes one");
        d.mark_sent(conv(1), 0);
        assert_eq!(d.shown(), Some(Shown::In(ConversationId(1))), "a resume with nothing to replay counts");
        d.track_all();
        d.record(conv(2), 1);
        assert_eq!(d.shown(), Some(Shown::In(ConversationId(2))));
        d.record(conv(1), 1);
        assert_eq!(d.shown(), Some(Shown::In(ConversationId(1))));
    }

    #[test]
    fn operators_get_untracked_streams_as_they_come() {
        let mut d = Delivery::for_operator();
        assert_eq!(d.classify(conv(9), 5), Decision::Send);
        d.record(conv(9), 5);
        assert_eq!(d.last_sent(conv(9)), None);
    }

    #[test]
    fn a_resumed_visitor_tracks_a_new_stream_from_its_first_entry() {
        let mut d = Delivery::for_visitor();
        assert_eq!(d.classify(conv(2), 2), Decision::Skip, "before resuming live entries are held back");
        d.track_all();
        assert_eq!(d.classify(conv(2), 1), Decision::Send);
        assert_eq!(d.classify(conv(2), 2), Decision::FillGap { after: 0 });
    }
}
