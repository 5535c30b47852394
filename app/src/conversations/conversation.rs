//! One conversation: its history (server-rendered), live messages, status and typing.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::i18n::Said;
use leptos_router::hooks::use_params_map;
use parley_types::{
    Author, ConversationId, ConversationOutcome, ConversationPriority, ConversationStatus, ConversationSummary,
    Message, OperatorEvent, Viewer,
};

use super::actions::ConversationActions;
use super::api::{ConversationDetail, MarkConversationRead, get_conversation};
use super::composer::Composer;
use super::labels::ConversationLabels;
use crate::ApiError;
use crate::frame::use_frame;
use crate::t;

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
        <Suspense fallback=|| view! { <p class="notice">{t!("conv-loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <ConversationView detail/> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.said()}</p> }.into_any(),
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
    // Colleagues with this conversation open, and those of them typing a reply.
    let viewers = RwSignal::new(Vec::<Viewer>::new());
    let replying = RwSignal::new(Vec::<Viewer>::new());
    let mark_read = ServerAction::<MarkConversationRead>::new();
    // It moved to a department the member does not see (while the option says so).
    let gone = RwSignal::new(false);
    let frame = use_frame();
    let realtime = frame.realtime;

    let me = move || frame.member().map(|m| m.user_id).unwrap_or(parley_types::UserId(0));
    // Read up to the newest message shown.
    let read_all = move || {
        let seq = messages.with_untracked(|m| m.keys().next_back().copied());
        mark_read.dispatch(MarkConversationRead { id, seq });
    };
    // The visitor's messages shown while the server stores them (`MessageArriving`), by
    // client id, in arrival order: each goes when its stored copy comes or is withdrawn.
    let arriving = RwSignal::new(Vec::<Message>::new());
    let add_message = move |message: Message| {
        if let Some(client_id) = &message.client_id {
            arriving.update(|a| settle(a, client_id));
        }
        messages.update(|m| {
            m.insert(message.seq, message);
        });
    };
    realtime.on_event(move |event| match event {
        OperatorEvent::MessageCreated { message } if message.conversation_id == id => {
            add_message(message.clone());
            if message.author == Author::Visitor {
                visitor_typing.set(false);
                read_all();
            }
        }
        OperatorEvent::MessageArriving { conversation_id, client_id, text, created_at_ms }
            if *conversation_id == id =>
        {
            visitor_typing.set(false);
            let message = arriving_message(id, client_id, text, *created_at_ms);
            messages.with_untracked(|stored| arriving.update(|a| arrive(a, stored, message)));
        }
        OperatorEvent::ArrivalWithdrawn { conversation_id, client_id } if *conversation_id == id => {
            arriving.update(|a| settle(a, client_id))
        }
        // A socket that reconnects resumes with the stored messages: what was still
        // arriving is among them, or was not stored.
        OperatorEvent::Resumed { conversation_id: Some(resumed), .. } if *resumed == id => {
            arriving.update(|a| a.clear())
        }
        OperatorEvent::MemberRead { conversation_id, mark } if *conversation_id == id => {
            summary.update(|s| s.apply_read(*mark))
        }
        OperatorEvent::VisitorRead { conversation_id, seq } if *conversation_id == id => {
            summary.update(|s| s.visitor_read_seq = s.visitor_read_seq.max(*seq))
        }
        OperatorEvent::ConversationChanged { conversation } if conversation.id == id => {
            gone.set(false);
            summary.set(conversation.clone())
        }
        OperatorEvent::ConversationGone { conversation_id } if *conversation_id == id => gone.set(true),
        OperatorEvent::Typing { conversation_id, author: Author::Visitor, typing, .. } if *conversation_id == id => {
            visitor_typing.set(*typing)
        }
        OperatorEvent::Typing { conversation_id, author: Author::Operator, typing, by: Some(by) }
            if *conversation_id == id =>
        {
            replying.update(|r| {
                r.retain(|v| v.user_id != by.user_id);
                if *typing {
                    r.push(by.clone());
                }
            })
        }
        OperatorEvent::Viewers { conversation_id, viewers: now } if *conversation_id == id => {
            viewers.set(now.clone());
            // Someone who left is not replying any more.
            replying.update(|r| r.retain(|v| now.iter().any(|n| n.user_id == v.user_id)));
        }
        _ => {}
    });
    // On every (re)connect the socket asks for what came after the newest message shown.
    realtime.watch(id, move || messages.with_untracked(|m| m.keys().next_back().copied().unwrap_or(0)));

    Effect::new(move |_| {
        let me = me();
        if summary.with_untracked(|s| s.unread_for(me) > 0) {
            read_all();
        }
    });
    // Opened at a line (`#message-12`, from the Inbox): it is marked and scrolled to.
    let highlighted = RwSignal::new(None::<i64>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let hash = window().location().hash().unwrap_or_default();
        if let Some(seq) = hash.strip_prefix("#message-").and_then(|seq| seq.parse().ok()) {
            highlighted.set(Some(seq));
            if let Some(line) = document().get_element_by_id(&hash[1..]) {
                line.scroll_into_view();
            }
        }
    });
    // The visitor's "Seen" goes under the newest answer their widget displayed.
    let seen_seq = Memo::new(move |_| {
        let shown = summary.read().visitor_read_seq;
        messages.with(|m| {
            m.range(..=shown).rev().find(|(_, m)| m.author == Author::Operator && !m.internal).map(|(seq, _)| *seq)
        })
    });

    view! {
        <article class="conversation-view" aria-label=t!("conv-conversation")>
            <ConversationHeader summary/>
            <div class="messages-log" role="log" aria-label=t!("conv-messages") aria-live="polite">
            <ol class="messages">
                {move || {
                    messages
                        .get()
                        .into_values()
                        .map(|m| {
                            let seq = m.seq;
                            let seen = Signal::derive(move || seen_seq.get() == Some(seq));
                            let highlight = Signal::derive(move || highlighted.get() == Some(seq));
                            view! { <MessageItem message=m seen highlight/> }
                        })
                        .collect_view()
                }}
                <For each=move || arriving.get() key=|m| m.client_id.clone() let:m>
                    <MessageItem message=m seen=Signal::from(false) highlight=Signal::from(false)/>
                </For>
            </ol>
            </div>
            <ConversationLabels summary/>
            <Collision viewers replying/>
            <Show when=move || visitor_typing.get()>
                <p class="typing" role="status">{t!("conv-visitor-typing")}</p>
            </Show>
            <Show when=move || gone.get()>
                <p class="notice" role="alert">{t!("conv-gone")}</p>
            </Show>
            <Composer conversation_id=id on_sent=add_message/>
        </article>
    }
}

#[component]
fn ConversationHeader(summary: RwSignal<ConversationSummary>) -> impl IntoView {
    let status = move || {
        let s = summary.read();
        match (s.outcome, s.snoozed_until_ms) {
            (Some(outcome), _) => {
                t!("conv-status-with-outcome", status = status_name(s.status), outcome = outcome_name(outcome))
            }
            (None, Some(until)) => {
                t!("conv-status-until", status = status_name(s.status), time = super::time::clock_time(until))
            }
            _ => status_name(s.status),
        }
    };
    view! {
        <header class="conversation-header">
            <h2>{move || summary.read().contact_name.clone()}</h2>
            <Show when=move || summary.read().priority == ConversationPriority::Critical>
                <span class="priority">{t!("conv-critical")}</span>
            </Show>
            <span class="status" aria-label=t!("conv-status")>{status}</span>
            <ConversationActions summary/>
            <crate::contacts::SaveContactButton summary/>
            <Transcripts id=summary.read_untracked().id/>
        </header>
    }
}

/// A conversation's status, as its header shows it ("closed").
fn status_name(status: ConversationStatus) -> String {
    match status {
        ConversationStatus::Open => t!("conv-status-open"),
        ConversationStatus::Snoozed => t!("conv-status-snoozed"),
        ConversationStatus::Closed => t!("conv-status-closed"),
    }
}

/// How a closed conversation ended, as its header shows it ("resolved").
fn outcome_name(outcome: ConversationOutcome) -> String {
    match outcome {
        ConversationOutcome::Resolved => t!("conv-outcome-resolved"),
        ConversationOutcome::Abandoned => t!("conv-outcome-abandoned"),
        ConversationOutcome::Expired => t!("conv-outcome-expired"),
    }
}

/// Who else has the conversation open, and who of them is typing a reply, so two people
/// do not answer at once.
#[component]
fn Collision(viewers: RwSignal<Vec<Viewer>>, replying: RwSignal<Vec<Viewer>>) -> impl IntoView {
    let frame = use_frame();
    let others = move |list: RwSignal<Vec<Viewer>>| {
        let me = frame.member().map(|m| m.user_id);
        list.get().into_iter().filter(|v| Some(v.user_id) != me).map(|v| v.name).collect::<Vec<_>>()
    };
    let names = |names: Vec<String>| match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => t!("conv-names-and", names = rest.join(", "), last = last.clone()),
    };
    view! {
        <Show when=move || !others(viewers).is_empty()>
            <p class="collision" role="status" aria-label=t!("conv-also-here")>
                {move || t!("conv-also-here-names", names = names(others(viewers)))}
            </p>
        </Show>
        <Show when=move || !others(replying).is_empty()>
            <p class="collision replying" role="status" aria-label=t!("conv-replying")>
                {move || {
                    let who = others(replying);
                    t!("conv-replying-names", count = who.len(), names = names(who))
                }}
            </p>
        </Show>
    }
}

