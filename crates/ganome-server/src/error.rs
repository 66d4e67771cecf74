//! The API error: one enum mapped to status codes.
//!
//! Returned to the client: the status, a stable `error` code, a message, and for 422 the
//! invalid fields with their paths. Logged but never returned: storage errors' details.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ganome_core::FieldError;
use ganome_service::ServiceError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable code: `unauthenticated`, `forbidden`, `not_found`, `invalid`, `conflict`, `internal`.
    pub error: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// For `invalid`: each invalid field by path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// A service error on its way to the client.
#[derive(Debug)]
pub struct ApiError(pub ServiceError);

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        ApiError(e)
    }
}

impl ApiError {
    /// A 422 for one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError(ServiceError::invalid(field, message))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, fields) = match self.0 {
            ServiceError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "log in (POST /api/v1/auth/login) or send 'Authorization: Bearer <token>'"
                    .to_owned(),
                vec![],
            ),
            ServiceError::SecondFactorRequired => (
                StatusCode::UNAUTHORIZED,
                "second_factor_required",
                "enter the code from your authenticator app: send it as 'totp_code' with the \
                 username and password"
                    .to_owned(),
                vec![],
            ),
            ServiceError::Throttled { until } => {
                let retry_after = (until.unix() - ganome_core::Timestamp::now().unix()).max(1);
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Json(ErrorBody {
                        error: "throttled",
                        message: format!("too many failed logins; try again after {until}"),
                        fields: vec![],
                    }),
                )
                    .into_response();
                if let Ok(v) = axum::http::HeaderValue::from_str(&retry_after.to_string()) {
                    response
                        .headers_mut()
                        .insert(axum::http::header::RETRY_AFTER, v);
                }
                return response;
            }
            ServiceError::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", m, vec![]),
            ServiceError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m, vec![]),
            ServiceError::Invalid(v) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                v.to_string(),
                v.errors,
            ),
            ServiceError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m, vec![]),
            ServiceError::Engine(m) => {
                tracing::error!(error = %m, "annotation engine");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "engine_unavailable",
                    m,
                    vec![],
                )
            }
            ServiceError::Store(e) => {
                tracing::error!(error = %e, "storage error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; the server log has the details".to_owned(),
                    vec![],
                )
            }
        };
        let mut response = (
            status,
            Json(ErrorBody {
                error: code,
                message,
                fields,
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"ganome\""),
            );
        }
        response
    }
}
