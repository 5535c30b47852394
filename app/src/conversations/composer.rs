//! The reply box: sends with a client id (so a retry cannot double-post) and tells the
//! visitor while the operator types.

use leptos::prelude::*;
use parley_types::{ClientEvent, ConversationId, Message};

use super::api::{AddNote, SendReply};
use super::files::{AttachButton, FileTray, FileTrayView, RecordButton};
use super::mentions::{MentionList, MentionPicker};
use super::quick::{QuickPicker, QuickReplyList, SaveQuickReply};
use crate::frame::use_frame;
use crate::t;

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
    let note = ServerAction::<AddNote>::new();
    // Writing a note for the team instead of a reply: the visitor sees neither it nor the
    // typing.
    let note_mode = RwSignal::new(false);
    let pending = move || send.pending().get() || note.pending().get();
    let text = RwSignal::new(String::new());
    // The id of the message being sent: kept across retries of the same text.
    let pending_id = RwSignal::new(None::<String>);
    let typing_sent = StoredValue::new(false);
    let tray = FileTray::new(conversation_id);
    let quick = QuickPicker::new(conversation_id, text, tray);
    let mentions = MentionPicker::new(text);
    let frame = use_frame();
    let dragging = RwSignal::new(false);

    let set_typing = move |typing: bool| {
        let typing = typing && !note_mode.get_untracked();
        if typing_sent.get_value() != typing {
            typing_sent.set_value(typing);
            frame.realtime.send(&ClientEvent::Typing { conversation_id: Some(conversation_id), typing });
        }
    };
    let submit = move || {
        let body = text.get_untracked();
        let as_note = note_mode.get_untracked();
        // Files go with replies only; a reply may be files alone.
        let Some(files) = (if as_note { Some(Vec::new()) } else { tray.ready_ids() }) else {
            frame.toasts.error(t!("conv-wait-for-uploads"));
            return;
        };
        if body.trim().is_empty() && files.is_empty() {
            return;
        }
        let client_id = pending_id.get_untracked().unwrap_or_else(new_client_id);
        pending_id.set(Some(client_id.clone()));
        set_typing(false);
        if as_note {
            let mentions = mentions.take(&body);
            note.dispatch(AddNote { id: conversation_id, client_id, text: body, mentions });
        } else {
            send.dispatch(SendReply { id: conversation_id, client_id, text: body, attachments: files });
        }
    };
    // A failed send keeps the text (and its client id) for a retry; the error is a toast.
    let sent = move |result: Option<Result<Message, crate::ApiError>>| match result {
        Some(Ok(message)) => {
            on_sent(message);
            text.set(String::new());
            pending_id.set(None);
        }
        Some(Err(err)) => frame.toasts.error(err),
        None => {}
    };
    Effect::new(move |_| {
        let result = send.value().get();
        if matches!(result, Some(Ok(_))) {
            tray.clear();
        }
        sent(result)
    });
    Effect::new(move |_| sent(note.value().get()));
    let set_mode = move |as_note: bool| {
        if note_mode.get_untracked() != as_note {
            set_typing(false);
            note_mode.set(as_note);
            // A draft switches with the mode; its id must not be reused for the other kind.
            pending_id.set(None);
        }
    };

    view! {
        <form
            class="composer"
            class:note=move || note_mode.get()
            class:dragging=move || dragging.get()
            on:submit=move |ev| { ev.prevent_default(); submit(); }
            on:dragover=move |ev| {
                ev.prevent_default();
                dragging.set(!note_mode.get_untracked());
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev| {
                ev.prevent_default();
                dragging.set(false);
                #[cfg(feature = "hydrate")]
                if !note_mode.get_untracked() {
                    tray.upload_all(ev.data_transfer().and_then(|data| data.files()));
                }
            }
        >
            <div class="composer-mode" role="group" aria-label=t!("conv-write")>
                <button type="button" data-shortcut="r" aria-pressed=move || (!note_mode.get()).to_string() on:click=move |_| set_mode(false)>
                    {t!("conv-reply")}
                </button>
                <button type="button" data-shortcut="n" aria-pressed=move || note_mode.get().to_string() on:click=move |_| set_mode(true)>
                    {t!("conv-note")}
                </button>
                <button type="button" class="quick-toggle" on:click=move |_| quick.toggle()>{t!("conv-quick-replies")}</button>
                <SaveQuickReply picker=quick/>
                <Show when=move || !note_mode.get()>
                    <AttachButton tray=tray/>
                    <RecordButton tray=tray/>
                </Show>
            </div>
            <FileTrayView tray=tray/>
            <QuickReplyList picker=quick/>
            <MentionList picker=mentions/>
            <textarea
                aria-label=move || if note_mode.get() { t!("conv-note") } else { t!("conv-reply") }
                placeholder=move || if note_mode.get() {
                    t!("conv-note-placeholder")
                } else {
                    t!("conv-reply-placeholder")
                }
                rows="3"
                prop:value=move || text.get()
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    set_typing(!value.trim().is_empty());
                    quick.follow(&value);
                    if note_mode.get_untracked() {
                        mentions.follow(&value);
                    }
                    text.set(value);
                }
                on:paste=move |ev| {
                    // Pasted files (a screenshot) are uploaded; pasted text stays text.
                    #[cfg(feature = "hydrate")]
                    if !note_mode.get_untracked()
                        && let Some(files) = ev.clipboard_data().and_then(|data| data.files())
                        && files.length() > 0
                    {
                        ev.prevent_default();
                        tray.upload_all(Some(files));
                    }
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }
                on:keydown=move |ev| {
                    if quick.key(&ev) || (note_mode.get_untracked() && mentions.key(&ev)) {
                        return;
                    }
                    if ev.key() == "Enter" && !ev.shift_key() {
                        ev.prevent_default();
                        submit();
                    }
                }
            ></textarea>
            <button type="submit" disabled=pending>{move || if note_mode.get() { t!("conv-add-note") } else { t!("conv-send") }}</button>
        </form>
    }
}