/// Downloads of the conversation's transcript (the team's notes only on request).
#[component]
fn Transcripts(id: ConversationId) -> impl IntoView {
    let link = move |query: &str| crate::frame::ws_path(&format!("/transcripts/{id}{query}"));
    view! {
        <nav class="transcripts" aria-label=t!("conv-transcript")>
            {t!("conv-transcript-label")}" "
            <a href=link("?format=html") download>"HTML"</a>
            " · "
            <a href=link("?format=text") download>{t!("conv-transcript-text")}</a>
            " · "
            <a href=link("?format=html&notes=true") download>{t!("conv-transcript-with-notes")}</a>
        </nav>
    }
}

/// Adds a message that is arriving, unless it is shown already (stored, or arriving: a
/// resend of one not stored yet).
fn arrive(arriving: &mut Vec<Message>, stored: &BTreeMap<i64, Message>, message: Message) {
    let shown = |m: &Message| m.client_id.is_some() && m.client_id == message.client_id;
    if !stored.values().any(shown) && !arriving.iter().any(shown) {
        arriving.push(message);
    }
}

/// Takes the arriving message with this client id away (it was stored, or withdrawn).
fn settle(arriving: &mut Vec<Message>, client_id: &str) {
    arriving.retain(|m| m.client_id.as_deref() != Some(client_id));
}

