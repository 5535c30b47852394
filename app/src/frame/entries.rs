//! The navigation's entries. A module that has a page adds its `NAV` constant here, in
//! the canonical order: Conversations, Inbox (the member's own), Contacts, Visitors, Tickets, Knowledge,
//! Workflows, Broadcasts, Analytics, Settings. Only modules that exist are listed: the
//! navigation never links to a page that is not there.

use super::nav::NavEntry;
use crate::{contacts, conversations, my_inbox, settings, visitors};

/// The navigation, in order.
pub static ENTRIES: &[NavEntry] = &[conversations::NAV, my_inbox::NAV, contacts::NAV, visitors::NAV, settings::NAV];

/// Every module's label (in English), in the order the navigation shows them.
pub const CANONICAL_ORDER: [&str; 10] = [
    "Conversations",
    "Inbox",
    "Contacts",
    "Visitors",
    "Tickets",
    "Knowledge",
    "Workflows",
    "Broadcasts",
    "Analytics",
    "Settings",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn english(id: &str) -> String {
        crate::i18n::message_in(crate::i18n::Lang::En, id, None)
    }

    #[test]
    fn entries_follow_the_canonical_order_once_each() {
        let positions: Vec<usize> = ENTRIES
            .iter()
            .map(|entry| {
                CANONICAL_ORDER
                    .iter()
                    .position(|label| *label == english(entry.label))
                    .unwrap_or_else(|| panic!("{:?} is not in CANONICAL_ORDER", entry.label))
            })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "out of order or repeated: {positions:?}");
    }

    #[test]
    fn settings_are_for_those_who_manage_the_workspace() {
        use parley_types::Role;
        let settings = ENTRIES.iter().find(|e| english(e.label) == "Settings").map(|e| e.visible_to);
        assert_eq!(settings.map(|v| (v(Role::Owner), v(Role::Admin), v(Role::Operator))), Some((true, true, false)));
    }
}
