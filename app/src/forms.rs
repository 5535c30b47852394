//! Forms whose stored values load once the page is live (a server action dispatched after
//! hydration, then written into the form's signals). Until they have come the form's
//! fields stay disabled: an edit made before would be overwritten by them.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::server_fn::error::FromServerFnError;

/// Dispatches `request` once the page is live; the returned action holds the answer.
pub fn load_once<S>(request: S) -> ServerAction<S>
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + FromServerFnError + 'static,
{
    let load = ServerAction::<S>::new();
    Effect::new(move |_| {
        load.dispatch(request.clone());
    });
    load
}

/// Whether `load` has answered with the stored values.
pub fn loaded<S>(load: ServerAction<S>) -> Signal<bool>
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    Signal::derive(move || load.value().with(|answer| matches!(answer, Some(Ok(_)))))
}

/// A form's fields, usable once `ready` (see [`loaded`]).
#[component]
pub fn LoadedFields(#[prop(into)] ready: Signal<bool>, children: Children) -> impl IntoView {
    view! { <fieldset class="bare" disabled=move || !ready.get()>{children()}</fieldset> }
}
