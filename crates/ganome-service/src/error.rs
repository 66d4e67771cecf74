//! The service error: what the adapters map to HTTP statuses and exit codes.

use ganome_core::ValidationErrors;
use ganome_store::StoreError;
use thiserror::Error;

/// Why a service call did not succeed.
#[derive(Debug, Error)]
pub enum ServiceError {
    /// No valid credentials (HTTP 401).
    #[error("authentication required")]
    Unauthenticated,
    /// The password was right, but the account has a second factor and no code was sent:
    /// ask for the code (HTTP 401, the adapters say "enter your code").
    #[error("second factor required: send the code from your authenticator app")]
    SecondFactorRequired,
    /// Too many failed logins for this name: every login is refused until then (HTTP 429).
    #[error("too many failed logins; try again after {until}")]
    Throttled {
        /// When logins are accepted again.
        until: ganome_core::Timestamp,
    },
    /// Authenticated, but role or facility scope does not allow this (HTTP 403).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// No such entity, or not visible to the caller (HTTP 404).
    #[error("not found: {0}")]
    NotFound(String),
    /// The request is invalid; each error names its field (HTTP 422).
    #[error("invalid request: {0}")]
    Invalid(ValidationErrors),
    /// The request conflicts with the current state (HTTP 409).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The annotation engine is not loaded or failed (HTTP 503; no patient data in the text).
    #[error("annotation engine: {0}")]
    Engine(String),
    /// Storage failed (HTTP 500; details are logged, not returned).
    #[error("storage error: {0}")]
    Store(StoreError),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(m) => ServiceError::Conflict(m),
            other => ServiceError::Store(other),
        }
    }
}

impl From<ValidationErrors> for ServiceError {
    fn from(e: ValidationErrors) -> Self {
        ServiceError::Invalid(e)
    }
}

impl ServiceError {
    /// A single-field validation error.
    pub fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
        ServiceError::Invalid(ValidationErrors::single(field, message))
    }

    /// The audit outcome this error stands for.
    pub fn audit_outcome(&self) -> &'static str {
        match self {
            ServiceError::Unauthenticated => "unauthenticated",
            ServiceError::SecondFactorRequired => "second_factor_required",
            ServiceError::Throttled { .. } => "throttled",
            ServiceError::Forbidden(_) => "denied",
            ServiceError::NotFound(_) => "not_found",
            ServiceError::Invalid(_) => "invalid",
            ServiceError::Conflict(_) => "conflict",
            ServiceError::Engine(_) | ServiceError::Store(_) => "error",
        }
    }
}
