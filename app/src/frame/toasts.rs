//! Toasts: short confirmations and errors shown over the page, dismissible, each
//! expiring by itself. Confirmations go to a polite `status` region and errors to an
//! `alert` region; both regions are always in the page so screen readers announce
//! what is added to them.

use std::time::Duration;

use leptos::prelude::*;

use crate::i18n::Said;

/// At most this many toasts are shown; the oldest goes first.
const MAX_SHOWN: usize = 4;

/// Whether a toast confirms something or reports an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
}

impl ToastKind {
    /// How long a toast stays unless dismissed: errors stay longer, to be read.
    pub fn lifetime(self) -> Duration {
        match self {
            ToastKind::Success => Duration::from_secs(5),
            ToastKind::Error => Duration::from_secs(8),
        }
    }
}

/// One toast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    id: u64,
    kind: ToastKind,
    text: String,
}

/// The handle pages use: `toasts.success("Saved")`, `toasts.error(err)`.
#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    shown: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}

impl Toasts {
    /// An empty toast area (the frame creates one per page load).
    pub fn new() -> Self {
        Self { shown: RwSignal::new(Vec::new()), next_id: StoredValue::new(0) }
    }

    /// Confirms that something worked.
    pub fn success(&self, text: impl Into<String>) {
        self.push(ToastKind::Success, text.into());
    }

    /// Reports an error with its message (what `ApiError` says to the user).
    pub fn error(&self, err: impl Said) {
        self.push(ToastKind::Error, err.said());
    }

    /// Follows an action's answer: each success confirmed with `say(answer)`, each
    /// refusal shown with its message.
    pub fn report<T: 'static, E: Said + 'static>(
        self,
        answer: impl Get<Value = Option<Result<T, E>>> + 'static,
        say: impl Fn(T) -> String + 'static,
    ) {
        Effect::new(move |_| match answer.get() {
            Some(Ok(value)) => self.success(say(value)),
            Some(Err(err)) => self.error(err),
            None => {}
        });
    }

    /// Removes a toast (when dismissed or expired; a no-op once the frame is gone).
    pub fn dismiss(&self, id: u64) {
        self.shown.try_update(|shown| shown.retain(|t| t.id != id));
    }

    fn push(&self, kind: ToastKind, text: String) {
        let id = self.next_id.try_update_value(|next| {
            *next += 1;
            *next
        });
        let Some(id) = id else { return };
        self.shown.try_update(|shown| {
            shown.push(Toast { id, kind, text });
            let extra = shown.len().saturating_sub(MAX_SHOWN);
            shown.drain(..extra);
        });
        #[cfg(feature = "hydrate")]
        {
            let toasts = *self;
            set_timeout(move || toasts.dismiss(id), kind.lifetime());
        }
    }

    fn of_kind(&self, kind: ToastKind) -> Vec<Toast> {
        self.shown.read().iter().filter(|t| t.kind == kind).cloned().collect()
    }
}

/// The two live regions toasts appear in. Keyed, so adding a toast leaves the others'
/// nodes alone (re-inserted nodes would be announced again).
#[component]
pub fn ToastRegion(toasts: Toasts) -> impl IntoView {
    let list = move |kind: ToastKind| {
        view! {
            <For each=move || toasts.of_kind(kind) key=|toast| toast.id let:toast>
                <ToastItem toast toasts/>
            </For>
        }
    };
    view! {
        <div class="toasts">
            <div role="status" aria-live="polite" aria-label=crate::t!("frame-notifications")>{list(ToastKind::Success)}</div>
            <div role="alert" aria-label=crate::t!("frame-errors")>{list(ToastKind::Error)}</div>
        </div>
    }
}

#[component]
fn ToastItem(toast: Toast, toasts: Toasts) -> impl IntoView {
    let id = toast.id;
    let class = match toast.kind {
        ToastKind::Success => "toast success",
        ToastKind::Error => "toast error",
    };
    view! {
        <div class=class>
            <p>{toast.text}</p>
            <button type="button" class="dismiss" aria-label=crate::t!("frame-dismiss") on:click=move |_| toasts.dismiss(id)>
                "×"
            </button>
        </div>
    }
}
