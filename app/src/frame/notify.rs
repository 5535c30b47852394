//! Desktop notifications and a sound for a new Live conversation, a visitor's message in
//! a conversation assigned to me, and a mention of me; never for the conversation already
//! in view on a visible page. Each member turns them on or off in the header (stored per
//! member); the browser's permission is asked when desktop notifications are turned on,
//! by that click, never on load.

use leptos::prelude::*;
use parley_types::NotificationSettings;

use super::context::Realtime;
use crate::auth::{GetNotificationSettings, SetNotificationSettings};

/// The header's notification settings, and the notifier itself.
#[component]
pub fn NotificationSettingsMenu(user_id: parley_types::UserId, realtime: Realtime) -> impl IntoView {
    let settings = RwSignal::new(None::<NotificationSettings>);
    let load = ServerAction::<GetNotificationSettings>::new();
    let save = ServerAction::<SetNotificationSettings>::new();
    Effect::new(move |_| {
        load.dispatch(GetNotificationSettings {});
    });
    Effect::new(move |_| {
        if let Some(Ok(loaded)) = load.value().get() {
            settings.set(Some(loaded));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            settings.set(Some(saved));
        }
    });
    let store = move |next: NotificationSettings| {
        settings.set(Some(next));
        save.dispatch(SetNotificationSettings { desktop: next.desktop, sound: next.sound });
    };
    let current = move || settings.get().unwrap_or_default();
    #[cfg(feature = "hydrate")]
    let toasts = use_context::<super::context::FrameContext>().map(|frame| frame.toasts);
    let toggle_desktop = move |on: bool| {
        let next = NotificationSettings { desktop: on, ..current() };
        if !on {
            return store(next);
        }
        // Asked here, on the member's click.
        #[cfg(feature = "hydrate")]
        browser::ask_permission(move |granted| {
            if granted {
                store(next);
            } else {
                settings.set(Some(current()));
                if let Some(toasts) = toasts {
                    toasts.error(crate::t!("frame-notifications-blocked"));
                }
            }
        });
        #[cfg(not(feature = "hydrate"))]
        store(next);
    };
    #[cfg(feature = "hydrate")]
    browser::notify_on_events(user_id, realtime, settings);
    // This device receives Web Push while notifications are on (the app may be closed).
    #[cfg(feature = "hydrate")]
    {
        leptos::task::spawn_local(async {
            browser::register_worker().await;
        });
        let synced = StoredValue::new(None::<bool>);
        Effect::new(move |_| {
            let Some(on) = settings.get().map(|s| s.desktop) else { return };
            if synced.get_value() != Some(on) {
                synced.set_value(Some(on));
                browser::sync_push(on, toasts);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (user_id, realtime);
    view! {
        <details class="notify-settings">
            <summary>{crate::t!("frame-notifications")}</summary>
            <div class="menu-body" role="group" aria-label=crate::t!("frame-notifications")>
                <label>
                    <input
                        type="checkbox"
                        prop:checked=move || current().desktop
                        on:change=move |ev| toggle_desktop(event_target_checked(&ev))
                    />
                    " "{crate::t!("frame-desktop-notifications")}
                </label>
                <label>
                    <input
                        type="checkbox"
                        prop:checked=move || current().sound
                        on:change=move |ev| store(NotificationSettings { sound: event_target_checked(&ev), ..current() })
                    />
                    " "{crate::t!("frame-sound")}
                </label>
            </div>
        </details>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::collections::HashMap;

    use leptos::prelude::*;
    use parley_types::{
        Author, ConversationId, ConversationStatus, InboxItemKind, NotificationSettings, OperatorEvent, UserId,
    };
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    use crate::frame::context::Realtime;

    #[wasm_bindgen::prelude::wasm_bindgen(module = "/src/frame/push.js")]
    extern "C" {
        #[wasm_bindgen(js_name = registerWorker)]
        pub async fn register_worker() -> wasm_bindgen::JsValue;
        #[wasm_bindgen(js_name = pushSubscribe)]
        async fn push_subscribe(key: &str) -> wasm_bindgen::JsValue;
        #[wasm_bindgen(js_name = pushUnsubscribe)]
        async fn push_unsubscribe() -> wasm_bindgen::JsValue;
    }

    /// Subscribes this device to Web Push (`on`) or ends its subscription, and tells the
    /// server. Where the browser offers no push, desktop notifications still work while
    /// Parley is open.
    pub fn sync_push(on: bool, toasts: Option<crate::frame::Toasts>) {
        leptos::task::spawn_local(async move {
            if !on {
                let endpoint = push_unsubscribe().await.as_string().unwrap_or_default();
                if !endpoint.is_empty() {
                    let _ = crate::auth::unsubscribe_push(endpoint).await;
                }
                return;
            }
            let key = match crate::auth::get_push_key().await {
                Ok(key) => key,
                Err(err) => return toasts.into_iter().for_each(|t| t.error(err.clone())),
            };
            let json = push_subscribe(&key).await.as_string().unwrap_or_default();
            let Ok(sub) = serde_json::from_str::<serde_json::Value>(&json) else { return };
            let text = |k: &str| sub[k].as_str().unwrap_or_default().to_owned();
            if let Err(err) = crate::auth::subscribe_push(text("endpoint"), text("p256dh"), text("auth")).await
                && let Some(toasts) = toasts
            {
                toasts.error(err);
            }
        });
    }

    /// Asks the browser's permission for notifications; `then(granted)`.
    pub fn ask_permission(then: impl Fn(bool) + 'static) {
        if web_sys::Notification::permission() == web_sys::NotificationPermission::Granted {
            return then(true);
        }
        let Ok(promise) = web_sys::Notification::request_permission() else { return then(false) };
        let done =
            Closure::once(move |answer: wasm_bindgen::JsValue| then(answer.as_string().as_deref() == Some("granted")));
        let _ = promise.then(&done);
        done.forget();
    }

    /// Whether the member is looking at conversation `id` right now.
    fn in_view(id: ConversationId) -> bool {
        let path = window().location().pathname().unwrap_or_default();
        !document().hidden() && path == crate::frame::ws_path(&format!("/inbox/{id}"))
    }

    thread_local! {
        /// One audio context for the tab (browsers allow only a few).
        static AUDIO: std::cell::OnceCell<Option<web_sys::AudioContext>> = const { std::cell::OnceCell::new() };
    }

    fn beep() {
        AUDIO.with(|audio| {
            if let Some(context) = audio.get_or_init(|| web_sys::AudioContext::new().ok()) {
                tone(context);
            }
        });
    }

    fn tone(context: &web_sys::AudioContext) {
        // A context made before the member's first click starts suspended.
        let _ = context.resume();
        let (Ok(tone), Ok(volume)) = (context.create_oscillator(), context.create_gain()) else { return };
        tone.frequency().set_value(880.0);
        volume.gain().set_value(0.08);
        let _ = tone.connect_with_audio_node(&volume);
        let _ = volume.connect_with_audio_node(&context.destination());
        let _ = tone.start();
        let _ = tone.stop_with_when(context.current_time() + 0.15);
    }

    fn show(settings: NotificationSettings, title: &str, body: &str, link: Option<String>) {
        if settings.sound {
            beep();
        }
        if !settings.desktop || web_sys::Notification::permission() != web_sys::NotificationPermission::Granted {
            return;
        }
        let options = web_sys::NotificationOptions::new();
        options.set_body(body);
        options.set_tag(link.as_deref().unwrap_or("parley"));
        if let Ok(notification) = web_sys::Notification::new_with_options(title, &options)
            && let Some(link) = link
        {
            let open = Closure::<dyn FnMut()>::new(move || {
                let _ = window().focus();
                let _ = window().location().set_href(&link);
            });
            notification.set_onclick(Some(open.as_ref().unchecked_ref()));
            open.forget();
        }
    }

    /// Watches the operator events and notifies as the settings say.
    pub fn notify_on_events(me: UserId, realtime: Realtime, settings: RwSignal<Option<NotificationSettings>>) {
        // The newest sequence number seen per conversation: a summary repeated (a label,
        // a read) is no news.
        let seen = StoredValue::new(HashMap::<ConversationId, i64>::new());
        realtime.on_event(move |event| {
            let Some(current) = settings.get_untracked() else { return };
            if !current.desktop && !current.sound {
                return;
            }
            match event {
                OperatorEvent::ConversationChanged { conversation: c } => {
                    let newer = seen.try_update_value(|s| {
                        let before = s.insert(c.id, c.last_seq).unwrap_or(0);
                        c.last_seq > before
                    });
                    let from_visitor = c.last_author == Some(Author::Visitor) && newer == Some(true);
                    if !from_visitor || c.status != ConversationStatus::Open || in_view(c.id) {
                        return;
                    }
                    let link = Some(crate::frame::ws_path(&format!("/inbox/{}", c.id)));
                    let text = c.last_message.clone().unwrap_or_default();
                    if c.assignee_id == Some(me) {
                        show(current, &crate::t!("frame-push-wrote", name = c.contact_name.clone()), &text, link);
                    } else if c.assignee_id.is_none() && c.visitor_messages == 1 {
                        show(
                            current,
                            &crate::t!("frame-push-new-conversation", name = c.contact_name.clone()),
                            &text,
                            link,
                        );
                    }
                }
                OperatorEvent::InboxChanged { user_id, added: Some(InboxItemKind::Mention) } if *user_id == me => {
                    show(
                        current,
                        &crate::t!("frame-push-mentioned"),
                        &crate::t!("frame-push-mentioned-body"),
                        Some(crate::frame::ws_path("/my-inbox")),
                    );
                }
                _ => {}
            }
        });
    }
}
