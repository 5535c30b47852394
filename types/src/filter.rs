//! Finding conversations: a typed filter (every field narrows; an empty filter matches
//! every conversation), full-text search words, search hits with highlighted snippets, and
//! saved views (named filters, personal or shared). The server compiles a filter into a
//! query with bound parameters; nothing in it is ever SQL text.

use serde::{Deserialize, Serialize};

use crate::ids::{ConversationId, DepartmentId, LabelId, SavedViewId, UserId};
use crate::model::{
    Channel, ContactKind, ConversationOutcome, ConversationPriority, ConversationStatus, ConversationSummary,
};
use crate::phrase;

/// The longest search text accepted, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;
/// The most search words used (the rest are ignored).
pub const MAX_SEARCH_WORDS: usize = 8;
/// The most values in one of a filter's lists.
pub const MAX_FILTER_VALUES: usize = 50;

/// Whose conversations: nobody's, the member looking's, or one member's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Assignee {
    Nobody,
    Me,
    Member(UserId),
}

impl From<Assignee> for String {
    fn from(a: Assignee) -> String {
        match a {
            Assignee::Nobody => "nobody".into(),
            Assignee::Me => "me".into(),
            Assignee::Member(id) => id.to_string(),
        }
    }
}

impl TryFrom<String> for Assignee {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        match text.as_str() {
            "nobody" => Ok(Assignee::Nobody),
            "me" => Ok(Assignee::Me),
            other => other
                .parse()
                .map(|id| Assignee::Member(UserId(id)))
                .map_err(|_| format!("unknown assignee {other:?}: use \"nobody\", \"me\" or a member's id")),
        }
    }
}

/// Which conversations to show. Lists match any of their values; all fields together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InboxFilter {
    /// Words that must all appear in one message or note (each as a word or its start).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<ConversationStatus>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<ConversationOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Assignee>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<DepartmentId>,
    /// Carrying any of these labels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<LabelId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<ConversationPriority>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contact_kinds: Vec<ContactKind>,
    /// With (`true`) or without visitor messages the member looking has not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread: Option<bool>,
    /// Created at or after (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_from_ms: Option<i64>,
    /// Created before (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_to_ms: Option<i64>,
    /// Last activity at or after (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_from_ms: Option<i64>,
    /// Last activity before (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_to_ms: Option<i64>,
}

impl InboxFilter {
    /// Whether it narrows nothing.
    pub fn is_empty(&self) -> bool {
        self.text.as_deref().is_none_or(|t| t.trim().is_empty())
            && InboxFilter { text: None, ..self.clone() } == InboxFilter::default()
    }

    /// Why the filter cannot be used, as a sentence for the person who wrote it.
    pub fn problem(&self) -> Option<crate::Phrase> {
        if let Some(text) = &self.text {
            if text.chars().count() > MAX_SEARCH_CHARS {
                return Some(phrase!("err-conversations-search-too-long", max = MAX_SEARCH_CHARS));
            }
            if !text.trim().is_empty() && search_words(text).is_empty() {
                return Some(phrase!("err-conversations-search-no-words"));
            }
        }
        let longest = [
            self.statuses.len(),
            self.outcomes.len(),
            self.departments.len(),
            self.labels.len(),
            self.channels.len(),
            self.contact_kinds.len(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        if longest > MAX_FILTER_VALUES {
            return Some(phrase!("err-conversations-filter-too-many", max = MAX_FILTER_VALUES));
        }
        for (from, to, backwards) in [
            (self.created_from_ms, self.created_to_ms, phrase!("err-conversations-filter-created-backwards")),
            (self.active_from_ms, self.active_to_ms, phrase!("err-conversations-filter-active-backwards")),
        ] {
            if let (Some(from), Some(to)) = (from, to)
                && from > to
            {
                return Some(backwards);
            }
        }
        None
    }
}

/// The words of a search text: runs of letters and digits, lower-cased, at most
/// [`MAX_SEARCH_WORDS`], without repeats.
pub fn search_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_lowercase();
        if !words.contains(&word) {
            words.push(word);
        }
        if words.len() == MAX_SEARCH_WORDS {
            break;
        }
    }
    words
}

/// A stretch of a message around what was found; `hit` parts are the found words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// Where a search found its words: a message (by `seq`) and the text around them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub seq: i64,
    /// Whether the message is a note for the team.
    pub internal: bool,
    pub parts: Vec<SnippetPart>,
}

/// A conversation a search or filter found, with where the words are when it searched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub conversation: ConversationSummary,
    pub snippet: Option<Snippet>,
}

/// The most conversations one bulk action changes.
pub const MAX_BULK: usize = 10_000;

/// A conversation a bulk action could not change, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkFailure {
    pub conversation_id: ConversationId,
    /// Why, in English.
    pub message: String,
    /// Why, by message id (see [`Phrase`](crate::Phrase)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<crate::Phrase>,
}

/// What a bulk action did: each conversation changed (one transaction each), and each it
/// could not change with the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResult {
    pub done: Vec<ConversationId>,
    pub failed: Vec<BulkFailure>,
}

/// A named filter: the member's own, or shared with the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: SavedViewId,
    pub name: String,
    pub shared: bool,
    pub filter: InboxFilter,
    /// How many conversations match it now, for the member looking.
    pub count: i64,
    /// Whether the member looking may change or delete it.
    pub can_edit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_letters_and_digits_lower_cased_once() {
        assert_eq!(search_words("Ship to LISBON, lisbon!"), ["ship", "to", "lisbon"]);
        assert_eq!(search_words("\"x\" OR y* NEAR(z)"), ["x", "or", "y", "near", "z"]);
        assert_eq!(search_words("Café 42"), ["café", "42"]);
        assert!(search_words("!!! ***").is_empty());
        assert_eq!(search_words("a b c d e f g h i j").len(), MAX_SEARCH_WORDS);
    }

    #[test]
    fn bad_filters_say_why() {
        assert_eq!(InboxFilter::default().problem(), None);
        let symbols = InboxFilter { text: Some("***".into()), ..Default::default() };
        assert_eq!(symbols.problem().unwrap().id, "err-conversations-search-no-words");
        let long = InboxFilter { text: Some("a".repeat(MAX_SEARCH_CHARS + 1)), ..Default::default() };
        assert!(long.problem().is_some());
        let backwards = InboxFilter { created_from_ms: Some(10), created_to_ms: Some(5), ..Default::default() };
        assert_eq!(backwards.problem().unwrap().id, "err-conversations-filter-created-backwards");
        let many = InboxFilter { labels: (0..51).map(LabelId).collect(), ..Default::default() };
        assert!(many.problem().is_some());
    }

    #[test]
    fn emptiness_ignores_blank_text() {
        assert!(InboxFilter::default().is_empty());
        assert!(InboxFilter { text: Some("  ".into()), ..Default::default() }.is_empty());
        assert!(!InboxFilter { text: Some("hi".into()), ..Default::default() }.is_empty());
        assert!(!InboxFilter { unread: Some(true), ..Default::default() }.is_empty());
    }

    #[test]
    fn assignees_travel_as_text() {
        for a in [Assignee::Nobody, Assignee::Me, Assignee::Member(UserId(7))] {
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<Assignee>(&json).unwrap(), a);
        }
        assert!(serde_json::from_str::<Assignee>("\"someone\"").is_err());
    }
}
