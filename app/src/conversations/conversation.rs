//! One conversation: its history (server-rendered), live messages, status and typing.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use parley_types::{Author, ConversationId, ConversationStatus, ConversationSummary, Message, OperatorEvent};

use super::api::{ConversationDetail, MarkConversationRead, SetConversationStatus, get_conversation};
use super::composer::Composer;
use crate::ApiError;
use crate::frame::use_frame;

/// `/inbox/:id`.
#[component]
pub fn ConversationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()).map(ConversationId);
    let detail = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_conversation(id).await,
            None => Err(ApiError::not_found()),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="notice">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <ConversationView detail/> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConversationView(detail: ConversationDetail) -> impl IntoView {
    let id = detail.summary.id;
    let summary = RwSignal::new(detail.summary);
    let messages = RwSignal::new(detail.messages.into_iter().map(|m| (m.seq, m)).collect::<BTreeMap<i64, Message>>());
    let visitor_typing = RwSignal::new(false);
    let mark_read = ServerAction::<MarkConversationRead>::new();
    let set_status = ServerAction::<SetConversationStatus>::new();
    let frame = use_frame();
    let realtime = frame.realtime;

    let add_message = move |message: Message| {
        messages.update(|m| {
            m.insert(message.seq, message);
        });
    };
    realtime.on_event(move |event| match event {
        OperatorEvent::MessageCreated { message } if message.conversation_id == id => {
            if message.author == Author::Visitor {
                visitor_typing.set(false);
                mark_read.dispatch(MarkConversationRead { id });
            }
            add_message(message.clone());
        }
        OperatorEvent::ConversationChanged { conversation } if conversation.id == id => {
            summary.set(conversation.clone())
        }
        OperatorEvent::Typing { conversation_id, author: Author::Visitor, typing } if *conversation_id == id => {
            visitor_typing.set(*typing)
        }
        _ => {}
    });
    // On every (re)connect the socket asks for what came after the newest message shown.
    realtime.watch(id, move || messages.with_untracked(|m| m.keys().next_back().copied().unwrap_or(0)));

    Effect::new(move |_| {
        if summary.with_untracked(|s| s.unread > 0) {
            mark_read.dispatch(MarkConversationRead { id });
        }
    });
    Effect::new(move |_| match set_status.value().get() {
        Some(Ok(changed)) => summary.set(changed),
        Some(Err(err)) => frame.toasts.error(err),
        None => {}
    });

    view! {
        <article class="conversation-view" aria-label="Conversation">
            <ConversationHeader summary set_status/>
            <ol class="messages" role="log" aria-label="Messages" aria-live="polite">
                {move || messages.get().into_values().map(|m| view! { <MessageItem message=m/> }).collect_view()}
            </ol>
            <Show when=move || visitor_typing.get()>
                <p class="typing" role="status">"Visitor is typing…"</p>
            </Show>
            <Composer conversation_id=id on_sent=add_message/>
        </article>
    }
}

#[component]
fn ConversationHeader(
    summary: RwSignal<ConversationSummary>,
    set_status: ServerAction<SetConversationStatus>,
) -> impl IntoView {
    let status = move || summary.read().status;
    let toggle = move |_| {
        let (id, current) = summary.with_untracked(|s| (s.id, s.status));
        let next =
            if current == ConversationStatus::Closed { ConversationStatus::Open } else { ConversationStatus::Closed };
        set_status.dispatch(SetConversationStatus { id, status: next });
    };
    view! {
        <header class="conversation-header">
            <h2>{move || summary.read().contact_name.clone()}</h2>
            <span class="status" aria-label="Status">{move || status().as_str()}</span>
            <button type="button" on:click=toggle disabled=move || set_status.pending().get()>
                {move || if status() == ConversationStatus::Closed { "Reopen" } else { "Close" }}
            </button>
        </header>
    }
}

#[component]
fn MessageItem(message: Message) -> impl IntoView {
    let who = match message.author {
        Author::Visitor => "Visitor".to_owned(),
        Author::Operator => message.author_name.clone().unwrap_or_else(|| "Operator".to_owned()),
        Author::System => "Parley".to_owned(),
    };
    view! {
        <li class=format!("message {}", message.author.as_str())>
            <span class="author">{who}</span>
            <span class="time">{super::time::clock_time(message.created_at_ms)}</span>
            // Text is always inserted as text, never as HTML.
            <p class="text">{message.text}</p>
        </li>
    }
}
