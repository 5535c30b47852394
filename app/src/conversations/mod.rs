//! The inbox: the conversation list, one conversation's history and the composer, kept
//! live by realtime events.

mod api;
mod composer;
mod conversation;
mod inbox;
mod layout;
mod time;

pub use api::*;
pub use conversation::ConversationPage;
pub use inbox::InboxList;
pub use layout::{InboxLayout, NoConversation};
