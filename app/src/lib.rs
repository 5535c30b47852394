//! Parley's operator app: Leptos components rendered on the server and hydrated in the
//! browser, and the typed server functions they call.
//!
//! One folder per feature (`auth/`, `conversations/`, `settings/`), each with its server
//! functions in `api.rs` and its components beside them; `frame/` is the signed-in frame
//! (navigation, member, realtime connection, toasts) around every feature's pages. Server-only code sits behind
//! `#[cfg(feature = "ssr")]`, so the hydrate build never links the database.

pub mod auth;
pub mod contacts;
pub mod conversations;
pub mod forms;
pub mod frame;
pub mod i18n;
pub mod my_inbox;
pub mod profile;
pub mod realtime;
pub mod settings;
mod shell;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod visitors;

pub use parley_types::ApiError;
pub use shell::{App, shell};
