//! `/quick-replies`: every quick reply the member may use. Search by title, shortcut or
//! body; shared (the workspace's) and personal ones apart; each with its shortcut, body,
//! files and how often it was used. Members make and change their own; owners and admins
//! also the shared ones (a shortcut is unique per scope). Other members' changes show
//! without a reload.

use leptos::prelude::*;
use parley_types::{Capability, OperatorEvent, QuickReply};

use super::api::{CreateQuickReply, DeleteQuickReply, ListQuickReplies, UpdateQuickReply};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn QuickRepliesPage() -> impl IntoView {
    let frame = use_frame();
    let list = ServerAction::<ListQuickReplies>::new();
    let create = ServerAction::<CreateQuickReply>::new();
    let update = ServerAction::<UpdateQuickReply>::new();
    let delete = ServerAction::<DeleteQuickReply>::new();
    Effect::new(move |_| {
        list.dispatch(ListQuickReplies {});
    });
    frame.realtime.on_event(move |event| {
        if matches!(event, OperatorEvent::QuickRepliesChanged) {
            list.dispatch(ListQuickReplies {});
        }
    });
    // This member's own changes show at once (others' arrive as events).
    Effect::new(move |_| {
        let changed = matches!(create.value().get(), Some(Ok(_)))
            || matches!(update.value().get(), Some(Ok(_)))
            || matches!(delete.value().get(), Some(Ok(_)));
        if changed {
            list.dispatch(ListQuickReplies {});
        }
    });
    frame.toasts.report(create.value(), |r| t!("inbox-quick-saved", shortcut = r.shortcut));
    frame.toasts.report(update.value(), |r| t!("inbox-quick-saved", shortcut = r.shortcut));
    frame.toasts.report(delete.value(), |_| t!("inbox-quick-deleted"));
    let may_share = frame.allows(Capability::ManageSharedQuickReplies);
    let query = RwSignal::new(String::new());
    let shared_tab = RwSignal::new(true);
    let replies = move || {
        let needle = query.get().to_lowercase();
        let shared = shared_tab.get();
        let mut found: Vec<QuickReply> = list
            .value()
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.shared == shared)
            .filter(|r| {
                needle.is_empty()
                    || r.title.to_lowercase().contains(&needle)
                    || r.shortcut.to_lowercase().contains(&needle)
                    || r.body.to_lowercase().contains(&needle)
            })
            .collect();
        found.sort_by(|a, b| b.usage_count.cmp(&a.usage_count).then_with(|| a.shortcut.cmp(&b.shortcut)));
        found
    };
    let title = RwSignal::new(String::new());
    let shortcut = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            title.set(String::new());
            shortcut.set(String::new());
            body.set(String::new());
        }
    });
    let refused = move || match create.value().get() {
        Some(Err(err)) => Some(crate::i18n::Said::said(&err)),
        _ => None,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateQuickReply {
            title: title.get_untracked(),
            shortcut: shortcut.get_untracked(),
            body: body.get_untracked(),
            shared: Some(shared_tab.get_untracked()),
            attachments: Vec::new(),
        });
    };
    view! {
        <section class="quick-replies-page" aria-label=t!("inbox-quick-replies")>
            <h1>{t!("inbox-quick-replies")}</h1>
            <p>{t!("inbox-quick-hint")}</p>
            <div role="tablist" aria-label=t!("inbox-quick-scope")>
                <button type="button" role="tab" aria-selected=move || shared_tab.get().to_string() on:click=move |_| shared_tab.set(true)>
                    {t!("inbox-quick-shared")}
                </button>
                <button type="button" role="tab" aria-selected=move || (!shared_tab.get()).to_string() on:click=move |_| shared_tab.set(false)>
                    {t!("inbox-quick-personal")}
                </button>
            </div>
            <input
                type="search"
                aria-label=t!("inbox-quick-search")
                placeholder=t!("inbox-search")
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <Show when=move || !shared_tab.get() || may_share.get()>
                <form class="quick-reply-form" aria-label=t!("inbox-quick-new") novalidate on:submit=submit>
                    <label>{t!("inbox-quick-title")}" " <input aria-label=t!("inbox-quick-title") prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/></label>
                    <label>{t!("inbox-quick-shortcut-slash")} <input aria-label=t!("inbox-quick-shortcut") prop:value=move || shortcut.get() on:input=move |ev| shortcut.set(event_target_value(&ev))/></label>
                    <label>{t!("inbox-quick-text")}" " <textarea aria-label=t!("inbox-quick-text") prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea></label>
                    <button type="submit" disabled=move || create.pending().get()>
                        {move || if shared_tab.get() { t!("inbox-quick-save-everyone") } else { t!("inbox-quick-save-me") }}
                    </button>
                    <Show when=move || refused().is_some()>
                        <p role="alert">{refused}</p>
                    </Show>
                </form>
            </Show>
            <table class="quick-reply-table" aria-label=t!("inbox-quick-list")>
                <thead>
                    <tr>
                        <th>{t!("inbox-quick-shortcut")}</th>
                        <th>{t!("inbox-quick-title")}</th>
                        <th>{t!("inbox-quick-text")}</th>
                        <th>{t!("inbox-quick-files")}</th>
                        <th>{t!("inbox-quick-used")}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=replies key=|r| (r.id, r.title.clone(), r.shortcut.clone(), r.body.clone(), r.usage_count) let(reply)>
                        <ReplyRow reply update delete/>
                    </For>
                </tbody>
            </table>
            <Show when=move || replies().is_empty()>
                <p>{t!("inbox-quick-none")}</p>
            </Show>
        </section>
    }
}

