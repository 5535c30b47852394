//! The inbox: the conversation list, one conversation's history and the composer, kept
//! live by realtime events; and the unread badge of its navigation entry.

mod actions;
mod api;
mod arrivals;
mod bulk;
mod composer;
mod conversation;
mod feed;
mod files;
mod finder;
mod inbox;
mod keys;
mod labels;
mod layout;
pub(crate) mod mentions;
mod quick;
mod replies_page;
mod time;

pub use api::*;
pub use conversation::ConversationPage;
pub use feed::{ConversationFeed, merge_summaries};
pub use inbox::{InboxList, LabelChip};
pub use layout::{ConversationsLayout, NoConversation};
pub use replies_page::QuickRepliesPage;
pub use time::{calendar_date, clock_time, now_ms};

/// The navigation entry: everyone, with the number of conversations that have unread messages.
pub const NAV: crate::frame::NavEntry =
    crate::frame::NavEntry::new(crate::msg!("nav-conversations"), "/inbox").badge(feed::unread_badge);
