//! The error every server function returns: tagged on the wire, mapped to an HTTP
//! status on the server, shown as its message in the UI.

use serde::{Deserialize, Serialize};
use server_fn_error::*;

mod server_fn_error {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

/// What went wrong, as the user may see it. Internal causes are logged on the server and
/// never sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", content = "message", rename_all = "snake_case")]
pub enum AppError {
    #[error("Not found.")]
    NotFound,
    #[error("Please sign in.")]
    Unauthorized,
    #[error("You are not allowed to do this.")]
    Forbidden,
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Try again in {0} seconds.")]
    TooManyAttempts(u64),
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The request itself failed (network, encoding).
    #[error("Could not reach Parley: {0}")]
    Request(String),
}

impl AppError {
    /// The HTTP status this error is sent with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Invalid(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::TooManyAttempts(_) => 429,
            AppError::Internal | AppError::Request(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not decode are the caller's mistake: 400, not 500.
            ServerFnErrorErr::Args(msg) => {
                #[cfg(feature = "ssr")]
                crate::ssr::set_status(400);
                AppError::Invalid(format!("Invalid request: {msg}"))
            }
            other => AppError::Request(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<parley_services::ServiceError> for AppError {
    fn from(err: parley_services::ServiceError) -> Self {
        use parley_services::ServiceError as S;
        match err {
            S::NotFound => AppError::NotFound,
            S::Unauthorized => AppError::Unauthorized,
            S::Forbidden => AppError::Forbidden,
            S::Invalid(msg) => AppError::Invalid(msg),
            S::Conflict(msg) => AppError::Conflict(msg),
            S::TooManyAttempts { retry_after_secs } => AppError::TooManyAttempts(retry_after_secs),
            S::Internal(cause) => {
                tracing::error!(%cause, "internal error in a server function");
                AppError::Internal
            }
        }
    }
}
