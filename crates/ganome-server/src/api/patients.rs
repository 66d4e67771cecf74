//! Patients and consent.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use ganome_core::Timestamp;
use ganome_service::{RecordConsent, RegisterPatient};
use ganome_store::{Consent, Patient};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::idempotency_key;
use crate::auth::Authenticated;
use crate::{ApiError, ApiJson, AppState};

/// Registers a patient at the caller's hospital. The record number is pseudonymised and
/// never stored. Send `Idempotency-Key` to make retries safe.
#[utoipa::path(post, path = "/api/v1/patients", tag = "patients", request_body = RegisterPatient,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe key")),
    responses((status = 201, body = Patient), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn register(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    ApiJson(req): ApiJson<RegisterPatient>,
) -> Result<(StatusCode, Json<Patient>), ApiError> {
    let key = idempotency_key(&headers);
    let patient = state
        .ganome
        .register_patient(&actor, req, key.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(patient)))
}

/// Listing options.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PatientListQuery {
    /// At most this many (default 100).
    limit: Option<i64>,
}

/// Patients of the caller's facility.
#[utoipa::path(get, path = "/api/v1/patients", tag = "patients", params(PatientListQuery),
    responses((status = 200, body = Vec<Patient>), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<PatientListQuery>,
) -> Result<Json<Vec<Patient>>, ApiError> {
    Ok(Json(
        state
            .ganome
            .list_patients(&actor, q.limit.unwrap_or(100))
            .await?,
    ))
}

/// One patient.
#[utoipa::path(get, path = "/api/v1/patients/{id}", tag = "patients",
    params(("id" = String, Path, description = "Patient id")),
    responses((status = 200, body = Patient), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn get_one(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Patient>, ApiError> {
    Ok(Json(state.ganome.get_patient(&actor, &id).await?))
}

/// Records a consent.
#[utoipa::path(post, path = "/api/v1/patients/{id}/consents", tag = "patients", request_body = RecordConsent,
    params(("id" = String, Path, description = "Patient id")),
    responses((status = 201, body = Consent), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn record_consent(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RecordConsent>,
) -> Result<(StatusCode, Json<Consent>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.ganome.record_consent(&actor, &id, req).await?),
    ))
}

/// A patient's consents, withdrawn ones included.
#[utoipa::path(get, path = "/api/v1/patients/{id}/consents", tag = "patients",
    params(("id" = String, Path, description = "Patient id")),
    responses((status = 200, body = Vec<Consent>), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn list_consents(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<Consent>>, ApiError> {
    Ok(Json(state.ganome.list_consents(&actor, &id).await?))
}

/// A withdrawal.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct WithdrawRequest {
    /// When consent was withdrawn (defaults to now).
    withdrawn_at: Option<Timestamp>,
}

/// Withdraws a consent; history is kept.
#[utoipa::path(post, path = "/api/v1/consents/{id}/withdraw", tag = "patients", request_body = WithdrawRequest,
    params(("id" = String, Path, description = "Consent id")),
    responses((status = 200, body = Consent), (status = 409, body = crate::error::ErrorBody)))]
pub(crate) async fn withdraw_consent(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    body: Option<Json<WithdrawRequest>>,
) -> Result<Json<Consent>, ApiError> {
    let at = body.and_then(|Json(b)| b.withdrawn_at);
    Ok(Json(state.ganome.withdraw_consent(&actor, &id, at).await?))
}