#[component]
fn ReplyRow(
    reply: QuickReply,
    update: ServerAction<UpdateQuickReply>,
    delete: ServerAction<DeleteQuickReply>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let id = reply.id;
    let title = RwSignal::new(reply.title.clone());
    let shortcut = RwSignal::new(reply.shortcut.clone());
    let body = RwSignal::new(reply.body.clone());
    let can_edit = reply.can_edit;
    let files = reply.attachments.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
    let label = t!("inbox-quick-edit-label", shortcut = reply.shortcut.clone());
    view! {
        <tr>
            <Show when=move || editing.get() fallback=move || {
                let reply = reply.clone();
                let files = files.clone();
                let label = label.clone();
                view! {
                    <td><code>"/" {reply.shortcut.clone()}</code></td>
                    <td>{reply.title.clone()}</td>
                    <td class="body">{reply.body.clone()}</td>
                    <td>{files}</td>
                    <td>{reply.usage_count}</td>
                    <td>
                        {can_edit.then(|| view! {
                            <button type="button" aria-label=label.clone() on:click=move |_| editing.set(true)>{t!("inbox-edit")}</button>
                            <button type="button" on:click=move |_| { delete.dispatch(DeleteQuickReply { id }); }>{t!("inbox-delete")}</button>
                        })}
                    </td>
                }
            }>
                <td><input aria-label=t!("inbox-quick-shortcut") prop:value=move || shortcut.get() on:input=move |ev| shortcut.set(event_target_value(&ev))/></td>
                <td><input aria-label=t!("inbox-quick-title") prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/></td>
                <td colspan="3"><textarea aria-label=t!("inbox-quick-text") prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea></td>
                <td>
                    <button type="button" on:click=move |_| {
                        update.dispatch(UpdateQuickReply {
                            id,
                            title: title.get_untracked(),
                            shortcut: shortcut.get_untracked(),
                            body: body.get_untracked(),
                        });
                        editing.set(false);
                    }>{t!("inbox-save")}</button>
                    <button type="button" on:click=move |_| editing.set(false)>{t!("inbox-cancel")}</button>
                </td>
            </Show>
        </tr>
    }
}
