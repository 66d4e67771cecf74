//! Cases.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use ganome_service::{CaseDetail, CaseListQuery, RegisterCase, TransitionRequest};
use ganome_store::Case;

use crate::api::idempotency_key;
use crate::auth::Authenticated;
use crate::{ApiError, ApiJson, AppState};

/// Registers a case and issues its case number (before the specimen ships). A repeat with
/// the same `Idempotency-Key` returns the first case (200) and creates nothing.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = RegisterCase,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key")),
    responses((status = 201, body = Case), (status = 200, body = Case, description = "Repeat of an earlier registration"),
              (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn register(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    ApiJson(req): ApiJson<RegisterCase>,
) -> Result<(StatusCode, Json<Case>), ApiError> {
    let key = idempotency_key(&headers);
    let (case, created) = state
        .ganome
        .register_case(&actor, req, key.as_deref())
        .await?;
    Ok((
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json(case),
    ))
}

/// Cases visible to the caller, newest first.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseListQuery),
    responses((status = 200, body = Vec<Case>), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<CaseListQuery>,
) -> Result<Json<Vec<Case>>, ApiError> {
    Ok(Json(state.ganome.list_cases(&actor, &q).await?))
}

/// A case with its state history and files.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = CaseDetail), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn get_one(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<CaseDetail>, ApiError> {
    Ok(Json(state.ganome.get_case(&actor, &id).await?))
}

/// Moves a case to its next state.
#[utoipa::path(post, path = "/api/v1/cases/{id}/transitions", tag = "cases", request_body = TransitionRequest,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Case), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn transition(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<TransitionRequest>,
) -> Result<Json<Case>, ApiError> {
    Ok(Json(state.ganome.transition_case(&actor, &id, req).await?))
}
