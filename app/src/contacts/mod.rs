//! Contacts: the list (search, filters, live updates) and each contact's page (profile,
//! tags, notes, conversations); "Save contact" from a conversation's header.

mod api;
mod import;
mod list;
mod page;
mod save;

pub use api::*;
pub use list::ContactsPage;
pub use page::ContactPage;
pub use save::SaveContactButton;

use leptos::prelude::*;
use parley_types::ContactKind;

use crate::ApiError;

/// The navigation entry: everyone.
pub const NAV: crate::frame::NavEntry = crate::frame::NavEntry::new(crate::msg!("nav-contacts"), "/contacts");

/// What a type is called on screen.
pub fn kind_label(kind: ContactKind) -> String {
    match kind {
        ContactKind::Guest => crate::t!("contacts-kind-guest"),
        ContactKind::Lead => crate::t!("contacts-kind-lead"),
        ContactKind::Customer => crate::t!("contacts-kind-customer"),
    }
}

/// The problem the last answer of a form's action had with `field`, if any.
pub fn field_problem<T: 'static>(
    answer: impl With<Value = Option<Result<T, ApiError>>> + Copy + Send + Sync + 'static,
    field: impl Into<String>,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    let field: String = field.into();
    move || {
        answer.with(|a| match a {
            Some(Err(err)) => err.fields.iter().find(|f| f.field == field).map(crate::i18n::Said::said),
            _ => None,
        })
    }
}

/// A field's problem beside it (nothing when there is none).
#[component]
pub fn FieldProblem(problem: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    move || problem().map(|text| view! { <span class="field-error" role="alert">{text}</span> })
}