/// A visitor's message being stored, as [`MessageItem`] shows it (its `seq` is 0: it has
/// none yet).
fn arriving_message(conversation_id: ConversationId, client_id: &str, text: &str, created_at_ms: i64) -> Message {
    Message {
        id: parley_types::MessageId(0),
        conversation_id,
        seq: 0,
        author: Author::Visitor,
        author_name: None,
        text: text.to_owned(),
        client_id: Some(client_id.to_owned()),
        created_at_ms,
        internal: false,
        attachments: Vec::new(),
        phrase: None,
    }
}

/// One message; `seen` while it is the newest answer the visitor's widget displayed,
/// `highlight` when the page was opened at it.
#[component]
fn MessageItem(message: Message, seen: Signal<bool>, highlight: Signal<bool>) -> impl IntoView {
    let name = message.author_name.clone();
    let who = match (message.author, message.internal) {
        (Author::Visitor, _) => t!("conv-author-visitor"),
        // A note for the team: never sent to the visitor.
        (Author::Operator, true) => {
            t!("conv-author-note", name = name.unwrap_or_else(|| t!("conv-author-operator")))
        }
        (Author::Operator, false) => name.unwrap_or_else(|| t!("conv-author-operator")),
        (Author::System, _) => "Parley".to_owned(),
    };
    let class = match (message.author, message.internal) {
        (Author::System, _) => "message system-line".to_owned(),
        (_, true) => "message note".to_owned(),
        (author, false) => format!("message {}", author.as_str()),
    };
    // A system line is said in the page's language when it came by id; else its English.
    let text = match message.author {
        Author::System => message.phrase.as_ref().map(Said::said).unwrap_or(message.text),
        _ => message.text,
    };
    // Not stored yet (`MessageArriving`): no line id to link to, and it says so.
    let arriving = message.seq == 0;
    view! {
        <li
            class=class
            class:highlight=move || highlight.get()
            class:arriving=arriving
            id=(!arriving).then(|| format!("message-{}", message.seq))
            aria-busy=arriving.then_some("true")
        >
            <span class="author">{who}</span>
            <span class="time">{super::time::clock_time(message.created_at_ms)}</span>
            {arriving.then(|| view! { <span class="arriving-mark">{t!("conv-arriving")}</span> })}
            // Text is always inserted as text, never as HTML.
            {(!text.is_empty()).then(|| view! { <p class="text">{text}</p> })}
            <super::files::MessageFiles files=message.attachments/>
            <Show when=move || seen.get()>
                <span class="seen" aria-label=t!("conv-seen-by-visitor")>{t!("conv-seen")}</span>
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(seq: i64, client_id: &str) -> Message {
        Message { seq, id: parley_types::MessageId(seq), ..arriving_message(ConversationId(1), client_id, "hi", 0) }
    }

    #[test]
    fn an_arrival_shows_once_until_it_is_stored_or_withdrawn() {
        let mut stored_messages = BTreeMap::from([(1, stored(1, "v-1"))]);
        let mut arriving = Vec::new();
        arrive(&mut arriving, &stored_messages, arriving_message(ConversationId(1), "v-2", "second", 5));
        arrive(&mut arriving, &stored_messages, arriving_message(ConversationId(1), "v-3", "third", 6));
        // A resend while it is still arriving, and one of a stored message, add nothing.
        arrive(&mut arriving, &stored_messages, arriving_message(ConversationId(1), "v-2", "second", 7));
        arrive(&mut arriving, &stored_messages, arriving_message(ConversationId(1), "v-1", "first", 8));
        let texts = |a: &Vec<Message>| a.iter().map(|m| m.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&arriving), ["second", "third"], "in arrival order, each once");
        assert!(arriving.iter().all(|m| m.seq == 0), "an arrival has no place in the stream yet");

        stored_messages.insert(2, stored(2, "v-2"));
        settle(&mut arriving, "v-2");
        assert_eq!(texts(&arriving), ["third"]);
        settle(&mut arriving, "v-3");
        assert!(arriving.is_empty());
    }
}
