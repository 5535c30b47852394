//! The widget's pure conversation logic: messages ordered and deduplicated by `seq`,
//! pending (unconfirmed) sends reconciled by `client_id`, unread counting, draft checks,
//! reconnect backoff and the typing debounce.
//!
//! Nothing here touches the browser, so it is tested on the host with `cargo test -p widget`.

use crate::wire::{Author, MAX_MESSAGE_CHARS, Message};

/// A message the visitor sent that the server has not echoed back yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The random id that makes a resend idempotent on the server.
    pub client_id: String,
    /// The text as sent.
    pub text: String,
    /// Uploaded files it carries (their ids).
    pub files: Vec<i64>,
    /// The socket generation it was last sent on; 0 when it was never sent.
    pub sent_on: u32,
}

/// Where [`Conversation::insert`] put a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inserted {
    /// Index in the confirmed list, or `None` when that `seq` was already shown.
    pub index: Option<usize>,
    /// Index of the pending message this one confirmed (now removed from the pending list).
    pub confirmed_pending: Option<usize>,
}

/// The messages one visitor sees: confirmed ones sorted by `seq`, then pending sends
/// in the order they were written.
#[derive(Debug, Default)]
pub struct Conversation {
    messages: Vec<Message>,
    pending: Vec<Pending>,
}

impl Conversation {
    /// The confirmed messages, in `seq` order.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The sends still waiting for their echo, oldest first.
    pub fn pending(&self) -> &[Pending] {
        &self.pending
    }

    /// The highest `seq` shown (0 when there is none): the `after_seq` of the next resume.
    pub fn last_seq(&self) -> i64 {
        self.messages.last().map_or(0, |m| m.seq)
    }

    /// Adds a stored message, keeping `seq` order and ignoring a `seq` already present.
    /// A pending send with the same `client_id` is removed in either case.
    pub fn insert(&mut self, message: Message) -> Inserted {
        let confirmed_pending =
            message.client_id.as_deref().and_then(|id| self.pending.iter().position(|p| p.client_id == id));
        if let Some(i) = confirmed_pending {
            self.pending.remove(i);
        }
        // Messages nearly always arrive in order, so check the end before searching.
        let index = if self.messages.last().is_none_or(|m| m.seq < message.seq) {
            Some(self.messages.len())
        } else {
            self.messages.binary_search_by_key(&message.seq, |m| m.seq).err()
        };
        if let Some(i) = index {
            self.messages.insert(i, message);
        }
        Inserted { index, confirmed_pending }
    }

    /// Forgets every confirmed message (the visitor's identity changed); pending sends stay.
    pub fn clear_messages(&mut self) {
        self.messages.clear();
    }

    /// Records a new send; returns its index in the pending list.
    pub fn add_pending(&mut self, client_id: String, text: String, files: Vec<i64>) -> usize {
        self.pending.push(Pending { client_id, text, files, sent_on: 0 });
        self.pending.len() - 1
    }

    /// Marks every pending send not yet sent on socket `generation` as sent on it and
    /// returns them to (re)send, oldest first.
    pub fn take_unsent(&mut self, generation: u32) -> Vec<Pending> {
        self.pending
            .iter_mut()
            .filter(|p| p.sent_on != generation)
            .map(|p| {
                p.sent_on = generation;
                p.clone()
            })
            .collect()
    }

    /// Marks one pending send as sent on `generation`.
    pub fn mark_sent(&mut self, client_id: &str, generation: u32) {
        if let Some(p) = self.pending.iter_mut().find(|p| p.client_id == client_id) {
            p.sent_on = generation;
        }
    }

    /// Where "Seen" goes when the team has read up to `seq`: the index of the newest
    /// visitor message at or before it.
    pub fn seen_index(&self, seq: i64) -> Option<usize> {
        self.messages.iter().rposition(|m| m.seq <= seq && m.author == Author::Visitor)
    }

    /// How many operator messages have a `seq` above `last_read`.
    pub fn unread(&self, last_read: i64) -> usize {
        self.messages.iter().rev().take_while(|m| m.seq > last_read).filter(|m| m.author == Author::Operator).count()
    }
}

/// Why a draft cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftError {
    /// Nothing but whitespace: silently not sent.
    Empty,
    /// Longer than [`MAX_MESSAGE_CHARS`]: the visitor is told.
    TooLong,
}

