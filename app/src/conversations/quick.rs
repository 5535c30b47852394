//! Quick replies in the composer: `/` at the start of the box (or the button) opens the
//! list, filtered by what follows; arrows move, Enter or a click puts the chosen reply,
//! its variables filled in, into the box. "Save as quick reply" keeps the box's text as
//! a new one.

use leptos::prelude::*;
use parley_types::{ConversationId, QuickReply};

use super::api::{CreateQuickReply, ListQuickReplies, UseQuickReply};
use super::files::FileTray;
use crate::frame::use_frame;
use crate::t;

/// The picker's state, shared by the composer's box and the list.
#[derive(Clone, Copy)]
pub struct QuickPicker {
    conversation_id: ConversationId,
    text: RwSignal<String>,
    /// Loaded in the browser once hydrated (see `ConversationActions`).
    replies: ServerAction<ListQuickReplies>,
    open: RwSignal<bool>,
    filter: RwSignal<String>,
    highlighted: RwSignal<usize>,
    use_reply: ServerAction<UseQuickReply>,
    create: ServerAction<CreateQuickReply>,
    /// The composer's files: a quick reply's own go there when it is used, and the ones
    /// there are kept on a quick reply saved from the composer.
    tray: FileTray,
}

impl QuickPicker {
    pub fn new(conversation_id: ConversationId, text: RwSignal<String>, tray: FileTray) -> Self {
        let replies = ServerAction::<ListQuickReplies>::new();
        Effect::new(move |_| {
            replies.dispatch(ListQuickReplies {});
        });
        let use_reply = ServerAction::<UseQuickReply>::new();
        let create = ServerAction::<CreateQuickReply>::new();
        let toasts = use_frame().toasts;
        let picker = Self {
            conversation_id,
            text,
            replies,
            open: RwSignal::new(false),
            filter: RwSignal::new(String::new()),
            highlighted: RwSignal::new(0),
            use_reply,
            create,
            tray,
        };
        Effect::new(move |_| match use_reply.value().get() {
            Some(Ok(filled)) => text.set(filled),
            Some(Err(err)) => toasts.error(err),
            None => {}
        });
        Effect::new(move |_| match create.value().get() {
            Some(Ok(saved)) => {
                toasts.success(t!("inbox-quick-saved-as", shortcut = saved.shortcut));
                replies.dispatch(ListQuickReplies {});
            }
            Some(Err(err)) => toasts.error(err),
            None => {}
        });
        picker
    }

    /// Follows the box: `/word` at its start opens the list filtered by `word`.
    pub fn follow(&self, value: &str) {
        match value.strip_prefix('/') {
            Some(rest) if !rest.contains(char::is_whitespace) => {
                self.filter.set(rest.to_lowercase());
                self.highlighted.set(0);
                self.open.set(true);
            }
            _ => self.open.set(false),
        }
    }

    /// Opens or closes the full list (the button).
    pub fn toggle(&self) {
        self.filter.set(String::new());
        self.highlighted.set(0);
        self.open.update(|open| *open = !*open);
    }

    /// The replies matching the filter (shortcut or title). Reads a resource.
    fn matches(&self) -> Vec<QuickReply> {
        let filter = self.filter.get();
        let all = self.replies.value().get().and_then(Result::ok).unwrap_or_default();
        all.into_iter()
            .filter(|r| filter.is_empty() || r.shortcut.contains(&filter) || r.title.to_lowercase().contains(&filter))
            .collect()
    }

    fn pick(&self, reply: &QuickReply) {
        self.open.set(false);
        self.tray.add_kept(reply.attachments.clone());
        self.use_reply.dispatch(UseQuickReply { id: reply.id, conversation: self.conversation_id });
    }

    /// Handles the keys the open list takes (arrows, Enter, Escape); `true` when it did.
    pub fn key(&self, ev: &leptos::ev::KeyboardEvent) -> bool {
        if !self.open.get_untracked() {
            return false;
        }
        let count = self.matches().len();
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => self.highlighted.update(|i| *i = (*i + 1) % count),
            "ArrowUp" if count > 0 => self.highlighted.update(|i| *i = (*i + count - 1) % count),
            "Enter" => match self.matches().get(self.highlighted.get_untracked()) {
                Some(reply) => self.pick(reply),
                None => return false,
            },
            "Escape" => self.open.set(false),
            _ => return false,
        }
        ev.prevent_default();
        true
    }
}

/// The list, shown while open.
#[component]
pub fn QuickReplyList(picker: QuickPicker) -> impl IntoView {
    view! {
        <Show when=move || picker.open.get()>
            <Transition fallback=|| ()>
                {move || {
                    let matches = picker.matches();
                    if matches.is_empty() {
                        return view! { <p class="quick-empty">{t!("inbox-quick-no-match")}</p> }.into_any();
                    }
                    view! {
                        <ul class="quick-replies" role="listbox" aria-label=t!("inbox-quick-replies")>
                            {matches.into_iter().enumerate().map(|(i, reply)| {
                                let chosen = move || picker.highlighted.get() == i;
                                let label = format!("/{} {}", reply.shortcut, reply.title);
                                let preview = reply.body.clone();
                                view! {
                                    <li
                                        role="option"
                                        aria-selected=move || chosen().to_string()
                                        aria-label=label
                                        on:mousedown=move |ev| {
                                            ev.prevent_default();
                                            picker.pick(&reply);
                                        }
                                    >
                                        <span class="shortcut">{format!("/{}", reply.shortcut)}</span>
                                        <span class="title">{reply.title.clone()}</span>
                                        <span class="preview">{preview}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Transition>
        </Show>
    }
}

/// "Save as quick reply": keeps the box's text under a title and shortcut.
#[component]
pub fn SaveQuickReply(picker: QuickPicker) -> impl IntoView {
    let open = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let shortcut = RwSignal::new(String::new());
    let save = move || {
        picker.create.dispatch(CreateQuickReply {
            title: title.get_untracked(),
            shortcut: shortcut.get_untracked(),
            body: picker.text.get_untracked(),
            shared: None,
            attachments: picker.tray.ready_ids().unwrap_or_default(),
        });
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = picker.create.value().get() {
            open.set(false);
            title.set(String::new());
            shortcut.set(String::new());
        }
    });
    view! {
        <button
            type="button"
            class="save-quick"
            disabled=move || picker.text.read().trim().is_empty()
            on:click=move |_| open.update(|o| *o = !*o)
        >
            {t!("inbox-save-as-quick-reply")}
        </button>
        <Show when=move || open.get()>
            // A form of its own would nest inside the composer's: a group submitted by its button.
            <div class="save-quick-form" role="group" aria-label=t!("inbox-save-as-quick-reply")>
                <input aria-label=t!("inbox-quick-title") placeholder=t!("inbox-quick-title") bind:value=title/>
                <input aria-label=t!("inbox-quick-shortcut") placeholder=t!("inbox-quick-shortcut-placeholder") bind:value=shortcut/>
                <button
                    type="button"
                    disabled=move || picker.create.pending().get()
                    on:click=move |_| save()
                >
                    {t!("inbox-save")}
                </button>
            </div>
        </Show>
    }
}
