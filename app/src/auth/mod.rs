//! Signing in and out, and first-run setup.

mod api;
mod pages;

pub use api::*;
pub use pages::{HomePage, InvitationPage, LoginPage, SetupPage};