/// The text to send for a draft: trimmed, non-empty and at most [`MAX_MESSAGE_CHARS`]
/// characters.
pub fn check_draft(draft: &str) -> Result<&str, DraftError> {
    let text = draft.trim();
    if text.is_empty() {
        Err(DraftError::Empty)
    } else if text.bytes().filter(|b| b & 0xC0 != 0x80).count() > MAX_MESSAGE_CHARS {
        // Counts characters (bytes that do not continue a UTF-8 sequence) without the
        // larger `chars().count()`.
        Err(DraftError::TooLong)
    } else {
        Ok(text)
    }
}

/// The first reconnect delay, in milliseconds.
pub const BACKOFF_START_MS: u32 = 500;
/// The longest reconnect delay, in milliseconds.
pub const BACKOFF_MAX_MS: u32 = 15_000;

/// The delay before reconnect attempt `attempt` (0-based): 0.5 s doubling up to 15 s,
/// scaled by "equal jitter" into `[delay / 2, delay]` with `jitter` in `[0, 1]`.
pub fn backoff_ms(attempt: u32, jitter: f64) -> u32 {
    let ceiling = BACKOFF_START_MS.saturating_mul(1 << attempt.min(10)).min(BACKOFF_MAX_MS);
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 1.0 };
    let half = ceiling / 2;
    half + (f64::from(ceiling - half) * jitter) as u32
}

/// Debounce for the visitor's typing notices: `true` on the first keystroke, `false`
/// once idle or on send, never the same value twice in a row.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TypingNotice {
    active: bool,
}

impl TypingNotice {
    /// The visitor typed (and the draft is not empty): `Some(true)` when the server must be told.
    pub fn keystroke(&mut self) -> Option<bool> {
        (!self.active).then(|| {
            self.active = true;
            true
        })
    }

    /// The visitor went idle, sent, or cleared the draft: `Some(false)` when the server must be told.
    pub fn stop(&mut self) -> Option<bool> {
        self.active.then(|| {
            self.active = false;
            false
        })
    }

    /// The socket dropped: the server forgets typing state, so start over silently.
    pub fn reset(&mut self) {
        self.active = false;
    }
}

