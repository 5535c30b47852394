//! The conversations page under `/inbox`: the list beside the chosen conversation.

use leptos::prelude::*;
use leptos_router::components::Outlet;

use super::inbox::InboxList;

/// `/inbox` and `/inbox/:id`: the list, and the conversation in the pane.
#[component]
pub fn ConversationsLayout() -> impl IntoView {
    view! {
        <div class="columns">
            <InboxList/>
            <section class="pane">
                <Outlet/>
            </section>
        </div>
    }
}

/// `/inbox` with no conversation chosen.
#[component]
pub fn NoConversation() -> impl IntoView {
    view! { <p class="empty">{crate::t!("inbox-choose-conversation")}</p> }
}
