//! Signing in and out, and first-run setup.

mod api;
mod pages;

pub use api::*;
pub use pages::{ForgotPasswordPage, HomePage, InvitationPage, LoginPage, ResetPasswordPage, SetupPage};
