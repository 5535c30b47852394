//! The one error type that crosses the wire: server functions, the widget's HTTP
//! endpoints and socket `error` events all send an [`ApiError`]. Its HTTP status comes
//! from its [`ErrorCode`], so no path can pair a "not found" body with a 500 status.
//! Internal causes are logged on the server and never sent.

use serde::{Deserialize, Serialize};

use crate::phrase::Phrase;

/// What kind of failure, as a stable snake_case code clients may branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request's input is wrong; the message (and `fields`) say how.
    Invalid,
    /// No valid session or token.
    Unauthorized,
    /// Signed in, but not allowed to do this.
    Forbidden,
    /// The thing does not exist for the caller (also other workspaces' rows).
    NotFound,
    /// The request conflicts with what is stored.
    Conflict,
    /// The request body is larger than accepted.
    PayloadTooLarge,
    /// Too many requests or attempts; `retry_after` says when to try again.
    TooManyRequests,
    /// Something failed on the server; the cause is in its logs.
    Internal,
    /// A dependency (the database) is unavailable right now.
    Unavailable,
    /// The client could not reach the server or read its answer (never sent by the server).
    Request,
}

impl ErrorCode {
    /// Every code, for exhaustive tests.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::Invalid,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::TooManyRequests,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
        ErrorCode::Request,
    ];

    /// The HTTP status an answer with this code carries.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::Invalid => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::TooManyRequests => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Request => 502,
            ErrorCode::Unavailable => 503,
        }
    }

    /// The sentence shown when nothing more specific is known.
    pub fn default_message(self) -> &'static str {
        match self {
            ErrorCode::Invalid => "The request is not valid.",
            ErrorCode::Unauthorized => "Please sign in.",
            ErrorCode::Forbidden => "You are not allowed to do this.",
            ErrorCode::NotFound => "Not found.",
            ErrorCode::Conflict => "This conflicts with what is already stored.",
            ErrorCode::PayloadTooLarge => "The request is too large.",
            ErrorCode::TooManyRequests => "Too many requests. Please wait a moment and try again.",
            ErrorCode::Internal => "Something went wrong on our side. Please try again.",
            ErrorCode::Unavailable => "Parley is temporarily unavailable. Please try again shortly.",
            ErrorCode::Request => "Could not reach Parley.",
        }
    }
}

/// A problem with one input field, for forms to show beside the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name as the request spelled it.
    pub field: String,
    /// The problem in English (filled in by the server from `phrase`).
    pub message: String,
    /// The problem by message id, for clients to say in their language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<Phrase>,
}

impl FieldError {
    /// A problem with `field`; the server writes its English `message` before sending it.
    pub fn new(field: impl Into<String>, phrase: Phrase) -> Self {
        FieldError { field: field.into(), message: String::new(), phrase: Some(phrase) }
    }
}

/// An error as every client receives it:
/// `{"error": "not_found", "message": "Not found.", "fields": [..], "retry_after": 3}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    #[serde(rename = "error")]
    pub code: ErrorCode,
    /// A sentence for people, in English.
    pub message: String,
    /// The sentence by message id, for clients to say in their language (absent when
    /// `message` is the code's default sentence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phrase: Option<Phrase>,
    /// Per-field problems, when the input had several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// Seconds to wait before retrying (with `too_many_requests`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with the code's default sentence.
    pub fn new(code: ErrorCode) -> Self {
        ApiError {
            code,
            message: code.default_message().to_owned(),
            phrase: None,
            fields: Vec::new(),
            retry_after: None,
        }
    }

    /// An error with its own sentence.
    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { message: message.into(), ..ApiError::new(code) }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::with_message(ErrorCode::Invalid, message)
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound)
    }

    pub fn unauthorized() -> Self {
        Self::new(ErrorCode::Unauthorized)
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden)
    }

    pub fn internal() -> Self {
        Self::new(ErrorCode::Internal)
    }

    /// Too many requests; retry after `secs` seconds (at least 1).
    pub fn too_many(message: impl Into<String>, secs: u64) -> Self {
        ApiError { retry_after: Some(secs.max(1)), ..Self::with_message(ErrorCode::TooManyRequests, message) }
    }

    /// Adds a problem with one field (its English message already written).
    pub fn field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.fields.push(FieldError { field: field.into(), message: message.into(), phrase: None });
        self
    }

    /// The HTTP status this error is sent with.
    pub fn status(&self) -> u16 {
        self.code.status()
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(feature = "server-fn")]
mod server_fn_impl {
    use server_fn::codec::JsonEncoding;
    use server_fn::error::{FromServerFnError, ServerFnErrorErr};

    use super::{ApiError, ErrorCode};

    impl FromServerFnError for ApiError {
        type Encoder = JsonEncoding;

        fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
            match value {
                // Arguments that do not decode are the caller's mistake.
                ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg)
                    if msg.contains("length limit exceeded") =>
                {
                    ApiError::new(ErrorCode::PayloadTooLarge)
                }
                ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                    ApiError::invalid(format!("Invalid request: {msg}"))
                }
                ServerFnErrorErr::Request(msg) | ServerFnErrorErr::Response(msg) => {
                    ApiError::with_message(ErrorCode::Request, format!("Could not reach Parley: {msg}"))
                }
                ServerFnErrorErr::UnsupportedRequestMethod(msg) => ApiError::invalid(msg),
                ServerFnErrorErr::MissingArg(msg) => ApiError::invalid(format!("Missing argument: {msg}")),
                _ => ApiError::internal(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_travel_as_code_and_sentence() {
        let json = serde_json::to_string(&ApiError::not_found()).unwrap();
        assert_eq!(json, r#"{"error":"not_found","message":"Not found."}"#);
        let rich = ApiError::invalid("Check the form.").field("email", "Enter an email.");
        let back: ApiError = serde_json::from_str(&serde_json::to_string(&rich).unwrap()).unwrap();
        assert_eq!(back, rich);
        let slow = ApiError::too_many("Slow down.", 0);
        assert_eq!((slow.status(), slow.retry_after), (429, Some(1)));
    }

    #[test]
    fn every_code_has_an_error_status_and_a_sentence() {
        for code in ErrorCode::ALL {
            assert!((400..600).contains(&code.status()), "{code:?}");
            assert!(code.default_message().ends_with('.'), "{code:?}");
        }
    }
}
