//! The one error type services return. It becomes the wire's `ApiError` (which sets
//! the HTTP status) through `From`; `Internal` causes are logged and never sent.

use parley_types::{ApiError, ErrorCode, Phrase};

use crate::phrases::{api_error, english, fields_sentence};

/// Why a service call failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The thing does not exist in the caller's workspace (also used for other
    /// workspaces' rows, so their existence does not leak).
    #[error("not found")]
    NotFound,
    /// No valid session or token.
    #[error("sign in first")]
    Unauthorized,
    /// Signed in, but not allowed to do this.
    #[error("you are not allowed to do this")]
    Forbidden,
    /// Not allowed, with a sentence saying why (e.g. an identity that did not verify).
    #[error("{}", english(.0))]
    Refused(Phrase),
    /// The input is wrong; the sentence says how, for the user.
    #[error("{}", english(.0))]
    Invalid(Phrase),
    /// Several inputs are wrong: each field with what is wrong with it, for a form to
    /// show beside the field.
    #[error("{}", .0.iter().filter_map(|f| f.phrase.as_ref()).map(english).collect::<Vec<_>>().join(" "))]
    InvalidFields(Vec<parley_types::FieldError>),
    /// The request conflicts with what is stored (e.g. the workspace already exists).
    #[error("{}", english(.0))]
    Conflict(Phrase),
    /// The upload is larger than accepted (413); the sentence says what the limit is.
    #[error("{}", english(.0))]
    TooLarge(Phrase),
    /// Too many failed sign-ins; try again later.
    #[error("too many attempts; try again in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// A database or other internal failure.
    #[error("internal error")]
    Internal(String),
}

impl From<sea_orm::DbErr> for ServiceError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        ServiceError::Internal(err.to_string())
    }
}

/// `conflict()` when the database refused `err` as a second row with the same unique key
/// (a name or shortcut taken), else `err` as an internal error.
pub fn conflict_on_unique(err: sea_orm::DbErr, conflict: impl FnOnce() -> ServiceError) -> ServiceError {
    if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) { conflict() } else { err.into() }
}

impl<E: std::error::Error> From<sea_orm::TransactionError<E>> for ServiceError
where
    ServiceError: From<E>,
{
    fn from(err: sea_orm::TransactionError<E>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(inner) => inner.into(),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::NotFound => ApiError::not_found(),
            ServiceError::Unauthorized => ApiError::unauthorized(),
            ServiceError::Forbidden => ApiError::forbidden(),
            ServiceError::Refused(phrase) => api_error(ErrorCode::Forbidden, phrase),
            ServiceError::Invalid(phrase) => api_error(ErrorCode::Invalid, phrase),
            ServiceError::InvalidFields(mut fields) => {
                for field in &mut fields {
                    if let Some(phrase) = &field.phrase {
                        field.message = english(phrase);
                    }
                }
                ApiError { message: fields_sentence(&fields), fields, ..ApiError::new(ErrorCode::Invalid) }
            }
            ServiceError::Conflict(phrase) => api_error(ErrorCode::Conflict, phrase),
            ServiceError::TooLarge(phrase) => api_error(ErrorCode::PayloadTooLarge, phrase),
            ServiceError::TooManyAttempts { retry_after_secs } => ApiError {
                retry_after: Some(retry_after_secs.max(1)),
                ..api_error(
                    ErrorCode::TooManyRequests,
                    parley_types::phrase!("err-too-many-attempts", seconds = retry_after_secs),
                )
            },
            ServiceError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                ApiError::internal()
            }
        }
    }
}

/// Result of a service call.
pub type ServiceResult<T> = Result<T, ServiceError>;
