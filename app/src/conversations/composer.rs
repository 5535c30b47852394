//! The reply box: sends with a client id (so a retry cannot double-post) and tells the
//! visitor while the operator types.

use leptos::prelude::*;
use parley_types::{ClientEvent, ConversationId, Message};

use super::api::SendReply;
use crate::frame::use_frame;

/// A fresh id for a message this browser sends.
pub fn new_client_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        let a = (js_sys::Math::random() * 1e15) as u64;
        let b = js_sys::Date::now() as u64;
        format!("op-{b:x}-{a:x}")
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        format!("op-{nanos:x}")
    }
}

#[component]
pub fn Composer(
    conversation_id: ConversationId,
    on_sent: impl Fn(Message) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let send = ServerAction::<SendReply>::new();
    let text = RwSignal::new(String::new());
    // The id of the message being sent: kept across retries of the same text.
    let pending_id = RwSignal::new(None::<String>);
    let typing_sent = StoredValue::new(false);
    let frame = use_frame();

    let set_typing = move |typing: bool| {
        if typing_sent.get_value() != typing {
            typing_sent.set_value(typing);
            frame.realtime.send(&ClientEvent::Typing { conversation_id: Some(conversation_id), typing });
        }
    };
    let submit = move || {
        let body = text.get_untracked();
        if body.trim().is_empty() {
            return;
        }
        let client_id = pending_id.get_untracked().unwrap_or_else(new_client_id);
        pending_id.set(Some(client_id.clone()));
        set_typing(false);
        send.dispatch(SendReply { id: conversation_id, client_id, text: body });
    };
    // A failed send keeps the text (and its client id) for a retry; the error is a toast.
    Effect::new(move |_| match send.value().get() {
        Some(Ok(message)) => {
            on_sent(message);
            text.set(String::new());
            pending_id.set(None);
        }
        Some(Err(err)) => frame.toasts.error(err),
        None => {}
    });

    view! {
        <form class="composer" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <textarea
                aria-label="Reply"
                placeholder="Write a reply… (Enter sends, Shift+Enter adds a line)"
                rows="3"
                prop:value=move || text.get()
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    set_typing(!value.trim().is_empty());
                    text.set(value);
                }
                on:keydown=move |ev| {
                    if ev.key() == "Enter" && !ev.shift_key() {
                        ev.prevent_default();
                        submit();
                    }
                }
            ></textarea>
            <button type="submit" disabled=move || send.pending().get()>"Send"</button>
        </form>
    }
}