/// Turns 16 random bytes into a 32-character lowercase hex `client_id`.
pub fn hex_id(bytes: &[u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(seq: i64, author: Author, client_id: Option<&str>) -> Message {
        Message {
            seq,
            author,
            author_name: None,
            text: format!("m{seq}"),
            client_id: client_id.map(str::to_owned),
            files: Vec::new(),
            at_ms: 0,
        }
    }

    fn seqs(c: &Conversation) -> Vec<i64> {
        c.messages().iter().map(|m| m.seq).collect()
    }

    #[test]
    fn messages_stay_sorted_and_deduplicated_by_seq() {
        let mut c = Conversation::default();
        assert_eq!(c.last_seq(), 0);
        assert_eq!(c.insert(msg(2, Author::Operator, None)).index, Some(0));
        assert_eq!(c.insert(msg(5, Author::Visitor, None)).index, Some(1));
        assert_eq!(c.insert(msg(1, Author::Visitor, None)).index, Some(0));
        assert_eq!(c.insert(msg(3, Author::Operator, None)).index, Some(2));
        assert_eq!(c.insert(msg(3, Author::Operator, None)).index, None);
        assert_eq!(c.insert(msg(5, Author::Visitor, None)).index, None);
        assert_eq!(seqs(&c), [1, 2, 3, 5]);
        assert_eq!(c.last_seq(), 5);
    }

    #[test]
    fn an_echo_confirms_its_pending_send() {
        let mut c = Conversation::default();
        c.add_pending("a".into(), "hello".into(), vec![]);
        c.add_pending("b".into(), "again".into(), vec![]);
        let done = c.insert(msg(1, Author::Visitor, Some("b")));
        assert_eq!(done, Inserted { index: Some(0), confirmed_pending: Some(1) });
        assert_eq!(c.pending().len(), 1);
        assert_eq!(c.pending()[0].client_id, "a");
        // The resend after a reconnect is echoed twice (replay, then the duplicate send): no change.
        c.insert(msg(2, Author::Visitor, Some("a")));
        let dup = c.insert(msg(2, Author::Visitor, Some("a")));
        assert_eq!(dup, Inserted { index: None, confirmed_pending: None });
        assert!(c.pending().is_empty());
    }

    #[test]
    fn unsent_pending_are_sent_once_per_connection() {
        let mut c = Conversation::default();
        c.add_pending("a".into(), "one".into(), vec![]);
        c.add_pending("b".into(), "two".into(), vec![4]);
        c.mark_sent("a", 1);
        let unsent: Vec<(String, String, Vec<i64>)> =
            c.take_unsent(1).into_iter().map(|p| (p.client_id, p.text, p.files)).collect();
        assert_eq!(unsent, [("b".to_owned(), "two".to_owned(), vec![4])]);
        assert!(c.take_unsent(1).is_empty());
        // After a reconnect (generation 2) everything unconfirmed goes out again, in order.
        let again: Vec<String> = c.take_unsent(2).into_iter().map(|p| p.client_id).collect();
        assert_eq!(again, ["a", "b"]);
    }

    #[test]
    fn seen_goes_under_the_newest_visitor_message_the_team_read() {
        let mut c = Conversation::default();
        assert_eq!(c.seen_index(5), None);
        for (seq, author) in [(1, Author::Visitor), (2, Author::Visitor), (3, Author::Operator), (4, Author::Visitor)] {
            c.insert(msg(seq, author, None));
        }
        assert_eq!(c.seen_index(0), None);
        assert_eq!(c.seen_index(1), Some(0));
        assert_eq!(c.seen_index(3), Some(1), "an answer is not the visitor's");
        assert_eq!(c.seen_index(9), Some(3));
    }

    #[test]
    fn unread_counts_operator_messages_after_last_read() {
        let mut c = Conversation::default();
        assert_eq!(c.unread(0), 0);
        c.insert(msg(1, Author::Visitor, None));
        c.insert(msg(2, Author::Operator, None));
        c.insert(msg(3, Author::System, None));
        c.insert(msg(4, Author::Operator, None));
        c.insert(msg(5, Author::Visitor, None));
        assert_eq!(c.unread(0), 2);
        assert_eq!(c.unread(2), 1);
        assert_eq!(c.unread(4), 0);
        assert_eq!(c.unread(99), 0);
    }

    #[test]
    fn drafts_are_trimmed_and_bounded() {
        assert_eq!(check_draft("  hi \n"), Ok("hi"));
        assert_eq!(check_draft(" \n\t "), Err(DraftError::Empty));
        assert_eq!(check_draft(""), Err(DraftError::Empty));
        let max = "é".repeat(MAX_MESSAGE_CHARS);
        assert_eq!(check_draft(&max), Ok(max.as_str()));
        assert_eq!(check_draft(&format!("{max}x")), Err(DraftError::TooLong));
        let emoji = "😀".repeat(MAX_MESSAGE_CHARS);
        assert_eq!(check_draft(&emoji), Ok(emoji.as_str()));
        assert_eq!(check_draft(&format!("{emoji}a")), Err(DraftError::TooLong));
        assert_eq!(check_draft(&"a".repeat(MAX_MESSAGE_CHARS + 1)), Err(DraftError::TooLong));
    }

    #[test]
    fn backoff_doubles_to_a_cap_with_jitter() {
        assert_eq!(backoff_ms(0, 1.0), 500);
        assert_eq!(backoff_ms(0, 0.0), 250);
        assert_eq!(backoff_ms(1, 1.0), 1_000);
        assert_eq!(backoff_ms(4, 1.0), 8_000);
        assert_eq!(backoff_ms(5, 1.0), 15_000);
        assert_eq!(backoff_ms(u32::MAX, 1.0), 15_000);
        assert_eq!(backoff_ms(u32::MAX, 0.0), 7_500);
        for attempt in 0..20 {
            let lo = backoff_ms(attempt, 0.0);
            let hi = backoff_ms(attempt, 1.0);
            let mid = backoff_ms(attempt, 0.5);
            assert!(lo <= mid && mid <= hi && hi <= BACKOFF_MAX_MS);
        }
        assert_eq!(backoff_ms(0, f64::NAN), 500);
        assert_eq!(backoff_ms(0, 7.0), 500);
    }

    #[test]
    fn typing_notices_are_debounced() {
        let mut t = TypingNotice::default();
        assert_eq!(t.stop(), None);
        assert_eq!(t.keystroke(), Some(true));
        assert_eq!(t.keystroke(), None);
        assert_eq!(t.stop(), Some(false));
        assert_eq!(t.stop(), None);
        t.keystroke();
        t.reset();
        assert_eq!(t.stop(), None);
        assert_eq!(t.keystroke(), Some(true));
    }

    #[test]
    fn client_ids_are_hex() {
        let mut bytes = [0u8; 16];
        bytes[0] = 0xab;
        bytes[15] = 0x0f;
        let id = hex_id(&bytes);
        assert_eq!(id.len(), 32);
        assert!(id.starts_with("ab00"));
        assert!(id.ends_with("0f"));
    }
}
